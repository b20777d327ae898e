"""Run the parameterized notebooks into ``reports/`` (``peaceops run``).

Notebooks
    ``notebooks/NN_name.ipynb`` (found by the glob :data:`NOTEBOOK_GLOB`), each paired with
    ``notebooks/NN_name.py`` (jupytext py:percent), the reviewed source. Before anything runs,
    each pair is compared *by content* (cell types, sources and tags): when they differ and the
    ``.py`` is the newer file, the ``.ipynb`` is regenerated from it with jupytext's Python API
    (outputs kept where cells match); when the ``.ipynb`` is newer, the run stops with a message
    asking for ``jupytext --sync``, since silently executing unreviewed edits, or overwriting them,
    would both be wrong. A ``.py`` without ``.ipynb`` gets one. Comparing content (not only times)
    keeps a fresh ``git clone``, whose file times are arbitrary, from syncing anything.

Parameters
    The first code cell tagged ``parameters`` declares every parameter with a typed default
    (``n: int = 3``). Values come from parameter sets in ``notebooks/params/<stem>.yaml``
    (top-level keys = set names; ``default`` is always available and means the notebook's own
    defaults), then ``-f FILE.yaml`` (a flat mapping), then ``-p NAME VALUE`` (VALUE parsed as
    YAML; for a ``str`` parameter the text is taken as given). Everything is validated before any
    kernel starts: an unknown name, or a value whose type does not match the declared type
    (``int`` is accepted for ``float``; a ``None`` default without annotation accepts anything;
    ``Literal[...]`` restricts values), fails with the list of valid parameters, types and
    defaults. ``output_dir`` is reserved: the runner sets it.

Outputs (``reports/<stem>/``)
    ``<set>.ipynb`` (executed), ``<set>.html`` (rendered without code cells), ``<set>/results.json``
    and ``<set>/figures/*.png`` (written by the notebook's :class:`~analysis.reporting.Reporter`),
    ``<set>.run.json`` (run key and its components). A run executes in a staging folder
    (``reports/<stem>/.staging/<set>/``; ``output_dir`` points there); only when every cell succeeded
    are the outputs moved into place, each by an atomic rename, ``run.json`` last. In the saved
    notebook the injected ``output_dir`` is rewritten to the final folder, relative to
    ``notebooks/`` (so the committed notebook has no machine paths and can be re-executed from
    ``notebooks/``). A failing run leaves earlier reports untouched, keeps the executed notebook
    as ``<set>.failed.ipynb`` and names the failing cell (index, first lines, exception). Runs with
    ``-p``/``-f`` overrides are written under ``<set>-custom`` (or ``--name``), never over the set's
    own report.

Caching
    A run is skipped when its key is unchanged: hash of the notebook's cells (type, source, tags),
    the parameters passed, the versions of all data tables (:func:`analysis.data.data_versions`),
    the package code (``analysis/**/*.py``) and the versions of the key packages. ``force`` reruns.

Kernel
    Notebooks execute on the Jupyter kernel ``peaceops`` (:func:`ensure_kernel` registers it for the
    current interpreter: into the virtual environment's ``share/jupyter/kernels`` when running in a
    venv, otherwise for the user), working directory ``notebooks/``.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import functools
import hashlib
import json
import logging
import math
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.config import PACKAGE_DIR, project_root
from analysis.data.hashing import atomic_write_text
from analysis.errors import PeaceopsError

log = logging.getLogger(__name__)

#: Notebooks the runner knows about (a paired ``.py`` with the same pattern also counts).
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
#: Name of the Jupyter kernel the notebooks execute on.
KERNEL_NAME = "peaceops"
#: Parameters set by the runner, not by users.
RESERVED = ("output_dir",)
#: The small, fast parameter set used by the test suite; ``all_sets`` leaves it out.
TEST_SET = "test"
#: Set whose parameters are the notebook's own defaults.
DEFAULT_SET = "default"
#: Bump when the layout of outputs changes, so that every cached run is redone.
RUN_FORMAT = 1
#: Relative tolerance of ``peaceops run --check``.
CHECK_RTOL = 1e-6
#: Lines of the failing cell's source quoted in error messages.
SOURCE_LINES = 6


class RunnerError(PeaceopsError):
    """The runner cannot proceed (no notebooks, unknown set, notebook and source out of sync...)."""


class ParameterError(RunnerError):
    """Unknown parameter or value of the wrong type; lists the valid parameters."""


def notebooks_path() -> Path:
    """Default folder of the notebooks: ``<root>/notebooks``."""
    return project_root() / "notebooks"


def reports_path() -> Path:
    """Default folder of the reports: ``<root>/reports``."""
    return project_root() / "reports"


# --------------------------------------------------------------------------- parameter types


@dataclass(frozen=True)
class ParamType:
    """Declared type of a notebook parameter, from its annotation or its default value.

    ``kind`` is one of ``any, none, bool, int, float, str, list, dict, literal, union``;
    ``args`` holds element types (``list``) or alternatives (``union``); ``choices`` the values
    of a ``Literal``.
    """

    kind: str
    args: tuple[ParamType, ...] = ()
    choices: tuple[Any, ...] = ()

    def describe(self) -> str:
        """Readable type name, e.g. ``list[int]`` or ``str | None``."""
        if self.kind == "list" and self.args:
            return f"list[{self.args[0].describe()}]"
        if self.kind == "union":
            return " | ".join(a.describe() for a in self.args)
        if self.kind == "literal":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        return self.kind

    def coerce(self, value: Any) -> tuple[bool, Any]:
        """Check ``value`` against the type; returns ``(ok, value)`` (``int`` becomes ``float``)."""
        k = self.kind
        if k == "any":
            return True, value
        if k == "none":
            return value is None, value
        if k == "bool":
            return isinstance(value, bool), value
        if k == "int":
            return isinstance(value, int) and not isinstance(value, bool), value
        if k == "float":
            if isinstance(value, bool):
                return False, value
            if isinstance(value, int | float):
                return True, float(value)
            return False, value
        if k == "str":
            return isinstance(value, str), value
        if k == "dict":
            return isinstance(value, dict), value
        if k == "list":
            if not isinstance(value, list | tuple):
                return False, value
            if not self.args:
                return True, list(value)
            out = []
            for v in value:
                ok, cv = self.args[0].coerce(v)
                if not ok:
                    return False, value
                out.append(cv)
            return True, out
        if k == "literal":
            return any(type(value) is type(c) and value == c for c in self.choices), value
        if k == "union":
            for a in self.args:
                ok, cv = a.coerce(value)
                if ok:
                    return True, cv
            return False, value
        return True, value


ANY = ParamType("any")
_SIMPLE = {
    "int": "int",
    "float": "float",
    "str": "str",
    "bool": "bool",
    "list": "list",
    "tuple": "list",
    "dict": "dict",
    "List": "list",
    "Tuple": "list",
    "Dict": "dict",
    "Sequence": "list",
    "Mapping": "dict",
    "Any": "any",
    "object": "any",
}


def _type_from_annotation(node: ast.expr) -> ParamType:
    if isinstance(node, ast.Constant):
        if node.value is None:
            return ParamType("none")
        if isinstance(node.value, str):  # string annotation: parse it
            try:
                return _type_from_annotation(ast.parse(node.value, mode="eval").body)
            except SyntaxError:
                return ANY
        return ANY
    if isinstance(node, ast.Name | ast.Attribute):
        name = node.id if isinstance(node, ast.Name) else node.attr
        return ParamType(_SIMPLE[name]) if name in _SIMPLE else ANY
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union(_type_from_annotation(node.left), _type_from_annotation(node.right))
    if isinstance(node, ast.Subscript):
        base = node.value.id if isinstance(node.value, ast.Name) else getattr(node.value, "attr", "")
        elts = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if base == "Literal":
            try:
                return ParamType("literal", choices=tuple(ast.literal_eval(e) for e in elts))
            except ValueError:
                return ANY
        if base == "Optional":
            return _union(_type_from_annotation(elts[0]), ParamType("none"))
        if base == "Union":
            return _union(*[_type_from_annotation(e) for e in elts])
        kind = _SIMPLE.get(base)
        if kind == "list":
            homogeneous = base in ("list", "List", "Sequence") or (
                len(elts) == 2 and isinstance(elts[1], ast.Constant) and elts[1].value is Ellipsis
            )
            return ParamType("list", (_type_from_annotation(elts[0]),) if homogeneous else ())
        if kind == "dict":
            return ParamType("dict")
    return ANY


def _union(*types: ParamType) -> ParamType:
    flat: list[ParamType] = []
    for t in types:
        flat += list(t.args) if t.kind == "union" else [t]
    if any(t.kind == "any" for t in flat):
        return ANY
    return ParamType("union", tuple(flat))


def _type_from_value(value: Any) -> ParamType:
    if value is None:
        return ANY
    for py, kind in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str"), (dict, "dict")):
        if isinstance(value, py):
            return ParamType(kind)
    if isinstance(value, list | tuple):
        kinds = {_type_from_value(v) for v in value}
        if kinds == {ParamType("int"), ParamType("float")}:
            kinds = {ParamType("float")}
        return ParamType("list", tuple(kinds) if len(kinds) == 1 else ())
    return ANY


_NO_DEFAULT = object()


@dataclass(frozen=True)
class Param:
    """One parameter of a notebook's ``parameters`` cell."""

    name: str
    type: ParamType
    default: Any = _NO_DEFAULT
    default_src: str = ""
    annotation: str = ""

    def describe(self) -> str:
        """``name: type = default`` as shown in error messages and ``peaceops run --list``."""
        t = self.annotation or self.type.describe()
        return f"{self.name}: {t} = {self.default_src}" if self.default_src else f"{self.name}: {t}"

    @property
    def literal_default(self) -> bool:
        """Whether the default is a literal (and so known without running the notebook)."""
        return self.default is not _NO_DEFAULT


