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
# # Partnership operations and coups in host states
#
# **Question.** The essay reads the coups in Mali (2020, 2021), Burkina Faso (2022) and Niger
# (2023) as "a grave indication" of the convergence of the war on terror with peace operations:
# "partnership" operations, a UN mission alongside regional, ad hoc or Western
# counter-terrorism forces, did not deliver security, and frustrated populations turned to
# soldiers. Are host states of partnership operations more likely to suffer a coup attempt
# the following year, net of armed and jihadist conflict, income, regime, coup history and the
# coups around them?
#
# **Data.** `country_years` (Gleditsch-Ward state x year, 1990-2024): coup attempts (Powell &
# Thyne, then CoupCats months), UN PKOs hosted, non-UN operations (Bara & Hultman 1993-2016, every
# region; curated partner operations 2000-2024, **African hosts only**), UCDP/PRIO conflicts
# (with a curated jihadist side), GDP per capita and population (WDI), V-Dem electoral
# democracy, U.S. troops (troopdata); `regime_months` (CoupCats: military-type regimes, leader
# spells). The design is in `analysis.studies.coup_design`, the monthly variant in
# `analysis.studies.coup_months`, the inference in `analysis.studies.coup_inference`.
#
# **Method.** Logit of a coup attempt in year t on the treatment in t - `lag` and controls in
# t - `lag`: armed conflict, jihadist conflict, log GDP per capita, V-Dem polyarchy, log
# population, coup attempts elsewhere in the region (contagion), U.S. troops, a military regime
# and the leader's years in office; period effects (1994-2000 the reference, 2001-2012,
# 2013-2024) and a cubic in years since the last attempt (Carter & Signorino 2010); standard
# errors clustered by state. Partner deployments sent *because of* a coup (AFISMA after Mali
# 2012, ECOMIB after Guinea-Bissau 2012) are not counted as treatments (`post_coup`). The
# headline is checked by a wild cluster bootstrap, leaving out each state, an E-value, a
# Romano-Wolf adjustment over the notebook's specifications, a monthly model (CoupCats timing),
# entropy balancing with randomization inference, and a linear probability model with its
# robustness value. The ratio is an **odds ratio (OR)**.
#
# **Read this first.**
# * **Partner operations outside Africa after 2016 are unknown**: with `region = "all"`, years
#   after 2016 + lag would silently compare African hosts with non-African non-hosts; the
#   default is therefore Africa.
# * **The treatment's sources change over time**: 1993-99 Bara & Hultman only, 2000-16 both,
#   2017-24 the curated table only (its operations are military ones, African hosts).
# * **Coups are rare**: some sixty attempts in Africa since 1994, a handful in partnership
#   host-years. Intervals are wide; one coup more or less moves the estimate.
# * **Reverse causality and selection**: partnership operations go to states at war with
#   insurgents, fragile states where coups are likely anyway.
# * This is **association, not causation**.

# %% tags=["parameters"]
from typing import Literal

output_dir: str = ""  # set by the runner (peaceops run); empty: write nothing
region: Literal["all", "africa"] = "africa"  # partner operations after 2016 are coded for Africa only
years: list[int] = [1994, 2024]  # outcome years (treatment from 1993 with lag 1)
# treatment: a UN PKO and a partner operation (has_partnership), the partnership theatre (also
# hosts of a partner operation that operates where UN peacekeepers are), any partner operation, a
# UN PKO, a robust UN PKO, or a partner operation of one type (curated, African hosts, 2000 onward)
treatment: Literal[
    "has_partnership",
    "has_partnership_theatre",
    "has_partner_op",
    "has_un_pko",
    "has_robust_un_pko",
    "has_partner_regional",
    "has_partner_eu",
    "has_partner_nato",
    "has_partner_bilateral",
    "has_partner_ad_hoc",
    "has_partner_pmc",
] = "has_partnership"
lag: int = 1  # years between treatment/controls and the coup outcome
controls: list[str] = [
    "has_conflict",
    "has_jihadist_conflict",
    "log_gdp_pc",
    "v2x_polyarchy",
    "log_population",
    "region_coup_attempts_n",
    "log1p_us_troops",
    "is_military_regime",
    "leader_tenure_years",
]
periods: list[int] = [2001, 2013]  # first years of the periods after the reference (1994-2000)
post_coup: Literal["exclude", "screen", "drop", "keep"] = "exclude"  # deployments that followed a coup
partner_source: Literal["combined", "curated"] = "combined"  # curated: one definition, Africa 2000-2024
estimator: Literal["logit", "firth"] = "logit"
outcome: Literal["has_coup_attempt", "has_successful_coup"] = "has_coup_attempt"
duration: bool = True  # cubic in years since the last coup attempt
cluster: bool = True  # standard errors clustered by state
compare_treatments: bool = True  # also fit the other treatment definitions (forest plot, Romano-Wolf)
monthly: bool = True  # the monthly variant (CoupCats timing; Africa)
balance: bool = True  # entropy balancing with randomization inference
reps: int = 999  # bootstrap, Romano-Wolf and randomization draws

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import display

