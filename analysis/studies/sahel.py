"""Sahel case study (notebook 06): deployments and violence by actor type.

Data preparation for ``notebooks/06_sahel_case_study``. Every function takes the frames it
needs and returns a frame; nothing here loads data. The frames are the core tables and
panels of :mod:`analysis.data` (``un_missions``, ``un_mission_hosts``, ``mission_months``,
``country_codes``, ``country_years``, ``ucdp_conflict_years``, ``ucdp_conflict_locations``,
``ucdp_country_years``, ``coups``) and the curated tables of :mod:`analysis.curated`
(``partner_operations``, ``jihadist_actors``).

Rules
-----
* Deployments (:func:`operations_timeline`). UN peacekeeping operations hosted by a
  selected state (``un_mission_hosts``, every host, not only the first) with the start and
  end dates of the UN list (``un_missions``); where the list gives no end date, the last
  month of the mission in ``mission_months`` (month precision; ``end_basis`` says so), or
  "ongoing" when the mission runs to the panel's last month. Non-UN operations come from the
  curated ``partner_operations`` table, one row per host state. A curated operation without
  a sourced start date is kept with ``is_dated`` False and ``dates_note`` "dates not
  sourced"; an empty end date is "ongoing at the source's date" when the curated note says
  ongoing, else "end not sourced". No date is ever invented: a plot draws open-ended bars
  to the window's edge and marks them as open.
* Jihadist actors. An actor is jihadist when the curated ``jihadist_actors`` table says so
  (``is_jihadist`` True: AQ and IS affiliates), not jihadist when it says False, unsettled
  when it is listed with an empty ``is_jihadist``, and not jihadist when it is not listed
  (the curated table lists every ACD actor that was considered as jihadist). A conflict-year
  or dyad is jihadist when any of its actors is jihadist, unsettled when none is but one is
  unsettled, not jihadist otherwise.
* Deaths by actor type (:func:`deaths_by_actor_type`). UCDP publishes deaths by country,
  year and type of violence, not by actor. The deaths of one type in a country-year are
  therefore attributed as a block: ``jihadist`` when every conflict (state-based: ACD
  conflicts located in the state) or dyad (non-state, one-sided: UCDP dyad names of the
  country-year) involves a jihadist actor; ``not_jihadist`` when none does; ``mixed`` when
  some do or an actor is unsettled (the deaths cannot be split); ``unattributed`` when
  there are deaths but no conflict or dyad to classify. Deaths are never split
  proportionally.
* Coups and coup risk: :mod:`analysis.studies.coups` (the coup list, predicted risks, their ranks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Literal, get_args

import numpy as np
import pandas as pd

from analysis.errors import require_columns
from analysis.vocabulary import VIOLENCE_TYPES, check_option

#: Default focus states (G-W): Mali, Burkina Faso, Niger, Chad.
FOCUS_COUNTRIES: tuple[int, ...] = (432, 439, 436, 483)
#: Default comparison states (G-W): Senegal, Guinea, Cote d'Ivoire, Mauritania, Ghana, Benin, Togo, Nigeria.
COMPARISON_COUNTRIES: tuple[int, ...] = (433, 438, 437, 435, 452, 434, 461, 475)
#: West African states (G-W) other than the focus states: ECOWAS members, Mauritania and Cameroon.
WEST_AFRICA: tuple[int, ...] = (433, 420, 404, 438, 437, 435, 450, 451, 452, 434, 461, 475, 402, 471)

#: Text shown for operations whose dates the curated table does not source.
DATES_NOT_SOURCED = "dates not sourced"
END_NOT_SOURCED = "end not sourced"
ONGOING_AT_SOURCE = "ongoing at the source's date"

ActorType = Literal["jihadist", "mixed", "not_jihadist", "unattributed"]
#: Attribution categories of :func:`deaths_by_actor_type` in plotting order.
ACTOR_TYPES: tuple[str, ...] = get_args(ActorType)

_TIMELINE_COLUMNS = [
    "country_id_gw",
    "operation_id",
    "label",
    "kind",
    "source",
    "date_start",
    "date_start_precision",
    "date_end",
    "date_end_precision",
    "end_basis",
    "end_status",
    "is_dated",
    "dates_note",
]


def _window(years: Sequence[int] | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    if years is None:
        return None
    lo, hi = (int(y) for y in years)
    if lo > hi:
        raise ValueError(f"years={list(years)!r}: the first year must not be after the last")
    return pd.Timestamp(lo, 1, 1), pd.Timestamp(hi, 12, 31)


# ----------------------------------------------------------------------------------------------------------
# Deployments
# ----------------------------------------------------------------------------------------------------------
def _un_rows(
    un_missions: pd.DataFrame, un_hosts: pd.DataFrame, mission_months: pd.DataFrame, countries: set[int]
) -> pd.DataFrame:
    require_columns(
        un_missions, ["mission_id_un", "is_peacekeeping", "date_start", "date_end"], "un_missions"
    )
    require_columns(un_hosts, ["mission_id_un", "country_id_gw"], "un_mission_hosts")
    require_columns(mission_months, ["mission_id_un", "date"], "mission_months")
    hosts = un_hosts.dropna(subset=["country_id_gw"])
    hosts = hosts[hosts["country_id_gw"].astype(int).isin(countries)][["mission_id_un", "country_id_gw"]]
    pk = un_missions[un_missions["is_peacekeeping"].fillna(False).astype(bool)]
    x = hosts.drop_duplicates().merge(pk, on="mission_id_un", how="inner")
    span = mission_months.groupby("mission_id_un")["date"].agg(["min", "max"])
    panel_last = mission_months["date"].max() if len(mission_months) else pd.NaT
    rows = []
    for r in x.itertuples(index=False):
        first = span["min"].get(r.mission_id_un, pd.NaT)
        last = span["max"].get(r.mission_id_un, pd.NaT)
        if pd.notna(r.date_start):
            start, sprec = r.date_start, "day"
        elif pd.notna(first):
            start, sprec = first, "month"
        else:
            start, sprec = pd.NaT, pd.NA
        if pd.notna(r.date_end):
            end, eprec, basis, status = r.date_end, "day", "un_missions", "ended"
        elif pd.notna(last) and last < panel_last:
            end, eprec, basis, status = last, "month", "mission_months (last month of the mission)", "ended"
        elif pd.notna(last):
            end, eprec, basis, status = pd.NaT, pd.NA, "mission_months (runs to the panel's end)", "ongoing"
        else:
            end, eprec, basis, status = pd.NaT, pd.NA, pd.NA, "not_sourced"
        rows.append(
            {
                "country_id_gw": int(r.country_id_gw),
                "operation_id": r.mission_id_un,
                "label": r.mission_id_un,
                "kind": "un_pko",
                "source": "un",
                "date_start": start,
                "date_start_precision": sprec,
                "date_end": end,
                "date_end_precision": eprec,
                "end_basis": basis,
                "end_status": status,
            }
        )
    return pd.DataFrame(rows, columns=[c for c in _TIMELINE_COLUMNS if c not in ("is_dated", "dates_note")])


def _curated_rows(
    partner_ops: pd.DataFrame, codes: pd.DataFrame, countries: set[int], ref_year: int
) -> pd.DataFrame:
    from analysis.core.countries import gw_from_iso3

    require_columns(
        partner_ops,
        [
            "operation_id",
            "acronym",
            "name",
            "org_type",
            "host_iso3",
            "date_start",
            "date_start_precision",
            "date_end",
            "date_end_precision",
            "note",
        ],
        "partner_operations",
    )
    rows = []
    for op in partner_ops.itertuples(index=False):
        if pd.isna(op.host_iso3):
            continue
        year = next((d.year for d in (op.date_start, op.date_end) if pd.notna(d)), ref_year)
        isos = [s.strip() for s in str(op.host_iso3).split(";") if s.strip()]
        gws = gw_from_iso3(pd.Series(isos, dtype="string"), pd.Series([year] * len(isos)), codes)
        note = "" if pd.isna(op.note) else str(op.note)
        if pd.notna(op.date_end):
            status, basis = "ended", "curated"
        elif re.search(r"\bongoing\b", note, flags=re.IGNORECASE):
            status, basis = "ongoing_at_source", "curated (note: ongoing)"
        else:
            status, basis = "not_sourced", "curated (no sourced end)"
        for gw in gws.dropna().astype(int):
            if gw not in countries:
                continue
            rows.append(
                {
                    "country_id_gw": int(gw),
                    "operation_id": op.operation_id,
                    "label": op.acronym if pd.notna(op.acronym) else op.name,
                    "kind": op.org_type,
                    "source": "curated",
                    "date_start": op.date_start,
                    "date_start_precision": op.date_start_precision,
                    "date_end": op.date_end,
                    "date_end_precision": op.date_end_precision,
                    "end_basis": basis,
                    "end_status": status,
                }
            )
    return pd.DataFrame(rows, columns=[c for c in _TIMELINE_COLUMNS if c not in ("is_dated", "dates_note")])


def operations_timeline(
    un_missions: pd.DataFrame,
    un_hosts: pd.DataFrame,
    mission_months: pd.DataFrame,
    partner_ops: pd.DataFrame,
    codes: pd.DataFrame,
    *,
    countries: Sequence[int],
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """UN and non-UN deployments in the selected states, one row per operation and host state.

    Parameters
    ----------
    un_missions, un_hosts, mission_months
        Core tables ``un_missions`` and ``un_mission_hosts`` and the ``mission_months`` panel.
    partner_ops
        Curated partner operations (:func:`analysis.curated.load_partner_operations`).
    codes
        ``country_codes`` (ISO3 -> G-W conversion of the curated hosts).
    countries
        G-W codes of the host states to keep.
    years
        ``(first, last)`` year window: operations that do not overlap it are dropped
        (undated operations are always kept). ``None`` keeps all.

    Returns
    -------
    pandas.DataFrame
        Columns ``country_id_gw``, ``operation_id``, ``label`` (acronym or name), ``kind``
        (:data:`OPERATION_KINDS`), ``source`` (``un`` or ``curated``), ``date_start``,
        ``date_start_precision``, ``date_end``, ``date_end_precision`` (``day``, ``month``,
        ``year`` or NA), ``end_basis`` (where the end comes from), ``end_status`` (``ended``,
        ``ongoing`` (UN, runs to the panel's end), ``ongoing_at_source`` (curated note says
        ongoing), ``not_sourced``), ``is_dated`` (a start date is known) and ``dates_note``
        (``"dates not sourced"``, ``"end not sourced"``, ``"ongoing at the source's date"``,
        ``"ongoing"`` or ``""``). Sorted by country (in the order given), start and label.
    """
    order = [int(c) for c in countries]
    cset = set(order)
    win = _window(years)
    ref_year = int(years[1]) if years is not None else pd.Timestamp.today().year
    parts = [
        _un_rows(un_missions, un_hosts, mission_months, cset),
        _curated_rows(partner_ops, codes, cset, ref_year),
    ]
    nonempty = [p for p in parts if len(p)]
    out = pd.concat(nonempty, ignore_index=True) if nonempty else parts[0]
    out["date_start"] = pd.to_datetime(out["date_start"]).astype("datetime64[ns]")
    out["date_end"] = pd.to_datetime(out["date_end"]).astype("datetime64[ns]")
    out["is_dated"] = out["date_start"].notna().astype(bool)
    note = np.select(
        [
            ~out["is_dated"],
            out["end_status"].eq("not_sourced"),
            out["end_status"].eq("ongoing_at_source"),
            out["end_status"].eq("ongoing"),
        ],
        [DATES_NOT_SOURCED, END_NOT_SOURCED, ONGOING_AT_SOURCE, "ongoing"],
        default="",
    )
    out["dates_note"] = pd.Series(note, index=out.index, dtype="string")
    if win is not None:
        lo, hi = win
        ends = out["date_end"].fillna(hi)
        keep = ~out["is_dated"] | ((out["date_start"] <= hi) & (ends >= lo))
        out = out[keep]
    for c in (
        "operation_id",
        "label",
        "kind",
        "source",
        "date_start_precision",
        "date_end_precision",
        "end_basis",
        "end_status",
    ):
        out[c] = out[c].astype("string")
    out["country_id_gw"] = out["country_id_gw"].astype("Int64")
    rank = {c: i for i, c in enumerate(order)}
    out = out.assign(_c=out["country_id_gw"].map(rank))
    out = out.sort_values(["_c", "date_start", "label"], na_position="last").drop(columns="_c")
    return out[_TIMELINE_COLUMNS].reset_index(drop=True)


def un_fatalities_by_year(
    mission_months: pd.DataFrame, missions: Iterable[str], *, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """Fatalities of UN peacekeepers by mission and year, hostile acts and all causes.

    Parameters
    ----------
    mission_months
        The ``mission_months`` panel.
    missions
        UN acronyms to keep (e.g. the UN rows of :func:`operations_timeline`).
    years
        ``(first, last)`` year window, or ``None`` for all.

    Returns
    -------
    pandas.DataFrame
        Columns ``mission_id_un``, ``year``, ``months_n`` (months of the mission in the
        panel that year), ``fatalities_hostile_n`` (malicious acts), ``fatalities_hostile_uniformed_n``
        and ``fatalities_n`` (all causes), persons; one row per mission-year in the panel.
    """
    cols = ["fatalities_hostile_n", "fatalities_hostile_uniformed_n", "fatalities_n"]
    require_columns(mission_months, ["mission_id_un", "year", *cols], "mission_months")
    mm = mission_months[mission_months["mission_id_un"].isin(list(missions))]
    if years is not None:
        mm = mm[mm["year"].between(int(years[0]), int(years[1]))]
    g = mm.groupby(["mission_id_un", "year"])
    out = g[cols].sum(min_count=1)
    out.insert(0, "months_n", g.size())
    out = out.reset_index()
    for c in ["year", "months_n", *cols]:
        out[c] = out[c].astype("Int64")
    return out


# ----------------------------------------------------------------------------------------------------------
# Violence by actor type
# ----------------------------------------------------------------------------------------------------------
def _actor_status(actors: pd.DataFrame) -> tuple[dict[str, object], dict[str, object]]:
    """Maps UCDP actor id (string) and actor name -> True / False / pd.NA (unsettled)."""
    require_columns(
        actors, ["ucdp_actor_id", "ucdp_name", "ucdp_name_v22_1", "is_jihadist"], "jihadist_actors"
    )
    by_id: dict[str, object] = {}
    by_name: dict[str, object] = {}
    for a in actors.itertuples(index=False):
        v = pd.NA if pd.isna(a.is_jihadist) else bool(a.is_jihadist)
        by_id[str(int(a.ucdp_actor_id))] = v
        for n in (a.ucdp_name, a.ucdp_name_v22_1):
            if pd.notna(n):
                by_name[str(n).strip()] = v
    return by_id, by_name


def _combine(values: Iterable[object]) -> object:
    """True if any True; else NA if any unsettled; else False (three-valued OR)."""
    vals = list(values)
    if any(v is True for v in vals):
        return True
    if any(v is pd.NA for v in vals):
        return pd.NA
    return False


def conflict_actor_years(
    acd: pd.DataFrame,
    locations: pd.DataFrame,
    actors: pd.DataFrame,
    *,
    countries: Sequence[int] | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """ACD conflicts located in each state and year, with a jihadist flag.

    Parameters
    ----------
    acd
        ``ucdp_conflict_years``.
    locations
        ``ucdp_conflict_locations`` (one row per conflict-year and location state).
    actors
        Curated jihadist actors (:func:`analysis.curated.load_jihadist_actors`).
    countries, years
        G-W codes and ``(first, last)`` years to keep (``None``: all).

    Returns
    -------
    pandas.DataFrame
        One row per (``country_id_gw``, ``year``, ``conflict_id``): ``side_a``, ``side_b``,
        ``incompatibility``, ``territory_name``, ``intensity_level`` (1 = 25-999 battle
        deaths in the conflict-year, 2 = 1,000+), ``type_of_conflict``, ``is_jihadist``
        (nullable boolean: a side includes a jihadist actor; NA = only unsettled actors),
        ``jihadist_actors`` and ``unsettled_actors`` (UCDP names, ``'; '``-joined; NA if
        none).
    """
    require_columns(
        acd,
        [
            "conflict_id",
            "year",
            "side_a",
            "side_a_id",
            "side_b",
            "side_b_id",
            "incompatibility",
            "territory_name",
            "intensity_level",
            "type_of_conflict",
        ],
        "ucdp_conflict_years",
    )
    require_columns(locations, ["conflict_id", "year", "country_id_gw"], "ucdp_conflict_locations")
    by_id, _ = _actor_status(actors)
    names = dict(zip(actors["ucdp_actor_id"].astype(int).astype(str), actors["ucdp_name"]))
    loc = locations[["conflict_id", "year", "country_id_gw"]]
    if countries is not None:
        loc = loc[loc["country_id_gw"].isin([int(c) for c in countries])]
    if years is not None:
        loc = loc[loc["year"].between(int(years[0]), int(years[1]))]
    x = loc.merge(acd, on=["conflict_id", "year"], how="left")
    flags, jih, unset = [], [], []
    for a_ids, b_ids in zip(x["side_a_id"], x["side_b_id"]):
        ids = [i.strip() for s in (a_ids, b_ids) if pd.notna(s) for i in str(s).split(",") if i.strip()]
        st = [by_id.get(i, False) for i in ids]
        flags.append(_combine(st))
        j = [names[i] for i, v in zip(ids, st) if v is True]
        u = [names[i] for i, v in zip(ids, st) if v is pd.NA]
        jih.append("; ".join(j) if j else pd.NA)
        unset.append("; ".join(u) if u else pd.NA)
    x["is_jihadist"] = pd.array(flags, dtype="boolean")
    x["jihadist_actors"] = pd.array(jih, dtype="string")
    x["unsettled_actors"] = pd.array(unset, dtype="string")
    cols = [
        "country_id_gw",
        "year",
        "conflict_id",
        "side_a",
        "side_b",
        "incompatibility",
        "territory_name",
        "intensity_level",
        "type_of_conflict",
        "is_jihadist",
        "jihadist_actors",
        "unsettled_actors",
    ]
    return x[cols].sort_values(["country_id_gw", "year", "conflict_id"]).reset_index(drop=True)


def _split_actors(dyad: str, known: Sequence[str]) -> list[str]:
    """Actor names of one UCDP dyad name ``'A, B - C'``; the ``known`` names that contain a
    separator themselves (e.g. ``'EIJM - AS'``) are kept whole."""
    text = dyad.strip()
    kept: list[str] = []
    for name in known:
        pat = re.compile(rf"(^|, | - ){re.escape(name)}(?=$|, | - )")
        if pat.search(text):
            kept.append(name)
            text = pat.sub(lambda m: f"{m.group(1)}\x00{len(kept) - 1}\x00", text)
    out = []
    for side in text.split(" - "):
        for part in side.split(", "):
            part = part.strip()
            m = re.fullmatch("\x00(\\d+)\x00", part)
            if m:
                out.append(kept[int(m.group(1))])
            elif part:
                out.append(part)
    return out


def dyad_actor_years(
    ucdp_cy: pd.DataFrame,
    actors: pd.DataFrame,
    *,
    countries: Sequence[int] | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Classify the UCDP dyads of each country-year and type of violence by actor type.

    Parameters
    ----------
    ucdp_cy
        ``ucdp_country_years`` (columns ``dyad_names_state_based``, ``dyad_names_non_state``,
        ``dyad_names_one_sided``: ``'; '``-separated dyad names ``'A - B'``).
    actors
        Curated jihadist actors; matched on the UCDP names (v25.1 and v22.1 spellings).
    countries, years
        G-W codes and ``(first, last)`` years to keep (``None``: all).

    Returns
    -------
    pandas.DataFrame
        One row per (``country_id_gw``, ``year``, ``violence_type``): ``dyads_n``,
        ``jihadist_dyads_n`` (a jihadist actor on either side), ``unsettled_dyads_n`` (an
        unsettled actor and no jihadist one), ``actor_type`` (``jihadist`` = every dyad,
        ``not_jihadist`` = none, ``mixed`` = some or unsettled, NA = no dyad) and
        ``unlisted_actors``: names that are neither a government, ``Civilians`` nor in the
        curated table (counted as not jihadist; shown so a reader can check them).
    """
    require_columns(
        ucdp_cy, ["country_id_gw", "year"] + [f"dyad_names_{v}" for v in VIOLENCE_TYPES], "ucdp_country_years"
    )
    _, by_name = _actor_status(actors)
    multi = sorted((n for n in by_name if " - " in n or ", " in n), key=len, reverse=True)
    u = ucdp_cy
    if countries is not None:
        u = u[u["country_id_gw"].isin([int(c) for c in countries])]
    if years is not None:
        u = u[u["year"].between(int(years[0]), int(years[1]))]
    rows = []
    for r in u.itertuples(index=False):
        for v in VIOLENCE_TYPES:
            raw = getattr(r, f"dyad_names_{v}")
            dyads = [d.strip() for d in str(raw).split(";") if d.strip()] if pd.notna(raw) else []
            n_j = n_u = 0
            unlisted: list[str] = []
            for d in dyads:
                names = _split_actors(d, multi)
                st = [by_name.get(n, False) for n in names]
                c = _combine(st)
                n_j += c is True
                n_u += c is pd.NA
                unlisted += [
                    n
                    for n in names
                    if n not in by_name
                    and n != "Civilians"
                    and not n.startswith("Government of")
                    and n not in unlisted
                ]
            if not dyads:
                kind = pd.NA
            elif n_j == len(dyads):
                kind = "jihadist"
            elif n_j == 0 and n_u == 0:
                kind = "not_jihadist"
            else:
                kind = "mixed"
            rows.append(
                (
                    int(r.country_id_gw),
                    int(r.year),
                    v,
                    len(dyads),
                    n_j,
                    n_u,
                    kind,
                    "; ".join(unlisted) if unlisted else pd.NA,
                )
            )
    out = pd.DataFrame(
        rows,
        columns=[
            "country_id_gw",
            "year",
            "violence_type",
            "dyads_n",
            "jihadist_dyads_n",
            "unsettled_dyads_n",
            "actor_type",
            "unlisted_actors",
        ],
    )
    for c in ("country_id_gw", "year", "dyads_n", "jihadist_dyads_n", "unsettled_dyads_n"):
        out[c] = out[c].astype("Int64")
    for c in ("violence_type", "actor_type", "unlisted_actors"):
        out[c] = out[c].astype("string")
    return out


