"""Stacked PPML event study: recovery under staggered timing, naive TWFE bias, tests and helpers."""

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis.errors import MissingColumnError, ModelError
from analysis.models import fit_casualty_model, simulate_casualty_panel
from analysis.models.dgp import simulate_staggered_panel
from analysis.models.event_stacking import find_events, month_index
from analysis.models.event_study import (
    _ppml,
    fit_event_study,
    negative_control,
    placebo_distribution,
    placebo_events,
)

KW = dict(outcome="deaths_n", unit="unit_id", time="period", treatment="is_treated", exposure="personnel_n")


def truth_by_bin(result, df):
    """The estimand of each bin: log(sum mu0 exp(tau) / sum mu0) over the treated rows the design used."""
    st = result.extra["stacked"]
    tr = st[st["_bin"].notna()]
    mu0 = df["mu_untreated"].to_numpy(dtype=float)[tr["_row"]]
    tau = df["log_effect"].to_numpy(dtype=float)[tr["_row"]]
    b = tr["_bin"].to_numpy()
    return np.log(pd.Series(mu0 * np.exp(tau)).groupby(b).sum() / pd.Series(mu0).groupby(b).sum())


@pytest.fixture(scope="module", params=[2, 3])
def staggered(request):
    df = simulate_staggered_panel(seed=request.param)
    return df, fit_event_study(df, bin_width=3, **KW)


def test_stacked_ppml_recovers_the_dynamic_effect(staggered):
    df, r = staggered
    truth = truth_by_bin(r, df)
    c = r.coefficients.set_index("bin")
    est = c.loc[truth.index]
    assert list(c.index) == list(range(-4, 9)) and c.loc[-1, "is_reference"] and c.loc[-1, "estimate"] == 0
    err = (est["estimate"] - truth).abs()
    ok = err <= 2.5 * est["std_error"].fillna(0) + 0.02
    assert ok.all(), pd.DataFrame({"truth": truth, "est": est["estimate"], "se": est["std_error"]})
    # no pre-trend in the data: the joint test does not reject
    assert r.pretrend["df"] == 3 and r.pretrend["p_f"] > 0.05
    assert (r.events["status"] == "used").all() and r.n_clusters == 60
    post = truth[truth.index >= 0].mean()
    assert r.post_average["estimate"] == pytest.approx(post, abs=2.5 * r.post_average["std_error"])


def test_naive_twfe_is_biased_under_staggered_heterogeneous_effects(staggered):
    df, r = staggered
    nv = r.naive.set_index("bin")
    # a spurious "pre-trend" in the end bin of the leads (true effect 0 there) ...
    assert nv.loc[-4, "estimate"] > 0.15 and nv.loc[-4, "estimate"] > 5 * nv.loc[-4, "std_error"]
    assert nv.loc[-4, "rel_start"] == -np.inf and nv.loc[8, "rel_end"] == np.inf
    # ... and the static TWFE coefficient has the wrong sign: the average effect on the treated is positive
    tr = df[df["is_treated"].astype(bool)]
    mu0, tau = tr["mu_untreated"].astype(float), tr["log_effect"].astype(float)
    att = np.log((mu0 * np.exp(tau)).sum() / mu0.sum())
    assert att > 0.2 and r.naive_static["estimate"] < 0
    # the stacked design shows no such lead
    assert abs(r.coefficients.set_index("bin").loc[-4, "estimate"]) < 0.05


@pytest.mark.slow  # two stacked event-study fits, ~0.6 s
def test_pre_trend_test_rejects_when_effects_start_before_the_coded_event():
    df = simulate_staggered_panel(seed=4, cohort_effects=(0.6,) * 5)
    late = df.copy()
    late["is_treated"] = (late["period"] >= late["cohort"] + 6).fillna(False).astype("boolean")
    r = fit_event_study(late, bin_width=3, naive=False, **KW)
    assert r.pretrend["p_f"] < 0.01 and r.pretrend["p_chi2"] < 0.01
    assert r.coefficients.set_index("bin").loc[-4, "estimate"] < -0.1
    clean = fit_event_study(df, bin_width=3, naive=False, **KW)
    assert clean.pretrend["p_f"] > 0.05


@pytest.mark.slow  # five stacked event-study fits, ~3 s
def test_negative_control_and_placebo_events_show_nothing():
    df = simulate_staggered_panel(seed=2)
    r = fit_event_study(df, bin_width=3, naive=False, **KW)
    nc = negative_control(r, df, "illness_n")
    assert nc.spec["outcome"] == "illness_n"
    assert abs(nc.post_average["estimate"]) < 2.5 * nc.post_average["std_error"]
    ev = placebo_events(df, unit="unit_id", time="period", n_events=20, treatment="is_treated", seed=1)
    assert len(ev) == 20 and ev["unit"].is_unique
    # every placebo window is free of treatment
    for u, t in ev.itertuples(index=False):
        rows = df[(df["unit_id"] == u) & df["period"].between(t - 12, t + 24)]
        assert not rows["is_treated"].any()
    pl = fit_event_study(df, events=ev, bin_width=3, naive=False, **KW)
    assert pl.spec["events_given"] and abs(pl.post_average["estimate"]) < 2.5 * pl.post_average["std_error"]
    dist = placebo_distribution(
        df, n_events=15, draws=3, seed=5, bin_width=6, **{k: v for k, v in KW.items()}
    )
    assert len(dist) == 3 and (dist["status"] == "ok").all() and dist["estimate"].notna().all()
    with pytest.raises(ValueError, match="events="):
        negative_control(pl, df, "illness_n")


