"""Authorised ceilings: one synthetic paragraph per wording class (mandate_ceiling_text) and the
ceiling in force month by month from synthetic statements (mandate_ceiling_months)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.core import mandate_ceiling_gold as mg
from analysis.core import mandate_ceiling_months as cm
from analysis.core import mandate_ceilings as mce
from analysis.core.mandate_ceiling_text import read_paragraph
from analysis.core.resolutions import name_pattern
from analysis.errors import DataError

ADOPTED = pd.Timestamp("2010-05-28")
MINE = re.compile(name_pattern(("MISSIONX", "the Mission")))
OTHER = re.compile(name_pattern(("OTHERM",)))


def _read(text: str) -> list[tuple]:
    return [
        (s.component, s.operation, s.value_n)
        for s in read_paragraph(text, ADOPTED, mission_re=MINE, other_re=OTHER)
    ]


# ------------------------------------------------------------------- wording classes, one each
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Authorizes an increase of 750 military personnel in MISSIONX's authorized strength;",
            [("military", "increase", 750.0)],
            id="authorizes-an-increase-of",
        ),
        pytest.param(
            "Decides to increase the military component of MISSIONX to a strength of 17,500 personnel;",
            [("military", "set", 17500.0)],
            id="increase-the-component-to",
        ),
        pytest.param(
            "Decides to expand MISSIONX to a maximum of 15,000 troops;",
            [("military", "set", 15000.0)],
            id="expand-to-a-maximum-of",
        ),
        pytest.param(
            "Decides to raise the ceiling of MISSIONX's police component to 1,515 personnel;",
            [("police", "set", 1515.0)],
            id="raise-the-ceiling",
        ),
        pytest.param(
            "Decides to reduce the military component of MISSIONX by 2,000 troops;",
            [("military", "decrease", 2000.0)],
            id="reduce-by",
        ),
        pytest.param(
            "Decides that MISSIONX shall consist of up to 11,100 military personnel, including up to 260 "
            "military observers, and up to 1,800 police personnel, including 1,400 formed police unit "
            "personnel and 400 individual police officers;",
            [("military", "set", 11100.0), ("police", "set", 1800.0)],
            id="total-including-parts-counts-the-total",
        ),
        pytest.param(
            "Authorizes the deployment of five formed police units of 125 officers each for MISSIONX;",
            [("police", "set", 625.0)],
            id="units-in-words-times-size",
        ),
        pytest.param(
            "Decides that the authorized ceilings of MISSIONX's military and police components shall "
            "remain at 1,240 and 606 personnel, respectively;",
            [("military", "set", 1240.0), ("police", "set", 606.0)],
            id="military-and-police-respectively",
        ),
        pytest.param(
            "Decides that MISSIONX shall comprise up to 3,300 civilian police personnel and up to 16 "
            "Formed Police Units;",
            [("police", "unknown", None)],
            id="units-of-unstated-size-are-unknown",
        ),
        pytest.param(
            "Authorizes the Secretary-General to redeploy up to 200 military personnel from OTHERM to "
            "MISSIONX;",
            [],
            id="inter-mission-transfer-is-no-ceiling",
        ),
        pytest.param(
            "Recalls its decision to increase the authorized strength of MISSIONX by 2,750 military "
            "personnel;",
            [],
            id="recalled-decision-is-no-statement",
        ),
        pytest.param(
            "Decides that MISSIONX shall be composed of a minimum of 1,040 police;",
            [],
            id="a-minimum-is-no-ceiling",
        ),
        pytest.param(
            "Authorizes an increase of OTHERM's military personnel by 500 troops;",
            [],
            id="another-missions-ceiling",
        ),
    ],
)
def test_each_wording_class_is_read(text, expected):
    assert _read(text) == expected


def test_from_old_to_new_sets_the_new_level_and_keeps_the_old_as_a_check():
    (s,) = read_paragraph(
        "Decides to reduce the military component of MISSIONX from 5,437 to 4,000 troops;",
        ADOPTED,
        mission_re=MINE,
        other_re=OTHER,
    )
    assert (s.component, s.operation, s.value_n, s.old_n) == ("military", "set", 4000.0, 5437.0)


def test_temporary_increase_ends_at_its_until_date():
    (s,) = read_paragraph(
        "Authorizes a temporary increase of MISSIONX's military personnel by 2,000 until 30 June 2011;",
        ADOPTED,
        mission_re=MINE,
        other_re=OTHER,
    )
    assert (s.operation, s.value_n, s.is_temporary) == ("increase", 2000.0, True)
    assert s.until == pd.Timestamp("2011-06-30") and s.effective is None  # from adoption


def test_conditional_decrease_takes_effect_at_its_date():
    (s,) = read_paragraph(
        "Decides that, as of 15 April 2011, the authorized troop ceiling of MISSIONX shall decrease by "
        "541 troops, unless it decides to extend the mandate modification;",
        ADOPTED,
        mission_re=MINE,
        other_re=OTHER,
    )
    assert (s.operation, s.value_n, s.is_conditional) == ("decrease", 541.0, True)
    assert s.effective == pd.Timestamp("2011-04-15")


def test_every_statement_keeps_its_rule_ids_and_span():
    text = "Decides to expand MISSIONX to a maximum of 15,000 troops;"
    (s,) = read_paragraph(text, ADOPTED, mission_re=MINE, other_re=OTHER)
    assert "role_set" in s.rule_ids.split(";")
    assert "15,000" in text[s.start : s.end]


# ---------------------------------------------------------------------- the ceiling in force
def _statements(rows: list[dict]) -> pd.DataFrame:
    base = {
        "old_n": None,
        "until_date": None,
        "is_temporary": False,
        "is_conditional": False,
        "extends_resolutions": None,
        "rule_ids": "synthetic",
        "evidence_label": "op 1",
        "evidence_quote": "synthetic",
        "cancelled_by": None,
        "paragraph_seq": 1,
    }
    out = []
    for i, r in enumerate(rows, start=1):
        row = {**base, "statement_n": i, **r}
        row.setdefault("adoption_date", row["effective_date"])
        out.append(row)
    return mce._cast(pd.DataFrame(out, columns=list(mce.SCHEMA_CEILINGS.columns)))


def _at(f: pd.DataFrame, mission: str, year: int, month: int) -> pd.Series:
    return f.set_index(["mission_id_un", "year", "month"]).loc[(mission, year, month)]


def test_total_is_na_until_the_police_ceiling_is_known_never_police_as_zero():
    st = _statements(
        [
            {"resolution_number": 1, "mission_id_un": "UNMIL", "component": "military", "operation": "set",
             "value_n": 15000.0, "effective_date": pd.Timestamp("2003-09-19")},
            {"resolution_number": 2, "mission_id_un": "UNMIL", "component": "police", "operation": "set",
             "value_n": 1115.0, "effective_date": pd.Timestamp("2004-03-10")},
        ]
    )
    f = cm.ceilings_in_force(st)
    before, after = _at(f, "UNMIL", 2003, 12), _at(f, "UNMIL", 2004, 3)
    assert before["personnel_military_authorized_n"] == 15000
    assert pd.isna(before["personnel_authorized_n"]) and pd.isna(before["personnel_police_authorized_n"])
    assert "no police ceiling" in before["reason_police"]
    assert after["personnel_authorized_n"] == 16115 and after["basis"] == mce.BASIS[0]
    assert after["evidence_police"] == 2 and after["evidence_military"] == 1
    assert pd.isna(_at(f, "UNMIL", 2003, 8)["personnel_military_authorized_n"])  # before any statement


def test_temporary_increase_lapses_and_changes_of_unknown_levels_stay_unknown():
    st = _statements(
        [
            {"resolution_number": 1, "mission_id_un": "UNMIL", "component": "military", "operation": "set",
             "value_n": 8000.0, "effective_date": pd.Timestamp("2010-01-15")},
            {"resolution_number": 1, "mission_id_un": "UNMIL", "component": "police", "operation": "set",
             "value_n": 1000.0, "effective_date": pd.Timestamp("2010-01-15")},
            {"resolution_number": 2, "mission_id_un": "UNMIL", "component": "military",
             "operation": "increase", "value_n": 500.0, "effective_date": pd.Timestamp("2010-03-01"),
             "until_date": pd.Timestamp("2010-06-30"), "is_temporary": True},
            {"resolution_number": 3, "mission_id_un": "UNOCI", "component": "military",
             "operation": "increase", "value_n": 500.0, "effective_date": pd.Timestamp("2010-03-01")},
        ]
    )
    f = cm.ceilings_in_force(st)
    assert _at(f, "UNMIL", 2010, 6)["personnel_authorized_n"] == 9500
    assert _at(f, "UNMIL", 2010, 7)["personnel_authorized_n"] == 9000
    unoci = _at(f, "UNOCI", 2010, 4)
    assert pd.isna(unoci["personnel_military_authorized_n"]) and pd.isna(unoci["personnel_authorized_n"])


def test_a_component_the_mandate_lacks_counts_zero_and_says_so():
    st = _statements(
        [
            {"resolution_number": 1, "mission_id_un": "UNIFIL", "component": "military", "operation": "set",
             "value_n": 15000.0, "effective_date": pd.Timestamp("2006-08-11")},
        ]
    )
    x = _at(cm.ceilings_in_force(st), "UNIFIL", 2007, 1)
    assert x["personnel_police_authorized_n"] == 0 and x["personnel_authorized_n"] == 15000
    assert x["basis"] == "text (military; no police component)"
    assert cm.basis_of(pd.Series(["UNIFIL", "UNMIL"]), pd.Series([15000.0, None])).tolist()[0] == x["basis"]


def test_ceiling_components_need_a_note():
    with pytest.raises(ValueError, match="XMIS: ceiling_components must be military and/or police"):
        mce._components({"id": "XMIS", "ceiling_components": ["military"]})
    with pytest.raises(ValueError, match="XMIS"):
        mce._components({"id": "XMIS", "ceiling_components": ["navy", "police"]})
    assert mce._components({"id": "XMIS"}) == ("military", "police")


# ------------------------------------------------------------------------------ the gold set
GOLD_HEAD = ",".join(mg.CEILING_GOLD_COLUMNS) + "\n"


def _gold_rows(tmp_path, rows: str):
    p = tmp_path / "gold.csv"
    p.write_text(GOLD_HEAD + rows, encoding="utf-8")
    return p


def test_gold_loader_names_file_column_and_line(tmp_path):
    ok = "1,UNMIL,5,op 1,coded,military,set 100,set 100,agree,read,7\n"
    assert len(mg.load_ceiling_gold(_gold_rows(tmp_path, ok))) == 1
    cases = {
        "1,UNMIL,5,op 1,coded,military,set 100,set 90,agree,read,7\n": ("verdict", "line 2"),
        "1,UNMIL,5,op 1,coded,navy,set 100,set 100,agree,read,7\n": ("component", "line 2"),
        ok + "1,UNMIL,5,op 1,coded,military,set 100,set 100,agree, ,7\n": ("reason", "line 3"),
        ok + ok: ("duplicate", "line 3"),
    }
    for rows, (what, line) in cases.items():
        with pytest.raises(DataError) as e:
            mg.load_ceiling_gold(_gold_rows(tmp_path, rows))
        assert what in str(e.value) and line in str(e.value), str(e.value)


def test_gold_scores_count_wrong_missing_and_extra_statements():
    st = _statements(
        [
            {"resolution_number": 1, "mission_id_un": "UNMIL", "component": "military", "operation": "set",
             "value_n": 15000.0, "effective_date": pd.Timestamp("2003-09-19")},
            {"resolution_number": 1, "mission_id_un": "UNMIL", "component": "police", "operation": "set",
             "value_n": 1000.0, "effective_date": pd.Timestamp("2003-09-19")},  # gold: 1,115
            {"resolution_number": 2, "mission_id_un": "UNMIL", "component": "military",
             "operation": "increase", "value_n": 50.0, "effective_date": pd.Timestamp("2004-01-01"),
             "paragraph_seq": 9},  # gold: none (extra)
        ]
    )
    assert mg.statement_label(st.iloc[0]) == "set 15000"
    gold = pd.DataFrame(
        {
            "resolution_number": [1, 1, 2, 3],
            "mission_id_un": ["UNMIL"] * 4,
            "paragraph_seq": [1, 1, 9, 4],
            "component": ["military", "police", "none", "police"],
            "gold_statement": ["set 15000", "set 1115", "none", "increase 240"],  # the last one is missed
        }
    )
    s = mg.ceiling_gold_scores(st, gold)
    assert (s["n_coded"], s["n_gold"]) == (3, 3)
    assert s["precision"] == pytest.approx(1 / 3) and s["recall"] == pytest.approx(1 / 3)


def test_labels_give_dates_that_differ_from_adoption():
    st = _statements(
        [{"resolution_number": 1, "mission_id_un": "UNOCI", "component": "military", "operation": "decrease",
          "value_n": 541.0, "effective_date": pd.Timestamp("2019-04-15"),
          "adoption_date": pd.Timestamp("2018-11-15"),
          "until_date": pd.Timestamp("2019-10-01")}]
    )
    assert mg.statement_label(st.iloc[0]) == "decrease 541 from 2019-04-15 until 2019-10-01"
