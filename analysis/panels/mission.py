"""Mission panels: ``mission_months`` and ``mission_years`` of UN peacekeeping operations.

Verbs
-----
``mission_months`` is :func:`create_mission_months` (the backbone with its host countries)
followed by :func:`add_fatalities`, :func:`add_personnel`, :func:`add_mandates`,
:func:`add_host_nonun_operations` and :func:`add_host_conflict`; each verb is a left join that keeps the
backbone's rows (:func:`analysis.panels.join.enrich`) and can be called on a subset of missions or
months. Frames not given are loaded (:func:`analysis.data.load`, :mod:`analysis.curated`).

Backbone
--------
One row per UN peacekeeping operation (``un_missions.is_peacekeeping``) and calendar month
of its span (:mod:`analysis.panels.spans`), from ``max(span start, January of FIRST_YEAR)``
(1990, :mod:`analysis.panels.coverage`) to ``min(span end, last month of the fatalities data)``.
A mission spans from its earliest to its latest evidence - UN list dates, Kathman personnel
months, UN fatality records, PEMA/TAMM mandate months, a curated termination resolution, or
"active" in the list - except the evidence listed with a reason in
``analysis/panels/span_exclusions.csv``; ``span_start_source`` / ``span_end_source`` say which
evidence set each end and ``is_span_extension`` marks the months outside the list dates. The
UN list's combined entries (UNEF, UNAVEM, UNOSOM), under which the fatalities file and Kathman
record their parts, are resolved to the parts by date (UNAVEM I-III, UNOSOM I-II), so each part
is its own mission with its own hosts and mandate codings.

Fill rules (coverage is sacred)
-------------------------------
The years below are the registry's, as :mod:`analysis.panels.coverage` reads them.

* Fatalities: the UN file covers 1948-07 to its last month, every mission and month, so a
  month without a recorded death is **0** (absence means zero inside coverage).
* Personnel (Kathman 1990-01 to 2019-12): NA outside, and NA where Kathman is missing.
  After 2019 a curated *deployed* figure fills ``personnel_total_n`` in the month it refers
  to (``personnel_source == "curated"``); no value is carried forward.
* Mandates: the Security Council's own texts first - ``sc_mandates_monthly``, the mandate in
  force per month (text coding of the latest mandate resolution of 2000-2025 adopted by the end
  of the month; PEMA/TAMM where the governing resolution predates 2000; see
  :mod:`analysis.core.mandate_months`) - then, where it has no value (missions outside
  ``sc_missions.yaml`` such as UNGCI, MICAH, UNSMA), the previous definition: ``mandates_monthly``
  (PEMA v2, PEMA v1.2, TAMM; to 2019-12), then the curated resolution in force (2016 onward).
  ``<concept>_source`` names the source (``text``, ``text_inherited``, ``pema_v2``, ...,
  ``curated``). ``<concept>_prev`` / ``is_robust_mandate_prev`` keep the previous definition whole.
  ``<concept>_filled`` additionally carries the last known value of the same mission forward
  over NA months, and ``<concept>_filled_source`` says ``carried_forward`` where it did: the
  notebooks choose. New text concepts: ``has_ct_pve_language``, ``has_stabilisation_mandate``,
  ``has_partnership_<kind>`` (regional, ad_hoc, bilateral, eu), authorised ceilings
  ``personnel_*_authorized_n`` / ``personnel_authorized_n`` (never mixed with deployed counts).
* Partnership: Bara & Hultman non-UN operations (1993-01 to 2016-12, every host) and the
  curated partner operations (2000-01 to 2024-12, African hosts only). Outside a source's
  coverage its column is NA; the combined ``has_partner_op`` is True when any covering source
  has an operation, False when every covering source has none, NA when none covers.
* Host conflict: UCDP country-year deaths of the host countries (1989-2024, summed over
  hosts; NA if any host is missing); jihadist conflict from ACD 25.1 (1946-2024) and the
  curated jihadist actors. A host that is not yet a G-W state is represented by its
  predecessor (``analysis/panels/host_predecessors.csv``: Kosovo before 2008 -> Serbia 345,
  East Timor before 2002 -> Indonesia 850; ``is_host_predecessor``), counted once when the
  mission's hosts then coincide.

Robust mandate
--------------
``is_robust_mandate`` = Chapter VII **and** protection of civilians (three-valued logic: False
if either is False, NA if unknown). ``robust_mandate_index`` = number of True among
``is_chapter_vii``, ``has_poc_mandate``, ``has_use_of_force``, ``has_offensive_mandate``
(0-4; NA when none is coded), with ``robust_mandate_index_coded_n`` the number of components
coded, so users can restrict to fully coded months.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis import curated
from analysis.core import mandate_ceiling_months, mandate_months
from analysis.data.tables import table
from analysis.errors import BuildError, require_columns
from analysis.panels.coverage import (
    ACD_YEARS,
    FIRST_YEAR,
    NONUN_YEARS,
    PARTNER_OPERATIONS_YEARS,
    UCDP_DEATHS_YEARS,
)
from analysis.panels.hosts import (
    host_state_years,
    jihadist_conflict_years,
    mask_undated,
    partners_by_country_month,
    undated_partner_months,
)
from analysis.panels.join import (
    enrich,
    first_label,
    kleene_any,
    kleene_or_covered,
    month_key,
    months_between,
)
from analysis.panels.schemas import (
    MISSION_MONTHS_KEY,
    MISSION_YEARS_KEY,
    SCHEMA_MISSION_MONTHS,
    SCHEMA_MISSION_YEARS,
    TEXT_CONCEPTS,
)
from analysis.panels.spans import is_span_extension, mission_spans, resolve_parts
from analysis.vocabulary import (
    AFRICA,
    CAUSES,
    MANDATE_CONCEPTS,
    PARTNER_TYPES,
    PERSONNEL_TYPES,
    UNIFORMED_PERSONNEL,
    host_region,
    mission_region,
)

#: First month of the panel (design: the analysis period starts in FIRST_YEAR).
PANEL_START = pd.Timestamp(FIRST_YEAR, 1, 1)

_KEY = MISSION_MONTHS_KEY


def _frame(frame: pd.DataFrame | None, name: str) -> pd.DataFrame:
    """``frame``, or the table ``name`` loaded from the data layer when not given."""
    if frame is not None:
        return frame
    from analysis.data import load

    return load(name)


def _backbone(
    missions: pd.DataFrame,
    fatalities: pd.DataFrame,
    personnel: pd.DataFrame,
    mandates_monthly: pd.DataFrame | None,
    cur_mandates: pd.DataFrame,
) -> pd.DataFrame:
    last_month = fatalities["date"].max().to_period("M").to_timestamp()
    spans = mission_spans(missions, fatalities, personnel, mandates_monthly, cur_mandates, last_month)
    rows = []
    for r in spans.itertuples(index=False):
        start, end = max(r.span_start, PANEL_START), min(r.span_end, last_month)
        if start > end:
            continue
        for d in months_between(start, end):
            rows.append((r.mission_id_un, d, r.list_start if pd.notna(r.list_start) else r.span_start,
                         r.mission_name, r.span_start_source, r.span_end_source,
                         is_span_extension(d, r.list_start, r.listed_until)))
    bb = pd.DataFrame(rows, columns=["mission_id_un", "date", "mission_start", "mission_name",
                                     "span_start_source", "span_end_source", "is_span_extension"])
    bb["year"] = bb["date"].dt.year.astype("Int64")
    bb["month"] = bb["date"].dt.month.astype("Int64")
    bb["mission_age_months"] = (
        (bb["date"].dt.year - bb["mission_start"].dt.year) * 12
        + bb["date"].dt.month
        - bb["mission_start"].dt.month
    ).astype("Int64")
    for c in ("mission_id_un", "mission_name", "span_start_source", "span_end_source"):
        bb[c] = bb[c].astype("string")
    bb["is_span_extension"] = bb["is_span_extension"].astype("boolean")
    return bb.drop(columns="mission_start")


def _fatalities(fat: pd.DataFrame, missions: pd.DataFrame) -> pd.DataFrame:
    f = fat.assign(mission_id_un=resolve_parts(fat["mission_id_un"], fat["date"], missions))
    wide = []
    by_cause = pd.crosstab([f["mission_id_un"], f["year"], f["month"]], f["cause"])
    wide.append(
        by_cause.reindex(columns=list(CAUSES), fill_value=0).add_prefix("fatalities_").add_suffix("_n")
    )
    ptype = f["personnel_type"].map(PERSONNEL_TYPES).fillna("other_type")
    by_type = pd.crosstab([f["mission_id_un"], f["year"], f["month"]], ptype)
    wide.append(
        by_type.reindex(columns=list(dict.fromkeys(PERSONNEL_TYPES.values())), fill_value=0)
        .add_prefix("fatalities_")
        .add_suffix("_n")
    )
    hostile_mil = f[(f["cause"] == "hostile") & f["personnel_type"].isin(UNIFORMED_PERSONNEL)]
    wide.append(
        hostile_mil.groupby(["mission_id_un", "year", "month"])
        .size()
        .rename("fatalities_hostile_uniformed_n")
        .to_frame()
    )
    out = pd.concat(wide, axis=1).fillna(0)
    out["fatalities_n"] = out[[f"fatalities_{c}_n" for c in CAUSES]].sum(axis=1)
    out = out.astype("Int64").reset_index()
    out["mission_id_un"] = out["mission_id_un"].astype("string")
    out["year"] = out["year"].astype("Int64")
    out["month"] = out["month"].astype("Int64")
    return out


def _personnel(
    pers: pd.DataFrame, cur_pers: pd.DataFrame, bb: pd.DataFrame, missions: pd.DataFrame
) -> pd.DataFrame:
    p = pers.assign(mission_id_un=resolve_parts(pers["mission_id_un"], month_key(pers), missions))
    cols = ["troops_n", "police_n", "observers_n", "personnel_total_n"]
    p = p.groupby(_KEY, as_index=False)[cols].sum(min_count=1)
    out = enrich(bb[_KEY], p, _KEY, "kathman personnel")
    out["personnel_source"] = first_label(out.index, [out["personnel_total_n"].notna()], ["kathman"])
    out = interpolate_single_gaps(out, cols)
    dep = cur_pers[cur_pers["figure_type"] == "deployed"].dropna(subset=["personnel_total_n"])
    dep = dep.assign(year=dep["date"].dt.year.astype("Int64"), month=dep["date"].dt.month.astype("Int64"))
    dep = dep.groupby(_KEY, as_index=False)["personnel_total_n"].last()
    out = enrich(out, dep.rename(columns={"personnel_total_n": "_cur"}), _KEY, "curated personnel")
    fill = out["personnel_total_n"].isna() & out["_cur"].notna()
    out.loc[fill, "personnel_total_n"] = out.loc[fill, "_cur"]
    out.loc[fill, "personnel_source"] = "curated"
    for c in cols:
        out[c] = out[c].astype("Float64")
    return out.drop(columns="_cur")


def interpolate_single_gaps(out: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Fill a **single** missing Kathman month between two known months of the same mission with
    the mean of its neighbours (linear interpolation), for each of ``cols``; flag it in
    ``is_personnel_interpolated`` and ``personnel_source = "interpolated"``. Longer gaps stay NA
    (Kathman's 1992-05..07, for instance); nothing is carried forward. Kathman misses every
    mission in 2014-09 and 2017-07: without this, their deaths would leave the rate models."""
    out = out.sort_values(_KEY).copy()
    month = (out["year"].astype(int) * 12 + out["month"].astype(int)).to_numpy()
    same_prev = (out["mission_id_un"] == out["mission_id_un"].shift(1)).to_numpy() & (
        month - pd.Series(month).shift(1).to_numpy() == 1)
    same_next = (out["mission_id_un"] == out["mission_id_un"].shift(-1)).to_numpy() & (
        pd.Series(month).shift(-1).to_numpy() - month == 1)
    tot = out["personnel_total_n"].astype("Float64")
    gap = (tot.isna() & tot.shift(1).notna() & tot.shift(-1).notna()).to_numpy(dtype=bool)
    gap = gap & same_prev & same_next
    for c in cols:
        s = out[c].astype("Float64")
        mid = (s.shift(1) + s.shift(-1)) / 2
        out[c] = s.mask(pd.Series(gap, index=out.index) & s.isna(), mid)
    out["is_personnel_interpolated"] = pd.array(gap, dtype="boolean")
    out.loc[gap, "personnel_source"] = "interpolated"
    return out.sort_index()


