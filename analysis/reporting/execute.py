"""Execute runs in staging folders and move their outputs into place; run every notebook."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.config import notebooks_path, reports_path
from analysis.data.faults import fault_point
from analysis.data.hashing import atomic_write_text
from analysis.reporting.kernel import (
    KERNEL_LOG_LEVEL,
    KERNEL_NAME,
    EarlyKernel,
    ensure_kernel,
    kernel_manager_class,
    start_kernel_early,
)
from analysis.reporting.plan import (
    RunOutcome,
    RunTask,
    certain_to_run,
    discover,
    plan_runs,
    read_json,
    run_reason,
)
from analysis.reporting.staging import recover_reports, stage_dir

log = logging.getLogger(__name__)

#: Lines of the failing cell's source quoted in error messages.
SOURCE_LINES = 6

# --------------------------------------------------------------------------- execution


def _failing_line(traceback: Sequence[str]) -> str:
    """The ``----> 6 code`` line of the cell's frame in an IPython traceback (ANSI colours removed)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(traceback or []))
    for block in text.split("\n\n"):
        if "Cell In[" in block or "<cell line:" in block or "input-" in block:
            for ln in block.splitlines():
                m = re.match(r"^-+>\s*(\d+)\s?(.*)$", ln)
                if m:
                    return f"{m.group(1)}: {m.group(2).strip()}"
    return ""


def _failure_message(task: RunTask, exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    rel_nb = f"{task.notebooks_dir.name}/{task.ipynb.name}"
    if isinstance(exc, PapermillExecutionError):
        # papermill counts the injected-parameters cell, inserted after the parameters cell
        idx = exc.cell_index
        injected = task.parameters_cell + 1
        if idx == injected:
            where = "the injected-parameters cell"
        else:
            src_idx = idx - 1 if idx > injected else idx
            where = f"cell {src_idx} of {rel_nb} (0-based; In [{exc.exec_count}])"
        lines = str(exc.source).splitlines()
        quoted = "\n".join(f"    | {ln}" for ln in lines[:SOURCE_LINES])
        if len(lines) > SOURCE_LINES:
            quoted += f"\n    | ... ({len(lines) - SOURCE_LINES} more lines)"
        at = _failing_line(exc.traceback)
        return f"failed in {where}:\n{quoted}\n  {exc.ename}: {exc.evalue}" + (
            f"\n  at line {at}" if at else ""
        )
    return f"failed: {type(exc).__name__}: {exc}"


def _rewrite_paths(nb: Any, replacements: Sequence[tuple[str, str]]) -> Any:
    import nbformat

    text = nbformat.writes(nb)
    for old, new in replacements:
        text = text.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1])
    return nbformat.reads(text, as_version=4)


def _shown_path(path: Path, task: RunTask) -> str:
    """How an output path appears in the executed notebook: relative to the notebook's folder when
    the reports sit beside the notebooks (a checkout's ``reports/``), absolute otherwise (``--out``
    of an installed package, whose notebooks live in site-packages)."""
    nbdir = task.notebooks_dir.resolve()
    if Path(path).resolve().is_relative_to(nbdir.parent):
        return os.path.relpath(path, nbdir)
    return str(Path(path).resolve())


def _import_output_modules() -> None:
    """Import what :func:`finish_outputs` needs (nbconvert, the page renderer: ~0.2 s) before the
    notebook executes: the runner waits for the kernel to start then, and would import them
    after the notebook's last cell, when the user waits for the page."""
    import nbconvert.preprocessors  # noqa: F401

    import analysis.reporting.pool  # noqa: F401
    import analysis.reporting.render  # noqa: F401


