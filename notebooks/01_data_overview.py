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
# # 01 Data overview: what the sources cover
#
# **Question.** Before any model: which years, missions and countries does each source cover,
# and what do the raw series show? The essay (Shinoda, *The GWOT and international peace
# operations*) makes four descriptive claims that the data can check directly:
#
# 1. peace operations grew after the Brahimi report (2000) and have been **downsized rapidly**
#    since the mid-2010s;
# 2. hostile-act deaths of peacekeepers rose in the 2010s (MINUSMA the deadliest mission);
# 3. mandates became **robust** (Chapter VII with protection of civilians) after 2000;
# 4. **partner operations** (AU, ECOWAS, ad hoc coalitions, EU, France, PMCs) multiplied
#    in Africa, especially in the Sahel.
#
# **Data.** The registered raw files (`analysis/data/registry.csv`), the panels
# `mission_months` (UN PKO x month) and `country_years` (state x year), the core tables
# `un_fatalities` and `un_personnel_yearly_total`, Bara & Hultman's non-UN operations
# (`nonun_operations_monthly`) and the curated partner operations (`data/curated/`).
#
# **Method.** Counts and coverage only; no model. All logic is in `analysis.studies.overview` and
# `analysis.plots.overview`.
#
# **Limits.** Coverage is uneven (next section): mission personnel stop in 2019 (Kathman),
# non-UN operations are complete for every region only 1993-2016 (Bara & Hultman) and
# afterwards only for African hosts (curated), mandate codings stop in 2019 (PEMA, TAMM)
# and continue from curated Security Council resolutions. A missing value is never a zero.

# %% tags=["parameters"]
output_dir: str = ""  # set by the runner (peaceops run); empty: write nothing
fatality_years: list[int] = [1948, 2024]  # years of the fatalities chart (2025 is a partial year)
personnel_years: list[int] = [1948, 2022]  # years of the personnel chart (OWID ends 2021/2022)
mark_years: list[int] = [2000, 2013, 2017]  # dotted lines: Brahimi report, MINUSMA, Cruz report
peak_from: int = 2010  # personnel peak searched from this year (downsizing since the peak)
mandate_filled: bool = True  # mandate types with codings carried forward over uncoded months
coverage_years: list[int] = [1990, 2024]  # years of the column-coverage chart

# %%
# %matplotlib inline
from IPython.display import display

from analysis.curated import load_partner_operations
from analysis.data import data_versions, load
from analysis.data.registry import raw_files
from analysis.plots import overview as overview_plots
from analysis.reporting import Reporter
from analysis.studies import overview, select
from analysis.vocabulary import MANDATE_TYPES

PARAMS = dict(fatality_years=fatality_years, personnel_years=personnel_years, mark_years=mark_years,
              peak_from=peak_from, mandate_filled=mandate_filled, coverage_years=coverage_years)
rep = Reporter(output_dir, notebook="01_data_overview", parameters=PARAMS)
TABLES = ["mission_months", "country_years", "un_fatalities", "un_personnel_yearly_total",
          "nonun_operations_monthly"]

mm = load("mission_months")
cy = load("country_years")
fat = load("un_fatalities")
personnel = load("un_personnel_yearly_total")
nonun = load("nonun_operations_monthly")
partner_ops = load_partner_operations()

# %% [markdown]
# ## 1. Coverage of every source
#
# First the years each registered raw file covers (from the registry), then the share of
# rows with a value, per year, for the columns the notebooks use: this is the coverage that
# survives the fill rules (NA outside a source's years). Light bars: only some rows have a
# value (e.g. personnel after 2019, partner operations outside Africa after 2016).

# %%
files = raw_files()
rep.result("raw_files_n", len(files), label="Registered raw files")
rep.result("sources_n", len({f.source for f in files}), label="Registered sources")
fig = overview_plots.plot_coverage(overview.coverage_from_registry(files),
                          title="Years covered by each registered raw file",
                          source="analysis/data/registry.csv (year_start, year_end)")
display(rep.figure(fig, "coverage_raw_files"))

# %%
coverage_columns = {
    "mission_months": ["fatalities_hostile_n", "personnel_total_n", "is_chapter_vii", "has_poc_mandate",
                       "has_use_of_force", "has_offensive_mandate", "is_robust_mandate",
                       "has_nonun_op_bara", "has_partner_op_curated", "has_partner_op",
                       "deaths_state_based_n"],
    "country_years": ["has_coup_attempt", "has_un_pko", "has_partner_op", "has_partnership",
                      "has_conflict", "gdp_pc_usd", "v2x_polyarchy", "polity2", "us_troops_n"],
}
frames = {"mission_months": select.select_years(mm, coverage_years),
          "country_years": select.select_years(cy, coverage_years)}
