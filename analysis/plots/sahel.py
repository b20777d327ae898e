"""Figures of the Sahel case study (notebook 06); each function takes frames and returns a Figure.

Nothing here loads data; the frames come from :mod:`analysis.studies.sahel` and
:mod:`analysis.studies.coups`. Figures are built without pyplot in the house style of
:mod:`analysis.plots.style`.

======================================  =========================================================
function                                input
======================================  =========================================================
:func:`plot_timeline`                   :func:`~analysis.studies.sahel.operations_timeline` + coups
:func:`plot_deaths_by_actor_type`       :func:`~analysis.studies.sahel.deaths_wide`
:func:`plot_un_fatalities`              :func:`~analysis.studies.sahel.un_fatalities_by_year`
:func:`plot_risk`                       :func:`~analysis.studies.coups.risk_table` + coups (+ reference)
======================================  =========================================================
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.plots.style import GREY, MAIN, ORG_COLORS, finish, styled
from analysis.studies.sahel import ACTOR_TYPES
from analysis.vocabulary import OPERATION_KINDS, VIOLENCE_TYPES

__all__ = ["plot_deaths_by_actor_type", "plot_risk", "plot_timeline", "plot_un_fatalities"]

COUP_COLOR = "#b2182b"
#: Colours by kind of deployment (UN peacekeeping + curated ``org_type``).
KIND_COLORS: dict[str, str] = {
    "un_pko": ORG_COLORS.get("UN", "#5b9bd5"),
    **{k: ORG_COLORS.get(k, GREY) for k in OPERATION_KINDS[1:]},
}
KIND_LABELS: dict[str, str] = {
    "un_pko": "UN peacekeeping",
    "regional": "regional (AU/ECOWAS)",
    "eu": "EU (CSDP)",
    "nato": "NATO",
    "bilateral": "bilateral (one state)",
    "ad_hoc": "ad hoc coalition",
    "pmc": "private military company",
}
#: Base colours by type of organised violence.
VIOLENCE_COLORS: dict[str, str] = {"state_based": "#b2182b", "non_state": "#d95f02", "one_sided": "#7570b3"}
VIOLENCE_LABELS: dict[str, str] = {
    "state_based": "state-based",
    "non_state": "non-state",
    "one_sided": "one-sided",
}
ACTOR_LABELS: dict[str, str] = {
    "jihadist": "jihadist (all conflicts/dyads)",
    "mixed": "mixed (cannot be split)",
    "not_jihadist": "not jihadist",
    "unattributed": "unattributed",
}


#: Colour of each actor type in :func:`plot_deaths_by_actor_type` (bars and legend alike).
ACTOR_COLORS: dict[str, str] = {"jihadist": "#b2182b", "mixed": "#ef8a62", "not_jihadist": "#67a9cf",
                                "unattributed": "#bdbdbd"}
#: Hatch of the actor types whose deaths cannot be split.
ACTOR_HATCH: dict[str, str] = {"mixed": "////"}


def _name(names: Mapping[int, str] | None, gw: int) -> str:
    return (names or {}).get(int(gw), f"G-W {int(gw)}")


def _short(label: str, width: int = 30) -> str:
    s = str(label)
    for cut in (" incl.", " (", ","):
        if len(s) > width and cut in s:
            s = s.split(cut)[0]
    return s if len(s) <= width else s[: width - 1] + "…"


def _year_float(d: pd.Timestamp) -> float:
    start = pd.Timestamp(d.year, 1, 1)
    days = 366 if start.is_leap_year else 365
    return d.year + (d - start).days / days


def _grid(n: int, ncols: int) -> tuple[int, int]:
    ncols = max(1, min(ncols, n))
    return math.ceil(n / ncols), ncols


@styled
def plot_timeline(
    timeline: pd.DataFrame,
    coups: pd.DataFrame | None = None,
    *,
    countries: Sequence[int],
    years: Sequence[int],
    country_names: Mapping[int, str] | None = None,
    title: str = "UN and non-UN deployments, with coup attempts",
    source: str | None = "un_missions, mission_months, curated partner_operations, coups",
) -> Figure:
    """Gantt chart of deployments per host state, coups marked.

    Parameters
    ----------
    timeline
        :func:`analysis.studies.sahel.operations_timeline`.
    coups
        :func:`analysis.studies.coups.coup_events` (vertical marks in each state's band: solid =
        successful, dashed = failed; a shaded month where only the month is known).
    countries
        G-W codes in display order (states without any operation get an empty band).
    years
        ``(first, last)`` year window of the x axis.
    country_names
        G-W code -> name for the band labels.
    title, source
        Figure title and data footnote.

    Returns
    -------
    matplotlib.figure.Figure
        One row per operation and host; undated operations are listed with the text "dates
        not sourced" and no bar; bars without a sourced end run to the window's edge with a
        hatched tail and the reason.
    """
    lo, hi = float(years[0]), float(years[1]) + 1.0
    # one header row per state (its name), then one row per operation hosted there
    rows: list[tuple[int, pd.Series | None, bool]] = []
    for gw in countries:
        rows.append((int(gw), None, True))
        g = timeline[timeline["country_id_gw"] == int(gw)]
        rows += [(int(gw), r, False) for _, r in g.iterrows()] if len(g) else [(int(gw), None, False)]
    height = max(2.5, 0.26 * len(rows) + 1.2)
    fig = Figure(figsize=(10, height), layout="constrained")
    ax = fig.subplots()
    y_of: dict[int, list[int]] = {}
    labels = []
    for i, (gw, r, header) in enumerate(rows):
        y = len(rows) - 1 - i
        y_of.setdefault(gw, []).append(y)
        if header:
            labels.append(_name(country_names, gw))
            continue
        if r is None:
            labels.append("(none recorded)")
            continue
        lab = _short(r["label"])
        if str(r.get("date_start_precision")) == "year":
            lab += " ~"
        labels.append(lab)
        color = KIND_COLORS.get(str(r["kind"]), GREY)
        if not bool(r["is_dated"]):
            ax.text(
                lo + 0.1,
                y,
                "dates not sourced",
                va="center",
                ha="left",
                fontsize=7.5,
                style="italic",
                color=GREY,
            )
            continue
        x0 = max(_year_float(r["date_start"]), lo)
        if pd.notna(r["date_end"]):
            x1 = min(_year_float(r["date_end"]), hi)
            ax.barh(y, max(x1 - x0, 0.04), left=x0, height=0.6, color=color)
        else:
            ax.barh(
                y,
                hi - x0,
                left=x0,
                height=0.6,
                color=color,
                alpha=0.45,
                hatch="///",
                edgecolor="white",
                linewidth=0,
            )
            ax.text(
                hi - 0.05, y, str(r["dates_note"]), va="center", ha="right", fontsize=6.5, color="#333333"
            )
    ax.set_yticks(range(len(rows) - 1, -1, -1), labels)
    for tick, (_, _, header) in zip(ax.get_yticklabels(), rows):
        if header:
            tick.set_fontweight("bold")
            tick.set_fontsize(8.5)
    ax.set_xlim(lo, hi)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    for k, gw in enumerate(countries):
        ys = y_of.get(int(gw), [])
        top, bottom = max(ys) + 0.5, min(ys) - 0.5
        if k % 2 == 0:
            ax.axhspan(bottom, top, color="#f2f2f2", zorder=0)
        if coups is None:
            continue
        for c in coups[coups["country_id_gw"] == int(gw)].itertuples(index=False):
            x = _year_float(c.date)
            if not lo <= x <= hi:
                continue
            ls = "-" if bool(c.is_successful) else "--"
            if c.date_precision == "month":
                x_end = _year_float(c.date + pd.offsets.MonthEnd(0))
                ax.fill_betweenx([bottom, top], x, x_end, color=COUP_COLOR, alpha=0.35, lw=0)
                x = (x + x_end) / 2
            ax.plot([x, x], [bottom, top], color=COUP_COLOR, ls=ls, lw=1.4)
    ax.tick_params(axis="y", labelsize=7.5, pad=2)
    ax.yaxis.set_tick_params(length=0)
    shown = timeline[timeline["country_id_gw"].isin([int(c) for c in countries])]
    kinds = [k for k in OPERATION_KINDS if k in set(shown["kind"].astype(str))]
    handles: list[Artist] = [Patch(color=KIND_COLORS[k], label=KIND_LABELS[k]) for k in kinds]
    handles += [
        Patch(facecolor="#bbbbbb", hatch="///", edgecolor="white", label="end not sourced / ongoing"),
        Line2D([], [], color=COUP_COLOR, lw=1.4, label="successful coup"),
        Line2D([], [], color=COUP_COLOR, lw=1.4, ls="--", label="failed coup attempt"),
        Patch(color=COUP_COLOR, alpha=0.35, label="coup month (day not known)"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5)
    note = "~ = start known to the year only; dates are never filled in where the curated table has none."
    return finish(fig, title, f"{source}. {note}" if source else note, source_y=-0.02)


@styled
def plot_deaths_by_actor_type(
    wide: pd.DataFrame,
    *,
    countries: Sequence[int],
    years: Sequence[int] | None = None,
    country_names: Mapping[int, str] | None = None,
    ncols: int = 2,
    sharey: bool = False,
    title: str = "Deaths in organised violence by actor type (UCDP best estimates)",
    source: str | None = "UCDP country-year 25.1, UCDP/PRIO ACD 25.1, curated jihadist_actors",
) -> Figure:
    """Stacked bars of UCDP deaths per state and year by actor type (all types of violence).

    Parameters
    ----------
    wide
        :func:`analysis.studies.sahel.deaths_wide` (columns ``<violence_type>__<actor_type>``).
    countries
        G-W codes, one panel each, in this order.
    years
        ``(first, last)`` years of the x axis (default: the data's).
    country_names
        G-W code -> panel title.
    ncols, sharey
        Panel layout and shared y axis.
    title, source
        Figure title and data footnote.

    Returns
    -------
    matplotlib.figure.Figure
        One colour per actor type (:data:`ACTOR_COLORS`: jihadist, mixed (hatched), not
        jihadist, unattributed), each the sum over the three types of violence; the legend's
        swatches are drawn with exactly the bars' colours and hatches. Years without UCDP data
        are shaded grey. The split by type of violence is in :func:`analysis.studies.sahel.deaths_wide`.
    """
    nrows, ncols = _grid(len(countries), ncols)
    fig = Figure(figsize=(4.6 * ncols, 2.5 * nrows + 0.8), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, sharey=sharey, squeeze=False)).ravel()
    yr = (int(wide["year"].min()), int(wide["year"].max())) if years is None and len(wide) else years
    for ax, gw in zip(axes, countries):
        d = wide[wide["country_id_gw"] == int(gw)].set_index("year").sort_index()
        if yr is not None:
            d = d.reindex(range(int(yr[0]), int(yr[1]) + 1))
        bottom = np.zeros(len(d))
        x = d.index.to_numpy(dtype=float)
        for a in ACTOR_TYPES:
            cols = [f"{v}__{a}" for v in VIOLENCE_TYPES if f"{v}__{a}" in d.columns]
            if not cols:
                continue
            h = d[cols].astype("float64").fillna(0.0).sum(axis=1).to_numpy()
            if not h.any():
                continue
            ax.bar(x, h, bottom=bottom, width=0.8, color=ACTOR_COLORS[a], hatch=ACTOR_HATCH.get(a),
                   edgecolor="white" if a in ACTOR_HATCH else None, linewidth=0)
            bottom += h
        missing = [int(y) for y, row in d.iterrows() if row.filter(like="__").isna().all()]
        for y in missing:
            ax.axvspan(y - 0.4, y + 0.4, color="#eeeeee", zorder=0)
        ax.set_title(_name(country_names, gw))
        ax.set_ylabel("deaths")
    for ax in axes[len(countries) :]:
        ax.set_visible(False)
    handles: list[Artist] = [
        Patch(facecolor=ACTOR_COLORS[a], hatch=ACTOR_HATCH.get(a),
              edgecolor="white" if a in ACTOR_HATCH else None, label=ACTOR_LABELS[a])
        for a in ACTOR_TYPES
    ]
    fig.legend(handles=handles, loc="outside right upper", fontsize=10)
    return finish(fig, title, source, source_y=-0.02)


@styled
def plot_un_fatalities(
    fatalities: pd.DataFrame,
    *,
    missions: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    title: str = "Fatalities of UN peacekeepers: hostile acts and other causes",
    source: str | None = "UN fatalities (mission_months)",
) -> Figure:
    """Stacked bars per mission and year: hostile-act deaths and deaths from other causes.

    Parameters
    ----------
    fatalities
        :func:`analysis.studies.sahel.un_fatalities_by_year`.
    missions
        Missions to show, one panel each (default: those with any fatality).
    years
        ``(first, last)`` years of the x axis (default: the data's).
    title, source
        Figure title and data footnote.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per mission; empty figure with a note when no mission is given.
    """
    f = fatalities
    if missions is None:
        tot = f.groupby("mission_id_un")["fatalities_n"].sum()
        missions = [m for m in tot.index if tot[m] > 0] or list(tot.index)
    missions = list(missions)
    if not missions:
        fig = Figure(figsize=(6, 2), layout="constrained")
        ax = fig.subplots()
        ax.text(0.5, 0.5, "no UN peacekeeping operation in the selected states", ha="center", va="center")
        ax.set_axis_off()
        return finish(fig, title, source, source_y=-0.02)
    nrows, ncols = _grid(len(missions), 2)
    fig = Figure(figsize=(4.6 * ncols, 2.4 * nrows + 0.6), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for ax, m in zip(axes, missions):
        d = f[f["mission_id_un"] == m].set_index("year").sort_index()
        if years is not None:
            d = d.reindex(range(int(years[0]), int(years[1]) + 1))
        x = d.index.to_numpy(dtype=float)
        hostile = d["fatalities_hostile_n"].astype("float64").fillna(0).to_numpy()
        other = (
            d["fatalities_n"].astype("float64").fillna(0)
            - d["fatalities_hostile_n"].astype("float64").fillna(0)
        ).to_numpy()
        ax.bar(x, hostile, color=COUP_COLOR, label="hostile acts", width=0.8)
        ax.bar(x, other, bottom=hostile, color="#bdbdbd", label="other causes", width=0.8)
        ax.set_title(f"{m}: {int(hostile.sum())} hostile-act deaths of {int(hostile.sum() + other.sum())}")
        ax.set_ylabel("deaths")
    for ax in axes[len(missions) :]:
        ax.set_visible(False)
    axes[0].legend(loc="upper left")
    return finish(fig, title, source, source_y=-0.02)


@styled
def plot_risk(
    risks: pd.DataFrame,
    coups: pd.DataFrame | None = None,
    *,
    countries: Sequence[int],
    reference: pd.DataFrame | None = None,
    years: Sequence[int] | None = None,
    country_names: Mapping[int, str] | None = None,
    ncols: int = 2,
    title: str = "Predicted annual coup risk (logit model, Africa), coups marked",
    source: str | None = "country_years; coup model of notebook 04 (association, not causation)",
) -> Figure:
    """Predicted coup-risk series per state with coups marked and an Africa-wide reference.

    Parameters
    ----------
    risks
        :func:`analysis.studies.coups.risk_table`.
    coups
        :func:`analysis.studies.coups.coup_events`: a vertical line at each coup (solid successful,
        dashed failed) and a dot on the coup year's predicted risk.
    countries
        G-W codes, one panel each.
    reference
        :func:`analysis.studies.coups.risk_reference_by_year` (drawn as grey lines, e.g. median and
        90th percentile of all African country-years).
    years
        ``(first, last)`` years of the x axis.
    country_names
        G-W code -> panel title.
    ncols
        Panels per row.
    title, source
        Figure title and data footnote.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per state (shared y axis, probability).
    """
    nrows, ncols = _grid(len(countries), ncols)
    fig = Figure(figsize=(4.6 * ncols, 2.5 * nrows + 0.7), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)).ravel()
    ref_styles = ["--", ":", "-."]
    for ax, gw in zip(axes, countries):
        d = risks[risks["country_id_gw"] == int(gw)].sort_values("year")
        if years is not None:
            d = d[d["year"].between(int(years[0]), int(years[1]))]
        if reference is not None:
            ref = (
                reference
                if years is None
                else reference[reference["year"].between(int(years[0]), int(years[1]))]
            )
            for k, col in enumerate(c for c in ref.columns if c != "year"):
                ax.plot(
                    ref["year"].astype(float),
                    ref[col].astype(float),
                    color=GREY,
                    lw=0.9,
                    ls=ref_styles[k % 3],
                    label=f"Africa {col.replace('q', '')}th pct" if col != "q50" else "Africa median",
                )
        ax.plot(
            d["year"].astype(float),
            d["risk"].astype(float),
            color="#2166ac",
            lw=1.6,
            marker="o",
            ms=2.5,
            label="predicted risk",
        )
        if coups is not None:
            cc = coups[coups["country_id_gw"] == int(gw)]
            if years is not None:
                cc = cc[cc["year"].between(int(years[0]), int(years[1]))]
            r = d.set_index("year")["risk"]
            for c in cc.itertuples(index=False):
                ls = "-" if bool(c.is_successful) else "--"
                ax.axvline(float(c.year), color=COUP_COLOR, lw=1.0, ls=ls, alpha=0.8)
                if int(c.year) in r.index and pd.notna(r[int(c.year)]):
                    ax.plot([float(c.year)], [float(r[int(c.year)])], "o", color=COUP_COLOR, ms=5)
        ax.set_title(_name(country_names, gw))
        ax.set_ylabel("P(coup attempt)")
    for ax in axes[len(countries) :]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    handles += [
        Line2D([], [], color=COUP_COLOR, lw=1.0, label="successful coup (year)"),
        Line2D([], [], color=COUP_COLOR, lw=1.0, ls="--", label="failed attempt (year)"),
    ]
    fig.legend(handles=handles, loc="outside right upper", fontsize=10)
    return finish(fig, title, source, source_y=-0.02)


@styled
def plot_risk_decomposition(
    rows: pd.DataFrame,
    *,
    title: str = "Out-of-sample coup risk before each coup: the coup clock and the covariates",
    source: str | None = "coup model of notebook 04, fitted on earlier years only (rolling origin)",
) -> Figure:
    """Each coup's forecast risk next to the risk from its coup clock alone and from its covariates alone.

    Parameters
    ----------
    rows
        One row per coup with ``label`` (e.g. "Mali 2020"), ``risk``, ``risk_clock_only``,
        ``risk_covariates_only`` and ``logit_average``
        (:func:`analysis.studies.coup_forecast.decompose_risk`).

    Returns
    -------
    matplotlib.figure.Figure
        Horizontal dots per coup (forecast, clock only, covariates only) with the average state-year's
        risk as a grey line; log-scaled probability axis.
    """
    n = len(rows)
    fig = Figure(figsize=(8.0, 0.42 * max(n, 1) + 1.8), layout="constrained")
    ax = fig.subplots()
    y = np.arange(n)[::-1]
    marks = (("risk", "forecast", MAIN, "o"), ("risk_clock_only", "coup clock only", "#2166ac", "s"),
             ("risk_covariates_only", "covariates only", "#1b9e77", "D"))
    for col, lab, color, m in marks:
        ax.plot(100 * rows[col].astype(float).to_numpy(), y, m, color=color, label=lab, ms=6, ls="none")
    if n:
        avg = 100 * float(1 / (1 + np.exp(-float(rows["logit_average"].iloc[0]))))
        ax.axvline(avg, color=GREY, lw=1, ls="--", label="average state-year")
    ax.set_yticks(y, [str(v) for v in rows["label"]])
    ax.set_xscale("log")
    ax.set_xlabel("predicted probability of a coup attempt in the year (%, log scale)")
    ax.legend(loc="lower right", fontsize=10)
    return finish(fig, title, source, source_y=-0.02)
