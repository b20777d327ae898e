"""Unit tests of analysis.studies.sahel, .coups and analysis.plots.sahel on synthetic frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis.plots import sahel as plots_sahel
from analysis.studies import coups as coup_study
from analysis.studies import sahel

T = pd.Timestamp


# ----------------------------------------------------------------------------------------------------------
# synthetic frames
# ----------------------------------------------------------------------------------------------------------
def _codes() -> pd.DataFrame:
    rows = []
    states = ((432, "MLI", "Mali"), (436, "NER", "Niger"), (439, "BFA", "Burkina Faso (Upper Volta)"),
              (433, "SEN", "Senegal"))
    for gw, iso, name in states:
        for y in range(1990, 2026):
            rows.append((gw, y, iso, name))
    return pd.DataFrame(rows, columns=["country_id_gw", "year", "country_id_iso3", "country_name"]).astype(
        {"country_id_gw": "Int64", "year": "Int64", "country_id_iso3": "string", "country_name": "string"})


def _un() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    missions = pd.DataFrame({
        "mission_id_un": ["UNAAA", "UNBBB", "UNCCC", "UNPOL"],
        "is_peacekeeping": pd.array([True, True, True, False], dtype="boolean"),
        "date_start": pd.to_datetime(["2013-04-25", "2001-02-01", None, "2015-01-01"]),
        "date_end": pd.to_datetime([None, "2004-06-30", None, None]),
    })
    hosts = pd.DataFrame({"mission_id_un": ["UNAAA", "UNBBB", "UNCCC", "UNPOL", "UNBBB"],
                          "country_id_gw": pd.array([432, 436, 439, 432, 433], dtype="Int64")})
    months = []
    for m, start, end in (("UNAAA", "2013-04-01", "2023-11-01"), ("UNBBB", "2001-02-01", "2004-06-01"),
                          ("UNCCC", "2019-01-01", "2025-02-01")):
        for d in pd.date_range(start, end, freq="MS"):
            months.append((m, d, d.year, d.month, 0, 0, 0))
    mm = pd.DataFrame(months, columns=["mission_id_un", "date", "year", "month", "fatalities_hostile_n",
                                       "fatalities_hostile_uniformed_n", "fatalities_n"])
    sel = (mm.mission_id_un == "UNAAA") & (mm.year == 2014)
    mm.loc[sel, ["fatalities_hostile_n", "fatalities_n"]] = [2, 3]
    mm.loc[sel, "fatalities_hostile_uniformed_n"] = 1
    return missions, hosts, mm


def _ops() -> pd.DataFrame:
    return pd.DataFrame({
        "operation_id": ["op-dated", "op-undated", "op-open", "op-noend", "op-old", "op-other"],
        "acronym": ["OPD", "PMC", "OPN", pd.NA, "OLD", "OTH"],
        "name": ["Operation Dated", "Private company", "Open operation", "Long name incl. many words (X)",
                 "Old operation", "Elsewhere"],
        "org_type": ["bilateral", "pmc", "ad_hoc", "bilateral", "regional", "eu"],
        "host_iso3": ["MLI;NER;SEN", "MLI", "NER", "NER", "MLI", "CAF"],
        "date_start": pd.to_datetime(["2014-08-01", None, "2014-10-07", "2013-01-01", "2001-01-01",
                                      "2014-01-01"]),
        "date_start_precision": ["day", pd.NA, "day", "year", "day", "day"],
        "date_end": pd.to_datetime(["2022-11-09", None, None, None, "2003-01-01", "2015-01-01"]),
        "date_end_precision": ["day", pd.NA, pd.NA, pd.NA, "day", "day"],
        "note": ["", "start and end from memory only", "ongoing at the source date", "end unknown", "", ""],
    }).astype({"operation_id": "string", "acronym": "string", "name": "string", "org_type": "string",
               "host_iso3": "string", "date_start_precision": "string", "date_end_precision": "string",
               "note": "string"})


def _timeline(**kw) -> pd.DataFrame:
    missions, hosts, mm = _un()
    args = {"countries": [432, 436, 439, 433], "years": (2005, 2024)} | kw
    return sahel.operations_timeline(missions, hosts, mm, _ops(), _codes(), **args)


def _actors() -> pd.DataFrame:
    return pd.DataFrame({
        "ucdp_actor_id": pd.array([6716, 234, 1161, 3481, 495], dtype="Int64"),
        "ucdp_name": ["JNIM", "IS", "MUJAO", "Signed-in-Blood Battalion", "EIJM - AS"],
        "ucdp_name_v22_1": ["JNIM", "IS", "MUJAO", "Signed-in-Blood Battalion", "EIJM - AS"],
        "is_jihadist": pd.array([True, True, False, None, True], dtype="boolean"),
    })


def _acd() -> tuple[pd.DataFrame, pd.DataFrame]:
    acd = pd.DataFrame({
        "conflict_id": [1, 1, 2, 2, 3, 4],
        "year": [2019, 2020, 2019, 2020, 2020, 2021],
        "side_a": ["Government of Mali"] * 4 + ["Government of Niger", "Government of Mali"],
        "side_a_id": ["72"] * 4 + ["75", "72"],
        "side_b": ["JNIM", "JNIM", "CMA", "CMA", "MUJAO, Signed-in-Blood Battalion", "MUJAO"],
        "side_b_id": ["6716", "6716", "1158", "1158", "1161, 3481", "1161"],
        "incompatibility": [2, 2, 1, 1, 2, 2],
        "territory_name": [pd.NA, pd.NA, "Azawad", "Azawad", pd.NA, pd.NA],
        "intensity_level": [1, 2, 1, 1, 1, 1],
        "type_of_conflict": [4, 4, 3, 3, 3, 3],
    })
    loc = pd.DataFrame({"conflict_id": [1, 1, 2, 2, 3, 4], "year": [2019, 2020, 2019, 2020, 2020, 2021],
                        "country_id_gw": [432, 432, 432, 432, 436, 432]})
    # 2020: conflict 2 is not active (only JNIM); rewrite the 2020 row of conflict 2 to Niger-free
    loc = loc[~((loc.conflict_id == 2) & (loc.year == 2020))]
    return acd, loc


def _ucdp_cy() -> pd.DataFrame:
    return pd.DataFrame({
        "country_id_gw": [432, 432, 432, 436],
        "year": [2019, 2020, 2021, 2020],
        "dyad_names_state_based": ["Government of Mali - JNIM; Government of Mali - CMA",
                                   "Government of Mali - JNIM", "Government of Mali - MUJAO", pd.NA],
        "dyad_names_non_state": ["Dozos (Mali) - JNIM", "CMA - GATIA", pd.NA, "EIJM - AS - Someone"],
        "dyad_names_one_sided": ["JNIM - Civilians; Government of Mali - Civilians", "IS - Civilians",
                                 "Signed-in-Blood Battalion - Civilians", pd.NA],
    })


def _cy() -> pd.DataFrame:
    return pd.DataFrame({
        "country_id_gw": pd.array([432, 432, 432, 436, 436], dtype="Int64"),
        "year": pd.array([2019, 2020, 2021, 2020, 2022], dtype="Int64"),
        "deaths_state_based_n": pd.array([100.0, 200.0, 30.0, 0.0, 40.0], dtype="Float64"),
        "deaths_non_state_n": pd.array([10.0, 20.0, 0.0, 5.0, None], dtype="Float64"),
        "deaths_one_sided_n": pd.array([7.0, 8.0, 9.0, 0.0, 1.0], dtype="Float64"),
    })


# ----------------------------------------------------------------------------------------------------------
# timeline
# ----------------------------------------------------------------------------------------------------------
def test_timeline_undated_operation_is_kept_as_undated_not_invented():
    tl = _timeline()
    row = tl[tl.operation_id == "op-undated"]
    assert len(row) == 1
    r = row.iloc[0]
    assert not r.is_dated
    assert pd.isna(r.date_start) and pd.isna(r.date_end)
    assert r.dates_note == sahel.DATES_NOT_SOURCED == "dates not sourced"
    assert r.end_status == "not_sourced"


def test_timeline_open_end_is_ongoing_or_not_sourced_from_the_note():
    tl = _timeline().set_index("operation_id")
    assert tl.loc["op-open", "end_status"] == "ongoing_at_source"
    assert tl.loc["op-open", "dates_note"] == sahel.ONGOING_AT_SOURCE
    assert pd.isna(tl.loc["op-open", "date_end"])
    assert tl.loc["op-noend", "end_status"] == "not_sourced"
    assert tl.loc["op-noend", "dates_note"] == sahel.END_NOT_SOURCED
    assert tl.loc["op-noend", "date_start_precision"] == "year"


def test_timeline_one_row_per_selected_host_and_un_rules():
    tl = _timeline()
    dated = tl[tl.operation_id == "op-dated"]
    assert sorted(dated.country_id_gw.tolist()) == [432, 433, 436]
    assert "op-other" not in set(tl.operation_id)  # host outside the selection
    assert "UNPOL" not in set(tl.operation_id)  # political mission, not peacekeeping
    un = tl[tl.source == "un"].set_index("operation_id")
    # no end in the UN list: last month in mission_months, month precision
    assert un.loc["UNAAA", "date_end"] == T("2023-11-01")
    assert un.loc["UNAAA", "date_end_precision"] == "month"
    assert un.loc["UNAAA", "end_status"] == "ended"
    assert un.loc["UNAAA", "date_start"] == T("2013-04-25")
    # no start in the UN list: first month in mission_months; runs to the panel's end: ongoing
    assert un.loc["UNCCC", "date_start"] == T("2019-01-01")
    assert un.loc["UNCCC", "date_start_precision"] == "month"
    assert un.loc["UNCCC", "end_status"] == "ongoing"
    assert pd.isna(un.loc["UNCCC", "date_end"])


def test_timeline_window_drops_operations_outside_but_keeps_undated():
    tl = _timeline(years=(2005, 2024))
    assert "op-old" not in set(tl.operation_id)
    assert "UNBBB" not in set(tl.operation_id)
    assert "op-undated" in set(tl.operation_id)
    tl_all = _timeline(years=None)
    assert {"op-old", "UNBBB"} <= set(tl_all.operation_id)
    with pytest.raises(ValueError, match="first year"):
        _timeline(years=(2024, 2005))


def test_timeline_sorted_by_country_order_given():
    tl = _timeline(countries=[436, 432])
    assert tl.country_id_gw.drop_duplicates().tolist() == [436, 432]


def test_un_fatalities_by_year_sums_hostile_and_all():
    _, _, mm = _un()
    f = sahel.un_fatalities_by_year(mm, ["UNAAA"], years=(2013, 2015))
    r = f.set_index("year").loc[2014]
    assert (r.fatalities_hostile_n, r.fatalities_n, r.months_n) == (2 * 12, 3 * 12, 12)
    assert f.set_index("year").loc[2013, "months_n"] == 9
    assert set(f.mission_id_un) == {"UNAAA"}


# ----------------------------------------------------------------------------------------------------------
# actors and deaths
# ----------------------------------------------------------------------------------------------------------
def test_conflict_actor_years_three_valued_flag():
    acd, loc = _acd()
    c = sahel.conflict_actor_years(acd, loc, _actors()).set_index(["conflict_id", "year"])
    assert c.loc[(1, 2019), "is_jihadist"] is True or bool(c.loc[(1, 2019), "is_jihadist"])
    assert c.loc[(1, 2019), "jihadist_actors"] == "JNIM"
    assert not bool(c.loc[(2, 2019), "is_jihadist"])  # CMA not listed -> not jihadist
    assert pd.isna(c.loc[(3, 2020), "is_jihadist"])  # MUJAO False + unsettled actor -> NA
    assert c.loc[(3, 2020), "unsettled_actors"] == "Signed-in-Blood Battalion"
    assert not bool(c.loc[(4, 2021), "is_jihadist"])  # MUJAO is_jihadist False


def test_split_actors_keeps_names_with_separators_whole():
    assert sahel._split_actors("EIJM - AS - Someone", ["EIJM - AS"]) == ["EIJM - AS", "Someone"]
    assert sahel._split_actors("GATIA, MSA - IS", []) == ["GATIA", "MSA", "IS"]


def test_dyad_actor_years_classifies_and_lists_unlisted_actors():
    d = sahel.dyad_actor_years(_ucdp_cy(), _actors()).set_index(["country_id_gw", "year", "violence_type"])
    assert d.loc[(432, 2019, "state_based"), "actor_type"] == "mixed"
    assert d.loc[(432, 2019, "state_based"), "jihadist_dyads_n"] == 1
    assert d.loc[(432, 2019, "state_based"), "unlisted_actors"] == "CMA"
    assert d.loc[(432, 2019, "non_state"), "actor_type"] == "jihadist"
    assert d.loc[(432, 2020, "non_state"), "actor_type"] == "not_jihadist"
    assert d.loc[(432, 2021, "one_sided"), "actor_type"] == "mixed"  # unsettled actor only
    assert d.loc[(432, 2021, "one_sided"), "unsettled_dyads_n"] == 1
    assert d.loc[(436, 2020, "non_state"), "actor_type"] == "jihadist"  # 'EIJM - AS' matched whole
    assert pd.isna(d.loc[(436, 2020, "state_based"), "actor_type"])  # no dyad
    assert d.loc[(436, 2020, "state_based"), "dyads_n"] == 0


def test_deaths_split_by_jihadist_flag_as_blocks():
    acd, loc = _acd()
    conf = sahel.conflict_actor_years(acd, loc, _actors())
    dy = sahel.dyad_actor_years(_ucdp_cy(), _actors())
    d = sahel.deaths_by_actor_type(_cy(), conf, dy).set_index(["country_id_gw", "year", "violence_type"])
    # 2019: conflicts 1 (JNIM) and 2 (CMA) located in Mali -> mixed; 2020: only JNIM -> jihadist
    assert d.loc[(432, 2019, "state_based"), "actor_type"] == "mixed"
    assert d.loc[(432, 2019, "state_based"), "deaths_n"] == 100
    assert d.loc[(432, 2020, "state_based"), "actor_type"] == "jihadist"
    assert d.loc[(432, 2020, "state_based"), "deaths_n"] == 200
    assert d.loc[(432, 2021, "state_based"), "actor_type"] == "not_jihadist"
    assert d.loc[(432, 2020, "one_sided"), "actor_type"] == "jihadist"
    # deaths but nothing to classify -> unattributed; no deaths -> NA; UCDP NA stays NA
    assert d.loc[(436, 2022, "state_based"), "actor_type"] == "unattributed"
    assert pd.isna(d.loc[(436, 2020, "state_based"), "actor_type"])
    assert pd.isna(d.loc[(436, 2022, "non_state"), "deaths_n"])
    # every death is in exactly one category: totals are preserved
    tot = d["deaths_n"].sum()
    assert tot == _cy()[["deaths_state_based_n", "deaths_non_state_n", "deaths_one_sided_n"]].sum().sum()


def test_deaths_state_based_from_dyads_option():
    acd, loc = _acd()
    conf = sahel.conflict_actor_years(acd, loc, _actors())
    dy = sahel.dyad_actor_years(_ucdp_cy(), _actors())
    d = sahel.deaths_by_actor_type(_cy(), conf, dy, state_based_basis="dyads").set_index(
        ["country_id_gw", "year", "violence_type"])
    assert d.loc[(432, 2020, "state_based"), "actor_type"] == "jihadist"
    assert d.loc[(432, 2021, "state_based"), "actor_type"] == "not_jihadist"
    with pytest.raises(ValueError, match="state_based_basis='x'.*'acd', 'dyads'"):
        sahel.deaths_by_actor_type(_cy(), conf, dy, state_based_basis="x")


def test_deaths_wide_columns_and_na():
    acd, loc = _acd()
    conf = sahel.conflict_actor_years(acd, loc, _actors())
    dy = sahel.dyad_actor_years(_ucdp_cy(), _actors())
    w = sahel.deaths_wide(sahel.deaths_by_actor_type(_cy(), conf, dy)).set_index(["country_id_gw", "year"])
    assert w.loc[(432, 2020), "state_based__jihadist"] == 200
    assert w.loc[(432, 2020), "state_based__mixed"] == 0
    assert pd.isna(w.loc[(436, 2022), "non_state__jihadist"])
    assert w.loc[(436, 2022), "state_based__unattributed"] == 40
    assert list(w.columns[:2]) == ["state_based__jihadist", "state_based__mixed"]


# ----------------------------------------------------------------------------------------------------------
# coups and risk
# ----------------------------------------------------------------------------------------------------------
def _coups() -> pd.DataFrame:
    return pd.DataFrame({
        "coup_id": ["pt_432_20200818", "pt_432_20210521", "cc_436_202307", "pt_436_20210331",
                    "pt_433_19990101"],
        "country_id_gw": pd.array([432, 432, 436, 436, 433], dtype="Int64"),
        "country_name": ["Mali", "Mali", "Niger", "Niger", "Senegal"],
        "year": pd.array([2020, 2021, 2023, 2021, 1999], dtype="Int64"),
        "month": pd.array([8, 5, 7, 3, 1], dtype="Int64"),
        "day": pd.array([18, 21, None, 31, 1], dtype="Int64"),
        "date": pd.to_datetime(["2020-08-18", "2021-05-21", "2023-07-01", "2021-03-31", "1999-01-01"]),
        "date_precision": ["day", "day", "month", "day", "day"],
        "is_successful": pd.array([True, True, True, False, False], dtype="boolean"),
    })


def test_coup_events_precision_labels_and_filter():
    c = coup_study.coup_events(_coups(), countries=[432, 436], years=(2000, 2024))
    assert c.coup_id.tolist() == ["pt_432_20200818", "pt_436_20210331", "pt_432_20210521", "cc_436_202307"]
    lab = dict(zip(c.coup_id, c.date_label))
    assert lab["cc_436_202307"] == "2023-07 (month only)"
    assert lab["pt_432_20200818"] == "2020-08-18"
    assert dict(zip(c.coup_id, c.outcome))["pt_436_20210331"] == "failed"
    assert coup_study.result_key(c.iloc[3]) == "niger_2023_07"
    assert coup_study.result_key(c.iloc[0]) == "mali_2020_08_18"


def _prepared() -> tuple[pd.DataFrame, pd.Series]:
    rows = [(432, y) for y in range(2018, 2024)] + [(436, y) for y in range(2018, 2024)]
    df = pd.DataFrame(rows, columns=["country_id_gw", "year"], index=range(100, 112))
    df["has_coup_attempt"] = pd.array([False] * 12, dtype="boolean")
    risk = pd.Series([0.01, 0.02, 0.05, 0.10, 0.03, 0.02, 0.04, 0.04, 0.06, 0.20, 0.01, 0.08], index=df.index)
    return df, risk


def test_risk_table_rank_and_percentile():
    df, risk = _prepared()
    r = coup_study.risk_table(df, risk).set_index(["country_id_gw", "year"])
    assert r.loc[(436, 2021), "rank"] == 1  # 0.20 highest
    assert r.loc[(432, 2021), "rank"] == 2  # 0.10
    assert r.loc[(436, 2021), "percentile"] == pytest.approx(100.0)
    # ties share the best rank; percentile = share with risk <= value
    assert r.loc[(436, 2018), "rank"] == r.loc[(436, 2019), "rank"] == 6
    assert r.loc[(432, 2018), "percentile"] == pytest.approx(100 * 2 / 12)
    assert (r["n_reference"] == 12).all()


def test_risk_table_ignores_missing_predictions():
    df, risk = _prepared()
    risk.iloc[0] = np.nan
    r = coup_study.risk_table(df, risk)
    assert r["n_reference"].iloc[0] == 11
    assert r["rank"].isna().sum() == 1 and r["percentile"].isna().sum() == 1


def test_risk_before_coup_ranking():
    df, risk = _prepared()
    tab = coup_study.risk_table(df, risk)
    coups = coup_study.coup_events(_coups(), countries=[432, 436], years=(2000, 2024))
    b = coup_study.risk_before_coups(tab, coups).set_index("coup_id")
    # Mali 2021: coup-year risk 0.10 (rank 2 of 12); year before (2020) 0.05
    assert b.loc["pt_432_20210521", "risk_coup_year"] == pytest.approx(0.10)
    assert b.loc["pt_432_20210521", "rank_coup_year"] == 2
    assert b.loc["pt_432_20210521", "risk_year_before"] == pytest.approx(0.05)
    assert b.loc["pt_432_20210521", "percentile_year_before"] == pytest.approx(100 * 8 / 12)
    # Niger 2021 (failed) and Niger 2023
    assert b.loc["pt_436_20210331", "rank_coup_year"] == 1
    assert b.loc["cc_436_202307", "risk_coup_year"] == pytest.approx(0.08)
    assert b.loc["cc_436_202307", "risk_year_before"] == pytest.approx(0.01)
    assert (b["n_reference"] == 12).all()


def test_risk_before_coup_outside_sample_is_na():
    df, risk = _prepared()
    tab = coup_study.risk_table(df[df.year >= 2021], risk[df.year >= 2021])
    coups = coup_study.coup_events(_coups(), countries=[432], years=(2000, 2024))
    b = coup_study.risk_before_coups(tab, coups).set_index("coup_id")
    assert pd.isna(b.loc["pt_432_20200818", "risk_coup_year"])
    assert pd.isna(b.loc["pt_432_20200818", "rank_coup_year"])
    assert pd.isna(b.loc["pt_432_20210521", "risk_year_before"])  # 2020 not in the sample
    assert b.loc["pt_432_20210521", "risk_coup_year"] == pytest.approx(0.10)


def test_risk_reference_by_year():
    df, risk = _prepared()
    ref = coup_study.risk_reference_by_year(coup_study.risk_table(df, risk)).set_index("year")
    assert ref.loc[2021, "q50"] == pytest.approx(0.15)
    assert list(ref.columns) == ["q50", "q90"]


def test_country_names_latest_without_former_name():
    names = sahel.country_names(_codes())
    assert names[439] == "Burkina Faso"
    assert names[432] == "Mali"


# ----------------------------------------------------------------------------------------------------------
# figures
# ----------------------------------------------------------------------------------------------------------
def test_plots_return_figures():
    tl = _timeline()
    coups = coup_study.coup_events(_coups(), countries=[432, 436, 439, 433], years=(2005, 2024))
    f = plots_sahel.plot_timeline(tl, coups, countries=[432, 436, 439, 433], years=(2005, 2024),
                                  country_names=sahel.country_names(_codes()))
    assert isinstance(f, Figure)
    labels = [t.get_text() for t in f.axes[0].get_yticklabels()]
    assert "Burkina Faso" in labels and "(none recorded)" not in labels[:2]
    texts = [t.get_text() for t in f.axes[0].texts]
    assert "dates not sourced" in texts
    acd, loc = _acd()
    conf = sahel.conflict_actor_years(acd, loc, _actors())
    dyads = sahel.dyad_actor_years(_ucdp_cy(), _actors())
    w = sahel.deaths_wide(sahel.deaths_by_actor_type(_cy(), conf, dyads))
    f = plots_sahel.plot_deaths_by_actor_type(w, countries=[432, 436], years=(2019, 2022))
    assert isinstance(f, Figure)
    _, _, mm = _un()
    fat = sahel.un_fatalities_by_year(mm, ["UNAAA"])
    assert isinstance(plots_sahel.plot_un_fatalities(fat), Figure)
    assert isinstance(plots_sahel.plot_un_fatalities(fat.iloc[0:0], missions=[]), Figure)
    df, risk = _prepared()
    tab = coup_study.risk_table(df, risk)
    ref = coup_study.risk_reference_by_year(tab)
    f = plots_sahel.plot_risk(tab, coups, countries=[432, 436], reference=ref)
    assert isinstance(f, Figure)
    assert len(f.axes[0].lines) >= 3


def test_deaths_chart_every_legend_swatch_matches_a_bar():
    # issue 12: the 'jihadist' swatch matched no bar (a grey patch for bars drawn in violence colours)
    acd, loc = _acd()
    conf = sahel.conflict_actor_years(acd, loc, _actors())
    dyads = sahel.dyad_actor_years(_ucdp_cy(), _actors())
    w = sahel.deaths_wide(sahel.deaths_by_actor_type(_cy(), conf, dyads))
    f = plots_sahel.plot_deaths_by_actor_type(w, countries=[432, 436], years=(2019, 2022))
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    bars = {(tuple(np.round(p.get_facecolor(), 3)), p.get_hatch()) for ax in f.axes for p in ax.patches
            if isinstance(p, Rectangle) and p.get_height() > 0}
    legend = f.legends[0]
    for h in legend.get_patches():
        key = (tuple(np.round(to_rgba(h.get_facecolor()), 3)), h.get_hatch())
        assert key in bars, f"legend entry {h.get_label()!r} matches no bar"
