import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis.errors import MissingColumnError, ModelError
from analysis.models import fit_segmented_trend, rates_by_year, simulate_segmented_series

TERMS = [
    "trend",
    "level_2000",
    "slope_2000",
    "level_2008",
    "slope_2008",
    "level_2013",
    "slope_2013",
    "level_2017",
    "slope_2017",
]


def recovered(r, truth, tol, terms=TERMS):
    """(terms outside the 95% CI, terms farther than tol from the truth)."""
    outside, far = [], []
    for t in terms:
        row = r.term(t)
        if not row["ci_low"] <= truth[t] <= row["ci_high"]:
            outside.append(t)
        if abs(row["estimate"] - truth[t]) > tol:
            far.append(t)
    return outside, far


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_poisson_recovers_level_and_slope_changes(seed):
    s = simulate_segmented_series(seed=seed)
    r = fit_segmented_trend(s, outcome="deaths_n", exposure="personnel_n")
    outside, far = recovered(r, s.attrs["truth"], tol=0.1)
    assert len(outside) <= 1 and not far
    assert r.term("const")["estimate"] == pytest.approx(s.attrs["truth"]["const"], abs=0.1)
    assert r.term("level_2013")["ratio"] == pytest.approx(math.exp(r.term("level_2013")["estimate"]))
    assert r.spec["cov_type"] == "model" and r.fit_stats["dispersion"] >= 1.0
    assert list(r.estimates["term"]) == ["const"] + TERMS


def test_quasi_poisson_widens_intervals_for_overdispersed_counts():
    s = simulate_segmented_series(seed=5, family="negbin", alpha=0.05)
    r = fit_segmented_trend(s, outcome="deaths_n", exposure="personnel_n", estimator="poisson")
    assert r.fit_stats["dispersion"] > 5
    outside, _ = recovered(r, s.attrs["truth"], tol=1.0)
    assert len(outside) <= 1


def test_negbin_recovers_changes_over_several_series():
    s = simulate_segmented_series(seed=3, family="negbin", alpha=0.05, n_groups=6, base=1.0)
    r = fit_segmented_trend(s, outcome="deaths_n", exposure="personnel_n", estimator="negbin", group="group")
    outside, far = recovered(r, s.attrs["truth"], tol=0.25)
    assert len(outside) <= 1 and not far
    assert r.fit_stats["alpha"] == pytest.approx(0.05, abs=0.03)
    assert r.nobs == 6 * 35 and len(r.extra["fe_estimates"]) == 5


@pytest.mark.parametrize("seed", [0, 1])
def test_ols_recovers_linear_changes_and_has_no_ratio(seed):
    s = simulate_segmented_series(seed=seed, family="gaussian", sigma=0.1, base=10.0)
    r = fit_segmented_trend(s, outcome="value", estimator="ols")
    outside, far = recovered(r, s.attrs["truth"], tol=0.3)
    assert len(outside) <= 1 and not far
    assert r.estimates["ratio"].isna().all()
    assert r.fit_stats["r2"] > 0.9
    assert "ratio" not in r.summary_frame().columns


def test_fitted_frame_and_counterfactual():
    s = simulate_segmented_series(seed=0)
    r = fit_segmented_trend(s, outcome="deaths_n", exposure="personnel_n")
    f = r.extra["fitted"]
    assert list(f.columns) == ["year", "observed", "fitted", "counterfactual", "exposure"]
    assert len(f) == 35 and f["year"].tolist() == list(range(1990, 2025))
    # Poisson with a constant: fitted total equals observed total.
    assert f["fitted"].sum() == pytest.approx(f["observed"].sum(), rel=1e-8)
    pre = f["year"] < 2000
    np.testing.assert_allclose(f.loc[pre, "fitted"], f.loc[pre, "counterfactual"])
    b = r.estimates.set_index("term")["estimate"]
    tau = f["year"] - 1990
    expected = np.exp(b["const"] + b["trend"] * tau + np.log(f["exposure"]))
    np.testing.assert_allclose(f["counterfactual"], expected, rtol=1e-10)
    json.dumps(r.to_dict(), allow_nan=False)


def test_rows_summed_into_cells_equal_the_aggregate_poisson_fit():
    s = simulate_segmented_series(seed=1, n_groups=4)
    pooled = s.groupby("year", as_index=False)[["deaths_n", "personnel_n"]].sum()
    r_rows = fit_segmented_trend(s, outcome="deaths_n", exposure="personnel_n")
    r_agg = fit_segmented_trend(pooled, outcome="deaths_n", exposure="personnel_n")
    np.testing.assert_allclose(r_rows.estimates["estimate"], r_agg.estimates["estimate"], rtol=1e-8)
    assert r_rows.nobs == 35
    assert "summed 140 rows into 35 time cells" in r_rows.warnings


