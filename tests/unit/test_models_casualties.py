import json
import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.discrete.discrete_model import NegativeBinomial

from analysis.errors import MissingColumnError, ModelError
from analysis.models import casualties, count_vcov, counts, fit_casualty_model, simulate_casualty_panel
from analysis.models.casualties import FastNB2

Y = "fatalities_hostile_n"
D = "is_robust_mandate"
LOG_IRR = math.log(0.5)


def fit(df, **kw):
    args = dict(outcome=Y, treatment=D, controls=["conflict_z"]) | kw
    return fit_casualty_model(df, **args)


def covers(row, truth):
    return row["ci_low"] <= truth <= row["ci_high"]


# ----------------------------------------------------------------------------- recovery


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_negbin_year_fe_recovers_irr(seed):
    df = simulate_casualty_panel(n_missions=120, mission_sd=0.3, seed=seed)
    r = fit(df, fe="year", estimator="negbin")
    row = r.term(D)
    assert covers(row, LOG_IRR)
    assert abs(row["estimate"] - LOG_IRR) < 0.3
    assert row["ratio"] == pytest.approx(math.exp(row["estimate"]))
    assert r.term("conflict_z")["estimate"] == pytest.approx(0.3, abs=0.1)
    assert r.converged and r.fit_stats["optimizer"] == "newton"
    assert r.n_clusters == df["mission_id_un"].nunique()


def test_negbin_recovers_alpha_without_mission_heterogeneity():
    df = simulate_casualty_panel(n_missions=150, mission_sd=0.0, alpha=0.5, seed=4)
    r = fit(df, fe="year", estimator="negbin")
    fs = r.fit_stats
    assert fs["alpha"] == pytest.approx(0.5, abs=0.15)
    assert fs["alpha"] - 1.96 * fs["alpha_se"] < 0.5 < fs["alpha"] + 1.96 * fs["alpha_se"]
    assert fs["llf"] > fs["llf_poisson"] and fs["lr_alpha"] > 10
    assert covers(r.term(D), LOG_IRR)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mission_fe_removes_confounding_that_biases_year_fe(seed):
    df = simulate_casualty_panel(n_missions=120, confounding=2.0, seed=seed)
    fe_both = fit(df, fe="mission+year", estimator="negbin").term(D)
    assert covers(fe_both, LOG_IRR)
    assert abs(fe_both["estimate"] - LOG_IRR) < 0.3
    year_only = fit(df, fe="year", estimator="negbin").term(D)
    assert year_only["estimate"] - LOG_IRR > 0.4  # dangerous missions adopt robust mandates
    assert not covers(year_only, LOG_IRR)


@pytest.mark.parametrize("seed", [0, 1])
def test_poisson_mission_year_fe_recovers_irr(seed):
    df = simulate_casualty_panel(n_missions=120, seed=seed)
    r = fit(df, fe="mission+year", estimator="poisson")
    row = r.term(D)
    assert covers(row, LOG_IRR) and abs(row["estimate"] - LOG_IRR) < 0.3
    assert r.fit_stats["alpha"] is None and r.fit_stats["optimizer"] == "IRLS"


@pytest.mark.slow  # 60 simulated panels, ~2.5 s
def test_poisson_cluster_se_matches_sampling_spread():
    est, se, cov = [], [], []
    for seed in range(60):
        df = simulate_casualty_panel(
            n_missions=40,
            years=(2005, 2014),
            alpha=0.3,
            mission_sd=0.5,
            exposure_na_share=0,
            exposure_zero_share=0,
            zero_missions=0,
            seed=1000 + seed,
        )
        try:
            row = fit_casualty_model(df, outcome=Y, treatment=D, fe="mission+year", estimator="poisson").term(
                D
            )
        except ModelError:  # an occasional small sample is separated
            continue
        est.append(row["estimate"])
        se.append(row["std_error"])
        cov.append(covers(row, LOG_IRR))
    assert len(est) >= 55
    assert abs(np.mean(est) - LOG_IRR) < 0.15
    assert 0.75 < np.mean(se) / np.std(est) < 1.3
    assert np.mean(cov) >= 0.8


# ----------------------------------------------------------------------------- rows and groups dropped


