# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: peaceops
#     language: python
#     name: peaceops
# ---

# %% [markdown]
# # Casualty trends: did peacekeeping become deadlier, and when?
#
# **Question.** How did the death rate of UN peacekeepers (deaths per 1,000 personnel-years)
# change over time, and did it shift at the turning points the essay names: the **Brahimi report
# (2000)**, the **Capstone doctrine (2008)**, the robust turn with **MINUSMA (2013)** and the
# **Cruz report** (December 2017), which announced measures against hostile-act deaths? Was MINUSMA
# far deadlier than the other large missions?
#
# **Data.** Mission-months: UN fatalities by cause (1990 onward) and uniformed personnel deployed
# (Kathman, to 2019; a single missing month between two known months is interpolated and flagged,
# `is_personnel_interpolated`). The trend models' default outcome is hostile deaths of
# **uniformed** personnel, the people the exposure counts (`cause = "hostile"` adds civilian
# staff). The all-missions series is **extended to 2021 with Our World in Data's yearly
# totals** of UN uniformed personnel (December figures; labelled wherever used). UN data: United
# Nations, used with acknowledgement.
#
# **Method.** Break years are **estimated, not asserted**: a search tries a break in every year and
# compares the best one with what chance produces (parametric bootstrap of the largest
# quasi-likelihood-ratio statistic), so every year is a placebo for the others. The segmented trend
# (level and slope change at each break) is fitted to the all-missions series and, within missions,
# to mission-years with mission fixed effects (NB2 and PPML), with a wild cluster bootstrap, the
# leave-one-mission-out range, the E-value and Romano-Wolf p-values across the break terms.
#
# **Why the post-Cruz segment starts in 2018.** The Cruz report appeared in December 2017, after
# 2017, the deadliest year for hostile acts since the 1990s. A segment starting in 2017 would open
# on that peak, and the fall back toward the usual rate that follows any extreme year (regression
# to the mean) would be read as the report's effect. The segment therefore starts in 2018, the
# first year the report could have changed anything.

# %% tags=["parameters"]
from typing import Literal

output_dir: str = ""  # set by the runner (peaceops run); empty: write nothing
cause: Literal[
    "hostile", "hostile_uniformed", "accident", "illness", "self_inflicted", "other_unknown", "all"
] = "hostile_uniformed"  # cause of death of the trend models; "hostile" adds civilian staff
breaks: list[int] = [2000, 2008, 2013, 2018]  # first year of each new segment (2018: after the Cruz report)
years: list[int] = [1990, 2019]  # years of the series from the mission data (deployed personnel end in 2019)
extend_to: int = 2021  # extend the all-missions series with OWID totals to this year (0: no extension)
exposure: Literal["deployed", "authorized"] = "deployed"  # personnel deployed or authorised ceilings
measure: Literal["rate", "count"] = "rate"  # rate: deaths per personnel-year; count: deaths per year
estimator: Literal["poisson", "negbin", "ols"] = "poisson"  # the all-missions segmented trend
mission_estimator: Literal["negbin", "ppml"] = "negbin"  # the mission-fixed-effects segmented model
missions: str | list[str] = "all"  # "all", "africa" or a list of mission acronyms
by_cause: list[str] = ["hostile", "accident", "illness", "self_inflicted"]  # causes shown side by side
compare_missions: list[str] = ["MINUSMA", "MINUSCA", "UNAMID", "MONUSCO", "UNMISS"]
compare_years: list[int] = [2013, 2017]  # period of the mission comparison (the essay: 2013-2017)
reps: int = 999  # bootstrap replications (break search, wild cluster bootstrap)

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import display

from analysis.data import data_versions, load
from analysis.models import fit_segmented_trend, rates_by_year, search_breaks
from analysis.plots import casualties as casualty_plots
from analysis.plots import casualty_designs as design_plots
from analysis.reporting import Reporter
from analysis.reporting.tables import ledger_headers
from analysis.studies import casualties, casualty_inference, casualty_trends, select