column_cov = overview.column_coverage(frames, coverage_columns)
fig = overview_plots.plot_coverage(
    column_cov,
    title=f"Share of rows with a value, analysis panels, {coverage_years[0]}-{coverage_years[1]}",
    source="mission_months (UN PKO x month), country_years (G-W state x year)")
display(rep.figure(fig, "coverage_panel_columns", main=True))

# %%
last_personnel = mm.loc[mm["personnel_source"] == "kathman", "year"].max()
rep.result("personnel_last_year_kathman", last_personnel,
           label="Last year of Kathman personnel (mission-months)")
share_after = mm.loc[mm["year"] > last_personnel, "personnel_total_n"].notna().mean()
rep.result("personnel_share_after_kathman", round(float(share_after), 4),
           label="Share of mission-months after Kathman with a personnel figure")
share_partner = column_cov.query("label == 'country_years.has_partner_op' and year == 2020")["share"]
rep.result("partner_op_country_share_2020",
           round(float(share_partner.iloc[0]), 3) if len(share_partner) else None,
           label="Share of states with a partner-operation coding in 2020 (African states only)")

# %% [markdown]
# ## 2. Fatalities by cause and year
#
# One row per person in the UN fatalities file, peacekeeping operations only (political
# missions left out). Hostile = "Malicious Act".

# %%
by_cause = overview.fatalities_by_cause_year(fat, years=fatality_years)
fig = overview_plots.plot_fatalities_by_cause(by_cause, mark_years=mark_years)
display(rep.figure(fig, "fatalities_by_cause_year"))

# %%
totals = by_cause.sum()
rep.result("fatalities_total_n", int(totals.sum()),
           label=f"Peacekeeping fatalities, all causes, {fatality_years[0]}-{fatality_years[1]}")
rep.result("fatalities_hostile_n", int(totals["hostile"]),
           label=f"Peacekeeping fatalities, hostile acts, {fatality_years[0]}-{fatality_years[1]}")
hostile = by_cause["hostile"]
rep.result("hostile_peak_year", int(hostile.idxmax()), label="Year with most hostile-act deaths")
since = hostile[hostile.index >= 2013]
if len(since):
    rep.result("hostile_peak_year_since_2013", int(since.idxmax()),
               label="Year with most hostile-act deaths since 2013")
display(by_cause.tail(12))

# %% [markdown]
# ## 3. Personnel over time: the downsizing
#
# World totals of uniformed personnel (troops, police, military observers). OWID reproduces
# the UN's December figures (1947-2021); the Kathman series sums every mission's December
# figure (1990-2019). From 1992, where both exist, they agree closely (identical in most
# years), which checks both; Kathman's 1990-1991 December sums miss some missions.

# %%
fig = overview_plots.plot_personnel(personnel, peak_from=peak_from, years=personnel_years)
display(rep.figure(fig, "personnel_over_time"))

# %%
owid = personnel.dropna(subset=["personnel_total_n"]).set_index("year")["personnel_total_n"].astype(float)
owid = owid[(owid.index >= personnel_years[0]) & (owid.index <= personnel_years[1])]
after = owid[owid.index >= peak_from]
if len(after):
    peak_year, peak = int(after.idxmax()), float(after.max())
    last_year, last = int(owid.index.max()), float(owid.iloc[-1])
    rep.result("personnel_peak_year", peak_year, label=f"Year of peak uniformed personnel (from {peak_from})")
    rep.result("personnel_peak_n", peak, label="Peak uniformed personnel (OWID, December)")
    rep.result("personnel_last_year", last_year, label="Last year of the OWID series in range")
    rep.result("personnel_last_n", last, label="Uniformed personnel in the last year (OWID)")
    rep.result("personnel_change_from_peak", round(last / peak - 1, 4),
               label="Change in uniformed personnel from the peak to the last year")
both = personnel.dropna(subset=["personnel_total_n", "personnel_total_n_kathman_dec"])
both = both[both["year"] >= 1992]  # Kathman's 1990-1991 December sums miss missions
diff = (both["personnel_total_n"] - both["personnel_total_n_kathman_dec"]).abs()
rep.result("personnel_owid_kathman_max_abs_diff", float(diff.max()) if len(diff) else None,
           label="Largest OWID - Kathman difference from 1992, persons (years with both)")
