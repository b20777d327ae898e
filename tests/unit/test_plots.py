"""analysis.plots: every function returns a titled Figure from synthetic inputs (values invented)."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis.models.results import ModelResult
from analysis.plots import casualties as casualty_plots
from analysis.plots import models as model_plots
from analysis.plots import overview as overview_plots
from analysis.plots import style


def _title(fig: Figure) -> str:
    return fig._suptitle.get_text() if fig._suptitle is not None else ""


def _footnote(fig: Figure) -> str:
    return " ".join(t.get_text() for t in fig.texts)


def _render(fig: Figure) -> None:
    fig.canvas.draw()  # layout and drawing must not fail


def test_style_is_not_leaked():
    before = mpl.rcParams["axes.titleweight"]
    overview_plots.plot_fatalities_by_cause(pd.DataFrame({"hostile": [1, 2]}, index=[2000, 2001]))
    assert mpl.rcParams["axes.titleweight"] == before


def test_plot_coverage_solid_and_graded():
    solid = pd.DataFrame({"group": "s", "label": "s: f", "year": [2000, 2001, 2003], "share": 1.0})
    fig = overview_plots.plot_coverage(solid, title="Years covered", source="registry")
    _render(fig)
    assert _title(fig) == "Years covered" and "Data: registry" in _footnote(fig)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["s: f"]
    assert len(ax.collections[0].get_paths()) == 2  # two runs: 2000-2001 and 2003
    graded = pd.DataFrame({"group": "t", "label": ["t.a", "t.a", "t.b"], "year": [2000, 2001, 2000],
                           "share": [0.5, 1.0, 0.0]})
    fig = overview_plots.plot_coverage(graded)
    _render(fig)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "75%" in texts and "0%" in texts  # overall share per row


def test_plot_fatalities_by_cause_stacks():
    counts = pd.DataFrame({"hostile": [1, 2], "illness": [3, 0]}, index=[2000, 2001])
    fig = overview_plots.plot_fatalities_by_cause(counts, mark_years=[2001])
    _render(fig)
    assert "2000-2001" in _title(fig)
    ax = fig.axes[0]
    heights = [p.get_height() + p.get_y() for p in ax.patches]
    assert max(heights) == 4  # 1 hostile + 3 illness stacked in 2000
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["hostile", "illness"]


def test_plot_personnel_marks_peak_and_fall():
    yearly = pd.DataFrame({
        "year": pd.array([2013, 2014, 2015, 2016, 2017], dtype="Int64"),
        "personnel_total_n": pd.array([90, 100, 110, 100, 55], dtype="Int64"),
        "troops_n": pd.array([80, 90, 100, 90, 50], dtype="Int64"),
        "police_n": pd.array([5, 5, 5, 5, 3], dtype="Int64"),
        "observers_n": pd.array([5, 5, 5, 5, 2], dtype="Int64"),
        "personnel_total_n_kathman_dec": pd.array([90, 100, 110, None, None], dtype="Int64"),
    })
    fig = overview_plots.plot_personnel(yearly, peak_from=2010)
    _render(fig)
    notes = [t.get_text() for t in fig.axes[0].texts]
    assert "peak 2015: 110" in notes
    assert any(n.startswith("2017: 55 (-50%)") for n in notes)


def test_plot_missions_by_mandate():
    counts = pd.DataFrame({"robust (Chapter VII + PoC)": [1, 2], "neither": [3, 3]}, index=[2010, 2011])
    fig = overview_plots.plot_missions_by_mandate(counts, note="carried forward")
    _render(fig)
    assert "2010-2011" in _title(fig)
    assert "carried forward" in [t.get_text() for t in fig.axes[0].texts]


def test_plot_partner_operations_with_counts():
    spans = pd.DataFrame({"label": ["A (MLI)", "B (SOM)"], "org_type": ["ad_hoc", "regional"],
                          "start": pd.to_datetime(["2013-01-01", "2007-03-01"]),
                          "end": pd.to_datetime(["2016-06-30", "2024-12-31"]), "is_open": [False, True]})
    spans.attrs["undated"] = ["x"]
    counts = pd.DataFrame({"regional": [2, 3], "ad_hoc": [0, 1]}, index=[2010, 2011])
    fig = overview_plots.plot_partner_operations(spans, counts=counts)
    _render(fig)
    assert len(fig.axes) == 2
    assert "Not drawn: x (no start date)" in _footnote(fig)
    assert overview_plots.plot_partner_operations(spans).axes[0].get_yticklabels()[0].get_text() == "A (MLI)"


def test_plot_rate_trend_segments_break_at_breaks():
    rates = pd.DataFrame({"year": range(2000, 2010), "rate_per_1000": np.linspace(1, 2, 10)})
    fitted = pd.DataFrame({"year": range(2000, 2010), "fitted": np.linspace(1, 2, 10)})
    fig = casualty_plots.plot_rate_trend(rates, fitted=fitted, breaks=[2005])
    _render(fig)
    lines = [ln for ln in fig.axes[0].get_lines() if ln.get_color() == style.MAIN]
    assert [len(ln.get_xdata()) for ln in lines] == [5, 5]  # one fitted segment per side of the break
    grouped = rates.assign(g=["a"] * 5 + ["b"] * 5)
    fig = casualty_plots.plot_rate_trend(grouped, group="g", ncols=2)
    assert [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()] == ["a", "b"]


def _result() -> ModelResult:
    est = pd.DataFrame({
        "term": ["const", "x", "z"], "estimate": [0.1, np.log(2.0), 0.0], "std_error": 0.1, "z": 1.0,
        "p_value": 0.5, "ci_low": 0.0, "ci_high": 0.0, "ratio": [np.exp(0.1), 2.0, 1.0],
        "ratio_ci_low": [1.0, 1.5, 0.5], "ratio_ci_high": [1.2, 3.0, 2.0],
    })
    return ModelResult("negbin", {}, est, nobs=10, n_clusters=2, converged=True)


def test_plot_forest_from_result_mapping_and_frame():
    fig = model_plots.plot_forest(_result(), title="IRRs")
    _render(fig)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["x", "z"]  # the constant is not a ratio of interest
    assert "2.00 [1.50, 3.00]" in [t.get_text() for t in fig.axes[0].texts]
    fig = model_plots.plot_forest({"m1": _result(), "m2": _result()}, terms=["x"], highlight="m2")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["m1", "m2"]
    frame = pd.DataFrame({"label": ["ok", "bad"], "ratio": [1.5, np.nan], "ratio_ci_low": [1.0, np.nan],
                          "ratio_ci_high": [2.0, np.inf]})
    fig = model_plots.plot_forest(frame)
    _render(fig)
    assert " not finite" in [t.get_text() for t in fig.axes[0].texts]
    with pytest.raises(ValueError, match="terms="):
        model_plots.plot_forest({"m1": _result()})


def test_plot_mission_comparison():
    yearly = pd.DataFrame({"mission_id_un": ["MINUSMA", "MINUSMA", "UNMISS"], "year": [2013, 2015, 2013],
                           "rate_per_1000": [2.0, 1.0, 0.2]})
    totals = pd.DataFrame({"mission_id_un": ["MINUSMA", "UNMISS"], "deaths_n": [90, 10],
                           "rate_per_1000": [1.5, 0.2]})
    fig = casualty_plots.plot_mission_comparison(yearly, totals, period=[2013, 2015])
    _render(fig)
    ax = fig.axes[0]
    minusma = ax.get_lines()[0]
    assert np.isnan(minusma.get_ydata()[1])  # 2014 has no rate: the line is broken, not interpolated
    assert fig.axes[1].get_title(loc="left") == "Deaths, 2013-2015"


def test_plot_rate_trend_shared_y_shows_every_panel():
    r = pd.DataFrame({"year": list(range(2000, 2010)) * 2, "rate_per_1000": [0.5] * 10 + [3.0] * 10,
                      "g": ["a"] * 10 + ["b"] * 10})
    fig = casualty_plots.plot_rate_trend(r, group="g", ncols=2, sharey=True, breaks=[2005])
    _render(fig)
    assert all(ax.get_ylim()[0] == 0 and ax.get_ylim()[1] >= 3.0 for ax in fig.axes)


# ----------------------------------------------------------------------------- casualty designs


def _min_font(fig: Figure) -> float:
    from analysis.reporting.reporter import smallest_text_pt

    fig.canvas.draw()
    return smallest_text_pt(fig)


def test_design_plots_event_study_and_leave_one_out():
    from analysis.models import fit_event_study
    from analysis.models.dgp import simulate_staggered_panel
    from analysis.plots import casualty_designs as dp

    df = simulate_staggered_panel(seed=3, n_units=30)
    res = fit_event_study(
        df,
        outcome="deaths_n",
        unit="unit_id",
        time="period",
        treatment="is_treated",
        exposure="personnel_n",
        bin_width=6,
    )
    fig = dp.plot_event_study({"is_treated": res}, labels={"is_treated": "treated"}, title="T", source="sim")
    assert _title(fig) == "T" and "Data: sim" in _footnote(fig) and _min_font(fig) >= style.MIN_FONT_PT
    # six panels as in notebook 02, saved as the report saves it: the legend under the panels
    # covers neither the source line nor the title
    from analysis.reporting.figures import png_bytes

    six = {f"c{i}": res for i in range(6)}
    fig6 = dp.plot_event_study(six, title="Within missions: 5 concepts with an estimable change",
                               source="mission_months; mandates from the Security Council texts")
    png_bytes(fig6)
    renderer = fig6._get_renderer()
    legend = fig6.legends[0].get_window_extent(renderer)
    for text in [*fig6.texts, fig6._suptitle]:
        assert not legend.overlaps(text.get_window_extent(renderer)), text.get_text()
    pts = dp.event_study_points({"is_treated": res})
    assert set(pts["estimator"]) == {"stacked", "naive TWFE"} and len(pts) == len(res.coefficients) + len(
        res.naive
    )
    loo = pd.DataFrame(
        {
            "cluster": ["A", "B", "C"],
            "status": ["ok", "ok", "no events"],
            "ratio": [1.5, 2.5, np.nan],
            "ratio_ci_low": [0.8, 1.2, np.nan],
            "ratio_ci_high": [3.0, 5.0, np.nan],
        }
    )
    fig = dp.plot_leave_one_out(loo, 2.0, title="L")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "without A",
        "without B",
    ]  # no-event rows left out
    assert _min_font(fig) >= style.MIN_FONT_PT


def test_design_plots_break_search_and_exposure_ratio():
    from analysis.plots import casualty_designs as dp

    tab = pd.DataFrame({"year": [2010, 2011, 2012, 2013], "stat": [1.0, 5.0, 2.0, 0.5]})
    fig = dp.plot_break_search(tab, np.array([1.0, 2.0, 3.0, 4.0, 6.0]), marked={2013: "MINUSMA"}, title="B")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["2013 MINUSMA"] and _min_font(fig) >= style.MIN_FONT_PT
    comp = pd.DataFrame(
        {
            "mission_id_un": ["A", "B", "C"],
            "months_both_n": [24, 30, 3],
            "deployed_to_authorized": [0.8, 1.3, 0.5],
        }
    )
    fig = dp.plot_exposure_ratio(comp, title="E")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "A",
        "B",
    ]  # fewer than 12 months left out
    assert _min_font(fig) >= style.MIN_FONT_PT
