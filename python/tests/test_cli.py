"""The Python package's results equal the CLI's results.csv for scenarios/northeast-asia.xml:
every row of every design, the coalition analyses, and a quota sweep (to 1e-12 relative of
results.csv's 12 significant digits)."""

import unittest

import numpy as np

import etslink
from tests.helpers import (SCENARIO, Comparer, cli_sweep, compare_coalition_rows,
                           compare_design_rows, compare_sweep, run_cli)


class AgainstCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.csv = run_cli(SCENARIO)
        cls.sc = etslink.load(SCENARIO)

    def test_designs(self):
        res = self.sc.solve(threads=2)
        self.assertEqual(res.designs["design"].tolist(), self.sc.designs)
        cmp = Comparer()
        n = compare_design_rows(cmp, self.csv, res)
        cmp.done(self, n)
        self.assertGreater(n, len(self.sc.designs) * 5 * 20)  # every jurisdiction, every design

    def test_code_built_equals_file_designs(self):
        """Designs of the file rebuilt in Python give the file's rows."""
        built = [
            etslink.Design("cn-kr").group("CN", "KR"),
            etslink.Design("kr-imports-5pct").link("CN", "KR", quota_share=0.05,
                                                   rent_to="buyer-government"),
            etslink.Design("cn-kr-fx").link("CN", "KR", rate=0.8),
            etslink.Design("ccer-indirect").accept("CCER", "KR", limit_share=0.05),
            etslink.Design("cn-kr-export-cap").group("CN", "KR").export_cap("CN", max=1),
            etslink.Design("ne-asia-grid").group("CN", "KR").project(
                "mongolia-grid", {"CN": 0.4, "KR": 0.3, "JP": 0.3}, capacity=30,
                fixed_cost=150, variable_cost=4),
        ]
        present = [d for d in built if d.id in self.sc.designs]
        res = self.sc.solve(present, threads=2)
        cmp = Comparer()
        n = compare_design_rows(cmp, self.csv, res)
        cmp.done(self, n)
        self.assertGreater(n, len(present) * 5 * 20)

    def test_coalitions(self):
        an = self.sc.analyses()
        coal = an[an["kind"] == "coalitions"]
        if coal.empty:
            self.skipTest("the scenario has no <coalitions>")
        for _, a in coal.iterrows():
            co = self.sc.coalitions(members=a["members"].split(), rules=a["rules"] or None,
                                    threads=2)
            cmp = Comparer()
            n = compare_coalition_rows(cmp, self.csv, a["id"], co)
            cmp.done(self, n)
            self.assertGreater(n, 20)

    def test_sweep(self):
        values = np.linspace(0, 5, 26)
        csv = cli_sweep(SCENARIO, "qs", '<link from="CN" to="KR" quota="{q}"/>', values)
        d = etslink.Design("qs").link("CN", "KR", quota=etslink.param("q"))
        sw = self.sc.sweep(d, q=values, threads=2)
        cmp = Comparer()
        n = compare_sweep(cmp, csv, "qs", sw)
        cmp.done(self, n)
        self.assertGreater(n, 26 * 5 * 20)


if __name__ == "__main__":
    unittest.main()
