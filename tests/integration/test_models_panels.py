"""Headline model specifications on the real panels: they converge with finite standard errors.

The estimates are printed (visible with ``pytest -s``); the assertions are about
estimability, sample sizes and facts of the data, not about the size of the effects.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.data import data_versions, load
from analysis.errors import ModelError
from analysis.models import (
    fit_casualty_model,
    fit_coup_model,
    fit_segmented_trend,
    prepare_coup_data,
    rates_by_year,
)

COUP_CONTROLS = ["log_gdp_pc", "v2x_polyarchy", "has_conflict"]


@pytest.fixture(scope="module")
def mm(raw_cache):
    return load("mission_months")


@pytest.fixture(scope="module")
def coup_data(raw_cache):
    cy = load("country_years")
    return prepare_coup_data(
        cy, treatment="has_partnership", controls=COUP_CONTROLS, lag=1, years=(1990, 2024), region="africa"
    )


def _show(label, r, term):
    row = r.term(term)
    print(
        f"\n{label}: {term} ratio {row['ratio']:.3f} [{row['ratio_ci_low']:.3f}, {row['ratio_ci_high']:.3f}] "
        f"p={row['p_value']:.3f} nobs={r.nobs} clusters={r.n_clusters}"
    )


def _finite(r):
    cols = ["estimate", "std_error", "ci_low", "ci_high", "ratio", "ratio_ci_low", "ratio_ci_high", "p_value"]
    return np.isfinite(r.estimates[cols].to_numpy(dtype=float)).all()


def test_negbin_robust_mandate_casualties_mission_months_2000_2019(mm):
    s = mm[(mm["year"] >= 2000) & (mm["year"] <= 2019)]
    r = fit_casualty_model(
        s,
        outcome="fatalities_hostile_n",
        treatment="is_robust_mandate",
        exposure="personnel_total_n",
        fe="year",
        estimator="negbin",
        cluster="mission_id_un",
        data_versions=data_versions(["mission_months"]),
    )
    _show("NB2 hostile deaths, mission-months 2000-2019, year FE", r, "is_robust_mandate")
    assert r.converged and _finite(r)
    assert r.fit_stats["alpha"] > 1  # strongly overdispersed monthly counts
    assert 2500 < r.nobs < len(s) and 30 <= r.n_clusters <= 40
    dropped = r.extra["dropped"]
    assert dropped["exposure_na_or_nonpositive"] > 0 and dropped["is_robust_mandate_na"] > 0
    assert r.data_versions["tables"]["mission_months"]
    json.dumps(r.to_dict(), allow_nan=False)
    pois = fit_casualty_model(
        s, outcome="fatalities_hostile_n", treatment="is_robust_mandate", estimator="poisson"
    )
    _show("Poisson, same spec", pois, "is_robust_mandate")
    assert _finite(pois) and pois.nobs == r.nobs


def test_mission_fe_not_identified_for_robust_mandate_2000_2019(mm):
    # Only a few missions switch robust status while personnel is known, and none of them
    # had a hostile death before switching: the within-mission IRR does not exist.
    s = mm[(mm["year"] >= 2000) & (mm["year"] <= 2019)]
    with pytest.raises(ModelError, match=r"with mission fixed effects .*MONUC.*diverges to \+inf"):
        fit_casualty_model(
            s, outcome="fatalities_hostile_n", treatment="is_robust_mandate", fe="mission+year"
        )


def test_coup_logit_and_firth_partnership_africa(coup_data):
    d = coup_data
    assert d.attrs["coup_data"]["region"] == "africa" and len(d) > 1500
    logit = fit_coup_model(d, treatment="has_partnership", controls=COUP_CONTROLS, estimator="logit")
    _show("Logit coup attempt, Africa 1990-2024", logit, "has_partnership")
    assert logit.converged and _finite(logit)
    assert logit.n_clusters > 45 and 50 < logit.fit_stats["events"] < 120
    firth = fit_coup_model(d, treatment="has_partnership", controls=COUP_CONTROLS, estimator="firth")
    _show("Firth logit, clustered", firth, "has_partnership")
    assert _finite(firth) and firth.nobs == logit.nobs
    assert abs(firth.term("has_partnership")["estimate"] - logit.term("has_partnership")["estimate"]) < 0.3
    prof = fit_coup_model(
        d, treatment="has_partnership", controls=COUP_CONTROLS, estimator="firth", cluster=None
    )
    _show("Firth logit, profile CI", prof, "has_partnership")
    assert _finite(prof) and prof.fit_stats["ci_method"] == "profile penalised likelihood"


def test_rates_and_segmented_trend_hostile_deaths(mm):
    rates = rates_by_year(mm, "hostile").set_index("year")
    assert rates.loc[1995:2019, "rate_per_1000"].notna().all()
    assert (rates.loc[2013:2019, "rate_per_1000"] > 0).all()
    s = mm[(mm["year"] >= 1990) & (mm["year"] <= 2019)]
    r = fit_segmented_trend(
        s, outcome="fatalities_hostile_n", exposure="personnel_total_n", breaks=(2000, 2008, 2013, 2017)
    )
    _show("Segmented Poisson trend of hostile deaths per person-month, 1990-2019", r, "level_2013")
    assert _finite(r) and r.nobs == 30
    f = r.extra["fitted"]
    assert f["fitted"].sum() == pytest.approx(f["observed"].sum(), rel=1e-6)
