"""Fatalities in UN peacekeeping operations and special political missions (UN Peace and Security Data Hub).

One row of ``DPPADPOSS-FATALITIES.csv`` per fatality (person), 1948-07 to 2025-02. The
loader keeps every source row (4,429 on the 2025-04-04 file); the core table
``un_fatalities`` collapses the rows that repeat a ``casualty_id``.

Quirks handled
--------------
* Six ``casualty_id`` values appear twice (UNMIK local staff 2003-2005, once with nationality
  "Montenegro", once "Serbia and Montenegro"): the loader keeps both rows, keyed by the source
  ``id`` (``row_id``); :func:`collapse_duplicates` (used by the core table) keeps one row per
  casualty, records ``n_source_rows`` and the dropped nationality code.
* ``casualty_personnel_type`` has the value ``"Local "`` with a trailing space: every string is
  stripped (blank cells become NA).
* ``m49_code`` is stored as a float (``250.0``): read as ``Int64`` (a fractional value is an error).
* ``gender`` is blank in 151 rows and ``m49_code``/``isocode3`` in 52 rows: NA. For four
  nationality names whose codes are blank although the country is unambiguous (``Côte dIvoire``,
  ``Türkiye``, ``Mauritius``, ``Viet Nam``; 37 rows) the ISO3/M49 codes are filled from the
  explicit table :data:`NATIONALITY_CODES_FILLED` and the row is flagged
  ``is_nationality_code_filled``; ``ZZ [Undetermined]`` and the blank nationality stay NA.
* The file covers special political missions as well as PKOs, and some acronyms merge successive
  missions (``UNEF`` = UNEF I + II, ``UNAVEM`` = I-III, ``UNOSOM`` = I + II): acronyms are kept as
  given (upper-cased into ``mission_id_un``: ``UNSecretariat`` -> ``UNSECRETARIAT``); the PKO flag
  comes from the mission list in the core table.
* There is no host-country column: the nationality columns describe the casualty.
* ``type_of_casualty`` is always ``Fatality`` and ``last_update`` always one date: both are checked
  (an unknown value is an error) and dropped.
* ``type_of_incident`` has six UN categories, kept as they are; :data:`CAUSE` maps them to the
  harmonised ``cause`` codes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field
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
    to_date,
    to_numeric,
    validate,
)

_C = source_constants("un_pko_fatalities")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "DPPADPOSS-FATALITIES.csv"

COLUMNS = [
    "id", "incident_date", "casualty_id", "mission_acronym", "type_of_casualty", "gender",
    "casualty_nationality", "casualty_personnel_type", "type_of_incident", "m49_code", "isocode3",
    "last_update",
]

#: The UN's incident categories (kept as values) -> harmonised cause codes.
CAUSE = {
    "Malicious Act": "hostile",
    "Accident": "accident",
    "Illness": "illness",
    "Self-Inflicted": "self_inflicted",
    "To Be Determined": "other_unknown",
    "Unknown": "other_unknown",
}
CAUSE_CODES = ("hostile", "accident", "illness", "self_inflicted", "other_unknown")

#: The UN's personnel categories.
PERSONNEL_TYPES = ("Military", "Military Observer", "Police", "International Civilian", "Local", "Other")

#: Nationality names whose ISO3/M49 codes are blank in the file although the country is unambiguous:
#: name -> (ISO 3166-1 alpha-3, UN M49).
NATIONALITY_CODES_FILLED = {
    "Côte dIvoire": ("CIV", 384),
    "Türkiye": ("TUR", 792),
    "Mauritius": ("MUS", 480),
    "Viet Nam": ("VNM", 704),
}

_CASUALTY_ID = r"^[A-Za-z][A-Za-z -]*-\d{4}-\d{2}-\d{5}$"

SCHEMA_FATALITIES = pa.DataFrameSchema(
    {
        "row_id": pa.Column("Int64", pa.Check.ge(1), unique=True,
                            description="Source row id (`id`), integer; unique per source row."),
        "casualty_id": pa.Column("string", pa.Check.str_matches(_CASUALTY_ID),
                                 description="UN casualty id `MISSION-YYYY-MM-nnnnn`, string; six ids "
                                             "appear in two source rows."),
        "date": pa.Column("datetime64[ns]", description="Incident date (`incident_date`), day."),
        "year": field("year", pa.Check.in_range(1948, 2100), description="Calendar year of the incident."),
        "month": field("month", description="Month of the incident, 1-12."),
        "mission_acronym": pa.Column("string", description="Mission acronym as spelled in the file."),
        "mission_id_un": field(
            "mission_id_un",
            pa.Check.str_matches(r"^[A-Z][A-Z0-9 ]*$"),
            description="UN mission acronym, upper case (`mission_acronym` upper-cased; UNEF/UNAVEM/UNOSOM "
                        "are the combined entries).",
        ),
        "gender": pa.Column("string", pa.Check.isin(["M", "F"]), nullable=True,
                            description="Gender of the casualty: M or F; NA when blank (151 rows)."),
        "country_name": field(
            "country_name",
            nullable=True,
            description="Nationality of the casualty as named by the UN (`casualty_nationality`); NA in 1 "
                        "row.",
        ),
        "country_id_iso3": field(
            "country_id_iso3",
            nullable=True,
            description="Nationality, ISO 3166-1 alpha-3 as given (`isocode3`; historic codes YUG, SCG "
                        "kept); NA when unknown.",
        ),
        "country_id_m49": field(
            "country_id_m49",
            nullable=True,
            description="Nationality, UN M49 numeric code (`m49_code`, a float upstream); NA when unknown.",
        ),
        "is_nationality_code_filled": pa.Column(
            "boolean", description="True where ISO3/M49 were blank upstream and were filled from the "
                                   "nationality name (NATIONALITY_CODES_FILLED)."),
        "personnel_type": pa.Column("string", pa.Check.isin(PERSONNEL_TYPES),
                                    description="UN personnel category (`casualty_personnel_type`, "
                                                "stripped): " + ", ".join(PERSONNEL_TYPES) + "."),
        "type_of_incident": pa.Column("string", pa.Check.isin(list(CAUSE)),
                                      description="UN incident category as given: " + ", ".join(CAUSE) + "."),
        "cause": pa.Column("string", pa.Check.isin(CAUSE_CODES),
                           description="Harmonised cause: hostile (Malicious Act), accident, illness, "
                                       "self_inflicted, other_unknown (To Be Determined, Unknown)."),
    },
    strict=True,
    unique=["row_id"],
    name="un_pko_fatalities.fatalities",
)


def load_fatalities(path: str | Path | None = None) -> pd.DataFrame:
    """Fatalities in UN peace operations, one row per source row.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per source row (primary key ``row_id``), 1948-2025:

        ``row_id`` (Int64, source ``id``), ``casualty_id`` (string; not unique, see
        :func:`collapse_duplicates`), ``date`` (datetime64), ``year``, ``month`` (Int64),
        ``mission_acronym`` (as given), ``mission_id_un`` (upper case), ``gender`` (M/F/NA),
        ``country_name`` (nationality), ``country_id_iso3`` (string), ``country_id_m49`` (Int64),
        ``is_nationality_code_filled`` (boolean), ``personnel_type``, ``type_of_incident`` (UN
        categories) and ``cause`` (hostile / accident / illness / self_inflicted / other_unknown).
    """
    p = raw_path(SOURCE, FILE, path)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    require_columns(raw, COLUMNS, p)
    df = strip_strings(raw[COLUMNS])
    check_codes(df, "type_of_casualty", ["Fatality"], p)
    check_codes(df, "type_of_incident", CAUSE, p)
    check_codes(df, "casualty_personnel_type", PERSONNEL_TYPES, p)
    check_codes(df, "gender", ["M", "F"], p)
    require_values(df, ["id", "incident_date", "casualty_id", "mission_acronym", "casualty_personnel_type",
                         "type_of_incident"], p)
    to_date(df, "last_update", p, format="%Y-%m-%d")
    date = to_date(df, "incident_date", p, format="%Y-%m-%d")
    out = pd.DataFrame({
        "row_id": to_numeric(df, "id", p, dtype="Int64"),
        "casualty_id": df["casualty_id"].astype("string"),
        "date": date,
        "year": date.dt.year.astype("Int64"),
        "month": date.dt.month.astype("Int64"),
        "mission_acronym": df["mission_acronym"].astype("string"),
        "mission_id_un": df["mission_acronym"].astype("string").str.upper(),
        "gender": df["gender"].astype("string"),
        "country_name": df["casualty_nationality"].astype("string"),
        "country_id_iso3": df["isocode3"].astype("string"),
        "country_id_m49": to_numeric(df, "m49_code", p, dtype="Int64"),
        "personnel_type": df["casualty_personnel_type"].astype("string"),
        "type_of_incident": df["type_of_incident"].astype("string"),
    })
    out["cause"] = out["type_of_incident"].map(CAUSE).astype("string")
    fill = out["country_id_iso3"].isna() & out["country_id_m49"].isna() & out["country_name"].isin(
        list(NATIONALITY_CODES_FILLED))
    names = out.loc[fill, "country_name"]
    out.loc[fill, "country_id_iso3"] = names.map(lambda n: NATIONALITY_CODES_FILLED[n][0])
    out.loc[fill, "country_id_m49"] = names.map(lambda n: NATIONALITY_CODES_FILLED[n][1]).astype("Int64")
    out["is_nationality_code_filled"] = fill.astype("boolean")
    out = out[list(SCHEMA_FATALITIES.columns)]
    return validate(out, SCHEMA_FATALITIES, p)


#: Columns that must agree between the source rows of one ``casualty_id``.
SAME_PERSON_COLUMNS = ("date", "mission_id_un", "personnel_type", "type_of_incident")

#: When one casualty is listed under two nationality codes, keep this one (key: the other code).
#: Montenegro (MNE) became independent in June 2006; 2003-2005 deaths were of the state of
#: Serbia and Montenegro (SCG).
PREFERRED_NATIONALITY = {"MNE": "SCG"}


def collapse_duplicates(df: pd.DataFrame, path: str | Path = FILE) -> pd.DataFrame:
    """One row per ``casualty_id`` from :func:`load_fatalities` output.

    Rows sharing a ``casualty_id`` must agree on :data:`SAME_PERSON_COLUMNS` (else
    :class:`DataError`). The kept row is the one whose nationality code is preferred by
    :data:`PREFERRED_NATIONALITY`, otherwise the lowest ``row_id``.

    Returns
    -------
    pandas.DataFrame
        The input columns without ``row_id``, one row per ``casualty_id``, plus
        ``n_source_rows`` (Int64: source rows collapsed) and ``country_id_iso3_dropped``
        (string: the other rows' nationality codes, ';'-joined; NA when not collapsed).
    """
    df = df.sort_values("row_id").reset_index(drop=True)
    dup = df["casualty_id"].duplicated(keep=False)
    g = df[dup].groupby("casualty_id", sort=False)
    for c in SAME_PERSON_COLUMNS:
        n = g[c].nunique(dropna=False)
        if (n > 1).any():
            cid = n.index[n > 1][0]
            ids = df.loc[df["casualty_id"] == cid, "row_id"].tolist()[:2]
            raise DataError(path, f"casualty_id {cid!r} repeated with different values (rows with id "
                                  f"{ids[0]} and {ids[1]}): the core table cannot choose; report it upstream",
                            column=c)
    rank = pd.Series(1, index=df.index)
    for other, preferred in PREFERRED_NATIONALITY.items():
        is_other = (df["country_id_iso3"] == other).fillna(False).astype(bool)
        has_other = is_other.groupby(df["casualty_id"]).transform("any")
        rank = rank.mask(dup & has_other & (df["country_id_iso3"] == preferred).fillna(False), 0)
    order = df.assign(_rank=rank).sort_values(["_rank", "row_id"])
    keep = order.drop_duplicates("casualty_id", keep="first")
    dropped = (order[order.duplicated("casualty_id", keep="first")]
               .groupby("casualty_id")["country_id_iso3"]
               .agg(lambda s: ";".join(s.dropna().astype(str))))
    out = keep.sort_values("row_id").drop(columns=["_rank", "row_id"]).reset_index(drop=True)
    out["n_source_rows"] = out["casualty_id"].map(df["casualty_id"].value_counts()).astype("Int64")
    out["country_id_iso3_dropped"] = out["casualty_id"].map(dropped).astype("string")
    out.loc[out["country_id_iso3_dropped"] == "", "country_id_iso3_dropped"] = pd.NA
    return out


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "fatalities": LoaderSpec(load_fatalities, SCHEMA_FATALITIES, FILE, key=("row_id",), year="year"),
}
