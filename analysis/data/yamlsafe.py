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


class _UniqueKeys:
    """Constructor part of the loaders below: a key given twice in one mapping is an error."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:  # noqa: D102
        self.flatten_mapping(node)  # type: ignore[attr-defined]
        first: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[attr-defined]
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
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class UniqueKeyLoader(_UniqueKeys, yaml.SafeLoader):
    """``yaml.SafeLoader`` that raises on a key given twice in one mapping."""


#: The same with libyaml's parser (PyYAML's C extension; the label dictionary in 4 ms instead of
#: 60 ms), when PyYAML was built with it; the constructor and resolver are the same Python code,
#: so the values are the same.
UniqueKeyCLoader: type | None = (
    type("UniqueKeyCLoader", (_UniqueKeys, yaml.CSafeLoader), {}) if getattr(yaml, "__with_libyaml__", False)
    else None
)


def load_yaml(stream: str | bytes | IO[str]) -> Any:
    """Parse YAML like ``yaml.safe_load``, refusing duplicate keys (a ``yaml.YAMLError``).

    Parsed with libyaml when available; a text it refuses is parsed again by the Python parser,
    whose error says more (``found undefined alias 'y'`` where libyaml says ``found undefined
    alias``), so messages do not depend on how PyYAML was built.
    """
    text = stream if isinstance(stream, (str, bytes)) else stream.read()
    if UniqueKeyCLoader is not None:
        try:
            return yaml.load(text, Loader=UniqueKeyCLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def yaml_error(exc: yaml.YAMLError) -> str:
    """One line saying where and what: ``line 3, column 1: duplicate key 'n' ...``."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    what = f"{context}: {problem}" if context else problem
    return f"line {mark.line + 1}, column {mark.column + 1}: {what}" if mark is not None else what
