"""The notebooks: every ``notebooks/NN_*.ipynb`` runs with its ``test`` parameter set.

* Execution (real data): each notebook found by the glob is executed with papermill on the
  ``peaceops`` kernel, with the ``test`` set of ``notebooks/params/<stem>.yaml`` and a
  temporary ``output_dir``; the run must succeed and its Reporter must have written
  ``results.json`` with at least one result, the figures it lists and the data versions.
  The notebooks run two at a time (the machine has two cores); each notebook still gets its
  own test, which reports that notebook's failure.
* Structure (no data): every ``.py`` / ``.ipynb`` pair has the same cells; the first code
  cell is tagged ``parameters`` and declares ``output_dir = ""``; the notebook is paired
  (``formats: ipynb,py:percent``); every parameter YAML has ``default`` and ``test`` sets and
  uses only names declared in the parameters cell.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
PARAMS = NOTEBOOKS / "params"
GLOB = "[0-9][0-9]_*.ipynb"
KERNEL = "peaceops"
#: Upper bound of one notebook run with its test set, seconds (the test sets take well under 20 s).
TIMEOUT = 240

STEMS = sorted({p.stem for p in NOTEBOOKS.glob(GLOB)} | {p.stem for p in NOTEBOOKS.glob(GLOB[:-6] + ".py")})


def _read_ipynb(stem: str):
    import nbformat

    return nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)


def _parameters_cell(nb) -> tuple[int, object]:
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    assert code, "notebook has no code cell"
    i, cell = code[0]
    assert "parameters" in cell.get("metadata", {}).get("tags", []), \
        f"the first code cell (cell {i}) is not tagged 'parameters'"
    return i, cell


def _declared(source: str) -> dict:
    """The runner's reading of a parameters cell: name -> Param (type, default)."""
    from analysis.reporting.params import parse_parameters_cell

    return parse_parameters_cell(source)


def _sets(stem: str) -> dict:
    import yaml

    path = PARAMS / f"{stem}.yaml"
    assert path.is_file(), f"missing parameter sets {path.relative_to(ROOT)}"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    assert isinstance(raw, dict), f"{path.name}: expected a mapping of set names to parameter mappings"
    return {k: (v or {}) for k, v in raw.items()}


# ----------------------------------------------------------------------------- structure


def test_notebooks_exist():
    assert STEMS, f"no notebooks matching {GLOB} in {NOTEBOOKS}"
    for stem in ("01_data_overview", "02_robust_mandates_and_casualties", "03_casualty_trends",
                 "04_partnership_and_coups"):
        assert stem in STEMS


@pytest.mark.parametrize("stem", STEMS)
def test_pair_in_sync(stem):
    import jupytext

    py, ipynb = NOTEBOOKS / f"{stem}.py", NOTEBOOKS / f"{stem}.ipynb"
    assert py.is_file(), f"{ipynb.name} has no paired source {py.name}"
    assert ipynb.is_file(), f"{py.name} has no paired notebook {ipynb.name} (run `jupytext --to ipynb {py}`)"
    src = jupytext.read(py, fmt="py:percent")
    nb = _read_ipynb(stem)

    def cells(n):
        return [(c.cell_type, c.source.rstrip(), sorted(c.get("metadata", {}).get("tags", [])))
                for c in n.cells]

    a, b = cells(src), cells(nb)
    assert len(a) == len(b), f"{stem}: {len(a)} cells in the .py, {len(b)} in the .ipynb; run jupytext --sync"
    for i, (x, y) in enumerate(zip(a, b)):
        assert x == y, f"{stem}: cell {i} differs between .py and .ipynb; run `jupytext --sync {ipynb}`"
    formats = nb.metadata.get("jupytext", {}).get("formats", "")
    assert set(formats.split(",")) == {"ipynb", "py:percent"}, f"{stem}: jupytext pairing is {formats!r}"


@pytest.mark.parametrize("stem", STEMS)
def test_parameters_cell(stem):
    _, cell = _parameters_cell(_read_ipynb(stem))
    declared = _declared(cell.source)
    assert "output_dir" in declared, f"{stem}: the parameters cell must declare output_dir"
    assert declared["output_dir"].default == "", f"{stem}: output_dir must default to \"\" (write nothing)"
    assert len(declared) > 1, f"{stem}: no parameter besides output_dir"
    untyped = [n for n, p in declared.items() if p.type.kind == "any"]
    assert not untyped, f"{stem}: parameters without a type (annotate, or give a literal default): {untyped}"


