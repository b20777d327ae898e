"""Powell & Thyne Global Instances of Coups: event list and a G-W country-year aggregation.

Two files: the P&T event list V2022.11.29 (488 coup attempts, day-precision
dates, COW codes, 1950-01 to 2022-11) and a third-party (DemSpaces / V-Dem
Institute) aggregation of a later P&T list to Gleditsch-Ward country-years,
1950-2025, kept for cross-checks.

Quirks handled
--------------
* The event list is the official P&T TSV rewritten as comma-separated CSV by a
  third party; missing values are the string ``NA`` (read as NA).
* ``ccode_gw`` is NA in every row and ``ccode_polity`` in all but 7: the
  former is dropped (required to be present, never used), the latter is kept
  as ``country_id_polity``. ``ccode`` is a COW code (``country_id_cow``).
* ``coup``: 1 = failed attempt, 2 = successful coup, recoded to the boolean
  ``is_successful``; any other code is an error naming the row.
* Dates are day-precision in ``year``/``month``/``day``; an impossible date
  (e.g. 31 February) is an error naming the row.
* The event list ends 2022-11 (no 2023+ coups: the core ``coups`` table
  appends those from CoupCats).
* Same-month pairs exist (Haiti 1989-04, Bolivia 1981-05, Argentina 1975-12,
  Sierra Leone 1967-03, Togo 1991-10, Sudan 1966-12): they are separate
  events here (CoupCats collapses them).
* The ``version`` column must equal the registered version (V2022.11.29); it
  is checked and dropped.
* Both files are called ``ptcoups.csv`` upstream; the local names differ.
* In the country-year file, ``pt_attempt_total`` is **wrong** upstream (it
  equals the cumulative count of *successful* coups): it is recomputed as the
  cumulative sum of ``pt_attempt_num`` within each ``gwcode`` in year order
  (``attempts_cum_n``). ``pt_attempt_num`` must equal
  ``pt_coup_num + pt_failed_num`` (else an error naming the row).
* The country-year file's 0/1 indicators become booleans; its P&T version for
  2023-2025 is not recorded upstream.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field
from analysis.data.registry import raw_file
from analysis.errors import DataError
from analysis.sources._base import (
    LoaderSpec,
    check_codes,
    raw_path,
    read,
    require_columns,
    source_constants,
    strip_strings,
    to_date,
    to_numeric,
    validate,
)

_C = source_constants("coups_powell_thyne")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "powell_thyne_coups_V2022.11.29.csv"
FILE_COUNTRY_YEARS = "ptcoups_country_year_gw_1950_2025_demspaces.csv"

EVENT_COLUMNS = ("country", "ccode", "ccode_gw", "ccode_polity", "year", "month", "day", "coup", "version")
#: P&T ``coup`` codes.
COUP_CODES = {1: "failed attempt", 2: "successful coup"}

_FE = raw_file(SOURCE, FILE)
_FC = raw_file(SOURCE, FILE_COUNTRY_YEARS)

SCHEMA_EVENTS = pa.DataFrameSchema(
    {
        "country_name": field("country_name", nullable=False, description="Country name as spelled by P&T."),
        "country_id_cow": field(
            "country_id_cow",
            nullable=False,
            description="Correlates of War state code (P&T `ccode`).",
        ),
        "country_id_polity": pa.Column("Int64", nullable=True,
                                       description="Polity code where P&T give one (`ccode_polity`); "
                                                   "NA in all but a few rows."),
        "year": field(
            "year",
            pa.Check.in_range(_FE.year_start, _FE.year_end),
            nullable=False,
            description="Year of the coup attempt.",
        ),
        "month": field("month", nullable=False, description="Month of the coup attempt (1-12)."),
        "day": field("day", nullable=False, description="Day of the month of the coup attempt."),
        "date": pa.Column("datetime64[ns]", nullable=False, description="Date of the coup attempt (day)."),
        "is_successful": field(
            "is_successful",
            nullable=False,
            description="True for a successful coup (P&T `coup` = 2), False for a failed attempt (`coup` = "
                        "1).",
        ),
    },
    strict=True,
    unique=["country_id_cow", "date"],
    name="coups_powell_thyne.events",
)


def load_events(path: str | Path | None = None) -> pd.DataFrame:
    """Powell & Thyne coup attempts, one row per event, V2022.11.29.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        488 rows (243 successful, 245 failed), 1950-01 to 2022-11, unique on
        (``country_id_cow``, ``date``). Columns: ``country_name`` (string),
        ``country_id_cow`` (Int64 COW code), ``country_id_polity`` (Int64,
        mostly NA), ``year``, ``month``, ``day`` (Int64), ``date``
        (datetime64[ns], day precision), ``is_successful`` (boolean: True =
        successful coup, False = failed attempt).
    """
    p = raw_path(SOURCE, FILE, path)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=["NA", ""], encoding="utf-8")
    require_columns(raw, EVENT_COLUMNS, p)
    df = strip_strings(raw[list(EVENT_COLUMNS)])
    check_codes(df, "version", [_FE.version], p)
    for c in ("ccode", "ccode_polity", "year", "month", "day", "coup"):
        df[c] = to_numeric(df, c, p, dtype="Int64")
    check_codes(df, "coup", COUP_CODES, p)
    check_codes(df, "month", range(1, 13), p)
    check_codes(df, "day", range(1, 32), p)
    ymd = (df["year"].astype("string") + "-" + df["month"].astype("string") + "-"
           + df["day"].astype("string"))
    df["date"] = to_date(df.assign(date=ymd), "date", p, format="%Y-%m-%d")
    out = pd.DataFrame({
        "country_name": df["country"],
        "country_id_cow": df["ccode"],
        "country_id_polity": df["ccode_polity"],
        "year": df["year"],
        "month": df["month"],
        "day": df["day"],
        "date": df["date"],
        "is_successful": (df["coup"] == 2).astype("boolean"),
    })
    return validate(out, SCHEMA_EVENTS, p)


_SINCE = (" (upstream counter: 0 in a year with one; before the first one it counts years from the "
          "country's first panel year, which is 1).")
#: Country-year columns: upstream -> here (kind: n = count, b = 0/1 indicator).
CY_RENAME = {
    "gwcode": ("country_id_gw", "id", "Gleditsch-Ward country code."),
    "year": ("year", "id", "Calendar year."),
    "pt_attempt": ("has_attempt", "b", "True if at least one coup attempt (successful or failed)."),
    "pt_attempt_num": ("attempts_n", "n", "Coup attempts (successful + failed) in the year."),
    "pt_coup_num": ("coups_successful_n", "n", "Successful coups in the year."),
    "pt_coup": ("has_successful", "b", "True if at least one successful coup."),
    "pt_failed_num": ("coups_failed_n", "n", "Failed coup attempts in the year."),
    "pt_failed": ("has_failed", "b", "True if at least one failed attempt."),
    "pt_coup_total": ("coups_successful_cum_n", "n", "Successful coups since 1950 (cumulative, this "
                                                     "year included)."),
    "pt_failed_total": ("coups_failed_cum_n", "n", "Failed attempts since 1950 (cumulative)."),
    "pt_coup_num5yrs": ("coups_successful_5yr_n", "n", "Successful coups in the 5 years to this year."),
    "pt_failed_num5yrs": ("coups_failed_5yr_n", "n", "Failed attempts in the 5 years to this year."),
    "pt_attempt_num5yrs": ("attempts_5yr_n", "n", "Attempts in the 5 years to this year."),
    "pt_coup_num10yrs": ("coups_successful_10yr_n", "n", "Successful coups in the 10 years to this year."),
    "pt_failed_num10yrs": ("coups_failed_10yr_n", "n", "Failed attempts in the 10 years to this year."),
    "pt_attempt_num10yrs": ("attempts_10yr_n", "n", "Attempts in the 10 years to this year."),
    "years_since_last_pt_coup": ("years_since_successful", "n", "Years since the last successful coup"
                                                                f"{_SINCE}"),
    "years_since_last_pt_failed": ("years_since_failed", "n", f"Years since the last failed attempt{_SINCE}"),
    "years_since_last_pt_attempt": ("years_since_attempt", "n", f"Years since the last attempt{_SINCE}"),
}
CY_COLUMNS = (*CY_RENAME, "pt_attempt_total")

_cy_fields: dict[str, pa.Column] = {}
for _new, _kind, _desc in CY_RENAME.values():
    if _new == "country_id_gw":
        _cy_fields[_new] = field(_new, description=_desc)
    elif _kind == "b":
        _cy_fields[_new] = pa.Column("boolean", nullable=False, description=_desc)
    else:
        _cy_fields[_new] = pa.Column("Int64", pa.Check.ge(0), nullable=False,
                                     description=_desc + (" Count." if _kind == "n" else ""))
_cy_fields["year"] = field("year", pa.Check.in_range(_FC.year_start, _FC.year_end))
_cy_fields["attempts_cum_n"] = pa.Column(
    "Int64", pa.Check.ge(0), nullable=False,
    description="Coup attempts since 1950 (cumulative, this year included), recomputed from "
                "`pt_attempt_num` because the upstream `pt_attempt_total` is wrong. Count.")
SCHEMA_COUNTRY_YEARS = pa.DataFrameSchema(
    _cy_fields, strict=True, unique=["country_id_gw", "year"], name="coups_powell_thyne.country_years",
)


def load_country_years(path: str | Path | None = None) -> pd.DataFrame:
    """P&T coups aggregated to Gleditsch-Ward country-years (DemSpaces), 1950-2025.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        12,384 rows, primary key (``country_id_gw``, ``year``). Columns:
        ``country_id_gw``, ``year`` (Int64); counts (Int64): ``attempts_n``,
        ``coups_successful_n``, ``coups_failed_n``, cumulative
        ``attempts_cum_n`` (recomputed), ``coups_successful_cum_n``,
        ``coups_failed_cum_n``, rolling ``attempts_5yr_n``,
        ``coups_successful_5yr_n``, ``coups_failed_5yr_n``, ``attempts_10yr_n``,
        ``coups_successful_10yr_n``, ``coups_failed_10yr_n``, counters
        ``years_since_successful``, ``years_since_failed``,
        ``years_since_attempt``; indicators (boolean) ``has_attempt``,
        ``has_successful``, ``has_failed``. The upstream ``pt_attempt_total``
        is dropped (wrong upstream).
    """
    p = raw_path(SOURCE, FILE_COUNTRY_YEARS, path)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=["NA", ""], encoding="utf-8")
    require_columns(raw, CY_COLUMNS, p)
    df = raw[list(CY_RENAME)].copy()
    for col, (_new, kind, _desc) in CY_RENAME.items():  # errors name the upstream column
        df[col] = to_numeric(df, col, p, dtype="Int64")
        if kind == "b":
            check_codes(df, col, (0, 1), p)
            df[col] = df[col].astype("boolean")
    df = df.rename(columns={k: v[0] for k, v in CY_RENAME.items()})
    parts = df["coups_successful_n"] + df["coups_failed_n"]
    bad = (df["attempts_n"] != parts).fillna(False)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(p, "attempts differ from successful + failed coups", column="pt_attempt_num", row=i)
    order = df.sort_values(["country_id_gw", "year"], kind="stable").index
    cum = df.loc[order].groupby("country_id_gw")["attempts_n"].cumsum()
    df["attempts_cum_n"] = cum.reindex(df.index).astype("Int64")
    return validate(df, SCHEMA_COUNTRY_YEARS, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "events": LoaderSpec(load_events, SCHEMA_EVENTS, FILE, key=("country_id_cow", "date"), year="year"),
    "country_years": LoaderSpec(load_country_years, SCHEMA_COUNTRY_YEARS, FILE_COUNTRY_YEARS,
                                key=("country_id_gw", "year"), year="year"),
}
