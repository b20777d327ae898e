"""Country backbone: Gleditsch-Ward state-years with their other codes, and covariates.

Core tables
-----------
``country_codes``
    One row per G-W state-year (1816-2025), with the matched COW code, ISO3 and
    UN M49 codes, name, region and ``is_africa``. Other tables convert their
    country codes to G-W with :func:`gw_from_cow` and :func:`gw_from_iso3`,
    passing this table as ``codes``.
``country_covariates``
    One row per G-W state-year 1950-2025: GDP and GDP per capita (WDI-based),
    population (persons), democracy scores (V-Dem, Polity5, EUDS) and U.S. troops.

Code-matching rules (never by name)
-----------------------------------
* G-W membership and the COW code come from isard's ``gw_cw_panel`` (one COW code
  per G-W state-year; NA where COW has no counterpart).
* ISO3 and M49 come from countrycode's ``codelist_panel``: the panel row with the
  same G-W code and year is used when it has an ISO3 code; otherwise the row with
  the same COW code and year (countrycode gives modern Vietnam and unified Yemen
  COW codes but no G-W code). countrycode fills G-W/COW codes only through 2020:
  for later years the state's ISO3 of its last coded year is used when the
  panel has a row with that ISO3 code in the year (the match is on ISO3 and
  year), and M49 is taken from that row. The panel ends in 2024, so ISO3 and M49
  are NA in 2025.

Region rule
-----------
``region`` follows the Correlates of War / Gleditsch-Ward code blocks:
2-199 "Americas", 200-399 "Europe", 400-599 "Africa" (sub-Saharan), 600-699
"Middle East" (this block includes North Africa: Morocco 600, Algeria 615,
Tunisia 616, Libya 620, Sudan 625, South Sudan 626, Egypt 651), 700-899 "Asia",
900-999 "Oceania". Because the COW "Middle East" contains North African
states, ``is_africa`` marks every state on the African continent: G-W codes
400-626 and Egypt 651 (so Sudan, South Sudan and Egypt are ``is_africa`` with
``region`` "Middle East").
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.core.schemas import (
    COVARIATES_FIRST_YEAR,
    SCHEMA_COUNTRY_CODES,
    SCHEMA_COUNTRY_COVARIATES,
)
from analysis.data.registry import raw_file
from analysis.data.tables import table
from analysis.sources import cc_countrycode, cov_isard
from analysis.sources import cov_wdi_gdp_pop_demspaces as wdi
from analysis.sources import intervention_us_troopdata_flynn as troopdata

#: G-W code blocks -> region (inclusive bounds), COW / G-W convention.
REGION_BLOCKS = (
    (2, 199, "Americas"),
    (200, 399, "Europe"),
    (400, 599, "Africa"),
    (600, 699, "Middle East"),
    (700, 899, "Asia"),
    (900, 999, "Oceania"),
)

#: G-W codes on the African continent outside the 400-599 block (North Africa).
NORTH_AFRICA_GW = (600, 615, 616, 620, 625, 626, 651)

#: COW state-years that the crosswalk gives no G-W state because the G-W state is
#: matched to another COW code in that transition year: (COW, year) -> G-W.
#: COW 255 Germany re-enters on 1990-10-03 while G-W 260 is matched to COW 260 for
#: 1990; COW 678 Yemen Arab Republic exists until 1990-05-21 while G-W 678 is
#: matched to COW 679 (unified Yemen) for 1990.
COW_TRANSITIONS = {(255, 1990): 260, (678, 1990): 678}


def region_of(gw: pd.Series) -> pd.Series:
    """Region name of each G-W code (see the module docstring for the rule)."""
    g = pd.Series(gw, copy=False).astype("Int64")
    out = pd.Series(pd.NA, index=g.index, dtype="string")
    for lo, hi, name in REGION_BLOCKS:
        out = out.mask(g.between(lo, hi).fillna(False), name)
    return out


def is_africa_of(gw: pd.Series) -> pd.Series:
    """True for G-W codes of states on the African continent (400-626 and 651)."""
    g = pd.Series(gw, copy=False).astype("Int64")
    out = (g.between(400, 599) | g.isin(NORTH_AFRICA_GW)).astype("boolean")
    return out.mask(g.isna())


# --------------------------------------------------------------------------- code conversion

def _lookup(keys: pd.DataFrame, table: pd.DataFrame, on: list[str]) -> pd.Series:
    """``table.country_id_gw`` for each row of ``keys`` (left join, order kept)."""
    k = keys.reset_index(drop=True)
    k["_pos"] = range(len(k))
    m = k.merge(table, on=on, how="left", validate="many_to_one").sort_values("_pos")
    return pd.Series(m["country_id_gw"].to_numpy(), index=keys.index, dtype="Int64")


def _paired(codes_in: pd.Series, year: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The two inputs as Series on the index of the first, paired by position."""
    c = pd.Series(codes_in)
    y = pd.Series(year)
    if len(c) != len(y):
        raise ValueError(f"codes and years differ in length ({len(c)} vs {len(y)})")
    return c, pd.Series(y.to_numpy(), index=c.index)