def test_non_absorbing_switches_follow_the_documented_rules():
    # A: on at 5, off at 10, on again at 14; B: treated from its first month; C, D: never treated
    months = np.arange(0, 30)
    state = {
        "A": ((months >= 5) & (months < 10)) | (months >= 14),
        "B": np.ones(len(months), dtype=bool),
        "C": np.zeros(len(months), dtype=bool),
        "D": np.zeros(len(months), dtype=bool),
    }
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        [
            (u, int(m), bool(s[i]), int(rng.poisson(5)))
            for u, s in state.items()
            for i, m in enumerate(months)
        ],
        columns=["u", "t", "d", "y"],
    )
    ev = find_events(df, unit="u", time="t", treatment="d", window=(-3, 6))
    got = {(r.unit, r.time): (r.status, r.switches_off_in_window) for r in ev.itertuples()}
    assert got[("A", 5)] == ("used", 1)  # the switch-off at 10 is inside the window: kept, counted
    assert got[("A", 14)] == ("used", 0)  # months 11-13 are off: clean
    assert got[("B", 0)][0] == "treated at entry: no event"
    wide = find_events(df, unit="u", time="t", treatment="d", window=(-6, 6))
    assert wide.set_index(["unit", "time"]).loc[("A", 14), "status"].startswith("not clean")
    r = fit_event_study(df, outcome="y", unit="u", time="t", treatment="d", window=(-3, 6), naive=False)
    used = r.events[r.events["status"] == "used"]
    assert set(used["time"]) == {5, 14} and (used["controls_n"] == 2).all()  # C and D, never B
    assert set(r.extra["stacked"]["_unit"]) == {"A", "C", "D"}
    json.dumps(r.to_dict(), allow_nan=False)


def test_event_without_clean_control_is_dropped_and_no_event_is_an_error():
    months = np.arange(0, 20)
    df = pd.DataFrame(
        [(u, int(m), bool(m >= on), 1) for u, on in (("A", 8), ("B", 10)) for m in months],
        columns=["u", "t", "d", "y"],
    )
    with pytest.raises(ModelError, match="no clean event"):
        fit_event_study(df, outcome="y", unit="u", time="t", treatment="d", window=(-3, 6), naive=False)


def test_pyfixest_ppml_equals_our_poisson_with_fixed_effects():
    df = simulate_casualty_panel(
        seed=3, n_missions=30, zero_missions=0, exposure_na_share=0, exposure_zero_share=0
    )
    ours = fit_casualty_model(
        df,
        outcome="fatalities_hostile_n",
        treatment="is_robust_mandate",
        controls=["conflict_z"],
        fe="mission+year",
        estimator="poisson",
    )
    d = df.dropna()
    d = d[
        d["mission_id_un"].isin(
            set(d.groupby("mission_id_un")["fatalities_hostile_n"].sum().loc[lambda s: s > 0].index)
        )
    ]
    fit = _ppml(
        d["fatalities_hostile_n"].to_numpy(dtype=float),
        {
            "treat": d["is_robust_mandate"].to_numpy(dtype=float),
            "ctrl": d["conflict_z"].to_numpy(dtype=float),
        },
        {"m": d["mission_id_un"], "y": d["year"].astype(str)},
        np.log(d["personnel_total_n"].to_numpy(dtype=float)),
        d["mission_id_un"].to_numpy(),
        "test",
        [],
    )
    assert fit["coef"]["treat"] == pytest.approx(ours.term("is_robust_mandate")["estimate"], abs=1e-6)
    assert fit["coef"]["ctrl"] == pytest.approx(ours.term("conflict_z")["estimate"], abs=1e-6)
    # cluster-robust standard errors agree up to the small-sample factor's count of parameters
    assert np.sqrt(fit["vcov"].at["treat", "treat"]) == pytest.approx(
        ours.term("is_robust_mandate")["std_error"], rel=0.1
    )


def test_options_are_validated():
    df = simulate_staggered_panel(seed=1, n_units=10, n_periods=40, cohorts=(15,), cohort_effects=(0.5,))
    with pytest.raises(ValueError, match="window"):
        fit_event_study(df, window=(0, 5), **KW)
    with pytest.raises(ValueError, match="bin_width"):
        fit_event_study(df, bin_width=13, **KW)
    with pytest.raises(ValueError, match="treatment column"):
        fit_event_study(df, outcome="deaths_n", unit="unit_id", time="period")
    with pytest.raises(ValueError, match="not unique"):
        fit_event_study(pd.concat([df, df.iloc[:1]]), **KW)
    with pytest.raises(MissingColumnError, match="did you mean"):
        fit_event_study(df, **(KW | {"outcome": "death_n"}))
    idx = month_index(pd.Series([2019, 2020], dtype="Int64"), pd.Series([12, 1], dtype="Int64"))
    assert idx.diff().iloc[1] == 1


