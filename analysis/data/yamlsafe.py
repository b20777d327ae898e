"""YAML read safely and strictly: PyYAML's ``SafeLoader`` plus a refusal of duplicate keys.

YAML's specification forbids a key twice in one mapping, but PyYAML keeps the last value
silently: ``n: 3`` then ``n: 5`` in a ``-f`` parameters file ran with 5 and no word. Every
YAML file the package reads (parameter sets, ``-f`` files, the Security Council rule table)
goes through :func:`load_yaml`.
"""

from __future__ import annotations

from typing import IO, Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode


class UniqueKeyLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that raises on a key given twice in one mapping."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:  # noqa: D102
        self.flatten_mapping(node)
        first: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                line = first.get(key)
            except TypeError:  # unhashable key: SafeLoader's own error follows
                continue
            if line is not None:
                raise ConstructorError(
                    None, None,
                    f"duplicate key {key!r} (first on line {line}, again on line "
                    f"{key_node.start_mark.line + 1}): give each key once",
                    key_node.start_mark,
                )
            first[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load_yaml(stream: str | bytes | IO[str]) -> Any:
    """Parse YAML like ``yaml.safe_load``, refusing duplicate keys (a ``yaml.YAMLError``)."""
    return yaml.load(stream, Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def yaml_error(exc: yaml.YAMLError) -> str:
    """One line saying where and what: ``line 3, column 1: duplicate key 'n' ...``."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    what = f"{context}: {problem}" if context else problem
    return f"line {mark.line + 1}, column {mark.column + 1}: {what}" if mark is not None else what
