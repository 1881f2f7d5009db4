"""Shared by the tests: the repository's paths, the CLI, and the comparison of results with the
CLI's results.csv (docs/results-format.md).

results.csv holds each number with 12 significant digits (%.12g); a figure from Python equals
the CLI's when, written the same way, it is within 1e-12 (relative) of the CSV's value.
"""

import math
import os
import subprocess
import tempfile
import unittest

import pandas as pd

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCENARIO = os.path.join(ROOT, "scenarios", "northeast-asia.xml")
CLI = os.environ.get("ETSLINK_BIN", os.path.join(ROOT, "build", "etslink"))
TOL = 1e-12


def run_cli(scenario, *extra):
    """Run `etslink solve SCENARIO --no-pdf --quiet` into a temporary folder and read its
    results.csv (every column text, but the values, parsed exactly)."""
    if not os.path.exists(CLI):
        raise unittest.SkipTest(f"no etslink binary at {CLI} (set ETSLINK_BIN)")
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([CLI, "solve", scenario, "-o", out, "--no-pdf", "--quiet", *extra],
                       check=True, env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
        csv = pd.read_csv(os.path.join(out, "results.csv"), keep_default_na=False, dtype=str)
    # Python's float() is correctly rounded; rows such as a sweep's regime have no value
    csv["value"] = [float(v) if v != "" else math.nan for v in csv["value"]]
    return csv


def same(py, csv):
    """py, written with %.12g, within TOL of the CSV's value."""
    a = float(f"{float(py):.12g}")
    b = float(csv)
    return math.isclose(a, b, rel_tol=TOL, abs_tol=0.0) or a == b


class Comparer:
    """Counts the rows compared and collects the differences."""

    def __init__(self):
        self.rows = 0
        self.bad = []

    def num(self, where, py, csv):
        self.rows += 1
        if not same(py, csv):
            self.bad.append(f"{where}: Python {py!r}, CLI {csv!r}")

    def text(self, where, py, csv):
        self.rows += 1
        if py != csv:
            self.bad.append(f"{where}: Python {py!r}, CLI {csv!r}")

    def done(self, test, at_least):
        test.assertEqual(self.bad[:20], [], f"{len(self.bad)} differences")
        test.assertGreaterEqual(self.rows, at_least)


def compare_design_rows(cmp, csv, res, designs=None):
    """Every row of csv whose design is one of res's (or of `designs`) against res's tables."""
    ids = set(res.designs["design"]) if designs is None else set(designs)
    rows = csv[csv["design"].isin(ids)]
    dt = res.designs.set_index("design")
    jt = res.jurisdictions.set_index(["design", "jurisdiction"])
    lt = res.links.set_index(["design", "link"])
    pt = res.pools.set_index(["design", "pool"])
    ot = res.offsets.set_index(["design", "offset"])
    rt = res.projects.set_index(["design", "project"])
    jurs = set(res.jurisdictions["jurisdiction"])
    for d, who, var, val, unit in rows[["design", "jurisdiction", "variable", "value",
                                        "unit"]].itertuples(index=False):
        where = f"{d},{who},{var}"
        if who == "total":
            if var == "outcome":
                cmp.text(where, dt.at[d, "outcome"], unit)
            else:
                cmp.num(where, dt.at[d, var], val)
        elif who in jurs:
            if var == "binding":
                cmp.text(where, jt.at[(d, who), "binding"], unit)
            else:
                cmp.num(where, jt.at[(d, who), var], val)
        elif "->" in who:
            cmp.num(where, lt.at[(d, who), var], val)
        elif who.startswith("pool:"):
            cmp.num(where, pt.at[(d, who[5:]), var], val)
        elif "<-" in who:
            cmp.num(where, ot.at[(d, who), var], val)
        elif who.startswith("project:"):
            v = rt.at[(d, who[8:]), var]
            cmp.num(where, float(v), val)
        else:
            cmp.bad.append(f"{where}: a row the test does not know")
    return len(rows)


def compare_coalition_rows(cmp, csv, analysis, co):
    """The rows of a coalitions analysis in results.csv against an etslink.Coalitions."""
    rows = csv[csv["design"] == analysis]
    s = co.summary
    coal = co.coalitions.set_index("coalition")["value"]
    st = co.structures.set_index("structure")
    by_struct = {"structure_value": "value", "structure_loss": "loss",
                 "structure_stable_market": "stable_market",
                 "structure_stable_shapley": "stable_shapley", "structure_cs_core": "cs_core"}
    for who, var, val, unit in rows[["jurisdiction", "variable", "value",
                                     "unit"]].itertuples(index=False):
        where = f"{analysis},{who},{var},{unit}"
        if who != "total":
            cmp.num(where, co.members.at[who, var], val)
        elif var == "coalition_value":
            cmp.num(where, coal[unit], val)
        elif var in by_struct:
            cmp.num(where, float(st.at[unit, by_struct[var]]), val)
        else:
            cmp.num(where, float(s[var]), val)
    return len(rows)


def cli_sweep(scenario, sweep_id, link, values):
    """Run the CLI on scenario with a template design and a <sweep> of `values` (written
    exactly, with repr) added: `link` is the <link> of the template, with quota="{q}"."""
    with open(scenario, encoding="utf-8") as f:
        xml = f.read()
    template = f'\n  <design id="{sweep_id}-t">{link}</design>'
    sweep = (f'  <sweep id="{sweep_id}" design="{sweep_id}-t">'
             f'<param name="q" values="{" ".join(repr(float(v)) for v in values)}"/></sweep>\n')
    d = xml.rindex("</design>") + len("</design>")  # the template after the last design
    k = xml.rindex("</scenario>")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sweep.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(xml[:d] + template + xml[d:k] + sweep + xml[k:])
        return run_cli(path, "--only", sweep_id)


def compare_sweep(cmp, csv, sweep_id, sw, param="q"):
    """The CLI's sweep points SWEEP/i (param rows and design rows) against a Python sweep
    DataFrame whose design ids are SWEEP/i too (by="jurisdiction")."""
    rows = csv[csv["design"].str.startswith(sweep_id + "/")]
    params = rows[rows["jurisdiction"] == "param:" + param].set_index("design")["value"]
    got = sw.drop_duplicates("design").set_index("design")[param]
    for d, v in params.items():
        cmp.num(f"{d},param:{param}", got[d], v)
    jt = sw.set_index(["design", "jurisdiction"])
    n = 0
    for d, who, var, val, unit in rows[["design", "jurisdiction", "variable", "value",
                                        "unit"]].itertuples(index=False):
        if who in ("total",) or who.startswith(("param:", "pool:")) or "->" in who:
            continue
        if var in ("offset_credits", "offset_credited") and var not in jt.columns:
            continue  # a sweep by jurisdiction has no offset columns (not compared)
        n += 1
        if var == "binding":
            cmp.text(f"{d},{who},{var}", jt.at[(d, who), "binding"], unit)
        else:
            cmp.num(f"{d},{who},{var}", jt.at[(d, who), var], val)
    return n
