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
# # 06 Sahel case study: deployments, jihadist violence, coups and coup risk
#
# **Question.** The essay (Shinoda, *The GWOT and international peace operations*, section 5)
# reads the coups in Mali, Burkina Faso and Niger as "a grave indication" that the de facto
# convergence of counter-terrorism and peace operations in the Sahel has not produced tangible
# results: MINUSMA alongside French (Serval, Barkhane), European (Takuba, EUTM Mali) and
# regional (G5 Sahel Joint Force) forces, then the turn to Wagner. This notebook lays the
# record side by side for Mali, Burkina Faso, Niger and Chad, with other West African states as
# comparisons: (1) which operations were deployed when, (2) how many UN peacekeepers were
# killed by hostile acts, (3) how much of the organised violence involved jihadist groups,
# (4) when the coups happened, and (5) where the coup model of notebook 04 put these states
# before each coup.
#
# **Data.** `un_missions`, `un_mission_hosts` and `mission_months` (UN peacekeeping, fatalities);
# the curated `partner_operations` (non-UN military operations in Africa, 2000-2024) and
# `jihadist_actors`; UCDP/PRIO ACD 25.1 (`ucdp_conflict_years`, `ucdp_conflict_locations`) and
# UCDP country-year deaths (`ucdp_country_years`, `country_years`); `coups` (Powell & Thyne,
# then CoupCats months). Logic in `analysis.studies.sahel` and `analysis.studies.coups`, figures
# in `analysis.plots.sahel`, the coup model in `analysis.models.coups`.
#
# **Method.** Description, then predicted probabilities from a country-year logit fitted on all
# African states (notebook 04's default specification). **Association, not causation**: the
# model says which country-years looked coup-prone given partnership, income, democracy,
# conflict and the time since the last coup; it does not show that any deployment caused a coup.
#
# **Limits.** Operation dates are used only where the curated table sources them (Wagner in
# Mali: "dates not sourced"); UCDP deaths are not published by actor, so they are attributed
# to jihadist actors only as whole blocks (below); the coup model is rare-event and imprecise.

# %% tags=["parameters"]
from typing import Literal

output_dir: str = ""  # set by `peaceops run`; "" = write nothing
countries: list[int] = [432, 439, 436, 483]  # focus states (G-W): Mali, Burkina Faso, Niger, Chad
comparison_countries: list[int] = [433, 438, 437, 435, 452, 434, 461, 475]  # SEN GIN CIV MRT GHA BEN TGO NGA
years: list[int] = [2000, 2024]  # window of the timeline, deaths and coup lists
state_based_basis: Literal["acd", "dyads"] = "acd"  # classify state-based deaths by ACD conflicts or dyads
# coup model (notebook 04 default): Africa, has_partnership lagged, controls, cubic duration
model_years: list[int] = [1990, 2024]  # outcome years of the coup model
treatment: str = "has_partnership"
controls: list[str] = ["log_gdp_pc", "v2x_polyarchy", "has_conflict"]
lag: int = 1  # years by which treatment and controls are lagged
estimator: Literal["logit", "firth"] = "logit"
duration: bool = True  # cubic polynomial in years since the last coup attempt
cluster: str | None = "country_id_gw"  # cluster for robust standard errors

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import display

from analysis.curated import load_jihadist_actors, load_partner_operations
from analysis.data import data_versions, load
from analysis.models.coups import fit_coup_model, predict_coup_risk, prepare_coup_data
from analysis.plots import sahel as plots_sahel
from analysis.reporting import Reporter
from analysis.studies import coups as coup_study
from analysis.studies import sahel

PARAMS = dict(countries=countries, comparison_countries=comparison_countries, years=years,
              state_based_basis=state_based_basis, model_years=model_years, treatment=treatment,
              controls=controls, lag=lag, estimator=estimator, duration=duration, cluster=cluster)
rep = Reporter(output_dir, notebook="06_sahel_case_study", parameters=PARAMS)
TABLES = ["un_missions", "un_mission_hosts", "mission_months", "country_codes", "country_years",
          "ucdp_conflict_years", "ucdp_conflict_locations", "ucdp_country_years", "coups"]
pd.set_option("display.max_colwidth", 80)

