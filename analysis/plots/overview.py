"""Figures of the data overview (notebook 01): coverage, fatalities by cause, personnel, mandates,
partner operations. Inputs come from :mod:`analysis.studies.overview`."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.plots.style import (
    CAUSE_COLORS,
    GREY,
    MAIN,
    MANDATE_COLORS,
    ORG_COLORS,
    PALETTE,
    finish,
    new_figure,
    styled,
    year_runs,
)


@styled
def plot_coverage(
    coverage: pd.DataFrame,
    *,
    title: str = "Years covered by each source",
    source: str | None = None,
    min_share: float = 0.0,
    xlim: tuple[int, int] | None = None,
) -> Figure:
    """Coverage chart: one row per label, bars over the years covered, colour by group.

    Parameters
    ----------
    coverage
        Long frame ``group, label, year, share`` (share of rows with a value, 0-1), as from
        :func:`analysis.studies.overview.coverage_from_registry` or
        :func:`analysis.studies.overview.column_coverage`.
    min_share
        A year counts as covered when its share exceeds this value. When some shares lie
        between 0 and 1, each year is a cell shaded by its share and the overall share is
        printed at the right; otherwise covered years are drawn as solid runs.
    xlim
        Years shown (first, last); a row starting earlier says from when at the left edge.
    """
    cov = coverage[coverage["share"] > min_share]
    labels = list(dict.fromkeys(coverage["label"]))
    groups = list(dict.fromkeys(coverage["group"]))
    colors = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    graded = bool(((coverage["share"] > 0) & (coverage["share"] < 0.999)).any())
    fig, ax = new_figure(9.0, max(2.5, 0.24 * len(labels) + 1.2))
    for i, lab in enumerate(labels):
        rows = cov[cov["label"] == lab]
        if graded:
            all_rows = coverage[coverage["label"] == lab]
            ax.text(1.005, i, f"{all_rows['share'].mean():.0%}", transform=ax.get_yaxis_transform(),
                    va="center", fontsize=10, color=GREY)
        if rows.empty:
            continue
        color = mpl.colors.to_rgb(colors[rows["group"].iloc[0]])
        if not graded:  # solid runs of covered years
            runs = [(y - 0.5, n) for y, n in year_runs(rows["year"])]
            ax.broken_barh(runs, (i - 0.35, 0.7), color=color)
            continue
        # one cell per year, shaded by the share of rows with a value
        alpha = 0.12 + 0.88 * rows["share"].clip(0, 1).to_numpy(dtype=float)
        ax.barh(np.full(len(rows), i), 1.0, left=rows["year"].to_numpy(dtype=float) - 0.5, height=0.7,
                color=[(*color, a) for a in alpha], linewidth=0)
    if xlim is not None:
        ax.set_xlim(xlim[0] - 0.5, xlim[1] + 0.5)
        for i, lab in enumerate(labels):
            start = cov.loc[cov["label"] == lab, "year"].min()
            if pd.notna(start) and start < xlim[0]:
                ax.text(xlim[0], i, f" from {int(start)} ", va="center", ha="left", fontsize=10,
                        color="white")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("year")
    if graded:
        ax.set_title("shade: share of the table's rows with a value that year (right: over all years)",
                     fontsize=10, fontweight="normal", color=GREY)
    if 1 < len(groups) <= 4:  # a few groups (tables): say which colour is which
        ax.legend(handles=[Patch(color=colors[g], label=str(g)) for g in groups], loc="upper left",
                  bbox_to_anchor=(0, -0.09 if not graded else -0.07), ncol=len(groups), fontsize=10)
    return finish(fig, title, source)


@styled
def plot_fatalities_by_cause(
    counts: pd.DataFrame,
    *,
    title: str | None = None,
    source: str | None = "UN DPPA/DPOSS peacekeeping fatalities file",
    mark_years: Sequence[int] = (),
) -> Figure:
    """Stacked bars of fatalities per year by cause.

    Parameters
    ----------
    counts
        Index year, one column per cause (as from :func:`analysis.studies.overview.fatalities_by_cause_year`).
    mark_years
        Years marked with a dotted vertical line (e.g. 2000, 2013, 2017).
    """
    years = counts.index.astype(int)
    title = title or f"Fatalities of UN peacekeeping personnel by cause, {years.min()}-{years.max()}"
    fig, ax = new_figure(9.0, 4.2)
    bottom = np.zeros(len(counts))
    for cause in counts.columns:
        vals = counts[cause].to_numpy(dtype=float)
        ax.bar(
            years,
            vals,
            bottom=bottom,
            width=0.85,
            label=str(cause).replace("_", " "),
            color=CAUSE_COLORS.get(str(cause), GREY),
        )
        bottom += vals
    for y in mark_years:
        ax.axvline(y - 0.5, color=GREY, linestyle=":", linewidth=1)
        ax.text(y - 0.5, ax.get_ylim()[1], f" {y}", color=GREY, fontsize=10, va="top")
    ax.set_ylabel("deaths per year (persons)")
    ax.set_xlabel("year of death")
    ax.legend(ncol=len(counts.columns), loc="upper left")
    return finish(fig, title, source)


@styled
def plot_personnel(
    yearly: pd.DataFrame,
    *,
    peak_from: int = 2010,
    years: Sequence[int] | None = None,
    title: str | None = None,
    source: str | None = "OWID (UN figures, December) and Kathman (2013) monthly personnel, December sums",
) -> Figure:
    """Uniformed UN peacekeeping personnel per year: OWID and Kathman series, troops/police/observers.

    The peak after ``peak_from`` and the fall from it to the last year with a value are marked
    (the downsizing since 2015).

    Parameters
    ----------
    yearly
        ``un_personnel_yearly_total`` (``personnel_total_n``, ``troops_n``, ``police_n``,
        ``observers_n`` from OWID; ``personnel_total_n_kathman_dec`` from Kathman).
    """
    df = yearly.sort_values("year")
    if years is not None:
        df = df[(df["year"] >= years[0]) & (df["year"] <= years[1])]
    y = df["year"].astype(int).to_numpy()
    owid = df["personnel_total_n"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    kath = df["personnel_total_n_kathman_dec"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    title = title or f"Uniformed UN peacekeeping personnel deployed, {y.min()}-{y.max()}"
    fig, ax = new_figure(9.0, 4.2)
    parts = [
        ("troops_n", "troops", "#9ecae1"),
        ("police_n", "police", "#4292c6"),
        ("observers_n", "military observers", "#08519c"),
    ]
    stack = np.vstack([df[c].astype("Float64").to_numpy(dtype=float, na_value=np.nan) for c, _, _ in parts])
    ok = ~np.isnan(stack).any(axis=0)
    if ok.any():
        ax.stackplot(
            y[ok],
            stack[:, ok] / 1000,
            labels=[lab for _, lab, _ in parts],
            colors=[c for _, _, c in parts],
            alpha=0.55,
        )
    ax.plot(y, owid / 1000, color="black", linewidth=1.8, label="total (OWID, UN December figures)")
    ax.plot(
        y,
        kath / 1000,
        color=MAIN,
        linewidth=1.2,
        linestyle="--",
        marker="o",
        markersize=2.5,
        label="total (Kathman, December sum over missions)",
    )
    after = (y >= peak_from) & ~np.isnan(owid)
    if after.any():
        i_peak = int(np.nanargmax(np.where(after, owid, np.nan)))
        last = int(np.flatnonzero(~np.isnan(owid))[-1])
        fall = 1 - owid[last] / owid[i_peak]
        ax.annotate(
            f"peak {y[i_peak]}: {owid[i_peak]:,.0f}",
            (y[i_peak], owid[i_peak] / 1000),
            xytext=(-95, 8),
            textcoords="offset points",
            fontsize=10,
            arrowprops={"arrowstyle": "-", "color": GREY},
        )
        ax.annotate(
            f"{y[last]}: {owid[last]:,.0f} ({-fall:+.0%})",
            (y[last], owid[last] / 1000),
            xytext=(-60, -28),
            textcoords="offset points",
            fontsize=10,
            arrowprops={"arrowstyle": "-", "color": GREY},
        )
        ax.axvspan(y[i_peak], y[last], color=MAIN, alpha=0.06, linewidth=0)
    ax.set_ylabel("personnel (thousands)")
    ax.set_xlabel("year")
    ax.legend(loc="upper left")
    return finish(fig, title, source)


@styled
def plot_missions_by_mandate(
    counts: pd.DataFrame,
    *,
    title: str | None = None,
    source: str | None = "Security Council resolutions 2000-2025 (texts; source: United Nations), PEMA/TAMM "
    "before 2000 and where no text decides (mission_months)",
    note: str | None = None,
) -> Figure:
    """Stacked bars: active UN peacekeeping operations per year by mandate type.

    Parameters
    ----------
    counts
        Index year, one column per mandate type (as from
        :func:`analysis.studies.overview.missions_by_mandate_type`).
    note
        Extra line under the axis (e.g. that codings are carried forward).
    """
    years = counts.index.astype(int)
    title = title or f"UN peacekeeping operations by mandate type, {years.min()}-{years.max()}"
    fig, ax = new_figure(9.0, 4.2)
    bottom = np.zeros(len(counts))
    for col in counts.columns:
        vals = counts[col].to_numpy(dtype=float)
        ax.bar(
            years, vals, bottom=bottom, width=0.85, label=str(col), color=MANDATE_COLORS.get(str(col), GREY)
        )
        bottom += vals
    ax.set_ylabel("operations active in December")
    ax.set_xlabel("year")
    ax.legend(ncol=3, loc="upper left")
    ax.set_ylim(0, bottom.max() * 1.25 + 1)
    if note:
        ax.text(0, -0.16, note, transform=ax.transAxes, fontsize=10, color=GREY)
    return finish(fig, title, source)


@styled
def plot_partner_operations(
    spans: pd.DataFrame,
    *,
    counts: pd.DataFrame | None = None,
    title: str | None = None,
    source: str | None = "curated partner_operations.csv (2000-2024, African "
    "hosts); Bara & Hultman v2-2019 (1993-2016)",
) -> Figure:
    """Timeline (Gantt) of partner operations, with optional yearly counts above it.

    Parameters
    ----------
    spans
        ``label, org_type, start, end, is_open`` (as from
        :func:`analysis.studies.overview.partner_operation_spans`).
    counts
        Optional index year, one column per organisation type (as from
        :func:`analysis.studies.overview.nonun_operations_by_year`): drawn as stacked bars in a top panel.
    """
    if title is None:
        title = ("Partner (non-UN) operations: worldwide 1993-2016, African hosts 2000-2024"
                 if counts is not None else "Partner (non-UN) military operations in African host states")
    n = len(spans)
    h_gantt = 0.2 * n + 1.0
    if counts is not None:
        fig, (ax_top, ax) = new_figure(
            9.0, h_gantt + 2.2, 2, 1, sharex=True, gridspec_kw={"height_ratios": [2.0, h_gantt]}
        )
    else:
        fig, ax = new_figure(9.0, h_gantt)
        ax_top = None
    x0 = spans["start"].dt.year + (spans["start"].dt.day_of_year - 1) / 365.25
    x1 = spans["end"].dt.year + (spans["end"].dt.day_of_year - 1) / 365.25
    for i, (a, b, kind, is_open) in enumerate(zip(x0, x1, spans["org_type"], spans["is_open"])):
        ax.barh(
            i,
            max(b - a, 0.08),
            left=a,
            height=0.7,
            color=ORG_COLORS.get(kind, GREY),
            hatch="///" if is_open else None,
            edgecolor="white" if is_open else None,
            linewidth=0,
        )
    ax.set_yticks(range(n), spans["label"], fontsize=10)
    ax.set_ylim(n - 0.5, -0.5)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("year")
    kinds = list(dict.fromkeys(spans["org_type"]))
    handles = [Patch(color=ORG_COLORS.get(k, GREY), label=k.replace("_", " ")) for k in kinds]
    handles.append(Patch(facecolor="white", edgecolor=GREY, hatch="///", label="no end date (ongoing)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), ncol=1, fontsize=10)
    if ax_top is not None and counts is not None:
        yrs = counts.index.astype(int)
        bottom = np.zeros(len(counts))
        for col in counts.columns:
            vals = counts[col].to_numpy(dtype=float)
            ax_top.bar(
                yrs,
                vals,
                bottom=bottom,
                width=0.85,
                color=ORG_COLORS.get(str(col), GREY),
                label=f"{str(col).replace('_', ' ')} (Bara & Hultman)",
            )
            bottom += vals
        ax_top.set_ylabel("operations active\n(any host, worldwide)")
        ax_top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), ncol=1)
        ax_top.set_title("Non-UN peace operations per year, 1993-2016 (all regions)", fontsize=10)
        ax.set_title("Curated partner operations, African hosts, 2000-2024", fontsize=10)
    left_out = [
        f"{', '.join(v)} ({why})"
        for why, v in (
            ("no start date", spans.attrs.get("undated")),
            ("start after the window", spans.attrs.get("after_window")),
        )
        if v
    ]
    if left_out:
        source = (source or "") + "\nNot drawn: " + "; ".join(left_out)
    return finish(fig, title, source)