def finish_outputs(nb: Any, task: RunTask, stage_out: Path, paths: Mapping[str, Path]) -> str:
    """Prepare a successful run's outputs in its staging folder; return the page's HTML.

    Moves the figure files into the notebook's shared folder (:mod:`analysis.reporting.pool`),
    keeps the previous ``created`` stamp when the results are otherwise unchanged, removes
    timestamps and image bytes from the notebook (in place), merges consecutive printed outputs
    of a cell (the kernel sends printed lines in one or several messages depending on timing:
    without this, a rerun with nothing changed wrote other bytes), keys the run on the code
    modules the notebook imported, writes the shared stylesheet and renders the page.
    """
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    from analysis.reporting.plan import code_component
    from analysis.reporting.pool import pool_run_files
    from analysis.reporting.render import clean_notebook, stabilise_created, write_assets

    staged_results = stage_out / "results.json"
    # figure files into the notebook's shared folder first: results.json then links them as the
    # previous run's does, so an unchanged run keeps its `created` stamp and its bytes
    pool_run_files(stage_out, task.out_dir, task.label, nb)
    if staged_results.is_file():
        stabilise_created(staged_results, paths["results"])
        modules = (read_json(staged_results) or {}).get("code_modules")
        if modules:
            task.components["code"], task.code_modules = code_component(modules)
    clean_notebook(nb)
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    write_assets(task.reports_dir)
    from analysis.reporting.render import PageContext, render_page

    results = read_json(staged_results) if staged_results.is_file() else None
    ctx = PageContext(task.stem, task.label, task.description, task.set_descriptions, task.defaults,
                      has_notebook=task.keep_notebook)
    return render_page(nb, results, ctx)


def execute_task(task: RunTask) -> RunOutcome:
    """Execute one run in a staging folder and move its outputs into place on success.

    The run holds the lock of its notebook and label (:func:`~analysis.reporting.staging.label_lock`;
    a second run of the same label waits, or fails after ``task.lock_timeout`` seconds), first
    recovers what an interrupted run of the label left, executes into
    ``reports/<stem>/.staging/<label>/new/`` and swaps the outputs into place recoverably
    (:func:`~analysis.reporting.staging.swap_into_place`). Never raises for a failing notebook:
    the outcome carries the message (failing cell index, first lines of its source, exception).
    Earlier reports are left intact on failure.
    """
    from analysis.reporting.pool import collect_garbage, pool_lock
    from analysis.reporting.staging import LabelBusy, label_lock, recover_stage

    task.out_dir.mkdir(parents=True, exist_ok=True)
    try:
        with label_lock(task.out_dir, task.label, timeout=task.lock_timeout,
                        what=f"{task.stem} [{task.label}]"):
            what = recover_stage(task.out_dir, task.label)
            if what:
                log.warning("%s", what)
            if not task.force and run_reason(task, read_json(task.paths()["run"]), False) is None:
                # a concurrent run of the same label finished this very run while we waited
                return RunOutcome(task.stem, task.label, "cached", "finished by a concurrent run",
                                  paths={k: str(v) for k, v in task.paths().items() if k != "failed"})
            # shared: the notebook's shared figure files are not collected while this run is
            # between pooling its files and swapping in the results that link them
            with pool_lock(task.out_dir):
                outcome = _execute_locked(task)
    except LabelBusy as exc:
        return RunOutcome(task.stem, task.label, "failed", error=f"not run: {exc}")
    if outcome.status == "ran":
        collect_garbage(task.out_dir)  # skipped while another run of the notebook is in progress
    return outcome


def stage_output_dir(task: RunTask) -> Path:
    """The output folder a run writes into: ``reports/<stem>/.staging/<label>/new/<label>``."""
    return stage_dir(task.out_dir, task.label) / "new" / task.paths()["dir"].name


def run_environment(task: RunTask) -> dict[str, str]:
    """What the run's kernel finds in its environment besides the runner's own: the run's context
    for the Reporter (:data:`~analysis.reporting.reporter.RUN_ENV`), and no progress bars (their
    output depends on timing, so executed notebooks would differ from run to run)."""
    from analysis.reporting.reporter import RUN_ENV

    ctx = {
        "output_dir": str(stage_output_dir(task)),
        "notebook": task.stem,
        "param_set": task.label,
        "parameters": task.full_parameters,
        "description": task.description,
    }
    return {RUN_ENV: json.dumps(ctx, default=str), "TQDM_DISABLE": "1"}


