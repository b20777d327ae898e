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
# # Robust mandates and peacekeeper deaths
#
# **Question.** Do UN peacekeeping operations with a *robust* mandate (Chapter VII authority and a
# protection-of-civilians task) lose more peacekeepers to hostile acts per peacekeeper deployed,
# across missions and within the same mission when its mandate changes? The essay argues that
# robust mandates drew UN operations into the theatres of the war on terror (MINUSMA, "the
# deadliest UN PKO").
#
# **Data.** Mission-months from 1990: UN-recorded deaths of mission personnel by cause - by default
# hostile deaths of **uniformed** personnel (troops, police, military observers), the people the
# exposure counts (`cause = "hostile"` adds civilian staff, whose share is reported); uniformed
# personnel deployed (Kathman, to 2019; a single missing month between two known months is
# interpolated and flagged, `is_personnel_interpolated`) or the Security Council's authorised
# ceilings; a mission spans from its earliest to its latest evidence, so every death of a UN PKO
# is in the panel except five listed exclusions, and the **sample ledger** of the headline shows
# where the deaths of the raw UN file go, filter by filter; the mandate
# in force each month **coded from the Security Council's resolution texts** (2000-2025; PEMA /
# TAMM before 2000), beside the **previous definition** (PEMA / TAMM to 2019, curated resolutions
# after), which left most months of 2016-2019 uncoded; host-country conflict deaths (UCDP) and
# jihadist conflict as controls. UN texts and data: United Nations, used with acknowledgement.
#
# **Method.** Negative binomial (NB2) regression of monthly deaths with log personnel-years as
# offset: exp(coefficient) is an incidence-rate ratio (IRR). Year fixed effects compare missions in
# the same year; mission + year fixed effects compare a mission with itself. PPML beside NB2.
# Few, unequal clusters (about 50 missions; four hold most deaths): every headline carries a wild
# cluster bootstrap interval, the leave-one-mission-out range, a t(G-1) reference, its E-value and
# a Romano-Wolf p-value across all specifications on this page. Within missions, a stacked event
# study of the dated mandate changes (clean not-yet / never-changed controls), with the naive
# two-way fixed-effects estimate, a pre-trend test, placebo renewals and illness deaths as a
# negative control.

# %% tags=["parameters"]
from typing import Literal

output_dir: str = ""  # set by the runner (peaceops run); empty: write nothing
cause: Literal[
    "hostile", "hostile_uniformed", "accident", "illness", "self_inflicted", "other_unknown", "all"
] = "hostile_uniformed"  # deaths of this cause; "hostile" adds civilian staff
outcome: Literal["deaths", "incident_days", "incident_days_5"] = "deaths"  # deaths, or days with >= 1 / >= 5
treatment: Literal[
    "is_robust_mandate",
    "robust_mandate_index",
    "is_chapter_vii",
    "has_poc_mandate",
    "has_use_of_force",
    "has_offensive_mandate",
] = "is_robust_mandate"
codings: Literal["text", "previous"] = "text"  # Security Council texts, or the previous definition
filled: bool = False  # text codings with the last coded value carried forward over uncoded months
years: list[int] = [1990, 2019]  # first and last year (deployed personnel end in 2019)
exposure: Literal["deployed", "authorized", "none"] = "deployed"  # personnel deployed or authorised ceilings
unit: Literal["month", "year"] = "month"  # mission-month or mission-year rows
fe: Literal["none", "mission", "year", "mission+year"] = "year"  # fixed effects
estimator: Literal["negbin", "ppml", "poisson"] = "negbin"  # "poisson" is the same as "ppml"
vcov: Literal["joint", "glm_fixed_theta", "glm_fixed_theta_hc1"] = "joint"  # NB2 standard-error convention
missions: str | list[str] = "all"  # "all", "africa" or a list of mission acronyms
controls: list[str] = ["log_host_deaths", "has_jihadist_conflict"]
sensitivity: bool = True  # the full family: fixed effects, definitions, estimators, incident outcomes
reps: int = 999  # wild cluster bootstrap replications
event_study: bool = True  # within-mission event study of dated mandate changes
event_concepts: list[str] = [
    "is_chapter_vii",
    "has_poc_mandate",
    "has_use_of_force",
    "has_offensive_mandate",
    "has_partnership_language",
    "is_robust_mandate",
]
event_window: list[int] = [-12, 24]  # months before / after a change
event_bin: int = 6  # months per event-time bin

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import display

