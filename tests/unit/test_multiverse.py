"""Specification curves (issue 13): Spec, grids as YAML, SpecData, fit_many and its backends,
the result cache (resume after a kill), statuses of degenerate specifications, summaries and the
permutation test, on simulated panels with known effects (analysis.models.dgp)."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.models import simulate_casualty_panel, simulate_coup_panel
from analysis.models.multiverse import (
    GridError,
    ResultCache,
    Spec,
    SpecData,
    classify,
    compare,
    curve_summary,
    fit_many,
    null_test,
    parse_grid,
    permute_within,
    variance_decomposition,
)

# ----------------------------------------------------------------------------- fixtures


def _panel(seed: int = 3, irr: float = 0.5, n_missions: int = 40) -> pd.DataFrame:
    """A simulated mission-year panel with a second coding source of the treatment."""
    df = simulate_casualty_panel(n_missions=n_missions, irr=irr, alpha=0.3, seed=seed,
                                 exposure_na_share=0.0, exposure_zero_share=0.0)
    rng = np.random.default_rng(seed + 100)
    t = df["is_robust_mandate"].astype("boolean")
    flip = pd.Series(rng.random(len(df)) < 0.05, index=df.index)
    df["is_robust_mandate_noisy"] = t.where(~flip, ~t).astype("boolean")
    df["year"] = df["year"].astype("int64")
    df["is_big"] = df["mission_id_un"].isin(["SIM001", "SIM002", "SIM003"])
    return df


def _data(df: pd.DataFrame) -> SpecData:
    return SpecData(df, unit="mission_id_un", period="year",
                    codings={"default": "{treatment}", "noisy": "{treatment}_noisy"},
                    treatments=["is_robust_mandate"], block="mission_id_un", name="simulated")


GRID = """\
question: simulated
defaults:
  outcome: fatalities_hostile_n
  treatment: is_robust_mandate
  exposure: personnel_total_n
  cluster: mission_id_un
dimensions:
  coding:
    default: {coding: default}
    noisy: {coding: noisy}
  fe:
    none: {fe: []}
    year: {fe: [year]}
    mission+year: {fe: [mission_id_un, year]}
  estimator:
    negbin: {estimator: negbin}
    ppml: {estimator: ppml}
  controls:
    none: {controls: []}
    conflict: {controls: [conflict_z]}
exclude:
  - when: {coding: [noisy], controls: [none]}
    why: the noisy coding is checked with the full model only
headline: {coding: default, fe: mission+year, estimator: negbin, controls: conflict}
sets:
  small: {coding: [default], fe: [year, mission+year], controls: [conflict]}
