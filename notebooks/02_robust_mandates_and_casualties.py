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
# # 02 Robust mandates and peacekeeper deaths
#
# **Question.** Do UN peacekeeping operations with a *robust* mandate (Chapter VII authority
# together with a protection-of-civilians mandate) suffer more deaths from hostile acts per
# peacekeeper deployed, across missions and within the same mission over time? The essay
# argues that robust mandates drew UN operations into the theatres of the war on terror
# (MINUSMA being "the deadliest UN PKO"), and the Cruz report (2017) blamed the rising toll
# on hostile attacks.
#
# **Data.** `mission_months`: UN PKO x month, 1990-01 onward. Outcome: UN-recorded
# fatalities of mission personnel by cause (hostile = "Malicious Act"). Exposure: uniformed
# personnel deployed (Kathman), as personnel-years (persons x months / 12). Mandates: PEMA
# v2 / v1.2 and TAMM to 2019, curated Security Council resolutions after; optionally the
# `*_filled` variant that carries a mission's last coded value forward over uncoded months.
# Controls: host-country conflict deaths (UCDP, log(1 + deaths)) and a jihadist conflict in a
# host country (UCDP ACD + curated actor list).
#
# **Method.** Negative binomial (NB2) regression of monthly deaths with log personnel-years
# as offset, so exp(coefficient) is an **incidence-rate ratio (IRR)**: the multiplicative
# difference in deaths per peacekeeper-year. Year fixed effects (default) compare missions
# in the same year; mission + year fixed effects compare a mission with itself before and
# after its mandate changed. Standard errors clustered by mission. `estimator="ppml"` (Poisson
# pseudo-ML) is the robust alternative: consistent whenever the mean is right, whatever the
# variance.
#
# **Which standard error.** Two conventions are in use for NB2 and they differ here (treatment
# SE 0.510 vs 0.393): `vcov="joint"` (default) is the sandwich of the joint (coefficients,
# alpha) scores on the observed Hessian, so the uncertainty of the dispersion alpha enters;
# `vcov="glm_fixed_theta"` holds alpha fixed at its estimate and uses the expected information,
# which is what R's `sandwich::vcovCL(glm.nb(...))` reports (its default type HC0;
# `"glm_fixed_theta_hc1"` adds the (N-1)/(N-K) factor of `type = "HC1"`, 0.395).
#
# **Read this first.**
# * **Personnel after 2019 are missing**, so with the exposure offset the years are capped at
#   2019 (default `years = [1990, 2019]`); MINUSMA's worst years after 2019 are not in the rate
#   models.
# * **Association, not causation.** The Security Council gives robust mandates to missions
#   sent to the most violent places: selection into treatment. Host-country conflict
#   deaths and jihadist conflict are controlled for, but the danger of a deployment area is
#   only partly measured at country-year level. Mission fixed effects remove stable
#   differences between missions, not changes in danger that prompted a mandate change.
# * Few missions carry most deaths; clustered intervals with ~50 missions are approximate.

# %% tags=["parameters"]
from typing import Literal

output_dir: str = ""  # set by the runner (peaceops run); empty: write nothing
cause: Literal["hostile", "hostile_uniformed", "accident", "illness", "self_inflicted", "other_unknown",
               "all"] = "hostile"  # outcome: fatalities of this cause
treatment: Literal["is_robust_mandate", "robust_mandate_index", "is_chapter_vii", "has_poc_mandate",
                   "has_use_of_force", "has_offensive_mandate"] = "is_robust_mandate"
filled: bool = False  # use the *_filled codings (last coded value carried forward)
years: list[int] = [1990, 2019]  # first and last year (personnel end in 2019)
exposure: bool = True  # log personnel-years as offset (rates per peacekeeper-year)
unit: Literal["month", "year"] = "month"  # mission-month or mission-year rows
fe: Literal["none", "mission", "year", "mission+year"] = "year"  # fixed effects
estimator: Literal["negbin", "ppml", "poisson"] = "negbin"  # "poisson" is the same as "ppml"
vcov: Literal["joint", "glm_fixed_theta", "glm_fixed_theta_hc1"] = "joint"  # SE convention (see above)
missions: str | list[str] = "all"  # "all", "africa" or a list of mission acronyms
controls: list[str] = ["log_host_deaths", "has_jihadist_conflict"]
sensitivity: bool = True  # also fit alternative fixed effects and mandate definitions

# %%
# %matplotlib inline
from IPython.display import display

from analysis.data import data_versions, load
from analysis.models.casualties import fit_casualty_model
from analysis.models.multiverse import compare, fit_many
from analysis.plots import casualties as casualty_plots
from analysis.plots import models as model_plots
from analysis.reporting import Reporter
from analysis.studies import casualties, multiverse, select

