"""Specification curves on the real panels (issue 13): the grids' sizes, the headline of each grid
reproduces its notebook's headline model, the data builders keep the panels' rules (carried-forward
codings, coup codings and their years), and the test sets run with a status on every row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.data import load
from analysis.models import fit_casualty_model, fit_coup_model, fit_many, load_grid, prepare_coup_data
from analysis.models.multiverse.spec import Status
from analysis.studies import coup_design as cd
from analysis.studies.casualties import casualty_frame
from analysis.studies.multiverse import (
    PERIOD_EFFECTS,
    CasualtyData,
    coup_source_years,
    grid_path,
    load_tables,
    question_data,
)
from analysis.vocabulary import MANDATE_CONCEPTS, option_values

STATUSES = set(option_values(Status))


@pytest.fixture(scope="module")
def casualty(raw_cache):
    mm = load("mission_months")
    return mm, CasualtyData(mm), load_grid(grid_path("casualties"))


@pytest.fixture(scope="module")
def coups(raw_cache):
    tables = load_tables("coups")
    return tables, question_data("coups", tables), load_grid(grid_path("coups"))


def test_the_grids_span_at_least_the_issues_numbers_of_specifications(casualty, coups):
    assert casualty[2].size() >= 2000 and coups[2].size() >= 1000
    for grid in (casualty[2], coups[2]):
        specs = grid.specs()
        assert len({s.key() for s in specs}) == len(specs)  # no two combinations give the same model
        assert 8 <= grid.size("test") <= 40


def _notebook_defaults(stem: str) -> dict:
    """The literal defaults of a notebook's parameters cell, as the runner reads them."""
    from analysis.reporting.plan import read_notebook

    return read_notebook(Path(__file__).resolve().parents[2] / "notebooks" / f"{stem}.ipynb").defaults()


def test_the_casualty_headline_is_notebook_02s_model(casualty):
    """The grid's headline is notebook 02's default model, read from the notebook's own defaults
    (outcome = its default cause of death, controls, years)."""
    from analysis.studies.casualties import outcome_column

    mm, data, grid = casualty
    nb = _notebook_defaults("02_robust_mandates_and_casualties")
    controls = list(nb["controls"])
    outcome = outcome_column(nb["cause"], nb["outcome"])
    res = fit_many([grid.headline_spec()], data, backend="serial", progress=False).iloc[0]
    frame = casualty_frame(mm, cause=nb["cause"], outcome=nb["outcome"], controls=controls,
                           years=tuple(nb["years"]))
    ref = fit_casualty_model(frame, outcome=outcome, treatment="is_robust_mandate",
                             controls=controls, exposure="personnel_years_n", fe="year")
    assert outcome == grid.headline_spec().outcome
    r = ref.term("is_robust_mandate")
    assert res["status"] == "ok"
    assert res["ratio"] == pytest.approx(r["ratio"], rel=1e-6)
    assert res["std_error"] == pytest.approx(r["std_error"], rel=1e-5)
    assert res["nobs"] == ref.nobs and res["n_clusters"] == ref.n_clusters


@pytest.mark.parametrize("stem, years", [("04_partnership_and_coups", "years"),
                                         ("06_sahel_case_study", "model_years")])
def test_the_coup_designs_headline_constants_are_the_notebooks_defaults(stem, years):
    """Notebooks 04 and 06 declare their coup model as literal parameters (papermill needs
    literals); the design's HEADLINE_* constants, which the grid and the benchmarks use, must
    stay equal to them."""
    nb = _notebook_defaults(stem)
    assert tuple(nb["controls"]) == cd.HEADLINE_CONTROLS
    assert tuple(nb["periods"]) == cd.HEADLINE_PERIODS
    assert tuple(nb[years]) == cd.HEADLINE_YEARS


