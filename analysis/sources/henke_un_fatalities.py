"""UN peacekeeping fatalities by contributing country, mission and month, 1948-07 to 2015-06 (Henke 2019).

Quirks handled
--------------
* The file name is spelled ``Contigent`` (sic) upstream: kept as registered.
* Only contributor-mission-months with at least one fatality are present: absent months mean zero
  fatalities *inside* the coverage (1948-07 to 2015-06), not missing; the loader does not add the
  zero rows, and months after 2015-06 are outside the coverage (NA, not zero).
* ``Cowcontr`` (COW code of the contributor) is missing in 13 rows (nationality
  ``ZZ [Undetermined]``): NA. ``Cowcontr`` is 1020 for "Occupied Palestinian Territory" (2 rows),
  which is not a COW state code: set to NA (:data:`NON_COW_CODES`); the name is kept.
* Four incident categories (Illness, Accident, Malicious, Other) versus six in the UN file: kept as
  four columns; ``Malicious`` corresponds to the UN's "Malicious Act" (``cause`` hostile).
* Stata variable labels hold the descriptions (no value labels): the column descriptions of
  :data:`SCHEMA_MONTHLY` carry them.
* Mission names are upper-cased into ``mission_id_un`` (``UN Secretariat`` -> ``UN SECRETARIAT``,
  mapped to the UN file's ``UNSECRETARIAT`` by :data:`MISSION_ID_UN_FIXES`).
* The category counts sum to ``Total`` and the personnel-type counts sum to ``Total`` in every
  row: both identities are checked (a row that breaks one is an error).
* Counts are stored as int8: widened to Int64.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field
from analysis.errors import DataError
from analysis.sources._base import (
    ColumnOptions,
    LoaderSpec,
    raw_path,
    read,
    require_columns,
    require_values,
    source_constants,
    strip_strings,
    to_numeric,
    validate,
)

_C = source_constants("henke_un_fatalities")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "Contigent-mission-month_data.dta"

RENAME = {
    "Year": "year",
    "Month": "month",
    "Nationality": "country_name",
    "Mission": "mission_henke",
    "Cowcontr": "country_id_cow",
    "Illness": "fatalities_illness_n",
    "Accident": "fatalities_accident_n",
    "Malicious": "fatalities_malicious_n",
    "Other": "fatalities_other_n",
    "Total": "fatalities_n",
    "Mil": "fatalities_military_n",
    "Obs": "fatalities_observers_n",
    "Police": "fatalities_police_n",
    "Local": "fatalities_local_n",
    "International": "fatalities_international_n",
    "Otherstaff": "fatalities_otherstaff_n",
}
#: Henke's own categories of death (malicious acts, not the UN's hostile acts): its column names here.
HENKE_CAUSES = [
    "fatalities_illness_n", "fatalities_accident_n", "fatalities_malicious_n", "fatalities_other_n"
]
PERSONNEL = ["fatalities_military_n", "fatalities_observers_n", "fatalities_police_n", "fatalities_local_n",
             "fatalities_international_n", "fatalities_otherstaff_n"]

#: Henke mission names whose upper-cased form differs from the UN fatalities file's acronym.
MISSION_ID_UN_FIXES = {"UN SECRETARIAT": "UNSECRETARIAT"}

#: Contributor codes that are not COW state codes (1020: Occupied Palestinian Territory) -> NA.
NON_COW_CODES = frozenset({1020})

#: Last month covered (year, month).
LAST_MONTH = (2015, 6)

_count = ColumnOptions(checks=pa.Check.ge(0))
SCHEMA_MONTHLY = pa.DataFrameSchema(
    {
        "mission_id_un": field(
            "mission_id_un",
            pa.Check.str_matches(r"^[A-Z][A-Z0-9 ]*$"),
            description="UN mission acronym, upper case (UNEF/UNAVEM/UNOSOM are combined entries, as in the "
                        "UN fatalities file).",
        ),
        "mission_henke": pa.Column("string", description="Mission as spelled by Henke (`Mission`)."),
        "year": field("year", pa.Check.in_range(1948, 2015)),
        "month": field("month"),
        "country_name": field("country_name", description="Nationality of the contributor (`Nationality`)."),
        "country_id_cow": field(
            "country_id_cow",
            pa.Check.in_range(2, 999),
            nullable=True,
            description="Contributor, COW state code (`Cowcontr`); NA in 13 rows (ZZ [Undetermined]) and "
                        "where the code is not a COW code (1020, Palestine).",
        ),
        "fatalities_n": field(
            "fatalities_n",
            pa.Check.ge(1),
            description="Total fatalities, persons (`Total`); >= 1 (only months with a fatality are listed; "
                        "absent = 0 within 1948-07..2015-06).",
        ),
        "fatalities_illness_n": pa.Column("Int64", **_count, description="Illness fatalities, persons."),
        "fatalities_accident_n": pa.Column("Int64", **_count, description="Accident fatalities, persons."),
        "fatalities_malicious_n": pa.Column("Int64", **_count,
                                            description="Malicious-act fatalities, persons (UN 'hostile')."),
        "fatalities_other_n": pa.Column("Int64", **_count, description="Other-cause fatalities, persons."),
        "fatalities_military_n": pa.Column("Int64", **_count, description="Military troops killed (`Mil`)."),
        "fatalities_observers_n": pa.Column("Int64", **_count,
                                            description="Military observers killed (`Obs`)."),
        "fatalities_police_n": pa.Column("Int64", **_count, description="Police killed, persons."),
        "fatalities_local_n": pa.Column("Int64", **_count, description="Local staff killed, persons."),
        "fatalities_international_n": pa.Column("Int64", **_count,
                                                description="International staff killed, persons."),
        "fatalities_otherstaff_n": pa.Column("Int64", **_count, description="Other staff killed, persons."),
    },
    strict=True,
    unique=["mission_id_un", "year", "month", "country_name"],
    name="henke_un_fatalities.monthly",
)


def load_monthly(path: str | Path | None = None) -> pd.DataFrame:
    """UN peacekeeping fatalities per contributor, mission and month (Henke 2019).

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per contributor x mission x month with at least one fatality (primary key
        ``mission_id_un``, ``year``, ``month``, ``country_name``; 2,492 rows, 1948-07 to 2015-06):

        ``mission_id_un`` (upper case), ``mission_henke``, ``year``, ``month`` (Int64),
        ``country_name`` (contributor), ``country_id_cow`` (Int64, NA in 13 rows),
        ``fatalities_n`` and its split by cause ``fatalities_illness_n``,
        ``fatalities_accident_n``, ``fatalities_malicious_n``, ``fatalities_other_n`` and by
        personnel type ``fatalities_military_n``, ``fatalities_observers_n``,
        ``fatalities_police_n``, ``fatalities_local_n``, ``fatalities_international_n``,
        ``fatalities_otherstaff_n`` (Int64 persons). Absent rows mean zero within the coverage.
    """
    p = raw_path(SOURCE, FILE, path)
    raw = read(p, pd.read_stata, convert_categoricals=False)
    require_columns(raw, list(RENAME), p)
    df = strip_strings(raw[list(RENAME)].rename(columns=RENAME))
    require_values(df, ["mission_henke", "country_name"], p)
    for c in df.columns.difference(["mission_henke", "country_name"]):
        df[c] = to_numeric(df, c, p, dtype="Int64")
    for parts, what in ((HENKE_CAUSES, "cause"), (PERSONNEL, "personnel-type")):
        bad = df[parts].sum(axis=1) != df["fatalities_n"]
        if bad.any():
            raise DataError(p, f"{what} counts do not sum to Total", column="fatalities_n",
                            row=int(bad.to_numpy().nonzero()[0][0]))
    late = (df["year"] * 100 + df["month"]) > LAST_MONTH[0] * 100 + LAST_MONTH[1]
    if late.any():
        raise DataError(p, f"month after the coverage end {LAST_MONTH}", column="month",
                        row=int(late.to_numpy().nonzero()[0][0]))
    df["country_id_cow"] = df["country_id_cow"].mask(df["country_id_cow"].isin(list(NON_COW_CODES)))
    mid = df["mission_henke"].str.upper()
    df["mission_id_un"] = mid.map(lambda m: MISSION_ID_UN_FIXES.get(m, m)).astype("string")
    df = df[list(SCHEMA_MONTHLY.columns)]
    return validate(df, SCHEMA_MONTHLY, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "monthly": LoaderSpec(load_monthly, SCHEMA_MONTHLY, FILE,
                          key=("mission_id_un", "year", "month", "country_name"), year="year"),
}
