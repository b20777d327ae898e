"""The three panels on the real mirror: facts a reader would check, key and row counts,
coverage boundaries, and agreement of curated tables with PEMA and Bara & Hultman."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import curated
from analysis.data import load
from analysis.panels.agreement import mandates_vs_pema, partners_vs_bara
from analysis.panels.spans import resolve_parts
from analysis.vocabulary import CAUSES, PERSONNEL_TYPES


@pytest.fixture(scope="module")
def mm(raw_cache):
    return load("mission_months")


@pytest.fixture(scope="module")
def my(raw_cache):
    return load("mission_years")


@pytest.fixture(scope="module")
def cy(raw_cache):
    return load("country_years")


def test_minusma_fatalities_to_june_2023_match_core_table(mm):
    fat = load("un_fatalities")
    window = (fat["mission_id_un"] == "MINUSMA") & (fat["date"] <= "2023-06-30")
    panel = mm[(mm["mission_id_un"] == "MINUSMA") & (mm["date"] <= "2023-06-30")]["fatalities_n"].sum()
    assert panel == window.sum() == 310


def test_all_pko_fatalities_in_panel_window_are_counted(mm):
    fat = load("un_fatalities")
    f = fat.assign(
        m=resolve_parts(fat["mission_id_un"], fat["date"], load("un_missions")),
        d=fat["date"].dt.to_period("M").dt.to_timestamp(),
    )
    keys = set(zip(mm["mission_id_un"], mm["date"]))
    inside = f[[k in keys for k in zip(f["m"], f["d"])]]
    assert mm["fatalities_n"].sum() == len(inside)
    by_cause = mm[[f"fatalities_{c}_n" for c in CAUSES]].sum()
    assert by_cause.sum() == mm["fatalities_n"].sum()
    by_type = mm[[f"fatalities_{t}_n" for t in dict.fromkeys(PERSONNEL_TYPES.values())]].sum()
    assert by_type.sum() == mm["fatalities_n"].sum()


def test_mission_months_key_and_backbone(mm):
    assert not mm.duplicated(["mission_id_un", "year", "month"]).any()
    assert mm["date"].min() == pd.Timestamp("1990-01-01")
    assert mm["date"].max() == load("un_fatalities")["date"].max().to_period("M").to_timestamp()
    ends = mm.groupby("mission_id_un")["date"].max()
    assert ends["UNTMIH"] == pd.Timestamp("1998-01-01")  # no UN dates: Kathman 1997-08..11, TAMM to 1998-01
    assert ends["MINUSMA"] == pd.Timestamp("2023-11-01")  # terminated by S/RES/2690; last death 2023-11
    # each mission's months are contiguous (no holes in the backbone)
    span = mm.groupby("mission_id_un")["date"].agg(["min", "max", "size"])
    months = (
        (span["max"].dt.year - span["min"].dt.year) * 12 + span["max"].dt.month - span["min"].dt.month + 1
    )
    assert (months == span["size"]).all()


def test_mission_months_coverage_boundaries(mm):
    k19 = mm[mm["year"] == 2019]
    k20 = mm[mm["year"] == 2020]
    assert k19["troops_n"].notna().mean() > 0.9
    assert k20["troops_n"].isna().all()  # Kathman ends 2019-12; never carried forward
    assert (k20["personnel_source"].dropna() == "curated").all()
    assert mm.loc[mm["year"] == 2016, "has_nonun_op_bara"].notna().all()
    assert mm.loc[mm["year"] == 2017, "has_nonun_op_bara"].isna().all()
    assert mm.loc[mm["year"] == 1999, "has_partner_op_curated"].isna().all()
    # missions without an African host have no partner coding after 2016 (UNTSO's region is the Middle
    # East, but its host Egypt is African, so the curated table covers it)
    non_africa_2020 = mm[(mm["year"] == 2020) & ~mm["is_africa"].fillna(False).astype(bool)
                         & (mm["mission_id_un"] != "UNTSO")]
    assert len(non_africa_2020) > 0 and non_africa_2020["has_partner_op"].isna().all()
    assert mm.loc[mm["year"] == 2024, "has_jihadist_conflict"].notna().all()
    assert mm.loc[mm["year"] == 2025, "has_jihadist_conflict"].isna().all()
    assert mm.loc[mm["year"] == 2025, "deaths_state_based_n"].isna().all()
    # Chapter VII: the texts first (issue 11), TAMM where the governing resolution predates 2000;
    # the previous definition (TAMM, then curated) is kept in *_prev
    assert mm["is_chapter_vii_source"].dropna().isin(
        ["text", "text_inherited", "tamm", "tamm_carried", "tamm_pre2000", "curated"]
    ).all()
    assert mm["is_chapter_vii_prev_source"].dropna().isin(["tamm", "curated"]).all()
    cf = mm["is_chapter_vii_filled_source"] == "carried_forward"
    assert cf.any() and mm.loc[cf, "is_chapter_vii"].isna().all()


def test_minusma_mandate_is_robust_and_partnered(mm):
    m = mm[(mm["mission_id_un"] == "MINUSMA") & (mm["date"] == "2014-06-01")].iloc[0]
    assert m["is_chapter_vii"] and m["has_poc_mandate"] and m["is_robust_mandate"]
    assert m["has_partner_bilateral"] and m["has_partner_op"]  # Serval/Barkhane
    assert m["has_jihadist_conflict"]


def test_monusco_offensive_mandate_from_2013(mm):
    m = mm[mm["mission_id_un"] == "MONUSCO"].set_index("date")
    assert m.loc["2013-06-01", "has_offensive_mandate"]
    assert not m.loc["2012-06-01", "has_offensive_mandate"]


def test_mission_years_sum_months(mm, my):
    assert my["fatalities_n"].sum() == mm["fatalities_n"].sum()
    assert not my.duplicated(["mission_id_un", "year"]).any()
    assert len(my) == len(mm[["mission_id_un", "year"]].drop_duplicates())
    assert my["is_chapter_vii_coverage"].between(0, 1).all()


def test_country_years_backbone_is_every_gw_member(cy):
    codes = load("country_codes")
    members = codes[codes["year"].between(1990, 2024)]
    assert len(cy) == len(members)
    assert not cy.duplicated(["country_id_gw", "year"]).any()


@pytest.mark.parametrize(
    ("gw", "year", "attempts", "successes"),
    [
        (432, 2020, 1, 1),  # Mali, August 2020
        (432, 2021, 1, 1),  # Mali, May 2021
        (439, 2022, 2, 2),  # Burkina Faso, January and September 2022
        (436, 2023, 1, 1),  # Niger, July 2023
        (481, 2023, 1, 1),  # Gabon, August 2023
    ],
)
def test_sahel_coups_in_country_years(cy, gw, year, attempts, successes):
    r = cy[(cy["country_id_gw"] == gw) & (cy["year"] == year)].iloc[0]
    assert r["coup_attempts_n"] == attempts and r["coups_successful_n"] == successes
    nxt = cy[(cy["country_id_gw"] == gw) & (cy["year"] == year + 1)].iloc[0]
    assert nxt["years_since_coup"] == 1


def test_country_years_coverage_boundaries(cy):
    y = cy.set_index("year")
    assert y.loc[2016, "has_nonun_op_bara"].notna().all() and y.loc[2017, "has_nonun_op_bara"].isna().all()
    assert y.loc[2018, "polity2"].notna().any() and y.loc[2019, "polity2"].isna().all()
    assert y.loc[2019, "un_personnel_n"].notna().all()
    assert cy.loc[(cy["year"] == 2020) & ~cy["has_un_pko"], "un_personnel_n"].isna().all()
    mali = cy[(cy["country_id_gw"] == 432)].set_index("year")
    assert mali.loc[2014, "has_partnership"] and mali.loc[2014, "has_robust_un_pko"]
    assert not mali.loc[2010, "has_un_pko"]


def test_curated_mandates_agree_with_pema(raw_cache):
    agr = mandates_vs_pema(load("mandates_monthly"), curated.load_mandates()).set_index("concept")
    print(agr.to_string())
    assert agr.loc["has_poc_mandate", "months_n"] >= 30
    assert agr.loc["has_poc_mandate", "agreement"] >= 0.9
    assert agr.loc["has_offensive_mandate", "months_n"] >= 30
    assert agr.loc["has_offensive_mandate", "agreement"] >= 0.6


def test_curated_partner_operations_agree_with_bara(raw_cache):
    summary, per = partners_vs_bara(
        curated.load_partner_operations(), load("nonun_operations_monthly"), load("country_codes")
    )
    print(summary.to_string())
    s = summary.iloc[0]
    assert s["operations_matched_n"] >= 10
    assert s["month_agreement"] >= 0.85
    assert per.loc[per["operation_id"] == "amisom", "is_matched"].item()


SAHEL = [432, 436, 439, 483]


def test_country_verbs_on_an_own_backbone_reproduce_country_years(cy):
    """A researcher's state-years (four Sahel states, 2010-2024) built with the public verbs carry
    exactly the values of the package's panel, which is the composition of the same verbs."""
    from analysis.panels import (
        add_conflict,
        add_coups,
        add_covariates,
        add_nonun_operations,
        add_partnership,
        add_un_presence,
        create_country_years,
    )

    own = create_country_years(years=(2010, 2024))
    own = own[own["country_id_gw"].isin(SAHEL)].reset_index(drop=True)
    n = len(own)
    for verb in (add_coups, add_un_presence, add_nonun_operations):
        own = verb(own)
        assert len(own) == n, verb.__name__
    own = add_covariates(add_conflict(add_partnership(own)))
    assert len(own) == n == 4 * 15
    ref = cy[cy["country_id_gw"].isin(SAHEL) & cy["year"].between(2010, 2024)].reset_index(drop=True)
    cols = list(ref.columns)
    own = own[cols].astype(ref.dtypes.to_dict()).sort_values(["country_id_gw", "year"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        own, ref.sort_values(["country_id_gw", "year"]).reset_index(drop=True), check_column_type=False
    )


def test_mission_verbs_on_one_mission_reproduce_mission_months(mm):
    from analysis.panels import (
        add_fatalities,
        add_host_conflict,
        add_host_nonun_operations,
        add_mandates,
        add_personnel,
        create_mission_months,
    )

    own = create_mission_months()
    own = own[own["mission_id_un"] == "MINUSMA"].reset_index(drop=True)
    for verb in (add_fatalities, add_personnel, add_mandates, add_host_nonun_operations, add_host_conflict):
        own = verb(own)
    ref = mm[mm["mission_id_un"] == "MINUSMA"].reset_index(drop=True)
    own = own[list(ref.columns)].astype(ref.dtypes.to_dict())
    own = own.sort_values(["year", "month"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(  # same columns by name; the column index's own dtype may differ
        own, ref.sort_values(["year", "month"]).reset_index(drop=True), check_column_type=False
    )