def _class_of_conflicts(conflicts: pd.DataFrame) -> pd.DataFrame:
    g = conflicts.groupby(["country_id_gw", "year"])["is_jihadist"]
    n = g.size().rename("n")
    j = g.apply(lambda s: int(s.eq(True).fillna(False).sum())).rename("j")
    un = g.apply(lambda s: int(s.isna().sum())).rename("u")
    x = pd.concat([n, j, un], axis=1).reset_index()
    x["actor_type"] = np.select(
        [x["j"].eq(x["n"]), x["j"].eq(0) & x["u"].eq(0)], ["jihadist", "not_jihadist"], default="mixed"
    )
    return x[["country_id_gw", "year", "actor_type"]].assign(violence_type="state_based")


def deaths_by_actor_type(
    cy: pd.DataFrame,
    conflicts: pd.DataFrame,
    dyads: pd.DataFrame,
    *,
    countries: Sequence[int] | None = None,
    years: Sequence[int] | None = None,
    state_based_basis: Literal["acd", "dyads"] = "acd",
) -> pd.DataFrame:
    """UCDP deaths by country-year, type of violence and actor type (attributed as blocks).

    Parameters
    ----------
    cy
        ``country_years`` panel (``deaths_state_based_n``, ``deaths_non_state_n``,
        ``deaths_one_sided_n``: UCDP best estimates, NA outside 1989-2024).
    conflicts
        :func:`conflict_actor_years` (classifies state-based deaths when
        ``state_based_basis="acd"``).
    dyads
        :func:`dyad_actor_years` (classifies non-state and one-sided deaths, and state-based
        deaths when ``state_based_basis="dyads"``).
    countries, years
        G-W codes and ``(first, last)`` years to keep (``None``: all).
    state_based_basis
        ``"acd"`` (default): the ACD conflicts located in the state; ``"dyads"``: the
        state-based dyads UCDP lists for the country-year.

    Returns
    -------
    pandas.DataFrame
        Long frame, one row per (``country_id_gw``, ``year``, ``violence_type``):
        ``actor_type`` (``jihadist``, ``mixed``, ``not_jihadist``, ``unattributed``; NA when
        there are no deaths) and ``deaths_n`` (Float64, persons; NA where UCDP has no value).
        Rule in the module docstring: all deaths of one type in a country-year go to one
        category.
    """
    check_option("state_based_basis", state_based_basis, ("acd", "dyads"))
    death_cols = {v: f"deaths_{v}_n" for v in VIOLENCE_TYPES}
    require_columns(cy, ["country_id_gw", "year", *death_cols.values()], "country_years")
    c = cy[["country_id_gw", "year", *death_cols.values()]]
    if countries is not None:
        c = c[c["country_id_gw"].isin([int(x) for x in countries])]
    if years is not None:
        c = c[c["year"].between(int(years[0]), int(years[1]))]
    long = c.melt(id_vars=["country_id_gw", "year"], var_name="violence_type", value_name="deaths_n")
    long["violence_type"] = long["violence_type"].map({v: k for k, v in death_cols.items()})
    dy = dyads[["country_id_gw", "year", "violence_type", "actor_type"]]
    if state_based_basis == "acd":
        cls = pd.concat(
            [_class_of_conflicts(conflicts), dy[dy["violence_type"] != "state_based"]], ignore_index=True
        )
    else:
        cls = dy
    cls = cls.dropna(subset=["actor_type"])
    cls = cls.astype({"country_id_gw": "Int64", "year": "Int64", "violence_type": "string"})
    long = long.astype({"country_id_gw": "Int64", "year": "Int64", "violence_type": "string"})
    out = long.merge(cls, on=["country_id_gw", "year", "violence_type"], how="left")
    d = out["deaths_n"].astype("Float64")
    has_deaths = d.fillna(0).gt(0)
    at = out["actor_type"].astype("string")
    at = at.where(~has_deaths | at.notna(), "unattributed")
    out["actor_type"] = at.where(has_deaths)
    out["deaths_n"] = d
    out = out.sort_values(["country_id_gw", "year", "violence_type"]).reset_index(drop=True)
    return out[["country_id_gw", "year", "violence_type", "actor_type", "deaths_n"]]


