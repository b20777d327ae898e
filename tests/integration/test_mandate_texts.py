"""Notebook 08 on the real tables: the diffusion counts, the evidence rows and the validation numbers
equal values computed directly from the Security Council tables, and every disagreement is explained."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.core import mandate_validation as mv
from analysis.data import load
from analysis.studies import mandate_texts as mt


@pytest.fixture(scope="module")
def sc(raw_cache):
    return {n: load(n) for n in ("sc_mandates_monthly", "sc_mandate_codings", "sc_mandate_partnerships",
                                 "sc_resolutions", "mandates_monthly")}


@pytest.fixture(scope="module")
def snap(sc):
    return mt.mandate_in_force(sc["sc_mandates_monthly"], month=12, years=[2000, 2025])


def test_diffusion_counts_equal_the_december_rows(sc, snap):
    m = sc["sc_mandates_monthly"]
    diff = mt.diffusion(snap, mt.GWOT_CONCEPTS).set_index(["concept", "year"])
    for concept, year in (("has_ct_pve_language", 2017), ("has_stabilisation_mandate", 2013),
                          ("has_partnership_bilateral", 2021)):
        x = m[(m["concept"] == concept) & (m["year"] == year)]
        last = x.sort_values("month").groupby("mission_id_un").tail(1)  # December, or the last month active
        v = last["value"]
        r = diff.loc[(concept, year)]
        assert r["active_n"] == len(last) and r["carrying_n"] == int(v.eq(True).fillna(False).sum())
        assert r["undecided_n"] == int(v.isna().sum())
        assert r["share"] == pytest.approx(v.eq(True).fillna(False).sum() / v.notna().sum())
    # offensive or neutralisation tasks: none before MONUSCO's Intervention Brigade (S/RES/2098, 2013)
    s = mt.diffusion_summary(mt.diffusion(snap, ["has_offensive_mandate"])).iloc[0]
    assert s["first_carrying_year"] == 2013
    assert diff.loc[("has_ct_pve_language", 2000), "carrying_n"] == 0


def test_every_carrying_point_has_its_paragraph(sc, snap):
    ev = mt.evidence(snap, sc["sc_mandate_codings"], sc["sc_mandate_partnerships"], sc["sc_resolutions"])
    diff = mt.diffusion(snap, mt.GWOT_CONCEPTS)
    assert len(ev) == int(diff["carrying_n"].sum())  # one evidence row per carrying operation-year
    text = ev[ev["source"].str.startswith(("decided", "kept"))]
    assert text["quote"].notna().all() and text["paragraph"].notna().all()
    assert text["quote"].str.len().max() <= 301  # at most 300 characters (+ the ellipsis of a cut)
    assert text["evidence_url"].str.match(r"^https://undocs\.org/en/S/RES/\d+\(\d{4}\)$").all()
    row = ev[(ev["concept"] == "has_ct_pve_language") & (ev["mission_id_un"] == "MINUSMA")
             & (ev["year"] == 2016)].iloc[0]
    cod = sc["sc_mandate_codings"].set_index(["resolution_number", "mission_id_un", "concept"])
    c = cod.loc[(2295, "MINUSMA", "has_ct_pve_language")]
    assert row["governing"] == "S/RES/2295 (2016)" and row["paragraph"] == c["evidence_label"]
    fr = ev[(ev["concept"] == "has_partnership_bilateral") & (ev["mission_id_un"] == "MINUSMA")]
    assert fr["partners"].str.contains("French forces").all()


def test_validation_numbers_from_the_tables(sc):
    monthly, ref = sc["sc_mandates_monthly"], sc["mandates_monthly"]
    view = mt.agreement_view(mv.agreement_table(monthly, ref))
    # PoC vs TAMM by mission-month, computed directly
    text = monthly["source"].isin(["text", "text_inherited"])
    t = monthly[(monthly["concept"] == "has_poc_mandate") & text]
    x = t.merge(ref[["mission_id_un", "year", "month", "has_poc_mandate_tamm"]],
                on=["mission_id_un", "year", "month"])
    x = x[x["year"] <= 2015].dropna(subset=["value", "has_poc_mandate_tamm"])
    a, b = x["value"].astype(bool), x["has_poc_mandate_tamm"].astype(bool)
    po = float((a == b).mean())
    pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
    r = view[(view["concept"] == "protection-of-civilians mandate") & (view["reference"] == "TAMM v2.1")]
    r = r.iloc[0]
    assert r["mission-months"] == len(x) and r["kappa"] == pytest.approx((po - pe) / (1 - pe))
    targets = view.dropna(subset=["kappa target"])
    assert len(targets) == 5 and bool(targets["target met"].all())  # issue 11: kappa >= 0.8 on PoC and UoF
    assert np.isfinite(view["kappa"]).all()


def test_every_disagreement_is_explained(sc):
    classified = mv.classify_disagreements(sc["sc_mandates_monthly"], sc["mandates_monthly"],
                                           sc["sc_mandate_codings"])
    assert len(classified) > 0 and not (classified["class"] == "other").any()
    view = mt.disagreement_view(classified, sc["sc_resolutions"])
    assert view["mission-months"].sum() == len(classified) and (view["why"] != "not explained").all()
    flags = mv.classify_chapter_vii_disagreements(sc["sc_resolutions"], load("sc_paragraphs"))
    fv = mt.flag_view(flags)
    agree = mv.metadata_chapter_vii_agreement(sc["sc_resolutions"])
    assert fv["resolutions"].sum() == agree["n"] - agree["agree_n"] and (fv["why"] != "not explained").all()
    from analysis.curated import load_mandates

    cdis = mt.curated_disagreements(load_mandates(), sc["sc_mandate_codings"], sc["sc_resolutions"])
    _, cur = mv.curated_check(load_mandates(), sc["sc_resolutions"], load("sc_mission_resolutions"),
                              sc["sc_mandate_codings"])
    expected = int(sum(round(n * (1 - a)) for n, a in zip(cur["n"], cur["agreement"]) if pd.notna(a)))
    assert len(cdis) == expected and cdis["class"].isin(list(mt.CURATED_CLASSES)).all()
