import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats
from statsmodels.discrete.discrete_model import Logit

from analysis.errors import MissingColumnError, ModelError
from analysis.models import (
    firth_fit,
    fit_coup_model,
    predict_coup_risk,
    prepare_coup_data,
    simulate_coup_panel,
)

CTRL = ["log_gdp_pc", "v2x_polyarchy", "has_conflict"]
T = "has_partnership"


@pytest.fixture(scope="module")
def big():
    c = simulate_coup_panel(n_countries=200, seed=0)
    return c, prepare_coup_data(c, treatment=T, controls=CTRL)


@pytest.fixture(scope="module")
def separated():
    c = simulate_coup_panel(n_countries=40, separation=True, seed=1)
    return prepare_coup_data(c, treatment=T, controls=CTRL)


# ----------------------------------------------------------------------------- prepare_coup_data


def test_prepare_lags_within_country_by_year_not_by_row():
    c = simulate_coup_panel(n_countries=3, seed=2)
    # Remove 2000 for the first country: its 2001 row must get NA (then be dropped), not 1999's values.
    first = c["country_id_gw"].iloc[0]
    c = c[~((c["country_id_gw"] == first) & (c["year"] == 2000))]
    d = prepare_coup_data(c, treatment=T, controls=CTRL, years=(1991, 2024))
    assert not ((d["country_id_gw"] == first) & (d["year"] == 2001)).any()
    src = c.set_index(["country_id_gw", "year"])
    for _, row in d.sample(20, random_state=0).iterrows():
        prev = src.loc[(row["country_id_gw"], row["year"] - 1)]
        assert row[T] == prev[T]
        assert row["log_gdp_pc"] == pytest.approx(math.log(prev["gdp_pc_usd"]))
        assert row["v2x_polyarchy"] == pytest.approx(prev["v2x_polyarchy"])
        now = src.loc[(row["country_id_gw"], row["year"])]
        assert row["has_coup_attempt"] == now["has_coup_attempt"]  # outcome not lagged
        assert row["t"] == now["years_since_coup"] and row["t3"] == now["years_since_coup"] ** 3


def test_prepare_records_dropped_rows_and_filters_years_and_region():
    c = simulate_coup_panel(n_countries=6, seed=3)
    c.loc[c.index[5], "v2x_polyarchy"] = pd.NA
    d = prepare_coup_data(c, treatment=T, controls=CTRL, years=(1990, 2024), region="africa")
    info = d.attrs["coup_data"]
    africa = c[c["is_africa"]]
    assert info["rows_in_window"] == len(africa)
    # First year of each country (no lag available) plus the row after the NA (if in Africa).
    n_first = africa["country_id_gw"].nunique()
    na_next = int(bool(c.loc[c.index[5], "is_africa"]))
    assert info["rows_dropped_na"] == n_first + na_next == len(africa) - len(d)
    assert set(d["country_id_gw"]) == set(africa["country_id_gw"])
    assert d["year"].min() == 1991 and info["lag"] == 1 and info["region"] == "africa"
    d2 = prepare_coup_data(c, treatment=T, controls=["log_population"], lag=0, years=(2000, 2010))
    assert d2["year"].between(2000, 2010).all() and len(d2) == 6 * 11
    assert d2["log_population"].iloc[0] == pytest.approx(
        math.log(
            c.set_index(["country_id_gw", "year"]).loc[
                (d2["country_id_gw"].iloc[0], d2["year"].iloc[0]), "population_n"
            ]
        )
    )


def test_prepare_validation():
    c = simulate_coup_panel(n_countries=2, seed=0)
    with pytest.raises(ValueError, match=r"region='asia' is not valid; valid values: 'all', 'africa'"):
        prepare_coup_data(c, treatment=T, controls=[], region="asia")
    with pytest.raises(ValueError, match="lag must be a non-negative integer"):
        prepare_coup_data(c, treatment=T, controls=[], lag=-1)
    with pytest.raises(MissingColumnError, match=r"column 'gdp' \(treatment/controls\)"):
        prepare_coup_data(c, treatment=T, controls=["gdp"])
    with pytest.raises(ValueError, match="cannot be lagged regressors"):
        prepare_coup_data(c, treatment=T, controls=["years_since_coup"])
    with pytest.raises(ValueError, match="duplicate"):
        prepare_coup_data(pd.concat([c, c.iloc[:1]]), treatment=T, controls=[])


