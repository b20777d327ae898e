"""analysis.studies (select, casualties, overview) on synthetic mission-month frames (values invented)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.studies import casualties, overview, select
from analysis.vocabulary import CAUSES, MANDATE_CONCEPTS, MANDATE_TYPES

NA = pd.NA


def _mm() -> pd.DataFrame:
    """Two missions x 4 months of 2019 + 2 months of 2020; mandate codings with gaps."""
    rows = []
    spec = {
        # mission, africa, chapter VII, PoC, use of force, offensive (per month, None = not coded)
        "AAA": (True, [True, True, None, None, True, True], [True, False, None, True, True, True],
                [None] * 6, [False] * 6),
        "BBB": (False, [False] * 6, [None, None, False, False, None, None], [True] * 6, [None] * 6),
    }
    dates = [(2019, 1), (2019, 2), (2019, 3), (2019, 4), (2020, 1), (2020, 2)]
    for m, (africa, ch7, poc, uof, off) in spec.items():
        for k, (y, mo) in enumerate(dates):
            rows.append({
                "mission_id_un": m, "year": y, "month": mo, "is_africa": africa,
                "mission_age_months": 10 + k,
                "fatalities_hostile_n": k % 2 + (3 if m == "AAA" else 0), "fatalities_n": 5,
                "personnel_total_n": 1200.0 if y == 2019 else None,
                "is_chapter_vii": ch7[k], "has_poc_mandate": poc[k], "has_use_of_force": uof[k],
                "has_offensive_mandate": off[k],
                "deaths_state_based_n": 99.0, "deaths_non_state_n": 0.0, "deaths_one_sided_n": None if
                m == "BBB" else 0.0,
                "has_jihadist_conflict": m == "AAA",
            })
    df = pd.DataFrame(rows)
    for c in ("is_africa", "is_chapter_vii", "has_poc_mandate", "has_use_of_force", "has_offensive_mandate",
              "has_jihadist_conflict"):
        df[c] = df[c].astype("boolean")
    for c in MANDATE_CONCEPTS:  # filled = carried forward within mission
        df[c + "_filled"] = df.groupby("mission_id_un")[c].ffill().astype("boolean")
    ch, pc = df["is_chapter_vii"], df["has_poc_mandate"]
    df["is_robust_mandate"] = (ch & pc).astype("boolean")
    comp = df[list(MANDATE_CONCEPTS)].astype("Float64")
    df["robust_mandate_index"] = comp.sum(axis=1, min_count=1).astype("Int64")
    for c in ("year", "month", "fatalities_hostile_n", "fatalities_n", "mission_age_months"):
        df[c] = df[c].astype("Int64")
    for c in ("personnel_total_n", "deaths_state_based_n", "deaths_non_state_n", "deaths_one_sided_n"):
        df[c] = df[c].astype("Float64")
    df["mission_id_un"] = df["mission_id_un"].astype("string")
    return df


def test_outcome_column_and_invalid_cause():
    assert casualties.outcome_column("hostile") == "fatalities_hostile_n"
    assert casualties.outcome_column("all") == "fatalities_n"
    with pytest.raises(ValueError, match="valid values: .*'hostile'"):
        casualties.outcome_column("hostiles")


def test_select_years_and_missions():
    mm = _mm()
    assert set(select.select_years(mm, [2020, 2020])["year"]) == {2020}
    with pytest.raises(ValueError, match="first <= last"):
        select.select_years(mm, [2020, 2019])
    assert set(select.select_missions(mm, "africa")["mission_id_un"]) == {"AAA"}
    assert set(select.select_missions(mm, "bbb, aaa")["mission_id_un"]) == {"AAA", "BBB"}
    assert len(select.select_missions(mm, "all")) == len(mm)
    with pytest.raises(ValueError, match=r"unknown acronym\(s\) \['ZZZ'\]"):
        select.select_missions(mm, ["AAA", "ZZZ"])


def test_robust_treatment_three_valued_and_filled():
    mm = _mm()
    a = mm[mm["mission_id_un"] == "AAA"]
    # as published: month 2 is Chapter VII without PoC -> 0; month 3 uncoded -> NaN
    got = casualties.robust_treatment(a, "is_robust_mandate").to_numpy()
    np.testing.assert_array_equal(got, [1.0, 0.0, np.nan, np.nan, 1.0, 1.0])
    # filled: month 3 carries month 2 forward (ch7 True, PoC False) -> 0; month 4: PoC True, ch7 True -> 1
    got = casualties.robust_treatment(a, "is_robust_mandate", filled=True)
    np.testing.assert_array_equal(got.to_numpy(), [1.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    assert got.name == "is_robust_mandate_filled"
    b = mm[mm["mission_id_un"] == "BBB"]
    # Chapter VII False and PoC unknown: False AND NA is False (not NA)
    assert casualties.robust_treatment(b, "is_robust_mandate").iloc[0] == 0.0
    # index from filled components: NaN only where no component is coded
    idx = casualties.robust_treatment(b, "robust_mandate_index", filled=True).to_numpy()
    np.testing.assert_array_equal(idx, [1.0] * 6)
    with pytest.raises(ValueError, match="treatment="):
        casualties.robust_treatment(a, "is_robust")


def test_casualty_frame_month_drops_months_without_personnel():
    mm = _mm()
    f = casualties.casualty_frame(
        mm, controls=["log_host_deaths", "has_jihadist_conflict", "mission_age_years"], years=[2019, 2020]
    )
    assert len(f) == 8  # 2020 has no personnel
    assert f["personnel_years_n"].eq(100.0).all()
    assert f.attrs["notes"] and "4 of 12 mission-months" in f.attrs["notes"][0]
    # log(1 + 99) for AAA; NaN for BBB (one-sided deaths missing): never 0 for unknown
    np.testing.assert_allclose(f.loc[f["mission_id_un"] == "AAA", "log_host_deaths"], np.log(100.0))
    assert f.loc[f["mission_id_un"] == "BBB", "log_host_deaths"].isna().all()
    assert f["has_jihadist_conflict"].tolist() == [1.0] * 4 + [0.0] * 4
    np.testing.assert_allclose(f["mission_age_years"].iloc[0], 10 / 12)


def test_casualty_frame_year_aggregates():
    mm = _mm()
    f = casualties.casualty_frame(mm, years=[2019, 2020], unit="year", missions="AAA")
    assert len(f) == 1
    r = f.iloc[0]
    assert r["fatalities_hostile_n"] == 3 + 4 + 3 + 4  # months 1-4 of 2019 only (exposure)
    assert r["personnel_years_n"] == pytest.approx(400.0)
    assert r["months_n"] == 4
    assert r["is_robust_mandate"] == pytest.approx(0.5)  # mean over the 2 coded months
    g = casualties.casualty_frame(mm, years=[2019, 2020], unit="year", missions="AAA", exposure=False)
    assert g["fatalities_hostile_n"].tolist() == [14, 7]  # without exposure every month counts


def test_rates_by_treatment():
    mm = _mm()
    f = casualties.casualty_frame(mm, years=[2019, 2019])
    r = casualties.rates_by_treatment(
        f, outcome="fatalities_hostile_n", treatment="is_robust_mandate", by=None
    )
    r = r.set_index("group")
    assert r.loc["with is_robust_mandate", "deaths_n"] == 3  # AAA month 1
    assert r.loc["with is_robust_mandate", "rate_per_1000"] == pytest.approx(3 / 100 * 1000)
    assert r.loc["without is_robust_mandate", "personnel_years_n"] == pytest.approx(100 * 5)


def test_missions_by_mandate_type_snapshot_month():
    mm = _mm()
    tab = overview.missions_by_mandate_type(mm, filled=False, month=12)
    # 2019: last month is April; AAA: ch7 None, PoC True -> not coded; BBB: ch7 False, PoC False -> neither
    assert tab.loc[2019, "not coded"] == 1 and tab.loc[2019, "neither"] == 1
    assert list(tab.columns) == list(MANDATE_TYPES)
    filled = overview.missions_by_mandate_type(mm, filled=True)
    assert filled.loc[2019, MANDATE_TYPES[0]] == 1  # AAA carried forward: Chapter VII + PoC
    assert filled.loc[2020, "neither"] == 1  # BBB: PoC False carried forward


def test_fatalities_by_cause_year_fills_zero_years_and_orders_causes():
    fat = pd.DataFrame({
        "year": pd.array([2000, 2000, 2002, 2002], dtype="Int64"),
        "cause": pd.array(["illness", "hostile", "hostile", "accident"], dtype="string"),
        "is_peacekeeping": pd.array([True, True, True, False], dtype="boolean"),
    })
    tab = overview.fatalities_by_cause_year(fat, years=[2000, 2003])
    assert list(tab.index) == [2000, 2001, 2002, 2003]
    assert list(tab.columns) == list(CAUSES)
    assert tab.loc[2001].sum() == 0 and tab.loc[2002, "hostile"] == 1 and tab.loc[2002, "accident"] == 0
    both = overview.fatalities_by_cause_year(fat, peacekeeping_only=False, years=[2002, 2002])
    assert both.sum().sum() == 2


def test_partner_operation_spans():
    ops = pd.DataFrame({
        "operation_id": ["a", "b", "c", "d"], "acronym": ["A", None, "C", "D"],
        "host_iso3": ["MLI;NER", "SOM", "CAF", "COD"], "org_type": ["ad_hoc", "regional", "eu", "pmc"],
        "date_start": pd.to_datetime(["2014-01-01", "2010-06-01", None, "2025-02-01"]),
        "date_end": pd.to_datetime(["2016-01-01", None, None, None]),
    })
    s = overview.partner_operation_spans(ops, open_end="2024-12-31")
    assert s["label"].tolist() == ["b (SOM)", "A (MLI, NER)"]
    assert s["is_open"].tolist() == [True, False]
    assert s.loc[0, "end"] == pd.Timestamp("2024-12-31")
    assert s.attrs["undated"] == ["c"] and s.attrs["after_window"] == ["d"]


def test_column_coverage_and_registry_coverage():
    df = pd.DataFrame({"year": [2000, 2000, 2001, 2001], "x": [1.0, None, None, None]})
    cov = overview.column_coverage({"t": df}, {"t": ["x"]})
    assert cov["label"].unique().tolist() == ["t.x"]
    assert cov.set_index("year")["share"].to_dict() == {2000: 0.5, 2001: 0.0}

    class F:
        source, file, year_start, year_end = "src", "f.csv", 1999, 2001

    reg = overview.coverage_from_registry([F()], by="file")
    assert reg["year"].tolist() == [1999, 2000, 2001] and reg["label"].iloc[0] == "src: f.csv"

    class G:
        source, file, year_start, year_end = "unsc", "r1.xml", 2000, 2000

    class H:
        source, file, year_start, year_end = "unsc", "r2.xml", 2002, 2002

    # one row per source (the Security Council's texts are 1,554 one-year files): the union of its years
    reg = overview.coverage_from_registry([F(), G(), H()], names={"unsc": "Security Council resolutions"})
    assert reg["label"].unique().tolist() == ["src", "Security Council resolutions (2 files)"]
    assert reg.loc[reg["group"] == "unsc", "year"].tolist() == [2000, 2002]  # no year is invented
    with pytest.raises(ValueError, match="by"):
        overview.coverage_from_registry([F()], by="table")
    plain = overview.column_coverage({"mission_months": df.rename(columns={"x": "has_poc_mandate"})},
                                     {"mission_months": ["has_poc_mandate"]},
                                     names={"mission_months": "operation-months"})
    assert plain["label"].iloc[0] == "protection-of-civilians mandate (operation-months)"
    assert plain["group"].iloc[0] == "operation-months" and plain["column"].iloc[0] == "has_poc_mandate"


def test_period_totals_uses_covered_deaths():
    rates = pd.DataFrame({
        "mission_id_un": ["A", "A", "B"], "year": [2013, 2014, 2013],
        "deaths_n": pd.array([10, 5, 2], dtype="Int64"),
        "deaths_covered_n": pd.array([8, 5, 2], dtype="Int64"),
        "personnel_years": pd.array([1000.0, 1000.0, None], dtype="Float64"),
    })
    t = casualties.period_totals(rates, years=[2013, 2014]).set_index("mission_id_un")
    assert t.loc["A", "deaths_n"] == 15 and t.loc["A", "rate_per_1000"] == pytest.approx(13 / 2000 * 1000)
    assert np.isnan(t.loc["B", "rate_per_1000"])  # no personnel: no rate, not 0