from analysis.curated import load_partner_operations
from analysis.data import data_versions, load
from analysis.labels import country_names
from analysis.labels import label as plain
from analysis.models.coups import fit_coup_model, predict_coup_risk, prepare_coup_data
from analysis.plots import models as model_plots
from analysis.reporting import Reporter
from analysis.reporting.tables import ledger_headers
from analysis.studies import coup_design, coup_inference
from analysis.studies.coups import COUP_TREATMENTS
from analysis.vocabulary import check_option

PARAMS = dict(
    region=region,
    years=years,
    treatment=treatment,
    lag=lag,
    controls=controls,
    periods=periods,
    post_coup=post_coup,
    partner_source=partner_source,
    estimator=estimator,
    outcome=outcome,
    duration=duration,
    cluster=cluster,
    compare_treatments=compare_treatments,
    monthly=monthly,
    balance=balance,
    reps=reps,
)
rep = Reporter(output_dir, notebook="04_partnership_and_coups", parameters=PARAMS)
rep.glossary(
    "odds_ratio",
    "confidence_interval",
    "partnership",
    "partner_operation",
    "shared_theatre",
    "coup_attempt",
    "military_regime",
    "logit",
    "firth",
    "duration_dependence",
    "clustered_se",
    "wild_bootstrap",
    "leave_one_out",
    "e_value",
    "romano_wolf",
    "entropy_balancing",
    "randomization_inference",
    "linear_probability",
    "robustness_value",
    "separation",
    "lag",
    "state_year",
    "association",
)
TREATMENTS = ("has_partnership_theatre", *COUP_TREATMENTS)
check_option("treatment", treatment, TREATMENTS)
TABLES = ["country_years", "regime_months", "nonun_operations_monthly", "country_codes", "coups"]
DV = data_versions(TABLES)
cy = load("country_years")
names = country_names(cy)
bara, partner_ops, codes = load("nonun_operations_monthly"), load_partner_operations(), load("country_codes")
regimes, coup_events = load("regime_months"), load("coups")
panel = coup_design.coup_panel(
    cy,
    regime_months=regimes,
    bara=bara,
    partner_ops=partner_ops,
    codes=codes,
    coups=coup_events,
    post_coup=post_coup,
    partner_source=partner_source,
)
if partner_source == "combined":
    rep.note(
        "The partner-operation treatment combines Bara & Hultman (1993-2016) and the curated table "
        "(2000-2024, African hosts): its definition changes in 2000 and 2017; the set curated_only uses "
        "one definition (the curated table) throughout."
    )
cluster_col = "country_id_gw" if cluster else None
TREATED = plain(treatment)  # e.g. "partnership operation"
OUTCOME = plain(outcome)  # e.g. "coup attempt"
REGION = "Africa" if region == "africa" else "all regions"
WINDOW = (int(years[0]), int(years[1]))
PERIODS = [int(y) for y in periods if WINDOW[0] < int(y) <= WINDOW[1]]  # breaks inside the window


def prepare(t: str) -> pd.DataFrame:
    """The estimation frame of treatment ``t`` under this run's options."""
    return prepare_coup_data(
        panel, treatment=t, controls=controls, lag=lag, years=WINDOW, region=region, periods=PERIODS
    )