def _members(codes: pd.DataFrame) -> pd.DataFrame:
    return codes[["country_id_gw", "year"]].astype("Int64").drop_duplicates()


def gw_from_cow(cow: pd.Series, year: pd.Series, codes: pd.DataFrame) -> pd.Series:
    """Convert COW state codes to G-W codes, year by year.

    Parameters
    ----------
    cow
        Correlates of War numeric codes (any integer-like dtype; NA allowed).
    year
        Calendar year of each code, paired with ``cow`` by position.
    codes
        The ``country_codes`` table (columns ``country_id_gw``, ``year``,
        ``country_id_cow``), or any frame with those columns.

    Returns
    -------
    pandas.Series
        Int64 G-W codes aligned with ``cow`` (same index), named
        ``country_id_gw``; NA where the COW code has no G-W state in that year.

    Notes
    -----
    The match is on (COW code, year) in ``codes``. E.g. COW 255 -> G-W 260
    (Germany, from 1991), COW 260 -> 260 (West Germany 1955-1990), COW 345 ->
    345 (Yugoslavia 1918-2005) and 340 (Serbia 1878-1915, 2006-), COW 679 -> 678
    (unified Yemen, from 1990), COW 678 -> 678 (Yemen Arab Republic to 1990),
    COW 680 -> 680 (South Yemen 1967-1990), COW 816 -> 816 (Vietnam).

    * Where one COW code matches two G-W states in a year (only COW 345 in 2006:
      Yugoslavia until 4 June, Serbia from 5 June), the state that is still a
      member the next year is returned (Serbia 340).
    * Transition years in :data:`COW_TRANSITIONS` (COW 255 in 1990 -> 260, COW 678
      in 1990 -> 678) are added when ``codes`` holds that G-W state-year.
    """
    cow, year = _paired(cow, year)
    cw = codes.loc[codes["country_id_cow"].notna(), ["country_id_cow", "year", "country_id_gw"]]
    cw = cw.astype("Int64").drop_duplicates()
    members = _members(codes)
    extra = pd.DataFrame(
        [(c, y, g) for (c, y), g in COW_TRANSITIONS.items()],
        columns=["country_id_cow", "year", "country_id_gw"],
    ).astype("Int64")
    extra = extra.merge(members, on=["country_id_gw", "year"])
    extra = extra.merge(cw[["country_id_cow", "year"]], how="left", indicator=True)
    extra = extra.loc[extra.pop("_merge") == "left_only"]
    cw = pd.concat([cw, extra], ignore_index=True)
    dup = cw.duplicated(["country_id_cow", "year"], keep=False)
    if dup.any():
        nxt = members.assign(year=members["year"] - 1, _next=True)
        amb = cw[dup].merge(nxt, on=["country_id_gw", "year"], how="left")
        amb = amb[amb["_next"].fillna(False).astype(bool)].drop(columns="_next")
        amb = amb[~amb.duplicated(["country_id_cow", "year"], keep=False)]
        cw = pd.concat([cw[~dup], amb], ignore_index=True)
    keys = pd.DataFrame({"country_id_cow": cow.astype("Int64").to_numpy(),
                         "year": year.astype("Int64").to_numpy()}, index=cow.index)
    return _lookup(keys, cw, ["country_id_cow", "year"]).rename("country_id_gw")


