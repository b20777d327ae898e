"""CoupCats (Thyne): the Powell & Thyne coup months through 2025, military-regime months and
leader spells.

Three files of the CoupCats ``data`` branch:

* ``2.c.base_data.csv.gz`` (:func:`load_coup_months`): only the coup indicators are read,
  the months with ``coup_attempt == 1`` (490 country-months, 1950-01 to 2025-12, COW codes),
  used to extend the P&T event list (which ends 2022-11) to 2023-2025.
* ``coupcats_military_regime.csv`` (:func:`load_military_regime_months`): the country-months
  under a military-type regime (REIGN government types), 1950-01 to 2025-03.
* ``leaderlist_2026_02_10.csv`` (:func:`load_leader_spells`): leader spells (start and end
  month), with the leader's military career.

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

Military-regime months (``coupcats_military_regime.csv``)
* CRLF line ends; only months *under* a military-type regime are listed (``milreg`` is
  always 1): a state-month inside the file's span (1950-01 to 2025-03) that is not listed
  was not under such a regime. The file does not list months outside that span.
* 62 country-months appear twice, with two regime types (a regime change within the month,
  e.g. Chad, Guinea, Sudan): one row per month is kept, the types joined with ``"; "``.

Leader spells (``leaderlist_2026_02_10.csv``)
* UTF-8, CRLF; one mojibake name ("Saca Gonzšlez"), kept as is (names are not keys);
  mixed-case project ids (``cb-395-2`` vs ``CB-395-4``), kept as is; 90 spells have no id.
* ``militarycareer`` is 1 (career officer), 0, 0.5 (4 spells, ambiguous) or -99/blank
  (unknown): -99 and blank are NA, 0.5 is kept. ``gender`` -99 is NA.
* A month outside 1-12 is NA, known to the year only: the end of Suga (Japan, ``emonth``
  20) and the start of Frostadóttir (Iceland 2024, ``smonth`` 21); a blank end year means
  the spell was ongoing when the list was made (2026-02).
* No column is a key: Maia Sandu (Moldova) has two spells starting 2019-06 (ending 2019-06
  and 2019-11); a spell is unique on state, name, start and end.
* Spells of one state can overlap by a few months (5 pairs: e.g. Haiti 2025, Côte d'Ivoire
  2000-2011 Gbagbo); the panel takes the most recent spell that has started.
* Known gaps (no spell covers the month): Mali after 2022-09 (the list ends Goïta's spell in
  2022-09 and has no successor), Somalia 1991-2012 (no government), a few single months.
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
    require_values,
    source_constants,
    strip_strings,
    to_numeric,
    validate,
)

_C = source_constants("coups_coupcats_thyne")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "2.c.base_data.csv.gz"
FILE_MILITARY = "coupcats_military_regime.csv"
FILE_LEADERS = "leaderlist_2026_02_10.csv"

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


_FM = raw_file(SOURCE, FILE_MILITARY)
SCHEMA_MILITARY_MONTHS = pa.DataFrameSchema(
    {
        "country_id_cow": field("country_id_cow", description="Correlates of War state code (`ccode`)."),
        "country_name": field("country_name", description="Country name (CoupCats)."),
        "year": field("year", pa.Check.in_range(_FM.year_start, _FM.year_end), description="Year."),
        "month": field("month", description="Month (1-12) under a military-type regime."),
        "regime_type": pa.Column(
            "string",
            nullable=False,
            description="REIGN government type(s) of the month (Military, Military-Personal, "
                        "Party-Military, Indirect Military, Provisional - Military, Party-Personal-Military "
                        "Hybrid); two types of one month joined with '; '.",
        ),
    },
    strict=True,
    unique=["country_id_cow", "year", "month"],
    name="coups_coupcats_thyne.military_regime_months",
)

#: Regime types of the military-regime file (REIGN); another value is an error naming its row.
MILITARY_REGIME_TYPES = ("Military", "Military-Personal", "Party-Military", "Indirect Military",
                         "Provisional - Military", "Party-Personal-Military Hybrid")


def load_military_regime_months(path: str | Path | None = None) -> pd.DataFrame:
    """Country-months under a military-type regime (CoupCats, from REIGN), 1950-01 to 2025-03.

    Parameters
    ----------
    path
        Read this file (same format) instead of the verified raw-cache copy.

    Returns
    -------
    pandas.DataFrame
        One row per (``country_id_cow``, ``year``, ``month``) under a military-type regime:
        ``country_id_cow`` (Int64), ``country_name`` (string), ``year``, ``month`` (Int64),
        ``regime_type`` (string, see :data:`MILITARY_REGIME_TYPES`). Months not listed inside
        the file's span were not under a military-type regime.
    """
    p = raw_path(SOURCE, FILE_MILITARY, path)
    cols = ("ccode", "country", "year", "month", "reign_type", "milreg")
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=["NA", ""], encoding="utf-8")
    require_columns(raw, cols, p)
    df = strip_strings(raw[list(cols)])
    for c in ("ccode", "year", "month", "milreg"):
        df[c] = to_numeric(df, c, p, dtype="Int64")
    require_values(df, ["ccode", "year", "month", "reign_type"], p)
    check_codes(df, "month", range(1, 13), p)
    check_codes(df, "milreg", (1,), p)
    check_codes(df, "reign_type", MILITARY_REGIME_TYPES, p)
    types = df.groupby(["ccode", "year", "month"], sort=False)["reign_type"].agg(
        lambda s: "; ".join(dict.fromkeys(s)))
    first = df.drop_duplicates(["ccode", "year", "month"]).set_index(["ccode", "year", "month"])
    out = pd.DataFrame({
        "country_id_cow": first.index.get_level_values(0),
        "country_name": first["country"].to_numpy(),
        "year": first.index.get_level_values(1),
        "month": first.index.get_level_values(2),
        "regime_type": types.reindex(first.index).to_numpy(),
    })
    for c in ("country_id_cow", "year", "month"):
        out[c] = out[c].astype("Int64")
    for c in ("country_name", "regime_type"):
        out[c] = out[c].astype("string")
    return validate(out, SCHEMA_MILITARY_MONTHS, p).reset_index(drop=True)


_FL = raw_file(SOURCE, FILE_LEADERS)
SCHEMA_LEADER_SPELLS = pa.DataFrameSchema(
    {
        "country_id_cow": field("country_id_cow", description="Correlates of War state code (`ccode`)."),
        "leader_id": pa.Column("string", nullable=True, description="Archigos id (`A2.9-...`) or the "
                               "project's own id (`ctb-432-1`); NA for 90 spells."),
        "leader_name": pa.Column("string", nullable=False,
                                 description="Leader's name as spelled in the list."),
        "start_year": pa.Column("Int64", pa.Check.in_range(_FL.year_start, _FL.year_end), nullable=False,
                                description="Year the spell started."),
        "start_month": field("month", nullable=True, description="Month the spell started; NA where the "
                             "file's month is not 1-12 (Frostadóttir, Iceland 2024: 21)."),
        "end_year": pa.Column("Int64", nullable=True, description="Year the spell ended; NA = ongoing when "
                              "the list was made (2026-02)."),
        "end_month": field("month", nullable=True, description="Month the spell ended; NA when ongoing or "
                           "invalid in the file (known to the year only)."),
        "leader_military_career": pa.Column(
            "Float64", pa.Check.isin([0.0, 0.5, 1.0]), nullable=True,
            description="1 = career military officer, 0 = not, 0.5 = ambiguous (as coded); NA = unknown "
                        "(-99 or blank in the file)."),
    },
    strict=True,
    name="coups_coupcats_thyne.leader_spells",
)


def load_leader_spells(path: str | Path | None = None) -> pd.DataFrame:
    """Leader spells of the CoupCats leader list (2026-02-10), one row per spell.

    Parameters
    ----------
    path
        Read this file (same format) instead of the verified raw-cache copy.

    Returns
    -------
    pandas.DataFrame
        ``country_id_cow`` (Int64), ``leader_id``, ``leader_name`` (string), ``start_year``,
        ``start_month``, ``end_year``, ``end_month`` (Int64; end NA = ongoing, end month NA
        also where the file's month is not 1-12), ``leader_military_career`` (Float64 0 / 0.5
        / 1, NA unknown), in file order. See the module docstring for the quirks.
    """
    p = raw_path(SOURCE, FILE_LEADERS, path)
    cols = ("ccode", "leadid", "leader", "smonth", "syear", "emonth", "eyear", "militarycareer")
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=["NA", ""], encoding="utf-8")
    require_columns(raw, cols, p)
    df = strip_strings(raw[list(cols)])
    for c in ("ccode", "smonth", "syear", "emonth", "eyear"):
        df[c] = to_numeric(df, c, p, dtype="Int64")
    career = to_numeric(df, "militarycareer", p)
    require_values(df, ["ccode", "leader", "smonth", "syear"], p)
    check_codes(career.to_frame("militarycareer"), "militarycareer", (0.0, 0.5, 1.0, -99.0), p)
    end_month = df["emonth"].where(df["emonth"].between(1, 12))
    bad_end = (df["eyear"] < df["syear"]).fillna(False)
    if bad_end.any():
        i = int(bad_end.to_numpy().nonzero()[0][0])
        raise DataError(p, "spell ends before it starts", column="eyear", row=i)
    out = pd.DataFrame({
        "country_id_cow": df["ccode"].astype("Int64"),
        "leader_id": df["leadid"].astype("string"),
        "leader_name": df["leader"].astype("string"),
        "start_year": df["syear"].astype("Int64"),
        "start_month": df["smonth"].where(df["smonth"].between(1, 12)).astype("Int64"),
        "end_year": df["eyear"].astype("Int64"),
        "end_month": end_month.astype("Int64"),
        "leader_military_career": career.mask(career == -99.0).astype("Float64"),
    })
    return validate(out, SCHEMA_LEADER_SPELLS, p).reset_index(drop=True)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "coup_months": LoaderSpec(load_coup_months, SCHEMA_COUP_MONTHS, FILE,
                              key=("country_id_cow", "year", "month"), year="year"),
    "military_regime_months": LoaderSpec(load_military_regime_months, SCHEMA_MILITARY_MONTHS, FILE_MILITARY,
                                         key=("country_id_cow", "year", "month"), year="year"),
    "leader_spells": LoaderSpec(load_leader_spells, SCHEMA_LEADER_SPELLS, FILE_LEADERS,
                                key=("country_id_cow", "leader_name", "start_year", "start_month",
                                     "end_year", "end_month"),
                                year="start_year"),
}