def _execute_locked(task: RunTask) -> RunOutcome:
    import nbformat
    import papermill as pm

    from analysis.reporting.engine import finish_shutdowns, register
    from analysis.reporting.staging import create_stage, recover_stage, swap_into_place

    _import_output_modules()

    t0 = time.perf_counter()
    # parameters were validated already: papermill's own (regex) parameter parser only adds noise
    logging.getLogger("papermill").setLevel(logging.ERROR)
    paths = task.paths()
    stage = create_stage(task.out_dir, task.label)
    new = stage / "new"
    stage_out = new / paths["dir"].name
    stage_out.mkdir()
    stage_nb = new / paths["ipynb"].name
    params = {**task.parameters, "output_dir": str(stage_out)}
    run_env = run_environment(task)
    # a kernel started early serves if it was started for this very run (same environment)
    early, task.early_kernel = task.early_kernel, None
    km = None
    if early is not None:
        if stage_out == stage_output_dir(task) and early.fits(run_env, task.notebooks_dir):
            km = early.km
            early.used = True
        else:
            early.discard()
            early = None
    old_env = {k: os.environ.get(k) for k in run_env}
    os.environ.update(run_env)
    timings: dict[str, Any] = {}
    try:
        try:
            pm.execute_notebook(
                str(task.ipynb),
                str(stage_nb),
                parameters=params,
                engine_name=register(),
                km=km,
                timings=timings,
                kernel_name=task.kernel_name,
                cwd=str(task.notebooks_dir),
                progress_bar=task.progress_bar,
                log_output=False,
                execution_timeout=task.timeout,
                extra_arguments=[KERNEL_LOG_LEVEL],
                kernel_manager_class=kernel_manager_class(),
            )
        except Exception as exc:
            msg = _failure_message(task, exc)
            if stage_nb.is_file():
                os.replace(stage_nb, paths["failed"])
                msg += f"\n  executed notebook with the error: {paths['failed']}"
            msg += "\n  earlier reports were left intact"
            return RunOutcome(
                task.stem,
                task.label,
                "failed",
                seconds=time.perf_counter() - t0,
                error=msg,
                paths={"failed": str(paths["failed"])},
                timings=timings,
            )
        finally:
            timings["execution"] = time.perf_counter() - t0
            for k, v in old_env.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            if early is not None:
                early.stop_if_alive()  # papermill shut it down, unless it failed before using it
        nb = nbformat.read(stage_nb, as_version=4)
        nb = _rewrite_paths(
            nb,
            [
                # the notebook's path first: the output folder's path is a prefix of it
                (str(stage_nb), _shown_path(paths["ipynb"], task)),
                (str(stage_out), _shown_path(paths["dir"], task)),
                (str(task.ipynb), task.ipynb.name),
            ],
        )
        html = finish_outputs(nb, task, stage_out, paths)
        if task.keep_notebook:
            nbformat.write(nb, stage_nb)
        else:
            stage_nb.unlink()
        atomic_write_text(new / paths["html"].name, html)
        fault_point("run_executed")
        seconds = time.perf_counter() - t0
        record = {
            "notebook": task.stem,
            "param_set": task.param_set,
            "label": task.label,
            "parameters": task.parameters,
            "key": task.key,
            "components": task.components,
            "code_modules": task.code_modules,
            "kernel": task.kernel_name,
        }
        atomic_write_text(new / paths["run"].name, json.dumps(record, indent=2, default=str) + "\n")
        # into place: the output folder, the notebook and the HTML, run.json (the run key) last
        kinds = ("dir", "ipynb", "html", "run") if task.keep_notebook else ("dir", "html", "run")
        swap_into_place(stage, task.out_dir, [paths[k].name for k in kinds])
        paths["failed"].unlink(missing_ok=True)
        if not task.keep_notebook:
            paths["ipynb"].unlink(missing_ok=True)  # an earlier run's, kept with --keep-notebooks
        timings["kernel_exit"] = finish_shutdowns()  # it exited while the outputs were written
        return RunOutcome(
            task.stem,
            task.label,
            "ran",
            seconds=seconds,
            paths={k: str(v) for k, v in paths.items() if k != "failed"},
            timings={**timings, "outputs": time.perf_counter() - t0 - timings["execution"]},
        )
    finally:
        finish_shutdowns()  # a run that failed after its notebook ended: its kernel's exit
        # finish an interrupted swap (Ctrl-C between two renames) or discard an unfinished run
        recover_stage(task.out_dir, task.label)


