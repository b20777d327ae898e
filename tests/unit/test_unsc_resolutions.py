"""Security Council resolutions on small synthetic Akoma Ntoso + JSON Lines fixtures written in the
upstream format: parsing (split markup, sub-paragraphs, number checks), the mission map, the codings
with evidence and inheritance, the monthly mandate in force, the rules and the gold-set loader."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.core import mandate_ceilings as mce
from analysis.core import mandate_coding as mc
from analysis.core import mandate_months as mmo
from analysis.core import mandate_rules as mr
from analysis.core import mandate_validation as mv
from analysis.core import resolutions as rs
from analysis.errors import DataError
from analysis.sources import unsc_resolutions_unxml as ux

FX = Path(__file__).resolve().parents[1] / "fixtures" / "unsc_resolutions_unxml"


@pytest.fixture
def fx():
    return FX


# Parsing the fixture corpus and coding it are the costly steps (about 0.5 s each time): done once per
# module, each test gets its own copies of the frames (a test that changes one cannot affect another).
@pytest.fixture(scope="module")
def _parsed():
    corpus = ux.load_corpus(sorted(FX.glob("*.xml")), sorted(FX.glob("*.json")))
    res = rs.sc_resolutions_from(corpus.resolutions, corpus.paragraphs)
    par = corpus.paragraphs.copy()
    par["label"] = rs._paragraph_label(par)
    mr = rs.mission_resolutions_from(res, par)
    ceilings = mce.ceiling_statements(par, mr, res)
    cod, partners = mc.code_mandates(mr, par, res, ceilings)
    tables = {"res": res, "par": par, "mr": mr, "cod": cod, "partners": partners, "ceilings": ceilings}
    return corpus, tables


@pytest.fixture
def corpus(_parsed):
    c = _parsed[0]
    return ux.Corpus(c.resolutions.copy(), c.paragraphs.copy())


@pytest.fixture
def tables(_parsed):
    return {k: v.copy() for k, v in _parsed[1].items()}


def _value(cod, n, concept, mission="MINUSMA"):
    return cod.set_index(["resolution_number", "mission_id_un", "concept"]).loc[(n, mission, concept)]


# ------------------------------------------------------------------------------------- parsing
def test_split_chapter_vii_markup_is_found_after_text_extraction(fx, tables):
    raw = (fx / "S_RES_2100_2013_E.xml").read_text(encoding="utf-8")
    assert "Acting under Chapter VII" not in raw  # split by <span> in the bytes
    res = tables["res"].set_index("resolution_number")
    assert bool(res.loc[2100, "is_chapter_vii_text"]) is True
    assert bool(res.loc[2164, "is_chapter_vii_text"]) is False
    pre = tables["par"][
        (tables["par"]["resolution_number"] == 2100) & (tables["par"]["kind"] == "preambular")
    ]
    assert "Acting under Chapter VII of the Charter of the United Nations," in set(pre["text"])
    assert "Recalling its earlier decisions on the situation in Mali," in set(
        pre["text"]
    )  # whitespace collapsed


def test_paragraph_with_nested_subparagraphs_is_split_and_labelled(tables):
    p = tables["par"]
    op3 = p[(p["resolution_number"] == 2100) & (p["number"] == 3)]
    assert list(op3["subparagraph"].fillna("-")) == ["-", "a", "b", "b.i", "b.ii", "c"]
    assert list(op3["label"]) == ["op 3", "op 3(a)", "op 3(b)", "op 3(b.i)", "op 3(b.ii)", "op 3(c)"]
    assert op3["text"].iloc[1].startswith("to protect, without prejudice")
    heading = p[(p["resolution_number"] == 2100) & (p["kind"] == "heading")]
    assert list(heading["text"]) == ["Mandate of the Mission"]


def test_number_mismatch_is_an_error_naming_the_file(fx, tmp_path):
    bad = tmp_path / "S_RES_2101_2013_E.xml"  # the file says 2100 inside
    bad.write_bytes((fx / "S_RES_2100_2013_E.xml").read_bytes())
    with pytest.raises(DataError, match=r"S_RES_2101_2013_E\.xml.*FRBRthis.*2100.*2101"):
        ux.load_corpus([bad], [])


def test_malformed_xml_is_an_error_naming_the_file(tmp_path):
    bad = tmp_path / "S_RES_2200_2015_E.xml"
    bad.write_text("<akomaNtoso><statement name='resolution'>", encoding="utf-8")
    with pytest.raises(DataError, match=r"S_RES_2200_2015_E\.xml.*not well-formed"):
        ux.parse_xml(bad)


def test_metadata_are_json_lines_and_a_bad_line_is_named(fx, tmp_path):
    rows = ux.read_metadata(fx / "data_extract_2014.json")
    assert [r["resolution_number"] for r in rows] == [2164, 2165]
    assert rows[1]["is_chapter_vii_meta"] is None and rows[0]["is_chapter_vii_meta"] is False
    bad = tmp_path / "data_extract_2014.json"
    bad.write_text(
        (fx / "data_extract_2014.json").read_text(encoding="utf-8") + "{not json\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"data_extract_2014\.json.*line 3"):
        ux.read_metadata(bad)


def test_symbol_and_number_disagreeing_in_metadata_is_an_error(fx, tmp_path):
    text = (
        (fx / "data_extract_2013.json")
        .read_text(encoding="utf-8")
        .replace("Resolution 2100", "Resolution 2109")
    )
    bad = tmp_path / "data_extract_2013.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"data_extract_2013\.json.*resolution_number.*line 1"):
        ux.read_metadata(bad)


def test_missing_text_and_missing_metadata_are_recorded_not_errors(fx):
    c = ux.load_corpus(sorted(fx.glob("*.xml")), [fx / "data_extract_2014.json"])
    r = c.resolutions.set_index("resolution_number")
    assert not r.loc[2165, "has_text"] and r.loc[2165, "has_metadata"]
    assert r.loc[2165, "adoption_date"] == pd.Timestamp("2014-06-26")  # ISO-looking metadata date
    assert r.loc[2100, "has_text"] and not r.loc[2100, "has_metadata"]
    assert r.loc[2100, "adoption_date"] == pd.Timestamp("2013-04-25")  # from the XML


def test_a_second_version_of_a_resolution_is_recorded_and_not_used(fx, tmp_path):
    alt = tmp_path / "S_RES_2100_2013_E_alt1.xml"
    alt.write_bytes((fx / "S_RES_2100_2013_E.xml").read_bytes())
    c = ux.load_corpus([alt, fx / "S_RES_2100_2013_E.xml"], [])
    r = c.resolutions.set_index("resolution_number")
    assert r.loc[2100, "file"] == "S_RES_2100_2013_E.xml"
    assert r.loc[2100, "alternate_file"] == "S_RES_2100_2013_E_alt1.xml"
    assert bool(r.loc[2100, "is_alternate_text_identical"])


# --------------------------------------------------------------------------------- mission map
def test_mission_map_reads_roles_from_titles_and_text(tables):
    mr = tables["mr"].set_index(["resolution_number", "mission_id"])["role"]
    assert mr[(2100, "MINUSMA")] == "establishes"
    assert mr[(2164, "MINUSMA")] == "renews"
    assert mr[(2100, "FRENCH_FORCES")] == "authorises"
    assert (2165, "MINUSMA") not in mr.index  # named nowhere


# ------------------------------------------------------------------------------------- codings
def test_codings_of_an_establishing_resolution_with_evidence(tables):
    cod = tables["cod"]
    ch7 = _value(cod, 2100, "is_chapter_vii")
    assert bool(ch7["value"]) and ch7["decision"] == "text" and ch7["evidence_label"].startswith("pre")
    poc = _value(cod, 2100, "has_poc_mandate")
    assert bool(poc["value"]) and poc["evidence_label"] == "op 3(a)"
    uof = _value(cod, 2100, "has_use_of_force")
    assert (
        bool(uof["value"])
        and uof["evidence_label"] == "op 4"
        and "all necessary means" in uof["evidence_quote"]
    )
    assert bool(_value(cod, 2100, "has_stabilisation_mandate")["value"])  # not from the mission's name
    off = _value(cod, 2100, "has_offensive_mandate")
    assert off["value"] is False or not bool(off["value"])
    assert off["decision"] == "absent"
    assert _value(cod, 2100, "personnel_military_authorized_n")["value_n"] == 11200
    assert _value(cod, 2100, "personnel_police_authorized_n")["value_n"] == 1440
    assert (cod["evidence_quote"].dropna().str.len() <= 300).all()


def test_calls_on_the_parties_to_take_all_necessary_measures_is_not_a_use_of_force(fx, tmp_path):
    text = (fx / "S_RES_2100_2013_E.xml").read_text(encoding="utf-8")
    text = re.sub(r'<paragraph eId="para_5".*?</paragraph>', "", text, flags=re.S)
    f = tmp_path / "S_RES_2100_2013_E.xml"
    f.write_text(text, encoding="utf-8")
    c = ux.load_corpus([f], [fx / "data_extract_2013.json"])
    res = rs.sc_resolutions_from(c.resolutions, c.paragraphs)
    par = c.paragraphs.assign(label=rs._paragraph_label(c.paragraphs))
    cod, _ = mc.code_mandates(rs.mission_resolutions_from(res, par), par)
    uof = _value(cod, 2100, "has_use_of_force")
    assert not bool(uof["value"]) and uof["decision"] == "absent"
    # and "Calls upon ... to protect civilians" does not make PoC the mission's task by itself
    assert _value(cod, 2100, "has_poc_mandate")["evidence_label"] == "op 3(a)"


def test_an_extension_inherits_values_with_their_evidence(tables):
    cod = tables["cod"]
    for concept in ("is_chapter_vii", "has_poc_mandate", "has_use_of_force"):
        row = _value(cod, 2164, concept)
        assert bool(row["value"]) and row["decision"] == "inherited" and row["inherited_from"] == 2100
        assert row["evidence_resolution_number"] == 2100


def test_partnership_relation_with_french_forces(tables):
    p = tables["partners"]
    rel = set(p.loc[(p["resolution_number"] == 2100) & (p["partner_id"] == "FRENCH_FORCES"), "relation"])
    assert "authorised_to_intervene" in rel
    assert bool(_value(tables["cod"], 2100, "has_partnership_bilateral")["value"])
    assert not bool(_value(tables["cod"], 2100, "has_partnership_regional")["value"])


def test_quote_is_at_most_300_characters_around_the_match():
    text = "x" * 500 + " authorizes MINUSMA to use all necessary means " + "y" * 500
    i = text.index("authorizes")
    q = mc.quote(text, i, i + 45)
    assert len(q) <= 300 and "authorizes MINUSMA" in q and q.startswith("…") and q.endswith("…")
    assert mc.quote("short", 0, 5) == "short"


def test_rules_table_is_checked(tmp_path, monkeypatch):
    assert set(mc.rules_table()["concept"]) >= {"is_chapter_vii", "has_poc_mandate", "has_use_of_force"}
    bad = tmp_path / "rules.csv"
    head = "concept,rule_id,scope,pattern,exclude,value,note\n"
    monkeypatch.setattr(mr, "RULES_FILE", bad)
    cases = {
        "is_chapter_vii,x,everywhere,a,,true,n\n": "line 2: unknown scope 'everywhere'",
        "is_chapter_vii,x,preamble,a{0,8},,true,n\n": "line 2: wrong number of fields",  # unquoted comma
        "ceiling,x,preamble,a,,set,n\n": "line 2: concept 'ceiling' goes with the ceiling_\\* scopes",
        "ceiling,x,ceiling_noun,(a,,set,n\n": "line 2: pattern does not compile",
        "ceiling,x,ceiling_noun,a,,set,n\nceiling,x,ceiling_head,b,,set,n\n": "line 3: duplicate rule_id 'x'",
    }
    try:
        for rows, message in cases.items():
            bad.write_text(head + rows, encoding="utf-8")
            mr.rules.cache_clear()
            with pytest.raises(ValueError, match=message):
                mr.rules()
    finally:
        mr.rules.cache_clear()


# ------------------------------------------------------------------------------- monthly table
def test_mandate_in_force_by_month_takes_the_latest_resolution(tables):
    bb = pd.DataFrame(
        {"mission_id_un": "MINUSMA", "_month": pd.date_range("2013-03-01", "2014-08-01", freq="MS")}
    )
    bb["year"], bb["month"] = bb["_month"].dt.year, bb["_month"].dt.month
    empty_ref = pd.DataFrame(
        {
            c: pd.Series(dtype=t)
            for c, t in {
                "mission_id_un": "string",
                "year": "Int64",
                "month": "Int64",
                **{k: "boolean" for k in mmo.REFERENCE_CONCEPTS},
                **{f"{k}_source": "string" for k in mmo.REFERENCE_CONCEPTS},
                **{f"has_partner_coop_{p}": "boolean" for p in ("au", "eu", "ecowas", "other_mission")},
            }.items()
        }
    )
    out = mmo.mandates_in_force(bb, tables["cod"], tables["mr"], empty_ref, tables["ceilings"])
    ch7 = out[out["concept"] == "is_chapter_vii"].set_index(["year", "month"])
    assert pd.isna(ch7.loc[(2013, 3), "value"]) and pd.isna(ch7.loc[(2013, 3), "source"])  # before 2100: NA
    assert bool(ch7.loc[(2013, 4), "value"]) and ch7.loc[(2013, 4), "governing_resolution"] == 2100
    assert ch7.loc[(2014, 5), "governing_resolution"] == 2100
    assert ch7.loc[(2014, 6), "governing_resolution"] == 2164
    assert (
        ch7.loc[(2014, 6), "source"] == "text_inherited" and ch7.loc[(2014, 6), "evidence_resolution"] == 2100
    )
    ceil = out[out["concept"] == "personnel_military_authorized_n"].set_index(["year", "month"])
    assert ceil.loc[(2014, 7), "value_n"] == 11200
    w = mmo.wide(out)
    assert w.loc[w["month"].eq(7) & w["year"].eq(2014), "mandate_resolution"].item() == 2164


# ----------------------------------------------------------------------------------- gold set
def test_gold_loader_checks_verdicts(tmp_path):
    cols = ",".join(mv.GOLD_COLUMNS)
    f = tmp_path / "gold.csv"
    f.write_text(
        f"{cols}\n2100,MINUSMA,is_chapter_vii,True,True,agree,True,read pre,1,read\n"
        "2100,MINUSMA,has_poc_mandate,True,False,agree,True,read op 3,1,read\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"gold\.csv.*'verdict'.*line 3"):
        mv.load_gold(str(f))


def test_gold_scores_count_precision_and_recall():
    cod = pd.DataFrame(
        {
            "resolution_number": [1, 2, 3, 4],
            "mission_id_un": ["M"] * 4,
            "concept": ["c"] * 4,
            "value": pd.array([True, True, False, False], dtype="boolean"),
        }
    )
    gold = pd.DataFrame(
        {
            "resolution_number": [1, 2, 3, 4],
            "mission_id_un": ["M"] * 4,
            "concept": ["c"] * 4,
            "gold_value": [True, False, True, False],
        }
    )
    s = mv.gold_scores(cod, gold).iloc[0]
    assert (s["tp"], s["fp"], s["fn"], s["tn"]) == (1, 1, 1, 1)
    assert s["precision"] == 0.5 and s["recall"] == 0.5


def test_kappa_is_one_for_identical_and_zero_for_chance():
    a = pd.Series([True, False, True, False])
    assert mv.kappa(a, a) == 1.0
    assert mv.kappa(a, pd.Series([True, True, False, False])) == 0.0


def test_disagreement_classes_explain_offensive_posture_wording():
    """An offensive task a reference reads into robust-posture wording is a class, not 'other'."""
    key = {"mission_id_un": "M", "year": 2016}
    monthly = pd.DataFrame([{**key, "month": m, "concept": "has_offensive_mandate", "value": False,
                             "governing_resolution": 2000, "evidence_resolution": pd.NA, "source": "text"}
                            for m in range(1, 13)])
    monthly = monthly.astype({"value": "boolean", "governing_resolution": "Int64"})
    cols = [c for refs in mv.REFERENCE_COLUMNS.values() for _, c, _ in refs]
    off = "has_offensive_mandate_pema_v1_2"
    ref = pd.DataFrame([{**key, "month": m, **{c: c == off or pd.NA for c in cols}} for m in range(1, 13)])
    ref = ref.astype({c: "boolean" for c in cols})
    codings = pd.DataFrame({"mission_id_un": ["M"], "resolution_number": [2000],
                            "concept": ["has_offensive_mandate"], "decision": ["absent"],
                            "adoption_date": [pd.Timestamp("2014-06-01")]})
    d = mv.classify_disagreements(monthly, ref, codings)
    assert len(d) == 12 and set(d["class"]) == {"offensive_posture_wording"}
    assert "robust posture" in d["explanation"].iloc[0]
    assert set(mv.CHAPTER_VII_FLAG_CLASSES) == {"flag_article_41", "flag_chapter_vii_mentioned",
                                                "flag_without_wording", "recital_flag_empty"}