from analysis.data import data_versions, load
from analysis.labels import label as plain
from analysis.models import fit_casualty_model, negative_control
from analysis.plots import casualties as casualty_plots
from analysis.plots import casualty_designs as design_plots
from analysis.plots import models as model_plots
from analysis.reporting import Reporter
from analysis.reporting.tables import ledger_headers
from analysis.studies import casualties, casualty_events, casualty_inference, casualty_specs

PARAMS = dict(
    cause=cause,
    outcome=outcome,
    treatment=treatment,
    codings=codings,
    filled=filled,
    years=years,
    exposure=exposure,
    unit=unit,
    fe=fe,
    estimator=estimator,
    vcov=vcov,
    missions=missions,
    controls=controls,
    sensitivity=sensitivity,
    reps=reps,
    event_study=event_study,
    event_concepts=event_concepts,
    event_window=event_window,
    event_bin=event_bin,
)
rep = Reporter(output_dir, notebook="02_robust_mandates_and_casualties", parameters=PARAMS)
rep.glossary(
    "irr",
    "confidence_interval",
    "robust_mandate",
    "text_codings",
    "hostile_act",
    "nb2",
    "ppml",
    "clustered_se",
    "wild_bootstrap",
    "t_reference",
    "leave_one_out",
    "e_value",
    "romano_wolf",
    "event_study",
    "pre_trend",
    "placebo_renewal",
    "negative_control",
    "incident_day",
    "authorised_ceiling",
    "mission_month",
    "association",
)
TABLES = ["mission_months", "un_fatalities", "un_missions"]
DV = data_versions(TABLES)
mm = casualties.add_incident_days(load("mission_months"), load("un_fatalities"), load("un_missions"))
OUT = casualties.outcome_column(cause, outcome)
TERM = casualties.treatment_name(treatment, filled=filled, codings=codings)
WHAT = casualties.label_of_outcome(cause, outcome)  # e.g. "hostile deaths"
TREATED = plain(TERM)  # e.g. "robust mandate"
CEILINGS = exposure == "authorized"
PER = {"deployed": " per peacekeeper deployed", "authorized": " per authorised peacekeeper", "none": ""}[
    exposure
]
TAG = " (exposure: authorised ceilings, not deployments)" if CEILINGS else ""
if CEILINGS:
    rep.note(
        "Every rate on this page is per authorised peacekeeper (the Security Council's ceiling), not per "
        "peacekeeper deployed; missions without a coded ceiling are left out."
    )

# %% [markdown]
# ## The headline
#
# The model of the parameters above; the full coefficient table is in the appendix. Beside it,
# the checks a referee asks for with few, unequal clusters.

# %%
specs = casualty_specs.specification_grid(
    fe=fe,
    treatment=treatment,
    codings=codings,
    filled=filled,
    estimator=estimator,
    outcome=outcome,
    sensitivity=sensitivity,
    cause=cause,
)
fits, spec_table, failed = casualty_specs.fit_specifications(
    mm,
    specs,
    cause=cause,
    controls=controls,
    years=years,
    missions=missions,
    unit=unit,
    exposure=exposure,
    vcov=vcov,
    data_versions=DV,
    fatalities=load("un_fatalities"),
)
ROLES = casualty_specs.roles(specs, cause)
HEAD, WITHIN, OTHER_DEF = ROLES["head"], ROLES["within"], ROLES["other_definition"]
if HEAD not in fits:
    raise RuntimeError(f"The headline could not be estimated: {failed.to_dict('records')}")
result, frame, _ = fits[HEAD]
for n in frame.attrs["notes"]:
    rep.note(n)
for w in result.warnings:
    rep.diagnostic(f"headline model: {w}")
