"""Mission panels: ``mission_months`` and ``mission_years`` of UN peacekeeping operations.

Backbone
--------
One row per UN peacekeeping operation (``un_missions.is_peacekeeping``) and calendar month
from ``max(mission start, 1990-01)`` to ``min(mission end, last month of the fatalities
data)``. Missions that the UN lists both split and combined (UNEF I/II, UNAVEM I-III,
UNOSOM I/II) enter at the combined level (``mission_id_un_combined``), the level at which
the UN fatalities file records them; codings of the split entries are mapped to it.
Missions without a start date start at their first Kathman personnel month (UNTMIH). A
mission without an end date ends at its curated termination resolution's ``mandate_until``
or its last recorded fatality, whichever is later, when a termination resolution exists
(MINUSMA: S/RES/2690); at the last month of the fatalities data when the UN lists it as
active; otherwise at its last Kathman month or recorded fatality (UNTMIH), and it is left
out when there is no such evidence (UNTAG, UNOHCI, UNFOR: no dates in any source).

Fill rules (coverage is sacred)
-------------------------------
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
  curated jihadist actors.

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
import pandera.pandas as pa

from analysis import curated
from analysis.core import mandate_months, table
from analysis.errors import BuildError
from analysis.panels import enrich, first_label, kleene_any, months_between
from analysis.sources._base import ColumnOptions

MANDATE_CONCEPTS = ("is_chapter_vii", "has_poc_mandate", "has_use_of_force", "has_offensive_mandate")
#: Concepts taken from the resolution texts (``sc_mandates_monthly``), beyond the four above.
TEXT_CONCEPTS = (*MANDATE_CONCEPTS, "has_ct_pve_language", "has_stabilisation_mandate",
                 "has_partnership_language",
                 "has_partnership_regional", "has_partnership_ad_hoc", "has_partnership_bilateral",
                 "has_partnership_eu", "personnel_military_authorized_n", "personnel_police_authorized_n")
#: New boolean text concepts (no previous definition).
NEW_TEXT_BOOLEANS = ("has_ct_pve_language", "has_stabilisation_mandate", "has_partnership_regional",
                     "has_partnership_ad_hoc", "has_partnership_bilateral", "has_partnership_eu")
CAUSES = ("hostile", "accident", "illness", "self_inflicted", "other_unknown")
PERSONNEL_TYPES = {
    "Military": "military",
    "Police": "police",
    "Military Observer": "observer",
    "International Civilian": "civilian_intl",
    "Local": "local",
    "Other": "other_type",
}
PARTNER_TYPES = ("regional", "eu", "nato", "bilateral", "ad_hoc", "pmc")
#: Months covered by each partnership source.
BARA_MONTHS = ("1993-01", "2016-12")
CURATED_PARTNER_MONTHS = ("2000-01", "2024-12")
PANEL_START = pd.Timestamp("1990-01-01")

_KEY = ["mission_id_un", "year", "month"]


def _month_key(df: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(dict(year=df["year"].astype(int), month=df["month"].astype(int), day=1))


def _combined_map(missions: pd.DataFrame) -> dict[str, str]:
    m = missions.dropna(subset=["mission_id_un_combined"])
    return dict(zip(m["mission_id_un"], m["mission_id_un_combined"]))


def _backbone(
    missions: pd.DataFrame, fatalities: pd.DataFrame, personnel: pd.DataFrame, cur_mandates: pd.DataFrame
) -> pd.DataFrame:
    last_month = fatalities["date"].max().to_period("M").to_timestamp()
    top = missions[
        missions["is_peacekeeping"].fillna(False).astype(bool)
        & (missions["mission_id_un"] == missions["mission_id_un_combined"])
    ]
    kathman_months = personnel.assign(d=_month_key(personnel)).groupby("mission_id_un")["d"]
    first_kathman, last_kathman = kathman_months.min(), kathman_months.max()
    last_fatality = fatalities.groupby("mission_id_un")["date"].max()
    term = (
        cur_mandates[cur_mandates["resolution_type"] == "termination"]
        .groupby("mission_id_un")["mandate_until"]
        .max()
    )
    rows = []
    for r in top.itertuples(index=False):
        start = r.date_start if pd.notna(r.date_start) else first_kathman.get(r.mission_id_un, pd.NaT)
        if pd.isna(start):
            continue
        end = r.date_end
        if pd.isna(end):
            if r.mission_id_un in term.index and pd.notna(term[r.mission_id_un]):
                end = max(term[r.mission_id_un], last_fatality.get(r.mission_id_un, term[r.mission_id_un]))
            elif pd.notna(r.is_active) and bool(r.is_active):
                end = last_month
            else:  # not known to be active: last month with evidence (Kathman or a fatality)
                evidence = [
                    d
                    for d in (
                        last_kathman.get(r.mission_id_un, pd.NaT),
                        last_fatality.get(r.mission_id_un, pd.NaT),
                    )
                    if pd.notna(d)
                ]
                if not evidence:
                    continue
                end = max(evidence)
        start, end = max(start, PANEL_START), min(end, last_month)
        if start > end:
            continue
        for d in months_between(start, end):
            rows.append(
                (r.mission_id_un, d, r.date_start if pd.notna(r.date_start) else start, r.mission_name)
            )
    bb = pd.DataFrame(rows, columns=["mission_id_un", "date", "mission_start", "mission_name"])
    bb["year"] = bb["date"].dt.year.astype("Int64")
    bb["month"] = bb["date"].dt.month.astype("Int64")
    bb["mission_age_months"] = (
        (bb["date"].dt.year - bb["mission_start"].dt.year) * 12
        + bb["date"].dt.month
        - bb["mission_start"].dt.month
    ).astype("Int64")
    bb["mission_id_un"] = bb["mission_id_un"].astype("string")
    bb["mission_name"] = bb["mission_name"].astype("string")
    return bb.drop(columns="mission_start")


def _fatalities(fat: pd.DataFrame, cmap: dict[str, str]) -> pd.DataFrame:
    f = fat.assign(mission_id_un=fat["mission_id_un"].map(lambda m: cmap.get(m, m)))
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
    hostile_mil = f[(f["cause"] == "hostile") & (ptype.isin(["military", "police", "observer"]))]
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
    pers: pd.DataFrame, cur_pers: pd.DataFrame, bb: pd.DataFrame, cmap: dict[str, str]
) -> pd.DataFrame:
    p = pers.assign(mission_id_un=pers["mission_id_un"].map(lambda m: cmap.get(m, m)))
    cols = ["troops_n", "police_n", "observers_n", "personnel_total_n"]
    p = p.groupby(_KEY, as_index=False)[cols].sum(min_count=1)
    out = enrich(bb[_KEY], p, _KEY, "kathman personnel")
    out["personnel_source"] = first_label(out.index, [out["personnel_total_n"].notna()], ["kathman"])
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


def _curated_in_force(cur: pd.DataFrame, bb: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """For each backbone month, the values of the latest curated resolution adopted by then.

    Only the mission's own mandating resolutions count; ``related`` resolutions (support to
    partner forces, e.g. S/RES/2391 on the G5 Sahel Joint Force) do not set its mandate.
    """
    res = cur[cur["resolution_type"] != "related"].dropna(subset=["adoption_date"]).copy()
    # a year-precise adoption date says only "that year": it governs from the next January
    yr = res["adoption_date_precision"] == "year"
    res.loc[yr, "adoption_date"] = res.loc[yr, "adoption_date"] + pd.offsets.YearBegin(1)
    res["_month"] = res["adoption_date"].dt.to_period("M").dt.to_timestamp()
    res = res.sort_values(["mission_id_un", "_month", "adoption_date", "resolution"])
    res = res.groupby(["mission_id_un", "_month"], as_index=False).last()
    left = bb[_KEY].assign(_month=_month_key(bb)).sort_values("_month")
    right = res[["mission_id_un", "_month", "resolution", *columns]].sort_values("_month")
    left["mission_id_un"] = left["mission_id_un"].astype(str)
    right["mission_id_un"] = right["mission_id_un"].astype(str)
    merged = pd.merge_asof(left, right, on="_month", by="mission_id_un", direction="backward")
    merged["mission_id_un"] = merged["mission_id_un"].astype("string")
    return merged.drop(columns="_month")


def _mandates_prev(
    mm: pd.DataFrame, cur: pd.DataFrame, bb: pd.DataFrame, cmap: dict[str, str]
) -> pd.DataFrame:
    """The previous definition: mandates_monthly (PEMA/TAMM) then the curated resolution in force."""
    m = mm.assign(mission_id_un=mm["mission_id_un"].map(lambda x: cmap.get(x, x)).astype("string"))
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
    ci = _curated_in_force(cur, bb, [*set(cur_cols.values()), "has_partnership_language"])
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
              cmap: dict[str, str]) -> pd.DataFrame:
    """Mandate columns: the Security Council's texts first (``sc_mandates_monthly``), the previous
    definition (PEMA/TAMM, then curated) where the text table has no value; ``*_prev`` keep the
    previous definition whole (notebook 02 shows old vs new)."""
    prev = _mandates_prev(mm, cur, bb, cmap)
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
    mil = out["personnel_military_authorized_n"].astype("Float64")
    pol = out["personnel_police_authorized_n"].astype("Float64")
    out["personnel_authorized_n"] = (mil + pol.fillna(0)).where(mil.notna())
    out["personnel_authorized_source"] = first_label(
        out.index,
        [mil.notna() & pol.notna(), mil.notna()],
        ["text (military+police)", "text (military only)"],
    )
    comp = out[list(MANDATE_CONCEPTS)].astype("boolean")
    out["robust_mandate_index_coded_n"] = comp.notna().sum(axis=1).astype("Int64")
    idx = comp.fillna(False).astype(int).sum(axis=1).astype("Int64")
    out["robust_mandate_index"] = idx.mask(out["robust_mandate_index_coded_n"] == 0)
    out["is_robust_mandate"] = (comp["is_chapter_vii"] & comp["has_poc_mandate"]).astype("boolean")
    return out.drop(
        columns=["personnel_military_authorized_n_source", "personnel_police_authorized_n_source"]
    )


def _hosts(hosts: pd.DataFrame, codes: pd.DataFrame, cmap: dict[str, str]) -> pd.DataFrame:
    h = hosts.assign(mission_id_un=hosts["mission_id_un"].map(lambda x: cmap.get(x, x)))
    h = h.dropna(subset=["country_id_gw"]).drop_duplicates(["mission_id_un", "country_id_gw"])
    africa = codes.groupby("country_id_gw")["is_africa"].max()
    h = h.assign(is_africa=h["country_id_gw"].map(africa).astype("boolean"))
    return h[["mission_id_un", "country_id_gw", "country_id_iso3", "region", "is_africa"]]


def partners_by_country_month(
    bara: pd.DataFrame, partner_ops: pd.DataFrame, codes: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Non-UN operations active per (G-W country, month start ``_month``).

    Returns two frames: Bara & Hultman non-UN operations (``nonun_ops_bara_n``,
    ``nonun_personnel_bara_n``; only pairs with an operation) and curated operations
    (``has_partner_<type>``, ``partner_ops_curated_n``; only pairs with an operation).
    Curated operations without a start date or host cannot be placed in months and are
    skipped (Wagner in CAR and Mali, US forces in Somalia, Uganda/Burundi in DRC, AMIS
    start: their dates are memory-only in the reference, so left empty).
    """
    from analysis.core.countries import gw_from_iso3

    b = bara[~bara["is_un"].fillna(False).astype(bool)].dropna(subset=["country_id_gw"])
    b = b.assign(_month=_month_key(b))
    bara_pairs = (
        b.groupby(["country_id_gw", "_month"])
        .agg(
            nonun_ops_bara_n=("operation_id", "nunique"),
            nonun_personnel_bara_n=("personnel_total_n", lambda s: s.sum(min_count=1)),
        )
        .reset_index()
    )
    rows = []
    lo, hi = (pd.Timestamp(x) for x in CURATED_PARTNER_MONTHS)
    for op in partner_ops.itertuples(index=False):
        if pd.isna(op.date_start) or pd.isna(op.host_iso3):
            continue  # undated operations cannot be placed in months (listed in the docstring)
        end = op.date_end if pd.notna(op.date_end) else hi
        for iso in str(op.host_iso3).split(";"):
            for d in months_between(max(op.date_start, lo), min(end, hi)):
                rows.append((iso.strip(), d, op.operation_id, op.org_type))
    cp = pd.DataFrame(rows, columns=["iso3", "_month", "operation_id", "org_type"])
    cp["country_id_gw"] = gw_from_iso3(cp["iso3"], cp["_month"].dt.year, codes)
    cp = cp.dropna(subset=["country_id_gw"])
    cur = pd.crosstab([cp["country_id_gw"], cp["_month"]], cp["org_type"]).reindex(
        columns=list(PARTNER_TYPES), fill_value=0
    )
    cur = (cur > 0).add_prefix("has_partner_")
    cur["partner_ops_curated_n"] = cp.groupby(["country_id_gw", "_month"])["operation_id"].nunique()
    return bara_pairs, cur.reset_index()