def test_group_and_cluster():
    s = simulate_segmented_series(seed=2, n_groups=8, base=1.0)
    r = fit_segmented_trend(s, outcome="deaths_n", exposure="personnel_n", group="group", cluster="group")
    assert r.n_clusters == 8 and r.spec["cov_type"] == "cluster"
    assert any("only 8 clusters" in w for w in r.warnings)
    f = r.extra["fitted"]
    assert list(f.columns[:2]) == ["group", "year"] and len(f) == 8 * 35
    assert r.fit_stats.get("resid_acf1") is None


def test_datetime_time_and_no_breaks():
    dates = pd.date_range("2000-01-01", periods=48, freq="MS")
    rng = np.random.default_rng(0)
    tt = dates.year + (dates.month - 1) / 12
    df = pd.DataFrame({"date": dates, "n": rng.poisson(np.exp(2 + 0.1 * (tt - 2000)))})
    r = fit_segmented_trend(df, outcome="n", time="date", breaks=())
    assert list(r.estimates["term"]) == ["const", "trend"]
    assert r.term("trend")["estimate"] == pytest.approx(0.1, abs=0.1)
    assert r.extra["fitted"]["date"].iloc[1] == pytest.approx(2000 + 1 / 12)


def test_exposure_and_outcome_na_rows_dropped_before_summing():
    s = simulate_segmented_series(seed=0, n_groups=2)
    s.loc[[0, 1], "personnel_n"] = pd.NA
    s.loc[2, "personnel_n"] = 0.0
    s.loc[3, "deaths_n"] = pd.NA
    r = fit_segmented_trend(s, outcome="deaths_n", exposure="personnel_n")
    assert r.extra["dropped"]["outcome_na"] == 1
    assert r.extra["dropped"]["exposure_na_or_nonpositive"] == 3
    f = r.extra["fitted"].set_index("year")
    # Years 1990-1993 keep only the second series' row.
    second = s.iloc[35:].set_index("year")
    assert f.loc[1990, "observed"] == second.loc[1990, "deaths_n"]
    assert f.loc[1990, "exposure"] == pytest.approx(second.loc[1990, "personnel_n"])


# ----------------------------------------------------------------------------- validation and errors


def test_invalid_estimator_lists_valid_values():
    s = simulate_segmented_series(seed=0)
    with pytest.raises(
        ValueError, match=r"estimator='logit' is not valid; valid values: 'poisson', 'negbin', 'ols'"
    ):
        fit_segmented_trend(s, outcome="deaths_n", estimator="logit")


@pytest.mark.parametrize(
    "breaks, msg",
    [((2008, 2000), "strictly increasing"), ("2000", "sequence"), ((2000, float("nan")), "finite")],
)
def test_bad_breaks(breaks, msg):
    s = simulate_segmented_series(seed=0)
    with pytest.raises(ValueError, match=msg):
        fit_segmented_trend(s, outcome="deaths_n", breaks=breaks)


def test_break_outside_time_range_is_model_error():
    s = simulate_segmented_series(seed=0)
    with pytest.raises(ModelError, match=r"break 2030 is outside the time range \(1990, 2024\]"):
        fit_segmented_trend(s, outcome="deaths_n", breaks=(2000, 2030))
    with pytest.raises(ModelError, match="break 1990"):
        fit_segmented_trend(s, outcome="deaths_n", breaks=(1990,))


def test_adjacent_breaks_without_data_between_are_named():
    s = simulate_segmented_series(
        seed=0, years=(1990, 2010), breaks=(2000,), level_changes=(0.2,), slope_changes=(0.0,)
    )
    s = s[(s["year"] < 2000) | (s["year"] > 2001)]
    with pytest.raises(ModelError, match=r"rank deficient .*level_2001"):
        fit_segmented_trend(s, outcome="deaths_n", breaks=(2000, 2001))


def test_ols_needs_unique_cells_and_cluster_must_be_constant():
    s = simulate_segmented_series(seed=0, n_groups=3, family="gaussian")
    with pytest.raises(ValueError, match="one row per time"):
        fit_segmented_trend(s, outcome="value", estimator="ols")
    c = simulate_segmented_series(seed=0, n_groups=3)
    with pytest.raises(ValueError, match="cluster 'group' varies within time cells.*group='group'"):
        fit_segmented_trend(c, outcome="deaths_n", cluster="group")


