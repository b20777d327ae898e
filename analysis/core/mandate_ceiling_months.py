"""The authorised ceiling in force at the end of each month, from the statements of ``sc_ceilings``.

Rules (see :mod:`analysis.core.mandate_ceilings` for how statements are read):

1. **Order.** Statements apply in the order they take effect (ties: adoption date, resolution,
   order in the resolution). Within a resolution, a ceiling stated for a component replaces its
   changes that take effect at the same date ("reduce the MONUSCO force by 2,000 troops, while
   maintaining an authorized troop ceiling of 19,815").
2. **Scheduled changes.** A statement that takes effect after its resolution's adoption is
   cancelled when, before it takes effect, a later resolution states the component's ceiling anew
   with effect no later than it (UNISFA: each renewal replaced the reduction scheduled by the one
   before), when a later resolution does what its "unless" condition names
   (``sc_ceilings.cancelled_by``), or when a later extension names its resolution ("extend ...
   the period of drawdown ... outlined in paragraph 5 of resolution 2429").
3. **Temporary increases** last from their effective date to their "until" date (inclusive), or,
   without one, until the component's ceiling is stated again; a temporary ceiling ("a temporary
   increase ... to a total of 15,250 ... from 15 November 2005 to 31 March 2006") is the change
   from the ceiling in force when it starts. An extension prolongs the temporary increases of the
   resolutions it names (reactivating a lapsed one from its own date; all active ones when it
   names none) to its date, or open-ended ("for the period specified in paragraph 1").
   A ceiling stated anew ends the component's temporary increases; one resolution stating both
   components ends those of both together.
4. **Unknown.** A component is unknown (NA) until a ceiling is stated for it; a change of an
   unknown ceiling stays unknown; units of unstated size make it unknown. A mission whose mandate
   has no police (or no military) component (``ceiling_components`` in ``sc_missions.yaml``, with
   its ``ceiling_note``) has 0 for it.
5. **Total.** ``personnel_authorized_n`` = military + police + changes stated for both together,
   NA unless both components are known (or absent by mandate); ``basis`` says which.

Values are the state at the end of the month (Kathman's deployments are month-end counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.core.mandate_ceilings import BASIS, CONCEPT_OF, _components
from analysis.core.resolutions import mission_rules

FIRST_MONTH = pd.Timestamp("2000-01-01")
LAST_MONTH = pd.Timestamp("2025-12-01")


@dataclass
class _Temp:
    component: str
    value: float | None
    start: pd.Timestamp
    until: pd.Timestamp | None
    origin: set[int]
    resolution: int
    absorbed: bool = False


@dataclass
class _State:
    base: dict[str, float | None]
    extra: float | None = 0.0  # changes stated for both components together
    temps: list[_Temp] = field(default_factory=list)
    evidence: dict[str, tuple[pd.Timestamp, int] | None] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)


def _schedule(st: pd.DataFrame) -> pd.DataFrame:
    """The statements of one mission that take effect (rules 1 and 2)."""
    st = st.sort_values(["effective_date", "adoption_date", "resolution_number", "statement_n"])
    keep = pd.Series(True, index=st.index)
    # 1. a ceiling replaces the same resolution's changes of that component at the same date
    sets = st[st["operation"] == "set"]
    for i, r in st[st["operation"].isin(["increase", "decrease"])].iterrows():
        same = sets[
            (sets["resolution_number"] == r["resolution_number"])
            & (sets["component"] == r["component"])
            & (sets["effective_date"] == r["effective_date"])
        ]
        if len(same) and not r["is_temporary"]:
            keep[i] = False
    # 2. scheduled statements cancelled by later decisions
    keep &= st["cancelled_by"].isna()
    for i, r in st[st["effective_date"] > st["adoption_date"]].iterrows():
        d0, eff, n = r["adoption_date"], r["effective_date"], int(r["resolution_number"])
        later = st[(st["adoption_date"] > d0) & (st["adoption_date"] <= eff)]
        replaced = later[
            (later["operation"] == "set")
            & (later["component"] == r["component"])
            & (later["effective_date"] <= eff)
        ]
        postponed = later[
            (later["operation"] == "extend")
            & later["extends_resolutions"].fillna("").str.contains(rf"\b{n}\b")
        ]
        if len(replaced) or (len(postponed) and r["operation"] in ("set", "decrease")):
            keep[i] = False
    return st[keep]


def _active(t: _Temp, at: pd.Timestamp) -> bool:
    return not t.absorbed and t.start <= at and (t.until is None or t.until >= at)


def _value(s: _State, comp: str, at: pd.Timestamp) -> float | None:
    temps = [t for t in s.temps if t.component == comp and _active(t, at)]
    base = s.extra if comp == "combined" else s.base[comp]
    if base is None or any(t.value is None for t in temps):
        return None
    return float(base + sum(t.value or 0.0 for t in temps))


def _apply(s: _State, r: pd.Series, both_set: bool) -> None:
    comp, op, eff, n = r["component"], r["operation"], r["effective_date"], int(r["resolution_number"])
    v = None if pd.isna(r["value_n"]) else float(r["value_n"])
    until = None if pd.isna(r["until_date"]) else r["until_date"]
    temporary = bool(r["is_temporary"]) or until is not None
    s.evidence[comp] = (eff, n)
    if op == "set" and temporary and until is not None:
        now = _value(s, comp, eff)
        s.temps.append(_Temp(comp, None if now is None or v is None else v - now, eff, until, {n}, n))
    elif op == "set":
        if comp == "combined":
            mil, pol = _value(s, "military", eff), _value(s, "police", eff)
            s.extra = None if mil is None or pol is None or v is None else v - mil - pol
        else:
            s.base[comp] = v
            s.why[comp] = ""
            for t in s.temps:
                if t.component == comp and _active(t, eff):
                    t.absorbed = True
            if both_set:
                s.extra = 0.0
                for t in s.temps:
                    if t.component == "combined" and _active(t, eff):
                        t.absorbed = True
    elif op in ("increase", "decrease"):
        d = None if v is None else (v if op == "increase" else -v)
        if temporary:
            s.temps.append(_Temp(comp, d, eff, until, {n}, n))
        elif comp == "combined":
            s.extra = None if s.extra is None or d is None else s.extra + d
        else:
            if s.base[comp] is None:
                s.why[comp] = s.why.get(comp) or f"a change (S/RES/{n}) of a ceiling not stated in 2000-2025"
            b = s.base[comp]
            s.base[comp] = None if b is None or d is None else b + d
    elif op == "unknown":
        if comp == "combined":
            s.extra = None
        else:
            s.base[comp] = None
            s.why[comp] = f"units of unstated size (S/RES/{n})"
    elif op == "extend":
        refs = {int(x) for x in str(r["extends_resolutions"] or "").split("; ") if x}
        if refs:
            targets = [t for t in s.temps if not t.absorbed and t.origin & refs]
        else:
            targets = [t for t in s.temps if _active(t, eff)]
        for t in targets:
            if t.until is not None and t.until < eff:
                t.start = eff  # a lapsed increase revived from the extension's date
            t.until = until
            t.origin |= {n}
        if v is not None and not any(t.value is not None and abs(abs(t.value) - v) < 0.5 for t in targets):
            s.temps.append(_Temp(comp, v, eff, until, refs | {n}, n))


def ceilings_in_force(
    statements: pd.DataFrame, first: pd.Timestamp = FIRST_MONTH, last: pd.Timestamp = LAST_MONTH
) -> pd.DataFrame:
    """The ceiling in force at the end of each month, per UN PKO (module docstring).

    Returns
    -------
    DataFrame
        One row per UN PKO of ``sc_missions.yaml`` and month ``first``..``last``:
        ``mission_id_un``, ``year``, ``month``, ``personnel_military_authorized_n``,
        ``personnel_police_authorized_n``, ``personnel_authorized_n`` (persons, NA where
        unknown), ``evidence_<component>`` (resolution of the statement that set the value),
        ``basis`` (:data:`~analysis.core.mandate_ceilings.BASIS`), ``reason_<component>`` (why NA).
    """
    months = pd.date_range(first, last, freq="MS")
    ends = months + pd.offsets.MonthEnd(0)
    rows = []
    for m in mission_rules()["missions"]:
        if m["kind"] != "un_pko":
            continue
        mid = m["id"]
        comps = _components(m)
        own = statements[statements["mission_id_un"] == mid]
        sched = _schedule(own)
        set_both = (
            sched[sched["operation"] == "set"]
            .groupby(["resolution_number", "effective_date"])["component"]
            .agg(lambda c: {"military", "police"} <= set(c))
        )
        s = _State({c: (None if c in comps else 0.0) for c in ("military", "police")})
        events = list(sched.iterrows())
        k = 0
        for mon, end in zip(months, ends):
            while k < len(events) and events[k][1]["effective_date"] <= end:
                r = events[k][1]
                _apply(s, r, bool(set_both.get((r["resolution_number"], r["effective_date"]), False)))
                k += 1
            mil, pol, comb = (_value(s, c, end) for c in ("military", "police", "combined"))
            known = mil is not None and pol is not None and comb is not None
            ev = [e for c in ("military", "police", "combined") if (e := s.evidence.get(c)) is not None]
            basis = None
            if known:
                basis = BASIS[0] if len(comps) == 2 else BASIS[1] if comps == ("military",) else BASIS[2]
            rows.append(
                {
                    "mission_id_un": mid,
                    "year": mon.year,
                    "month": mon.month,
                    CONCEPT_OF["military"]: mil,
                    CONCEPT_OF["police"]: pol,
                    CONCEPT_OF["total"]: (mil + pol + comb) if known else None,  # type: ignore[operator]
                    "evidence_military": (s.evidence.get("military") or (None, None))[1],
                    "evidence_police": (s.evidence.get("police") or (None, None))[1],
                    "evidence_total": max(ev)[1] if ev and known else None,
                    "basis": basis,
                    "reason_military": None
                    if mil is not None
                    else (
                        s.why.get("military") or "no military ceiling stated in the 2000-2025 texts so far"
                    ),
                    "reason_police": None
                    if pol is not None
                    else (s.why.get("police") or "no police ceiling stated in the 2000-2025 texts so far"),
                }
            )
    out = pd.DataFrame(rows)
    for c in CONCEPT_OF.values():
        out[c] = out[c].astype("Float64")
    for c in ("evidence_military", "evidence_police", "evidence_total"):
        out[c] = out[c].astype("Int64")
    for c in ("mission_id_un", "basis", "reason_military", "reason_police"):
        out[c] = out[c].astype("string")
    return out


def basis_of(missions: pd.Series, total: pd.Series) -> pd.Series:
    """Which ceilings an authorised total adds (:data:`~analysis.core.mandate_ceilings.BASIS`), NA
    where the total is NA: military + police, or one component where the mandate has no other."""
    comps = {m["id"]: _components(m) for m in mission_rules()["missions"] if m["kind"] == "un_pko"}
    label = {("military", "police"): BASIS[0], ("military",): BASIS[1], ("police",): BASIS[2]}
    out = [label[comps.get(str(m), ("military", "police"))] for m in missions]
    return pd.Series(out, index=total.index, dtype="string").where(total.notna())