def gw_from_iso3(iso3: pd.Series, year: pd.Series, codes: pd.DataFrame) -> pd.Series:
    """Convert ISO 3166-1 alpha-3 codes to G-W codes, year by year.

    Parameters
    ----------
    iso3
        ISO3 codes (strings; surrounding spaces are ignored; NA allowed).
    year
        Calendar year of each code, paired with ``iso3`` by position.
    codes
        The ``country_codes`` table (columns ``country_id_gw``, ``year``,
        ``country_id_iso3``), or any frame with those columns.

    Returns
    -------
    pandas.Series
        Int64 G-W codes aligned with ``iso3`` (same index), named
        ``country_id_gw``; NA where no G-W state has that ISO3 code in that year.

    Notes
    -----
    The match is on (ISO3, year) in ``codes``. Historical states without an ISO3
    code (e.g. Yugoslavia 345, East Germany 265, Yemen Arab Republic before 1990,
    Republic of Vietnam) are never returned. Where no state has the code in the
    requested year, the state that had it in the latest earlier year is returned
    if it is still a G-W member in the requested year: ``country_codes`` has no
    ISO3 code in 2025 (countrycode's panel ends in 2024) nor, for 2021-2024, for
    21 small states that countrycode stops listing after 2020.
    """
    iso3, year = _paired(iso3, year)
    cw = codes.loc[codes["country_id_iso3"].notna(), ["country_id_iso3", "year", "country_id_gw"]].copy()
    cw["country_id_iso3"] = cw["country_id_iso3"].astype("string")
    cw[["year", "country_id_gw"]] = cw[["year", "country_id_gw"]].astype("Int64")
    cw = cw.drop_duplicates()
    cw = cw[~cw.duplicated(["country_id_iso3", "year"], keep=False)]
    keys = pd.DataFrame({"country_id_iso3": iso3.astype("string").str.strip().str.upper(),
                         "year": year.astype("Int64")}, index=iso3.index)
    out = _lookup(keys, cw, ["country_id_iso3", "year"])
    todo = out.isna() & keys["country_id_iso3"].notna() & keys["year"].notna()
    if todo.any() and len(cw):
        # Latest earlier year with this ISO3 code, if that G-W state is a member in the year asked
        # and no state holds the code in that year.
        k = keys[todo].assign(_pos=range(int(todo.sum())))
        k["year"] = k["year"].astype("int64")
        right = cw.assign(_y=cw["year"].astype("int64")).sort_values("_y")
        m = pd.merge_asof(k.sort_values("year"), right[["country_id_iso3", "_y", "country_id_gw"]],
                          left_on="year", right_on="_y", by="country_id_iso3", direction="backward",
                          allow_exact_matches=False)
        held = cw[["country_id_iso3", "year"]].assign(_held=True)
        m = m.merge(_members(codes).assign(_member=True), on=["country_id_gw", "year"], how="left")
        m = m.merge(held.astype({"year": "int64"}), on=["country_id_iso3", "year"], how="left")
        ok = m["_member"].fillna(False).astype(bool) & ~m["_held"].fillna(False).astype(bool)
        m = m.assign(country_id_gw=m["country_id_gw"].where(ok)).sort_values("_pos")
        out.loc[todo] = m["country_id_gw"].astype("Int64").to_numpy()
    return out.rename("country_id_gw")


# --------------------------------------------------------------------------- country_codes


def _cc_match(panel: pd.DataFrame, cc: pd.DataFrame) -> pd.DataFrame:
    """ISO3 and M49 for each (G-W, year, COW) row of ``panel`` (rules in the module docstring)."""
    cols = ["country_id_iso3", "country_id_m49"]
    by_gw = cc.loc[cc["country_id_gw"].notna(), ["country_id_gw", "year", *cols]]
    by_cow = cc.loc[cc["country_id_cow"].notna(), ["country_id_cow", "year", *cols]]
    out = panel[["country_id_gw", "year", "country_id_cow"]].copy()
    a = out.merge(by_gw, on=["country_id_gw", "year"], how="left", validate="many_to_one")
    b = out.merge(by_cow, on=["country_id_cow", "year"], how="left", validate="many_to_one")
    use_a = a["country_id_iso3"].notna().to_numpy()
    for c in cols:
        out[c] = a[c].where(use_a, b[c]).to_numpy()
    # countrycode stops coding G-W/COW after its last coded year: match on ISO3 and year.
    last = int(cc.loc[cc["country_id_gw"].notna(), "year"].max())
    base = out.loc[(out["year"] == last) & out["country_id_iso3"].notna(),
                   ["country_id_gw", "country_id_iso3"]]
    later = out["year"] > last
    k = out.loc[later, ["country_id_gw", "year"]].merge(base, on="country_id_gw", how="left")
    k = k.merge(cc.loc[cc["country_id_iso3"].notna(), ["country_id_iso3", "year", "country_id_m49"]],
                on=["country_id_iso3", "year"], how="left", indicator=True, validate="many_to_one")
    found = (k.pop("_merge") == "both").to_numpy()
    out.loc[later, "country_id_iso3"] = k["country_id_iso3"].where(found).to_numpy()
    out.loc[later, "country_id_m49"] = k["country_id_m49"].where(found).to_numpy()
    out["country_id_iso3"] = out["country_id_iso3"].astype("string")
    out["country_id_m49"] = out["country_id_m49"].astype("Int64")
    return out


