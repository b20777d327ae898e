"""The count-model engine (analysis.models.counts, count_design, count_vcov): PPML against
pyfixest, separation, warm starts, weights, refits on a design, the alpha = 0 boundary, the
scaled score."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ModelError
from analysis.models import casualties, count_design, counts, fit_casualty_model, simulate_casualty_panel
from analysis.models.casualties import casualty_design

PPML_CSV = Path(__file__).resolve().parents[1] / "golden" / "count_models" / "ppml.csv"
Y, D = "fatalities_hostile_n", "is_robust_mandate"


def ppml_panel() -> pd.DataFrame:
    d = pd.read_csv(PPML_CSV)
    d["log_exp"] = np.log(d["personnel_years_n"])
    return d


def fit_ppml(d, **kw):
    args = dict(outcome="deaths_n", treatment="is_treated", controls=["conflict_z"],
                exposure="personnel_years_n", fe="mission+year", estimator="ppml") | kw
    return fit_casualty_model(d, **args)


def fepois(d, **kw):
    import pyfixest as pf  # a dev dependency (installed by `make venv`)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pf.fepois(
            "deaths_n ~ is_treated + conflict_z | mission_id_un + year", data=d, offset="log_exp",
            iwls_tol=1e-12, fixef_tol=1e-12, **kw,
        )


# ----------------------------------------------------------------------------- PPML vs pyfixest


def test_ppml_matches_pyfixest_fepois_coefficients_and_cluster_ses():
    import pyfixest as pf

    d = ppml_panel()
    ours = fit_ppml(d, vcov="glm_fixed_theta").estimates.set_index("term")
    ours_joint = fit_ppml(d).estimates.set_index("term")
    # Cluster adjustment G/(G-1) only: pyfixest ssc(k_adj=False) = R vcovCL = "glm_fixed_theta".
    f = fepois(d, vcov={"CRV1": "mission_id_un"}, ssc=pf.ssc(k_adj=False, G_adj=True))
    for term in ("is_treated", "conflict_z"):
        assert ours.loc[term, "estimate"] == pytest.approx(f.coef()[term], rel=1e-9)
        assert ours.loc[term, "std_error"] == pytest.approx(f.se()[term], rel=1e-7)
    # G/(G-1) (N-1)/(N-K) with every fixed effect counted in K: pyfixest k_fixef="full" = "joint".
    f_full = fepois(d, vcov={"CRV1": "mission_id_un"}, ssc=pf.ssc(k_adj=True, k_fixef="full", G_adj=True))
    for term in ("is_treated", "conflict_z"):
        assert ours_joint.loc[term, "std_error"] == pytest.approx(f_full.se()[term], rel=1e-7)


def _separated_panel() -> tuple[pd.DataFrame, np.ndarray]:
    """A panel where a combination of two continuous controls separates 12 zero rows.

    ``w = conflict_z + s`` with ``s > 0`` only on 12 rows with zero deaths: the direction
    ``gamma = (w - conflict_z)`` is 0 on every row with deaths and > 0 on those 12 zeros.
    No single term separates anything (both controls are continuous).
    """
    d = ppml_panel()
    rng = np.random.default_rng(5)
    zeros = np.flatnonzero(d["deaths_n"].to_numpy() == 0)
    sep = rng.choice(zeros, size=12, replace=False)
    s = np.zeros(len(d))
    s[sep] = rng.uniform(0.5, 2.0, size=12)
    d["w"] = d["conflict_z"] + s
    mask = np.zeros(len(d), dtype=bool)
    mask[sep] = True
    return d, mask


def test_separated_rows_are_found_like_pyfixest_and_the_separating_term_is_named():
    d, mask = _separated_panel()
    kw = dict(outcome="deaths_n", treatment="is_treated", exposure="personnel_years_n", fe="mission+year")
    # The linear programme finds exactly the 12 separated rows.
    clean = casualty_design(d, controls=["conflict_z"], **kw)
    both = count_design.CountDesign(
        clean.design.y, np.column_stack([clean.design.X, d["w"].to_numpy()]), ["const", "is_treated",
                                                                                "conflict_z", "w"],
        fe=clean.design.fe, offset=clean.design.offset, groups=clean.design.groups,
    )
    np.testing.assert_array_equal(count_design.separated_rows(both), mask)
    # Dropping them leaves w - conflict_z = 0 on every row: w is not identified, and the error says why.
    with pytest.raises(ModelError, match=r"after dropping 12 separated rows .*rank deficient.*: w "):
        fit_ppml(d, controls=["conflict_z", "w"])
    # pyfixest's iterative rectifier (Correia, Guimaraes & Zylkin 2019) drops the same 12 rows,
    # then w as collinear; its estimates equal ours on the rows left without w.
    import pyfixest as pf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = pf.fepois("deaths_n ~ is_treated + conflict_z + w | mission_id_un + year", data=d,
                      offset="log_exp", separation_check=["fe", "ir"], iwls_tol=1e-12, fixef_tol=1e-12)
    assert f._N == len(d) - 12
    ours = fit_ppml(d[~mask]).estimates.set_index("term")["estimate"]
    for term in ("is_treated", "conflict_z"):
        assert ours[term] == pytest.approx(f.coef()[term], rel=1e-7)


@pytest.mark.filterwarnings("ignore:The design matrix is rank-deficient")
def test_separation_removing_whole_groups_is_dropped_and_recorded():
    # Mission X runs in 2014 only, and in 2014 no other mission has a death: gamma = D_2014 - D_X
    # is 0 on X's rows (with deaths) and 1 on the other missions' 2014 rows (all zero), so those
    # rows are separated. Without them, X and 2014 coincide: the 2014 level is absorbed.
    rng = np.random.default_rng(8)
    rows = []
    for m in range(12):
        for year in range(2010, 2018):
            rows.append({"mission_id_un": f"M{m:02d}", "year": year, "x": rng.normal(),
                         "deaths_n": int(rng.poisson(3)) if year != 2014 else 0, "personnel_years_n": 10.0})
    for _ in range(6):
        rows.append({"mission_id_un": "X", "year": 2014, "x": rng.normal(),
                     "deaths_n": int(rng.poisson(3)) + 1, "personnel_years_n": 10.0})
    d = pd.DataFrame(rows)
    d["is_treated"] = (rng.random(len(d)) < 0.5).astype(float)
    cd = casualty_design(d, outcome="deaths_n", treatment="is_treated", controls=["x"],
                         exposure="personnel_years_n", fe="mission+year", estimator="ppml")
    assert cd.dropped["separated_rows"] == 12 and cd.dropped["absorbed_fe_levels"] == 1
    assert cd.design.n == len(d) - 12
    assert any("year[2014] merged into their reference level" in w for w in cd.warnings)
    r = cd.result(cd.fit())
    assert r.nobs == len(d) - 12 and r.extra["dropped"]["separated_rows"] == 12
    # The same as a plain Poisson GLM on the rows left with every dummy (statsmodels' pinv
    # solution: the aliased year 2014 dummy does not change the other estimates).
    import statsmodels.api as sm

    left = d[~((d["year"] == 2014) & (d["mission_id_un"] != "X"))]
    dummies = [pd.get_dummies(left[c].astype(str), drop_first=True) for c in ("mission_id_un", "year")]
    X = pd.concat([left[["is_treated", "x"]], *dummies], axis=1).astype(float)
    glm = sm.GLM(left["deaths_n"], sm.add_constant(X), family=sm.families.Poisson(),
                 offset=np.log(left["personnel_years_n"])).fit(tol=1e-12)
    for term in ("is_treated", "x"):
        assert r.term(term)["estimate"] == pytest.approx(glm.params[term], rel=1e-7)


def test_no_separation_check_is_cheap_when_rows_with_events_have_full_rank():
    d = ppml_panel()
    design = casualty_design(d, outcome="deaths_n", treatment="is_treated", controls=["conflict_z"],
                             exposure="personnel_years_n", fe="mission+year")
    assert not count_design.separated_rows(design.design).any()
    assert design.dropped["separated_rows"] == 0


def test_separation_without_linear_programme_when_nothing_can_separate():
    # All-zero groups are dropped before: the positive rows cover every FE level.
    df = simulate_casualty_panel(n_missions=40, seed=3)
    cd = casualty_design(df, outcome=Y, treatment=D, controls=["conflict_z"], fe="mission+year")
    assert cd.dropped["all_zero_fe_groups"] > 0 and cd.dropped["separated_rows"] == 0


# ----------------------------------------------------------------------------- warm starts


@pytest.fixture(scope="module")
def panel():
    return simulate_casualty_panel(n_missions=80, alpha=1.5, seed=21)


@pytest.mark.parametrize("estimator", ["negbin", "ppml"])
def test_warm_start_from_a_neighbouring_spec_gives_identical_numbers(panel, estimator):
    kw = dict(outcome=Y, treatment=D, fe="mission+year", estimator=estimator)
    cold = fit_casualty_model(panel, controls=["conflict_z"], **kw)
    neighbour = fit_casualty_model(panel, controls=[], **kw)  # conflict_z is new: starts at 0
    warm = fit_casualty_model(panel, controls=["conflict_z"], start_params=neighbour, **kw)
    assert any("warm start" in p for p in warm.fit_stats["optimizer_path"])
    cols = ["estimate", "std_error", "p_value"]
    np.testing.assert_allclose(warm.estimates[cols].to_numpy(), cold.estimates[cols].to_numpy(), rtol=1e-8)
    np.testing.assert_allclose(warm.extra["fe_estimates"]["estimate"], cold.extra["fe_estimates"]["estimate"],
                               rtol=1e-8, atol=1e-10)
    if estimator == "negbin":
        assert warm.fit_stats["alpha"] == pytest.approx(cold.fit_stats["alpha"], rel=1e-8)
        assert warm.fit_stats["llf_poisson"] == pytest.approx(cold.fit_stats["llf_poisson"], rel=1e-12)
    # Fewer Newton iterations from the neighbour's estimates.
    assert warm.fit_stats["iterations"] <= cold.fit_stats["iterations"]


def test_nb2_and_ppml_of_one_design_share_its_poisson_fit_with_the_same_bits(panel, monkeypatch):
    # NB2 starts from the Poisson fit: a second fit of the same design (NB2 then PPML, as neighbours of a
    # specification curve) reuses it instead of refitting, and must give what a new design gives.
    kw = dict(outcome=Y, treatment=D, controls=["conflict_z"], fe="mission+year", estimator="negbin")
    cd = casualty_design(panel, **kw)
    calls = []
    real = counts._fit_poisson
    monkeypatch.setattr(counts, "_fit_poisson", lambda *a: calls.append(1) or real(*a))
    nb, pp = counts.fit_design(cd.design, "negbin"), counts.fit_design(cd.design, "ppml")
    assert len(calls) == 1
    for est, shared in (("negbin", nb), ("ppml", pp)):
        fresh = counts.fit_design(casualty_design(panel, **kw).design, est)
        assert np.array_equal(shared.params, fresh.params) and np.array_equal(shared.cov, fresh.cov)
        assert shared.optimizer_path == fresh.optimizer_path and shared.llf == fresh.llf
    assert len(calls) == 3
    # weights or a warm start fit the Poisson model anew
    counts.fit_design(cd.design, "ppml", weights=np.ones(cd.design.n))
    counts.fit_design(cd.design, "ppml", start=nb.start_values)
    assert len(calls) == 5


def test_a_poor_warm_start_still_reaches_the_same_maximum(panel):
    kw = dict(outcome=Y, treatment=D, controls=["conflict_z"], fe="year")
    cold = fit_casualty_model(panel, **kw)
    bad = {"const": 3.0, D: 4.0, "conflict_z": -5.0, "alpha": 40.0, "year[2005]": 7.0, "not_a_term": 1.0}
    warm = fit_casualty_model(panel, start_params=bad, **kw)
    np.testing.assert_allclose(warm.estimates["estimate"], cold.estimates["estimate"], rtol=1e-8)
    assert warm.fit_stats["max_scaled_score"] < 1e-6


def test_start_values_are_not_written_to_results_json(panel):
    r = fit_casualty_model(panel, outcome=Y, treatment=D, fe="year")
    assert r.start_values["alpha"] == r.fit_stats["alpha"] and set(r.start_values["poisson"]) >= {"const", D}
    assert "start_values" not in r.to_dict()
    with pytest.raises(TypeError, match="start_params must be a ModelResult or a mapping"):
        fit_casualty_model(panel, outcome=Y, treatment=D, start_params=[1.0, 2.0])


# ----------------------------------------------------------------------------- refits on a design


def test_frequency_weights_equal_repeated_rows(panel):
    cd = casualty_design(panel, outcome=Y, treatment=D, controls=["conflict_z"], fe="year")
    rng = np.random.default_rng(0)
    w = rng.integers(1, 4, cd.design.n).astype(float)
    wfit = cd.fit(weights=w)
    rep = np.repeat(np.arange(cd.design.n), w.astype(int))
    big = count_design.CountDesign(
        cd.design.y[rep], cd.design.X[rep], cd.design.dense_names,
        fe=[count_design.FixedEffect(f.name, f.codes[rep], f.levels) for f in cd.design.fe],
        offset=cd.design.offset[rep], groups=cd.design.groups[rep],
    )
    rfit = counts.fit_design(big, "negbin")
    np.testing.assert_allclose(wfit.params, rfit.params, rtol=1e-8, atol=1e-10)
    assert wfit.alpha == pytest.approx(rfit.alpha, rel=1e-8)
    assert wfit.llf == pytest.approx(rfit.llf, rel=1e-10)
    # Same clusters, same N = sum of weights: the same cluster-robust covariance.
    np.testing.assert_allclose(np.diag(wfit.cov), np.diag(rfit.cov), rtol=1e-7)


def test_refit_without_covariance_and_on_a_subset(panel):
    cd = casualty_design(panel, outcome=Y, treatment=D, controls=["conflict_z"], fe="year")
    full = cd.fit()
    quick = cd.fit(compute_cov=False, start=full.start_values)
    np.testing.assert_allclose(quick.params, full.params, rtol=1e-9)
    assert np.isnan(quick.cov).all()
    # Leave one mission out: the subset design equals the design built from the smaller frame.
    drop = "SIM003"
    sub = cd.design.subset(cd.design.groups != cd.design.group_levels.index(drop))
    assert drop not in sub.group_levels and sub.n_groups == cd.design.n_groups - 1
    frame_fit = fit_casualty_model(panel[panel["mission_id_un"] != drop], outcome=Y, treatment=D,
                                   controls=["conflict_z"], fe="year")
    sub_fit = counts.fit_design(sub, "negbin")
    est = frame_fit.estimates.set_index("term")
    terms = ["const", D, "conflict_z"]
    np.testing.assert_allclose(sub_fit.params[: sub.p], est.loc[terms, "estimate"], rtol=1e-8)
    np.testing.assert_allclose(np.sqrt(np.diag(sub_fit.cov))[: sub.p], est.loc[terms, "std_error"], rtol=1e-8)


# ----------------------------------------------------------------------------- boundary and scaling


def test_no_overdispersion_gives_the_poisson_boundary():
    rng = np.random.default_rng(4)
    n = 600
    x = rng.normal(size=n)
    df = pd.DataFrame({
        "mission_id_un": [f"M{i % 30:02d}" for i in range(n)],
        "year": 2000 + (np.arange(n) % 12),
        Y: rng.binomial(4, 1 / (1 + np.exp(-(0.2 + 0.3 * x)))),  # underdispersed counts
        D: (rng.random(n) < 0.5).astype(float),
        "conflict_z": x,
        "personnel_total_n": 1.0,
    })
    nb = fit_casualty_model(df, outcome=Y, treatment=D, controls=["conflict_z"], fe="none")
    pois = fit_casualty_model(df, outcome=Y, treatment=D, controls=["conflict_z"], fe="none",
                              estimator="ppml")
    assert nb.fit_stats["alpha"] == 0.0 and nb.fit_stats["optimizer"] == "boundary (alpha = 0)"
    assert any("alpha = 0 (boundary)" in w for w in nb.warnings)
    np.testing.assert_allclose(nb.estimates["estimate"], pois.estimates["estimate"], rtol=1e-12)
    np.testing.assert_allclose(nb.estimates["std_error"], pois.estimates["std_error"], rtol=1e-12)
    assert nb.fit_stats["lr_alpha"] == 0.0


def test_scaled_score_does_not_depend_on_units(panel):
    a = fit_casualty_model(panel, outcome=Y, treatment=D, controls=["conflict_z"], fe="year")
    b = fit_casualty_model(panel.assign(conflict_z=panel["conflict_z"] * 1000.0), outcome=Y, treatment=D,
                           controls=["conflict_z"], fe="year")
    slope_a, slope_b = a.term("conflict_z")["estimate"], b.term("conflict_z")["estimate"]
    assert slope_b * 1000 == pytest.approx(slope_a, rel=1e-8)
    assert b.term("conflict_z")["z"] == pytest.approx(a.term("conflict_z")["z"], rel=1e-8)
    assert a.fit_stats["max_scaled_score"] < 1e-6 and b.fit_stats["max_scaled_score"] < 1e-6


def test_scaled_score_is_score_times_standard_error():
    g = np.array([2.0, -0.5])
    negH = np.array([[4.0, 1.0], [1.0, 2.0]])
    from scipy import linalg

    sc, inv = counts._scaled_score(g, linalg.cho_factor(negH))
    se = np.sqrt(np.diag(np.linalg.inv(negH)))
    assert sc == pytest.approx(max(abs(g) * se))
    np.testing.assert_allclose(inv, np.linalg.inv(negH))


def test_invalid_vcov_lists_valid_values(panel):
    valid = r"vcov='HC3' is not valid; valid values: 'joint', 'glm_fixed_theta', 'glm_fixed_theta_hc1'"
    with pytest.raises(ValueError, match=valid):
        fit_casualty_model(panel, outcome=Y, treatment=D, vcov="HC3")


def test_divergence_is_reported_as_model_error():
    with pytest.raises(ModelError, match="estimates diverge for x"):
        casualties.check_divergence("spec", ["const", "x"], np.array([0.0, math.inf]))
