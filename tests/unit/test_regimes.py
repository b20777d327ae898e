"""CoupCats military-regime months and leader spells: loaders on fixtures in the upstream format,
and the state-month rules of ``regime_months`` (span, overlaps, gaps)."""

import pandas as pd
import pytest

from analysis.core import regimes
from analysis.errors import DataError
from analysis.sources import coups_coupcats_thyne as cc


@pytest.fixture
def mil_file(fixtures):
    return fixtures / "coups_coupcats_thyne" / cc.FILE_MILITARY


@pytest.fixture
def leader_file(fixtures):
    return fixtures / "coups_coupcats_thyne" / cc.FILE_LEADERS


def test_fixtures_have_crlf_like_upstream(mil_file, leader_file):
    assert b"\r\n" in mil_file.read_bytes() and b"\r\n" in leader_file.read_bytes()


def test_military_months_one_row_per_month_types_joined(mil_file):
    m = cc.load_military_regime_months(mil_file)
    assert len(m) == 7  # Chad 2021-04 listed twice
    chad = m[(m["country_id_cow"] == 483) & (m["month"] == 4)]
    assert chad["regime_type"].iloc[0] == "Party-Personal-Military Hybrid; Military"
    assert list(m.columns) == ["country_id_cow", "country_name", "year", "month", "regime_type"]


def test_military_months_unknown_type_names_row(mil_file, tmp_path):
    raw = mil_file.read_bytes().replace(b"2012,4,Provisional - Military", b"2012,4,Junta", 1)
    p = tmp_path / cc.FILE_MILITARY
    p.write_bytes(raw)
    with pytest.raises(DataError, match="column 'reign_type', line 2"):
        cc.load_military_regime_months(p)


def test_leader_spells_quirks(leader_file):
    sp = cc.load_leader_spells(leader_file)
    assert len(sp) == 8
    suga = sp[sp["leader_name"] == "Suga"].iloc[0]
    assert pd.isna(suga["end_month"]) and suga["end_year"] == 2021  # month 20 -> NA
    ice = sp[sp["country_id_cow"] == 395].iloc[0]
    assert pd.isna(ice["start_month"]) and ice["leader_military_career"] == 0.5
    bfa = sp[sp["leader_name"] == "Traoré"].iloc[0]
    assert pd.isna(bfa["end_year"]) and pd.isna(bfa["leader_military_career"])  # ongoing; -99 -> NA


def test_leader_spell_ending_before_start_is_an_error(leader_file, tmp_path):
    text = leader_file.read_text(encoding="utf-8").replace("4,9,2013,8,2020", "4,9,2013,8,2010")
    p = tmp_path / cc.FILE_LEADERS
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="eyear"):
        cc.load_leader_spells(p)


def _months(cow, years):
    rows = [(cow, y, m) for y in range(years[0], years[1] + 1) for m in range(1, 13)]
    return pd.DataFrame(rows, columns=["country_id_cow", "year", "month"]).astype("Int64")


def test_military_regime_false_inside_span_na_after(mil_file):
    m = cc.load_military_regime_months(mil_file)  # last listed month: 2022-03
    x = regimes.military_by_month(_months(439, (2021, 2022)), m)
    by = x.set_index(["year", "month"])["is_military_regime"]
    assert by[(2021, 6)] is False or by[(2021, 6)] == False  # noqa: E712  not listed, inside span
    assert by[(2022, 2)] == True  # noqa: E712
    assert pd.isna(by[(2022, 4)])  # after the file's last month: unknown, not False


def test_leader_tenure_overlaps_gaps_and_ongoing(leader_file):
    sp = cc.load_leader_spells(leader_file)
    x = regimes.leaders_by_month(_months(432, (2012, 2021)), sp).set_index(["year", "month"])
    assert x.loc[(2012, 3), "leader_name"] == "Sanogo"  # Toure ends 2012-03, Sanogo starts: the later start
    assert x.loc[(2012, 3), "leader_tenure_months"] == 0
    assert x.loc[(2013, 8), "leader_name"] == "Traore" and x.loc[(2013, 8), "leader_tenure_months"] == 16
    assert x.loc[(2013, 9), "leader_name"] == "Keita"
    assert x.loc[(2012, 5), "is_leader_military"] == False  # noqa: E712  Traore: career 0
    assert pd.isna(x.loc[(2020, 9), "leader_name"])  # no spell after Keita in the fixture: a gap, NA
    assert pd.isna(x.loc[(2021, 1), "leader_tenure_months"])
    b = regimes.leaders_by_month(_months(439, (2022, 2026)), sp).set_index(["year", "month"])
    assert b.loc[(2026, 2), "leader_name"] == "Traoré" and b.loc[(2026, 2), "leader_tenure_months"] == 41
    assert pd.isna(b.loc[(2026, 3), "leader_name"])  # after the list's date
    assert pd.isna(b.loc[(2023, 1), "is_leader_military"])  # -99 unknown


def test_leader_end_known_to_year_covers_through_december(leader_file):
    sp = cc.load_leader_spells(leader_file)
    x = regimes.leaders_by_month(_months(740, (2021, 2022)), sp).set_index(["year", "month"])
    assert x.loc[(2021, 12), "leader_name"] == "Suga" and pd.isna(x.loc[(2022, 1), "leader_name"])


def test_regime_years_take_december_and_count_months():
    from analysis.panels.regime import add_regime, regime_years

    rm = pd.DataFrame({
        "country_id_gw": [432] * 24, "year": [2020] * 12 + [2021] * 12, "month": list(range(1, 13)) * 2,
        "is_military_regime": [False] * 7 + [True] * 5 + [True] * 11 + [None],
        "leader_tenure_months": list(range(80, 87)) + [0, 1, 2, 3, 4] + list(range(5, 17)),
        "is_leader_military": [False] * 7 + [True] * 17,
    }).astype({"is_military_regime": "boolean", "leader_tenure_months": "Int64",
               "is_leader_military": "boolean"})
    y = regime_years(rm).set_index("year")
    assert y.loc[2020, "is_military_regime"] == True and y.loc[2020, "military_regime_months_n"] == 5  # noqa: E712
    assert y.loc[2020, "leader_tenure_years"] == pytest.approx(4 / 12)
    assert pd.isna(y.loc[2021, "is_military_regime"]) and pd.isna(y.loc[2021, "military_regime_months_n"])
    cy = pd.DataFrame({"country_id_gw": [432, 432, 432], "year": [2019, 2020, 2021]}).astype("Int64")
    out = add_regime(cy, rm)
    assert len(out) == 3 and pd.isna(out.loc[0, "is_military_regime"])  # no months for 2019: NA, not False