def country_codes_from(panel: pd.DataFrame, system: pd.DataFrame, cc: pd.DataFrame) -> pd.DataFrame:
    """Assemble ``country_codes`` from the loaded isard and countrycode tables."""
    out = _cc_match(panel, cc)
    out["country_name"] = pd.array(panel["gw_name"].to_numpy(), dtype="string")
    out["region"] = region_of(out["country_id_gw"])
    out["is_africa"] = is_africa_of(out["country_id_gw"])
    micro = system.groupby("country_id_gw")["is_microstate"].max()
    out["is_microstate"] = out["country_id_gw"].map(micro).astype("boolean")
    for c in ("country_id_iso3", "country_id_m49"):
        d = out[c].notna() & out.duplicated([c, "year"], keep=False)
        if d.any():
            ex = out.loc[d, ["country_id_gw", "year", c]].head(4).to_dict("records")
            raise ValueError(f"{c} matched to more than one G-W state in a year, e.g. {ex}")
    cols = list(SCHEMA_COUNTRY_CODES.columns)
    return out[cols].sort_values(["country_id_gw", "year"]).reset_index(drop=True)


@table(
    "country_codes",
    primary_key=("country_id_gw", "year"),
    unit="G-W state-year",
    coverage=f"{cov_isard.YEARS[0]}-{cov_isard.YEARS[1]}",
    sources=("cov_isard", "cc_countrycode"),
    schema=SCHEMA_COUNTRY_CODES,
)
def build_country_codes(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Gleditsch-Ward state-years 1816-2025 with COW, ISO3 and M49 codes, name and region.

    One row per G-W system member and year (isard ``gw_cw_panel``; states existing
    in 2020 continue to 2025). ``country_id_cow`` is isard's year-varying match;
    ``country_id_iso3`` and ``country_id_m49`` come from countrycode's panel,
    matched on codes and year (NA for historical states and in 2025). ``region``
    follows the COW code blocks (North Africa in "Middle East"); ``is_africa`` marks
    the whole African continent (G-W 400-626 and 651).
    """
    return country_codes_from(
        cov_isard.load_gw_cw_panel(), cov_isard.load_gw_system(), cc_countrycode.load_codelist_panel()
    )


# --------------------------------------------------------------------------- country_covariates


#: Host-name rows of troopdata whose ISO3/COW code names the wrong G-W state: troopdata books
#: U.S. personnel in South Vietnam 1954-1975 under "Vietnam" (COW 816, ISO3 VNM), which the
#: code conversion would give to North Vietnam (G-W 816). (ISO3, first year, last year) -> G-W.
TROOPDATA_OVERRIDES = {("VNM", 1954, 1975): 817}


def _outside(year: pd.Series, years: tuple[int, int]) -> pd.Series:
    return ~year.between(*years)


def us_troops_gw(troops: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """U.S. active-duty troops by G-W state-year from troopdata's country-year rows.

    Territories are dropped; the ISO3 code is converted with :func:`gw_from_iso3`
    and, where troopdata gives none (historical states), the COW code with
    :func:`gw_from_cow`; :data:`TROOPDATA_OVERRIDES` then applies. Rows that are
    not a G-W state-year are dropped. Several rows of one state-year (alternative
    spellings, one of them all zeros) are summed; more than one non-zero row is
    an error.

    Returns
    -------
    pandas.DataFrame
        ``country_id_gw``, ``year`` (Int64), ``us_troops_n`` (Int64, persons).
    """
    t = troops.loc[~troops["is_territory"].astype(bool)].copy()
    by_iso = gw_from_iso3(t["country_id_iso3"], t["year"], codes)
    by_cow = gw_from_cow(t["country_id_cow"], t["year"], codes)
    gw = by_iso.where(t["country_id_iso3"].notna(), by_cow)
    for (iso, y0, y1), g in TROOPDATA_OVERRIDES.items():
        gw = gw.mask((t["country_id_iso3"] == iso).fillna(False) & t["year"].between(y0, y1), g)
    t["country_id_gw"] = gw.astype("Int64")
    t = t.merge(_members(codes), on=["country_id_gw", "year"], how="inner")
    nonzero = (t["us_troops_n"] > 0).fillna(False).astype(int)
    n = nonzero.groupby([t["country_id_gw"], t["year"]]).transform("sum")
    if (n > 1).any():
        ex = t.loc[n > 1, ["country_name", "year", "country_id_gw", "us_troops_n"]].head(4)
        raise ValueError(f"troopdata: several non-zero rows for one G-W state-year: {ex.to_dict('records')}")
    out = t.groupby(["country_id_gw", "year"], as_index=False)["us_troops_n"].sum(min_count=1)
    out["us_troops_n"] = out["us_troops_n"].astype("Int64")
    return out


def country_covariates_from(codes: pd.DataFrame, gdp: pd.DataFrame, population: pd.DataFrame,
                            democracy: pd.DataFrame, troops: pd.DataFrame) -> pd.DataFrame:
    """Assemble ``country_covariates`` from ``country_codes`` and the loaded source tables."""
    key = ["country_id_gw", "year"]
    out = codes.loc[codes["year"] >= COVARIATES_FIRST_YEAR, key].astype("Int64").reset_index(drop=True)
    n = len(out)
    parts = [
        (gdp, ["gdp_pc_usd", "gdp_usd"], raw_file(wdi.SOURCE, wdi.FILE_GDP).years),
        (population, ["population_n"], raw_file(wdi.SOURCE, wdi.FILE_POPULATION).years),
        (democracy, ["v2x_polyarchy"], (cov_isard.YEARS[0], cov_isard.VDEM_LAST_YEAR)),
        (democracy, ["polity2"], (cov_isard.YEARS[0], cov_isard.POLITY5_LAST_YEAR)),
        (democracy, ["euds", "aeuds"], raw_file(cov_isard.SOURCE, cov_isard.FILE_DEMOCRACY).years),
        (us_troops_gw(troops, codes), ["us_troops_n"], raw_file(troopdata.SOURCE, troopdata.FILE).years),
    ]
    for df, cols, years in parts:
        out = out.merge(df[key + cols], on=key, how="left", validate="one_to_one")
        for c in cols:
            out[c] = out[c].mask(_outside(out["year"], years))
    if len(out) != n:
        raise ValueError(f"country_covariates: backbone changed from {n} to {len(out)} rows")
    return out[list(SCHEMA_COUNTRY_COVARIATES.columns)]


@table(
    "country_covariates",
    primary_key=("country_id_gw", "year"),
    unit="G-W state-year",
    coverage="1950-2025 (GDP and U.S. troops to 2024, V-Dem to 2024, Polity5 to 2018)",
    sources=("cov_wdi_gdp_pop_demspaces", "cov_isard", "intervention_us_troopdata_flynn"),
    schema=SCHEMA_COUNTRY_COVARIATES,
    depends=("country_codes",),
)
def build_country_covariates(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Covariates by G-W state-year, 1950-2025: GDP, population, democracy, U.S. troops.

    Rows are the G-W state-years of ``country_codes`` from 1950. Each value is NA
    outside its source's years (registry coverage; Polity5 to 2018, V-Dem to
    2024) and where the source has no value; nothing is carried forward or set
    to 0. ``us_troops_n`` is 0 only where troopdata reports 0.
    """
    return country_covariates_from(
        deps["country_codes"], wdi.load_gdp(), wdi.load_population(), cov_isard.load_gw_democracy(),
        troopdata.load_country_year(),
    )