head_row = spec_table.set_index("label").loc[HEAD]
rep.estimate(
    "irr_treatment",
    result,
    TERM,
    label=f"IRR of {WHAT}{PER}, {TREATED} ({fe} FE, {estimator}, {years[0]}-{years[1]}){TAG}",
)
rep.result("nobs", result.nobs, label=f"Mission-{unit}s in the headline model", format="count")
rep.result(
    "events", int(head_row["events"]), label=f"{WHAT.capitalize()} in the model's rows", format="count"
)
rep.result(
    "events_treated",
    int(head_row["events_treated"]),
    label=f"{WHAT.capitalize()} in rows with a {TREATED}",
    format="count",
)
rep.result("n_missions", result.n_clusters, label="Missions (clusters) in the headline model", format="count")
if "alpha" in result.fit_stats:
    rep.result("nb_alpha", result.fit_stats.get("alpha"), label="NB2 dispersion alpha", format="value")
rep.diagnostic(
    f"Standard errors ({vcov}): {result.fit_stats['vcov_description']}. Optimizer: "
    f"{result.fit_stats['optimizer']}."
)
display(rep.table(result.ledger_frame(), "sample_ledger", headers=ledger_headers(),
                  caption="Where the deaths go: rows and deaths after each filter, from the raw UN file to "
                          "the model's rows"))
in_years = mm[mm["year"].between(years[0], years[1])]
hostile_all = int(in_years["fatalities_hostile_n"].sum())
civilian_share = 1 - int(in_years["fatalities_hostile_uniformed_n"].sum()) / hostile_all
rep.result("hostile_civilian_share", round(civilian_share, 4), format="share",
           label=f"Share of civilian staff among hostile deaths, {years[0]}-{years[1]}")
in_or_out = "leaves them out" if cause == "hostile_uniformed" else "counts them"
rep.note(f"Civilian staff are {civilian_share:.1%} of the {hostile_all:,} hostile deaths of "
         f"{years[0]}-{years[1]}; the outcome {in_or_out}.")
head_inf = casualty_inference.headline_inference(result, frame, TERM, reps=reps)

# %% [markdown]
# ### All specifications on this page, and the Romano-Wolf adjustment
#
# Each specification is fitted on its own frame with the same sample rules: the family is a
# list of specifications fitted by `fit_many` (the API of notebook 07's specification curves),
# tabulated by `compare`, with the fits kept for the adjustment. The Romano-Wolf step-down
# p-value adjusts each for all the others (the same bootstrap weights per mission in every
# member), so reporting many models does not manufacture significance.

# %%
family = casualty_inference.family_adjusted(fits, reps=reps)
rw = family.set_index("specification")
spec_table["p_value_boot"] = spec_table["label"].map(rw["p_value"])
spec_table["p_value_rw"] = spec_table["label"].map(rw["p_value_romano_wolf"])
head_inf.rw_p_value = float(rw.loc[HEAD, "p_value_romano_wolf"]) if HEAD in rw.index else float("nan")
within_inf = None
if WITHIN in fits:
    w_res, w_frame, _ = fits[WITHIN]
    rep.estimate(
        "irr_within_missions",
        w_res,
        TERM,
        label=f"IRR of {WHAT}{PER}, within missions (mission + year FE), {TREATED}{TAG}",
    )
    within_inf = casualty_inference.headline_inference(w_res, w_frame, TERM, reps=reps)
    within_inf.rw_p_value = (
        float(rw.loc[WITHIN, "p_value_romano_wolf"]) if WITHIN in rw.index else float("nan")
    )
checks = casualty_inference.record_inference(rep, "irr_treatment", head_inf, what="headline IRR")
if within_inf is not None:
    casualty_inference.record_inference(rep, "irr_within_missions", within_inf, what="within-mission IRR")
rep.result(
    "family_size",
    int(family.attrs["family_size"]),
    label="Specifications in the Romano-Wolf family",
    format="count",
)
sample = {
    "rows": (result.nobs, f"mission-{unit}s"),
    "units": (result.n_clusters, "missions"),
    "events": (int(head_row["events"]), WHAT),
    "events_treated": int(head_row["events_treated"]),
    "years": (years[0], years[1]),
}
rep.finding(
    "casualties",
    question=f"Do missions with a {TREATED} lose more peacekeepers to hostile acts{PER}?",
    estimate="irr_treatment",
    outcome=WHAT + PER,
    exposure=f"a {TREATED}",
    sample=sample,
    caveat="Association, not causation: robust mandates go to the most dangerous deployments."
    + (" Exposure: authorised ceilings, not deployments." if CEILINGS else ""),
)
if checks:
    rep.finding(
        "casualties_checks",
        question="How firm is that estimate with ~50 unequal missions?",
        answer=checks,
        caveat="The E-value is the strength (as a rate ratio) a hidden confounder would "
        "need with both mandate and deaths to explain the ratio away.",
    )
