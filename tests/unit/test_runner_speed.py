"""The runner's speed-ups for a rerun (issue 12): the kernel of the run started while the data are
checked, papermill's per-cell saves left out, the kernel's objects frozen before it exits.

Fast tests use fakes for papermill and the kernel; the ``slow`` ones start a real kernel and
check that an early kernel gives the same executed notebook and results as a kernel started by
papermill, with nothing of the early imports left in the notebook's namespace.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from analysis.reporting import plan
from analysis.reporting.execute import run_environment, run_notebooks, stage_output_dir
from analysis.reporting.plan import certain_to_run

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"
DV = {"code_version": "c0de", "tables": {"tiny_table": "abcdef0123456789"}, "sources": {"s": "v1"}}


def _run(project: Path, *names: str, **kw):
    kw.setdefault("data_versions", DV)
    kw.setdefault("progress", False)
    kw.setdefault("index", False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plan, "code_hash", lambda: "code-v1")
        return run_notebooks(names or ("01",), notebooks_dir=project / "notebooks",
                             reports_dir=project / "reports", build_data=False, **kw)


# --------------------------------------------------------------------------- certain_to_run


def _task(project: Path):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plan, "code_hash", lambda: "code-v1")
        nbs = plan.discover(project / "notebooks", ["01"])
        return plan.plan_runs(nbs, reports_dir=project / "reports", data_versions={})[0]


def test_a_run_is_certain_when_new_forced_or_a_component_other_than_data_changed(project):
    t = _task(project)
    for d in ("ipynb", "html"):
        t.paths()[d].parent.mkdir(parents=True, exist_ok=True)
        t.paths()[d].write_text("x")
    t.paths()["dir"].mkdir(parents=True)
    same = {"components": {**t.components, "data": "whatever"}}
    assert certain_to_run(t, None, False)  # never ran
    assert certain_to_run(t, same, True)  # forced
    assert not certain_to_run(t, same, False)  # only the data may differ: the data check decides
    for k in ("notebook", "parameters", "code", "packages", "format"):
        assert certain_to_run(t, {"components": {**same["components"], k: "old"}}, False), k
    t.paths()["html"].unlink()
    assert certain_to_run(t, same, False)  # an output is missing


# --------------------------------------------------------------------------- the kernel started early


class FakeKernel:
    """Stands for :class:`analysis.reporting.kernel.EarlyKernel` (no process)."""

    def __init__(self, events: list, env: dict, cwd: Path, fits: bool = True):
        self.events, self.env, self.cwd, self._fits = events, env, cwd, fits
        self.km = object()
        self.used = False

    def fits(self, run_env, cwd):
        return self._fits and all(self.env.get(k) == v for k, v in run_env.items())

    def discard(self):
        self.events.append("discarded")
        self.km = None

    def stop_if_alive(self):
        self.events.append("stopped")


def _fakes(monkeypatch, *, fits=True, start_fails=False):
    """Fake early-kernel start and papermill; returns the list of events in order."""
    import papermill as pm

    from analysis.reporting import execute

    events: list = []

    def start(name, env, cwd):
        if start_fails:
            raise RuntimeError("no kernel today")
        k = FakeKernel(events, env, cwd, fits)
        events.append(("started", name, Path(cwd).name))
        return k

    def fake_pm(inp, outp, parameters=None, **kw):
        import nbformat

        events.append(("papermill", kw.get("km"), kw.get("engine_name")))
        nb = nbformat.read(inp, as_version=4)
        (Path(parameters["output_dir"]) / "results.json").write_text(json.dumps({"results": {}}))
        nbformat.write(nb, outp)

    real_prepare = execute._prepare_data

    def prepare(*a, **k):
        events.append("data checked")
        return real_prepare(*a, **k)

    monkeypatch.setattr(execute, "start_kernel_early", start)
    monkeypatch.setattr(execute, "_prepare_data", prepare)
    monkeypatch.setattr(pm, "execute_notebook", fake_pm)
    return events


def test_the_kernel_of_a_certain_run_starts_before_the_data_check_and_is_handed_over(project, monkeypatch):
    events = _fakes(monkeypatch)
    [o] = _run(project).outcomes
    assert o.status == "ran", o.error
    assert events[0] == ("started", "peaceops", "notebooks") and events[1] == "data checked"
    kind, km, engine = events[2]
    assert kind == "papermill" and km is not None and engine == "peaceops"
    assert events[3:] == ["stopped"]  # papermill owned it; nothing discarded


def test_the_early_kernel_gets_the_environment_of_its_run(project, monkeypatch):
    seen = {}

    def start(name, env, cwd):
        seen.update(env=env, cwd=cwd)
        raise RuntimeError("stop here")

    from analysis.reporting import execute

    monkeypatch.setattr(execute, "start_kernel_early", start)
    _fakes_pm_only(monkeypatch)
    _run(project)
    t = _task(project)
    ctx = json.loads(seen["env"]["PEACEOPS_RUN"])
    assert ctx["output_dir"] == str(stage_output_dir(t)) and ctx["notebook"] == "01_tiny"
    assert seen["env"]["TQDM_DISABLE"] == "1" and Path(seen["cwd"]) == project / "notebooks"
    assert {k: seen["env"][k] for k in run_environment(t)} == run_environment(t)


def _fakes_pm_only(monkeypatch):
    import nbformat
    import papermill as pm

    def fake_pm(inp, outp, parameters=None, **kw):
        (Path(parameters["output_dir"]) / "results.json").write_text(json.dumps({"results": {}}))
        nbformat.write(nbformat.read(inp, as_version=4), outp)

    monkeypatch.setattr(pm, "execute_notebook", fake_pm)


def test_no_kernel_is_started_early_for_a_run_that_may_be_cached(project, monkeypatch):
    events = _fakes(monkeypatch)
    _run(project)
    events.clear()
    [o] = _run(project).outcomes
    assert o.status == "cached" and events == ["data checked"]


def test_an_unused_early_kernel_is_shut_down(project, monkeypatch):
    from analysis.reporting import execute

    events = _fakes(monkeypatch)

    def broken(*a, **k):
        raise RuntimeError("data check failed")

    monkeypatch.setattr(execute, "_prepare_data", broken)
    with pytest.raises(RuntimeError, match="data check failed"):
        _run(project)
    assert events == [("started", "peaceops", "notebooks"), "discarded"]


def test_an_early_kernel_that_does_not_fit_the_run_is_replaced(project, monkeypatch):
    events = _fakes(monkeypatch, fits=False)
    [o] = _run(project).outcomes
    assert o.status == "ran", o.error
    assert "discarded" in events and ("papermill", None, "peaceops") in events


def test_a_kernel_that_does_not_start_early_leaves_the_run_to_start_its_own(project, monkeypatch, caplog):
    events = _fakes(monkeypatch, start_fails=True)
    [o] = _run(project).outcomes
    assert o.status == "ran", o.error
    assert ("papermill", None, "peaceops") in events and "could not start the kernel early" in caplog.text


def test_no_early_kernel_for_parallel_runs_or_when_asked(project, monkeypatch):
    from analysis.reporting import execute
    from analysis.reporting.plan import RunOutcome

    events = _fakes(monkeypatch)
    (project / "notebooks" / "params" / "01_tiny.yaml").write_text("default: {}\nother: {n: 4}\n")
    pooled: list = []

    def pool(tasks, **kw):  # stands for the process pool of jobs > 1
        pooled.append((len(tasks), kw["jobs"], [t.early_kernel for t in tasks]))
        return [RunOutcome(t.stem, t.label, "ran") for t in tasks]

    monkeypatch.setattr(execute, "execute_tasks", pool)
    _run(project, "01", all_sets=True, jobs=2)
    assert pooled == [(2, 2, [None, None])]
    monkeypatch.undo()
    events = _fakes(monkeypatch)
    [o] = _run(project, "01", early_kernel=False).outcomes
    assert o.status == "ran" and events[0] == "data checked" and ("papermill", None, "peaceops") in events
    assert not [e for e in events if isinstance(e, tuple) and e[0] == "started"]


# --------------------------------------------------------------------------- the engine


def _prepared(*sources):
    """A notebook of code cells as papermill prepares it for an engine."""
    import nbformat
    from papermill.execute import prepare_notebook_metadata

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in sources])
    nb.metadata.papermill = nbformat.from_dict({})
    return prepare_notebook_metadata(nb, "in.ipynb", "out.ipynb")


def test_the_engine_saves_the_notebook_once_at_the_end(tmp_path, monkeypatch):
    import papermill.engines as pe

    from analysis.reporting.engine import _engine_class

    writes: list[str] = []
    monkeypatch.setattr(pe, "write_ipynb", lambda nb, path: writes.append(path))
    nb = _prepared("1", "2")
    engine = _engine_class()

    def cells(nb_man, kernel_name, **kw):
        for i, c in enumerate(nb_man.nb.cells):
            nb_man.cell_start(c, i)
            nb_man.cell_complete(c, i)

    monkeypatch.setattr(engine, "execute_managed_notebook", classmethod(lambda cls, *a, **k: cells(*a, **k)))
    engine.execute_notebook(nb, "peaceops", output_path=str(tmp_path / "out.ipynb"), progress_bar=False)
    assert writes == [str(tmp_path / "out.ipynb")]  # papermill's own engine: 6 writes


def test_the_engine_still_saves_when_the_execution_breaks_off(tmp_path, monkeypatch):
    import papermill.engines as pe

    from analysis.reporting.engine import _engine_class

    writes: list[str] = []
    monkeypatch.setattr(pe, "write_ipynb", lambda nb, path: writes.append(path))
    engine = _engine_class()

    def dies(cls, nb_man, kernel_name, **kw):
        nb_man.cell_start(nb_man.nb.cells[0], 0)
        raise RuntimeError("Kernel died")

    monkeypatch.setattr(engine, "execute_managed_notebook", classmethod(dies))
    nb = _prepared("1")
    with pytest.raises(RuntimeError, match="Kernel died"):
        engine.execute_notebook(nb, "peaceops", output_path=str(tmp_path / "out.ipynb"), progress_bar=False)
    assert writes == [str(tmp_path / "out.ipynb")]  # the failed notebook the runner keeps


class FakeShell:
    def __init__(self, replies):
        self.replies = list(replies)

    def get_msg(self, timeout=None):
        from queue import Empty

        if not self.replies:
            raise Empty
        return self.replies.pop(0)


class FakeClient:
    """A kernel client whose shell channel holds ``replies``; ``execute`` returns msg id m1."""

    def __init__(self, replies=()):
        self.sent: list = []
        self.shell_channel = FakeShell(replies)

    def execute(self, code, **kw):
        self.sent.append((code, kw))
        return "m1"


def test_the_kernel_freezes_its_objects_silently_before_shutdown():
    import asyncio

    from analysis.reporting.engine import FREEZE_CODE, _freeze

    kc = FakeClient([{"parent_header": {"msg_id": "other"}}, {"parent_header": {"msg_id": "m1"}},
                     {"parent_header": {"msg_id": "later"}}])
    asyncio.run(_freeze(kc, timeout=2))
    [(code, kw)] = kc.sent
    assert code == FREEZE_CODE and "gc" in code and "freeze" in code
    assert kw["silent"] and not kw["store_history"] and not kw["stop_on_error"]
    assert kc.shell_channel.replies == [{"parent_header": {"msg_id": "later"}}]  # read up to its own reply


def test_a_kernel_that_does_not_answer_the_freeze_is_shut_down_all_the_same():
    import asyncio

    from analysis.reporting.engine import _freeze

    kc = FakeClient()  # no reply ever comes
    asyncio.run(_freeze(kc, timeout=0.2))  # returns, does not raise
    assert len(kc.sent) == 1


def test_warm_imports_leave_no_names_behind():
    from analysis.reporting.kernel import WARM_IMPORTS, warm_import_arguments

    imp, delete, freeze = warm_import_arguments(("numpy", "pyarrow.parquet", "scipy.stats"))
    assert imp == "--IPKernelApp.exec_lines=import numpy, pyarrow.parquet, scipy.stats"
    assert delete == "--IPKernelApp.exec_lines=del numpy, pyarrow, scipy"
    assert "gc.freeze()" in freeze.replace("_gc", "gc") and freeze.endswith("del _gc")
    assert not [m for m in WARM_IMPORTS if m.split(".")[0] == "analysis"]  # analysis modules key runs


# --------------------------------------------------------------------------- real kernels


def _outputs(project: Path) -> tuple[str, dict]:
    d = project / "reports" / "01_tiny"
    res = json.loads((d / "default" / "results.json").read_text())
    res.pop("created", None)
    return (d / "default.ipynb").read_text(), res


@pytest.mark.slow  # two runs on real kernels
def test_an_early_kernel_gives_the_same_notebook_and_results(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for p in (a, b):
        shutil.copytree(FIXTURES, p / "notebooks")
    [oa] = _run(a, early_kernel=True).outcomes
    [ob] = _run(b, early_kernel=False).outcomes
    assert oa.status == ob.status == "ran", (oa.error, ob.error)
    nb_a, res_a = _outputs(a)
    nb_b, res_b = _outputs(b)
    assert res_a == res_b and nb_a == nb_b
    counts = [c.get("execution_count") for c in json.loads(nb_a)["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1))  # the early imports took no execution count


@pytest.mark.slow  # a real kernel
def test_the_early_imports_are_done_and_their_names_gone(tmp_path):
    import os

    from jupyter_core.utils import run_sync

    from analysis.reporting.kernel import WARM_IMPORTS, ensure_kernel, start_kernel_early

    ensure_kernel()
    k = start_kernel_early("peaceops", dict(os.environ), tmp_path)
    kc = k.km.client()
    kc.start_channels()
    out: list[str] = []
    try:
        run_sync(kc.wait_for_ready)(timeout=60)
        code = (f"import sys; print(sorted(set({WARM_IMPORTS!r}) - set(sys.modules)), "
                "[n for n in ('numpy', 'pandas', 'scipy', 'statsmodels', 'matplotlib', 'pyarrow', 'pandera') "
                "if n in globals()])")
        run_sync(kc.execute_interactive)(
            code, output_hook=lambda m: out.append(m["content"].get("text", "")), timeout=60)
    finally:
        kc.stop_channels()
        k.discard()
    assert "".join(out).strip() == "[] []"
    assert k.km is None


def test_a_kernel_started_before_the_sync_is_replaced_when_the_sync_changes_the_run(project, monkeypatch):
    import os
    import time

    events = _fakes(monkeypatch)
    py = project / "notebooks" / "01_tiny.py"
    py.write_text(py.read_text().replace("n: int = 3", "n: int = 5"))
    later = time.time() + 10
    os.utime(py, (later, later))  # the reviewed source is newer: the sync rewrites the ipynb
    [o] = _run(project).outcomes
    assert o.status == "ran", o.error
    assert events[0] == ("started", "peaceops", "notebooks")  # planned from the ipynb as it was
    assert "discarded" in events and ("papermill", None, "peaceops") in events  # n=3 kernel unfit


def test_a_notebook_without_ipynb_gets_its_kernel_after_the_sync(project, monkeypatch):
    events = _fakes(monkeypatch)
    (project / "notebooks" / "01_tiny.ipynb").unlink()
    [o] = _run(project).outcomes
    assert o.status == "ran", o.error
    assert events[0] == ("started", "peaceops", "notebooks") and events[1] == "data checked"
    assert events[2][0] == "papermill" and events[2][1] is not None


def test_the_summary_says_where_the_time_went(project, monkeypatch):
    _fakes(monkeypatch)
    s = _run(project, index=True)
    assert set(s.timings) == {"plan", "data", "runs", "index"} and all(v >= 0 for v in s.timings.values())
    [o] = s.outcomes
    assert o.timings["execution"] >= 0 and o.timings["outputs"] >= 0
    t = s.to_timings()
    assert t["executed"]["01_tiny [default]"]["outputs"] == round(o.timings["outputs"], 3)
    json.dumps(t)


def test_kernels_asked_to_shut_down_are_waited_for_and_cleaned_up():
    import asyncio

    from analysis.reporting import engine

    calls: list = []

    class FakeManager:
        def __init__(self, name):
            self.name = name

        async def finish_shutdown(self, pollinterval=0.1):
            await asyncio.sleep(0)
            calls.append((self.name, "exited", pollinterval))

        async def cleanup_resources(self):
            calls.append((self.name, "cleaned"))

    engine._PENDING.extend([FakeManager("a"), FakeManager("b")])
    assert engine.finish_shutdowns() >= 0
    assert not engine._PENDING
    assert sorted(calls) == [("a", "cleaned"), ("a", "exited", 0.02), ("b", "cleaned"), ("b", "exited", 0.02)]


def _kernel_children() -> list[int]:
    """Pids of this process's children that are Jupyter kernels (zombies included)."""
    me, out = os.getpid(), []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            status = (d / "status").read_text()
            cmd = (d / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = next((int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("PPid:")), None)
        if ppid == me and b"ipykernel" in cmd:
            out.append(int(d.name))
    return out


@pytest.mark.slow  # a real kernel
@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads /proc")
def test_no_kernel_is_left_behind_after_a_run(project):
    from analysis.reporting import engine

    [o] = _run(project).outcomes
    assert o.status == "ran", o.error
    assert o.timings["shutdown"] < 5 and "kernel_exit" in o.timings
    assert not engine._PENDING and _kernel_children() == []  # exited and reaped, not a zombie


def test_the_fast_read_of_a_notebook_equals_nbformats():
    from analysis.reporting.plan import read_notebook

    project = Path(__file__).parents[2] / "notebooks"
    notebooks = sorted(FIXTURES.glob("0*.ipynb")) + sorted(project.glob("0*.ipynb"))
    assert len(notebooks) >= 3
    for f in notebooks:
        a, b = read_notebook(f), read_notebook(f, fast=True)
        assert (a.source_hash, a.title, a.parameters_cell, a.sets, a.descriptions) == \
            (b.source_hash, b.title, b.parameters_cell, b.sets, b.descriptions), f.name
        assert a.defaults() == b.defaults() and list(a.params) == list(b.params), f.name


def test_the_fast_read_refuses_what_it_cannot_read(tmp_path):
    from analysis.errors import RunnerError
    from analysis.reporting.plan import read_notebook

    f = tmp_path / "01_old.ipynb"
    f.write_text(json.dumps({"nbformat": 3, "worksheets": []}))
    with pytest.raises(RunnerError, match="not a version-4 notebook"):
        read_notebook(f, fast=True)