def parse_parameters_cell(source: str) -> dict[str, Param]:
    """Parameters declared by top-level assignments in a ``parameters`` cell.

    Parameters
    ----------
    source
        Source of the cell (IPython magics are ignored).

    Returns
    -------
    dict
        ``name -> Param``. The type comes from the annotation when there is one, else from the
        literal default (``None`` or a non-literal default without annotation: any type).
    """
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    out: dict[str, Param] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets, ann, value = [node.target.id], node.annotation, node.value
        elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            targets, ann, value = [t.id for t in node.targets if isinstance(t, ast.Name)], None, node.value
        else:
            continue
        default, default_src = _NO_DEFAULT, ""
        if value is not None:
            default_src = ast.unparse(value)
            try:
                default = ast.literal_eval(value)
            except (ValueError, SyntaxError, TypeError):
                default = _NO_DEFAULT
        if ann is not None:
            ptype = _type_from_annotation(ann)
        else:
            ptype = _type_from_value(default) if default is not _NO_DEFAULT else ANY
        for name in targets:
            out[name] = Param(name, ptype, default, default_src, ast.unparse(ann) if ann is not None else "")
    return out


_SCIENTIFIC = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+")


@dataclass(frozen=True)
class CliValue:
    """A ``-p NAME VALUE`` value: parsed as YAML, but the raw text is used for ``str`` parameters."""

    raw: str

    @property
    def parsed(self) -> Any:
        """The value parsed as YAML (the raw text if it is not valid YAML)."""
        import yaml

        try:
            value = yaml.safe_load(self.raw)
        except yaml.YAMLError:
            return self.raw
        if isinstance(value, str) and _SCIENTIFIC.fullmatch(self.raw.strip()):
            return float(self.raw)  # PyYAML reads 1e-3 (no dot) as a string
        return value


