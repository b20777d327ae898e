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
# # 04 Partnership operations and coups
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
check_option("treatment", treatment, COUP_TREATMENTS)
TABLES = ["country_years"]
DV = data_versions(TABLES)
cy = load("country_years")
cluster_col = "country_id_gw" if cluster else None

# %% [markdown]
# ## 1. The sample and the events
#
# Treatment and controls lagged by `lag` years within each state; rows with a missing value in
# any model variable are dropped and counted. The cross-tabulation shows how many coup
# attempts fall in treated state-years: the whole evidence for the odds ratio.

# %%
last_treat_year = years[1] - lag
if region == "all" and last_treat_year > 2016:
    msg = (f"region='all' with treatment years up to {last_treat_year}: partner operations outside "
           "Africa are not coded after 2016, so non-African hosts drop out after 2016 (missing "
           "treatment) while non-hosts stay in. Prefer region='africa' or years ending by "
           f"{2016 + lag}.")
    print("WARNING:", msg)
    rep.note(msg)
data = prepare_coup_data(cy, treatment=treatment, controls=controls, lag=lag, years=tuple(years),
                         region=region)
info = data.attrs["coup_data"]
print(f"{info['rows_in_window']} state-years in the window, {info['rows_dropped_na']} dropped for missing "
      f"values ({info['na_by_column']}), {info['rows']} used")
if info["na_by_column"].get(treatment, 0) > 0.05 * info["rows_in_window"]:
    rep.note(f"{info['na_by_column'][treatment]} of {info['rows_in_window']} state-years have no coding "
             f"of {treatment} (outside its sources' coverage) and are left out.")
treated = data[treatment].astype(bool)
events = data[outcome].astype(bool)
xtab = pd.crosstab(treated.rename(f"{treatment} (t-{lag})"), events.rename(outcome), margins=True)
display(xtab)
rep.result("events", int(events.sum()), label=f"Coup events ({outcome}) in the sample")
rep.result("events_treated", int((events & treated).sum()), label=f"Coup events in {treatment} state-years")
rep.result("treated_n", int(treated.sum()), label=f"{treatment} state-years in the sample")
rep.result("states_n", int(data["country_id_gw"].nunique()), label="States in the sample")
if "country_name" in data:
    hits = data.loc[events & treated, ["country_name", "year"]].sort_values("year")
    print("Coup events in treated state-years:")
    display(hits.reset_index(drop=True))

# %% [markdown]
# ## 2. Headline model

# %%
result = fit_coup_model(data, outcome=outcome, treatment=treatment, controls=controls,
                        estimator=estimator, duration=duration, cluster=cluster_col, data_versions=DV)
for w in result.warnings:
    print("note:", w)
display(result.summary_frame().round(4))
rep.estimate("or_treatment", result, treatment,
             label=f"Odds ratio of a coup attempt, {treatment} (t-{lag}), {region}, "
                   f"{years[0]}-{years[1]}, {estimator}")
rep.result("nobs", result.nobs, label="State-years in the headline model")
row = result.term(treatment)
print(f"OR = {row['ratio']:.2f} (95% CI {row['ratio_ci_low']:.2f} to {row['ratio_ci_high']:.2f}), "
      f"p = {row['p_value']:.3f}; {result.nobs} state-years, {int(events.sum())} coup events, "
      f"{int((events & treated).sum())} in treated state-years")
if int((events & treated).sum()) == 0:
    rep.note("No coup event in a treated state-year: the odds ratio rests on separation; read the Firth "
             "estimate and treat the interval as uninformative.")

# %%
risk = predict_coup_risk(result, data)
by_group = pd.DataFrame({"treated": treated, "observed": events.astype(float), "predicted": risk})
summary = by_group.groupby("treated")[["observed", "predicted"]].mean()
display(summary.round(4))
for flag, r in summary.iterrows():
    rep.result(f"coup_rate_{'treated' if flag else 'untreated'}", round(float(r["observed"]), 4),
               label=f"Observed share of state-years with a coup attempt, {'with' if flag else 'without'} "
                     f"{treatment}")

# %% [markdown]
# ## 3. Other treatment definitions and estimators
#
# Each treatment definition with the same sample rules, with the headline estimator and with
# the other one (logit / Firth), fitted by `fit_many` (notebook 07 runs the whole grid). A
# definition that cannot be estimated (separation, no variation) is listed with the reason; a
# treatment without any coup among its state-years has status `no_events` (a Firth number would
# only reflect its penalty, and clustered intervals are meaningless): listed, not plotted.

# %%
defs = COUP_TREATMENTS if compare_treatments else (treatment,)
other = "firth" if estimator == "logit" else "logit"
labels = [f"{t}, {est}" + (" (headline)" if (t, est) == (treatment, estimator) else "")
          for t in defs for est in (estimator, other)]
grid = [multiverse.coup_spec(treatment=t, controls=controls, lag=lag, years=years, region=region,
                             estimator=est, outcome=outcome, duration=duration, cluster=cluster, label=lab)
        for (t, est), lab in zip([(t, e) for t in defs for e in (estimator, other)], labels)]
fitted = fit_many(grid, multiverse.CoupData(multiverse.coup_panel(cy)), backend="serial", progress=False)
cmp = compare(fitted, labels=labels)
table = cmp.table
display(table.round(3))
# No coup in treated state-years: a Firth estimate would only reflect its penalty (and clustered
# intervals collapse), a logit one diverges: such rows have status no_events, listed, not plotted.
no_events = cmp.failed[cmp.failed["status"] == "no_events"]
if len(no_events):
    rep.note("No coup in treated state-years (no estimate, not plotted): " + ", ".join(no_events["label"]))
failed = cmp.failed[cmp.failed["status"] != "no_events"]
if len(cmp.failed):
    display(cmp.failed)
    for _, f_ in failed.iterrows():
        rep.note(f"Not estimable: {f_['label']}: {f_['status']}: {f_['reason'][:160]}")
fig = model_plots.plot_forest(
    table, highlight=f"{treatment}, {estimator} (headline)",
    xlabel="odds ratio of a coup attempt (95% CI, log scale)",
    title=f"Coup attempts and peace operations in the host state, {region}, {years[0]}-{years[1]} "
          f"(lag {lag})",
    source=f"country_years: Powell & Thyne coups; Bara & Hultman; curated partner operations; controls: "
           f"{', '.join(controls) or 'none'}{', duration cubic' if duration else ''}")
display(rep.figure(fig, "coup_odds_ratios", main=True))

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
rep.versions_table(DV)
