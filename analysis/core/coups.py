"""Coups d'état: the Powell & Thyne event list extended to 2025, and the Cline Center events.

Core tables
-----------
``coups``
    One row per coup attempt (successful or failed), 1950-01 to 2025-12:
    the Powell & Thyne (P&T) event list V2022.11.29 with day-precision dates
    (488 events, to 2022-11-25), then the CoupCats coup months *after* the last
    P&T event's month (month precision), so that the 2023-2025 coups (Sudan
    2023-04, Niger 2023-07, Gabon 2023-08, Bolivia 2024-06, Bangladesh 2024-08,
    Madagascar 2025-10, Guinea-Bissau 2025-11, Benin 2025-12) are included.
``coups_cline``
    The Cline Center Coup d'État Project events (coups, attempted coups and
    conspiracies, 1945-2022), separately, for robustness checks.
``coups_coupcats``
    The CoupCats coup months (1950-01 to 2025-12, month precision, one row per
    country-month with an attempt), separately: the third coup coding of the
    specification curves (the Powell & Thyne indicators by month, with the six
    collapsed months of :data:`analysis.sources.coups_coupcats_thyne.COLLAPSED_MONTHS`).

Seam rule (no double counting)
------------------------------
CoupCats' coup indicators are P&T's, merged by month. Let S be the month of the
last P&T event (2022-11, São Tomé and Príncipe, 2022-11-25). A CoupCats coup
month is appended only if it is *after* S; months up to and including S are
P&T's, at day precision. Appended rows can therefore never repeat a P&T
event (the builder also checks that no appended country-month holds a P&T
event). Up to S the two agree on 481 country-months (same success coding);
CoupCats has one month P&T V2022.11.29 lacks (Equatorial Guinea 1986-07, failed)
and lacks Oman 1970 (COW does not list Oman in 1970) — neither is appended
or dropped, P&T rules up to S. :func:`seam_report` gives these numbers.

CoupCats collapses two coups in the same month into one row (Haiti 1989-04,
Bolivia 1981-05, Argentina 1975-12, Sierra Leone 1967-03, Togo 1991-10, Sudan
1966-12). All are before 2022, so they do not affect the appended part: every
appended row is one coup month, which for 2022-12 to 2025-12 is one event (the
DemSpaces G-W country-year aggregation of a later P&T list has exactly one
attempt in each of those country-years, except Benin 2025, which is after that
file's update). CoupCats' 2026 rows carry no coups (its panel is extended
by copying): the table's coverage ends in 2025-12.

Country codes
-------------
``country_id_cow`` is the source's COW code; ``country_id_gw`` comes from
:func:`analysis.core.countries.gw_from_cow` (year-varying crosswalk). Where the
crosswalk has no G-W state because COW does not list the state in that year but
the G-W system lists a state with the same code and no COW counterpart in that
year, that G-W code is used (P&T and Cline Oman 1970 -> 698; Cline German
Democratic Republic 1953 -> 265). Otherwise ``country_id_gw`` stays NA (Cline
Sudan 1955, before independence).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.core.schemas import (
    _CL,
    _PT,
    COUPCATS_LAST_CODED_YEAR,
    SCHEMA_COUPS,
    SCHEMA_COUPS_CLINE,
    SCHEMA_COUPS_COUPCATS,
)
from analysis.data.tables import table
from analysis.sources import coups_cline_center, coups_coupcats_thyne, coups_powell_thyne


def gw_of(cow: pd.Series, year: pd.Series, codes: pd.DataFrame) -> pd.Series:
    """G-W codes of COW-coded events, with the same-code fallback described in the module docstring.

    Parameters
    ----------
    cow, year
        COW codes and years (aligned).
    codes
        The ``country_codes`` core table.

    Returns
    -------
    pandas.Series
        Int64 G-W codes aligned with ``cow``; NA where no state matches.
    """
    from analysis.core.countries import gw_from_cow

    gw = gw_from_cow(cow, year, codes)
    todo = gw.isna() & cow.notna()
    if todo.any():
        no_cow = codes.loc[codes["country_id_cow"].isna(), ["country_id_gw", "year"]].astype("Int64")
        cand = pd.DataFrame({"country_id_gw": cow[todo].astype("Int64").to_numpy(),
                             "year": year[todo].astype("Int64").to_numpy()})
        hit = cand.merge(no_cow.assign(_ok=True), on=["country_id_gw", "year"], how="left")["_ok"]
        fill = cand["country_id_gw"].where(hit.fillna(False).astype(bool).to_numpy())
        gw.loc[todo] = fill.to_numpy()
    return gw.astype("Int64")


# --------------------------------------------------------------------------- coups


def _month_index(year: pd.Series, month: pd.Series) -> pd.Series:
    return year.astype("Int64") * 12 + month.astype("Int64") - 1


def _pad(s: pd.Series, n: int) -> pd.Series:
    return s.astype("Int64").astype("string").str.zfill(n)


def coups_from(pt: pd.DataFrame, cc: pd.DataFrame, codes: pd.DataFrame, *,
               seam: pd.Timestamp | None = None) -> pd.DataFrame:
    """Assemble ``coups`` from the P&T events, the CoupCats coup months and ``country_codes``.

    Parameters
    ----------
    pt
        :func:`analysis.sources.coups_powell_thyne.load_events`.
    cc
        :func:`analysis.sources.coups_coupcats_thyne.load_coup_months`.
    codes
        The ``country_codes`` core table.
    seam
        CoupCats months after this date's month are appended; default: the
        date of the last P&T event (every P&T event is always kept).

    Returns
    -------
    pandas.DataFrame
        The ``coups`` table (see :data:`SCHEMA_COUPS`), sorted by date and id.

    Raises
    ------
    ValueError
        If an appended CoupCats month holds a P&T event of the same country
        (double counting; only possible with a ``seam`` before the last P&T
        event).
    """
    seam = pd.Timestamp(pt["date"].max() if seam is None else seam)
    seam_idx = seam.year * 12 + seam.month - 1
    a = pd.DataFrame({
        "coup_id": "pt_" + _pad(pt["country_id_cow"], 3) + "_" + pt["date"].dt.strftime("%Y%m%d"),
        "country_id_cow": pt["country_id_cow"].astype("Int64"),
        "country_name": pt["country_name"].astype("string"),
        "year": pt["year"].astype("Int64"),
        "month": pt["month"].astype("Int64"),
        "day": pt["day"].astype("Int64"),
        "date": pt["date"].astype("datetime64[ns]"),
        "date_precision": "day",
        "is_successful": pt["is_successful"].astype("boolean"),
        "source_dataset": "powell_thyne",
    })
    late = cc[(_month_index(cc["year"], cc["month"]) > seam_idx).fillna(False)]
    b = pd.DataFrame({
        "coup_id": "cc_" + _pad(late["country_id_cow"], 3) + "_" + _pad(late["year"], 4)
                   + _pad(late["month"], 2),
        "country_id_cow": late["country_id_cow"].astype("Int64"),
        "country_name": late["country_name"].astype("string"),
        "year": late["year"].astype("Int64"),
        "month": late["month"].astype("Int64"),
        "day": pd.array([pd.NA] * len(late), dtype="Int64"),
        "date": pd.to_datetime(pd.DataFrame({"year": late["year"].astype("int64"),
                                             "month": late["month"].astype("int64"), "day": 1}))
                  .astype("datetime64[ns]"),
        "date_precision": "month",
        "is_successful": late["is_successful"].astype("boolean"),
        "source_dataset": "coupcats",
    })
    key = ["country_id_cow", "year", "month"]
    clash = b[key].merge(a[key].drop_duplicates(), on=key)
    if len(clash):
        raise ValueError(f"appended CoupCats months repeat P&T events: {clash.to_dict('records')}")
    out = pd.concat([a, b], ignore_index=True)
    for c in ("coup_id", "country_name", "date_precision", "source_dataset"):
        out[c] = out[c].astype("string")
    out.insert(2, "country_id_gw", gw_of(out["country_id_cow"], out["year"], codes))
    return out.sort_values(["date", "coup_id"]).reset_index(drop=True)


@table(
    "coups",
    primary_key=("coup_id",),
    unit="coup attempt",
    coverage=f"{_PT.year_start}-01 to {COUPCATS_LAST_CODED_YEAR}-12 (P&T to its last event, CoupCats after)",
    sources=("coups_powell_thyne", "coups_coupcats_thyne"),
    schema=SCHEMA_COUPS,
    depends=("country_codes",),
)
def build_coups(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Coup attempts 1950-2025: Powell & Thyne events, then CoupCats coup months after the seam.

    496 rows on the current data: 488 P&T events (day precision, 1950-05 to
    2022-11) and 8 CoupCats coup months 2023-04 to 2025-12 (month precision,
    ``date`` the first of the month). Seam rule, collapsed months and the
    country-code rule are in the module docstring. Absence of a row means no
    coup attempt only within 1950-01 to 2025-12.
    """
    return coups_from(coups_powell_thyne.load_events(), coups_coupcats_thyne.load_coup_months(),
                      deps["country_codes"])