def validate_parameters(
    stem: str, params: Mapping[str, Param], values: Mapping[str, Any], origin: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Check names and types of ``values`` against the notebook's parameters.

    Parameters
    ----------
    stem
        Notebook stem (for messages).
    params
        The notebook's parameters (:func:`parse_parameters_cell`).
    values
        Values to pass (set values and overrides); :class:`CliValue` for ``-p`` values.
    origin
        Where each value came from (e.g. ``"notebooks/params/01_x.yaml, set 'africa'"``).

    Returns
    -------
    dict
        Validated values (``int`` given for a ``float`` parameter becomes ``float``).

    Raises
    ------
    ParameterError
        Listing every problem and the valid parameters with their types and defaults.
    """
    origin = origin or {}
    problems: list[str] = []
    out: dict[str, Any] = {}
    for name, value in values.items():
        where = f" (from {origin[name]})" if name in origin else ""
        if name in RESERVED:
            problems.append(f"parameter {name!r}{where} is set by the runner, not by you")
            continue
        p = params.get(name)
        if p is None:
            close = difflib.get_close_matches(name, [n for n in params if n not in RESERVED], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(f"unknown parameter {name!r}{where}{hint}")
            continue
        candidates = [value.parsed, value.raw] if isinstance(value, CliValue) else [value]
        for cand in candidates:
            ok, coerced = p.type.coerce(cand)
            if ok:
                out[name] = coerced
                break
        else:
            shown = candidates[0]
            hint = ""
            kinds = {a.kind for a in p.type.args} | {p.type.kind}
            if "list" in kinds:
                hint = " (give a list in YAML syntax, e.g. -p NAME '[1, 2]')"
            problems.append(
                f"parameter {name!r}{where} expects {p.type.describe()}, got "
                f"{type(shown).__name__} {shown!r}{hint}"
            )
    if problems:
        listing = "\n".join(f"  {p.describe()}" for n, p in params.items() if n not in RESERVED)
        raise ParameterError(
            f"notebook {stem}: "
            + "\n  ".join(["invalid parameters:", *problems])
            + f"\nvalid parameters of {stem} (name: type = default):\n"
            + (listing or "  (none)")
            + "\n(output_dir is set by the runner)"
        )
    return out


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


def load_sets(path: Path) -> dict[str, dict[str, Any]]:
    """Parameter sets of a notebook: ``{set name: {parameter: value}}``; ``default`` always exists.

    Raises
    ------
    RunnerError
        When the file is not a mapping of set names to mappings (names the file and set).
    """
    import yaml

    sets: dict[str, dict[str, Any]] = {}
    if path.is_file():
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise RunnerError(f"{path}: not valid YAML: {exc}") from exc
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise RunnerError(f"{path}: expected a mapping of set names to parameter mappings")
        for name, values in raw.items():
            if values is None:
                values = {}
            if not isinstance(values, dict):
                raise RunnerError(
                    f"{path}: set {name!r} must be a mapping of parameter: value, got {type(values).__name__}"
                )
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

    def defaults(self) -> dict[str, Any]:
        """Literal defaults of the notebook's parameters (``output_dir`` excluded)."""
        return {n: p.default for n, p in self.params.items() if p.literal_default and n not in RESERVED}


def read_notebook(ipynb: Path, py: Path | None = None, params_dir: Path | None = None) -> Notebook:
    """Read a notebook's parameters cell and its parameter sets (the YAML is validated).

    Raises
    ------
    RunnerError
        Without a cell tagged ``parameters``, or when it does not declare ``output_dir``.
    ParameterError
        When a set in ``notebooks/params/<stem>.yaml`` has an unknown name or a wrong type.
    """
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
    sets = load_sets(params_file)
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
    )


