"""Wild cluster (score) bootstrap, leave-one-cluster-out, t(G-1) and Romano-Wolf.

The linear case is checked against ``wildboottest`` (WCR) and ``pyfixest.rwolf`` under full
enumeration of the Rademacher weights, where every implementation must give the same
bootstrap distribution; the nonlinear cases against the models' own cluster-robust z.
"""

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.models import (
    fit_casualty_model,
    fit_coup_model,
    prepare_coup_data,
    simulate_casualty_panel,
    simulate_coup_panel,
)
from analysis.models.inference import leave_one_cluster_out, model_design, t_reference, term_status
from analysis.models.multiple_testing import Specification, romano_wolf
from analysis.models.sensitivity import fit_linear
from analysis.models.wild_bootstrap import bootstrap_weights, wild_cluster_bootstrap

TREAT = "is_robust_mandate"
Y = "fatalities_hostile_n"


def linear_frame(G=8, seed=3):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(5, 40, G)
    cl = np.repeat(np.arange(G), sizes)
    n = len(cl)
    x = rng.normal(size=n) + rng.normal(size=G)[cl]
    z = rng.normal(size=n)
    y = 1 + 0.2 * x + 0.5 * z + rng.normal(size=G)[cl] + rng.normal(size=n)
    df = pd.DataFrame({"y": y, "x": x, "z": z, "g": [f"C{c}" for c in cl], "gi": cl})
    df["y2"] = 0.5 + 0.05 * x + rng.normal(size=G)[cl] + rng.normal(size=n)
    df["y3"] = 0.5 + 0.3 * x + rng.normal(size=n)
    return df


@pytest.fixture(scope="module")
def casualty():
    df = simulate_casualty_panel(seed=1, n_missions=30)
    r = fit_casualty_model(
        df, outcome=Y, treatment=TREAT, controls=["conflict_z"], fe="year", estimator="poisson"
    )
    return df, r


@pytest.mark.slow
def test_linear_wcr_equals_wildboottest_under_full_enumeration():
    from wildboottest.wildboottest import WildboottestCL

    df = linear_frame()
    r = fit_linear(df, outcome="y", treatment="x", controls=["z"], cluster="g")
    b = wild_cluster_bootstrap(r, df, "x", reps=999)
    assert b.status == "ok" and b.enumerated and b.reps == 2**8
    d = model_design(r, df)
    wb = WildboottestCL(X=d.X, Y=d.y, cluster=df["gi"].to_numpy(), R=np.array([0, 1.0, 0]), B=999, seed=1)
    wb.get_scores(bootstrap_type="11", impose_null=True)
    wb.get_weights(weights_type="rademacher")
    wb.get_numer()
    wb.get_denom()
    wb.get_tboot()
    wb.get_vcov()
    wb.get_tstat()
    wb.get_pvalue()
    theirs = np.sort(np.asarray(wb.t_boot).ravel())
    assert len(theirs) == 256
    np.testing.assert_allclose(np.sort(b.t_boot), theirs, rtol=1e-9, atol=1e-9)
    assert b.t_stat == pytest.approx(float(np.ravel(wb.t_stat)[0]), rel=1e-9)
    assert b.t_stat == pytest.approx(r.term("x")["z"], rel=1e-9)
    # wildboottest counts |t*| > |t|, we count >=: they differ at most by the two draws that
    # reproduce the data (all +1 and all -1).
    assert abs(b.p_value - float(wb.pvalue)) <= 2 / 256 + 1e-12


@pytest.mark.slow  # pyfixest rwolf, 999 wild-bootstrap reps x 3 models, ~3 s
def test_romano_wolf_equals_pyfixest_rwolf_under_full_enumeration():
    import pyfixest as pf

    df = linear_frame()
    fam, fits = {}, []
    for yv in ("y", "y2", "y3"):
        fam[yv] = (fit_linear(df, outcome=yv, treatment="x", controls=["z"], cluster="g"), df, "x")
        fits.append(pf.feols(f"{yv} ~ x + z", data=df, vcov={"CRV1": "gi"}))
    ours = romano_wolf(fam, reps=999)
    assert ours.attrs["enumerated"] and ours.attrs["reps"] == 256
    with pytest.warns(UserWarning):
        theirs = pf.rwolf(fits, param="x", reps=999, seed=1)
    their_p = theirs.loc["RW Pr(>|t|)"].to_numpy(dtype=float)
    their_hits = np.round(their_p * 257 - 1)  # pyfixest: (hits + 1) / (B + 1)
    our_hits = np.round(ours["p_value_romano_wolf"].to_numpy() * 256)  # enumeration: hits / B
    # identical up to the two draws that reproduce the observed statistic (ties, see above)
    assert set((our_hits - their_hits).tolist()) <= {0.0, 2.0}
    np.testing.assert_allclose(ours["t_stat"], theirs.loc["t value"].to_numpy(dtype=float), rtol=1e-9)
    assert (ours["p_value_romano_wolf"] >= ours["p_value"] - 1e-12).all()
    # the strongest effect keeps its single-test p-value, the others are adjusted upwards
    assert (
        ours.loc[ours["specification"] == "y2", "p_value_romano_wolf"].item()
        > 2 * ours.loc[ours["specification"] == "y2", "p_value"].item()
    )