PARAMS = dict(
    cause=cause,
    breaks=breaks,
    years=years,
    extend_to=extend_to,
    exposure=exposure,
    measure=measure,
    estimator=estimator,
    mission_estimator=mission_estimator,
    missions=missions,
    by_cause=by_cause,
    compare_missions=compare_missions,
    compare_years=compare_years,
    reps=reps,
)
rep = Reporter(output_dir, notebook="03_casualty_trends", parameters=PARAMS)
rep.glossary(
    "irr",
    "confidence_interval",
    "hostile_act",
    "segmented_trend",
    "break_search",
    "nb2",
    "ppml",
    "clustered_se",
    "wild_bootstrap",
    "t_reference",
    "leave_one_out",
    "e_value",
    "romano_wolf",
    "authorised_ceiling",
    "association",
)
TABLES = ["mission_months", "un_personnel_yearly_total"]
DV = data_versions(TABLES)
mm = load("mission_months")
CEILINGS = exposure == "authorized"
if CEILINGS:  # rates per authorised peacekeeper: the ceilings take the place of the deployed personnel
    mm = mm.assign(personnel_total_n=mm["personnel_authorized_n"])
    rep.note(
        "Every rate on this page is per authorised peacekeeper (Security Council ceilings), not per "
        "peacekeeper deployed; missions without a coded ceiling are left out."
    )
TAG = " (per authorised peacekeeper)" if CEILINGS else ""
panel = select.select_years(select.select_missions(mm, missions), (years[0], max(years[1], extend_to or 0)))
if CEILINGS:  # missions whose texts never state a ceiling (observer missions, the oldest ones) are left out
    with_ceiling = panel.groupby("mission_id_un")["personnel_total_n"].transform(lambda s: s.notna().any())
    rep.result(
        "missions_without_ceiling",
        int(panel.loc[~with_ceiling, "mission_id_un"].nunique()),
        format="count",
        label="Missions left out: no authorised ceiling in their texts",
    )
    panel = panel[with_ceiling.astype(bool)]
scope = {"all": "all missions", "africa": "missions in Africa"}.get(str(missions), str(missions))
if not isinstance(missions, str):
    scope = ", ".join(missions)
WHAT = casualties.label_of_outcome(cause)
OWID = load("un_personnel_yearly_total") if (extend_to and not CEILINGS and missions == "all") else None
if extend_to and OWID is None:
    rep.note("The OWID extension covers all missions with deployed personnel only: not used for this set.")

# %% [markdown]
# ## The all-missions series and its segmented trend
#
# Deaths per 1,000 personnel-years of all missions by year. Years in which fewer than half of the
# mission-months have a personnel figure have no rate (not zero). After the mission data end, the
# years up to `extend_to` take the OWID December total as their exposure (open markers); where both
# exist, the two exposures agree closely (table below).

# %%
rates = rates_by_year(panel, cause)
series = casualty_trends.aggregate_series(rates, OWID, years=years, extend_to=extend_to or None)
owid_years = series.loc[series["exposure_source"] == casualty_trends.SOURCE_OWID, "year"].tolist()
first, last = int(series["year"].min()), int(series["year"].max())
OWID_SRC = f"; OWID totals {', '.join(map(str, owid_years))}" if owid_years else ""
if owid_years:
    rep.note(
        f"{', '.join(map(str, owid_years))}: exposure = OWID's December total of UN uniformed personnel "
        "(no mission personnel after 2019); numerator = all deaths of the year."
    )
    overlap = casualty_trends.exposure_overlap(rates, OWID)
    rep.result(
        "owid_ratio_median",
        float(overlap["ratio"].median()),
        format="ratio",
        label="Median ratio of deployed personnel-years to the OWID December total, years with both",
    )
    display(
        rep.table(
            overlap,
            "owid_overlap",
            appendix=True,
            caption="Deployed personnel-years against the OWID December total, years with both",
            formats={
                "owid_december_n": "count",
                "personnel_years": "count",
                "ratio": "ratio",
                "rate_deployed_per_1000": "rate",
                "rate_owid_per_1000": "rate",
            },
            headers={
                "owid_december_n": "OWID total (December)",
                "ratio": "deployed / OWID",
                "rate_deployed_per_1000": "rate, deployed",
                "rate_owid_per_1000": "rate, OWID",
            },
        )
    )
