"""Closed forms (docs/model.md §6, §7.1, §8) for designs built in Python: full links of linear
MACs, a binding quota and the monopsony quota, Shapley values by a sum over every ordering."""

import itertools
import math
import unittest

import numpy as np

import etslink

# MAC_j = c_j a; required abatement R_j = BAU - cap.
C = {"A": 1.0, "B": 2.0, "C": 4.0}
R = {"A": 10.0, "B": 20.0, "C": 10.0}
XML = """<?xml version="1.0" encoding="UTF-8"?>
<scenario name="three" currency="USD" unit="Mt">
  <jurisdiction id="A"><bau>100</bau><cap>90</cap><mac><linear slope="1"/></mac></jurisdiction>
  <jurisdiction id="B"><bau>100</bau><cap>80</cap><mac><linear slope="2"/></mac></jurisdiction>
  <jurisdiction id="C"><bau>50</bau><cap>40</cap><mac><linear slope="4"/></mac></jurisdiction>
  <design id="ab"><group members="A B"/></design>
</scenario>
"""
REL = 1e-9


def group_price(members):
    return sum(R[j] for j in members) / sum(1 / C[j] for j in members)


def value(members):
    """v(S): the members' gains when S is one group, c_j m_j^2 / 2 at the group price."""
    members = list(members)
    if len(members) < 2:
        return 0.0
    p = group_price(members)
    return sum(C[j] * (R[j] - p / C[j]) ** 2 / 2 for j in members)


