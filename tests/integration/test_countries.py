"""COUNTRIES group on the real mirror: source loaders and the core tables
``country_codes`` and ``country_covariates``."""

import pandas as pd
import pytest

from analysis.core import countries as C
from analysis.data import load
from analysis.sources import cc_countrycode, cov_isard, intervention_us_troopdata_flynn
from analysis.sources import cov_wdi_gdp_pop_demspaces as wdi


@pytest.fixture(scope="module")
def codes(raw_cache):
    return load("country_codes")


@pytest.fixture(scope="module")
def cov(raw_cache):
    return load("country_covariates")


@pytest.fixture(scope="module")
def cidx(codes):
    return codes.set_index(["country_id_gw", "year"])


@pytest.fixture(scope="module")
def vidx(cov):
    return cov.set_index(["country_id_gw", "year"])


# ----------------------------------------------------------------- source loaders

@pytest.mark.parametrize(
    ("module", "table", "rows"),
    [
        (cc_countrycode, "codelist_panel", 29_574),
        (cov_isard, "gw_system", 239),
        (cov_isard, "gw_cw_panel", 20_849),  # 20,990 rows less 141 COW-only rows
        (cov_isard, "gw_democracy", 20_849),
        (wdi, "gdp", 12_188),
        (wdi, "population", 20_849),
        (intervention_us_troopdata_flynn, "country_year", 13_135),
    ],
)
def test_loader_row_counts_and_keys(raw_cache, module, table, rows):
    spec = module.LOADERS[table]
    df = spec.load()
    assert len(df) == rows
    assert not df.duplicated(list(spec.key)).any()


def test_troopdata_ccode_year_duplicates_are_name_variants(raw_cache):
    df = intervention_us_troopdata_flynn.load_country_year()
    states = df[~df.is_territory]
    dup = states[states.duplicated(["country_id_cow", "year"], keep=False)]
    assert dup.duplicated(["country_id_cow", "year"]).sum() == 29
    assert "Czechia" in set(dup.country_name) and "Czech Republic" in set(dup.country_name)
    assert (dup.groupby(["country_id_cow", "year"])["us_troops_n"].apply(lambda s: (s > 0).sum()) <= 1).all()


# ----------------------------------------------------------------- country_codes

def test_country_codes_key_and_coverage(codes):
    assert len(codes) == 20_849
    assert not codes.duplicated(["country_id_gw", "year"]).any()
    assert codes.year.min() == 1816 and codes.year.max() == 2025
    assert (codes.year == 2025).sum() == 197
    assert not codes.duplicated(["country_id_iso3", "year"]).loc[codes.country_id_iso3.notna()].any()


def test_germany(cidx):
    assert cidx.loc[(255, 1945), "country_id_cow"] == 255
    assert cidx.loc[(260, 1990), "country_id_cow"] == 260
    assert cidx.loc[(260, 1991), "country_id_cow"] == 255
    assert pd.isna(cidx.loc[(260, 1950), "country_id_cow"])  # COW has no West Germany before 1955
    assert cidx.loc[(260, 1991), "country_id_iso3"] == "DEU"
    assert cidx.loc[(260, 1991), "country_id_m49"] == 276
    assert (265, 1990) in cidx.index and (265, 1991) not in cidx.index
    assert pd.isna(cidx.loc[(265, 1980), "country_id_iso3"])


def test_serbia_yugoslavia(cidx):
    assert cidx.loc[(345, 2005), "country_id_cow"] == 345
    assert (345, 2006) in cidx.index and (340, 2006) in cidx.index and (345, 2007) not in cidx.index
    assert cidx.loc[(340, 2010), "country_id_cow"] == 345
    assert cidx.loc[(340, 2010), "country_id_iso3"] == "SRB"
    assert cidx.loc[(340, 2010), "country_id_m49"] == 688
    assert pd.isna(cidx.loc[(345, 1990), "country_id_iso3"])


def test_yemen(cidx):
    assert cidx.loc[(678, 1989), "country_id_cow"] == 678
    assert pd.isna(cidx.loc[(678, 1989), "country_id_iso3"])
    assert cidx.loc[(678, 1990), "country_id_cow"] == 679
    assert cidx.loc[(678, 2000), "country_id_iso3"] == "YEM"
    assert cidx.loc[(678, 2000), "country_id_m49"] == 887
    assert (680, 1990) in cidx.index and (680, 1991) not in cidx.index


