"""Count-model benchmark: fits per second on a grid of neighbouring specifications.

Run with ``python benchmarks/bench_models.py`` (needs the built ``mission_months`` panel).
Everything is measured in one run and reported as milliseconds per fit and as ratios,
never asserted:

* the grid: notebook 02's frame (mission-months 1990-2019, hostile deaths, personnel-years
  offset) x 6 mandate definitions x published / carried forward x 3 control sets x
  fixed effects {year, mission+year}: 72 specifications, fitted in that order so that
  each one is a neighbour of the one before;
* ``old``: the code of ``main`` before this engine (statsmodels optimizers and dummy
  matrices), loaded from git (skipped when git or that revision is unavailable);
* ``cold``: this engine, every fit from scratch;
* ``warm``: this engine, each fit warm-started from the previous specification's result
  (``start_params=previous``);
* NB2 and PPML separately. A specification that cannot be estimated (e.g. no within-mission
  variation) counts as a fit: it costs its time too.

Results are printed and written to ``benchmarks/results/models.json`` (git-ignored).
The machine is shared: absolute times are noisy; the ratios measured in one run are the
numbers to read.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from _common import ROOT, write_results  # importing _common puts the project on sys.path

OLD_REV = os.environ.get("BENCH_OLD_REV", "95d63ae")  # main before the new engine


def load_old_module():
    """The casualty module of ``OLD_REV`` as a separate module, or None."""
    try:
        src = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{OLD_REV}:analysis/models/casualties.py"],
            check=True, capture_output=True, text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = Path(tempfile.mkdtemp()) / "casualties_old.py"
    path.write_text(src)
    spec = importlib.util.spec_from_file_location("casualties_old", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["casualties_old"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def grid(frames):
    controls_sets = ([], ["log_host_deaths"], ["log_host_deaths", "has_jihadist_conflict"])
    for key, fe, controls in itertools.product(frames, ("year", "mission+year"), controls_sets):
        yield key[0], key[1], fe, controls


def run(fit, frames, specs, estimator, warm=False):
    from analysis.errors import ModelError

    times, failed, prev = [], 0, None
    t_all = time.perf_counter()
    for treatment, filled, fe, controls in specs:
        frame, term = frames[(treatment, filled)]
        kw = dict(outcome="fatalities_hostile_n", treatment=term, controls=controls,
                  exposure="personnel_years_n", fe=fe, estimator=estimator, cluster="mission_id_un")
        if warm and prev is not None:
            kw["start_params"] = prev
        t0 = time.perf_counter()
        try:
            prev = fit(frame, **kw)
        except ModelError:
            failed += 1
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - t_all
    return {
        "fits": len(times),
        "failed": failed,
        "total_s": round(total, 4),
        "ms_per_fit": round(1000 * total / len(times), 2),
        "fits_per_second": round(len(times) / total, 1),
        "median_ms": round(1000 * sorted(times)[len(times) // 2], 2),
    }


def main() -> dict:
    from analysis.data import load
    from analysis.models import fit_casualty_model
    from analysis.studies.casualties import casualty_frame, treatment_name

    warnings.simplefilter("ignore")
    mm = load("mission_months")
    treatments = ("is_robust_mandate", "robust_mandate_index", "is_chapter_vii", "has_poc_mandate",
                  "has_use_of_force", "has_offensive_mandate")
    frames = {}
    for t, filled in itertools.product(treatments, (False, True)):
        frame = casualty_frame(mm, cause="hostile", treatment=t, filled=filled,
                                    controls=["log_host_deaths", "has_jihadist_conflict"], years=[1990, 2019],
                                    missions="all", unit="month", exposure=True)
        frames[(t, filled)] = (frame, treatment_name(t, filled=filled))
    specs = list(grid(frames))
    old = load_old_module()
    out: dict = {"specifications": len(specs), "rows": int(len(next(iter(frames.values()))[0]))}
    # Warm-up (imports, first-call overheads) outside the timings.
    run(fit_casualty_model, frames, specs[:2], "negbin")
    for estimator in ("negbin", "ppml"):
        res = {}
        if old is not None:
            # The old code knows the PPML only as "poisson".
            old_name = "poisson" if estimator == "ppml" else estimator
            res["old"] = run(old.fit_casualty_model, frames, specs, old_name)
        res["cold"] = run(fit_casualty_model, frames, specs, estimator)
        res["warm"] = run(fit_casualty_model, frames, specs, estimator, warm=True)
        if "old" in res:
            res["speedup_cold_vs_old"] = round(res["old"]["total_s"] / res["cold"]["total_s"], 2)
            res["speedup_warm_vs_old"] = round(res["old"]["total_s"] / res["warm"]["total_s"], 2)
        res["speedup_warm_vs_cold"] = round(res["cold"]["total_s"] / res["warm"]["total_s"], 2)
        out[estimator] = res
    # The single fit the issue quotes: NB2, mission + year FE, notebook 02's headline controls.
    frame, term = frames[("is_robust_mandate", False)]
    kw = dict(outcome="fatalities_hostile_n", treatment=term, exposure="personnel_years_n",
              estimator="negbin", controls=["log_host_deaths", "has_jihadist_conflict"])
    one = {}
    for name, fit in (("new", fit_casualty_model), ("old", old.fit_casualty_model if old else None)):
        if fit is None:
            continue
        for fe in ("year", "mission+year"):
            ts = []
            for _ in range(10):
                t0 = time.perf_counter()
                try:
                    fit(frame, **{**kw, "fe": fe})
                except Exception:  # noqa: BLE001 - the benchmark only times it
                    pass
                ts.append(time.perf_counter() - t0)
            one[f"{name}_{fe}_ms"] = round(1000 * sorted(ts)[5], 2)
    out["headline_fit_median_ms"] = one
    write_results("models", out)
    return out


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
