"""The essay-claims audit: the claims file, its loader, the registry and every evaluation function
on small synthetic frames (no real data)."""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError, MissingColumnError, csv_record_lines
from analysis.studies import claims as cl

REAL = Path(__file__).resolve().parents[2] / "data" / "curated" / cl.FILE_CLAIMS


def _raw() -> pd.DataFrame:
    return pd.read_csv(REAL, dtype=str, keep_default_na=False)


def _write(df: pd.DataFrame, tmp_path: Path) -> Path:
    p = tmp_path / "claims.csv"
    df.to_csv(p, index=False, lineterminator="\n")
    return p


# ---- the committed file ----------------------------------------------------------------------------------
def test_committed_file_validates(load_once):
    df = load_once(cl.load_claims, REAL)
    assert len(df) >= 20
    assert df["claim_id"].is_unique
    cl.SCHEMA_CLAIMS.validate(df)
    for col in cl.SCHEMA_CLAIMS.columns.values():
        assert col.description, f"{col.name} has no description"
    assert (df["source"].str.len() > 0).all()
    assert df["source"].str.contains("section|Abstract", regex=True).all(), "every row cites a section"


def test_issue_claims_are_in_the_file(load_once):
    ids = set(load_once(cl.load_claims, REAL)["claim_id"])
    required = {
        "minusma_hostile_deaths_2013_2017",
        "minusma_deadliest_pko_2013_2017",
        "other_large_pkos_dozens_2013_2017",
        "minusma_deaths_to_2023_06_30",
        "improvement_after_2017_not_dramatic",
        "large_21c_missions_have_poc",
        "poc_always_with_chapter_vii",
        "partnership_trend_21c",
        "sahel_coups_follow_convergence",
        "islamist_groups_africa_vs_middle_east",
        "downsizing_historically_rapid",
        "amisom_atmis_thousands_casualties",
    }
    assert required <= ids
    df = load_once(cl.load_claims, REAL).set_index("claim_id")
    assert df.loc["minusma_hostile_deaths_2013_2017", "essay_number"] == 91
    assert df.loc["minusma_deaths_to_2023_06_30", "essay_number"] == 309
    assert not df.loc["amisom_atmis_thousands_casualties", "is_testable"]
    assert "AU" in df.loc["amisom_atmis_thousands_casualties", "why_not_testable"]


def test_every_claim_has_a_function_and_every_function_a_claim(load_once):
    df = load_once(cl.load_claims, REAL)
    assert set(df["claim_id"]) == set(cl.EVALUATORS) == set(cl.SPECS)
    cl.check_registry(df, REAL)  # tables and thresholds agree with the functions


def test_thresholds_in_file_equal_function_defaults(load_once):
    df = load_once(cl.load_claims, REAL).set_index("claim_id")
    for cid, spec in cl.SPECS.items():
        p = inspect.signature(spec.func).parameters.get("threshold")
        if p is None:
            assert pd.isna(df.loc[cid, "threshold"]), cid
        else:
            assert df.loc[cid, "threshold"] == pytest.approx(p.default), cid


def test_not_testable_rows_and_functions_agree(load_once):
    df = load_once(cl.load_claims, REAL)
    n = 0
    for _, r in df[~df["is_testable"].astype(bool)].iterrows():
        assert r["rule_kind"] == "not_testable" and pd.notna(r["why_not_testable"])
        v = cl.evaluate_claim(r, {})
        assert v.verdict == "not testable" and v.caveat.startswith(r["why_not_testable"])
        n += 1
    assert n >= 1


def test_registry_mismatch_is_an_error(tmp_path, monkeypatch):
    df = _raw()
    extra = df.iloc[[0]].copy()
    extra["claim_id"] = "a_claim_without_function"
    p = _write(pd.concat([df, extra]), tmp_path)
    with pytest.raises(cl.ClaimError, match="a_claim_without_function"):
        cl.check_registry(cl.load_claims(p), p)
    bad = df.copy()
    bad.loc[0, "tables"] = "un_fatalities;country_years"
    p = _write(bad, tmp_path)
    with pytest.raises(DataError, match=r"claims\.csv.*column 'tables'.*line 2.*differ"):
        cl.check_registry(cl.load_claims(p), p)
    bad = df.copy()
    bad.loc[0, "threshold"] = "0.1"
    p = _write(bad, tmp_path)
    with pytest.raises(DataError, match=r"column 'threshold'.*line 2"):
        cl.check_registry(cl.load_claims(p), p)


def test_quotation_check_finds_missing_quotes(load_once):
    df = load_once(cl.load_claims, REAL).head(3)
    text = "\n".join(q.replace(" ", "\n ", 1) for q in df["quotation"])  # line breaks inside quotes are fine
    assert cl.unquoted_claims(df, text) == []
    damaged = "\n".join(q if i != 1 else q[:-3] + "XYZ" for i, q in enumerate(df["quotation"]))
    assert cl.unquoted_claims(df, damaged) == [df["claim_id"].iloc[1]]


# ---- bad input -------------------------------------------------------------------------------------------
def test_missing_and_unexpected_columns(tmp_path):
    p = _write(_raw().drop(columns=["rule"]), tmp_path)
    with pytest.raises(DataError, match=r"claims\.csv.*column 'rule'.*missing"):
        cl.load_claims(p)
    p = _write(_raw().assign(extra="x"), tmp_path)
    with pytest.raises(DataError, match=r"column 'extra'.*unexpected"):
        cl.load_claims(p)


