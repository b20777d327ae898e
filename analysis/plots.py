"""Figures of the notebooks: each function takes frames or model results and returns a Figure.

Nothing here loads data. Every figure is a :class:`matplotlib.figure.Figure` created without
pyplot (so notebooks show it once, and no global figure state leaks), drawn in one house
style (:data:`STYLE`), with a title that says what is shown and a footnote naming the data.

======================================  =========================================================
function                                input
======================================  =========================================================
:func:`plot_coverage`                   long frame ``group, label, year, share`` (years covered)
:func:`plot_fatalities_by_cause`        year x cause counts
:func:`plot_personnel`                  ``un_personnel_yearly_total``
:func:`plot_missions_by_mandate`        year x mandate-type counts
:func:`plot_partner_operations`         operation spans (+ optional yearly counts)
:func:`plot_rate_trend`                 yearly rates (+ fitted segmented trend, breaks)
:func:`plot_forest`                     ModelResult(s) or a frame of ratios with CIs
:func:`plot_mission_comparison`         yearly rates by mission and period totals
======================================  =========================================================
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

P = ParamSpec("P")

#: House style, applied while each figure is built.
STYLE: dict[str, Any] = {
    "font.size": 9,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
}

#: Colours by cause of death (``un_fatalities.cause``).
CAUSE_COLORS: dict[str, str] = {
    "hostile": "#b2182b",
    "accident": "#ef8a62",
    "illness": "#67a9cf",
    "self_inflicted": "#8c6bb1",
    "other_unknown": "#bdbdbd",
}
#: Colours by organisation type of partner operations.
ORG_COLORS: dict[str, str] = {
    "regional": "#1b9e77",
    "ad_hoc": "#d95f02",
    "eu": "#3a5fcd",
    "nato": "#14315c",
    "bilateral": "#e7298a",
    "pmc": "#525252",
    "UN": "#5b9bd5",
}
#: Colours of the mandate types of :func:`analysis.prep.missions_by_mandate_type`.
MANDATE_COLORS: dict[str, str] = {
    "robust (Chapter VII + PoC)": "#b2182b",
    "Chapter VII, no PoC": "#f4a582",
    "PoC, no Chapter VII": "#92c5de",
    "neither": "#2166ac",
    "not coded": "#d9d9d9",
}
#: Labels of the default break years of the casualty-trend notebook.
BREAK_LABELS: dict[int, str] = {
    2000: "Brahimi report",
    2008: "Capstone doctrine",
    2013: "MINUSMA / robust turn",
    2017: "Cruz report",
}
MAIN = "#b2182b"
GREY = "#7f7f7f"
PALETTE = ("#b2182b", "#2166ac", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")


def styled(func: Callable[P, Figure]) -> Callable[P, Figure]:
    """Decorator: build the figure inside :data:`STYLE` (rc settings apply at drawing time)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with mpl.rc_context(STYLE):  # type: ignore[arg-type]  # (keys are valid rcParams)
            return func(*args, **kwargs)

    return wrapper


def _figure(
    width: float = 8.0, height: float = 4.2, nrows: int = 1, ncols: int = 1, **kw: Any
) -> tuple[Figure, Any]:
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, **kw)
    return fig, axes


def _finish(fig: Figure, title: str, source: str | None) -> Figure:
    fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
    if source:
        fig.text(0.01, -0.01, f"Data: {source}", ha="left", va="top", fontsize=7, color=GREY)
    return fig


def _runs(years: Sequence[int]) -> list[tuple[int, int]]:
    """Contiguous runs of integer years as ``(start, length)``."""
    ys = sorted(int(y) for y in years)
    runs: list[tuple[int, int]] = []
    for y in ys:
        if runs and y == runs[-1][0] + runs[-1][1]:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((y, 1))
    return runs


