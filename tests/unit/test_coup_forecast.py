"""Rolling-origin coup forecasts: no future year enters a fit, the decomposition adds up exactly,
a period not yet begun is handled, and the skill measures behave."""

import numpy as np
import pandas as pd
import pytest
from scipy import special

from analysis.models.coups import fit_coup_model, prepare_coup_data
from analysis.models.dgp import simulate_coup_panel
from analysis.studies import coup_forecast as cf


@pytest.fixture(scope="module")
def prepared():
    s = simulate_coup_panel(n_countries=40, years=(1990, 2012), seed=3)
    return prepare_coup_data(
        s,
        treatment="has_partnership",
        controls=["has_conflict", "log_gdp_pc"],
        lag=1,
        years=(1991, 2012),
        periods=(2006,),
    )


def _fit(d):
    per = [c for c in ("period_2006_2012",) if c in d.columns]
    return fit_coup_model(d, treatment="has_partnership", controls=["has_conflict", "log_gdp_pc", *per])


def test_decomposition_adds_up(prepared):
    r = _fit(prepared)
    dec = cf.decompose_risk(r, prepared, prepared)
    np.testing.assert_allclose(
        dec["logit_average"] + dec["logit_clock"] + dec["logit_covariates"], dec["logit"]
    )
    np.testing.assert_allclose(dec["risk"], special.expit(dec["logit"]))
    assert abs(dec["logit_clock"].mean()) < 1e-10 and abs(dec["logit_covariates"].mean()) < 1e-10


def test_rolling_origin_uses_only_earlier_years(prepared):
    seen = []

    def spy(d):
        seen.append(int(d["year"].max()))
        return _fit(d)

    def firth(d):
        seen.append(int(d["year"].max()))
        per = [c for c in ("period_2006_2012",) if c in d.columns]
        return fit_coup_model(
            d, treatment="has_partnership", controls=["has_conflict", "log_gdp_pc", *per], estimator="firth"
        )

    r = cf.rolling_origin_risks(prepared, spy, first_year=2004, periods=["period_2006_2012"], fallback=firth)
    assert sorted(set(seen)) == list(range(2003, 2012))  # the fit for year Y ends at Y - 1
    assert set(r["year"]) == set(range(2004, 2013)) and (r["status"] == "ok").all()
    assert (r.groupby("year")["percentile_in_year"].max() == 100).all()
    # 2006 is forecast before the 2006-2012 period has any training row: it takes the latest period
    assert r.loc[r["year"] == 2006, "risk"].notna().all()


def test_fallback_is_used_when_the_fit_fails(prepared):
    from analysis.errors import ModelError

    def broken(d):
        raise ModelError("x", "separation")

    r = cf.rolling_origin_risks(
        prepared,
        broken,
        first_year=2010,
        periods=["period_2006_2012"],
        fallback=lambda d: fit_coup_model(
            d, treatment="has_partnership", controls=["has_conflict"], estimator="firth"
        ),
    )
    assert (r["estimator"] == "firth").all()
    r2 = cf.rolling_origin_risks(prepared, broken, first_year=2011, periods=["period_2006_2012"])
    assert r2["status"].str.startswith("not estimable").all() and "risk" not in r2.columns


def test_skill_perfect_and_null_forecasts():
    y = np.array([1, 0, 0, 1, 0, 0], dtype=bool)
    base = pd.DataFrame({"has_coup_attempt": y, "status": "ok", "events_train": 2, "n_train": 6})
    perfect = cf.forecast_skill(base.assign(risk=np.where(y, 0.9, 0.1)))
    assert perfect["auc"] == 1.0 and perfect["brier"] < perfect["brier_climatology"]
    flat = cf.forecast_skill(base.assign(risk=1 / 3))
    assert flat["auc"] == 0.5 and flat["brier"] == pytest.approx(flat["brier_climatology"])