_lo, _hi = int(series["year"].min()), int(series["year"].max())
if [b for b in breaks if not _lo < b <= _hi]:
    rep.note(
        f"Breaks outside the series' years {_lo}-{_hi} left out: {[b for b in breaks if not _lo < b <= _hi]}"
    )
    breaks = [b for b in breaks if _lo < b <= _hi]
if measure == "rate":
    result = fit_segmented_trend(
        series,
        outcome="deaths_model_n",
        time="year",
        breaks=breaks,
        exposure="personnel_years",
        estimator=estimator,
        data_versions=DV,
    )
else:
    cnt = rates[rates["year"].between(years[0], max(years[1], extend_to or 0))].assign(
        deaths_model_n=lambda d: d["deaths_n"].astype("int64")
    )
    series = cnt.assign(rate_per_1000=cnt["deaths_n"].astype(float), exposure_source="deaths (no exposure)")
    result = fit_segmented_trend(
        series,
        outcome="deaths_model_n",
        time="year",
        breaks=breaks,
        exposure=None,
        estimator=estimator,
        data_versions=DV,
    )
for w in result.warnings:
    rep.diagnostic(f"segmented trend: {w}")
display(
    rep.table(
        result.ledger_frame(),
        "sample_ledger",
        caption="Where the deaths go: years and deaths given to the all-missions trend model and kept",
        headers=ledger_headers(),
    )
)
fitted = result.extra["fitted"].copy()
if measure == "rate":
    if estimator == "ols":
        fitted["fitted"] = fitted["fitted"] * 1000
    else:
        fitted["fitted"] = fitted["fitted"] / fitted["exposure"].astype(float) * 1000
periods = casualty_trends.segment_periods(series, breaks) if measure == "rate" else None
if periods is not None:
    for p in periods.itertuples():
        rep.result(
            f"rate_{p.first_year}_{p.last_year}",
            round(float(p.rate_per_1000), 4),
            format="rate",
            label=f"{WHAT.capitalize()} per 1,000 personnel-years, {p.period}{TAG}",
        )
    display(
        rep.table(
            periods.drop(columns=["first_year", "last_year"]),
            "periods",
            caption=f"{WHAT.capitalize()} per 1,000 personnel-years in each segment{TAG}",
            formats={"deaths_n": "count", "personnel_years": "count", "rate_per_1000": "rate"},
            headers={"deaths_n": WHAT, "exposure_source": "exposure", "personnel_years": "personnel-years"},
        )
    )
rep.result("trend_nobs", result.nobs, label="Years in the all-missions trend model", format="count")
rep.result(
    "trend_deaths",
    int(series["deaths_model_n"].sum()),
    format="count",
    label=f"{WHAT.capitalize()} in the all-missions trend model",
)
if periods is not None and len(periods) >= 2:
    k0 = f"rate_{periods['first_year'].iloc[0]}_{periods['last_year'].iloc[0]}"
    k1 = f"rate_{periods['first_year'].iloc[-1]}_{periods['last_year'].iloc[-1]}"
    rep.finding(
        "trends",
        question="Did peacekeepers' risk of death rise after the breaks the essay names?",
        answer=f"{WHAT.capitalize()} per 1,000 peacekeepers a year: {{{k0}}} in "
        f"{periods['period'].iloc[0]}, {{{k1}}} in {periods['period'].iloc[-1]}{TAG}.",
        sample={
            "rows": (result.nobs, "years"),
            "events": (int(series["deaths_model_n"].sum()), WHAT),
            "years": (first, last),
        },
        caveat="Break years mark coincidences in time, not effects of reports or doctrines."
        + (f" {', '.join(map(str, owid_years))} use OWID totals as exposure." if owid_years else ""),
    )
