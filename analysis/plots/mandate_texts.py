"""Figures of the mandate texts (notebook 08): the diffusion of the war-on-terror vocabulary into UN
peacekeeping mandates, and the agreement of the text codings with PEMA/TAMM. Inputs come from
:mod:`analysis.studies.mandate_texts`."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from analysis.labels import label
from analysis.plots.style import GREY, MAIN, PALETTE, finish, new_figure, styled

SOURCE_TEXTS = ("UN Security Council resolutions 2000-2025 (UN DGACM, Akoma Ntoso; Source: United Nations), "
                "coded by analysis/core/mandate_rules.csv; PEMA/TAMM where no text decides")


@styled
def plot_diffusion(
    diff: pd.DataFrame,
    concepts: Sequence[str],
    *,
    title: str | None = None,
    source: str | None = SOURCE_TEXTS,
    ncols: int | None = None,
) -> Figure:
    """Small multiples: per concept, the share of UN PKOs whose mandate in force carries it, per year.

    Parameters
    ----------
    diff
        :func:`analysis.studies.mandate_texts.diffusion`.
    concepts
        One panel per concept, in this order.
    ncols
        Panels per row (default: 3, or 4, 2, 5, so that one panel is left for the legend).

    The line is the share among operations whose value is decided; the band runs from the share
    with undecided operations counted as not carrying to the share with them counted as carrying.
    The numbers above the axis are the operations carrying the concept each year.
    """
    n = len(concepts)
    if ncols is None:  # leave an empty panel for the legend
        ncols = next((k for k in (3, 4, 2, 5) if n % k), n + 1)
    nrows = int(np.ceil(n / ncols))
    fig, axes = new_figure(9.0, 2.55 * nrows + 0.9, nrows, ncols, sharex=True, sharey=True, squeeze=False)
    years = sorted(diff["year"].unique())
    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.set_visible(False)
            continue
        concept = concepts[i]
        g = diff[diff["concept"] == concept].sort_values("year")
        x = g["year"].to_numpy(dtype=float)
        color = PALETTE[i % len(PALETTE)]
        ax.fill_between(x, g["share_low"].to_numpy(dtype=float), g["share_high"].to_numpy(dtype=float),
                        color=color, alpha=0.13, linewidth=0, step="mid")
        ax.plot(x, g["share"].to_numpy(dtype=float), color=color, linewidth=1.8, marker="o", markersize=3)
        ax.set_title(textwrap.fill(label(concept), 30), fontsize=10.5)
        ax.set_ylim(0, 1.0)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xticks([2000, 2010, 2020])
        ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
        peak = g.loc[g["share"].astype(float).idxmax()] if g["share"].notna().any() else None
        if peak is not None and peak["carrying_n"] > 0:
            high = float(peak["share"]) > 0.7  # below the point, clear of the panel title
            ax.annotate(f"{int(peak['carrying_n'])} of {int(peak['decided_n'])}\nin {int(peak['year'])}",
                        (float(peak["year"]), float(peak["share"])), xytext=(0, -8 if high else 6),
                        textcoords="offset points", ha="center", va="top" if high else "bottom",
                        fontsize=10, color=GREY, bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 1})
        if i % ncols == 0:
            ax.set_ylabel("share of UN PKOs")
        if i + ncols >= n:  # no panel below: show the years
            ax.tick_params(labelbottom=True)
    handles = [Line2D([], [], color=MAIN, marker="o", markersize=3,
                      label="share among operations\nwhose value is decided"),
               Patch(color=MAIN, alpha=0.13, label="range if the undecided\ncarried it or not")]
    spare = [ax for i, ax in enumerate(axes.flat) if i >= n]
    if spare:  # the legend in the first empty panel
        spare[0].set_visible(True)
        spare[0].set_axis_off()
        spare[0].legend(handles=handles, loc="center", fontsize=10)
    else:
        fig.legend(handles=handles, loc="outside lower center", ncol=1, fontsize=10)
    title = title or (f"Mandates in force of UN peacekeeping operations: share carrying each concept, "
                      f"{int(min(years))}-{int(max(years))}")
    return finish(fig, title, source, wrap=True)


@styled
def plot_agreement(
    view: pd.DataFrame,
    *,
    target: float = 0.8,
    title: str = "Agreement of the text codings with PEMA and TAMM, by mission-month",
    source: str | None = "sc_mandates_monthly (text values) vs mandates_monthly (TAMM to 2015, PEMA v2 to "
    "2019, PEMA v1.2 to 2017)",
) -> Figure:
    """Dot plot of Cohen's kappa (filled) and raw agreement (open) per concept and reference.

    Parameters
    ----------
    view
        :func:`analysis.studies.mandate_texts.agreement_view`.
    target
        Kappa target drawn as a dotted line.
    """
    v = view.reset_index(drop=True)
    labels = [f"{c} vs {r}" for c, r in zip(v["concept"], v["reference"])]
    fig, ax = new_figure(9.0, 0.45 * len(v) + 1.6)
    y = np.arange(len(v))
    ax.scatter(v["kappa"].astype(float), y, color=MAIN, zorder=3, label="Cohen's kappa")
    ax.scatter(v["agreement"].astype(float), y, facecolors="none", edgecolors=GREY, zorder=3,
               label="share of mission-months that agree")
    for yi, k in zip(y, v["kappa"].astype(float)):
        if np.isfinite(k):
            ax.text(k - 0.015, yi + 0.28, f"{k:.2f}", ha="right", va="center", fontsize=10, color=MAIN)
    ax.axvline(target, color=GREY, linestyle=":", linewidth=1)
    ax.text(target, -0.9, f" target {target:.1f}", color=GREY, fontsize=10, va="center")
    ax.set_yticks(y, labels)
    ax.set_ylim(len(v) - 0.4, -1.2)
    ax.set_xlim(min(0.0, float(np.nanmin(v["kappa"].astype(float))) - 0.05), 1.05)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("kappa / agreement")
    fig.legend(loc="outside upper center", ncol=2, fontsize=10)
    return finish(fig, title, source, wrap=True)
