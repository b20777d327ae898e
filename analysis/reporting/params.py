"""Parameters of a notebook: declared types, defaults, and validation of the values passed.

The types are read from the ``parameters`` cell's annotations (``n: int = 3``, ``region:
Literal["all", "africa"] = "all"``, ``years: list[int] = [...]``) or, without annotation, from the
literal default; values are validated with pydantic's ``TypeAdapter`` in strict mode before any
kernel starts.
"""

from __future__ import annotations

import ast
import difflib
import functools
import logging
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import ConfigDict, TypeAdapter, ValidationError, WrapValidator
from pydantic_core import PydanticCustomError

from analysis.errors import ParameterError

log = logging.getLogger(__name__)

#: Parameters set by the runner, not by users.
RESERVED = ("output_dir",)

# --------------------------------------------------------------------------- parameter types

_NONE = type(None)
#: Annotation names understood in a parameters cell (``tuple`` / ``Sequence`` are lists: YAML has no tuples).
_NAMES: dict[str, Any] = {
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "list": list,
    "tuple": list,
    "dict": dict,
    "List": list,
    "Tuple": list,
    "Dict": dict,
    "Sequence": list,
    "Mapping": dict,
    "Any": Any,
    "object": Any,
}
_STRICT = ConfigDict(strict=True)


def _exact_literal(choices: tuple[Any, ...]) -> WrapValidator:
    """pydantic matches ``Literal[1]`` by equality (``True`` would pass for ``1``): require the same type."""

    def check(value: Any, handler: Any) -> Any:
        if not any(type(value) is type(c) and value == c for c in choices):
            raise PydanticCustomError("literal_exact", "not one of the choices")
        return handler(value)

    return WrapValidator(check)


def _literal(choices: tuple[Any, ...]) -> Any:
    return Annotated[Literal[choices], _exact_literal(choices)]  # type: ignore[valid-type]


@dataclass(frozen=True)
class ParamType:
    """Declared type of a notebook parameter (from its annotation or its default value).

    ``annotation`` is a Python type (``int``, ``list[int]``, ``str | None``, a ``Literal``,
    ``Any``); values are validated against it by a pydantic ``TypeAdapter`` in strict mode (an
    ``int`` is accepted, and converted, for a ``float``; ``True`` is not an ``int``; a
    ``Literal`` value must have the type of the choice it equals).
    """

    annotation: Any = Any

    @property
    def kind(self) -> str:
        """``any, none, bool, int, float, str, list, dict, literal`` or ``union``."""
        t = self.annotation
        origin = get_origin(t)
        if t is Any:
            return "any"
        if t is _NONE:
            return "none"
        if origin is Annotated:
            return "literal"
        if origin in (Union, UnionType):
            return "union"
        if t is list or origin is list:
            return "list"
        return getattr(t, "__name__", "any")

    @property
    def args(self) -> tuple[ParamType, ...]:
        """Element type (``list``) or alternatives (``union``)."""
        if self.kind in ("list", "union"):
            return tuple(ParamType(a) for a in get_args(self.annotation))
        return ()

    @property
    def choices(self) -> tuple[Any, ...]:
        """Values of a ``Literal``."""
        return get_args(get_args(self.annotation)[0]) if self.kind == "literal" else ()

    def describe(self) -> str:
        """Readable type name, e.g. ``list[int]``, ``str | none`` or ``one of 'all', 'africa'``."""
        k = self.kind
        if k == "list" and self.args:
            return f"list[{self.args[0].describe()}]"
        if k == "union":
            return " | ".join(a.describe() for a in self.args)
        if k == "literal":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        return k

    def coerce(self, value: Any) -> tuple[bool, Any]:
        """Validate ``value``; returns ``(ok, value)`` (an ``int`` for a ``float`` becomes ``float``)."""
        try:
            return True, _adapter(self.annotation).validate_python(value)
        except ValidationError:
            return False, value


@functools.lru_cache(maxsize=256)
def _adapter(annotation: Any) -> TypeAdapter:
    return TypeAdapter(annotation, config=None if annotation is Any else _STRICT)


ANY = ParamType(Any)


def _type_from_annotation(node: ast.expr) -> Any:
    """The Python type written in an annotation (parsed, never evaluated); ``Any`` when unknown."""
    if isinstance(node, ast.Constant):
        if node.value is None:
            return _NONE
        if isinstance(node.value, str):  # string annotation: parse it
            try:
                return _type_from_annotation(ast.parse(node.value, mode="eval").body)
            except SyntaxError:
                return Any
        return Any
    if isinstance(node, ast.Name | ast.Attribute):
        return _NAMES.get(node.id if isinstance(node, ast.Name) else node.attr, Any)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union(_type_from_annotation(node.left), _type_from_annotation(node.right))
    if isinstance(node, ast.Subscript):
        base = node.value.id if isinstance(node.value, ast.Name) else getattr(node.value, "attr", "")
        elts = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if base == "Literal":
            try:
                return _literal(tuple(ast.literal_eval(e) for e in elts))
            except ValueError:
                return Any
        if base == "Optional":
            return _union(_type_from_annotation(elts[0]), _NONE)
        if base == "Union":
            return _union(*[_type_from_annotation(e) for e in elts])
        kind = _NAMES.get(base)
        if kind is list:
            homogeneous = base in ("list", "List", "Sequence") or (
                len(elts) == 2 and isinstance(elts[1], ast.Constant) and elts[1].value is Ellipsis
            )
            return list[_type_from_annotation(elts[0])] if homogeneous else list  # type: ignore[misc]
        if kind is dict:
            return dict
    return Any


def _union(*types: Any) -> Any:
    if any(t is Any for t in types):
        return Any
    return functools.reduce(operator.or_, types)


def _type_from_value(value: Any) -> Any:
    if value is None:
        return Any
    for py in (bool, int, float, str, dict):
        if isinstance(value, py):
            return py
    if isinstance(value, list | tuple):
        kinds = {_type_from_value(v) for v in value}
        if kinds == {int, float}:
            kinds = {float}
        return list[kinds.pop()] if len(kinds) == 1 else list  # type: ignore[misc]
    return Any


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
            ptype = ParamType(_type_from_annotation(ann))
        else:
            ptype = ParamType(_type_from_value(default)) if default is not _NO_DEFAULT else ANY
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

