"""Security Council resolutions on the real mirror: coverage quirks, known facts of the mission
map, codings with evidence, the monthly mandate in force in the mission panel, and the validation
targets (kappa against TAMM/PEMA, the metadata flag, the curated table, the gold set)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import curated
from analysis.core import mandate_validation as mv
from analysis.data import load
from analysis.data.registry import source_meta


@pytest.fixture(scope="module")
def t(raw_cache):
    names = (
        "sc_resolutions",
        "sc_paragraphs",
        "sc_mission_resolutions",
        "sc_mandate_codings",
        "sc_mandate_partnerships",
        "sc_mandates_monthly",
        "mandates_monthly",
        "mission_months",
    )
    return {n: load(n) for n in names}


def _cod(t, n, concept, mission="MINUSMA"):
    return (
        t["sc_mandate_codings"]
        .set_index(["resolution_number", "mission_id_un", "concept"])
        .loc[(n, mission, concept)]
    )


def test_every_file_is_registered_and_the_quirks_are_recorded(t):
    files = source_meta("unsc_resolutions_unxml").files
    assert len(files) == 1554 and sum(f.file.endswith(".json") for f in files) == 26
    r = t["sc_resolutions"].set_index("resolution_number")
    assert len(r) == 1526 and int(r["has_text"].sum()) == 1524
    assert set(r.index[~r["has_text"].astype(bool)]) == {2510, 2589}
    assert set(r.index[~r["has_metadata"].astype(bool)]) == {2770, 2772}
    assert r.loc[2464, "alternate_file"] == "S_RES_2464_2019_E_alt1.xml"
    assert r.loc[2464, "file"] == "S_RES_2464_2019_E.xml" and bool(r.loc[2464, "is_alternate_text_identical"])
    assert r.index.min() == 1285 and r["year"].between(2000, 2025).all()


def test_minusma_resolutions_are_the_known_ones(t):
    mr = t["sc_mission_resolutions"]
    m = mr[mr["mission_id"] == "MINUSMA"].set_index("resolution_number")["role"]
    assert m[2100] == "establishes"
    assert sorted(m.index[m == "renews"]) == [2164, 2227, 2295, 2364, 2423, 2480, 2531, 2584, 2640]
    assert m[2690] == "ends"
    assert t["sc_resolutions"].set_index("resolution_number").loc[2690, "adoption_date"] == pd.Timestamp(
        "2023-06-30"
    )


def test_parallel_forces_have_their_authorising_resolutions(t):
    mr = t["sc_mission_resolutions"].set_index(["resolution_number", "mission_id"])["role"]
    assert mr[(1744, "AMISOM")] == "establishes"
    assert mr[(2628, "ATMIS")] == "establishes"
    assert mr[(2359, "FC_G5S")] == "welcomes" and mr[(2391, "FC_G5S")] == "supports"
    assert mr[(2295, "FRENCH_FORCES")] == "authorises"
    assert mr[(1575, "EU_FORCES")] == "establishes" and mr[(1639, "EU_FORCES")] == "renews_authorisation"


def test_minusma_codings_match_the_texts(t):
    assert bool(_cod(t, 2295, "is_chapter_vii")["value"])
    uof = _cod(t, 2295, "has_use_of_force")
    assert bool(uof["value"]) and "all necessary means" in uof["evidence_quote"]
    assert bool(_cod(t, 2295, "has_partnership_bilateral")["value"])  # French forces authorised to intervene
    assert not bool(_cod(t, 2640, "has_partnership_bilateral")["value"])  # ... dropped in 2022
    end = _cod(t, 2690, "has_use_of_force")
    assert not bool(end["value"]) and end["decision"] == "absent"  # termination: no all necessary means
    assert bool(_cod(t, 2690, "is_chapter_vii")["value"])
    assert _cod(t, 2295, "personnel_military_authorized_n")["value_n"] == 13289
    assert not bool(_cod(t, 2295, "has_offensive_mandate")["value"])  # no neutralisation wording
    assert bool(_cod(t, 2098, "has_offensive_mandate", "MONUSCO")["value"])  # Intervention Brigade


def test_evidence_is_short_and_points_at_a_paragraph(t):
    c = t["sc_mandate_codings"]
    q = c["evidence_quote"].dropna()
    assert len(q) > 1000 and (q.str.len() <= 300).all()
    ev = c.dropna(subset=["evidence_paragraph_seq"])
    keys = set(zip(t["sc_paragraphs"]["resolution_number"], t["sc_paragraphs"]["paragraph_seq"]))
    assert all(
        (int(n), int(s)) in keys
        for n, s in zip(ev["evidence_resolution_number"], ev["evidence_paragraph_seq"])
    )
    und = c[c["decision"] == "undecided"]
    assert und["value"].isna().all() and und["reason"].notna().all()


def test_treatment_columns_are_non_missing_for_95_percent_of_mission_months(t):
    mm = t["mission_months"]
    w = mm[mm["year"].between(2000, 2024)]
    assert w["is_chapter_vii"].notna().mean() >= 0.95
    assert w["is_robust_mandate"].notna().mean() >= 0.95
    # the previous definition is kept beside, unchanged in meaning
    prev = (w["is_chapter_vii_prev"] & w["has_poc_mandate_prev"]).astype("boolean")
    assert w["is_robust_mandate_prev"].equals(prev)
    assert w["is_chapter_vii_prev"].notna().mean() < 0.7


def test_minusma_gwot_era_months_are_coded_from_the_text(t):
    mm = t["mission_months"]
    x = mm[(mm["mission_id_un"] == "MINUSMA") & mm["year"].between(2016, 2022)]
    assert x["is_robust_mandate"].notna().all() and x["is_robust_mandate"].astype(bool).all()
    assert set(x["is_chapter_vii_source"]) <= {"text", "text_inherited"}
    ceil = x.set_index(["year", "month"])["personnel_authorized_n"]
    assert ceil[(2016, 5)] == 11240 + 1440  # S/RES/2227 until S/RES/2295 (29 June 2016)
    assert (ceil.loc[(2016, 6) :] == 13289 + 1920).all()  # in force by the end of June


def test_never_renewed_missions_take_tamm_explicitly_carried(t):
    m = t["sc_mandates_monthly"]
    x = m[(m["mission_id_un"] == "UNTSO") & (m["concept"] == "is_chapter_vii") & (m["year"] == 2020)]
    assert (x["source"] == "tamm_carried").all() and not x["value"].astype(bool).any()
    assert x["governing_resolution"].isna().all()


def test_kappa_targets_against_tamm_and_pema(t):
    a = mv.agreement_table(t["sc_mandates_monthly"], t["mandates_monthly"]).set_index(
        ["concept", "reference"]
    )
    for ref in ("tamm", "pema_v2", "pema_v1_2"):
        assert a.loc[("has_poc_mandate", ref), "kappa"] >= 0.8, ref
    for ref in ("pema_v2", "pema_v1_2"):
        assert a.loc[("has_use_of_force", ref), "kappa"] >= 0.8, ref
    assert a.loc[("is_chapter_vii", "tamm"), "kappa"] >= 0.8
    assert (a["months_n"] > 0).all()


def test_every_disagreement_is_classified(t):
    d = mv.classify_disagreements(t["sc_mandates_monthly"], t["mandates_monthly"], t["sc_mandate_codings"])
    assert len(d) > 0 and d["class"].isin(list(mv.DISAGREEMENT_CLASSES)).all()
    assert d["explanation"].notna().all()


def test_metadata_flag_agrees_with_the_text_and_disagreements_are_classified(t):
    s = mv.metadata_chapter_vii_agreement(t["sc_resolutions"])
    assert s["n"] >= 1500 and s["agreement"] >= 0.95
    d = mv.classify_chapter_vii_disagreements(t["sc_resolutions"], t["sc_paragraphs"])
    assert len(d) == s["n"] - s["agree_n"]
    assert (d["class"] == "flag_article_41").sum() >= 10  # the flag marks 'Article 41' sanctions


def test_curated_table_resolutions_exist_in_the_texts(t):
    ids, agree = mv.curated_check(
        curated.load_mandates(), t["sc_resolutions"], t["sc_mission_resolutions"], t["sc_mandate_codings"]
    )
    assert ids["is_in_sc_resolutions"].all()
    assert ids["is_in_mission_map"].all()
    assert ids["is_date_equal"].dropna().all()
    a = agree.set_index("curated_concept")
    assert a.loc["has_poc_mandate", "agreement"] >= 0.95


def test_gold_set_precision_and_recall(t):
    gold = mv.load_gold()
    assert len(gold) >= 80 and gold["sample_seed"].nunique() == 1
    assert gold.groupby("concept").size().min() >= 10
    s = mv.gold_scores(t["sc_mandate_codings"], gold).set_index("concept")
    for concept in ("is_chapter_vii", "has_poc_mandate", "has_use_of_force"):
        assert s.loc[concept, "precision"] >= 0.9 and s.loc[concept, "recall"] >= 0.9, concept
    assert (s["undecided_n"] == 0).all()