def test_all_zero_missions_dropped_and_counted_under_mission_fe():
    df = simulate_casualty_panel(n_missions=60, zero_missions=5, seed=7)
    ok = df["personnel_total_n"].fillna(0) > 0
    sums = df[ok].groupby("mission_id_un")[Y].sum()
    zero = set(sums.index[sums == 0])
    assert set(df.attrs["truth"]["zero_missions"]) <= zero
    r = fit(df, fe="mission", estimator="poisson")
    dropped = r.extra["dropped"]
    assert dropped["all_zero_fe_groups"] == len(zero)
    assert dropped["all_zero_fe_rows"] == int((ok & df["mission_id_un"].isin(zero)).sum())
    assert r.nobs == int(ok.sum()) - dropped["all_zero_fe_rows"]
    assert any(f"dropped {len(zero)} mission_id_un groups" in w for w in r.warnings)
    fe_terms = set(r.extra["fe_estimates"]["term"])
    assert not any(f"mission[{m}]" in fe_terms for m in zero)
    # Without mission FE nothing is dropped for being all zero.
    r2 = fit(df, fe="year", estimator="poisson")
    assert r2.extra["dropped"]["all_zero_fe_groups"] == 0 and r2.nobs == int(ok.sum())


def test_zero_year_dropped_after_zero_missions():
    # Mission B is all zero; once it is dropped, year 2002 is left with A's zero only.
    df = pd.DataFrame(
        {
            "mission_id_un": ["A"] * 4 + ["B"] * 2 + ["C"] * 3,
            "year": [2000, 2002, 2003, 2004, 2001, 2002, 2000, 2003, 2004],
            Y: [1, 0, 2, 3, 0, 0, 2, 1, 4],
            D: [0, 1, 1, 0, 1, 0, 1, 0, 1],
            "personnel_total_n": [100.0] * 9,
        }
    )
    df[Y] = df[Y].astype("Int64")
    r = fit_casualty_model(df, outcome=Y, treatment=D, fe="mission+year", estimator="poisson", cluster=None)
    assert r.extra["dropped"]["all_zero_fe_groups"] == 2
    assert r.extra["dropped"]["all_zero_fe_rows"] == 3
    assert r.nobs == 6
    assert "dropped 1 year groups (1 rows)" in r.warnings[-1]


def test_exposure_na_and_nonpositive_rows_dropped_and_counted():
    df = simulate_casualty_panel(n_missions=60, exposure_na_share=0.05, exposure_zero_share=0.03, seed=2)
    n_bad = df.attrs["truth"]["exposure_dropped"]
    assert n_bad > 20
    r = fit(df, fe="year", estimator="poisson")
    assert r.extra["dropped"]["exposure_na_or_nonpositive"] == n_bad
    assert f"dropped {n_bad} rows: exposure 'personnel_total_n' is NA or <= 0" in r.warnings
    assert r.nobs == len(df) - n_bad
    assert r.spec["offset"] == "log(personnel_total_n)"
    no_exp = fit(df, fe="year", estimator="poisson", exposure=None)
    assert no_exp.nobs == len(df) and no_exp.spec["offset"] is None
    assert no_exp.fit_stats["exposure_total"] is None


def test_boolean_treatment_na_rows_dropped_and_cast_to_01():
    df = simulate_casualty_panel(n_missions=60, treatment_na_share=0.05, seed=3)
    exp_ok = df["personnel_total_n"].fillna(0) > 0
    n_na = int((df[D].isna() & exp_ok).sum())
    assert n_na > 10
    r = fit(df, fe="year", estimator="poisson")
    assert r.extra["dropped"][f"{D}_na"] == n_na
    assert f"dropped {n_na} rows: treatment '{D}' is NA" in r.warnings
    as_int = df.assign(**{D: df[D].astype("Int64")})
    r_int = fit(as_int, fe="year", estimator="poisson")
    assert r_int.term(D)["estimate"] == pytest.approx(r.term(D)["estimate"], rel=1e-10)


def test_no_cluster_gives_hc0_and_no_cluster_count():
    df = simulate_casualty_panel(n_missions=40, seed=5)
    r = fit(df, fe="year", estimator="negbin", cluster=None)
    assert r.n_clusters is None and r.spec["cov_type"] == "HC0"
    assert np.isfinite(r.estimates["std_error"]).all()
    json.dumps(r.to_dict(), allow_nan=False)


# ----------------------------------------------------------------------------- validation


@pytest.fixture(scope="module")
def small():
    return simulate_casualty_panel(n_missions=30, seed=11)


def test_invalid_fe_lists_valid_values(small):
    with pytest.raises(
        ValueError,
        match=r"fe='country' is not valid; valid values: 'none', 'mission', 'year', "
        r"'mission\+year'",
    ):
        fit(small, fe="country")


def test_invalid_estimator_lists_valid_values(small):
    with pytest.raises(ValueError, match=r"estimator='ols' is not valid; valid values: 'poisson', 'negbin'"):
        fit(small, estimator="ols")


