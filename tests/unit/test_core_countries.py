"""Core module analysis.core.countries on synthetic frames and on the group's fixtures."""

from pathlib import Path

import pandas as pd
import pytest

from analysis.core import countries as C
from analysis.sources import cc_countrycode, cov_isard, intervention_us_troopdata_flynn
from analysis.sources import cov_wdi_gdp_pop_demspaces as wdi


def _codes():
    """Small synthetic country_codes frame in the shape of the real crosswalk."""
    rows = []

    def add(gw, years, cow, iso):
        for y in years:
            rows.append((gw, y, cow, iso))

    add(255, range(1944, 1946), 255, "DEU")
    add(260, range(1949, 1955), None, "DEU")
    add(260, range(1955, 1991), 260, "DEU")
    add(260, range(1991, 1993), 255, "DEU")
    add(265, range(1954, 1991), 265, None)
    add(340, [1900], 345, "SRB")
    add(340, range(2006, 2008), 345, "SRB")
    add(345, range(2004, 2007), 345, None)
    add(678, range(1985, 1990), 678, None)
    add(678, range(1990, 1992), 679, "YEM")
    add(680, range(1985, 1991), 680, None)
    add(816, range(2023, 2025), 816, "VNM")
    add(816, [2025], 816, None)
    add(817, range(1960, 1962), 817, None)
    df = pd.DataFrame(rows, columns=["country_id_gw", "year", "country_id_cow", "country_id_iso3"])
    df[["country_id_gw", "year", "country_id_cow"]] = df[["country_id_gw", "year", "country_id_cow"]].astype(
        "Int64")
    df["country_id_iso3"] = df["country_id_iso3"].astype("string")
    return df


@pytest.mark.parametrize(
    ("cow", "year", "gw"),
    [
        (255, 1991, 260), (255, 1992, 260), (260, 1960, 260), (260, 1990, 260), (255, 1944, 255),
        (255, 1990, 260),        # COW re-entry on 3 Oct 1990: transition rule
        (255, 1950, None),       # COW 255 does not exist in 1950
        (265, 1990, 265), (345, 1900, 340), (345, 2005, 345),
        (345, 2006, 340),        # one COW code, two G-W states: the surviving one
        (345, 2007, 340), (679, 1990, 678), (679, 1991, 678), (679, 1989, None),
        (678, 1989, 678), (678, 1990, 678), (680, 1990, 680), (680, 1991, None),
        (816, 2025, 816), (817, 1960, 817), (999, 2000, None),
    ],
)
def test_gw_from_cow(cow, year, gw):
    got = C.gw_from_cow(pd.Series([cow]), pd.Series([year]), _codes())
    assert str(got.dtype) == "Int64"
    assert (pd.isna(got.iloc[0]) and gw is None) or got.iloc[0] == gw


def test_gw_from_cow_keeps_index_order_and_missing():
    cow = pd.Series([679, None, 255, 260], index=[10, 3, 7, 1], dtype="Int64")
    year = pd.Series([1991, 1991, 1991, 1960], index=[10, 3, 7, 1])
    got = C.gw_from_cow(cow, year, _codes())
    assert list(got.index) == [10, 3, 7, 1]
    assert got.name == "country_id_gw"
    assert got.tolist()[0] == 678 and pd.isna(got.loc[3]) and got.loc[7] == 260 and got.loc[1] == 260


def test_years_are_paired_by_position_and_lengths_must_match():
    cow = pd.Series([255, 679], index=[5, 6])
    got = C.gw_from_cow(cow, pd.Series([1991, 1991]), _codes())  # year has another index
    assert got.tolist() == [260, 678] and list(got.index) == [5, 6]
    with pytest.raises(ValueError, match="differ in length"):
        C.gw_from_iso3(pd.Series(["DEU"]), pd.Series([1991, 1992]), _codes())


def test_gw_from_cow_accepts_float_codes():
    got = C.gw_from_cow(pd.Series([255.0, 345.0]), pd.Series([1991.0, 2005.0]), _codes())
    assert got.tolist() == [260, 345]


def test_transition_rule_needs_the_state_year_in_codes():
    codes = _codes()
    codes = codes[~((codes.country_id_gw == 260) & (codes.year == 1990))]
    assert pd.isna(C.gw_from_cow(pd.Series([255]), pd.Series([1990]), codes).iloc[0])


@pytest.mark.parametrize(
    ("iso", "year", "gw"),
    [
        ("DEU", 1991, 260), ("DEU", 1950, 260), ("DEU", 1945, 255),
        ("DEU", 1947, None),     # no German state in 1947
        ("SRB", 1900, 340), ("SRB", 2006, 340), ("SRB", 2005, None),
        ("YEM", 1990, 678), ("YEM", 1989, None),
        ("VNM", 2024, 816),
        ("VNM", 2025, 816),      # no ISO3 in codes for 2025: latest earlier year, state still a member
        ("VNM", 2026, None),     # ... but not beyond the state's membership
        (" vnm", 2024, 816), ("XXX", 2000, None), (None, 2000, None),
    ],
)
def test_gw_from_iso3(iso, year, gw):
    got = C.gw_from_iso3(pd.Series([iso], dtype="string"), pd.Series([year]), _codes())
    assert str(got.dtype) == "Int64"
    assert (pd.isna(got.iloc[0]) and gw is None) or got.iloc[0] == gw


