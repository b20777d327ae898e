"""Which runs: notebooks found and synced with their source, parameter sets, run keys."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import config
from analysis.config import notebooks_path
from analysis.data.hashing import atomic_write_text, code_hash
from analysis.errors import RunnerError
from analysis.reporting.kernel import KERNEL_NAME
from analysis.reporting.params import RESERVED, Param, parse_parameters_cell, validate_parameters

log = logging.getLogger(__name__)

#: Notebooks the runner knows about (a paired ``.py`` with the same pattern also counts).
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
#: The small, fast parameter set used by the test suite; ``all_sets`` leaves it out.
TEST_SET = "test"
#: Set whose parameters are the notebook's own defaults.
DEFAULT_SET = "default"
#: Bump when the layout of outputs changes, so that every cached run is redone.
RUN_FORMAT = 2  # 2: figure files pooled in reports/<stem>/figures/ (analysis.reporting.pool)
#: A run label (``--name``, a parameter set's name) names files and folders under
#: ``reports/<stem>/``: a plain slug, never a path.
LABEL_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
#: Names a label cannot take: folders of ``reports/<stem>/`` that are not runs.
RESERVED_LABELS = frozenset({"figures"})


def check_label(label: str, what: str = "run label") -> str:
    """Return ``label`` if it is a plain slug (letters, digits, ``-``, ``_``; 1-64 characters).

    A label becomes ``reports/<stem>/<label>/``, ``<label>.html`` and the staging folder of the
    run, so anything else (``..``, ``/abs/path``, ``a/b``, an empty or 300-character name) is
    refused before any file is touched.

    Raises
    ------
    RunnerError
        Naming the label and the rule.
    """
    if not isinstance(label, str) or not LABEL_PATTERN.fullmatch(label):
        shown = label if isinstance(label, str) and len(label) <= 80 else f"{str(label)[:40]}..."
        raise RunnerError(
            f"{what} {shown!r} is not allowed: use only letters, digits, '-' and '_', at most 64 "
            "characters (it names the report's files and folder)"
        )
    if label.lower() in RESERVED_LABELS:
        raise RunnerError(
            f"{what} {label!r} is not allowed: reports/<notebook>/{label.lower()}/ holds the figure "
            "files shared by the notebook's runs; choose another name"
        )
    return label

# --------------------------------------------------------------------------- notebooks


def _cell_inputs(nb: Any) -> list[tuple[str, str, tuple[str, ...]]]:
    return [
        (c.cell_type, c.source.rstrip(), tuple(sorted(c.get("metadata", {}).get("tags", []))))
        for c in nb.cells
    ]


def sync_notebook(ipynb: Path, py: Path | None) -> str:
    """Bring ``ipynb`` in line with its paired jupytext ``py`` source.

    Returns
    -------
    str
        ``"in sync"`` (same cells, nothing written), ``"synced"`` (ipynb rewritten from the newer
        py, outputs kept where cells match), ``"created"`` (ipynb made from py) or ``"no source"``
        (no py: the ipynb is the source).

    Raises
    ------
    RunnerError
        When the cells differ and the ipynb is the newer file (unreviewed edits made in Jupyter).
    """
    import jupytext
    import nbformat
    from jupytext.combine import combine_inputs_with_outputs

    if py is None or not py.is_file():
        return "no source"
    src = jupytext.read(py, fmt="py:percent")
    if not ipynb.is_file():
        atomic_write_text(ipynb, jupytext.writes(src, fmt="ipynb"))
        return "created"
    nb = nbformat.read(ipynb, as_version=4)
    if _cell_inputs(src) == _cell_inputs(nb):
        return "in sync"
    if py.stat().st_mtime >= ipynb.stat().st_mtime:
        combined = combine_inputs_with_outputs(src, nb, fmt="py:percent")
        atomic_write_text(ipynb, jupytext.writes(combined, fmt="ipynb"))
        log.info("synced %s from %s", ipynb.name, py.name)
        return "synced"
    raise RunnerError(
        f"{ipynb} was edited after {py.name} and their cells differ; {py.name} is the reviewed source. "
        f"Run `jupytext --sync {ipynb}` to carry the notebook's edits into {py.name} (or "
        f"`jupytext --to ipynb {py}` to discard them), then run again."
    )


def notebook_hash(nb: Any) -> str:
    """Hash of a notebook's cells (type, source, tags); outputs and metadata do not count."""
    return hashlib.sha256(json.dumps(_cell_inputs(nb)).encode()).hexdigest()[:16]