def test_all_zero_counts_and_negative_counts():
    s = simulate_segmented_series(seed=0)
    with pytest.raises(ModelError, match="zero in every cell"):
        fit_segmented_trend(s.assign(deaths_n=0), outcome="deaths_n")
    with pytest.raises(ModelError, match="non-negative integer"):
        fit_segmented_trend(s.assign(deaths_n=-1), outcome="deaths_n")


def test_unknown_columns():
    s = simulate_segmented_series(seed=0)
    with pytest.raises(MissingColumnError, match=r"column 'personnel' \(exposure\)"):
        fit_segmented_trend(s, outcome="deaths_n", exposure="personnel")
    with pytest.raises(MissingColumnError, match=r"column 'yr' \(time\)"):
        fit_segmented_trend(s, outcome="deaths_n", time="yr")


# ----------------------------------------------------------------------------- rates_by_year


@pytest.fixture
def mm():
    # Two missions, 2019-2020; personnel unknown in 2020 for A, in 2020-02.. for B.
    rows = []
    for m, pers in (("A", 1200.0), ("B", 600.0)):
        for y in (2019, 2020):
            for mo in (1, 2, 3):
                p = pers if y == 2019 or (m == "B" and mo == 1) else None
                rows.append(
                    (
                        m,
                        y,
                        mo,
                        1 if mo == 1 else 0,
                        2 if (m == "A" and mo == 2) else 0,
                        p,
                        "Africa" if m == "A" else "Asia",
                    )
                )
    df = pd.DataFrame(
        rows,
        columns=[
            "mission_id_un",
            "year",
            "month",
            "fatalities_hostile_n",
            "fatalities_illness_n",
            "personnel_total_n",
            "region",
        ],
    )
    df["personnel_total_n"] = df["personnel_total_n"].astype("Float64")
    df["fatalities_n"] = df["fatalities_hostile_n"] + df["fatalities_illness_n"]
    return df.astype(
        {
            "year": "Int64",
            "month": "Int64",
            "fatalities_hostile_n": "Int64",
            "fatalities_illness_n": "Int64",
            "fatalities_n": "Int64",
        }
    )


def test_rates_by_year_counts_and_rates(mm):
    r = rates_by_year(mm, "hostile").set_index("year")
    # 2019: 2 deaths; personnel-years = (3*1200 + 3*600) / 12 = 450.
    assert r.loc[2019, "deaths_n"] == 2 and r.loc[2019, "personnel_years"] == pytest.approx(450.0)
    assert r.loc[2019, "rate_per_1000"] == pytest.approx(1000 * 2 / 450)
    assert r.loc[2019, "personnel_coverage"] == pytest.approx(1.0)
    # 2020: 2 deaths but only B's January (1 death) has personnel: 600 / 12 = 50 personnel-years.
    assert r.loc[2020, "deaths_n"] == 2 and r.loc[2020, "deaths_covered_n"] == 1
    assert r.loc[2020, "personnel_years"] == pytest.approx(50.0)
    assert r.loc[2020, "rate_per_1000"] == pytest.approx(20.0)
    assert r.loc[2020, "personnel_coverage"] == pytest.approx(1 / 6)
    assert str(r["rate_per_1000"].dtype) == "Float64" and str(r["deaths_n"].dtype) == "Int64"


def test_rates_by_year_na_where_personnel_unknown_and_by(mm):
    r = rates_by_year(mm, "all", by="region").set_index(["region", "year"])
    assert pd.isna(r.loc[("Africa", 2020), "personnel_years"])
    assert pd.isna(r.loc[("Africa", 2020), "rate_per_1000"])
    assert r.loc[("Africa", 2020), "deaths_n"] == 3
    assert r.loc[("Africa", 2019), "rate_per_1000"] == pytest.approx(1000 * 3 / 300)
    assert r.loc[("Asia", 2020), "rate_per_1000"] == pytest.approx(1000 * 1 / 50)


def test_rates_by_year_validates_cause_and_columns(mm):
    with pytest.raises(ValueError, match=r"cause='hostle' is not valid; valid values: 'hostile', 'accident'"):
        rates_by_year(mm, "hostle")
    with pytest.raises(MissingColumnError, match=r"'fatalities_accident_n' \(cause\)"):
        rates_by_year(mm, "accident")
    with pytest.raises(MissingColumnError, match=r"'month' \(panel\)"):
        rates_by_year(mm.drop(columns="month"), "hostile")