def test_the_coup_headline_is_notebook_04s_model(coups):
    """The grid's headline fitted by fit_many is notebook 04's default headline, computed the
    notebook's way: the design panel (post-coup rule, regime controls), prepare_coup_data with
    the nine controls and the period effects, fit_coup_model."""
    tables, data, grid = coups
    head = grid.headline_spec()
    assert list(head.controls) == [*cd.HEADLINE_CONTROLS, PERIOD_EFFECTS]
    res = fit_many([head], data, backend="serial", progress=False).iloc[0]
    panel = cd.coup_panel(tables["country_years"], regime_months=tables["regime_months"],
                          bara=tables["nonun_operations_monthly"],
                          partner_ops=tables["curated.partner_operations"], codes=tables["country_codes"],
                          coups=tables["coups"], post_coup="exclude")
    controls = list(cd.HEADLINE_CONTROLS)
    d = prepare_coup_data(panel, treatment="has_partnership", controls=controls, lag=1,
                          years=cd.HEADLINE_YEARS, region="africa", periods=list(cd.HEADLINE_PERIODS))
    assert len(d.attrs["coup_data"]["periods"]) == 2  # 2001-2012 and 2013-2024 against 1994-2000
    ref = fit_coup_model(d, outcome="has_coup_attempt", treatment="has_partnership",
                         controls=[*controls, *d.attrs["coup_data"]["periods"]], estimator="logit",
                         duration=True, cluster="country_id_gw")
    r = ref.term("has_partnership")
    assert res["status"] == "ok" and res["nobs"] == ref.nobs and res["n_clusters"] == ref.n_clusters
    assert res["ratio"] == pytest.approx(r["ratio"], rel=1e-6)
    assert res["std_error"] == pytest.approx(r["std_error"], rel=1e-6)
    # the notebook's first published design stays a value of the grid (four controls, no periods)
    four = fit_many([head.replace(controls=tuple(grid.dimensions["controls"]["four"]["controls"]))], data,
                    backend="serial", progress=False).iloc[0]
    assert four["status"] == "ok" and four["ratio"] != pytest.approx(res["ratio"], rel=1e-3)


def test_no_treatment_of_the_coup_grid_counts_a_deployment_sent_after_a_coup(coups):
    tables, data, _ = coups
    p, cy = data.panel, tables["country_years"]
    assert p.attrs["coup_design"]["post_coup"] == "exclude"
    assert p.attrs["coup_design"]["post_coup_operations"] == ["afisma", "ecomib"]
    listed = p["is_post_coup_deployment"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    for col in ("has_partner_op", "has_partner_op__curated"):
        src = "has_partner_op_curated" if col.endswith("__curated") else col
        was = cy[src].astype("boolean").fillna(False).to_numpy(dtype=bool)
        now = p[col].astype("boolean").fillna(False).to_numpy(dtype=bool)
        assert (was != now).any() and not (was != now)[~listed].any()  # changed only where listed


def test_carried_forward_text_codings_are_the_panels_filled_columns(casualty):
    mm, data, _ = casualty
    p = data.panel
    for c in MANDATE_CONCEPTS:
        want = mm[f"{c}_filled"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        np.testing.assert_array_equal(p[f"{c}__text__filled"].to_numpy(), want)
    want = mm["is_robust_mandate"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    np.testing.assert_array_equal(p["is_robust_mandate__text"].to_numpy(), want)
    assert p["is_robust_mandate__prev"].notna().sum() < p["is_robust_mandate__text"].notna().sum()
    auth = p["personnel_years_or_authorized_n"]
    dep = p["personnel_years_n"]
    assert (auth[dep.notna()] == dep[dep.notna()]).all()  # the ceiling only where deployments are missing
    # after 2019 the ceiling (stated in about 4 of 10 mandate-months without a deployed figure) fills in
    assert auth[dep.isna() & (p["year"] > 2019)].notna().mean() > 0.3


def test_each_coup_coding_has_its_own_events_clock_and_years(coups):
    tables, data, _ = coups
    p, cy = data.panel, tables["country_years"]
    same = p["has_coup_attempt__powell_thyne"].astype(bool) == cy["has_coup_attempt"].astype(bool).to_numpy()
    assert same.all()  # the coups table is the panel's own coding
    years = coup_source_years()
    late = p["year"] > years["cline"][1]
    assert p.loc[late, "has_coup_attempt__cline"].isna().all() and late.any()
    assert p.loc[~late, "has_coup_attempt__cline"].notna().all()
    agree = (p["has_coup_attempt__coupcats"] == p["has_coup_attempt__powell_thyne"]).mean()
    assert 0.99 < agree < 1.0 or agree == 1.0
    cl = p.loc[~late]
    assert (cl["has_coup_attempt__cline"] != cl["has_coup_attempt__powell_thyne"]).sum() > 5  # another coding


@pytest.mark.parametrize("question", ["casualties", "coups"])
def test_the_test_sets_run_with_a_status_on_every_row(question, casualty, coups):
    data, grid = (casualty[1], casualty[2]) if question == "casualties" else (coups[1], coups[2])
    res = fit_many(grid.specs("test"), data, backend="serial", progress=False)
    assert set(res["status"]) <= STATUSES and (res["status"] == "ok").sum() >= len(res) // 2
    bad = res[res["status"] != "ok"]
    assert bad[["estimate", "ratio", "p_value"]].isna().all().all()
    assert (bad["reason"].str.len() > 0).all()
    ok = res[res["status"] == "ok"]
    assert (ok["ratio_ci_low"] < ok["ratio"]).all() and (ok["ratio"] < ok["ratio_ci_high"]).all()
    assert isinstance(res, pd.DataFrame) and list(res.attrs["dimensions"]) == list(grid.dimensions)
