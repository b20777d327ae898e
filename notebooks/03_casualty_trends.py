# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: peaceops
#     language: python
#     name: peaceops
# ---

# %% [markdown]
# # 03 Casualty trends: did peacekeeping become deadlier, and when?
#
# **Question.** How did the death rate of UN peacekeepers (deaths per 1,000 personnel-years)
# change over time, by cause and by mission, and did it shift at the turning points the
# essay names: the **Brahimi report (2000)**, the **Capstone doctrine (2008)**, the robust turn
# with **MINUSMA (2013)** and the **Cruz report (2017)**, which announced measures to reduce
# hostile-act deaths? And was MINUSMA, as the essay says, far deadlier than the other large
# missions (MINUSCA, UNAMID, MONUSCO, UNMISS)?
#
# **Data.** `mission_months`: UN fatalities by cause (1990 onward) and uniformed personnel
# deployed (Kathman, 1990-2019). Rates use only the months that have a personnel figure, in
# numerator and denominator (`analysis.models.trends.rates_by_year`).
#
# **Method.** Interrupted time series: a segmented Poisson regression of yearly deaths with
# log personnel-years as offset, a level jump and a slope change at each break year
# (`fit_segmented_trend`), Newey-West standard errors. `ratio` of a `level_B` term = the rate
# ratio of the jump at B; of a `slope_B` term = the change in the yearly growth factor.
#
# **Limits.** Personnel per mission end in 2019, so rates stop in 2019 (the counts continue
# to 2025; `measure = "count"` fits the counts without exposure). Thirty yearly points and
# four breaks leave few years per segment: the break estimates are imprecise and sensitive
# to the chosen years. A shift at a break year is a coincidence in time, not evidence that
# the report or doctrine caused it: deployments moved to more violent places at the same time.

# %% tags=["parameters"]
from typing import Literal

output_dir: str = ""  # set by the runner (peaceops run); empty: write nothing
cause: Literal["hostile", "hostile_uniformed", "accident", "illness", "self_inflicted", "other_unknown",
               "all"] = "hostile"  # cause of death of the trend model
breaks: list[int] = [2000, 2008, 2013, 2017]  # break years (first year of each new segment)
years: list[int] = [1990, 2019]  # years of the trend model (personnel end in 2019)
measure: Literal["rate", "count"] = "rate"  # rate: deaths per personnel-year; count: deaths
estimator: Literal["poisson", "negbin", "ols"] = "poisson"
missions: str | list[str] = "all"  # "all", "africa" or a list of mission acronyms
by_cause: list[str] = ["hostile", "accident", "illness", "self_inflicted"]  # causes shown side by side
compare_missions: list[str] = ["MINUSMA", "MINUSCA", "UNAMID", "MONUSCO", "UNMISS"]
compare_years: list[int] = [2013, 2017]  # period of the mission comparison (the essay: 2013-2017)

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import display

from analysis.data import data_versions, load
from analysis.models.trends import fit_segmented_trend, rates_by_year
from analysis.plots import casualties as casualty_plots
from analysis.reporting import Reporter
from analysis.studies import casualties, select

PARAMS = dict(cause=cause, breaks=breaks, years=years, measure=measure, estimator=estimator,
              missions=missions, by_cause=by_cause, compare_missions=compare_missions,
              compare_years=compare_years)
#: A year's rate is used only when at least this share of its mission-months has a personnel figure.
MIN_PERSONNEL_COVERAGE = 0.5
rep = Reporter(output_dir, notebook="03_casualty_trends", parameters=PARAMS)
TABLES = ["mission_months"]
DV = data_versions(TABLES)

mm = load("mission_months")
panel = select.select_years(select.select_missions(mm, missions), years)
scope = {"all": "all missions", "africa": "missions in Africa"}.get(str(missions), str(missions))
if not isinstance(missions, str):
    scope = ", ".join(missions)


def with_rates(rates: pd.DataFrame) -> pd.DataFrame:
    """Rows whose rate rests on enough months with a personnel figure."""
    return rates[rates["personnel_coverage"].fillna(0) >= MIN_PERSONNEL_COVERAGE]

# %% [markdown]
# ## 1. Rates by cause and year
#
# Deaths per 1,000 personnel-years for each cause. Years in which fewer than half of the
# mission-months have a personnel figure have no rate (not zero).

