from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.core import un
from analysis.errors import DataError
from analysis.sources import kathman_pko_personnel as kat
from analysis.sources import owid_un_peacekeeping as owid


@pytest.fixture
def fx(fixtures):
    return fixtures / "kathman_pko_personnel" / "mission-month_12-2019_kathman.xlsx"


@pytest.fixture(scope="module")
def _monthly():
    return kat.load_monthly(Path(__file__).resolve().parents[1] / "fixtures" / "kathman_pko_personnel"
                            / "mission-month_12-2019_kathman.xlsx")


@pytest.fixture
def df(_monthly):
    # read once per module (openpyxl is slow), copied for each test
    return _monthly.copy()


def _row(df, mission, year, month):
    return df.set_index(["mission_id_un", "year", "month"]).loc[(mission, year, month)]


def _edit(src, dst, edits):
    wb = openpyxl.load_workbook(src)
    ws = wb["Sheet1"]
    for cell, value in edits.items():
        ws[cell] = value
    wb.save(dst)
    return dst


def test_minus_999_becomes_missing_never_zero(df):
    counts = ["troops_n", "police_n", "observers_n", "personnel_total_n", "personnel_total2_n"]
    assert not (df[counts] < 0).any().any()
    assert not (df[["country_id_cow", "country_id_cow_2"]] < 0).any().any()
    untso = _row(df, "UNTSO", 1990, 12)
    assert pd.isna(untso["troops_n"]) and pd.isna(untso["country_id_cow"])
    assert untso["personnel_total_n"] == 262
    assert df[counts].isna().sum().tolist() == [4, 4, 4, 2, 2]
    assert pd.isna(_row(df, "UNMHA", 2019, 12)["country_id_cow_2"])


def test_second_host_code_kept(df):
    assert _row(df, "UNMOGIP", 1991, 1)[["country_id_cow", "country_id_cow_2"]].tolist() == [750, 770]
    assert df.loc[df.mission_id_un == "MINUSMA", "country_id_cow_2"].isna().all()


def test_total_kept_as_published_and_mismatch_flagged(df):
    r = _row(df, "UNAVEM", 1994, 12)
    assert r["personnel_total_n"] == 1000  # parts add up to 1001
    assert r["is_total_ne_parts"] and r["personnel_total2_n"] == 1001
    assert not _row(df, "MINUSMA", 2019, 12)["is_total_ne_parts"]
    assert pd.isna(_row(df, "UNTSO", 1990, 12)["is_total_ne_parts"])  # parts unknown
    assert df["is_total_ne_parts"].sum() == 1


def test_total2_differs_where_the_file_says_so(df):
    r = _row(df, "MINUSCA", 2015, 1)
    assert (r["personnel_total_n"], r["personnel_total2_n"]) == (8100, 9300)


def test_year_month_used_not_yearmon(df):
    una = df[df.mission_id_un == "UNAMI"]
    assert sorted(una["month"].tolist()) == [2, 3, 12]
    assert "yearmon" not in df.columns


def test_mission_names_map_to_un_acronyms(df):
    unosom = df[df.mission_id_un == "UNOSOM"]
    assert set(unosom["mission_kathman"]) == {"UNOSOM", "UNOSOM II"}
    assert len(unosom) == 4 and unosom[["year", "month"]].drop_duplicates().shape[0] == 4
    assert (df["mission_id_un"] == df["mission_kathman"]).sum() == len(df) - 2


def test_mapping_dict_values_are_upper_case_acronyms():
    assert all(v == v.upper() and v.strip() == v for v in kat.MISSION_ID_UN.values())
    assert kat.MISSION_ID_UN["UNOSOM II"] == "UNOSOM"


def test_unknown_mission_name_names_row(fx, tmp_path):
    bad = _edit(fx, tmp_path / "k.xlsx", {"A4": "UNXYZ"})
    with pytest.raises(DataError, match=r"k\.xlsx.*column 'mission'.*row 4.*unknown code 'UNXYZ'"):
        kat.load_monthly(bad)


def test_missing_column_is_named(fx, tmp_path):
    bad = _edit(fx, tmp_path / "k.xlsx", {"H1": "troops"})
    with pytest.raises(DataError, match=r"k\.xlsx.*column 'troop'.*missing"):
        kat.load_monthly(bad)