class ClosedForms(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sc = etslink.Scenario.from_string(XML, name="three.xml")

    def assertRel(self, got, want):
        self.assertTrue(math.isclose(got, want, rel_tol=REL, abs_tol=REL),
                        f"{got!r} != {want!r}")

    def test_full_links(self):
        """Groups of 2 and 3 members: p = sum R / sum 1/c, a_j = p / c_j, net imports
        m_j = R_j - a_j, gain_j = c_j m_j^2 / 2, the total the sum."""
        designs = [etslink.Design("g2").group("A", "B"), etslink.Design("g3").group(["A", "B", "C"])]
        res = self.sc.solve(designs, threads=1)
        jt = res.jurisdictions.set_index(["design", "jurisdiction"])
        for d, members in (("g2", "AB"), ("g3", "ABC")):
            p = group_price(members)
            for j in members:
                m = R[j] - p / C[j]
                self.assertRel(jt.at[(d, j), "price"], p)
                self.assertRel(jt.at[(d, j), "abatement"], p / C[j])
                self.assertRel(jt.at[(d, j), "net_imports"], m)
                self.assertRel(jt.at[(d, j), "gain"], C[j] * m * m / 2)
                self.assertEqual(jt.at[(d, j), "binding"], "cap")
            total = res.designs.set_index("design").at[d, "gain"]
            self.assertRel(total, value(members))
        self.assertRel(group_price("AB"), 20.0)  # the README's example
        self.assertEqual(res.jurisdictions.attrs["units"]["price"], "USD/t")
        self.assertEqual(res.units["gain"], "million USD")

    def test_quota_and_monopsony(self):
        """A binding quota q on A -> B: p_A = c_A (R_A + q), p_B = c_B (R_B - q),
        gain_A = c_A q^2 / 2, gain_B = c_B R_B^2/2 - c_B (R_B - q)^2/2 - p_A q, binding below
        the free flow q_f = (c_B R_B - c_A R_A)/(c_A + c_B) = 10; B's gain is largest at the
        monopsony quota q* = (c_B R_B - c_A R_A)/(c_B + 2 c_A) = 7.5."""
        cA, cB, RA, RB = C["A"], C["B"], R["A"], R["B"]
        qf = (cB * RB - cA * RA) / (cA + cB)
        qstar = (cB * RB - cA * RA) / (cB + 2 * cA)
        d = etslink.Design("q").link("A", "B", quota=etslink.param("q"))
        sw = self.sc.sweep(d, q=np.linspace(0, 12, 49), threads=2)
        self.assertEqual(len(sw), 49 * 3)
        self.assertEqual(list(sw.columns[:4]), ["point", "q", "design", "jurisdiction"])
        a = sw[sw.jurisdiction == "A"].set_index("q")
        b = sw[sw.jurisdiction == "B"].set_index("q")
        for q in a.index:
            qb = min(q, qf)  # above the free flow the quota no longer binds
            pA, pB = cA * (RA + qb), cB * (RB - qb)
            self.assertRel(a.at[q, "price"], pA)
            self.assertRel(b.at[q, "price"], pB)
            self.assertRel(a.at[q, "gain"], cA * qb * qb / 2)
            self.assertRel(b.at[q, "gain"], cB * RB * RB / 2 - cB * (RB - qb) ** 2 / 2 - pA * qb)
        self.assertRel(b["gain"].idxmax(), qstar)
        self.assertEqual(sw["design"].iloc[0], "q/0")
        # the same through the argument's name, and through a function
        by_name = self.sc.sweep(etslink.Design("q").link("A", "B", quota=0), quota=[2.5, 7.5])
        by_fn = self.sc.sweep(lambda q: etslink.Design("f").link("A", "B", quota=q), q=[2.5, 7.5])
        self.assertEqual(by_name["gain"].tolist(), by_fn["gain"].tolist())
        self.assertRel(by_name.set_index(["quota", "jurisdiction"]).at[(7.5, "B"), "gain"],
                       cB * RB * RB / 2 - cB * (RB - 7.5) ** 2 / 2 - cA * (RA + 7.5) * 7.5)
        # rent to the seller: A also gets (p_B - p_A) q
        q = 4.0
        res = self.sc.solve(etslink.Design("s").link("A", "B", quota=q, rent_to="seller"))
        jt = res.jurisdictions.set_index("jurisdiction")
        rent = (cB * (RB - q) - cA * (RA + q)) * q
        self.assertRel(jt.at["A", "gain"], cA * q * q / 2 + rent)
        self.assertRel(res.links.at[0, "link_rent"], rent)
        self.assertEqual(res.links.at[0, "rent_to"], "seller")

    def test_two_parameters(self):
        """Every combination, the last parameter fastest, as <sweep>."""
        d = etslink.Design("two").link("A", "B", quota=etslink.param("q"),
                                           rent_to=etslink.param("who"))
        sw = self.sc.sweep(d, q=[1, 2], who=["buyer", "seller"], by="design")
        self.assertEqual(sw["q"].tolist(), [1, 1, 2, 2])
        self.assertEqual(sw["who"].tolist(), ["buyer", "seller", "buyer", "seller"])
        self.assertEqual(sw["design"].tolist(), ["two/0", "two/1", "two/2", "two/3"])
        for q, g in zip(sw["q"], sw["gain"]):  # the rent moves, the total does not
            self.assertRel(g, C["A"] * q * q / 2 + C["B"] * R["B"] ** 2 / 2
                           - C["B"] * (R["B"] - q) ** 2 / 2 - C["A"] * (R["A"] + q) * q)

    def test_shapley_by_orderings(self):
        """Shapley values as the mean marginal contribution over the 3! orderings."""
        members = ["A", "B", "C"]
        phi = dict.fromkeys(members, 0.0)
        orders = list(itertools.permutations(members))
        for order in orders:
            for k, j in enumerate(order):
                phi[j] += (value(order[:k + 1]) - value(order[:k])) / len(orders)
        co = self.sc.coalitions(members=members, threads=2)
        for j in members:
            self.assertRel(co.shapley[j], phi[j])
        self.assertRel(sum(phi.values()), value(members))
        for combo in itertools.chain.from_iterable(
                itertools.combinations(members, k) for k in (1, 2, 3)):
            self.assertRel(co.value(combo), value(combo))
        self.assertRel(co.summary["grand_coalition"], value(members))
        self.assertTrue(co.summary["superadditive"])
        self.assertEqual(len(co.coalitions), 7)
        self.assertEqual(co.structures["structure"].iloc[0], "{A B C}")

    def test_scenario_design_with_more(self):
        """The file's design ab (p = 20) with a ceiling of 15 in B on top: the group's price
        is the ceiling's and B releases sum R - P sum 1/c = 30 - 22.5."""
        d = etslink.Design("ab-ceiling", base="ab").ceiling("B", 15)
        res = self.sc.solve([d, "ab"])
        jt = res.jurisdictions.set_index(["design", "jurisdiction"])
        self.assertRel(jt.at[("ab-ceiling", "A"), "price"], 15)
        self.assertRel(jt.at[("ab-ceiling", "B"), "released"], 7.5)
        self.assertRel(jt.at[("ab", "B"), "price"], 20)
        self.assertEqual(self.sc.designs, ["ab"])
        self.assertEqual(self.sc.jurisdictions, ["A", "B", "C"])


if __name__ == "__main__":
    unittest.main()
