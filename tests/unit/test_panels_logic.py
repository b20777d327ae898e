"""Panel building blocks on small synthetic frames."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import BuildError
from analysis.panels import enrich, kleene_any
from analysis.panels.country import coup_history
from analysis.panels.mission import _curated_in_force, jihadist_conflict_years, kleene_or_covered


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
    out = _curated_in_force(cur, bb, ["has_poc_mandate"])
    got = dict(zip(zip(out["year"], out["month"]), out["resolution"]))
    assert pd.isna(got[(2016, 5)])  # before the first resolution
    assert got[(2016, 10)] == "S/RES/1"  # the related resolution does not set the mandate
    assert got[(2017, 6)] == "S/RES/1"  # year-precise adoption governs from the next January
    assert got[(2018, 1)] == "S/RES/3"


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
