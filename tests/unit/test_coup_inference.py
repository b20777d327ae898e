"""Notebook 04's inference bundle on a simulated coup panel: the numbers exist and agree with the
tools they come from; a treatment without treated events is 'no events', never a number."""

import numpy as np
import pandas as pd
import pytest

from analysis.models.coups import fit_coup_model, prepare_coup_data
from analysis.models.dgp import simulate_coup_panel
from analysis.studies import coup_inference as ci


@pytest.fixture(scope="module")
def sim():
    s = simulate_coup_panel(n_countries=30, years=(1995, 2014), odds_ratio=2.0, seed=4)
    d = prepare_coup_data(
        s,
        treatment="has_partnership",
        controls=["has_conflict", "log_gdp_pc"],
        lag=1,
        years=(1996, 2014),
        periods=(2005,),
    )
    r = fit_coup_model(
        d, treatment="has_partnership", controls=["has_conflict", "log_gdp_pc", "period_2005_2014"]
    )
    return s, d, r


@pytest.mark.slow  # bootstrap refits and one refit per state: about 4 s
def test_headline_inference_bundle(sim):
    _, d, r = sim
    inf = ci.headline_inference(r, d, "has_partnership", reps=199, seed=1)
    assert inf["status"] == "ok" and inf["n_clusters"] == 30
    assert inf["boot_ratio_ci_low"] < inf["ratio"] < inf["boot_ratio_ci_high"]
    assert inf["loo_ratio_min"] <= inf["ratio"] <= inf["loo_ratio_max"] and inf["loo_refits_ok"] == 30
    assert inf["e_value"] >= 1 and 0 < inf["boot_p_value"] <= 1
    row = ci.inference_rows("headline", inf)
    assert row["status"] == "ok" and np.isfinite(row["e_value"])


def test_no_treated_events_is_a_status_not_a_number():
    s = simulate_coup_panel(n_countries=30, years=(1995, 2014), separation=True, seed=2)
    d = prepare_coup_data(
        s, treatment="has_partnership", controls=["has_conflict"], lag=1, years=(1996, 2014)
    )
    r = fit_coup_model(d, treatment="has_partnership", controls=["has_conflict"], estimator="firth")
    inf = ci.headline_inference(r, d, "has_partnership", reps=99)
    assert inf["status"] == "no events" and "ratio" not in inf
    assert ci.inference_rows("x", inf) == {
        "specification": "x",
        "status": "no events",
        "reason": inf["reason"],
    }


def test_lpm_sensitivity_and_family(sim):
    s, d, r = sim
    lpm = ci.lpm_sensitivity(
        d,
        outcome="has_coup_attempt",
        treatment="has_partnership",
        controls=["has_conflict", "log_gdp_pc"],
        benchmarks=["has_conflict"],
    )
    assert lpm["ci_low"] < lpm["estimate"] < lpm["ci_high"] and 0 <= lpm["rv_q"] < 1
    assert set(lpm["bounds"]["benchmark"]) == {"has_conflict"}
    d2 = prepare_coup_data(s, treatment="has_conflict", controls=["log_gdp_pc"], lag=1, years=(1996, 2014))
    r2 = fit_coup_model(d2, treatment="has_conflict", controls=["log_gdp_pc"])
    rw = ci.family_romano_wolf({"a": (r, d, "has_partnership"), "b": (r2, d2, "has_conflict")}, reps=199)
    assert (rw["p_value_romano_wolf"] >= rw["p_value"] - 1e-12).all()
    assert isinstance(rw, pd.DataFrame) and len(rw) == 2


def test_inference_table_rows():
    inf = {
        "ratio": 1.2,
        "ratio_ci_low": 0.5,
        "ratio_ci_high": 3.0,
        "p_value": 0.6,
        "boot_reps": 999,
        "n_clusters": 54,
        "boot_ratio_ci_low": 0.3,
        "boot_ratio_ci_high": 3.5,
        "boot_p_value": 0.7,
        "p_value_t": 0.61,
        "loo_refits_ok": 54,
        "loo_ratio_min": 0.8,
        "loo_ratio_max": 1.4,
        "e_value": 1.7,
        "e_value_ci": 1.0,
    }
    t = ci.inference_table(inf)
    assert len(t) == 5 and t.loc[1, "from"] == 0.3 and "53 degrees" in t.loc[2, "check"]


def test_the_family_is_fitted_by_fit_many_on_the_design_with_romano_wolf_from_the_kept_fits(sim):
    from analysis.studies.coup_design import DesignData

    s = sim[0].assign(has_conflict_t=sim[0]["has_conflict"])
    specs = ci.treatment_family(["has_partnership", "has_conflict_t"], estimator="logit",
                                outcome="has_coup_attempt", controls=["log_gdp_pc"], lag=1,
                                years=(1996, 2014), region="all", duration=True, cluster=True)
    assert [(x.treatment, x.estimator) for x in specs] == [
        ("has_partnership", "logit"), ("has_partnership", "firth"),
        ("has_conflict_t", "logit"), ("has_conflict_t", "firth")]
    labels = {x.id: f"{x.treatment}, {x.estimator}" for x in specs}
    fam = ci.fit_family(specs, DesignData(s, periods=[1990, 2005]), headline=specs[0], labels=labels, reps=99)
    assert fam.comparison.headline == "has_partnership, logit (headline)"
    family = {}
    for x in specs:
        d = prepare_coup_data(s, treatment=x.treatment, controls=["log_gdp_pc"], lag=1, years=(1996, 2014),
                              periods=(2005,))  # the design's periods inside the window
        r = fit_coup_model(d, treatment=x.treatment, controls=["log_gdp_pc", "period_2005_2014"],
                           estimator=x.estimator, cluster="country_id_gw")
        row = fam.results.set_index("spec_id").loc[x.id]
        assert row["status"] == "ok"
        assert row["estimate"] == pytest.approx(r.term(x.treatment)["estimate"], rel=1e-12)
        assert row["std_error"] == pytest.approx(r.term(x.treatment)["std_error"], rel=1e-12)
        if x.estimator == "logit":
            family[x.treatment] = (r, d, x.treatment)
    rw = ci.family_romano_wolf(family, reps=99)
    assert fam.romano_wolf is not None
    pd.testing.assert_frame_equal(fam.romano_wolf, rw)
    p_rw = rw.set_index("specification")["p_value_romano_wolf"]
    assert fam.headline_romano_wolf == p_rw["has_partnership"]
    shown = fam.comparison.table.set_index("label")["p_value_romano_wolf"]
    assert np.isnan(shown["has_partnership, firth"]) and shown["has_conflict_t, logit"] == pytest.approx(
        rw.set_index("specification").loc["has_conflict_t", "p_value_romano_wolf"])