@styled
def plot_coverage(
    coverage: pd.DataFrame,
    *,
    title: str = "Years covered by each source",
    source: str | None = None,
    min_share: float = 0.0,
) -> Figure:
    """Coverage chart: one row per label, bars over the years covered, colour by group.

    Parameters
    ----------
    coverage
        Long frame ``group, label, year, share`` (share of rows with a value, 0-1), as from
        :func:`analysis.prep.coverage_from_registry` or :func:`analysis.prep.column_coverage`.
    min_share
        A year counts as covered when its share exceeds this value. When some shares lie
        between 0 and 1, each year is a cell shaded by its share and the overall share is
        printed at the right; otherwise covered years are drawn as solid runs.
    """
    cov = coverage[coverage["share"] > min_share]
    labels = list(dict.fromkeys(coverage["label"]))
    groups = list(dict.fromkeys(coverage["group"]))
    colors = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    graded = bool(((coverage["share"] > 0) & (coverage["share"] < 0.999)).any())
    fig, ax = _figure(9.0, max(2.5, 0.24 * len(labels) + 1.2))
    for i, lab in enumerate(labels):
        rows = cov[cov["label"] == lab]
        if graded:
            all_rows = coverage[coverage["label"] == lab]
            ax.text(1.005, i, f"{all_rows['share'].mean():.0%}", transform=ax.get_yaxis_transform(),
                    va="center", fontsize=7, color=GREY)
        if rows.empty:
            continue
        color = mpl.colors.to_rgb(colors[rows["group"].iloc[0]])
        if not graded:  # solid runs of covered years
            runs = [(y - 0.5, n) for y, n in _runs(rows["year"])]
            ax.broken_barh(runs, (i - 0.35, 0.7), color=color)
            continue
        # one cell per year, shaded by the share of rows with a value
        alpha = 0.12 + 0.88 * rows["share"].clip(0, 1).to_numpy(dtype=float)
        ax.barh(np.full(len(rows), i), 1.0, left=rows["year"].to_numpy(dtype=float) - 0.5, height=0.7,
                color=[(*color, a) for a in alpha], linewidth=0)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("year")
    if graded:
        ax.set_title("shade: share of the table's rows with a value that year (right: over all years)",
                     fontsize=8, fontweight="normal", color=GREY)
    return _finish(fig, title, source)


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
        Index year, one column per cause (as from :func:`analysis.prep.fatalities_by_cause_year`).
    mark_years
        Years marked with a dotted vertical line (e.g. 2000, 2013, 2017).
    """
    years = counts.index.astype(int)
    title = title or f"Fatalities of UN peacekeeping personnel by cause, {years.min()}-{years.max()}"
    fig, ax = _figure(9.0, 4.2)
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
        ax.text(y - 0.5, ax.get_ylim()[1], f" {y}", color=GREY, fontsize=7, va="top")
    ax.set_ylabel("deaths per year (persons)")
    ax.set_xlabel("year of death")
    ax.legend(ncol=len(counts.columns), loc="upper left")
    return _finish(fig, title, source)


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
    fig, ax = _figure(9.0, 4.2)
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
            fontsize=8,
            arrowprops={"arrowstyle": "-", "color": GREY},
        )
        ax.annotate(
            f"{y[last]}: {owid[last]:,.0f} ({-fall:+.0%})",
            (y[last], owid[last] / 1000),
            xytext=(-60, -28),
            textcoords="offset points",
            fontsize=8,
            arrowprops={"arrowstyle": "-", "color": GREY},
        )
        ax.axvspan(y[i_peak], y[last], color=MAIN, alpha=0.06, linewidth=0)
    ax.set_ylabel("personnel (thousands)")
    ax.set_xlabel("year")
    ax.legend(loc="upper left")
    return _finish(fig, title, source)


@styled
def plot_missions_by_mandate(
    counts: pd.DataFrame,
    *,
    title: str | None = None,
    source: str | None = "PEMA v2/v1.2, TAMM v2.1 to 2019; curated UNSC "
    "resolutions 2016-2024 (mission_months)",
    note: str | None = None,
) -> Figure:
    """Stacked bars: active UN peacekeeping operations per year by mandate type.

    Parameters
    ----------
    counts
        Index year, one column per mandate type (as from
        :func:`analysis.prep.missions_by_mandate_type`).
    note
        Extra line under the axis (e.g. that codings are carried forward).
    """
    years = counts.index.astype(int)
    title = title or f"UN peacekeeping operations by mandate type, {years.min()}-{years.max()}"
    fig, ax = _figure(9.0, 4.2)
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
        ax.text(0, -0.16, note, transform=ax.transAxes, fontsize=7.5, color=GREY)
    return _finish(fig, title, source)


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
        ``label, org_type, start, end, is_open`` (as from :func:`analysis.prep.partner_operation_spans`).
    counts
        Optional index year, one column per organisation type (as from
        :func:`analysis.prep.nonun_operations_by_year`): drawn as stacked bars in a top panel.
    """
    if title is None:
        title = ("Partner (non-UN) operations: worldwide 1993-2016, African hosts 2000-2024"
                 if counts is not None else "Partner (non-UN) military operations in African host states")
    n = len(spans)
    h_gantt = 0.2 * n + 1.0
    if counts is not None:
        fig, (ax_top, ax) = _figure(
            9.0, h_gantt + 2.2, 2, 1, sharex=True, gridspec_kw={"height_ratios": [2.0, h_gantt]}
        )
    else:
        fig, ax = _figure(9.0, h_gantt)
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
    ax.set_yticks(range(n), spans["label"], fontsize=7)
    ax.set_ylim(n - 0.5, -0.5)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("year")
    kinds = list(dict.fromkeys(spans["org_type"]))
    handles = [Patch(color=ORG_COLORS.get(k, GREY), label=k.replace("_", " ")) for k in kinds]
    handles.append(Patch(facecolor="white", edgecolor=GREY, hatch="///", label="no end date (ongoing)"))
    ax.legend(handles=handles, loc="upper left", ncol=2, fontsize=7)
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
        ax_top.legend(loc="upper left", ncol=2)
        ax_top.set_title("Non-UN peace operations per year, 1993-2016 (all regions)", fontsize=9)
        ax.set_title("Curated partner operations, African hosts, 2000-2024", fontsize=9)
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
    return _finish(fig, title, source)


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
    fig, axes = _figure(
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
            ax.set_title(str(g), fontsize=9)
    for ax, g in zip(flat, groups):  # limits only once every panel is drawn (shared y axes)
        ax.set_ylim(0, ax.get_ylim()[1])
        top = ax.get_ylim()[1]
        for b in breaks:
            ax.axvline(b - 0.5, color=GREY, linestyle="--", linewidth=0.9)
            if g == groups[0]:
                label = f"{b} {BREAK_LABELS.get(int(b), '')}".strip()
                ax.text(b - 0.4, top, label, rotation=90, fontsize=6.5, color=GREY, va="top", ha="left")
    for ax in flat[len(groups) :]:
        ax.set_visible(False)
    flat[0].set_ylabel(ylabel)
    if fitted is not None:
        flat[0].legend(loc="upper left", bbox_to_anchor=(0, 0.9) if breaks else None)
    return _finish(fig, title, source)


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
    fig, ax = _figure(8.0, 0.38 * n + 1.6)
    for i, r in rows.iterrows():
        color = MAIN if (highlight is not None and r["label"] == highlight) else "black"
        lo, hi, est = float(r["ratio_ci_low"]), float(r["ratio_ci_high"]), float(r["ratio"])
        if not np.isfinite([lo, hi, est]).all() or min(lo, est) <= 0:
            ax.text(1.0, i, " not finite", va="center", fontsize=7.5, color=GREY)
            continue
        ax.plot([lo, hi], [i, i], color=color, linewidth=1.6)
        ax.plot(est, i, "s", color=color, markersize=5.5)
        ax.text(
            1.01,
            i,
            f"{est:.2f} [{lo:.2f}, {hi:.2f}]",
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize=7.5,
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
    return _finish(fig, title, source)


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
        :func:`analysis.prep.period_totals`).
    period
        ``[first, last]`` of the totals, for the panel title.
    """
    per = f"{period[0]}-{period[1]}" if period is not None else "whole period"
    title = title or f"{focus} against the other large UN missions"
    fig, (ax1, ax2, ax3) = _figure(11.0, 4.0, 1, 3, gridspec_kw={"width_ratios": [2.2, 1, 1]})
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
    ax1.set_title("Yearly rate", fontsize=9)
    ax1.set_ylim(bottom=0)
    pos = np.arange(len(missions))
    bar_colors = [colors[m] for m in missions]
    ax2.barh(pos, totals[deaths].to_numpy(dtype=float), color=bar_colors)
    ax2.set_yticks(pos, missions)
    ax2.invert_yaxis()
    ax2.set_title(f"Deaths, {per}", fontsize=9)
    ax2.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax2.grid(axis="y", visible=False)
    ax3.barh(pos, totals[rate].to_numpy(dtype=float), color=bar_colors)
    ax3.set_yticks(pos, [])
    ax3.invert_yaxis()
    ax3.set_title(f"Rate per 1,000 personnel-years, {per}", fontsize=9)
    ax3.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax3.grid(axis="y", visible=False)
    return _finish(fig, title, source)