for b in breaks:
    for kind in ("level", "slope"):
        if f"{kind}_{b}" in set(result.estimates["term"]):
            rep.estimate(
                f"{kind}_{b}",
                result,
                f"{kind}_{b}",
                label=f"{'Jump' if kind == 'level' else 'Slope change'} at {b}, all missions "
                f"({'rate ratio' if estimator != 'ols' else 'difference'}){TAG}",
            )
short = (
    [p.period for p in periods.itertuples() if p.last_year - p.first_year < 4] if periods is not None else []
)
if short:
    rep.note(
        f"Segments with fewer than 5 years ({', '.join(short)}): their level and slope are fitted almost "
        "exactly and their intervals are not reliable."
    )
shown = series.assign(value=series["rate_per_1000"])
trend_title = (
    f"{WHAT.capitalize()} per 1,000 peacekeepers: "
    + (
        f"{periods['rate_per_1000'].iloc[0]:.2f} in {periods['period'].iloc[0]}, "
        f"{periods['rate_per_1000'].iloc[-1]:.2f} in {periods['period'].iloc[-1]}"
        if periods is not None and len(periods)
        else f"{first}-{last}"
    )
    + TAG
)
fig = casualty_plots.plot_rate_trend(
    shown,
    fitted=fitted,
    breaks=breaks,
    rate="value",
    ylabel="deaths per 1,000 personnel-years" if measure == "rate" else "deaths per year",
    title=trend_title,
    source=f"UN fatalities; Kathman personnel{OWID_SRC} ({scope})",
)
display(
    rep.figure(
        fig,
        "segmented_trend",
        main=True,
        title=trend_title,
        description=f"Yearly {WHAT} per 1,000 personnel-years (points) and the segmented {estimator} "
        f"trend with breaks at {', '.join(map(str, breaks))} (lines).",
        data=series,
    )
)
display(
    rep.table(
        result.summary_frame().reset_index(),
        "trend_model",
        appendix=True,
        caption=f"All-missions segmented trend: every coefficient ({estimator})",
    )
)

# %% [markdown]
# ## Where would a break fit best? Placebo breaks in every year
#
# For each year, the improvement in fit from one more break there (level and slope change) over a
# single trend. The dashed line is the bootstrap 95% critical value of the *largest* such
# statistic: a year must clear it to stand out from what a search over all years finds by chance.
# The essay's years are in red.

# %%
bs = None
if measure == "rate":
    bs = search_breaks(series, outcome="deaths_model_n", time="year", exposure="personnel_years", reps=reps)
    rep.result("break_best_year", int(bs.best_year), format="year", label="Best single break year (data)")
    rep.result(
        "break_search_p",
        bs.p_value,
        format="pvalue",
        label="Bootstrap p-value of the best break (sup quasi-LR)",
    )
    tab = bs.table.set_index("year")
    for b in breaks:
        if b in tab.index:
            rep.result(
                f"break_p_{b}",
                float(tab.loc[b, "p_search"]),
                format="pvalue",
                label=f"Search-adjusted p-value of a break in {b}",
            )
    marks = design_plots.essay_marks(breaks, casualty_plots.BREAK_LABELS)
    cleared = tab[tab["p_search"] < 0.05].index.tolist()
    bs_title = (
        f"The data's best single break is {int(bs.best_year)} (bootstrap p = {bs.p_value:.3f}); "
        f"{len(cleared)} of {len(tab)} years clear the 95% line"
    )
    fig = design_plots.plot_break_search(
        bs.table,
        bs.sup_boot,
        marked=marks,
        title=bs_title,
        source=f"all-missions series {first}-{last}; {bs.reps} bootstrap draws",
    )
    display(
        rep.figure(
            fig,
            "break_search",
            title=bs_title,
            description="Quasi-likelihood-ratio statistic of a break in each year against the "
            "bootstrap 95% critical value of the best break; the essay's years in red.",
            data=bs.table,
        )
    )
    display(
        rep.table(
            bs.table,
            "break_years",
            appendix=True,
            caption="A break in every year: level and slope ratios, pointwise and search-adjusted p",
            formats={
                "year": "year",
                "stat": "value",
                "level": "value",
                "slope": "value",
                "level_ratio": "ratio",
                "slope_ratio": "ratio",
                "p_pointwise": "pvalue",
                "p_search": "pvalue",
            },
            labels=False,
        )
    )
    essay_p = ", ".join(f"{b}: {{break_p_{b}}}" for b in breaks if b in tab.index)
    rep.finding(
        "breaks",
        question="Do the essay's break years stand out in the data?",
        answer="The best single break is {break_best_year} (bootstrap p = {break_search_p}); "
        f"search-adjusted p-values of the essay's years: {essay_p}.",
        caveat="A break year marks a coincidence in time, not an effect of a report or doctrine.",
    )

