"""Figures of the casualty studies (notebooks 02 and 03): rates over time with fitted trends and
break years, missions compared. Inputs come from :mod:`analysis.studies.casualties` and
:mod:`analysis.models.trends`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.plots.style import (
    GREY,
    MAIN,
    PALETTE,
    finish,
    new_figure,
    styled,
)

#: Labels of the default break years of the casualty-trend notebook.
BREAK_LABELS: dict[int, str] = {
    2000: "Brahimi report",
    2008: "Capstone doctrine",
    2013: "MINUSMA / robust turn",
    2017: "Cruz report",
    2018: "after the Cruz report",
}

@styled
def plot_rate_trend(
    rates: pd.DataFrame,
    *,
    fitted: pd.DataFrame | None = None,
    breaks: Sequence[int] = (),
    time: str = "year",
    rate: str = "rate_per_1000",
    group: str | None = None,
    ylabel: str = "deaths per 1,000 personnel-years",
    title: str = "Peacekeeper fatality rate",
    source: str | None = "UN fatalities file; Kathman personnel (1990-2019)",
    ncols: int = 3,
    sharey: bool = False,
) -> Figure:
    """Yearly rates (points) with break lines and a fitted segmented trend (lines).

    Parameters
    ----------
    rates
        Frame with ``time``, ``rate`` and optionally ``group``.
    fitted
        Optional frame with ``time`` and ``fitted`` (same scale as ``rate``) and ``group`` when
        grouped; segments between breaks are drawn separately so level shifts show.
    breaks
        Break years (vertical dashed lines, labelled from :data:`BREAK_LABELS` when known). A
        break year is the first year of the new segment.
    group
        Column to draw small multiples by.
    sharey
        Same y axis in every small multiple.
    """
    groups = list(dict.fromkeys(rates[group])) if group else [None]
    ncol = min(ncols, len(groups))
    nrow = int(np.ceil(len(groups) / ncol))
    fig, axes = new_figure(
        3.2 * ncol if group else 9.0,
        2.6 * nrow if group else 4.4,
        nrow,
        ncol,
        squeeze=False,
        sharex=True,
        sharey=sharey,
    )
    flat = axes.ravel()
    for ax, g in zip(flat, groups):
        r = rates if g is None else rates[rates[group] == g]
        r = r.sort_values(time)
        ax.plot(
            r[time],
            r[rate],
            "o-" if fitted is None else "o",
            color="black",
            markersize=3.5,
            linewidth=0.8,
            label="observed",
        )
        if fitted is not None:
            f = fitted if g is None else fitted[fitted[group] == g]
            f = f.sort_values(time)
            edges = [-np.inf, *sorted(breaks), np.inf]
            for k, (lo, hi) in enumerate(zip(edges[:-1], edges[1:])):
                seg = f[(f[time] >= lo) & (f[time] < hi)]
                if len(seg):
                    ax.plot(
                        seg[time],
                        seg["fitted"],
                        color=MAIN,
                        linewidth=1.8,
                        label="fitted segmented trend" if k == 0 else None,
                    )
        if g is not None:
            ax.set_title(str(g), fontsize=10)
    for ax, g in zip(flat, groups):  # limits only once every panel is drawn (shared y axes)
        ax.set_ylim(0, ax.get_ylim()[1])
        top = ax.get_ylim()[1]
        for b in breaks:
            ax.axvline(b - 0.5, color=GREY, linestyle="--", linewidth=0.9)
            if g == groups[0]:
                label = f"{b} {BREAK_LABELS.get(int(b), '')}".strip()
                ax.text(b - 0.4, top, label, rotation=90, fontsize=10, color=GREY, va="top", ha="left")
    for ax in flat[len(groups) :]:
        ax.set_visible(False)
    flat[0].set_ylabel(ylabel)
    if fitted is not None:
        flat[0].legend(loc="upper left", bbox_to_anchor=(0, 0.9) if breaks else None)
    return finish(fig, title, source)


@styled
def plot_mission_comparison(
    yearly: pd.DataFrame,
    totals: pd.DataFrame,
    *,
    focus: str = "MINUSMA",
    by: str = "mission_id_un",
    rate: str = "rate_per_1000",
    deaths: str = "deaths_n",
    period: Sequence[int] | None = None,
    title: str | None = None,
    source: str | None = "UN fatalities file; Kathman personnel (to 2019)",
) -> Figure:
    """MINUSMA (``focus``) against other missions: yearly rates and period totals.

    Parameters
    ----------
    yearly
        Frame with ``by``, ``year``, ``rate`` (one row per mission-year).
    totals
        Frame with ``by``, ``deaths`` and ``rate`` summed over the period (as from
        :func:`analysis.studies.casualties.period_totals`).
    period
        ``[first, last]`` of the totals, for the panel title.
    """
    per = f"{period[0]}-{period[1]}" if period is not None else "whole period"
    title = title or f"{focus} against the other large UN missions"
    fig, (ax1, ax2, ax3) = new_figure(11.0, 4.0, 1, 3, gridspec_kw={"width_ratios": [2.2, 1, 1]})
    missions = list(dict.fromkeys(totals[by]))
    others = [m for m in missions if m != focus]
    colors = {m: PALETTE[1 + i % (len(PALETTE) - 1)] for i, m in enumerate(others)} | {focus: MAIN}
    for m in missions:
        r = yearly[yearly[by] == m].set_index("year")[rate].astype(float).sort_index()
        if len(r):  # gaps (years without a rate) break the line
            r = r.reindex(range(int(r.index.min()), int(r.index.max()) + 1))
        ax1.plot(
            r.index,
            r.to_numpy(),
            marker="o",
            markersize=3,
            color=colors[m],
            linewidth=2.2 if m == focus else 1.1,
            label=m,
        )
    ax1.set_ylabel("deaths per 1,000 personnel-years")
    ax1.set_xlabel("year")
    ax1.legend(ncol=2, loc="upper left")
    ax1.set_title("Yearly rate", fontsize=10)
    ax1.set_ylim(bottom=0)
    pos = np.arange(len(missions))
    bar_colors = [colors[m] for m in missions]
    ax2.barh(pos, totals[deaths].to_numpy(dtype=float), color=bar_colors)
    ax2.set_yticks(pos, missions)
    ax2.invert_yaxis()
    ax2.set_title(f"Deaths, {per}", fontsize=10)
    ax2.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax2.grid(axis="y", visible=False)
    ax3.barh(pos, totals[rate].to_numpy(dtype=float), color=bar_colors)
    ax3.set_yticks(pos, [])
    ax3.invert_yaxis()
    ax3.set_title(f"Rate per 1,000 personnel-years, {per}", fontsize=10)
    ax3.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax3.grid(axis="y", visible=False)
    return finish(fig, title, source)
