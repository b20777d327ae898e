"""Shared machinery of the source loaders: locating and verifying raw files,
reading them with errors that name the file, column and row, and validating
frames against pandera schemas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypedDict

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.data.hashing import sha256_file
from analysis.data.registry import SourceMeta, raw_file, source_meta
from analysis.errors import DataError, HashMismatchError
from analysis.errors import require_columns as require_columns  # the one column check, for the loaders


@dataclass(frozen=True)
class SourceInfo:
    """Constants a source module exposes, all read from the registry."""

    SOURCE: str
    TITLE: str
    PRODUCER: str
    VERSION: str
    LICENSE: str
    CITATION: str
    YEARS: tuple[int, int]


class ColumnOptions(TypedDict, total=False):
    """Keyword arguments of :class:`pandera.Column` shared by several columns.

    ``_count = ColumnOptions(nullable=True, checks=pa.Check.ge(0))`` then
    ``pa.Column("Int64", **_count, description=...)``: unlike a plain ``dict``,
    the type checker sees each option with its own type.
    """

    nullable: bool
    checks: pa.Check


def source_constants(source: str) -> SourceInfo:
    """Registry metadata of ``source`` as module-level constants."""
    m: SourceMeta = source_meta(source)
    return SourceInfo(m.source, m.title, m.producer, m.version, m.license, m.citation, m.years)


@lru_cache(maxsize=64)
def _verified(path: str, size: int, mtime_ns: int, expected: str) -> None:
    found = sha256_file(path)
    if found != expected:
        raise HashMismatchError(path, expected, found)


def raw_path(source: str, name: str, path: str | Path | None = None) -> Path:
    """Path to read for registered file ``name`` of ``source``.

    With ``path`` given, that file is returned as is (synthetic fixtures in the
    upstream format). Otherwise the raw-cache copy is returned after its sha256
    was checked against the registry (once per process per unchanged file).
    """
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise DataError(p, "file not found")
        return p
    rf = raw_file(source, name)
    p = rf.local_path
    if not p.is_file():
        raise DataError(
            p, f"not in the raw cache; run `peaceops data fetch` (source {source!r})"
        )
    st = p.stat()
    _verified(str(p), st.st_size, st.st_mtime_ns, rf.sha256)
    return p


def read(path: Path, reader: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Call ``reader(path, ...)`` and turn parser failures into :class:`DataError`."""
    try:
        return reader(path, *args, **kwargs)
    except UnicodeDecodeError as exc:
        raise DataError(path, f"wrong encoding: {exc}") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, EOFError, OSError, ValueError) as exc:
        raise DataError(path, f"cannot be read ({type(exc).__name__}): {exc}") from exc
    except Exception as exc:  # pyreadr, openpyxl, zipfile raise their own types
        raise DataError(path, f"cannot be read ({type(exc).__name__}): {exc}") from exc


def check_csv_fields(path: Path, *, encoding: str = "utf-8") -> None:
    """Raise unless every record of the comma-separated file ``path`` has as many fields as its header.

    pandas takes a first data row with one field too many as a row label column and shifts
    every column (a stray comma at the end of line 2 was reported at another line and
    column); here the message names the line and what to fix.
    """
    import csv

    try:
        with open(path, encoding=encoding, newline="") as fh:
            reader = csv.reader(fh)
            header: list[str] | None = None
            end = 0
            for row in reader:
                start, end = end + 1, reader.line_num
                if not row:
                    continue
                if header is None:
                    header = row
                    continue
                if len(row) == len(header):
                    continue
                n, k = len(header), len(row)
                if k > n and all(not c.strip() for c in row[n:]):
                    raise DataError(path, f"{k} fields, the header has {n}: remove the stray comma(s) after "
                                          f"the last column {header[-1]!r}", line=start)
                hint = ("a value containing a comma must be quoted (\"...\")" if k > n
                        else "a comma is missing, or the line is cut short")
                raise DataError(path, f"{k} fields, the header has {n}: {hint}", line=start)
    except UnicodeDecodeError as exc:
        raise DataError(path, f"wrong encoding (expected {encoding}): {exc}") from exc
    except csv.Error as exc:
        raise DataError(path, f"not valid CSV: {exc}") from exc


def at(position: int, lines: Sequence[int] | None = None) -> dict[str, int]:
    """Where the record at ``position`` of a frame is, as :class:`DataError` keywords.

    ``lines`` gives the 1-based file line of each position when the frame's rows are not the
    file's records one for one (records re-joined from several lines); otherwise the position
    is converted by :class:`DataError` (line of a text file, row of a sheet, observation).
    """
    if lines is not None:
        return {"line": int(lines[position])}
    return {"row": int(position)}


def require_values(df: pd.DataFrame, columns: Iterable[str], path: Path, *,
                   lines: Sequence[int] | None = None) -> None:
    """Raise naming the column and the first record where a required value is blank."""
    for c in columns:
        miss = df[c].isna().to_numpy()
        if miss.any():
            raise DataError(path, "required value is missing: fill it in (or fix the column)", column=c,
                            **at(int(miss.nonzero()[0][0]), lines))


