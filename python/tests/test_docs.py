"""docs/python.md runs as written: every ```python block, in order, from a folder that sees the
repository's scenarios/; then its numbers are compared with the CLI's results.csv (1e-12
relative of its 12 significant digits), and its charts exist."""

import contextlib
import io
import os
import re
import tempfile
import unittest

import numpy as np

from tests.helpers import (ROOT, SCENARIO, Comparer, cli_sweep, compare_coalition_rows,
                           compare_design_rows, compare_sweep, run_cli, same)

DOC = os.path.join(ROOT, "docs", "python.md")


def python_blocks(path):
    with open(path, encoding="utf-8") as f:
        return re.findall(r"^```python\n(.*?)^```", f.read(), flags=re.S | re.M)


class Walkthrough(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.blocks = python_blocks(DOC)
        cls.ns = {"__name__": "docs_python"}
        cls.tmp = tempfile.TemporaryDirectory()
        os.symlink(os.path.join(ROOT, "scenarios"), os.path.join(cls.tmp.name, "scenarios"))
        here = os.getcwd()
        os.chdir(cls.tmp.name)
        try:
            with contextlib.redirect_stdout(io.StringIO()) as out:
                for k, block in enumerate(cls.blocks):
                    exec(compile(block, f"docs/python.md block {k + 1}", "exec"), cls.ns)
            cls.output = out.getvalue()
        finally:
            os.chdir(here)
        cls.csv = run_cli(SCENARIO)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_ran(self):
        self.assertGreaterEqual(len(self.blocks), 8)
        for png in ("gains.png", "quota.png"):
            path = os.path.join(self.tmp.name, png)
            self.assertTrue(os.path.getsize(path) > 10000, png)
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertIn("KOR", self.output)  # the error block printed its message
        self.assertIn("Korea gains most", self.output)

    def test_results(self):
        cmp = Comparer()
        n = compare_design_rows(cmp, self.csv, self.ns["res"])
        cmp.done(self, n)

    def test_ranking(self):
        """The comparison and the ranking: each jurisdiction's gain and the total gain and cost
        of each design as in results.csv, ranked by total gain (ties in file order)."""
        csv, ranking, comp = self.csv, self.ns["ranking"], self.ns["comparison"]
        gain = csv[csv.variable == "gain"]
        cmp = Comparer()
        designs = self.ns["sc"].designs
        for d, who, v in gain[gain.design.isin(designs)][["design", "jurisdiction",
                                                          "value"]].itertuples(index=False):
            col = "total" if who == "total" else who
            cmp.num(f"ranking {d},{who}", ranking.at[d, col], v)
            if who == "total":
                cmp.num(f"comparison {d},total gain", comp.at[d, "total gain"], v)
        cost = csv[(csv.variable == "total_cost") & csv.design.isin(designs)]
        for d, v in cost[["design", "value"]].itertuples(index=False):
            cmp.num(f"comparison {d},total cost", comp.at[d, "total cost"], v)
        cmp.done(self, len(designs) * 8)
        totals = gain[(gain.jurisdiction == "total") & gain.design.isin(designs)]
        # ranked by total gain; designs whose totals agree to 1e-9 may come in either order
        val = dict(zip(totals["design"], totals["value"]))
        got = list(ranking.index)
        self.assertEqual(sorted(got), sorted(val))
        for a, b in zip(got, got[1:]):
            self.assertGreaterEqual(val[a], val[b] - 1e-9 * (1 + abs(val[b])), (a, b))

    def test_designs_in_code(self):
        """cn-kr as named, and cn-kr-floor built in code equal to the file's cn-kr-kr-floor."""
        res2 = self.ns["res2"]
        cmp = Comparer()
        n = compare_design_rows(cmp, self.csv, res2, designs=["cn-kr"])
        floor = self.csv[self.csv.design == "cn-kr-kr-floor"].copy()
        floor["design"] = "cn-kr-floor"
        n += compare_design_rows(cmp, floor, res2, designs=["cn-kr-floor"])
        cmp.done(self, n)
        present = sum(d in self.ns["sc"].designs for d in ("cn-kr", "cn-kr-kr-floor"))
        self.assertGreater(n, present * 5 * 20)

    def test_sweep(self):
        sw = self.ns["sw"]
        values = sw.drop_duplicates("point")["q"].to_numpy()
        np.testing.assert_array_equal(values, np.linspace(0, 5, 51))
        csv = cli_sweep(SCENARIO, "kr-quota", '<link from="CN" to="KR" quota="{q}"/>', values)
        cmp = Comparer()
        n = compare_sweep(cmp, csv, "kr-quota", sw)
        cmp.done(self, n)
        self.assertGreater(n, 51 * 5 * 20)
        kr = self.ns["kr"]
        pts = csv[csv.design.str.startswith("kr-quota/")]
        self.assertTrue(same(kr["gain"].max(), pts[(pts.jurisdiction == "KR") &
                                                   (pts.variable == "gain")]["value"].max()))

    def test_coalitions(self):
        sc, co = self.ns["sc"], self.ns["co"]
        an = sc.analyses()
        match = an[(an.kind == "coalitions") &
                   (an.members == " ".join(co.members.index)) & (an.rules == "")]
        if match.empty:
            self.skipTest("the scenario has no <coalitions> of the same members")
        cmp = Comparer()
        n = compare_coalition_rows(cmp, self.csv, match["id"].iloc[0], co)
        cmp.done(self, n)
        self.assertGreater(n, 20)


if __name__ == "__main__":
    unittest.main()
