"""Reruns of the fixture notebooks on a real kernel (issue 12, item 7).

* a forced rerun with nothing changed writes byte-identical files (notebooks, pages, results, figures,
  tables, stylesheet, index);
* a change to an ``analysis`` module the notebook did not import leaves the run cached; a change to
  one it imported reruns it, naming the module.

Both start real Jupyter kernels (a few seconds each): ``slow``, run by ``make test``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import config
from analysis.reporting import plan
from analysis.reporting.execute import run_notebooks
from analysis.reporting.plan import RunOutcome

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"
DV = {"code_version": "c0de", "tables": {"tiny_table": "abcdef0123456789"},
      "sources": {"fixture_source": "v1"}}


def _run(project: Path, *names: str, **kw):
    kw.setdefault("data_versions", DV)
    return run_notebooks(names, notebooks_dir=project / "notebooks", reports_dir=project / "reports",
                         build_data=False, progress=False, **kw)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every set of both fixture notebooks (except ``test``) executed for real, once."""
    project = tmp_path_factory.mktemp("reruns")
    shutil.copytree(FIXTURES, project / "notebooks")
    first = _run(project, all_sets=True)
    assert not first.failed, [o.error for o in first.failed]
    return project, first


@pytest.mark.slow
def test_a_forced_rerun_with_nothing_changed_writes_identical_bytes(rendered):
    project, first = rendered
    assert {(o.stem, o.label) for o in first.outcomes} == {
        ("01_tiny", "default"), ("01_tiny", "big"), ("02_other", "default")}
    before = _files(project / "reports")
    kinds = {Path(k).suffix for k in before}
    assert {".html", ".ipynb", ".json", ".svg", ".png", ".csv", ".css"} <= kinds, kinds
    again = _run(project, all_sets=True, force=True)
    assert [o.status for o in again.outcomes] == ["ran"] * 3, [o.error for o in again.outcomes]
    after = _files(project / "reports")
    assert sorted(after) == sorted(before)
    changed = [k for k in before if before[k] != after[k]]
    assert not changed, f"files that differ between two identical runs: {changed}"


@pytest.mark.slow
def test_a_figure_identical_in_two_sets_is_stored_once(rendered):
    import json

    project, _ = rendered
    d = project / "reports" / "01_tiny"
    figs = {lb: {f["name"]: f["file"] for f in json.loads((d / lb / "results.json").read_text())["figures"]}
            for lb in ("default", "big")}
    assert figs["default"]["cloud"] == figs["big"]["cloud"]  # the same dots in both sets: one file
    assert figs["default"]["line"] != figs["big"]["line"]  # n differs: two files
    pooled = sorted(p.name for p in (d / "figures").iterdir() if not p.name.startswith("."))
    linked = {Path(f).name for lb in figs.values() for f in lb.values()}
    assert set(pooled) - {n for n in pooled if n.endswith(".csv")} == linked  # nothing unlinked kept
    assert not list(d.glob("*/figures"))  # no run keeps figure files of its own


