"""UCDP/PRIO Armed Conflict Dataset (ACD), conflict-year: v25.1 and, for a cross-check, v22.1.

Quirks handled
--------------
* The v25.1 file is a third party's spreadsheet re-export, not UCDP's CSV:
  **semicolon** separator and **CRLF** line ends (read with the ``csv``
  module, which handles both), UTF-8 (a file in another encoding is an error
  naming the file).
* v25.1 dates are **d-m-YYYY without zero padding** (``29-5-1997``); they are
  parsed day-first with ``%d-%m-%Y``. v22.1 dates are ISO ``YYYY-MM-DD``.
* **One v25.1 record is split across two physical lines** (conflict 11349,
  China, 2008: a line break after ``territory_name``). The head line holds
  ``conflict_id`` ... ``territory_name`` followed by empty fields; the
  continuation line starts with an empty field, then ``year`` ...
  ``ep_end_date``, then merged cells ``,710,`` (= ``ep_end_prec``, ``gwno_a``,
  ``gwno_a_2nd``) and ``,`` (= ``gwno_b``, ``gwno_b_2nd``), then ``gwno_loc``,
  ``region``, ``version`` and padding. Rule: a line whose fields from
  ``year`` on are all empty, followed by a line whose ``conflict_id`` is empty,
  is one record; the continuation's trailing empty padding is dropped and its
  merged cells (a comma *not* followed by a space, unlike the ``", "`` of code
  lists) are split on ``,``; the re-joined record must have exactly the 28
  columns, otherwise a :class:`DataError` names the line. A naive read gives
  2,752 rows, the repaired table 2,751 conflict-years.
* Leading/trailing spaces: 15 ``side_a_2nd`` values start with a space (as in
  UCDP's own v25.1 file), and in the re-export 17 ``side_b_2nd`` values start
  and 51 ``side_b`` values end with a space. All strings are stripped; empty
  strings become NA.
* Several states in one cell: ``gwno_a``, ``gwno_a_2nd``, ``gwno_b``,
  ``gwno_b_2nd``, ``gwno_loc``, ``side_a_id``, ``side_b_id`` and ``region``
  are comma-separated lists (``"651, 666"``); they are kept as strings
  (checked against the list pattern). The core table adds the first location
  code and a long table with one row per location state.
* Code lists with two spaces after a comma (``"200,  2"``, ``"651,  645,  663, ..."``
  in ``gwno_a``/``gwno_b``: 6 cells in v25.1, 5 in v22.1) are normalised to
  ``", "`` so that equal lists compare equal.
* ``ep_end_prec`` is empty in every row of both versions: it stays NA.
* v22.1 is UCDP's original CSV with every field quoted (numbers and empty
  strings too); all fields are read as text before conversion.
* The ``version`` column must equal the registered version of the file
  (25.1 / 22.1); it is checked and dropped.
* The UCDP codebook is not in the mirror; codes below follow UCDP's codebook as
  summarised in the mirror's PROVENANCE notes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field
from analysis.data.registry import raw_file
from analysis.errors import DataError
from analysis.sources._base import (
    LoaderSpec,
    check_codes,
    raw_path,
    read,
    require_columns,
    source_constants,
    strip_strings,
    to_date,
    to_numeric,
    validate,
)

_C = source_constants("ucdp_acd")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "UcdpPrioConflict_v25_1_semicolon_reexport.csv"
FILE_V22 = "ucdp-prio-acd-221.csv"

#: Upstream columns, in file order (identical in v25.1 and v22.1).
COLUMNS = (
    "conflict_id", "location", "side_a", "side_a_id", "side_a_2nd", "side_b", "side_b_id",
    "side_b_2nd", "incompatibility", "territory_name", "year", "intensity_level",
    "cumulative_intensity", "type_of_conflict", "start_date", "start_prec", "start_date2",
    "start_prec2", "ep_end", "ep_end_date", "ep_end_prec", "gwno_a", "gwno_a_2nd", "gwno_b",
    "gwno_b_2nd", "gwno_loc", "region", "version",
)
#: Columns holding comma-separated code lists (separator normalised to ", ").
LIST_COLUMNS = (
    "side_a_id", "side_b_id", "gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc", "region",
)
INT_COLUMNS = (
    "conflict_id", "incompatibility", "year", "intensity_level", "cumulative_intensity",
    "type_of_conflict", "start_prec", "start_prec2", "ep_end", "ep_end_prec",
)
DATE_COLUMNS = ("start_date", "start_date2", "ep_end_date")
#: Allowed codes (UCDP codebook).
CODES = {
    "incompatibility": (1, 2, 3),
    "intensity_level": (1, 2),
    "cumulative_intensity": (0, 1),
    "type_of_conflict": (1, 2, 3, 4),
    "start_prec": tuple(range(1, 8)),
    "start_prec2": tuple(range(1, 8)),
    "ep_end": (0, 1),
    "ep_end_prec": tuple(range(1, 8)),
}
#: Date format of each file.
DATE_FORMAT = {FILE: "%d-%m-%Y", FILE_V22: "%Y-%m-%d"}

_INT_LIST = r"^\d+(, \d+)*$"
_REGION_LIST = r"^[1-5](, [1-5])*$"
_FIRST_TAIL = COLUMNS.index("year")


def _str(desc: str, *, nullable: bool = True, pattern: str | None = None) -> pa.Column:
    checks = [pa.Check.str_matches(pattern)] if pattern else None
    return pa.Column("string", checks, nullable=nullable, description=desc)


def _code(desc: str, name: str, *, nullable: bool = False) -> pa.Column:
    return pa.Column("Int64", pa.Check.isin(CODES[name]), nullable=nullable, description=desc)


def _schema(name: str, years: tuple[int, int]) -> pa.DataFrameSchema:
    prec = "UCDP precision code 1 (exact day) ... 7 (least precise)"
    gw_list = "Gleditsch-Ward code(s), comma-separated when several (\", \"), as a string"
    return pa.DataFrameSchema(
        {
            "conflict_id": field("conflict_id", pa.Check.gt(0), description="UCDP conflict id."),
            "location": _str("Name(s) of the state(s) whose government(s) claim the incompatibility.",
                             nullable=False),
            "side_a": _str("Primary party on side A (always a government), name(s).", nullable=False),
            "side_a_id": _str("UCDP actor id(s) of side A, comma-separated list as a string.",
                              nullable=False, pattern=_INT_LIST),
            "side_a_2nd": _str("States supporting side A with troops (names, comma-separated); "
                               "NA when none."),
            "side_b": _str("Primary party on side B (government or rebel group), name(s).",
                           nullable=False),
            "side_b_id": _str("UCDP actor id(s) of side B, comma-separated list as a string.",
                              nullable=False, pattern=_INT_LIST),
            "side_b_2nd": _str("States supporting side B with troops (names); NA when none."),
            "incompatibility": _code("Incompatibility: 1 territory, 2 government, 3 both.",
                                     "incompatibility"),
            "territory_name": _str("Name of the contested territory (incompatibility 1 or 3); NA otherwise."),
            "year": field(
                "year",
                pa.Check.in_range(*years),
                description="Calendar year of the conflict-year (>= 25 battle deaths).",
            ),
            "intensity_level": field("intensity_level", pa.Check.isin(CODES["intensity_level"])),
            "cumulative_intensity": _code("1 if the conflict has reached 1,000 battle-related deaths in "
                                          "total since its start, else 0.", "cumulative_intensity"),
            "type_of_conflict": _code("Type: 1 extrasystemic, 2 interstate, 3 intrastate, "
                                      "4 internationalized intrastate.", "type_of_conflict"),
            "start_date": pa.Column("datetime64[ns]", nullable=False,
                                    description="Date of the first battle-related death of the conflict."),
            "start_prec": _code(f"Precision of start_date: {prec}.", "start_prec"),
            "start_date2": pa.Column("datetime64[ns]", nullable=False,
                                     description="Date the conflict (its latest episode) reached 25 "
                                                 "battle-related deaths in a year."),
            "start_prec2": _code(f"Precision of start_date2: {prec}.", "start_prec2"),
            "ep_end": _code("1 if the conflict episode ended in this year, else 0.", "ep_end"),
            "ep_end_date": pa.Column("datetime64[ns]", nullable=True,
                                     description="Date the episode ended; NA if it did not end this year."),
            "ep_end_prec": _code(f"Precision of ep_end_date: {prec}; empty (NA) in every row of the "
                                 "file.", "ep_end_prec", nullable=True),
            "gwno_a": _str(f"Side A state(s): {gw_list}.", nullable=False, pattern=_INT_LIST),
            "gwno_a_2nd": _str(f"States supporting side A with troops: {gw_list}; NA when none.",
                               pattern=_INT_LIST),
            "gwno_b": _str(f"Side B state(s) in interstate conflicts: {gw_list}; NA otherwise.",
                           pattern=_INT_LIST),
            "gwno_b_2nd": _str(f"States supporting side B with troops: {gw_list}; NA when none.",
                               pattern=_INT_LIST),
            "gwno_loc": _str(f"Location state(s) of the conflict: {gw_list}.", nullable=False,
                             pattern=_INT_LIST),
            "region": _str("UCDP region code(s) of the location, comma-separated when several: "
                           "1 Europe, 2 Middle East, 3 Asia, 4 Africa, 5 Americas.",
                           nullable=False, pattern=_REGION_LIST),
        },
        strict=True,
        unique=["conflict_id", "year"],
        name=name,
    )


_V25 = raw_file(SOURCE, FILE)
_V22 = raw_file(SOURCE, FILE_V22)
SCHEMA_CONFLICT_YEARS = _schema("ucdp_acd.conflict_years", (_V25.year_start, _V25.year_end))
SCHEMA_CONFLICT_YEARS_V22 = _schema("ucdp_acd.conflict_years_v22", (_V22.year_start, _V22.year_end))


def _split_merged(cells: list[str]) -> list[str]:
    """Split cells merged by the re-export (``",710,"``) but not code lists (``"651, 666"``)."""
    out: list[str] = []
    for c in cells:
        if "," in c and ", " not in c:
            out.extend(c.split(","))
        else:
            out.append(c)
    return out


def _rejoin(head: list[str], cont: list[str], path: Path, line: int) -> list[str]:
    tail = list(cont[1:])
    while tail and tail[-1].strip() == "":
        tail.pop()
    rec = head[:_FIRST_TAIL] + _split_merged(tail)
    if len(rec) != len(COLUMNS):
        raise DataError(path, f"split record cannot be re-joined: {len(rec)} fields after repair, "
                              f"expected {len(COLUMNS)}", line=line)
    return rec


def _read_reexport(path: Path) -> tuple[pd.DataFrame, list[int]]:
    """Parse the semicolon re-export, re-joining records split across two lines.

    Returns the records and the 1-based line on which each starts.
    """
    raw = read(path, Path.read_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(path, f"wrong encoding (expected UTF-8): {exc}") from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    rows: list[list[str]] = []
    starts: list[int] = []
    end = 0
    for r in reader:
        start, end = end + 1, reader.line_num
        if any(c.strip() for c in r):
            rows.append(r)
            starts.append(start)
    if not rows:
        raise DataError(path, "file is empty")
    header, data, lines = rows[0], rows[1:], starts[1:]
    require_columns(pd.DataFrame(columns=header), COLUMNS, path)
    n = len(header)
    records: list[list[str]] = []
    record_lines: list[int] = []
    i = 0
    while i < len(data):
        r = data[i]
        if len(r) != n:
            raise DataError(path, f"{len(r)} fields, the header has {n}", line=lines[i])
        is_head = r[0].strip() != "" and all(c.strip() == "" for c in r[_FIRST_TAIL:])
        if is_head and i + 1 < len(data) and data[i + 1][0].strip() == "":
            records.append(_rejoin(r, data[i + 1], path, lines[i]))
            record_lines.append(lines[i])
            i += 2
            continue
        records.append(r)
        record_lines.append(lines[i])
        i += 1
    return pd.DataFrame(records, columns=header, dtype="string"), record_lines


def _tidy(raw: pd.DataFrame, path: Path, file: str, schema: pa.DataFrameSchema,
          lines: list[int] | None = None) -> pd.DataFrame:
    require_columns(raw, COLUMNS, path)
    df = strip_strings(raw[list(COLUMNS)]).reset_index(drop=True)
    expected = raw_file(SOURCE, file).version
    check_codes(df, "version", [expected], path, lines=lines)
    df = df.drop(columns="version")
    for c in LIST_COLUMNS:
        df[c] = df[c].str.replace(r"\s*,\s*", ", ", regex=True)
    for c in INT_COLUMNS:
        df[c] = to_numeric(df, c, path, dtype="Int64", lines=lines)
    for c, allowed in CODES.items():
        check_codes(df, c, allowed, path, lines=lines)
    for c in DATE_COLUMNS:
        df[c] = to_date(df, c, path, format=DATE_FORMAT[file], lines=lines)
    return validate(df, schema, path, lines=lines)


def load_conflict_years(path: str | Path | None = None) -> pd.DataFrame:
    """UCDP/PRIO ACD v25.1, one row per conflict-year (split record re-joined).

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        2,751 rows, primary key (``conflict_id``, ``year``), 1946-2024. Columns
        (strings stripped, empty = NA):

        ``conflict_id`` (Int64), ``location``, ``side_a``, ``side_a_id``,
        ``side_a_2nd``, ``side_b``, ``side_b_id``, ``side_b_2nd`` (string),
        ``incompatibility`` (Int64: 1 territory, 2 government, 3 both),
        ``territory_name`` (string), ``year`` (Int64), ``intensity_level``
        (Int64: 1 = 25-999, 2 = >= 1,000 battle-related deaths),
        ``cumulative_intensity`` (Int64 0/1), ``type_of_conflict`` (Int64:
        1 extrasystemic, 2 interstate, 3 intrastate, 4 internationalized
        intrastate), ``start_date``, ``start_date2``, ``ep_end_date``
        (datetime64[ns]), ``start_prec``, ``start_prec2``, ``ep_end_prec``
        (Int64 precision codes 1-7; ``ep_end_prec`` all NA), ``ep_end``
        (Int64 0/1), ``gwno_a``, ``gwno_a_2nd``, ``gwno_b``, ``gwno_b_2nd``,
        ``gwno_loc`` (string lists of G-W codes), ``region`` (string list of
        UCDP region codes 1-5).

    Raises
    ------
    DataError
        Naming the file, and the column and row (record number after
        re-joining, 0-based) of the first bad value.
    """
    p = raw_path(SOURCE, FILE, path)
    raw, lines = _read_reexport(p)
    return _tidy(raw, p, FILE, SCHEMA_CONFLICT_YEARS, lines)


def load_conflict_years_v22(path: str | Path | None = None) -> pd.DataFrame:
    """UCDP/PRIO ACD v22.1 (UCDP's original CSV), for cross-checking v25.1.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        2,568 rows, primary key (``conflict_id``, ``year``), 1946-2021, with
        the same columns, types and codes as :func:`load_conflict_years`.
    """
    p = raw_path(SOURCE, FILE_V22, path)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, encoding="utf-8")
    return _tidy(raw, p, FILE_V22, SCHEMA_CONFLICT_YEARS_V22)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "conflict_years": LoaderSpec(load_conflict_years, SCHEMA_CONFLICT_YEARS, FILE,
                                 key=("conflict_id", "year"), year="year"),
    "conflict_years_v22": LoaderSpec(load_conflict_years_v22, SCHEMA_CONFLICT_YEARS_V22, FILE_V22,
                                     key=("conflict_id", "year"), year="year"),
}