rep.result("personnel_owid_kathman_equal_years", int((diff == 0).sum()),
           label="Years from 1992 in which OWID and Kathman totals are identical")

# %% [markdown]
# ## 4. Missions by mandate type
#
# Each UN PKO active in December (or in its last month of the year) is counted once with the
# mandate in force then. *Robust* = Chapter VII **and** protection of civilians. Codings:
# PEMA v2 / v1.2 and TAMM to 2019, curated Security Council resolutions after; with
# `mandate_filled = True` a mission's last coded value is carried forward over months no
# source codes (otherwise they count as "not coded").

# %%
by_mandate = overview.missions_by_mandate_type(mm, filled=mandate_filled)
fig = overview_plots.plot_missions_by_mandate(
    by_mandate,
    note="codings carried forward over uncoded months" if mandate_filled else "codings as published")
display(rep.figure(fig, "missions_by_mandate_type"))
robust = by_mandate[MANDATE_TYPES[0]]
for y in (2000, 2015, min(int(robust.index.max()), coverage_years[1])):
    if y in robust.index:
        rep.result(f"robust_missions_{y}", int(robust[y]),
                   label=f"UN PKOs with a robust mandate, December {y}")
display(by_mandate.loc[by_mandate.index >= 2000])

# %% [markdown]
# ## 5. Partner operations over time
#
# Top: non-UN peace operations (regional organisations and ad hoc coalitions) in any region,
# Bara & Hultman (1993-2016). Bottom: the curated partner operations in African host states
# (2000-2024: AU, ECOWAS, SADC, EU, NATO, France and other bilateral deployments, ad hoc
# coalitions such as the MNJTF and the G5 Sahel joint force, and private military companies).
# Hatched bars have no sourced end date.

# %%
spans = overview.partner_operation_spans(partner_ops)
counts = overview.nonun_operations_by_year(nonun)
fig = overview_plots.plot_partner_operations(spans, counts=counts)
display(rep.figure(fig, "partner_operations_timeline"))
rep.result("partner_ops_curated_n", len(partner_ops), label="Curated partner operations (African hosts)")
rep.result("partner_ops_curated_dated_n", len(spans), label="Curated partner operations with a start date")
nonun_ops = nonun.loc[~nonun["is_un"].fillna(False).astype(bool), "operation_id"]
rep.result("nonun_ops_bara_n", int(nonun_ops.nunique()),
           label="Non-UN operations in Bara & Hultman (1993-2016)")

# %% [markdown]
# ## What these data cannot answer
#
# * **Personnel after 2019** are known only from OWID world totals (to 2021) and a handful of
#   curated deployed figures: per-mission fatality *rates* stop in 2019.
# * **Partner operations outside Africa after 2016** are not coded: any non-African
#   partnership indicator after 2016 is missing, not zero.
# * **Fatalities of partner forces** (AMISOM, G5 Sahel, Barkhane) are not in the UN file: the
#   UN counts only its own personnel, so the deadliest theatres of "partnership" operations
#   are invisible here.
# * Descriptive trends say nothing about causes: that mandates became robust while hostile
#   deaths rose does not show that one produced the other (notebooks 02-04 try, with caveats).

# %%
rep.note("Personnel per mission end in 2019 (Kathman); OWID world totals end in 2021.")
rep.note("Partner operations: Bara & Hultman 1993-2016 (all regions); curated 2000-2024 for African "
         "hosts only.")
dv = data_versions(TABLES)
rep.glossary("hostile_act", "robust_mandate", "partner_operation", "partnership", "mission_month")
_need = ("personnel_peak_n", "personnel_peak_year", "personnel_change_from_peak", "personnel_last_year",
         "fatalities_hostile_n", "fatalities_total_n")
if all(k in rep.results for k in _need):
    rep.finding(
        "overview", question="How did UN peacekeeping and its deaths change, and what do the sources cover?",
        answer="Uniformed UN personnel peaked at {personnel_peak_n:count} in {personnel_peak_year} and "
               "changed "
               "by {personnel_change_from_peak:share} to {personnel_last_year}; {fatalities_hostile_n} of "
               "{fatalities_total_n} peacekeeper deaths on record were caused by hostile acts.",
        caveat="Personnel per mission end in 2019 (Kathman) and world totals in 2021 (OWID): rates stop "
               "there.")
rep.save(data_versions=dv)
rep.versions_table(dv)