@dataclass(frozen=True)
class SeamReport:
    """How the P&T event list and the CoupCats coup months compare.

    Attributes
    ----------
    seam
        Date of the last P&T event; CoupCats months after its month are appended.
    n_common
        Country-months with a coup in both, up to the seam month.
    success_agree
        Share of those with the same success coding (a P&T month counts as
        successful if any of its events succeeded).
    cc_only, pt_only
        Country-months (COW, year, month) up to the seam month in one source only.
    collapsed
        P&T country-months with more than one event (one CoupCats row each).
    appended
        CoupCats coup months after the seam month (the rows ``coups`` adds).
    """

    seam: pd.Timestamp
    n_common: int
    success_agree: float
    cc_only: pd.DataFrame
    pt_only: pd.DataFrame
    collapsed: pd.DataFrame
    appended: pd.DataFrame


def seam_report(pt: pd.DataFrame, cc: pd.DataFrame) -> SeamReport:
    """Compare the P&T events with the CoupCats coup months around the seam.

    Parameters
    ----------
    pt, cc
        As for :func:`coups_from`.

    Returns
    -------
    SeamReport
    """
    seam = pd.Timestamp(pt["date"].max())
    seam_idx = seam.year * 12 + seam.month - 1
    key = ["country_id_cow", "year", "month"]
    months = (pt.groupby(key, as_index=False)
                .agg(events_n=("is_successful", "size"), is_successful=("is_successful", "max")))
    before = cc[(_month_index(cc["year"], cc["month"]) <= seam_idx).fillna(False)]
    m = months.merge(before, on=key, how="outer", suffixes=("_pt", "_cc"), indicator=True)
    both = m[m["_merge"] == "both"]
    same = both["is_successful_pt"] == both["is_successful_cc"]
    agree = float(same.mean()) if len(both) else float("nan")
    return SeamReport(
        seam=seam, n_common=len(both), success_agree=agree,
        cc_only=m.loc[m["_merge"] == "right_only", key].reset_index(drop=True),
        pt_only=m.loc[m["_merge"] == "left_only", key].reset_index(drop=True),
        collapsed=months.loc[months["events_n"] > 1, [*key, "events_n"]].reset_index(drop=True),
        appended=cc[(_month_index(cc["year"], cc["month"]) > seam_idx).fillna(False)].reset_index(drop=True),
    )


