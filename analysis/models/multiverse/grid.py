"""Grids as data: a question's choice space as a YAML file of named dimensions and exclusion rules.

File format (``analysis/studies/grids/*.yaml`` are the project's)::

    question: casualties             # name
    description: ...                 # one paragraph
    defaults:                        # Spec fields every specification shares
      cluster: mission_id_un
    dimensions:                      # name -> value label -> Spec fields it sets
      treatment:
        is_robust_mandate: {treatment: is_robust_mandate}
        robust_mandate_index: {treatment: robust_mandate_index}
      fe:
        year: {fe: [year]}
        mission+year: {fe: [mission_id_un, year]}
    exclude:                         # rules, each with a reason
      - when: {coding: [prev], filled: ["yes"]}          # these combinations are left out
        why: ...
      - when: {sample: [africa]}                         # these combinations must also
        require: {unit: [month]}                         # satisfy require, else left out
        why: ...
    headline: {treatment: is_robust_mandate, fe: year}   # the headline's value of each dimension
    sets:                                                # named subsets (e.g. a small test set)
      test: {treatment: [is_robust_mandate], fe: [year, mission+year]}

The grid is the cross product of the dimensions' values minus the excluded combinations. A
dimension value sets Spec fields (:data:`~analysis.models.multiverse.spec.SPEC_FIELDS`); two
dimensions may not set the same field. Every mistake is a :class:`GridError` naming the file
and line and listing the valid names: an unknown top-level key, Spec field, dimension or
value (in a rule, the headline, a set or a ``restrict``), a value whose fields make an invalid
Spec.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.errors import PeaceopsError
from analysis.models.multiverse.spec import SPEC_FIELDS, Spec

__all__ = ["Grid", "GridError", "Rule", "load_grid"]

TOP_KEYS = ("question", "description", "defaults", "dimensions", "exclude", "headline", "sets")
RULE_KEYS = ("when", "require", "why")


class GridError(PeaceopsError):
    """A grid file (or a restriction of it) names something that does not exist; names file and line."""

    def __init__(self, where: str, line: int | None, message: str) -> None:
        self.where, self.line = where, line
        super().__init__(f"{where}{f', line {line}' if line else ''}: {message}")


def _plain(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for k, v in node.value:
            key = _scalar(k)
            out[key] = _plain(v, path + (key,), lines)
            lines[path + (key,)] = k.start_mark.line + 1  # the line of the key, not of its value
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, path + (i,), lines) for i, v in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


@dataclass(frozen=True)
class Rule:
    """An exclusion rule: combinations matching ``when`` are left out, or, with ``require``, those
    matching ``when`` but not ``require``."""

    when: dict[str, frozenset[str]]
    require: dict[str, frozenset[str]]
    why: str
    line: int | None = None

    def excludes(self, combo: Mapping[str, str]) -> bool:
        """Whether the combination (dimension -> value) is left out by this rule."""
        if not all(combo[d] in vals for d, vals in self.when.items()):
            return False
        if not self.require:
            return True
        return not all(combo[d] in vals for d, vals in self.require.items())


@dataclass
class Grid:
    """A question's choice space: dimensions, values, exclusion rules, headline and named sets."""

    question: str
    dimensions: dict[str, dict[str, dict[str, Any]]]
    defaults: dict[str, Any] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    headline: dict[str, str] = field(default_factory=dict)
    sets: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    description: str = ""
    source: str = "grid"
    lines: dict[tuple, int] = field(default_factory=dict, repr=False)

    # -- validation helpers ----------------------------------------------------------------

    def _line(self, *path: Any) -> int | None:
        return self.lines.get(tuple(path))

    def check_choice(self, dim: str, value: Any, where: tuple = (), what: str = "") -> str:
        """``value`` as a valid value label of ``dim``, or :class:`GridError` listing the valid ones."""
        if dim not in self.dimensions:
            raise GridError(self.source, self._line(*where), f"{what}unknown dimension {dim!r}; valid "
                            f"dimensions: {', '.join(self.dimensions)}")
        v = _label(value)
        if v not in self.dimensions[dim]:
            raise GridError(self.source, self._line(*where), f"{what}unknown value {v!r} of dimension "
                            f"{dim!r}; valid values: {', '.join(self.dimensions[dim])}")
        return v

    def restriction(self, restrict: Mapping[str, Sequence[Any]] | str | None, where: str = "restrict"
                    ) -> dict[str, list[str]]:
        """A named set or a mapping ``dimension -> [values]``, checked (unknown names list the valid ones)."""
        if restrict is None:
            return {}
        if isinstance(restrict, str):
            if restrict not in self.sets:
                raise GridError(self.source, self._line("sets"), f"unknown set {restrict!r}; valid sets: "
                                f"{', '.join(self.sets) or '(none)'}")
            return self.sets[restrict]
        out: dict[str, list[str]] = {}
        for dim, vals in dict(restrict).items():
            vals = [vals] if isinstance(vals, str) or not isinstance(vals, Sequence) else list(vals)
            out[dim] = [self.check_choice(dim, v, what=f"{where}: ") for v in vals]
        return out

    # -- expansion ---------------------------------------------------------------------------

    def combinations(self, restrict: Mapping[str, Sequence[Any]] | str | None = None) -> list[dict[str, str]]:
        """Every combination (dimension -> value) not excluded, in the declared order."""
        r = self.restriction(restrict)
        names = list(self.dimensions)
        values = [r.get(d, list(self.dimensions[d])) for d in names]
        out = []
        for combo in itertools.product(*values):
            c = dict(zip(names, combo))
            if not any(rule.excludes(c) for rule in self.rules):
                out.append(c)
        return out

    def spec_of(self, combo: Mapping[str, str]) -> Spec:
        """The :class:`Spec` of one combination (dimension -> value)."""
        fields = dict(self.defaults)
        for d in self.dimensions:
            v = self.check_choice(d, combo.get(d), what="combination: ")
            fields.update(self.dimensions[d][v])
        fields["choices"] = tuple((d, combo[d]) for d in self.dimensions)
        try:
            return Spec.from_dict(_spec_fields(fields))
        except (TypeError, ValueError) as e:
            raise GridError(self.source, None,
                            f"combination {dict(combo)} gives an invalid Spec: {e}") from None

    def specs(self, restrict: Mapping[str, Sequence[Any]] | str | None = None) -> list[Spec]:
        """The specifications of the grid (or of a named set / a restriction)."""
        return [self.spec_of(c) for c in self.combinations(restrict)]

    def size(self, restrict: Mapping[str, Sequence[Any]] | str | None = None) -> int:
        """Number of specifications."""
        return len(self.combinations(restrict))

    def headline_spec(self) -> Spec:
        """The headline specification."""
        return self.spec_of(self.headline)

    def excluded_by_rule(self) -> list[tuple[Rule, int]]:
        """How many combinations of the full cross product each rule leaves out (first matching rule)."""
        names = list(self.dimensions)
        counts = [0] * len(self.rules)
        for combo in itertools.product(*(list(self.dimensions[d]) for d in names)):
            c = dict(zip(names, combo))
            for i, rule in enumerate(self.rules):
                if rule.excludes(c):
                    counts[i] += 1
                    break
        return list(zip(self.rules, counts))


