from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.core import un
from analysis.core.countries import region_of
from analysis.errors import DataError
from analysis.sources import kathman_pko_personnel as kat
from analysis.sources import un_pko_fatalities as fat
from analysis.sources import un_pko_missions as mis


@pytest.fixture
def fx(fixtures):
    return fixtures / "un_pko_missions" / "DPPADPOSS-PKO.csv"


@pytest.fixture
def fx_cw(fixtures):
    return fixtures / "un_pko_missions" / "unpko_country_crosswalk.xlsx"


@pytest.fixture(scope="module")
def _missions():
    return mis.load_missions(Path(__file__).resolve().parents[1] / "fixtures" / "un_pko_missions"
                             / "DPPADPOSS-PKO.csv").set_index("mission_id_un")


@pytest.fixture
def df(_missions):
    # read once per module, copied for each test
    return _missions.copy()


def _write(tmp_path, fx, edit):
    lines = edit(fx.read_text(encoding="utf-8").splitlines())
    bad = tmp_path / "m.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad


# --------------------------------------------------------------------------- DPPADPOSS-PKO.csv

def test_decimal_comma_coordinates_are_parsed(df):
    assert df.loc["UNPROFOR", "longitude"] == pytest.approx(16.0)
    assert df.loc["UNTAET", "latitude"] == pytest.approx(-8.5)
    assert str(df["longitude"].dtype) == "Float64"


def test_swapped_coordinates_are_fixed_and_flagged(df):
    # upstream lon 12.6 / lat -8.1 for Bamako
    assert df.loc["MINUSMA", ["longitude", "latitude"]].tolist() == pytest.approx([-8.1, 12.6])
    assert df.loc["UNEF", ["longitude", "latitude"]].tolist() == pytest.approx([34.4, 31.4])
    assert df.loc["UNSCOB", ["longitude", "latitude"]].tolist() == pytest.approx([23.7, 37.9])
    assert df.loc["UNEF I", ["longitude", "latitude"]].tolist() == pytest.approx([34.4, 31.4])
    assert set(df.index[df["is_coordinates_swapped"]]) == {"MINUSMA", "UNEF", "UNSCOB"}


def test_missing_coordinates_stay_missing(df):
    assert df.loc[["UNYOM", "DOMREP", "UNTSO"], ["longitude", "latitude"]].isna().all().all()


def test_is_active_mixed_case_becomes_boolean(df):
    assert str(df["is_active"].dtype) == "boolean"
    assert not df.loc["MINUSTAH", "is_active"]  # upstream "NO"
    assert df.loc["UNMIK", "is_active"]
    assert df["is_active"].sum() == 4


def test_truncated_domrep_name_is_repaired(df):
    assert df.loc["DOMREP", "mission_name"].endswith("in the Dominican Republic")
    assert not df["mission_name"].str.startswith('"').any()


def test_missing_dates_and_ongoing_missions_are_na(df):
    assert pd.isna(df.loc["UNOHCI", "date_start"]) and pd.isna(df.loc["UNOHCI", "date_end"])
    assert pd.isna(df.loc["UNSCOB", "date_start"]) and df.loc["UNSCOB", "date_end"].year == 1951
    assert pd.isna(df.loc["MINUSMA", "date_end"])
    assert df.loc["UNTSO", "date_start"] == pd.Timestamp("1948-05-30")


def test_strings_stripped_and_rows_sorted_by_id(fx, load_once):
    out = load_once(mis.load_missions, fx)
    assert out["row_id"].tolist() == sorted(out["row_id"].tolist())
    assert out.set_index("mission_id_un").loc["UNMOGIP", "hq_location"] == "Islamabad and Srinagar"


def test_split_entries_point_to_combined_entry(df):
    assert df.loc["UNEF I", "mission_id_un_combined"] == "UNEF"
    assert df.loc["UNEF", "mission_id_un_combined"] == "UNEF"
    assert df.loc["MINUSMA", "mission_id_un_combined"] == "MINUSMA"


def test_missing_column_names_file_and_column(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: [ls[0].replace("mission_isactive", "active")] + ls[1:])
    with pytest.raises(DataError, match=r"m\.csv.*column 'mission_isactive'.*missing"):
        mis.load_missions(bad)


def test_bad_coordinate_names_column_and_row(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: [x.replace('"21,4000"', '"21,4a00"') for x in ls])
    with pytest.raises(DataError, match=r"m\.csv.*column 'mission_longitude'.*line 5.*not a number"):
        mis.load_missions(bad)


def test_out_of_range_latitude_names_row(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: [x.replace('"42,0100"', '"142,0100"') for x in ls])
    with pytest.raises(DataError, match=r"m\.csv.*column 'latitude'"):
        mis.load_missions(bad)


def test_unknown_is_active_code_names_row(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: ls[:2] + [ls[2].replace(",No,", ",Maybe,")] + ls[3:])
    with pytest.raises(DataError, match=r"m\.csv.*column 'mission_isactive'.*line 3.*unknown code 'MAYBE'"):
        mis.load_missions(bad)


