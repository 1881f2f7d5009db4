"""Scenarios, solves, sweeps and coalition games (docs/python.md)."""

from __future__ import annotations

import ctypes
import itertools
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _capi
from ._design import Design

DesignLike = Union[str, Design]


class Results:
    """The equilibria of a list of designs, as DataFrames whose columns are the variables of
    results.csv (docs/results-format.md), one row per record:

    - ``designs``: design, outcome ("optimal" or "no-equilibrium"), abatement_cost,
      total_cost, row_surplus, national_cost, gain (the total gain);
    - ``jurisdictions``: design, jurisdiction, price, abatement, emissions, net_imports,
      abatement_cost, payments, national_cost, gain, binding, offsets, ..., ndc_margin and
      import_rent (NaN where results.csv has no row), shortfall (designs without an
      equilibrium, whose other figures are NaN);
    - ``links``: design, link ("CN->KR"), from, to, rent_to, link_units, link_credited,
      link_unit_price, link_rent;
    - ``pools``: design, pool, host, credit_price, supplied, supply_cost, receipts;
    - ``offsets``: design, offset ("KR<-CCER"), pool, jurisdiction, offset_credits,
      offset_credited, payment;
    - ``projects``: design, project, built, project_credits, cost.

    Rows follow the order of the designs solved. ``units`` maps each column to its unit.
    """

    designs: pd.DataFrame
    jurisdictions: pd.DataFrame
    links: pd.DataFrame
    pools: pd.DataFrame
    offsets: pd.DataFrame
    projects: pd.DataFrame

    def __init__(self, frames: Dict[str, pd.DataFrame]) -> None:
        self.designs = frames["designs"]
        self.jurisdictions = frames["jurisdictions"]
        self.links = frames["links"]
        self.pools = frames["pools"]
        self.offsets = frames["offsets"]
        self.projects = frames["projects"]
        self.units: Dict[str, str] = {}
        for df in frames.values():
            self.units.update(df.attrs.get("units", {}))

    def __repr__(self) -> str:
        return (f"<etslink.Results: {len(self.designs)} designs, "
                f"{len(self.jurisdictions)} design x jurisdiction rows>")

    def table(self, variable: str = "gain", total: bool = True) -> pd.DataFrame:
        """A design x jurisdiction table of one variable of ``jurisdictions`` (designs in
        the order solved), with the design's ``total`` from ``designs`` when it has one."""
        wide = self.jurisdictions.pivot(index="design", columns="jurisdiction", values=variable)
        wide = wide.reindex(index=self.designs["design"],
                            columns=pd.unique(self.jurisdictions["jurisdiction"]))
        if total and variable in self.designs.columns:
            wide["total"] = self.designs.set_index("design")[variable]
        wide.columns.name = None
        return wide

    def check(self) -> None:
        """Raise EtslinkError (code 4, as the CLI exits) if a design has no equilibrium,
        naming each such design and each jurisdiction's shortfall."""
        bad = self.designs[self.designs["outcome"] != "optimal"]["design"].tolist()
        if not bad:
            return
        parts = []
        for d in bad:
            rows = self.jurisdictions[(self.jurisdictions["design"] == d) &
                                      (self.jurisdictions["shortfall"] > 0)]
            short = ", ".join(f"'{j}' is short of {s:.6g} Mt"
                              for j, s in zip(rows["jurisdiction"], rows["shortfall"]))
            parts.append(f"design '{d}' has no equilibrium" + (f": {short}" if short else ""))
        raise _capi.EtslinkError(4, "; ".join(parts))


class Coalitions:
    """Linking as a cooperative game (docs/model.md §8).

    - ``summary``: a Series: members, coalitions (solved), grand_coalition (v(N)),
      superadditive, core_empty, least_core (epsilon), market_in_core, market_gap and
      market_blocked_by (when not), and the counts of coalition structures;
    - ``members``: indexed by member: market_gain (its gain at market prices in the grand
      coalition), shapley, transfer (shapley - market_gain), least_core (a least-core
      allocation), nucleolus (up to 12 members);
    - ``shapley``: the Shapley values, a Series indexed by member;
    - ``coalitions``: every coalition (up to 16 members; beyond, the 20 of largest value):
      coalition ("A B"), mask (bit k = the k-th member), size, value;
    - ``gains``: each member's gain in each coalition (up to 12 members);
    - ``structures``: the listed coalition structures ("{A B}{C}"), blocks, value, loss,
      loss_share, stable_market, stable_shapley, cs_core, blocked_market_by,
      blocked_shapley_by.
    """

    def __init__(self, frames: Dict[str, pd.DataFrame]) -> None:
        self.summary: pd.Series = frames["summary"].iloc[0]
        self.members: pd.DataFrame = frames["members"].set_index("member")
        self.shapley: pd.Series = self.members["shapley"]
        self.coalitions: pd.DataFrame = frames["coalitions"]
        self.gains: pd.DataFrame = frames["gains"]
        self.structures: pd.DataFrame = frames["structures"]

    def value(self, members: Iterable[str]) -> float:
        """v(S) of the coalition of the given members."""
        want = set(members)
        row = self.coalitions[self.coalitions["coalition"].map(lambda c: set(c.split()) == want)]
        if row.empty:
            raise _capi.EtslinkError(3, f"no coalition {sorted(want)} in the game")
        return float(row["value"].iloc[0])

    def __repr__(self) -> str:
        return f"<etslink.Coalitions of {list(self.members.index)}>"