def fit(d: pd.DataFrame, t: str, est: str = estimator):
    """The coup model of treatment ``t`` on frame ``d``."""
    return fit_coup_model(
        d,
        outcome=outcome,
        treatment=t,
        controls=[*controls, *d.attrs["coup_data"]["periods"]],
        estimator=est,
        duration=duration,
        cluster=cluster_col,
        data_versions=DV,
    )


# %% [markdown]
# ## Deployments that followed a coup
#
# A partner operation sent in response to a coup is a consequence of that coup, not a cause of
# the next. The rule table lists the deployments the Security Council's texts tie to a coup in
# the host; the screen below lists every partner deployment that began within 12 months after
# a coup attempt in its host, and whether the table lists it. Deployments the table does not
# list stay treatments (Serval and EUTM Mali answered the jihadist offensive of 2012-13).

# %%
rules = coup_design.load_post_coup_deployments()
rules_show = rules.assign(coup_date=rules["coup_date"].dt.strftime("%Y-%m-%d"))
display(
    rep.table(
        rules_show[["operation_id", "coup_country", "coup_date", "rule", "citation"]],
        "post_coup_rules",
        caption="Partner deployments sent in response to a coup (rule table)",
        headers={
            "operation_id": "operation",
            "coup_country": "country",
            "coup_date": "coup",
            "rule": "why it is an outcome of the coup",
            "citation": "source",
        },
    )
)
op_years = coup_design.operation_host_years(bara, partner_ops, codes)
screen = coup_design.deployments_after_coups(
    op_years, bara, partner_ops, coup_events, listed=list(rules["operation_id"])
)
screen = screen.assign(
    country=screen["country_id_gw"].map(names),
    start=screen["start"].dt.strftime("%Y-%m"),
    coup=screen["coup_date"].dt.strftime("%Y-%m-%d"),
)
display(
    rep.table(
        screen[["operation_id", "country", "start", "coup", "months_after", "is_listed"]],
        "post_coup_screen",
        caption="Partner deployments that began within 12 months after a coup attempt in the host",
        headers={
            "operation_id": "operation",
            "start": "deployment began",
            "coup": "coup attempt",
            "months_after": "months after the coup",
            "is_listed": "in the rule table",
        },
    )
)
rep.result(
    "post_coup_screen_n",
    int(screen["operation_id"].nunique()),
    format="count",
    label="Partner operations that began within 12 months after a coup attempt in the host",
)
if post_coup == "exclude":
    rep.note(
        "Partner deployments sent in response to a coup (AFISMA after Mali 2012, ECOMIB after "
        "Guinea-Bissau 2012) do not count as treatments."
    )

# %% [markdown]
# ## The sample and the events
#
# Treatment and controls are lagged by `lag` years within each state; rows with a missing value
# in any model variable are dropped and counted. How many coup attempts fall in treated
# state-years is the whole evidence for the odds ratio; the coups of 2020-2023 in the Sahel and
# where they fall are listed.

# %%
last_treat_year = WINDOW[1] - lag
if region == "all" and last_treat_year > 2016:
    rep.note(
        f"All regions with treatment years up to {last_treat_year}: partner operations outside "
        "Africa are not coded after 2016, so non-African hosts drop out after 2016 (missing "
        "treatment) while non-hosts stay in. Prefer Africa, or years ending by "
        f"{2016 + lag}."
    )
data = prepare(treatment)
info = data.attrs["coup_data"]
rep.diagnostic(f"Rows dropped for missing values, by column: {info['na_by_column']}")
if info["na_by_column"].get(treatment, 0) > 0.05 * info["rows_in_window"]:
    rep.note(
        f"{info['na_by_column'][treatment]} of {info['rows_in_window']} state-years have no coding "
        f"of {TREATED} (outside its sources' coverage) and are left out."
    )
