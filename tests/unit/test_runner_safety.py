"""The runner never deletes what it did not create, names only the project's notebooks, swaps
reports recoverably and runs one label at a time (issue 8, items 1, 2, 6, 7).

No kernel starts here: papermill is replaced where a run gets that far, and the swap of outputs
is exercised on staged folders written by the test. The kills of a real ``peaceops run`` are in
``tests/integration/test_fault_injection.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.errors import RunnerError
from analysis.reporting import plan
from analysis.reporting.execute import run_notebooks
from analysis.reporting.plan import discover

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"
DV = {"code_version": "c0de", "tables": {"tiny_table": "abcdef0123456789"}, "sources": {"s": "v1"}}


def _run(project: Path, *names: str, **kw):
    kw.setdefault("data_versions", DV)
    kw.setdefault("progress", False)
    kw.setdefault("index", False)
    kw.setdefault("early_kernel", False)  # papermill is faked here: no kernel to start early
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plan, "code_hash", lambda: "code-v1")
        return run_notebooks(names, notebooks_dir=project / "notebooks", reports_dir=project / "reports",
                             build_data=False, **kw)


def _no_papermill(monkeypatch):
    import papermill as pm

    def fake(*a, **k):
        raise RuntimeError("stopped before any kernel")

    monkeypatch.setattr(pm, "execute_notebook", fake)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --------------------------------------------------------------------------- item 1: labels are slugs


@pytest.mark.parametrize("label", ["..", "../..", ".", "/tmp/x", "a/b", "x" * 65, "", "with space", "é"])
def test_unsafe_run_label_is_refused_before_anything_is_touched(project, monkeypatch, label):
    """Before the fix, ``--name ..`` made the runner ``rmtree`` ``reports/<stem>/.staging/..``."""
    _no_papermill(monkeypatch)
    reports = project / "reports"
    (reports / "01_tiny" / ".staging").mkdir(parents=True)  # as left by a crash
    (reports / "01_tiny" / "default.html").write_text("earlier report")
    (reports / "keep.txt").write_text("keep")
    before = _tree(project)
    with pytest.raises(RunnerError, match=r"run label .* letters, digits, '-' and '_', at most 64"):
        _run(project, "01", overrides={"n": 4}, name=label)
    assert _tree(project) == before


def test_unsafe_set_name_in_the_yaml_is_refused(project, monkeypatch):
    _no_papermill(monkeypatch)
    (project / "notebooks" / "params" / "01_tiny.yaml").write_text("default: {}\n'..': {n: 2}\n")
    with pytest.raises(RunnerError, match=r"01_tiny.yaml: set name '\.\.' .* letters, digits"):
        discover(project / "notebooks", ["01"])


def test_cli_refuses_an_unsafe_name_with_one_line(project, capsys):
    rc = main(["run", "01", "-p", "n", "4", "--name", "../..", "-q",
               "--notebooks-dir", str(project / "notebooks"), "--reports-dir", str(project / "reports")])
    err = capsys.readouterr().err
    assert rc == 1
    assert err.count("\n") == 1 and err.startswith("error: run label '../..'")
    assert not (project / "reports").exists()


def test_a_plain_label_of_64_characters_is_accepted(project):
    from analysis.reporting.plan import check_label

    assert check_label("a-Z_0" + "x" * 59) == "a-Z_0" + "x" * 59


# --------------------------------------------------------------------------- item 7: only our notebooks


def test_a_path_outside_the_notebooks_folder_is_an_error(project, tmp_path):
    """Before the fix, ``other/04_x.ipynb`` silently ran ``notebooks/04_x.ipynb``."""
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(project / "notebooks" / "01_tiny.ipynb", other / "01_tiny.ipynb")
    nbdir = project / "notebooks"
    with pytest.raises(RunnerError, match=r"elsewhere/01_tiny.ipynb is not one of the project's notebooks"):
        discover(nbdir, [str(other / "01_tiny.ipynb")])
    with pytest.raises(RunnerError, match=r"not one of the project's notebooks"):
        discover(nbdir, ["some/other/path/01_tiny.ipynb"])  # need not exist either


def test_a_path_inside_the_notebooks_folder_selects_that_notebook(project, monkeypatch):
    nbdir = project / "notebooks"
    assert [n.stem for n in discover(nbdir, [str(nbdir / "01_tiny.ipynb")])] == ["01_tiny"]
    assert [n.stem for n in discover(nbdir, [str(nbdir / "02_other.py")])] == ["02_other"]
    monkeypatch.chdir(project)
    assert [n.stem for n in discover(nbdir, ["notebooks/01_tiny.ipynb"])] == ["01_tiny"]
    assert [n.stem for n in discover(nbdir, ["01_tiny.ipynb"])] == ["01_tiny"]  # a bare file name
    with pytest.raises(RunnerError, match=r"'notebooks/09_new.ipynb' matches no notebook"):
        discover(nbdir, ["notebooks/09_new.ipynb"])


# --------------------------------------------------------------------------- item 2: recoverable swap

FAKE_RUN = r"""
import json, os, signal, sys
from pathlib import Path

