"""Entropy balancing (Hainmueller 2012: exact moment balance, positive weights summing to one,
base weights when balance holds, no solution outside the convex hull) and randomization
inference (p uniform under the null on simulated coup panels)."""

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ModelError
from analysis.models.balance import balanced_contrast, entropy_balance, randomization_test
from analysis.models.dgp import simulate_coup_panel


def _groups(seed=0, n1=80, n0=400):
    rng = np.random.default_rng(seed)
    Xt = np.column_stack([rng.normal(0.5, 1, n1), rng.binomial(1, 0.6, n1), rng.gamma(2, 1, n1)])
    Xc = np.column_stack([rng.normal(0, 1.2, n0), rng.binomial(1, 0.3, n0), rng.gamma(1.5, 1, n0)])
    return Xt, Xc


@pytest.mark.parametrize("moments", [1, 2])
def test_weighted_untreated_moments_equal_treated_moments(moments):
    Xt, Xc = _groups()
    b = entropy_balance(Xt, Xc, moments=moments, names=["a", "b", "c"])
    assert np.all(b.weights > 0) and b.weights.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(b.weights @ Xc, Xt.mean(axis=0), atol=1e-7)
    if moments == 2:
        np.testing.assert_allclose(b.weights @ Xc[:, [0, 2]] ** 2, (Xt[:, [0, 2]] ** 2).mean(axis=0),
                                   rtol=1e-7)
    assert b.max_imbalance < 1e-8
    assert np.abs(b.table["std_difference_after"]).max() < 1e-7
    assert np.abs(b.table["std_difference_before"]).max() > 0.3  # there was imbalance to remove
    assert 1 < b.effective_n < len(Xc)


def test_balanced_sample_keeps_base_weights():
    rng = np.random.default_rng(3)
    Xc = rng.normal(size=(200, 2))
    Xt = Xc[:50] - Xc[:50].mean(axis=0) + Xc.mean(axis=0)  # same means as the untreated rows
    b = entropy_balance(Xt, Xc)
    np.testing.assert_allclose(b.weights, np.full(200, 1 / 200), atol=1e-10)


def test_no_solution_outside_the_convex_hull():
    Xc = np.random.default_rng(1).uniform(0, 1, size=(100, 1))
    with pytest.raises(ModelError, match="no balancing weights|cannot balance|outside"):
        entropy_balance(np.array([[2.0], [3.0]]), Xc)


def test_constant_untreated_covariate_cannot_be_balanced():
    with pytest.raises(ModelError, match="constant"):
        entropy_balance(np.array([[1.0], [0.0]]), np.zeros((10, 1)))


def test_contrast_recovers_effect_on_the_treated_under_selection_on_observables():
    rng = np.random.default_rng(7)
    n = 20000
    x = rng.normal(size=n)
    d = rng.random(n) < 1 / (1 + np.exp(-(x - 1)))
    p0 = 1 / (1 + np.exp(-(-2 + x)))
    y = rng.random(n) < np.where(d, np.minimum(p0 + 0.1, 1), p0)
    df = pd.DataFrame({"y": y, "d": d, "x": x})
    naive = y[d].mean() - y[~d].mean()
    r = balanced_contrast(df, outcome="y", treatment="d", covariates=["x"], moments=2)
    assert abs(r.risk_difference - 0.1) < 0.03 and abs(naive - 0.1) > 0.05


def test_no_events_among_treated_is_a_status():
    df = pd.DataFrame({"y": [0, 0, 1, 0, 1, 0], "d": [1, 1, 0, 0, 0, 0], "x": [0.1, 0.2, 0.0, 0.3, 0.2, 0.1]})
    assert balanced_contrast(df, outcome="y", treatment="d", covariates=["x"]).status == "no events"


def _sim_frame(seed, odds_ratio):
    sim = simulate_coup_panel(n_countries=40, years=(1995, 2014), odds_ratio=odds_ratio, seed=seed)
    sim = sim.sort_values(["country_id_gw", "year"])
    g = sim.groupby("country_id_gw")
    df = pd.DataFrame({
        "country_id_gw": sim["country_id_gw"],
        "year": sim["year"],
        "y": sim["has_coup_attempt"].astype(float),
        "d": g["has_partnership"].shift(1).astype(float),
        "conflict": g["has_conflict"].shift(1).astype(float),
        "lgdp": np.log(g["gdp_pc_usd"].shift(1).astype(float)),
        "dem": g["v2x_polyarchy"].shift(1).astype(float),
    })
    return df.dropna()


@pytest.mark.slow
def test_randomization_p_value_is_uniform_under_the_null():
    ps = []
    for seed in range(80):
        df = _sim_frame(seed, 1.0)
        r = randomization_test(df, outcome="y", treatment="d", covariates=["conflict", "lgdp", "dem"],
                               reps=99, seed=seed, scheme="units")
        ps.append(r.p_value)
    ps = np.array(ps)
    assert 0.02 <= np.mean(ps <= 0.10) <= 0.22  # nominal 10%
    assert 0.35 <= np.mean(ps) <= 0.65
    from scipy import stats

    assert stats.kstest(ps, "uniform").pvalue > 0.01


def test_randomization_test_is_reproducible_and_detects_a_strong_effect():
    df = _sim_frame(1, 6.0)
    a = randomization_test(df, outcome="y", treatment="d", covariates=["conflict", "lgdp", "dem"], reps=199,
                           seed=5)
    b = randomization_test(df, outcome="y", treatment="d", covariates=["conflict", "lgdp", "dem"], reps=199,
                           seed=5)
    assert a.p_value == b.p_value and a.permutations + a.permutations_failed == 199
    assert a.risk_difference > 0 and a.p_value < 0.05