#: Key of a parameter set that describes it (what it changes), not a parameter.
DESCRIPTION_KEY = "description"


def split_descriptions(
    sets: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Sets without their ``description`` entries, and the descriptions (set -> text; "" when none)."""
    values = {k: {p: v for p, v in s.items() if p != DESCRIPTION_KEY} for k, s in sets.items()}
    return values, {k: str(s.get(DESCRIPTION_KEY) or "") for k, s in sets.items()}


def load_sets(path: Path) -> dict[str, dict[str, Any]]:
    """Parameter sets of a notebook: ``{set name: {parameter: value}}``; ``default`` always exists.

    A set may say what it changes in a ``description`` entry (kept in the returned mapping;
    :func:`split_descriptions` separates it from the parameters).

    Raises
    ------
    RunnerError
        When the file is not a mapping of set names to mappings (names the file and set).
    """
    import yaml

    from analysis.data.yamlsafe import load_yaml, yaml_error

    sets: dict[str, dict[str, Any]] = {}
    if path.is_file():
        try:
            raw = load_yaml(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise RunnerError(f"{path}, {yaml_error(exc)}") from exc
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise RunnerError(f"{path}: expected a mapping of set names to parameter mappings")
        for name, values in raw.items():
            check_label(str(name), f"{path.name}: set name")
            if values is None:
                values = {}
            if not isinstance(values, dict):
                raise RunnerError(
                    f"{path}: set {name!r} must be a mapping of parameter: value, got {type(values).__name__}"
                )
            if DESCRIPTION_KEY in values and not isinstance(values[DESCRIPTION_KEY], str):
                raise RunnerError(f"{path}: set {name!r}: {DESCRIPTION_KEY} must be a text")
            sets[str(name)] = dict(values)
    sets.setdefault(DEFAULT_SET, {})
    return {DEFAULT_SET: sets.pop(DEFAULT_SET), **sets}


@dataclass
class Notebook:
    """A notebook known to the runner: paths, parameters and parameter sets."""

    stem: str
    ipynb: Path
    py: Path | None
    params_file: Path
    params: dict[str, Param]
    sets: dict[str, dict[str, Any]]
    parameters_cell: int
    source_hash: str
    title: str = ""
    descriptions: dict[str, str] = field(default_factory=dict)

    def defaults(self) -> dict[str, Any]:
        """Literal defaults of the notebook's parameters (``output_dir`` excluded)."""
        return {n: p.default for n, p in self.params.items() if p.literal_default and n not in RESERVED}


class _Node(dict):
    """A JSON object read as nbformat's ``NotebookNode`` reads: keys as attributes."""

    __getattr__ = dict.__getitem__


def _read_cells_fast(ipynb: Path) -> Any:
    """The cells of a version-4 ``.ipynb`` as plain JSON (``cell_type``, ``source`` with its lines
    joined as nbformat joins them, ``metadata``): what :func:`read_notebook` and
    :func:`notebook_hash` use, without importing nbformat (0.1 s) or validating the file."""
    raw = json.loads(ipynb.read_text(encoding="utf-8"))
    if raw.get("nbformat") != 4:
        raise RunnerError(f"{ipynb}: not a version-4 notebook")
    cells = []
    for c in raw.get("cells", []):
        src = c.get("source", "")
        cells.append(_Node(c, source="".join(src) if isinstance(src, list) else src))
    return _Node(raw, cells=cells)


def read_notebook(ipynb: Path, py: Path | None = None, params_dir: Path | None = None, *,
                  fast: bool = False) -> Notebook:
    """Read a notebook's parameters cell and its parameter sets (the YAML is validated).

    ``fast``: the ``.ipynb`` is read as JSON, not through nbformat (not validated against the
    notebook schema; 0.15 s less): for the plan that starts a rerun's kernel early, which the
    runner makes again from the synced notebooks.

    Raises
    ------
    RunnerError
        Without a cell tagged ``parameters``, or when it does not declare ``output_dir``.
    ParameterError
        When a set in ``notebooks/params/<stem>.yaml`` has an unknown name or a wrong type.
    """
    if fast:
        nb = _read_cells_fast(ipynb)
    else:
        import nbformat

        nb = nbformat.read(ipynb, as_version=4)
    stem = ipynb.stem
    idx = next(
        (
            i
            for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        None,
    )
    if idx is None:
        raise RunnerError(
            f"{ipynb}: no code cell tagged 'parameters' (in the .py: `# %% tags=[\"parameters\"]`)"
        )
    try:
        params = parse_parameters_cell(nb.cells[idx].source)
    except SyntaxError as exc:
        raise RunnerError(f"{ipynb}: parameters cell (cell {idx}) is not valid Python: {exc}") from exc
    missing = [r for r in RESERVED if r not in params]
    if missing:
        raise RunnerError(
            f'{ipynb}: the parameters cell must declare {", ".join(missing)} (e.g. `output_dir: str = ""`)'
        )
    params_file = (params_dir or ipynb.parent / "params") / f"{stem}.yaml"
    sets, descriptions = split_descriptions(load_sets(params_file))
    for set_name, values in sets.items():
        origin = {k: f"{params_file.name}, set {set_name!r}" for k in values}
        sets[set_name] = validate_parameters(stem, params, values, origin)
    title = next(
        (
            c.source.strip().splitlines()[0].lstrip("#").strip()
            for c in nb.cells
            if c.cell_type == "markdown" and c.source.strip().startswith("#")
        ),
        "",
    )
    return Notebook(
        stem,
        ipynb,
        py if py and py.is_file() else None,
        params_file,
        params,
        sets,
        idx,
        notebook_hash(nb),
        title,
        descriptions,
    )


def notebook_stems(notebooks_dir: Path | None = None) -> list[str]:
    """Stems of every notebook ``NN_*.ipynb`` (or ``NN_*.py`` source) in ``notebooks_dir``, sorted."""
    nbdir = Path(notebooks_dir) if notebooks_dir else notebooks_path()
    stems = {p.stem for p in nbdir.glob(NOTEBOOK_GLOB)}
    stems |= {p.stem for p in nbdir.glob(NOTEBOOK_GLOB.replace(".ipynb", ".py"))}
    return sorted(stems)


def select(stems: Sequence[str], names: Sequence[str], notebooks_dir: Path | None = None) -> list[str]:
    """Stems named by stem, number prefix (``"02"``) or path; all when ``names`` is empty.

    A name with a folder in it (``notebooks/04_x.ipynb``, an absolute path) is a path: it must
    be a notebook (``.ipynb`` or its ``.py``) in ``notebooks_dir``; a notebook elsewhere is an
    error, never silently replaced by the project's notebook of the same name.

    Raises
    ------
    RunnerError
        For a name matching no notebook or several, or a path outside ``notebooks_dir``,
        listing the notebooks.
    """
    if not names:
        return list(stems)
    nbdir = Path(notebooks_dir) if notebooks_dir else notebooks_path()
    known = ", ".join(stems) or "(none)"
    out: list[str] = []
    for raw in names:
        if os.sep in raw or "/" in raw or Path(raw).is_absolute():
            path = Path(raw).expanduser()
            if path.resolve().parent != nbdir.resolve() or path.suffix not in (".ipynb", ".py"):
                raise RunnerError(
                    f"{raw} is not one of the project's notebooks (they are {nbdir}/{NOTEBOOK_GLOB}: "
                    f"{known}); to run another notebook, use papermill directly"
                )
            hits = [s for s in stems if s == path.stem]
        else:
            name = Path(raw).stem if raw.endswith((".ipynb", ".py")) else raw
            hits = [s for s in stems if s == name] or [s for s in stems if s.startswith(name)]
        if len(hits) != 1:
            what = "matches no notebook" if not hits else f"is ambiguous ({', '.join(hits)})"
            raise RunnerError(f"notebook {raw!r} {what}; notebooks: {known}")
        if hits[0] not in out:
            out.append(hits[0])
    return out


def discover(
    notebooks_dir: Path | None = None, names: Sequence[str] = (), *, sync: bool = True, fast: bool = False
) -> list[Notebook]:
    """The notebooks of ``notebooks_dir`` named by ``names`` (all when empty), read and validated
    (``fast``: see :func:`read_notebook`).

    With ``sync`` each selected pair is first brought in line (:func:`sync_notebook`), except the
    copies bundled with an installed package, which are read as they are (never written into the
    package's folder; the bundled pairs are in sync by construction). Only the selected notebooks
    are read, so one broken notebook does not block running the others.

    Raises
    ------
    RunnerError
        When there are no notebooks, a name matches none, or a notebook is invalid.
    """
    nbdir = Path(notebooks_dir) if notebooks_dir else notebooks_path()
    stems = notebook_stems(nbdir)
    if not stems:
        raise RunnerError(f"no notebooks matching {nbdir / NOTEBOOK_GLOB}")
    if sync and nbdir.resolve().is_relative_to(config.PACKAGE_DIR):
        sync = False
    out = []
    for stem in select(stems, names, nbdir):
        ipynb, py = nbdir / f"{stem}.ipynb", nbdir / f"{stem}.py"
        if sync:
            sync_notebook(ipynb, py if py.is_file() else None)
        elif not ipynb.is_file():
            raise RunnerError(f"{ipynb} does not exist (make it with `jupytext --to ipynb {py}`)")
        out.append(read_notebook(ipynb, py, fast=fast))
    return out


def _digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:16]


def run_components(
    nb: Notebook,
    parameters: Mapping[str, Any],
    data_versions: Mapping[str, Any],
    code_version: str,
    packages: Mapping[str, Any],
) -> dict[str, str]:
    """What a run depends on, each as a short hash (the run key hashes them together)."""
    return {
        "format": str(RUN_FORMAT),
        "notebook": nb.source_hash,
        "parameters": _digest(dict(parameters)),
        "data": _digest(dict(data_versions)),
        "code": code_version,
        "packages": _digest(dict(packages)),
    }


#: Modules of the runner that shape a page besides those the notebook imports (the renderer
#: runs in the runner's process), and the package data they read.
RENDER_MODULES = (
    "analysis.reporting.render",
    "analysis.reporting.findings",
    "analysis.reporting.tables",
    "analysis.reporting.reporter",
    "analysis.labels",
)


def module_file(name: str) -> Path | None:
    """Source file of an ``analysis`` module (``analysis.models.coups`` -> ``analysis/models/coups.py``)."""
    from analysis.config import PACKAGE_DIR

    parts = name.split(".")[1:]
    base = PACKAGE_DIR.joinpath(*parts) if parts else PACKAGE_DIR
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _data_files(folder: Path) -> list[Path]:
    """The data files a module of ``folder`` may read: ``.yaml``/``.csv`` beside it, ``assets/*``,
    and the ``.yaml``/``.csv`` of its data subfolders (folders that are not packages, e.g.
    ``studies/grids/``)."""
    files = [*folder.glob("*.yaml"), *folder.glob("*.csv"), *folder.glob("assets/*")]
    for sub in folder.iterdir():
        if sub.is_dir() and sub.name not in ("assets", "__pycache__") and not (sub / "__init__.py").exists():
            files += [f for f in sub.rglob("*") if f.suffix in (".yaml", ".csv") and f.is_file()]
    return sorted(files)


def module_hashes(modules: Iterable[str]) -> dict[str, str]:
    """Hash of each module's file and of the data files of its folder (:func:`_data_files`: rule
    tables, grids, assets); ``"missing"`` for a module whose file is gone."""
    out: dict[str, str] = {}
    data_cache: dict[Path, str] = {}
    for name in sorted(set(modules) | set(RENDER_MODULES)):
        if not (name == "analysis" or name.startswith("analysis.")):
            continue
        f = module_file(name)
        if f is None:
            out[name] = "missing"
            continue
        h = hashlib.sha256(f.read_bytes())
        folder = f.parent
        if folder not in data_cache:
            d = hashlib.sha256()
            for extra in _data_files(folder):
                d.update(str(extra.relative_to(folder)).encode())
                d.update(extra.read_bytes())
            data_cache[folder] = d.hexdigest()
        h.update(data_cache[folder].encode())
        out[name] = h.hexdigest()[:16]
    return out


def code_component(modules: Iterable[str]) -> tuple[str, dict[str, str]]:
    """The ``code`` component of a run key from the modules a run imported, and their hashes."""
    hashes = module_hashes(modules)
    return "modules:" + _digest(hashes), hashes


# --------------------------------------------------------------------------- tasks and outcomes


@dataclass
class RunTask:
    """One notebook run: what to execute, with which parameters, where to write."""

    stem: str
    ipynb: Path
    notebooks_dir: Path
    reports_dir: Path
    param_set: str
    label: str
    parameters: dict[str, Any]
    full_parameters: dict[str, Any]
    parameters_cell: int
    components: dict[str, str]
    kernel_name: str = KERNEL_NAME
    progress_bar: bool = False
    timeout: float | None = None
    description: str = ""
    set_descriptions: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    code_modules: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait for a concurrent run of the same notebook and label (``None``: no limit).
    lock_timeout: float | None = None
    #: Execute even when a concurrent run just produced this run's outputs.
    force: bool = False
    #: Keep the executed notebook ``<label>.ipynb`` (the default set, runs with the user's own
    #: parameters, or ``--keep-notebooks``); otherwise the run keeps its page, results and figures.
    keep_notebook: bool = True
    #: A kernel started for this run while the runner checked the data
    #: (:class:`~analysis.reporting.kernel.EarlyKernel`; serial runs only, never pickled).
    early_kernel: Any = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> str:
        """The run key: hash of every component."""
        return _digest(self.components)

    @property
    def out_dir(self) -> Path:
        """``reports/<stem>``."""
        return self.reports_dir / self.stem

    def paths(self) -> dict[str, Path]:
        """Final output paths: ipynb, html, dir (output_dir), results, run, failed."""
        d = self.out_dir
        return {
            "ipynb": d / f"{self.label}.ipynb",
            "html": d / f"{self.label}.html",
            "dir": d / self.label,
            "results": d / self.label / "results.json",
            "run": d / f"{self.label}.run.json",
            "failed": d / f"{self.label}.failed.ipynb",
        }


@dataclass
class RunOutcome:
    """Result of one run: ``status`` is ``ran``, ``cached`` or ``failed``."""

    stem: str
    label: str
    status: str
    reason: str = ""
    seconds: float = 0.0
    error: str = ""
    paths: dict[str, str] = field(default_factory=dict)
    #: Where an executed run's ``seconds`` went: ``kernel_start``, ``kernel_ready``, ``cells``
    #: (each code cell), ``shutdown`` (see :mod:`~analysis.reporting.engine`), ``execution``
    #: (papermill in all) and ``outputs`` (page, notebook, run record, swap into place).
    timings: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the run succeeded or was cached."""
        return self.status != "failed"


def run_reason(task: RunTask, previous: dict | None, force: bool) -> str | None:
    """Why the task must run (``None``: cached)."""
    if previous is None:
        return "new"
    if force:
        return "forced"
    if previous.get("key") != task.key:
        old = previous.get("components", {})
        changed = [k for k, v in task.components.items() if old.get(k) != v]
        if "code" in changed and isinstance(previous.get("code_modules"), dict):
            now = module_hashes(previous["code_modules"])
            mods = sorted(m for m, h in now.items() if previous["code_modules"].get(m) != h)
            if mods:
                shown = ", ".join(mods[:4]) + (f" and {len(mods) - 4} more" if len(mods) > 4 else "")
                changed[changed.index("code")] = f"code ({shown})"
        return ", ".join(f"{k} changed" for k in changed) or "key changed"
    if outputs_missing(task):
        return "outputs missing"
    return None


def certain_to_run(task: RunTask, previous: dict | None, force: bool) -> bool:
    """Whether the task runs whatever the data versions turn out to be (they are checked after
    the plan is validated): forced, never run, outputs missing, or a component other than the
    data changed (notebook, parameters, code, packages)."""
    if force or previous is None:
        return True
    old = previous.get("components") or {}
    if any(old.get(k) != v for k, v in task.components.items() if k != "data"):
        return True
    return outputs_missing(task)


def outputs_missing(task: RunTask) -> bool:
    """Whether an output of the task's last run is missing: its page, its output folder, or the
    executed notebook when the run keeps one."""
    p = task.paths()
    notebook_missing = task.keep_notebook and not p["ipynb"].is_file()
    return not (p["html"].is_file() and p["dir"].is_dir()) or notebook_missing


def read_json(path: Path) -> dict | None:
    """The JSON object in ``path``, or ``None`` when the file is missing or not valid JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


# --------------------------------------------------------------------------- planning and running


def plan_runs(
    notebooks: Sequence[Notebook],
    *,
    sets: Sequence[str] = (),
    all_sets: bool = False,
    overrides: Mapping[str, Any] | None = None,
    override_origin: Mapping[str, str] | None = None,
    name: str | None = None,
    explicit: bool = True,
    reports_dir: Path,
    data_versions: Mapping[str, Any],
    kernel_name: str = KERNEL_NAME,
    timeout: float | None = None,
    lock_timeout: float | None = None,
    keep_notebooks: bool = False,
) -> list[RunTask]:
    """Build (and validate) the runs: notebooks x parameter sets, with overrides applied.

    Parameters
    ----------
    notebooks
        Selected notebooks.
    sets
        Set names (default: ``["default"]``); ignored with ``all_sets``.
    all_sets
        Every set of each notebook except :data:`TEST_SET`.
    overrides
        Values applied on top of each set (``-f`` file, then ``-p``); validated per notebook.
    override_origin
        Where each override came from, for messages.
    name
        Label of the outputs when overrides are given (default ``<set>-custom``).
    explicit
        Whether the notebooks were named by the user: then a missing set is an error; otherwise
        notebooks without the set are skipped.
    reports_dir
        Root of the reports.
    data_versions
        Versions of the data (part of the run key).
    kernel_name, timeout
        Kernel to execute on; per-cell timeout in seconds (``None``: none).
    lock_timeout
        Seconds a run waits for a concurrent run of the same notebook and label (``None``: no
        limit; ``0``: fail at once with "already running (pid N)").
    keep_notebooks
        Keep the executed notebook of every run. Without it, only runs of the default set and runs
        with overrides keep theirs: the other parameter sets' pages, ``results.json`` and figures hold
        what they show, and an executed notebook (about 70 KB, mostly the notebook's source again)
        per robustness set would double the size of ``reports/``.

    Returns
    -------
    list of RunTask

    Raises
    ------
    ParameterError, RunnerError
        Before anything runs: unknown parameter, wrong type, unknown set.
    """
    from analysis.reporting.reporter import package_versions

    overrides = dict(overrides or {})
    packages = package_versions()
    tasks: list[RunTask] = []
    if name is not None:
        check_label(name)
    if name and (all_sets or len(sets) > 1):
        raise RunnerError("--name gives one output label: use it with a single --set")
    for nb in notebooks:
        chosen = [s for s in nb.sets if s != TEST_SET] if all_sets else list(sets or [DEFAULT_SET])
        missing = [s for s in chosen if s not in nb.sets]
        if missing:
            if explicit or len(notebooks) == 1:
                raise RunnerError(
                    f"notebook {nb.stem} has no parameter set {', '.join(map(repr, missing))}; "
                    f"sets in {nb.params_file.name}: {', '.join(nb.sets)}"
                )
            log.warning("skipping %s: no set %s", nb.stem, ", ".join(missing))
            chosen = [s for s in chosen if s in nb.sets]
        extra = validate_parameters(nb.stem, nb.params, overrides, override_origin) if overrides else {}
        for set_name in chosen:
            values = {**nb.sets[set_name], **extra}
            label = check_label((name or f"{set_name}-custom") if overrides else set_name)
            full = {**nb.defaults(), **values}
            out_dir = Path(reports_dir) / nb.stem
            previous = read_json(out_dir / f"{label}.run.json") or {}
            prev_modules = previous.get("code_modules")
            if isinstance(prev_modules, dict) and prev_modules:
                code_v, hashes = code_component(prev_modules)
            else:
                code_v, hashes = code_hash(), {}
            comps = run_components(nb, values, data_versions, code_v, packages)
            shown_sets = {k: v for k, v in nb.descriptions.items() if k != TEST_SET}
            tasks.append(
                RunTask(
                    nb.stem,
                    nb.ipynb,
                    nb.ipynb.parent,
                    Path(reports_dir),
                    set_name,
                    label,
                    values,
                    full,
                    nb.parameters_cell,
                    comps,
                    kernel_name,
                    timeout=timeout,
                    description=nb.descriptions.get(set_name, ""),
                    set_descriptions=shown_sets,
                    defaults=nb.defaults(),
                    code_modules=hashes,
                    lock_timeout=lock_timeout,
                    keep_notebook=keep_notebooks or set_name == DEFAULT_SET or bool(overrides),
                )
            )
    return tasks


def describe_notebooks(notebooks: Iterable[Notebook]) -> str:
    """Text listing of notebooks, their parameters (type, default) and parameter sets."""
    lines: list[str] = []
    for nb in notebooks:
        lines.append(f"{nb.stem}" + (f"  {nb.title}" if nb.title else ""))
        for n, p in nb.params.items():
            if n not in RESERVED:
                lines.append(f"    {p.describe()}")
        for set_name, values in nb.sets.items():
            shown = ", ".join(f"{k}={v!r}" for k, v in values.items()) or "(notebook defaults)"
            lines.append(f"  set {set_name}: {shown}")
    return "\n".join(lines)
