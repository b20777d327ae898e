"""Every death in a UN peacekeeping operation 1990-2024 is in ``mission_months``, except the
listed exclusions (issue 10, item 1). The gap is computed from the raw UN file, not the panel."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import load
from analysis.panels.spans import load_span_exclusions, resolve_parts
from analysis.sources import un_pko_fatalities


@pytest.fixture(scope="module")
def mm(raw_cache):
    return load("mission_months")


@pytest.fixture(scope="module")
def raw_pko_deaths(raw_cache):
    """People killed in UN PKOs 1990-2024, straight from the raw file (duplicated ids collapsed),
    at the panel's mission level."""
    raw = un_pko_fatalities.load_fatalities().drop_duplicates("casualty_id")
    missions = load("un_missions")
    pko = set(missions.loc[missions["is_peacekeeping"].fillna(False).astype(bool), "mission_id_un"])
    pko |= {"UNTAG"}  # the UN lists it among past PKOs although the PKO file does not
    f = raw[raw["mission_id_un"].isin(pko) & raw["date"].dt.year.between(1990, 2024)].copy()
    f["mission"] = resolve_parts(f["mission_id_un"], f["date"], missions)
    f["month"] = f["date"].dt.to_period("M").dt.to_timestamp()
    return f


def _gap(raw: pd.DataFrame, mm: pd.DataFrame, column: str) -> pd.Series:
    panel = mm[mm["year"].between(1990, 2024)].groupby("mission_id_un")[column].sum()
    raw_n = raw.groupby("mission")["casualty_id"].size()
    return raw_n.sub(panel.reindex(raw_n.index).fillna(0)).astype(int).loc[lambda s: s != 0]


def _excluded(raw: pd.DataFrame) -> pd.Series:
    ex = load_span_exclusions()
    ex = ex[ex["evidence"] == "fatalities"]
    hit = pd.Series(False, index=raw.index)
    for x in ex.itertuples(index=False):
        hit |= (raw["mission"] == x.mission_id_un) & raw["month"].between(x.month_from, x.month_to)
    return hit


def test_every_hostile_death_is_in_the_panel_except_the_listed_exclusions(mm, raw_pko_deaths):
    hostile = raw_pko_deaths[raw_pko_deaths["cause"] == "hostile"]
    gap = _gap(hostile, mm, "fatalities_hostile_n")
    expected = hostile[_excluded(hostile)].groupby("mission")["casualty_id"].size()
    assert gap.to_dict() == expected.to_dict() == {"UNOSOM II": 1}
    assert len(hostile) - int(mm.loc[mm["year"] <= 2024, "fatalities_hostile_n"].sum()) == 1


def test_every_death_is_in_the_panel_except_the_listed_exclusions(mm, raw_pko_deaths):
    # before issue 10: 136 deaths of 1990-2024 missing (UNPROFOR 45, UNAVEM 36, UNOHCI 27, ...)
    gap = _gap(raw_pko_deaths, mm, "fatalities_n")
    expected = raw_pko_deaths[_excluded(raw_pko_deaths)].groupby("mission")["casualty_id"].size()
    assert gap.to_dict() == expected.to_dict() == {"MINUGUA": 4, "UNOSOM II": 1}


def test_every_exclusion_excludes_something(raw_cache):
    ex = load_span_exclusions()
    missions = load("un_missions")
    fat, pers = load("un_fatalities"), load("un_personnel_monthly")
    ev = {
        "fatalities": (resolve_parts(fat["mission_id_un"], fat["date"], missions),
                       fat["date"].dt.to_period("M").dt.to_timestamp()),
    }
    pm = pd.to_datetime(dict(year=pers["year"], month=pers["month"], day=1))
    ev["personnel"] = (resolve_parts(pers["mission_id_un"], pm, missions), pm)
    for x in ex.itertuples(index=False):
        ids, months = ev[x.evidence]
        assert ((ids == x.mission_id_un) & months.between(x.month_from, x.month_to)).any(), x


def test_missions_span_their_evidence(mm):
    span = mm.groupby("mission_id_un")["date"].agg(["min", "max"])
    assert span.loc["UNAVEM III"].tolist() == [pd.Timestamp("1995-02-01"), pd.Timestamp("1997-06-01")]
    assert span.loc["UNAVEM II", "max"] == pd.Timestamp("1995-01-01")  # 1995-02 belongs to UNAVEM III
    assert span.loc["UNPROFOR", "max"] >= pd.Timestamp("1996-02-01")  # Kathman and deaths after the list end
    assert span.loc["UNOHCI"].tolist() == [pd.Timestamp("1997-12-01"), pd.Timestamp("2003-12-01")]
    assert span.loc["UNTAG", "max"] == pd.Timestamp("1990-03-01")
    assert span.loc["UNAMID", "max"] == pd.Timestamp("2021-09-01")
    assert "UNAVEM" not in span.index and "UNOSOM" not in span.index  # combined entries resolved
    m = mm.set_index(["mission_id_un", "date"])
    assert m.loc[("UNOHCI", "2000-01-01"), "is_span_extension"]
    assert m.loc[("UNOHCI", "2000-01-01"), "span_start_source"] == "fatalities"
    assert not m.loc[("UNAVEM III", "1996-01-01"), "is_span_extension"]
    assert m.loc[("UNAMID", "2021-03-01"), "is_span_extension"]
    assert m.loc[("UNAMID", "2021-03-01"), "span_end_source"] == "fatalities"
    # MINUSMA is listed as active; its mandate ended 2023-06-30 (S/RES/2690); deaths to 2023-11
    assert not m.loc[("MINUSMA", "2023-06-01"), "is_span_extension"]
    assert m.loc[("MINUSMA", "2023-09-01"), "is_span_extension"]
    assert m.loc[("MINUSMA", "2023-09-01"), "span_end_source"] == "fatalities"