"""


@pytest.fixture(scope="module")
def sim():
    df = _panel()
    return df, _data(df), parse_grid(GRID, source="sim.yaml")


# ----------------------------------------------------------------------------- Spec


def test_spec_validates_options_and_lists_valid_values():
    with pytest.raises(ValueError, match="valid values: 'negbin', 'ppml', 'logit', 'firth'"):
        Spec(outcome="y", treatment="t", estimator="nb", cluster="c")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs a cluster column"):
        Spec(outcome="y", treatment="t")
    with pytest.raises(ValueError, match="given twice"):
        Spec(outcome="y", treatment="t", controls=("t",), se="robust")
    with pytest.raises(ValueError, match="exposure is for count models"):
        Spec(outcome="y", treatment="t", estimator="logit", exposure="e", se="robust")
    with pytest.raises(ValueError, match="unknown Spec field"):
        Spec.from_dict({"outcome": "y", "treatment": "t", "colour": "red"})


def test_spec_key_ignores_choice_labels_and_round_trips():
    a = Spec(outcome="y", treatment="t", fe=["year"], filters=[["x", "in", [1, 2]]], se="robust",
             choices=(("fe", "year"),))
    b = Spec(outcome="y", treatment="t", fe=("year",), filters=(("x", "in", (1, 2)),), se="robust")
    assert a.key() == b.key() and a.id == b.id and a == b
    assert a.key() != a.replace(lag=1).key()
    assert Spec.from_dict(a.to_dict()) == a
    assert a.key("data-1") != a.key("data-2")


# ----------------------------------------------------------------------------- grids


def test_grid_expands_the_cross_product_minus_the_exclusions(sim):
    _, _, grid = sim
    assert grid.size() == 2 * 3 * 2 * 2 - 3 * 2  # noisy coding without controls left out
    assert grid.size("small") == 2 * 2
    assert [n for _, n in grid.excluded_by_rule()] == [6]
    head = grid.headline_spec()
    assert head.fe == ("mission_id_un", "year") and head.controls == ("conflict_z",)
    assert dict(head.choices)["fe"] == "mission+year"


@pytest.mark.parametrize("bad, message, line", [
    (GRID.replace("when: {coding: [noisy], controls: [none]}", "when: {codign: [noisy]}"),
     "unknown dimension 'codign'; valid dimensions: coding, fe, estimator, controls", 22),
    (GRID.replace("when: {coding: [noisy], controls: [none]}", "when: {coding: [noisey]}"),
     "unknown value 'noisey' of dimension 'coding'; valid values: default, noisy", 22),
    (GRID.replace("ppml: {estimator: ppml}", "ppml: {estimatr: ppml}"),
     "unknown Spec field 'estimatr'", 17),
    (GRID.replace("sets:", "colours: red\nsets:"), "unknown key 'colours'; valid keys", 25),
    (GRID.replace("headline: {coding: default,", "headline: {coding: noisy,").replace(
        "controls: conflict}", "controls: none}"), "the headline is excluded by a rule", 24),
    (GRID.replace("none: {controls: []}", "none: {controls: [], fe: []}"), "both set ['fe']", 19),
])
def test_grid_errors_name_the_file_line_and_the_valid_names(bad, message, line):
    with pytest.raises(GridError) as e:
        parse_grid(bad, source="sim.yaml")
    assert message in str(e.value)
    assert str(e.value).startswith(f"sim.yaml, line {line}:")


def test_restrictions_check_dimensions_and_values(sim):
    _, _, grid = sim
    with pytest.raises(GridError, match="unknown set 'big'; valid sets: small"):
        grid.specs("big")
    with pytest.raises(GridError, match="restrict: unknown value 'month' of dimension 'fe'"):
        grid.specs({"fe": ["month"]})
    assert len(grid.specs({"fe": ["year"], "coding": ["default"]})) == 4


# ----------------------------------------------------------------------------- SpecData


def test_prepare_carries_forward_lags_by_period_and_filters():
    df = pd.DataFrame({"u": ["a"] * 5 + ["b"] * 3, "year": [2000, 2001, 2002, 2004, 2005, 2000, 2001, 2002],
                       "y": range(8), "t": [1.0, np.nan, np.nan, 0.0, np.nan, np.nan, 1.0, np.nan],
                       "keep": [True] * 7 + [False]})
    d = SpecData(df, unit="u", period="year", treatments=["t"])
    p = d.prepare(Spec(outcome="y", treatment="t", filled=True, se="robust", estimator="ppml"))
    assert p.frame["t"].tolist()[:5] == [1.0, 1.0, 1.0, 0.0, 0.0]
    assert np.isnan(p.frame["t"].iloc[5]) and p.frame["t"].iloc[7] == 1.0  # never carried across units
    lag = d.prepare(Spec(outcome="y", treatment="t", lag=1, se="robust", estimator="ppml",
                         filters=[["keep", "==", True]], window=(2001, 2005)))
    got = dict(zip(zip(lag.frame["u"], lag.frame["year"]), lag.frame["t"]))
    assert got[("a", 2001)] == 1.0 and math.isnan(got[("a", 2004)])  # 2003 missing: NA, not 2002
    assert got[("a", 2005)] == 0.0 and ("b", 2002) not in got and ("a", 2000) not in got


def test_permutation_keeps_strata_blocks_and_codings_together():
    df = _panel(n_missions=20)
    cols = ["is_robust_mandate", "is_robust_mandate_noisy"]
    p1 = permute_within(df, cols, strata=["year"], block="mission_id_un", seed=7)
    p2 = permute_within(df, cols, strata=["year"], block="mission_id_un", seed=7)
    pd.testing.assert_frame_equal(p1, p2)
    assert not p1[cols[0]].equals(df[cols[0]])
    for _, g in df.groupby("year"):  # same values within each year, only reassigned
        assert sorted(p1.loc[g.index, cols[0]].astype(str)) == sorted(g[cols[0]].astype(str))
    same = (p1[cols[0]] == df[cols[0]]) == (p1[cols[1]] == df[cols[1]])
    assert len(same) == len(df)
    pair_before = set(zip(df[cols[0]].astype(str), df[cols[1]].astype(str)))
    assert set(zip(p1[cols[0]].astype(str), p1[cols[1]].astype(str))) <= pair_before
    pd.testing.assert_frame_equal(p1.drop(columns=cols), df.drop(columns=cols))
    d = _data(df)
    assert d.permuted(7).key() != d.key() and d.permuted(7).key() == d.permuted(7).key()
    assert d.variant_key(7) == d.permuted(7).key() and d.variant_key(None) == d.key()


# ----------------------------------------------------------------------------- fitting


def test_status_of_every_degenerate_reason():
    assert classify("'t' has no variation in the estimation sample (always 1)") == "no_variation"
    assert classify("'t' does not vary within any mission group: not identified") == "no_variation"
    assert classify("the outcome is zero in every row where 't' = 1: ... (separation)") == "separation"
    assert classify("negative binomial did not converge with any optimizer: ...") == "no_convergence"
    assert classify("design matrix is rank deficient (rank 3 of 4 columns): x") == "not_identified"
    assert classify("outcome 'y' is zero in every row of the sample: nothing to estimate") == "no_events"


def test_the_progress_bar_defers_to_tqdm_disable_and_progress_false_silences_it(sim, capsys, monkeypatch):
    """The report runner sets TQDM_DISABLE for its kernels: a bar's output depends on timing, so
    executed notebooks would differ from run to run. Outside a report run the bar shows."""
    _, data, _ = sim
    spec = Spec(outcome="fatalities_hostile_n", treatment="is_robust_mandate", exposure="personnel_total_n",
                cluster="mission_id_un", estimator="ppml", fe=("year",))
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    fit_many([spec], data, backend="serial", progress=True)
    assert "spec" in capsys.readouterr().err
    fit_many([spec], data, backend="serial", progress=False)
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("TQDM_DISABLE", "1")
    fit_many([spec], data, backend="serial", progress=True)
    assert capsys.readouterr().err == ""


def test_a_silenced_bar_does_not_import_tqdm_auto(sim, monkeypatch):
    """tqdm.auto warns on import in a Jupyter kernel without ipywidgets (the report kernels): the
    warning, with the path of the environment, went into the pages of notebooks 02, 04 and 07, and in
    notebook 07 it came before or after the printed line depending on timing."""
    import types

    _, data, _ = sim
    spec = Spec(outcome="fatalities_hostile_n", treatment="is_robust_mandate", exposure="personnel_total_n",
                cluster="mission_id_un", estimator="ppml", fe=("year",))

    def used(name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise AssertionError(f"tqdm.auto.{name} used with the progress bar off")

    trap = types.ModuleType("tqdm.auto")
    trap.__getattr__ = used  # type: ignore[method-assign]
    monkeypatch.setitem(sys.modules, "tqdm.auto", trap)
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    assert fit_many([spec], data, backend="serial", progress=False)["status"].iloc[0] == "ok"
    monkeypatch.setenv("TQDM_DISABLE", "1")
    assert fit_many([spec], data, backend="serial", progress=True)["status"].iloc[0] == "ok"
    monkeypatch.delenv("TQDM_DISABLE")
    with pytest.raises(AssertionError, match="progress bar off"):
        fit_many([spec], data, backend="serial", progress=True)


def test_a_failing_specification_records_its_reason_and_never_stops_the_run(sim):
    df, data, _ = sim
    base = Spec(outcome="fatalities_hostile_n", treatment="is_robust_mandate", exposure="personnel_total_n",
                cluster="mission_id_un", estimator="ppml", fe=("year",))
    big = df[df["is_big"]]
    never = sorted(set(big["mission_id_un"]))
    specs = [
        base,
        base.replace(controls=("no_such_column",)),  # bad input: error with the reason
        base.replace(filters=(("mission_id_un", "in", (never[0],)),), fe=("mission_id_un",)),  # one mission
        base.replace(filters=(("is_robust_mandate", "==", False),)),  # treatment constant
        base.replace(estimator="negbin"),
    ]
    res = fit_many(specs, data, backend="serial", progress=False)
    assert list(res["status"][[0, 4]]) == ["ok", "ok"]
    assert res["status"][1] == "error" and "no_such_column" in res["reason"][1]
    assert res["status"][3] in ("no_variation", "no_events") and res["reason"][3]
    assert res["status"][2] != "ok" and res["reason"][2]
    bad = res[res["status"] != "ok"]
    assert bad[["estimate", "ratio", "p_value"]].isna().all().all()  # never a number


def test_no_events_in_treated_rows_is_a_status_not_a_number():
    cy = simulate_coup_panel(n_countries=40, separation=True, seed=5)
    cy["t"] = cy["years_since_coup"].astype("float64")
    cy["t2"], cy["t3"] = cy["t"] ** 2, cy["t"] ** 3
    lagged = cy.groupby("country_id_gw")["has_partnership"].shift(1)
    cy["partnership_lag"] = lagged.astype("boolean")
    d = SpecData(cy, unit="country_id_gw", period="year", treatments=["partnership_lag"])
    spec = Spec(outcome="has_coup_attempt", treatment="partnership_lag", estimator="firth", duration=True,
                cluster="country_id_gw")
    res = fit_many([spec, spec.replace(estimator="logit")], d, backend="serial", progress=False)
    assert (res["status"] == "no_events").all()
    assert res["events_treated"].tolist() == [0.0, 0.0] and res["treated_n"].min() > 0
    assert res["ratio"].isna().all()


def test_the_true_effect_is_inside_the_central_range_of_the_curve(sim):
    df, data, grid = sim
    res = fit_many(grid.specs(), data, backend="serial", progress=False)
    ok = res[res["status"] == "ok"]
    assert len(ok) >= len(res) - 2
    truth = df.attrs["truth"]["log_irr"]
    assert ok["ci_low"].median() < truth < ok["ci_high"].median()
    q10, q90 = ok["estimate"].quantile([0.1, 0.9])
    assert q10 - 0.15 < truth < q90 + 0.15
    s = curve_summary(res, headline=grid.headline_spec().id)
    assert s.headline_sign == -1 and s.share_same_sign == 1.0
    assert s.median_ratio is not None and abs(math.log(s.median_ratio) - truth) < 0.25
    assert set(s.decomposition["dimension"]) == {"coding", "fe", "estimator", "controls"}


def test_fit_many_matches_fit_casualty_model(sim):
    from analysis.models import fit_casualty_model

    df, data, grid = sim
    spec = grid.headline_spec()
    res = fit_many([spec], data, backend="serial", progress=False)
    ref = fit_casualty_model(df, outcome="fatalities_hostile_n", treatment="is_robust_mandate",
                             controls=["conflict_z"], exposure="personnel_total_n", fe="mission+year")
    r = ref.term("is_robust_mandate")
    assert res["estimate"][0] == pytest.approx(r["estimate"], rel=1e-7)
    assert res["std_error"][0] == pytest.approx(r["std_error"], rel=1e-6)
    assert res["nobs"][0] == ref.nobs and res["n_clusters"][0] == ref.n_clusters


def test_summaries_on_a_hand_made_curve():
    res = pd.DataFrame({"spec_id": list("abcdef"), "status": ["ok"] * 5 + ["separation"],
                        "estimate": [0.1, 0.2, 0.3, -0.1, 0.4, np.nan],
                        "p_value": [0.01, 0.2, 0.03, 0.5, 0.001, np.nan],
                        "dim": ["x", "x", "y", "y", "y", "y"]})
    s = curve_summary(res, headline="c", dimensions=["dim"])
    assert s.n_ok == 5 and s.status_counts == {"ok": 5, "separation": 1}
    assert s.share_same_sign == pytest.approx(0.8) and s.share_significant_same_sign == pytest.approx(0.6)
    assert s.median_estimate == pytest.approx(0.2)
    dec = variance_decomposition(res, ["dim"])
    y = np.array([0.1, 0.2, 0.3, -0.1, 0.4])
    eta = (2 * (0.15 - y.mean()) ** 2 + 3 * (0.2 - y.mean()) ** 2) / ((y - y.mean()) ** 2).sum()
    assert dec["eta2"][0] == pytest.approx(eta) and dec["unique"][0] == pytest.approx(eta)


def test_compare_gives_a_forest_ready_table(sim):
    _, data, grid = sim
    specs = grid.specs("small")
    res = fit_many(specs, data, backend="serial", progress=False)
    c = compare(res, headline=grid.headline_spec().id)
    assert len(c.table) == 4 and c.headline in set(c.table["label"])
    assert c.headline.endswith("(headline)") and "fe=mission+year" in c.headline
    from analysis.plots.models import plot_forest

    fig = plot_forest(c.table, highlight=c.headline)
    assert len(fig.axes[0].get_yticklabels()) == 4


# ----------------------------------------------------------------------------- backends, cache


def _numbers(res: pd.DataFrame) -> pd.DataFrame:
    return res[["spec_id", "status", "estimate", "std_error", "p_value", "nobs"]]


@pytest.mark.slow
def test_serial_joblib_and_dask_give_identical_results(sim):
    _, data, grid = sim
    specs = grid.specs()
    serial = fit_many(specs, data, backend="serial", progress=False, chunk_size=5)
    jl = fit_many(specs, data, backend="joblib", n_jobs=2, progress=False, chunk_size=5)
    dk = fit_many(specs, data, backend="dask", n_jobs=2, progress=False, chunk_size=5)
    pd.testing.assert_frame_equal(_numbers(serial), _numbers(jl))
    pd.testing.assert_frame_equal(_numbers(serial), _numbers(dk))
    assert jl.attrs["run"]["n_jobs"] == 2 and dk.attrs["run"]["backend"] == "dask"


def test_a_specification_gives_the_same_bits_whatever_was_fitted_before_it(sim):
    # A spec's numbers must not depend on the specs fitted with it or before it on the worker (its
    # chunk, the chunk size, the order, what a resumed run still had to fit): the cached frames and
    # designs must be as good as fresh ones, and no fit may start from its neighbour's estimates.
    from analysis.models.multiverse.fit import fit_spec

    _, data, grid = sim
    specs = grid.specs()
    together = _numbers(fit_many(specs, data, backend="serial", progress=False))
    backwards = fit_many(specs[::-1], data, backend="serial", progress=False, chunk_size=3)
    alone = [fit_many([s], data, backend="serial", progress=False) for s in specs]  # caches warm
    fresh = [fit_spec(s, data) for s in specs]  # a new worker each: nothing cached
    assert (together["status"] == "ok").sum() >= 12
    pd.testing.assert_frame_equal(together, _numbers(backwards.iloc[::-1].reset_index(drop=True)),
                                  check_exact=True)
    pd.testing.assert_frame_equal(together, _numbers(pd.concat(alone, ignore_index=True)), check_exact=True)
    for (_, row), f in zip(together.iterrows(), fresh):
        assert f["status"] == row["status"], row["spec_id"]
        got = np.array([f[c] for c in ("estimate", "std_error", "p_value")], dtype=float)
        want = row[["estimate", "std_error", "p_value"]].to_numpy(dtype=float)
        assert np.array_equal(got, want, equal_nan=True), row["spec_id"]


def test_the_cache_is_used_and_keyed_on_the_data(sim, tmp_path):
    df, data, grid = sim
    specs = grid.specs("small")
    first = fit_many(specs, data, backend="serial", progress=False, cache=tmp_path)
    again = fit_many(specs, data, backend="serial", progress=False, cache=tmp_path)
    assert first.attrs["run"]["fitted"] == 4 and again.attrs["run"]["fitted"] == 0
    assert again["cached"].all()
    pd.testing.assert_frame_equal(_numbers(first), _numbers(again))
    other = _data(df.assign(fatalities_hostile_n=df["fatalities_hostile_n"] + 1))
    rerun = fit_many(specs, other, backend="serial", progress=False, cache=tmp_path)
    assert rerun.attrs["run"]["fitted"] == 4
    assert len(ResultCache(tmp_path).keys()) == 8


_KILLED = """
import sys, time
from analysis.models.multiverse import SpecData, fit_many, parse_grid
sys.path.insert(0, {here!r})
from test_multiverse import GRID, _data, _panel