def to_numeric(df: pd.DataFrame, column: str, path: Path, *, dtype: str = "Float64",
               lines: Sequence[int] | None = None) -> pd.Series:
    """Column as numbers; the first non-numeric cell is an error naming its row."""
    s = df[column]
    out = pd.to_numeric(s, errors="coerce")
    bad = out.isna() & s.notna()
    if bad.any():  # only then look for cells that are not blank (the string test is slow)
        bad &= s.astype("string").str.strip().fillna("") != ""
    if bad.any():
        i = bad.to_numpy().nonzero()[0][0]
        raise DataError(path, f"not a number: {s.iloc[i]!r}", column=column, **at(i, lines))
    if dtype == "Int64":
        frac = out.notna() & (out != out.round())
        if frac.any():
            i = frac.to_numpy().nonzero()[0][0]
            raise DataError(path, f"not an integer: {s.iloc[i]!r}", column=column, **at(i, lines))
    return out.astype(dtype)


def to_date(df: pd.DataFrame, column: str, path: Path, *, format: str | None = None,
            lines: Sequence[int] | None = None, **kwargs: Any) -> pd.Series:
    """Column as datetimes; the first unparseable non-empty cell is an error naming its row."""
    s = df[column]
    out = pd.to_datetime(s, format=format, errors="coerce", **kwargs)
    bad = out.isna() & s.notna()
    if bad.any():  # only then look for cells that are not blank (the string test is slow)
        bad &= s.astype("string").str.strip().fillna("") != ""
    if bad.any():
        i = bad.to_numpy().nonzero()[0][0]
        raise DataError(path, f"bad date {s.iloc[i]!r} (expected format {format})",
                        column=column, **at(i, lines))
    return out.astype("datetime64[ns]")


def check_codes(df: pd.DataFrame, column: str, allowed: Iterable[Any], path: Path,
                *, lines: Sequence[int] | None = None) -> None:
    """Raise naming the first row whose non-missing value is not an allowed code."""
    allowed = set(allowed)
    s = df[column]
    bad = s.notna() & ~s.isin(allowed)
    if bad.any():
        i = bad.to_numpy().nonzero()[0][0]
        raise DataError(path, f"unknown code {s.iloc[i]!r}; allowed: {sorted(map(str, allowed))}",
                        column=column, **at(i, lines))


def strip_strings(df: pd.DataFrame) -> pd.DataFrame:
    """Strip leading/trailing whitespace of every string column; blank becomes NA."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_string_dtype(out[c]) or out[c].dtype == object:
            s = out[c]
            if _only_strings(s):
                s = s.astype("string").str.strip()
                out[c] = s.mask(s == "")
    return out


def _only_strings(s: pd.Series) -> bool:
    """Whether every value is a str or missing (``infer_dtype`` in C; the element-wise test only
    where it cannot decide, e.g. strings mixed with NaT)."""
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind in ("string", "empty"):
        return True
    if kind != "mixed" and not s.isna().all():
        return False
    return bool(s.map(lambda v: isinstance(v, str) or pd.isna(v)).all())


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema, path: str | Path, *,
             lines: Sequence[int] | None = None) -> pd.DataFrame:
    """Validate ``df`` with ``schema``; failures become :class:`DataError` naming
    the file, the column and the record of the first failure (all failures are
    counted in the message).

    The record is found from the frame's index label: loaders keep the label of each row as
    read (its position in the file), so the message gives the file's 1-based line (sheet row,
    observation); ``lines`` maps positions to lines when rows are not records one for one.
    A frame whose rows no longer are the file's (``path`` like ``"<core table x>"``) shows the
    label as it is.
    """
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        first = fc.iloc[0]
        col = first.get("column")
        idx = first.get("index")
        check = first.get("check")
        case = first.get("failure_case")
        where: dict[str, Any] = {}
        if not pd.isna(idx):
            if isinstance(idx, int | np.integer) and lines is not None and 0 <= int(idx) < len(lines):
                where = {"line": int(lines[int(idx)])}
            else:
                where = {"row": int(idx) if isinstance(idx, int | np.integer) else idx}
        raise DataError(
            path,
            f"{len(fc)} schema failure(s) in {schema.name or 'schema'}; first: check {check!r} "
            f"failed for value {case!r}",
            column=None if pd.isna(col) else str(col),
            **where,
        ) from exc
    except pa.errors.SchemaError as exc:
        raise DataError(path, f"schema failure in {schema.name or 'schema'}: {exc}") from exc


@dataclass(frozen=True)
class LoaderSpec:
    """How the all-sources test (and ``peaceops data check``) exercises a loader.

    ``file`` is the registered file read; ``key`` the columns that must be
    unique; ``year`` the column whose values must lie within the file's
    registered coverage years (``None`` when the table has no year).
    """

    load: Callable[..., pd.DataFrame]
    schema: pa.DataFrameSchema
    file: str
    key: tuple[str, ...]
    year: str | None = "year"