def notebook_stems(notebooks_dir: Path | None = None) -> list[str]:
    """Stems of every notebook ``NN_*.ipynb`` (or ``NN_*.py`` source) in ``notebooks_dir``, sorted."""
    nbdir = Path(notebooks_dir) if notebooks_dir else notebooks_path()
    stems = {p.stem for p in nbdir.glob(NOTEBOOK_GLOB)}
    stems |= {p.stem for p in nbdir.glob(NOTEBOOK_GLOB.replace(".ipynb", ".py"))}
    return sorted(stems)


def select(stems: Sequence[str], names: Sequence[str]) -> list[str]:
    """Stems named by stem, number prefix (``"02"``) or path; all when ``names`` is empty.

    Raises
    ------
    RunnerError
        For a name matching no notebook or several, listing the notebooks.
    """
    if not names:
        return list(stems)
    known = ", ".join(stems) or "(none)"
    out: list[str] = []
    for raw in names:
        name = Path(raw).stem if raw.endswith((".ipynb", ".py")) else raw
        hits = [s for s in stems if s == name] or [s for s in stems if s.startswith(name)]
        if len(hits) != 1:
            what = "matches no notebook" if not hits else f"is ambiguous ({', '.join(hits)})"
            raise RunnerError(f"notebook {raw!r} {what}; notebooks: {known}")
        if hits[0] not in out:
            out.append(hits[0])
    return out


