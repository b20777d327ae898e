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
# # Partnership operations and coups in host states
#
# **Question.** The essay reads the coups in Mali (2020, 2021), Burkina Faso (2022) and Niger
# (2023) as "a grave indication" of the convergence of the war on terror with peace operations:
# "partnership" operations, a UN mission alongside regional, ad hoc or Western
# counter-terrorism forces, did not deliver security, and frustrated populations turned to
# soldiers. Are host states of partnership operations more likely to suffer a coup attempt
# the following year, net of armed conflict, income, regime type and coup history?
#
# **Data.** `country_years` (Gleditsch-Ward state x year, 1990-2024): coup attempts (Powell &
# Thyne), UN PKOs hosted, non-UN operations (Bara & Hultman 1993-2016, every region; curated
# partner operations 2000-2024, **African hosts only**), UCDP conflict, GDP per capita and
# population (WDI), V-Dem electoral democracy.
#
# **Method.** Logit of a coup attempt in year t on the treatment in t - `lag`, controls in
# t - `lag` (conflict, log GDP per capita, V-Dem polyarchy, log population) and a cubic in
# years since the last attempt (Carter & Signorino 2010), standard errors clustered by state.
# Firth's penalised logit (`estimator = "firth"`) reduces small-sample bias with rare events.
# The ratio is an **odds ratio (OR)**.
#
# **Read this first.**
# * **Partner operations outside Africa after 2016 are unknown**: with `region = "all"`, years
#   after 2016 + lag would silently compare African hosts with non-African non-hosts; the
#   default is therefore Africa, where both sources cover 1993-2024.
# * **Coups are rare**: some sixty attempts in Africa since 1994, a handful in partnership
#   host-years. Confidence intervals are wide; one coup more or less moves the estimate.
# * **Reverse causality and selection**: partnership operations go to states at war with
#   insurgents, fragile states where coups are likely anyway; a coup can also bring or end an
#   operation (lagging the treatment one year only partly addresses this).
# * This is **association, not causation**.

# %% tags=["parameters"]
from typing import Literal

output_dir: str = ""  # set by the runner (peaceops run); empty: write nothing
region: Literal["all", "africa"] = "africa"  # partner operations after 2016 are coded for Africa only
years: list[int] = [1994, 2024]  # outcome years (treatment from 1993 with lag 1)
# treatment: a UN PKO and a partner operation (has_partnership), any partner operation, a UN PKO,
# a robust UN PKO, or a partner operation of one type (curated, African hosts, 2000 onward)
treatment: Literal["has_partnership", "has_partner_op", "has_un_pko", "has_robust_un_pko",
                   "has_partner_regional", "has_partner_eu", "has_partner_nato", "has_partner_bilateral",
                   "has_partner_ad_hoc", "has_partner_pmc"] = "has_partnership"
lag: int = 1  # years between treatment/controls and the coup outcome
controls: list[str] = ["has_conflict", "log_gdp_pc", "v2x_polyarchy", "log_population"]
estimator: Literal["logit", "firth"] = "logit"
outcome: Literal["has_coup_attempt", "has_successful_coup"] = "has_coup_attempt"
duration: bool = True  # cubic in years since the last coup attempt
cluster: bool = True  # standard errors clustered by state
compare_treatments: bool = True  # also fit the other treatment definitions (forest plot)

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import display

from analysis.data import data_versions, load
from analysis.labels import country_names
from analysis.labels import label as plain
from analysis.models.coups import fit_coup_model, predict_coup_risk, prepare_coup_data
from analysis.models.multiverse import compare, fit_many
from analysis.plots import models as model_plots
from analysis.reporting import Reporter
from analysis.studies import multiverse
from analysis.studies.coups import COUP_TREATMENTS
from analysis.vocabulary import check_option

PARAMS = dict(region=region, years=years, treatment=treatment, lag=lag, controls=controls,
              estimator=estimator, outcome=outcome, duration=duration, cluster=cluster,
              compare_treatments=compare_treatments)
rep = Reporter(output_dir, notebook="04_partnership_and_coups", parameters=PARAMS)
rep.glossary("odds_ratio", "confidence_interval", "partnership", "partner_operation", "coup_attempt",
             "logit", "firth", "duration_dependence", "clustered_se", "separation", "lag", "state_year",
             "association")
check_option("treatment", treatment, COUP_TREATMENTS)
TABLES = ["country_years"]
DV = data_versions(TABLES)
cy = load("country_years")
names = country_names(cy)
cluster_col = "country_id_gw" if cluster else None
TREATED = plain(treatment)  # e.g. "partnership operation"
OUTCOME = plain(outcome)  # e.g. "coup attempt"
REGION = "Africa" if region == "africa" else "all regions"

# %% [markdown]
# ## The sample and the events
#
# Treatment and controls are lagged by `lag` years within each state; rows with a missing value
# in any model variable are dropped and counted. How many coup attempts fall in treated
# state-years is the whole evidence for the odds ratio.