treated = data[treatment].astype(bool)
events = data[outcome].astype(bool)
rep.result("events", int(events.sum()), label=f"State-years with a {OUTCOME} in the sample", format="count")
rep.result(
    "events_treated",
    int((events & treated).sum()),
    label=f"State-years with a {OUTCOME} and a {TREATED} the year before",
    format="count",
)
rep.result("treated_n", int(treated.sum()), label=f"State-years after a {TREATED}", format="count")
rep.result("states_n", int(data["country_id_gw"].nunique()), label="States in the sample", format="count")
na = info["na_by_column"]
flow = pd.DataFrame(
    {
        "step": [
            f"state-years in {REGION}, {WINDOW[0]}-{WINDOW[1]}",
            *[f"missing: {plain(c)}" for c in na],
            "dropped: a model variable is missing",
            "used in the model",
        ],
        "state-years": [info["rows_in_window"], *na.values(), info["rows_dropped_na"], info["rows"]],
    }
)
display(
    rep.table(
        flow,
        "sample_flow",
        formats={"state-years": "count"},
        caption="From the panel to the estimation sample (a row can miss several variables)",
    )
)
by_group = (
    pd.DataFrame(
        {
            "group": treated.map(
                {True: f"with a {TREATED} (t-{lag})", False: f"without a {TREATED} (t-{lag})"}
            ),
            "event": events,
        }
    )
    .groupby("group")["event"]
    .agg(["size", "sum", "mean"])
    .reset_index()
    .rename(columns={"size": "state-years", "sum": f"{OUTCOME}s", "mean": f"share with a {OUTCOME}"})
)
display(
    rep.table(
        by_group,
        "events_by_treatment",
        caption=f"{OUTCOME.capitalize()}s by treatment",
        formats={"state-years": "count", f"{OUTCOME}s": "count", f"share with a {OUTCOME}": "share"},
    )
)
recent = coup_design.treatments_before(data[events & (data["year"] >= 2020)], panel, lag=lag)
recent.insert(0, "country", recent["country_id_gw"].map(names))
display(
    rep.table(
        recent.drop(columns="country_id_gw"),
        "recent_coups",
        caption=f"State-years with a {OUTCOME} since 2020 and their treatments the year before "
        "(Burkina Faso and Niger never hosted a UN operation, so no partnership by "
        "construction; the shared theatre counts them)",
    )
)
hits = data.loc[events & treated, ["country_id_gw", "year"]].sort_values(["year", "country_id_gw"])
hits = hits.assign(country=hits["country_id_gw"].map(names))[["country", "year"]]
display(
    rep.table(
        hits, "treated_events", caption=f"State-years with a {OUTCOME} after a {TREATED} the year before"
    )
)

# %% [markdown]
# ## Headline model
#
# Logit (or Firth's penalised logit) of the outcome on the lagged treatment and the controls,
# with period effects and the coup clock; then the checks a referee asks for: the wild cluster
# bootstrap (states as clusters), the range of the odds ratio when each state is left out, the
# E-value (how strong a hidden confounder would have to be) and the p-value from Student's t with
# G - 1 degrees of freedom. The full table of coefficients is in the appendix.

# %%
result = fit(data, treatment)
for w in result.warnings:
    rep.diagnostic(f"model: {w}")
rep.estimate(
    "or_treatment",
    result,
    treatment,
    label=f"Odds ratio of a {OUTCOME}, {TREATED} (t-{lag}), {REGION}, {WINDOW[0]}-{WINDOW[1]}, {estimator}",
)
rep.result("nobs", result.nobs, label="State-years in the headline model", format="count")
display(
    rep.table(
        result.ledger_frame(),
        "sample_ledger",
        headers=ledger_headers("coups"),
        caption=f"Where the {OUTCOME}s go: state-years and events after each filter, to the model's rows",
    )
)
n_treated_events = int((events & treated).sum())
inf = (
    coup_inference.headline_inference(result, data, treatment, reps=reps)
    if cluster
    else {"status": "not clustered", "reason": "cluster=False"}
)
if inf["status"] == "ok":
    rep.result(
        "or_boot_ci_low",
        inf["boot_ratio_ci_low"],
        format="ratio",
        label="Odds ratio, wild cluster bootstrap 95% interval: lower end",
    )
    rep.result(
        "or_boot_ci_high",
        inf["boot_ratio_ci_high"],
        format="ratio",
        label="Odds ratio, wild cluster bootstrap 95% interval: upper end",
    )
    rep.result("or_boot_p", inf["boot_p_value"], format="pvalue", label="Wild cluster bootstrap p-value")
    rep.result("or_p_t", inf["p_value_t"], format="pvalue", label="p-value, t(G-1) reference")
    rep.result(
        "or_loo_min",
        inf["loo_ratio_min"],
        format="ratio",
        label=f"Smallest odds ratio leaving out one state ({names.get(int(inf['loo_state_at_min']))})",
    )
    rep.result(
        "or_loo_max",
        inf["loo_ratio_max"],
        format="ratio",
        label=f"Largest odds ratio leaving out one state ({names.get(int(inf['loo_state_at_max']))})",
    )
    rep.result("or_e_value", inf["e_value"], format="ratio", label="E-value of the odds ratio")
    rep.result(
        "or_e_value_ci",
        inf["e_value_ci"],
        format="ratio",
        label="E-value of the bootstrap interval's limit nearer 1 (1 = the interval includes 1)",
    )
    head_tab = coup_inference.inference_table(inf)
    display(
        rep.table(
            head_tab,
            "headline_inference",
            caption="The headline odds ratio under few-cluster inference and hidden confounding",
            formats={"value": "ratio", "from": "ratio", "to": "ratio", "p-value": "pvalue"},
            labels=False,
        )
    )
    loo = inf["loo_table"].head(8).assign(country=lambda t: t["cluster"].astype(int).map(names))
    display(
        rep.table(
            loo[["country", "status", "nobs", "events", "ratio", "ratio_ci_low", "ratio_ci_high", "p_value"]],
            "leave_one_out",
            appendix=True,
            caption="Leaving out one state at a time: the eight states that move the odds ratio most",
        )
    )
