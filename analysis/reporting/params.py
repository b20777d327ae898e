"""Parameters of a notebook: declared types, defaults, and validation of the values passed."""

from __future__ import annotations

import ast
import difflib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analysis.errors import ParameterError

log = logging.getLogger(__name__)

#: Parameters set by the runner, not by users.
RESERVED = ("output_dir",)

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