# %%
last_treat_year = years[1] - lag
if region == "all" and last_treat_year > 2016:
    rep.note(f"All regions with treatment years up to {last_treat_year}: partner operations outside "
             "Africa are not coded after 2016, so non-African hosts drop out after 2016 (missing "
             "treatment) while non-hosts stay in. Prefer Africa, or years ending by "
             f"{2016 + lag}.")
data = prepare_coup_data(cy, treatment=treatment, controls=controls, lag=lag, years=tuple(years),
                         region=region)
info = data.attrs["coup_data"]
rep.diagnostic(f"Rows dropped for missing values, by column: {info['na_by_column']}")
if info["na_by_column"].get(treatment, 0) > 0.05 * info["rows_in_window"]:
    rep.note(f"{info['na_by_column'][treatment]} of {info['rows_in_window']} state-years have no coding "
             f"of {TREATED} (outside its sources' coverage) and are left out.")
treated = data[treatment].astype(bool)
events = data[outcome].astype(bool)
rep.result("events", int(events.sum()), label=f"State-years with a {OUTCOME} in the sample", format="count")
rep.result("events_treated", int((events & treated).sum()),
           label=f"State-years with a {OUTCOME} and a {TREATED} the year before", format="count")
rep.result("treated_n", int(treated.sum()), label=f"State-years after a {TREATED}", format="count")
rep.result("states_n", int(data["country_id_gw"].nunique()), label="States in the sample", format="count")
flow = pd.DataFrame({
    "step": [f"state-years in {REGION}, {years[0]}-{years[1]}", "dropped: a model variable is missing",
             "used in the model"],
    "state-years": [info["rows_in_window"], info["rows_dropped_na"], info["rows"]],
})
display(rep.table(flow, "sample_flow", caption="From the panel to the estimation sample",
                  formats={"state-years": "count"}))
by_group = (pd.DataFrame({"group": treated.map({True: f"with a {TREATED} (t-{lag})",
                                                False: f"without a {TREATED} (t-{lag})"}),
                          "event": events})
            .groupby("group")["event"].agg(["size", "sum", "mean"]).reset_index()
            .rename(columns={"size": "state-years", "sum": f"{OUTCOME}s", "mean": f"share with a {OUTCOME}"}))
display(rep.table(by_group, "events_by_treatment", caption=f"{OUTCOME.capitalize()}s by treatment",
                  formats={"state-years": "count", f"{OUTCOME}s": "count",
                           f"share with a {OUTCOME}": "share"}))
hits = data.loc[events & treated, ["country_id_gw", "year"]].sort_values(["year", "country_id_gw"])
hits = hits.assign(country=hits["country_id_gw"].map(names))[["country", "year"]]
display(rep.table(hits, "treated_events",
                  caption=f"State-years with a {OUTCOME} after a {TREATED} the year before"))

# %% [markdown]
# ## Headline model
#
# Logit (or Firth's penalised logit) of the outcome on the lagged treatment and controls, with
# the coup clock; the full table of coefficients is in the appendix.

# %%
result = fit_coup_model(data, outcome=outcome, treatment=treatment, controls=controls,
                        estimator=estimator, duration=duration, cluster=cluster_col, data_versions=DV)
for w in result.warnings:
    rep.diagnostic(f"model: {w}")
rep.estimate("or_treatment", result, treatment,
             label=f"Odds ratio of a {OUTCOME}, {TREATED} (t-{lag}), {REGION}, {years[0]}-{years[1]}, "
                   f"{estimator}")
rep.result("nobs", result.nobs, label="State-years in the headline model", format="count")
n_treated_events = int((events & treated).sum())
rep.finding(
    "coups",
    question=f"Are states that host a {TREATED} more likely to see a {OUTCOME} the following year?",
    estimate="or_treatment",
    outcome=f"a {OUTCOME} {'the next year' if lag == 1 else f'{lag} years later'}",
    exposure=f"a {TREATED}",
    sample={"rows": (result.nobs, "state-years"), "units": (int(data["country_id_gw"].nunique()), "states"),
            "events": (int(events.sum()), f"{OUTCOME}s"), "events_treated": n_treated_events,
            "years": (years[0], years[1])},
    caveat="Association, not causation: partnership operations go to fragile states at war, where coups "
           "are likely anyway; with so few events the interval, not the point estimate, is the result.",
)
display(rep.table(result.summary_frame(), "headline_model", appendix=True,
                  caption=f"Headline model: every coefficient ({estimator}, {result.nobs:,} state-years)"))
risk = predict_coup_risk(result, data)
fit_check = (pd.DataFrame({"group": treated.map({True: f"with a {TREATED}", False: f"without a {TREATED}"}),
                           "observed": events.astype(float), "predicted": risk})
             .groupby("group")[["observed", "predicted"]].mean().reset_index())
