"""GDP (WDI-based, gap-filled) and population by G-W country-year (DemSpaces/V-Dem external data).

Two comma-separated files keyed on G-W ``gwcode`` x ``year``: ``gdp.csv``
(1950-2024; columns named by WDI indicator code) and ``population.csv``
(1816-2025).

Quirks handled
--------------
* ``gdp.csv`` columns carry WDI indicator codes (``NY.GDP.MKTP.KD``,
  ``NY.GDP.MKTP.KD.ZG``, ``NY.GDP.PCAP.KD``, ``NY.GDP.PCAP.KD.ZG``): renamed to
  ``gdp_usd``, ``gdp_growth_pct``, ``gdp_pc_usd``, ``gdp_pc_growth_pct``.
* Missing values are the literal string ``NA`` (37 per-capita values, e.g.
  Zanzibar 1963-1964, Abkhazia and South Ossetia; 38 population values): NA.
* GDP is in constant US$ of a base year the upstream pipeline does not record
  (whatever WDI used at download time).
* Values imputed or extrapolated upstream (UN and KSG drop-ins, Kalman
  extrapolation) are not flagged in the files; they are kept as given except
  impossible ones: the forward extrapolation gives South Sudan (626) a negative
  GDP and GDP per capita in 2024. GDP and GDP per capita must be positive; a
  value <= 0 is set to NA (growth rates are kept: they can be negative).
* ``population.csv`` ``pop`` is in **thousands** of persons (Mali 2024 =
  24,478.6): multiplied by 1,000 to give ``population_n`` in persons.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field
from analysis.sources._base import (
    LoaderSpec,
    raw_path,
    read,
    require_columns,
    source_constants,
    to_numeric,
    validate,
)

_C = source_constants("cov_wdi_gdp_pop_demspaces")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE_GDP = "gdp.csv"
FILE_POPULATION = "population.csv"

#: WDI indicator code -> column name.
GDP_RENAME = {
    "NY.GDP.MKTP.KD": "gdp_usd",
    "NY.GDP.MKTP.KD.ZG": "gdp_growth_pct",
    "NY.GDP.PCAP.KD": "gdp_pc_usd",
    "NY.GDP.PCAP.KD.ZG": "gdp_pc_growth_pct",
}

#: ``pop`` in population.csv is in thousands of persons.
POPULATION_UNIT = 1_000

_GW = field("country_id_gw", pa.Check.in_range(2, 999))
_POS = pa.Check.gt(0)

SCHEMA_GDP = pa.DataFrameSchema(
    {
        "country_id_gw": _GW,
        "year": field("year", pa.Check.in_range(1950, 2100)),
        "gdp_usd": pa.Column("Float64", _POS, nullable=True,
                             description="GDP, constant US$ (WDI NY.GDP.MKTP.KD, gap-filled with UN and "
                                         "KSG data and extrapolated upstream; base year not recorded)."),
        "gdp_growth_pct": pa.Column("Float64", nullable=True,
                                    description="GDP growth, percent per year (NY.GDP.MKTP.KD.ZG)."),
        "gdp_pc_usd": field(
            "gdp_pc_usd",
            _POS,
            nullable=True,
            description="GDP per capita, constant US$ (WDI NY.GDP.PCAP.KD, gap-filled).",
        ),
        "gdp_pc_growth_pct": pa.Column("Float64", nullable=True,
                                       description="GDP per capita growth, percent per year "
                                                   "(NY.GDP.PCAP.KD.ZG)."),
    },
    strict=True,
    unique=["country_id_gw", "year"],
    name="cov_wdi_gdp_pop_demspaces.gdp",
)


def _read_csv(p: Path, columns: list[str]) -> pd.DataFrame:
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=["NA", ""], encoding="utf-8")
    require_columns(raw, columns, p)
    return raw


def load_gdp(path: str | Path | None = None) -> pd.DataFrame:
    """GDP and GDP per capita (constant US$) by G-W country-year, 1950-2024.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per G-W country-year (primary key ``country_id_gw``, ``year``),
        12,188 rows:

        ``country_id_gw``, ``year`` (Int64), ``gdp_usd`` (Float64, constant US$),
        ``gdp_growth_pct`` (Float64, percent), ``gdp_pc_usd`` (Float64, constant
        US$ per person), ``gdp_pc_growth_pct`` (Float64, percent). Non-positive
        GDP levels are NA.
    """
    p = raw_path(SOURCE, FILE_GDP, path)
    raw = _read_csv(p, ["gwcode", "year", *GDP_RENAME])
    df = pd.DataFrame({
        "country_id_gw": to_numeric(raw, "gwcode", p, dtype="Int64"),
        "year": to_numeric(raw, "year", p, dtype="Int64"),
    })
    for src, dst in GDP_RENAME.items():
        df[dst] = to_numeric(raw, src, p, dtype="Float64")
    for c in ("gdp_usd", "gdp_pc_usd"):
        df[c] = df[c].mask(df[c] <= 0)
    return validate(df, SCHEMA_GDP, p)


SCHEMA_POPULATION = pa.DataFrameSchema(
    {
        "country_id_gw": _GW,
        "year": field("year", pa.Check.in_range(1816, 2100)),
        "population_n": field(
            "population_n",
            _POS,
            nullable=True,
            description="Population, persons (the file's thousands x 1,000); UN data from 1950 with WDI/KSG "
                        "drop-ins, KSG before 1950.",
        ),
    },
    strict=True,
    unique=["country_id_gw", "year"],
    name="cov_wdi_gdp_pop_demspaces.population",
)


def load_population(path: str | Path | None = None) -> pd.DataFrame:
    """Population by G-W country-year, 1816-2025, in persons.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per G-W country-year (primary key ``country_id_gw``, ``year``),
        20,849 rows:

        ``country_id_gw``, ``year`` (Int64), ``population_n`` (Float64, persons:
        the file's ``pop`` in thousands multiplied by 1,000; NA where missing).
    """
    p = raw_path(SOURCE, FILE_POPULATION, path)
    raw = _read_csv(p, ["gwcode", "year", "pop"])
    df = pd.DataFrame({
        "country_id_gw": to_numeric(raw, "gwcode", p, dtype="Int64"),
        "year": to_numeric(raw, "year", p, dtype="Int64"),
        "population_n": to_numeric(raw, "pop", p, dtype="Float64") * POPULATION_UNIT,
    })
    return validate(df, SCHEMA_POPULATION, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "gdp": LoaderSpec(load_gdp, SCHEMA_GDP, FILE_GDP, key=("country_id_gw", "year")),
    "population": LoaderSpec(load_population, SCHEMA_POPULATION, FILE_POPULATION,
                             key=("country_id_gw", "year")),
}