def discover(
    notebooks_dir: Path | None = None, names: Sequence[str] = (), *, sync: bool = True
) -> list[Notebook]:
    """The notebooks of ``notebooks_dir`` named by ``names`` (all when empty), read and validated.

    With ``sync`` each selected pair is first brought in line (:func:`sync_notebook`). Only the
    selected notebooks are read, so one broken notebook does not block running the others.

    Raises
    ------
    RunnerError
        When there are no notebooks, a name matches none, or a notebook is invalid.
    """
    nbdir = Path(notebooks_dir) if notebooks_dir else notebooks_path()
    stems = notebook_stems(nbdir)
    if not stems:
        raise RunnerError(f"no notebooks matching {nbdir / NOTEBOOK_GLOB}")
    out = []
    for stem in select(stems, names):
        ipynb, py = nbdir / f"{stem}.ipynb", nbdir / f"{stem}.py"
        if sync:
            sync_notebook(ipynb, py if py.is_file() else None)
        elif not ipynb.is_file():
            raise RunnerError(f"{ipynb} does not exist (make it with `jupytext --to ipynb {py}`)")
        out.append(read_notebook(ipynb, py))
    return out


# --------------------------------------------------------------------------- kernel and keys


def _same_interpreter(argv0: str) -> bool:
    return os.path.normcase(os.path.abspath(argv0)) == os.path.normcase(os.path.abspath(sys.executable))


def ensure_kernel(name: str = KERNEL_NAME) -> Path:
    """Register the Jupyter kernel ``name`` for the current interpreter (once); return its folder.

    Inside a virtual environment the kernelspec goes to ``<venv>/share/jupyter/kernels/<name>``
    (no home folder needed; works offline, e.g. as root in CI); otherwise to the user's Jupyter
    data folder. An existing spec pointing at this interpreter is left alone. If a spec of the
    same name elsewhere on the Jupyter path shadows it, a user-level spec is written (searched
    first); if that still does not win, an error names the shadowing spec.
    """
    from ipykernel.kernelspec import install
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    def current() -> Any:
        try:
            return KernelSpecManager().get_kernel_spec(name)
        except NoSuchKernel:
            return None

    spec = current()
    if spec is not None and spec.argv and _same_interpreter(spec.argv[0]):
        return Path(spec.resource_dir)
    in_venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
    display = f"Python ({name})"
    if in_venv and os.access(sys.prefix, os.W_OK):
        install(kernel_name=name, display_name=display, prefix=sys.prefix)
    else:
        install(kernel_name=name, display_name=display, user=True)
    spec = current()
    if spec is None or not _same_interpreter(spec.argv[0]):
        install(kernel_name=name, display_name=display, user=True)
        spec = current()
    if spec is None or not _same_interpreter(spec.argv[0]):
        where = spec.resource_dir if spec is not None else "?"
        raise RunnerError(
            f"Jupyter kernel {name!r} at {where} runs {spec.argv[0] if spec else '?'}, "
            f"not {sys.executable}; remove it (`jupyter kernelspec remove {name}`)"
        )
    log.info("registered Jupyter kernel %r at %s", name, spec.resource_dir)
    return Path(spec.resource_dir)


