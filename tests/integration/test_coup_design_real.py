"""The coup design of notebooks 04 and 06 on the real data: CoupCats regimes and leaders, the
post-coup rule, the shared theatre, the headline sample, the monthly frame and the forecasts.

Assertions are facts of the data (who was under military rule, which coups fall in which
treatment), estimability and the properties of the methods, not the size of the effects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.models.coups import fit_coup_model, prepare_coup_data
from analysis.studies import coup_design as cd

MALI, BFA, NIGER, CHAD, GNB = 432, 439, 436, 483, 404


@pytest.fixture(scope="module")
def cy(raw_cache):
    from analysis.data import load

    return load("country_years")


@pytest.fixture(scope="module")
def tabs(raw_cache):
    from analysis.curated import load_partner_operations
    from analysis.data import load

    return dict(
        regime_months=load("regime_months"),
        bara=load("nonun_operations_monthly"),
        partner_ops=load_partner_operations(),
        codes=load("country_codes"),
        coups=load("coups"),
    )


@pytest.fixture(scope="module")
def panel(cy, tabs):
    return cd.coup_panel(cy, **tabs)


@pytest.fixture(scope="module")
def headline(panel):
    d = prepare_coup_data(
        panel,
        treatment="has_partnership",
        controls=list(cd.HEADLINE_CONTROLS),
        lag=1,
        years=cd.HEADLINE_YEARS,
        region="africa",
        periods=cd.HEADLINE_PERIODS,
    )
    r = fit_coup_model(
        d, treatment="has_partnership", controls=[*cd.HEADLINE_CONTROLS, *d.attrs["coup_data"]["periods"]]
    )
    return d, r


def test_regime_months_know_the_sahel_juntas(raw_cache):
    from analysis.data import load

    rm = load("regime_months").set_index(["country_id_gw", "year", "month"])
    assert rm.loc[(MALI, 2021, 6), "is_military_regime"] == True  # noqa: E712
    assert rm.loc[(BFA, 2022, 3), "is_military_regime"] == True  # noqa: E712
    assert rm.loc[(NIGER, 2023, 9), "is_military_regime"] == True  # noqa: E712
    assert rm.loc[(NIGER, 2019, 6), "is_military_regime"] == False  # noqa: E712
    assert pd.isna(rm.loc[(MALI, 2025, 6), "is_military_regime"])  # after the file's last month: NA
    assert pd.isna(rm.loc[(MALI, 2023, 6), "leader_tenure_months"])  # the leader list's gap for Mali
    assert rm.loc[(NIGER, 2023, 8), "leader_name"] == "Abdourahamane Tchiani"


def test_post_coup_rule_and_screen_on_the_real_operations(cy, tabs):
    from analysis.curated import load_partner_operations
    from analysis.data import load

    bara, ops = load("nonun_operations_monthly"), load_partner_operations()
    oy = cd.operation_host_years(bara, ops, load("country_codes"))
    s = cd.deployments_after_coups(oy, bara, ops, load("coups"), listed=["afisma", "ecomib"])
    listed = set(s.loc[s["is_listed"].astype(bool), "operation_id"])
    assert listed == {"afisma", "ecomib"}
    assert {"serval", "eutm-mali"} <= set(s["operation_id"])  # found by the screen, kept as treatments
    keep = cd.coup_panel(cy, post_coup="keep", **tabs).set_index(["country_id_gw", "year"])
    excl = cd.coup_panel(cy, post_coup="exclude", **tabs).set_index(["country_id_gw", "year"])
    assert keep.loc[(GNB, 2013), "has_partner_op"] == True  # noqa: E712  ECOMIB
    assert excl.loc[(GNB, 2013), "has_partner_op"] == False  # noqa: E712  ECOMIB excluded, nothing else
    assert excl.loc[(MALI, 2014), "has_partnership"] == True  # noqa: E712  MINUSMA with Barkhane
    assert excl.loc[(GNB, 2013), "is_post_coup_deployment"] == True  # noqa: E712


def test_shared_theatre_reaches_burkina_faso_and_niger(panel):
    p = panel.set_index(["country_id_gw", "year"])
    for gw in (BFA, NIGER):
        assert not p.loc[(gw, 2018), "has_partnership"]
        assert p.loc[(gw, 2018), "has_partnership_theatre"] == True  # noqa: E712  Barkhane and the G5 force
    assert p.loc[(MALI, 2018), "has_partnership_theatre"] == True  # noqa: E712


def test_headline_sample_places_the_recent_sahel_coups(headline):
    d, r = headline
    rows = d.set_index(["country_id_gw", "year"])
    # Burkina Faso 2022 and Niger 2023: in the sample, coups, untreated by construction (no UN operation)
    for gw, y in ((BFA, 2022), (NIGER, 2023)):
        assert rows.loc[(gw, y), "has_coup_attempt"] and not rows.loc[(gw, y), "has_partnership"]
    assert (MALI, 2023) not in rows.index  # leader tenure missing in the leader list
    assert r.converged and np.isfinite(r.term("has_partnership")["std_error"])
    assert int((d["has_coup_attempt"].astype(bool) & d["has_partnership"].astype(bool)).sum()) >= 1
    assert {"period_2001_2012", "period_2013_2024"} <= set(r.spec["terms"])


def test_headline_inference_on_the_real_panel(headline):
    from analysis.studies.coup_inference import headline_inference

    d, r = headline
    inf = headline_inference(r, d, "has_partnership", reps=199)
    assert inf["status"] == "ok" and inf["n_clusters"] == d["country_id_gw"].nunique()
    assert inf["boot_ratio_ci_low"] < inf["ratio"] < inf["boot_ratio_ci_high"]
    assert inf["loo_ratio_min"] <= inf["ratio"] <= inf["loo_ratio_max"]


def test_entropy_balance_is_exact_on_the_headline_sample(headline):
    from analysis.models.balance import balanced_contrast

    d, _ = headline
    covs = [*cd.HEADLINE_CONTROLS, "period_2001_2012", "period_2013_2024", "t"]
    b = balanced_contrast(d, outcome="has_coup_attempt", treatment="has_partnership", covariates=covs)
    assert b.balance.max_imbalance < 1e-8 and b.status == "ok"
    assert (b.balance.table["std_difference_after"].abs() < 1e-6).all()


def test_monthly_frame_times_the_niger_coup(cy, tabs):
    from analysis.data import load
    from analysis.studies.coup_months import monthly_frame

    m = monthly_frame(
        cy,
        regime_months=tabs["regime_months"],
        coups=tabs["coups"],
        codes=tabs["codes"],
        mission_months=load("mission_months"),
        hosts=load("un_mission_hosts"),
        missions=load("un_missions"),
        bara=tabs["bara"],
        partner_ops=tabs["partner_ops"],
        exclude=["afisma", "ecomib"],
        years=(2020, 2024),
        periods=(),
    )
    x = m.set_index(["country_id_gw", "year", "month"])
    assert x.loc[(NIGER, 2023, 7), "has_coup_attempt"] == True  # noqa: E712  CoupCats month
    assert x.loc[(NIGER, 2023, 6), "has_coup_attempt"] == False  # noqa: E712
    assert x.loc[(MALI, 2021, 5), "has_coup_attempt"] == True  # noqa: E712
    assert x.loc[(MALI, 2021, 5), "has_partnership"] == True  # noqa: E712  MINUSMA with Barkhane in 2021-04


def test_rolling_origin_forecasts_cover_the_focus_coups(headline):
    from analysis.studies.coup_forecast import forecast_skill, rolling_origin_risks

    d, _ = headline
    per = d.attrs["coup_data"]["periods"]

    def fit(x, est="logit"):
        return fit_coup_model(
            x,
            treatment="has_partnership",
            controls=[*cd.HEADLINE_CONTROLS, *[p for p in per if p in x.columns]],
            estimator=est,
        )

    oos = rolling_origin_risks(d, fit, first_year=2019, periods=per, fallback=lambda x: fit(x, "firth"))
    assert (oos["status"] == "ok").all()
    got = oos.set_index(["country_id_gw", "year"])
    for key in ((MALI, 2020), (BFA, 2022), (NIGER, 2023)):
        assert 0 < got.loc[key, "risk"] < 1
    sk = forecast_skill(oos)
    assert 0 <= sk["auc"] <= 1 and sk["events"] >= 5


def test_curated_only_treatment_has_one_definition(cy, tabs):
    p = cd.coup_panel(cy, partner_source="curated", **tabs).set_index(["country_id_gw", "year"])
    assert pd.isna(p.loc[(MALI, 1998), "has_partner_op"]) and pd.isna(p.loc[(MALI, 1998), "has_partnership"])
    assert p.loc[(MALI, 2014), "has_partnership"] == True  # noqa: E712
    assert pd.isna(p.loc[(220, 2010), "has_partner_op"])  # France: not an African host, not coded
    assert p.loc[(BFA, 2018), "has_partnership_theatre"] == True  # noqa: E712