def deaths_wide(deaths: pd.DataFrame) -> pd.DataFrame:
    """:func:`deaths_by_actor_type` as one row per country-year and one column per
    ``<violence_type>__<actor_type>`` (deaths, 0 where none of that category), in plotting order.

    Country-years where UCDP has no value for a violence type keep NA in that type's columns.
    """
    d = deaths.copy()
    cols = [f"{v}__{a}" for v in VIOLENCE_TYPES for a in ACTOR_TYPES]
    d["col"] = d["violence_type"].astype(str) + "__" + d["actor_type"].astype("string").fillna("none")
    wide = d.pivot_table(
        index=["country_id_gw", "year"], columns="col", values="deaths_n", aggfunc="sum", dropna=False
    ).reindex(columns=cols)
    wide = wide.astype("Float64").fillna(0.0)
    na = deaths[deaths["deaths_n"].isna()]
    for r in na.itertuples(index=False):
        key = (r.country_id_gw, r.year)
        if key in wide.index:
            wide.loc[key, [c for c in cols if c.startswith(f"{r.violence_type}__")]] = pd.NA
    wide.columns.name = None
    return wide.reset_index()


def country_names(codes: pd.DataFrame) -> dict[int, str]:
    """G-W code -> the state's name in its latest year in ``country_codes``, without the
    parenthesised former name (e.g. 'Burkina Faso (Upper Volta)' -> 'Burkina Faso')."""
    require_columns(codes, ["country_id_gw", "year", "country_name"], "country_codes")
    last = codes.sort_values("year").drop_duplicates("country_id_gw", keep="last")
    return {
        int(g): re.sub(r"\s*\(.*\)\s*$", "", str(n))
        for g, n in zip(last["country_id_gw"], last["country_name"])
    }
