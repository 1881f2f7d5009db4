"""The answers do not depend on the number of threads: 1 and 2 threads give identical tables."""

import unittest

import numpy as np
import pandas as pd

import etslink
from tests.helpers import SCENARIO


class Threads(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sc = etslink.load(SCENARIO)

    def test_solve(self):
        one, two = self.sc.solve(threads=1), self.sc.solve(threads=2)
        for name in ("designs", "jurisdictions", "links", "pools", "offsets", "projects"):
            pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name), check_exact=True)

    def test_sweep(self):
        d = etslink.Design("kr-quota").link("CN", "KR", quota=etslink.param("q"))
        one = self.sc.sweep(d, q=np.linspace(0, 6, 61), threads=1)
        two = self.sc.sweep(d, q=np.linspace(0, 6, 61), threads=2)
        pd.testing.assert_frame_equal(one, two, check_exact=True)

    def test_coalitions(self):
        members = ["CN", "KR", "KZ", "TS"]
        one = self.sc.coalitions(members=members, threads=1)
        two = self.sc.coalitions(members=members, threads=2)
        pd.testing.assert_frame_equal(one.members, two.members, check_exact=True)
        pd.testing.assert_frame_equal(one.coalitions, two.coalitions, check_exact=True)
        pd.testing.assert_frame_equal(one.structures, two.structures, check_exact=True)


if __name__ == "__main__":
    unittest.main()