# %% [markdown]
# ## Within missions: the segmented model with mission fixed effects
#
# The all-missions series mixes two things: rates within missions and the move of deployments to
# more dangerous places. Mission-years with mission fixed effects compare each mission with itself
# across the breaks. NB2 and PPML; the family for the Romano-Wolf adjustment is every level change
# under both estimators.

# %%
my_years = (years[0], 2024 if CEILINGS else years[1])
mframe = casualties.casualty_frame(
    panel, cause=cause, years=my_years, missions="all", unit="year", exposure="deployed"
)
OUT = casualties.outcome_column(cause)
my = casualty_trends.mission_years(mframe, outcome=OUT, exposure="personnel_years_n")
fits_m, my, terms, seg_notes = casualty_trends.fit_mission_segments(
    my,
    breaks,
    outcome=OUT,
    exposure="personnel_years_n",
    estimators=list(
        dict.fromkeys([mission_estimator, "ppml" if mission_estimator == "negbin" else "negbin"])
    ),
    data_versions=DV,
)
for n in seg_notes:
    rep.note(n)
in_range = [int(t[6:]) for t in terms if t.startswith("level_")]
rows_m = []
for est, r_ in fits_m.items():
    for t in terms:
        if t.startswith("level_"):
            row = r_.term(t)
            rows_m.append(
                {
                    "label": f"jump at {t[6:]}, {est.upper() if est == 'ppml' else 'NB2'}",
                    "term": t,
                    "estimator": est,
                    "ratio": row["ratio"],
                    "ratio_ci_low": row["ratio_ci_low"],
                    "ratio_ci_high": row["ratio_ci_high"],
                    "p_value": row["p_value"],
                }
            )
