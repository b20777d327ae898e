"""Figures of model results shared by the studies: the forest plot of ratios with intervals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from analysis.plots.style import (
    GREY,
    MAIN,
    finish,
    new_figure,
    styled,
)


def _forest_rows(results: Any, terms: Sequence[str] | None) -> pd.DataFrame:
    """Rows ``label, ratio, ratio_ci_low, ratio_ci_high`` from results or a frame."""
    if isinstance(results, pd.DataFrame):
        rows = results.copy()
        if "label" not in rows:
            rows["label"] = rows["term"]
        return rows
    if hasattr(results, "estimates"):  # one ModelResult: its terms
        est = results.estimates
        if terms is None:
            keep = ~est["term"].str.contains(r"^(?:Intercept|const)$|C\(|\[T\.|^fe_|^alpha$", regex=True)
            est = est[keep & est["ratio"].notna()]
        else:
            est = est.set_index("term").loc[list(terms)].reset_index()
        return est.assign(label=est["term"])
    if not terms:
        raise ValueError("plot_forest: give terms=[...] when results is a mapping label -> ModelResult")
    rows = []
    for label, res in dict(results).items():  # mapping label -> ModelResult (one term each)
        for t in terms or []:
            r = res.term(t)
            rows.append(
                {
                    "label": label if len(terms or []) == 1 else f"{label}: {t}",
                    "ratio": r["ratio"],
                    "ratio_ci_low": r["ratio_ci_low"],
                    "ratio_ci_high": r["ratio_ci_high"],
                }
            )
    return pd.DataFrame(rows)


def _ratio_ticks(ax: Any, values: np.ndarray) -> None:
    """Plain-number ticks (0.5, 1, 2, ...) on a log ratio axis."""
    v = values[np.isfinite(values) & (values > 0)]
    if not len(v):
        return
    lo, hi = min(v.min(), 1.0), max(v.max(), 1.0)
    cands = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]
    ticks = [t for t in cands if lo / 1.5 <= t <= hi * 1.5] or [1]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    ax.xaxis.set_minor_locator(NullLocator())


@styled
def plot_forest(
    results: Any,
    *,
    terms: Sequence[str] | None = None,
    xlabel: str = "ratio (95% CI), log scale",
    title: str = "Estimates",
    source: str | None = None,
    highlight: str | None = None,
) -> Figure:
    """Forest plot of incidence-rate or odds ratios with 95% confidence intervals (log scale).

    Parameters
    ----------
    results
        One ModelResult (its non-intercept, non-fixed-effect terms, or ``terms``), a mapping
        ``label -> ModelResult`` (one row per model for each of ``terms``), or a frame with
        ``label`` (or ``term``), ``ratio``, ``ratio_ci_low``, ``ratio_ci_high``.
    highlight
        Label drawn in the accent colour (e.g. the headline specification).
    """
    rows = _forest_rows(results, terms).reset_index(drop=True)
    n = len(rows)
    fig, ax = new_figure(8.0, 0.38 * n + 1.6)
    for i, r in rows.iterrows():
        color = MAIN if (highlight is not None and r["label"] == highlight) else "black"
        lo, hi, est = float(r["ratio_ci_low"]), float(r["ratio_ci_high"]), float(r["ratio"])
        if not np.isfinite([lo, hi, est]).all() or min(lo, est) <= 0:
            ax.text(1.0, i, " not finite", va="center", fontsize=10, color=GREY)
            continue
        ax.plot([lo, hi], [i, i], color=color, linewidth=1.6)
        ax.plot(est, i, "s", color=color, markersize=5.5)
        ax.text(
            1.01,
            i,
            f"{est:.2f} [{lo:.2f}, {hi:.2f}]",
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize=10,
            color=color,
        )
    ax.axvline(1.0, color=GREY, linestyle="--", linewidth=0.9)
    ax.set_xscale("log")
    _ratio_ticks(ax, rows[["ratio_ci_low", "ratio", "ratio_ci_high"]].to_numpy(dtype=float))
    ax.set_yticks(range(n), rows["label"])
    ax.set_ylim(n - 0.5, -0.5)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel)
    return finish(fig, title, source)


