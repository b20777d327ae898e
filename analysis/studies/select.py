"""Case and period selection shared by the studies (peacesciencer's ``whittle_*``): rows of a
period, missions of a region or a list, rows a model can use."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd


def select_years(df: pd.DataFrame, years: Sequence[int] | None, *, col: str = "year") -> pd.DataFrame:
    """Rows with ``years[0] <= col <= years[1]`` (inclusive); all rows when ``years`` is None."""
    if years is None:
        return df
    if len(years) != 2 or int(years[0]) > int(years[1]):
        raise ValueError(f"years must be [first, last] with first <= last, got {list(years)!r}")
    y = df[col]
    return df[(y >= int(years[0])) & (y <= int(years[1]))]


def select_missions(df: pd.DataFrame, missions: str | Sequence[str]) -> pd.DataFrame:
    """Subset a mission panel: ``'all'``, ``'africa'`` (any African host) or a list of acronyms.

    A list may also be given as one comma-separated string (``"MINUSMA,MONUSCO"``).
    Acronyms are upper-cased; an acronym not in the panel raises ``ValueError``.
    """
    if isinstance(missions, str) and missions.lower() in ("all", "africa"):
        if missions.lower() == "all":
            return df
        return df[df["is_africa"].fillna(False).astype(bool)]
    ids = [m.strip().upper() for m in (missions.split(",") if isinstance(missions, str) else missions)]
    ids = [m for m in ids if m]
    known = set(df["mission_id_un"].dropna().unique())
    unknown = sorted(set(ids) - known)
    if not ids or unknown:
        raise ValueError(
            f"missions: unknown acronym(s) {unknown or ids!r}; use 'all', 'africa' or a list "
            f"of mission_id_un such as {sorted(known)[:8]!r}"
        )
    return df[df["mission_id_un"].isin(ids)]


def complete_rows(df: pd.DataFrame, columns: Iterable[str], *, positive: Iterable[str] = ()) -> pd.Series:
    """Rows a model can use: every column non-missing and the ``positive`` ones > 0."""
    ok = pd.Series(True, index=df.index)
    for c in columns:
        ok &= df[c].notna()
    for c in positive:
        ok &= df[c].fillna(0) > 0
    return ok.astype(bool)
