"""Errors that name the file, column and row at fault."""

from __future__ import annotations

from pathlib import Path


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


class HashMismatchError(DataError):
    """A file's sha256 differs from the registry."""

    def __init__(self, path: str | Path, expected: str, found: str) -> None:
        self.expected = expected
        self.found = found
        super().__init__(path, f"sha256 mismatch: expected {expected}, found {found}")


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
