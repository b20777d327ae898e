"""The coup design's rules on synthetic frames: the post-coup rule table, the 12-month screen,
the shared-theatre exposure, and the design balance table."""

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.studies import coup_design as cd


def test_rule_table_ships_afisma_and_ecomib_with_citations():
    r = cd.load_post_coup_deployments()
    assert set(r["operation_id"]) == {"afisma", "ecomib"}
    assert r["citation"].str.contains("S/RES/").all()
    assert r.loc[r["operation_id"] == "afisma", "coup_date"].iloc[0] == pd.Timestamp("2012-03-22")


def test_rule_table_blank_cell_names_column_and_line(tmp_path):
    p = tmp_path / "rules.csv"
    p.write_text(
        "operation_id,host_iso3,coup_country,coup_date,rule,citation\n"
        "afisma,MLI,Mali,2012-03-22,r,c\n"
        "ecomib,GNB,Guinea-Bissau,2012-04-12,,c\n"
    )
    with pytest.raises(DataError, match=r"column 'rule', line 3"):
        cd.load_post_coup_deployments(p)


def _bara(rows):
    df = pd.DataFrame(rows, columns=["operation_id", "country_id_gw", "year", "month"])
    return df.assign(is_un=False).astype({"country_id_gw": "Int64", "year": "Int64", "month": "Int64"})


def _ops(rows):
    cols = ["operation_id", "host_iso3", "date_start", "date_end"]
    df = pd.DataFrame(rows, columns=cols)
    for c in ("date_start", "date_end"):
        df[c] = pd.to_datetime(df[c])
    return df


CODES = pd.DataFrame(
    {
        "country_id_gw": [432, 439, 436] * 3,
        "year": [2013] * 3 + [2014] * 3 + [2015] * 3,
        "country_id_iso3": ["MLI", "BFA", "NER"] * 3,
    }
)


def test_operation_host_years_expands_host_lists_and_skips_undated():
    ops = _ops([("barkhane", "MLI;BFA", "2014-08-01", "2015-06-01"), ("wagner", "MLI", None, None)])
    oy = cd.operation_host_years(_bara([("eutm", 432, 2013, 5)]), ops, CODES)
    got = set(map(tuple, oy[["operation_id", "country_id_gw", "year"]].astype(object).to_numpy()))
    assert got == {
        ("eutm", 432, 2013),
        ("barkhane", 432, 2014),
        ("barkhane", 439, 2014),
        ("barkhane", 432, 2015),
        ("barkhane", 439, 2015),
    }


def test_shared_theatre_exposes_a_host_without_a_un_operation():
    cy = pd.DataFrame(
        {
            "country_id_gw": [432, 439, 436],
            "year": [2014] * 3,
            "has_un_pko": [True, False, False],
            "has_partner_op": [True, True, pd.NA],
            "has_partnership": [True, False, pd.NA],
        }
    ).astype({"has_un_pko": "boolean", "has_partner_op": "boolean", "has_partnership": "boolean"})
    oy = pd.DataFrame(
        {"operation_id": ["barkhane", "barkhane"], "country_id_gw": [432, 439], "year": [2014, 2014]}
    )
    t = cd.partnership_theatre(cy, oy)
    assert list(t.iloc[:2]) == [True, True]  # Burkina Faso: Barkhane also operates in Mali (MINUSMA)
    assert pd.isna(t.iloc[2])  # partner sources do not cover the row: NA, not False
    alone = cd.partnership_theatre(
        cy.assign(
            has_un_pko=pd.array([False] * 3, dtype="boolean"),
            has_partnership=pd.array([False] * 3, dtype="boolean"),
        ),
        oy,
    )
    assert list(alone.iloc[:2]) == [False, False]


def test_screen_finds_deployments_within_the_window_and_flags_listed_ones():
    bara = _bara([("afisma", 432, 2013, 1), ("afisma", 432, 2013, 2), ("old", 432, 1993, 1)])
    ops = _ops([("serval", "MLI", "2013-01-11", "2014-07-15"), ("late", "MLI", "2014-06-01", None)])
    codes = pd.DataFrame(
        {"country_id_gw": [432] * 3, "year": [2013, 2014, 1993], "country_id_iso3": ["MLI"] * 3}
    )
    oy = cd.operation_host_years(bara, ops, codes)
    coups = pd.DataFrame(
        {
            "country_id_gw": pd.array([432, 432], dtype="Int64"),
            "date": pd.to_datetime(["2012-03-22", "1992-06-01"]),
            "is_successful": [True, False],
        }
    )
    s = cd.deployments_after_coups(oy, bara, ops, coups, months=12, listed=["afisma"])
    assert set(s["operation_id"]) == {"afisma", "serval"}  # 'late' is 26 months after; 'old' left-censored
    assert s.set_index("operation_id").loc["afisma", "is_listed"] == True  # noqa: E712
    assert s.set_index("operation_id").loc["serval", "months_after"] == 10


def test_design_table_standardised_difference():
    df = pd.DataFrame({"d": [1, 1, 0, 0, 0, 0], "x": [2.0, 4.0, 0.0, 1.0, 0.0, 1.0]})
    t = cd.design_table(df, "d", ["x"]).iloc[0]
    assert t["mean_treated"] == 3.0 and t["mean_untreated"] == 0.5 and t["std_difference"] > 1


def test_neighbour_exposure_three_valued_with_contiguity_years():
    cy = pd.DataFrame(
        {
            "country_id_gw": [432, 439, 436, 581, 432, 439, 436, 581],
            "year": [2014] * 4 + [2015] * 4,
            "has_partnership": pd.array(
                [True, False, None, False, False, False, None, False], dtype="boolean"
            ),
        }
    )
    pairs = pd.DataFrame(
        {
            "country_id_gw": [432, 439],
            "neighbour_id_gw": [439, 436],
            "year_start": [None, 2015],
            "year_end": [None, None],
        }
    )
    e = cd.neighbour_exposure(cy, pairs).tolist()
    # 2014: Burkina Faso borders Mali (True); Mali's only neighbour is Burkina Faso (False); Niger has no
    # neighbour yet (pair from 2015): False; Comoros (581) no neighbours: False
    assert e[:4] == [False, True, False, False]
    # 2015: Burkina Faso's neighbours Mali (False) and Niger (NA): unknown; Niger's: Burkina Faso (False)
    assert e[4] == False and pd.isna(e[5]) and e[6] == False and e[7] == False  # noqa: E712


def test_treatments_before_reads_the_lagged_year():
    panel = pd.DataFrame(
        {
            "country_id_gw": [439, 439, 436],
            "year": [2021, 2022, 2022],
            "has_partnership": [False, False, False],
            "has_partnership_theatre": [True, False, True],
            "has_partner_op": [True, True, True],
            "has_un_pko": [False, False, False],
        }
    )
    rows = pd.DataFrame({"country_id_gw": [436, 439], "year": [2023, 2022]})
    t = cd.treatments_before(rows, panel)
    assert t["year"].tolist() == [2022, 2023] and t["has_partnership_theatre"].tolist() == [True, True]
