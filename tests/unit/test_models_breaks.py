"""Break-year search: finds a planted break, holds its size without one, fixed and chosen years."""

import json

import numpy as np
import pytest

from analysis.errors import ModelError
from analysis.models import fit_segmented_trend, simulate_segmented_series
from analysis.models.breaks import search_breaks

KW = dict(outcome="deaths_n", exposure="personnel_n")


def no_break(seed, family="poisson"):
    return simulate_segmented_series(
        seed=seed, breaks=(), level_changes=(), slope_changes=(), family=family, alpha=0.05
    )


@pytest.mark.parametrize(
    ("family", "estimator", "level", "alpha"),
    # overdispersed: the null's dispersion absorbs part of the break (conservative), so less power
    [("poisson", "poisson", 0.6, 0.01), ("negbin", "quasipoisson", 0.8, 0.05)],
)
def test_finds_a_planted_break(family, estimator, level, alpha):
    s = simulate_segmented_series(
        seed=1, breaks=(2008,), level_changes=(level,), slope_changes=(0.0,), family=family, alpha=0.02
    )
    r = search_breaks(s, estimator=estimator, reps=199, **KW)
    assert r.best_year == 2008 and r.p_value < alpha
    t = r.table.set_index("year")
    assert t.loc[2008, "p_search"] == r.p_value
    # the break at the estimated year is the segmented model of trends.py
    fit = fit_segmented_trend(s, breaks=[2008], **KW)
    assert t.loc[2008, "level"] == pytest.approx(fit.term("level_2008")["estimate"], abs=1e-6)
    assert t.loc[2008, "slope"] == pytest.approx(fit.term("slope_2008")["estimate"], abs=1e-6)
    assert t.loc[2008, "level_ratio"] == pytest.approx(np.exp(t.loc[2008, "level"]))
    # the planted year stands out among the placebo years: far from it the statistic is much smaller
    far = t[(t.index <= 2003) | (t.index >= 2013)]
    assert (far["stat"] < 0.5 * r.sup_stat).all()
    json.dumps(r.to_dict(), allow_nan=False)


@pytest.mark.slow
def test_rejects_at_about_the_nominal_rate_without_a_break_poisson():
    p = [
        search_breaks(no_break(100 + k), reps=99, seed=k, estimator="poisson", **KW).p_value
        for k in range(100)
    ]
    rate = float(np.mean(np.array(p) < 0.05))
    assert 0.01 <= rate <= 0.10, rate
    # and the p-values are spread out, not piled at 0 or 1
    assert 0.3 <= float(np.median(p)) <= 0.7


@pytest.mark.slow
def test_rejects_at_about_the_nominal_rate_without_a_break_overdispersed():
    p = [
        search_breaks(no_break(500 + k, "negbin"), reps=99, seed=k, estimator="quasipoisson", **KW).p_value
        for k in range(300)
    ]
    rate = float(np.mean(np.array(p) < 0.05))
    assert 0.02 <= rate <= 0.09, rate


@pytest.mark.slow  # 40 break searches with bootstrap, ~2 s
def test_naive_chi2_reference_would_over_reject_where_the_bootstrap_does_not():
    """The sup over ~30 years of a chi2(2) statistic is far above chi2(2)'s 95% quantile under the null."""
    sups = [
        search_breaks(no_break(200 + k), reps=19, seed=k, estimator="poisson", **KW).sup_stat
        for k in range(40)
    ]
    assert np.mean(np.array(sups) > 5.99) > 0.3


def test_fixed_break_and_a_chosen_year():
    s = simulate_segmented_series(
        seed=2, breaks=(2008, 2018), level_changes=(0.5, -0.4), slope_changes=(0.0, 0.0)
    )
    r = search_breaks(s, fixed_breaks=[2018], reps=199, estimator="poisson", **KW)
    years = r.table["year"].tolist()
    assert all(abs(y - 2018) >= 3 for y in years) and "level_2018" in r.null_fit
    assert r.best_year == 2008 and r.p_value < 0.01 and r.fixed_breaks == [2018]
    one = search_breaks(s, candidates=[2018], reps=199, estimator="poisson", **KW)
    assert one.table["year"].tolist() == [2018]
    assert one.p_value == one.table["p_pointwise"].item() == one.table["p_search"].item()


def test_options_are_validated():
    s = no_break(1)
    with pytest.raises(ValueError, match="estimator="):
        search_breaks(s, estimator="negbin", **KW)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="reps"):
        search_breaks(s, reps=5, **KW)
    with pytest.raises(ModelError, match="outside"):
        search_breaks(s, candidates=[1980], **KW)
    with pytest.raises(ModelError, match="no candidate"):
        search_breaks(s.iloc[:5], min_segment=3, **KW)
    with pytest.raises(ValueError, match="strictly increasing"):
        search_breaks(s, fixed_breaks=[2010, 2005], **KW)