def package_code_version() -> str:
    """Hash of every ``analysis/**/*.py`` file (path and bytes)."""
    h = hashlib.sha256()
    for f in sorted(PACKAGE_DIR.rglob("*.py")):
        if "__pycache__" in f.parts:
            continue
        h.update(str(f.relative_to(PACKAGE_DIR)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


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

    @property
    def ok(self) -> bool:
        """Whether the run succeeded or was cached."""
        return self.status != "failed"


def _reason(task: RunTask, previous: dict | None, force: bool) -> str | None:
    """Why the task must run (``None``: cached)."""
    p = task.paths()
    if previous is None:
        return "new"
    if force:
        return "forced"
    if previous.get("key") != task.key:
        old = previous.get("components", {})
        changed = [k for k, v in task.components.items() if old.get(k) != v]
        return ", ".join(f"{k} changed" for k in changed) or "key changed"
    if not (p["ipynb"].is_file() and p["html"].is_file() and p["dir"].is_dir()):
        return "outputs missing"
    return None


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


# --------------------------------------------------------------------------- execution


def render_html(nb: Any, title: str) -> str:
    """HTML of an executed notebook without code cells (inputs and prompts excluded)."""
    from nbconvert import HTMLExporter

    quiet = logging.getLogger("analysis.runner.nbconvert")
    quiet.setLevel(logging.ERROR)  # not the accessibility warning about figures without alt text
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, log=quiet
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


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


@functools.cache
def _kernel_manager_class() -> type:
    """jupyter_client's ``AsyncKernelManager`` minus the SIGINT it sends a kernel it shuts down.

    ``shutdown_kernel`` interrupts the kernel (SIGINT to its process group) before sending the
    shutdown request. A run's kernel is idle by then, except that papermill ends with a
    ``kernel_info`` request and shuts down as soon as the reply arrives: the SIGINT can land while
    the kernel is still returning from that handler (ipykernel turns SIGINT on around each
    handler), which then logs "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel." on the
    console, more often on a loaded machine (``--jobs``). Without that interrupt a kernel still
    busy at shutdown (cell timeout, Ctrl-C) gets the shutdown request and, should it not exit,
    SIGTERM after half of ``shutdown_wait_time`` and SIGKILL at its end. Explicit interrupts
    (``interrupt_kernel``) are unchanged.
    """
    from jupyter_client.manager import AsyncKernelManager

    class QuietShutdownKernelManager(AsyncKernelManager):
        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:  # set by shutdown_kernel (and restart_kernel) only
                return
            await super()._async_interrupt_kernel()

    return QuietShutdownKernelManager


def execute_task(task: RunTask) -> RunOutcome:
    """Execute one run in a staging folder and move its outputs into place on success.

    Never raises for a failing notebook: the outcome carries the message (failing cell index,
    first lines of its source, exception). Earlier reports are left intact on failure.
    """
    import nbformat
    import papermill as pm

    from analysis.reporting import RUN_ENV

    t0 = time.perf_counter()
    # parameters were validated already: papermill's own (regex) parameter parser only adds noise
    logging.getLogger("papermill").setLevel(logging.ERROR)
    paths = task.paths()
    task.out_dir.mkdir(parents=True, exist_ok=True)
    stage_root = task.out_dir / ".staging" / task.label
    shutil.rmtree(stage_root, ignore_errors=True)  # left by a killed run of this label
    stage_root.mkdir(parents=True)
    stage = Path(tempfile.mkdtemp(dir=stage_root))
    stage_out = stage / task.label
    stage_out.mkdir()
    stage_nb = stage / "executed.ipynb"
    params = {**task.parameters, "output_dir": str(stage_out)}
    ctx = {
        "output_dir": str(stage_out),
        "notebook": task.stem,
        "param_set": task.label,
        "parameters": task.full_parameters,
    }
    old_env = os.environ.get(RUN_ENV)
    os.environ[RUN_ENV] = json.dumps(ctx, default=str)
    try:
        try:
            pm.execute_notebook(
                str(task.ipynb),
                str(stage_nb),
                parameters=params,
                kernel_name=task.kernel_name,
                cwd=str(task.notebooks_dir),
                progress_bar=task.progress_bar,
                log_output=False,
                execution_timeout=task.timeout,
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
                kernel_manager_class=_kernel_manager_class(),
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
            )
        finally:
            if old_env is None:
                os.environ.pop(RUN_ENV, None)
            else:
                os.environ[RUN_ENV] = old_env
        nb = nbformat.read(stage_nb, as_version=4)
        rel = lambda p: os.path.relpath(p, task.notebooks_dir)  # noqa: E731
        nb = _rewrite_paths(
            nb,
            [
                (str(stage_out), rel(paths["dir"])),
                (str(stage_nb), rel(paths["ipynb"])),
                (str(task.ipynb), task.ipynb.name),
            ],
        )
        html = render_html(nb, f"{task.stem} ({task.label})")
        nbformat.write(nb, stage_nb)
        (stage / "report.html").write_text(html, encoding="utf-8")
        # move into place: the output folder, then the notebook and HTML, run.json last
        if paths["dir"].exists():
            os.replace(paths["dir"], stage / "previous")
        os.replace(stage_out, paths["dir"])
        os.replace(stage_nb, paths["ipynb"])
        os.replace(stage / "report.html", paths["html"])
        seconds = time.perf_counter() - t0
        record = {
            "notebook": task.stem,
            "param_set": task.param_set,
            "label": task.label,
            "parameters": task.parameters,
            "key": task.key,
            "components": task.components,
            "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "seconds": round(seconds, 2),
            "kernel": task.kernel_name,
        }
        atomic_write_text(paths["run"], json.dumps(record, indent=2, default=str) + "\n")
        paths["failed"].unlink(missing_ok=True)
        return RunOutcome(
            task.stem,
            task.label,
            "ran",
            seconds=seconds,
            paths={k: str(v) for k, v in paths.items() if k != "failed"},
        )
    finally:
        shutil.rmtree(stage_root, ignore_errors=True)
        with contextlib.suppress(OSError):
            stage_root.parent.rmdir()  # only when no other label is staging


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

    Returns
    -------
    list of RunTask

    Raises
    ------
    ParameterError, RunnerError
        Before anything runs: unknown parameter, wrong type, unknown set.
    """
    from analysis.reporting import package_versions

    overrides = dict(overrides or {})
    code = package_code_version()
    packages = package_versions()
    tasks: list[RunTask] = []
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
            label = (name or f"{set_name}-custom") if overrides else set_name
            full = {**nb.defaults(), **values}
            comps = run_components(nb, values, data_versions, code, packages)
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
                )
            )
    return tasks


@dataclass
class RunSummary:
    """Outcomes of :func:`run_notebooks` and the index written."""

    outcomes: list[RunOutcome]
    index: Path | None = None

    @property
    def failed(self) -> list[RunOutcome]:
        """Failed runs."""
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        """Number of runs with ``status``."""
        return sum(o.status == status for o in self.outcomes)


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
        reason = _reason(t, _read_json(t.paths()["run"]), force)
        if reason is None:
            outcomes[i] = RunOutcome(
                t.stem,
                t.label,
                "cached",
                "unchanged",
                paths={k: str(v) for k, v in t.paths().items() if k != "failed"},
            )
        else:
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
        out.reason = reason
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

            with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn")) as pool:
                futs = {pool.submit(execute, t): (i, t, reason) for i, t, reason in todo}
                for fut in as_completed(futs):
                    i, t, reason = futs[fut]
                    try:
                        out = fut.result()
                    except Exception as exc:  # a crashed worker: report, keep the others
                        out = RunOutcome(
                            t.stem, t.label, "failed", error=f"failed: {type(exc).__name__}: {exc}"
                        )
                    done(i, t, reason, out)
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
        Folders (default ``<root>/notebooks`` and ``<root>/reports``).
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

    Returns
    -------
    RunSummary
    """
    nbdir = Path(notebooks_dir) if notebooks_dir else notebooks_path()
    rdir = Path(reports_dir) if reports_dir else reports_path()
    chosen = discover(nbdir, names)
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
    )
    plan_runs(chosen, data_versions={}, **plan)  # validate everything before building data
    versions = _prepare_data(build_data, data_versions, progress)
    tasks = plan_runs(chosen, data_versions=versions, **plan)
    if kernel_name == KERNEL_NAME and executor is None:
        ensure_kernel(kernel_name)
    outcomes = execute_tasks(tasks, force=force, jobs=jobs, progress=progress, executor=executor)
    index_path = None
    if index:
        from analysis.report_index import write_index

        index_path = write_index(rdir)
    return RunSummary(outcomes, index_path)


# --------------------------------------------------------------------------- check


def compare_results(
    expected: Mapping[str, Any], actual: Mapping[str, Any], *, rtol: float = CHECK_RTOL, atol: float = 1e-12
) -> list[str]:
    """Differences between the ``results`` of two ``results.json`` (labels are not compared).

    Numbers must agree within ``rtol`` (relative) or ``atol`` (absolute, for values near 0);
    ``None`` equals ``None``; strings and booleans must be equal; keys must match.

    Returns
    -------
    list of str
        One line per difference, e.g. ``irr_robust.estimate: 0.512 != 0.498 (rel. diff 2.8e-02)``.
    """
    diffs: list[str] = []

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b)):
                if k == "label":
                    continue
                p = f"{path}.{k}" if path else str(k)
                if k not in b:
                    diffs.append(f"{p}: missing in the new run (committed {a[k]!r})")
                elif k not in a:
                    diffs.append(f"{p}: not in the committed results (new {b[k]!r})")
                else:
                    walk(a[k], b[k], p)
        elif isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                diffs.append(f"{path}: {len(a)} items committed, {len(b)} now")
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{path}[{i}]")
        elif (
            isinstance(a, int | float)
            and not isinstance(a, bool)
            and isinstance(b, int | float)
            and not isinstance(b, bool)
        ):
            if not math.isclose(a, b, rel_tol=rtol, abs_tol=atol):
                rel = abs(a - b) / max(abs(a), abs(b))
                diffs.append(f"{path}: committed {a!r}, now {b!r} (relative difference {rel:.1e})")
        elif a != b or type(a) is not type(b):
            diffs.append(f"{path}: committed {a!r}, now {b!r}")

    walk(dict(expected.get("results", {})), dict(actual.get("results", {})), "")
    return diffs