@pytest.mark.parametrize("estimator", ["ppml", "negbin"])
@pytest.mark.parametrize("vcov", ["joint", "glm_fixed_theta", "glm_fixed_theta_hc1"])
def test_observed_t_is_the_models_cluster_robust_z(estimator, vcov):
    df = simulate_casualty_panel(seed=4, n_missions=30)
    r = fit_casualty_model(
        df, outcome=Y, treatment=TREAT, controls=["conflict_z"], fe="year", estimator=estimator, vcov=vcov
    )
    b = wild_cluster_bootstrap(r, df, TREAT, reps=199, ci="percentile_t")
    row = r.term(TREAT)
    assert b.status == "ok"
    assert b.estimate == pytest.approx(row["estimate"], abs=1e-6)
    assert b.t_stat == pytest.approx(row["z"], rel=1e-4)
    assert b.p_value_normal == pytest.approx(row["p_value"], rel=1e-3)
    assert b.p_value_t > b.p_value_normal
    assert b.ci_low < b.estimate < b.ci_high
    assert b.ratio_ci_low == pytest.approx(math.exp(b.ci_low))


@pytest.mark.parametrize("estimator", ["logit", "firth"])
def test_logit_and_firth_bootstrap(estimator):
    cp = simulate_coup_panel(seed=2)
    d = prepare_coup_data(cp, treatment="has_partnership", controls=["log_gdp_pc", "has_conflict"])
    r = fit_coup_model(
        d, treatment="has_partnership", controls=["log_gdp_pc", "has_conflict"], estimator=estimator
    )
    b = wild_cluster_bootstrap(r, d, "has_partnership", reps=499)
    row = r.term("has_partnership")
    assert b.status == "ok" and b.n_clusters == r.n_clusters
    assert b.t_stat == pytest.approx(row["z"], rel=1e-4)
    assert b.ci_low < row["estimate"] < b.ci_high
    # the inverted interval is close to the Wald interval with 60 clusters
    assert b.ci_low == pytest.approx(row["ci_low"], abs=0.25)
    assert b.ci_high == pytest.approx(row["ci_high"], abs=0.25)


def test_no_events_in_treated_rows_is_a_status_not_a_number():
    cp = simulate_coup_panel(seed=3, separation=True)
    d = prepare_coup_data(cp, treatment="has_partnership", controls=["has_conflict"])
    r = fit_coup_model(d, treatment="has_partnership", controls=["has_conflict"], estimator="firth")
    assert np.isfinite(r.term("has_partnership")["estimate"])  # Firth gives a number...
    assert term_status(r, d, "has_partnership")[0] == "no events"
    assert term_status(r, d, "has_conflict") == ("ok", "")
    b = wild_cluster_bootstrap(r, d, "has_partnership", reps=99)
    assert b.status == "no events" and "has_partnership" in b.reason  # ...the bootstrap refuses it
    assert all(math.isnan(getattr(b, f)) for f in ("estimate", "p_value", "ci_low", "ci_high", "ratio"))
    assert json.loads(json.dumps(b.to_dict(), allow_nan=False))["estimate"] is None
    rw = romano_wolf({"sep": (r, d, "has_partnership"), "conflict": (r, d, "has_conflict")}, reps=99)
    sep = rw.set_index("specification").loc["sep"]
    assert sep["status"] == "no events" and math.isnan(sep["p_value_romano_wolf"])
    assert rw.set_index("specification").loc["conflict", "status"] == "ok"


