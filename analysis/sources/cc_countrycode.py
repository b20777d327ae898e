"""Country codes by country-year from the R package countrycode (``codelist_panel``).

Only the code columns the project uses are kept: COW (``cown``), Gleditsch-Ward
(``gwn``), ISO 3166-1 alpha-3 (``iso3c``) and UN M49 (``un``), with the panel's
entity name (``country.name.en``) and ``year``.

Quirks handled
--------------
* R data file read with pyreadr (one object, ``codelist_panel``); numeric codes
  come back as floats: cast to ``Int64`` (a fractional code is an error naming
  its row).
* The panel is keyed on (``country.name.en``, ``year``); the name is the panel's
  own entity label and is kept only as that key: other tables are matched on
  codes and year, never on names.
* ``gwn`` and ``cown`` are filled only through 2020; 2021-2024 rows carry ISO3 and
  M49 but no G-W/COW code. Missing codes stay NA.
* Historical states have no ISO3/M49 code (e.g. Yugoslavia 345, German Democratic
  Republic 265, Yemen Arab Republic 678, Republic of Vietnam 817): NA.
* The panel's codes are not those of the G-W system for every state: modern
  Vietnam has ``gwn`` NA (``gwn`` 815 only for 1816-1893, while G-W codes the
  Democratic Republic of Vietnam 816) and unified Yemen (``cown`` 679) has ``gwn``
  NA, its G-W code 678 sitting on the "Yemen Arab Republic" rows through 2020.
  Users of this table should match on G-W code first and COW code second.
* Polity V codes of Sudan and South Sudan look swapped (626/525): Polity codes are
  not read.
* Not used here: the cross-sectional ``codelist.rda`` (it has ``gwn`` NA for Yemen
  and no COW code for Serbia; the panel is used for historical states).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pyreadr

from analysis.data.fields import field
from analysis.errors import DataError
from analysis.sources._base import (
    LoaderSpec,
    raw_path,
    read,
    require_columns,
    source_constants,
    strip_strings,
    to_numeric,
    validate,
)

_C = source_constants("cc_countrycode")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "codelist_panel.rda"

RENAME = {
    "country.name.en": "country_name",
    "year": "year",
    "cown": "country_id_cow",
    "gwn": "country_id_gw",
    "iso3c": "country_id_iso3",
    "un": "country_id_m49",
}

SCHEMA_PANEL = pa.DataFrameSchema(
    {
        "country_name": field(
            "country_name",
            description="countrycode's English entity name: the panel's own key, not a matching field.",
        ),
        "year": field("year", pa.Check.in_range(1700, 2100)),
        "country_id_cow": field(
            "country_id_cow",
            pa.Check.in_range(2, 999),
            nullable=True,
            description="Correlates of War numeric state code (cown); NA when not a COW member that year "
                        "and in 2021-2024.",
        ),
        "country_id_gw": field(
            "country_id_gw",
            pa.Check.in_range(2, 999),
            nullable=True,
            description="Gleditsch-Ward numeric code (gwn) as countrycode assigns it; NA when not coded and "
                        "in 2021-2024.",
        ),
        "country_id_iso3": field(
            "country_id_iso3",
            nullable=True,
            description="ISO 3166-1 alpha-3 code (iso3c); NA for historical states without one.",
        ),
        "country_id_m49": field(
            "country_id_m49",
            nullable=True,
            description="UN M49 numeric country code (un); NA where none.",
        ),
    },
    strict=True,
    unique=["country_name", "year"],
    name="cc_countrycode.codelist_panel",
)


def load_codelist_panel(path: str | Path | None = None) -> pd.DataFrame:
    """Country codes (COW, G-W, ISO3, M49) by countrycode entity and year.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per entity-year (primary key ``country_name``, ``year``),
        1776-2024, 29,574 rows:

        ``country_name`` (string, countrycode entity label), ``year`` (Int64),
        ``country_id_cow``, ``country_id_gw`` (Int64; filled through 2020 only),
        ``country_id_iso3`` (string), ``country_id_m49`` (Int64).
    """
    p = raw_path(SOURCE, FILE, path)
    res = read(p, pyreadr.read_r)
    if not res:
        raise DataError(p, "no R object in file")
    raw = res.get("codelist_panel", next(iter(res.values()))).reset_index(drop=True)
    require_columns(raw, list(RENAME), p)
    raw = strip_strings(raw[list(RENAME)])
    raw = raw.astype(dict.fromkeys(raw.select_dtypes("float64").columns, "Float64"))
    df = pd.DataFrame({"country_name": raw["country.name.en"].astype("string")})
    df["year"] = to_numeric(raw, "year", p, dtype="Int64")
    for src in ("cown", "gwn", "un"):
        df[RENAME[src]] = to_numeric(raw, src, p, dtype="Int64")
    df["country_id_iso3"] = raw["iso3c"].astype("string")
    df = df[list(RENAME.values())]
    return validate(df, SCHEMA_PANEL, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "codelist_panel": LoaderSpec(load_codelist_panel, SCHEMA_PANEL, FILE, key=("country_name", "year")),
}