def test_bad_date_names_row(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: [x.replace("1963-07-04", "1963-7-4x") for x in ls])
    with pytest.raises(DataError, match=r"m\.csv.*column 'start_date'.*line 2.*bad date"):
        mis.load_missions(bad)


def test_end_before_start_is_rejected(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: [x.replace("1964-09-02", "1962-09-02") for x in ls])
    with pytest.raises(DataError, match=r"column 'end_date'.*line 2.*before"):
        mis.load_missions(bad)


def test_duplicate_acronym_is_rejected(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: ls + ["99" + ls[1][1:]])
    with pytest.raises(DataError, match=r"m\.csv.*column 'mission_id_un'"):
        mis.load_missions(bad)


def test_wrong_encoding_is_reported(fx, tmp_path):
    bad = tmp_path / "m.csv"
    bad.write_bytes(fx.read_bytes() + "99,UNX,Op\xe9ration,DPO,No,,,,,,2024-02-19\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"m\.csv.*wrong encoding"):
        mis.load_missions(bad)


# --------------------------------------------------------------------------- crosswalk

def test_crosswalk_keeps_non_iso_codes_and_blank_combined_entries(fx_cw, load_once):
    cw = load_once(mis.load_hosts, fx_cw)
    assert len(cw) == 23
    assert set(cw.loc[cw.mission_id_un == "UNMIK", "host_code"]) == {"SRB", "KSV"}
    assert cw.loc[cw.mission_id_un == "UNYOM", "host_code"].item() == "YAR"
    assert cw.loc[cw.mission_id_un.isin(["UNEF", "UNPF"]), "host_code"].isna().all()


def _edit_xlsx(src, dst, cell, value):
    wb = openpyxl.load_workbook(src)
    wb["Sheet1"][cell] = value
    wb.save(dst)
    return dst


def test_crosswalk_missing_column_is_named(fx_cw, tmp_path):
    bad = _edit_xlsx(fx_cw, tmp_path / "c.xlsx", "C1", "iso")
    with pytest.raises(DataError, match=r"c\.xlsx.*column 'iso3c'.*missing"):
        mis.load_hosts(bad)


def test_crosswalk_bad_code_names_row(fx_cw, tmp_path):
    bad = _edit_xlsx(fx_cw, tmp_path / "c.xlsx", "C3", "BI")
    with pytest.raises(DataError, match=r"c\.xlsx.*column 'host_code'.*row 3"):
        mis.load_hosts(bad)


def test_crosswalk_duplicate_pair_is_rejected(fx_cw, tmp_path):
    bad = _edit_xlsx(fx_cw, tmp_path / "c.xlsx", "C5", "HRV")
    with pytest.raises(DataError, match=r"c\.xlsx.*schema failure"):
        mis.load_hosts(bad)


def test_crosswalk_blank_mission_names_row(fx_cw, tmp_path):
    bad = _edit_xlsx(fx_cw, tmp_path / "c.xlsx", "A5", None)
    with pytest.raises(DataError, match=r"c\.xlsx.*column 'mission_acronym'.*row 5"):
        mis.load_hosts(bad)


# --------------------------------------------------------------------------- core: hosts and missions

# (gw, cow, iso3, first year, last year); iso3 None = no ISO3 code (historical state)
_STATES = [
    (678, 678, None, 1950, 1989), (678, 679, "YEM", 1990, 2020), (345, 345, None, 1950, 2005),
    (340, 345, "SRB", 2006, 2020), (347, 347, None, 2008, 2020), (344, 344, "HRV", 1992, 2020),
    (346, 346, "BIH", 1992, 2020), (343, None, "MKD", 1991, 1992), (343, 343, "MKD", 1993, 2020),
    (666, 666, "ISR", 1948, 2020), (651, 651, "EGY", 1950, 2020), (652, 652, "SYR", 1950, 2020),
    (860, 860, "TLS", 2002, 2020), (750, 750, "IND", 1950, 2020), (770, 770, "PAK", 1950, 2020),
    (432, 432, "MLI", 1960, 2020), (41, 41, "HTI", 1950, 2020), (645, 645, "IRQ", 1950, 2020),
    (42, 42, "DOM", 1950, 2020), (350, 350, "GRC", 1950, 2020), (482, 482, "CAF", 1960, 2020),
    (520, 520, "SOM", 1960, 2020), (540, 540, "AGO", 1975, 2020), (660, 660, "LBN", 1950, 2020),
]


@pytest.fixture(scope="module")
def codes():
    rows = [(g, y, c, i) for g, c, i, y0, y1 in _STATES for y in range(y0, y1 + 1)]
    out = pd.DataFrame(rows, columns=["country_id_gw", "year", "country_id_cow", "country_id_iso3"])
    out = out.astype({"country_id_gw": "Int64", "year": "Int64", "country_id_cow": "Int64",
                      "country_id_iso3": "string"})
    out["region"] = region_of(out["country_id_gw"])
    return out


@pytest.fixture(scope="module")
def parts():
    fixtures = Path(__file__).parents[1] / "fixtures"
    return dict(
        missions=mis.load_missions(fixtures / "un_pko_missions" / "DPPADPOSS-PKO.csv"),
        crosswalk=mis.load_hosts(fixtures / "un_pko_missions" / "unpko_country_crosswalk.xlsx"),
        kathman=kat.load_monthly(fixtures / "kathman_pko_personnel" / "mission-month_12-2019_kathman.xlsx"),
        fatalities=fat.load_fatalities(fixtures / "un_pko_fatalities" / "DPPADPOSS-FATALITIES.csv"),
    )


@pytest.fixture(scope="module")
def hosts(parts, codes):
    out = un.hosts_from(**parts, codes=codes)
    un.SCHEMA_UN_MISSION_HOSTS.validate(out)
    return out.set_index(["mission_id_un", "country_id_iso3"])


def test_non_iso_host_codes_are_crosswalked_explicitly(hosts):
    yar = hosts.loc[("UNYOM", "YEM")]
    assert (yar["host_code"], yar["country_id_gw"], yar["country_id_cow"], yar["code_year"]) == ("YAR", 678,
                                                                                                  678, 1963)
    ksv = hosts.loc[("UNMIK", "XKX")]
    assert ksv["host_code"] == "KSV" and ksv["country_id_gw"] == 347


def test_code_year_is_start_year_with_historical_and_later_fallbacks(hosts):
    srb = hosts.loc[("UNMIK", "SRB")]
    assert (srb["code_year"], srb["country_id_gw"]) == (1999, 345)  # Yugoslavia in 1999
    assert hosts.loc[("UNMIK", "XKX"), "code_year"] == 2008  # Kosovo a state from 2008
    assert hosts.loc[("UNTAET", "TLS"), ["code_year", "country_id_gw"]].tolist() == [2002, 860]
    assert hosts.loc[("UNSCOB", "GRC"), "code_year"] == 1951  # no start date: end year
    assert pd.isna(hosts.loc[("UNOHCI", "IRQ"), "code_year"])  # no dates, no fatality


def test_code_year_falls_back_to_first_fatality(parts, codes):
    f = pd.DataFrame({"mission_id_un": ["UNOHCI", "UNOHCI"], "year": pd.array([2001, 1998], dtype="Int64")})
    out = un.hosts_from(**{**parts, "fatalities": f}, codes=codes)
    out = out.set_index(["mission_id_un", "country_id_iso3"])
    assert out.loc[("UNOHCI", "IRQ"), ["code_year", "country_id_gw"]].tolist() == [1998, 645]


def test_combined_entries_inherit_hosts_of_their_parts(hosts):
    unef = hosts.loc["UNEF"]
    assert set(unef.index) == {"EGY", "ISR"}
    assert (unef["host_source"] == "combined_parts").all() and unef["host_code"].isna().all()
    assert set(hosts.loc["UNPF"].index) == {"BIH", "HRV", "MKD", "SRB"}
    assert hosts.loc[("UNPF", "SRB"), "country_id_gw"] == 345
    assert "UNFOR" not in hosts.index.get_level_values(0)


def test_missions_outside_crosswalk_take_kathman_hosts(hosts):
    assert hosts.loc[("UNAMI", "IRQ"), "host_source"] == "kathman"
    assert hosts.loc[("UNTMIH", "HTI"), ["country_id_cow", "code_year"]].tolist() == [41, 1997]
    assert hosts.loc[("UNOSOM", "SOM"), "host_source"] == "kathman"
    assert "UNMHA" not in hosts.index.get_level_values(0)  # host codes -999


def test_missions_table_flags_peacekeeping_by_the_pko_list(parts, hosts):
    m = un.missions_from(parts["missions"], parts["fatalities"], parts["kathman"], hosts.reset_index())
    un.SCHEMA_UN_MISSIONS.validate(m)
    m = m.set_index("mission_id_un")
    assert m.loc["MINUSMA", "is_peacekeeping"] and m.loc["MINUSMA", "is_in_pko_list"]
    assert not m.loc["UNAMI", "is_peacekeeping"] and not m.loc["OSESYRIA", "is_peacekeeping"]
    assert m.loc["UNTMIH", "is_peacekeeping"] and not m.loc["UNTMIH", "is_in_pko_list"]
    assert m.loc["UNTMIH", "mission_name"].startswith("United Nations Transition Mission in Haiti")
    assert m.loc["UNTSO", "host_iso3"] == "ISR;SYR" and m.loc["UNTSO", "region"] == "Middle East"
    assert m.loc["UNMIK", "host_iso3"] == "SRB;XKX"
    assert m.loc["UNAMI", "listed_in"] == "kathman"
    assert m.loc["MINUSMA", "listed_in"] == "pko_list;fatalities;kathman"
    assert pd.isna(m.loc["UNAMI", "is_active"]) and pd.isna(m.loc["OSESYRIA", "host_iso3"])
    assert m["is_in_pko_list"].sum() == 17
