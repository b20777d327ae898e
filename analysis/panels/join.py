"""Joins and three-valued logic shared by the panel verbs.

Every enrichment of a panel is a left join on its backbone that must keep the backbone's row
count and primary key (:func:`enrich`); indicators combine sources with three-valued logic, so
that a source that does not cover a period leaves NA, never False.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from analysis.errors import BuildError


def enrich(backbone: pd.DataFrame, other: pd.DataFrame, on: list[str], what: str) -> pd.DataFrame:
    """Left-join ``other`` onto ``backbone``; fail if rows are added or lost.

    ``other`` must be unique on ``on`` (checked), so the join cannot duplicate
    backbone rows; ``what`` names the step in the error.
    """
    dup = other.duplicated(on)
    if dup.any():
        ex = other.loc[dup, on].head(3).to_dict("records")
        raise BuildError(f"enrichment {what!r}: right side not unique on {on}, e.g. {ex}")
    out = backbone.merge(other, on=on, how="left", validate="many_to_one")
    if len(out) != len(backbone):
        raise BuildError(f"enrichment {what!r} changed the row count {len(backbone)} -> {len(out)}")
    return out


def first_label(index: pd.Index, conditions: Sequence[ArrayLike], labels: Sequence[str]) -> pd.Series:
    """Per row, the label of the first condition that holds, NA where none does (``string`` dtype).

    ``np.select(conditions, labels, default=None)`` as a Series on ``index``; the
    conditions are boolean arrays or Series without NA, aligned by position.
    """
    if len(conditions) != len(labels):
        raise ValueError(f"{len(conditions)} conditions but {len(labels)} labels")
    out = pd.Series(pd.NA, index=index, dtype="string")
    for cond, label in zip(conditions[::-1], labels[::-1]):
        out = out.mask(np.asarray(cond, dtype=bool), label)
    return out


def kleene_any(frame: pd.DataFrame) -> pd.Series:
    """Row-wise OR with three-valued logic: True if any True, False if all False, else NA."""
    b = frame.astype("boolean")
    anytrue = b.fillna(False).any(axis=1)
    allknown = b.notna().all(axis=1)
    out = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    out[anytrue] = True
    out[~anytrue & allknown] = False
    return out


def kleene_or_covered(frame: pd.DataFrame) -> pd.Series:
    """OR over the covering (non-NA) sources: True if any True, False if all covering are
    False, NA if no source covers."""
    b = frame.astype("boolean")
    out = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    covered = b.notna().any(axis=1)
    out[covered] = b[covered].fillna(False).any(axis=1)
    return out


def months_between(start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    """Month starts from ``start``'s month to ``end``'s month, inclusive."""
    return pd.date_range(start.to_period("M").to_timestamp(), end.to_period("M").to_timestamp(), freq="MS")


def month_key(df: pd.DataFrame) -> pd.Series:
    """First day of each row's month, from its ``year`` and ``month`` columns."""
    return pd.to_datetime(dict(year=df["year"].astype(int), month=df["month"].astype(int), day=1))