focus = [int(c) for c in countries]
comparison = [int(c) for c in comparison_countries if int(c) not in focus]
everyone = focus + comparison
window = (int(years[0]), int(years[1]))

un_missions = load("un_missions")
un_hosts = load("un_mission_hosts")
mm = load("mission_months")
codes = load("country_codes")
cy = load("country_years")
acd = load("ucdp_conflict_years")
acd_loc = load("ucdp_conflict_locations")
ucdp_cy = load("ucdp_country_years")
coups = load("coups")
partner_ops = load_partner_operations()
actors = load_jihadist_actors()
names = sahel.country_names(codes)
print("focus:", ", ".join(names[c] for c in focus))
print("comparison:", ", ".join(names[c] for c in comparison))

# %% [markdown]
# ## 1. Deployments and coups
#
# UN peacekeeping operations (every host of the UN list, dates from the UN list; where it gives
# no end, the last month of the mission in `mission_months`) and the curated non-UN operations,
# one row per host state. Operations whose dates the curated table does not source are listed
# as **"dates not sourced"** with no bar: no date is invented. Bars without a sourced end run to
# the window's edge, hatched. Red lines: coup attempts (solid successful, dashed failed; a shaded
# month where only the month is known).

# %%
timeline = sahel.operations_timeline(un_missions, un_hosts, mm, partner_ops, codes, countries=everyone,
                                     years=window)
coup_list = coup_study.coup_events(coups, countries=everyone, years=window)
fig = plots_sahel.plot_timeline(timeline, coup_list, countries=focus, years=window, country_names=names,
                                title="Sahel: UN and non-UN deployments, with coup attempts")
display(rep.figure(fig, "timeline_focus", main=True))
if comparison:
    fig = plots_sahel.plot_timeline(timeline, coup_list, countries=comparison, years=window,
                                    country_names=names,
                                    title="Comparison states: deployments, with coup attempts")
    display(rep.figure(fig, "timeline_comparison"))

# %%
show = timeline.assign(country=timeline["country_id_gw"].map(names))
display(show[["country", "label", "kind", "date_start", "date_start_precision", "date_end",
              "date_end_precision", "dates_note"]])
tl_focus = timeline[timeline["country_id_gw"].isin(focus)]
undated = tl_focus.loc[~tl_focus["is_dated"], "label"].drop_duplicates().tolist()
rep.result("operations_focus_n", int(tl_focus["operation_id"].nunique()),
           label="Operations (UN and curated non-UN) deployed in the focus states in the window")
rep.result("operations_focus_undated", undated, label="Operations in the focus states whose dates are not "
           "sourced (shown without a bar)")
for op in ("MINUSMA", "serval", "barkhane", "takuba", "g5-sahel-jf", "eutm-mali"):
    r = tl_focus[tl_focus["operation_id"] == op].drop_duplicates("operation_id")
    if len(r):
        end = r["date_end"].iloc[0]
        rep.result(f"dates_{op.replace('-', '_')}",
                   [str(r["date_start"].iloc[0].date()), None if pd.isna(end) else str(end.date())],
                   label=f"{r['label'].iloc[0]}: start and end in the data")

# %% [markdown]
# ## 2. UN peacekeepers killed by hostile acts
#
# Fatalities of the personnel of UN peacekeeping operations hosted by the selected states, by
# mission and year (`mission_months`, from the UN fatalities file: "Malicious Act" = hostile).
# The essay quotes the Cruz report's count for MINUSMA (91 deaths in 2013-2017) and the UN's
# total of 309 as of 30 June 2023; the data's own counts are recorded next to them.

# %%
un_ops = timeline.loc[timeline["kind"] == "un_pko", "operation_id"].drop_duplicates().tolist()
un_fat = sahel.un_fatalities_by_year(mm, un_ops, years=window)
display(rep.figure(plots_sahel.plot_un_fatalities(un_fat, years=window), "un_fatalities"))
totals = un_fat.groupby("mission_id_un")[["fatalities_hostile_n", "fatalities_n"]].sum()
display(totals)
for m, r in totals.iterrows():
    rep.result(f"un_hostile_deaths_{m.lower()}", int(r["fatalities_hostile_n"]),
               label=f"{m}: hostile-act deaths of peacekeepers, {window[0]}-{window[1]}")
