"""Fault injection: ``peaceops data build`` and ``peaceops run`` killed at chosen moments.

Each process is killed (SIGKILL: no ``finally`` runs, as with a power cut or the OOM killer) or
stopped (SIGSTOP) by the package's own fault points (:mod:`analysis.data.faults`,
``PEACEOPS_FAULT=<point>[:stop]``), among them the instants between the two renames of a table
(manifest in place, parquet not yet) and of a report (old output folder moved aside, new one not
yet in place). Afterwards every table and report must be either the old or the new complete
version, the next command must finish or redo the interrupted work, and ``peaceops data check``
must pass.

* Data: a one-source toy registry in a temporary data folder, driven through the real CLI by
  ``tests/fixtures/faults/toy_data.py`` (the table code is the only thing replaced), plus one
  kill of a real build from the mirror in a temporary data folder.
* Reports: the fixture notebook ``01_tiny`` in a temporary project, executed on the real
  ``peaceops`` kernel by ``peaceops run`` (its data step finds the project's tables built).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
TOY_DRIVER = ROOT / "tests" / "fixtures" / "faults" / "toy_data.py"
NOTEBOOKS = ROOT / "tests" / "fixtures" / "notebooks"
V1 = b"year,value\n2001,1\n2002,2\n2003,3\n"
V2 = V1 + b"2004,4\n"
KILLED = -signal.SIGKILL


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PEACEOPS_FAULT"}
    env.update(extra)
    return env


def _wait_stopped(proc: subprocess.Popen, timeout: float = 180) -> None:
    """Wait until ``proc`` stops itself (SIGSTOP at a fault point); fail if it exits instead."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid, status = os.waitpid(proc.pid, os.WUNTRACED | os.WNOHANG)
        if pid and os.WIFSTOPPED(status):
            return
        if pid:
            pytest.fail(f"process ended (status {status}) before reaching the fault point")
        time.sleep(0.05)
    pytest.fail("the process did not reach the fault point in time")