# ----------------------------------------------------------------------------- recovery


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("estimator", ["logit", "firth"])
def test_recovers_odds_ratio(seed, estimator):
    c = simulate_coup_panel(n_countries=200, seed=seed)
    d = prepare_coup_data(c, treatment=T, controls=CTRL)
    r = fit_coup_model(d, treatment=T, controls=CTRL, estimator=estimator)
    row = r.term(T)
    truth = c.attrs["truth"]["log_odds_ratio"]
    assert row["ci_low"] <= truth <= row["ci_high"]
    assert abs(row["estimate"] - truth) < 0.3
    assert row["ratio"] == pytest.approx(math.exp(row["estimate"]))
    assert r.term("has_conflict")["estimate"] == pytest.approx(0.6, abs=0.35)
    assert r.n_clusters == 200 and r.nobs == len(d)
    assert list(r.estimates["term"]) == ["const", T, *CTRL, "t", "t2", "t3"]
    assert r.spec["data_preparation"]["lag"] == 1
    json.dumps(r.to_dict(), allow_nan=False)


@pytest.mark.slow  # Firth on the large panel, ~0.7 s
def test_logit_matches_statsmodels_and_firth_agrees_on_large_sample(big):
    _, d = big
    r = fit_coup_model(d, treatment=T, controls=CTRL, estimator="logit", cluster=None)
    X = np.column_stack(
        [np.ones(len(d))] + [d[c].astype("Float64").to_numpy("float64") for c in [T, *CTRL, "t", "t2", "t3"]]
    )
    ref = Logit(d["has_coup_attempt"].astype(float).to_numpy(), X).fit(disp=0, cov_type="HC0", maxiter=200)
    np.testing.assert_allclose(r.estimates["estimate"], ref.params, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(r.estimates["std_error"], ref.bse, rtol=1e-4)
    f = fit_coup_model(d, treatment=T, controls=CTRL, estimator="firth", cluster=None)
    diff = (f.estimates.set_index("term")["estimate"] - r.estimates.set_index("term")["estimate"]).abs()
    assert diff[T] < 0.01 and diff["has_conflict"] < 0.01
    assert 0 < diff[T]  # but not identical: the penalty is there


def test_separation_logit_raises_firth_is_finite(separated):
    with pytest.raises(
        ModelError, match=r"no event where 'has_partnership' = 1: quasi-complete separation.*firth"
    ):
        fit_coup_model(separated, treatment=T, controls=CTRL, estimator="logit")
    f = fit_coup_model(separated, treatment=T, controls=CTRL, estimator="firth", cluster=None)
    row = f.term(T)
    assert np.isfinite(row[["estimate", "std_error", "ci_low", "ci_high"]].astype(float)).all()
    assert row["estimate"] < -1 and row["ci_high"] < 0
    assert f.fit_stats["ci_method"] == "profile penalised likelihood"
    assert any("the Firth estimate is finite" in w for w in f.warnings)
    fc = fit_coup_model(separated, treatment=T, controls=CTRL, estimator="firth")
    assert fc.term(T)["estimate"] == pytest.approx(row["estimate"])
    assert any("sandwich" in w and "unreliable" in w for w in fc.warnings)


def test_logit_divergence_without_binary_separation_is_caught():
    rng = np.random.default_rng(0)
    x = rng.normal(size=300)
    df = pd.DataFrame({"y": (x > 0.5), "x": x, "g": np.arange(300) % 30})
    with pytest.raises(ModelError, match="diverge|separation"):
        fit_coup_model(df, outcome="y", treatment="x", duration=False, cluster="g")
    f = fit_coup_model(df, outcome="y", treatment="x", duration=False, cluster=None, estimator="firth")
    assert np.isfinite(f.term("x")["estimate"]) and f.term("x")["estimate"] > 3


# ----------------------------------------------------------------------------- Firth correctness


def test_firth_2x2_equals_haldane_corrected_log_odds_ratio():
    # Cells: x=1: 3 events of 20; x=0: 0 events of 30 (separated for ML).
    a, b, c, d = 3, 17, 0, 30
    x = np.r_[np.ones(a + b), np.zeros(c + d)]
    y = np.r_[np.ones(a), np.zeros(b), np.ones(c), np.zeros(d)]
    df = pd.DataFrame({"y": y, "x": x})
    r = fit_coup_model(df, outcome="y", treatment="x", estimator="firth", duration=False, cluster=None)
    expected = math.log((a + 0.5) * (d + 0.5) / ((b + 0.5) * (c + 0.5)))
    assert r.term("x")["estimate"] == pytest.approx(expected, abs=1e-7)
    assert r.term("const")["estimate"] == pytest.approx(math.log((c + 0.5) / (d + 0.5)), abs=1e-7)


def test_firth_solves_modified_score_and_profile_bounds_hit_chi2():
    rng = np.random.default_rng(5)
    n = 120
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 2, n)])
    y = (rng.random(n) < special.expit(-2 + 0.8 * X[:, 1] + 0.5 * X[:, 2])).astype(float)
    f = firth_fit(y, X)
    assert f["converged"]
    p = special.expit(X @ f["beta"])
    w = p * (1 - p)
    inv = np.linalg.inv(X.T @ (X * w[:, None]))
    h = w * np.einsum("ij,jk,ik->i", X, inv, X)
    np.testing.assert_allclose(X.T @ (y - p + h * (0.5 - p)), 0, atol=1e-6)
    df = pd.DataFrame({"y": y, "x1": X[:, 1], "x2": X[:, 2]})
    r = fit_coup_model(
        df, outcome="y", treatment=["x1", "x2"], estimator="firth", duration=False, cluster=None
    )
    crit = stats.chi2.ppf(0.95, 1)
    for j, term in ((1, "x1"), (2, "x2")):
        row = r.term(term)
        assert row["ci_low"] < row["estimate"] < row["ci_high"]
        for bound in (row["ci_low"], row["ci_high"]):
            fixed = firth_fit(y, X, start=f["beta"], fixed=(j, bound))
            assert 2 * (f["pll"] - fixed["pll"]) == pytest.approx(crit, abs=1e-3)
        # Penalised LR p-value agrees with the profile interval.
        assert (row["p_value"] < 0.05) == (row["ci_low"] > 0 or row["ci_high"] < 0)