class Scenario:
    """A loaded scenario (immutable): jurisdictions, offset pools, the designs of its file.

    Make one with ``etslink.load(path)`` or ``Scenario.from_string(xml)``. It may be used from
    several threads at once; its memory is released when it is collected, or by ``close()``.
    """

    def __init__(self, handle: int) -> None:
        self._h = _capi.Handle(handle, "etsl_scenario_free")

    @classmethod
    def from_file(cls, path: str) -> "Scenario":
        """Read, validate and finish the scenario file at path."""
        out = ctypes.c_void_p()
        _capi.call("etsl_scenario_load", ctypes.byref(out), _capi.text(str(path)))
        return cls(out.value)

    @classmethod
    def from_string(cls, xml: Union[str, bytes], name: Optional[str] = None) -> "Scenario":
        """Read a scenario from XML text; ``name`` stands for the file in messages (default
        "<string>") and CSV hrefs are resolved against its folder."""
        data = xml.encode("utf-8") if isinstance(xml, str) else bytes(xml)
        out = ctypes.c_void_p()
        _capi.call("etsl_scenario_load_string", ctypes.byref(out), data, len(data),
                   _capi.text(name))
        return cls(out.value)

    def close(self) -> None:
        """Release the scenario now (it is unusable afterwards)."""
        self._h.close()

    def __enter__(self) -> "Scenario":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def _ptr(self) -> int:
        if not self._h.ptr:
            raise _capi.EtslinkError(3, "the scenario was closed")
        return self._h.ptr

    def _text(self, fn: str) -> str:
        return getattr(_capi.lib(), fn)(self._ptr).decode("utf-8")

    @property
    def name(self) -> str:
        """The scenario's name attribute."""
        return self._text("etsl_scenario_name")

    @property
    def currency(self) -> str:
        return self._text("etsl_scenario_currency")

    @property
    def unit(self) -> str:
        return self._text("etsl_scenario_unit")

    @property
    def path(self) -> str:
        """The file the scenario came from (or the name given to from_string)."""
        return self._text("etsl_scenario_path")

    @property
    def jurisdictions(self) -> List[str]:
        """The jurisdiction ids, in file order."""
        return self.jurisdiction_table()["id"].tolist()

    @property
    def designs(self) -> List[str]:
        """The ids of the file's designs, in file order."""
        return self.design_table()["id"].tolist()

    @property
    def pools(self) -> List[str]:
        """The offset pool ids."""
        return _capi.with_table("etsl_scenario_pools", self._ptr)["id"].tolist()

    def jurisdiction_table(self) -> pd.DataFrame:
        """id, name, kind (absolute, intensity, tax), bau, cap, ndc_target, auction_share,
        tax_rate, credit_limit of every jurisdiction."""
        return _capi.with_table("etsl_scenario_jurisdictions", self._ptr)

    def design_table(self) -> pd.DataFrame:
        """id and the number of each kind of element of every design of the file."""
        return _capi.with_table("etsl_scenario_designs", self._ptr)

    def analyses(self) -> pd.DataFrame:
        """The analyses of the file: id, kind, and for coalitions the members and rules."""
        return _capi.with_table("etsl_scenario_analyses", self._ptr)

    def __repr__(self) -> str:
        return (f"<etslink.Scenario {self.name!r}: {len(self.jurisdictions)} jurisdictions, "
                f"{len(self.designs)} designs>")

    # ---- solving ----

    @staticmethod
    def _design(d: DesignLike) -> Design:
        if isinstance(d, Design):
            return d
        if isinstance(d, str):
            return Design(d, base=d)
        raise _capi.EtslinkError(3, f"{d!r} is neither a Design nor a design id")

    def check(self, design: DesignLike) -> None:
        """Raise EtslinkError (code 3) if the design does not fit this scenario."""
        h = self._design(design)._handle()
        _capi.call("etsl_design_check", self._ptr, h.ptr)
        h.close()

    def solve(self, designs: Union[None, DesignLike, Sequence[DesignLike]] = None,
              threads: Optional[int] = None) -> Results:
        """Solve designs (Design objects or ids of the file's designs; default: every design of
        the file, in order) against the autarky baseline, on ``threads`` threads (default
        every core). The answers do not depend on the number of threads. A design without an
        equilibrium is in the results (outcome "no-equilibrium"; ``Results.check`` raises);
        an autarky baseline without one raises EtslinkError code 4."""
        if designs is None:
            designs = self.designs
        elif isinstance(designs, (str, Design)):
            designs = [designs]
        handles = [self._design(d)._handle() for d in designs]
        return self._solve_handles(handles, threads)

    def _solve_handles(self, handles: List[_capi.Handle], threads: Optional[int]) -> Results:
        arr = (ctypes.c_void_p * max(len(handles), 1))(*[h.ptr for h in handles])
        try:
            frames = _capi.with_tables(lambda out: _capi.call(
                "etsl_solve", self._ptr, arr, len(handles), int(threads or 0), out))
        finally:
            for h in handles:
                h.close()
        return Results(frames)

    def sweep(
        self,
        design: Union[Design, Callable[..., Design]],
        threads: Optional[int] = None,
        by: str = "jurisdiction",
        **params: Iterable[Any],
    ) -> pd.DataFrame:
        """Solve a design at every combination of parameter values, in one batch.

        ``design`` is a Design whose parameters (``etslink.param("q")``), or whose elements'
        arguments (``quota=...``), the keywords name, or a function of the keywords returning a
        Design. Each keyword gives the values of one parameter; every combination is solved,
        the last keyword varying fastest (as ``<sweep>``). Point i is design ``ID/i``.

        Returns a DataFrame with a column ``point``, one column per parameter, then the columns
        of ``Results.jurisdictions`` (``by="jurisdiction"``, a row per point and
        jurisdiction) or of ``Results.designs`` (``by="design"``, a row per point).
        """
        if by not in ("jurisdiction", "design"):
            raise _capi.EtslinkError(3, f"sweep: by='{by}' is neither 'jurisdiction' nor "
                                     "'design'")
        if not params:
            raise _capi.EtslinkError(3, "sweep: no parameter values given")
        names = list(params)
        grids = [list(np.asarray(list(v)).tolist()) for v in params.values()]
        points = list(itertools.product(*grids))
        base = design.id if isinstance(design, Design) else getattr(design, "__name__", "sweep")
        handles = []
        try:
            for i, values in enumerate(points):
                kv = dict(zip(names, values))
                if isinstance(design, Design):
                    d = design.bind(id=f"{base}/{i}", **kv)
                else:
                    d = design(**kv)
                    d = d.bind(id=f"{d.id}/{i}") if isinstance(d, Design) else d
                    if not isinstance(d, Design):
                        raise _capi.EtslinkError(3, "sweep: the function did not return a Design")
                handles.append(d._handle())
        except BaseException:
            for h in handles:
                h.close()
            raise
        res = self._solve_handles(handles, threads)
        grid = pd.DataFrame(points, columns=names)
        grid.insert(0, "point", np.arange(len(points), dtype=np.int64))
        frame = res.jurisdictions if by == "jurisdiction" else res.designs
        index = {d: i for i, d in enumerate(res.designs["design"])}
        pos = frame["design"].map(index).to_numpy()
        out = pd.concat([grid.iloc[pos].reset_index(drop=True), frame.reset_index(drop=True)],
                        axis=1)
        out.attrs["units"] = frame.attrs.get("units", {})
        return out

    def coalitions(self, members: Optional[Sequence[str]] = None,
                   rules: Optional[DesignLike] = None,
                   threads: Optional[int] = None) -> Coalitions:
        """The coalition game among ``members`` (default: every jurisdiction that can join a
        group), each coalition linked in one group plus the elements of ``rules`` (a Design
        or a design id of the file) whose jurisdictions are all in it."""
        mem = list(members) if members is not None else []
        arr = _capi.string_array(mem)
        h = self._design(rules)._handle() if rules is not None else None
        try:
            frames = _capi.with_tables(lambda out: _capi.call(
                "etsl_coalitions", self._ptr, arr, len(mem), h.ptr if h else None,
                int(threads or 0), out))
        finally:
            if h:
                h.close()
        return Coalitions(frames)


def load(path: str) -> Scenario:
    """Read, validate and finish the scenario file at path (``Scenario.from_file``)."""
    return Scenario.from_file(path)