def test_the_frame_must_be_the_one_fitted(casualty):
    df, r = casualty
    with pytest.raises(ValueError, match="estimation rows"):
        wild_cluster_bootstrap(r, df.iloc[10:], TREAT, reps=99)
    other = df.copy()
    other[Y] = other[Y].astype("Float64") * 2
    with pytest.raises(ValueError, match="refitting"):
        wild_cluster_bootstrap(r, other.astype({Y: "Int64"}), TREAT, reps=99)
    with pytest.raises(KeyError, match="not in the model"):
        wild_cluster_bootstrap(r, df, "year", reps=99)
    with pytest.raises(ValueError, match="weights="):
        wild_cluster_bootstrap(r, df, TREAT, weights="mammen")  # type: ignore[arg-type]


def test_weights_enumerate_when_few_clusters_and_follow_the_seed():
    V, enum = bootstrap_weights([f"c{i}" for i in range(5)], 999)
    assert enum and V.shape == (32, 5) and len({tuple(v) for v in V}) == 32
    V1, e1 = bootstrap_weights([f"c{i}" for i in range(30)], 999, seed=1)
    V2, _ = bootstrap_weights([f"c{i}" for i in range(30)], 999, seed=1)
    V3, _ = bootstrap_weights([f"c{i}" for i in range(30)], 999, seed=2)
    assert not e1 and V1.shape == (999, 30) and np.array_equal(V1, V2) and not np.array_equal(V1, V3)
    W, _ = bootstrap_weights([f"c{i}" for i in range(30)], 20000, "webb", seed=0)
    assert len(np.unique(W)) == 6
    assert W.mean() == pytest.approx(0, abs=0.01) and W.var() == pytest.approx(1, abs=0.01)


def test_inversion_and_percentile_t_intervals(casualty):
    df, r = casualty
    inv = wild_cluster_bootstrap(r, df, TREAT, reps=999, seed=7)
    pt = wild_cluster_bootstrap(r, df, TREAT, reps=999, seed=7, ci="percentile_t")
    webb = wild_cluster_bootstrap(r, df, TREAT, reps=999, seed=7, weights="webb")
    for b in (inv, pt, webb):
        assert b.ci_low < b.estimate < b.ci_high
    # p < 0.05 exactly when the 95% inverted interval excludes 0 (same draws)
    assert (inv.p_value < 0.05) == (not inv.ci_low <= 0 <= inv.ci_high)
    # the inverted bound is where the bootstrap p-value crosses 5%: re-testing there gives ~5%
    at_lo = wild_cluster_bootstrap(r, df, TREAT, reps=999, seed=7, null=inv.ci_low)
    assert at_lo.p_value == pytest.approx(0.05, abs=0.01)
    assert inv.to_dict()["ci_method"] == "inversion" and "t_boot" not in inv.to_dict()


def test_leave_one_cluster_out_finds_the_cluster_that_drives_the_result():
    df = simulate_casualty_panel(seed=5, n_missions=30, irr=1.0)
    switch = df.groupby("mission_id_un")[TREAT].agg(lambda s: s.nunique() > 1)
    big = sorted(switch[switch].index)[0]
    sel = (df["mission_id_un"] == big) & df[TREAT].fillna(False)
    df.loc[sel, Y] = df.loc[sel, Y] * 20 + 20
    r = fit_casualty_model(df, outcome=Y, treatment=TREAT, fe="year", estimator="poisson")
    loo = leave_one_cluster_out(r, df, TREAT)
    t = loo.table
    assert len(t) == r.n_clusters and (t["status"] == "ok").all()
    assert t.iloc[0]["cluster"] == big and t.iloc[0]["change"] < -0.3
    assert loo.range["cluster_at_min"] == big
    assert loo.range["estimate_min"] <= r.term(TREAT)["estimate"] <= loo.range["estimate_max"]
    assert loo.range["ratio_min"] == pytest.approx(math.exp(loo.range["estimate_min"]))
    json.dumps(loo.to_dict(), allow_nan=False)


@pytest.mark.slow  # a refit per left-out event, ~0.7 s
def test_leave_one_out_reports_no_events_when_the_only_treated_events_go():
    cp = simulate_coup_panel(seed=2)
    d = prepare_coup_data(cp, treatment="has_partnership", controls=["has_conflict"])
    treated_events = d[d["has_partnership"].astype(bool) & d["has_coup_attempt"].astype(bool)]
    # keep the coups of treated years in one country only
    keep_country = treated_events["country_id_gw"].iloc[0]
    drop = (
        d["has_partnership"].astype(bool)
        & d["has_coup_attempt"].astype(bool)
        & (d["country_id_gw"] != keep_country)
    )
    d2 = d[~drop].reset_index(drop=True)
    r = fit_coup_model(d2, treatment="has_partnership", controls=["has_conflict"], estimator="firth")
    loo = leave_one_cluster_out(r, d2, "has_partnership")
    row = loo.table.set_index("cluster").loc[str(keep_country)]
    assert row["status"] == "no events" and math.isnan(row["estimate"])
    assert loo.range["refits_not_ok"] >= 1