import papermill

project, target = Path(sys.argv[1]), sys.argv[2]


def fake(inp, out, parameters=None, **kw):
    import nbformat

    n = parameters.get("n", 3)
    nb = nbformat.read(inp, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell(f"VERSION n={n}"))
    d = Path(parameters["output_dir"])
    (d / "results.json").write_text(json.dumps({"results": {"n": n}}))
    nbformat.write(nb, out)


papermill.execute_notebook = fake


def guard(real):
    def move(src, dst, *a, **k):
        if target and os.path.abspath(dst) == target:
            os.kill(os.getpid(), signal.SIGKILL)  # killed just before this rename
        return real(src, dst, *a, **k)
    return move


os.replace, os.rename = guard(os.replace), guard(os.rename)
from analysis.reporting import plan  # noqa: E402
from analysis.reporting.execute import run_notebooks  # noqa: E402

plan.code_hash = lambda: "code-v1"
DV = {"code_version": "c0de", "tables": {"t": "k"}, "sources": {"s": "v1"}}
run_notebooks(["01"], notebooks_dir=project / "notebooks", reports_dir=project / "reports",
              build_data=False, data_versions=DV, progress=False, index=False, early_kernel=False)
"""


def _fake_run(project: Path, n: int, kill_before: str = "") -> int:
    import subprocess
    import sys

    (project / "notebooks" / "params" / "01_tiny.yaml").write_text(f"default: {{n: {n}}}\n")
    target = str(project / "reports" / "01_tiny" / kill_before) if kill_before else ""
    return subprocess.run([sys.executable, "-c", FAKE_RUN, str(project), target], capture_output=True,
                          timeout=120).returncode


def report_version(out_dir: Path, label: str = "default") -> int:
    """The n of the complete report ``label``: every output exists and all four agree."""
    import json

    res = json.loads((out_dir / label / "results.json").read_text())["results"]["n"]
    run = json.loads((out_dir / f"{label}.run.json").read_text())["parameters"]["n"]
    html = (out_dir / f"{label}.html").read_text()
    nb = (out_dir / f"{label}.ipynb").read_text()
    import re

    def version(text: str) -> int | None:
        found = set(re.findall(r"VERSION n=(\d+)", text))
        return int(found.pop()) if len(found) == 1 else None

    found = {"results": res, "run.json": run, "html": version(html), "ipynb": version(nb)}
    assert len(set(found.values())) == 1, f"outputs of different runs: {found}"
    return res


def _failing_papermill(monkeypatch):
    import papermill as pm

    def fake(*a, **k):
        raise RuntimeError("this later run fails")

    monkeypatch.setattr(pm, "execute_notebook", fake)


@pytest.fixture(scope="module")
def reported(tmp_path_factory) -> Path:
    """A project whose 01_tiny has a complete report of n=3 (written by a subprocess, no kernel)."""
    root = tmp_path_factory.mktemp("reported")
    shutil.copytree(FIXTURES, root / "notebooks")
    assert _fake_run(root, 3) == 0
    assert report_version(root / "reports" / "01_tiny") == 3
    return root


@pytest.fixture
def old_report(reported, tmp_path) -> Path:
    shutil.copytree(reported, tmp_path / "p")
    return tmp_path / "p"


@pytest.mark.slow
@pytest.mark.parametrize(
    "kill_before, then",
    [("default", "failing_run"), ("default.ipynb", "check"), ("default.html", "failing_run"),
     ("default.run.json", "check")],
)
def test_a_kill_inside_the_swap_leaves_a_complete_report(old_report, monkeypatch, kill_before, then):
    """Killed just before an output is renamed into place (after the old one was moved aside).

    Before the fix, ``reports/01_tiny/default/`` was missing (kill before its rename) or the
    outputs came from two runs, and the next, failing, run removed the staged copies while
    printing "earlier reports were left intact". (A subprocess, killed by SIGKILL just before
    the rename onto ``kill_before``; ``slow``: two subprocesses.)
    """
    project = old_report
    out = project / "reports" / "01_tiny"
    assert _fake_run(project, 4, kill_before=kill_before) == -9
    if then == "failing_run":
        _failing_papermill(monkeypatch)
        [o] = _run(project, "01", force=True).outcomes
        assert o.status == "failed" and "this later run fails" in o.error
    else:
        from analysis.reporting.check import check_reports

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(plan, "code_hash", lambda: "code-v1")
            check_reports(["01"], notebooks_dir=project / "notebooks", reports_dir=project / "reports",
                          build_data=False, data_versions=DV, progress=False,
                          executor=lambda t: plan.RunOutcome(t.stem, t.label, "ran"))
    assert report_version(out) in (3, 4)
    assert not (out / ".staging").exists()


def _versioned_papermill(monkeypatch, n: int) -> None:
    """papermill replaced by a fake run writing version ``n`` (no kernel)."""
    import json

    import nbformat
    import papermill as pm

    def fake(inp, outp, parameters=None, **kw):
        nb = nbformat.read(inp, as_version=4)
        nb.cells.append(nbformat.v4.new_markdown_cell(f"VERSION n={n}"))
        (Path(parameters["output_dir"]) / "results.json").write_text(json.dumps({"results": {"n": n}}))
        nbformat.write(nb, outp)

    monkeypatch.setattr(pm, "execute_notebook", fake)


def test_ctrl_c_between_two_renames_still_finishes_the_swap(project, monkeypatch):
    """A KeyboardInterrupt between the renames: before the fix the run's ``finally`` removed the
    staging folder holding the old report while the new one was not yet in place."""
    import os

    out = project / "reports" / "01_tiny"
    params = project / "notebooks" / "params" / "01_tiny.yaml"
    params.write_text("default: {n: 3}\n")
    _versioned_papermill(monkeypatch, 3)
    _run(project, "01")
    assert report_version(out) == 3
    params.write_text("default: {n: 4}\n")
    _versioned_papermill(monkeypatch, 4)
    hit = {"n": 0}

    def interrupting(real):
        def move(src, dst, *a, **k):
            if os.path.abspath(dst) == str(out / "default") and not hit["n"]:
                hit["n"] += 1
                raise KeyboardInterrupt
            return real(src, dst, *a, **k)
        return move

    monkeypatch.setattr(os, "replace", interrupting(os.replace))
    monkeypatch.setattr(os, "rename", interrupting(os.rename))
    with pytest.raises(KeyboardInterrupt):
        _run(project, "01")
    assert hit["n"] == 1
    assert report_version(out) in (3, 4)


def test_a_foreign_folder_in_the_staging_area_is_left_alone(project, monkeypatch, caplog):
    _no_papermill(monkeypatch)
    stage = project / "reports" / "01_tiny" / ".staging" / "default"
    stage.mkdir(parents=True)
    (stage / "mine.txt").write_text("not the runner's")
    with pytest.raises(RunnerError, match=r"not a staging folder of peaceops .* move it elsewhere"):
        _run(project, "01")
    assert (stage / "mine.txt").read_text() == "not the runner's"


# --------------------------------------------------------------------------- item 6: one run per label


def test_concurrent_runs_of_the_same_label_do_not_break_each_other(project, monkeypatch):
    """Run B of the same notebook and set starts while run A executes.

    Before the fix B removed A's staging folder (``shutil.rmtree(.staging/<label>)``) and A
    crashed with FileNotFoundError. Now B waits for A's lock and then finds A's fresh outputs.
    """
    import json
    import threading

    import nbformat
    import papermill as pm

    results: dict[str, object] = {}
    b_started = threading.Event()
    threads: list[threading.Thread] = []

    def run_b():
        b_started.set()
        try:
            results["B"] = _run(project, "01").outcomes[0]
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            results["B"] = exc

    calls = {"n": 0}

    def fake(inp, outp, parameters=None, **kw):
        calls["n"] += 1
        if calls["n"] == 1:  # run A: start B, give it time to interfere, then finish
            threads.append(threading.Thread(target=run_b, daemon=True))
            threads[0].start()
            b_started.wait(10)
            import time

            time.sleep(1.5)
        nb = nbformat.read(inp, as_version=4)
        (Path(parameters["output_dir"]) / "results.json").write_text(json.dumps({"results": {"n": 3}}))
        nbformat.write(nb, outp)

    monkeypatch.setattr(pm, "execute_notebook", fake)
    [a] = _run(project, "01").outcomes
    threads[0].join(60)
    b = results["B"]
    assert a.status == "ran", a.error
    assert not isinstance(b, BaseException), b
    assert b.status == "cached" and b.reason == "finished by a concurrent run"
    assert calls["n"] == 1
    out = project / "reports" / "01_tiny"
    assert json.loads((out / "default" / "results.json").read_text()) == {"results": {"n": 3}}
    assert not (out / ".staging").exists()


def test_a_second_run_with_wait_0_reports_already_running(project, monkeypatch):
    import os

    from analysis.reporting.staging import label_lock

    _no_papermill(monkeypatch)
    out = project / "reports" / "01_tiny"
    with label_lock(out, "default"):
        [o] = _run(project, "01", wait=0).outcomes
    assert o.status == "failed"
    assert f"01_tiny [default] is already running (pid {os.getpid()})" in o.error
    assert "--wait" in o.error


def test_a_lock_left_by_a_dead_process_is_taken_over(project, monkeypatch):
    import subprocess
    import sys

    _no_papermill(monkeypatch)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    lock = project / "reports" / "01_tiny" / ".staging" / "default.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text(f"{dead}\n")
    [o] = _run(project, "01", wait=0).outcomes
    assert o.status == "failed" and "stopped before any kernel" in o.error  # it got to run
    assert not lock.exists()


def test_a_waiting_run_says_whom_it_waits_for(project, monkeypatch, caplog):
    import os
    import threading

    from analysis.reporting.staging import label_lock

    out = project / "reports" / "01_tiny"
    held, release = threading.Event(), threading.Event()

    def hold():
        with label_lock(out, "default"):
            held.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(10)
    threading.Timer(0.5, release.set).start()
    with caplog.at_level("WARNING"), label_lock(out, "default", timeout=20):
        pass
    t.join()
    assert any(f"01_tiny [default] is already running (pid {os.getpid()}): waiting" in r.getMessage()
               for r in caplog.records)


def test_temporary_files_of_killed_writes_in_reports_are_removed(project, monkeypatch):
    import os
    import subprocess
    import sys
    import time

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    reports = project / "reports"
    (reports / "01_tiny").mkdir(parents=True)
    stale = [reports / f".index.html.{dead}.abc123.tmp", reports / "01_tiny" / f".default.html.{dead}.q1.tmp"]
    for p in stale:
        p.write_text("half")
        os.utime(p, (time.time() - 2 * 86400,) * 2)
    _versioned_papermill(monkeypatch, 3)
    _run(project, "01")
    assert not any(p.exists() for p in stale)
