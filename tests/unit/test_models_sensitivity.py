"""E-values and Cinelli-Hazlett sensitivity: published examples and the closed forms."""

import json
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis.models import (
    fit_casualty_model,
    fit_coup_model,
    prepare_coup_data,
    simulate_casualty_panel,
    simulate_coup_panel,
)
from analysis.models.sensitivity import (
    adjusted_estimate,
    benchmark_bounds,
    e_value,
    e_value_for,
    fit_linear,
    partial_r2,
    robustness_value,
    sensitivity_linear,
)
from analysis.models.wild_bootstrap import wild_cluster_bootstrap


def test_e_value_published_example():
    # VanderWeele & Ding (2017), Ann Intern Med: RR 3.9 (95% CI 1.8 to 8.7) -> E 7.26, CI 3.0
    ev = e_value(3.9, 1.8, 8.7)
    assert ev["e_value"] == pytest.approx(7.26, abs=0.005)
    assert ev["e_value_ci"] == pytest.approx(3.0, abs=0.005)


def test_e_value_protective_null_and_conversions():
    ev = e_value(0.8, 0.6, 1.1, kind="rate_ratio")
    assert ev["e_value"] == pytest.approx(1.25 + math.sqrt(1.25 * 0.25))
    assert ev["e_value_ci"] == 1.0  # the interval includes 1
    ev = e_value(0.5, 0.3, 0.8)
    assert ev["e_value_ci"] == pytest.approx(1.25 + math.sqrt(1.25 * 0.25))  # limit closer to 1: 0.8
    common = e_value(4.0, kind="odds_ratio", rare=False)
    assert common["rr"] == pytest.approx(2.0) and common["e_value"] == pytest.approx(2 + math.sqrt(2))
    assert e_value(4.0, kind="odds_ratio", rare=True)["rr"] == 4.0
    hr = e_value(2.0, kind="hazard_ratio", rare=False)
    assert hr["rr"] == pytest.approx((1 - 0.5 ** math.sqrt(2)) / (1 - 0.5 ** math.sqrt(0.5)))
    assert math.isnan(e_value(2.0)["e_value_ci"])
    with pytest.raises(ValueError, match="kind="):
        e_value(2.0, kind="ratio")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ratio must be"):
        e_value(-1.0)


def test_e_value_of_model_terms_rate_and_odds_ratios():
    df = simulate_casualty_panel(seed=2, n_missions=30, irr=0.4)
    r = fit_casualty_model(
        df, outcome="fatalities_hostile_n", treatment="is_robust_mandate", fe="year", estimator="poisson"
    )
    ev = e_value_for(r, "is_robust_mandate")
    row = r.term("is_robust_mandate")
    assert ev["kind"] == "rate_ratio" and ev["e_value"] == pytest.approx(e_value(row["ratio"])["e_value"])
    b = wild_cluster_bootstrap(r, df, "is_robust_mandate", reps=199)
    evb = e_value_for(r, "is_robust_mandate", ci=(b.ratio_ci_low, b.ratio_ci_high))
    assert evb["ci_high"] == b.ratio_ci_high
    cp = simulate_coup_panel(seed=2)
    d = prepare_coup_data(cp, treatment="has_partnership", controls=[])
    rc = fit_coup_model(d, treatment="has_partnership")
    evc = e_value_for(rc, "has_partnership")
    assert evc["kind"] == "odds_ratio" and evc["rare"] and evc["outcome_share"] < 0.15
    assert e_value_for(rc, "has_partnership", rare=False)["rr"] == pytest.approx(math.sqrt(evc["ratio"]))
    json.dumps(evc, allow_nan=True)


def test_robustness_value_darfur_published_numbers():
    # Cinelli & Hazlett (2020), Darfur: directlyharmed t = 4.18, df = 783 -> R2 2.2%, RV 13.9%, RV_0.05 7.6%
    assert partial_r2(4.18445, 783) == pytest.approx(0.022, abs=0.0005)
    assert robustness_value(4.18445, 783) == pytest.approx(0.139, abs=0.0005)
    assert robustness_value(4.18445, 783, alpha=0.05) == pytest.approx(0.076, abs=0.0005)
    assert robustness_value(1.0, 783, alpha=0.05) == 0.0  # not significant: RV_alpha is 0
    # extreme case (f_q > 1 / f*): the closed form (f_q^2 - f*^2) / (1 + f_q^2)
    t, dof = 60.0, 100
    fq, fc = t / math.sqrt(dof), 1.984217 / math.sqrt(dof - 1)
    assert robustness_value(t, dof, alpha=0.05) == pytest.approx((fq**2 - fc**2) / (1 + fq**2), rel=1e-4)


def test_benchmark_bounds_darfur_female():
    # published: female t = -9.789 (outcome) and -2.680 (treatment), df 783; estimate 0.0973, se 0.0232
    bd = benchmark_bounds(partial_r2(-2.680, 783), partial_r2(-9.789, 783), [1, 2, 3])
    np.testing.assert_allclose(bd["r2dz_x"], [0.0092, 0.0183, 0.0275], atol=5e-5)
    np.testing.assert_allclose(bd["r2yz_dx"], [0.1246, 0.2493, 0.3741], atol=5e-5)
    adj = adjusted_estimate(0.0973, 0.0232, 783, bd["r2dz_x"].to_numpy(), bd["r2yz_dx"].to_numpy())
    np.testing.assert_allclose(adj["adjusted_estimate"], [0.0752, 0.0530, 0.0305], atol=5e-4)
    np.testing.assert_allclose(adj["adjusted_se"], [0.0218, 0.0203, 0.0186], atol=2e-4)
    with pytest.raises(ValueError, match="kd"):
        benchmark_bounds(0.4, 0.1, [2])