def test_t_reference_uses_student_t_with_g_minus_1(casualty):
    _, r = casualty
    tr = t_reference(r)
    G = r.n_clusters
    row, new = r.term(TREAT), tr.term(TREAT)
    assert new["p_value"] == pytest.approx(2 * stats.t.sf(abs(row["z"]), G - 1))
    crit = stats.t.ppf(0.975, G - 1)
    assert new["ci_high"] == pytest.approx(row["estimate"] + crit * row["std_error"])
    assert new["ratio_ci_low"] == pytest.approx(math.exp(new["ci_low"]))
    assert new["p_value"] > row["p_value"] and tr.spec["reference"] == f"t({G - 1})"
    assert r.spec.get("reference") is None  # the original is unchanged
    with pytest.raises(ValueError, match="cluster-robust result"):
        cp = simulate_coup_panel(seed=2)
        d = prepare_coup_data(cp, treatment="has_partnership", controls=[])
        t_reference(fit_coup_model(d, treatment="has_partnership", estimator="firth", cluster=None))


def test_romano_wolf_accepts_specifications_and_keeps_weights_per_cluster(casualty):
    df, r = casualty
    sub = df[df["year"] >= 2005].reset_index(drop=True)
    r2 = fit_casualty_model(
        sub, outcome=Y, treatment=TREAT, controls=["conflict_z"], fe="year", estimator="poisson"
    )
    fam = {"all years": Specification(r, df, TREAT), "2005+": Specification(r2, sub, TREAT)}
    a = romano_wolf(fam, reps=499, seed=3)
    b = romano_wolf(fam, reps=499, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["clusters"] == len(set(df["mission_id_un"]) - set()) or a.attrs["clusters"] >= r.n_clusters
    assert (a["status"] == "ok").all()
    assert (a["p_value_romano_wolf"] >= a["p_value"] - 1e-12).all()


def _coverage(n_draws, reps):
    hits_boot = hits_wald = 0
    for s in range(n_draws):
        df = simulate_casualty_panel(
            seed=1000 + s,
            n_missions=30,
            irr=0.5,
            alpha=0.5,
            zero_missions=0,
            exposure_na_share=0,
            exposure_zero_share=0,
        )
        r = fit_casualty_model(
            df, outcome=Y, treatment=TREAT, controls=["conflict_z"], fe="year", estimator="poisson"
        )
        b = wild_cluster_bootstrap(r, df, TREAT, reps=reps, seed=s)
        truth = math.log(0.5)
        hits_boot += b.ci_low <= truth <= b.ci_high
        row = r.term(TREAT)
        hits_wald += row["ci_low"] <= truth <= row["ci_high"]
    return hits_boot / n_draws, hits_wald / n_draws


@pytest.mark.slow
def test_bootstrap_interval_covers_with_30_unequal_clusters_fast():
    boot, _ = _coverage(40, 199)
    assert boot >= 0.85


@pytest.mark.slow
def test_bootstrap_interval_covers_95_percent_with_30_unequal_clusters():
    """300 simulated panels of 30 missions of unequal size and exposure (NB2 counts, mission effects)."""
    boot, wald = _coverage(300, 399)
    # 95% +- 2.4 binomial standard errors; the normal-reference Wald interval under-covers
    assert 0.92 <= boot <= 0.98, (boot, wald)
    assert boot - wald >= 0.03, (boot, wald)


def test_five_clusters_rademacher_cannot_reject_at_5_percent_webb_can():
    # 2^5 = 32 sign vectors: the smallest attainable p-value is 2/32 > 0.05, so the 95% interval is open
    df = linear_frame(G=5, seed=4)
    r = fit_linear(df, outcome="y3", treatment="x", controls=["z"], cluster="g")
    rad = wild_cluster_bootstrap(r, df, "x", reps=999)
    assert rad.enumerated and rad.reps == 32 and rad.p_value >= 2 / 32
    assert rad.ci_low == -math.inf and rad.ci_high == math.inf and len(rad.notes) == 2
    webb = wild_cluster_bootstrap(r, df, "x", reps=999, weights="webb")
    assert math.isfinite(webb.ci_low) and math.isfinite(webb.ci_high) and not webb.notes
