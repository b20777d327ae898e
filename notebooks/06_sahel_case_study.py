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
# (4) when the coups happened, and (5) whether the coup model of notebook 04 saw these coups
# coming, **out of sample**: fitted only on the years before each forecast year.
#
# **Data.** `un_missions`, `un_mission_hosts` and `mission_months` (UN peacekeeping, fatalities);
# the curated `partner_operations` (non-UN military operations in Africa, 2000-2024) and
# `jihadist_actors`; UCDP/PRIO ACD 25.1 (`ucdp_conflict_years`, `ucdp_conflict_locations`) and
# UCDP country-year deaths (`ucdp_country_years`, `country_years`); `coups` (Powell & Thyne,
# then CoupCats months); `regime_months` (CoupCats). Logic in `analysis.studies.sahel`,
# `analysis.studies.coups`, `analysis.studies.coup_design` and `analysis.studies.coup_forecast`;
# figures in `analysis.plots.sahel`.
#
# **Method.** Description, then the coup model of notebook 04 (the same specification: all
# African states 1994-2024, partnership operation the year before, armed and jihadist conflict,
# income, democracy, population, regional coups, U.S. troops, military regime, leader tenure,
# period effects, coup clock). Rolling-origin forecasts: for each year from `forecast_from`, the
# model is fitted on earlier years and predicts that year; each forecast is split into the part
# the coup clock explains and the part the covariates explain. **Association, not causation.**
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
# coup model: notebook 04's headline specification (Africa, partnership the year before, full controls)
model_years: list[int] = [1994, 2024]  # outcome years of the coup model
treatment: Literal["has_partnership", "has_partnership_theatre", "has_partner_op"] = "has_partnership"
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
lag: int = 1  # years by which treatment and controls are lagged
estimator: Literal["logit", "firth"] = "logit"
duration: bool = True  # cubic polynomial in years since the last coup attempt
forecast_from: int = 2005  # first year forecast out of sample (rolling origin)

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import display

from analysis.curated import load_jihadist_actors, load_partner_operations
from analysis.data import data_versions, load
from analysis.labels import country_names
from analysis.labels import label as plain
from analysis.models.coups import fit_coup_model, predict_coup_risk, prepare_coup_data
from analysis.plots import sahel as plots_sahel
from analysis.reporting import Reporter
from analysis.studies import coup_design, coup_forecast, sahel
from analysis.studies import coups as coup_study

PARAMS = dict(
    countries=countries,
    comparison_countries=comparison_countries,
    years=years,
    state_based_basis=state_based_basis,
    model_years=model_years,
    treatment=treatment,
    controls=controls,
    periods=periods,
    lag=lag,
    estimator=estimator,
    duration=duration,
    forecast_from=forecast_from,
)
rep = Reporter(output_dir, notebook="06_sahel_case_study", parameters=PARAMS)
TABLES = [
    "un_missions",
    "un_mission_hosts",
    "mission_months",
    "country_codes",
    "country_years",
    "ucdp_conflict_years",
    "ucdp_conflict_locations",
    "ucdp_country_years",
    "coups",
    "regime_months",
    "nonun_operations_monthly",
]

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
names = country_names(codes)  # one spelling per state (analysis/labels.yaml)
FOCUS = ", ".join(names[c] for c in focus)
rep.diagnostic(f"Focus states: {FOCUS}; comparison: {', '.join(names[c] for c in comparison)}")

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
timeline = sahel.operations_timeline(
    un_missions, un_hosts, mm, partner_ops, codes, countries=everyone, years=window
)
coup_list = coup_study.coup_events(coups, countries=everyone, years=window)
coup_list["country_name"] = coup_list["country_id_gw"].map(names).astype("string")
tl_focus = timeline[timeline["country_id_gw"].isin(focus)]
n_ops = int(tl_focus["operation_id"].nunique())
focus_coups = coup_list[coup_list["country_id_gw"].isin(focus)]
fig = plots_sahel.plot_timeline(
    timeline,
    coup_list,
    countries=focus,
    years=window,
    country_names=names,
    title=f"{FOCUS}: {n_ops} operations and {len(focus_coups)} coup attempts, {window[0]}-{window[1]}",
)
display(
    rep.figure(
        fig,
        "timeline_focus",
        main=True,
        title=f"{len(focus_coups)} coup attempts in {FOCUS} came while {n_ops} UN and partner "
        f"operations were deployed there ({window[0]}-{window[1]})",
        description="One bar per operation and host state (UN peacekeeping and curated non-UN "
        "operations); red lines mark coup attempts.",
        data=tl_focus.assign(country=tl_focus["country_id_gw"].map(names))[
            ["country", "operation_id", "label", "kind", "date_start", "date_end", "dates_note"]
        ],
    )
)
if comparison:
    tl_cmp = timeline[timeline["country_id_gw"].isin(comparison)]
    fig = plots_sahel.plot_timeline(
        timeline,
        coup_list,
        countries=comparison,
        years=window,
        country_names=names,
        title="Comparison states: deployments, with coup attempts",
    )
    display(
        rep.figure(
            fig,
            "timeline_comparison",
            title="Comparison states: deployments and coup attempts",
            description="The same for the comparison states of West Africa.",
            data=tl_cmp.assign(country=tl_cmp["country_id_gw"].map(names))[
                ["country", "operation_id", "label", "kind", "date_start", "date_end"]
            ],
        )
    )