def test_a_diverging_bin_is_a_status_not_a_number():
    # controls have no death from month 14 on, the treated unit has: that bin's ratio diverges
    rng = np.random.default_rng(1)
    rows = []
    for u in ("A", "B", "C", "D"):
        for m in range(0, 30):
            y = int(rng.poisson(4)) if (u == "A" or m < 14) else 0
            rows.append((u, m, u == "A" and m >= 10, y))
    df = pd.DataFrame(rows, columns=["u", "t", "d", "y"])
    r = fit_event_study(
        df, outcome="y", unit="u", time="t", treatment="d", window=(-4, 7), bin_width=2, naive=False
    )
    c = r.coefficients.set_index("bin")
    assert c.loc[2, "status"] == "diverges" and np.isnan(c.loc[2, "estimate"])  # months 4-5 = 14-15
    assert c.loc[0, "status"] == "ok" and c.loc[-1, "status"] == "reference"
    assert any("diverge" in w for w in r.warnings)
    assert np.isfinite(r.post_average["estimate"])  # averaged over the bins that are estimated


def test_a_diverging_naive_static_coefficient_is_reported_as_such_not_a_crash():
    # Every treated month has no death: the naive static TWFE coefficient runs to -inf
    # (quasi-separation). The stacked estimates and the rest of the result must still come back,
    # with the static coefficient marked "diverges" and no number (found on the real panel:
    # Chapter VII switch-ons 2000-2019 raised KeyError '_d').
    df = simulate_staggered_panel(seed=4, n_units=24)  # 24 units diverge as 60 do, 7x faster
    df.loc[df["is_treated"] == 1, "deaths_n"] = 0
    r = fit_event_study(df, bin_width=3, **KW)
    assert r.naive_static["status"] == "diverges"
    assert np.isnan(r.naive_static["ratio"]) and np.isnan(r.naive_static["estimate"])
    assert any("naive static" in w for w in r.warnings)
    json.dumps(r.to_dict())


_HASH_SEED_FIT = """
import json
from analysis.models.dgp import simulate_staggered_panel
from analysis.models.event_study import fit_event_study

df = simulate_staggered_panel(seed=2)
r = fit_event_study(df, bin_width=3, naive=False, outcome="deaths_n", unit="unit_id", time="period",
                    treatment="is_treated", exposure="personnel_n")
c = r.coefficients
print(json.dumps({
    # the two fixed effects of the stacked design, in the order a set of them has in this process
    "set_order": list(set(["_su", "_st"])),
    "bits": [float(x).hex() for col in ("estimate", "std_error") for x in c[col]]
            + [float(r.post_average["estimate"]).hex(), float(r.pretrend["wald"]).hex()],
}))
"""


def _fit_with_hash_seed(seed: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    return subprocess.Popen([sys.executable, "-c", _HASH_SEED_FIT], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow  # two fresh interpreters that import pyfixest, ~6 s wall together
def test_the_stacked_fit_gives_the_same_bits_whatever_the_hash_seed_of_the_process():
    # pyfixest 0.60 collects the fixed effects of a formula in a set, so the order in which it absorbs
    # them (alternating projections) followed the string hashes of the process: a rerun in a new kernel
    # moved the estimates by ~1e-9 relative. Two processes whose sets order the two fixed effects
    # differently must give identical bits.
    procs = {s: _fit_with_hash_seed(s) for s in (1, 2)}
    out = {}
    for s, p in procs.items():
        stdout, stderr = p.communicate(timeout=300)
        assert p.returncode == 0, stderr[-2000:]
        out[s] = json.loads(stdout.strip().splitlines()[-1])
    # the test means something only if the two processes order a set of the names differently
    assert out[1]["set_order"] != out[2]["set_order"]
    assert out[1]["bits"] == out[2]["bits"]


def test_the_encoded_fixed_effects_follow_the_formula_order():
    from analysis.models.event_study import _in_formula_order

    enc = "__fixed_effect__(_st) + __fixed_effect__(_su) - 1"
    assert _in_formula_order(enc, "_su + _st") == "__fixed_effect__(_su) + __fixed_effect__(_st) - 1"
    assert _in_formula_order(enc, "_st+_su") == enc
    # interactions are named as pyfixest names them (a^b -> a_b)
    assert (_in_formula_order("__fixed_effect__(b) + __fixed_effect__(a_c) - 1", "a^c + b")
            == "__fixed_effect__(a_c) + __fixed_effect__(b) - 1")
    # anything else is left as pyfixest wrote it
    assert _in_formula_order("C(a) + C(b) - 1", "b + a") == "C(a) + C(b) - 1"
    assert _in_formula_order(enc, "_su + _st + _x") == enc
