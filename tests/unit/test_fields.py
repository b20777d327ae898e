"""Shared columns are declared once (analysis.data.fields) and every schema builds them from there."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from analysis.data.check import loader_specs
from analysis.data.fields import FIELDS, field
from analysis.data.tables import specs

#: Shared counts a panel may hold as a mean over months (Float64) instead of a count (Int64).
AGGREGATE_DTYPES = {"Int64": {"Float64"}}


def _schemas():
    import analysis.curated as cur

    yield from ((f"source {s}.{t}", sp.schema) for s, t, sp in loader_specs())
    yield from ((f"table {n}", s.schema) for n, s in specs().items())
    yield from ((f"curated {n}", s.schema) for n, s in cur.CURATED.items())


def test_every_shared_column_of_every_schema_is_built_from_its_field():
    problems = []
    for where, schema in _schemas():
        for name, col in schema.columns.items():
            f = FIELDS.get(name)
            if f is None:
                continue
            if (col.metadata or {}).get("field") != name:
                problems.append(f"{where}.{name}: not built with field({name!r})")
                continue
            dtype = str(col.dtype).replace("string[pyarrow]", "string")
            if dtype != f.dtype and dtype not in AGGREGATE_DTYPES.get(f.dtype, ()):
                problems.append(f"{where}.{name}: dtype {dtype}, shared {f.dtype}")
            missing = {repr(c) for c in f.checks} - {repr(c) for c in col.checks}
            if missing:
                problems.append(f"{where}.{name}: lacks the shared checks {missing}")
    assert not problems, "\n".join(problems)
    assert sum(1 for _ in _schemas()) > 40


def test_field_keeps_shared_checks_adds_the_tables_and_rejects_unknown_names():
    col = field("month", pa.Check.isin([1, 7]), nullable=True, description="Month of the rotation.")
    assert col.nullable and col.description == "Month of the rotation." and str(col.dtype) == "Int64"
    schema = pa.DataFrameSchema({"month": col})
    schema.validate(pd.DataFrame({"month": pd.array([1, 7, None], dtype="Int64")}))
    with pytest.raises(pa.errors.SchemaError):  # the shared 1-12 range still applies
        schema.validate(pd.DataFrame({"month": pd.array([13], dtype="Int64")}))
    with pytest.raises(pa.errors.SchemaError):  # and the table's own check
        schema.validate(pd.DataFrame({"month": pd.array([2], dtype="Int64")}))
    assert field("year").description == FIELDS["year"].description
    with pytest.raises(KeyError, match="not a shared field"):
        field("yaer")


def test_codebook_lists_the_shared_columns_and_marks_their_uses():
    from analysis.data.codebook import codebook_markdown

    md = codebook_markdown()
    assert "## Shared columns" in md
    for name in FIELDS:
        assert f"| `{name}` |" in md
    assert "| `country_id_gw` [(shared)](#shared-columns) |" in md
