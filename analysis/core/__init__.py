"""Core tables: tidy, one row per declared primary key, built from the sources.

Each core table is declared with :func:`table`, which records its primary key,
unit of analysis, coverage, the raw sources and other core tables it depends on,
and its pandera schema. ``analysis.data.build`` (in ``analysis.data.store``) runs the builders, checks the
key and the schema, and writes parquet atomically; ``analysis.data.load`` reads
them back.

Builders take a ``deps`` mapping (name -> DataFrame of the core tables they
declared in ``depends``) and never read other core tables' parquet files
themselves, so the dependency graph is explicit.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

Builder = Callable[[Mapping[str, pd.DataFrame]], pd.DataFrame]


@dataclass(frozen=True)
class TableSpec:
    """Declaration of one core table."""

    name: str
    builder: Builder
    primary_key: tuple[str, ...]
    unit: str
    coverage: str
    sources: tuple[str, ...]
    schema: pa.DataFrameSchema
    depends: tuple[str, ...] = ()
    curated: tuple[str, ...] = ()
    description: str = ""
    layer: str = "core"
    extra: dict = field(default_factory=dict)


TABLES: dict[str, TableSpec] = {}

# Modules whose import registers tables: core tables, then analysis panels.
CORE_MODULES = (
    "analysis.core.countries",
    "analysis.core.un",
    "analysis.core.mandates",
    "analysis.core.resolutions",
    "analysis.core.mandate_coding",
    "analysis.core.mandate_months",
    "analysis.core.operations",
    "analysis.core.conflict",
    "analysis.core.coups",
    "analysis.panels.mission",
    "analysis.panels.country",
)


def table(
    name: str,
    *,
    primary_key: tuple[str, ...] | list[str],
    unit: str,
    coverage: str,
    sources: tuple[str, ...] | list[str],
    schema: pa.DataFrameSchema,
    depends: tuple[str, ...] | list[str] = (),
    curated: tuple[str, ...] | list[str] = (),
    layer: str = "core",
) -> Callable[[Builder], Builder]:
    """Decorator registering ``builder`` as the table ``name``.

    ``curated`` names the files of ``data/curated/`` the builder reads; their
    bytes enter the build key, like the raw files of ``sources``.
    """

    def deco(fn: Builder) -> Builder:
        if name in TABLES:
            raise ValueError(f"core table {name!r} declared twice")
        TABLES[name] = TableSpec(
            name=name, builder=fn, primary_key=tuple(primary_key), unit=unit,
            coverage=coverage, sources=tuple(sources), schema=schema,
            depends=tuple(depends), curated=tuple(curated), description=(fn.__doc__ or "").strip(),
            layer=layer,
        )
        return fn

    return deco


def specs() -> dict[str, TableSpec]:
    """All declared tables (imports the core modules on first use)."""
    for mod in CORE_MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise
    return TABLES
