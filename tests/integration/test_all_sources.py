"""One parametrised test over every loader of every source, on the real mirror:
schema, key uniqueness, coverage years, no values outside coverage; and one over
every core table: primary key and schema on the built parquet."""

from __future__ import annotations

import importlib

import pytest

from analysis.data.check import check_loader_frame, loader_specs
from analysis.data.registry import source_meta
from analysis.data.tables import specs
from analysis.sources import SOURCE_MODULES

LOADERS = list(loader_specs())


@pytest.mark.parametrize("module", SOURCE_MODULES)
def test_every_source_module_exposes_registry_constants_and_loaders(module):
    mod = importlib.import_module(f"analysis.sources.{module}")
    meta = source_meta(module)
    assert mod.VERSION == meta.version and mod.CITATION == meta.citation
    assert mod.YEARS == meta.years and mod.TITLE and mod.PRODUCER and mod.LICENSE
    assert mod.LOADERS, f"{module} declares no loader"


@pytest.mark.parametrize(("source", "table", "spec"), LOADERS, ids=[f"{s}.{t}" for s, t, _ in LOADERS])
def test_loader_on_mirror(raw_cache, source, table, spec):
    df = spec.load()
    assert len(df) > 0
    assert check_loader_frame(source, spec, df) == []
    spec.schema.validate(df)  # idempotent: the returned frame still passes


@pytest.mark.parametrize("name", sorted(specs()))
def test_core_table_on_mirror(raw_cache, name):
    from analysis.data import load
    from analysis.data.store import check_primary_key

    spec = specs()[name]
    df = load(name)
    assert len(df) > 0
    check_primary_key(df, spec)
    spec.schema.validate(df)
    for col in spec.schema.columns.values():
        assert col.description, f"{name}.{col.name} has no description (the codebook needs one)"
