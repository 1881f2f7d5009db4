"""Errors are raised as etslink.EtslinkError carrying etslink's exit code and message."""

import os
import subprocess
import sys
import tempfile
import unittest

import etslink
from tests.helpers import CLI, ROOT, SCENARIO

BAD_XML = """<?xml version="1.0"?>
<scenario name="bad">
  <jurisdiction id="A">
</scenario>
"""


class Errors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sc = etslink.load(SCENARIO)

    def assertCode(self, code, fragment, fn, *args, **kw):
        with self.assertRaises(etslink.EtslinkError) as cm:
            fn(*args, **kw)
        self.assertEqual(cm.exception.code, code, str(cm.exception))
        self.assertIn(fragment, str(cm.exception))
        self.assertIn(fragment, cm.exception.message)
        return cm.exception

    def test_bad_xml(self):
        """Not well-formed XML: code 3, the file and the line."""
        self.assertCode(3, "bad.xml:4", etslink.Scenario.from_string, BAD_XML, name="bad.xml")
        self.assertCode(3, "<string>:4", etslink.Scenario.from_string, BAD_XML)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "broken.xml")
            with open(path, "w") as f:
                f.write(BAD_XML)
            self.assertCode(3, f"{path}:4", etslink.load, path)

    def test_missing_file(self):
        self.assertCode(5, "no-such.xml", etslink.load, os.path.join(ROOT, "no-such.xml"))

    def test_unknown_ids(self):
        """Unknown jurisdictions, pools and designs: code 3, naming the design and the id."""
        e = self.assertCode(3, "design 'bad': group: 'XX' is not a jurisdiction of the scenario",
                            self.sc.solve, [etslink.Design("bad").group("CN", "XX")])
        self.assertIn("northeast-asia.xml", str(e))
        self.assertCode(3, "'NOPE' is not an offset pool", self.sc.solve,
                        etslink.Design("p").accept("NOPE", "KR"))
        self.assertCode(3, "'no-such-design' is not a design", self.sc.solve, "no-such-design")
        self.assertCode(3, "member 'XX' is not a jurisdiction", self.sc.coalitions,
                        members=["CN", "XX"])
        self.assertCode(3, "'JP' is a tax regime", self.sc.coalitions, members=["CN", "JP"])
        self.assertCode(3, "'XX' is not a jurisdiction", self.sc.check,
                        etslink.Design("c").link("XX", "KR"))

    def test_invalid_designs(self):
        self.assertCode(3, "quota -1 must be >= 0", self.sc.solve,
                        etslink.Design("neg").link("CN", "KR", quota=-1))
        self.assertCode(3, "rent-to 'nobody'", self.sc.solve,
                        etslink.Design("r").link("CN", "KR", rent_to="nobody"))
        self.assertCode(3, "exactly one of max and share-of-cap", self.sc.solve,
                        etslink.Design("x").export_cap("CN"))
        self.assertCode(3, "design id 'cn-kr' is given twice", self.sc.solve,
                        ["cn-kr", etslink.Design("cn-kr").group("CN", "KR")])
        self.assertCode(3, "parameter 'q' is not bound", self.sc.solve,
                        etslink.Design("u").link("CN", "KR", quota=etslink.param("q")))
        self.assertCode(3, "'rate' is neither a parameter", self.sc.sweep,
                        etslink.Design("u").link("CN", "KR", quota=1), rate=[1, 2])
        self.assertCode(3, "a design needs an id", etslink.Design, "")

    def test_no_equilibrium(self):
        """No equilibrium in autarky: code 4 naming who is short. A design without one is a
        result: outcome no-equilibrium, the shortfall, the other figures NaN; check() raises."""
        bad = etslink.load(os.path.join(ROOT, "tests", "bad", "no-equilibrium-design.xml"))
        self.assertCode(4, "'B' is short of 5 Mt", bad.solve)
        sc = etslink.Scenario.from_string(
            '<scenario name="s">'
            '<jurisdiction id="A"><bau>100</bau><cap>90</cap><mac><linear slope="1" max="40"/>'
            '</mac></jurisdiction>'
            '<jurisdiction id="B"><bau>100</bau><cap>80</cap><mac><linear slope="1" max="25"/>'
            '</mac></jurisdiction></scenario>')
        res = sc.solve([etslink.Design("tight").set("B", cap=70),
                        etslink.Design("ok").group("A", "B")])
        self.assertEqual(res.designs["outcome"].tolist(), ["no-equilibrium", "optimal"])
        jt = res.jurisdictions.set_index(["design", "jurisdiction"])
        self.assertEqual(jt.at[("tight", "B"), "shortfall"], 5)
        self.assertTrue(jt.loc["tight", "price"].isna().all())
        self.assertAlmostEqual(jt.at[("ok", "A"), "price"], 15, places=9)
        self.assertCode(4, "design 'tight' has no equilibrium: 'B' is short of 5 Mt", res.check)

    def test_version(self):
        """The package, the library and the CLI say the same version."""
        self.assertEqual(etslink.library_version(), etslink.__version__)
        if os.path.exists(CLI):
            out = subprocess.run([CLI, "--version"], capture_output=True, text=True, check=True)
            self.assertEqual(out.stdout.strip(), f"etslink {etslink.__version__}")

    def test_no_library(self):
        """A library that cannot be loaded: code 5, saying how to build it."""
        code = ("import etslink\n"
                "try:\n    etslink.load('x.xml')\n"
                "except etslink.EtslinkError as e:\n    print(e.code, e)\n")
        env = dict(os.environ, ETSLINK_LIB="/nonexistent/libetslink.so.1")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=env, check=True)
        self.assertTrue(out.stdout.startswith("5 cannot load the etslink library"), out.stdout)


if __name__ == "__main__":
    unittest.main()