if "MINUSMA" in set(mm["mission_id_un"]):
    mi = mm[mm["mission_id_un"] == "MINUSMA"]
    rep.result("minusma_hostile_2013_2017", int(mi.loc[mi["year"].between(2013, 2017), "fatalities_hostile_n"]
                                                .sum()),
               label="MINUSMA hostile-act deaths 2013-2017 (essay, quoting the Cruz report: 91)")
    rep.result("minusma_all_causes_to_2023_06", int(mi.loc[mi["date"] <= "2023-06-30", "fatalities_n"].sum()),
               label="MINUSMA deaths, all causes, to June 2023 (essay, quoting the UN: 309)")

# %% [markdown]
# ## 3. Organised violence by actor type
#
# UCDP publishes deaths by country, year and type of violence (state-based, non-state,
# one-sided), not by actor. An actor is jihadist when the curated `jihadist_actors` table says
# so (AQ and IS affiliates: JNIM, AQIM, Ansar Dine, al-Murabitun, IS, JAS ...); actors it does
# not list are counted as not jihadist. The deaths of one type in a country-year go as a block
# to **jihadist** when every conflict (state-based: the ACD conflicts located in the state) or
# dyad (non-state, one-sided: UCDP's dyads of the country-year) involves a jihadist actor, to
# **not jihadist** when none does, and to **mixed** when some do (the deaths cannot be split);
# **unattributed** = deaths but no conflict or dyad to classify. Nothing is split
# proportionally.

# %%
conflicts = sahel.conflict_actor_years(acd, acd_loc, actors, countries=everyone, years=window)
dyads = sahel.dyad_actor_years(ucdp_cy, actors, countries=everyone, years=window)
deaths = sahel.deaths_by_actor_type(cy, conflicts, dyads, countries=everyone, years=window,
                                    state_based_basis=state_based_basis)
wide = sahel.deaths_wide(deaths)
fig = plots_sahel.plot_deaths_by_actor_type(wide, countries=focus, years=window, country_names=names,
                                            title="Sahel: deaths in organised violence by type and actor")
display(rep.figure(fig, "deaths_focus"))
if comparison:
    fig = plots_sahel.plot_deaths_by_actor_type(wide, countries=comparison, years=window, country_names=names,
                                                title="Comparison states: deaths by type and actor")
    display(rep.figure(fig, "deaths_comparison"))

# %%
# ACD conflicts located in the focus states, with the jihadist flag
c = conflicts[conflicts["country_id_gw"].isin(focus)]
display(c.groupby(["country_id_gw", "conflict_id", "side_b", "is_jihadist"], dropna=False)["year"]
        .agg(["min", "max", "count"]).rename(columns={"count": "years_n"}))

# %%
share = (deaths.dropna(subset=["deaths_n"])
         .assign(actor_type=lambda d: d["actor_type"].fillna("none"))
         .pivot_table(index=["country_id_gw", "violence_type"], columns="actor_type", values="deaths_n",
                      aggfunc="sum", fill_value=0))
share["total"] = share.sum(axis=1)
display(share)
for gw in focus:
    key = names[gw].lower().replace(" ", "_")
    if (gw, "state_based") in share.index:
        row = share.loc[(gw, "state_based")]
        tot = float(row["total"])
        for a in ("jihadist", "mixed"):
            v = float(row.get(a, 0.0)) / tot if tot > 0 else None
            what = ("in country-years whose conflicts were all jihadist" if a == "jihadist"
                    else "in mixed country-years (cannot be split)")
            rep.result(f"state_based_{a}_share_{key}", v,
                       label=f"{names[gw]}: share of state-based deaths {window[0]}-{window[1]} {what}")
    rep.result(f"deaths_total_{key}", float(share.loc[gw, "total"].sum()) if gw in share.index else None,
               label=f"{names[gw]}: UCDP deaths (all types, best estimate), {window[0]}-{window[1]}")
unlisted = sorted({a.strip() for s in dyads.loc[dyads["country_id_gw"].isin(focus), "unlisted_actors"]
                   .dropna() for a in s.split(";")})
print("Actors in the focus states' UCDP dyads that the curated table does not list (counted as not "
      "jihadist):", ", ".join(unlisted))

