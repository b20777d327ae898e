"""Notebook benchmark: per-notebook execution time, the full reports job, and a warm rerun.

Run with ``python benchmarks/bench_reports.py`` after ``make data``. In one run, into a
temporary reports folder (the committed ``reports/`` is not touched):

* cold  - every notebook, every parameter set except ``test``, ``-j 2`` (what ``make reports``
  runs after the data build);
* warm  - the same again with nothing changed (every run must be cached);
* per-notebook seconds of the default set, and of the ``test`` set used by the test suite;
* a rerun of one notebook (04) after a parameter change, wall seconds of ``peaceops run`` as a
  user types it (the target is 5 s on 2 cores), and the import-and-load part of it;
* page weights: every HTML page without its figures, the figures, and the whole folder.

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


def _rerun_after_parameter_change(rdir: Path) -> dict:
    """Wall time of `peaceops run 04 -p lag 2` (a new parameter value) and of the import cell alone."""
    import subprocess

    exe = Path(sys.executable).with_name("peaceops")
    cmd = [str(exe), "run", "04", "--reports-dir", str(rdir), "-q", "-p", "compare_treatments", "false"]
    subprocess.run(cmd, check=True, capture_output=True)  # warm: the runner's own caches
    t0 = time.perf_counter()
    subprocess.run([*cmd, "-p", "lag", "2", "-p", "years", "[1995, 2024]"], check=True, capture_output=True)
    t_rerun = time.perf_counter() - t0
    code = ("import time; t=time.perf_counter(); import pandas; "
            "from analysis.data import data_versions, load; "
            "import analysis.models.coups, analysis.plots.models, analysis.reporting; "
            "data_versions(['country_years']); load('country_years'); print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         cwd=ROOT / "notebooks")
    return {"rerun_04_after_parameter_change_wall_s": round(t_rerun, 2),
            "import_and_load_cell_s": round(float(out.stdout.strip().splitlines()[-1]), 2)}


def _weights(rdir: Path) -> dict:
    pages = sorted(rdir.glob("*/*.html"))
    html = {p.relative_to(rdir).as_posix(): p.stat().st_size for p in pages}
    files = [p for p in rdir.rglob("*") if p.is_file() and ".screenshots" not in p.parts]
    total = sum(p.stat().st_size for p in files)
    figs = sum(p.stat().st_size for p in rdir.rglob("figures/*") if p.is_file())
    return {"largest_html_kb": round(max(html.values(), default=0) / 1024, 1),
            "html_pages": len(html), "figures_kb": round(figs / 1024),
            "reports_total_kb": round(total / 1024)}


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
        rerun = _rerun_after_parameter_change(rdir)
        weights = _weights(rdir)
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
        **rerun,
        **weights,
    }
    out = ROOT / "benchmarks" / "results" / "reports.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n")
    return res


if __name__ == "__main__":
    for k, v in main().items():
        print(f"{k:26s} {v}")
