"""Mission spans from evidence and combined entries resolved to parts (issue 10, item 1), on
small synthetic frames."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.panels.spans import (
    is_span_extension,
    load_span_exclusions,
    mission_spans,
    resolve_parts,
)

T = pd.Timestamp
NO_EXCLUSIONS = pd.DataFrame(
    columns=["mission_id_un", "evidence", "month_from", "month_to", "reason", "citation"])


def _missions():
    return pd.DataFrame(
        {
            "mission_id_un": ["AV", "AV I", "AV II", "AV III", "P", "NOLIST", "ACT", "NONE"],
            "mission_id_un_combined": ["AV", "AV", "AV", "AV", "P", "NOLIST", "ACT", "NONE"],
            "mission_name": list("abcdefgh"),
            "date_start": [T("1989-01-01"), T("1989-01-01"), T("1991-06-01"), T("1995-02-01"),
                           T("1992-02-01"), pd.NaT, T("2013-04-25"), pd.NaT],
            "date_end": [T("1995-02-01"), T("1991-06-01"), T("1995-02-01"), T("1997-06-01"), T("1995-03-01"),
                         pd.NaT, pd.NaT, pd.NaT],
            "is_active": [False, False, False, False, False, pd.NA, True, False],
            "is_peacekeeping": [True] * 8,
        }
    ).astype({"is_active": "boolean", "is_peacekeeping": "boolean"})


def _fat(rows):
    df = pd.DataFrame(rows, columns=["mission_id_un", "date"])
    return df.assign(date=pd.to_datetime(df["date"]))


def _pers(rows):
    return pd.DataFrame(rows, columns=["mission_id_un", "year", "month"])


def test_combined_records_go_to_the_part_in_force():
    m = _missions()
    ids = pd.Series(["AV", "AV", "AV", "AV", "P", "AV II"])
    dates = pd.Series(pd.to_datetime(["1990-03-10", "1991-06-20", "1995-02-01", "1997-06-24", "1993-01-01",
                                      "1990-01-01"]))
    assert resolve_parts(ids, dates, m).tolist() == ["AV I", "AV II", "AV III", "AV III", "P", "AV II"]


def test_span_runs_from_earliest_to_latest_evidence_and_names_it():
    m = _missions()
    fat = _fat([("P", "1995-10-09"), ("NOLIST", "1999-04-24"), ("NOLIST", "2003-12-17"),
                ("AV", "1997-06-24")])
    pers = _pers([("P", 1992, 4), ("P", 1996, 2), ("AV", 1995, 1)])
    s = mission_spans(m, fat, pers, None, None, T("2025-02-01"), NO_EXCLUSIONS).set_index("mission_id_un")
    assert s.loc["P", ["span_start", "span_end"]].tolist() == [T("1992-02-01"), T("1996-02-01")]
    assert s.loc["P", ["span_start_source", "span_end_source"]].tolist() == ["list", "personnel"]
    assert s.loc["NOLIST", ["span_start", "span_end"]].tolist() == [T("1999-04-01"), T("2003-12-01")]
    assert s.loc["NOLIST", "span_start_source"] == "fatalities" and pd.isna(s.loc["NOLIST", "listed_until"])
    assert s.loc["ACT", ["span_end", "span_end_source"]].tolist() == [T("2025-02-01"), "active"]
    assert "NONE" not in s.index and "AV" not in s.index  # no evidence; combined entry resolved
    # parts tile the combined entry: the month a part starts belongs to it, not to its predecessor
    assert s.loc["AV II", "span_end"] == T("1995-01-01") and s.loc["AV III", "span_start"] == T("1995-02-01")
    assert s.loc["AV III", "span_end"] == T("1997-06-01")


def test_listed_exclusions_do_not_extend_a_span():
    m = _missions()
    fat = _fat([("P", "2003-04-20"), ("P", "1993-01-01")])
    ex = pd.DataFrame({"mission_id_un": ["P"], "evidence": ["fatalities"], "month_from": [T("2003-01-01")],
                       "month_to": [T("2003-12-01")], "reason": ["r"], "citation": ["c"]})
    s = mission_spans(m, fat, _pers([]), None, None, T("2025-02-01"), ex).set_index("mission_id_un")
    assert s.loc["P", ["span_end", "span_end_source"]].tolist() == [T("1995-03-01"), "list"]
    s2 = mission_spans(m, fat, _pers([]), None, None, T("2025-02-01"), NO_EXCLUSIONS)
    s2 = s2.set_index("mission_id_un")
    assert s2.loc["P", "span_end"] == T("2003-04-01")


def test_termination_and_mandate_evidence():
    m = _missions()
    cur = pd.DataFrame({"mission_id_un": ["ACT"], "resolution_type": ["termination"],
                        "mandate_until": [T("2023-06-30")]})
    mand = _pers([("ACT", 2013, 3)])
    fat = _fat([("ACT", "2023-11-10")])
    s = mission_spans(m, fat, _pers([]), mand, cur, T("2025-02-01"), NO_EXCLUSIONS).set_index("mission_id_un")
    r = s.loc["ACT"]
    assert [r.span_start, r.span_end, r.span_start_source, r.span_end_source] == [
        T("2013-03-01"), T("2023-11-01"), "mandates", "fatalities"]
    assert r.listed_until == T("2023-06-01")
    assert not is_span_extension(T("2023-06-01"), r.list_start, r.listed_until)
    assert is_span_extension(T("2023-07-01"), r.list_start, r.listed_until)
    assert is_span_extension(T("2013-03-01"), r.list_start, r.listed_until)
    assert is_span_extension(T("2000-01-01"), pd.NaT, pd.NaT)


def test_committed_exclusions_load_and_bad_rows_are_named(tmp_path):
    ex = load_span_exclusions()
    assert set(ex["evidence"]) <= {"personnel", "fatalities", "mandates"}
    assert ex["reason"].str.len().gt(40).all() and ex["citation"].str.len().gt(0).all()
    bad = tmp_path / "x.csv"
    bad.write_text("mission_id_un,evidence,month_from,month_to,reason,citation\n"
                   "P,fatalities,2003-04,2003-04,why,cite\nP,rumour,2003-04,2003-04,why,cite\n")
    with pytest.raises(DataError, match=r"x.csv.*'evidence'.*line 3"):
        load_span_exclusions(bad)
    bad.write_text("mission_id_un,evidence,month_from,month_to,reason,citation\nP,fatalities,2003-4x,2003-04,w,c\n")
    with pytest.raises(DataError, match=r"'month_from'.*line 2"):
        load_span_exclusions(bad)


def test_host_predecessors_stand_in_before_statehood_and_count_once():
    from analysis.panels.hosts import host_state_years, load_host_predecessors

    pred = load_host_predecessors()
    assert set(zip(pred["country_id_gw"], pred["year_to"], pred["predecessor_id_gw"])) == {
        (347, 2007, 345), (860, 2001, 850)}
    hy = pd.DataFrame({"mission_id_un": ["K", "K", "K", "K", "T", "T"],
                       "year": [2005, 2005, 2008, 2008, 2000, 2002],
                       "country_id_gw": [345, 347, 345, 347, 860, 860]})
    out = host_state_years(hy, pred)
    got = sorted(zip(out["mission_id_un"], out["year"], out["country_id_gw"], out["is_host_predecessor"]))
    assert got == [("K", 2005, 345, False), ("K", 2008, 345, False), ("K", 2008, 347, False),
                   ("T", 2000, 850, True), ("T", 2002, 860, False)]


def test_acd_keys_missing_from_the_reexport_are_added_from_the_authority():
    from analysis.core.conflict import add_missing_keys

    acd = pd.DataFrame({"conflict_id": [1, 1], "year": [2004, 2006], "location": ["B", "B"],
                        "side_b": ["X", "X"], "intensity_level": [2, 1], "cumulative_intensity": [1, 1],
                        "gwno_loc": ["771", "771"]}).astype({"conflict_id": "Int64", "year": "Int64"})
    for c in ("side_a", "side_a_id", "side_a_2nd", "side_b_id", "side_b_2nd", "territory_name", "region"):
        acd[c] = pd.array(["s", "s"], dtype="string")
    auth = pd.DataFrame({"conflict_id": [1, 1, 1], "year": [2004, 2005, 2006], "intensity_level": [2, 1, 1]})
    auth = auth.astype({"conflict_id": "Int64", "year": "Int64"})
    out = add_missing_keys(acd, auth).set_index(["conflict_id", "year"])
    assert len(out) == 3 and out.loc[(1, 2005), "is_key_from_peacesciencer"]
    assert not out.loc[(1, 2004), "is_key_from_peacesciencer"]
    assert out.loc[(1, 2005), "location"] == "B" and out.loc[(1, 2005), "cumulative_intensity"] == 1
    with pytest.raises(ValueError, match="not in peacesciencer"):
        add_missing_keys(acd, auth[auth["year"] != 2004])
