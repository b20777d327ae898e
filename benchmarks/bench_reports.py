"""Notebook benchmark: per-notebook execution time, the full reports job, and a warm rerun.

Run with ``python benchmarks/bench_reports.py`` after ``make data``. In one run, into a
temporary reports folder (the committed ``reports/`` is not touched):

* cold  - every notebook, every parameter set except ``test``, ``-j 2`` (what ``make reports``
  runs after the data build);
* warm  - the same again with nothing changed (every run must be cached);
* per-notebook seconds of the default set, and of the ``test`` set used by the test suite;
* a rerun of one notebook (04) after a parameter change, wall and CPU seconds of ``peaceops run``
  as a user types it (the target is 5 s on 2 cores), best of 3 with the 1-minute load average,
  and the breakdown of the best run as the runner logs it (``peaceops -v``): plan, data check (the
  kernel starts and imports meanwhile), the wait for the kernel, the import-and-load cell, the
  other cells, the kernel's shutdown, the outputs; CPU of the runner and of the kernel; the
  import-and-load cell and a kernel start measured alone for reference
  (``--rerun-only`` measures this alone);
* every notebook's default set forced again (``peaceops run NN --force``), best of 2 after a warm
  run: what the 5 s target means for the other notebooks (``--rerun-every`` measures this alone);
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


_RUNNER = """
import json, os, resource, sys, time
t0 = time.perf_counter()
from analysis.cli import console
sys.argv = ["peaceops", *sys.argv[1:]]
rc = console()
wall = time.perf_counter() - t0
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print("CPU " + json.dumps({"in_main_s": wall, "runner_cpu_s": me.ru_utime + me.ru_stime,
                           "kernel_cpu_s": kids.ru_utime + kids.ru_stime}), file=sys.stderr)