shown = spec_table.assign(specification=spec_table["label"])[
    [
        "specification",
        "ratio",
        "ratio_ci_low",
        "ratio_ci_high",
        "p_value",
        "p_value_boot",
        "p_value_rw",
        "nobs",
        "missions",
        "events",
        "events_treated",
    ]
]
display(
    rep.table(
        shown,
        "specifications",
        caption=f"Every specification on this page: IRR of {WHAT}, bootstrap and Romano-Wolf p{TAG}",
        headers={
            "p_value": "p (cluster-robust)",
            "p_value_boot": "p (wild bootstrap)",
            "p_value_rw": "p (Romano-Wolf)",
            "missions": "missions",
            "events": "deaths / days",
            "events_treated": "of them treated",
        },
        formats={
            "p_value_boot": "pvalue",
            "p_value_rw": "pvalue",
            "missions": "count",
            "events": "count",
            "events_treated": "count",
        },
    )
)
if len(failed):
    display(rep.table(failed, "not_estimable", caption="Specifications that cannot be estimated"))
    for f_ in failed.itertuples():
        rep.note(f"Not estimable: {f_.specification}: {f_.reason}")
clear = spec_table[(spec_table["p_value_rw"] < 0.05)]
title = (
    f"{len(clear)} of {len(spec_table)} specifications differ from 'no difference' after the Romano-Wolf "
    "adjustment"
    if len(clear)
    else f"No specification of {len(spec_table)} differs clearly from 'no difference' after adjusting for "
    "the family"
)
fig = model_plots.plot_forest(
    spec_table,
    highlight=HEAD,
    xlabel=f"IRR of {WHAT} (95% CI, log scale)",
    title=title,
    source=f"mission_months ({unit} rows, {years[0]}-{years[1]}); clustered by mission",
)
display(
    rep.figure(
        fig,
        "irr_forest",
        main=True,
        title=title,
        description=f"IRR with its 95% cluster-robust interval, one row per specification; the "
        f"headline in red{TAG}.",
        data=spec_table[["label", "ratio", "ratio_ci_low", "ratio_ci_high", "p_value", "p_value_rw"]],
    )
)

# %% [markdown]
# ### Few-cluster checks of the headlines
#
# Wild cluster bootstrap (score bootstrap, Rademacher weights, test-inversion interval), the
# t(G-1) reference, the range over refits that leave one mission out, the E-value and the
# Romano-Wolf p. A term with no deaths among its treated rows is shown as "no events".

# %%
inf_rows = {HEAD: head_inf} | ({WITHIN: within_inf} if within_inf is not None else {})
display(
    rep.table(
        casualty_inference.inference_table(inf_rows),
        "few_cluster_checks",
        caption="Headline IRRs with their few-cluster checks",
        formats=casualty_inference.INFERENCE_FORMATS,
        headers=casualty_inference.INFERENCE_HEADERS,
    )
)
if head_inf.status == "ok":
    top = head_inf.loo_table
    loo_title = (
        f"Leaving out {head_inf.loo_min_mission} moves the IRR to {head_inf.loo_min:.2f}, leaving out "
        f"{head_inf.loo_max_mission} to {head_inf.loo_max:.2f} (all missions: {head_inf.ratio:.2f})"
    )
    fig = design_plots.plot_leave_one_out(
        top,
        head_inf.ratio,
        title=loo_title,
        source="mission_months; headline model refitted without each mission",
    )
    display(
        rep.figure(
            fig,
            "leave_one_out",
            title=loo_title,
            description="The headline IRR refitted without each of the 12 most influential missions, "
            "with its 95% interval; the red line is the estimate with every mission.",
            data=top.head(12)[["cluster", "ratio", "ratio_ci_low", "ratio_ci_high", "change"]],
        )
    )

# %% [markdown]
# ## What the text codings changed
#
# The previous definition had no Chapter VII coding for most resolutions after 2015, so the months
# of MINUSMA's, MONUSCO's and MINUSCA's worst years fell out of the model for a missing treatment.
# The Security Council's texts code them. The same headline under both definitions:

