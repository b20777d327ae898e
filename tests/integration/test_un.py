"""UN group on the real mirror: fatalities, missions, hosts, Kathman personnel, Henke cross-check."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.sources import henke_un_fatalities, kathman_pko_personnel, un_pko_fatalities, un_pko_missions


@pytest.fixture(scope="module")
def tables(raw_cache):
    from analysis.data import load

    names = ["un_missions", "un_mission_hosts", "un_fatalities", "un_personnel_monthly",
             "un_personnel_yearly_total"]
    return {n: load(n) for n in names}


@pytest.fixture(scope="module")
def fat_rows(raw_cache):
    return un_pko_fatalities.load_fatalities()


# --------------------------------------------------------------------------- fatalities

def test_fatality_rows_and_unique_people(fat_rows, tables):
    assert len(fat_rows) == 4429
    assert fat_rows["casualty_id"].nunique() == 4423
    f = tables["un_fatalities"]
    assert len(f) == 4423 and f["casualty_id"].is_unique
    assert (f["n_source_rows"] == 2).sum() == 6
    assert set(f.loc[f.n_source_rows == 2, "country_id_iso3"]) == {"SCG"}
    assert f["date"].min() == pd.Timestamp("1948-07-06") and f["date"].max() == pd.Timestamp("2025-02-18")


def test_minusma_fatalities(tables):
    f = tables["un_fatalities"]
    m = f[f.mission_id_un == "MINUSMA"]
    assert len(m) == 311
    assert (m["date"] <= "2023-06-30").sum() == 310  # PROVENANCE: the often-quoted 309 is one lower
    assert m["is_peacekeeping"].all()


def test_un_categories_kept_and_harmonised(fat_rows, tables):
    assert fat_rows["type_of_incident"].value_counts().to_dict() == {
        "Illness": 1643, "Accident": 1412, "Malicious Act": 1134, "Self-Inflicted": 148,
        "To Be Determined": 60, "Unknown": 32}
    assert fat_rows["personnel_type"].value_counts()["Local"] == 557  # "Local " stripped
    f = tables["un_fatalities"]
    assert (f["cause"] == "hostile").sum() == 1134
    assert (f["cause"] == "other_unknown").sum() == 92


def test_nationality_codes(fat_rows):
    assert fat_rows["gender"].isna().sum() == 151
    assert fat_rows["country_id_iso3"].isna().sum() == 52 - 37  # 37 filled from the name
    assert fat_rows["is_nationality_code_filled"].sum() == 37
    assert fat_rows.loc[fat_rows.country_name == "France", "country_id_m49"].iloc[0] == 250


def test_political_missions_are_not_peacekeeping(tables):
    f = tables["un_fatalities"]
    assert not f.loc[f.mission_id_un.isin(["UNAMA", "UNAMI", "UNSECRETARIAT"]), "is_peacekeeping"].any()
    assert f["is_peacekeeping"].notna().all()
    assert f.loc[f.mission_id_un == "UNTAG", "is_peacekeeping"].all()


# --------------------------------------------------------------------------- missions and hosts

def test_pko_list_has_81_missions(raw_cache, tables):
    raw = un_pko_missions.load_missions()
    assert len(raw) == 81
    assert raw["is_coordinates_swapped"].sum() == 7
    assert raw["latitude"].isna().sum() == 11
    assert raw["is_active"].sum() == 12
    m = tables["un_missions"].set_index("mission_id_un")
    assert m["is_in_pko_list"].sum() == 81
    assert m["is_peacekeeping"].sum() == 83  # + UNTAG, UNTMIH
    assert m.loc["MINUSMA", ["latitude", "longitude"]].tolist() == pytest.approx([12.65, -8.0])
    assert m.loc["DOMREP", "mission_name"].endswith("Dominican Republic")
    assert m.loc["UNOSOM II", "mission_id_un_combined"] == "UNOSOM"


def test_every_fatality_and_kathman_mission_is_a_un_mission(tables):
    ids = set(tables["un_missions"]["mission_id_un"])
    assert set(tables["un_fatalities"]["mission_id_un"]) <= ids
    assert set(tables["un_personnel_monthly"]["mission_id_un"]) <= ids


def test_hosts(tables):
    h = tables["un_mission_hosts"].set_index(["mission_id_un", "country_id_iso3"])
    cols = ["host_code", "country_id_gw", "country_id_cow", "code_year"]
    assert h.loc[("UNYOM", "YEM"), cols].tolist() == ["YAR", 678, 678, 1963]
    assert h.loc[("UNMIK", "XKX"), cols].tolist() == ["KSV", 347, 347, 2008]
    assert h.loc[("UNMIK", "SRB"), "country_id_gw"] == 345
    assert set(h.loc["UNEF"].index) == {"EGY", "ISR"}
    assert set(h.loc["UNAVEM"].index) == {"AGO"} and set(h.loc["UNOSOM"].index) == {"SOM"}
    assert set(h.loc["UNTSO"].index) == {"ISR", "EGY", "LBN", "JOR", "SYR"}
    assert (h["host_source"] == "crosswalk").sum() == 107 - 5  # 5 crosswalk rows without code
    m = tables["un_missions"].set_index("mission_id_un")
    assert m.loc["UNMOGIP", "host_iso3"] == "IND;PAK" and m.loc["MINUSMA", "region"] == "Africa"
    assert h["country_id_gw"].notna().all()


# --------------------------------------------------------------------------- Kathman

def test_kathman_mission_months(tables):
    k = tables["un_personnel_monthly"]
    assert len(k) == 6175
    assert k["year"].min() == 1990 and k["year"].max() == 2019
    counts = ["troops_n", "police_n", "observers_n", "personnel_total_n", "personnel_total2_n"]
    assert not (k[counts] < 0).any().any()  # -999 gone
    assert k["personnel_total_n"].isna().sum() == 181
    assert (k["personnel_total_n"] != k["personnel_total2_n"]).sum() == 33
    assert k["is_total_ne_parts"].sum() == 2
    r = k.set_index(["mission_id_un", "year", "month"]).loc[("MINUSMA", 2019, 12)]
    cols = ["troops_n", "police_n", "observers_n", "personnel_total_n"]
    assert r[cols].tolist() == [11912, 1744, 39, 13695]


def test_every_kathman_name_maps(raw_cache):
    k = kathman_pko_personnel
    raw = pd.read_excel(k.raw_path(k.SOURCE, k.FILE), usecols=["mission"])
    names = set(raw["mission"].str.strip())
    assert len(names) == 82
    assert names <= set(kathman_pko_personnel.MISSION_ID_UN)


def test_yearly_totals_side_by_side(tables):
    y = tables["un_personnel_yearly_total"].set_index("year")
    assert y.index.min() == 1947 and y.index.max() == 2022
    k = y["personnel_total_n_kathman_dec"]
    assert k.loc[:1989].isna().all() and k.loc[2020:].isna().all()
    assert pd.isna(k.loc[1990])  # December 1990 totals missing for 8 missions
    same = y.loc[2000:2015]
    assert (same["personnel_total_n"] == same["personnel_total_n_kathman_dec"]).all()
    assert y.loc[2019, "personnel_total_n"] == 83331 and y.loc[2019, "source"] == "OWID; Kathman"
    assert y.loc[1960, "source"] == "OWID"


# --------------------------------------------------------------------------- Henke

def test_henke_loader(raw_cache):
    h = henke_un_fatalities.load_monthly()
    assert len(h) == 2492 and h["fatalities_n"].sum() == 3370
    assert h["country_id_cow"].isna().sum() == 13 + 2  # 13 missing + 2 non-COW (1020)
    assert (h["year"] * 100 + h["month"]).agg(["min", "max"]).tolist() == [194807, 201506]


def test_henke_yearly_counts_agree_with_un_file(raw_cache, tables):
    h = henke_un_fatalities.load_monthly()
    assert set(h["mission_id_un"]) <= set(tables["un_missions"]["mission_id_un"])
    f = tables["un_fatalities"]
    un = f[f.year <= 2014].groupby("year").size()
    he = h[h.year <= 2014].groupby("year")["fatalities_n"].sum()
    both = pd.concat({"un": un, "henke": he}, axis=1).fillna(0)
    agree = (both["un"] == both["henke"]).mean()
    print(f"Henke vs UN yearly fatality counts 1948-2014: {agree:.1%} of {len(both)} years agree")
    assert agree > 0.9
    assert (both["un"] - both["henke"]).abs().max() <= 2
