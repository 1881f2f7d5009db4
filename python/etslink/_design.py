"""Linkage designs built in code (docs/scenario-format.md, "Designs").

A Design is a value: an id and a list of elements named by jurisdiction and pool ids. It is
resolved and checked against a scenario only when solved (``Scenario.solve``), by the same rules
as a design of a scenario file. Every method adds one element and returns the design, so calls
chain::

    d = etslink.Design("cn-kr-q").link("CN", "KR", quota=10, rent_to="buyer-government")

A number may be a parameter, ``etslink.param("q")``, bound by ``Scenario.sweep(d, q=[...])``.
"""

from __future__ import annotations

import copy
import ctypes
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _capi

Number = Union[float, int, "Param"]


class Param:
    """A named placeholder for a number of a design, bound by ``Scenario.sweep``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"param({self.name!r})"


def param(name: str) -> Param:
    """A parameter ``name`` to use in place of a number of a design element."""
    return Param(name)


# Arguments that say what an element is about, not how much: never bound by name.
_IDENTITY = ("from_", "to", "jurisdiction", "pool", "id", "members", "shares", "field")


class Design:
    """A linkage design: links, groups, price instruments, offset acceptances, export caps,
    import limits, joint projects and changes of data, by jurisdiction and pool ids.

    ``base``, if given, names a design of the scenario: the design starts as a copy of it (with
    this id), and the elements added here come on top. ``Design("cn-kr", base="cn-kr")`` is the
    scenario's design itself; ``Scenario.solve`` accepts its id as a plain string too.
    """

    def __init__(self, id: str, base: Optional[str] = None) -> None:
        if not isinstance(id, str) or not id:
            raise _capi.EtslinkError(3, "a design needs an id (a non-empty string)")
        self.id = id
        self.base = base
        self._elements: List[Tuple[str, Dict[str, Any]]] = []

    def __repr__(self) -> str:
        parts = [f"{k}({', '.join(f'{a}={v!r}' for a, v in kw.items() if v is not None)})"
                 for k, kw in self._elements]
        base = f", base={self.base!r}" if self.base else ""
        return f"Design({self.id!r}{base}){''.join('.' + p for p in parts)}"

    def _add(self, kind: str, **kw: Any) -> "Design":
        self._elements.append((kind, kw))
        return self

    # ---- elements ----

    def group(self, *members: Union[str, Iterable[str]]) -> "Design":
        """A full-link group: every member trades with every other at one price.
        ``group("CN", "KR")`` or ``group(["CN", "KR"])``."""
        ids: List[str] = []
        for m in members:
            ids.extend([m] if isinstance(m, str) else list(m))
        return self._add("group", members=ids)

    def link(
        self,
        from_: str,
        to: str,
        *,
        rate: Optional[Number] = None,
        quota: Optional[Number] = None,
        quota_share: Optional[Number] = None,
        rent_to: Optional[str] = None,
    ) -> "Design":
        """A one-way link: entities in ``to`` may surrender units of ``from_``.

        rate: tonnes credited in ``to`` per unit (default 1); quota: most tonnes credited (Mt;
        default none); quota_share: most credited as a share of ``to``'s emissions; rent_to:
        who keeps a binding quota's rent, "buyer" (default), "buyer-government" or "seller".
        """
        return self._add("link", from_=from_, to=to, rate=rate, quota=quota,
                         quota_share=quota_share, rent_to=rent_to)

    def floor(self, jurisdiction: str, price: Number, volume: Optional[Number] = None) -> "Design":
        """A price floor: up to ``volume`` Mt of allowances withheld below ``price``."""
        return self._add("floor", jurisdiction=jurisdiction, price=price, volume=volume)

    def ceiling(self, jurisdiction: str, price: Number,
                volume: Optional[Number] = None) -> "Design":
        """A price ceiling: up to ``volume`` Mt of extra allowances sold at ``price``."""
        return self._add("ceiling", jurisdiction=jurisdiction, price=price, volume=volume)

    def penalty(self, jurisdiction: str, price: Number) -> "Design":
        """A penalty: any shortfall pays ``price`` per tonne."""
        return self._add("penalty", jurisdiction=jurisdiction, price=price, volume=None)

    def accept(
        self,
        pool: str,
        jurisdiction: str,
        *,
        limit: Optional[Number] = None,
        limit_share: Optional[Number] = None,
        discount: Optional[Number] = None,
    ) -> "Design":
        """Let ``jurisdiction`` use credits of offset ``pool``: at most ``limit`` tonnes
        credited, or ``limit_share`` of its emissions; ``discount`` tonnes credited per credit
        (default 1)."""
        return self._add("accept", pool=pool, jurisdiction=jurisdiction, limit=limit,
                         limit_share=limit_share, discount=discount)

    def export_cap(self, jurisdiction: str, *, max: Optional[Number] = None,
                   share_of_cap: Optional[Number] = None) -> "Design":
        """Cap ``jurisdiction``'s net exports at ``max`` Mt or ``share_of_cap`` of its cap
        (exactly one)."""
        return self._add("export_cap", jurisdiction=jurisdiction, max=max,
                         share_of_cap=share_of_cap)

    def import_limit(
        self,
        jurisdiction: str,
        *,
        max: Optional[Number] = None,
        share: Optional[Number] = None,
        sources: Union[None, str, Sequence[str]] = None,
    ) -> "Design":
        """Limit the tonnes ``jurisdiction`` has credited from outside its cap: at most ``max``
        Mt or ``share`` of its emissions (exactly one), over ``sources``: "links", "groups",
        "offsets", "projects" or pool ids (default links, groups and offsets)."""
        if sources is not None and not isinstance(sources, str):
            sources = " ".join(sources)
        return self._add("import_limit", jurisdiction=jurisdiction, max=max, share=share,
                         sources=sources)

    def project(
        self,
        id: str,
        shares: Mapping[str, float],
        *,
        capacity: Optional[Number] = None,
        fixed_cost: Optional[Number] = None,
        variable_cost: Optional[Number] = None,
    ) -> "Design":
        """A joint mitigation project: ``shares`` {member: share} summing to 1, ``capacity``
        Mt of credits a year, ``fixed_cost`` million a year if built, ``variable_cost`` per
        credit."""
        return self._add("project", id=id, shares=dict(shares), capacity=capacity,
                         fixed_cost=fixed_cost, variable_cost=variable_cost)

    def set(self, jurisdiction: str, *, pool: Optional[str] = None,
            **fields: Number) -> "Design":
        """Changes of data that are part of the design's policy (a ``<set>`` element):
        ``set("KR", cap=560, mac_scale=1.1)``; field names as the XML attributes, with ``_``
        for ``-`` (bau, output, cap, mac_shift, mac_scale, floor_price, ..., offset_limit with
        ``pool``)."""
        if not fields:
            raise _capi.EtslinkError(3, f"design '{self.id}': set needs at least one field")
        for name, value in fields.items():
            self._add("set", jurisdiction=jurisdiction, field=name.replace("_", "-"),
                      pool=pool, value=value)
        return self

    # ---- parameters ----

    def parameters(self) -> List[str]:
        """The names of the parameters (``etslink.param``) the design uses."""
        seen: List[str] = []
        for _, kw in self._elements:
            for v in kw.values():
                if isinstance(v, Param) and v.name not in seen:
                    seen.append(v.name)
        return seen

    def bind(self, id: Optional[str] = None, **values: float) -> "Design":
        """A copy with the given values: each keyword names a parameter (``etslink.param``)
        or, if no parameter has that name, an argument of the elements that set it explicitly
        (``quota=5`` changes every link's quota given in the design)."""
        d = copy.deepcopy(self)
        if id is not None:
            d.id = id
        for name, value in values.items():
            hit = False
            for _, kw in d._elements:
                for arg, v in kw.items():
                    if isinstance(v, Param) and v.name == name:
                        kw[arg] = value
                        hit = True
            if not hit:
                for kind, kw in d._elements:
                    if kind == "set":
                        if kw["field"] == name.replace("_", "-"):
                            kw["value"] = value
                            hit = True
                    elif name not in _IDENTITY and kw.get(name) is not None:
                        kw[name] = value
                        hit = True
            if not hit:
                raise _capi.EtslinkError(
                    3, f"design '{self.id}': '{name}' is neither a parameter of the design nor "
                    "an argument one of its elements sets")
        return d

    # ---- to the C API ----

    def _handle(self) -> _capi.Handle:
        """The design as an etsl_design (owned by the returned handle)."""
        unbound = self.parameters()
        if unbound:
            raise _capi.EtslinkError(
                3, f"design '{self.id}': parameter '{unbound[0]}' is not bound (use "
                "Scenario.sweep or Design.bind)")
        out = ctypes.c_void_p()
        _capi.call("etsl_design_create", ctypes.byref(out), _capi.text(self.id),
                   _capi.text(self.base))
        h = _capi.Handle(out.value, "etsl_design_free")
        t, n = _capi.text, _capi.number
        for kind, kw in self._elements:
            p = h.ptr
            if kind == "group":
                m = kw["members"]
                _capi.call("etsl_design_group", p, _capi.string_array(m), len(m))
            elif kind == "link":
                _capi.call("etsl_design_link", p, t(kw["from_"]), t(kw["to"]), n(kw["rate"]),
                           n(kw["quota"]), n(kw["quota_share"]), t(kw["rent_to"]))
            elif kind in ("floor", "ceiling", "penalty"):
                _capi.call("etsl_design_instrument", p, t(kind), t(kw["jurisdiction"]),
                           n(kw["price"]), n(kw["volume"]))
            elif kind == "accept":
                _capi.call("etsl_design_accept", p, t(kw["pool"]), t(kw["jurisdiction"]),
                           n(kw["limit"]), n(kw["limit_share"]), n(kw["discount"]))
            elif kind == "export_cap":
                _capi.call("etsl_design_export_cap", p, t(kw["jurisdiction"]), n(kw["max"]),
                           n(kw["share_of_cap"]))
            elif kind == "import_limit":
                _capi.call("etsl_design_import_limit", p, t(kw["jurisdiction"]), n(kw["max"]),
                           n(kw["share"]), t(kw["sources"]))
            elif kind == "project":
                ids = list(kw["shares"].keys())
                shares = (ctypes.c_double * max(len(ids), 1))(
                    *[float(kw["shares"][k]) for k in ids])
                _capi.call("etsl_design_project", p, t(kw["id"]), n(kw["capacity"]),
                           n(kw["fixed_cost"]), n(kw["variable_cost"]),
                           _capi.string_array(ids), shares, len(ids))
            elif kind == "set":
                _capi.call("etsl_design_set", p, t(kw["jurisdiction"]), t(kw["field"]),
                           t(kw["pool"]), n(kw["value"]))
        return h