@pytest.mark.parametrize(
    ("column", "value", "row", "match"),
    [
        ("claim_id", "", 2, "empty value"),
        ("rule_kind", "roughly", 1, "unknown code 'roughly'"),
        ("verification", "sure", 3, "unknown code 'sure'"),
        ("section", "7. Epilogue", 0, "unknown code"),
        ("is_testable", "yes", 4, "not a boolean"),
        ("essay_number", "ninety-one", 0, "not a number"),
        ("threshold", "five", 5, "not a number"),
        ("tables", "un_fatalities;no_such_table", 2, "unknown table 'no_such_table'"),
        ("rule", "", 1, "testable claim needs"),
        ("why_not_testable", "because", 0, "why_not_testable is given exactly"),
    ],
)
def test_bad_values_name_file_column_and_row(tmp_path, column, value, row, match):
    df = _raw()
    df.loc[row, column] = value
    p = _write(df, tmp_path)
    line = csv_record_lines(p)[row]
    with pytest.raises(DataError, match=rf"claims\.csv.*column '{column}', line {line}: .*{match}"):
        cl.load_claims(p)


def test_duplicate_claim_id(tmp_path):
    df = _raw()
    df.loc[3, "claim_id"] = df.loc[1, "claim_id"]
    with pytest.raises(DataError, match=r"column 'claim_id'.*line 5.*duplicate"):
        cl.load_claims(_write(df, tmp_path))


def test_not_testable_row_rules(tmp_path):
    df = _raw()
    i = int(df.index[df["is_testable"] == "false"][0])
    bad = df.copy()
    bad.loc[i, "why_not_testable"] = ""
    p = _write(bad, tmp_path)
    line = csv_record_lines(p)[i]
    with pytest.raises(DataError, match=rf"column 'why_not_testable', line {line}: why_not_testable"):
        cl.load_claims(p)
    bad = df.copy()
    bad.loc[i, "rule_kind"] = "at_least"
    with pytest.raises(DataError, match=rf"column 'rule_kind', line {line}"):
        cl.load_claims(_write(bad, tmp_path))


def test_threshold_rules(tmp_path):
    df = _raw()
    i = int(df.index[df["rule_kind"] == "equals_within"][0])
    bad = df.copy()
    bad.loc[i, "threshold"] = ""
    p = _write(bad, tmp_path)
    with pytest.raises(DataError, match=rf"column 'threshold', line {csv_record_lines(p)[i]}.*tolerance"):
        cl.load_claims(p)
    j = int(df.index[df["rule_kind"] == "share_at_least"][0])
    bad = df.copy()
    bad.loc[j, "threshold"] = "1.5"
    p = _write(bad, tmp_path)
    line = csv_record_lines(p)[j]
    with pytest.raises(DataError, match=rf"column 'threshold', line {line}.*between 0 and 1"):
        cl.load_claims(p)