else:
    rep.note(f"Headline inference: {inf['status']} ({inf['reason']}); no bootstrap numbers are shown.")
rep.finding(
    "coups",
    question=f"Are states that host a {TREATED} more likely to see a {OUTCOME} the following year?",
    estimate="or_treatment",
    outcome=f"a {OUTCOME} {'the next year' if lag == 1 else f'{lag} years later'}",
    exposure=f"a {TREATED}",
    sample={
        "rows": (result.nobs, "state-years"),
        "units": (int(data["country_id_gw"].nunique()), "states"),
        "events": (int(events.sum()), f"{OUTCOME}s"),
        "events_treated": n_treated_events,
        "years": (WINDOW[0], WINDOW[1]),
    },
    caveat="Association, not causation: partnership operations go to fragile states at war, where coups "
    "are likely anyway; with so few events the interval, not the point estimate, is the result.",
)
display(
    rep.table(
        result.summary_frame(),
        "headline_model",
        appendix=True,
        caption=f"Headline model: every coefficient ({estimator}, {result.nobs:,} state-years)",
    )
)
risk = predict_coup_risk(result, data)
fit_check = (
    pd.DataFrame(
        {
            "group": treated.map({True: f"with a {TREATED}", False: f"without a {TREATED}"}),
            "observed": events.astype(float),
            "predicted": risk,
        }
    )
    .groupby("group")[["observed", "predicted"]]
    .mean()
    .reset_index()
)
display(
    rep.table(
        fit_check,
        "observed_predicted",
        appendix=True,
        caption=f"Observed and predicted share of state-years with a {OUTCOME}",
        formats={"observed": "share", "predicted": "share"},
    )
)
for flag, r in fit_check.set_index("group").iterrows():
    key_ = "treated" if flag.startswith("with a") else "untreated"
    rep.result(
        f"coup_rate_{key_}",
        round(float(r["observed"]), 4),
        format="share",
        label=f"Observed share of state-years with a {OUTCOME}, {flag}",
    )

# %% [markdown]
# ## Other treatment definitions, estimators, and the adjustment for testing many
#
# Each treatment definition with the same sample rules, with the headline estimator and with
# the other one (logit / Firth). A definition that cannot be estimated is listed with the
# reason; a treatment without any coup among its treated state-years is listed as "no events",
# not as a number (a logit would diverge, a Firth estimate would only reflect the penalty).
# The Romano-Wolf p-values adjust the headline
# estimator's p-values for testing all these definitions at once. The family is a list of
# specifications fitted by `fit_many` (the API of notebook 07's specification curves) on this
# notebook's design (period effects, regime controls, the post-coup rule), with the fits kept for
# the Romano-Wolf adjustment.