sys.exit(rc)
"""


def _one_rerun(rdir: Path) -> dict:
    """A warm run (lag 1) into ``rdir``, then the measured rerun with lag 2, as a user types it."""
    import os
    import subprocess

    exe = Path(sys.executable).with_name("peaceops")
    cmd = [str(exe), "run", "04", "--reports-dir", str(rdir), "-q", "-p", "compare_treatments", "false"]
    subprocess.run(cmd, check=True, capture_output=True)  # warm: the runner's own caches
    change = ["-p", "lag", "2", "-p", "years", "[1995, 2024]"]
    load_before = os.getloadavg()[0]
    c0 = os.times()
    t0 = time.perf_counter()
    subprocess.run([*cmd, *change], check=True, capture_output=True, text=True)
    t_rerun = time.perf_counter() - t0
    c1 = os.times()
    cpu = (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
    # the same rerun again (forced), logged (-v) in a process that reports its own and its
    # kernel's CPU: the breakdown of where the time goes
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _RUNNER, "-v", *cmd[1:], *change, "--force"], check=True,
                         capture_output=True, text=True)
    t_logged = time.perf_counter() - t0
    timings = json.loads(out.stderr.split("timings (s): ", 1)[1].splitlines()[0])
    split = json.loads(out.stderr.split("CPU ", 1)[1].splitlines()[0])
    return {"wall": t_rerun, "cpu": cpu, "load": load_before, "timings": timings, "split": split,
            "wall_logged": t_logged}


def _breakdown(r: dict) -> dict:
    """Where the wall time of a rerun goes, on its critical path (seconds)."""
    t = r["timings"]
    [run] = t["executed"].values()
    cells = run["cells"]
    code_first = cells[2] if len(cells) > 2 else 0.0  # cells 0-1: parameters and injected parameters
    kernel = run["kernel_start"] + run["kernel_ready"]
    execution_other = run["execution"] - kernel - sum(cells) - run["shutdown"]
    in_main = t["plan"] + t["data"] + t["runs"] + t["index"]
    return {
        "total_of_the_logged_rerun": round(r["wall_logged"], 2),
        "python_start_imports_exit": round(r["wall_logged"] - in_main, 2),
        "plan_notebooks_kernel_started": round(t["plan"], 2),
        "data_check_while_kernel_starts": round(t["data"], 2),
        "wait_for_kernel_boot_and_imports": round(kernel, 2),
        "import_and_load_cell": round(code_first, 2),
        "other_cells": round(sum(cells) - code_first, 2),
        "kernel_shutdown": round(run["shutdown"], 2),
        "papermill_other": round(execution_other, 2),
        "outputs_page_swap_index": round(run["outputs"] + t["index"], 2),
        "runs_other": round(t["runs"] - run["execution"] - run["outputs"], 2),
    }


def _rerun_after_parameter_change(rdir: Path, repeat: int = 3) -> dict:
    """`peaceops run 04 -p lag 2 ...` (a new parameter value) as a user types it: best of ``repeat``.

    Each repetition renders into a fresh folder: a warm run, then the measured rerun (wall and CPU
    of the CLI and its kernel) with the 1-minute load average before it (the machine is shared),
    then the same rerun forced and logged to break the time down (:func:`_breakdown`) and to split
    the CPU between the runner and the kernel. The package's bytecode is compiled first, as an
    installed package or a checkout without ``PYTHONDONTWRITEBYTECODE`` has it (a kernel would
    otherwise compile every module it imports). For reference, measured alone: a kernel start
    and the import-and-load part of notebook 04's first code cell, lap by lap.
    """
    import compileall
    import subprocess

    compileall.compile_dir(ROOT / "analysis", quiet=1)
    runs = []
    for i in range(repeat):
        d = rdir / f"rerun{i}"
        d.mkdir(parents=True, exist_ok=True)
        runs.append(_one_rerun(d))
    best = min(runs, key=lambda r: r["wall"])
    kernel = subprocess.run([sys.executable, "-c", _KERNEL_START], check=True, capture_output=True,
                            text=True, cwd=ROOT / "notebooks")
    cell = subprocess.run([sys.executable, "-c", _IMPORT_AND_LOAD], check=True, capture_output=True,
                          text=True, cwd=ROOT / "notebooks")
    laps = json.loads(cell.stdout.strip().splitlines()[-1])
    [run] = best["timings"]["executed"].values()
    return {
        "rerun_04_after_parameter_change_wall_s": round(best["wall"], 2),
        "rerun_04_wall_s_all": [round(r["wall"], 2) for r in runs],
        "rerun_04_cpu_s": round(best["cpu"], 2),
        "rerun_04_load_average_1min": round(best["load"], 2),
        "rerun_04_load_average_all": [round(r["load"], 2) for r in runs],
        "rerun_04_breakdown_s": _breakdown(best),
        "rerun_04_cells_s": [round(c, 3) for c in run["cells"]],
        "rerun_04_cpu_split_s": {k: round(v, 2) for k, v in best["split"].items() if k != "in_main_s"},
        "alone_kernel_start_s": round(float(kernel.stdout.strip().splitlines()[-1]), 2),
        "alone_import_and_load_cell_s": round(sum(laps.values()), 2),
        "alone_import_and_load_laps_s": laps,
    }


def _rerun_every_notebook(rdir: Path, repeat: int = 2) -> dict:
    """Each notebook's default set executed again (``peaceops run NN --force``) as a user types it:
    wall seconds, best of ``repeat``, after one warm run, with the 1-minute load average before the
    best. A forced rerun does what a rerun after a parameter change does (plan, data check, a
    kernel, every cell, the page); only notebook 04 is measured with a real parameter change
    (:func:`_rerun_after_parameter_change`).
    """
    import os
    import subprocess

    from analysis.reporting.plan import discover

    exe = Path(sys.executable).with_name("peaceops")
    walls: dict[str, float] = {}
    loads: dict[str, float] = {}
    for nb in discover(ROOT / "notebooks", [], sync=False):
        stem = nb.stem
        cmd = [str(exe), "run", stem, "--reports-dir", str(rdir), "-q", "--force"]
        subprocess.run(cmd, check=True, capture_output=True)  # warm
        best = (float("inf"), 0.0)
        for _ in range(repeat):
            load = os.getloadavg()[0]
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            best = min(best, (time.perf_counter() - t0, load))
        walls[stem], loads[stem] = round(best[0], 2), round(best[1], 2)
    return {
        "rerun_forced_default_wall_s": walls,
        "rerun_forced_load_average_1min": loads,
        "rerun_forced_notebooks_within_5s": sum(w <= 5.0 for w in walls.values()),
        "rerun_forced_notebooks": len(walls),
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
        every = _rerun_every_notebook(rdir)
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
        **every,
        **weights,
    }
    write_results("reports", res)
    return res


if __name__ == "__main__":
    if "--rerun-only" in sys.argv:  # the parameter-change rerun and its breakdown, nothing else
        with tempfile.TemporaryDirectory(prefix="peaceops-bench-") as td:
            res = _rerun_after_parameter_change(Path(td))
    elif "--rerun-every" in sys.argv:  # every notebook's default set forced again, nothing else
        with tempfile.TemporaryDirectory(prefix="peaceops-bench-") as td:
            res = _rerun_every_notebook(Path(td))
    else:
        res = main()
    for k, v in res.items():
        print(f"{k:40s} {v}")