def test_unknown_column_and_bad_arguments(small):
    with pytest.raises(MissingColumnError, match=r"column 'is_robust' \(treatment\): expected column"):
        fit(small, treatment="is_robust")
    with pytest.raises(MissingColumnError, match=r"'personnel' \(exposure\)"):
        fit(small, exposure="personnel")
    with pytest.raises(ValueError, match="at least one column"):
        fit(small, treatment=[])
    with pytest.raises(ValueError, match="given twice"):
        fit(small, controls=[D])
    with pytest.raises(MissingColumnError, match=r"column 'country' \(cluster\)"):
        fit(small, cluster="country")


# ----------------------------------------------------------------------------- impossible specs


def test_all_zero_outcome_raises_model_error_naming_spec(small):
    df = small.assign(**{Y: pd.array([0] * len(small), dtype="Int64")})
    with pytest.raises(
        ModelError,
        match=r"model negbin fatalities_hostile_n ~ is_robust_mandate \+ conflict_z "
        r"\[exposure=personnel_total_n, fe=year, cluster=mission_id_un\]: .*zero",
    ):
        fit(df)


def test_constant_treatment_raises(small):
    df = small.assign(**{D: pd.array([True] * len(small), dtype="boolean")})
    with pytest.raises(ModelError, match="'is_robust_mandate' has no variation"):
        fit(df)


def test_perfectly_collinear_control_is_named(small):
    df = small.assign(conflict_2=small["conflict_z"] * 2 + 1)
    with pytest.raises(ModelError, match=r"rank deficient .*: conflict_2"):
        fit(df, controls=["conflict_z", "conflict_2"])


def test_treatment_collinear_with_mission_fe_is_named(small):
    codes = small["mission_id_un"].str[-1].astype(int)
    by_mission = pd.array((codes % 2 == 0).to_numpy(), dtype="boolean")
    with pytest.raises(ModelError, match=r"rank deficient .*: is_robust_mandate"):
        fit(small.assign(**{D: by_mission}), fe="mission")


def test_separated_treatment_raises(small):
    df = small.copy()
    df.loc[df[D].fillna(False).to_numpy(dtype=bool), Y] = 0
    with pytest.raises(
        ModelError, match=r"zero in every row where 'is_robust_mandate' = 1.*-inf \(separation\)"
    ):
        fit(df, estimator="poisson")


def test_separation_within_mission_fe_names_the_missions(small):
    df = small.copy()
    varies = df.groupby("mission_id_un")[D].transform("nunique") > 1
    untreated = ~df[D].fillna(False).to_numpy(dtype=bool)
    df.loc[varies.to_numpy() & untreated, Y] = 0
    with pytest.raises(
        ModelError,
        match=r"with mission fixed effects .* only within the \d+ mission groups "
        r"where it varies \(SIM.*= 0: its coefficient diverges to \+inf",
    ):
        fit(df, fe="mission+year", estimator="poisson")
    # Fine without mission FE (the pooled comparison is identified).
    assert np.isfinite(fit(df, fe="year", estimator="poisson").term(D)["estimate"])


def test_negative_or_fractional_counts_raise(small):
    df = small.assign(**{Y: small[Y].astype("Float64") - 0.5})
    with pytest.raises(ModelError, match="non-negative integer count"):
        fit(df)


# ----------------------------------------------------------------------------- optimizer robustness


def _failing_newton(orig, fail=lambda purpose: purpose != "polish", exc=None):
    """An nb_newton hook that raises for the attempts selected by ``fail``."""
    calls = []

    def hook(prob, theta0, purpose, *a, **kw):
        calls.append(purpose)
        if fail(purpose):
            raise exc or np.linalg.LinAlgError("Singular matrix (injected)")
        return orig(prob, theta0, purpose, *a, **kw)

    hook.calls = calls
    return hook


def test_nb_falls_back_to_bfgs_when_newton_fails(small, monkeypatch):
    ref = fit(small, fe="year")
    hook = _failing_newton(counts.nb_newton)
    monkeypatch.setattr(counts, "nb_newton", hook)
    r = fit(small, fe="year")
    assert r.fit_stats["optimizer"] == "bfgs"
    assert any(
        "newton: LinAlgError: Singular matrix (injected)" in w and "converged with bfgs" in w
        for w in r.warnings
    )
    # Newton from the Poisson start, Newton from alpha0 = 1, then BFGS polished by Newton.
    assert hook.calls == ["newton", "newton(alpha0=1)", "polish"]
    path = r.fit_stats["optimizer_path"]
    assert any(p.startswith("bfgs: ") for p in path) and "accepted" in path[-1]
    # The polished BFGS result is the maximum itself, not an approximation of it.
    assert r.fit_stats["max_scaled_score"] < 1e-6
    assert r.term(D)["estimate"] == pytest.approx(ref.term(D)["estimate"], rel=1e-8)
    assert r.term(D)["std_error"] == pytest.approx(ref.term(D)["std_error"], rel=1e-7)