# %%
defs = TREATMENTS if compare_treatments else (treatment,)
family_specs = coup_inference.treatment_family(
    defs,
    estimator=estimator,
    outcome=outcome,
    controls=controls,
    lag=lag,
    years=WINDOW,
    region=region,
    duration=duration,
    cluster=cluster,
)
head_spec = next(s for s in family_specs if (s.treatment, s.estimator) == (treatment, estimator))
fam = coup_inference.fit_family(
    family_specs,
    coup_design.DesignData(panel, periods=PERIODS),
    headline=head_spec,
    labels={s.id: f"{plain(s.treatment)}, {s.estimator}" for s in family_specs},
    reps=reps,
)
if fam.romano_wolf is not None:
    rep.result(
        "or_p_romano_wolf",
        fam.headline_romano_wolf,
        format="pvalue",
        label="Romano-Wolf adjusted p-value of the headline over "
        f"{len(fam.romano_wolf)} treatment definitions",
    )
plotted = fam.comparison.table
failed = fam.comparison.failed
no_events = failed[failed["status"] == "no_events"]
if len(no_events):
    rep.note(
        "No coup in treated state-years, so no estimate is shown (a logit would diverge, a Firth number "
        "would reflect only the penalty): " + "; ".join(no_events["label"])
    )
display(
    rep.table(
        plotted[["label", "ratio", "ratio_ci_low", "ratio_ci_high", "p_value", "p_value_romano_wolf", "nobs",
                 "events_treated"]],
        "specifications",
        caption="Odds ratios under each treatment definition and estimator",
        headers={
            "p_value_romano_wolf": "Romano-Wolf p",
            "events_treated": "treated events",
            "nobs": "rows",
            "ratio_ci_low": "CI from",
            "ratio_ci_high": "CI to",
        },
        formats={"p_value_romano_wolf": "pvalue"},
    )
)
if len(failed):
    display(
        rep.table(
            failed.rename(columns={"label": "specification"}),
            "not_estimable",
            caption="Specifications that cannot be estimated",
        )
    )
    for f_ in failed[failed["status"] != "no_events"].itertuples():
        rep.note(f"Not estimable: {f_.label}: {f_.reason}")
clear = plotted[(plotted["ratio_ci_low"] > 1) | (plotted["ratio_ci_high"] < 1)]
fig = model_plots.plot_forest(
    plotted,
    highlight=fam.comparison.headline,
    xlabel=f"odds ratio of a {OUTCOME} (95% CI, log scale)",
    title=f"{OUTCOME.capitalize()}s and peace operations in the host state, {REGION}, "
    f"{WINDOW[0]}-{WINDOW[1]} (lag {lag})",
    source=f"country_years: Powell & Thyne coups; Bara & Hultman; curated partner operations; CoupCats; "
    f"{len(controls)} controls{', coup clock' if duration else ''}, period effects",
)
clear_names = ", ".join(dict.fromkeys(s.split(",")[0] for s in clear["label"]))
finding_title = (
    f"{len(clear)} of {len(plotted)} estimable specifications exclude 'no difference' "
    f"(odds ratio 1): {clear_names}"
    if len(clear)
    else f"None of the {len(plotted)} estimable specifications shows a clear association with {OUTCOME}s"
)
display(
    rep.figure(
        fig,
        "coup_odds_ratios",
        main=True,
        title=finding_title,
        description=f"Odds ratio of a {OUTCOME} with 95% confidence interval, one row per "
        "treatment definition and estimator; the headline specification in red.",
        data=plotted.drop(columns=["spec_id"]),
    )
)

# %% [markdown]
# ## Timing by month (CoupCats)
#
# The yearly model cannot tell a coup in March from a deployment in November of the same year.
# The monthly variant times the outcome by month (a coup attempt in month m), the treatment,
# the military regime and the leader's tenure by the month before (m - 1), and keeps the
# slow-moving annual controls of the previous year; the coup clock counts months.