def _partnership(
    bb: pd.DataFrame, mh: pd.DataFrame, bara: pd.DataFrame, partner_ops: pd.DataFrame, codes: pd.DataFrame
) -> pd.DataFrame:
    bara_pairs, cur = partners_by_country_month(bara, partner_ops, codes)
    base = bb[_KEY].assign(_month=_month_key(bb))
    mh_ = mh[["mission_id_un", "country_id_gw", "is_africa"]]
    x = base.merge(mh_, on="mission_id_un", how="left")
    x = x.merge(bara_pairs, on=["country_id_gw", "_month"], how="left")
    x = x.merge(cur, on=["country_id_gw", "_month"], how="left")
    in_bara = x["_month"].between(*(pd.Timestamp(v) for v in BARA_MONTHS))
    in_cur = x["_month"].between(*(pd.Timestamp(v) for v in CURATED_PARTNER_MONTHS)) & x["is_africa"].fillna(
        False
    ).astype(bool)
    x["_bara"] = (x["nonun_ops_bara_n"].fillna(0) > 0).astype("boolean").where(in_bara)
    for t in PARTNER_TYPES:
        x[f"has_partner_{t}"] = x[f"has_partner_{t}"].astype("boolean").fillna(False).where(in_cur)
    x["_cur"] = (
        x[[f"has_partner_{t}" for t in PARTNER_TYPES]]
        .fillna(False)
        .any(axis=1)
        .astype("boolean")
        .where(in_cur)
    )
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