def test_non_numeric_count_names_row(fx, tmp_path):
    bad = _edit(fx, tmp_path / "k.xlsx", {"I6": "n/a"})
    with pytest.raises(DataError, match=r"k\.xlsx.*column 'police'.*row 6.*not a number"):
        kat.load_monthly(bad)


def test_negative_count_other_than_missing_code_is_rejected(fx, tmp_path):
    bad = _edit(fx, tmp_path / "k.xlsx", {"K7": -99})
    with pytest.raises(DataError, match=r"k\.xlsx.*column 'total'.*row 7.*negative"):
        kat.load_monthly(bad)


def test_duplicate_mission_month_is_rejected(fx, tmp_path):
    # UNOSOM II 1994-06 relabelled 1994-05 collides with UNOSOM 1994-05 (both map to UNOSOM)
    bad = _edit(fx, tmp_path / "k.xlsx", {"F8": 5})
    with pytest.raises(DataError, match=r"k\.xlsx.*schema failure"):
        kat.load_monthly(bad)


def test_bad_month_names_row(fx, tmp_path):
    bad = _edit(fx, tmp_path / "k.xlsx", {"F2": 13})
    with pytest.raises(DataError, match=r"k\.xlsx.*column 'month'.*row 2"):
        kat.load_monthly(bad)


def test_wrong_sheet_is_reported(fx, tmp_path):
    wb = openpyxl.load_workbook(fx)
    wb["Sheet1"].title = "Data"
    wb.save(tmp_path / "k.xlsx")
    with pytest.raises(DataError, match=r"k\.xlsx.*cannot be read"):
        kat.load_monthly(tmp_path / "k.xlsx")


# --------------------------------------------------------------------------- core: yearly totals

def test_yearly_total_puts_sources_side_by_side_na_outside_their_years(df, fixtures):
    o = owid.load_yearly(fixtures / "owid_un_peacekeeping" / "united_nations_peacekeeping.csv")
    y = un.yearly_total_from(o, df)
    un.SCHEMA_UN_PERSONNEL_YEARLY_TOTAL.validate(y)
    y = y.set_index("year")
    # 1990 December: UNTSO total known but UNMOGIP total -999 -> the Kathman sum is NA, not partial
    assert pd.isna(y.loc[1990, "personnel_total_n_kathman_dec"])
    assert y.loc[1990, "missions_n_kathman_dec"] == 2
    assert y.loc[1994, "personnel_total_n_kathman_dec"] == 8820 + 1000
    assert y.loc[2019, "personnel_total_n_kathman_dec"] == 13740 + 234 + 30 + 10200
    assert y.loc[2019, "source"] == "Kathman" and pd.isna(y.loc[2019, "personnel_total_n"])
    assert y.loc[1985, "source"] == "OWID" and pd.isna(y.loc[1985, "personnel_total_n_kathman_dec"])
    assert y.loc[1994, "source"] == "OWID; Kathman" and y.loc[1994, "personnel_total_n"] == 14000


def test_untaet_months_filed_under_unmiset_are_remapped(fx, tmp_path):
    # Kathman files UNTAET's personnel of 2001-01..2002-04 under "UNMISET" (established 2002-05)
    wb = openpyxl.load_workbook(fx)
    ws = wb["Sheet1"]
    for year, month, total in [(2001, 1, 9000), (2002, 4, 7000), (2002, 5, 6500)]:
        ws.append(["UNMISET", "East Timor", 860, None, year, month, year + month / 100,
                   total, 0, 0, total, total])
    p = tmp_path / fx.name
    wb.save(p)
    df = kat.load_monthly(p)
    assert _row(df, "UNTAET", 2001, 1)["personnel_total_n"] == 9000
    assert _row(df, "UNTAET", 2002, 4)["mission_kathman"] == "UNMISET"
    assert _row(df, "UNMISET", 2002, 5)["personnel_total_n"] == 6500  # UNMISET's own first month
    assert not ((df["mission_id_un"] == "UNMISET") & (df["year"] < 2002)).any()