# %%
rates_cause = pd.concat([rates_by_year(panel, c).assign(cause=c) for c in by_cause], ignore_index=True)
fig = casualty_plots.plot_rate_trend(
    with_rates(rates_cause), group="cause", breaks=breaks, ncols=min(len(by_cause), 4),
    title=f"UN peacekeeper deaths per 1,000 personnel-years by cause, {years[0]}-{years[1]} ({scope})",
    source="UN fatalities file; Kathman personnel (months with a personnel figure)")
display(rep.figure(fig, "rates_by_cause"))
wide = with_rates(rates_cause).pivot(index="year", columns="cause", values="rate_per_1000")
display(wide.round(3).T)

# %% [markdown]
# ## 2. Segmented trend of the chosen cause

# %%
series = rates_by_year(panel, cause)
if measure == "rate":
    data = with_rates(series)
    left_out = sorted(int(y) for y in set(series["year"]) - set(data["year"]))
    if left_out:
        rep.note(f"Years without enough personnel figures left out of the rate model: {left_out}")
    result = fit_segmented_trend(data, outcome="deaths_covered_n", time="year", breaks=breaks,
                                 exposure="personnel_years", estimator=estimator, data_versions=DV)
else:
    data = series
    result = fit_segmented_trend(data, outcome="deaths_n", time="year", breaks=breaks, exposure=None,
                                 estimator=estimator, data_versions=DV)
for w in result.warnings:
    print("note:", w)
display(result.summary_frame().round(4))

fitted = result.extra["fitted"].copy()
if measure == "rate":
    if estimator == "ols":
        fitted["fitted"] = fitted["fitted"] * 1000
    else:
        fitted["fitted"] = fitted["fitted"] / fitted["exposure"].astype(float) * 1000
    shown, ylabel = data.assign(value=data["rate_per_1000"]), "deaths per 1,000 personnel-years"
else:
    shown, ylabel = data.assign(value=data["deaths_n"].astype(float)), "deaths per year"
fig = casualty_plots.plot_rate_trend(
    shown, fitted=fitted, breaks=breaks, rate="value", ylabel=ylabel,
    title=f"{cause.replace('_', ' ').capitalize()} deaths of UN peacekeepers"
          f"{' per 1,000 personnel-years' if measure == 'rate' else ''}, {years[0]}-{years[1]}: "
          f"segmented {estimator} trend",
    source=f"UN fatalities file{'; Kathman personnel' if measure == 'rate' else ''}; "
           f"breaks {', '.join(map(str, breaks))} ({scope})")
display(rep.figure(fig, "segmented_trend", main=True))

# %%
for b in breaks:
    for kind in ("level", "slope"):
        t = f"{kind}_{b}"
        if t in set(result.estimates["term"]):
            rep.estimate(f"{kind}_{b}", result, t,
                         label=f"{'Jump' if kind == 'level' else 'Slope change'} at {b} "
                               f"({'rate ratio' if estimator != 'ols' else 'difference'}, {cause})")
rep.result("trend_nobs", result.nobs, label="Years in the trend model")
seg_edges = [int(data["year"].min()), *breaks, int(data["year"].max()) + 1]
short = [f"{lo}-{hi - 1}" for lo, hi in zip(seg_edges[:-1], seg_edges[1:]) if hi - lo < 5]
if short:
    rep.note(f"Segments with fewer than 5 years ({', '.join(short)}): their level and slope are fitted "
             "almost exactly and their standard errors are not reliable.")
rep.result("trend_deaths", int(data["deaths_covered_n" if measure == "rate" else "deaths_n"].sum()),
           label=f"{cause} deaths in the trend model")
edges = [years[0], *breaks, years[1] + 1]
periods = []
for lo, hi in zip(edges[:-1], edges[1:]):
    p = data[(data["year"] >= lo) & (data["year"] < hi)]
    if measure == "rate" and len(p):
        rate = 1000 * float(p["deaths_covered_n"].sum()) / float(p["personnel_years"].sum())
        periods.append({"period": f"{lo}-{hi - 1}", "deaths": int(p["deaths_covered_n"].sum()),
                        "personnel_years": float(p["personnel_years"].sum()), "rate_per_1000": rate})
        rep.result(f"rate_{lo}_{hi - 1}", round(rate, 4),
                   label=f"{cause} deaths per 1,000 personnel-years, {lo}-{hi - 1}")
    elif len(p):
        periods.append({"period": f"{lo}-{hi - 1}", "deaths": int(p["deaths_n"].sum()),
                        "deaths_per_year": float(p["deaths_n"].sum()) / len(p)})