def test_gw_from_iso3_keeps_index_order():
    iso = pd.Series(["YEM", "DEU", "VNM"], index=["a", "b", "c"])
    got = C.gw_from_iso3(iso, pd.Series([1991, 1960, 2025], index=["a", "b", "c"]), _codes())
    assert got.to_dict() == {"a": 678, "b": 260, "c": 816}


def test_region_and_africa_rule():
    gw = pd.Series([2, 200, 399, 432, 600, 625, 626, 651, 652, 666, 700, 860, 900, 990, None], dtype="Int64")
    reg = C.region_of(gw).tolist()
    assert reg[:14] == ["Americas", "Europe", "Europe", "Africa", "Middle East", "Middle East",
                        "Middle East", "Middle East", "Middle East", "Middle East", "Asia", "Asia",
                        "Oceania", "Oceania"]
    assert pd.isna(reg[14])
    afr = C.is_africa_of(gw).tolist()
    assert afr[:14] == [False, False, False, True, True, True, True, True, False, False, False, False,
                        False, False]


# --------------------------------------------------------------- whole tables on the fixtures

@pytest.fixture(scope="module")
def _codes_built():
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    return C.country_codes_from(
        cov_isard.load_gw_cw_panel(fixtures / "cov_isard" / "gw_cw_panel.rda"),
        cov_isard.load_gw_system(fixtures / "cov_isard" / "gw_system.rda"),
        cc_countrycode.load_codelist_panel(fixtures / "cc_countrycode" / "codelist_panel.rda"),
    )


@pytest.fixture
def codes_fx(_codes_built):
    # built once per module (reading the .rda fixtures is the slow part), copied for each test
    return _codes_built.copy()


def test_country_codes_schema_and_key(codes_fx):
    C.SCHEMA_COUNTRY_CODES.validate(codes_fx)
    assert not codes_fx.duplicated(["country_id_gw", "year"]).any()
    assert len(codes_fx) == 43  # the 47 panel rows less the 4 COW-only rows


def test_country_codes_iso_match_by_gw_then_cow(codes_fx):
    c = codes_fx.set_index(["country_id_gw", "year"])
    assert c.loc[(100, 1990), "country_id_iso3"] == "ALF"
    assert c.loc[(100, 1990), "country_id_m49"] == 901
    # Bravonia has no gwn in countrycode: matched on COW 115 from 1993, nothing before
    assert c.loc[(110, 1993), "country_id_iso3"] == "BRV"
    assert pd.isna(c.loc[(110, 1992), "country_id_iso3"])
    # historical union: no ISO3
    assert pd.isna(c.loc[(145, 1993), "country_id_iso3"])
    assert c.loc[(140, 1994), "country_id_iso3"] == "ECH"


def test_country_codes_region_africa_microstate(codes_fx):
    c = codes_fx.drop_duplicates("country_id_gw").set_index("country_id_gw")
    assert c.loc[420, "region"] == "Africa" and bool(c.loc[420, "is_africa"])
    assert c.loc[625, "region"] == "Middle East" and bool(c.loc[625, "is_africa"])
    assert c.loc[100, "region"] == "Americas" and not bool(c.loc[100, "is_africa"])
    assert bool(c.loc[950, "is_microstate"]) and c.loc[950, "region"] == "Oceania"


def test_country_codes_iso3_after_last_coded_year_matches_iso_and_year():
    # G-W state-years 2020-2025 for two states; countrycode codes gwn to 2020, lists ISO3 to 2024,
    # and drops the small state after 2020.
    panel = pd.DataFrame({
        "country_id_gw": pd.array([1, 1, 1, 2, 2] * 1 + [1, 2], dtype="Int64"),
        "year": pd.array([2020, 2021, 2024, 2020, 2021, 2025, 2025], dtype="Int64"),
        "country_id_cow": pd.array([1] * 3 + [2] * 2 + [1, 2], dtype="Int64"),
        "gw_name": ["A", "A", "A", "B", "B", "A", "B"],
    })
    system = pd.DataFrame({"country_id_gw": pd.array([1, 2], dtype="Int64"),
                           "is_microstate": pd.array([False, True], dtype="boolean")})
    cc = pd.DataFrame({
        "country_name": ["A", "A", "A", "B"],
        "year": pd.array([2020, 2021, 2024, 2020], dtype="Int64"),
        "country_id_cow": pd.array([1, None, None, 2], dtype="Int64"),
        "country_id_gw": pd.array([1, None, None, 2], dtype="Int64"),
        "country_id_iso3": pd.array(["AAA", "AAA", "AAA", "BBB"], dtype="string"),
        "country_id_m49": pd.array([10, 10, 10, 20], dtype="Int64"),
    })
    out = C.country_codes_from(panel, system, cc).set_index(["country_id_gw", "year"])
    assert out.loc[(1, 2021), "country_id_iso3"] == "AAA" and out.loc[(1, 2024), "country_id_m49"] == 10
    assert pd.isna(out.loc[(2, 2021), "country_id_iso3"])
    assert pd.isna(out.loc[(1, 2025), "country_id_iso3"])


