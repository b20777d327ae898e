"""Gleditsch-Ward state system, G-W/COW crosswalk panel and democracy scores (R package isard).

Three R data files are read (pyreadr; one object per file, named after the file):
``gw_system.rda`` (G-W state list with membership spells), ``gw_cw_panel.rda``
(G-W state-years with the matched COW code, 1816-2025) and ``gw_democracy.rda``
(EUDS, Polity5 ``polity2`` and V-Dem ``v2x_polyarchy`` by G-W state-year).

Quirks handled
--------------
* Codes come back from pyreadr as floats (``2.0``): cast to ``Int64``; a
  fractional code is an error naming its row.
* Dates in ``gw_system`` come back as Python ``datetime.date`` objects (object
  dtype): converted with ``pd.to_datetime``; an unparseable date is an error.
* ``gw_system`` has several rows for states with more than one membership
  spell (e.g. Serbia 340: 1878-1915 and 2006-; Morocco, Algeria, Tunisia, Libya,
  Egypt, Afghanistan): keyed on (code, spell start), never on code alone.
* Still-existing states end on 2020-12-31 in ``gw_system``; ``gw_cw_panel``
  extends their state-years to 2025. The panel's years are used for membership.
* ``gw_cw_panel`` also carries 141 COW state-years that have no G-W counterpart
  (``gwcode`` NA, e.g. COW Germany 255 in 1945 and 1990-2025, COW Yemen Arab
  Republic 678 under ``stateabb`` YAR): they are dropped, so the table is the G-W
  state-year panel, unique on (G-W code, year).
* G-W and COW codes differ for some states (Germany: G-W 260 = COW 260 in
  1955-1990 and COW 255 from 1991; Serbia G-W 340 = COW 345; Yemen G-W 678 = COW 679
  from 1990; Kiribati, Nauru, Tonga, Tuvalu); the COW code is NA where COW has no
  counterpart (e.g. G-W Germany 1949-1954, microstates). Codes are never matched by
  name; country names carry encoding fixes upstream (isard issue #1) and Madagascar
  has two spellings: names are descriptive only.
* In 2006 both G-W 340 (Serbia) and G-W 345 (Yugoslavia) are matched to COW 345.
* ``polity2`` is missing after 2018 (Polity5 ends in 2018, :data:`POLITY5_LAST_YEAR`)
  except two United States values (2019, 2020): the loader keeps them as given;
  the core table ``country_covariates`` sets ``polity2`` NA after 2018 so that the
  series covers the same years for every state. ``v2x_polyarchy`` is missing in
  2025 (:data:`VDEM_LAST_YEAR` = 2024). Missing values stay NA, never 0.
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
    to_date,
    to_numeric,
    validate,
)

_C = source_constants("cov_isard")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE_SYSTEM = "gw_system.rda"
FILE_PANEL = "gw_cw_panel.rda"
FILE_DEMOCRACY = "gw_democracy.rda"

#: Last year of Polity5 (Marshall 2020): ``polity2`` is a global series through 2018 only.
POLITY5_LAST_YEAR = 2018
#: Last year of V-Dem v16 in ``gw_democracy`` (``v2x_polyarchy`` is missing in 2025).
VDEM_LAST_YEAR = 2024

_GW = pa.Check.in_range(2, 999)
_YEAR = pa.Check.in_range(1816, 2100)


def _read_rda(p: Path) -> pd.DataFrame:
    """The single object of an .rda file as a frame (object name = file stem when present)."""
    res = read(p, pyreadr.read_r)
    if not res:
        raise DataError(p, "no R object in file")
    df = res.get(p.stem, next(iter(res.values())))
    if not isinstance(df, pd.DataFrame):
        raise DataError(p, "R object is not a data frame")
    df = df.reset_index(drop=True)
    floats = df.select_dtypes("float64").columns
    return df.astype(dict.fromkeys(floats, "Float64"))


SCHEMA_SYSTEM = pa.DataFrameSchema(
    {
        "country_id_gw": field("country_id_gw", _GW),
        "gw_abb": pa.Column("string", description="Gleditsch-Ward three-letter state abbreviation."),
        "country_name": field("country_name", description="G-W state name (descriptive only; never a key)."),
        "is_microstate": pa.Column("boolean", description="True for G-W microstates (population < 250,000)."),
        "start": pa.Column("datetime64[ns]", description="First day of this membership spell."),
        "end": pa.Column("datetime64[ns]",
                         description="Last day of this spell; 2020-12-31 for states existing then."),
    },
    strict=True,
    unique=["country_id_gw", "start"],
    name="cov_isard.gw_system",
)


def load_gw_system(path: str | Path | None = None) -> pd.DataFrame:
    """Gleditsch-Ward state system: one row per membership spell.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        Primary key (``country_id_gw``, ``start``); 239 spells:

        ``country_id_gw`` (Int64, G-W code), ``gw_abb`` (string),
        ``country_name`` (string), ``is_microstate`` (boolean),
        ``start``, ``end`` (datetime64, first and last day of the spell).
    """
    p = raw_path(SOURCE, FILE_SYSTEM, path)
    raw = _read_rda(p)
    require_columns(raw, ["gwcode", "gw_abb", "gw_name", "microstate", "start", "end"], p)
    raw = strip_strings(raw)
    df = pd.DataFrame({
        "country_id_gw": to_numeric(raw, "gwcode", p, dtype="Int64"),
        "gw_abb": raw["gw_abb"].astype("string"),
        "country_name": raw["gw_name"].astype("string"),
        "is_microstate": to_numeric(raw, "microstate", p, dtype="Int64"),
        "start": to_date(raw, "start", p, format="ISO8601"),
        "end": to_date(raw, "end", p, format="ISO8601"),
    })
    bad = df["is_microstate"].notna() & ~df["is_microstate"].isin([0, 1])
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(p, f"microstate must be 0 or 1, got {df['is_microstate'].iloc[i]!r}",
                        column="microstate", row=i)
    df["is_microstate"] = df["is_microstate"].astype("boolean")
    return validate(df, SCHEMA_SYSTEM, p)


SCHEMA_PANEL = pa.DataFrameSchema(
    {
        "country_id_gw": field("country_id_gw", _GW),
        "year": field("year", _YEAR, description="Calendar year in which the G-W state is a member."),
        "country_id_cow": field(
            "country_id_cow",
            pa.Check.in_range(2, 999),
            nullable=True,
            description="Matched Correlates of War state code; NA where COW has no counterpart that year.",
        ),
        "stateabb": pa.Column("string", description="isard state abbreviation used for the match."),
        "gw_name": pa.Column("string", description="G-W state name (descriptive only)."),
        "cow_name": pa.Column("string", nullable=True, description="COW state name; NA without COW match."),
    },
    strict=True,
    unique=["country_id_gw", "year"],
    name="cov_isard.gw_cw_panel",
)


def load_gw_cw_panel(path: str | Path | None = None) -> pd.DataFrame:
    """G-W state-years with the matched COW code (the G-W -> COW crosswalk).

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per G-W state-year (primary key ``country_id_gw``, ``year``),
        1816-2025, 20,849 rows; COW-only rows of the file are dropped:

        ``country_id_gw`` (Int64), ``year`` (Int64), ``country_id_cow`` (Int64,
        NA without COW counterpart), ``stateabb``, ``gw_name``, ``cow_name`` (string).
    """
    p = raw_path(SOURCE, FILE_PANEL, path)
    raw = _read_rda(p)
    require_columns(raw, ["stateabb", "year", "gwcode", "ccode", "gw_name", "cw_name"], p)
    raw = strip_strings(raw)
    df = pd.DataFrame({
        "country_id_gw": to_numeric(raw, "gwcode", p, dtype="Int64"),
        "year": to_numeric(raw, "year", p, dtype="Int64"),
        "country_id_cow": to_numeric(raw, "ccode", p, dtype="Int64"),
        "stateabb": raw["stateabb"].astype("string"),
        "gw_name": raw["gw_name"].astype("string"),
        "cow_name": raw["cw_name"].astype("string"),
    })
    df = df[df["country_id_gw"].notna()]
    return validate(df, SCHEMA_PANEL, p)


SCHEMA_DEMOCRACY = pa.DataFrameSchema(
    {
        "country_id_gw": field("country_id_gw", _GW),
        "year": field("year", _YEAR),
        "euds": pa.Column("Float64", pa.Check.in_range(-5, 5), nullable=True,
                          description="Extended Unified Democracy Score (Marquez 2016), latent scale, "
                                      "posterior mean; NA where not estimated."),
        "aeuds": pa.Column("Float64", pa.Check.in_range(-5, 5), nullable=True,
                           description="EUDS re-centred so that 0 is the cut-point between democracy "
                                       "and autocracy (Marquez 2016); NA where not estimated."),
        "polity2": field(
            "polity2",
            nullable=True,
            description="Polity5 polity2 score, -10 (autocracy) to 10 (democracy); Polity5 ends in 2018.",
        ),
        "v2x_polyarchy": field(
            "v2x_polyarchy",
            nullable=True,
            description="V-Dem v16 electoral democracy index, 0-1; NA in 2025.",
        ),
    },
    strict=True,
    unique=["country_id_gw", "year"],
    name="cov_isard.gw_democracy",
)


def load_gw_democracy(path: str | Path | None = None) -> pd.DataFrame:
    """Democracy scores by G-W state-year.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per G-W state-year (primary key ``country_id_gw``, ``year``),
        1816-2025, 20,849 rows:

        ``country_id_gw`` (Int64), ``year`` (Int64), ``euds``, ``aeuds`` (Float64,
        latent democracy, Marquez 2016), ``polity2`` (Float64, -10..10, Polity5,
        to 2018), ``v2x_polyarchy`` (Float64, 0..1, V-Dem v16, to 2024).
    """
    p = raw_path(SOURCE, FILE_DEMOCRACY, path)
    raw = _read_rda(p)
    cols = ["gwcode", "year", "euds", "aeuds", "polity2", "v2x_polyarchy"]
    require_columns(raw, cols, p)
    df = pd.DataFrame({
        "country_id_gw": to_numeric(raw, "gwcode", p, dtype="Int64"),
        "year": to_numeric(raw, "year", p, dtype="Int64"),
        **{c: to_numeric(raw, c, p, dtype="Float64") for c in cols[2:]},
    })
    return validate(df, SCHEMA_DEMOCRACY, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "gw_system": LoaderSpec(load_gw_system, SCHEMA_SYSTEM, FILE_SYSTEM, key=("country_id_gw", "start"),
                            year=None),
    "gw_cw_panel": LoaderSpec(load_gw_cw_panel, SCHEMA_PANEL, FILE_PANEL, key=("country_id_gw", "year")),
    "gw_democracy": LoaderSpec(load_gw_democracy, SCHEMA_DEMOCRACY, FILE_DEMOCRACY,
                               key=("country_id_gw", "year")),
}