# %%
defs = casualty_specs.definition_comparison(spec_table, fits, [HEAD, *([OTHER_DEF] if OTHER_DEF else [])])
display(
    rep.table(
        defs,
        "definitions",
        caption=f"The headline with the text codings and the previous definition{TAG}",
        formats={"deaths_2013_2019": "count", "deaths": "count", "rows": "count", "missions": "count"},
        headers={"deaths_2013_2019": "of them 2013-2019", "deaths": WHAT},
    )
)
if OTHER_DEF in fits:
    o_res = fits[OTHER_DEF][0]
    o_term = fits[OTHER_DEF][2]
    rep.estimate(
        "irr_treatment_other_definition",
        o_res,
        o_term,
        label=f"IRR of {WHAT}{PER}, {plain(o_term)} (same model){TAG}",
    )
    by = defs.set_index("definition")
    if {"text codings", "previous definition"} <= set(by.index):
        rep.result(
            "deaths_2013_2019_text",
            int(by.loc["text codings", "deaths_2013_2019"]),
            format="count",
            label=f"{WHAT.capitalize()} of 2013-2019 in the model, text codings",
        )
        rep.result(
            "deaths_2013_2019_previous",
            int(by.loc["previous definition", "deaths_2013_2019"]),
            format="count",
            label=f"{WHAT.capitalize()} of 2013-2019 in the model, previous definition",
        )
        rep.finding(
            "definitions",
            question="What do the Security Council's texts change?",
            answer="With the text codings the model keeps {deaths_2013_2019_text} of the "
            + WHAT
            + " of 2013-2019 (previous definition: {deaths_2013_2019_previous}); IRR "
            "{irr_treatment} with the texts against {irr_treatment_other_definition} before."
            if codings == "text"
            else "The previous definition keeps {deaths_2013_2019_previous} of the "
            + WHAT
            + " of 2013-2019 (text codings: {deaths_2013_2019_text}); IRR {irr_treatment} against "
            "{irr_treatment_other_definition} with the texts.",
            caveat="The text codings start in 2000; before, both definitions use PEMA / TAMM.",
        )
coverage = casualty_specs.coded_share_by_year(mm, treatment, years=years, cause=cause)
wide = coverage.pivot(index="year", columns="codings", values="share_coded").reset_index()
display(
    rep.table(
        wide[wide["year"] >= 2010],
        "coded_share",
        caption=f"Share of mission-months with a coded {TREATED}, 2010-{years[1]}",
        formats={"text codings": "share", "previous definition": "share"},
        labels=False,
    )
)

# %% [markdown]
# ## Deployed personnel or authorised ceilings
#
# Deployed personnel end in 2019. The Security Council's authorised ceilings, read from the
# resolution texts, run to 2025, so the rates can be per *authorised* peacekeeper to 2024. A
# ceiling is not a deployment: where both exist (2000-2019), deployed strength is compared with
# the ceiling mission by mission. Missions without a ceiling in their texts (observer missions,
# the oldest operations) drop out with this exposure.

# %%
comp = casualties.exposure_comparison(mm, years=(2000, 2019))
both = comp[comp["months_both_n"] > 0]
rep.result(
    "exposure_missions_both",
    int(len(both)),
    format="count",
    label="Missions with deployed and authorised figures, 2000-2019",
)
rep.result(
    "exposure_ratio_median",
    float(both["deployed_to_authorized"].median()),
    format="ratio",
    label="Median deployed / authorised ratio by mission, 2000-2019",
)
above = both[both["deployed_to_authorized"] > 1.05]
if len(above):
    rep.note(
        f"Deployed personnel exceed the coded ceiling in {', '.join(above['mission_id_un'])}: the coded "
        "ceiling may miss police or a later increase; rates per authorised peacekeeper are too high there."
    )
ratio_title = (
    f"Missions deployed a median {both['deployed_to_authorized'].median():.0%} of their authorised "
    f"ceiling (2000-2019); {len(above)} exceed it"
)
fig = design_plots.plot_exposure_ratio(
    comp, title=ratio_title, source="Kathman personnel; ceilings from the Security Council texts"
)
display(
    rep.figure(
        fig,
        "exposure_ratio",
        title=ratio_title,
        description="Mean deployed uniformed personnel over the mean authorised ceiling, months with "
        "both figures, missions with at least 12 such months.",
        data=comp,
    )
)
display(
    rep.table(
        comp[comp["months_both_n"] > 0],
        "exposure_comparison",
        caption="Deployed personnel and authorised ceilings by mission, 2000-2019",
        headers=casualties.EXPOSURE_COMPARISON_HEADERS,
        appendix=True,
    )
)

