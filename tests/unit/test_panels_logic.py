"""Panel building blocks on small synthetic frames."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import BuildError
from analysis.panels.country import coup_history
from analysis.panels.hosts import jihadist_conflict_years
from analysis.panels.join import enrich, kleene_any, kleene_or_covered
from analysis.panels.mission import curated_in_force


def test_enrich_keeps_rows_and_rejects_duplicated_right_side():
    bb = pd.DataFrame({"k": [1, 2, 3]})
    out = enrich(bb, pd.DataFrame({"k": [1, 3], "v": [10, 30]}), ["k"], "t")
    assert out["v"].tolist()[0] == 10 and pd.isna(out["v"].iloc[1]) and len(out) == 3
    with pytest.raises(BuildError, match="'t'.*not unique"):
        enrich(bb, pd.DataFrame({"k": [1, 1], "v": [1, 2]}), ["k"], "t")


def test_three_valued_or():
    f = pd.DataFrame(
        {
            "a": pd.array([True, False, False, pd.NA], dtype="boolean"),
            "b": pd.array([pd.NA, False, pd.NA, pd.NA], dtype="boolean"),
        }
    )
    assert kleene_any(f).tolist()[:2] == [True, False]
    assert pd.isna(kleene_any(f).iloc[2])
    cov = kleene_or_covered(f)
    assert cov.tolist()[:3] == [True, False, False]  # uncovered sources do not make it unknown
    assert pd.isna(cov.iloc[3])


def _codes(years, gw=(500,)):
    return pd.DataFrame([(g, y) for g in gw for y in years], columns=["country_id_gw", "year"])


def test_coup_history_counts_and_clock():
    coups = pd.DataFrame(
        {
            "coup_id": ["a", "b", "c"],
            "country_id_gw": [500, 500, 500],
            "year": [1960, 1960, 1966],
            "is_successful": [True, False, False],
        }
    )
    h = coup_history(_codes(range(1955, 1975)), coups).set_index("year")
    assert h.loc[1960, "coup_attempts_n"] == 2 and h.loc[1960, "coups_successful_n"] == 1
    assert h.loc[1959, "coup_attempts_n"] == 0
    # before any coup the clock counts from the state's first year and is flagged censored
    assert h.loc[1960, "years_since_coup"] == 5 and h.loc[1960, "is_coup_clock_censored"]
    assert h.loc[1961, "years_since_coup"] == 1 and not h.loc[1961, "is_coup_clock_censored"]
    assert h.loc[1967, "years_since_coup"] == 1 and h.loc[1966, "years_since_coup"] == 6
    # previous 5 / 10 years exclude the current year
    assert h.loc[1960, "coup_attempts_prev5_n"] == 0
    assert h.loc[1965, "coup_attempts_prev5_n"] == 2 and h.loc[1966, "coup_attempts_prev5_n"] == 0
    assert h.loc[1970, "coup_attempts_prev10_n"] == 3 and h.loc[1971, "coup_attempts_prev10_n"] == 1


def test_curated_mandate_in_force_ignores_related_and_year_precision():
    cur = pd.DataFrame(
        {
            "mission_id_un": ["M", "M", "M"],
            "resolution": ["S/RES/1", "S/RES/2", "S/RES/3"],
            "resolution_type": ["renewal", "related", "renewal"],
            "adoption_date": pd.to_datetime(["2016-06-29", "2016-09-01", "2017-01-01"]),
            "adoption_date_precision": ["day", "day", "year"],
            "has_poc_mandate": pd.array([True, False, False], dtype="boolean"),
        }
    )
    bb = pd.DataFrame({"mission_id_un": ["M"] * 4, "year": [2016, 2016, 2017, 2018], "month": [5, 10, 6, 1]})
    out = curated_in_force(cur, bb, ["has_poc_mandate"])
    got = dict(zip(zip(out["year"], out["month"]), out["resolution"]))
    assert pd.isna(got[(2016, 5)])  # before the first resolution
    assert got[(2016, 10)] == "S/RES/1"  # the related resolution does not set the mandate
    assert got[(2017, 6)] == "S/RES/1"  # year-precise adoption governs from the next January
    assert got[(2018, 1)] == "S/RES/3"


def test_curated_mandate_in_force_orders_by_resolution_number_and_uses_note_dates():
    # issue 10 item 4: S/RES/2446 (year precision; note: 2018-11-15) must not govern 2019 ahead of
    # S/RES/2448 (13 Dec 2018); S/RES/2423 (year; note 2018-06-28) governs from June 2018
    cur = pd.DataFrame(
        {
            "mission_id_un": ["CAR", "CAR", "MLI", "MLI"],
            "resolution": ["S/RES/2448", "S/RES/2446", "S/RES/2364", "S/RES/2423"],
            "resolution_type": ["renewal", "technical_rollover", "renewal", "renewal"],
            "adoption_date": pd.to_datetime(["2018-12-13", "2018-01-01", "2017-06-29", "2018-01-01"]),
            "adoption_date_precision": ["day", "year", "day", "year"],
            "note": [pd.NA, "adoption date per memory: 2018-11-15; one-month technical rollover", pd.NA,
                     "adoption date per memory: 2018-06-28; date from memory"],
            "has_poc_mandate": pd.array([True, False, True, False], dtype="boolean"),
        }
    )
    bb = pd.DataFrame({"mission_id_un": ["CAR"] * 4 + ["MLI"] * 3,
                       "year": [2018, 2018, 2018, 2019, 2018, 2018, 2019],
                       "month": [10, 11, 12, 1, 5, 6, 1]})
    out = curated_in_force(cur, bb, ["has_poc_mandate"])
    got = dict(zip(zip(out["mission_id_un"], out["year"], out["month"]), out["resolution"]))
    assert pd.isna(got[("CAR", 2018, 10)])
    assert got[("CAR", 2018, 11)] == "S/RES/2446"  # the date held in the note
    assert got[("CAR", 2018, 12)] == "S/RES/2448"
    assert got[("CAR", 2019, 1)] == "S/RES/2448"  # the later resolution keeps governing
    assert got[("MLI", 2018, 5)] == "S/RES/2364"
    assert got[("MLI", 2018, 6)] == "S/RES/2423" == got[("MLI", 2019, 1)]


def test_jihadist_conflicts_match_actor_ids_in_comma_lists():
    acd = pd.DataFrame(
        {
            "conflict_id": [1, 2, 3],
            "year": [2020] * 3,
            "side_a_id": ["10", "11", "12"],
            "side_b_id": ["234, 99", "98", "555"],
        }
    )
    loc = pd.DataFrame({"conflict_id": [1, 2, 3], "year": [2020] * 3, "country_id_gw": [432, 432, 436]})
    actors = pd.DataFrame(
        {"ucdp_actor_id": [234, 555], "is_jihadist": pd.array([True, False], dtype="boolean")}
    )
    j = jihadist_conflict_years(acd, loc, actors)
    assert j.to_dict("records") == [{"country_id_gw": 432, "year": 2020, "jihadist_conflicts_n": 1}]


def _regional_codes():
    rows = [(g, y, r) for g, r in ((432, "Africa"), (436, "Africa"), (439, "Africa"), (2, "Americas"))
            for y in range(1948, 1956)]
    return pd.DataFrame(rows, columns=["country_id_gw", "year", "region"])


def test_add_coups_on_a_one_state_backbone_counts_the_other_states_of_its_region():
    from analysis.panels.country import add_coups
    from analysis.panels.coverage import COUPS_FIRST_YEAR

    coups = pd.DataFrame({"coup_id": ["a", "b", "c"], "country_id_gw": [436, 439, 2],
                          "year": [1952, 1952, 1952], "is_successful": [True, False, True]})
    mali = pd.DataFrame({"country_id_gw": [432, 432, 432], "year": [COUPS_FIRST_YEAR - 1, 1952, 1953]})
    out = add_coups(mali, coups, _regional_codes()).set_index("year")
    assert len(out) == 3  # the backbone's rows, no more, no less
    assert out.loc[1952, "coup_attempts_n"] == 0 and out.loc[1952, "region_coup_attempts_n"] == 2
    assert out.loc[1953, "region_coup_attempts_n"] == 0
    before = out.loc[COUPS_FIRST_YEAR - 1]  # before the coup lists start: unknown, not 0
    assert pd.isna(before["coup_attempts_n"]) and pd.isna(before["region_coup_attempts_n"])


def test_add_un_presence_personnel_is_zero_for_non_hosts_only_inside_kathman_years():
    from analysis.panels.country import add_un_presence
    from analysis.panels.coverage import PERSONNEL_YEARS

    last = PERSONNEL_YEARS[1]
    my = pd.DataFrame({"mission_id_un": ["M1", "M1"], "year": [last, last + 1],
                       "is_robust_mandate": pd.array([True, False], dtype="boolean"),
                       "personnel_total_n": pd.array([1000.0, None], dtype="Float64")})
    hosts = pd.DataFrame({"mission_id_un": ["M1"], "country_id_gw": [432]})
    missions = pd.DataFrame({"mission_id_un": ["M1"], "mission_id_un_combined": ["M1"]})
    cy = pd.DataFrame({"country_id_gw": [432, 432, 433, 433], "year": [last, last + 1, last, last + 1]})
    out = add_un_presence(cy, my, hosts, missions).set_index(["country_id_gw", "year"])
    assert out.loc[(432, last), "un_personnel_n"] == 1000
    assert pd.isna(out.loc[(432, last + 1), "un_personnel_n"])
    assert out.loc[(433, last), "un_personnel_n"] == 0  # a non-host inside Kathman's years
    assert pd.isna(out.loc[(433, last + 1), "un_personnel_n"])  # after them: unknown, never 0
    assert out.loc[(432, last), "has_robust_un_pko"] and not out.loc[(433, last), "has_un_pko"]


def test_verbs_name_the_missing_key_column():
    from analysis.errors import MissingColumnError
    from analysis.panels.country import add_nonun_operations, add_partnership
    from analysis.panels.mission import add_fatalities

    with pytest.raises(MissingColumnError, match="country-years, column 'is_africa'"):
        add_nonun_operations(pd.DataFrame({"country_id_gw": [432], "year": [2000]}), pd.DataFrame(),
                             pd.DataFrame(), pd.DataFrame())
    with pytest.raises(MissingColumnError, match="column 'has_un_pko'"):
        add_partnership(pd.DataFrame({"country_id_gw": [432], "year": [2000]}))
    with pytest.raises(MissingColumnError, match="mission-months, column 'month'"):
        add_fatalities(pd.DataFrame({"mission_id_un": ["X"], "year": [2000]}), pd.DataFrame(), pd.DataFrame())


def test_panel_coverage_years_are_the_registry_years():
    from analysis.data.registry import raw_file
    from analysis.panels import coverage
    from analysis.sources import kathman_pko_personnel, pko_un_nonun_bara_hultman, ucdp_acd

    assert coverage.PERSONNEL_YEARS == raw_file("kathman_pko_personnel", kathman_pko_personnel.FILE).years
    assert coverage.NONUN_YEARS == raw_file("pko_un_nonun_bara_hultman", pko_un_nonun_bara_hultman.FILE).years
    assert coverage.ACD_YEARS == raw_file("ucdp_acd", ucdp_acd.FILE).years
    assert coverage.COUNTRY_YEARS == (coverage.FIRST_YEAR, coverage.ACD_YEARS[1])


def test_single_missing_personnel_month_is_interpolated_and_flagged_longer_gaps_stay_na():
    from analysis.panels.mission import interpolate_single_gaps

    k = pd.DataFrame({"mission_id_un": ["A"] * 7 + ["B"] * 2, "year": [2014] * 9,
                      "month": [7, 8, 9, 10, 11, 12, 1, 8, 9]})
    k.loc[6, "year"] = 2015
    k["personnel_total_n"] = pd.array([100, 200, None, 400, None, None, 700, 50, None], dtype="Float64")
    k["troops_n"] = k["personnel_total_n"]
    k["personnel_source"] = pd.array(["kathman" if v else None for v in k["personnel_total_n"].notna()],
                                     dtype="string")
    out = interpolate_single_gaps(k, ["troops_n", "personnel_total_n"])
    assert out.loc[2, "personnel_total_n"] == 300 and out.loc[2, "troops_n"] == 300
    assert out.loc[2, "is_personnel_interpolated"] and out.loc[2, "personnel_source"] == "interpolated"
    assert out.loc[[4, 5], "personnel_total_n"].isna().all()  # a two-month gap stays NA
    assert pd.isna(out.loc[8, "personnel_total_n"])  # no month after: not a gap between two months
    assert not out.loc[[0, 1, 3, 4, 5, 6, 7, 8], "is_personnel_interpolated"].any()