# %%
show = timeline.assign(
    country=timeline["country_id_gw"].map(names),
    start=timeline["date_start"].dt.strftime("%Y-%m-%d"),
    end=timeline["date_end"].dt.strftime("%Y-%m-%d"),
)
display(
    rep.table(
        show[
            [
                "country",
                "label",
                "kind",
                "start",
                "date_start_precision",
                "end",
                "date_end_precision",
                "dates_note",
            ]
        ],
        "operations",
        appendix=True,
        caption="Operations by host state, with the precision of their dates",
        headers={
            "label": "operation",
            "kind": "type",
            "date_start_precision": "start known to",
            "date_end_precision": "end known to",
            "dates_note": "note",
        },
    )
)
undated = tl_focus.loc[~tl_focus["is_dated"], "label"].drop_duplicates().tolist()
rep.result(
    "operations_focus_n",
    n_ops,
    format="count",
    label="Operations (UN and curated non-UN) deployed in the focus states in the window",
)
rep.result(
    "operations_focus_undated",
    undated,
    label="Operations in the focus states whose dates are not sourced (shown without a bar)",
)
for op in ("MINUSMA", "serval", "barkhane", "takuba", "g5-sahel-jf", "eutm-mali"):
    r = tl_focus[tl_focus["operation_id"] == op].drop_duplicates("operation_id")
    if len(r):
        end = r["date_end"].iloc[0]
        rep.result(
            f"dates_{op.replace('-', '_')}",
            [str(r["date_start"].iloc[0].date()), None if pd.isna(end) else str(end.date())],
            label=f"{r['label'].iloc[0]}: start and end in the data",
        )

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
totals = un_fat.groupby("mission_id_un")[["fatalities_hostile_n", "fatalities_n"]].sum().reset_index()
top = totals.sort_values("fatalities_hostile_n", ascending=False).head(1)
fig_title = (
    f"{top['mission_id_un'].iloc[0]} lost {int(top['fatalities_hostile_n'].iloc[0]):,} peacekeepers to "
    f"hostile acts, {window[0]}-{window[1]}"
    if len(top)
    else "UN peacekeeper deaths"
)
display(
    rep.figure(
        plots_sahel.plot_un_fatalities(un_fat, years=window),
        "un_fatalities",
        title=fig_title,
        description="Deaths of UN peacekeeping personnel by mission and year: hostile acts and other causes.",
        data=un_fat,
    )
)
display(
    rep.table(
        totals, "un_fatalities_totals", caption=f"UN peacekeeper deaths by mission, {window[0]}-{window[1]}"
    )
)
for _, r in totals.iterrows():
    rep.result(
        f"un_hostile_deaths_{str(r['mission_id_un']).lower()}",
        int(r["fatalities_hostile_n"]),
        format="count",
        label=f"{r['mission_id_un']}: hostile-act deaths of peacekeepers, {window[0]}-{window[1]}",
    )