#: Exact adoption dates that the curated table's notes hold for rows stored at year or month
#: precision ("adoption date per memory: 2018-11-15", "per PEMA (...): 2016-04-26",
#: "press-release page date 2022-12-22").
_NOTE_DATE = r"(?:adoption date[^:;]*:|press-release page date)\s*(\d{4}-\d{2}-\d{2})"


def effective_adoption_dates(cur: pd.DataFrame) -> pd.Series:
    """The date from which each curated resolution governs: its adoption date where it is known to
    the day; else the exact date its ``note`` holds, when that date lies in the stored year (or
    month); else - only the year (or month) known - the first day after that year (or month)."""
    date = cur["adoption_date"].copy()
    prec = cur["adoption_date_precision"]
    coarse = prec.isin(["year", "month"]) & date.notna()
    if "note" in cur.columns:
        noted = pd.to_datetime(cur["note"].astype("string").str.extract(_NOTE_DATE, expand=False),
                               errors="coerce")
        same = ((noted.dt.year == date.dt.year)
                & ((prec == "year") | (noted.dt.month == date.dt.month))).fillna(False)
        use = coarse & noted.notna() & same
        date[use] = noted[use]
        coarse &= ~use
    yr, mo = coarse & (prec == "year"), coarse & (prec == "month")
    date[yr] = date[yr] + pd.offsets.YearBegin(1)
    date[mo] = date[mo] + pd.offsets.MonthBegin(1)
    return date


