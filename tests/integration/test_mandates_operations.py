"""Mandates & operations on the real mirror: PEMA, TAMM, Bara & Hultman and the two core tables."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.mandates import source_agreement
from analysis.sources import pema, tamm
from analysis.sources import pko_un_nonun_bara_hultman as bara
from analysis.sources._base import raw_path

#: Minimum PEMA v2 / TAMM agreement on protection-of-civilians mandates (1991-2015 mission-months
#: both code). Both code the same Security Council texts, so they should agree except where their
#: coding rules differ: observed 95.8% (kappa 0.915); the disagreements are confined to UNPREDEP,
#: UNPROFOR and UNAMIR (PEMA codes civilian protection as a "securing" task, TAMM has no prociv)
#: and UNAMSIL 2004-05. A wrong source variable or a broken mission map falls to chance level
#: (0.51 with TAMM's values shuffled across mission-months; 0.58 for "never PoC"), so 0.90 and a
#: kappa of 0.80 ("almost perfect", Landis & Koch) leave room for coding differences but not for
#: errors.
MIN_POC_AGREEMENT = 0.90
MIN_POC_KAPPA = 0.80


@pytest.fixture(scope="module")
def panel(raw_cache):
    return pema.load_panel_v2()


@pytest.fixture(scope="module")
def resolutions(raw_cache):
    return pema.load_resolutions_v1_2()


@pytest.fixture(scope="module")
def tamm_mm(raw_cache):
    return tamm.load_mission_month()


@pytest.fixture(scope="module")
def bara_rows(raw_cache):
    return bara.load_mission_conflict_month()


@pytest.fixture(scope="module")
def un_acronyms(raw_cache):
    p = raw_path("un_pko_missions", "DPPADPOSS-PKO.csv")
    return set(pd.read_csv(p, dtype=str)["mission_acronym"].str.strip())


@pytest.fixture(scope="module")
def mandates(raw_cache):
    from analysis.data import load

    return load("mandates_monthly")


@pytest.fixture(scope="module")
def operations(raw_cache):
    from analysis.data import load

    return load("nonun_operations_monthly")


# ---------------------------------------------------------------- mission ids

@pytest.mark.parametrize("module", [pema, tamm, bara], ids=["pema", "tamm", "bara"])
def test_every_un_mission_maps_to_the_un_list_or_a_documented_exception(module, un_acronyms):
    ids = {v for v in module.MISSION_ID_UN.values() if v is not None}
    assert ids - un_acronyms == set(module.NOT_IN_DPPADPOSS)
    assert not set(module.NOT_IN_DPPADPOSS) & un_acronyms


def test_every_source_mission_is_in_its_mapping(panel, resolutions, tamm_mm, bara_rows):
    assert set(panel["mission_name"]) <= set(pema.MISSION_ID_UN) and panel["mission_id_un"].notna().all()
    assert resolutions["mission_id_un"].notna().all()
    assert set(tamm_mm["mission_name"]) == set(tamm.MISSION_ID_UN)
    un = bara_rows[bara_rows["is_un"]]
    assert set(un["operation_name"]) == set(bara.MISSION_ID_UN)
    assert (un["operation_id"] == un["mission_id_un"]).all()


# ---------------------------------------------------------------- PEMA

def test_pema_panel_rows_and_dropped_rows(panel):
    raw = pd.read_csv(raw_path("pema", pema.FILE_PANEL), dtype=str, keep_default_na=False)
    assert len(raw) == 2889 and (raw["year"] == "").sum() == 2
    assert set(raw.loc[raw["year"] == "", "signature"]) == {"S/RES/2350", "S/RES/2243"}
    # 2 rows without a month and UNISFA's 33 months before its establishment are dropped
    assert len(panel) == 2889 - 2 - 33
    assert panel["mission_id_un"].nunique() == 48
    assert (panel["year"].min(), panel["year"].max()) == (1991, 2019)
    unisfa = panel[panel.mission_id_un == "UNISFA"].iloc[0]
    assert (unisfa["year"], unisfa["month"], unisfa["resolution_id_un"]) == (2011, 6, "S/RES/1990")
    assert set(panel.loc[panel.is_resolution_out_of_order, "resolution_id_un"]) == {"S/RES/972", "S/RES/1437"}


def test_pema_panel_africa_is_the_v12_mission_set(panel, resolutions):
    assert set(panel.loc[panel.is_africa, "mission_id_un"]) == set(resolutions["mission_id_un"])
    assert resolutions["mission_id_un"].nunique() == 27
    africa = panel[panel.is_africa]
    assert africa["has_useofforce"].isna().all()
    assert panel.loc[~panel.is_africa, "has_useofforce"].notna().all()
    assert panel.filter(like="has_offensoper_").isna().all().all()


def test_pema_v12_counts_and_settled_dates(resolutions):
    assert len(resolutions) == 365
    assert (resolutions["year"].min(), resolutions["year"].max()) == (1991, 2017)
    assert resolutions["has_offensoper_security"].sum() == 13
    assert resolutions["has_useofforce"].sum() == 66
    fixed = resolutions[resolutions.is_date_year_mismatch].set_index("resolution_id_un")["date"]
    assert fixed.to_dict() == {"S/RES/804": pd.Timestamp("1993-01-29"),
                               "S/RES/972": pd.Timestamp("1995-01-13"),
                               "S/RES/2179": pd.Timestamp("2014-10-14")}


def test_pema_v12_expansion_reproduces_the_v2_panel(panel, resolutions):
    last = panel.sort_values(["year", "month"]).groupby("mission_id_un").tail(1)
    months = pema.expand_resolutions(resolutions, {m: (y, mo) for m, y, mo in
                                                   zip(last.mission_id_un, last.year, last.month)})
    both = months.merge(panel, on=["mission_id_un", "year", "month"], suffixes=("_v12", "_v2"))
    assert len(both) == len(months) == 1830
    assert (both["has_civprotect_security_v12"] == both["has_civprotect_security_v2"]).all()


# ---------------------------------------------------------------- TAMM

def test_tamm_rows_and_coverage(tamm_mm):
    assert len(tamm_mm) == 5920 and tamm_mm["mission_name"].nunique() == 72
    assert tamm_mm["is_un"].sum() == 5920 - 10  # MISCA, 10 months
    first = tamm_mm.sort_values(["year", "month"]).iloc[0]
    last = tamm_mm.sort_values(["year", "month"]).iloc[-1]
    assert (first["year"], first["month"]) == (1948, 4) and (last["year"], last["month"]) == (2015, 12)
    assert len(tamm_mm[tamm_mm.mission_id_un == "UNTSO"]) == 812


# ---------------------------------------------------------------- mandates_monthly

def test_mandates_key_and_coverage(mandates):
    assert not mandates.duplicated(["mission_id_un", "year", "month"]).any()
    assert (mandates["year"].min(), mandates["year"].max()) == (1948, 2019)
    assert mandates["is_in_tamm"].sum() == 5910 and mandates["is_in_pema_v2"].sum() == 2854
    assert mandates["is_in_pema_v1_2"].sum() == 1830
    # nothing from TAMM after 2015 or from v1.2 after 2017
    assert mandates.loc[mandates.year > 2015, "is_chapter_vii"].isna().all()
    assert mandates.loc[mandates.year > 2015, "has_partner_coop_au"].isna().all()
    assert mandates.loc[mandates.year > 2017, "has_offensive_mandate"].isna().all()


def test_monusco_force_intervention_brigade_is_an_offensive_mandate(mandates):
    m = mandates[mandates.mission_id_un == "MONUSCO"].set_index(["year", "month"])
    assert m.loc[(2013, 3), "has_offensive_mandate"] == True  # noqa: E712 - S/RES/2098
    assert m.loc[(2013, 3), "has_offensive_mandate_source"] == "pema_v1_2"
    assert not m.loc[[(2012, 12), (2013, 2)], "has_offensive_mandate"].any()
    assert m.loc[[(2012, 12), (2013, 2)], "has_offensive_mandate"].notna().all()
    assert m.loc[[(2014, 1), (2015, 6), (2016, 6)], "has_offensive_mandate"].all()


def test_minusma_chapter_vii_and_poc_from_2013(mandates):
    m = mandates[mandates.mission_id_un == "MINUSMA"].set_index(["year", "month"]).sort_index()
    assert m.index[0] == (2013, 4)
    assert m.loc[(2013, 4):(2015, 12), "is_chapter_vii"].all()
    assert m.loc[(2013, 4):(2016, 12), "has_poc_mandate"].all()
    assert set(m.loc[(2013, 4):(2016, 12), "has_poc_mandate_source"]) == {"pema_v2"}
    assert m.loc[(2013, 7), "has_poc_mandate_tamm"] == True  # noqa: E712


def test_pema_v2_and_tamm_agreement(mandates):
    poc = source_agreement(mandates, "has_poc_mandate", "pema_v2", "tamm", years=(1991, 2015))
    print(f"\nPoC, PEMA v2 vs TAMM 1991-2015: n={poc['n']} mission-months, agreement={poc['agreement']:.4f}, "
          f"kappa={poc['kappa']:.3f}, PEMA-only={poc['only_a']}, TAMM-only={poc['only_b']}")
    assert poc["n"] > 2500
    assert poc["agreement"] > MIN_POC_AGREEMENT and poc["kappa"] > MIN_POC_KAPPA
    # Chapter VII: PEMA has no Chapter VII variable, so no PEMA/TAMM agreement can be computed
    assert not [c for c in mandates.columns if c.startswith("is_chapter_vii_pema")]
    assert set(mandates["is_chapter_vii_source"].dropna()) == {"tamm"}
    both = mandates[mandates.is_in_tamm & mandates.has_use_of_force.notna()
                    & mandates.year.between(1991, 2015)]
    diag = float((both["is_chapter_vii"] == both["has_use_of_force"]).mean())
    print(f"Chapter VII: not coded by PEMA; for reference TAMM ch7 vs PEMA use of force agree in {diag:.3f} "
          f"of {len(both)} mission-months (different concepts)")


# ---------------------------------------------------------------- nonun_operations_monthly

def test_bara_rows(bara_rows):
    assert len(bara_rows) == 8100
    assert bara_rows["operation_name"].nunique() == 112 and bara_rows["operation_id_bara"].nunique() == 121
    assert bara_rows["org_type"].value_counts().to_dict() == {"UN": 3483, "regional": 3261, "ad_hoc": 1356}
    assert bara_rows.duplicated(["operation_id_bara", "year", "month"]).sum() == 1678  # multi-conflict rows


def test_operations_key_coverage_and_codes(operations, bara_rows):
    assert not operations.duplicated(["operation_id", "country_id_cow", "year", "month"]).any()
    assert len(operations) == 8100 - 1678
    assert (operations["year"].min(), operations["year"].max()) == (1993, 2016)
    assert operations.groupby(["operation_id", "country_id_cow"]).ngroups == 121
    assert operations["country_id_gw"].notna().all()
    serbia = operations[(operations.country_id_cow == 345)].set_index("year")["country_id_gw"]
    assert set(serbia.loc[[2005]]) == {345} and set(serbia.loc[[2016]]) == {340}
    assert set(operations.loc[operations.operation_id == "eufor", "country_id_cow"]) == {343, 483, 490}


def test_operations_personnel_not_double_counted(operations, bara_rows):
    one = bara_rows.drop_duplicates(["operation_id_bara", "year", "month"])
    assert operations["personnel_total_n"].sum() == pytest.approx(one["personnel_total_n"].sum())
    mil = one["troops_n"] + one["observers_n"]
    assert operations["troops_observers_n"].sum() == pytest.approx(mil.sum())


def test_operations_troops_observers_break(operations):
    assert operations.loc[operations.year >= 2015, ["troops_n", "observers_n"]].isna().all().all()
    assert operations.loc[operations.year < 2015, ["troops_n", "observers_n"]].notna().all().all()
    assert operations["troops_observers_n"].notna().all()
    m = operations[(operations.operation_id == "MONUSCO")].set_index(["year", "month"])
    dec = m.loc[(2014, 12)]
    assert dec["troops_observers_n"] == dec["troops_n"] + dec["observers_n"]
    amisom = operations[operations.operation_id == "amisom"]
    assert set(amisom["org_type"]) == {"regional"} and not amisom["is_un"].any()