def _label(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _spec_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    for k in ("controls", "fe"):
        if k in out and out[k] is not None:
            out[k] = tuple(out[k])
    if "filters" in out and out["filters"] is not None:
        out["filters"] = tuple(tuple(f) if isinstance(f, list) else f for f in out["filters"])
    return out


def load_grid(path: str | Path) -> Grid:
    """Read and check a grid file (see the module docstring); :class:`GridError` names file and line."""
    p = Path(path)
    src = str(p)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise GridError(src, None, f"cannot read the grid file: {e}") from None
    return parse_grid(text, source=src)


def parse_grid(text: str, *, source: str = "grid") -> Grid:
    """A :class:`Grid` from YAML text (``source`` names it in errors)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise GridError(source, mark.line + 1 if mark else None, f"not valid YAML: {e}") from None
    lines: dict[tuple, int] = {}
    raw = _plain(node, (), lines) if node is not None else None
    if not isinstance(raw, dict):
        raise GridError(source, 1,
                        "a grid file is a mapping with 'dimensions' (and 'defaults', 'exclude', ...)")

    def err(path: tuple, msg: str) -> GridError:
        return GridError(source, lines.get(path), msg)

    for k in raw:
        if k not in TOP_KEYS:
            raise err((k,), f"unknown key {k!r}; valid keys: {', '.join(TOP_KEYS)}")
    dims_raw = raw.get("dimensions")
    if not isinstance(dims_raw, dict) or not dims_raw:
        raise err(("dimensions",), "'dimensions' must map each dimension to its values")
    fields_by_dim: dict[str, set[str]] = {}
    dims: dict[str, dict[str, dict[str, Any]]] = {}
    for d, values in dims_raw.items():
        if not isinstance(values, dict) or not values:
            raise err(("dimensions", d),
                      f"dimension {d!r} must map each value label to the Spec fields it sets")
        dims[str(d)] = {}
        for v, fields in values.items():
            if fields is None:
                fields = {}
            if not isinstance(fields, dict):
                raise err(("dimensions", d, v), f"value {v!r} of {d!r} must be a mapping of Spec fields")
            for f in fields:
                if f not in SPEC_FIELDS or f == "choices":
                    raise err(("dimensions", d, v, f), f"unknown Spec field {f!r} in {d}={v}; valid fields: "
                              f"{', '.join(x for x in SPEC_FIELDS if x != 'choices')}")
            dims[str(d)][_label(v)] = dict(fields)
            fields_by_dim.setdefault(str(d), set()).update(fields)
    for (d1, f1), (d2, f2) in itertools.combinations(fields_by_dim.items(), 2):
        both = sorted(f1 & f2)
        if both:
            v2 = next(v for v, fs in dims[d2].items() if set(fs) & f1)
            raise err(("dimensions", d2, v2), f"dimensions {d1!r} and {d2!r} both set {both}: each Spec "
                      "field belongs to one dimension")
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise err(("defaults",), "'defaults' must be a mapping of Spec fields")
    for f in defaults:
        if f not in SPEC_FIELDS or f == "choices":
            raise err(("defaults", f), f"unknown Spec field {f!r}; valid fields: "
                      f"{', '.join(x for x in SPEC_FIELDS if x != 'choices')}")
    grid = Grid(question=str(raw.get("question", Path(source).stem)), dimensions=dims,
                defaults=dict(defaults), description=str(raw.get("description", "")).strip(), source=source,
                lines=lines)

    def choice_map(obj: Any, path: tuple, what: str, multi: bool) -> dict:
        if not isinstance(obj, dict):
            raise err(path, f"{what} must map dimensions to {'lists of values' if multi else 'values'}")
        out: dict[str, Any] = {}
        for d, vals in obj.items():
            if multi:
                vals = vals if isinstance(vals, list) else [vals]
                out[d] = [grid.check_choice(d, v, path + (d,), f"{what}: ") for v in vals]
            else:
                out[d] = grid.check_choice(d, vals, path + (d,), f"{what}: ")
        return out

    for i, r in enumerate(raw.get("exclude") or []):
        path = ("exclude", i)
        if not isinstance(r, dict):
            raise err(path, "a rule is a mapping with 'when' (and 'require'), and 'why'")
        for k in r:
            if k not in RULE_KEYS:
                raise err(path + (k,), f"unknown rule key {k!r}; valid keys: {', '.join(RULE_KEYS)}")
        if not r.get("why"):
            raise err(path, "every rule says why ('why: ...')")
        when = choice_map(r.get("when"), path + ("when",), "rule 'when'", True)
        req = choice_map(r.get("require") or {}, path + ("require",), "rule 'require'", True)
        grid.rules.append(Rule({d: frozenset(v) for d, v in when.items()},
                               {d: frozenset(v) for d, v in req.items()}, str(r["why"]), lines.get(path)))
    if "headline" in raw:
        grid.headline = choice_map(raw["headline"], ("headline",), "headline", False)
        missing = [d for d in dims if d not in grid.headline]
        if missing:
            raise err(("headline",), f"headline gives no value for {missing}; every dimension needs one")
    for name, sel in (raw.get("sets") or {}).items():
        grid.sets[str(name)] = choice_map(sel, ("sets", name), f"set {name!r}", True)
    for combo_src, what in [(grid.headline, "headline")] if grid.headline else []:
        if any(rule.excludes(combo_src) for rule in grid.rules):
            raise err(("headline",), f"the {what} is excluded by a rule")
        grid.spec_of(combo_src)
    return grid