# %%
if monthly and region == "africa" and treatment in ("has_partnership", "has_partner_op", "has_un_pko"):
    from analysis.studies import coup_months

    listed = list(rules["operation_id"]) if post_coup == "exclude" else []
    md = coup_months.monthly_frame(
        cy,
        regime_months=regimes,
        coups=coup_events,
        codes=codes,
        mission_months=load("mission_months"),
        hosts=load("un_mission_hosts"),
        missions=load("un_missions"),
        bara=bara.iloc[0:0] if partner_source == "curated" else bara,
        partner_ops=partner_ops,
        treatment=treatment,
        exclude=listed,
        years=WINDOW,
        periods=PERIODS,
    )
    mr = fit_coup_model(
        md,
        outcome="has_coup_attempt",
        treatment=treatment,
        controls=[
            *coup_months.ANNUAL_CONTROLS,
            *coup_months.MONTHLY_CONTROLS,
            *md.attrs["coup_data"]["periods"],
        ],
        estimator=estimator,
        cluster=cluster_col,
        data_versions=DV,
    )
    m_ev = md["has_coup_attempt"].astype(bool)
    m_tr = md[treatment].astype(bool)
    rep.estimate(
        "or_treatment_monthly",
        mr,
        treatment,
        label=f"Odds ratio of a coup attempt in a month after a {TREATED} the month before (monthly model)",
    )
    rep.result("monthly_events", int(m_ev.sum()), format="count", label="State-months with a coup attempt")
    rep.result(
        "monthly_events_treated",
        int((m_ev & m_tr).sum()),
        format="count",
        label=f"State-months with a coup attempt after a month with a {TREATED}",
    )
    mt = mr.term(treatment)
    display(
        rep.table(
            pd.DataFrame(
                [
                    {
                        "model": "yearly (headline)",
                        "rows": result.nobs,
                        "events": int(events.sum()),
                        "events_treated": n_treated_events,
                        **{
                            k: result.term(treatment)[k]
                            for k in ("ratio", "ratio_ci_low", "ratio_ci_high", "p_value")
                        },
                    },
                    {
                        "model": "monthly (CoupCats timing)",
                        "rows": mr.nobs,
                        "events": int(m_ev.sum()),
                        "events_treated": int((m_ev & m_tr).sum()),
                        **{k: mt[k] for k in ("ratio", "ratio_ci_low", "ratio_ci_high", "p_value")},
                    },
                ]
            ),
            "monthly",
            caption=f"The {TREATED} in the yearly and the monthly model",
            formats={"rows": "count"},
        )
    )
else:
    rep.diagnostic(
        "Monthly model not fitted (monthly=False, region='all' or a treatment coded by year only)."
    )

# %% [markdown]
# ## Balancing treated and untreated state-years
#
# Entropy balancing reweights the untreated state-years so that their averages of every control,
# the period and the coup clock equal those of the treated state-years exactly; the balanced
# contrast is the coup share of the treated against the reweighted untreated share. Its p-value
# comes from randomization inference: whole treatment histories are swapped between states
# `reps` times and the contrast recomputed.

# %%
if balance:
    from analysis.models.balance import randomization_test

    covs = [*controls, *info["periods"], "t"]
    ri = randomization_test(data, outcome=outcome, treatment=treatment, covariates=covs, reps=reps)
    bal = ri.balance.table.assign(variable=lambda t: t["variable"].map(plain))
    display(
        rep.table(
            bal,
            "balance",
            caption="Averages of the controls before and after entropy balancing",
            headers={
                "mean_treated": "treated",
                "mean_untreated": "untreated",
                "mean_untreated_weighted": "untreated, balanced",
                "std_difference_before": "std. difference before",
                "std_difference_after": "std. difference after",
            },
        )
    )
    if ri.status == "ok":
        rep.result(
            "eb_risk_difference",
            ri.risk_difference,
            format="share",
            label=f"Balanced difference in the share with a {OUTCOME} (treated minus balanced untreated)",
        )
        rep.result("eb_odds_ratio", ri.odds_ratio, format="ratio", label="Balanced odds ratio")
        rep.result(
            "eb_ri_p",
            ri.p_value,
            format="pvalue",
            label=f"Randomization p-value of the balanced difference ({ri.permutations} draws)",
        )
        rep.result(
            "eb_effective_n",
            ri.balance.effective_n,
            format="value",
            label="Effective number of untreated state-years after balancing",
        )
    else:
        rep.note(f"Entropy balancing: {ri.status} in treated state-years; no contrast is shown.")

# %% [markdown]
# ## A linear probability model and unobserved confounding
#
# The same terms in a linear probability model give the difference in the probability of a coup
# directly, and the Cinelli-Hazlett robustness value: the share of the residual variation of
# both the treatment and the outcome that a hidden confounder would have to explain to bring the
# estimate to zero. The confounders "as strong as" armed conflict and the leader's tenure are
# benchmarks.