if "MINUSMA" in set(mm["mission_id_un"]):
    mi = mm[mm["mission_id_un"] == "MINUSMA"]
    rep.result(
        "minusma_hostile_2013_2017",
        int(mi.loc[mi["year"].between(2013, 2017), "fatalities_hostile_n"].sum()),
        format="count",
        label="MINUSMA hostile-act deaths 2013-2017 (essay, quoting the Cruz report: 91)",
    )
    rep.result(
        "minusma_all_causes_to_2023_06",
        int(mi.loc[mi["date"] <= "2023-06-30", "fatalities_n"].sum()),
        format="count",
        label="MINUSMA deaths, all causes, to June 2023 (essay, quoting the UN: 309)",
    )

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
# proportionally. The charts sum the three types of violence; the table gives them apart.

# %%
conflicts = sahel.conflict_actor_years(acd, acd_loc, actors, countries=everyone, years=window)
dyads = sahel.dyad_actor_years(ucdp_cy, actors, countries=everyone, years=window)
deaths = sahel.deaths_by_actor_type(
    cy, conflicts, dyads, countries=everyone, years=window, state_based_basis=state_based_basis
)
wide = sahel.deaths_wide(deaths)
share = (
    deaths.dropna(subset=["deaths_n"])
    .assign(actor_type=lambda d: d["actor_type"].fillna("none"))
    .pivot_table(
        index=["country_id_gw", "violence_type"],
        columns="actor_type",
        values="deaths_n",
        aggfunc="sum",
        fill_value=0,
    )
)
share["total"] = share.sum(axis=1)
by_country = share.groupby(level=0).sum()
jihad_share = {
    gw: float(by_country.loc[gw].get("jihadist", 0.0) + by_country.loc[gw].get("mixed", 0.0))
    / float(by_country.loc[gw, "total"])
    if gw in by_country.index and by_country.loc[gw, "total"] > 0
    else None
    for gw in focus
}
top_j = max((g for g in focus if jihad_share.get(g) is not None), key=lambda g: jihad_share[g], default=None)
fig = plots_sahel.plot_deaths_by_actor_type(
    wide,
    countries=focus,
    years=window,
    country_names=names,
    title="Sahel: deaths in organised violence by actor type",
)
display(
    rep.figure(
        fig,
        "deaths_focus",
        title=(
            f"In {names[top_j]}, {jihad_share[top_j]:.0%} of deaths in organised violence "
            f"{window[0]}-{window[1]} fell in country-years with jihadist conflicts (all or some)"
            if top_j is not None
            else "Deaths in organised violence by actor type"
        ),
        description="UCDP deaths (best estimates) per year, coloured by whether the conflicts or "
        "dyads of the country-year involve a jihadist group: all (jihadist), some "
        "(mixed), none, or no conflict to classify (unattributed).",
        data=wide[wide["country_id_gw"].isin(focus)].assign(country=lambda d: d["country_id_gw"].map(names)),
    )
)
if comparison:
    fig = plots_sahel.plot_deaths_by_actor_type(
        wide,
        countries=comparison,
        years=window,
        country_names=names,
        title="Comparison states: deaths by actor type",
    )
    display(
        rep.figure(
            fig,
            "deaths_comparison",
            title="Comparison states: deaths in organised violence by actor type",
            description="The same for the comparison states.",
            data=wide[wide["country_id_gw"].isin(comparison)].assign(
                country=lambda d: d["country_id_gw"].map(names)
            ),
        )
    )

