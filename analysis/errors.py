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


class DataError(PeaceopsError):
    """Bad input data: names the file and, where it applies, the column and row.

    Parameters
    ----------
    path
        File at fault (raw file, curated table or cached output).
    message
        What is wrong.
    column, row
        Column name and row (0-based data row, or the row label of the
        frame) where the problem was found, when known.
    """

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        column: str | None = None,
        row: object | None = None,
    ) -> None:
        self.path = str(path)
        self.column = column
        self.row = row
        where = [f"file {self.path}"]
        if column is not None:
            where.append(f"column {column!r}")
        if row is not None:
            where.append(f"row {row}")
        super().__init__(f"{', '.join(where)}: {message}")


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
