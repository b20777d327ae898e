"""Which UN peacekeeping operations enter the mission panels, and for which months.

Units
-----
The units are the UN's peacekeeping operations (``un_missions.is_peacekeeping``) at the level
of their constituent missions: a **combined entry** of the UN's list (UNEF = UNEF I + II,
UNAVEM = UNAVEM I-III, UNOSOM = UNOSOM I + II), under which the UN fatalities file and Kathman
record deaths and personnel, is **resolved to its parts by date** (:func:`resolve_parts`): a
record dated in month *m* belongs to the latest part whose list start month is at or before
*m* (so the month a part starts belongs to it, not to its predecessor), and to the first part
when *m* precedes them all. The parts' list dates are contiguous, so every month has exactly
one part; a record after the last part's end belongs to the last part (UNAVEM III's deaths of
1997-06). Codings of the parts (PEMA/TAMM code UNAVEM I-III and UNOSOM I-II separately) then
join without mapping.

Span
----
A mission spans from its **earliest to its latest evidence** (:func:`mission_spans`):

* ``list``: the start and end dates of the UN PKO list (``date_start``, ``date_end``);
* ``personnel``: the months Kathman lists the mission (1990-01 to 2019-12);
* ``fatalities``: the dates of deaths the UN fatalities file records for it;
* ``mandates``: the months PEMA/TAMM code its mandate (``mandates_monthly``);
* ``termination``: the ``mandate_until`` of a curated termination resolution (MINUSMA:
  S/RES/2690);
* ``active``: a mission the list shows as active with no end date and no termination
  resolution runs to the last month of the fatalities data.

A mission without list dates (UNTAG, UNOHCI, UNTMIH) takes its dates from its evidence; one
without any evidence (UNFOR) is left out. Evidence listed in ``span_exclusions.csv`` (beside
this module: mission, kind of evidence, months, reason, citation) does not count: a record
that belongs to another mission with the same acronym (MINUGUA after 1997-05, the General
Assembly's verification mission) or a single record years after a mission withdrew (UNOSOM II,
2003-04). The panels record every extension: ``span_start_source`` / ``span_end_source`` name
the evidence that set the first / last month, ``is_span_extension`` marks months outside the
list dates (every month of a mission without list dates).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.config import package_file
from analysis.errors import DataError
from analysis.panels.join import month_key
from analysis.panels.rules import read_rule_table

#: The committed table of evidence that does not extend a mission's span (module docstring).
EXCLUSIONS_FILE = package_file("panels", "span_exclusions.csv")
#: Kinds of evidence that can set a span, in the order that breaks ties (the first wins).
EVIDENCE = ("list", "active", "termination", "personnel", "mandates", "fatalities")
#: Kinds of evidence an exclusion can name.
EXCLUDABLE = ("personnel", "fatalities", "mandates")
_EXCLUSION_COLUMNS = ["mission_id_un", "evidence", "month_from", "month_to", "reason", "citation"]


def load_span_exclusions(path: str | Path | None = None) -> pd.DataFrame:
    """The evidence that does not extend a mission's span, with its reason and citation.

    Returns
    -------
    pandas.DataFrame
        ``mission_id_un``, ``evidence`` (personnel / fatalities / mandates), ``month_from``,
        ``month_to`` (month starts, inclusive), ``reason``, ``citation``. Errors name the file,
        the column and the 1-based line.
    """
    p = Path(path) if path is not None else EXCLUSIONS_FILE
    return _load_exclusions(str(p), p.stat().st_mtime_ns).copy()


@lru_cache(maxsize=4)
def _load_exclusions(path: str, _mtime: int) -> pd.DataFrame:
    p = Path(path)
    df = read_rule_table(p, _EXCLUSION_COLUMNS, allowed={"evidence": EXCLUDABLE})
    out = df.copy()
    for c in ("month_from", "month_to"):
        d = pd.to_datetime(df[c], format="%Y-%m", errors="coerce")
        if d.isna().any():
            i = int(d.isna().to_numpy().nonzero()[0][0])
            raise DataError(p, f"line {i + 2}: {df[c].iloc[i]!r} is not a month (YYYY-MM)", column=c)
        out[c] = d
    bad = out["month_to"] < out["month_from"]
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(p, f"line {i + 2}: month_to is before month_from", column="month_to")
    return out


def parts_table(missions: pd.DataFrame) -> pd.DataFrame:
    """The constituent missions of each combined entry, with their list start months, sorted."""
    m = missions.dropna(subset=["mission_id_un_combined"])
    parts = m[m["mission_id_un"] != m["mission_id_un_combined"]]
    parts = parts.assign(_start=parts["date_start"].dt.to_period("M").dt.to_timestamp())
    return parts.sort_values(["mission_id_un_combined", "_start"])[
        ["mission_id_un_combined", "mission_id_un", "_start"]
    ]


def resolve_parts(ids: pd.Series, months: pd.Series, missions: pd.DataFrame) -> pd.Series:
    """Each record's mission at the level of the panels: a combined entry's record goes to the
    part in force in its month (module docstring); every other id is kept.

    Parameters
    ----------
    ids
        ``mission_id_un`` of the records (combined entries, parts or other missions).
    months
        The records' dates (any day of the month; aligned with ``ids``).
    missions
        ``un_missions`` (``mission_id_un``, ``mission_id_un_combined``, ``date_start``).
    """
    out = ids.astype("string").copy()
    parts = parts_table(missions)
    month = pd.to_datetime(months).dt.to_period("M").dt.to_timestamp()
    for comb, g in parts.groupby("mission_id_un_combined", sort=False):
        hit = (out == comb).fillna(False)
        if not hit.any():
            continue
        starts, names = list(g["_start"]), list(g["mission_id_un"])
        m = month[hit]
        chosen = pd.Series(names[0], index=m.index, dtype="string")
        for s, n in zip(starts[1:], names[1:]):
            chosen = chosen.mask(m >= s, n)
        out[hit] = chosen
    return out


def _part_windows(missions: pd.DataFrame) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """Months each part of a combined entry can hold (:func:`resolve_parts`): from its list start
    month (unbounded for the first part) to the month before the next part starts (unbounded for
    the last)."""
    out = {}
    for _, g in parts_table(missions).groupby("mission_id_un_combined", sort=False):
        starts, names = list(g["_start"]), list(g["mission_id_un"])
        for i, n in enumerate(names):
            lo = starts[i] if i > 0 else pd.NaT
            hi = starts[i + 1] - pd.DateOffset(months=1) if i + 1 < len(names) else pd.NaT
            out[n] = (lo, hi)
    return out


def panel_missions(missions: pd.DataFrame) -> pd.DataFrame:
    """The UN PKOs that are units of the panels: every peacekeeping operation except the combined
    entries, which are replaced by their parts."""
    pk = missions[missions["is_peacekeeping"].fillna(False).astype(bool)]
    combined = set(parts_table(missions)["mission_id_un_combined"])
    return pk[~pk["mission_id_un"].isin(combined)]


def _months(frame: pd.DataFrame, kind: str, missions: pd.DataFrame) -> pd.DataFrame:
    d = frame["date"] if "date" in frame.columns else month_key(frame)
    d = pd.to_datetime(d).dt.to_period("M").dt.to_timestamp()
    ids = resolve_parts(frame["mission_id_un"], d, missions)
    return pd.DataFrame({"mission_id_un": ids.to_numpy(), "month": d.to_numpy(), "evidence": kind})


def _drop_excluded(ev: pd.DataFrame, exclusions: pd.DataFrame) -> pd.DataFrame:
    keep = pd.Series(True, index=ev.index)
    for x in exclusions.itertuples(index=False):
        hit = (
            (ev["mission_id_un"] == x.mission_id_un)
            & (ev["evidence"] == x.evidence)
            & ev["month"].between(x.month_from, x.month_to)
        )
        keep &= ~hit.fillna(False)
    return ev[keep]


def mission_spans(
    missions: pd.DataFrame,
    fatalities: pd.DataFrame,
    personnel: pd.DataFrame,
    mandates_monthly: pd.DataFrame | None,
    curated_mandates: pd.DataFrame | None,
    last_month: pd.Timestamp,
    exclusions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """First and last month of every UN PKO of the panels, from its evidence (module docstring).

    Parameters
    ----------
    missions, fatalities, personnel, mandates_monthly
        ``un_missions``, ``un_fatalities``, ``un_personnel_monthly``, ``mandates_monthly``
        (``None``: no mandate evidence).
    curated_mandates
        The curated mandates (termination resolutions), or ``None``.
    last_month
        Month start of the last month of the fatalities data (active missions end there).
    exclusions
        :func:`load_span_exclusions` (loaded when not given).

    Returns
    -------
    pandas.DataFrame
        One row per mission: ``mission_id_un``, ``mission_name``, ``list_start``,
        ``list_end`` (list dates; NA when not listed), ``listed_until`` (the last month the list
        accounts for: its end date, else the termination resolution's month or, for an active
        mission, the last month of the data; NA without a list start), ``span_start``,
        ``span_end`` (month starts), ``span_start_source``, ``span_end_source`` (the evidence of
        :data:`EVIDENCE`
        that set them; ties go to the earlier kind of that tuple). Missions with no evidence
        are absent.
    """
    exclusions = load_span_exclusions() if exclusions is None else exclusions
    units = panel_missions(missions)
    ev = [_months(fatalities, "fatalities", missions), _months(personnel, "personnel", missions)]
    if mandates_monthly is not None:
        ev.append(_months(mandates_monthly, "mandates", missions))
    evidence = _drop_excluded(pd.concat(ev, ignore_index=True), exclusions)
    evidence = evidence[evidence["mission_id_un"].isin(set(units["mission_id_un"]))]
    firsts = evidence.groupby(["mission_id_un", "evidence"])["month"].min()
    lasts = evidence.groupby(["mission_id_un", "evidence"])["month"].max()
    term = pd.Series(dtype="datetime64[ns]")
    if curated_mandates is not None:
        term = (
            curated_mandates[curated_mandates["resolution_type"] == "termination"]
            .groupby("mission_id_un")["mandate_until"]
            .max()
            .dropna()
        )
    windows = _part_windows(missions)
    rows = []
    for r in units.itertuples(index=False):
        mid = r.mission_id_un
        ls = r.date_start.to_period("M").to_timestamp() if pd.notna(r.date_start) else pd.NaT
        le = r.date_end.to_period("M").to_timestamp() if pd.notna(r.date_end) else pd.NaT
        starts = {"list": ls}
        ends = {"list": le}
        for kind in ("personnel", "mandates", "fatalities"):
            starts[kind] = firsts.get((mid, kind), pd.NaT)
            ends[kind] = lasts.get((mid, kind), pd.NaT)
        if mid in term.index:
            ends["termination"] = term[mid].to_period("M").to_timestamp()
        elif pd.isna(le) and pd.notna(r.is_active) and bool(r.is_active):
            ends["active"] = last_month
        start_src, start = _extreme(starts, latest=False)
        end_src, end = _extreme(ends, latest=True)
        if start_src is None or end_src is None:
            continue
        if mid in windows:  # a part of a combined entry: only the months resolved to it
            lo, hi = windows[mid]
            if pd.notna(lo) and start < lo:
                start, start_src = lo, "list"
            if pd.notna(hi) and end > hi:
                end, end_src = hi, "list"
            le = min(le, hi) if pd.notna(le) and pd.notna(hi) else le
        listed_until = le if pd.notna(le) else ends.get("termination", ends.get("active", pd.NaT))
        listed_until = listed_until if pd.notna(ls) else pd.NaT
        rows.append((mid, r.mission_name, ls, le, listed_until, start, end, start_src, end_src))
    out = pd.DataFrame(rows, columns=["mission_id_un", "mission_name", "list_start", "list_end",
                                      "listed_until", "span_start", "span_end", "span_start_source",
                                      "span_end_source"])
    for c in ("mission_id_un", "mission_name", "span_start_source", "span_end_source"):
        out[c] = out[c].astype("string")
    for c in ("list_start", "list_end", "listed_until", "span_start", "span_end"):
        out[c] = pd.to_datetime(out[c])
    return out.sort_values("mission_id_un").reset_index(drop=True)


def _extreme(dates: dict[str, pd.Timestamp], *, latest: bool) -> tuple[str | None, pd.Timestamp]:
    """The evidence kind with the earliest (or ``latest``) date; ties go to the kind that comes
    first in :data:`EVIDENCE`."""
    known = {k: v for k, v in dates.items() if pd.notna(v)}
    if not known:
        return None, pd.NaT
    best = max(known.values()) if latest else min(known.values())
    kind = next(k for k in EVIDENCE if k in known and known[k] == best)
    return kind, best



def is_span_extension(month: pd.Timestamp, list_start: pd.Timestamp, listed_until: pd.Timestamp) -> bool:
    """Whether ``month`` lies outside the months the UN list accounts for (``list_start`` to
    ``listed_until``, see :func:`mission_spans`): the mission is in the panel that month because
    of other evidence. Every month of a mission without list dates is an extension."""
    if pd.isna(list_start) or pd.isna(listed_until):
        return True
    return bool(month < list_start or month > listed_until)
