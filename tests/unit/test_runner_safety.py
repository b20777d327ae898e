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


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "notebooks")
    return tmp_path


def _run(project: Path, *names: str, **kw):
    kw.setdefault("data_versions", DV)
    kw.setdefault("progress", False)
    kw.setdefault("index", False)
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