display(rep.table(fit_check, "observed_predicted",
                  caption=f"Observed and predicted share of state-years with a {OUTCOME}",
                  formats={"observed": "share", "predicted": "share"}))
for flag, r in fit_check.set_index("group").iterrows():
    key = "treated" if flag.startswith("with a") else "untreated"
    rep.result(f"coup_rate_{key}", round(float(r["observed"]), 4), format="share",
               label=f"Observed share of state-years with a {OUTCOME}, {flag}")

# %% [markdown]
# ## Other treatment definitions and estimators
#
# Each treatment definition with the same sample rules, with the headline estimator and with
# the other one (logit / Firth), fitted by `fit_many` (notebook 07 runs the whole grid). A
# definition that cannot be estimated (separation, no variation) is listed with the reason; a
# treatment without any coup among its state-years has status `no_events` (a Firth number would
# only reflect its penalty, and clustered intervals are meaningless): listed, not plotted.

# %%
defs = COUP_TREATMENTS if compare_treatments else (treatment,)
other = "firth" if estimator == "logit" else "logit"
pairs = [(t, est) for t in defs for est in (estimator, other)]
labels = [f"{plain(t)}, {est}" + (" (headline)" if (t, est) == (treatment, estimator) else "")
          for t, est in pairs]
grid = [multiverse.coup_spec(treatment=t, controls=controls, lag=lag, years=years, region=region,
                             estimator=est, outcome=outcome, duration=duration, cluster=cluster, label=lab)
        for (t, est), lab in zip(pairs, labels)]
fitted = fit_many(grid, multiverse.CoupData(multiverse.coup_panel(cy)), backend="serial", progress=False)
cmp = compare(fitted, labels=labels)
table = cmp.table[["label", "ratio", "ratio_ci_low", "ratio_ci_high", "p_value", "nobs", "events",
                   "events_treated"]]
no_events = cmp.failed[cmp.failed["status"] == "no_events"]
if len(no_events):
    # No coup in treated state-years: a Firth estimate would only reflect its penalty (and clustered
    # intervals collapse), a logit one diverges: status no_events, listed without numbers, not plotted.
    rep.note("No coup in treated state-years, so no estimate is shown (a Firth number would reflect "
             "only the penalty): " + "; ".join(no_events["label"]))
display(rep.table(table, "specifications",
                  caption="Odds ratios under each treatment definition and estimator"))
failed = cmp.failed[cmp.failed["status"] != "no_events"]
if len(cmp.failed):
    display(rep.table(cmp.failed.rename(columns={"label": "specification"}), "not_estimable",
                      caption="Specifications without an estimate (status and reason)"))
    for _, f_ in failed.iterrows():
        rep.note(f"Not estimable: {f_['label']}: {f_['status']}: {f_['reason'][:160]}")
plotted = table.reset_index(drop=True)
clear = plotted[(plotted["ratio_ci_low"] > 1) | (plotted["ratio_ci_high"] < 1)]
headline_spec = f"{plain(treatment)}, {estimator} (headline)"
fig = model_plots.plot_forest(
    plotted, highlight=headline_spec,
    xlabel=f"odds ratio of a {OUTCOME} (95% CI, log scale)",
    title=f"{OUTCOME.capitalize()}s and peace operations in the host state, {REGION}, {years[0]}-{years[1]} "
          f"(lag {lag})",
    source=f"country_years: Powell & Thyne coups; Bara & Hultman; curated partner operations; controls: "
           f"{', '.join(plain(c) for c in controls) or 'none'}{', coup clock' if duration else ''}")
clear_names = ", ".join(dict.fromkeys(s.split(",")[0] for s in clear["label"]))
finding_title = (f"{len(clear)} of {len(plotted)} estimable specifications exclude 'no difference' "
                 f"(odds ratio 1): {clear_names}"
                 if len(clear) else
                 f"None of the {len(plotted)} estimable specifications shows a clear association with "
                 f"{OUTCOME}s")
display(rep.figure(fig, "coup_odds_ratios", main=True, title=finding_title,
                   description=f"Odds ratio of a {OUTCOME} with 95% confidence interval, one row per "
                               "treatment definition and estimator; the headline specification in red.",
                   data=plotted))

# %% [markdown]
# ## What this cannot tell us
#
# * **Why** coups happened. The Sahel coups of 2020-2023 followed years of jihadist
#   insurgency and of foreign (French, EU, UN, regional) deployments at once; a country-year
#   design cannot separate "partnership failed, soldiers stepped in" from "the insurgency
#   itself, which brought the partners, produced the coup".
# * **Partnership outside Africa after 2016** is not coded, and the curated operations are a
#   hand-made list (see `data/curated/partner_operations.csv` and its citations).
# * **Power**: with a few coups in treated state-years, the data cannot distinguish no
#   association from a sizeable one; the interval, not the point estimate, is the result.

# %%
rep.note("Association, not causation: partnership operations go to fragile, conflict-affected states.")
rep.save(data_versions=DV)
