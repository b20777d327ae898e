"""Figures of the essay-claims audit (notebook ``05_essay_claims``).

Every function takes a :class:`analysis.studies.claims.ClaimVerdict` (or the verdict table) and returns
a :class:`matplotlib.figure.Figure` built without pyplot, in the house style of
:mod:`analysis.plots`. Nothing here loads data: the frames are the verdict's ``detail`` and
``sensitivity``. :data:`FIGURES` maps a claim id to its figure function and :func:`plot_claim`
dispatches (``None`` for claims without a figure: dates, names, not-testable claims).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.plots.style import GREY, MAIN, finish, new_figure, styled
from analysis.studies.claims import ClaimVerdict

#: Colour of each verdict.
VERDICT_COLORS: dict[str, str] = {
    "supported": "#1b7837",
    "partly supported": "#d8b365",
    "contradicted": "#b2182b",
    "not testable": "#bdbdbd",
}
ACCENT = "#2166ac"
LIGHT = "#d9d9d9"
REGION_COLORS = {
    "Africa": "#b2182b",
    "Middle East": "#2166ac",
    "Asia": "#1b9e77",
    "Europe": "#7570b3",
    "Americas": "#d95f02",
}


def _finish(fig: Figure, v: ClaimVerdict | None, title: str, source: str | None = None) -> Figure:
    head = title if v is None else f"{title}\nverdict: {v.verdict}"
    src = source if source is not None else (v.data_vintage if v is not None else "")
    return finish(fig, head, src, title_size=11, source_size=10, wrap=True)


@styled
def plot_verdict_overview(
    table: pd.DataFrame, *, title: str = "The essay's claims against the data"
) -> Figure:
    """One row per claim: verdict (colour), our number and the essay's number.

    Parameters
    ----------
    table
        :func:`analysis.studies.claims.verdict_table` (columns ``claim_id``, ``verdict``,
        ``our_number``, ``essay_number``; a ``claim`` column of plain titles, if present, labels
        the rows).
    """
    t = table.reset_index(drop=True)
    n = len(t)
    fig, ax = new_figure(9.0, 0.28 * n + 1.4)
    for i, r in t.iterrows():
        ax.barh(i, 1, color=VERDICT_COLORS.get(str(r["verdict"]), GREY), height=0.75)
        ax.text(
            0.02,
            i,
            str(r["verdict"]),
            va="center",
            ha="left",
            fontsize=10,
            color="white" if r["verdict"] in ("supported", "contradicted") else "black",
        )
        ours = "" if pd.isna(r["our_number"]) else str(r["our_number"])
        essay = "" if pd.isna(r["essay_number"]) else f"{float(r['essay_number']):g}"
        txt = f"ours {ours}" + (f"  |  essay {essay}" if essay else "") if ours else ""
        ax.text(1.03, i, txt, va="center", ha="left", fontsize=10)
    names = t["claim"] if "claim" in t.columns else t["claim_id"]
    ax.set_yticks(range(n), names.astype(str))
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, 1.9)
    ax.set_xticks([])
    ax.grid(False)
    for s in ("left", "bottom"):
        ax.spines[s].set_visible(False)
    counts = t["verdict"].value_counts()
    ax.legend(
        handles=[Patch(color=c, label=f"{k} ({int(counts.get(k, 0))})") for k, c in VERDICT_COLORS.items()],
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=4,
    )
    return _finish(fig, None, title, "see the verdict table for the data vintage of each claim")


@styled
def plot_sensitivity(v: ClaimVerdict, *, tolerance: float = 0.05, title: str | None = None) -> Figure:
    """Our number under each definition (``v.sensitivity``: ``variant, our_number``) against the essay's.

    Parameters
    ----------
    tolerance
        Relative tolerance drawn as a band around the essay's number.
    """
    s = v.sensitivity
    fig, ax = new_figure(8.5, 0.45 * len(s) + 1.6)
    y = np.arange(len(s))
    ax.barh(y, s["our_number"].astype(float), color=[MAIN] + [LIGHT] * (len(s) - 1), height=0.65)
    for i, val in enumerate(s["our_number"]):
        ax.text(float(val), i, f" {val}", va="center", fontsize=10)
    if v.essay_number is not None:
        e = float(v.essay_number)
        ax.axvspan(e * (1 - tolerance), e * (1 + tolerance), color=ACCENT, alpha=0.12, lw=0)
        ax.axvline(e, color=ACCENT, lw=1.2)
        ax.text(
            e,
            -0.75,
            f"essay: {e:g} (band ±{tolerance:.0%}) ",
            color=ACCENT,
            ha="right",
            va="center",
            fontsize=10,
        )
    ax.set_yticks(y, s["variant"].astype(str))
    ax.set_ylim(len(s) - 0.5, -1.0)
    ax.set_xlabel("deaths (persons)")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    return _finish(fig, v, title or v.measure)


@styled
def plot_mission_deaths(
    v: ClaimVerdict,
    *,
    top: int = 10,
    threshold: float | None = None,
    highlight: tuple[str, ...] = ("MINUSMA",),
    title: str | None = None,
) -> Figure:
    """Deaths per mission 2013-2017: hostile acts (dark) and all causes (light).

    Parameters
    ----------
    top
        Missions shown (largest hostile-act counts).
    threshold
        Vertical line (e.g. 24 for "dozens").
    highlight
        Missions drawn in the main colour.
    """
    d = v.detail.sort_values(["hostile_n", "deaths_n"], ascending=False).head(top).reset_index(drop=True)
    fig, ax = new_figure(8.5, 0.32 * len(d) + 1.6)
    y = np.arange(len(d))
    ax.barh(y, d["deaths_n"], color=LIGHT, height=0.7, label="all causes")
    ax.barh(
        y,
        d["hostile_n"],
        height=0.45,
        label="hostile acts",
        color=[MAIN if m in highlight else ACCENT for m in d["mission_id_un"]],
    )
    for i, r in d.iterrows():
        ax.text(r["hostile_n"], i, f" {int(r['hostile_n'])}", va="center", fontsize=10)
    if threshold is not None:
        ax.axvline(threshold, color=GREY, ls="--", lw=1)
        ax.text(threshold, -0.8, f"{threshold:g}", color=GREY, ha="center", fontsize=10)
    ax.set_yticks(y, d["mission_id_un"].astype(str))
    ax.set_ylim(len(d) - 0.5, -1.0)
    ax.set_xlabel("deaths of mission personnel, 2013-2017 (persons)")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    return _finish(fig, v, title or v.measure)


@styled
def plot_yearly_periods(v: ClaimVerdict, *, title: str | None = None) -> Figure:
    """Hostile-act deaths per year (bars) with the mean of each labelled period, and the rate per 1,000.

    ``v.detail``: ``year, hostile_n, hostile_uniformed_per_1000, period``.
    """
    d = v.detail
    fig, (ax, ax2) = new_figure(9.0, 5.2, 2, 1, sharex=True, gridspec_kw={"height_ratios": [2, 1]})
    ax.bar(d["year"], d["hostile_n"], color=LIGHT, width=0.85)
    periods = [p for p in d["period"].dropna().unique()]
    for k, p in enumerate(periods):
        sub = d[d["period"] == p]
        col = [ACCENT, MAIN, "#1b9e77"][k % 3]
        ax.bar(sub["year"], sub["hostile_n"], color=col, width=0.85, alpha=0.55)
        m = float(sub["hostile_n"].mean())
        ax.hlines(m, sub["year"].min() - 0.4, sub["year"].max() + 0.4, color=col, lw=2)
        ax.text(sub["year"].max() + 0.5, m, f"{p}: {m:.1f}/yr", color=col, va="center", fontsize=10)
        r = sub["hostile_uniformed_per_1000"].astype(float)
        ax2.hlines(
            np.nanmean(r) if r.notna().any() else np.nan,
            sub["year"].min() - 0.4,
            sub["year"].max() + 0.4,
            color=col,
            lw=2,
        )
    ax.set_ylabel("hostile-act deaths (persons)")
    ax2.plot(d["year"], d["hostile_uniformed_per_1000"].astype(float), color=GREY, marker="o", ms=3)
    ax2.set_ylabel("per 1,000 uniformed")
    ax2.set_xlabel("year of death (all UN peacekeeping operations)")
    return _finish(fig, v, title or v.measure)


@styled
def plot_minusma_years(v: ClaimVerdict, *, title: str | None = None) -> Figure:
    """MINUSMA hostile-act deaths per year; years without a jihadist conflict in Mali marked.

    ``v.detail``: ``year, hostile_n, jihadist_conflicts_n, meets``.
    """
    d = v.detail
    fig, ax = new_figure(8.0, 3.6)
    ax.bar(d["year"], d["hostile_n"], color=[MAIN if m else LIGHT for m in d["meets"]], width=0.8)
    for _, r in d.iterrows():
        j = r["jihadist_conflicts_n"]
        ax.text(
            r["year"],
            r["hostile_n"],
            f"{int(r['hostile_n'])}\n" + ("J" if pd.notna(j) and j >= 1 else "-"),
            ha="center",
            va="bottom",
            fontsize=10,
        )
    ax.set_ylabel("MINUSMA hostile-act deaths")
    ax.set_xlabel("year (J = UCDP/PRIO conflict with a jihadist side in Mali)")
    ax.margins(y=0.2)
    return _finish(fig, v, title or v.measure)


@styled
def plot_large_missions(v: ClaimVerdict, *, cutoff: float = 10_000, title: str | None = None) -> Figure:
    """Largest yearly strength of UN PKOs (>= 5,000) by PoC mandate, 1990s vs 2000+ establishments.

    ``v.detail``: ``mission_id_un, start_year, peak_personnel_n, has_poc_mandate, group``.
    """
    d = v.detail.reset_index(drop=True)
    fig, ax = new_figure(8.5, 0.26 * len(d) + 1.8)
    y = np.arange(len(d))
    poc = d["has_poc_mandate"].astype("boolean")
    colors = [MAIN if p is True else ACCENT if p is False else LIGHT for p in poc.astype(object)]
    ax.barh(y, d["peak_personnel_n"].astype(float), color=colors, height=0.7)
    labels = [f"{m} ({int(s) if pd.notna(s) else '?'})" for m, s in zip(d["mission_id_un"], d["start_year"])]
    ax.set_yticks(y, labels)
    ax.set_ylim(len(d) - 0.5, -0.5)
    ax.axvline(cutoff, color=GREY, ls="--", lw=1)
    for g in d["group"].unique():
        first = int(d.index[d["group"] == g][0])
        ax.text(ax.get_xlim()[1], first, g, ha="right", va="center", fontsize=10, color=GREY)
    ax.set_xlabel("largest yearly mean uniformed strength (persons)")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.legend(
        handles=[
            Patch(color=MAIN, label="PoC mandate"),
            Patch(color=ACCENT, label="no PoC mandate"),
            Patch(color=LIGHT, label="not coded"),
        ],
        loc="lower right",
    )
    return _finish(fig, v, title or v.measure)


@styled
def plot_poc_chapter_vii(v: ClaimVerdict, *, title: str | None = None) -> Figure:
    """PoC months of each UN PKO (2000 on) by Chapter VII status.

    ``v.detail``: ``mission_id_un, ch7_true_n, ch7_false_n, ch7_na_n``.
    """
    d = v.detail.sort_values("poc_months_n", ascending=False).reset_index(drop=True)
    fig, ax = new_figure(8.5, 0.3 * len(d) + 1.6)
    y = np.arange(len(d))
    left = np.zeros(len(d))
    for col, color, label in (
        ("ch7_true_n", ACCENT, "Chapter VII"),
        ("ch7_false_n", MAIN, "no Chapter VII"),
        ("ch7_na_n", LIGHT, "Chapter VII not coded"),
    ):
        vals = d[col].astype(float).to_numpy()
        ax.barh(y, vals, left=left, color=color, height=0.7, label=label)
        left += vals
    ax.set_yticks(y, d["mission_id_un"].astype(str))
    ax.set_ylim(len(d) - 0.5, -0.5)
    ax.set_xlabel("months with a PoC mandate, 2000 on")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    return _finish(fig, v, title or v.measure)


@styled
def plot_partnership(v: ClaimVerdict, *, title: str | None = None) -> Figure:
    """Non-UN operations per year and the share of UN PKOs co-deployed with one.

    ``v.detail``: ``year, nonun_ops_n, pko_share_bara, pko_share_curated_africa``.
    """
    d = v.detail
    fig, (ax, ax2) = new_figure(9.0, 5.2, 2, 1, sharex=True)
    ax.bar(
        d["year"],
        d["nonun_ops_n"].astype(float),
        color=[ACCENT if y < 2000 else MAIN for y in d["year"]],
        width=0.85,
    )
    ax.set_ylabel("non-UN operations\n(Bara & Hultman)")
    ax2.plot(
        d["year"],
        d["pko_share_bara"].astype(float),
        color=MAIN,
        marker="o",
        ms=3,
        label="all UN PKOs (Bara & Hultman)",
    )
    ax2.plot(
        d["year"],
        d["pko_share_curated_africa"].astype(float),
        color=GREY,
        marker="s",
        ms=3,
        label="African-hosted UN PKOs (curated)",
    )
    ax2.set_ylabel("share of UN PKOs with\na non-UN operation")
    ax2.set_ylim(0, 1)
    ax2.legend(loc="upper left")
    ax2.set_xlabel("year")
    for a in (ax, ax2):
        a.axvline(1999.5, color=GREY, ls=":", lw=1)
    return _finish(fig, v, title or v.measure)


@styled
def plot_sahel_timeline(v: ClaimVerdict, *, title: str | None = None) -> Figure:
    """Mali, Burkina Faso, Niger: years with an international operation, a jihadist conflict, and coups.

    ``v.detail``: ``country, year, has_intl_op, has_jihadist_conflict, has_convergence,
    coups_successful_n, coup_attempts_n``.
    """
    d = v.detail
    countries = list(dict.fromkeys(d["country"].astype(str)))
    fig, ax = new_figure(9.0, 1.0 * len(countries) + 1.6)
    rows = [
        ("has_intl_op", ACCENT, "UN PKO or partner operation", 0.22),
        ("has_jihadist_conflict", "#d95f02", "conflict with a jihadist side", 0.0),
        ("has_convergence", MAIN, "both (convergence)", -0.22),
    ]
    for i, c in enumerate(countries):
        s = d[d["country"] == c]
        for col, color, _label, off in rows:
            yrs = s.loc[s[col].astype("boolean").fillna(False).astype(bool), "year"]
            ax.scatter(yrs, np.full(len(yrs), i + off), marker="s", s=40, color=color)
        cy = s[(s["coups_successful_n"] > 0).fillna(False)]
        ax.scatter(cy["year"], np.full(len(cy), i - 0.45), marker="*", s=140, color="black", zorder=3)
        fa = s[((s["coup_attempts_n"] > 0) & (s["coups_successful_n"] == 0)).fillna(False)]
        ax.scatter(fa["year"], np.full(len(fa), i - 0.45), marker="x", s=50, color="black", zorder=3)
    ax.set_yticks(range(len(countries)), countries)
    ax.set_ylim(len(countries) - 0.4, -0.8)
    ax.set_xlabel("year")
    handles: list[Any] = [Patch(color=c, label=lab) for _, c, lab, _ in rows]
    handles += [
        mpl.lines.Line2D([], [], marker="*", color="black", ls="", ms=10, label="successful coup"),
        mpl.lines.Line2D([], [], marker="x", color="black", ls="", ms=7, label="failed attempt"),
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3)
    ax.grid(axis="x", color="#dddddd")
    return _finish(fig, v, title or v.measure)


@styled
def plot_region_counts(
    v: ClaimVerdict,
    *,
    value: str = "countries_n",
    ylabel: str | None = None,
    shade: tuple[int, int] | None = None,
    title: str | None = None,
) -> Figure:
    """Yearly counts by region (one line per region; one panel per ``kind`` when the detail has it).

    ``v.detail``: long frame ``year, region, <value>`` [, ``kind``].
    """
    d = v.detail
    kinds = list(dict.fromkeys(d["kind"])) if "kind" in d.columns else [None]
    fig, axes = new_figure(9.0, 2.8 * len(kinds) + 0.8, len(kinds), 1, sharex=True, squeeze=False)
    for ax, k in zip(axes[:, 0], kinds):
        sub = d if k is None else d[d["kind"] == k]
        wide = sub.pivot_table(index="year", columns="region", values=value, aggfunc="sum").fillna(0)
        for r in wide.columns:
            ax.plot(
                wide.index,
                wide[r],
                label=str(r),
                color=REGION_COLORS.get(str(r), GREY),
                lw=2.2 if r in ("Africa", "Middle East") else 1.0,
            )
        if shade:
            ax.axvspan(shade[0] - 0.5, shade[1] + 0.5, color=LIGHT, alpha=0.5, lw=0)
        ax.set_ylabel(ylabel or value if k is None else f"{k}")
        ax.legend(loc="upper left", ncol=5)
    axes[-1, 0].set_xlabel("year")
    return _finish(fig, v, title or v.measure)


@styled
def plot_downsizing(v: ClaimVerdict, *, title: str | None = None) -> Figure:
    """UN uniformed personnel per year with the compared drawdown windows shaded.

    ``v.detail``: ``year, personnel_total_n``; ``v.sensitivity``: ``window, start, end, change``.
    """
    d = v.detail.dropna(subset=["personnel_total_n"])
    fig, ax = new_figure(9.0, 4.0)
    ax.plot(d["year"], d["personnel_total_n"].astype(float), color=GREY, lw=1.5)
    for k, r in v.sensitivity.reset_index(drop=True).iterrows():
        color = [MAIN, ACCENT, "#1b9e77"][k % 3]
        ax.axvspan(r["start"], r["end"], color=color, alpha=0.15, lw=0)
        ax.text(
            (r["start"] + r["end"]) / 2,
            ax.get_ylim()[1] * (0.95 - 0.07 * k),
            f"{int(r['start'])}-{int(r['end'])}\n{r['change']:.0%}",
            color=color,
            ha="center",
            fontsize=10,
            fontweight="bold",
        )
    ax.set_ylabel("UN uniformed personnel, December (persons)")
    ax.set_xlabel("year")
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda x, _: f"{x:,.0f}"))
    return _finish(fig, v, title or v.measure)


@styled
def plot_actor_emergence(v: ClaimVerdict, *, title: str | None = None) -> Figure:
    """Years in which each AQ/IS-affiliated actor fought a conflict located in Africa (first to last).

    ``v.detail``: ``actor, affiliation, first_year, last_year, emerged_21c``.
    """
    d = v.detail.reset_index(drop=True)
    fig, ax = new_figure(8.5, 0.3 * len(d) + 1.6)
    for i, r in d.iterrows():
        color = MAIN if r["affiliation"] == "IS" else ACCENT
        ax.plot([r["first_year"], r["last_year"]], [i, i], color=color, lw=5, solid_capstyle="butt")
        ax.plot(r["first_year"], i, marker="o", color="black", ms=4)
    ax.axvline(1999.5, color=GREY, ls="--", lw=1)
    ax.set_yticks(range(len(d)), d["actor"].astype(str))
    ax.set_ylim(len(d) - 0.5, -0.5)
    ax.set_xlabel("years with a UCDP/PRIO conflict located in Africa (dot: first year)")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.legend(
        handles=[Patch(color=ACCENT, label="al-Qaida affiliate"), Patch(color=MAIN, label="IS affiliate")],
        loc="lower left",
    )
    return _finish(fig, v, title or v.measure)


@styled
def plot_us_troops(v: ClaimVerdict, *, title: str | None = None) -> Figure:
    """U.S. military personnel in Afghanistan per year (``v.detail``: ``year, us_troops_n``)."""
    d = v.detail
    fig, ax = new_figure(8.0, 3.4)
    ax.plot(d["year"], d["us_troops_n"].astype(float), color=MAIN, marker="o", ms=3)
    if v.essay_number is not None:
        ax.axvline(float(v.essay_number), color=ACCENT, ls="--", lw=1)
    ax.set_ylabel("U.S. troops in Afghanistan")
    ax.set_xlabel("year")
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda x, _: f"{x:,.0f}"))
    return _finish(fig, v, title or v.measure)


#: claim_id -> figure function taking the claim's verdict.
FIGURES: dict[str, Callable[..., Figure]] = {
    "minusma_hostile_deaths_2013_2017": plot_sensitivity,
    "minusma_deadliest_pko_2013_2017": plot_mission_deaths,
    "other_large_pkos_dozens_2013_2017": functools.partial(
        plot_mission_deaths, threshold=24, highlight=("MINUSCA", "UNAMID", "MONUSCO", "UNMISS")
    ),
    "minusma_deaths_to_2023_06_30": plot_sensitivity,
    "hostile_deaths_increasing_to_2017": plot_yearly_periods,
    "improvement_after_2017_not_dramatic": plot_yearly_periods,
    "minusma_constant_security_threat": plot_minusma_years,
    "large_21c_missions_have_poc": plot_large_missions,
    "poc_always_with_chapter_vii": plot_poc_chapter_vii,
    "partnership_trend_21c": plot_partnership,
    "sahel_coups_follow_convergence": plot_sahel_timeline,
    "islamist_groups_africa_vs_middle_east": functools.partial(
        plot_region_counts,
        value="countries_n",
        ylabel="countries with a jihadist conflict",
        shade=(2020, 2024),
    ),
    "ipos_many_in_africa_few_in_middle_east": functools.partial(plot_region_counts, value="n"),
    "downsizing_historically_rapid": plot_downsizing,
    "aq_is_affiliates_emerged_africa_21c": plot_actor_emergence,
    "us_withdrawal_afghanistan_2021": plot_us_troops,
}


def plot_claim(v: ClaimVerdict, *, tolerance: float | None = None) -> Figure | None:
    """The figure of claim ``v.claim_id`` (:data:`FIGURES`), or ``None`` when it has none or no detail.

    Parameters
    ----------
    tolerance
        Relative tolerance band of the number-against-essay figures (:func:`plot_sensitivity`).
    """
    fn = FIGURES.get(v.claim_id)
    if fn is None or v.verdict == "not testable" or v.detail.empty:
        return None
    if tolerance is not None and fn is plot_sensitivity:
        return plot_sensitivity(v, tolerance=tolerance)
    return fn(v)