# %% [markdown]
# The headline model with each exposure on the **same** mission-months of 2000-2019 (months with
# both figures), so the difference is the exposure alone:

# %%
same_rows = []
for exp_ in ("deployed", "authorized"):
    try:
        fr_ = casualties.casualty_frame(
            mm,
            cause=cause,
            outcome=outcome,
            treatment=treatment,
            filled=filled,
            codings=codings,
            controls=controls,
            years=(max(2000, years[0]), 2019),
            missions=missions,
            unit=unit,
            exposure=exp_,
        )
        fr_ = fr_[(fr_["personnel_years_n"] > 0) & (fr_["personnel_authorized_years_n"] > 0)]
        r_ = fit_casualty_model(
            fr_,
            outcome=OUT,
            treatment=TERM,
            controls=controls,
            exposure=fr_.attrs["exposure"],
            fe=fe,
            estimator=estimator,
            cluster="mission_id_un",
            vcov=vcov,
            data_versions=DV,
        )
        t_ = r_.term(TERM)
        same_rows.append(
            {
                "exposure": "deployed personnel" if exp_ == "deployed" else "authorised ceilings",
                "ratio": t_["ratio"],
                "ratio_ci_low": t_["ratio_ci_low"],
                "ratio_ci_high": t_["ratio_ci_high"],
                "p_value": t_["p_value"],
                "nobs": r_.nobs,
                "missions": r_.n_clusters,
            }
        )
        rep.estimate(
            f"irr_same_rows_{exp_}",
            r_,
            TERM,
            label=f"IRR on mission-months with both exposures, 2000-2019, per "
            f"{'deployed' if exp_ == 'deployed' else 'authorised'} peacekeeper",
        )
    except Exception as exc:  # noqa: BLE001 - shown, not hidden
        same_rows.append({"exposure": exp_, "reason": str(exc)[:160]})
display(
    rep.table(
        pd.DataFrame(same_rows),
        "exposure_same_rows",
        caption="The headline model on the same mission-months with each exposure, 2000-2019",
        formats={"missions": "count"},
    )
)

# %% [markdown]
# ## Within missions: what happened when a mandate changed
#
# The outcome here is always hostile deaths. Events are the months in which a concept switches
# on in the mandate in force (from 2000 at a renewal or modification resolution; before 2000 in
# PEMA / TAMM). Each event is compared with
# missions that do not change in its window (stacked PPML with clean not-yet / never-changed
# controls), in 6-month bins from 12 months before to 24 after; the bin just before the change is
# the reference. The naive two-way fixed-effects estimates (all missions as controls, biased under
# staggered timing) are shown beside. Bins left of the dashed line test for pre-trends: mandates
# are often strengthened after attacks.