# %%
c = conflicts[conflicts["country_id_gw"].isin(focus)]
ctab = (
    c.groupby(["country_id_gw", "conflict_id", "side_b", "is_jihadist"], dropna=False)["year"]
    .agg(["min", "max", "count"])
    .reset_index()
    .rename(columns={"min": "first year", "max": "last year", "count": "years"})
)
ctab.insert(0, "country", ctab.pop("country_id_gw").map(names))
display(
    rep.table(
        ctab,
        "acd_conflicts",
        appendix=True,
        caption="UCDP/PRIO conflicts located in the focus states, with the jihadist flag",
        headers={"conflict_id": "UCDP conflict", "side_b": "opposition side", "is_jihadist": "jihadist side"},
        formats={"first year": "year", "last year": "year"},
    )
)
share_show = share.reset_index()
share_show = share_show.loc[:, (share_show != 0).any()]  # an actor type without deaths anywhere: no column
share_show.insert(0, "country", share_show.pop("country_id_gw").map(names))
share_show["violence_type"] = share_show["violence_type"].map(plots_sahel.VIOLENCE_LABELS)
in_focus = share_show["country"].isin([names[g] for g in focus])
for part, appendix, what in (
    (share_show[in_focus], False, FOCUS),
    (share_show[~in_focus], True, "comparison states"),
):
    if len(part):
        display(
            rep.table(
                part,
                "deaths_by_actor" if not appendix else "deaths_by_actor_comparison",
                appendix=appendix,
                caption=f"UCDP deaths {window[0]}-{window[1]} by type of violence and actor type: {what}",
                headers={"violence_type": "type of violence", "not_jihadist": "not jihadist"},
            )
        )
for gw in focus:
    key = names[gw].lower().replace(" ", "_")
    if (gw, "state_based") in share.index:
        row = share.loc[(gw, "state_based")]
        tot = float(row["total"])
        for a in ("jihadist", "mixed"):
            v = float(row.get(a, 0.0)) / tot if tot > 0 else None
            what = (
                "in country-years whose conflicts were all jihadist"
                if a == "jihadist"
                else "in mixed country-years (cannot be split)"
            )
            rep.result(
                f"state_based_{a}_share_{key}",
                v,
                format="share",
                label=f"{names[gw]}: share of state-based deaths {window[0]}-{window[1]} {what}",
            )
    rep.result(
        f"deaths_total_{key}",
        float(share.loc[gw, "total"].sum()) if gw in share.index else None,
        format="count",
        label=f"{names[gw]}: UCDP deaths (all types, best estimate), {window[0]}-{window[1]}",
    )
unlisted = sorted(
    {
        a.strip()
        for s in dyads.loc[dyads["country_id_gw"].isin(focus), "unlisted_actors"].dropna()
        for a in s.split(";")
    }
)
rep.diagnostic(
    "Actors in the focus states' UCDP dyads that the curated table does not list (counted as not "
    "jihadist): " + ", ".join(unlisted)
)

# %% [markdown]
# ## 4. Coups
#
# Every coup attempt in the window (`coups`: Powell & Thyne events with the day; after the
# seam, CoupCats coup months, "month only").

# %%
display(
    rep.table(
        coup_list[["country_name", "date_label", "outcome"]],
        "coups",
        caption=f"Coup attempts in the focus and comparison states, {window[0]}-{window[1]}",
        headers={"country_name": "country", "date_label": "date"},
    )
)
rep.result(
    "coups_focus_n",
    len(focus_coups),
    format="count",
    label=f"Coup attempts in the focus states, {window[0]}-{window[1]}",
)
rep.result(
    "coups_focus_successful_n",
    int(focus_coups["is_successful"].fillna(False).sum()),
    format="count",
    label="of which successful",
)

# %% [markdown]
# ## 5. Did the coup model see these coups coming?
#
# The model is notebook 04's headline specification, on all African states. Two readings:
#
# * **Out of sample (rolling origin, the headline):** for each year from `forecast_from`, the
#   model is fitted on the years before it only and predicts that year; the forecast's
#   percentile is among all African state-years of the same year. Where the plain logit cannot be
#   fitted on the early years (a control with no coup yet: separation), Firth's logit is used.
#   Each forecast is split into what the **coup clock** (years since the last attempt) and the
#   **covariates** (partnership, conflict, income, regime ...) contribute, against the average
#   state-year.
# * **In sample:** the model fitted once on all years ranks every state-year (it has seen the
#   coups it ranks; kept for comparison with earlier versions of this page).
#
# Caveats: the model is rare-event and **descriptive**: a high rank means the state looked like
# other coup-prone state-years, not that partnership or any deployment caused the coup. The coup
# clock resets after each attempt, so a second coup in quick succession ranks high almost
# mechanically.