def test_vietnam(cidx):
    assert cidx.loc[(816, 2000), "country_id_cow"] == 816
    assert cidx.loc[(816, 2000), "country_id_iso3"] == "VNM"
    assert cidx.loc[(816, 2000), "country_id_m49"] == 704
    assert (817, 1970) in cidx.index and (817, 1976) not in cidx.index
    assert (815, 1850) in cidx.index


def test_regions_and_africa(codes):
    y = codes[codes.year == 2020].set_index("country_id_gw")
    assert y.is_africa.sum() == 54  # 47 states in 400-599 and 7 North African states
    assert y.loc[625, "region"] == "Middle East" and bool(y.loc[625, "is_africa"])
    assert y.loc[651, "region"] == "Middle East" and bool(y.loc[651, "is_africa"])
    assert y.loc[475, "region"] == "Africa" and y.loc[666, "region"] == "Middle East"
    assert y.loc[2, "region"] == "Americas" and y.loc[900, "region"] == "Oceania"
    assert not bool(y.loc[666, "is_africa"])


def test_gw_from_cow_real(codes):
    cow = pd.Series([255, 255, 260, 345, 345, 345, 679, 678, 680, 816, 817, 625, 626])
    year = pd.Series([1991, 1990, 1980, 2000, 2006, 2010, 2000, 1980, 1980, 2000, 1970, 2012, 2012])
    want = [260, 260, 260, 345, 340, 340, 678, 678, 680, 816, 817, 625, 626]
    assert C.gw_from_cow(cow, year, codes).tolist() == want


def test_gw_from_iso3_real(codes):
    iso = pd.Series(["DEU", "DEU", "SRB", "YEM", "VNM", "VNM", "SSD", "SDN", "BHS"])
    year = pd.Series([1960, 2000, 2010, 2000, 2000, 2025, 2012, 2012, 2023])
    want = [260, 260, 340, 678, 816, 816, 626, 625, 31]
    assert C.gw_from_iso3(iso, year, codes).tolist() == want


# ----------------------------------------------------------------- country_covariates

def test_covariates_key_and_backbone(cov, codes):
    assert len(cov) == (codes.year >= 1950).sum() == 12_384
    assert not cov.duplicated(["country_id_gw", "year"]).any()
    assert cov.year.min() == 1950 and cov.year.max() == 2025


@pytest.mark.parametrize(
    ("column", "last", "n_last"),
    [("gdp_pc_usd", 2024, 194), ("gdp_usd", 2024, 196), ("polity2", 2018, 161),
     ("v2x_polyarchy", 2024, 174), ("us_troops_n", 2024, 195)],
)
def test_covariates_boundary_years(cov, column, last, n_last):
    by_year = cov.groupby("year")[column].count()
    assert by_year.loc[last] == n_last
    assert by_year.loc[last + 1:].sum() == 0


def test_polity_us_2019_is_na_although_in_source(vidx, raw_cache):
    dem = cov_isard.load_gw_democracy().set_index(["country_id_gw", "year"])
    assert pd.notna(dem.loc[(2, 2019), "polity2"])
    assert pd.isna(vidx.loc[(2, 2019), "polity2"])
    assert vidx.loc[(2, 2018), "polity2"] == dem.loc[(2, 2018), "polity2"]


def test_population_units(vidx):
    assert 150e6 < vidx.loc[(475, 2020), "population_n"] < 250e6  # Nigeria
    assert vidx.loc[(432, 2024), "population_n"] == pytest.approx(24_478_595.5)  # Mali
    assert vidx.loc[(432, 2025), "population_n"] > 0  # population runs to 2025


def test_negative_gdp_extrapolation_is_na(vidx):
    assert pd.isna(vidx.loc[(626, 2024), "gdp_usd"]) and pd.isna(vidx.loc[(626, 2024), "gdp_pc_usd"])
    assert vidx.loc[(626, 2023), "gdp_pc_usd"] > 0


def test_us_troops_known_values(vidx):
    assert vidx.loc[(645, 2007), "us_troops_n"] == 510_000  # Iraq
    assert vidx.loc[(522, 2017), "us_troops_n"] == 4_694  # Djibouti
    assert vidx.loc[(700, 2010), "us_troops_n"] == 99_279  # Afghanistan
    assert vidx.loc[(260, 1970), "us_troops_n"] > 150_000  # West Germany, coded COW 255 upstream
    assert vidx.loc[(817, 1968), "us_troops_n"] > 500_000  # South Vietnam, booked under "Vietnam"
    assert pd.isna(vidx.loc[(816, 1968), "us_troops_n"])
    assert vidx.loc[(346, 2024), "us_troops_n"] == 17  # Bosnia: name variants summed (one all zeros)