# %%
if event_study:
    ev_frame = casualty_events.event_frame(
        mm, exposure=exposure, years=years, missions=missions, concepts=event_concepts
    )
    ev_fits, ev_summary = casualty_events.concept_event_studies(
        ev_frame,
        outcome="fatalities_hostile_n",
        concepts=event_concepts,
        window=tuple(event_window),
        bin_width=event_bin,
    )
    for c, r_ in ev_fits.items():
        for w in r_.warnings:
            rep.diagnostic(f"event study {c}: {w}")
    ren = casualty_events.renewals(ev_frame, event_concepts)
    placebo = casualty_events.placebo_renewals(ren, event_concepts)
    rep.result(
        "renewals_n", int(len(ren)), format="count", label="Renewals and modifications dated in the texts"
    )
    rep.result(
        "placebo_renewals_n",
        int(len(placebo)),
        format="count",
        label="Renewals that changed no mandate concept (placebo events)",
    )
    rep.result(
        "events_clean_n",
        int(ev_summary["events_clean"].fillna(0).sum()),
        format="count",
        label="Clean switch-on events over all concepts",
    )
    ev_shown = ev_summary.assign(concept=ev_summary["concept"].map(plain))
    display(
        rep.table(
            ev_shown,
            "event_studies",
            caption="Stacked event studies of each concept's switch-ons: post-change average rate ratio, "
            "pre-trend test and the naive TWFE estimate",
            headers={
                "events_clean": "clean events",
                "events_all": "all switch-ons",
                "treated_deaths": "hostile deaths after (treated)",
                "ratio": "rate ratio after",
                "pretrend_p": "pre-trend p",
                "naive_ratio": "naive TWFE ratio",
                "naive_ci_low": "naive CI from",
                "naive_ci_high": "naive CI to",
                "naive_p": "naive p",
            },
            formats={
                "events_clean": "count",
                "events_all": "count",
                "treated_deaths": "count",
                "pretrend_p": "pvalue",
                "naive_ratio": "ratio",
                "naive_ci_low": "ratio",
                "naive_ci_high": "ratio",
                "naive_p": "pvalue",
                "status": "text",
            },
        )
    )
    ok = ev_summary[ev_summary["status"] == "ok"]
    n_events = int(ev_summary["events_clean"].fillna(0).sum())
    ev_title = (
        f"{n_events} clean mandate changes in {years[0]}-{years[1]}: too few for a firm within-mission answer"
        if n_events < 20
        else f"Within missions: {len(ok)} concepts with an estimable change"
    )
    if ev_fits:
        fig = design_plots.plot_event_study(
            ev_fits,
            labels={c: plain(c) for c in ev_fits},
            title=ev_title,
            source="mission_months; mandates from the Security Council texts (PEMA / TAMM before 2000)",
        )
        display(
            rep.figure(
                fig,
                "event_study",
                title=ev_title,
                description="Rate ratio of hostile deaths in each 6-month bin around a mandate change, "
                "stacked PPML with clean controls (red) and naive TWFE (blue), 95% CI; "
                "grey crosses: bins without a finite estimate.",
                data=design_plots.event_study_points(ev_fits),
            )
        )
    rows_pc = []
    try:
        pl = casualty_events.placebo_study(
            ev_frame, placebo, outcome="fatalities_hostile_n", window=tuple(event_window), bin_width=event_bin
        )
        pa = pl.post_average
        rows_pc.append(
            {
                "check": "placebo renewals (no concept changed)",
                "events": int((pl.events["status"] == "used").sum()),
                "ratio": pa.get("ratio"),
                "ratio_ci_low": pa.get("ratio_ci_low"),
                "ratio_ci_high": pa.get("ratio_ci_high"),
                "p_value": pa.get("p_value"),
                "pretrend_p": pl.pretrend.get("p_f"),
            }
        )
        rep.result(
            "placebo_ratio",
            pa.get("ratio"),
            format="ratio",
            label="Post-renewal rate ratio at placebo renewals (expected 1)",
        )
        rep.result(
            "placebo_p", pa.get("p_value"), format="pvalue", label="p-value of the placebo-renewal ratio"
        )
    except Exception as exc:  # noqa: BLE001
        rows_pc.append({"check": "placebo renewals", "reason": str(exc)[:160]})
    for c, r_ in ev_fits.items():
        try:
            nc = negative_control(r_, ev_frame, "fatalities_illness_n")
            pa = nc.post_average
            rows_pc.append(
                {
                    "check": f"illness deaths after: {plain(c)}",
                    "events": int((nc.events["status"] == "used").sum()),
                    "ratio": pa.get("ratio"),
                    "ratio_ci_low": pa.get("ratio_ci_low"),
                    "ratio_ci_high": pa.get("ratio_ci_high"),
                    "p_value": pa.get("p_value"),
                    "pretrend_p": nc.pretrend.get("p_f"),
                }
            )
        except Exception as exc:  # noqa: BLE001
            rows_pc.append({"check": f"illness deaths after: {plain(c)}", "reason": str(exc)[:160]})
    pc = pd.DataFrame(rows_pc)
    display(
        rep.table(
            pc,
            "placebo_checks",
            caption="Placebo renewals and the negative-control outcome (illness deaths): "
            "ratios should be near 1",
            formats={"events": "count", "pretrend_p": "pvalue"},
            headers={"check": "check", "pretrend_p": "pre-trend p"},
        )
    )
    ev_parts = ["Clean switch-on events over all concepts: {events_clean_n}"]
    head_ev = ev_summary.set_index("concept")
    if treatment in ev_fits and head_ev.loc[treatment, "status"] == "ok":
        pa = ev_fits[treatment].post_average
        rep.estimate(
            "event_post_ratio",
            {**pa, "estimator": "ppml", "nobs": ev_fits[treatment].nobs},
            treatment,
            label=f"Rate ratio of hostile deaths in the 24 months after a {TREATED} began "
            "(stacked event study, clean controls)",
        )
        rep.result(
            "event_pretrend_p",
            ev_fits[treatment].pretrend.get("p_f"),
            format="pvalue",
            label=f"Pre-trend test before a {TREATED} began (F, G-1)",
        )
        ev_parts.append(
            f"after a {TREATED} began, hostile deaths per peacekeeper changed by a factor of "
            "{event_post_ratio} (pre-trend p = {event_pretrend_p})"
        )
    if "placebo_ratio" in rep.results:
        p_pl = rep.results["placebo_p"]["value"]
        verdict = (
            "which differs from 1: the design also picks up the rhythm of a mission's life, so its "
            "within-mission ratios are not clean effects"
            if p_pl is not None and p_pl < 0.05
            else "which does not differ clearly from 1, as it should not"
        )
        ev_parts.append(
            "at the {placebo_renewals_n} renewals that changed nothing the ratio was {placebo_ratio} "
            "(p = {placebo_p}), " + verdict
        )
    rep.finding(
        "within_missions",
        question="Within missions, did deaths change when a mandate was strengthened?",
        answer="; ".join(ev_parts) + ".",
        caveat="Few clean events: the within-mission estimates rest on a handful of mandate changes.",
    )

