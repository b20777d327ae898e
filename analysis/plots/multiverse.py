"""Figures of specification curves (notebook 07): the curve over the panel of choices, the
variance decomposition by dimension and the null distributions of the curve statistics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.plots.models import _ratio_ticks
from analysis.plots.style import GREY, MAIN, STYLE, finish, styled

__all__ = ["plot_null_distribution", "plot_specification_curve", "plot_variance_decomposition"]

_SIG = "#2166ac"


@styled
def plot_specification_curve(
    results: pd.DataFrame,
    *,
    dimensions: Sequence[str] | None = None,
    headline: str | None = None,
    ylabel: str = "ratio (95% CI, log scale)",
    title: str = "Specification curve",
    source: str | None = None,
) -> Figure:
    """The curve (estimates sorted, with 95% intervals) above the panel of choices.

    Parameters
    ----------
    results
        :func:`analysis.models.fit_many`'s frame; only ``ok`` rows are drawn (the others are
        counted in the title's footnote by the caller).
    dimensions
        Dimensions of the choice panel (default ``results.attrs["dimensions"]``); a dimension
        with one value in the ``ok`` rows is left out of the panel.
    headline
        ``spec_id`` of the headline specification (drawn in the accent colour, with a line).
    """
    ok = results[(results["status"] == "ok") & np.isfinite(results["ratio"].to_numpy(dtype=float))]
    ok = ok.sort_values("estimate", kind="mergesort").reset_index(drop=True)
    dims = [d for d in (dimensions if dimensions is not None else results.attrs.get("dimensions", []))
            if d in ok and ok[d].nunique() > 1]
    rows = sum(ok[d].nunique() for d in dims)
    n = len(ok)
    fig = Figure(figsize=(9.0, 3.4 + 0.16 * rows), layout="constrained")
    axes = fig.subplots(2, 1, sharex=True, height_ratios=[3.0, max(1.0, 0.16 * rows)])
    ax, axc = axes
    x = np.arange(n)
    if n:
        sig = ok["p_value"].to_numpy(dtype=float) < 0.05
        color = np.where(sig, _SIG, GREY)
        lw = 0.9 if n <= 300 else 0.35
        ax.vlines(x, ok["ratio_ci_low"], ok["ratio_ci_high"], colors=color, linewidth=lw, alpha=0.45)
        ax.scatter(x, ok["ratio"], c=color, s=8 if n <= 300 else 2.5, zorder=3, linewidths=0)
        if headline is not None and (ok["spec_id"] == headline).any():
            i = int(np.flatnonzero(ok["spec_id"].to_numpy() == headline)[0])
            ax.vlines([i], ok["ratio_ci_low"].iloc[i], ok["ratio_ci_high"].iloc[i], colors=MAIN,
                      linewidth=1.8)
            ax.scatter([i], [ok["ratio"].iloc[i]], color=MAIN, s=36, zorder=4, label="headline")
            axc.axvline(i, color=MAIN, linewidth=0.8, alpha=0.6)
            ax.legend(loc="upper left")
        ax.axhline(1.0, color="black", linestyle="--", linewidth=0.8)
        ax.set_yscale("log")
        vals = ok[["ratio_ci_low", "ratio", "ratio_ci_high"]].to_numpy(dtype=float)
        lo, hi = np.nanquantile(vals[:, 0], 0.01), np.nanquantile(vals[:, 2], 0.99)
        ax.set_ylim(max(lo, 1e-3) / 1.3, min(hi, 1e3) * 1.3)
        _y_ratio_ticks(ax, vals)
    ax.set_ylabel(ylabel)
    ax.text(0.99, 0.02, f"{n} specifications; blue: p < 0.05", transform=ax.transAxes, ha="right",
            fontsize=7.5, color=GREY)
    labels, y = [], 0
    for d in dims:
        values = list(dict.fromkeys(results[d].astype(str)))
        values = [v for v in values if v in set(ok[d].astype(str))]
        for v in values:
            hit = np.flatnonzero(ok[d].astype(str).to_numpy() == v)
            axc.scatter(hit, np.full(len(hit), y), marker="|", s=40 if n <= 300 else 8, color="black",
                        linewidths=0.6)
            labels.append(f"{d}: {v}")
            y += 1
        axc.axhline(y - 0.5, color="#cccccc", linewidth=0.5)
    axc.set_yticks(range(len(labels)), labels, fontsize=6.5)
    axc.set_ylim(len(labels) - 0.5, -0.5)
    axc.grid(False)
    axc.set_xlabel("specifications, sorted by the estimate")
    axc.set_xlim(-1, max(n, 1))
    return finish(fig, title, source)


def _y_ratio_ticks(ax: Any, values: np.ndarray) -> None:
    """Plain-number ticks on a log ratio y axis (as the forest plot's x axis)."""
    tmp: Any = type("A", (), {})()
    tmp.xaxis = ax.yaxis
    _ratio_ticks(tmp, values)


@styled
def plot_variance_decomposition(decomposition: pd.DataFrame, *,
                                title: str = "Which choices move the estimate",
                                source: str | None = None) -> Figure:
    """Bars of each dimension's share of the variance of the estimates (alone, and unique)."""
    d = decomposition[decomposition["values_n"] > 1].iloc[::-1]
    fig = Figure(figsize=(7.5, 0.32 * max(len(d), 1) + 1.6), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(d))
    ax.barh(y + 0.18, d["eta2"], height=0.36, color=MAIN, label="alone (eta squared)")
    ax.barh(y - 0.18, d["unique"], height=0.36, color=GREY, label="unique (given the others)")
    ax.set_yticks(y, d["dimension"])
    ax.set_xlim(0, max(1e-9, float(np.nanmax(d[["eta2", "unique"]].to_numpy(dtype=float), initial=0))) * 1.15)
    ax.set_xlabel("share of the variance of the estimates (log scale)")
    ax.grid(axis="x", color=STYLE["grid.color"], linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    return finish(fig, title, source)


@styled
def plot_null_distribution(null: pd.DataFrame, observed: dict, p_values: dict, *,
                           title: str = "The curve under the null", source: str | None = None) -> Figure:
    """Histograms of the three curve statistics over the permutations, the observed value marked."""
    names = {"median": "median estimate (headline direction)",
             "share_significant": "share significant, headline sign",
             "stouffer": "Stouffer's Z (headline direction)"}
    fig = Figure(figsize=(9.0, 2.9), layout="constrained")
    axes = fig.subplots(1, 3)
    for ax, (k, lab) in zip(axes, names.items()):
        v = null[k].to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        if len(v):
            ax.hist(v, bins=min(30, max(5, len(v) // 3)), color="#bbbbbb")
        ob = observed.get(k)
        if ob is not None and np.isfinite(ob):
            ax.axvline(ob, color=MAIN, linewidth=1.6)
        ax.set_title(f"{lab}\np = {p_values.get(k, float('nan')):.3f}", fontsize=8.5)
        ax.set_yticks([])
    return finish(fig, title, source)