@pytest.mark.parametrize("stem", STEMS)
def test_parameter_sets_use_declared_names(stem):
    """Every set names declared parameters with values of their declared types (the runner's check)."""
    from analysis.errors import ParameterError
    from analysis.reporting.params import validate_parameters

    declared = _declared(_parameters_cell(_read_ipynb(stem))[1].source)
    from analysis.reporting.plan import split_descriptions

    sets, _ = split_descriptions(_sets(stem))
    assert "default" in sets and sets["default"] == {}, f"{stem}: the default set must set no parameter"
    assert sets.get("test"), f"{stem}: a non-empty 'test' set is required"
    for name, values in sets.items():
        assert isinstance(values, dict), f"{stem}.yaml: set {name!r} is not a mapping"
        assert "output_dir" not in values, f"{stem}.yaml: set {name!r} sets output_dir (the runner's)"
        try:
            validate_parameters(stem, declared, values)
        except ParameterError as exc:
            pytest.fail(f"{stem}.yaml: set {name!r}: {exc}")


@pytest.mark.parametrize("stem", STEMS)
def test_parameter_sets_pass_the_runner(stem):
    """The runner's own check: names and declared types (Literal choices included) of every set."""
    from analysis.reporting.plan import read_notebook

    nb = read_notebook(NOTEBOOKS / f"{stem}.ipynb", NOTEBOOKS / f"{stem}.py", PARAMS)
    assert "test" in nb.sets and nb.params["output_dir"].default == ""


def test_parameter_sets_have_notebooks():
    for path in PARAMS.glob("*.yaml"):
        assert path.stem in STEMS, f"{path.name} names no notebook"


# ----------------------------------------------------------------------------- execution


@pytest.fixture(scope="session")
def kernel():
    from analysis.reporting.kernel import KERNEL_NAME, ensure_kernel

    assert KERNEL_NAME == KERNEL
    ensure_kernel(KERNEL_NAME)
    return KERNEL_NAME


@pytest.fixture(scope="session")
def built_data(raw_cache):
    """Every table fresh before the notebooks start (so no two kernels build the same table)."""
    from analysis.data import build

    build(progress=False)
    return True


def _execute(stem: str, kernel: str, out: Path) -> dict:
    import papermill as pm

    params = {k: v for k, v in _sets(stem)["test"].items() if k != "description"}
    params["output_dir"] = str(out / "report")
    out.mkdir(parents=True, exist_ok=True)
    try:
        pm.execute_notebook(str(NOTEBOOKS / f"{stem}.ipynb"), str(out / f"{stem}.ipynb"), parameters=params,
                            kernel_name=kernel, cwd=str(NOTEBOOKS), progress_bar=False,
                            execution_timeout=TIMEOUT)
    except Exception as exc:  # reported by the notebook's own test
        return {"error": f"{type(exc).__name__}: {exc}"}
    path = out / "report" / "results.json"
    return json.loads(path.read_text()) if path.is_file() else {"error": f"no {path}"}


@pytest.fixture(scope="session")
def executed(kernel, built_data, tmp_path_factory):
    """Run every notebook's test set, two at a time; stem -> results.json content or error."""
    base = tmp_path_factory.mktemp("notebooks")
    dirs = {s: base / s for s in STEMS}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {s: pool.submit(_execute, s, kernel, dirs[s]) for s in STEMS}
        return {s: (f.result(), dirs[s]) for s, f in futures.items()}


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_runs_with_test_set(stem, executed):
    results, folder = executed[stem]
    assert "error" not in results, f"{stem} failed with its test set: {results['error']}"
    assert results["notebook"] == stem
    assert results["results"], f"{stem}: the Reporter recorded no result"
    for fig in results["figures"]:
        assert (folder / "report" / fig["file"]).is_file(), f"{stem}: figure {fig['file']} not written"
    assert results["data_versions"].get("tables"), f"{stem}: rep.save() got no data versions"
    assert results["package_versions"].get("pandas")
    test_set = {k: v for k, v in _sets(stem)["test"].items() if k != "description"}
    for k, v in test_set.items():  # the parameters the notebook recorded are the ones passed
        if k in results["parameters"]:
            got = results["parameters"][k]
            assert got == v, f"{stem}: parameter {k} recorded as {got!r}, passed {v!r}"