def test_file_not_found(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        cl.load_claims(tmp_path / "nope.csv")


def test_select_claims_and_unknown_ids(load_once):
    df = load_once(cl.load_claims, REAL)
    assert len(cl.select_claims(df, "all")) == len(df)
    two = cl.select_claims(df, "minusma_deaths_to_2023_06_30, downsizing_historically_rapid")
    assert list(two["claim_id"]) == ["minusma_deaths_to_2023_06_30", "downsizing_historically_rapid"]
    with pytest.raises(cl.ClaimError, match="unknown claim id"):
        cl.select_claims(df, ["no_such_claim"])


def test_missing_table_or_column_is_a_claim_error():
    with pytest.raises(cl.ClaimError, match="table 'un_fatalities' is needed"):
        cl.minusma_hostile_deaths_2013_2017({})
    with pytest.raises(MissingColumnError, match=r"table 'un_fatalities', column '\w+': expected column"):
        cl.minusma_hostile_deaths_2013_2017({"un_fatalities": pd.DataFrame({"date": []})})


def test_verdict_values_are_checked():
    with pytest.raises(ValueError, match="not one of"):
        cl.ClaimVerdict("x", "probably", 1, None, "", "")


def test_judges():
    assert cl.judge_within(95, 91, 0.05) == "supported"
    assert cl.judge_within(99, 91, 0.05) == "partly supported"
    assert cl.judge_within(120, 91, 0.05) == "contradicted"
    assert cl.judge_within(2007, 2007, 0) == "supported"
    assert cl.judge_within(2008, 2007, 0) == "contradicted"
    assert cl.judge_levels(0.9, 0.9, 0.5) == "supported"
    assert cl.judge_levels(0.6, 0.9, 0.5) == "partly supported"
    assert cl.judge_levels(np.nan, 0.9, 0.5) == "contradicted"


# ---- synthetic frames --------------------------------------------------------------------------------------
def _fat(groups: list[tuple[str, str, str, int, str]], *, peacekeeping: bool = True) -> pd.DataFrame:
    """UN fatalities from (mission, cause, personnel_type, n, when); ``when`` is 'YYYY-MM-DD' or
    'YYYY-MM-DD|YYYY-MM' (incident date | registration month of the casualty id)."""
    rows = []
    for mission, cause, ptype, n, when in groups:
        date, _, reg = when.partition("|")
        d = pd.Timestamp(date)
        reg = reg or f"{d:%Y-%m}"
        for _ in range(n):
            rows.append(
                {
                    "casualty_id": f"{mission}-{reg}-{len(rows):05d}",
                    "date": d,
                    "year": d.year,
                    "month": d.month,
                    "mission_id_un": mission,
                    "is_peacekeeping": peacekeeping,
                    "cause": cause,
                    "personnel_type": ptype,
                }
            )
    f = pd.DataFrame(rows)
    f["is_peacekeeping"] = f["is_peacekeeping"].astype("boolean")
    for c in ("casualty_id", "mission_id_un", "cause", "personnel_type"):
        f[c] = f[c].astype("string")
    return f


def test_minusma_hostile_count_verdicts_and_sensitivity():
    base = [
        ("MINUSMA", "hostile", "Military", 88, "2015-05-01"),
        ("MINUSMA", "hostile", "Local", 3, "2016-02-01"),
        ("MINUSMA", "illness", "Military", 40, "2016-02-01"),
        ("MINUSMA", "hostile", "Military", 4, "2018-01-05"),
    ]
    v = cl.minusma_hostile_deaths_2013_2017({"un_fatalities": _fat(base)})
    assert (v.our_number, v.essay_number, v.verdict) == (91, 91, "supported")
    s = v.sensitivity.set_index("variant")["our_number"]
    assert s["hostile acts, uniformed only, 2013-2017"] == 88
    assert s["all causes, all personnel, 2013-2017"] == 131
    more = base + [("MINUSMA", "hostile", "Military", 8, "2017-12-20")]
    v = cl.minusma_hostile_deaths_2013_2017({"un_fatalities": _fat(more)})
    assert v.our_number == 99 and v.verdict == "partly supported"
    assert s["hostile acts, all personnel, to 2017-10-31"] == 91
    v = cl.minusma_hostile_deaths_2013_2017({"un_fatalities": _fat(more)}, threshold=0.1)
    assert v.verdict == "supported"
    v = cl.minusma_hostile_deaths_2013_2017({"un_fatalities": _fat(base[:1])})
    assert v.our_number == 88 and v.verdict == "supported"
    v = cl.minusma_hostile_deaths_2013_2017(
        {"un_fatalities": _fat([("MINUSMA", "hostile", "Military", 60, "2015-01-01")])}
    )
    assert v.verdict == "contradicted"


def test_deadliest_and_dozens():
    g = [
        ("MINUSMA", "hostile", "Military", 50, "2014-01-01"),
        ("MINUSCA", "hostile", "Military", 30, "2015-01-01"),
        ("UNAMID", "hostile", "Police", 26, "2016-01-01"),
        ("MONUSCO", "hostile", "Military", 25, "2013-06-01"),
        ("UNMISS", "hostile", "Military", 24, "2017-03-01"),
        ("UNMISS", "hostile", "Military", 40, "2019-03-01"),
    ]
    t = {"un_fatalities": _fat(g)}
    v = cl.minusma_deadliest_pko_2013_2017(t)
    assert v.our_number == 1 and v.verdict == "supported"
    v = cl.other_large_pkos_dozens_2013_2017(t)
    assert v.our_number == 4 and v.verdict == "supported"
    g2 = [x if x[0] != "UNMISS" else ("UNMISS", "hostile", "Military", 10, x[4]) for x in g[:5]]
    g2 += [("UNAMID", "accident", "Military", 30, "2016-01-01")]
    v = cl.other_large_pkos_dozens_2013_2017({"un_fatalities": _fat(g2)})
    assert v.our_number == 3 and v.verdict == "partly supported" and "UNMISS" in v.caveat
    # MINUSMA second by hostile acts but first with all causes
    g3 = [
        ("MINUSMA", "hostile", "Military", 20, "2014-01-01"),
        ("MINUSMA", "illness", "Military", 40, "2014-01-01"),
        ("UNAMID", "hostile", "Military", 30, "2014-01-01"),
    ]
    v = cl.minusma_deadliest_pko_2013_2017({"un_fatalities": _fat(g3)})
    assert v.our_number == 2 and v.verdict == "partly supported"
    g4 = [
        ("MINUSMA", "hostile", "Military", 20, "2014-01-01"),
        ("UNAMID", "hostile", "Military", 30, "2014-01-01"),
    ]
    assert cl.minusma_deadliest_pko_2013_2017({"un_fatalities": _fat(g4)}).verdict == "contradicted"
    # political missions are not ranked
    pol = _fat([("UNAMA", "hostile", "Military", 99, "2014-01-01")], peacekeeping=False)
    v = cl.minusma_deadliest_pko_2013_2017({"un_fatalities": pd.concat([_fat(g4[:1]), pol])})
    assert v.our_number == 1


def test_minusma_309_and_later_registration():
    g = [
        ("MINUSMA", "hostile", "Military", 200, "2016-01-01"),
        ("MINUSMA", "illness", "Military", 108, "2022-01-01"),
        ("MINUSMA", "illness", "International Civilian", 1, "2023-06-26|2023-07"),
        ("MINUSMA", "accident", "Military", 2, "2023-11-01"),
    ]
    v = cl.minusma_deaths_to_2023_06_30({"un_fatalities": _fat(g)})
    assert v.our_number == 309 and v.verdict == "supported"
    assert "registered after June 2023" in v.caveat and "gives 308" in v.caveat
    s = v.sensitivity.set_index("variant")["our_number"]
    assert s["all causes, registered by June 2023 (casualty id month)"] == 308
    assert s["all causes, whole mission (to 2023-12-31)"] == 311
    v = cl.minusma_deaths_to_2023_06_30({"un_fatalities": _fat(g[:1])})
    assert v.verdict == "contradicted"


def _yearly(counts: dict[int, int], personnel: float = 100_000) -> dict[str, pd.DataFrame]:
    g = [("MONUSCO", "hostile", "Military", n, f"{y}-06-01") for y, n in counts.items() if n]
    yt = pd.DataFrame(
        {
            "year": pd.array(range(1990, 2023), dtype="Int64"),
            "personnel_total_n": pd.array([personnel] * 33, dtype="Int64"),
        }
    )
    return {"un_fatalities": _fat(g), "un_personnel_yearly_total": yt}


def test_hostile_deaths_increasing():
    t = _yearly({**dict.fromkeys(range(2008, 2013), 10), **dict.fromkeys(range(2013, 2018), 30)})
    v = cl.hostile_deaths_increasing_to_2017(t)
    assert v.our_number == pytest.approx(3.0) and v.verdict == "supported"
    t = _yearly({**dict.fromkeys(range(2008, 2013), 10), **dict.fromkeys(range(2013, 2018), 11)})
    assert cl.hostile_deaths_increasing_to_2017(t).verdict == "partly supported"
    t = _yearly(dict.fromkeys(range(2008, 2018), 10))
    assert cl.hostile_deaths_increasing_to_2017(t).verdict == "contradicted"


def test_improvement_after_2017():
    base = dict.fromkeys(range(2013, 2018), 40)
    t = _yearly({**base, 2018: 27, 2019: 26, 2020: 13, 2021: 26, 2022: 33})
    v = cl.improvement_after_2017_not_dramatic(t)
    assert v.our_number == pytest.approx(0.625) and v.verdict == "supported"
    t = _yearly({**base, 2018: 8, 2019: 6, 2020: 5, 2021: 4, 2022: 2})  # dramatic fall
    assert cl.improvement_after_2017_not_dramatic(t).verdict == "partly supported"
    t = _yearly({**base, 2018: 45, 2019: 50, 2020: 55, 2021: 60, 2022: 70})  # no year better
    assert cl.improvement_after_2017_not_dramatic(t).verdict == "partly supported"
    slope, lo, hi = cl.poisson_slope([2018, 2019, 2020, 2021, 2022], [40, 21, 10, 5, 3])
    assert slope == pytest.approx(np.log(0.5), abs=0.05) and lo < slope < hi < 0


def test_minusma_constant_threat():
    g = [("MINUSMA", "hostile", "Military", 2, f"{y}-03-01") for y in range(2013, 2024)]
    cy = pd.DataFrame(
        {
            "country_id_gw": pd.array([432] * 11, dtype="Int64"),
            "year": pd.array(range(2013, 2024), dtype="Int64"),
            "jihadist_conflicts_n": pd.array([1] * 11, dtype="Int64"),
        }
    )
    v = cl.minusma_constant_security_threat({"un_fatalities": _fat(g), "country_years": cy})
    assert v.our_number == 1 and v.verdict == "supported"
    v = cl.minusma_constant_security_threat({"un_fatalities": _fat(g[:5]), "country_years": cy})
    assert v.verdict == "contradicted" and "Years failing" in v.caveat
    v = cl.minusma_constant_security_threat({"un_fatalities": _fat(g[:-2]), "country_years": cy})
    assert v.our_number == pytest.approx(9 / 11, abs=1e-3) and v.verdict == "partly supported"


def _missions(spec: dict[str, tuple[str, float, bool | None]]) -> dict[str, pd.DataFrame]:
    """mission -> (start date, peak personnel, PoC)."""
    um = pd.DataFrame(
        {
            "mission_id_un": list(spec),
            "is_peacekeeping": True,
            "date_start": pd.to_datetime([s for s, _, _ in spec.values()]),
        }
    )
    um["is_peacekeeping"] = um["is_peacekeeping"].astype("boolean")
    rows = []
    for m, (start, peak, poc) in spec.items():
        y = pd.Timestamp(start).year
        rows += [
            {"mission_id_un": m, "year": y, "personnel_total_n": peak / 2, "has_poc_mandate": None},
            {"mission_id_un": m, "year": y + 1, "personnel_total_n": peak, "has_poc_mandate": poc},
        ]
    my = pd.DataFrame(rows).astype({"personnel_total_n": "Float64", "has_poc_mandate": "boolean"})
    return {"un_missions": um, "mission_years": my}


def test_large_missions_poc():
    t = _missions(
        {
            "A": ("2004-01-01", 12_000, True),
            "B": ("2011-01-01", 15_000, True),
            "C": ("2002-01-01", 3_000, False),
            "OLD": ("1993-01-01", 20_000, False),
        }
    )
    v = cl.large_21c_missions_have_poc(t)
    assert v.our_number == 1 and v.verdict == "supported"
    assert set(v.detail["mission_id_un"]) == {"A", "B", "OLD"}
    t = _missions(
        {
            "A": ("2004-01-01", 12_000, True),
            "B": ("2011-01-01", 15_000, False),
            "C": ("2005-01-01", 11_000, False),
        }
    )
    v = cl.large_21c_missions_have_poc(t)
    assert v.our_number == pytest.approx(1 / 3, abs=1e-3) and v.verdict == "contradicted"
    assert "without: B, C" in v.caveat


def _months(spec: dict[str, list[bool | None]], poc: bool = True, year: int = 2010) -> pd.DataFrame:
    rows = [
        {"mission_id_un": m, "year": year, "month": i + 1, "has_poc_mandate": poc, "is_chapter_vii": c}
        for m, ch7 in spec.items()
        for i, c in enumerate(ch7)
    ]
    return pd.DataFrame(rows).astype(
        {"has_poc_mandate": "boolean", "is_chapter_vii": "boolean", "year": "Int64", "month": "Int64"}
    )


def test_poc_always_chapter_vii():
    mm = _months({"A": [True, True], "B": [True, None], "C": [None, None]})
    v = cl.poc_always_with_chapter_vii({"mission_months": mm})
    assert v.our_number == 1 and v.verdict == "supported"
    assert dict(zip(v.detail["mission_id_un"], v.detail["status"])) == {
        "A": "agrees",
        "B": "agrees",
        "C": "not coded",
    }
    mm = _months({"A": [True], "B": [True], "C": [True], "D": [True], "UNIFIL": [False, False]})
    v = cl.poc_always_with_chapter_vii({"mission_months": mm})
    assert v.our_number == pytest.approx(0.8) and v.verdict == "partly supported" and "UNIFIL" in v.caveat
    mm = _months({"A": [True], "B": [False], "C": [False]})
    assert cl.poc_always_with_chapter_vii({"mission_months": mm}).verdict == "contradicted"
    # months without PoC do not count
    mm = pd.concat([_months({"A": [True]}), _months({"B": [False]}, poc=False)])
    assert cl.poc_always_with_chapter_vii({"mission_months": mm}).verdict == "supported"


def _partnership(
    ops_early: int, ops_late: int, share_early: float, share_late: float
) -> dict[str, pd.DataFrame]:
    rows = []
    for y in range(1993, 2017):
        k = ops_early if y < 2000 else ops_late
        rows += [{"operation_id": f"op{i}", "year": y, "month": 1, "is_un": False} for i in range(k)]
        rows.append({"operation_id": "UNX", "year": y, "month": 1, "is_un": True})
    n = pd.DataFrame(rows).astype({"is_un": "boolean"})
    my = []
    for y in range(1993, 2017):
        sh = share_early if y < 2000 else share_late
        my += [
            {
                "mission_id_un": f"M{i}",
                "year": y,
                "has_nonun_op_bara": i < sh * 10,
                "has_partner_op_curated": None,
            }
            for i in range(10)
        ]
    my = pd.DataFrame(my).astype({"has_nonun_op_bara": "boolean", "has_partner_op_curated": "boolean"})
    return {"nonun_operations_monthly": n, "mission_years": my}


def test_partnership_trend():
    v = cl.partnership_trend_21c(_partnership(10, 15, 0.2, 0.4))
    assert v.our_number == pytest.approx(1.5) and v.verdict == "supported"
    assert cl.partnership_trend_21c(_partnership(10, 15, 0.3, 0.3)).verdict == "partly supported"
    assert cl.partnership_trend_21c(_partnership(10, 10, 0.3, 0.3)).verdict == "contradicted"


def _country_years(conv_start: int, coup_year: int) -> pd.DataFrame:
    rows = []
    for gw in (432, 439, 436, 475):  # Mali, Burkina Faso, Niger, and Nigeria (never a coup)
        for y in range(2005, 2025):
            sahel = gw != 475
            rows.append(
                {
                    "country_id_gw": gw,
                    "year": y,
                    "is_africa": True,
                    "has_un_pko": False,
                    "has_partner_op": sahel and y >= conv_start,
                    "has_jihadist_conflict": y >= conv_start,
                    "coups_successful_n": int(sahel and y == coup_year),
                    "coup_attempts_n": int(sahel and y == coup_year),
                }
            )
    return pd.DataFrame(rows).astype(
        {
            "is_africa": "boolean",
            "has_un_pko": "boolean",
            "has_partner_op": "boolean",
            "has_jihadist_conflict": "boolean",
            "coups_successful_n": "Int64",
            "coup_attempts_n": "Int64",
        }
    )


def test_sahel_coups():
    v = cl.sahel_coups_follow_convergence({"country_years": _country_years(2013, 2021)})
    assert v.our_number == 8 and v.verdict == "partly supported"
    assert len(v.sensitivity[v.sensitivity["part"] == "leads"]) == 3
    v = cl.sahel_coups_follow_convergence({"country_years": _country_years(2022, 2021)})
    assert v.verdict == "contradicted"
    v = cl.sahel_coups_follow_convergence({"country_years": _country_years(2013, 2012)})
    assert v.verdict == "contradicted" and "No successful coup" in v.caveat


def _jihad(africa: int, middle_east: int, first_year: int = 2020) -> dict[str, pd.DataFrame]:
    """ACD conflicts with side_b 'IS' (234) in `africa` African and `middle_east` Middle Eastern states."""
    af_states = [432, 436, 439, 475, 520, 541][:africa]
    me_states = [645, 652, 679, 660][:middle_east]
    years = range(first_year, 2025)
    acd, loc, cc = [], [], []
    cid = 1
    for gw in af_states + me_states:
        for y in years:
            acd.append({"conflict_id": cid, "year": y, "side_a_id": "1", "side_b_id": "234"})
            loc.append({"conflict_id": cid, "year": y, "country_id_gw": gw})
        cid += 1
    for gw in [432, 436, 439, 475, 520, 541, 645, 652, 679, 660]:
        for y in range(1990, 2025):
            cc.append(
                {
                    "country_id_gw": gw,
                    "year": y,
                    "is_africa": gw < 600,
                    "region": "Africa" if gw < 600 else "Middle East",
                    "country_id_iso3": f"C{gw}",
                }
            )
    actors = pd.DataFrame(
        {
            "ucdp_actor_id": pd.array([234, 999], dtype="Int64"),
            "ucdp_name": ["IS", "Other"],
            "affiliation": ["IS", "other"],
            "is_jihadist": pd.array([True, False], dtype="boolean"),
        }
    )
    return {
        "ucdp_conflict_years": pd.DataFrame(acd).astype({"conflict_id": "Int64", "year": "Int64"}),
        "ucdp_conflict_locations": pd.DataFrame(loc).astype("Int64"),
        "country_codes": pd.DataFrame(cc).astype(
            {"is_africa": "boolean", "year": "Int64", "country_id_gw": "Int64"}
        ),
        "curated.jihadist_actors": actors,
    }


def test_africa_vs_middle_east():
    v = cl.islamist_groups_africa_vs_middle_east(_jihad(4, 2))
    assert v.our_number == 2 and v.verdict == "supported"
    assert cl.islamist_groups_africa_vs_middle_east(_jihad(2, 3)).verdict == "contradicted"
    assert cl.islamist_groups_africa_vs_middle_east(_jihad(2, 2)).verdict == "contradicted"


def test_actor_emergence():
    t = _jihad(3, 1, first_year=2015)
    v = cl.aq_is_affiliates_emerged_africa_21c(t, threshold=1)
    assert v.our_number == 1 and v.verdict == "supported"  # IS is one actor however many countries
    assert v.detail.loc[0, "first_year"] == 2015 and v.detail.loc[0, "countries_n"] == 3
    assert cl.aq_is_affiliates_emerged_africa_21c(t).verdict == "contradicted"  # 'many' needs 5


def _personnel(values: dict[int, int]) -> dict[str, pd.DataFrame]:
    yt = pd.DataFrame(
        {
            "year": pd.array(list(values), dtype="Int64"),
            "personnel_total_n": pd.array(list(values.values()), dtype="Int64"),
        }
    )
    return {"un_personnel_yearly_total": yt}


def test_downsizing():
    # issue 10 item 12: the recent fall is ranked among all windows of its length
    slow = {y: round(100_000 * 0.99 ** (y - 1985)) for y in range(1985, 2016)}  # -1 % a year
    slow[2015] = 200_000
    slow.update({y: round(200_000 * 0.7 ** ((y - 2015) / 6)) for y in range(2016, 2022)})  # -30 % by 2021
    v = cl.downsizing_historically_rapid(_personnel(slow))
    n = int(v.sensitivity.loc[0, "windows_n"])
    assert v.sensitivity.loc[0, "rank"] == 1 and v.our_number == pytest.approx((n - 1) / n, abs=1e-3)
    assert v.verdict == "supported" and v.sensitivity.loc[0, "change"] == pytest.approx(-0.3)
    steep = {y: round(1_000_000 * 0.9 ** (y - 1985)) for y in range(1985, 2015)}  # -47 % in six years
    steep.update({y: slow[y] for y in range(2015, 2022)})
    v = cl.downsizing_historically_rapid(_personnel(steep))
    assert v.verdict == "contradicted" and v.sensitivity.loc[0, "rank"] >= 15 and v.our_number < 0.75
    assert "ranks" in v.caveat and "SIPRI" in v.caveat


def test_dates_and_names():
    um = pd.DataFrame(
        {
            "mission_id_un": ["UNTAET", "UNMIK", "UNAMA", "UNAMI", "UNIKOM"],
            "date_start": pd.to_datetime(["1999-10-25", "1999-06-10", None, None, "1991-04-01"]),
            "is_peacekeeping": pd.array([True, True, False, False, True], dtype="boolean"),
            "host_iso3": ["TLS", "SRB;XKX", "AFG", "IRQ", "IRQ;KWT"],
        }
    )
    v = cl.untaet_unmik_established_1999({"un_missions": um})
    assert v.our_number == 1999 and v.verdict == "supported"
    um2 = um.assign(date_start=pd.to_datetime(["2000-01-01", "1999-06-10", None, None, "1991-04-01"]))
    v = cl.untaet_unmik_established_1999({"un_missions": um2})
    assert v.verdict == "partly supported" and "UNTAET 2000" in str(v.our_number)
    v = cl.un_political_missions_afghanistan_iraq({"un_missions": um})
    assert v.our_number == 2 and v.verdict == "supported"
    hosts = pd.DataFrame(
        {"mission_id_un": ["UNIKOM", "UNIKOM", "UNAMA"], "country_id_iso3": ["IRQ", "KWT", "AFG"]}
    )
    cy = pd.DataFrame(
        {
            "country_id_gw": pd.array([645, 700], dtype="Int64"),
            "year": pd.array([2003, 2005], dtype="Int64"),
            "un_pko_ids": pd.array(["UNIKOM", None], dtype="string"),
        }
    )
    v = cl.no_un_pko_in_afghanistan_iraq({"un_missions": um, "un_mission_hosts": hosts, "country_years": cy})
    assert v.our_number == 0 and v.verdict == "supported" and "UNIKOM (established 1991)" in v.caveat
    um3 = pd.concat(
        [
            um,
            pd.DataFrame(
                {
                    "mission_id_un": ["UNNEW"],
                    "date_start": pd.to_datetime(["2004-01-01"]),
                    "is_peacekeeping": pd.array([True], dtype="boolean"),
                    "host_iso3": ["AFG"],
                }
            ),
        ]
    )
    hosts3 = pd.concat([hosts, pd.DataFrame({"mission_id_un": ["UNNEW"], "country_id_iso3": ["AFG"]})])
    v = cl.no_un_pko_in_afghanistan_iraq(
        {"un_missions": um3, "un_mission_hosts": hosts3, "country_years": cy}
    )
    assert v.our_number == 1 and v.verdict == "contradicted"


def _partners(**over) -> pd.DataFrame:
    p = pd.DataFrame(
        {
            "operation_id": ["amisom", "atmis", "mnjtf", "ecomil", "ecomici"],
            "organisation": ["AU", "AU", "LCBC", "ECOWAS", "ECOWAS"],
            "host_iso3": ["SOM", "SOM", "NGA;CMR;TCD;NER;BEN", "LBR", "CIV"],
            "date_start": pd.to_datetime(
                ["2007-01-19", "2022-04-01", "2014-10-07", "2003-08-01", "2002-09-29"]
            ),
            "date_start_precision": ["day", "day", "day", "month", "day"],
            "date_end": pd.to_datetime(["2022-03-31", None, None, "2003-10-01", "2004-04-04"]),
            "unsc_resolutions": ["S/RES/1744", None, None, None, None],
        }
    )
    for k, v in over.items():
        p[k] = v
    return p


def _bara(names_hosts: list[tuple[str, int, int]]) -> pd.DataFrame:
    n = pd.DataFrame(
        [
            {
                "operation_id": name.lower(),
                "operation_name": name,
                "country_id_cow": cow,
                "year": y,
                "month": 1,
                "is_un": False,
                "country_id_gw": cow,
            }
            for name, cow, y in names_hosts
        ]
    )
    return n.astype({"is_un": "boolean", "country_id_cow": "Int64", "year": "Int64"})


def test_partner_operation_claims():
    p = _partners()
    n = _bara([("AMISOM", 520, 2007), ("ECOMOG", 450, 1995), ("ECOWAS", 451, 1998)])
    v = cl.amisom_established_2007({"curated.partner_operations": p, "nonun_operations_monthly": n})
    assert v.our_number == 2007 and v.verdict == "supported" and "S/RES/1744" in v.caveat
    p2 = _partners(date_start=pd.to_datetime(["2008-01-01", "2022-06-01", "2014-10-07", "2003-08-01", None]))
    v = cl.amisom_established_2007({"curated.partner_operations": p2, "nonun_operations_monthly": n})
    assert v.verdict == "partly supported"
    assert cl.atmis_from_april_2022({"curated.partner_operations": p}).verdict == "supported"
    assert cl.atmis_from_april_2022({"curated.partner_operations": p2}).verdict == "partly supported"
    v = cl.mnjtf_five_countries({"curated.partner_operations": p})
    assert v.our_number == 5 and v.verdict == "supported"
    p3 = _partners(host_iso3=["SOM", "SOM", "NGA;CMR;TCD;NER", "LBR", "CIV"])
    assert cl.mnjtf_five_countries({"curated.partner_operations": p3}).verdict == "partly supported"
    v = cl.ecowas_ipos_liberia_sierra_leone_cote_divoire(
        {"curated.partner_operations": p, "nonun_operations_monthly": n}
    )
    assert v.our_number == 3 and v.verdict == "supported"
    v = cl.ecowas_ipos_liberia_sierra_leone_cote_divoire(
        {"curated.partner_operations": p.iloc[:3], "nonun_operations_monthly": n.iloc[:2]}
    )
    assert v.our_number == 1 and v.verdict == "partly supported"


def test_minusma_closure():
    md = pd.DataFrame(
        {
            "mission_id_un": ["MINUSMA", "MINUSMA"],
            "resolution": ["S/RES/2640", "S/RES/2690"],
            "resolution_type": ["renewal", "termination"],
            "adoption_date": pd.to_datetime(["2022-06-29", "2023-06-30"]),
            "note": [None, "withdrawal by 2023-12-31"],
        }
    )
    f = _fat(
        [
            ("MINUSMA", "illness", "Military", 1, "2023-11-10"),
            ("UNMISS", "illness", "Military", 1, "2025-01-01"),
        ]
    )
    v = cl.minusma_closure_decided_2023_06_30({"curated.mandates": md, "un_fatalities": f})
    assert v.our_number == "2023-06-30" and v.verdict == "supported" and "withdrawal by" in v.caveat
    f2 = _fat(
        [
            ("MINUSMA", "illness", "Military", 1, "2024-03-01"),
            ("UNMISS", "illness", "Military", 1, "2025-01-01"),
        ]
    )
    v = cl.minusma_closure_decided_2023_06_30({"curated.mandates": md, "un_fatalities": f2})
    assert v.verdict == "partly supported"


def test_us_withdrawal():
    cc = pd.DataFrame(
        {
            "country_id_gw": pd.array([700] * 6, dtype="Int64"),
            "year": pd.array(range(2019, 2025), dtype="Int64"),
            "us_troops_n": pd.array([26_000, 17_200, 6, 0, 0, 0], dtype="Int64"),
        }
    )
    v = cl.us_withdrawal_afghanistan_2021({"country_covariates": cc})
    assert v.our_number == 2021 and v.verdict == "supported"
    cc2 = cc.assign(us_troops_n=pd.array([26_000, 17_200, 2_500, 0, 0, 0], dtype="Int64"))
    assert cl.us_withdrawal_afghanistan_2021({"country_covariates": cc2}).verdict == "partly supported"


def test_ipos_africa_middle_east():
    my = pd.DataFrame(
        [
            {"mission_id_un": m, "year": y}
            for y in range(2000, 2025)
            for m in (["A1", "A2", "A3", "UNTSO", "ME1"] if y >= 2003 else ["A1", "UNTSO", "ME1", "ME2"])
        ]
    )
    um = pd.DataFrame(
        {
            "mission_id_un": ["A1", "A2", "A3", "UNTSO", "ME1", "ME2"],
            "host_iso3": ["C432", "C436", "C439;C475", "C651;C666;C663;C660;C652", "C660", "C645"],
        }
    )
    cc = pd.DataFrame(
        [
            {
                "country_id_gw": gw,
                "year": y,
                "is_africa": gw < 600 or gw == 651,
                "region": "Africa" if gw < 600 else "Middle East",
                "country_id_iso3": f"C{gw}",
            }
            for gw in (432, 436, 439, 475, 651, 666, 663, 660, 652, 645)
            for y in (2000, 2024)
        ]
    )
    cc["is_africa"] = cc["is_africa"].astype("boolean")
    n = _bara([("ECOMIL", 450, 2003)])
    t = {"mission_years": my, "un_missions": um, "nonun_operations_monthly": n, "country_codes": cc}
    v = cl.ipos_many_in_africa_few_in_middle_east(t)
    assert v.our_number == pytest.approx(22 / 25) and v.verdict == "partly supported"  # UNTSO is Middle East
    assert "2000 (1 vs 3)" in v.caveat
    assert cl.mission_region(um, cc)["UNTSO"] == "Middle East"


def test_not_testable_functions():
    for cid in ("amisom_atmis_thousands_casualties", "amisom_deadliest_case"):
        v = cl.EVALUATORS[cid]({})
        assert v.verdict == "not testable" and v.our_number is None


def _neutralisation(offensive: list[bool | None], *, curated: list[bool] = (True,),
                    pema: list[bool] = (False, True)) -> dict[str, pd.DataFrame]:
    """MINUSMA's mandate resolutions 1, 2, ... with Chapter VII and use of force True and the given
    offensive values; MONUSCO resolution 99 with an offensive task; one robust-posture paragraph."""
    rows = []
    for i, off in enumerate(offensive, start=1):
        for concept, value in (("is_chapter_vii", True), ("has_use_of_force", True),
                               ("has_offensive_mandate", off)):
            rows.append({"resolution_number": i, "mission_id_un": "MINUSMA", "concept": concept,
                         "value": value,
                         "decision": "undecided" if value is None else "text" if value else "absent",
                         "role": "establishes" if i == 1 else "renews",
                         "adoption_date": pd.Timestamp(f"{2012 + i}-06-28"),
                         "evidence_label": "op 9" if value else None,
                         "evidence_quote": "to neutralize armed groups" if value else None})
    rows.append({"resolution_number": 99, "mission_id_un": "MONUSCO", "concept": "has_offensive_mandate",
                 "value": True, "decision": "text", "role": "modifies",
                 "adoption_date": pd.Timestamp("2013-03-28"), "evidence_label": "op 9",
                 "evidence_quote": "an Intervention Brigade ... neutralizing armed groups"})
    cod = pd.DataFrame(rows).astype({"value": "boolean"})
    par = pd.DataFrame({"resolution_number": [1, 1, 2], "paragraph_seq": [1, 2, 1],
                        "kind": ["preambular", "operative", "operative"],
                        "label": ["pre #1", "op 18", "op 3"],
                        "text": ["Acting under Chapter VII of the Charter,",
                                 "Requests MINUSMA to move to a more proactive and robust posture;",
                                 "Decides to extend the mandate of MINUSMA;"]})
    cur = pd.DataFrame({"mission_id_un": "MINUSMA",
                        "resolution": [f"S/RES/{i}" for i in range(1, len(curated) + 1)],
                        "has_offensive_mandate": list(curated)}).astype({"has_offensive_mandate": "boolean"})
    mm = pd.DataFrame({"mission_id_un": "MINUSMA", "year": 2016, "month": range(1, len(pema) + 1),
                       "has_offensive_mandate_pema_v1_2": list(pema)}).astype(
                           {"has_offensive_mandate_pema_v1_2": "boolean"})
    return {"sc_mandate_codings": cod, "sc_paragraphs": par, "curated.mandates": cur, "mandates_monthly": mm}


def test_minusma_neutralisation_from_the_texts():
    v = cl.minusma_no_neutralization_mandate(_neutralisation([False, False, False]))
    assert v.verdict == "supported" and v.our_number == 0 and v.essay_number is None
    assert "Chapter VII in 3" in v.caveat and "MONUSCO from S/RES/99 (2013)" in v.caveat
    assert "more proactive and robust posture" in v.caveat  # the closest wording is quoted
    assert list(v.detail["resolution"]) == ["S/RES/1 (2013)", "S/RES/2 (2014)", "S/RES/3 (2015)"]
    assert v.detail.loc[0, "posture_paragraphs"] == "op 18" and v.detail.loc[1, "posture_paragraphs"] == ""
    sens = v.sensitivity.set_index("variant")
    assert sens.iloc[2][["true_n", "coded_n"]].tolist() == [1, 1]  # curated: robust posture read as offensive
    assert sens.iloc[3][["true_n", "coded_n"]].tolist() == [1, 2]  # PEMA v1.2 mission-months
    # undecided resolutions: not confirmed
    assert cl.minusma_no_neutralization_mandate(_neutralisation([False, None])).verdict == "partly supported"
    # a neutralisation task in some resolutions, or in all
    v = cl.minusma_no_neutralization_mandate(_neutralisation([False, True]))
    assert v.verdict == "partly supported" and v.our_number == 1
    assert v.detail.loc[1, "offensive_evidence"] == "op 9: to neutralize armed groups"
    assert cl.minusma_no_neutralization_mandate(_neutralisation([True, True])).verdict == "contradicted"
    with pytest.raises(cl.ClaimError, match="no mandate resolution of MINUSMA"):
        t = _neutralisation([False])
        cod = t["sc_mandate_codings"]
        t["sc_mandate_codings"] = cod[cod["mission_id_un"] != "MINUSMA"]
        cl.minusma_no_neutralization_mandate(t)


def test_claim_titles_are_plain():
    assert cl.claim_title("minusma_hostile_deaths_2013_2017") == "MINUSMA hostile deaths 2013–2017"
    assert cl.claim_title("minusma_deaths_to_2023_06_30") == "MINUSMA deaths to 2023-06-30"
    assert cl.claim_title("poc_always_with_chapter_vii") == "PoC always with Chapter VII"


def test_evaluate_all_with_a_fake_loader(load_once):
    calls: list[str] = []

    def load(name: str) -> pd.DataFrame:
        calls.append(name)
        return _fat([("MINUSMA", "hostile", "Military", 309, "2020-01-01")])

    vs = cl.evaluate_all(load, claims="minusma_deaths_to_2023_06_30,amisom_deadliest_case")
    assert [v.claim_id for v in vs] == ["minusma_deaths_to_2023_06_30", "amisom_deadliest_case"]
    assert calls == ["un_fatalities"]
    assert vs[0].verdict == "supported" and vs[1].verdict == "not testable"
    assert "non-UN operations" in vs[1].caveat  # the file's reason
    vs = cl.evaluate_all(load, claims="minusma_deaths_to_2023_06_30", tolerance=0.0)
    assert vs[0].verdict == "supported"  # 309 exactly
    t = cl.verdict_table(vs, load_once(cl.load_claims, REAL))
    assert list(t.columns)[:5] == ["claim_id", "quotation", "section", "our_number", "essay_number"]
    assert t.loc[0, "our_number"] == "309"


def test_essay_number_mismatch_is_an_error(tmp_path):
    df = _raw()
    i = int(df.index[df["claim_id"] == "minusma_deaths_to_2023_06_30"][0])
    df.loc[i, "essay_number"] = "310"
    table = cl.load_claims(_write(df, tmp_path))
    line = csv_record_lines(cl.claims_path())[i]
    with pytest.raises(DataError, match=rf"column 'essay_number', line {line}"):
        cl.evaluate_all(
            lambda n: _fat([("MINUSMA", "hostile", "Military", 1, "2020-01-01")]),
            claims="minusma_deaths_to_2023_06_30",
            claims_table=table,
        )
