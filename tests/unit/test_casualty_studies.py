"""Notebooks 02/03 study functions on synthetic frames (values invented): codings, exposures,
incident days, renewals, the OWID-extended series, segments, the few-cluster checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.reporting import Reporter
from analysis.reporting.findings import fill_template
from analysis.studies import casualties, casualty_events, casualty_inference, casualty_specs, casualty_trends

CONCEPTS = ("is_chapter_vii", "has_poc_mandate", "has_use_of_force", "has_offensive_mandate")


def _mm(n_months: int = 6) -> pd.DataFrame:
    """Two missions x ``n_months`` of 2019: text and previous codings, deployed and authorised personnel."""
    rows = []
    for m in ("AAA", "BBB"):
        for k in range(n_months):
            rows.append(
                {
                    "mission_id_un": m,
                    "year": 2019,
                    "month": k + 1,
                    "is_africa": m == "AAA",
                    "fatalities_hostile_n": k % 3,
                    "fatalities_illness_n": 1,
                    "fatalities_n": k % 3 + 1,
                    "personnel_total_n": 1200.0 if k < 4 else None,
                    "personnel_authorized_n": 2400.0 if (m == "AAA" and k > 0) else None,
                    # text codings: AAA robust from month 3 on, BBB never; previous: AAA uncoded after month 2
                    "is_chapter_vii": m == "AAA" and k >= 2,
                    "has_poc_mandate": m == "AAA",
                    "has_use_of_force": False,
                    "has_offensive_mandate": False,
                    "is_chapter_vii_prev": (m == "AAA" and k >= 2) if k < 2 or m == "BBB" else None,
                    "has_poc_mandate_prev": m == "AAA" if k < 2 or m == "BBB" else None,
                    "has_use_of_force_prev": False,
                    "has_offensive_mandate_prev": False,
                    "mandate_resolution": 100.0 + (k >= 2) + (k >= 4) if m == "AAA" else 200.0 + (k >= 3),
                }
            )
    df = pd.DataFrame(rows)
    for c in [*CONCEPTS, *[f"{c}_prev" for c in CONCEPTS], "is_africa"]:
        df[c] = df[c].astype("boolean")
    df["is_robust_mandate"] = (df["is_chapter_vii"] & df["has_poc_mandate"]).astype("boolean")
    df["is_robust_mandate_prev"] = (df["is_chapter_vii_prev"] & df["has_poc_mandate_prev"]).astype("boolean")
    df["robust_mandate_index"] = df[list(CONCEPTS)].astype("Float64").sum(axis=1, min_count=1)
    df["has_partnership_language"] = pd.array([False] * len(df), dtype="boolean")
    for c in ("year", "month", "fatalities_hostile_n", "fatalities_illness_n", "fatalities_n"):
        df[c] = df[c].astype("Int64")
    for c in ("personnel_total_n", "personnel_authorized_n"):
        df[c] = df[c].astype("Float64")
    df["mission_id_un"] = df["mission_id_un"].astype("string")
    return df


# ----------------------------------------------------------------------------- codings, exposure, outcomes


def test_outcome_and_exposure_columns():
    assert casualties.outcome_column("hostile", "incident_days") == "incident_days_hostile_n"
    assert casualties.outcome_column("hostile", "incident_days_5") == "incident_days_hostile_5_n"
    with pytest.raises(ValueError, match="cause='hostile'"):
        casualties.outcome_column("illness", "incident_days")
    with pytest.raises(ValueError, match="valid values"):
        casualties.outcome_column("hostile", "incidents")
    assert casualties.exposure_column("deployed") == "personnel_years_n"
    assert casualties.exposure_column("authorized") == "personnel_authorized_years_n"
    assert (
        casualties.exposure_column(True) == "personnel_years_n" and casualties.exposure_column(False) is None
    )
    with pytest.raises(ValueError, match="valid values"):
        casualties.exposure_column("ceiling")


def test_previous_definition_uses_the_prev_columns_and_has_no_filled_variant():
    mm = _mm()
    assert casualties.treatment_name("is_robust_mandate", codings="previous") == "is_robust_mandate_prev"
    with pytest.raises(ValueError, match="no carried-forward"):
        casualties.treatment_name("is_robust_mandate", filled=True, codings="previous")
    text = casualties.robust_treatment(mm, "is_robust_mandate")
    prev = casualties.robust_treatment(mm, "is_robust_mandate", codings="previous")
    aaa = (mm["mission_id_un"] == "AAA").to_numpy()
    assert text[aaa].tolist() == [0, 0, 1, 1, 1, 1]
    assert prev[aaa].iloc[:2].tolist() == [0, 0] and prev[aaa].iloc[2:].isna().all()  # NA, never 0
    idx = casualties.robust_treatment(mm, "robust_mandate_index", codings="previous")
    # the panel's rule: count of True among the coded components (NA only when none is coded)
    assert idx.name == "robust_mandate_index_prev" and idx[aaa].iloc[0] == 1.0 and idx[aaa].iloc[3] == 0.0


def test_authorised_exposure_keeps_only_months_with_a_ceiling_and_says_so():
    mm = _mm()
    f = casualties.casualty_frame(mm, years=[2019, 2019], exposure="authorized", codings="previous")
    assert f.attrs["exposure"] == "personnel_authorized_years_n"
    assert set(f["mission_id_un"]) == {"AAA"} and len(f) == 5  # BBB has no ceiling, AAA month 1 neither
    assert f["personnel_authorized_years_n"].eq(200.0).all()
    assert "7 of 12 mission-months without a authorised ceiling" in f.attrs["notes"][0]
    # the deployed exposure is kept beside, never mixed: NaN where no deployment is known
    assert f["personnel_years_n"].isna().sum() == 2
    d = casualties.casualty_frame(mm, years=[2019, 2019])
    assert d.attrs["exposure"] == "personnel_years_n" and len(d) == 8


def test_incident_days_count_days_not_deaths_and_map_sub_missions():
    mm = _mm()
    fat = pd.DataFrame(
        {
            "mission_id_un": ["AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "AAA", "CMB", "BBB"],
            "date": pd.to_datetime(["2019-01-05"] * 6 + ["2019-01-09", "2019-02-01", "2019-02-03"]),
            "cause": ["hostile"] * 7 + ["hostile", "illness"],
        }
    )
    # CMB is a combined entry of the UN list whose part in force in 2019 is AAA (the panel's unit)
    missions = pd.DataFrame(
        {"mission_id_un": ["AAA", "BBB", "CMB", "OLD"],
         "mission_id_un_combined": ["CMB", "BBB", "CMB", "CMB"],
         "date_start": pd.to_datetime(["2018-06-01", "2010-01-01", "2010-01-01", "2010-01-01"])}
    )
    out = casualties.add_incident_days(mm, fat, missions)
    a = out[(out["mission_id_un"] == "AAA")].set_index("month")
    assert a.loc[1, "incident_days_hostile_n"] == 2 and a.loc[1, "incident_days_hostile_5_n"] == 1
    assert a.loc[2, "incident_days_hostile_n"] == 1  # the combined entry's death counts for its part AAA
    b = out[out["mission_id_un"] == "BBB"]
    assert b["incident_days_hostile_n"].eq(0).all()  # an illness death is no hostile incident
    assert str(out["incident_days_hostile_n"].dtype) == "Int64"
    f = casualties.casualty_frame(out, outcome="incident_days_5", years=[2019, 2019], exposure="none")
    assert f["incident_days_hostile_5_n"].sum() == 1
    with pytest.raises(ValueError, match="add_incident_days"):
        casualties.casualty_frame(mm, outcome="incident_days", years=[2019, 2019])


def test_exposure_comparison_by_mission():
    c = casualties.exposure_comparison(_mm(), years=(2019, 2019)).set_index("mission_id_un")
    assert c.loc["AAA", "months_both_n"] == 3 and c.loc["AAA", "deployed_to_authorized"] == pytest.approx(0.5)
    assert c.loc["BBB", "months_both_n"] == 0 and np.isnan(c.loc["BBB", "deployed_to_authorized"])


# ----------------------------------------------------------------------------- renewals, event frame


def test_renewals_and_placebo_renewals():
    mm = _mm()
    fr = casualty_events.event_frame(mm, years=(2019, 2019), concepts=(*CONCEPTS, "is_robust_mandate"))
    assert fr.attrs["exposure"] == "personnel_years_n" and fr["month_index"].iloc[0] == 2019 * 12
    ren = casualty_events.renewals(fr, (*CONCEPTS, "is_robust_mandate")).set_index(["mission_id_un", "month"])
    assert list(ren.index) == [("AAA", 3), ("AAA", 5), ("BBB", 4)]
    assert ren.loc[("AAA", 3), "is_chapter_vii_change"] == "on"
    assert ren.loc[("AAA", 3), "changed"] == "is_chapter_vii, is_robust_mandate"
    assert ren.loc[("AAA", 5), "changed"] == "" and ren.loc[("AAA", 5), "previous_resolution"] == 101
    pl = casualty_events.placebo_renewals(ren.reset_index(), (*CONCEPTS, "is_robust_mandate"))
    assert sorted(pl["unit"]) == ["AAA", "BBB"] and set(pl["resolution"]) == {102, 201}


def test_a_gap_is_not_a_renewal():
    mm = _mm()
    mm = mm[~((mm["mission_id_un"] == "BBB") & (mm["month"] == 3))]
    fr = casualty_events.event_frame(mm, years=(2019, 2019), concepts=CONCEPTS)
    ren = casualty_events.renewals(fr, CONCEPTS)
    assert "BBB" not in set(ren["mission_id_un"])


@pytest.mark.slow  # a few seconds: event-study fits / bootstrap and leave-one-out refits
def test_concept_event_studies_on_a_staggered_panel():
    from analysis.models.dgp import simulate_staggered_panel

    df = simulate_staggered_panel(seed=3, n_units=30)
    fr = pd.DataFrame(
        {
            "mission_id_un": df["unit_id"].astype(str),
            "month_index": df["period"].astype(int),
            "fatalities_hostile_n": df["deaths_n"].astype(float),
            "is_robust_mandate": df["is_treated"].astype(float),
            "personnel_years_n": df["personnel_n"].astype(float),
        }
    )
    fr.attrs["exposure"] = "personnel_years_n"
    fits, summ = casualty_events.concept_event_studies(fr, concepts=("is_robust_mandate",), bin_width=6)
    row = summ.iloc[0]
    assert list(summ.columns) == list(casualty_events.SUMMARY_COLUMNS)
    assert row["status"] == "ok" and row["events_clean"] == row["events_all"] > 0
    assert row["ratio_ci_low"] < row["ratio"] < row["ratio_ci_high"] and 0 <= row["pretrend_p"] <= 1
    assert "is_robust_mandate" in fits


# ----------------------------------------------------------------------------- trends


def _rates() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": pd.array([2017, 2018, 2019, 2020, 2021, 2022], dtype="Int64"),
            "deaths_n": pd.array([10, 8, 6, 5, 4, 3], dtype="Int64"),
            "deaths_covered_n": pd.array([9, 8, 6, 0, 0, 0], dtype="Int64"),
            "personnel_coverage": pd.array([1.0, 1.0, 0.9, 0.0, 0.01, 0.0], dtype="Float64"),
            "personnel_years": pd.array([1000.0, 2000.0, 2000.0, pd.NA, 5.0, pd.NA], dtype="Float64"),
        }
    )


def test_aggregate_series_extends_with_owid_and_labels_each_year():
    owid = pd.DataFrame(
        {"year": [2018, 2019, 2020, 2021, 2022], "personnel_total_n": [2100.0, 1900.0, 1800.0, 1500.0, None]}
    )
    s = casualty_trends.aggregate_series(_rates(), owid, years=(2017, 2019), extend_to=2022).set_index("year")
    assert list(s.index) == [2017, 2018, 2019, 2020, 2021]  # 2022 has no OWID total: left out, not 0
    assert (
        s.loc[2017, "exposure_source"] == casualty_trends.SOURCE_DEPLOYED
        and s.loc[2017, "deaths_model_n"] == 9
    )
    assert s.loc[2021, "exposure_source"] == casualty_trends.SOURCE_OWID
    assert s.loc[2021, "personnel_years"] == 1500.0 and s.loc[2021, "deaths_model_n"] == 4  # all deaths
    assert s.loc[2020, "rate_per_1000"] == pytest.approx(1000 * 5 / 1800)
    none = casualty_trends.aggregate_series(_rates(), None, years=(2017, 2019))
    assert none["year"].max() == 2019
    ov = casualty_trends.exposure_overlap(_rates(), owid).set_index("year")
    assert list(ov.index) == [2018, 2019] and ov.loc[2018, "ratio"] == pytest.approx(2000 / 2100)
    per = casualty_trends.segment_periods(s.reset_index(), [2019])
    assert per["period"].tolist() == ["2017-2018", "2019-2021"]
    assert (
        per.loc[1, "exposure_source"] == f"{casualty_trends.SOURCE_DEPLOYED}; {casualty_trends.SOURCE_OWID}"
    )
    assert per.loc[0, "rate_per_1000"] == pytest.approx(1000 * 17 / 3000)


def test_add_segments():
    df, terms = casualty_trends.add_segments(
        pd.DataFrame({"year": [2016, 2017, 2018, 2019]}), [2018], t0=2016
    )
    assert terms == ["trend", "level_2018", "slope_2018"]
    assert df["level_2018"].tolist() == [0, 0, 1, 1] and df["slope_2018"].tolist() == [0, 0, 0, 1]
    assert df["trend"].tolist() == [0, 1, 2, 3]


# ----------------------------------------------------------------------------- inference and specifications


@pytest.fixture(scope="module")
def simulated():
    from analysis.models import fit_casualty_model, simulate_casualty_panel

    df = simulate_casualty_panel(n_missions=30, irr=2.0, seed=5)
    df = df[df["personnel_total_n"].fillna(0) > 0].reset_index(drop=True)
    res = fit_casualty_model(
        df,
        outcome="fatalities_hostile_n",
        treatment="is_robust_mandate",
        controls=[],
        exposure="personnel_total_n",
        fe="year",
        estimator="ppml",
        cluster="mission_id_un",
    )
    return df, res


@pytest.mark.slow  # a few seconds: event-study fits / bootstrap and leave-one-out refits
def test_headline_inference_and_its_sentence(simulated):
    df, res = simulated
    inf = casualty_inference.headline_inference(res, df, "is_robust_mandate", reps=199)
    assert inf.status == "ok" and inf.n_clusters == res.n_clusters
    assert inf.boot_ci_low < inf.ratio < inf.boot_ci_high and 0 < inf.boot_p_value <= 1
    assert inf.loo_min <= inf.ratio <= inf.loo_max and inf.loo_min_mission and inf.loo_max_mission
    assert inf.t_ci_low < inf.ci_low and inf.t_p_value > inf.p_value  # t(G-1) is wider than normal
    assert inf.e_value >= 1 and len(inf.loo_table) == res.n_clusters
    inf.rw_p_value = 0.5
    rep = Reporter("", notebook="x")
    template = casualty_inference.record_inference(rep, "irr", inf, what="IRR")
    text = fill_template(template, rep.results)
    assert text.startswith("Wild cluster bootstrap 95% CI") and "Romano-Wolf adjusted p = 0.500" in text
    assert f"without {inf.loo_min_mission}" in text and rep.results["irr_status"]["value"] == "ok"
    tab = casualty_inference.inference_table({"h": inf})
    assert tab.loc[0, "boot_ci_low"] == inf.boot_ci_low and set(casualty_inference.INFERENCE_FORMATS) >= set(
        tab
    )


def test_a_term_without_events_is_no_events_not_a_number(simulated):
    from analysis.errors import ModelError
    from analysis.models import fit_casualty_model

    df, res = simulated
    d = df.copy()
    d.loc[d["is_robust_mandate"] == 1, "fatalities_hostile_n"] = 0
    # the count engine refuses such a fit (the notebooks list it as "not estimable" with the reason) ...
    with pytest.raises(ModelError, match="zero in every row"):
        fit_casualty_model(
            d,
            outcome="fatalities_hostile_n",
            treatment="is_robust_mandate",
            controls=[],
            exposure="personnel_total_n",
            fe="year",
            estimator="ppml",
            cluster="mission_id_un",
        )
    # ... and the checks of a model whose sample has no treated events say "no events", with no numbers
    inf = casualty_inference.headline_inference(res, d, "is_robust_mandate", reps=99)
    assert inf.status == "no events" and "is_robust_mandate" in inf.reason and np.isnan(inf.ratio)
    rep = Reporter("", notebook="x")
    assert casualty_inference.record_inference(rep, "irr", inf, what="IRR") is None
    assert rep.results["irr_status"]["value"] == "no events" and "irr_boot_p" not in rep.results
    assert casualty_inference.inference_table({"h": inf}).loc[0, "status"].startswith("no events")


def test_specification_grid():
    small = casualty_specs.specification_grid(
        fe="year",
        treatment="is_robust_mandate",
        codings="text",
        filled=False,
        estimator="negbin",
        outcome="deaths",
        sensitivity=False,
    )
    assert [s.label() for s in small] == [
        "robust mandate, year FE, NB2 (headline)",
        "robust mandate, mission + year FE (within missions), NB2",
        "robust mandate (previous definition), year FE, NB2",
        "robust mandate, year FE, PPML",
    ]
    full = casualty_specs.specification_grid(
        fe="year",
        treatment="is_robust_mandate",
        codings="text",
        filled=False,
        estimator="negbin",
        outcome="deaths",
        sensitivity=True,
    )
    labels = [s.label() for s in full]
    assert len(labels) == len(set(labels)) == 15 and sum(s.headline for s in full) == 1
    assert "robust mandate, year FE, PPML, days with 5 or more hostile deaths" in labels
    other = casualty_specs.specification_grid(
        fe="year",
        treatment="is_robust_mandate",
        codings="text",
        filled=False,
        estimator="negbin",
        outcome="deaths",
        sensitivity=True,
        cause="illness",
    )
    assert not any("days with" in s.label("illness") for s in other)


def test_roles_when_the_headline_is_already_within_missions():
    specs = casualty_specs.specification_grid(
        fe="mission+year",
        treatment="is_robust_mandate",
        codings="text",
        filled=False,
        estimator="negbin",
        outcome="deaths",
        sensitivity=False,
    )
    r = casualty_specs.roles(specs)
    assert r["within"] == r["head"] == "robust mandate, mission + year FE (within missions), NB2 (headline)"
    assert (
        r["other_definition"]
        == "robust mandate (previous definition), mission + year FE (within missions), NB2"
    )
    specs = casualty_specs.specification_grid(
        fe="year",
        treatment="is_robust_mandate",
        codings="previous",
        filled=False,
        estimator="ppml",
        outcome="deaths",
        sensitivity=False,
    )
    r = casualty_specs.roles(specs)
    assert r["within"] == "robust mandate (previous definition), mission + year FE (within missions), PPML"
    assert r["other_definition"] == "robust mandate, year FE, PPML"


def test_fit_mission_segments_leaves_out_breaks_it_cannot_use(simulated):
    df, _ = simulated
    my = df[["mission_id_un", "year", "fatalities_hostile_n", "personnel_total_n"]].copy()
    fits, frame, terms, notes = casualty_trends.fit_mission_segments(
        my, [1995, 2010], outcome="fatalities_hostile_n", exposure="personnel_total_n"
    )
    assert terms == ["trend", "level_2010", "slope_2010"] and set(fits) == {"negbin", "ppml"}
    assert notes and "[1995]" in notes[0] and "level_2010" in frame
    # a break after which no mission has a death is not identified: it is dropped with the reason
    late = my.copy()
    late.loc[late["year"] >= 2018, "fatalities_hostile_n"] = 0
    fits, _, terms, notes = casualty_trends.fit_mission_segments(
        late, [2018], outcome="fatalities_hostile_n", exposure="personnel_total_n", estimators=("ppml",)
    )
    assert terms == ["trend"] and "Break 2018 left out" in notes[-1]


def _mm_random(n_missions: int = 24, seed: int = 2) -> pd.DataFrame:
    """Mission-months 2010-2011 of ``n_missions`` missions: random mandates, deaths, personnel."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_missions):
        start, poc = int(rng.integers(0, 24)), bool(rng.random() < 0.6)
        for k in range(24):
            cv = k >= start
            deaths = int(rng.poisson(0.4 * (1.8 if cv and poc else 1.0)))
            rows.append({
                "mission_id_un": f"M{i:02d}", "year": 2010 + k // 12, "month": k % 12 + 1,
                "is_africa": i % 2 == 0,
                "fatalities_hostile_n": deaths, "fatalities_n": deaths + 1,
                "personnel_total_n": float(rng.integers(500, 5000)) if rng.random() > 0.05 else None,
                "personnel_authorized_n": 6000.0,
                "is_chapter_vii": cv, "has_poc_mandate": poc, "has_use_of_force": bool(rng.random() < 0.3),
                "has_offensive_mandate": False,
                "is_chapter_vii_prev": cv if k < 18 else None,
                "has_poc_mandate_prev": poc if k < 18 else None,
                "has_use_of_force_prev": False, "has_offensive_mandate_prev": False,
            })
    df = pd.DataFrame(rows)
    for c in [*CONCEPTS, *[f"{c}_prev" for c in CONCEPTS], "is_africa"]:
        df[c] = df[c].astype("boolean")
    df["is_robust_mandate"] = (df["is_chapter_vii"] & df["has_poc_mandate"]).astype("boolean")
    df["is_robust_mandate_prev"] = (df["is_chapter_vii_prev"] & df["has_poc_mandate_prev"]).astype("boolean")
    df["robust_mandate_index"] = df[list(CONCEPTS)].astype("Float64").sum(axis=1, min_count=1)
    for c in ("year", "month", "fatalities_hostile_n", "fatalities_n"):
        df[c] = df[c].astype("Int64")
    for c in ("personnel_total_n", "personnel_authorized_n"):
        df[c] = df[c].astype("Float64")
    df["mission_id_un"] = df["mission_id_un"].astype("string")
    return df