family = {f"{r['label']}": (fits_m[r["estimator"]], my, r["term"]) for r in rows_m}
rw = casualty_inference.family_adjusted(family, reps=reps).set_index("specification")
mtab = pd.DataFrame(rows_m)
mtab["p_value_rw"] = mtab["label"].map(rw["p_value_romano_wolf"])
display(
    rep.table(
        mtab.drop(columns=["term", "estimator"]),
        "within_missions",
        caption=f"Jumps at each break within missions (mission-years, mission fixed effects){TAG}",
        headers={"label": "break, estimator", "p_value_rw": "p (Romano-Wolf)"},
        formats={"p_value_rw": "pvalue"},
    )
)
head_term = f"level_{in_range[-1]}" if in_range else None
if head_term:
    res_m = fits_m[mission_estimator]
    rep.estimate(
        "level_within_missions",
        res_m,
        head_term,
        label=f"Jump at {head_term[6:]} within missions (mission FE, {mission_estimator}), {WHAT}{TAG}",
    )
    rep.result(
        "mission_years_n", res_m.nobs, format="count", label="Mission-years in the within-mission model"
    )
    rep.result(
        "mission_years_missions",
        res_m.n_clusters,
        format="count",
        label="Missions in the within-mission model",
    )
    inf = casualty_inference.headline_inference(res_m, my, head_term, reps=reps)
    inf.rw_p_value = float(
        rw.loc[
            f"jump at {head_term[6:]}, {'PPML' if mission_estimator == 'ppml' else 'NB2'}",
            "p_value_romano_wolf",
        ]
    )
    checks = casualty_inference.record_inference(
        rep, "level_within_missions", inf, what="within-mission jump"
    )
    hr = res_m.term(head_term)
    verdict = (
        "no clear change"
        if hr["ratio_ci_low"] <= 1 <= hr["ratio_ci_high"]
        else "higher"
        if hr["ratio_ci_low"] > 1
        else "lower"
    )
    rep.finding(
        "within_missions",
        question=f"Within missions, did the death rate jump in {head_term[6:]}?",
        answer=f"Within missions, {verdict}: from {head_term[6:]} the rate of {WHAT} was "
        "{level_within_missions} times the level the earlier trend predicts.",
        sample={
            "rows": (res_m.nobs, "mission-years"),
            "units": (res_m.n_clusters, "missions"),
            "events": (int(my[OUT].sum()), WHAT),
            "years": (int(my["year"].min()), int(my["year"].max())),
        },
        caveat="A jump at a break year is a coincidence in time, not the effect of a report.",
    )
    if checks:
        rep.finding(
            "within_missions_checks",
            question="How firm is that jump with unequal missions?",
            answer=checks,
            caveat="Missions with few deaths add little; the bootstrap is by mission.",
        )
    display(
        rep.table(
            casualty_inference.inference_table({f"jump at {head_term[6:]}": inf}),
            "few_cluster_checks",
            caption="The within-mission jump with its few-cluster checks",
            formats=casualty_inference.INFERENCE_FORMATS,
            headers=casualty_inference.INFERENCE_HEADERS,
        )
    )
    display(
        rep.table(
            res_m.summary_frame().reset_index(),
            "mission_model",
            appendix=True,
            caption=f"Within-mission segmented model: every coefficient ({mission_estimator})",
        )
    )

# %% [markdown]
# ## Rates by cause
#
# The same rate for each cause of death (mission data only, no extension).

# %%
rates_cause = pd.concat(
    [rates_by_year(select.select_years(panel, years), c).assign(cause=c) for c in by_cause], ignore_index=True
)
rates_cause = rates_cause[
    rates_cause["personnel_coverage"].fillna(0) >= casualty_trends.MIN_PERSONNEL_COVERAGE
]
cause_title = f"Peacekeeper deaths per 1,000 personnel-years by cause, {years[0]}-{years[1]} ({scope}){TAG}"
fig = casualty_plots.plot_rate_trend(
    rates_cause,
    group="cause",
    breaks=breaks,
    ncols=min(len(by_cause), 2),
    title=cause_title,
    source="UN fatalities file; Kathman personnel",
)
display(
    rep.figure(
        fig,
        "rates_by_cause",
        title=cause_title,
        description="Yearly deaths per 1,000 personnel-years, one panel per cause; break years dashed.",
        data=rates_cause,
    )
)

# %% [markdown]
# ## MINUSMA against the other large missions
#
# The essay: MINUSMA recorded 91 deaths in 2013-2017 while the other large missions recorded
# "dozens"; by 30 June 2023 it had recorded 309. Deaths and rates of each mission in
# `compare_years`, from the current UN file.

