"""U.S. military personnel abroad by host country-year (troopdata rebuild of DMDC reports).

One file, ``troopdata-rebuild-country-year.csv`` (Allen, Flynn & Martinez Machain),
1950-2024, one row per host country name and year.

Quirks handled
--------------
* UTF-8 (e.g. "Côte D’ivoire"); missing ISO3 codes are the literal string ``NA``.
* The file is unique on (``countryname``, ``year``), not on (``ccode``, ``year``):
  29 (``ccode``, ``year``) pairs are duplicated. In this version they are
  alternative spellings of the same state listed side by side from 2013 on
  (Czech Republic/Czechia, Macedonia/North Macedonia, Swaziland/Eswatini,
  Ivory Coast/Côte D’ivoire, Timor-Leste/East Timor, ...), one of the two rows
  being all zeros. The loader keeps every row, keyed on (``country_name``,
  ``year``); the core table sums the rows of a G-W state-year and fails if more
  than one of them is non-zero.
* Territories and places that are not states have troopdata's own codes >= 1000
  (Guam 1008, Greenland 1002, Azores 1040, Diego Garcia 1004, Antarctica 10000,
  Johnston Island 10100, ...) and Puerto Rico has code 6, which is no COW code:
  these rows get ``is_territory`` True and ``country_id_cow`` NA.
* ``ccode`` is COW-like but not year-correct: Germany is 255 for every year
  (COW codes West Germany 260 in 1955-1990), "Yemen" 679 appears in 1964-1978
  before unified Yemen existed, Kosovo 347 from 1999. Convert with the ISO3 code
  where there is one (see ``analysis.core.countries``), not with ``ccode`` alone.
* Six 1959 values of ``marine_corps_ad`` are negative (Australia, Bahrain,
  Greece, Lebanon, Singapore, Turkey): impossible counts, set to NA. The
  active-duty total ``troops_ad`` is kept as given.
* Zeros are reported values (no personnel), kept as 0; missing values are NA.
* Upstream NEWS: Iraq 2006-2007 values were corrected (1.0.1) and OIF/OEF
  personnel partly booked to Germany/UK in 2001-2011 were reassigned (1.0.3);
  DMDC reports undercount deployed-in-theatre and special-operations personnel
  (e.g. Sahel, Somalia). Values are used as published.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field
from analysis.sources._base import (
    ColumnOptions,
    LoaderSpec,
    raw_path,
    read,
    require_columns,
    source_constants,
    strip_strings,
    to_numeric,
    validate,
)

_C = source_constants("intervention_us_troopdata_flynn")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "troopdata-rebuild-country-year.csv"

#: troopdata codes that are not COW state codes: its own codes for territories start at 1000;
#: Puerto Rico is coded 6.
FIRST_TERRITORY_CODE = 1000
OTHER_TERRITORY_CODES = (6,)

#: File column -> count column (persons).
COUNTS = {
    "troops_ad": "us_troops_n",
    "army_ad": "us_army_n",
    "navy_ad": "us_navy_n",
    "air_force_ad": "us_air_force_n",
    "marine_corps_ad": "us_marines_n",
    "total_selected_reserve": "us_reserve_n",
    "total_civilian": "us_civilian_n",
}

_count = ColumnOptions(nullable=True, checks=pa.Check.ge(0))
SCHEMA_COUNTRY_YEAR = pa.DataFrameSchema(
    {
        "country_name": field(
            "country_name",
            description="Host country or territory name as in troopdata (the file's key with year).",
        ),
        "year": field("year", pa.Check.in_range(1950, 2100)),
        "country_id_cow": field(
            "country_id_cow",
            pa.Check.in_range(2, 999),
            nullable=True,
            description="troopdata's COW-based code (not year-correct: Germany is 255 throughout); NA for "
                        "territories.",
        ),
        "country_id_iso3": field(
            "country_id_iso3",
            nullable=True,
            description="ISO3 code as given; NA for territories and historical states.",
        ),
        "is_territory": pa.Column("boolean", description="True for territories and non-state places "
                                                         "(troopdata code >= 1000, or Puerto Rico 6)."),
        "us_troops_n": field(
            "us_troops_n",
            **_count,
            description="U.S. active-duty military personnel, all services, persons.",
        ),
        "us_army_n": pa.Column("Int64", **_count, description="U.S. Army active duty, persons."),
        "us_navy_n": pa.Column("Int64", **_count, description="U.S. Navy active duty, persons."),
        "us_air_force_n": pa.Column("Int64", **_count, description="U.S. Air Force active duty, persons."),
        "us_marines_n": pa.Column("Int64", **_count,
                                  description="U.S. Marine Corps active duty, persons; NA where negative "
                                              "upstream (6 values in 1959)."),
        "us_reserve_n": pa.Column("Int64", **_count, description="U.S. selected reserve, persons."),
        "us_civilian_n": pa.Column("Int64", **_count, description="U.S. DoD civilian personnel, persons."),
    },
    strict=True,
    unique=["country_name", "year"],
    name="intervention_us_troopdata_flynn.country_year",
)


def load_country_year(path: str | Path | None = None) -> pd.DataFrame:
    """U.S. military and DoD civilian personnel by host country (or territory) and year.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per host name and year (primary key ``country_name``, ``year``),
        1950-2024, 13,135 rows:

        ``country_name`` (string), ``year`` (Int64), ``country_id_cow`` (Int64,
        troopdata's code, NA for territories), ``country_id_iso3`` (string),
        ``is_territory`` (boolean), and counts in persons (Int64):
        ``us_troops_n`` (active duty, all services), ``us_army_n``, ``us_navy_n``,
        ``us_air_force_n``, ``us_marines_n``, ``us_reserve_n`` (selected
        reserve), ``us_civilian_n`` (DoD civilians).
    """
    p = raw_path(SOURCE, FILE, path)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=["NA", ""], encoding="utf-8")
    require_columns(raw, ["countryname", "year", "ccode", "iso3c", *COUNTS], p)
    raw = strip_strings(raw)
    code = to_numeric(raw, "ccode", p, dtype="Int64")
    territory = (code >= FIRST_TERRITORY_CODE) | code.isin(OTHER_TERRITORY_CODES)
    df = pd.DataFrame({
        "country_name": raw["countryname"].astype("string"),
        "year": to_numeric(raw, "year", p, dtype="Int64"),
        "country_id_cow": code.mask(territory),
        "country_id_iso3": raw["iso3c"].astype("string"),
        "is_territory": territory.astype("boolean"),
    })
    for src, dst in COUNTS.items():
        df[dst] = to_numeric(raw, src, p, dtype="Int64")
    df["us_marines_n"] = df["us_marines_n"].mask(df["us_marines_n"] < 0)
    return validate(df, SCHEMA_COUNTRY_YEAR, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "country_year": LoaderSpec(load_country_year, SCHEMA_COUNTRY_YEAR, FILE, key=("country_name", "year")),
}