def test_untaet_has_its_kathman_personnel_of_2001(mm):
    m = mm.set_index(["mission_id_un", "date"])
    assert m.loc[("UNTAET", "2001-06-01"), "personnel_total_n"] > 5000
    assert mm.loc[mm["mission_id_un"] == "UNMISET", "date"].min() == pd.Timestamp("2002-05-01")


def test_angola_1996_has_a_un_pko(raw_cache):
    cy = load("country_years").set_index(["country_id_gw", "year"])
    r = cy.loc[(540, 1996)]
    assert r["has_un_pko"] and "UNAVEM III" in r["un_pko_ids"]


@pytest.mark.parametrize(("mission", "year", "month", "resolution"), [
    ("MINUSCA", 2019, 1, 2448),  # not S/RES/2446 (Nov 2018, year precision in the curated table)
    ("MINUSCA", 2022, 6, 2605),  # not 2566
    ("MINURSO", 2020, 6, 2494),  # not 2468
    ("MINUSMA", 2018, 7, 2423),  # adopted 2018-06-28: governs from June 2018, not 2019-01
])
def test_later_resolutions_govern_in_both_mandate_sources(mm, mission, year, month, resolution):
    r = mm.set_index(["mission_id_un", "year", "month"]).loc[(mission, year, month)]
    assert r["curated_resolution"] == f"S/RES/{resolution}"  # the previous definition (curated table)
    assert int(r["mandate_resolution"]) == resolution  # the Security Council texts (issue 11)


def test_host_conflict_is_known_for_kosovo_and_east_timor_before_statehood(mm):
    m = mm.set_index(["mission_id_un", "year", "month"])
    unmik, untaet = m.loc[("UNMIK", 2005, 6)], m.loc[("UNTAET", 2000, 6)]
    assert pd.notna(unmik["deaths_state_based_n"]) and unmik["hosts_n"] == 1  # Serbia, once
    assert pd.notna(untaet["deaths_state_based_n"]) and untaet["is_host_predecessor"]  # Indonesia
    in_ucdp = mm[mm["year"].between(1990, 2024)]
    # only UNTAG (no host in the crosswalk or Kathman) lacks the control
    assert set(in_ucdp.loc[in_ucdp["deaths_state_based_n"].isna(), "mission_id_un"]) == {"UNTAG"}


def test_acd_keys_agree_with_peacesciencer(raw_cache):
    from analysis.sources import peacesciencer

    acd = load("ucdp_conflict_years")
    auth = peacesciencer.load_conflict_years()
    assert set(zip(acd["conflict_id"], acd["year"])) == set(zip(auth["conflict_id"], auth["year"]))
    assert len(acd) == 2752
    both = acd.merge(auth, on=["conflict_id", "year"], suffixes=("", "_ps"))
    for c in ("intensity_level", "type_of_conflict", "incompatibility"):
        assert (both[c] == both[f"{c}_ps"]).all(), c
    bgd = acd[(acd["conflict_id"] == 11350) & (acd["year"] == 2005)]
    assert len(bgd) == 1 and bgd["is_key_from_peacesciencer"].all() and bgd["gwno_loc"].iloc[0] == "771"
    cy = load("country_years").set_index(["country_id_gw", "year"])
    assert cy.loc[(771, 2005), "has_conflict"]


def test_partnership_hosts_and_undated_operations_in_country_years(raw_cache):
    cy = load("country_years").set_index(["country_id_gw", "year"])
    assert not cy.loc[(434, 2016), "has_partner_ad_hoc"]  # Benin: MNJTF member, not where it operates
    assert cy.loc[(475, 2016), "has_partner_ad_hoc"]  # Nigeria: MNJTF
    # Wagner (CAR, Mali) has no start date: unknown, not False, where no dated PMC is coded
    assert pd.isna(cy.loc[(482, 2010), "has_partner_pmc"]) and pd.isna(cy.loc[(432, 2012), "has_partner_pmc"])
    # one definition per source: NA outside its coverage, even where no UN PKO makes the AND False
    assert pd.isna(cy.loc[(432, 1998), "has_partnership_curated"])
    assert pd.isna(cy.loc[(432, 2018), "has_partnership_bara"])
    assert cy.loc[(432, 2018), "has_partnership_curated"]  # MINUSMA and Barkhane


def test_untsos_region_is_the_same_in_panels_and_claims(mm):
    from analysis.studies.claims.operations import mission_region

    claims = mission_region(load("un_missions"), load("country_codes"))
    panel = mm.groupby("mission_id_un")["region"].first()
    both = panel.index.intersection(claims.index)
    assert (panel[both] == claims[both]).all(), panel[both][panel[both] != claims[both]]
    assert panel["UNTSO"] == "Middle East" and not mm.loc[mm["mission_id_un"] == "UNTSO", "is_africa"].any()