def confounded(seed=0, n=600):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    z = rng.normal(size=n)
    d = (0.5 * x + 0.6 * z + rng.normal(size=n) > 0).astype(float)
    y = 0.3 * d + 0.4 * x + 0.7 * z + rng.normal(size=n)
    g = np.repeat(np.arange(n // 20), 20)
    return pd.DataFrame({"y": y, "d": d, "x": x, "z": z, "g": g, "yr": rng.integers(0, 5, n)})


def test_bias_formula_is_exact_for_the_actual_confounder():
    """Removing the bias of the actual omitted Z (its partial R2s) gives the estimate with Z."""
    df = confounded()
    short = fit_linear(df, outcome="y", treatment="d", controls=["x"], fe=["yr"])
    long_ = fit_linear(df, outcome="y", treatment="d", controls=["x", "z"], fe=["yr"])
    s = sensitivity_linear(short, df, "d")
    dof = s.summary["dof"]
    # partial R2 of Z with D given X, and of Z with Y given D and X, from the long regressions
    X = sm.add_constant(pd.get_dummies(df["yr"], drop_first=True, dtype=float).assign(x=df["x"]))
    t_dz = sm.OLS(df["d"], X.assign(z=df["z"])).fit().tvalues["z"]
    r2dz = partial_r2(t_dz, len(df) - X.shape[1] - 1)
    t_yz = sm.OLS(df["y"], X.assign(d=df["d"], z=df["z"])).fit().tvalues["z"]
    r2yz = partial_r2(t_yz, len(df) - X.shape[1] - 2)
    adj = adjusted_estimate(s.summary["estimate"], s.summary["se"], dof, r2dz, r2yz)
    assert adj["adjusted_estimate"].item() == pytest.approx(long_.term("d")["estimate"], rel=1e-8)
    assert short.term("d")["estimate"] > long_.term("d")["estimate"] + 0.2  # Z biases it upwards
    # a confounder with both partial R2 equal to RV_1 explains the estimate away exactly
    rv = s.summary["rv_q"]
    zero = adjusted_estimate(s.summary["estimate"], s.summary["se"], dof, rv, rv)
    assert zero["adjusted_estimate"].item() == pytest.approx(0.0, abs=1e-10)
    rva = s.summary["rv_qa"]
    edge = adjusted_estimate(s.summary["estimate"], s.summary["se"], dof, rva, rva)
    assert edge["adjusted_ci_low"].item() == pytest.approx(0.0, abs=1e-8)


def test_sensitivity_linear_benchmarks_and_classical_t():
    df = confounded(seed=1)
    r = fit_linear(df, outcome="y", treatment="d", controls=["x"], fe=["yr"], cluster="g")
    s = sensitivity_linear(r, df, "d", benchmarks=["x"], kd=[1, 2])
    X = sm.add_constant(pd.get_dummies(df["yr"], drop_first=True, dtype=float).assign(d=df["d"], x=df["x"]))
    ols = sm.OLS(df["y"], X).fit()
    assert s.summary["t_stat"] == pytest.approx(ols.tvalues["d"])  # classical, not the clustered t
    assert s.summary["se"] == pytest.approx(ols.bse["d"])
    assert s.summary["dof"] == ols.df_resid
    assert s.summary["r2yd_x"] == pytest.approx(partial_r2(ols.tvalues["d"], ols.df_resid))
    assert list(s.bounds["kd"]) == [1.0, 2.0] and (s.bounds["benchmark"] == "x").all()
    assert s.bounds["r2yxj_dx"].iloc[0] == pytest.approx(partial_r2(ols.tvalues["x"], ols.df_resid))
    assert (s.bounds["adjusted_estimate"].diff().dropna() < 0).all()
    json.dumps(s.to_dict(), allow_nan=False)
    with pytest.raises(ValueError, match="fit_linear"):
        sensitivity_linear(
            fit_coup_model(
                prepare_coup_data(simulate_coup_panel(seed=2), treatment="has_partnership", controls=[]),
                treatment="has_partnership",
            ),
            df,
            "d",
        )


def test_fit_linear_matches_statsmodels_cluster_robust():
    df = confounded(seed=2)
    r = fit_linear(df, outcome="y", treatment="d", controls=["x"], cluster="g")
    X = sm.add_constant(df[["d", "x"]])
    ref = sm.OLS(df["y"], X).fit(cov_type="cluster", cov_kwds={"groups": df["g"]})
    assert r.term("d")["estimate"] == pytest.approx(ref.params["d"])
    assert r.term("d")["std_error"] == pytest.approx(ref.bse["d"], rel=1e-8)
    assert r.estimator == "ols" and r.n_clusters == 30 and math.isnan(r.term("d")["ratio"])