def kleene_or_covered(frame: pd.DataFrame) -> pd.Series:
    """OR over the covering (non-NA) sources: True if any True, False if all covering are
    False, NA if no source covers."""
    b = frame.astype("boolean")
    out = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    covered = b.notna().any(axis=1)
    out[covered] = b[covered].fillna(False).any(axis=1)
    return out


def jihadist_conflict_years(acd: pd.DataFrame, locations: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """(G-W country, year) pairs with an ACD conflict located there whose sides include a
    jihadist actor (curated ``is_jihadist``); with ``jihadist_conflicts_n``."""
    jids = {
        str(int(a)) for a in actors.loc[actors["is_jihadist"].fillna(False).astype(bool), "ucdp_actor_id"]
    }

    def has_j(ids: object) -> bool:
        return pd.notna(ids) and any(i.strip() in jids for i in str(ids).split(","))

    a = acd.assign(_j=acd["side_a_id"].map(has_j) | acd["side_b_id"].map(has_j))
    j = a.loc[a["_j"], ["conflict_id", "year"]]
    loc = locations.merge(j, on=["conflict_id", "year"])
    return loc.groupby(["country_id_gw", "year"]).size().rename("jihadist_conflicts_n").reset_index()


def _conflict(bb: pd.DataFrame, mh: pd.DataFrame, cy: pd.DataFrame, jih: pd.DataFrame) -> pd.DataFrame:
    deaths = ["deaths_state_based_n", "deaths_non_state_n", "deaths_one_sided_n"]
    years = bb[["mission_id_un", "year"]].drop_duplicates()
    x = years.merge(mh[["mission_id_un", "country_id_gw"]], on="mission_id_un", how="left")
    x = x.merge(cy[["country_id_gw", "year", *deaths]], on=["country_id_gw", "year"], how="left")
    x = x.merge(jih, on=["country_id_gw", "year"], how="left")
    ucdp_lo, ucdp_hi = int(cy["year"].min()), int(cy["year"].max())
    g = x.groupby(["mission_id_un", "year"])
    out = g[deaths].sum(min_count=1)
    complete = g[deaths[0]].apply(lambda s: s.notna().all())
    out = out.where(complete, axis=0)
    out["hosts_n"] = g["country_id_gw"].nunique()
    out["jihadist_conflicts_n"] = g["jihadist_conflicts_n"].sum()
    out = out.reset_index()
    in_acd = out["year"].between(1946, ACD_LAST_YEAR)
    out["has_jihadist_conflict"] = (out["jihadist_conflicts_n"] > 0).astype("boolean").where(in_acd)
    out["jihadist_conflicts_n"] = out["jihadist_conflicts_n"].astype("Int64").where(in_acd)
    in_ucdp = out["year"].between(ucdp_lo, ucdp_hi)
    for c in deaths:
        out[c] = out[c].astype("Float64").where(in_ucdp)
    out["hosts_n"] = out["hosts_n"].astype("Int64")
    return out


#: Last year of UCDP ACD 25.1 (registry coverage of the file).
ACD_LAST_YEAR = 2024


def _desc(text: str) -> dict:
    return {"description": text}


def _mission_months_schema() -> pa.DataFrameSchema:
    n = ColumnOptions(nullable=True, checks=pa.Check.ge(0))
    cols: dict[str, pa.Column] = {
        "mission_id_un": pa.Column(
            "string",
            **_desc("UN acronym of the peacekeeping operation (combined level for UNEF, UNAVEM, UNOSOM)."),
        ),
        "year": pa.Column("Int64", pa.Check.in_range(1990, 2030), **_desc("Calendar year.")),
        "month": pa.Column("Int64", pa.Check.in_range(1, 12), **_desc("Month 1-12.")),
        "date": pa.Column("datetime64[ns]", **_desc("First day of the month.")),
        "mission_name": pa.Column("string", nullable=True, **_desc("Mission name (UN list).")),
        "mission_age_months": pa.Column(
            "Int64", nullable=True, **_desc("Months since the mission's start month (0 in the start month).")
        ),
        "region": pa.Column(
            "string",
            nullable=True,
            **_desc("Region of the first host (COW blocks; see country_codes.region)."),
        ),
        "is_africa": pa.Column("boolean", nullable=True, **_desc("True when any host is an African state.")),
        "host_country_id_gw": pa.Column(
            "Int64", nullable=True, **_desc("G-W code of the first host (un_mission_hosts order).")
        ),
    }
    for c in CAUSES:
        cols[f"fatalities_{c}_n"] = pa.Column(
            "Int64",
            **n,
            **_desc(
                f"Fatalities of mission personnel, cause '{c}' (un_fatalities.cause), persons; 0 where no "
                "death "
                "was recorded (the UN file covers every month)."
            ),
        )
    cols["fatalities_n"] = pa.Column("Int64", **n, **_desc("Fatalities, all causes, persons; 0 where none."))
    for t in dict.fromkeys(PERSONNEL_TYPES.values()):
        cols[f"fatalities_{t}_n"] = pa.Column(
            "Int64",
            **n,
            **_desc(
                f"Fatalities by personnel type '{t}' (Military, Police, Military Observer, International "
                "Civilian, Local, Other), persons; 0 where none."
            ),
        )
    cols["fatalities_hostile_uniformed_n"] = pa.Column(
        "Int64",
        **n,
        **_desc("Hostile-act fatalities of uniformed personnel (military, police, observers), persons."),
    )
    for c in ("troops_n", "police_n", "observers_n"):
        cols[c] = pa.Column(
            "Float64",
            **n,
            **_desc(
                f"Deployed {c[:-2]}, persons (Kathman, 1990-01 to 2019-12); NA outside and where unknown."
            ),
        )
    cols["personnel_total_n"] = pa.Column(
        "Float64",
        **n,
        **_desc(
            "Uniformed personnel deployed, persons: Kathman 1990-2019, then curated deployed figures in the "
            "months they refer to; NA elsewhere (never carried forward)."
        ),
    )
    cols["personnel_source"] = pa.Column(
        "string",
        pa.Check.isin(["kathman", "curated"]),
        nullable=True,
        **_desc("Source of personnel_total_n."),
    )
    prev_sources = ["pema_v2", "pema_v1_2", "tamm", "curated"]
    sources = [*mandate_months.SOURCES, "curated"]
    for c in MANDATE_CONCEPTS:
        cols[c] = pa.Column(
            "boolean",
            nullable=True,
            **_desc(
                f"{c}: the mandate in force in the Security Council's text (sc_mandates_monthly: text "
                "coding of "
                "the governing resolution 2000-2025, PEMA/TAMM where it predates 2000), else the previous "
                f"definition ({c}_prev); NA where no source codes it. Source: United Nations (texts)."
            ),
        )
        cols[f"{c}_source"] = pa.Column(
            "string", pa.Check.isin(sources), nullable=True, **_desc(f"Where {c} came from.")
        )
        cols[f"{c}_filled"] = pa.Column(
            "boolean",
            nullable=True,
            **_desc(f"{c} with the mission's last known value carried forward over NA months."),
        )
        cols[f"{c}_filled_source"] = pa.Column(
            "string",
            pa.Check.isin([*sources, "carried_forward"]),
            nullable=True,
            **_desc(f"Where {c}_filled came from."),
        )
        cols[f"{c}_prev"] = pa.Column(
            "boolean", nullable=True,
            **_desc(f"Previous definition of {c}: mandates_monthly (PEMA v2 > PEMA v1.2 > TAMM, to 2019-12), "
                    "else the curated resolution in force (2016-2024)."),
        )
        cols[f"{c}_prev_source"] = pa.Column(
            "string", pa.Check.isin(prev_sources), nullable=True, **_desc(f"Where {c}_prev came from.")
        )
    for c in NEW_TEXT_BOOLEANS:
        what = {
            "has_ct_pve_language": "counter-terrorism or violent-extremism vocabulary in the operative part",
            "has_stabilisation_mandate": "stabilisation or extension/restoration of State authority as a "
            "task",
        }.get(c, f"a partnership relation (support to, coordination, information sharing, authorised to "
                 f"intervene) with a parallel force of kind '{c.removeprefix('has_partnership_')}'")
        cols[c] = pa.Column(
            "boolean", nullable=True,
            **_desc(f"Mandate in force carries {what} (sc_mandates_monthly, texts 2000-2025; TAMM "
                    "cooperation "
                    "tasks for regional/EU partners where the governing resolution predates 2000); NA "
                    "otherwise."),
        )
        cols[f"{c}_source"] = pa.Column(
            "string", pa.Check.isin(sources), nullable=True, **_desc(f"Where {c} came from.")
        )
    cols["mandate_resolution"] = pa.Column(
        "Int64", nullable=True,
        **_desc("Governing mandate resolution (latest of 2000-2025 adopted by the end of the month; "
                "sc_mandates_monthly); NA before a mission's first one."),
    )
    for c, lab in (("personnel_military_authorized_n", "military (troops, observers, staff officers)"),
                   ("personnel_police_authorized_n", "police (individual officers + formed units)")):
        cols[c] = pa.Column(
            "Float64", **n,
            **_desc(f"Authorised {lab} ceiling in force, persons (resolution texts; inherited by extensions "
                    "that do not restate it); NA where no 2000-2025 resolution states one. Never mixed with "
                    "deployed counts."),
        )
    cols["personnel_authorized_n"] = pa.Column(
        "Float64", **n,
        **_desc("Authorised uniformed ceiling in force, persons: military + police ceilings (police "
                "counted 0 "
                "where no police ceiling is stated: see personnel_authorized_source); NA without a military "
                "ceiling. An authorisation, not a deployment (personnel_total_n)."),
    )
    cols["personnel_authorized_source"] = pa.Column(
        "string", pa.Check.isin(["text (military+police)", "text (military only)"]), nullable=True,
        **_desc("Which ceilings personnel_authorized_n adds."),
    )
    cols["curated_resolution"] = pa.Column(
        "string",
        nullable=True,
        **_desc("Latest curated resolution (2016-2024) adopted by this month, if any."),
    )
    cols["has_partnership_language"] = pa.Column(
        "boolean",
        nullable=True,
        **_desc(
            "Mandate in force sets a partnership relation with a named parallel force (texts 2000-2025, "
            "sc_mandates_monthly); else TAMM *_coop tasks, else curated partnership language (2016-2024); NA "
            "otherwise."
        ),
    )
    cols["has_partnership_language_source"] = pa.Column(
        "string", pa.Check.isin(sources), nullable=True, **_desc("Where has_partnership_language came from.")
    )
    cols["has_partnership_language_prev"] = pa.Column(
        "boolean", nullable=True,
        **_desc("Previous definition: TAMM *_coop tasks (to 2015-12), else curated partnership language."),
    )
    cols["has_partnership_language_prev_source"] = pa.Column(
        "string", pa.Check.isin(["tamm", "curated"]), nullable=True, **_desc("tamm or curated.")
    )
    cols["robust_mandate_index_coded_n"] = pa.Column(
        "Int64",
        pa.Check.in_range(0, 4),
        **_desc("Number of the four mandate components coded (non-NA) this month."),
    )
    cols["robust_mandate_index"] = pa.Column(
        "Int64",
        pa.Check.in_range(0, 4),
        nullable=True,
        **_desc(
            "Number of True among Chapter VII, PoC, use of force, offensive mandate (0-4); NA if none coded."
        ),
    )
    cols["is_robust_mandate"] = pa.Column(
        "boolean",
        nullable=True,
        **_desc("Chapter VII and PoC mandate (three-valued AND), text-based values."),
    )
    cols["is_robust_mandate_prev"] = pa.Column(
        "boolean", nullable=True,
        **_desc("Previous definition: is_chapter_vii_prev and has_poc_mandate_prev (three-valued AND)."),
    )
    cols["has_nonun_op_bara"] = pa.Column(
        "boolean",
        nullable=True,
        **_desc(
            "A non-UN (regional or ad hoc) peace operation in a host country this month (Bara & Hultman, "
            "1993-01 to 2016-12); NA outside."
        ),
    )
    cols["has_partner_op_curated"] = pa.Column(
        "boolean",
        nullable=True,
        **_desc(
            "A curated non-UN military operation in a host country this month (2000-01 to 2024-12, African "
            "hosts only); NA outside."
        ),
    )
    for t in PARTNER_TYPES:
        cols[f"has_partner_{t}"] = pa.Column(
            "boolean",
            nullable=True,
            **_desc(
                f"A curated operation of type '{t}' in a host country "
                "(same coverage as has_partner_op_curated)."
            ),
        )
    cols["has_partner_op"] = pa.Column(
        "boolean",
        nullable=True,
        **_desc(
            "Partnership: a non-UN operation in a host country by any covering source; NA when none covers."
        ),
    )
    cols["has_partner_op_source"] = pa.Column(
        "string", nullable=True, **_desc("Sources covering this month.")
    )
    for c, lab in (
        ("deaths_state_based_n", "state-based"),
        ("deaths_non_state_n", "non-state"),
        ("deaths_one_sided_n", "one-sided"),
    ):
        cols[c] = pa.Column(
            "Float64",
            **n,
            **_desc(
                f"UCDP {lab} deaths (best) in the host countries that year, summed over hosts, persons; "
                "1989-2024, NA outside or if a host is missing."
            ),
        )
    cols["hosts_n"] = pa.Column("Int64", nullable=True, **_desc("Host countries with a G-W code."))
    cols["jihadist_conflicts_n"] = pa.Column(
        "Int64",
        **n,
        **_desc(
            "ACD conflicts located in a host country that year with a jihadist side (curated actors); "
            "0 inside ACD coverage (1946-2024), NA after."
        ),
    )
    cols["has_jihadist_conflict"] = pa.Column(
        "boolean", nullable=True, **_desc("jihadist_conflicts_n > 0; NA after 2024.")
    )
    return pa.DataFrameSchema(cols, strict=True, unique=_KEY, name="panels.mission_months")


SCHEMA_MISSION_MONTHS = _mission_months_schema()


@table(
    "mission_months",
    primary_key=_KEY,
    unit="UN peacekeeping operation x month",
    coverage="1990-01 to the last month of the UN fatalities data (2025-02)",
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

    See the module docstring of :mod:`analysis.panels.mission` for every fill rule.
    """
    missions, fat = deps["un_missions"], deps["un_fatalities"]
    cur_mand = curated.load_mandates()
    cmap = _combined_map(missions)
    bb = _backbone(missions, fat, deps["un_personnel_monthly"], cur_mand)
    n0 = len(bb)
    mh = _hosts(deps["un_mission_hosts"], deps["country_codes"], cmap)
    first = mh.groupby("mission_id_un").first()
    bb["host_country_id_gw"] = bb["mission_id_un"].map(first["country_id_gw"]).astype("Int64")
    bb["region"] = bb["mission_id_un"].map(first["region"]).astype("string")
    bb["is_africa"] = (
        bb["mission_id_un"].map(mh.groupby("mission_id_un")["is_africa"].max()).astype("boolean")
    )
    out = enrich(bb, _fatalities(fat, cmap), _KEY, "fatalities")
    fcols = [c for c in out.columns if c.startswith("fatalities_")]
    out[fcols] = out[fcols].fillna(0).astype("Int64")
    out = enrich(
        out, _personnel(deps["un_personnel_monthly"], curated.load_personnel(), bb, cmap), _KEY, "personnel"
    )
    mand = _mandates(deps["mandates_monthly"], cur_mand, deps["sc_mandates_monthly"], bb, cmap)
    out = enrich(out, mand, _KEY, "mandates")
    out = enrich(
        out,
        _partnership(
            bb, mh, deps["nonun_operations_monthly"], curated.load_partner_operations(), deps["country_codes"]
        ),
        _KEY,
        "partnership",
    )
    jih = jihadist_conflict_years(
        deps["ucdp_conflict_years"], deps["ucdp_conflict_locations"], curated.load_jihadist_actors()
    )
    out = enrich(
        out, _conflict(bb, mh, deps["ucdp_country_years"], jih), ["mission_id_un", "year"], "conflict"
    )
    if len(out) != n0:
        raise BuildError(f"mission_months: backbone had {n0} rows, now {len(out)}")
    out["date"] = out["date"].astype("datetime64[ns]")
    return out[list(SCHEMA_MISSION_MONTHS.columns)].sort_values(_KEY).reset_index(drop=True)


# ------------------------------------------------------------------------------ mission_years

_YKEY = ["mission_id_un", "year"]


def _mission_years_schema() -> pa.DataFrameSchema:
    mm = SCHEMA_MISSION_MONTHS.columns
    cols: dict[str, pa.Column] = {
        "mission_id_un": mm["mission_id_un"],
        "year": mm["year"],
        "months_n": pa.Column(
            "Int64", pa.Check.in_range(1, 12), description="Months the mission is in the panel."
        ),
    }
    for c in ("mission_name", "region", "is_africa", "host_country_id_gw"):
        cols[c] = mm[c]
    cols["mission_age_years"] = pa.Column(
        "Float64",
        nullable=True,
        description=("Mission age at mid-year in years (mean of mission_age_months / 12)."),
    )
    for c, col in mm.items():
        if c.startswith("fatalities_"):
            cols[c] = pa.Column(
                "Int64",
                nullable=True,
                checks=pa.Check.ge(0),
                description=col.description.replace("persons;", "persons, summed over months;"),
            )
    for c in ("troops_n", "police_n", "observers_n", "personnel_total_n", "personnel_authorized_n"):
        cols[c] = pa.Column(
            "Float64",
            nullable=True,
            checks=pa.Check.ge(0),
            description=(
                f"Mean of the monthly {c} over months with a value, persons; NA if no month has one."
            ),
        )
    cols["personnel_months_share"] = pa.Column(
        "Float64",
        pa.Check.in_range(0, 1),
        description=("Share of the mission's months this year with personnel_total_n."),
    )
    cols["personnel_months_n"] = pa.Column(
        "Int64",
        pa.Check.ge(0),
        description=("Months this year with personnel_total_n (the exposure window for rates)."),
    )
    booleans = [
        *MANDATE_CONCEPTS,
        *[f"{c}_filled" for c in MANDATE_CONCEPTS],
        *[f"{c}_prev" for c in MANDATE_CONCEPTS],
        "is_robust_mandate",
        "is_robust_mandate_prev",
        "has_partnership_language",
        "has_partnership_language_prev",
        *NEW_TEXT_BOOLEANS,
        "has_nonun_op_bara",
        "has_partner_op_curated",
        *[f"has_partner_{t}" for t in PARTNER_TYPES],
        "has_partner_op",
    ]
    for c in booleans:
        cols[c] = pa.Column(
            "boolean",
            nullable=True,
            description=(
                f"True if {c} is True in any month of the year, False if False in every coded month, "
                "NA if no "
                "month is coded."
            ),
        )
        cols[f"{c}_share"] = pa.Column(
            "Float64",
            pa.Check.in_range(0, 1),
            nullable=True,
            description=(f"Share of coded months with {c} True; NA if none coded."),
        )
        cols[f"{c}_coverage"] = pa.Column(
            "Float64",
            pa.Check.in_range(0, 1),
            description=(f"Share of the mission's months this year in which {c} is coded (non-NA)."),
        )
    cols["robust_mandate_index"] = pa.Column(
        "Float64",
        pa.Check.in_range(0, 4),
        nullable=True,
        description=("Mean monthly robust_mandate_index over coded months; NA if none."),
    )
    for c in (
        "deaths_state_based_n",
        "deaths_non_state_n",
        "deaths_one_sided_n",
        "hosts_n",
        "jihadist_conflicts_n",
        "has_jihadist_conflict",
    ):
        cols[c] = mm[c]
    return pa.DataFrameSchema(cols, strict=True, unique=_YKEY, name="panels.mission_years")


SCHEMA_MISSION_YEARS = _mission_years_schema()


@table(
    "mission_years",
    primary_key=_YKEY,
    unit="UN peacekeeping operation x year",
    coverage="1990 to the last year of the UN fatalities data (2025, partial year)",
    sources=(),
    schema=SCHEMA_MISSION_YEARS,
    depends=("mission_months",),
    layer="panels",
)
def build_mission_years(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``mission_months`` aggregated to mission x year: fatalities summed, personnel averaged over
    the months that have it, each indicator as any-month / share of coded months / coverage."""
    mm = deps["mission_months"]
    g = mm.groupby(_YKEY, sort=True)
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