@dataclass
class RunSummary:
    """Outcomes of :func:`run_notebooks` and the index written; ``timings``: seconds spent on
    ``plan`` (notebooks found and synced, parameters validated), ``data`` (data checked or built,
    runs keyed), ``runs`` (executing, or finding cached) and ``index``."""

    outcomes: list[RunOutcome]
    index: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> list[RunOutcome]:
        """Failed runs."""
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        """Number of runs with ``status``."""
        return sum(o.status == status for o in self.outcomes)

    def to_timings(self) -> dict[str, Any]:
        """``timings`` and each executed run's, rounded to ms (JSON-ready)."""
        def r(v: Any) -> Any:
            return [r(x) for x in v] if isinstance(v, list) else round(float(v), 3)

        runs = {f"{o.stem} [{o.label}]": {k: r(v) for k, v in o.timings.items()}
                for o in self.outcomes if o.timings}
        return {**{k: r(v) for k, v in self.timings.items()}, "executed": runs}


def _ignore_sigint() -> None:
    """Pool workers leave Ctrl-C to the parent (which stops the pool) instead of printing tracebacks."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_early_kernel(tasks: Sequence[RunTask], force: bool) -> tuple[tuple[str, str], EarlyKernel] | None:
    """A kernel for the first of ``tasks`` certain to execute (:func:`certain_to_run`), started
    now with the run's environment (:func:`~analysis.reporting.kernel.start_kernel_early`);
    ``None`` when no run is certain to execute, or when the kernel does not start (the run then
    starts its own and reports what goes wrong)."""
    for t in tasks:
        if certain_to_run(t, read_json(t.paths()["run"]), force):
            try:
                k = start_kernel_early(t.kernel_name, {**os.environ, **run_environment(t)}, t.notebooks_dir)
            except Exception as exc:  # noqa: BLE001 - the run starts its own kernel and reports
                log.warning("could not start the kernel early: %s: %s", type(exc).__name__, exc)
                return None
            return (t.stem, t.label), k
    return None


def _start_early_kernel_quickly(
    nbdir: Path, names: Sequence[str], plan: Mapping[str, Any], jobs: int, force: bool
) -> tuple[tuple[str, str], EarlyKernel] | None:
    """:func:`_start_early_kernel` on the runs planned from the notebooks as they are, without
    syncing them first (:func:`~analysis.reporting.plan.discover` with ``sync=False``); ``None``
    when they cannot be planned that way (the synced plan then reports why) or run in parallel."""
    from analysis.errors import PeaceopsError

    try:
        tasks = plan_runs(discover(nbdir, names, sync=False, fast=True), data_versions={}, **plan)
    except PeaceopsError:
        return None
    if not tasks or not (jobs <= 1 or len(tasks) == 1):
        return None
    ensure_kernel(tasks[0].kernel_name)
    return _start_early_kernel(tasks, force)


def _prepare_data(build_data: bool, data_versions: Mapping[str, Any] | None, progress: bool) -> dict:
    if data_versions is not None:
        return dict(data_versions)
    from analysis.data import build
    from analysis.data import data_versions as versions

    if build_data:
        build(progress=progress)
    return versions()


def execute_tasks(
    tasks: Sequence[RunTask],
    *,
    force: bool = False,
    jobs: int = 1,
    progress: bool = True,
    executor: Callable[[RunTask], RunOutcome] | None = None,
) -> list[RunOutcome]:
    """Run the tasks not cached (all with ``force``), ``jobs`` at a time; return outcomes in task order.

    With ``jobs == 1`` runs happen in this process (papermill's cell progress bar is shown when
    ``progress``); with more, in a pool of ``jobs`` processes.
    """
    from tqdm.auto import tqdm

    execute = executor or execute_task
    outcomes: dict[int, RunOutcome] = {}
    todo: list[tuple[int, RunTask, str]] = []
    for i, t in enumerate(tasks):
        reason = run_reason(t, read_json(t.paths()["run"]), force)
        if reason is None:
            outcomes[i] = RunOutcome(
                t.stem,
                t.label,
                "cached",
                "unchanged",
                paths={k: str(v) for k, v in t.paths().items() if k != "failed"},
            )
        else:
            t.force = force
            todo.append((i, t, reason))
    bar = tqdm(
        total=len(todo),
        desc="notebooks",
        unit="run",
        disable=not progress or not todo,
        file=sys.stderr,
        position=0,
    )

    def done(i: int, t: RunTask, reason: str, out: RunOutcome) -> None:
        out.reason = out.reason or reason  # the executor may know better (finished by a concurrent run)
        outcomes[i] = out
        bar.update(1)
        bar.set_postfix_str(f"{t.stem} [{t.label}] {out.status}")

    try:
        if jobs <= 1 or len(todo) <= 1:
            for i, t, reason in todo:
                t.progress_bar = progress
                bar.set_postfix_str(f"{t.stem} [{t.label}]")
                done(i, t, reason, execute(t))
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor, as_completed

            with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn"),
                                     initializer=_ignore_sigint) as pool:
                futs = {pool.submit(execute, t): (i, t, reason) for i, t, reason in todo}
                try:
                    for fut in as_completed(futs):
                        i, t, reason = futs[fut]
                        try:
                            out = fut.result()
                        except Exception as exc:  # a crashed worker: report, keep the others
                            out = RunOutcome(
                                t.stem, t.label, "failed", error=f"failed: {type(exc).__name__}: {exc}"
                            )
                        done(i, t, reason, out)
                except KeyboardInterrupt:
                    # Ctrl-C reached the kernels too: running runs end (failed, staging recovered)
                    for f in futs:
                        f.cancel()
                    raise
    finally:
        bar.close()
    return [outcomes[i] for i in range(len(tasks))]


def run_notebooks(
    names: Sequence[str] = (),
    *,
    sets: Sequence[str] = (),
    all_sets: bool = False,
    overrides: Mapping[str, Any] | None = None,
    override_origin: Mapping[str, str] | None = None,
    name: str | None = None,
    jobs: int = 1,
    force: bool = False,
    notebooks_dir: Path | None = None,
    reports_dir: Path | None = None,
    build_data: bool = True,
    data_versions: Mapping[str, Any] | None = None,
    progress: bool = True,
    kernel_name: str = KERNEL_NAME,
    timeout: float | None = None,
    index: bool = True,
    executor: Callable[[RunTask], RunOutcome] | None = None,
    wait: float | None = None,
    keep_notebooks: bool = False,
    early_kernel: bool = True,
) -> RunSummary:
    """Validate, then execute notebooks into ``reports/`` and regenerate ``reports/index.html``.

    Parameters
    ----------
    names
        Notebook stems, number prefixes or paths (default: every notebook).
    sets, all_sets, overrides, override_origin, name
        See :func:`plan_runs`.
    jobs
        Runs executed in parallel (process pool).
    force
        Execute even when the run key is unchanged.
    notebooks_dir, reports_dir
        Folders (default ``<root>/notebooks`` and ``<root>/reports`` in a checkout; an installed
        package runs its bundled notebooks and needs ``reports_dir``).
    build_data
        Build the data tables first (:func:`analysis.data.build`).
    data_versions
        Use these data versions instead of :func:`analysis.data.data_versions` (tests).
    progress
        Progress bars.
    kernel_name
        Jupyter kernel; ``peaceops`` is registered first if needed (:func:`ensure_kernel`).
    timeout
        Per-cell timeout in seconds.
    index
        Regenerate ``reports/index.html`` afterwards.
    executor
        Replacement for :func:`execute_task` (tests; only with ``jobs=1``).
    wait
        Seconds a run waits for a concurrent run of the same notebook and label (``None``: no
        limit; ``0``: fail at once, naming the pid of the other run).
    keep_notebooks
        Keep the executed notebook of every run, not only of the default set and of runs with
        overrides (see :func:`plan_runs`).
    early_kernel
        When runs execute one at a time, start the kernel of the first run certain to execute
        (:func:`~analysis.reporting.plan.certain_to_run`) before the data are checked, so that
        it boots and imports the heavy libraries meanwhile
        (:func:`~analysis.reporting.kernel.start_kernel_early`); a kernel left unused is shut
        down. ``False``: each run starts its kernel when it executes.

    Returns
    -------
    RunSummary
    """
    clock = _Clock()
    nbdir = Path(notebooks_dir) if notebooks_dir else notebooks_path()
    # absolute: the kernel runs in the notebooks' folder and writes to the output folder it is given
    rdir = (Path(reports_dir) if reports_dir else reports_path()).resolve()
    plan: dict[str, Any] = dict(
        sets=sets,
        all_sets=all_sets,
        overrides=overrides,
        override_origin=override_origin,
        name=name,
        explicit=bool(names),
        reports_dir=rdir,
        kernel_name=kernel_name,
        timeout=timeout,
        lock_timeout=wait,
        keep_notebooks=keep_notebooks,
    )
    real_runs = kernel_name == KERNEL_NAME and executor is None
    early = None
    try:
        if early_kernel and real_runs:
            # runs one at a time: the first run certain to execute gets its kernel now, which starts
            # and imports while the notebooks are synced and the data checked (the run finds it
            # ready; unused, it is shut down); planned from the notebooks as they are, before the
            # sync (jupytext), which rarely changes them (the kernel then does not fit its run)
            early = _start_early_kernel_quickly(nbdir, names, plan, jobs, force)
        chosen = discover(nbdir, names)
        checked = plan_runs(chosen, data_versions={}, **plan)  # validate everything before building data
        recover_reports(rdir)  # what killed runs left: finish their swaps, discard their staging
        if real_runs and early is None:  # (a kernel started early made sure of it)
            ensure_kernel(kernel_name)
        if early is None and early_kernel and real_runs and (jobs <= 1 or len(checked) == 1):
            early = _start_early_kernel(checked, force)
        clock.lap("plan")
        versions = _prepare_data(build_data, data_versions, progress)
        tasks = plan_runs(chosen, data_versions=versions, **plan)
        if early is not None:
            for t in tasks:
                if (t.stem, t.label) == early[0]:
                    t.early_kernel = early[1]
        clock.lap("data")
        outcomes = execute_tasks(tasks, force=force, jobs=jobs, progress=progress, executor=executor)
        clock.lap("runs")
    finally:
        if early is not None and not early[1].used:
            early[1].discard()
    index_path = None
    if index:
        from analysis.reporting.index import write_index

        index_path = write_index(rdir)
    clock.lap("index")
    summary = RunSummary(outcomes, index_path, clock.laps)
    log.info("timings (s): %s", json.dumps(summary.to_timings()))
    return summary


class _Clock:
    """Seconds between calls of :meth:`lap`, by name."""

    def __init__(self) -> None:
        self.t = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.t
        self.t = now


