"""Regimes and leaders by state-month: military-type regimes and leader tenure (CoupCats).

Core table
----------
``regime_months``
    Every Gleditsch-Ward state-month, 1950-01 to 2025-12, with

    * ``is_military_regime``: under a military-type regime (CoupCats' military-regime
      months, REIGN government types) in the month. The file lists only the months under
      such a regime, so a month it does not list is ``False`` **inside its span** (1950-01 to
      its last listed month, 2025-03); after that month the column is NA (never carried
      forward).
    * ``leader_name``, ``leader_tenure_months`` (0 in the month the leader took office),
      ``is_leader_military`` (a career officer; NA when the list codes 0.5 or unknown): the
      spell of the CoupCats leader list that covers the month. Where spells overlap, the one
      that started last governs; a spell covers its start month through its end month (an
      end known to the year only: through December; an ongoing spell: through the list's
      date, 2026-02). A month no spell covers is NA (Mali after 2022-09, Somalia 1991-2012:
      see :mod:`analysis.sources.coups_coupcats_thyne`). Spells without a valid start month
      are left out (one, outside Africa).

States are matched on the COW code that ``country_codes`` gives the G-W state in that year
(both CoupCats files are COW-coded); a G-W state-year without a COW code has NA throughout.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field
from analysis.data.tables import table
from analysis.sources import coups_coupcats_thyne as cc

#: Years of ``regime_months`` (the coup lists' first year to the last year either file covers).
REGIME_YEARS = (1950, 2025)
#: Month of the leader list's date: an ongoing spell covers months up to this one.
LEADER_LIST_MONTH = (2026, 2)

SCHEMA_REGIME_MONTHS = pa.DataFrameSchema(
    {
        "country_id_gw": field("country_id_gw"),
        "year": field("year", pa.Check.in_range(*REGIME_YEARS)),
        "month": field("month"),
        "country_id_cow": field("country_id_cow", nullable=True,
                                description="COW code of the G-W state that year (country_codes); NA if "
                                            "none."),
        "is_military_regime": pa.Column(
            "boolean", nullable=True,
            description="Under a military-type regime in the month (CoupCats/REIGN: Military, "
                        "Military-Personal, Party-Military, Indirect Military, Provisional - Military, "
                        "Party-Personal-Military Hybrid); False inside the file's span when not listed; "
                        "NA after its last month (2025-03) or without a COW code."),
        "regime_type": pa.Column("string", nullable=True,
                                 description="REIGN type(s) of a military-regime month; NA otherwise."),
        "leader_name": pa.Column("string", nullable=True,
                                 description="Leader in office (CoupCats leader list); NA where no spell "
                                             "covers the month."),
        "leader_tenure_months": pa.Column(
            "Int64", pa.Check.ge(0), nullable=True,
            description="Months since the leader in office took office (0 in the month of entry); NA where "
                        "no spell covers the month."),
        "is_leader_military": pa.Column(
            "boolean", nullable=True,
            description="The leader in office is a career military officer (leader list "
                        "`militarycareer` = 1; 0 -> False; 0.5 or unknown -> NA)."),
    },
    strict=True,
    unique=["country_id_gw", "year", "month"],
    name="regime_months",
)


def _mindex(year: pd.Series | np.ndarray, month: pd.Series | np.ndarray) -> np.ndarray:
    return np.asarray(year, dtype="float64") * 12 + np.asarray(month, dtype="float64") - 1


def state_months(codes: pd.DataFrame, years: tuple[int, int] = REGIME_YEARS) -> pd.DataFrame:
    """Every G-W state-month of ``codes`` (``country_codes``) in ``years``, with its COW code."""
    sy = codes.loc[codes["year"].between(*years), ["country_id_gw", "year", "country_id_cow"]]
    out = sy.loc[sy.index.repeat(12)].reset_index(drop=True)
    out.insert(2, "month", pd.array(np.tile(np.arange(1, 13), len(sy)), dtype="Int64"))
    return out.sort_values(["country_id_gw", "year", "month"]).reset_index(drop=True)


def military_by_month(months: pd.DataFrame, military: pd.DataFrame) -> pd.DataFrame:
    """``is_military_regime`` and ``regime_type`` of each row of ``months`` (``country_id_cow``,
    ``year``, ``month``) from :func:`~analysis.sources.coups_coupcats_thyne.load_military_regime_months`:
    False inside the file's span when not listed, NA after its last listed month or without a
    COW code."""
    key = ["country_id_cow", "year", "month"]
    m = military[[*key, "regime_type"]].assign(_mil=True)
    x = months.merge(m, on=key, how="left", validate="many_to_one")
    last = _mindex(military["year"], military["month"]).max() if len(military) else -np.inf
    inside = (_mindex(x["year"], x["month"]) <= last) & x["country_id_cow"].notna().to_numpy()
    mil = x["_mil"].astype("boolean").fillna(False)
    x["is_military_regime"] = mil.where(pd.Series(inside, index=x.index))
    x["regime_type"] = x["regime_type"].astype("string")
    return x.drop(columns="_mil")


def leaders_by_month(months: pd.DataFrame, spells: pd.DataFrame,
                     list_month: tuple[int, int] = LEADER_LIST_MONTH) -> pd.DataFrame:
    """The leader in office in each row of ``months`` (``country_id_cow``, ``year``, ``month``).

    ``spells`` is :func:`~analysis.sources.coups_coupcats_thyne.load_leader_spells`. A spell covers
    its start month through its end month (December of its end year when the end month is
    unknown; ``list_month`` when ongoing); of the spells covering a month, the one that started
    last governs. Adds ``leader_name``, ``leader_tenure_months``, ``is_leader_military``.
    """
    sp = spells.dropna(subset=["country_id_cow", "start_year", "start_month"]).copy()
    sp["_s"] = _mindex(sp["start_year"], sp["start_month"])
    end_month = sp["end_month"].astype("Float64").fillna(12.0)
    e = _mindex(sp["end_year"].astype("Float64"), end_month)
    sp["_e"] = np.where(np.isnan(e), _mindex([list_month[0]], [list_month[1]])[0], e)
    x = months.reset_index(drop=True).copy()
    x["_t"] = _mindex(x["year"], x["month"])
    x["_row"] = np.arange(len(x))
    name = np.full(len(x), None, dtype=object)
    tenure = np.full(len(x), np.nan)
    career = np.full(len(x), np.nan)
    for cow, g in x.dropna(subset=["country_id_cow"]).groupby("country_id_cow"):
        s = sp[sp["country_id_cow"] == cow].sort_values("_s")
        if s.empty:
            continue
        t = g["_t"].to_numpy()
        starts, ends = s["_s"].to_numpy(), s["_e"].to_numpy()
        cover = (starts[None, :] <= t[:, None]) & (ends[None, :] >= t[:, None])
        # the covering spell that started last (spells sorted by start): last True in each row
        has = cover.any(axis=1)
        last = cover.shape[1] - 1 - np.argmax(cover[:, ::-1], axis=1)
        rows = g["_row"].to_numpy()[has]
        pick = last[has]
        name[rows] = s["leader_name"].to_numpy()[pick]
        tenure[rows] = t[has] - starts[pick]
        career[rows] = s["leader_military_career"].to_numpy(dtype="float64", na_value=np.nan)[pick]
    x["leader_name"] = pd.array(name, dtype="string")
    x["leader_tenure_months"] = pd.array(tenure, dtype="Float64").astype("Int64")
    mil = pd.Series(pd.array(np.where(career == 1.0, True, False), dtype="boolean"))
    x["is_leader_military"] = mil.where(np.isin(career, (0.0, 1.0)))
    return x.drop(columns=["_t", "_row"])


@table(
    "regime_months",
    primary_key=("country_id_gw", "year", "month"),
    unit="Gleditsch-Ward state x month",
    coverage=f"{REGIME_YEARS[0]}-01 to {REGIME_YEARS[1]}-12 (military regimes to the file's last month, "
             "2025-03; leaders to 2026-02)",
    sources=("coups_coupcats_thyne",),
    schema=SCHEMA_REGIME_MONTHS,
    depends=("country_codes",),
)
def build_regime_months(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Military-type regimes and the leader in office by G-W state-month (CoupCats), 1950-2025."""
    months = state_months(deps["country_codes"])
    x = military_by_month(months, cc.load_military_regime_months())
    x = leaders_by_month(x, cc.load_leader_spells())
    x["country_id_cow"] = x["country_id_cow"].astype("Int64")
    return x[list(SCHEMA_REGIME_MONTHS.columns)]