display(pd.DataFrame(periods).round(3))

# %% [markdown]
# ## 3. MINUSMA against the other large missions
#
# The essay: MINUSMA recorded 91 deaths in 2013-2017 while the other large missions recorded
# "dozens"; by 30 June 2023 it had recorded 309. Here: deaths and rates per 1,000
# personnel-years of each mission in `compare_years`, from the current UN file (later
# updates of the file can move a few deaths between years or causes).

# %%
rates_mission = rates_by_year(mm[mm["mission_id_un"].isin(compare_missions)], cause, by="mission_id_un")
totals = casualties.period_totals(rates_mission, years=compare_years)
display(totals.round(3))
yearly = with_rates(rates_mission)
fig = casualty_plots.plot_mission_comparison(
    yearly, totals, focus=compare_missions[0], period=compare_years,
    title=f"{compare_missions[0]} against the other large UN missions: {cause.replace('_', ' ')} deaths",
    source="UN fatalities file; Kathman personnel (rates to 2019)")
display(rep.figure(fig, "mission_comparison"))
focus = totals[totals["mission_id_un"] == compare_missions[0]]
if len(focus):
    f0 = focus.iloc[0]
    rep.result("focus_deaths", int(f0["deaths_n"]),
               label=f"{compare_missions[0]} {cause} deaths, {compare_years[0]}-{compare_years[1]}")
    rep.result("focus_rate_per_1000", round(float(f0["rate_per_1000"]), 4),
               label=f"{compare_missions[0]} {cause} deaths per 1,000 personnel-years, "
                     f"{compare_years[0]}-{compare_years[1]}")
    others = totals[totals["mission_id_un"] != compare_missions[0]]
    if len(others) and others["personnel_years"].sum() > 0:
        other_rate = 1000 * others["deaths_covered_n"].sum() / others["personnel_years"].sum()
        rep.result("others_rate_per_1000", round(float(other_rate), 4),
                   label=f"Other large missions together, {cause} deaths per 1,000 personnel-years")
        rep.result("focus_rate_ratio", round(float(f0["rate_per_1000"]) / float(other_rate), 3),
                   label=f"{compare_missions[0]} rate / rate of the other large missions")
if "MINUSMA" in set(mm["mission_id_un"]):
    minusma = mm[(mm["mission_id_un"] == "MINUSMA") & (mm["date"] <= "2023-06-30")]
    rep.result("minusma_all_causes_to_2023_06", int(minusma["fatalities_n"].sum()),
               label="MINUSMA deaths, all causes, to 30 June 2023 (essay: 309)")

# %% [markdown]
# ## What this cannot tell us
#
# * **Why** rates moved. The breaks coincide with reports and doctrines, but also with where
#   missions were deployed (Mali, CAR, DRC, South Sudan) and with the armed groups there.
# * **After 2019** there are no mission personnel figures: the rates, the trend model and the
#   mission comparison stop in 2019, so the effect of the downsizing cannot be measured here.
# * Deaths of **partner forces** (AMISOM, Barkhane, G5 Sahel) are not counted by the UN.

# %%
rep.note("Rates use months with a personnel figure only (Kathman, to 2019).")
rep.note("Break years mark coincidences in time, not causal effects of reports or doctrines.")
rep.glossary("irr", "confidence_interval", "hostile_act", "association")
_periods = [k for k in rep.results if k.startswith("rate_") and k.count("_") == 2]
if len(_periods) >= 2:
    _first, _last = _periods[0], _periods[-1]
    _answer = (f"Deaths per 1,000 peacekeepers a year: {{{_first}:rate}} in {_first[5:].replace('_', '-')} "
               f"and {{{_last}:rate}} in {_last[5:].replace('_', '-')}")
    if "focus_rate_ratio" in rep.results:
        _answer += ("; the focus mission's rate was {focus_rate_ratio:ratio} times that of the other large "
                    "missions")
    rep.finding("trends", question="Did peacekeepers' risk of death rise after the breaks the essay names?",
                answer=_answer + ".", sample={"rows": (rep.results["trend_nobs"]["value"], "years"),
                                                "events": (rep.results["trend_deaths"]["value"], "deaths"),
                                                "years": (years[0], years[1])},
                caveat="Break years mark coincidences in time, not effects of reports or doctrines.")
rep.save(data_versions=DV)
rep.versions_table(DV)