@dataclass
class CheckReport:
    """Outcome of :func:`check_reports`: per run, the differences found (empty: agrees)."""

    outcomes: list[RunOutcome]
    differences: dict[str, list[str]]

    @property
    def ok(self) -> bool:
        """Whether every run succeeded and agrees with the committed results."""
        return all(o.ok for o in self.outcomes) and not any(self.differences.values())


def check_reports(
    names: Sequence[str] = (),
    *,
    sets: Sequence[str] = (DEFAULT_SET,),
    jobs: int = 1,
    notebooks_dir: Path | None = None,
    reports_dir: Path | None = None,
    build_data: bool = True,
    data_versions: Mapping[str, Any] | None = None,
    rtol: float = CHECK_RTOL,
    progress: bool = True,
    kernel_name: str = KERNEL_NAME,
    executor: Callable[[RunTask], RunOutcome] | None = None,
) -> CheckReport:
    """Re-execute runs into a temporary folder and compare with the committed ``results.json``.

    Returns
    -------
    CheckReport
        ``differences`` maps ``<stem>/<set>`` to the lines of :func:`compare_results` (or to the
        reason the comparison was impossible: no committed results, failed run).
    """
    rdir = Path(reports_dir) if reports_dir else reports_path()
    with tempfile.TemporaryDirectory(prefix="peaceops-check-") as tmp:
        summary = run_notebooks(
            names,
            sets=sets,
            jobs=jobs,
            force=True,
            notebooks_dir=notebooks_dir,
            reports_dir=Path(tmp),
            build_data=build_data,
            data_versions=data_versions,
            progress=progress,
            kernel_name=kernel_name,
            index=False,
            executor=executor,
        )
        diffs: dict[str, list[str]] = {}
        for o in summary.outcomes:
            key = f"{o.stem}/{o.label}"
            committed = _read_json(rdir / o.stem / o.label / "results.json")
            fresh = _read_json(Path(tmp) / o.stem / o.label / "results.json")
            if not o.ok:
                diffs[key] = [o.error]
            elif committed is None and fresh is None:
                diffs[key] = []  # the notebook records no results: nothing to compare
            elif committed is None:
                diffs[key] = [f"no committed results at {rdir / o.stem / o.label / 'results.json'}"]
            elif fresh is None:
                diffs[key] = ["the new run wrote no results.json"]
            else:
                diffs[key] = compare_results(committed, fresh, rtol=rtol)
    return CheckReport(summary.outcomes, diffs)


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