@pytest.mark.slow
def test_executed_notebooks_are_kept_for_the_default_set_or_on_request(rendered, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(rendered[0], project)
    d = project / "reports" / "01_tiny"
    assert (d / "default.ipynb").is_file() and not (d / "big.ipynb").exists()
    assert "href='default.ipynb'" in (d / "default.html").read_text()
    big_page = (d / "big.html").read_text()
    assert ".ipynb" not in big_page and "printed total" in big_page  # the page is whole without it
    index = (project / "reports" / "index.html").read_text()
    assert "href='01_tiny/big.html'" in index and "01_tiny/big.ipynb" not in index
    again = _run(project, "01_tiny", all_sets=True)
    assert [o.status for o in again.outcomes] == ["cached", "cached"]  # no notebook is not "missing"
    kept = _run(project, "01_tiny", sets=["big"], keep_notebooks=True)
    assert [(o.status, o.reason) for o in kept.outcomes] == [("ran", "outputs missing")]
    assert (d / "big.ipynb").is_file() and "href='big.ipynb'" in (d / "big.html").read_text()
    # without the option again (forced): the kept notebook of the earlier run does not linger
    _run(project, "01_tiny", sets=["big"], force=True)
    assert not (d / "big.ipynb").exists()
    custom = _run(project, "01_tiny", overrides={"n": 4}, name="mine")  # the user's own parameters
    assert [o.status for o in custom.outcomes] == ["ran"] and (d / "mine.ipynb").is_file()


@pytest.mark.slow
def test_only_a_change_to_an_imported_module_reruns_the_notebook(rendered, tmp_path, monkeypatch):
    import json

    project, _ = rendered
    results = project / "reports" / "01_tiny" / "default" / "results.json"
    used = json.loads(results.read_text())["code_modules"]
    pkg = tmp_path / "analysis"
    shutil.copytree(config.PACKAGE_DIR, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(config, "PACKAGE_DIR", pkg)

    def no_kernel(task):
        raise AssertionError(f"{task.stem} [{task.label}] should be cached")

    [o] = _run(project, "01_tiny", executor=no_kernel).outcomes  # the copy hashes like the package
    assert (o.status, o.reason) == ("cached", "unchanged")

    assert "analysis.models.coups" not in used  # a heavy module the fixture notebook never imports
    with (pkg / "models" / "coups.py").open("a") as fh:
        fh.write("\n# an edit to a module the notebook does not import\n")
    [o] = _run(project, "01_tiny", executor=no_kernel).outcomes
    assert (o.status, o.reason) == ("cached", "unchanged")

    imported = "analysis.data.hashing"
    assert imported in used and imported not in plan.RENDER_MODULES
    with plan.module_file(imported).open("a") as fh:
        fh.write("\n# an edit to a module the notebook imports\n")
    seen: list[str] = []

    def record(task):
        seen.append(task.label)
        return RunOutcome(task.stem, task.label, "ran")

    [o] = _run(project, "01_tiny", executor=record).outcomes
    assert seen == ["default"]
    assert o.reason == f"code ({imported}) changed"


def test_a_grid_file_in_a_data_subfolder_is_part_of_the_modules_hash(tmp_path, monkeypatch):
    """A module reads data files beside it and in its data subfolders (e.g. ``studies/grids/*.yaml``,
    read by ``analysis.studies.multiverse``): editing one must change the run key of the notebooks
    that import the module, or their reports stay stale (found when a grid's headline changed and
    notebook 07 stayed cached)."""
    pkg = tmp_path / "analysis"
    (pkg / "studies" / "grids").mkdir(parents=True)
    (pkg / "studies" / "sub").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "studies" / "__init__.py").write_text("")
    (pkg / "studies" / "multiverse.py").write_text("X = 1\n")
    grid = pkg / "studies" / "grids" / "casualties.yaml"
    grid.write_text("headline: {outcome: hostile}\n")
    (pkg / "studies" / "sub" / "__init__.py").write_text("")  # a subpackage: its own modules' business
    (pkg / "studies" / "sub" / "rules.csv").write_text("a\n1\n")
    monkeypatch.setattr(config, "PACKAGE_DIR", pkg)
    before = plan.module_hashes(["analysis.studies.multiverse"])["analysis.studies.multiverse"]
    grid.write_text("headline: {outcome: hostile_uniformed}\n")
    after = plan.module_hashes(["analysis.studies.multiverse"])["analysis.studies.multiverse"]
    assert before != after
    (pkg / "studies" / "sub" / "rules.csv").write_text("a\n2\n")
    assert plan.module_hashes(["analysis.studies.multiverse"])["analysis.studies.multiverse"] == after


def test_prints_split_into_several_stream_messages_give_the_same_notebook_and_page(tmp_path):
    """The kernel sends a cell's printed lines in one or several stream messages depending on timing
    (notebook 07: two prints arrived as one output in one run, as two in its forced rerun)."""
    import copy

    import nbformat

    from analysis.reporting.execute import finish_outputs
    from analysis.reporting.plan import RunTask

    base = nbformat.v4.new_notebook()
    base.cells = [nbformat.v4.new_markdown_cell("# Title"),
                  nbformat.v4.new_code_cell('print("a")\nprint("b")')]

    def notebook(*texts: str):
        nb = copy.deepcopy(base)
        nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in texts]
        return nb

    task = RunTask(stem="01_tiny", ipynb=tmp_path / "01_tiny.ipynb", notebooks_dir=tmp_path,
                   reports_dir=tmp_path / "reports", param_set="default", label="default", parameters={},
                   full_parameters={}, parameters_cell=0, components={})
    stage = tmp_path / "stage"
    stage.mkdir()
    out = []
    for nb in (notebook("a\n", "b\n"), notebook("a\nb\n")):
        html = finish_outputs(nb, task, stage, task.paths())
        out.append((nbformat.writes(nb), html))
    assert out[0] == out[1]
    assert "a\nb" in out[0][1]