def test_the_family_is_fitted_by_fit_many_with_the_numbers_of_one_fit_each():
    from analysis.models import fit_casualty_model

    mm = _mm_random()
    specs = casualty_specs.specification_grid(fe="year", treatment="is_robust_mandate", codings="text",
                                              filled=False, estimator="negbin", outcome="deaths",
                                              sensitivity=False)
    specs.append(casualty_specs.Spec("year", "has_offensive_mandate", "text", False, "negbin", "deaths"))
    opts = dict(cause="hostile", controls=[], years=[2010, 2011], missions="all", unit="month",
                exposure="deployed")
    fits, table, failed = casualty_specs.fit_specifications(mm, specs, **opts, data_versions={"x": 1})
    # the offensive mandate never varies: kept with its status and reason, never a number
    assert list(failed["specification"]) == ["offensive mandate, year FE, NB2"]
    assert failed["status"][0] == "no_variation" and "no variation" in failed["reason"][0]
    assert list(table["label"]) == [s.label("hostile") for s in specs[:-1]] == list(fits)
    for s in specs[:-1]:
        res, fr, term = fits[s.label("hostile")]
        one_frame = casualties.casualty_frame(mm, cause="hostile", treatment=s.treatment,
                                              filled=s.filled, codings=s.codings,
                                              outcome=s.outcome, years=[2010, 2011],
                                              exposure="deployed")
        pd.testing.assert_frame_equal(fr, one_frame)
        one = fit_casualty_model(one_frame, outcome="fatalities_hostile_n", treatment=term, controls=[],
                                 exposure=one_frame.attrs["exposure"], fe=s.fe,
                                 estimator=s.estimator)
        r, r1 = res.term(term), one.term(term)
        assert res.estimator == s.estimator and res.nobs == one.nobs and res.data_versions == {"x": 1}
        assert r["estimate"] == pytest.approx(r1["estimate"], rel=1e-7)
        assert r["std_error"] == pytest.approx(r1["std_error"], rel=1e-6)
        row = table.set_index("label").loc[s.label("hostile")]
        assert row["ratio"] == pytest.approx(r1["ratio"], rel=1e-7) and row["missions"] == one.n_clusters
    fam = casualty_inference.family_adjusted(fits, reps=99)
    assert (fam["status"] == "ok").all() and fam.attrs["family_size"] == len(fits)
