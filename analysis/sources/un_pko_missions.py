"""UN peacekeeping operations list (UN Peace and Security Data Hub, DPPADPOSS-PKO) and a
researcher-made mission -> host-country ISO3 crosswalk (T. D. Ballesteros).

Quirks handled
--------------
``DPPADPOSS-PKO.csv``

* Coordinates are quoted strings with a decimal comma (``"15,9833"``): parsed as numbers.
* Longitude and latitude are swapped in 7 rows (UNOSOM I, UNOSOM II, UNEF, UNAVEM I, UNAVEM II,
  MINUSMA, UNSCOB): swapped back for the acronyms in :data:`SWAPPED_COORDINATES` and flagged
  ``is_coordinates_swapped``. (UNIIMOG's point is in western Iran, not Tehran: kept as given.)
* 11 missions have no coordinates: NA.
* ``mission_isactive`` mixes ``Yes``/``No``/``NO``: compared case-insensitively into the
  boolean ``is_active``; any other value is an error.
* Row id 79 (DOMREP) has a truncated ``mission_name`` with a stray leading quote: replaced by
  the full name from :data:`NAME_FIXES` (only while the upstream value is the truncated one);
  any other leading/trailing quote is stripped.
* Combined and split entries coexist (UNEF / UNEF I / UNEF II; UNAVEM / I-III; UNOSOM / I-II):
  every entry is kept; ``mission_id_un_combined`` names the combined entry of each part
  (:data:`COMBINED_PARTS`), so counts can be made at one level without double counting.
* MINUSMA is still listed as active (snapshot of 2024-02; it closed on 2023-12-31): kept as given.
* Some entries have no start date (UNOHCI, UNFOR, UNSCOB) or no end date (active missions): NA.
* Strings have trailing spaces (``mission_location``): stripped.
* Ids are not sorted in file order: rows are sorted by ``id``.

``unpko_country_crosswalk.xlsx``

* Non-ISO host codes ``YAR`` (Yemen Arab Republic) and ``KSV`` (Kosovo) are kept as given
  here (``host_code``) and mapped explicitly in the core table (see ``analysis.core.un``).
* No host codes for the combined entries (UNEF, UNAVEM, UNOSOM, UNPF) and UNFOR: the rows are
  kept with NA; the core table lets combined entries inherit the hosts of their parts.
* Host assignments are the researcher's judgement (e.g. MINURSO -> MAR, UNMIK -> SRB and KSV).
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

_C = source_constants("un_pko_missions")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "DPPADPOSS-PKO.csv"
FILE_CROSSWALK = "unpko_country_crosswalk.xlsx"

COLUMNS = [
    "id", "mission_acronym", "mission_name", "lead_department", "mission_isactive", "start_date",
    "end_date", "mission_location", "mission_longitude", "mission_latitude", "last_update",
]
COLUMNS_CROSSWALK = ["mission_acronym", "mission_name", "iso3c"]

#: Acronyms whose longitude and latitude are swapped upstream.
SWAPPED_COORDINATES = frozenset(
    {"UNOSOM I", "UNOSOM II", "UNEF", "UNAVEM I", "UNAVEM II", "MINUSMA", "UNSCOB"}
)

#: Broken upstream names: acronym -> (name as in the file, corrected name).
NAME_FIXES = {
    "DOMREP": ('"Mission of the Representative of the Secretary-General in the',
               "Mission of the Representative of the Secretary-General in the Dominican Republic"),
}

#: Combined entries of the list -> their parts (the fatalities file uses the combined acronyms;
#: its UNAVEM deaths run to 1997-06, i.e. include UNAVEM III although the combined name says "I & II").
COMBINED_PARTS = {
    "UNEF": ("UNEF I", "UNEF II"),
    "UNAVEM": ("UNAVEM I", "UNAVEM II", "UNAVEM III"),
    "UNOSOM": ("UNOSOM I", "UNOSOM II"),
}

_ACRONYM = r"^[A-Z][A-Z0-9 ]*$"

SCHEMA_MISSIONS = pa.DataFrameSchema(
    {
        "row_id": pa.Column("Int64", pa.Check.ge(1), unique=True, description="Source row `id`, integer."),
        "mission_id_un": field(
            "mission_id_un",
            pa.Check.str_matches(_ACRONYM),
            unique=True,
            description="UN mission acronym, upper case (`mission_acronym`).",
        ),
        "mission_id_un_combined": pa.Column(
            "string", pa.Check.str_matches(_ACRONYM),
            description="Combined entry the mission belongs to (UNEF I/II -> UNEF, UNAVEM I-III -> "
                        "UNAVEM, UNOSOM I/II -> UNOSOM); the mission's own acronym otherwise."),
        "mission_name": field("mission_name", description="Mission name (DOMREP's truncated name repaired)."),
        "lead_department": pa.Column("string", nullable=True, description="Lead UN department (all DPO)."),
        "is_active": pa.Column("boolean", description="Active at the snapshot (2024-02-19); "
                                                      "`mission_isactive` Yes/No/NO."),
        "date_start": pa.Column("datetime64[ns]", nullable=True, description="Start date; NA if not given."),
        "date_end": pa.Column("datetime64[ns]", nullable=True,
                              description="End date; NA if ongoing at the snapshot or not given."),
        "hq_location": pa.Column("string", nullable=True,
                                 description="Headquarters city (`mission_location`); NA if blank."),
        "longitude": pa.Column("Float64", pa.Check.in_range(-180, 180), nullable=True,
                               description="HQ longitude, decimal degrees east (decimal comma parsed, "
                                           "7 swapped rows fixed); NA for 11 missions."),
        "latitude": pa.Column("Float64", pa.Check.in_range(-90, 90), nullable=True,
                              description="HQ latitude, decimal degrees north; NA for 11 missions."),
        "is_coordinates_swapped": pa.Column(
            "boolean", description="True where upstream longitude/latitude were swapped and fixed here."),
    },
    strict=True,
    unique=["mission_id_un"],
    name="un_pko_missions.missions",
)

SCHEMA_HOSTS = pa.DataFrameSchema(
    {
        "mission_id_un": field(
            "mission_id_un",
            pa.Check.str_matches(_ACRONYM),
            description="UN mission acronym, upper case.",
        ),
        "mission_name": field("mission_name", nullable=True, description="Mission name as in the crosswalk."),
        "host_code": pa.Column("string", pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=True,
                               description="Host country ISO3 as given (`iso3c`), including the non-ISO "
                                           "codes YAR (North Yemen) and KSV (Kosovo); NA for combined "
                                           "entries and UNFOR."),
    },
    strict=True,
    unique=["mission_id_un", "host_code"],
    name="un_pko_missions.hosts",
)


def _coordinate(df: pd.DataFrame, column: str, path: Path) -> pd.Series:
    s = df[column].astype("string").str.replace(",", ".", regex=False)
    return to_numeric(df.assign(**{column: s}), column, path, dtype="Float64")


def load_missions(path: str | Path | None = None) -> pd.DataFrame:
    """The UN list of peacekeeping operations, one row per listed entry.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per entry (primary key ``mission_id_un``; 81 rows on the 2024-02-19 file):

        ``row_id`` (Int64), ``mission_id_un``, ``mission_id_un_combined``, ``mission_name``,
        ``lead_department`` (strings), ``is_active`` (boolean), ``date_start``, ``date_end``
        (datetime64, NA when not given / ongoing), ``hq_location`` (string), ``longitude``,
        ``latitude`` (Float64 decimal degrees) and ``is_coordinates_swapped`` (boolean).
    """
    p = raw_path(SOURCE, FILE, path)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    require_columns(raw, COLUMNS, p)
    df = strip_strings(raw[COLUMNS])
    require_values(df, ["id", "mission_acronym", "mission_name", "mission_isactive"], p)
    active = df["mission_isactive"].str.upper()
    check_codes(df.assign(mission_isactive=active), "mission_isactive", ["YES", "NO"], p)
    to_date(df, "last_update", p, format="%Y-%m-%d")
    acr = df["mission_acronym"].astype("string").str.upper()
    name = df["mission_name"].astype("string")
    for a, (broken, fixed) in NAME_FIXES.items():
        name = name.mask((acr == a) & (name == broken), fixed)
    name = name.str.strip('"').str.strip()
    lon = _coordinate(df, "mission_longitude", p)
    lat = _coordinate(df, "mission_latitude", p)
    swapped = acr.isin(list(SWAPPED_COORDINATES)).fillna(False).astype(bool)
    lon, lat = lon.mask(swapped, lat), lat.mask(swapped, lon)
    part_of = {part: comb for comb, parts in COMBINED_PARTS.items() for part in parts}
    out = pd.DataFrame({
        "row_id": to_numeric(df, "id", p, dtype="Int64"),
        "mission_id_un": acr,
        "mission_id_un_combined": acr.map(lambda a: part_of.get(a, a)).astype("string"),
        "mission_name": name,
        "lead_department": df["lead_department"].astype("string"),
        "is_active": (active == "YES").astype("boolean"),
        "date_start": to_date(df, "start_date", p, format="%Y-%m-%d"),
        "date_end": to_date(df, "end_date", p, format="%Y-%m-%d"),
        "hq_location": df["mission_location"].astype("string"),
        "longitude": lon,
        "latitude": lat,
        "is_coordinates_swapped": swapped.astype("boolean"),
    })
    bad = out["date_end"] < out["date_start"]
    if bad.any():
        raise DataError(p, "end_date before start_date", column="end_date",
                        row=int(bad.to_numpy().nonzero()[0][0]))
    # validated before the index is reset: a failure then names the file's line
    return validate(out.sort_values("row_id"), SCHEMA_MISSIONS, p).reset_index(drop=True)


def load_hosts(path: str | Path | None = None) -> pd.DataFrame:
    """Researcher-made mission -> host-country crosswalk, one row per mission-host pair.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per mission-host pair (key ``mission_id_un``, ``host_code``; 107 rows):
        ``mission_id_un`` (upper case), ``mission_name`` and ``host_code`` (ISO3 as given,
        incl. YAR/KSV; NA for combined entries and UNFOR).
    """
    p = raw_path(SOURCE, FILE_CROSSWALK, path)
    raw = read(p, pd.read_excel, sheet_name="Sheet1", dtype=str, keep_default_na=False, na_values=[""])
    require_columns(raw, COLUMNS_CROSSWALK, p)
    df = strip_strings(raw[COLUMNS_CROSSWALK])
    require_values(df, ["mission_acronym"], p)
    out = pd.DataFrame({
        "mission_id_un": df["mission_acronym"].astype("string").str.upper(),
        "mission_name": df["mission_name"].astype("string"),
        "host_code": df["iso3c"].astype("string").str.upper(),
    })
    return validate(out, SCHEMA_HOSTS, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "missions": LoaderSpec(load_missions, SCHEMA_MISSIONS, FILE, key=("mission_id_un",), year=None),
    "hosts": LoaderSpec(load_hosts, SCHEMA_HOSTS, FILE_CROSSWALK, key=("mission_id_un", "host_code"),
                        year=None),
}