def curated_in_force(cur: pd.DataFrame, bb: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """For each backbone month, the values of the curated resolution governing the mission.

    The governing resolution is the **highest-numbered** (i.e. the latest: resolution numbers are
    chronological) of the mission's own mandating resolutions that is in force by the end of the
    month, from :func:`effective_adoption_dates` (exact dates, including those held in notes). A
    resolution whose date is uncertain can therefore never override a later-numbered one.
    ``related`` resolutions (support to partner forces, e.g. S/RES/2391 on the G5 Sahel Joint
    Force) do not set the mission's mandate.
    """
    res = cur[cur["resolution_type"] != "related"].dropna(subset=["adoption_date"]).copy()
    res["adoption_date"] = effective_adoption_dates(res)
    res["_month"] = res["adoption_date"].dt.to_period("M").dt.to_timestamp()
    res["_number"] = res["resolution"].astype(str).str.extract(r"(\d+)", expand=False).astype(int)
    res = res.sort_values(["mission_id_un", "_month", "_number"]).reset_index(drop=True)
    # the highest number in force so far: each month takes the running maximum's row
    best = res.groupby("mission_id_un")["_number"].cummax()
    row_of = {(m, n): i for i, (m, n) in enumerate(zip(res["mission_id_un"], res["_number"]))}
    governing = [row_of[(m, n)] for m, n in zip(res["mission_id_un"], best)]
    months = res["_month"].to_numpy()
    res = res.loc[governing, ["mission_id_un", "resolution", *columns]].assign(_month=months)
    res = res.groupby(["mission_id_un", "_month"], as_index=False).last()
    left = bb[_KEY].assign(_month=month_key(bb)).sort_values("_month")
    right = res[["mission_id_un", "_month", "resolution", *columns]].sort_values("_month")
    left["mission_id_un"] = left["mission_id_un"].astype(str)
    right["mission_id_un"] = right["mission_id_un"].astype(str)
    merged = pd.merge_asof(left, right, on="_month", by="mission_id_un", direction="backward")
    merged["mission_id_un"] = merged["mission_id_un"].astype("string")
    return merged.drop(columns="_month")


def _mandates_prev(
    mm: pd.DataFrame, cur: pd.DataFrame, bb: pd.DataFrame, missions: pd.DataFrame
) -> pd.DataFrame:
    """The previous definition: mandates_monthly (PEMA/TAMM) then the curated resolution in force."""
    m = mm.assign(mission_id_un=resolve_parts(mm["mission_id_un"], month_key(mm), missions))
    coop = [c for c in m.columns if c.startswith("has_partner_coop_")]
    keep = _KEY + list(MANDATE_CONCEPTS) + [f"{c}_source" for c in MANDATE_CONCEPTS] + coop
    m = m[keep].sort_values(_KEY).groupby(_KEY, as_index=False).last()
    out = enrich(bb[_KEY], m, _KEY, "mandates_monthly")
    cur_cols = {
        "is_chapter_vii": "is_chapter_vii",
        "has_poc_mandate": "has_poc_mandate",
        "has_use_of_force": "has_all_necessary_means",
        "has_offensive_mandate": "has_offensive_mandate",
    }
    ci = curated_in_force(cur, bb, [*set(cur_cols.values()), "has_partnership_language"])
    ci = ci.rename(columns={v: f"_cur_{v}" for v in [*set(cur_cols.values()), "has_partnership_language"]})
    out = enrich(out, ci.rename(columns={"resolution": "curated_resolution"}), _KEY, "curated mandates")
    for concept, ccol in cur_cols.items():
        val = out[concept].astype("boolean")
        src = out[f"{concept}_source"].astype("string")
        fill = val.isna() & out[f"_cur_{ccol}"].notna()
        val[fill] = out.loc[fill, f"_cur_{ccol}"].astype("boolean")
        src[fill] = "curated"
        out[concept], out[f"{concept}_source"] = val, src
    tamm_coop = kleene_any(out[coop]) if coop else pd.Series(pd.NA, index=out.index, dtype="boolean")
    lang = out["_cur_has_partnership_language"].astype("boolean")
    out["has_partnership_language"] = tamm_coop.where(tamm_coop.notna(), lang).astype("boolean")
    out["has_partnership_language_source"] = first_label(
        out.index, [tamm_coop.notna(), lang.notna()], ["tamm", "curated"]
    )
    comp = out[list(MANDATE_CONCEPTS)].astype("boolean")
    out["is_robust_mandate"] = (comp["is_chapter_vii"] & comp["has_poc_mandate"]).astype("boolean")
    return out.drop(columns=[c for c in out.columns if c.startswith("_cur_")] + coop)


def _mandates(mm: pd.DataFrame, cur: pd.DataFrame, text: pd.DataFrame, bb: pd.DataFrame,
              missions: pd.DataFrame) -> pd.DataFrame:
    """Mandate columns: the Security Council's texts first (``sc_mandates_monthly``), the previous
    definition (PEMA/TAMM, then curated) where the text table has no value; ``*_prev`` keep the
    previous definition whole (notebook 02 shows old vs new)."""
    prev = _mandates_prev(mm, cur, bb, missions)
    out = prev[_KEY + ["curated_resolution"]].copy()
    for c in [*MANDATE_CONCEPTS, "has_partnership_language"]:
        out[f"{c}_prev"] = prev[c].astype("boolean")
        out[f"{c}_prev_source"] = prev[f"{c}_source"].astype("string")
    out["is_robust_mandate_prev"] = prev["is_robust_mandate"].astype("boolean")
    w = mandate_months.wide(text)
    w = w[w["mission_id_un"].isin(bb["mission_id_un"].unique())]
    keep = [c for c in w.columns if c in _KEY or c == "mandate_resolution" or
            any(c == k or c == f"{k}_source" for k in TEXT_CONCEPTS)]
    out = enrich(out, w[keep], _KEY, "sc_mandates_monthly")
    for c in [*MANDATE_CONCEPTS, "has_partnership_language"]:
        val, src = out[c].astype("boolean"), out[f"{c}_source"].astype("string")
        fill = val.isna() & out[f"{c}_prev"].notna()
        val[fill] = out.loc[fill, f"{c}_prev"]
        src[fill] = out.loc[fill, f"{c}_prev_source"]
        out[c], out[f"{c}_source"] = val.astype("boolean"), src.astype("string")
    for c in MANDATE_CONCEPTS:
        filled, fsrc = out[c].astype("boolean").copy(), out[f"{c}_source"].copy()
        carried = filled.groupby(out["mission_id_un"]).ffill()
        newly = filled.isna() & carried.notna()
        filled[newly] = carried[newly]
        fsrc[newly] = "carried_forward"
        out[f"{c}_filled"], out[f"{c}_filled_source"] = filled.astype("boolean"), fsrc.astype("string")
    out["personnel_authorized_n"] = out["personnel_authorized_n"].astype("Float64")
    out["personnel_authorized_source"] = mandate_ceiling_months.basis_of(
        out["mission_id_un"], out["personnel_authorized_n"]
    )
    comp = out[list(MANDATE_CONCEPTS)].astype("boolean")
    out["robust_mandate_index_coded_n"] = comp.notna().sum(axis=1).astype("Int64")
    idx = comp.fillna(False).astype(int).sum(axis=1).astype("Int64")
    out["robust_mandate_index"] = idx.mask(out["robust_mandate_index_coded_n"] == 0)
    out["is_robust_mandate"] = (comp["is_chapter_vii"] & comp["has_poc_mandate"]).astype("boolean")
    return out.drop(
        columns=["personnel_military_authorized_n_source", "personnel_police_authorized_n_source",
                 "personnel_authorized_n_source"]
    )


def _hosts(hosts: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    h = hosts.dropna(subset=["country_id_gw"]).drop_duplicates(["mission_id_un", "country_id_gw"])
    africa = codes.groupby("country_id_gw")["is_africa"].max()
    h = h.assign(is_africa=h["country_id_gw"].map(africa).astype("boolean"))
    return h[["mission_id_un", "country_id_gw", "country_id_iso3", "region", "is_africa"]]


def _partnership(
    bb: pd.DataFrame, mh: pd.DataFrame, bara: pd.DataFrame, partner_ops: pd.DataFrame, codes: pd.DataFrame
) -> pd.DataFrame:
    bara_pairs, cur = partners_by_country_month(bara, partner_ops, codes)
    base = bb[_KEY].assign(_month=month_key(bb))
    mh_ = mh[["mission_id_un", "country_id_gw", "is_africa"]]
    x = base.merge(mh_, on="mission_id_un", how="left")
    x = x.merge(bara_pairs, on=["country_id_gw", "_month"], how="left")
    x = x.merge(cur, on=["country_id_gw", "_month"], how="left")
    year = x["_month"].dt.year
    in_bara = year.between(*NONUN_YEARS)
    in_cur = year.between(*PARTNER_OPERATIONS_YEARS) & x["is_africa"].fillna(False).astype(bool)
    x["_bara"] = (x["nonun_ops_bara_n"].fillna(0) > 0).astype("boolean").where(in_bara)
    for t in PARTNER_TYPES:
        x[f"has_partner_{t}"] = x[f"has_partner_{t}"].astype("boolean").fillna(False).where(in_cur)
    x["has_partner_op_curated"] = (
        x[[f"has_partner_{t}" for t in PARTNER_TYPES]]
        .fillna(False)
        .any(axis=1)
        .astype("boolean")
        .where(in_cur)
    )
    unknown = undated_partner_months(partner_ops, codes)
    unknown["country_id_gw"] = unknown["country_id_gw"].astype(x["country_id_gw"].dtype)
    x = mask_undated(x, unknown, ["country_id_gw", "_month"])
    x = x.rename(columns={"has_partner_op_curated": "_cur"})
    g = x.groupby(_KEY, sort=False)

    def any3(s: pd.Series) -> object:
        if s.isna().all():
            return pd.NA
        return bool(s.fillna(False).any())

    agg = {"_bara": any3, "_cur": any3, **{f"has_partner_{t}": any3 for t in PARTNER_TYPES}}
    out = g.agg(agg).reset_index()
    out = out.rename(columns={"_bara": "has_nonun_op_bara", "_cur": "has_partner_op_curated"})
    for c in out.columns:
        if c.startswith("has_"):
            out[c] = out[c].astype("boolean")
    out["has_partner_op"] = kleene_or_covered(out[["has_nonun_op_bara", "has_partner_op_curated"]])
    out["has_partner_op_source"] = first_label(
        out.index,
        [
            out["has_nonun_op_bara"].notna() & out["has_partner_op_curated"].notna(),
            out["has_nonun_op_bara"].notna(),
            out["has_partner_op_curated"].notna(),
        ],
        ["bara_hultman+curated", "bara_hultman", "curated"],
    )
    return out


def _conflict(bb: pd.DataFrame, mh: pd.DataFrame, cy: pd.DataFrame, jih: pd.DataFrame,
              predecessors: pd.DataFrame | None = None) -> pd.DataFrame:
    deaths = ["deaths_state_based_n", "deaths_non_state_n", "deaths_one_sided_n"]
    years = bb[["mission_id_un", "year"]].drop_duplicates()
    x = years.merge(mh[["mission_id_un", "country_id_gw"]], on="mission_id_un", how="left")
    x = host_state_years(x, predecessors)
    x = x.merge(cy[["country_id_gw", "year", *deaths]], on=["country_id_gw", "year"], how="left")
    x = x.merge(jih, on=["country_id_gw", "year"], how="left")
    g = x.groupby(["mission_id_un", "year"])
    out = g[deaths].sum(min_count=1)
    complete = g[deaths[0]].apply(lambda s: s.notna().all())
    out = out.where(complete, axis=0)
    out["hosts_n"] = g["country_id_gw"].nunique()
    out["is_host_predecessor"] = g["is_host_predecessor"].any()
    out["jihadist_conflicts_n"] = g["jihadist_conflicts_n"].sum()
    out = out.reset_index()
    in_acd = out["year"].between(*ACD_YEARS)
    out["has_jihadist_conflict"] = (out["jihadist_conflicts_n"] > 0).astype("boolean").where(in_acd)
    out["jihadist_conflicts_n"] = out["jihadist_conflicts_n"].astype("Int64").where(in_acd)
    in_ucdp = out["year"].between(*UCDP_DEATHS_YEARS)
    for c in deaths:
        out[c] = out[c].astype("Float64").where(in_ucdp)
    out["hosts_n"] = out["hosts_n"].astype("Int64")
    out["is_host_predecessor"] = out["is_host_predecessor"].astype("boolean")
    return out



# ------------------------------------------------------------------------------ verbs


def create_mission_months(
    missions: pd.DataFrame | None = None,
    fatalities: pd.DataFrame | None = None,
    personnel: pd.DataFrame | None = None,
    hosts: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
    curated_mandates: pd.DataFrame | None = None,
    mandates_monthly: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The backbone of ``mission_months``: every UN peacekeeping operation x month, with its host.

    Parameters
    ----------
    missions, fatalities, personnel, hosts, codes
        ``un_missions``, ``un_fatalities``, ``un_personnel_monthly``, ``un_mission_hosts``,
        ``country_codes`` (loaded when not given).
    curated_mandates
        The curated mandates (termination resolutions end missions without an end date).
    mandates_monthly
        PEMA/TAMM mandate months, evidence of a mission's span (loaded when not given).

    Returns
    -------
    pandas.DataFrame
        ``mission_id_un``, ``date``, ``mission_name``, ``year``, ``month``,
        ``mission_age_months``, ``host_country_id_gw`` (first host), ``region`` and
        ``is_africa`` (:func:`analysis.vocabulary.mission_region`: Africa when more than half of
        the hosts are African states); the months each mission is in the panel (module
        docstring).
    """
    missions = _frame(missions, "un_missions")
    cur_mand = curated.load_mandates() if curated_mandates is None else curated_mandates
    bb = _backbone(
        missions,
        _frame(fatalities, "un_fatalities"),
        _frame(personnel, "un_personnel_monthly"),
        _frame(mandates_monthly, "mandates_monthly"),
        cur_mand,
    )
    mh = _hosts(_frame(hosts, "un_mission_hosts"), _frame(codes, "country_codes"))
    first = mh.groupby("mission_id_un").first()
    bb["host_country_id_gw"] = bb["mission_id_un"].map(first["country_id_gw"]).astype("Int64")
    labels = [host_region(a, r) for a, r in zip(mh["is_africa"], mh["region"])]
    region = mh.assign(_lab=labels).groupby("mission_id_un")["_lab"].agg(lambda s: mission_region(list(s)))
    bb["region"] = bb["mission_id_un"].map(region).astype("string")
    bb["is_africa"] = (bb["region"] == AFRICA).astype("boolean").where(bb["region"].notna())
    return bb


def add_fatalities(
    mm: pd.DataFrame, fatalities: pd.DataFrame | None = None, missions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Add the deaths of mission personnel by cause and personnel type (0 where none was recorded).

    ``mm`` needs ``mission_id_un``, ``year``, ``month``; the UN file covers every mission and
    month, so a month without a recorded death is 0 (absence means zero inside coverage).
    """
    require_columns(mm, _KEY, "mission-months")
    missions = _frame(missions, "un_missions")
    out = enrich(mm, _fatalities(_frame(fatalities, "un_fatalities"), missions), _KEY, "fatalities")
    fcols = [c for c in out.columns if c.startswith("fatalities_") and c not in mm.columns]
    out[fcols] = out[fcols].fillna(0).astype("Int64")
    return out


def add_personnel(
    mm: pd.DataFrame,
    personnel: pd.DataFrame | None = None,
    curated_personnel: pd.DataFrame | None = None,
    missions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Add uniformed personnel deployed: Kathman in its years, then curated deployed figures in the
    months they refer to (``personnel_source``); NA elsewhere, never carried forward."""
    require_columns(mm, _KEY, "mission-months")
    cur = curated.load_personnel() if curated_personnel is None else curated_personnel
    pers = _personnel(_frame(personnel, "un_personnel_monthly"), cur, mm, _frame(missions, "un_missions"))
    return enrich(mm, pers, _KEY, "personnel")


def add_mandates(
    mm: pd.DataFrame,
    mandates_monthly: pd.DataFrame | None = None,
    curated_mandates: pd.DataFrame | None = None,
    missions: pd.DataFrame | None = None,
    sc_mandates_monthly: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Add the mandate in force: the Security Council's texts first (``sc_mandates_monthly``), the
    previous definition (PEMA/TAMM, then curated) where they have no value, kept whole as ``*_prev``;
    the ``*_filled`` codings (carried forward, marked), the new text concepts, authorised ceilings,
    ``robust_mandate_index`` and ``is_robust_mandate``."""
    require_columns(mm, _KEY, "mission-months")
    cur = curated.load_mandates() if curated_mandates is None else curated_mandates
    text = _frame(sc_mandates_monthly, "sc_mandates_monthly")
    mm_ref = _frame(mandates_monthly, "mandates_monthly")
    mand = _mandates(mm_ref, cur, text, mm, _frame(missions, "un_missions"))
    return enrich(mm, mand, _KEY, "mandates")


def add_host_nonun_operations(
    mm: pd.DataFrame,
    nonun_operations: pd.DataFrame | None = None,
    partner_operations: pd.DataFrame | None = None,
    hosts: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
    missions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Add non-UN operations in the host countries: Bara & Hultman and curated partner operations,
    each NA outside its coverage, and ``has_partner_op`` over the covering sources."""
    require_columns(mm, _KEY, "mission-months")
    codes = _frame(codes, "country_codes")
    mh = _hosts(_frame(hosts, "un_mission_hosts"), codes)
    ops = curated.load_partner_operations() if partner_operations is None else partner_operations
    part = _partnership(mm, mh, _frame(nonun_operations, "nonun_operations_monthly"), ops, codes)
    return enrich(mm, part, _KEY, "partnership")


def add_host_conflict(
    mm: pd.DataFrame,
    ucdp_country_years: pd.DataFrame | None = None,
    acd: pd.DataFrame | None = None,
    locations: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
    hosts: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
    missions: pd.DataFrame | None = None,
    predecessors: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Add conflict in the host countries that year: UCDP deaths by type of violence (summed over
    hosts, NA if one is missing), the number of hosts, and ACD conflicts with a jihadist side.
    A host not yet a G-W state counts as its predecessor (``predecessors``, by default
    :func:`analysis.panels.hosts.load_host_predecessors`), flagged ``is_host_predecessor``."""
    require_columns(mm, ["mission_id_un", "year"], "mission-months")
    mh = _hosts(_frame(hosts, "un_mission_hosts"), _frame(codes, "country_codes"))
    jih = jihadist_conflict_years(
        _frame(acd, "ucdp_conflict_years"),
        _frame(locations, "ucdp_conflict_locations"),
        curated.load_jihadist_actors() if actors is None else actors,
    )
    conflict = _conflict(mm, mh, _frame(ucdp_country_years, "ucdp_country_years"), jih, predecessors)
    return enrich(mm, conflict, ["mission_id_un", "year"], "conflict")


@table(
    "mission_months",
    primary_key=_KEY,
    unit="UN peacekeeping operation x month",
    coverage=f"{FIRST_YEAR}-01 to the last month of the UN fatalities data",
    sources=(),
    curated=(
        curated.FILE_MANDATES,
        curated.FILE_PARTNER_OPERATIONS,
        curated.FILE_PERSONNEL,
        curated.FILE_JIHADIST_ACTORS,
    ),
    schema=SCHEMA_MISSION_MONTHS,
    depends=(
        "un_missions",
        "un_mission_hosts",
        "un_fatalities",
        "un_personnel_monthly",
        "mandates_monthly",
        "sc_mandates_monthly",
        "nonun_operations_monthly",
        "ucdp_country_years",
        "ucdp_conflict_years",
        "ucdp_conflict_locations",
        "country_codes",
    ),
    layer="panels",
)
def build_mission_months(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """UN peacekeeping operations by month: fatalities by cause and personnel type, personnel
    deployed, mandate indicators with their source, partnership, host-country conflict.

    The composition of the verbs of :mod:`analysis.panels.mission` (see its docstring for every
    fill rule).
    """
    missions, codes, hosts = deps["un_missions"], deps["country_codes"], deps["un_mission_hosts"]
    cur_mand = curated.load_mandates()
    mm = create_mission_months(
        missions, deps["un_fatalities"], deps["un_personnel_monthly"], hosts, codes, cur_mand,
        deps["mandates_monthly"],
    )
    n0 = len(mm)
    mm = add_fatalities(mm, deps["un_fatalities"], missions)
    mm = add_personnel(mm, deps["un_personnel_monthly"], curated.load_personnel(), missions)
    mm = add_mandates(mm, deps["mandates_monthly"], cur_mand, missions, deps["sc_mandates_monthly"])
    mm = add_host_nonun_operations(
        mm, deps["nonun_operations_monthly"], curated.load_partner_operations(), hosts, codes, missions
    )
    mm = add_host_conflict(
        mm,
        deps["ucdp_country_years"],
        deps["ucdp_conflict_years"],
        deps["ucdp_conflict_locations"],
        curated.load_jihadist_actors(),
        hosts,
        codes,
        missions,
    )
    if len(mm) != n0:
        raise BuildError(f"mission_months: backbone had {n0} rows, now {len(mm)}")
    mm["date"] = mm["date"].astype("datetime64[ns]")
    return mm[list(SCHEMA_MISSION_MONTHS.columns)].sort_values(_KEY).reset_index(drop=True)


# ------------------------------------------------------------------------------ mission_years


@table(
    "mission_years",
    primary_key=MISSION_YEARS_KEY,
    unit="UN peacekeeping operation x year",
    coverage=f"{FIRST_YEAR} to the last year of the UN fatalities data (its last year is partial)",
    sources=(),
    schema=SCHEMA_MISSION_YEARS,
    depends=("mission_months",),
    layer="panels",
)
def build_mission_years(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``mission_months`` aggregated to mission x year: fatalities summed, personnel averaged over
    the months that have it, each indicator as any-month / share of coded months / coverage."""
    mm = deps["mission_months"]
    g = mm.groupby(MISSION_YEARS_KEY, sort=True)
    out = g.size().rename("months_n").to_frame()
    for c in ("mission_name", "region", "is_africa", "host_country_id_gw"):
        out[c] = g[c].first()
    out["mission_age_years"] = g["mission_age_months"].mean() / 12
    fcols = [c for c in mm.columns if c.startswith("fatalities_")]
    out[fcols] = g[fcols].sum()
    for c in ("troops_n", "police_n", "observers_n", "personnel_total_n", "personnel_authorized_n"):
        out[c] = g[c].mean()
    out["personnel_months_n"] = g["personnel_total_n"].count()
    out["personnel_months_share"] = out["personnel_months_n"] / out["months_n"]
    for c in [k for k in SCHEMA_MISSION_YEARS.columns if f"{k}_share" in SCHEMA_MISSION_YEARS.columns]:
        b = mm[c].astype("boolean")
        coded = b.notna().groupby([mm["mission_id_un"], mm["year"]]).sum()
        true = b.fillna(False).groupby([mm["mission_id_un"], mm["year"]]).sum()
        out[f"{c}_coverage"] = coded / out["months_n"]
        out[f"{c}_share"] = (true / coded).where(coded > 0)
        out[c] = (true > 0).astype("boolean").where(coded > 0)
    out["robust_mandate_index"] = g["robust_mandate_index"].mean()
    for c in (
        "deaths_state_based_n",
        "deaths_non_state_n",
        "deaths_one_sided_n",
        "hosts_n",
        "jihadist_conflicts_n",
        "has_jihadist_conflict",
    ):
        out[c] = g[c].first()
    out = out.reset_index()
    for c, col in SCHEMA_MISSION_YEARS.columns.items():
        out[c] = out[c].astype(str(col.dtype))
    return out[list(SCHEMA_MISSION_YEARS.columns)]