@pytest.fixture(scope="module")
def _cov_built(_codes_built):
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    d = fixtures / "cov_wdi_gdp_pop_demspaces"
    return C.country_covariates_from(
        _codes_built.assign(year=_codes_built["year"] + 28),  # shift the 1990s fixture panel to 2018-2023
        wdi.load_gdp(d / "gdp.csv"),
        wdi.load_population(d / "population.csv"),
        cov_isard.load_gw_democracy(fixtures / "cov_isard" / "gw_democracy.rda"),
        intervention_us_troopdata_flynn.load_country_year(
            fixtures / "intervention_us_troopdata_flynn" / "troopdata-rebuild-country-year.csv"),
    )


@pytest.fixture
def cov_fx(_cov_built):
    return _cov_built.copy()


def test_covariates_keep_backbone_and_schema(cov_fx, codes_fx):
    C.SCHEMA_COUNTRY_COVARIATES.validate(cov_fx)
    assert len(cov_fx) == len(codes_fx)


def test_covariates_polity_after_2018_is_missing(cov_fx):
    c = cov_fx.set_index(["country_id_gw", "year"])
    assert pd.notna(c.loc[(100, 2018), "polity2"])
    assert pd.isna(c.loc[(100, 2019), "polity2"])  # present in the source, outside Polity5's years
    assert pd.notna(c.loc[(100, 2019), "v2x_polyarchy"])


def test_covariates_units_and_missing(cov_fx):
    c = cov_fx.set_index(["country_id_gw", "year"])
    assert c.loc[(100, 2018), "population_n"] == pytest.approx(4_000_000.0)
    assert c.loc[(100, 2018), "gdp_usd"] == pytest.approx(5.0e11)
    assert pd.isna(c.loc[(110, 2018), "gdp_usd"])  # not in the GDP file: NA, not 0
    assert pd.isna(c.loc[(110, 2018), "us_troops_n"])


def test_troops_name_variants_are_summed_territories_dropped(fixtures, codes_fx):
    troops = intervention_us_troopdata_flynn.load_country_year(
        fixtures / "intervention_us_troopdata_flynn" / "troopdata-rebuild-country-year.csv")
    codes = codes_fx.assign(year=codes_fx["year"] + 29)  # 2019-2024
    codes.loc[codes.country_id_gw == 625, "country_id_iso3"] = "HTL"
    t = C.us_troops_gw(troops, codes).set_index(["country_id_gw", "year"])
    assert t.loc[(625, 2024), "us_troops_n"] == 15
    assert t.loc[(100, 2021), "us_troops_n"] == 101
    assert t["us_troops_n"].max() < 6000  # the territory's 6,000 are not added to any state


def test_troops_two_nonzero_rows_for_one_state_year_fail(fixtures, codes_fx):
    troops = intervention_us_troopdata_flynn.load_country_year(
        fixtures / "intervention_us_troopdata_flynn" / "troopdata-rebuild-country-year.csv")
    troops.loc[troops.country_name == "Hotel Coast", "us_troops_n"] = 4
    codes = codes_fx.assign(year=codes_fx["year"] + 29)
    codes.loc[codes.country_id_gw == 625, "country_id_iso3"] = "HTL"
    with pytest.raises(ValueError, match="several non-zero rows"):
        C.us_troops_gw(troops, codes)


def test_troops_vietnam_override():
    codes = pd.DataFrame({"country_id_gw": pd.array([816, 817, 816], dtype="Int64"),
                          "year": pd.array([1968, 1968, 1980], dtype="Int64"),
                          "country_id_cow": pd.array([816, 817, 816], dtype="Int64"),
                          "country_id_iso3": pd.array(["VNM", None, "VNM"], dtype="string")})
    troops = pd.DataFrame({"country_name": ["Vietnam", "Vietnam"],
                           "year": pd.array([1968, 1980], dtype="Int64"),
                           "country_id_cow": pd.array([816, 816], dtype="Int64"),
                           "country_id_iso3": pd.array(["VNM", "VNM"], dtype="string"),
                           "is_territory": pd.array([False, False], dtype="boolean"),
                           "us_troops_n": pd.array([537377, 0], dtype="Int64")})
    t = C.us_troops_gw(troops, codes).set_index(["country_id_gw", "year"])["us_troops_n"].to_dict()
    assert t == {(817, 1968): 537377, (816, 1980): 0}
