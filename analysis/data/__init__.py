"""Data layer API: ``load(name)`` and ``build(...)`` of the core tables.

>>> from analysis.data import load
>>> fat = load("un_fatalities")        # builds on demand, reads the cache otherwise

The names are imported from :mod:`analysis.data.store` when first used, so that importing a
light submodule (``analysis.data.hashing``, ``analysis.data.faults``: the notebook runner's)
does not import pandas and every table's schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.data.store import build, data_versions, load, table_names

__all__ = ["build", "data_versions", "load", "table_names"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from analysis.data import store

        return getattr(store, name)
    raise AttributeError(f"module 'analysis.data' has no attribute {name!r}")