def test_firth_cluster_uses_wald_sandwich():
    c = simulate_coup_panel(n_countries=30, seed=4)
    d = prepare_coup_data(c, treatment=T, controls=CTRL)
    r = fit_coup_model(d, treatment=T, controls=CTRL, estimator="firth")
    assert r.fit_stats["ci_method"] == "wald" and r.spec["cov_type"] == "cluster"
    row = r.term(T)
    assert row["ci_high"] == pytest.approx(row["estimate"] + 1.959964 * row["std_error"], rel=1e-6)
    assert r.n_clusters == 30


# ----------------------------------------------------------------------------- prediction


def test_predict_coup_risk_matches_linear_predictor_and_keeps_index(big):
    _, d = big
    r = fit_coup_model(d, treatment=T, controls=CTRL)
    sub = d.iloc[:50].copy()
    sub.index = sub.index + 1000
    sub.loc[sub.index[3], "v2x_polyarchy"] = pd.NA
    p = predict_coup_risk(r, sub)
    assert p.index.equals(sub.index) and p.name == "coup_risk" and str(p.dtype) == "Float64"
    assert pd.isna(p.iloc[3]) and p.drop(sub.index[3]).between(0, 1).all()
    b = r.estimates.set_index("term")["estimate"]
    row = sub.iloc[0]
    eta = b["const"] + sum(b[t] * float(row[t]) for t in [T, *CTRL, "t", "t2", "t3"])
    assert p.iloc[0] == pytest.approx(special.expit(eta))
    # Mean predicted risk close to the observed rate in sample.
    assert predict_coup_risk(r, d).mean() == pytest.approx(d["has_coup_attempt"].mean(), rel=0.05)
    with pytest.raises(ValueError, match="fit_coup_model result"):
        predict_coup_risk(r.__class__(**(r.__dict__ | {"spec": {"model": "casualties"}})), d)


