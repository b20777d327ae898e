"""The small rule tables shipped beside the panel code (``*.csv`` in :mod:`analysis.panels`):
which evidence does not extend a mission's span, which state stands for a host before it
became one. Each row carries its reason and citation; errors name the file, column and 1-based
line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import DataError


def read_rule_table(path: Path, columns: list[str], *, integers: tuple[str, ...] = (),
                    allowed: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """Read a rule table: every column present and filled, ``integers`` parsed, codes checked.

    Raises
    ------
    DataError
        Naming the file, the column and the 1-based line of the first bad value.
    """
    if not path.is_file():
        raise DataError(path, "file not found")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(path, f"missing columns {missing}", column=missing[0])
    df = df[columns].apply(lambda s: s.str.strip())
    for c in columns:
        empty = (df[c] == "").to_numpy().nonzero()[0]
        if len(empty):
            raise DataError(path, f"line {int(empty[0]) + 2}: empty value (every row needs one)", column=c)
    for c, codes in (allowed or {}).items():
        bad = (~df[c].isin(codes)).to_numpy().nonzero()[0]
        if len(bad):
            i = int(bad[0])
            raise DataError(path, f"line {i + 2}: unknown value {df[c].iloc[i]!r}; allowed: {list(codes)}",
                            column=c)
    out = df.copy()
    for c in integers:
        n = pd.to_numeric(df[c], errors="coerce")
        bad = (n.isna() | (n != n.round())).to_numpy().nonzero()[0]
        if len(bad):
            i = int(bad[0])
            raise DataError(path, f"line {i + 2}: {df[c].iloc[i]!r} is not an integer", column=c)
        out[c] = n.astype("Int64")
    return out