# %% [markdown]
# ## Crude rates with and without the treatment
#
# Deaths per 1,000 personnel-years, no adjustment at all: the raw contrast the models refine.

# %%
if exposure != "none":
    exp_col = frame.attrs["exposure"]
    crude = casualties.rates_by_treatment(frame, outcome=OUT, treatment=TERM, exposure=exp_col, by=None)
    for _, r in crude.iterrows():
        key = "crude_rate_treated" if r["group"].startswith("with ") else "crude_rate_not_treated"
        rep.result(
            key,
            round(float(r["rate_per_1000"]), 4),
            format="rate",
            label=f"{WHAT.capitalize()} per 1,000 personnel-years, {r['group'].replace(TERM, TREATED)}{TAG}",
        )
    yearly = casualties.rates_by_treatment(frame, outcome=OUT, treatment=TERM, exposure=exp_col, by="year")
    yearly = yearly.assign(group=yearly["group"].str.replace(TERM, TREATED))
    crude_title = f"{WHAT.capitalize()} per 1,000 personnel-years, with and without a {TREATED}{TAG}"
    fig = casualty_plots.plot_rate_trend(
        yearly,
        group="group",
        ncols=2,
        sharey=True,
        title=crude_title,
        source="UN fatalities; Kathman personnel / Security Council ceilings; mandates from the texts",
    )
    display(
        rep.figure(
            fig,
            "crude_rates_by_mandate",
            title=crude_title,
            description="Yearly deaths per 1,000 personnel-years in mission-months with and without "
            "the treatment (no adjustment).",
            data=yearly,
        )
    )
display(
    rep.table(
        result.summary_frame().reset_index(),
        "headline_model",
        appendix=True,
        caption=f"Headline model: every coefficient ({estimator}, {result.nobs:,} rows)",
    )
)

# %% [markdown]
# ## What this cannot tell us
#
# * **Causation.** Robust mandates are written for missions in active conflicts with armed groups
#   that target peacekeepers: an IRR above 1 is what selection alone would produce. The E-value
#   says how strong such a hidden factor would have to be.
# * **Deployments after 2019** are unknown; with authorised ceilings the rates run to 2024 but are
#   per authorised, not deployed, peacekeeper, and missions without a coded ceiling drop out.
# * **Partner forces' deaths** (AMISOM, G5 Sahel, Barkhane) are not in the UN file.
# * **Posture** and rules of engagement, the heart of the robust turn, are not coded anywhere.

# %%
rep.note("Association, not causation: robust mandates go to the most dangerous deployments (selection).")
rep.save(data_versions=DV)
