"""Notebook benchmark: per-notebook execution time, the full reports job, and a warm rerun.

Run with ``python benchmarks/bench_reports.py`` after ``make data``. In one run, into a
temporary reports folder (the committed ``reports/`` is not touched):

* cold  - every notebook, every parameter set except ``test``, ``-j 2`` (what ``make reports``
  runs after the data build);
* warm  - the same again with nothing changed (every run must be cached);
* per-notebook seconds of the default set, and of the ``test`` set used by the test suite;
* a rerun of one notebook (04) after a parameter change, wall and CPU seconds of ``peaceops run``
  as a user types it (the target is 5 s on 2 cores), with its breakdown: the runner outside the
  execution, a kernel start, the import-and-load cell (lap by lap), the notebook's computation
  (``--rerun-only`` measures this alone);
* page weights: every HTML page without its figures, the figures, and the whole folder.

Reported as seconds and ratios; results go to ``benchmarks/results/reports.json`` (git-ignored).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, write_results  # importing _common puts the project on sys.path

_IMPORT_AND_LOAD = """
import time
t0 = time.perf_counter(); laps = {}
def lap(name):
    global t0
    now = time.perf_counter(); laps[name] = round(now - t0, 3); t0 = now
import pandas; lap("pandas")
import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot; lap("matplotlib")
from analysis.data import data_versions, load; lap("analysis.data")
import analysis.models.coups, analysis.models.inference, analysis.studies.coup_design; lap("models")
import analysis.plots.models, analysis.reporting; lap("plots_reporter")
data_versions(["country_years", "regime_months", "nonun_operations_monthly", "country_codes", "coups"])
lap("data_versions")
for t in ("country_years", "nonun_operations_monthly", "country_codes", "regime_months", "coups"):
    load(t)
lap("load")
import json; print(json.dumps(laps))
"""

_KERNEL_START = """
import time
from jupyter_client.manager import start_new_kernel
t = time.perf_counter()
km, kc = start_new_kernel(kernel_name="peaceops")
ready = time.perf_counter() - t
kc.stop_channels(); km.shutdown_kernel(now=True)
print(ready)
"""


def _rerun_after_parameter_change(rdir: Path) -> dict:
    """`peaceops run 04 -p lag 2` (a new parameter value) as a user types it, with its breakdown.

    Wall and CPU (user+sys of the CLI and its kernel) of the rerun; the runner's own overhead (wall
    minus the notebook's execution as the runner reports it: CLI start, plan, data check, index); a
    kernel start alone; the import-and-load part of notebook 04's first code cell, lap by lap. The
    rest of the execution is the notebook's own computation (models, tables, figures). The 1-minute
    load average is recorded with it: the machine is shared.
    """
    import os
    import re
    import subprocess

    exe = Path(sys.executable).with_name("peaceops")
    cmd = [str(exe), "run", "04", "--reports-dir", str(rdir), "-q", "-p", "compare_treatments", "false"]
    subprocess.run(cmd, check=True, capture_output=True)  # warm: the runner's own caches
    load_before = os.getloadavg()[0]
    c0 = os.times()
    t0 = time.perf_counter()
    out = subprocess.run([*cmd, "-p", "lag", "2", "-p", "years", "[1995, 2024]"], check=True,
                         capture_output=True, text=True)
    t_rerun = time.perf_counter() - t0
    c1 = os.times()
    cpu = (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
    m = re.search(r"\]\s+([0-9.]+)s", out.stdout)
    t_exec = float(m.group(1)) if m else float("nan")
    kernel = subprocess.run([sys.executable, "-c", _KERNEL_START], check=True, capture_output=True,
                            text=True, cwd=ROOT / "notebooks")
    cell = subprocess.run([sys.executable, "-c", _IMPORT_AND_LOAD], check=True, capture_output=True,
                          text=True, cwd=ROOT / "notebooks")
    laps = json.loads(cell.stdout.strip().splitlines()[-1])
    t_kernel = float(kernel.stdout.strip().splitlines()[-1])
    t_import = sum(laps.values())
    return {
        "rerun_04_after_parameter_change_wall_s": round(t_rerun, 2),
        "rerun_04_cpu_s": round(cpu, 2),
        "rerun_04_load_average_1min": round(load_before, 2),
        "rerun_04_breakdown_s": {
            "runner_outside_execution": round(t_rerun - t_exec, 2),
            "kernel_start": round(t_kernel, 2),
            "import_and_load_cell": round(t_import, 2),
            "notebook_computation_and_render": round(t_exec - t_kernel - t_import, 2),
        },
        "import_and_load_cell_s": round(t_import, 2),
        "import_and_load_laps_s": laps,
    }


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
    write_results("reports", res)
    return res


if __name__ == "__main__":
    if "--rerun-only" in sys.argv:  # the parameter-change rerun and its breakdown, nothing else
        with tempfile.TemporaryDirectory(prefix="peaceops-bench-") as td:
            res = _rerun_after_parameter_change(Path(td))
    else:
        res = main()
    for k, v in res.items():
        print(f"{k:26s} {v}")