# --------------------------------------------------------------------------- coups_cline


@table(
    "coups_cline",
    primary_key=("coup_id",),
    unit="coup event (coup, attempted coup or conspiracy)",
    coverage=f"{_CL.year_start}-{_CL.year_end}",
    sources=("coups_cline_center",),
    schema=SCHEMA_COUPS_CLINE,
    depends=("country_codes",),
)
def build_coups_cline(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Cline Center coup events 1945-2022 (v2.1.2): realized coups, attempts and conspiracies.

    981 rows keyed by the Cline Center's ``coup_id`` (a string, leading zeros
    kept). Columns as in :func:`analysis.sources.coups_cline_center.load_events`
    plus ``country_id_gw``. Not merged with ``coups``: definitions differ (Cline
    also codes conspiracies, auto-coups, forced resignations, popular revolts)
    and it lacks Guinea 2021-09 and all 2023+ events.
    """
    df = coups_cline_center.load_events()
    gw = gw_of(df["country_id_cow"], df["year"], deps["country_codes"])
    df.insert(df.columns.get_loc("country_id_cow") + 1, "country_id_gw", gw)
    return df.sort_values(["date", "coup_id"]).reset_index(drop=True)


# --------------------------------------------------------------------------- coups_coupcats


@table(
    "coups_coupcats",
    primary_key=("country_id_cow", "year", "month"),
    unit="coup month (country-month with at least one attempt)",
    coverage=f"{_PT.year_start}-01 to {COUPCATS_LAST_CODED_YEAR}-12",
    sources=("coups_coupcats_thyne",),
    schema=SCHEMA_COUPS_COUPCATS,
    depends=("country_codes",),
)
def build_coups_coupcats(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """CoupCats coup months 1950-2025 with G-W codes (490 rows on the current data, 247 successful).

    A row is a country-month with at least one coup attempt (two attempts in one month are one
    row, see :data:`analysis.sources.coups_coupcats_thyne.COLLAPSED_MONTHS`); 2026 has none
    coded (the upstream panel is a copy there), so the coverage ends in 2025-12.
    """
    cc = coups_coupcats_thyne.load_coup_months()
    cc = cc[cc["year"] <= COUPCATS_LAST_CODED_YEAR].copy()
    cc.insert(2, "country_id_gw", gw_of(cc["country_id_cow"], cc["year"], deps["country_codes"]))
    return cc.sort_values(["year", "month", "country_id_cow"]).reset_index(drop=True)