# %%
MODEL_YEARS = (int(model_years[0]), int(model_years[1]))
PERIODS = [int(y) for y in periods if MODEL_YEARS[0] < int(y) <= MODEL_YEARS[1]]
panel = coup_design.coup_panel(
    cy,
    regime_months=load("regime_months"),
    bara=load("nonun_operations_monthly"),
    partner_ops=partner_ops,
    codes=codes,
    coups=coups,
)
prepared = prepare_coup_data(
    panel,
    treatment=treatment,
    controls=controls,
    lag=lag,
    years=MODEL_YEARS,
    region="africa",
    periods=PERIODS,
)
PER = prepared.attrs["coup_data"]["periods"]
DV = data_versions(TABLES)


def fit(d: pd.DataFrame, est: str = estimator):
    """Notebook 04's coup model on frame ``d`` (the period dummies ``d`` has)."""
    return fit_coup_model(
        d,
        outcome="has_coup_attempt",
        treatment=treatment,
        controls=[*controls, *[p for p in PER if p in d.columns]],
        estimator=est,
        duration=duration,
        cluster="country_id_gw",
        data_versions=DV,
    )


model = fit(prepared)
for w in model.warnings:
    rep.diagnostic(f"coup model: {w}")
rep.diagnostic(f"coup model sample: {prepared.attrs['coup_data']}")
display(
    rep.table(
        model.summary_frame(),
        "coup_model",
        appendix=True,
        caption=f"Coup model (notebook 04's specification, {estimator}, {model.nobs:,} state-years)",
    )
)
rep.estimate(
    "coup_model_treatment",
    model,
    treatment,
    label=f"Coup model ({estimator}, Africa): odds ratio of a {plain(treatment)} (lag {lag}); "
    "association only",
)
rep.result(
    "coup_model_nobs",
    model.nobs,
    format="count",
    label="African state-years in the coup model (reference set)",
)
rep.result(
    "coup_model_events",
    int(model.fit_stats.get("events", 0)),
    format="count",
    label="State-years with a coup attempt",
)