# %% [markdown]
# ## 4. Coups
#
# Every coup attempt in the window (`coups`: Powell & Thyne events with the day; after the
# seam, CoupCats coup months, "month only").

# %%
display(coup_list.assign(country=coup_list["country_id_gw"].map(names))[
    ["country", "date_label", "outcome", "coup_id"]])
focus_coups = coup_list[coup_list["country_id_gw"].isin(focus)]
rep.result("coups_focus_n", len(focus_coups),
           label=f"Coup attempts in the focus states, {window[0]}-{window[1]}")
rep.result("coups_focus_successful_n", int(focus_coups["is_successful"].fillna(False).sum()),
           label="of which successful")

# %% [markdown]
# ## 5. Where the coup model put these states before each coup
#
# The model of notebook 04 (country-year logit or Firth logit, all African states, outcome: a
# coup attempt in the year; treatment and controls lagged `lag` years; cubic in the years since
# the last attempt) is fitted once, and its predicted probabilities are ranked among **all
# African country-years of the estimation sample**. Two readings of "the risk before the
# coup": the coup year's own predicted risk (its predictors are measured the year before: the
# ex-ante risk, the headline) and the predicted risk of the year before the coup.
#
# Caveats: the model is rare-event (about ten events per parameter), fitted on the same years
# it ranks (in-sample), and **descriptive**: a high rank means the state looked like other
# coup-prone country-years (recent coup, low income, conflict), not that partnership or any
# deployment caused the coup. The coup clock resets after each attempt, so a state's second
# coup in quick succession ranks high almost mechanically.

# %%
prepared = prepare_coup_data(cy, treatment=treatment, controls=controls, lag=lag,
                             years=(int(model_years[0]), int(model_years[1])), region="africa")
model = fit_coup_model(prepared, outcome="has_coup_attempt", treatment=treatment, controls=controls,
                       estimator=estimator, duration=duration, cluster=cluster,
                       data_versions=data_versions(["country_years"]))
print(prepared.attrs.get("coup_data"))
print("warnings:", model.warnings)
display(model.summary_frame())
rep.estimate("coup_model_treatment", model, treatment,
             label=f"Coup model ({estimator}, Africa): odds ratio of {treatment} (lag {lag}); "
             "association only")
rep.result("coup_model_nobs", model.nobs, label="African country-years in the coup model (reference set)")
rep.result("coup_model_events", model.fit_stats.get("events"), label="Country-years with a coup attempt")

# %%
risk = predict_coup_risk(model, prepared)
risks = coup_study.risk_table(prepared, risk)
reference = coup_study.risk_reference_by_year(risks)
model_coups = coup_list[coup_list["year"].between(int(model_years[0]), int(model_years[1]))]
before = coup_study.risk_before_coups(risks, model_coups)
fig = plots_sahel.plot_risk(risks, coup_list, countries=focus, reference=reference, years=window,
                            country_names=names,
                            title=f"Predicted coup risk ({estimator}, Africa model), coups marked")
display(rep.figure(fig, "coup_risk_focus"))
if comparison:
    fig = plots_sahel.plot_risk(risks, coup_list, countries=comparison, reference=reference, years=window,
                                country_names=names, ncols=4,
                                title=f"Comparison states: predicted coup risk ({estimator})")
    display(rep.figure(fig, "coup_risk_comparison"))

# %%
cols = ["country_name", "date_label", "outcome", "risk_coup_year", "rank_coup_year", "percentile_coup_year",
        "risk_year_before", "rank_year_before", "percentile_year_before", "n_reference"]
before_show = before.assign(focus=before["country_id_gw"].isin(focus))
display(before_show.sort_values(["focus", "country_name", "date_label"], ascending=[False, True, True])[
    ["focus", *cols]].style.format(precision=3, na_rep="-"))
for _, r in before[before["country_id_gw"].isin(focus)].iterrows():
    key = coup_study.result_key(r)
    rep.result(f"risk_pct_{key}", r["percentile_coup_year"],
               label=f"{r['country_name']} coup {r['date_label']} ({r['outcome']}): percentile of the coup "
               "year's predicted risk among all African country-years")
    rep.result(f"risk_rank_{key}", r["rank_coup_year"],
               label=f"{r['country_name']} coup {r['date_label']}: rank of the coup year's risk "
               f"(1 = highest of {r['n_reference']})")
    rep.result(f"risk_pct_prev_{key}", r["percentile_year_before"],
               label=f"{r['country_name']} coup {r['date_label']}: percentile of the predicted risk of the "
               "year before")