PARAMS = dict(cause=cause, treatment=treatment, filled=filled, years=years, exposure=exposure, unit=unit,
              fe=fe, estimator=estimator, vcov=vcov, missions=missions, controls=controls,
              sensitivity=sensitivity)
rep = Reporter(output_dir, notebook="02_robust_mandates_and_casualties", parameters=PARAMS)
TABLES = ["mission_months"]
DV = data_versions(TABLES)

mm = load("mission_months")
outcome = casualties.outcome_column(cause)
term = casualties.treatment_name(treatment, filled=filled)
exposure_col = "personnel_years_n" if exposure else None

# %% [markdown]
# ## 1. The analysis frame
#
# One row per mission-month (or mission-year). With the exposure offset, months without a
# personnel figure are dropped (their deaths would otherwise count without exposure); the
# notes below say how many.

# %%
frame = casualties.casualty_frame(mm, cause=cause, treatment=treatment, filled=filled, controls=controls,
                            years=years, missions=missions, unit=unit, exposure=exposure)
for n in frame.attrs["notes"]:
    rep.note(n)
    print(n)
usable = select.complete_rows(frame, [outcome, term, *controls, *([exposure_col] if exposure_col else [])],
                            positive=[exposure_col] if exposure_col else [])
print(f"{len(frame)} rows, {usable.sum()} with every variable; {frame['mission_id_un'].nunique()} missions; "
      f"{int(frame.loc[usable, outcome].sum())} {cause} deaths in usable rows")
print(f"treatment '{term}' coded in {frame[term].notna().mean():.0%} of rows")
display(frame.describe().T.round(3))

# %% [markdown]
# ## 2. Crude rates with and without the treatment
#
# Deaths per 1,000 personnel-years, treated vs not treated (a share of months >= 0.5, or an
# index >= 2 components). No adjustment at all: this is the raw contrast the model refines.

# %%
if exposure:
    crude = casualties.rates_by_treatment(frame, outcome=outcome, treatment=term, by=None)
    display(crude.round(3))
    for _, r in crude.iterrows():
        key = "crude_rate_treated" if r["group"].startswith("with ") else "crude_rate_not_treated"
        rep.result(key, round(float(r["rate_per_1000"]), 4),
                   label=f"{cause} deaths per 1,000 personnel-years, {r['group']} ({term})")
    yearly = casualties.rates_by_treatment(frame, outcome=outcome, treatment=term, by="year")
    fig = casualty_plots.plot_rate_trend(
        yearly, group="group", ncols=2, sharey=True,
        title=f"{cause.replace('_', ' ').capitalize()} deaths per 1,000 personnel-years, by {term}, "
              f"{years[0]}-{years[1]}",
        source="UN fatalities file; Kathman personnel; PEMA / TAMM / curated mandates (mission_months)")
    display(rep.figure(fig, "crude_rates_by_mandate"))

# %% [markdown]
# ## 3. Headline model

# %%
result = fit_casualty_model(frame, outcome=outcome, treatment=term, controls=controls, exposure=exposure_col,
                            fe=fe, estimator=estimator, cluster="mission_id_un", data_versions=DV, vcov=vcov)
events = int(frame.loc[usable, outcome].sum())
for w in result.warnings:
    print("note:", w)
display(result.summary_frame().round(4))
ratio_name = "IRR" if exposure else "ratio of expected counts"
rep.estimate("irr_treatment", result, term,
             label=f"{ratio_name} of {cause} deaths, {term} ({fe} FE, {estimator}, {years[0]}-{years[1]})")
rep.result("nobs", result.nobs, label="Observations in the headline model")
rep.result("events", events, label=f"{cause} deaths in the model's rows")
rep.result("n_missions", result.n_clusters, label="Missions (clusters) in the headline model")
if "alpha" in result.fit_stats:
    rep.result("nb_alpha", result.fit_stats.get("alpha"), label="NB2 dispersion alpha")
rep.note(f"Standard errors ({vcov}): {result.fit_stats['vcov_description']}. Optimizer: "
         f"{result.fit_stats['optimizer']}, accepted with the largest scaled score below 1e-6.")
row = result.term(term)
print(f"{ratio_name} = {row['ratio']:.2f} (95% CI {row['ratio_ci_low']:.2f} to {row['ratio_ci_high']:.2f}), "
      f"p = {row['p_value']:.3f}; {result.nobs} rows, {result.n_clusters} missions, {events} deaths")