@pytest.mark.slow
def test_quasi_newton_results_are_only_accepted_after_newton_polish(small, monkeypatch):
    # Newton fails everywhere, polishing included: the BFGS and Nelder-Mead results are
    # never returned unpolished.
    monkeypatch.setattr(counts, "nb_newton", _failing_newton(counts.nb_newton, fail=lambda p: True))
    with pytest.raises(ModelError, match=r"bfgs: LinAlgError.*; nm: LinAlgError"):
        fit(small, fe="year")


def test_newton_retries_from_alpha_one_before_quasi_newton(small, monkeypatch):
    hook = _failing_newton(counts.nb_newton, fail=lambda p: p == "newton")
    monkeypatch.setattr(counts, "nb_newton", hook)
    r = fit(small, fe="year")
    assert hook.calls == ["newton", "newton(alpha0=1)"]
    assert r.fit_stats["optimizer"] == "newton"
    assert "converged with newton(alpha0=1)" in r.warnings[-1]


def test_nb_reaches_nelder_mead(small, monkeypatch):
    hook = _failing_newton(counts.nb_newton)
    monkeypatch.setattr(counts, "nb_newton", hook)
    orig_q = counts.nb_quasi_newton
    quasi = []

    def only_nm(prob, theta0, method, maxiter):
        quasi.append(method)
        if method == "bfgs":
            raise ValueError("injected")
        return orig_q(prob, theta0, method, maxiter)

    monkeypatch.setattr(counts, "nb_quasi_newton", only_nm)
    r = fit(small, fe="none", controls=[])
    assert quasi == ["bfgs", "nm"]
    assert hook.calls == ["newton", "newton(alpha0=1)", "polish"]
    assert r.fit_stats["optimizer"] == "nm"
    assert r.fit_stats["max_scaled_score"] < 1e-6


def test_nb_all_optimizers_fail_raises_model_error(small, monkeypatch):
    def never(prob, theta0, method, maxiter):
        raise np.linalg.LinAlgError(f"{method} injected")

    monkeypatch.setattr(counts, "nb_newton", _failing_newton(counts.nb_newton, fail=lambda p: True))
    monkeypatch.setattr(counts, "nb_quasi_newton", never)
    with pytest.raises(
        ModelError,
        match=r"model negbin .*did not converge with any optimizer: newton: .*; newton\(alpha0=1\): .*; "
        r"bfgs: .*; nm: ",
    ):
        fit(small)


def test_nan_standard_errors_are_never_returned(small, monkeypatch):
    orig = count_vcov.covariance

    def nan_cov(*a, **kw):
        V, alpha_var, factor, disp = orig(*a, **kw)
        return np.full_like(V, np.nan), alpha_var, factor, disp

    monkeypatch.setattr(count_vcov, "covariance", nan_cov)
    with pytest.raises(ModelError, match="non-finite standard errors"):
        fit(small)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_fast_nb2_matches_statsmodels():
    rng = np.random.default_rng(0)
    n = 400
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 3)), rng.integers(0, 2, n)])
    off = rng.normal(size=n)
    y = rng.poisson(np.exp(0.3 * X[:, 1] + off) * rng.gamma(2.0, 0.5, n)).astype(float)
    p = np.array([0.1, 0.3, -0.2, 0.0, 0.4, 0.7])
    ref = NegativeBinomial(y, X, loglike_method="nb2", offset=off)
    fast = FastNB2(y, X, offset=off)
    np.testing.assert_allclose(fast.hessian(p), ref.hessian(p), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(fast.score_obs(p), ref.score_obs(p), rtol=1e-8, atol=1e-10)
    g = np.arange(n) % 25
    a = ref.fit(method="newton", disp=0, cov_type="cluster", cov_kwds={"groups": g})
    b = fast.fit(method="newton", disp=0, cov_type="cluster", cov_kwds={"groups": g})
    np.testing.assert_allclose(b.params, a.params, rtol=1e-8)
    np.testing.assert_allclose(b.bse, a.bse, rtol=1e-6)


def test_divergence_guard_names_terms():
    with pytest.raises(ModelError, match="estimates diverge for x"):
        casualties.check_divergence("spec", ["const", "x", "z"], np.array([-40.0, 30.0, 1.0]))