# %%
lpm = coup_inference.lpm_sensitivity(
    data,
    outcome=outcome,
    treatment=treatment,
    controls=[*controls, *info["periods"], *(["t", "t2", "t3"] if duration else [])],
    benchmarks=[c for c in ("has_conflict", "leader_tenure_years") if c in controls],
)
rep.result(
    "lpm_estimate",
    lpm["estimate"],
    format="value",
    label=f"Linear probability model: difference in the probability of a {OUTCOME} with a {TREATED}",
)
rep.result(
    "lpm_rv",
    lpm["rv_q"],
    format="share",
    label="Robustness value: share of residual variance a confounder must explain to remove the estimate",
)
rep.result(
    "lpm_rv_alpha",
    lpm["rv_qa"],
    format="share",
    label="Robustness value for significance at 5% (0: the estimate is not significant to begin with)",
)
display(
    rep.table(
        pd.DataFrame(
            [{k: lpm[k] for k in ("estimate", "ci_low", "ci_high", "p_value", "rv_q", "rv_qa", "nobs")}]
        ),
        "lpm",
        caption="Linear probability model and robustness value",
        headers={
            "estimate": "difference in probability",
            "ci_low": "95% CI from",
            "ci_high": "95% CI to",
            "rv_q": "robustness value",
            "rv_qa": "robustness value (5%)",
        },
        formats={"rv_q": "share", "rv_qa": "share", "estimate": "value"},
    )
)
bounds = lpm["bounds"].rename(
    columns={
        "benchmark": "benchmark",
        "kd": "times as strong (treatment)",
        "ky": "times as strong (outcome)",
        "adjusted_estimate": "adjusted estimate",
        "adjusted_ci_low": "adjusted CI from",
        "adjusted_ci_high": "adjusted CI to",
    }
)
bounds["benchmark"] = bounds["benchmark"].map(plain)
display(
    rep.table(
        bounds[
            [
                "benchmark",
                "times as strong (treatment)",
                "times as strong (outcome)",
                "adjusted estimate",
                "adjusted CI from",
                "adjusted CI to",
            ]
        ],
        "lpm_bounds",
        appendix=True,
        caption="Confounders 1-3 times as strong as an observed control: bounds on the estimate",
    )
)
if inf["status"] == "ok":
    rep.finding(
        "robustness",
        question="How robust is the headline odds ratio?",
        answer="Wild cluster bootstrap 95% interval {or_boot_ci_low} to {or_boot_ci_high} (p {or_boot_p}); "
        "without any one state the odds ratio lies between {or_loo_min} and {or_loo_max}; a hidden "
        "confounder would need a risk ratio of {or_e_value} with both treatment and coups to explain "
        "the estimate away (E-value); robustness value of the linear model {lpm_rv}."
        + (" Romano-Wolf adjusted p {or_p_romano_wolf}." if "or_p_romano_wolf" in rep.results else ""),
        caveat="The checks make the uncertainty honest; none of them turns an association into a cause.",
    )

# %% [markdown]
# ## What this cannot tell us
#
# * **Why** coups happened. The Sahel coups of 2020-2023 followed years of jihadist
#   insurgency and of foreign (French, EU, UN, regional) deployments at once; a country-year
#   design cannot separate "partnership failed, soldiers stepped in" from "the insurgency
#   itself, which brought the partners, produced the coup".
# * **Neighbours.** The mirror holds no contiguity data: exposure through neighbouring states is
#   not measured (the shared theatre and the regional contagion term are what the data allow).
# * **Partnership outside Africa after 2016** is not coded, and the curated operations are a
#   hand-made list (see `data/curated/partner_operations.csv` and its citations); undated
#   operations (Wagner in Mali and the Central African Republic) cannot be placed in years.
# * **Leader tenure** is missing where the CoupCats leader list has no spell (Mali after
#   September 2022, Somalia 1991-2012): those state-years leave the model.
# * **Power**: with a few coups in treated state-years, the data cannot distinguish no
#   association from a sizeable one; the interval, not the point estimate, is the result.

# %%
rep.note("Association, not causation: partnership operations go to fragile, conflict-affected states.")
rep.save(data_versions=DV)