fb = before[before["country_id_gw"].isin(focus)]
rep.result("risk_pct_focus_median", float(fb["percentile_coup_year"].median()) if len(fb) else None,
           label="Median percentile of the coup-year risk over the focus states' coups")
rep.result("focus_coups_in_top_decile", int((fb["percentile_coup_year"] >= 90).sum()),
           label="Focus-state coups whose coup-year risk was in the top 10% of African country-years")

# %% [markdown]
# ## What these data cannot answer
#
# * **Dates.** Wagner's deployment in Mali has no sourced start or end in the curated table: it
#   is listed, not drawn. MINUSMA's end is the last month in `mission_months` (its last
#   recorded fatality, Nov 2023), since the UN list (snapshot Feb 2024) gives no end date; the
#   mandate ended 30 June 2023 and the withdrawal on 31 December 2023. The G5 Sahel Joint
#   Force's start is known to the year only.
# * **Missing operations.** The curated table holds military operations only: the EU's civilian
#   missions (EUCAP Sahel Mali, EUCAP Sahel Niger) and the EU Military Partnership Mission in
#   Niger (EUMPM) are not in it, nor are Russian deployments after Wagner (Africa Corps) or
#   Wagner in Burkina Faso and Niger.
# * **Violence by actor.** UCDP gives deaths by country-year and type of violence only; where a
#   country-year mixes jihadist and other conflicts the deaths are shown as mixed, not split.
#   Actors missing from the curated list (e.g. Ansaroul Islam, local militias) count as not
#   jihadist. Partner forces' own casualties (Barkhane, G5 Sahel) are not in the UN file.
# * **Coups.** The Niger coup of July 2023 is known to the month (CoupCats). The coup model is
#   in-sample, rare-event and associational; it cannot say whether deployments, their
#   withdrawal or the violence made coups more likely.

# %%
rep.note("Association, not causation: the coup model ranks country-years by predicted risk given "
         "partnership, income, democracy, conflict and the coup clock; it does not show that any "
         "deployment or partnership caused a coup. Ranks are in-sample, among all African country-years "
         "of the estimation sample.")
rep.note("Operations whose dates the curated table does not source are listed as 'dates not sourced' "
         "(not drawn): " + (", ".join(undated) if undated else "none in the focus states") + ".")
rep.note("UCDP deaths are attributed to jihadist actors only as whole blocks (every conflict or dyad of the "
         "country-year and violence type involves a curated jihadist actor); mixed country-years are not "
         "split. Actors not in the curated list count as not jihadist.")
rep.note("MINUSMA's end in the timeline is the last month in mission_months (Nov 2023): the UN list gives "
         "no end date. Niger's July 2023 coup is known to the month only (CoupCats).")
rep.note("Not in the data: EUCAP Sahel Mali/Niger (civilian), EUMPM Niger, Africa Corps, Wagner outside "
         "Mali and CAR; partner forces' own casualties.")
dv = data_versions(TABLES)
rep.glossary("odds_ratio", "confidence_interval", "coup_attempt", "partnership", "logit", "association")
if "coup_model_treatment" in rep.results:
    from analysis.labels import label as _plain

    rep.finding(
        "sahel_coups",
        question="Did partnership operations in the host state go with coup attempts in Africa?",
        estimate="coup_model_treatment", outcome="a coup attempt the next year",
        exposure=f"a {_plain(treatment)}",
        sample={"rows": (rep.results["coup_model_nobs"]["value"], "state-years"),
                "events": (rep.results["coup_model_events"]["value"], "coup attempts"),
                "years": (model_years[0], model_years[1])},
        caveat="Association, not causation; the Sahel coups followed years of insurgency and foreign "
               "deployments.")
if "coups_focus_n" in rep.results:
    rep.finding("focus_coups", question="How many coups did the focus states see?",
                answer="{coups_focus_n} coup attempts in the focus states, {coups_focus_successful_n} "
                       "of them successful.", sample={"years": (years[0], years[1])})
rep.save(data_versions=dv)
rep.versions_table(dv)
