"""The war-on-terror vocabulary in mandates (notebook 08): the mandate in force at the snapshot, the
diffusion counts (undecided never counted as 'no'), the evidence behind each point and its page,
the validation views and the figures. Small synthetic frames in the layout of the Security Council
tables (no text of a resolution)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.reporting.reporter import smallest_text_pt
from analysis.studies import mandate_texts as mt

CT = "has_ct_pve_language"
BI = "has_partnership_bilateral"


def _monthly(rows):
    """rows: (mission, year, month, concept, value, source, governing, evidence)."""
    df = pd.DataFrame(rows, columns=["mission_id_un", "year", "month", "concept", "value", "source",
                                     "governing_resolution", "evidence_resolution"])
    return df.astype({"value": "boolean", "governing_resolution": "Int64", "evidence_resolution": "Int64",
                      "year": "Int64", "month": "Int64"})


@pytest.fixture
def monthly():
    rows = []
    for m in range(1, 13):
        # A: carries CT language from a resolution of June 2015 (text), inherited after
        rows.append(("A", 2015, m, CT, m >= 6, "text", 10 if m >= 6 else 5, 10 if m >= 6 else 5))
        rows.append(("A", 2016, m, CT, True, "text_inherited", 11, 10))
        # B: decided False; ends in 2016-03
        rows.append(("B", 2015, m, CT, False, "text", 7, 7))
        if m <= 3:
            rows.append(("B", 2016, m, CT, False, "text", 7, 7))
        # C: undecided (mandate before 2000)
        rows.append(("C", 2015, m, CT, None, None, 3, None))
        rows.append(("C", 2016, m, CT, None, None, 3, None))
        # partnership with French forces for A in 2016 only
        rows.append(("A", 2015, m, BI, False, "text", 10 if m >= 6 else 5, 10 if m >= 6 else 5))
        rows.append(("A", 2016, m, BI, True, "text", 11, 11))
    return _monthly(rows)


@pytest.fixture
def texts():
    quote = "Demands that armed groups cut off all ties with terrorist groups"
    codings = pd.DataFrame([
        (10, "A", CT, True, "text", 10, "op 4", quote),
        (11, "A", CT, True, "inherited", 10, "op 4", quote),
        (11, "A", BI, True, "text", 11, "op 35", "Authorizes French forces ... to intervene in support of A"),
    ], columns=["resolution_number", "mission_id_un", "concept", "value", "decision",
                "evidence_resolution_number", "evidence_label", "evidence_quote"])
    codings = codings.astype({"value": "boolean"})
    partnerships = pd.DataFrame([(11, "A", "FRENCH_FORCES", "bilateral", "authorised_to_intervene")],
                                columns=["resolution_number", "mission_id_un", "partner_id", "org_type",
                                         "relation"])
    resolutions = pd.DataFrame({"resolution_number": [3, 5, 7, 10, 11],
                                "symbol": ["S/RES/3 (1999)", "S/RES/5 (2014)", "S/RES/7 (2015)",
                                           "S/RES/10 (2015)", "S/RES/11 (2016)"]})
    return codings, partnerships, resolutions


def test_un_document_url_from_the_symbol():
    assert mt.un_document_url("S/RES/2100 (2013)") == "https://undocs.org/en/S/RES/2100(2013)"
    assert mt.un_document_url(None) is None and mt.un_document_url("") is None


def test_mandate_in_force_at_the_snapshot_month(monthly):
    s = mt.mandate_in_force(monthly, month=12, concepts=[CT]).set_index(["mission_id_un", "year"])
    assert s.loc[("A", 2015), "value"] and s.loc[("A", 2015), "governing_resolution"] == 10
    assert s.loc[("B", 2016), "month"] == 3  # ended in March: its last active month counts
    assert pd.isna(s.loc[("C", 2015), "value"])
    june = mt.mandate_in_force(monthly, month=5, concepts=[CT]).set_index(["mission_id_un", "year"])
    assert not june.loc[("A", 2015), "value"]  # May 2015: before the resolution that added the language
    with pytest.raises(ValueError, match="month must be 1-12"):
        mt.mandate_in_force(monthly, month=13)
    with pytest.raises(ValueError, match="concepts not in sc_mandates_monthly"):
        mt.mandate_in_force(monthly, concepts=["has_nothing"])


def test_diffusion_never_counts_undecided_as_no(monthly):
    d = mt.diffusion(mt.mandate_in_force(monthly, concepts=[CT]), [CT]).set_index("year")
    r = d.loc[2015]
    assert (r["active_n"], r["decided_n"], r["carrying_n"], r["undecided_n"]) == (3, 2, 1, 1)
    assert r["share"] == pytest.approx(0.5)  # 1 of 2 decided, not 1 of 3
    assert (r["share_low"], r["share_high"]) == (pytest.approx(1 / 3), pytest.approx(2 / 3))
    assert (r["carrying"], r["not_carrying"], r["undecided"]) == ("A", "B", "C")
    s = mt.diffusion_summary(mt.diffusion(mt.mandate_in_force(monthly), [CT, BI])).set_index("concept")
    assert s.loc[CT, "first_carrying_year"] == 2015 and s.loc[BI, "first_carrying_year"] == 2016
    assert s.loc[BI, "peak_share"] == 1.0 and s.loc[BI, "peak_year"] == 2016
    assert (s.loc[CT, "peak_year"], s.loc[CT, "peak_carrying_n"], s.loc[CT, "peak_decided_n"]) == (2015, 1, 2)


def test_evidence_rows_and_their_page(monthly, texts):
    codings, partnerships, resolutions = texts
    snap = mt.mandate_in_force(monthly)
    ev = mt.evidence(snap, codings, partnerships, resolutions, [CT, BI])
    assert len(ev) == 3  # A carries CT in 2015 and 2016, the partnership in 2016
    row = ev[(ev["concept"] == CT) & (ev["year"] == 2016)].iloc[0]
    assert row["governing"] == "S/RES/11 (2016)" and row["evidence"] == "S/RES/10 (2015)"  # kept by 11
    assert row["evidence_url"] == "https://undocs.org/en/S/RES/10(2015)" and row["paragraph"] == "op 4"
    assert "kept from an earlier resolution" in row["source"]
    bi = ev[ev["concept"] == BI].iloc[0]
    assert bi["partners"] == "French forces (authorised to intervene in support)"
    diff = mt.diffusion(snap, [CT, BI])
    page = "".join(mt.evidence_page_parts(CT, diff, ev, snap, resolutions))
    assert "<h2 id='y2015'>2015: 1 of 2 decided operations (50%), 1 undecided</h2>" in page
    assert "<a href='https://undocs.org/en/S/RES/10(2015)'>S/RES/10 (2015)</a>" in page
    assert "B (<a href='https://undocs.org/en/S/RES/7(2015)'>S/RES/7 (2015)</a>)" in page  # not carrying
    assert "C (<a href='https://undocs.org/en/S/RES/3(1999)'>" in page  # undecided, with its resolution
    grid = mt.diffusion_grid(diff, [CT], href=lambda c, y: f"p/{c}.html#y{y}")
    assert grid.iloc[0, 1] == "50% (1 of 2)" and grid[f"{CT}_href"].iloc[0] == f"p/{CT}.html#y2015"


def test_finding_template_names_recorded_keys(monthly):
    from analysis.reporting.findings import fill_template

    s = mt.diffusion_summary(mt.diffusion(mt.mandate_in_force(monthly), [CT, BI]))
    template = mt.diffusion_answer(s)
    results = {f"{r.concept}.{k}": {"kind": "value", "value": getattr(r, k), "format": f}
               for r in s.itertuples() for k, f in (("first_carrying_year", "year"), ("peak_share", "share"),
                                                    ("peak_year", "year"), ("peak_carrying_n", "count"),
                                                    ("peak_decided_n", "count"), ("first_year", "year"))}
    text = fill_template(template, results)
    assert text == ("First year in a mandate in force: partnership with a single state's forces 2016; "
                    "already in 2015: counter-terrorism language. Largest share of the decided operations: "
                    "partnership with a single state's forces 100% (1 of 1, 2016); counter-terrorism "
                    "language 50% (1 of 2, 2015).")


def test_validation_views():
    agree = pd.DataFrame({"concept": ["has_poc_mandate", "has_offensive_mandate"],
                          "reference": ["tamm", "pema_v1_2"],
                          "years": ["2000-2015", "2000-2017"], "months_n": [10, 10], "missions_n": [2, 2],
                          "agreement": [0.9, 0.8], "kappa": [0.85, 0.4], "text_only_n": [1, 0],
                          "ref_only_n": [0, 2]})
    v = mt.agreement_view(agree)
    assert v["target met"].tolist()[0] is True and pd.isna(v["target met"].iloc[1])  # no target for offensive
    curated = pd.DataFrame({"mission_id_un": ["M", "M"], "resolution": ["S/RES/20", "S/RES/21"],
                            "is_chapter_vii": [True, pd.NA], "has_poc_mandate": [pd.NA, pd.NA],
                            "has_all_necessary_means": [pd.NA, pd.NA], "has_offensive_mandate": [pd.NA, True],
                            "has_partnership_language": [False, pd.NA]})
    cod = pd.DataFrame([("M", 20, "is_chapter_vii", False, "inherited", "keeps S/RES/19", None, None),
                        ("M", 20, "has_partnership_language", True, "text", "", "op 5", "with French forces"),
                        ("M", 21, "has_offensive_mandate", False, "absent", "", None, None)],
                       columns=["mission_id_un", "resolution_number", "concept", "value", "decision",
                                "reason", "evidence_label", "evidence_quote"]).astype({"value": "boolean"})
    res = pd.DataFrame({"resolution_number": [20, 21], "symbol": ["S/RES/20 (2016)", "S/RES/21 (2017)"]})
    d = mt.curated_disagreements(curated, cod, res).set_index("concept")["class"]
    assert d.to_dict() == {"Chapter VII mandate": "inherited_extension",
                           "offensive mandate": "offensive_posture_wording",
                           "partnership language": "summary_silent"}


def test_diffusion_figure_is_readable(monthly):
    from analysis.plots.mandate_texts import plot_diffusion

    diff = mt.diffusion(mt.mandate_in_force(monthly), [CT, BI])
    fig = plot_diffusion(diff, [CT, BI])
    assert smallest_text_pt(fig) >= 10
    assert [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()][:2] == [
        "counter-terrorism language", "partnership with a single\nstate's forces"]