# %%
oos = coup_forecast.rolling_origin_risks(
    prepared, fit, first_year=int(forecast_from), periods=PER, fallback=lambda d: fit(d, "firth")
)
skill = coup_forecast.forecast_skill(oos)
rep.result(
    "oos_auc",
    skill["auc"],
    format="value",
    label="Out-of-sample AUC: chance a coup year's forecast exceeds a quiet year's (0.5 = no skill)",
)
rep.result("oos_brier", skill["brier"], format="value", label="Out-of-sample Brier score of the forecasts")
rep.result(
    "oos_brier_climatology",
    skill["brier_climatology"],
    format="value",
    label="Brier score of forecasting every state-year at the training years' coup share",
)
rep.result("oos_events", skill["events"], format="count", label="Coup years forecast out of sample")
rep.result(
    "oos_firth_origins",
    int(oos.loc[oos["estimator"] == "firth", "year"].nunique()),
    format="count",
    label="Forecast years whose model needed Firth's logit (separation in the early years)",
)
oc = oos.merge(focus_coups[["country_id_gw", "year", "date_label", "outcome"]], on=["country_id_gw", "year"])
oc = oc.assign(label=oc["country_id_gw"].map(names) + " " + oc["date_label"].str.slice(0, 7))
oc_show = oc[
    ["label", "outcome", "risk", "percentile_in_year", "risk_clock_only", "risk_covariates_only", "estimator"]
]
display(
    rep.table(
        oc_show,
        "oos_focus_coups",
        caption=f"Out-of-sample forecasts for the year of each coup in {FOCUS}",
        headers={
            "label": "coup",
            "risk": "forecast risk",
            "percentile_in_year": "percentile among African states that year",
            "risk_clock_only": "coup clock only",
            "risk_covariates_only": "covariates only",
            "estimator": "model",
        },
        formats={
            "risk": "share",
            "risk_clock_only": "share",
            "risk_covariates_only": "share",
            "percentile_in_year": "value",
        },
    )
)
top_q = int((oc["percentile_in_year"] >= 90).sum())
med = float(oc["percentile_in_year"].median()) if len(oc) else None
clock_led = int((oc["logit_clock"] > oc["logit_covariates"]).sum())
rep.result(
    "oos_focus_coups_n",
    len(oc),
    format="count",
    label="Focus-state coups forecast out of sample (two coups of one year share its forecast)",
)
rep.result(
    "oos_pct_focus_median",
    med,
    format="value",
    label="Median out-of-sample percentile of the focus states' coup years",
)
rep.result(
    "oos_focus_top_decile",
    top_q,
    format="count",
    label="Focus-state coups whose out-of-sample forecast was in the top 10% of African states that year",
)
rep.result(
    "oos_focus_clock_led",
    clock_led,
    format="count",
    label="Focus-state coups whose forecast owed more to the coup clock than to the covariates",
)
for _, r in oc.iterrows():
    k = coup_study.result_key({"country_name": names[int(r["country_id_gw"])], "date_label": r["date_label"]})
    rep.result(
        f"oos_pct_{k}",
        float(r["percentile_in_year"]),
        format="value",
        label=f"{r['label']} ({r['outcome']}): out-of-sample percentile among African states that year",
    )
fig = plots_sahel.plot_risk_decomposition(oc.sort_values("year"))
display(
    rep.figure(
        fig,
        "oos_decomposition",
        title=(
            f"Out of sample, {top_q} of {len(oc)} coups in {FOCUS} were in the top tenth of that "
            f"year's forecasts; {clock_led} owed more to the coup clock than to the covariates"
        ),
        description="For each coup year: the forecast from a model fitted on earlier years, the risk "
        "an average state-year with this coup clock would have, and the risk of these "
        "covariates with an average clock; dashed line: the average state-year.",
        data=oc[
            [
                "label",
                "year",
                "risk",
                "risk_clock_only",
                "risk_covariates_only",
                "logit_average",
                "logit_clock",
                "logit_covariates",
                "percentile_in_year",
                "estimator",
            ]
        ],
    )
)

# %%
risk = predict_coup_risk(model, prepared)
risks = coup_study.risk_table(prepared, risk)
reference = coup_study.risk_reference_by_year(risks)
model_coups = coup_list[coup_list["year"].between(*MODEL_YEARS)]
before = coup_study.risk_before_coups(risks, model_coups)
fb = before[before["country_id_gw"].isin(focus)]
fig = plots_sahel.plot_risk(
    risks,
    coup_list,
    countries=focus,
    reference=reference,
    years=window,
    country_names=names,
    title=f"Predicted coup risk (in sample, {estimator}, Africa model), coups marked",
)
display(
    rep.figure(
        fig,
        "coup_risk_focus",
        title=f"In sample, {int((fb['percentile_coup_year'] >= 90).sum())} of {len(fb)} coup years in "
        f"{FOCUS} "
        "were in the top tenth of African state-years' predicted risk",
        description="Predicted probability of a coup attempt per state and year from the model fitted "
        "on all years, with the African median and 90th percentile; coups marked.",
        data=risks[risks["country_id_gw"].isin(focus)].assign(
            country=lambda d: d["country_id_gw"].map(names)
        ),
    )
)
cols = ["country_name", "date_label", "outcome", "risk_coup_year", "percentile_coup_year"]
display(
    rep.table(
        fb[cols],
        "in_sample_focus_coups",
        appendix=True,
        caption="In-sample risk of each focus-state coup year and its percentile among all African "
        "state-years",
        headers={"country_name": "country", "date_label": "date"},
    )
)
for _, r in fb.iterrows():
    key = coup_study.result_key(r)
    rep.result(
        f"risk_pct_{key}",
        r["percentile_coup_year"],
        format="value",
        label=f"{r['country_name']} coup {r['date_label']} ({r['outcome']}): in-sample percentile of the "
        "coup year's predicted risk among all African state-years",
    )
