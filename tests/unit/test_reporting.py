"""The notebook runner (``peaceops run``), the Reporter and ``reports/index.html``.

Fixture notebooks live in ``tests/fixtures/notebooks`` (``01_tiny``: parameters ``n: int = 3``,
``label: str = "x"``, ``divisor: float = 1.0``, a Reporter, a figure; ``02_other``: typed
parameters only). Every test works on a copy in ``tmp_path`` and passes ``notebooks_dir`` /
``reports_dir``, so the project's ``notebooks/`` and ``reports/`` are never touched. Four tests
start a real kernel (``01_tiny`` once successfully, once with a changed parameter, once failing,
once under plain papermill) and one starts a bare kernel to shut it down; everything else runs
without one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.data.jsonable import to_jsonable
from analysis.errors import ParameterError, RunnerError
from analysis.reporting import plan
from analysis.reporting.check import check_reports, compare_results
from analysis.reporting.execute import run_notebooks
from analysis.reporting.index import format_result, render_index, write_index
from analysis.reporting.kernel import KERNEL_NAME, ensure_kernel, kernel_manager_class
from analysis.reporting.params import CliValue, parse_parameters_cell, validate_parameters
from analysis.reporting.plan import RunOutcome, discover, plan_runs, sync_notebook
from analysis.reporting.reporter import RUN_ENV, Reporter

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"
DV = {
    "code_version": "c0de",
    "tables": {"tiny_table": "abcdef0123456789"},
    "sources": {"fixture_source": "v1"},
}


def _copy_project(dest: Path) -> Path:
    shutil.copytree(FIXTURES, dest / "notebooks")
    return dest


def run(project: Path, *names: str, code: str = "code-v1", **kw):
    """Run with fixed data versions and a fixed package-code version (others edit analysis/ meanwhile)."""
    kw.setdefault("data_versions", DV)
    kw.setdefault("progress", False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plan, "code_hash", lambda: code)
        return run_notebooks(
            names,
            notebooks_dir=project / "notebooks",
            reports_dir=project / "reports",
            build_data=False,
            **kw,
        )


def no_kernel(task):
    raise AssertionError(f"{task.stem} [{task.label}] should not execute")


class Recorder:
    """Fake executor: records the tasks it is asked to run, writes nothing."""

    def __init__(self):
        self.tasks = []

    def __call__(self, task):
        self.tasks.append(task)
        return RunOutcome(task.stem, task.label, "ran")


# --------------------------------------------------------------------------- parameters (no kernel)


def test_parameters_cell_types_and_defaults():
    src = (
        "from typing import Literal, Optional\n"
        "n: int = 3\nrate = 0.5\nname = 'a'\nflag: bool = False\nyears: list[int] = [2000, 2008]\n"
        "region: Literal['all', 'africa'] = 'all'\nopt: Optional[str] = None\nmaybe: float | None = None\n"
        "anything = None\ncomputed = tuple(range(3))\n%matplotlib inline\n"
    )
    ps = parse_parameters_cell(src)
    assert list(ps) == [
        "n",
        "rate",
        "name",
        "flag",
        "years",
        "region",
        "opt",
        "maybe",
        "anything",
        "computed",
    ]
    assert ps["n"].describe() == "n: int = 3"
    assert ps["rate"].describe() == "rate: float = 0.5"
    assert ps["years"].type.describe() == "list[int]" and ps["years"].default == [2000, 2008]
    assert ps["region"].type.choices == ("all", "africa")
    assert ps["opt"].type.describe() == "str | none"
    assert ps["anything"].type.kind == "any" and ps["computed"].type.kind == "any"
    assert not ps["computed"].literal_default


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("n", 5, 5),
        ("divisor", 2, 2.0),
        ("divisor", 0.5, 0.5),
        ("label", "y", "y"),
        ("label", CliValue("2001"), "2001"),
        ("n", CliValue("7"), 7),
        ("divisor", CliValue("1e-3"), 0.001),
    ],
)
def test_valid_values_are_accepted_and_coerced(project, name, value, expected):
    nb = discover(project / "notebooks", ["01"])[0]
    assert validate_parameters(nb.stem, nb.params, {name: value}) == {name: expected}


@pytest.mark.parametrize(
    ("name", "value", "msg"),
    [
        ("n", "abc", r"parameter 'n' .*expects int, got str 'abc'"),
        ("n", 1.5, r"expects int, got float 1.5"),
        ("n", True, r"expects int, got bool True"),
        ("divisor", "x", r"expects float, got str"),
        ("label", ["a"], r"expects str, got list"),
        ("label", 3, r"expects str, got int 3"),
    ],
)
def test_wrong_type_fails_listing_valid_parameters(project, name, value, msg):
    with pytest.raises(ParameterError, match=msg) as ei:
        run(project, "01_tiny", overrides={name: value}, executor=no_kernel)
    text = str(ei.value)
    for line in ("n: int = 3", "label: str = 'x'", "divisor: float = 1.0"):
        assert line in text
    assert not (project / "reports").exists()


def test_unknown_parameter_fails_listing_valid_parameters(project):
    with pytest.raises(ParameterError, match=r"unknown parameter 'nn' \(from -p\); did you mean 'n'") as ei:
        run(project, "01", overrides={"nn": CliValue("4")}, override_origin={"nn": "-p"}, executor=no_kernel)
    assert "valid parameters of 01_tiny" in str(ei.value)
    assert "n: int = 3" in str(ei.value) and "divisor: float = 1.0" in str(ei.value)


def test_literal_list_and_reserved_parameters(project):
    nb = discover(project / "notebooks", ["02"])[0]
    values = {
        "region": "africa",
        "breaks": CliValue("[1990, 2001]"),
        "extra": {"a": 1},
        "flag": CliValue("true"),
    }
    ok = validate_parameters(nb.stem, nb.params, values)
    assert ok == {"region": "africa", "breaks": [1990, 2001], "extra": {"a": 1}, "flag": True}
    with pytest.raises(ParameterError) as ei:
        validate_parameters(
            nb.stem, nb.params, {"region": "europe", "breaks": CliValue("2000"), "output_dir": "x"}
        )
    text = str(ei.value)
    assert "'region' expects one of 'all', 'africa', got str 'europe'" in text
    assert "'breaks' expects list[int], got int 2000 (give a list in YAML syntax" in text
    assert "'output_dir' is set by the runner" in text
    assert "breaks: list[int] = [2000, 2008]" in text


def test_parameter_types_are_strict_and_literals_exact():
    ps = parse_parameters_cell(
        "from typing import Literal\nlag: Literal[1, 2] = 1\nflag: bool = False\nrate: float = 0.5\n"
        "ids: list[str] | None = None\nk: tuple[int, ...] = (1,)\n"
    )
    assert ps["lag"].type.coerce(2) == (True, 2)
    assert ps["lag"].type.coerce(True) == (False, True)  # True == 1, but it is not one of the choices
    assert ps["flag"].type.coerce(1) == (False, 1)
    assert ps["rate"].type.coerce(2) == (True, 2.0) and isinstance(ps["rate"].type.coerce(2)[1], float)
    assert ps["ids"].type.describe() == "list[str] | none"
    assert ps["ids"].type.coerce(["a"]) == (True, ["a"]) and ps["ids"].type.coerce([1]) == (False, [1])
    assert ps["k"].type.describe() == "list[int]" and ps["k"].type.coerce([1, 2]) == (True, [1, 2])


def test_bad_parameter_set_in_yaml_is_named(project):
    (project / "notebooks" / "params" / "01_tiny.yaml").write_text("default: {}\nbroken:\n  n: many\n")
    with pytest.raises(ParameterError, match=r"'n' \(from 01_tiny.yaml, set 'broken'\) expects int"):
        discover(project / "notebooks", ["01_tiny"])


def test_unknown_set_lists_the_sets(project):
    msg = r"no parameter set 'nope'; sets in 01_tiny.yaml: default, test, big$"
    with pytest.raises(RunnerError, match=msg):
        run(project, "01", sets=["nope"], executor=no_kernel)


def test_select_by_prefix_and_errors(project):
    nbdir = project / "notebooks"
    assert [n.stem for n in discover(nbdir, ["02"])] == ["02_other"]
    assert [n.stem for n in discover(nbdir, [str(nbdir / "01_tiny.py")])] == ["01_tiny"]
    with pytest.raises(RunnerError, match=r"'0' is ambiguous \(01_tiny, 02_other\)"):
        discover(nbdir, ["0"])
    with pytest.raises(RunnerError, match=r"'03' matches no notebook; notebooks: 01_tiny, 02_other"):
        discover(nbdir, ["03"])
    with pytest.raises(RunnerError, match="no notebooks matching"):
        discover(project / "empty")


def test_notebook_without_parameters_cell_or_output_dir_is_rejected(project):
    nbdir = project / "notebooks"
    (nbdir / "03_bad.py").write_text("# %%\nx = 1\n")
    with pytest.raises(RunnerError, match="no code cell tagged 'parameters'"):
        discover(nbdir, ["03"])
    (nbdir / "04_bad.py").write_text('# %% tags=["parameters"]\nx = 1\n')
    with pytest.raises(RunnerError, match="must declare output_dir"):
        discover(nbdir, ["04"])
    # a broken notebook does not block the others
    assert [n.stem for n in discover(nbdir, ["01"])] == ["01_tiny"]


# --------------------------------------------------------------------------- jupytext sync (no kernel)


def _set_mtime(path: Path, t: float) -> None:
    os.utime(path, (t, t))


def test_sync_in_sync_pair_is_left_alone(project):
    nbdir = project / "notebooks"
    ipynb = nbdir / "01_tiny.ipynb"
    before = ipynb.read_bytes()
    _set_mtime(nbdir / "01_tiny.py", time.time() + 100)  # newer .py, same cells: nothing to do
    assert sync_notebook(ipynb, nbdir / "01_tiny.py") == "in sync"
    assert ipynb.read_bytes() == before


def test_sync_newer_py_regenerates_ipynb(project):
    nbdir = project / "notebooks"
    py, ipynb = nbdir / "01_tiny.py", nbdir / "01_tiny.ipynb"
    py.write_text(py.read_text().replace("TINY_MARKDOWN_MARKER", "EDITED_IN_PY"))
    _set_mtime(py, time.time() + 100)
    nb = discover(nbdir, ["01"])[0]
    assert "EDITED_IN_PY" in ipynb.read_text()
    assert nb.params["n"].default == 3
    assert sync_notebook(ipynb, py) == "in sync"


def test_sync_newer_ipynb_with_other_cells_fails(project):
    nbdir = project / "notebooks"
    py, ipynb = nbdir / "01_tiny.py", nbdir / "01_tiny.ipynb"
    nb = nbformat.read(ipynb, as_version=4)
    nb.cells[0].source += "\nedited in Lab"
    nbformat.write(nb, ipynb)
    _set_mtime(py, time.time() - 100)
    with pytest.raises(RunnerError, match=r"01_tiny.ipynb was edited after 01_tiny.py.*jupytext --sync"):
        discover(nbdir, ["01"])


def test_notebooks_bundled_with_the_package_are_never_rewritten(project, monkeypatch):
    import analysis.config as config

    nbdir = project / "notebooks"
    py, ipynb = nbdir / "01_tiny.py", nbdir / "01_tiny.ipynb"
    before = ipynb.read_bytes()
    py.write_text(py.read_text().replace("TINY_MARKDOWN_MARKER", "EDITED_IN_PY"))
    _set_mtime(py, time.time() + 100)
    monkeypatch.setattr(config, "PACKAGE_DIR", project.resolve())  # as in site-packages/analysis/_bundled
    assert discover(nbdir, ["01"])[0].params["n"].default == 3
    assert ipynb.read_bytes() == before


def test_py_without_ipynb_gets_one(project):
    nbdir = project / "notebooks"
    (nbdir / "02_other.ipynb").unlink()
    assert discover(nbdir, ["02"])[0].params["flag"].default is False
    assert (nbdir / "02_other.ipynb").is_file()


# --------------------------------------------------------------------------- caching decisions (no kernel)


def _fake_done(project: Path, label: str = "default", **kw) -> None:
    """Pretend a run finished: outputs and run.json for the current key."""
    nb = discover(project / "notebooks", ["01"])[0]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plan, "code_hash", lambda: "code-v1")
        [task] = plan_runs([nb], sets=[label], reports_dir=project / "reports", data_versions=DV, **kw)
    p = task.paths()
    p["dir"].mkdir(parents=True)
    p["ipynb"].write_text("{}")
    p["html"].write_text("<html></html>")
    p["run"].write_text(json.dumps({"key": task.key, "components": task.components}))


def test_unchanged_run_is_cached_and_force_reruns(project):
    _fake_done(project)
    s = run(project, "01", executor=no_kernel, index=False)
    assert [(o.status, o.reason) for o in s.outcomes] == [("cached", "unchanged")]
    rec = Recorder()
    s = run(project, "01", force=True, executor=rec, index=False)
    assert [t.label for t in rec.tasks] == ["default"] and s.outcomes[0].reason == "forced"


def test_relative_reports_folder_reaches_the_kernel_as_an_absolute_path(project, monkeypatch):
    # the kernel runs in the notebooks' folder: `peaceops run --out reports` must mean <cwd>/reports
    monkeypatch.chdir(project)
    rec = Recorder()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plan, "code_hash", lambda: "code-v1")
        run_notebooks(["01"], notebooks_dir=project / "notebooks", reports_dir=Path("out"), build_data=False,
                      data_versions=DV, progress=False, executor=rec, index=False)
    [task] = rec.tasks
    assert task.reports_dir == project.resolve() / "out"
    assert task.paths()["dir"].is_absolute()


def test_changed_inputs_rerun_and_say_why(project):
    _fake_done(project)
    rec = Recorder()
    new_data = {**DV, "sources": {"fixture_source": "v2"}}
    s = run(project, "01", data_versions=new_data, executor=rec, index=False)
    assert s.outcomes[0].reason == "data changed"
    s = run(project, "01", code="code-v2", executor=rec, index=False)
    assert s.outcomes[0].reason == "code changed"
    (project / "notebooks" / "params" / "01_tiny.yaml").write_text("default: {n: 4}\n")
    s = run(project, "01", executor=rec, index=False)
    assert s.outcomes[0].reason == "parameters changed"
    assert rec.tasks[-1].parameters == {"n": 4}
    (project / "reports" / "01_tiny" / "default.html").unlink()
    (project / "notebooks" / "params" / "01_tiny.yaml").write_text("default: {}\n")
    assert run(project, "01", executor=rec, index=False).outcomes[0].reason == "outputs missing"


def test_all_sets_skips_test_set_and_overrides_get_their_own_label(project):
    rec = Recorder()
    run(project, "01", all_sets=True, executor=rec, index=False)
    assert [(t.label, t.parameters) for t in rec.tasks] == [
        ("default", {}),
        ("big", {"n": 5, "label": "big run"}),
    ]
    rec = Recorder()
    run(project, "01", sets=["test"], overrides={"label": "z"}, executor=rec, index=False)
    t = rec.tasks[0]
    assert (t.param_set, t.label, t.parameters) == ("test", "test-custom", {"n": 2, "label": "z"})
    assert t.full_parameters == {"n": 2, "label": "z", "divisor": 1.0}
    with pytest.raises(RunnerError, match="--name gives one output label"):
        run(project, "01", all_sets=True, overrides={"n": 1}, name="x", executor=no_kernel)


# --------------------------------------------------------------------------- Reporter (no kernel)


def test_to_jsonable_converts_numpy_and_pandas():
    out = to_jsonable(
        {
            "a": np.int64(3),
            "b": np.float32(0.5),
            "c": np.bool_(True),
            "d": np.nan,
            "e": pd.NA,
            "f": pd.Timestamp("2020-01-02"),
            "g": np.array([1, 2]),
            "h": float("inf"),
            "i": pd.Series({"x": np.float64(1.5)}),
            "j": (1, None),
        }
    )
    assert out == {
        "a": 3,
        "b": 0.5,
        "c": True,
        "d": None,
        "e": None,
        "f": "2020-01-02T00:00:00",
        "g": [1, 2],
        "h": None,
        "i": {"x": 1.5},
        "j": [1, None],
    }
    assert type(out["a"]) is int and type(out["c"]) is bool
    with pytest.raises(TypeError, match=r"result 'k': cannot store a object"):
        to_jsonable(object(), where="result 'k'")


def test_reporter_without_output_dir_writes_nothing(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.chdir(tmp_path)
    rep = Reporter("", notebook="01_tiny")
    fig, ax = plt.subplots()
    shown = rep.figure(fig, "f")
    assert shown.fig is fig
    data, meta = shown._repr_mimebundle_()
    fmt = rep.figures[0]["format"]
    mime = {"svg": "image/svg+xml", "png": "image/png"}[fmt]
    assert f"data:{mime};base64," in data["text/html"]  # inline in Jupyter: there is no file
    assert rep.result("x", np.float64(1.25)) is None  # nothing printed into the cell
    assert rep.save(data_versions=DV) is None
    out = rep.to_dict(DV)
    assert out["results"]["x"]["value"] == 1.25 and out["main_figure"] == f"figures/f.{fmt}"
    assert list(tmp_path.iterdir()) == []


def test_reporter_writes_results_json_and_png(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    class FakeResult:
        estimator = "negbin"
        nobs = np.int64(120)

        def term(self, name):
            return pd.Series(
                {
                    "term": name,
                    "estimate": -0.5,
                    "std_error": 0.2,
                    "z": -2.5,
                    "p_value": 0.012,
                    "ci_low": -0.9,
                    "ci_high": -0.1,
                    "ratio": np.exp(-0.5),
                    "ratio_ci_low": np.exp(-0.9),
                    "ratio_ci_high": np.exp(-0.1),
                }
            )

    rep = Reporter(
        tmp_path / "out", notebook="09_x", param_set="alt", parameters={"n": np.int64(2), "output_dir": "zzz"}
    )
    rep.result("share", np.nan, label="Share")
    assert rep.estimate("irr", FakeResult(), "is_robust", label="Robust, IRR") is None
    rec = rep.results["irr"]
    assert rec["ratio"] == pytest.approx(0.6065, abs=1e-4) and rec["nobs"] == 120
    fig, ax = plt.subplots(figsize=(6, 4))  # a line at this size is smaller as SVG than as PNG
    ax.plot([2000, 2001], [1 / 3, 0.25])
    rep.figure(fig, "first")
    shown = rep.figure(fig, "main_one", main=True, title="Rates fall", description="Line of rates.",
                       data=pd.DataFrame({"year": [2000, 2001], "rate": [1 / 3, 0.25]}))
    html_out, meta = shown._repr_mimebundle_()
    assert "src='out/figures/main_one.svg'" in html_out["text/html"]  # linked, not embedded
    assert "base64" not in html_out["text/html"] and meta["peaceops"]["kind"] == "figure"
    assert "alt='Rates fall. Line of rates.'" in html_out["text/html"]
    rep.note("caveat")
    rep.save(data_versions=DV)
    text = (tmp_path / "out" / "results.json").read_text()
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert set(data) == {
        "notebook",
        "param_set",
        "set_description",
        "parameters",
        "findings",
        "results",
        "figures",
        "tables",
        "main_figure",
        "notes",
        "glossary",
        "diagnostics",
        "data_versions",
        "package_versions",
        "code_modules",
        "created",
    }
    assert "analysis.reporting.reporter" in data["code_modules"]
    assert data["parameters"] == {"n": 2} and data["param_set"] == "alt"
    assert data["results"]["share"] == {"kind": "value", "value": None, "label": "Share"}
    fig2 = data["figures"][1]
    assert fig2["number"] == 2 and fig2["data"] == "figures/main_one.csv"
    assert fig2["width_px"] > 300 and fig2["min_font_pt"] is not None and fig2["format"] == "svg"
    csv = (tmp_path / "out" / "figures" / "main_one.csv").read_text()
    assert csv == "year,rate\n2000,0.3333333333\n2001,0.25\n"
    assert data["results"]["irr"]["estimator"] == "negbin" and data["results"]["irr"]["term"] == "is_robust"
    assert data["main_figure"] == "figures/main_one.svg" and data["notes"] == ["caveat"]
    assert set(data["package_versions"]) == {
        "python",
        "pandas",
        "numpy",
        "statsmodels",
        "matplotlib",
        "pandera",
        "papermill",
        "peaceops",
    }
    svg = (tmp_path / "out" / "figures" / "main_one.svg").read_bytes()
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    assert not list((tmp_path / "out").rglob("*.tmp"))
    with pytest.raises(ValueError, match="figure name 'a b'"):
        rep.figure(fig, "a b")


def test_figure_file_is_the_smaller_of_svg_and_png_and_reproducible(monkeypatch, forked_children):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.models import forked
    from analysis.reporting import figures
    from analysis.reporting.reporter import FIGURE_DPI, figure_file, png_bytes, png_size, svg_bytes

    line, ax = plt.subplots(figsize=(4, 3))
    ax.plot([2000, 2010, 2020], [1.0, 2.5, 1.5], label="deaths")
    ax.set_title("Deaths rose, then fell")
    ax.legend()
    fmt, content, size = figure_file(line)
    assert fmt == "svg" and len(content) < len(png_bytes(line))
    # the SVG's size in pixels at 200 dpi: within a few pixels of the PNG's (text extents differ)
    assert size == figures.svg_size(content) and size[0] == pytest.approx(4 * FIGURE_DPI, rel=0.25)
    assert size == pytest.approx(png_size(png_bytes(line)), abs=4)
    # compared with the PNG (no shortcut), the same SVG wins
    assert figure_file(line, svg_keep_bytes=0) == (fmt, content, size)
    # a small SVG is kept without drawing the PNG (its cost is most of a figure's)
    with monkeypatch.context() as m:
        m.setattr(figures, "png_bytes", lambda *a, **k: pytest.fail("PNG drawn for a small SVG"))
        assert figure_file(line) == (fmt, content, size)
    assert b"Deaths rose, then fell" in content  # text kept as text: selectable and searchable
    assert b"<dc:date>" not in content and b"Matplotlib" not in content  # no date, no creator tag
    assert svg_bytes(line) == content and figure_file(line)[1] == content  # same figure, same bytes
    cloud, ax = plt.subplots(figsize=(4, 3))
    ax.scatter([(i * 7919) % 997 for i in range(5000)], [(i * 104729) % 991 for i in range(5000)], s=1)
    fmt, content, size = figure_file(cloud)
    assert fmt == "png" and content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) <= len(svg_bytes(cloud))
    assert len(svg_bytes(cloud)) > figures.SVG_KEEP_BYTES and size == png_size(content)
    # drawn at once (the PNG in a forked child) or one after the other: the same file
    with monkeypatch.context() as m:
        m.setattr(figures, "PARALLEL_ARTISTS", 0)
        assert figure_file(cloud) == (fmt, content, size)
        assert figure_file(line) == figure_file(line, svg_keep_bytes=0)
        # forked (on two CPUs), and the PNG child of the small SVG killed and reaped
        assert (len(forked_children.pids) >= 4 or not forked.can_fork()) and forked_children.all_reaped()
        m.setenv("PEACEOPS_SERIAL", "1")
        assert figure_file(cloud) == (fmt, content, size)
    with pytest.raises(ValueError, match="width and height in points"):
        figures.svg_size(b"<svg viewBox='0 0 1 1'></svg>")
    plt.close("all")


def test_compact_svg_rounds_geometry_and_keeps_text_and_styles():
    from analysis.reporting.reporter import compact_svg

    svg = (
        '<svg width="656.39952pt" height="393.922697pt" viewBox="0 0 656.39952 393.922697">\n'
        '  <path d="M 78.0125 301.39952 \nL -0.001 2.5 \nz\n" style="stroke-width: 0.8125"/>\n'
        '  <text x="29.465625" y="49.878828" transform="rotate(-0 29.465625 49.878828)">0.125</text>\n'
        '  <image xlink:href="data:image/png;base64,AB1.23456" x="1.005"/>\n</svg>\n'
    )
    out = compact_svg(svg)
    assert 'width="656.4pt" height="393.92pt" viewBox="0 0 656.4 393.92"' in out
    assert 'd="M 78.01 301.4 L 0 2.5 z"' in out and 'style="stroke-width: 0.8125"' in out
    assert 'x="29.47" y="49.88" transform="rotate(-0 29.47 49.88)">0.125</text>' in out  # label intact
    assert 'xlink:href="data:image/png;base64,AB1.23456" x="1"' in out  # image data intact
    assert "\n  <" not in out and len(out) < len(svg)


def test_reporter_takes_set_and_parameters_from_the_runner(tmp_path, monkeypatch):
    ctx = {
        "output_dir": str(tmp_path / "o"),
        "notebook": "01_tiny",
        "param_set": "big",
        "parameters": {"n": 5, "label": "big run", "divisor": 1.0},
    }
    monkeypatch.setenv(RUN_ENV, json.dumps(ctx))
    rep = Reporter(str(tmp_path / "o"), notebook="01_tiny", param_set="default")
    assert rep.param_set == "big" and rep.parameters["n"] == 5
    other = Reporter(str(tmp_path / "elsewhere"), notebook="01_tiny")
    assert other.param_set == "default" and other.parameters == {}


# --------------------------------------------------------------------------- check and index (no kernel)


def test_compare_results_within_tolerance():
    a = {
        "results": {
            "x": {"kind": "value", "value": 1.0, "label": "X"},
            "e": {"kind": "estimate", "estimate": 0.5, "p_value": 1e-15, "ratio": None},
            "s": {"kind": "value", "value": "MINUSMA"},
        }
    }
    b = json.loads(json.dumps(a))
    b["results"]["x"]["value"] = 1.0 + 5e-7
    b["results"]["x"]["label"] = "renamed"
    b["results"]["x"]["format"] = "share"  # presentation, not a number
    b["results"]["e"]["p_value"] = 2e-15
    assert compare_results(a, b) == []
    b["results"]["x"]["value"] = 1.00001
    b["results"]["s"]["value"] = "MONUSCO"
    del b["results"]["e"]
    b["results"]["new"] = {"value": 1}
    diffs = compare_results(a, b)
    assert "x.value: committed 1.0, now 1.00001 (relative difference 1.0e-05)" in diffs
    assert "s.value: committed 'MINUSMA', now 'MONUSCO'" in diffs
    assert any(d.startswith("e: missing in the new run") for d in diffs)
    assert any(d.startswith("new: not in the committed results") for d in diffs)


def test_check_compares_with_committed_results(project):
    committed = project / "reports" / "01_tiny" / "default" / "results.json"
    committed.parent.mkdir(parents=True)
    committed.write_text(json.dumps({"results": {"total": {"kind": "value", "value": 3.0}}}))

    def fake(task):
        out = task.paths()["results"]
        out.parent.mkdir(parents=True)
        out.write_text(json.dumps({"results": {"total": {"kind": "value", "value": 3.5}}}))
        return RunOutcome(task.stem, task.label, "ran")

    rep = check_reports(
        ["01"],
        notebooks_dir=project / "notebooks",
        reports_dir=project / "reports",
        build_data=False,
        data_versions=DV,
        progress=False,
        executor=fake,
    )
    assert not rep.ok
    assert rep.differences == {
        "01_tiny/default": ["total.value: committed 3.0, now 3.5 (relative difference 1.4e-01)"]
    }
    assert json.loads(committed.read_text())["results"]["total"]["value"] == 3.0


def test_index_lists_runs_with_headlines_figures_links(tmp_path):
    d = tmp_path / "reports" / "05_demo"
    (d / "default" / "figures").mkdir(parents=True)
    cells = [{"cell_type": "markdown", "source": "# Demo <b>"}]
    (d / "default.ipynb").write_text(json.dumps({"cells": cells}))
    (d / "default.html").write_text("x")
    (d / "default" / "figures" / "rates.png").write_bytes(b"")
    (d / "default" / "results.json").write_text(
        json.dumps(
            {
                "notebook": "05_demo",
                "param_set": "default",
                "parameters": {"n": 3},
                "results": {
                    "deaths": {"kind": "value", "value": 1234567, "label": "Deaths <all>"},
                    "peak": {"kind": "value", "value": 2019, "label": "Peak year"},
                    "irr": {
                        "kind": "estimate",
                        "estimate": -0.5,
                        "ratio": 0.6065,
                        "ratio_ci_low": 0.41,
                        "ratio_ci_high": 0.9,
                        "p_value": 0.0004,
                        "label": "IRR",
                    },
                },
                "figures": [{"name": "rates", "file": "figures/rates.png", "title": "Rates"}],
                "main_figure": "figures/rates.png",
                "notes": ["NA after 2019"],
                "data_versions": DV,
                "created": "2025-01-01T00:00:00+00:00",
            }
        )
    )
    (d / "alt.failed.ipynb").write_text("{}")
    html = render_index(tmp_path / "reports")
    assert "href='05_demo/default.html'" in html and "href='05_demo/default.ipynb'" in html
    assert "src='05_demo/default/figures/rates.png'" in html
    assert "Deaths &lt;all&gt;" in html and "1,234,567" in html and ">2019<" in html
    assert "ratio 0.6065 [0.41, 0.9], p &lt; 0.001" in html
    assert "Demo &lt;b&gt;" in html and "NA after 2019" in html
    assert "fixture_source" in html and "abcdef01" in html and "abcdef0123" not in html
    assert "href='05_demo/alt.failed.ipynb'" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert write_index(tmp_path / "reports").read_text().startswith("<!DOCTYPE html>")
    assert format_result({"kind": "value", "value": None}) == "NA"


def test_merge_versions_flags_only_real_conflicts():
    from analysis.reporting.index import merge_versions

    a = {"code_version": "c1", "tables": {"t1": "k1"}, "sources": {"s1": "v1"}}
    b = {"code_version": "c1", "tables": {"t2": "k2"}, "sources": {"s1": "v1"}}
    merged, conflicts = merge_versions([a, b])
    assert merged["tables"] == {"t1": "k1", "t2": "k2"} and conflicts == set()
    _, conflicts = merge_versions([a, {**b, "sources": {"s1": "v2"}, "code_version": "c2"}])
    assert conflicts == {"s1", "code_version"}


def test_cli_params_file_is_validated(project, capsys, tmp_path):
    f = tmp_path / "over.yaml"
    f.write_text("n: 4\nlabl: y\n")
    rc = main(
        [
            "run",
            "01",
            "-f",
            str(f),
            "--notebooks-dir",
            str(project / "notebooks"),
            "--reports-dir",
            str(project / "reports"),
            "-q",
        ]
    )
    assert rc == 1
    assert "unknown parameter 'labl' (from -f over.yaml); did you mean 'label'?" in capsys.readouterr().err
    f.write_text("- 1\n- 2\n")
    assert main(["run", "01", "-f", str(f), "--notebooks-dir", str(project / "notebooks")]) == 2


def test_cli_validation_error_exits_before_any_build(project, capsys, monkeypatch):
    import analysis.data

    monkeypatch.setattr(analysis.data, "build", lambda *a, **k: pytest.fail("data built before validation"))
    rc = main(
        [
            "run",
            "01",
            "-p",
            "n",
            "abc",
            "--notebooks-dir",
            str(project / "notebooks"),
            "--reports-dir",
            str(project / "reports"),
            "-q",
        ]
    )
    err = capsys.readouterr().err
    assert rc == 1
    assert "error: notebook 01_tiny: invalid parameters:" in err and "n: int = 3" in err


def test_cli_list(project, capsys):
    assert main(["run", "--list", "--notebooks-dir", str(project / "notebooks")]) == 0
    out = capsys.readouterr().out
    assert "01_tiny  Tiny fixture notebook" in out and "divisor: float = 1.0" in out
    assert "set big: n=5, label='big run'" in out and "region: Literal['all', 'africa'] = 'all'" in out


def test_kernel_is_registered_for_this_interpreter():
    path = ensure_kernel()
    spec = json.loads((path / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable
    assert ensure_kernel() == path


def test_runs_use_the_kernel_manager_without_shutdown_sigint(project, monkeypatch):
    import papermill as pm

    seen: dict = {}

    def fake_execute(*args, **kwargs):
        seen.update(kwargs)
        raise RuntimeError("stopped before any kernel")

    monkeypatch.setattr(pm, "execute_notebook", fake_execute)
    [o] = run(project, "01_tiny", early_kernel=False).outcomes
    assert o.status == "failed" and "stopped before any kernel" in o.error
    assert seen["kernel_manager_class"] is kernel_manager_class()


def test_kernels_of_a_run_get_no_progress_bars_and_the_environment_is_restored(project, monkeypatch):
    """A progress bar's output depends on timing: the kernel a run starts inherits TQDM_DISABLE so
    that executed notebooks are the same from run to run; the runner's own environment is left as
    it was."""
    import os

    import papermill as pm

    seen: dict = {}

    def fake_execute(*args, **kwargs):
        seen.update(tqdm=os.environ.get("TQDM_DISABLE"), ctx=os.environ.get(RUN_ENV))
        raise RuntimeError("stopped before any kernel")

    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    monkeypatch.delenv(RUN_ENV, raising=False)
    monkeypatch.setattr(pm, "execute_notebook", fake_execute)
    run(project, "01_tiny", early_kernel=False)
    assert seen["tqdm"] == "1" and json.loads(seen["ctx"])["notebook"] == "01_tiny"
    assert "TQDM_DISABLE" not in os.environ and RUN_ENV not in os.environ


@pytest.mark.slow  # starts a real Jupyter kernel
def test_kernel_shutdown_sends_no_sigint_but_interrupts_still_do():
    """jupyter_client SIGINTs a kernel before asking it to shut down; a kernel still returning from
    its last reply (papermill's final kernel_info) then logs "KeyboardInterrupt caught in kernel"."""
    import asyncio
    import signal

    ensure_kernel()
    km = kernel_manager_class()(kernel_name=KERNEL_NAME)
    sent: list[int] = []

    async def main():
        await km.start_kernel(extra_arguments=["--IPKernelApp.log_level=ERROR"])
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            send = km.provisioner.send_signal

            async def record(signum):
                sent.append(signum)
                await send(signum)

            km.provisioner.send_signal = record
            await km.interrupt_kernel()
            assert sent == [signal.SIGINT]
        finally:
            kc.stop_channels()
            await km.shutdown_kernel()

    asyncio.run(main())
    assert sent.count(signal.SIGINT) == 1 and not km.has_kernel


# --------------------------------------------------------------------------- real kernel executions


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """01_tiny, set default, executed once for real (shared by the read-only tests below)."""
    project = _copy_project(tmp_path_factory.mktemp("runner"))
    t0 = time.perf_counter()
    summary = run(project, "01_tiny")
    return project, summary, time.perf_counter() - t0


@pytest.mark.slow
def test_run_writes_notebook_html_results_and_figure(executed):
    project, summary, _ = executed
    [o] = summary.outcomes
    assert (o.status, o.reason) == ("ran", "new"), o.error
    d = project / "reports" / "01_tiny"
    res = json.loads((d / "default" / "results.json").read_text())
    assert res["notebook"] == "01_tiny" and res["param_set"] == "default"
    assert res["parameters"] == {"n": 3, "label": "x", "divisor": 1.0}
    assert res["results"]["total"]["value"] == 3.0 and res["results"]["n_items"]["value"] == 3
    # figure files live in the notebook's shared folder, named by content
    line = {f["name"]: f for f in res["figures"]}["line"]
    assert re.fullmatch(r"\.\./figures/line-[0-9a-f]{12}\.svg", line["file"]), line  # a line: SVG
    assert res["main_figure"] == line["file"] and line["data"].startswith("../figures/line-")
    assert b"<svg" in (d / "default" / line["file"]).read_bytes()
    [cloud] = [f for f in res["figures"] if f["name"] == "cloud"]
    assert (d / "default" / cloud["file"]).read_bytes()[:4] == b"\x89PNG"  # 3,000 dots: PNG
    assert not (d / "default" / "figures").exists()
    nb_text = (d / "default.ipynb").read_text()
    assert "TINY_CODE_MARKER" in nb_text
    assert 'output_dir = \\"../reports/01_tiny/default\\"' in nb_text
    assert "staging" not in nb_text and str(project) not in nb_text
    html = (d / "default.html").read_text()
    assert "TINY_MARKDOWN_MARKER" in html and "printed total 3.0" in html
    for code in ("TINY_CODE_MARKER", "rep.result(", "values = [i / divisor", "output_dir"):
        assert code not in html
    run_json = json.loads((d / "default.run.json").read_text())
    assert set(run_json["components"]) == {"format", "notebook", "parameters", "data", "code", "packages"}
    assert not (d / ".staging").exists()


@pytest.mark.slow
def test_index_after_run_links_every_run(executed):
    project, summary, _ = executed
    html = (project / "reports" / "index.html").read_text()
    assert "href='01_tiny/default.html'" in html and "href='01_tiny/default.ipynb'" in html
    assert re.search(r"src='01_tiny/figures/line-[0-9a-f]{12}\.svg'", html)
    assert "Sum of i / divisor" in html and ">3<" in html and "Tiny fixture notebook" in html


@pytest.mark.slow
def test_second_run_is_cached(executed):
    project, _, _ = executed
    s = run(project, "01_tiny", executor=no_kernel)
    assert [o.status for o in s.outcomes] == ["cached"]


@pytest.mark.slow
def test_changed_parameter_reruns_and_replaces_report(executed, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(executed[0], project)
    (project / "notebooks" / "params" / "01_tiny.yaml").write_text("default:\n  n: 4\n")
    s = run(project, "01")
    assert [(o.status, o.reason) for o in s.outcomes] == [("ran", "parameters changed")], s.outcomes[0].error
    res = json.loads((project / "reports" / "01_tiny" / "default" / "results.json").read_text())
    assert res["results"]["total"]["value"] == 6.0 and res["parameters"]["n"] == 4


@pytest.mark.slow
def test_failing_notebook_keeps_earlier_reports_and_names_the_cell(executed, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(executed[0], project)
    d = project / "reports" / "01_tiny"
    before = {p: p.read_bytes() for p in d.rglob("*") if p.is_file()}
    s = run(project, "01", overrides={"divisor": 0}, name="default")
    [o] = s.outcomes
    assert o.status == "failed"
    assert "failed in cell 2 of notebooks/01_tiny.ipynb" in o.error
    assert "| rep = Reporter(output_dir" in o.error
    assert "ZeroDivisionError: float division by zero" in o.error
    assert "at line 7: values = [i / divisor for i in range(n)]" in o.error
    after = {p: p.read_bytes() for p in d.rglob("*") if p.is_file() and p.name != "default.failed.ipynb"}
    assert after == before
    assert (d / "default.failed.ipynb").is_file() and not (d / ".staging").exists()
    assert "href='01_tiny/default.failed.ipynb'" in (project / "reports" / "index.html").read_text()


@pytest.mark.slow
def test_plain_papermill_without_runner_writes_nothing(tmp_path):
    import papermill as pm

    project = _copy_project(tmp_path / "p")
    ensure_kernel()
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(
        str(project / "notebooks" / "01_tiny.ipynb"),
        str(out),
        parameters={"n": 2},
        kernel_name="peaceops",
        cwd=str(project / "notebooks"),
        progress_bar=False,
    )
    assert "printed total 1.0" in out.read_text()
    names = sorted(p.name for p in (project / "notebooks").iterdir())
    assert names == sorted(p.name for p in FIXTURES.iterdir())
    assert not list(tmp_path.rglob("results.json")) and not list(tmp_path.rglob("*.png"))


def _wrapped_panels():
    """A large figure (over 1,000 artists) whose SVG changes when its PNG was drawn first: wrapped
    footnote and an outside legend, laid out again from the last draw's positions."""
    import textwrap

    import numpy as np

    from analysis.plots.style import finish, new_figure

    fig, axes = new_figure(6, 4, 2, 2)
    rng = np.random.default_rng(3)
    for k, ax in enumerate(axes.flat):
        for j in range(6):
            ax.bar(np.arange(25) + j * 0.1, rng.random(25) * 10**k, width=0.1, label=f"series {j}")
        title = f"Panel {k}: deaths by actor type in the comparison states, {1990 + k}-2024"
        ax.set_title(textwrap.fill(title, 30))
    fig.legend(handles=axes[0, 0].get_legend_handles_labels()[0], loc="outside lower center", ncol=3)
    source = "UCDP GED (synthetic rows for the test); deaths per year; states with a partner operation " * 3
    return finish(fig, "Comparison states: deaths by actor type", source, wrap=True)


@pytest.fixture(scope="module")
def fresh_panels():
    """SVG and PNG of :func:`_wrapped_panels`, each drawn first; and the precondition."""
    from analysis.reporting import figures

    fresh_svg, fresh_png = figures.svg_bytes(_wrapped_panels()), figures.png_bytes(_wrapped_panels())
    drawn = _wrapped_panels()
    figures.png_bytes(drawn)
    assert figures.svg_bytes(drawn) != fresh_svg  # drawing first changes the SVG
    assert len(drawn.findobj()) > figures.PARALLEL_ARTISTS
    return fresh_svg, fresh_png


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["forked", "serial", "children fail"])
def test_a_large_figure_draws_svg_and_png_from_the_figure_as_it_is(
    monkeypatch, mode, fresh_panels, forked_children
):
    from analysis.models import forked
    from analysis.reporting import figures

    fresh_svg, fresh_png = fresh_panels
    if mode == "serial":
        monkeypatch.setenv(forked.SERIAL_ENV, "1")
    elif mode == "children fail":
        monkeypatch.setattr(forked.Child, "outcome", lambda self: (self.cancel(), (False, None))[1])
    svg, png = figures._both_from_the_figure_as_it_is(_wrapped_panels(), figures.FIGURE_DPI, 0)
    assert svg == fresh_svg and png == fresh_png
    fmt, content, size = figures.figure_file(_wrapped_panels())
    assert (fmt, content, size) == ("png", fresh_png, figures.png_size(fresh_png))
    assert len(fresh_svg) > len(fresh_png)
    assert forked_children.all_reaped()
    assert (len(forked_children.pids) == 4) == (mode != "serial" and forked.can_fork())
