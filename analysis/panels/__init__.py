"""Analysis panels built from the core tables and the curated tables.

* :mod:`analysis.panels.mission` - ``mission_months`` and ``mission_years`` (UN peacekeeping
  operations, 1990-01 to the last month of the fatalities data);
* :mod:`analysis.panels.country` - ``country_years`` (every Gleditsch-Ward state, 1990-2024).

Panels are declared with :func:`analysis.core.table` (``layer="panels"``), so they are
built, cached and loaded like core tables (``analysis.data.load("mission_months")``) and
written to ``data/processed/panels/``. Every enrichment is a left join on the backbone
that must keep its row count and primary key (:func:`enrich`).
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


def months_between(start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    """Month starts from ``start``'s month to ``end``'s month, inclusive."""
    return pd.date_range(start.to_period("M").to_timestamp(), end.to_period("M").to_timestamp(), freq="MS")
