"""CoupCats country-month base data (Thyne): the Powell & Thyne coup months through 2025.

Only the coup indicators are read: the months with ``coup_attempt == 1``
(490 country-months, 1950-01 to 2025-12, COW codes), used to extend the P&T
event list (which ends 2022-11) to 2023-2025.

Quirks handled
--------------
* gzip-compressed CSV (146,244 x 31, ~24 MB unpacked): only the six needed
  columns are read (``usecols``); missing values are the string ``NA``;
  ``country`` is quoted.
* Country codes are COW (``ccode``), kept as ``country_id_cow``.
* The upstream build copies the 2023+ rows forward to extend the panel to
  2026, so **covariates for 2025-2026 are partly synthetic**: none is read
  here. The coup indicators are merged from the live P&T file and are real;
  2026 has no coups coded (months after the P&T update are 0).
* Two coups in the same month were collapsed into one row upstream (Haiti
  1989-04, Bolivia 1981-05, Argentina 1975-12, Sierra Leone 1967-03 with the
  successful one kept, Togo 1991-10, Sudan 1966-12): one row here is a
  *coup month*, not a coup event. All six are before 2022.
* Month precision only (no day).
* ``coup_attempt`` and ``coup_successful`` must be 0/1, and a successful month
  must be an attempt month; otherwise an error names the row.
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
    to_numeric,
    validate,
)

_C = source_constants("coups_coupcats_thyne")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "2.c.base_data.csv.gz"

USECOLS = ("country", "ccode", "year", "month", "coup_attempt", "coup_successful")
#: Months in which CoupCats collapsed two P&T events into one row (COW code, year, month).
COLLAPSED_MONTHS = ((41, 1989, 4), (145, 1981, 5), (160, 1975, 12), (451, 1967, 3), (461, 1991, 10),
                    (625, 1966, 12))

_F = raw_file(SOURCE, FILE)
SCHEMA_COUP_MONTHS = pa.DataFrameSchema(
    {
        "country_name": field("country_name", nullable=False, description="Country name (CoupCats)."),
        "country_id_cow": field(
            "country_id_cow",
            nullable=False,
            description="Correlates of War state code (`ccode`).",
        ),
        "year": field(
            "year",
            pa.Check.in_range(_F.year_start, _F.year_end),
            nullable=False,
            description="Year of the coup month.",
        ),
        "month": field(
            "month",
            nullable=False,
            description="Month (1-12) with at least one P&T coup attempt.",
        ),
        "is_successful": field(
            "is_successful",
            nullable=False,
            description="True if the month's attempt succeeded (`coup_successful` = 1); a collapsed month "
                        "keeps the successful one.",
        ),
    },
    strict=True,
    unique=["country_id_cow", "year", "month"],
    name="coups_coupcats_thyne.coup_months",
)


def load_coup_months(path: str | Path | None = None) -> pd.DataFrame:
    """Country-months with a coup attempt in the CoupCats panel, 1950-01 to 2025-12.

    Parameters
    ----------
    path
        Read this file (gzip CSV, same format) instead of the verified
        raw-cache copy.

    Returns
    -------
    pandas.DataFrame
        490 rows (247 successful), primary key (``country_id_cow``, ``year``,
        ``month``). Columns: ``country_name`` (string), ``country_id_cow``
        (Int64 COW code), ``year``, ``month`` (Int64), ``is_successful``
        (boolean: True = successful coup in the month, False = failed
        attempt(s) only). Month precision; a row is a coup month (see
        :data:`COLLAPSED_MONTHS`).
    """
    p = raw_path(SOURCE, FILE, path)
    raw = read(p, pd.read_csv, usecols=lambda c: c in USECOLS, dtype=str, keep_default_na=False,
               na_values=["NA", ""], compression="gzip", encoding="utf-8")
    require_columns(raw, USECOLS, p)
    df = strip_strings(raw[list(USECOLS)])
    for c in ("ccode", "year", "month", "coup_attempt", "coup_successful"):
        df[c] = to_numeric(df, c, p, dtype="Int64")
    check_codes(df, "month", range(1, 13), p)
    for c in ("coup_attempt", "coup_successful"):
        check_codes(df, c, (0, 1), p)
    bad = ((df["coup_successful"] == 1) & (df["coup_attempt"] != 1)).fillna(False)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(p, "successful coup in a month without an attempt", column="coup_successful", row=i)
    dup = df.duplicated(["ccode", "year", "month"]) & df["ccode"].notna()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataError(p, "duplicate country-month", column="ccode", row=i)
    coup = df[(df["coup_attempt"] == 1).fillna(False)]
    out = pd.DataFrame({
        "country_name": coup["country"],
        "country_id_cow": coup["ccode"],
        "year": coup["year"],
        "month": coup["month"],
        "is_successful": (coup["coup_successful"] == 1).astype("boolean"),
    })
    return validate(out, SCHEMA_COUP_MONTHS, p).reset_index(drop=True)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "coup_months": LoaderSpec(load_coup_months, SCHEMA_COUP_MONTHS, FILE,
                              key=("country_id_cow", "year", "month"), year="year"),
}
