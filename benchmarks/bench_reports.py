"""Notebook benchmark: per-notebook execution time, the full reports job, and a warm rerun.

Run with ``python benchmarks/bench_reports.py`` after ``make data``. In one run, into a
temporary reports folder (the committed ``reports/`` is not touched):

* cold  - every notebook, every parameter set except ``test``, ``-j 2`` (what ``make reports``
  runs after the data build);
* warm  - the same again with nothing changed (every run must be cached);
* per-notebook seconds of the default set, and of the ``test`` set used by the test suite.

Reported as seconds and ratios; results go to ``benchmarks/results/reports.json`` (git-ignored).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> dict:
    from analysis.reporting.execute import run_notebooks

    with tempfile.TemporaryDirectory(prefix="peaceops-bench-") as td:
        rdir = Path(td)
        t0 = time.perf_counter()
        cold = run_notebooks(all_sets=True, jobs=2, reports_dir=rdir, progress=False)
        t_cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        warm = run_notebooks(all_sets=True, jobs=2, reports_dir=rdir, progress=False)
        t_warm = time.perf_counter() - t0
        t0 = time.perf_counter()
        test = run_notebooks(sets=["test"], jobs=1, reports_dir=rdir, progress=False)
        t_test = time.perf_counter() - t0
    per_nb = {o.stem: round(o.seconds, 1) for o in cold.outcomes if o.label == "default"}
    per_nb_test = {o.stem: round(o.seconds, 1) for o in test.outcomes}
    res = {
        "runs": len(cold.outcomes),
        "failed": len(cold.failed),
        "cold_all_sets_s": round(t_cold, 1),
        "warm_all_sets_s": round(t_warm, 2),
        "warm_cached_runs": warm.count("cached"),
        "ratio_warm_over_cold": round(t_warm / t_cold, 4),
        "default_set_seconds": per_nb,
        "test_set_seconds_serial": per_nb_test,
        "test_sets_total_s": round(t_test, 1),
        "ratio_test_sets_over_cold": round(t_test / t_cold, 3),
    }
    out = ROOT / "benchmarks" / "results" / "reports.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n")
    return res


if __name__ == "__main__":
    for k, v in main().items():
        print(f"{k:26s} {v}")
