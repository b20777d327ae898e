"""Regime and leader verb for country-years: military-type regimes and leader tenure (CoupCats).

``add_regime(cy)`` is a left join on (``country_id_gw``, ``year``) like the verbs of
:mod:`analysis.panels.country`; it is not part of the default ``country_years`` composition
(the coup designs of :mod:`analysis.studies.coup_design` add it). The yearly values describe
the state at the **end** of the year (December), the moment a lagged control ``t-1`` speaks
for at the start of year ``t``:

* ``is_military_regime``: under a military-type regime in December (NA when December is
  outside the file's span, i.e. 2025);
* ``military_regime_months_n``: months of the year under such a regime (NA if any month of
  the year is NA);
* ``leader_tenure_years``: years the December leader had been in office (months / 12); NA
  where no leader spell covers December (Mali 2022-2024, Somalia 1991-2011);
* ``is_leader_military``: the December leader is a career officer (NA when unknown).
"""

from __future__ import annotations

import pandas as pd

from analysis.errors import require_columns
from analysis.panels.join import enrich

_KEY = ["country_id_gw", "year"]
#: Columns added by :func:`add_regime`.
REGIME_COLUMNS = ("is_military_regime", "military_regime_months_n", "leader_tenure_years",
                  "is_leader_military")


def regime_years(regime_months: pd.DataFrame) -> pd.DataFrame:
    """State-years of ``regime_months``: the columns of :data:`REGIME_COLUMNS` (see the module docstring)."""
    require_columns(regime_months, [*_KEY, "month", "is_military_regime", "leader_tenure_months",
                                    "is_leader_military"], "regime_months")
    g = regime_months.groupby(_KEY)["is_military_regime"]
    complete = regime_months["is_military_regime"].notna().groupby(
        [regime_months[k] for k in _KEY]).all()  # every month of the year known
    months_n = g.sum(min_count=1).astype("Int64").where(complete)
    dec = regime_months[regime_months["month"] == 12].set_index(_KEY)
    out = pd.DataFrame({
        "is_military_regime": dec["is_military_regime"].astype("boolean"),
        "military_regime_months_n": months_n.reindex(dec.index),
        "leader_tenure_years": (dec["leader_tenure_months"].astype("Float64") / 12.0),
        "is_leader_military": dec["is_leader_military"].astype("boolean"),
    }).reset_index()
    out["country_id_gw"] = out["country_id_gw"].astype("Int64")
    out["year"] = out["year"].astype("Int64")
    return out


def add_regime(cy: pd.DataFrame, regime_months: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add :data:`REGIME_COLUMNS` (military-type regime and leader tenure at the end of each year).

    Parameters
    ----------
    cy
        Frame with ``country_id_gw`` and ``year`` (rows kept as they are).
    regime_months
        The ``regime_months`` core table; loaded when not given.
    """
    require_columns(cy, _KEY, "country-years")
    if regime_months is None:
        from analysis.data import load

        regime_months = load("regime_months")
    return enrich(cy, regime_years(regime_months), _KEY, "regimes (CoupCats)")
