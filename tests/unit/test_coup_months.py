"""The monthly coup frame on synthetic state-months: the coup clock in months, the treatment by
month (coverage: NA where no partner source covers), one-month and one-year lags."""

import numpy as np
import pandas as pd
import pytest

from analysis.studies import coup_months as cm


def _months(gw, y0, y1):
    rows = [(gw, y, m) for y in range(y0, y1 + 1) for m in range(1, 13)]
    return pd.DataFrame(rows, columns=["country_id_gw", "year", "month"]).astype("Int64")


def test_coup_clock_counts_months_since_the_previous_attempt():
    months = _months(432, 2010, 2012)
    coups = pd.DataFrame(
        {"country_id_gw": pd.array([432, 432], dtype="Int64"), "year": [2011, 2012], "month": [3, 1]}
    ).astype({"year": "Int64", "month": "Int64"})
    x = cm.coup_clock_months(months, coups).set_index(["year", "month"])
    assert x.loc[(2011, 3), "coup_attempts_n"] == 1
    assert x.loc[(2011, 3), "months_since_coup"] == 14 and x.loc[(2011, 3), "is_coup_clock_censored"]
    assert x.loc[(2011, 4), "months_since_coup"] == 1 and not x.loc[(2011, 4), "is_coup_clock_censored"]
    assert x.loc[(2012, 1), "months_since_coup"] == 10
    assert x.loc[(2012, 2), "months_since_coup"] == 1


def test_treatment_by_month_with_coverage_and_exclusions():
    months = pd.concat([_months(432, 2012, 2013), _months(200, 2012, 2013)])
    months["is_africa"] = pd.array(months["country_id_gw"] == 432, dtype="boolean")
    mm = pd.DataFrame({"mission_id_un": ["MINUSMA"] * 6, "year": [2013] * 6, "month": list(range(7, 13))})
    hosts = pd.DataFrame({"mission_id_un": ["MINUSMA"], "country_id_gw": [432]})
    missions = pd.DataFrame({"mission_id_un": ["MINUSMA"], "mission_id_un_combined": ["MINUSMA"]})
    bara = pd.DataFrame(
        {
            "operation_id": ["afisma", "afisma", "serval"],
            "country_id_gw": [432, 432, 432],
            "year": [2013, 2013, 2013],
            "month": [7, 8, 9],
            "is_un": [False] * 3,
            "personnel_total_n": [100.0, 100.0, 50.0],
        }
    )
    ops = pd.DataFrame(
        {
            "operation_id": ["eutm-mali"],
            "host_iso3": ["MLI"],
            "date_start": pd.to_datetime(["2013-11-01"]),
            "date_end": pd.to_datetime(["2013-12-31"]),
            "org_type": ["eu"],
        }
    )
    codes = pd.DataFrame({"country_id_gw": [432], "year": [2013], "country_id_iso3": ["MLI"]})
    t = cm.treatment_months(months, mm, hosts, missions, bara, ops, codes).set_index(
        ["country_id_gw", "year", "month"]
    )
    assert t.loc[(432, 2013, 7), "has_partnership"] == True  # noqa: E712
    assert t.loc[(432, 2013, 6), "has_partnership"] == False  # noqa: E712  partner sources cover: False
    assert t.loc[(432, 2013, 10), "has_un_pko"] == True and t.loc[(432, 2013, 10), "has_partner_op"] == False  # noqa: E712
    assert t.loc[(200, 2013, 7), "has_partner_op"] == False  # noqa: E712  Bara covers every state to 2016
    ex = cm.treatment_months(months, mm, hosts, missions, bara, ops, codes, exclude=["afisma"]).set_index(
        ["country_id_gw", "year", "month"]
    )
    assert ex.loc[(432, 2013, 7), "has_partnership"] == False  # noqa: E712
    assert ex.loc[(432, 2013, 9), "has_partnership"] == True  # noqa: E712
    assert t.loc[(432, 2013, 11), "has_partnership"] == True  # noqa: E712  curated operation


def test_monthly_frame_lags_treatment_one_month_and_controls_one_year():
    months = _months(432, 2011, 2013)
    rm = months.copy()
    rm["is_military_regime"] = pd.array([False] * len(rm), dtype="boolean")
    rm.loc[(rm["year"] == 2012) & (rm["month"] >= 4), "is_military_regime"] = True
    rm["leader_tenure_months"] = pd.array(np.arange(len(rm)) + 100, dtype="Int64")
    tr = months.copy()
    tr["has_partnership"] = pd.array((tr["year"] == 2013) & (tr["month"] == 5), dtype="boolean")
    cy = pd.DataFrame(
        {
            "country_id_gw": [432] * 3,
            "year": [2011, 2012, 2013],
            "is_africa": [True] * 3,
            "gdp_pc_usd": [800.0, 900.0, 1000.0],
            "population_n": [1e7] * 3,
            "us_troops_n": [0.0, 9.0, 0.0],
            "has_conflict": [False, True, True],
            "has_jihadist_conflict": [False, True, True],
            "v2x_polyarchy": [0.5, 0.4, 0.3],
            "region_coup_attempts_n": [1, 2, 3],
        }
    ).astype({"country_id_gw": "Int64", "year": "Int64"})
    coups = pd.DataFrame(
        {
            "country_id_gw": pd.array([432], dtype="Int64"),
            "year": pd.array([2013], dtype="Int64"),
            "month": pd.array([6], dtype="Int64"),
        }
    )
    d = cm.prepare_monthly_coup_data(cy, rm, coups, tr, years=(2012, 2013), periods=(2013,))
    x = d.set_index(["year", "month"])
    assert x.loc[(2013, 6), "has_partnership"] == True and x.loc[(2013, 5), "has_partnership"] == False  # noqa: E712
    assert x.loc[(2013, 6), "has_coup_attempt"] == True  # noqa: E712
    assert x.loc[(2012, 4), "is_military_regime"] == False and x.loc[(2012, 5), "is_military_regime"] == True  # noqa: E712
    assert x.loc[(2013, 1), "log_gdp_pc"] == pytest.approx(np.log(900.0))  # previous year's value
    assert x.loc[(2012, 7), "log1p_us_troops"] == 0.0 and x.loc[
        (2013, 7), "log1p_us_troops"
    ] == pytest.approx(np.log(10))
    assert (x.loc[2013, "period_2013_2013"] == 1).all() and (x.loc[2012, "period_2013_2013"] == 0).all()
    assert x.loc[(2012, 1), "leader_tenure_years"] == pytest.approx((100 + 11) / 12)  # 2011-12's tenure
