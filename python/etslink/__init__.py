"""etslink from Python: carbon market linkage designs in code, exact equilibria as pandas
DataFrames (docs/python.md).

    import etslink
    sc = etslink.load("scenarios/northeast-asia.xml")
    d = etslink.Design("cn-kr-q").link("CN", "KR", quota=10)
    res = sc.solve([d, "cn-kr"], threads=2)
    res.jurisdictions          # design, jurisdiction, price, abatement, ..., gain
    sc.sweep(d, quota=numpy.linspace(0, 30, 301))
    sc.coalitions(members=["CN", "KR", "KZ"]).shapley

The package calls libetslink.so (api/etslink.h) through ctypes; it keeps no global state
besides the loaded library. Errors are raised as EtslinkError with etslink's exit code
(``.code``) and message.
"""

from ._capi import EtslinkError, library_path
from ._design import Design, Param, param
from ._scenario import Coalitions, Results, Scenario, load

__version__ = "0.1.0"

__all__ = [
    "Coalitions",
    "Design",
    "EtslinkError",
    "Param",
    "Results",
    "Scenario",
    "library_path",
    "library_version",
    "load",
    "param",
]


def library_version() -> str:
    """The version of the loaded libetslink (as ``etslink --version`` prints it)."""
    from . import _capi

    return _capi.lib().etsl_version().decode("utf-8")
