"""Data layer API: ``load(name)`` and ``build(...)`` of the core tables.

>>> from analysis.data import load
>>> fat = load("un_fatalities")        # builds on demand, reads the cache otherwise
"""

from __future__ import annotations

from analysis.data.store import build, data_versions, load, table_names

__all__ = ["build", "data_versions", "load", "table_names"]