def _finish(proc: subprocess.Popen, timeout: float = 180) -> int:
    """Return code of a process we waited on with os.waitpid (Popen's own wait cannot see it then)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid, status = os.waitpid(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode
        time.sleep(0.05)
    proc.kill()
    pytest.fail("the resumed process did not finish in time")


# --------------------------------------------------------------------------- data build (toy registry)


def _registry(root: Path, content: bytes) -> None:
    from analysis.data.registry import REQUIRED_COLUMNS

    row = dict.fromkeys(REQUIRED_COLUMNS, "")
    row.update(source="toy", file="toy.csv", bytes=str(len(content)),
               sha256=hashlib.sha256(content).hexdigest(), repo="o/r", commit="a" * 40, path="toy.csv", raw_url="https://example.invalid/toy.csv",
               producer="P", dataset="Toy", version="1", year_start="2001", year_end="2004",
               coverage="2001-2004", license="CC0", citation="P (2020). Toy.")
    with open(root / "registry.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(REQUIRED_COLUMNS))
        w.writeheader()
        w.writerow(row)
    (root / "mirror" / "toy").mkdir(parents=True, exist_ok=True)
    (root / "mirror" / "toy" / "toy.csv").write_bytes(content)


def _toy(root: Path, *commands: str, fault: str = "", wait: bool = True):
    env = _env(PEACEOPS_DATA_DIR=str(root / "data"), PEACEOPS_DATA_MIRROR=str(root / "mirror"))
    if fault:
        env["PEACEOPS_FAULT"] = fault
    cmd = [sys.executable, str(TOY_DRIVER), str(root), *commands]
    if not wait:
        return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)


def _on_disk(root: Path) -> dict[str, list[int]]:
    """Each parquet as it is on disk: it must be complete (readable) whatever its manifest says."""
    core = root / "data" / "processed" / "core"
    return {n: pd.read_parquet(core / f"{n}.parquet")["value"].tolist() for n in ("toy_table", "toy_double")}


OLD = {"toy_table": [1, 2, 3], "toy_double": [2, 4, 6]}
NEW = {"toy_table": [1, 2, 3, 4], "toy_double": [2, 4, 6, 8]}


@pytest.fixture(scope="module")
def toy_v1(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("toy")
    _registry(root, V1)
    res = _toy(root, "data build -q")
    assert res.returncode == 0, res.stderr
    assert _on_disk(root) == OLD
    return root


@pytest.fixture
def toy(toy_v1, tmp_path) -> Path:
    root = tmp_path / "toy"
    shutil.copytree(toy_v1, root)
    _registry(root, V2)  # the input changed: the next build makes the new version
    return root


@pytest.mark.parametrize("point",
                         ["build_parquet_written", "build_manifest_renamed", "build_parquet_renamed"])
def test_data_build_killed_leaves_old_or_new_tables_and_the_next_build_finishes(toy, point):
    res = _toy(toy, "data build -q", fault=point)
    assert res.returncode == KILLED, res.stderr
    on_disk = _on_disk(toy)
    for name in on_disk:
        assert on_disk[name] in (OLD[name], NEW[name]), (name, on_disk[name])
    res = _toy(toy, "data build", "data check", "dump")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 failed" in res.stdout
    assert json.loads(res.stdout.strip().splitlines()[-1]) == {
        "toy_table": {"year": [2001, 2002, 2003, 2004], "value": [1, 2, 3, 4]},
        "toy_double": {"year": [2001, 2002, 2003, 2004], "value": [2, 4, 6, 8]},
    }
    if point == "build_manifest_renamed":  # new manifest, old parquet: detected, rebuilt, said
        assert re.search(r"built +toy_table .*toy_table\.parquet does not match its manifest", res.stdout)
    leftovers = [p.name for p in (toy / "data").rglob("*.tmp")]
    assert leftovers == [], leftovers


def test_a_stale_table_is_never_served_after_a_kill_and_a_revert(toy):
    """Item 4: v2 killed between the renames, input reverted to v1: before the fix the v2 parquet
    stood under the v1 manifest and the build said "cached"."""
    res = _toy(toy, "data build -q", fault="build_parquet_renamed")  # v2 parquet and manifest in place
    assert res.returncode == KILLED
    res = _toy(toy, "data build -q", fault="build_manifest_renamed")  # toy_double v2 killed in between
    assert res.returncode == KILLED
    _registry(toy, V1)
    res = _toy(toy, "data build", "data check", "dump")
    assert res.returncode == 0, res.stdout + res.stderr
    tables = json.loads(res.stdout.strip().splitlines()[-1])
    assert tables["toy_table"]["value"] == [1, 2, 3] and tables["toy_double"]["value"] == [2, 4, 6]


def test_two_builds_at_once_with_one_stopped_between_the_renames(toy):
    """Build A stops between its manifest and parquet renames; build B runs to the end; A goes on.
    The tables end complete and consistent and ``data check`` passes (no lock needed)."""
    a = _toy(toy, "data build -q --force", fault="build_manifest_renamed:stop", wait=False)
    try:
        _wait_stopped(a)
        b = _toy(toy, "data build -q --force")
        assert b.returncode == 0, b.stderr
    finally:
        os.kill(a.pid, signal.SIGCONT)
    assert _finish(a) == 0
    res = _toy(toy, "data build", "data check", "dump")
    assert res.returncode == 0, res.stdout + res.stderr
    statuses = re.findall(r"^(\w+) +(toy_\w+)", res.stdout, re.M)
    assert statuses == [("cached", "toy_table"), ("cached", "toy_double")]
    assert json.loads(res.stdout.strip().splitlines()[-1])["toy_double"]["value"] == [2, 4, 6, 8]


def test_ctrl_c_during_a_build_exits_130_with_one_line_and_keeps_the_old_table(toy):
    a = _toy(toy, "data build -q", fault="build_parquet_written:stop", wait=False)
    _wait_stopped(a)
    os.kill(a.pid, signal.SIGINT)
    os.kill(a.pid, signal.SIGCONT)
    assert _finish(a) == 130
    err = a.stderr.read()
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("interrupted: outputs written so far are complete")
    assert _on_disk(toy) == OLD
    assert [p.name for p in (toy / "data").rglob("*.tmp")] == []  # the interrupted write cleaned up


def test_a_real_build_killed_between_the_renames_is_finished_by_the_next(raw_cache, tmp_path):
    """The real tables from the mirror, in a fresh data folder (issue 8, items 4 and 5)."""
    env = _env(PEACEOPS_DATA_DIR=str(tmp_path / "data"))
    cmd = [sys.executable, "-m", "analysis.cli", "data", "build", "un_missions"]
    killed = subprocess.run(cmd, env={**env, "PEACEOPS_FAULT": "build_manifest_renamed"}, capture_output=True,
                            text=True, timeout=300)
    assert killed.returncode == KILLED, killed.stderr
    core = tmp_path / "data" / "processed" / "core"
    first = json.loads(next(core.glob("*.json")).read_text())["table"]
    assert not (core / f"{first}.parquet").exists()  # the manifest went first
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert re.search(rf"built +{first} .*{first}\.parquet is missing", res.stdout), res.stdout
    assert "un_missions" in res.stdout and not list(core.glob("*.tmp"))


# --------------------------------------------------------------------------- peaceops run (real kernel)


def _peaceops_run(project: Path, *args: str, fault: str = "", wait: bool = True):
    env = _env()
    if fault:
        env["PEACEOPS_FAULT"] = fault
    cmd = [sys.executable, "-m", "analysis.cli", "run", "01", "-q",
           "--notebooks-dir", str(project / "notebooks"), "--reports-dir", str(project / "reports"), *args]
    if not wait:
        return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


def _report(project: Path) -> int:
    """n of the complete report ``01_tiny/default``: all four outputs exist and agree."""
    d = project / "reports" / "01_tiny"
    res = json.loads((d / "default" / "results.json").read_text())
    n = res["results"]["n_items"]["value"]
    run = json.loads((d / "default.run.json").read_text())
    assert run["parameters"].get("n", 3) == n, "run.json of another run"
    total = sum(range(n))
    assert f"printed total {float(total)}" in (d / "default.html").read_text(), "HTML of another run"
    assert f"printed total {float(total)}" in (d / "default.ipynb").read_text(), "notebook of another run"
    for fig in res["figures"]:  # the figure files it links exist (in the notebook's shared folder)
        assert (d / "default" / fig["file"]).is_file(), fig["file"]
    return n


@pytest.fixture(scope="module")
def reported(tmp_path_factory, raw_cache) -> Path:
    """A project whose 01_tiny/default report is complete with n = 3 (one real run)."""
    project = tmp_path_factory.mktemp("run")
    shutil.copytree(NOTEBOOKS, project / "notebooks")
    (project / "notebooks" / "params" / "01_tiny.yaml").write_text("default: {n: 3}\n")
    res = _peaceops_run(project)
    assert res.returncode == 0, res.stdout + res.stderr
    assert _report(project) == 3
    return project


@pytest.fixture
def project(reported, tmp_path) -> Path:
    p = tmp_path / "p"
    shutil.copytree(reported, p)
    (p / "notebooks" / "params" / "01_tiny.yaml").write_text("default: {n: 4}\n")  # the next run: n = 4
    return p


@pytest.mark.parametrize("point, after", [("run_executed", 3), ("run_old_moved", 4), ("run_swapped", 4)])
def test_peaceops_run_killed_leaves_the_old_or_new_report(project, point, after):
    """Killed before the swap (the old report stays), between the two renames of the output folder
    (item 2: neither version in place), or after the swap: what every ``peaceops run`` and
    ``run --check`` do first (recover_reports) leaves a complete report. (A kill before each
    single rename of the swap: ``tests/unit/test_runner_safety.py``.)"""
    res = _peaceops_run(project, fault=point)
    assert res.returncode == KILLED, res.stdout + res.stderr
    out = project / "reports" / "01_tiny"
    if point == "run_old_moved":
        assert not (out / "default").exists()  # neither version in place: the next run finishes the swap
        res = _peaceops_run(project)
        assert res.returncode == 0, res.stdout + res.stderr
        assert "finished moving the new report of an interrupted run into place" in res.stderr
        assert re.search(r"^cached +01_tiny \[default\]", res.stdout, re.M)  # the new one was complete
    else:
        from analysis.reporting.staging import recover_reports

        recover_reports(project / "reports")
    assert _report(project) == after
    assert not (out / ".staging").exists()


def test_ctrl_c_between_the_two_renames_exits_130_with_the_new_report(project):
    a = _peaceops_run(project, fault="run_old_moved:stop", wait=False)
    _wait_stopped(a)
    os.kill(a.pid, signal.SIGINT)
    os.kill(a.pid, signal.SIGCONT)
    assert _finish(a) == 130
    err = a.stderr.read()
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("interrupted:")
    assert _report(project) == 4
    assert not (project / "reports" / "01_tiny" / ".staging").exists()


def test_concurrent_runs_of_the_same_notebook_and_set(project):
    """Item 6: run A stops after executing (holding the label's lock); B with --wait 0 reports
    "already running (pid A)"; C waits, then finds A's fresh report. Before the fix both crashed
    with FileNotFoundError in .staging/default/tmp.../."""
    import threading

    a = _peaceops_run(project, fault="run_executed:stop", wait=False)
    lines: list[str] = []
    waiting = threading.Event()

    def read(stream) -> None:
        for line in stream:
            lines.append(line)
            if "waiting" in line:
                waiting.set()

    try:
        _wait_stopped(a)
        b = _peaceops_run(project, "--wait", "0")
        assert b.returncode == 1
        assert f"01_tiny [default] is already running (pid {a.pid})" in b.stdout
        c = _peaceops_run(project, wait=False)
        reader = threading.Thread(target=read, args=(c.stderr,), daemon=True)
        reader.start()
        assert waiting.wait(180), "".join(lines)
    finally:
        os.kill(a.pid, signal.SIGCONT)
    assert _finish(a) == 0
    out = c.stdout.read()
    assert c.wait(300) == 0, out + "".join(lines)
    reader.join(10)
    assert f"01_tiny [default] is already running (pid {a.pid}): waiting" in "".join(lines)
    assert re.search(r"^cached +01_tiny \[default\]", out, re.M)
    assert _report(project) == 4
