"""The table registry: every core table and panel, declared where it is built.

Each table is declared with :func:`table` (a decorator on its builder), which records its
primary key, unit of analysis, coverage, the raw sources, curated files and other tables it
depends on, and its pandera schema. :mod:`analysis.data.store` runs the builders, checks the key
and the schema, and writes parquet atomically; :func:`analysis.data.load` reads them back;
:mod:`analysis.data.codebook` documents them.

Builders take a ``deps`` mapping (name -> DataFrame of the tables they declared in ``depends``)
and never read other tables' parquet files themselves, so the dependency graph is explicit.
The registry belongs to the build layer: core modules declare tables here and never import
the panels that are built on top of them.
"""

from __future__ import annotations

import importlib
import pkgutil
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

#: Packages whose modules declare tables (every module in them is imported by :func:`specs`):
#: core tables, then analysis panels. A new table is a new module in one of them, nothing else.
TABLE_PACKAGES = ("analysis.core", "analysis.panels")


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
            raise ValueError(f"table {name!r} declared twice")
        TABLES[name] = TableSpec(
            name=name, builder=fn, primary_key=tuple(primary_key), unit=unit,
            coverage=coverage, sources=tuple(sources), schema=schema,
            depends=tuple(depends), curated=tuple(curated), description=(fn.__doc__ or "").strip(),
            layer=layer,
        )
        return fn

    return deco


def table_modules() -> list[str]:
    """Every module of :data:`TABLE_PACKAGES` (those that declare tables register them on import)."""
    out = []
    for pkg in TABLE_PACKAGES:
        path = importlib.import_module(pkg).__path__
        out += [f"{pkg}.{m.name}" for m in sorted(pkgutil.iter_modules(path), key=lambda m: m.name)]
    return out


_TABLE_MODULES_IMPORTED = False


def specs() -> dict[str, TableSpec]:
    """All declared tables (imports the table modules on first use).

    The package scan runs once per process: it is called thousands of times (each build step, the
    codebook, the run keys) and listing the modules costs ~1 ms each time; a module imported once
    stays registered.
    """
    global _TABLE_MODULES_IMPORTED
    if not _TABLE_MODULES_IMPORTED:
        for mod in table_modules():
            importlib.import_module(mod)
        _TABLE_MODULES_IMPORTED = True
    return TABLES
