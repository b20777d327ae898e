"""The issue-15 methods on the real panels: they run on the headline specifications.

Assertions are about estimability, internal consistency (the bootstrap's observed t is the
model's z; every mission left out once) and facts of the data, not about the size of effects.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.data import load
from analysis.models import (
    e_value_for,
    fit_casualty_model,
    fit_event_study,
    fit_linear,
    leave_one_cluster_out,
    rates_by_year,
    search_breaks,
    sensitivity_linear,
    wild_cluster_bootstrap,
)
from analysis.models.event_stacking import month_index
from analysis.studies.casualties import casualty_frame, treatment_name

CONTROLS = ["log_host_deaths", "has_jihadist_conflict"]


@pytest.fixture(scope="module")
def mm(raw_cache):
    return load("mission_months")


@pytest.fixture(scope="module")
def headline(mm):
    frame = casualty_frame(
        mm,
        cause="hostile",
        treatment="is_robust_mandate",
        filled=False,
        controls=CONTROLS,
        years=[1990, 2019],
        missions="all",
        unit="month",
        exposure=True,
    )
    term = treatment_name("is_robust_mandate", filled=False)
    r = fit_casualty_model(
        frame,
        outcome="fatalities_hostile_n",
        treatment=term,
        controls=CONTROLS,
        exposure="personnel_years_n",
        fe="year",
        estimator="negbin",
        cluster="mission_id_un",
    )
    return frame, term, r


def test_bootstrap_loo_and_e_value_of_the_casualty_headline(headline):
    frame, term, r = headline
    b = wild_cluster_bootstrap(r, frame, term, reps=999)
    row = r.term(term)
    assert b.status == "ok" and b.n_clusters == r.n_clusters >= 40
    assert b.t_stat == pytest.approx(row["z"], rel=1e-3)
    assert b.ratio_ci_low < b.ratio < b.ratio_ci_high
    loo = leave_one_cluster_out(r, frame, term)
    assert len(loo.table) == r.n_clusters and set(loo.table["status"]) <= {"ok", "no events", "not estimable"}
    assert loo.range["ratio_min"] <= row["ratio"] <= loo.range["ratio_max"]
    ev = e_value_for(r, term, ci=(b.ratio_ci_low, b.ratio_ci_high))
    assert ev["e_value"] >= 1 and ev["e_value_ci"] >= 1
    print(
        f"\nIRR {b.ratio:.2f}, bootstrap CI {b.ratio_ci_low:.2f}-{b.ratio_ci_high:.2f}, p {b.p_value:.3f}; "
        f"LOO {loo.range['ratio_min']:.2f}-{loo.range['ratio_max']:.2f}; E-value {ev['e_value']:.2f}"
    )
    json.dumps(b.to_dict(), allow_nan=False)


def test_linear_probability_variant_and_its_robustness_value(headline):
    frame, term, _ = headline
    f = frame.assign(any_hostile=(frame["fatalities_hostile_n"].astype("Float64") > 0).astype("Float64"))
    lin = fit_linear(
        f, outcome="any_hostile", treatment=term, controls=CONTROLS, fe=["year"], cluster="mission_id_un"
    )
    s = sensitivity_linear(lin, f, term, benchmarks=["log_host_deaths"])
    assert 0 <= s.summary["rv_qa"] <= s.summary["rv_q"] < 1
    assert len(s.bounds) == 3 and s.bounds["r2dz_x"].is_monotonic_increasing


def test_event_study_on_mandate_switches(mm):
    d = mm[mm["year"] <= 2019].assign(t=month_index(mm["year"], mm["month"]))
    r = fit_event_study(
        d,
        outcome="fatalities_hostile_n",
        unit="mission_id_un",
        time="t",
        treatment="has_poc_mandate",
        exposure="personnel_total_n",
        bin_width=6,
    )
    st = r.events["status"]
    # missions born with a protection-of-civilians mandate have no event; some switches are clean
    assert (st == "treated at entry: no event").sum() > 0 and (st == "used").sum() >= 3
    assert set(r.coefficients["status"]) <= {"ok", "reference", "diverges", "not estimated"}
    assert r.n_clusters > 10 and r.pretrend["df"] >= 1
    nc = fit_event_study(
        d,
        outcome="fatalities_illness_n",
        unit="mission_id_un",
        time="t",
        treatment="has_poc_mandate",
        exposure="personnel_total_n",
        bin_width=6,
        naive=False,
    )
    assert (nc.events["status"] == "used").sum() == (st == "used").sum()


def test_break_search_on_the_yearly_rate_series(mm):
    ry = rates_by_year(mm)
    ry = ry[(ry["year"] >= 1990) & (ry["year"] <= 2019)]
    b = search_breaks(ry, outcome="deaths_covered_n", exposure="personnel_years", reps=199)
    assert 1993 <= b.best_year <= 2016 and 0 < b.p_value <= 1
    assert len(b.table) == b.nobs - 5  # 3 years at least in each segment
    one = search_breaks(
        ry, outcome="deaths_covered_n", exposure="personnel_years", reps=199, candidates=[2018]
    )
    assert one.table["year"].tolist() == [2018] and np.isfinite(one.sup_stat)
    print(f"\nbest break {b.best_year} (p {b.p_value:.3f}); break at 2018 alone: p {one.p_value:.3f}")