# %%
rates_mission = rates_by_year(mm[mm["mission_id_un"].isin(compare_missions)], cause, by="mission_id_un")
totals = casualties.period_totals(rates_mission, years=compare_years)
display(
    rep.table(
        totals,
        "mission_comparison",
        caption=f"{WHAT.capitalize()} of the large missions, {compare_years[0]}-{compare_years[1]}{TAG}",
        formats={
            "deaths_n": "count",
            "deaths_covered_n": "count",
            "personnel_years": "count",
            "rate_per_1000": "rate",
        },
        headers={"deaths_n": WHAT, "deaths_covered_n": "of them in months with personnel"},
    )
)
yearly = rates_mission[
    rates_mission["personnel_coverage"].fillna(0) >= casualty_trends.MIN_PERSONNEL_COVERAGE
]
focus = totals[totals["mission_id_un"] == compare_missions[0]]
others = totals[totals["mission_id_un"] != compare_missions[0]]
cmp_title = f"{compare_missions[0]} against the other large UN missions: {WHAT}{TAG}"
if len(focus) and len(others) and others["personnel_years"].sum() > 0:
    f0 = focus.iloc[0]
    other_rate = 1000 * others["deaths_covered_n"].sum() / others["personnel_years"].sum()
    rep.result(
        "focus_deaths",
        int(f0["deaths_n"]),
        format="count",
        label=f"{compare_missions[0]} {WHAT}, {compare_years[0]}-{compare_years[1]}",
    )
    rep.result(
        "focus_rate_per_1000",
        round(float(f0["rate_per_1000"]), 4),
        format="rate",
        label=f"{compare_missions[0]} {WHAT} per 1,000 personnel-years, "
        f"{compare_years[0]}-{compare_years[1]}",
    )
    rep.result(
        "others_rate_per_1000",
        round(float(other_rate), 4),
        format="rate",
        label=f"Other large missions together, {WHAT} per 1,000 personnel-years",
    )
    rep.result(
        "focus_rate_ratio",
        round(float(f0["rate_per_1000"]) / float(other_rate), 3),
        format="ratio",
        label=f"{compare_missions[0]} rate / rate of the other large missions",
    )
    rep.finding(
        "minusma",
        question=f"Was {compare_missions[0]} deadlier than the other large missions?",
        answer=f"{compare_missions[0]}: {{focus_deaths}} {WHAT} in {compare_years[0]}-{compare_years[1]}, "
        "{focus_rate_per_1000} per 1,000 personnel-years, {focus_rate_ratio} times the rate of the "
        f"other large missions together{TAG}.",
        caveat="Rates use months with a personnel figure; the UN file is revised from time to time.",
    )
    cmp_title = (
        f"{compare_missions[0]}'s rate of {WHAT} was {f0['rate_per_1000'] / other_rate:.1f} times that "
        f"of the other large missions, {compare_years[0]}-{compare_years[1]}{TAG}"
    )
fig = casualty_plots.plot_mission_comparison(
    yearly,
    totals,
    focus=compare_missions[0],
    period=compare_years,
    title=cmp_title,
    source="UN fatalities file; Kathman personnel",
)
display(
    rep.figure(
        fig,
        "mission_comparison",
        title=cmp_title,
        description="Yearly rates of the large missions, and their deaths and rates over the period.",
        data=totals,
    )
)
if "MINUSMA" in set(mm["mission_id_un"]):
    minusma = mm[(mm["mission_id_un"] == "MINUSMA") & (mm["date"] <= "2023-06-30")]
    rep.result(
        "minusma_all_causes_to_2023_06",
        int(minusma["fatalities_n"].sum()),
        format="count",
        label="MINUSMA deaths, all causes, to 30 June 2023 (essay: 309)",
    )

# %% [markdown]
# ## What this cannot tell us
#
# * **Why** rates moved. Break years coincide with reports and doctrines, but also with where
#   missions were deployed (Mali, CAR, DRC, South Sudan) and with the armed groups there.
# * **After 2019** only the all-missions total is known (OWID, to 2021, December figures): the
#   mission-level models and the mission comparison stop in 2019.
# * Deaths of **partner forces** (AMISOM, Barkhane, G5 Sahel) are not counted by the UN.

# %%
rep.note("Break years mark coincidences in time, not causal effects of reports or doctrines.")
rep.save(data_versions=DV)