# ----------------------------------------------------------------------------- validation and errors


def test_fit_validation(big):
    _, d = big
    with pytest.raises(ValueError, match=r"estimator='probit' is not valid; valid values: 'logit', 'firth'"):
        fit_coup_model(d, treatment=T, estimator="probit")
    with pytest.raises(ValueError, match="prepare_coup_data"):
        fit_coup_model(d.drop(columns=["t", "t2", "t3"]), treatment=T)
    with pytest.raises(MissingColumnError, match=r"column 'gdp' \(controls\)"):
        fit_coup_model(d, treatment=T, controls=["gdp"])
    with pytest.raises(ValueError, match="duration must be True or False"):
        fit_coup_model(d, treatment=T, duration="yes")
    with pytest.raises(ValueError, match="given twice"):
        fit_coup_model(d, treatment=T, controls=["t"])


def test_no_events_and_collinear_terms_raise_model_error(big):
    _, d = big
    none = d.assign(has_coup_attempt=pd.array([False] * len(d), dtype="boolean"))
    with pytest.raises(
        ModelError, match=r"model logit has_coup_attempt ~ .*: outcome 'has_coup_attempt' is never 1"
    ):
        fit_coup_model(none, treatment=T, controls=CTRL)
    dup = d.assign(partner_copy=d[T])
    with pytest.raises(ModelError, match=r"rank deficient .*: partner_copy"):
        fit_coup_model(dup, treatment=[T, "partner_copy"], estimator="firth")
    with pytest.raises(ModelError, match="must be binary"):
        fit_coup_model(d.assign(y=2.0), outcome="y", treatment=T)


def test_period_dummies_follow_the_outcome_year_not_the_lag():
    from analysis.models.dgp import simulate_coup_panel

    sim = simulate_coup_panel(n_countries=10, years=(1995, 2010), seed=1)
    sim["us_troops_n"] = pd.array([0.0, 10.0] * (len(sim) // 2), dtype="Float64")
    d = prepare_coup_data(sim, treatment="has_partnership", controls=["log1p_us_troops"], lag=2,
                          years=(1998, 2010), periods=(2001, 2006))
    assert d.attrs["coup_data"]["periods"] == ["period_2001_2005", "period_2006_2010"]
    assert d.attrs["coup_data"]["period_reference"] == "1998-2000"
    r = d.set_index("year")
    assert (r.loc[2001, "period_2001_2005"] == 1).all() and (r.loc[2000, "period_2001_2005"] == 0).all()
    assert (r.loc[2006, "period_2006_2010"] == 1).all()
    assert set(np.round(d["log1p_us_troops"], 6)) == {0.0, round(float(np.log(11.0)), 6)}
    with pytest.raises(ValueError, match="periods"):
        prepare_coup_data(sim, treatment="has_partnership", controls=[], years=(1998, 2010), periods=(1998,))
    # a treatment coded from 2002 only: the reference period 1998-2000 is empty, 2001-2005 takes its place
    late = sim.assign(has_partnership=sim["has_partnership"].where(sim["year"] >= 2002))
    e = prepare_coup_data(late, treatment="has_partnership", controls=[], lag=1, years=(1998, 2010),
                          periods=(2001, 2006))
    assert e.attrs["coup_data"]["periods"] == ["period_2006_2010"]
    assert e.attrs["coup_data"]["period_reference"] == "2001-2005"