rep.result(
    "risk_pct_focus_median",
    float(fb["percentile_coup_year"].median()) if len(fb) else None,
    format="value",
    label="Median in-sample percentile of the coup-year risk over the focus states' coups",
)
rep.result(
    "focus_coups_in_top_decile",
    int((fb["percentile_coup_year"] >= 90).sum()),
    format="count",
    label="Focus-state coups whose in-sample coup-year risk was in the top 10% of African state-years",
)

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
#   rare-event and associational; the CoupCats leader list has no leader for Mali after
#   September 2022, so Mali 2023-2024 are not forecast.

# %%
rep.note(
    "Association, not causation: the coup model ranks state-years by predicted risk given "
    "partnership, conflict, income, regime, regional coups and the coup clock; it does not show that any "
    "deployment or partnership caused a coup."
)
rep.note(
    "Operations whose dates the curated table does not source are listed as 'dates not sourced' "
    "(not drawn): " + (", ".join(undated) if undated else "none in the focus states") + "."
)
rep.note(
    "UCDP deaths are attributed to jihadist actors only as whole blocks (every conflict or dyad of the "
    "country-year and violence type involves a curated jihadist actor); mixed country-years are not "
    "split. Actors not in the curated list count as not jihadist."
)
rep.note(
    "MINUSMA's end in the timeline is the last month in mission_months (Nov 2023): the UN list gives "
    "no end date. Niger's July 2023 coup is known to the month only (CoupCats)."
)
rep.note(
    "Not in the data: EUCAP Sahel Mali/Niger (civilian), EUMPM Niger, Africa Corps, Wagner outside "
    "Mali and CAR; partner forces' own casualties."
)
rep.glossary(
    "odds_ratio",
    "confidence_interval",
    "coup_attempt",
    "partnership",
    "shared_theatre",
    "duration_dependence",
    "rolling_origin",
    "military_regime",
    "logit",
    "firth",
    "association",
)
rep.finding(
    "sahel_forecast",
    question="Did the coup model see the Sahel coups coming, out of sample?",
    answer="Of the {oos_focus_coups_n} focus-state coups forecast out of sample, {oos_focus_top_decile} "
    "were in the top tenth of that year's African forecasts (median percentile {oos_pct_focus_median}); "
    "{oos_focus_clock_led} owed more to the coup clock than to partnership, conflict or income. Across "
    "Africa the forecasts rank coup years above quiet years with an AUC of {oos_auc}; their Brier score is "
    "{oos_brier} against {oos_brier_climatology} for forecasting every state-year at the past coup share "
    "(lower is better).",
    sample={
        "rows": (len(oos), "state-years forecast"),
        "events": (skill["events"], "coup years"),
        "years": (int(forecast_from), MODEL_YEARS[1]),
    },
    caveat="Forecasts from a model fitted on earlier years only; rare events, descriptive, not causal.",
)
rep.finding(
    "sahel_coups",
    question="Did partnership operations in the host state go with coup attempts in Africa?",
    estimate="coup_model_treatment",
    outcome="a coup attempt the next year",
    exposure=f"a {plain(treatment)}",
    sample={
        "rows": (model.nobs, "state-years"),
        "events": (int(model.fit_stats.get("events", 0)), "coup attempts"),
        "years": MODEL_YEARS,
    },
    caveat="Association, not causation; the Sahel coups followed years of insurgency and foreign "
    "deployments.",
)
rep.finding(
    "focus_coups",
    question="How many coups did the focus states see?",
    answer="{coups_focus_n} coup attempts in the focus states, {coups_focus_successful_n} "
    "of them successful.",
    sample={"years": (window[0], window[1])},
)
rep.save(data_versions=DV)
