"""Figures of the casualty designs (notebooks 02 and 03): event studies with their pre-trends, the
leave-one-mission-out estimates, the break-year search and the deployed / authorised comparison.

Inputs come from :mod:`analysis.studies.casualty_events`, :mod:`analysis.studies.casualty_inference`,
:mod:`analysis.studies.casualties` and :func:`analysis.models.search_breaks`. Nothing here loads data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from analysis.plots.style import GREY, MAIN, finish, new_figure, styled

_NAIVE = "#2166ac"


def _log_ratio_axis(ax: Any, lo: float, hi: float) -> None:
    cands = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]
    ticks = [t for t in cands if lo <= t <= hi] or [1]
    ax.set_yscale("log")
    ax.set_ylim(lo, hi)
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    ax.yaxis.set_minor_locator(NullLocator())


def event_study_points(fits: Mapping[str, Any]) -> pd.DataFrame:
    """The plotted points of :func:`plot_event_study`: one row per concept, estimator and bin."""
    rows = []
    for concept, res in fits.items():
        for est, tab in (("stacked", res.coefficients), ("naive TWFE", res.naive)):
            for _, r in tab.iterrows():
                rows.append({"concept": concept, "estimator": est, "bin": int(r["bin"]),
                             "rel_start": r["rel_start"], "rel_end": r["rel_end"], "status": r["status"],
                             "ratio": r["ratio"], "ratio_ci_low": r["ratio_ci_low"],
                             "ratio_ci_high": r["ratio_ci_high"], "n_events": r["n_events"]})
    return pd.DataFrame(rows)


@styled
def plot_event_study(
    fits: Mapping[str, Any],
    *,
    labels: Mapping[str, str] | None = None,
    title: str = "Deaths before and after a mandate change",
    source: str | None = None,
    ncols: int = 3,
    clip: tuple[float, float] = (0.05, 20.0),
) -> Figure:
    """Event-time rate ratios (stacked PPML, red; naive TWFE, blue) with 95% intervals, per concept.

    Bins left of the dashed line are leads (the pre-trend); the reference bin (the months just
    before the change) is 1 by construction. Bins whose estimate diverges or has no treated row
    are marked with a grey cross on the 1 line. Intervals are clipped to ``clip`` (arrows mark
    a clipped end).
    """
    labels = dict(labels or {})
    names = list(fits)
    ncol = max(1, min(ncols, len(names)))
    nrow = int(np.ceil(len(names) / ncol)) if names else 1
    fig, axes = new_figure(3.6 * ncol, 3.0 * nrow + 0.6, nrow, ncol, squeeze=False, sharey=True)
    flat = axes.ravel()
    lo_c, hi_c = clip
    for ax, c in zip(flat, names):
        res = fits[c]
        width = int(res.spec["bin_width"])
        for tab, color, dx, lab in ((res.coefficients, MAIN, -0.12, "stacked (clean controls)"),
                                    (res.naive, _NAIVE, 0.12, "naive TWFE")):
            if tab is None or not len(tab):
                continue
            for _, r in tab.iterrows():
                x = float(r["bin"]) + dx
                if r["status"] == "reference":
                    ax.plot(x, 1.0, "o", color=color, markerfacecolor="white", markersize=5)
                    continue
                if r["status"] != "ok" or not np.isfinite(r["ratio"]):
                    ax.plot(x, 1.0, "x", color=GREY, markersize=5)
                    continue
                lo = float(np.clip(r["ratio_ci_low"], lo_c, hi_c))
                hi = float(np.clip(r["ratio_ci_high"], lo_c, hi_c))
                ax.plot([x, x], [lo, hi], color=color, linewidth=1.4)
                ax.plot(x, float(np.clip(r["ratio"], lo_c, hi_c)), "o", color=color, markersize=4.5,
                        label=lab if r["bin"] == tab["bin"].max() else None)
        ax.axhline(1.0, color=GREY, linewidth=0.9)
        ax.axvline(-0.5, color=GREY, linestyle="--", linewidth=0.9)
        used = int((res.events["status"] == "used").sum())
        p = res.pretrend.get("p_f")
        ptxt = f"pre-trend p = {p:.2f}" if p is not None and np.isfinite(p) else "no pre-trend test"
        ax.set_title(f"{labels.get(c, c)}\n{used} clean events; {ptxt}", fontsize=10)
        bins = sorted(res.coefficients["bin"].astype(int))
        ax.set_xticks(bins, [f"{b * width:+d}" for b in bins])
        ax.set_xlabel(f"months from the change ({width}-month bins)")
        _log_ratio_axis(ax, lo_c, hi_c)
    for ax in flat[len(names):]:
        ax.set_visible(False)
    flat[0].set_ylabel("rate ratio (95% CI, log scale)")
    handles, labs = [], []
    for ax in flat[: len(names)]:
        h, lab = ax.get_legend_handles_labels()
        for hh, ll in zip(h, lab):
            if ll not in labs:
                handles.append(hh)
                labs.append(ll)
    if handles:
        # anchored under the panels, not "outside": the layout engine would move an outside legend
        # onto the source line when the figure is saved with a tight bounding box
        fig.legend(handles, labs, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2, frameon=False)
    return finish(fig, title, source, source_y=-0.07)  # below the legend


@styled
def plot_leave_one_out(
    table: pd.DataFrame,
    full_ratio: float,
    *,
    top: int = 12,
    title: str = "Which missions drive the estimate",
    xlabel: str = "incidence-rate ratio without the mission (95% CI, log scale)",
    source: str | None = None,
) -> Figure:
    """The ratio re-estimated without each of the ``top`` most influential missions (largest
    change first), with the full-sample ratio as a red line."""
    t = table[table["status"] == "ok"].head(top).reset_index(drop=True)
    n = max(len(t), 1)
    fig, ax = new_figure(8.0, 0.36 * n + 1.7)
    for i, r in t.iterrows():
        ax.plot([r["ratio_ci_low"], r["ratio_ci_high"]], [i, i], color="black", linewidth=1.3)
        ax.plot(r["ratio"], i, "s", color="black", markersize=5)
    ax.axvline(full_ratio, color=MAIN, linewidth=1.6)
    ax.text(full_ratio, -0.55, f" all missions: {full_ratio:.2f}", color=MAIN, va="bottom", ha="left",
            fontsize=10)
    ax.axvline(1.0, color=GREY, linestyle="--", linewidth=0.9)
    ax.set_xscale("log")
    ends = t[["ratio_ci_low", "ratio_ci_high"]].to_numpy(dtype=float).ravel()
    vals = np.concatenate([ends, [full_ratio, 1.0]])
    vals = vals[np.isfinite(vals) & (vals > 0)]
    cands = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50]
    ticks = [c for c in cands if vals.min() / 1.5 <= c <= vals.max() * 1.5] or [1]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_yticks(range(len(t)), [f"without {m}" for m in t["cluster"]])
    ax.set_ylim(n - 0.5, -1.2)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel)
    return finish(fig, title, source)


@styled
def plot_break_search(
    table: pd.DataFrame,
    sup_boot: np.ndarray,
    *,
    marked: Mapping[int, str] | None = None,
    title: str = "Where would a break fit best?",
    source: str | None = None,
) -> Figure:
    """The (quasi-)LR statistic of a break in each candidate year, against the bootstrap 95% critical
    value of the largest one (the search-adjusted line): a year above the line stands out from
    the best break a search anywhere would find by chance."""
    fig, ax = new_figure(9.0, 4.2)
    y = table["year"].astype(int).to_numpy()
    s = table["stat"].astype(float).to_numpy()
    ax.bar(y, s, color="#bbbbbb", width=0.75, label="break statistic of the year (placebo in every year)")
    for yy, ss in zip(y, s):
        if marked and int(yy) in marked:
            ax.bar([yy], [ss], color=MAIN, width=0.75)
    if len(sup_boot):
        crit = float(np.quantile(sup_boot, 0.95))
        ax.axhline(crit, color="black", linestyle="--", linewidth=1.1,
                   label=f"95% bootstrap critical value of the best break ({crit:.1f})")
    heights = dict(zip(y.tolist(), s.tolist()))
    tallest = float(np.nanmax(s)) if len(s) else 1.0
    for yy, lab in (marked or {}).items():
        if int(yy) in heights:
            ax.text(yy, heights[int(yy)] + 0.02 * tallest, f"{yy} {lab}".strip(), rotation=90, va="bottom",
                    ha="center", fontsize=10, color=MAIN)
    ax.set_ylim(0, tallest * 1.75)
    ax.set_xlabel("first year of the new segment")
    ax.set_ylabel("quasi-likelihood-ratio statistic")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.18), ncol=1)
    return finish(fig, title, source)


@styled
def plot_exposure_ratio(
    comparison: pd.DataFrame,
    *,
    min_months: int = 12,
    title: str = "Deployed personnel against authorised ceilings",
    source: str | None = None,
) -> Figure:
    """Deployed / authorised ratio by mission (months with both figures, at least ``min_months``)."""
    c = comparison[comparison["months_both_n"] >= min_months].sort_values("deployed_to_authorized")
    n = max(len(c), 1)
    fig, ax = new_figure(8.0, 0.34 * n + 1.7)
    vals = c["deployed_to_authorized"].to_numpy(dtype=float)
    colors = [MAIN if v > 1.05 else "#4d4d4d" for v in vals]
    ax.barh(range(len(c)), vals, color=colors)
    ax.axvline(1.0, color=GREY, linestyle="--", linewidth=0.9)
    ax.set_yticks(range(len(c)), list(c["mission_id_un"]))
    for i, (v, m) in enumerate(zip(vals, c["months_both_n"])):
        ax.text(v, i, f" {v:.2f} ({int(m)} months)", va="center", fontsize=10)
    ax.set_xlim(0, max(2.6, float(np.nanmax(vals)) * 1.35 if len(vals) else 2.6))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("deployed / authorised (mean over months with both); red: deployed above the ceiling")
    return finish(fig, title, source)


def essay_marks(breaks: Sequence[int], labels: Mapping[int, str]) -> dict[int, str]:
    """Break years with their labels (for :func:`plot_break_search`)."""
    return {int(b): labels.get(int(b), "") for b in breaks}