# %% [markdown]
# ## 4. Within missions, and other definitions
#
# The same model with other fixed effects (mission + year = within-mission comparison), and
# with each mandate definition, as published and carried forward. A specification that cannot
# be estimated (no variation, separation, no convergence) is listed with the reason rather
# than dropped silently.

# %%
headline_label = f"{term}, FE {fe} (headline)"
specs: dict[str, dict] = {}
for f in ("none", "year", "mission", "mission+year"):
    label = headline_label if f == fe else f"{term}, FE {f}"
    if sensitivity or f in (fe, "mission+year"):
        specs[label] = dict(fe=f, treatment=treatment, filled=filled)
if sensitivity:
    for t in ("is_robust_mandate", "robust_mandate_index", "is_chapter_vii", "has_poc_mandate",
              "has_use_of_force", "has_offensive_mandate"):
        for fl in (False, True):
            if (t, fl) != (treatment, filled):
                name = casualties.treatment_name(t, filled=fl)
                specs[f"{name}, FE {fe}"] = dict(fe=fe, treatment=t, filled=fl)
grid = [multiverse.casualty_spec(outcome=outcome, treatment=s["treatment"], filled=s["filled"],
                                  controls=controls, years=years, missions=missions, unit=unit,
                                  exposure=exposure, fe=s["fe"], estimator=estimator, vcov=vcov, label=label)
        for label, s in specs.items()]
fitted = fit_many(grid, multiverse.CasualtyData(mm), backend="serial", progress=False)
cmp = compare(fitted, labels=list(specs))
table = cmp.table
for sp, (_, r) in zip(grid, fitted.iterrows()):
    if sp.fe == ("mission_id_un", "year") and sp.treatment == treatment and sp.filled == filled \
            and r["status"] == "ok":
        rep.estimate("irr_within_missions", r.to_dict(), term,
                     label=f"{ratio_name}, within missions (mission + year FE), {term}")
display(table.round(3))
if len(cmp.failed):
    display(cmp.failed)
    for _, f_ in cmp.failed.iterrows():
        rep.note(f"Not estimable: {f_['label']}: {f_['status']}: {f_['reason'][:200]}")
fig = model_plots.plot_forest(
    table, highlight=headline_label, xlabel=f"{ratio_name} (95% CI, log scale)",
    title=f"{cause.replace('_', ' ').capitalize()} deaths per peacekeeper-year: robust-mandate "
          f"{ratio_name}s, {years[0]}-{years[1]}",
    source=f"mission_months ({unit} rows, {missions if isinstance(missions, str) else ', '.join(missions)}); "
           f"{estimator}, clustered by mission; controls: {', '.join(controls) or 'none'}")
display(rep.figure(fig, "irr_forest", main=True))

# %% [markdown]
# ## What this cannot tell us
#
# * **Causation.** Robust mandates are not assigned at random: they are written for missions
#   in active conflicts with armed groups that target peacekeepers. An IRR above 1 is what
#   selection alone would produce; an IRR near 1 within missions says that mandate changes
#   did not coincide with changes in the death rate, not that robustness is harmless or safe.
# * **After 2019** personnel per mission are unknown, so the rate models stop in 2019: the
#   MINUSMA years 2020-2023 and the downsizing period are outside them.
# * **Partner forces' deaths** (AMISOM, G5 Sahel, Barkhane) are not in the UN file.
# * **Mandate coding** is binary and monthly; the robust turn is partly about posture and
#   rules of engagement, which no dataset here codes.

# %%
rep.note("Association, not causation: robust mandates go to the most dangerous deployments (selection).")
if exposure and years[1] > 2019:
    rep.note("Personnel are missing after 2019: months without personnel were dropped (rates stop in 2019).")
rep.glossary("irr", "confidence_interval", "robust_mandate", "hostile_act", "nb2", "clustered_se",
             "mission_month", "association")
if "irr_treatment" in rep.results:
    from analysis.labels import label as _plain

    rep.finding(
        "casualties",
        question=f"Do missions with a {_plain(treatment)} lose more peacekeepers per deployed peacekeeper?",
        estimate="irr_treatment",
        outcome=f"{_plain(f'fatalities_{cause}_n') if cause != 'all' else 'peacekeeper deaths'}",
        exposure=f"a {_plain(treatment)}",
        sample={"rows": (rep.results["nobs"]["value"], f"mission-{unit}s"),
                "units": (rep.results["n_missions"]["value"], "missions"),
                "events": (rep.results["events"]["value"], "deaths"), "years": (years[0], years[1])},
        caveat="Association, not causation: robust mandates go to the most dangerous deployments.")
rep.save(data_versions=DV)
rep.versions_table(DV)
