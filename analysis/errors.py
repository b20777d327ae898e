"""Errors that name the file, column and row at fault, and the one check of expected columns.

:func:`require_columns` is used wherever a frame must have certain columns (a raw file read by a
source loader, a curated table, a core table handed to a panel verb, the data given to a model
or a study function); a missing column is always a :class:`MissingColumnError`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


class PeaceopsError(Exception):
    """Base class of every error raised on purpose by the package."""


#: Suffixes of files read as text, whose records are located by their 1-based line.
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".csv.gz", ".tsv.gz")


def csv_record_lines(path: str | Path, *, encoding: str = "utf-8") -> list[int]:
    """1-based line on which each data record of a CSV file starts (the header excluded).

    Quoted fields spanning several lines and blank lines (which pandas skips) are taken into
    account, so position ``i`` of a frame read with ``pandas.read_csv`` is on line
    ``csv_record_lines(path)[i]``. The delimiter is guessed from the header line.
    """
    import csv
    import gzip

    p = Path(path)
    opener = gzip.open if p.name.endswith(".gz") else open
    with opener(p, "rt", encoding=encoding, errors="replace", newline="") as fh:
        head = fh.readline()
        fh.seek(0)
        delimiter = max(",;\t|", key=head.count)
        reader = csv.reader(fh, delimiter=delimiter)
        starts: list[int] = []
        end = 0
        header_seen = False
        for row in reader:
            start, end = end + 1, reader.line_num
            if not row or all(not c.strip() for c in row) and len(row) <= 1:
                continue  # a blank line: no record
            if not header_seen:
                header_seen = True
                continue
            starts.append(start)
    return starts


def locate(path: str | Path, position: int) -> str:
    """Where the data record at 0-based ``position`` of a file is, in the file's own terms.

    ``"line N"`` (1-based line of a text file where the record starts), ``"row N"`` (1-based row
    of a spreadsheet with its header in row 1), ``"observation N"`` (1-based, Stata / R files);
    ``"row N"`` (the label as given) when ``path`` is not a file (a table in memory).
    """
    p = Path(str(path))
    name = p.name.lower()
    if not p.is_file():
        return f"row {position}"
    if name.endswith(TEXT_SUFFIXES):
        try:
            lines = csv_record_lines(p)
            if 0 <= position < len(lines):
                return f"line {lines[position]}"
        except (OSError, UnicodeError, ValueError):
            pass
        return f"line {position + 2}"
    if name.endswith((".xlsx", ".xls", ".xlsm")):
        return f"row {position + 2}"
    return f"observation {position + 1}"


class DataError(PeaceopsError):
    """Bad input data: names the file and, where it applies, the column and the record.

    Records are named in the file's own terms and counted from 1, whatever the loader's
    frame index: the line of a text file, the row of a spreadsheet, the observation of a
    Stata or R file (:func:`locate`).

    Parameters
    ----------
    path
        File at fault (raw file, curated table or cached output), or what a frame in memory
        is (``"<core table x>"``).
    message
        What is wrong, and what to do about it.
    column
        Column name, when known.
    row
        0-based position of the data record in the file as read (the frame's position: the
        message gives its 1-based line, sheet row or observation); for a frame in memory, or
        when given as text, shown as it is.
    line
        1-based line of a text file, when the caller knows it.
    """

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        column: str | None = None,
        row: object | None = None,
        line: int | None = None,
    ) -> None:
        self.path = str(path)
        self.column = column
        self.row = row
        self.line = line
        where = [f"file {self.path}"]
        if column is not None:
            where.append(f"column {column!r}")
        if line is not None:
            self.location: str | None = f"line {line}"
        elif isinstance(row, int | np_integer()) and not isinstance(row, bool):
            self.location = locate(self.path, int(row))  # type: ignore[call-overload]
        elif row is not None:
            self.location = f"row {row}"
        else:
            self.location = None
        if self.location is not None:
            where.append(self.location)
        super().__init__(f"{', '.join(where)}: {message}")


def np_integer() -> type:
    """``numpy.integer`` (imported on first use; ``int`` when numpy is absent)."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        return int
    return np.integer


class MissingColumnError(DataError):
    """An expected column is absent: names the file or frame, the column, its role and close matches.

    A :class:`DataError` whose ``path`` is the file read or, for a frame in memory, what it is
    (``"un_missions"``, ``"data"``); ``column`` is the missing column, ``role`` what it was
    needed for (``"outcome"``, ``"treatment"``, ...).
    """

    def __init__(self, where: str | Path, column: str, *, role: str | None = None,
                 have: Iterable[Any] = ()) -> None:
        have = [str(c) for c in have]
        close = difflib.get_close_matches(column, have, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else f" (have: {have[:20]})"
        head = f"file {where}" if isinstance(where, Path) else str(where)
        what = f"column {column!r}" + (f" ({role})" if role else "")
        PeaceopsError.__init__(self, f"{head}, {what}: expected column is missing{hint}")
        self.path, self.column, self.row, self.role = str(where), column, None, role
        self.line, self.location = None, None


def require_columns(
    df: Any, columns: Iterable[str] | Mapping[str, Iterable[str]], where: str | Path = "data"
) -> None:
    """Raise :class:`MissingColumnError` naming the first expected column ``df`` lacks.

    Parameters
    ----------
    df
        A DataFrame (anything with ``.columns``).
    columns
        Column names, or role -> column names (``{"outcome": ["fatalities_hostile_n"]}``) so that
        the message says what the column was needed for.
    where
        The file read (a :class:`~pathlib.Path`: the message says ``file ...``), or what the frame
        is (``"un_missions"``, ``"data"``).
    """
    roles = columns.items() if isinstance(columns, Mapping) else [(None, columns)]
    have = list(df.columns)
    for role, cols in roles:
        for c in [cols] if isinstance(cols, str) else cols:
            if c not in df.columns:
                raise MissingColumnError(where, c, role=role, have=have)


class HashMismatchError(DataError):
    """A file's sha256 differs from the registry."""

    def __init__(self, path: str | Path, expected: str, found: str) -> None:
        self.expected = expected
        self.found = found
        super().__init__(path, f"sha256 mismatch: expected {expected}, found {found}")


class ConfigError(PeaceopsError):
    """A path or setting cannot be decided (e.g. a checkout folder asked of an installed package)."""


class FetchError(PeaceopsError):
    """A registered file could not be obtained from any location."""


class BuildError(PeaceopsError):
    """A build step failed; names the step, earlier outputs are left intact."""


class ModelError(PeaceopsError):
    """A model cannot be estimated as specified; names the specification and the reason.

    Parameters
    ----------
    spec
        Short label of the specification (estimator, outcome ~ terms, options).
    message
        Why it cannot be estimated (no variation, collinear term, separation,
        no optimizer converged, non-finite standard errors, ...).
    """

    def __init__(self, spec: str, message: str) -> None:
        self.spec = spec
        self.reason = message
        super().__init__(f"model {spec}: {message}")


class RunnerError(PeaceopsError):
    """The notebook runner cannot proceed (no notebooks, unknown set, notebook and source out of sync...)."""


class ParameterError(RunnerError):
    """Unknown notebook parameter or value of the wrong type; lists the valid parameters."""