slow = SpecData.prepare
def prepare(self, spec):
    time.sleep(0.15)  # slow enough to be killed in the middle
    return slow(self, spec)
SpecData.prepare = prepare
grid = parse_grid(GRID)
fit_many(grid.specs(), _data(_panel()), backend="serial", progress=False, cache={cache!r}, chunk_size=1)
print("finished")
"""


@pytest.mark.slow
def test_a_killed_run_resumes_without_refitting_finished_specifications(sim, tmp_path):
    _, data, grid = sim
    cache = tmp_path / "cache"
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent(_KILLED.format(here=str(Path(__file__).parent), cache=str(cache))))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)})
    deadline = time.time() + 120
    while time.time() < deadline and len(ResultCache(cache).keys()) < 5 and proc.poll() is None:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = ResultCache(cache).keys()
    total = grid.size()
    assert 5 <= len(done) < total, (len(done), proc.stderr.read().decode()[-2000:] if proc.stderr else "")
    mtimes = {p: p.stat().st_mtime_ns for p in cache.glob("*/*.json")}
    resumed = fit_many(grid.specs(), data, backend="serial", progress=False, cache=cache, chunk_size=1)
    run = resumed.attrs["run"]
    assert run["cached"] == len(done) and run["fitted"] == total - len(done)
    assert all(p.stat().st_mtime_ns == t for p, t in mtimes.items())  # finished specs were not refitted
    fresh = fit_many(grid.specs(), data, backend="serial", progress=False, chunk_size=1)
    # the same bits: finished specs come back from the cache exactly, the others do not depend on
    # what the interrupted run had fitted
    pd.testing.assert_frame_equal(_numbers(resumed), _numbers(fresh), check_exact=True)


# ----------------------------------------------------------------------------- the null


@pytest.mark.slow
def test_the_permutation_test_rejects_a_strong_effect_and_not_a_null_one():
    strong = _panel(seed=11, irr=0.25, n_missions=50)
    spec = Spec(outcome="fatalities_hostile_n", treatment="is_robust_mandate", exposure="personnel_total_n",
                cluster="mission_id_un", estimator="ppml", fe=("year",), controls=("conflict_z",))
    specs = [spec, spec.replace(coding="noisy"), spec.replace(fe=())]
    d = _data(strong)
    obs = fit_many(specs, d, backend="serial", progress=False)
    nt = null_test(specs, d, obs, resamples=19, sign=-1, backend="serial", progress=False)
    assert nt.p_values["median"] == pytest.approx(1 / 20)
    assert len(nt.null) == 19 and nt.null["n"].min() >= 1
    zero = _data(_panel(seed=12, irr=1.0, n_missions=50))
    obs0 = fit_many(specs, zero, backend="serial", progress=False)
    sign = 1 if obs0["estimate"].median() > 0 else -1
    nt0 = null_test(specs, zero, obs0, resamples=19, sign=sign, backend="serial", progress=False)
    assert nt0.p_values["stouffer"] > 0.05


def test_the_null_distribution_does_not_depend_on_the_order_chunks_come_back(sim, monkeypatch):
    # joblib and Dask hand chunks back as they finish: the statistics of each permuted curve (Stouffer's
    # sum) must be computed in one order, not in the order of arrival.
    from analysis.models.multiverse import execute

    _, data, grid = sim
    specs = grid.specs()
    obs = fit_many(specs, data, backend="serial", progress=False)
    kw = dict(resamples=10, sign=-1, backend="serial", progress=False, chunk_size=2)
    in_order = null_test(specs, data, obs, **kw)
    serial = execute._serial

    def backwards(data, jobs, n_jobs, scheduler):
        yield from reversed(list(serial(data, jobs, n_jobs, scheduler)))

    monkeypatch.setitem(execute._BACKENDS, "serial", backwards)
    pd.testing.assert_frame_equal(in_order.null, null_test(specs, data, obs, **kw).null, check_exact=True)


# ----------------------------------------------------------------------------- the project's grids, CLI


def test_the_projects_grids_parse_and_span_the_issues_numbers():
    from analysis.models import load_grid
    from analysis.studies.multiverse import QUESTIONS, grid_path

    sizes = {q: load_grid(grid_path(q)).size() for q in QUESTIONS}
    assert sizes["casualties"] >= 2000 and sizes["coups"] >= 1000
    for q in QUESTIONS:
        grid = load_grid(grid_path(q))
        assert all(r.why for r in grid.rules) and grid.headline and "test" in grid.sets
        assert grid.headline_spec().estimator in ("negbin", "logit")


def test_cli_lists_a_grid_and_names_a_wrong_value(capsys):
    from analysis.cli import main

    assert main(["multiverse", "coups", "--list"]) == 0
    out = capsys.readouterr().out
    assert "coup_data" in out and "2144 specifications" in out and "rule (line" in out
    assert main(["multiverse", "coups", "--restrict", "lag=9", "--no-cache"]) == 1
    err = capsys.readouterr().err
    assert "--restrict: unknown value '9' of dimension 'lag'; valid values: 0, 1, 2, 3" in err


# ----------------------------------------------------------------------------- kept fits


def _kept_specs(grid) -> list[Spec]:
    """The small set (NB2 and PPML), a failing spec and a Firth-free binary-free duplicate."""
    specs = list(grid.specs("small"))
    bad = specs[0].replace(controls=("no_such_column",), choices=(("case", "bad input"),))
    return [*specs, bad, specs[0]]


@pytest.mark.parametrize("backend", ["serial", pytest.param("joblib", marks=pytest.mark.slow)])  # joblib ~2 s
def test_fit_many_keeps_the_fitted_models_of_the_ok_specs(sim, backend):
    from analysis.models import fit_casualty_model
    from analysis.models.multiverse import KeptResult

    df, data, grid = sim
    specs = _kept_specs(grid)
    res, kept = fit_many(specs, data, backend=backend, n_jobs=2, progress=False, chunk_size=2,
                         keep_results=True)
    plain = fit_many(specs, data, backend="serial", progress=False, chunk_size=2)
    pd.testing.assert_frame_equal(_numbers(res), _numbers(plain))
    ok = res[res["status"] == "ok"]
    assert list(kept) == list(dict.fromkeys(ok["spec_id"]))  # ok specs only, in spec order, once each
    bad = res.iloc[len(specs) - 2]
    assert bad["status"] == "error" and "no_such_column" in bad["reason"] and bad["spec_id"] not in kept
    for s in dict.fromkeys(specs[:-2]):
        k = kept[s.id]
        assert isinstance(k, KeptResult) and k.spec == s and k.term == "is_robust_mandate"
        fe = list(s.fe) if s.fe else "none"
        one = fit_casualty_model(k.data, outcome=s.outcome, treatment=s.treatment, controls=list(s.controls),
                                 exposure=s.exposure, fe=fe, estimator=s.estimator, cluster=s.cluster)
        r, r1 = k.result.term(k.term), one.term(k.term)
        row = res[res["spec_id"] == s.id].iloc[0]
        assert k.result.estimator == s.estimator and k.result.nobs == one.nobs == row["nobs"]
        assert r["estimate"] == pytest.approx(r1["estimate"], rel=1e-7) == row["estimate"]
        assert r["std_error"] == pytest.approx(r1["std_error"], rel=1e-6)
        assert row["std_error"] == pytest.approx(r["std_error"], rel=1e-12)


def test_kept_fits_go_into_romano_wolf_as_a_family(sim):
    from analysis.models.multiple_testing import romano_wolf

    _, data, grid = sim
    specs = list(grid.specs("small"))
    res, kept = fit_many(specs, data, backend="serial", progress=False, keep_results=True)
    family = {k.spec.label(): k for k in kept.values()}
    direct = {k.spec.label(): (k.result, k.data, k.term) for k in kept.values()}
    rw = romano_wolf(family, reps=99, seed=1)
    rw2 = romano_wolf(direct, reps=99, seed=1)
    assert len(rw) == len(specs) and (rw["status"] == "ok").all()
    pd.testing.assert_frame_equal(rw, rw2)
    assert (rw["p_value_romano_wolf"] >= rw["p_value"] - 1e-12).all()


def test_kept_binary_fits_carry_their_fixed_effect_dummies():
    cy = simulate_coup_panel(n_countries=40, seed=7)
    cy["region"] = np.where(cy["country_id_gw"].astype(int) % 2 == 0, "a", "b")
    d = SpecData(cy, unit="country_id_gw", period="year", treatments=["has_partnership"])
    spec = Spec(outcome="has_coup_attempt", treatment="has_partnership", estimator="logit", fe=("region",),
                cluster="country_id_gw")
    res, kept = fit_many([spec], d, backend="serial", progress=False, keep_results=True)
    assert res["status"][0] == "ok", res["reason"][0]
    k = kept[spec.id]
    assert k.result.term("has_partnership")["estimate"] == pytest.approx(res["estimate"][0], rel=1e-12)
    assert any(c.startswith("fe_region") for c in k.data.columns)
    from analysis.models.inference import model_design

    assert len(model_design(k.result, k.data).y) == res["nobs"][0]


def test_keep_results_refits_instead_of_reading_the_cache(sim, tmp_path):
    _, data, grid = sim
    specs = grid.specs("small")
    fit_many(specs, data, backend="serial", progress=False, cache=tmp_path)
    res, kept = fit_many(specs, data, backend="serial", progress=False, cache=tmp_path, keep_results=True)
    assert res.attrs["run"]["fitted"] == len(specs) and not res["cached"].any()
    assert len(kept) == len(specs)
