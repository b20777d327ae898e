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
# **Data.** The registered sources (`analysis/data/registry.csv`), the panels `mission_months`
# (UN operation x month) and `country_years` (state x year), the UN fatalities and personnel
# totals, Bara & Hultman's non-UN operations and the curated partner operations. Mandates come
# from the Security Council's own texts for 2000-2025 (*source: United Nations*), from PEMA and
# TAMM before; notebook 08 shows how the war-on-terror vocabulary entered them, with the
# paragraphs behind every point.
#
# **Method.** Counts and coverage only; no model. All logic is in `analysis.studies.overview` and
# `analysis.plots.overview`.
#
# **Limits.** Coverage is uneven (next section): mission personnel stop in 2019 (Kathman),
# non-UN operations are complete for every region only 1993-2016 (Bara & Hultman) and
# afterwards only for African hosts (curated). A missing value is never a zero.

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
from analysis.labels import source_label
from analysis.plots import overview as overview_plots
from analysis.reporting import Reporter
from analysis.studies import overview, select
from analysis.vocabulary import MANDATE_TYPES

PARAMS = dict(fatality_years=fatality_years, personnel_years=personnel_years, mark_years=mark_years,
              peak_from=peak_from, mandate_filled=mandate_filled, coverage_years=coverage_years)
rep = Reporter(output_dir, notebook="01_data_overview", parameters=PARAMS)
rep.glossary("hostile_act", "robust_mandate", "chapter_vii", "partner_operation", "partnership",
             "mission_month", "state_year")
TABLES = ["mission_months", "country_years", "un_fatalities", "un_personnel_yearly_total",
          "nonun_operations_monthly"]
DV = data_versions(TABLES)
mm = load("mission_months")
cy = load("country_years")
fat = load("un_fatalities")
personnel = load("un_personnel_yearly_total")
nonun = load("nonun_operations_monthly")
partner_ops = load_partner_operations()

# %% [markdown]
# ## 1. Coverage of every source
#
# First the years each registered source covers (from the registry), then the share of rows
# with a value, per year, for the columns the notebooks use: the coverage that survives the
# fill rules (NA outside a source's years). Light cells: only some rows have a value (e.g.
# personnel after 2019, partner operations outside Africa after 2016).

# %%
files = raw_files()
sources = sorted({f.source for f in files})
rep.result("raw_files_n", len(files), label="Registered raw files", format="count")
rep.result("sources_n", len(sources), label="Registered sources", format="count")
reg_cov = overview.coverage_from_registry(files, names={s: source_label(s) for s in sources})
fig = overview_plots.plot_coverage(reg_cov, title="Years covered by each registered source",
                                   source="analysis/data/registry.csv (year_start, year_end of each file)",
                                   xlim=(1940, max(int(reg_cov["year"].max()), 2025)))
n_now = int(reg_cov.groupby("label")["year"].max().ge(2024).sum())
reg_spans = reg_cov.groupby(["group", "label"], sort=False)["year"].agg(["min", "max", "size"]).reset_index()
reg_spans.columns = ["source", "label", "first_year", "last_year", "years_n"]
display(rep.figure(fig, "coverage_raw_files", data=reg_spans,
                   title=f"{len(sources)} sources in {len(files):,} registered files; {n_now} reach 2024 or "
                         "later, the Security Council's texts cover 2000-2025",
                   description="One row per registered source: the years its files cover."))

# %%
coverage_columns = {
    "mission_months": ["fatalities_hostile_n", "personnel_total_n", "is_chapter_vii", "has_poc_mandate",
                       "has_use_of_force", "has_offensive_mandate", "is_robust_mandate",
                       "has_ct_pve_language", "has_nonun_op_bara", "has_partner_op_curated", "has_partner_op",
                       "deaths_state_based_n"],
    "country_years": ["has_coup_attempt", "has_un_pko", "has_partner_op", "has_partnership",
                      "has_conflict", "gdp_pc_usd", "v2x_polyarchy", "polity2", "us_troops_n"],
}
PANEL_NAMES = {"mission_months": "operation-months", "country_years": "state-years"}
frames = {"mission_months": select.select_years(mm, coverage_years),
          "country_years": select.select_years(cy, coverage_years)}
column_cov = overview.column_coverage(frames, coverage_columns, names=PANEL_NAMES)
fig = overview_plots.plot_coverage(
    column_cov,
    title=f"Share of rows with a value, analysis panels, {coverage_years[0]}-{coverage_years[1]}",
    source="mission_months (UN operation x month), country_years (G-W state x year)")
overall = column_cov.groupby("label")["share"].mean()
thin = overall[overall < 0.5].sort_values()
display(rep.figure(fig, "coverage_panel_columns", main=True, data=column_cov,
                   title=(f"{len(thin)} of {len(overall)} panel columns have a value in fewer than half of "
                          f"their rows: " + ", ".join(thin.index[:4]) + ("..." if len(thin) > 4 else ""))
                   if len(thin) else "Every panel column has a value in at least half of its rows",
                   description="Share of the panel's rows with a value, per column and year; the number at "
                               "the right is the share over all years."))

# %%
last_personnel = mm.loc[mm["personnel_source"] == "kathman", "year"].max()
rep.result("personnel_last_year_kathman", last_personnel, format="year",
           label="Last year of Kathman personnel (mission-months)")
share_after = mm.loc[mm["year"] > last_personnel, "personnel_total_n"].notna().mean()
rep.result("personnel_share_after_kathman", round(float(share_after), 4), format="share",
           label="Share of mission-months after Kathman with a personnel figure")
share_partner = column_cov[(column_cov["group"] == PANEL_NAMES["country_years"])
                           & (column_cov["column"] == "has_partner_op")
                           & (column_cov["year"] == 2020)]["share"]
rep.result("partner_op_country_share_2020",
           round(float(share_partner.iloc[0]), 3) if len(share_partner) else None, format="share",
           label="Share of states with a partner-operation coding in 2020 (African states only)")

# %% [markdown]
# ## 2. Fatalities by cause and year
#
# One row per person in the UN fatalities file, peacekeeping operations only (political
# missions left out). Hostile = "Malicious Act".

# %%
by_cause = overview.fatalities_by_cause_year(fat, years=fatality_years)
totals = by_cause.sum()
rep.result("fatalities_total_n", int(totals.sum()), format="count",
           label=f"Peacekeeping fatalities, all causes, {fatality_years[0]}-{fatality_years[1]}")
rep.result("fatalities_hostile_n", int(totals["hostile"]), format="count",
           label=f"Peacekeeping fatalities, hostile acts, {fatality_years[0]}-{fatality_years[1]}")
hostile = by_cause["hostile"]
rep.result("hostile_peak_year", int(hostile.idxmax()), label="Year with most hostile-act deaths",
           format="year")
since = hostile[hostile.index >= 2013]
if len(since):
    rep.result("hostile_peak_year_since_2013", int(since.idxmax()), format="year",
               label="Year with most hostile-act deaths since 2013")
fig = overview_plots.plot_fatalities_by_cause(by_cause, mark_years=mark_years)
peak_txt = f"; since 2013 the worst year was {int(since.idxmax())} ({int(since.max())})" if len(since) else ""
display(rep.figure(fig, "fatalities_by_cause_year", data=by_cause,
                   title=f"{int(totals['hostile']):,} of {int(totals.sum()):,} peacekeeper deaths were "
                         f"caused by hostile acts; the deadliest year for them was {int(hostile.idxmax())} "
                         f"({int(hostile.max())}){peak_txt}",
                   description="Deaths of UN peacekeeping personnel per year, stacked by cause."))
recent = by_cause.tail(12).reset_index()
display(rep.table(recent, "fatalities_recent",
                  caption=f"Peacekeeper deaths by cause, the last {len(recent)} years",
                  formats={c: "count" for c in by_cause.columns}, labels=False,
                  headers={c: c.replace("_", " ") for c in by_cause.columns}))

# %% [markdown]
# ## 3. Personnel over time: the downsizing
#
# World totals of uniformed personnel (troops, police, military observers). OWID reproduces
# the UN's December figures (1947-2021); the Kathman series sums every mission's December
# figure (1990-2019). From 1992, where both exist, they agree closely (identical in most
# years), which checks both; Kathman's 1990-1991 December sums miss some missions.

# %%
owid = personnel.dropna(subset=["personnel_total_n"]).set_index("year")["personnel_total_n"].astype(float)
owid = owid[(owid.index >= personnel_years[0]) & (owid.index <= personnel_years[1])]
after = owid[owid.index >= peak_from]
if len(after):
    peak_year, peak = int(after.idxmax()), float(after.max())
    last_year, last = int(owid.index.max()), float(owid.iloc[-1])
    rep.result("personnel_peak_year", peak_year, label=f"Year of peak uniformed personnel (from {peak_from})",
               format="year")
    rep.result("personnel_peak_n", peak, label="Peak uniformed personnel (OWID, December)", format="count")
    rep.result("personnel_last_year", last_year, label="Last year of the OWID series in range", format="year")
    rep.result("personnel_last_n", last, label="Uniformed personnel in the last year (OWID)", format="count")
    rep.result("personnel_change_from_peak", round(last / peak - 1, 4), format="share",
               label="Change in uniformed personnel from the peak to the last year")
both = personnel.dropna(subset=["personnel_total_n", "personnel_total_n_kathman_dec"])
both = both[both["year"] >= 1992]  # Kathman's 1990-1991 December sums miss missions
diff = (both["personnel_total_n"] - both["personnel_total_n_kathman_dec"]).abs()
rep.result("personnel_owid_kathman_max_abs_diff", float(diff.max()) if len(diff) else None, format="count",
           label="Largest OWID - Kathman difference from 1992, persons (years with both)")
rep.result("personnel_owid_kathman_equal_years", int((diff == 0).sum()), format="count",
           label="Years from 1992 in which OWID and Kathman totals are identical")
fig = overview_plots.plot_personnel(personnel, peak_from=peak_from, years=personnel_years)
shown = personnel[personnel["year"].between(*personnel_years)]
display(rep.figure(fig, "personnel_over_time",
                   data=shown[["year", "personnel_total_n", "troops_n", "police_n", "observers_n",
                               "personnel_total_n_kathman_dec"]],
                   title=(f"Uniformed UN personnel peaked at {peak:,.0f} in {peak_year} and fell by "
                          f"{-(last / peak - 1):.0%} to {last:,.0f} in {last_year}") if len(after)
                   else "Uniformed UN personnel per year",
                   description="World totals of uniformed UN peacekeeping personnel in December (OWID), by "
                               "kind, and the sum of every mission's December figure (Kathman)."))

# %% [markdown]
# ## 4. Missions by mandate type
#
# Each UN operation active in December (or in its last month of the year) is counted once with
# the mandate in force then. *Robust* = Chapter VII **and** protection of civilians. For
# 2000-2025 both are read from the Security Council's resolutions (the governing resolution of
# each month; PEMA/TAMM where no text decides, and before 2000); with `mandate_filled = True`
# a mission's last coded value is carried forward over months no source codes (otherwise they
# count as "not coded"). The vocabulary of the war on terror in the same mandates (CT/PVE
# language, stabilisation, offensive tasks, partnership) is in notebook 08.

# %%
by_mandate = overview.missions_by_mandate_type(mm, filled=mandate_filled)
robust = by_mandate[MANDATE_TYPES[0]]
shown_years = [y for y in (2000, 2015, min(int(robust.index.max()), coverage_years[1])) if y in robust.index]
for y in shown_years:
    rep.result(f"robust_missions_{y}", int(robust[y]), label=f"UN PKOs with a robust mandate, December {y}",
               format="count")
fig = overview_plots.plot_missions_by_mandate(
    by_mandate,
    note="codings carried forward over uncoded months" if mandate_filled else "codings as published")
display(rep.figure(fig, "missions_by_mandate_type", data=by_mandate,
                   title="UN operations with a robust mandate: " + ", ".join(
                       f"{int(robust[y])} in {y}" for y in shown_years),
                   description="Active UN peacekeeping operations per year by mandate type (Chapter VII, "
                               "protection of civilians)."))
recent_mandates = by_mandate.loc[by_mandate.index >= 2000].reset_index()
display(rep.table(recent_mandates, "missions_by_mandate_type",
                  caption="UN operations active in December by mandate type, 2000 onward",
                  formats={c: "count" for c in by_mandate.columns}, labels=False))

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
rep.result("partner_ops_curated_n", len(partner_ops), label="Curated partner operations (African hosts)",
           format="count")
rep.result("partner_ops_curated_dated_n", len(spans), label="Curated partner operations with a start date",
           format="count")
nonun_ops = nonun.loc[~nonun["is_un"].fillna(False).astype(bool), "operation_id"]
rep.result("nonun_ops_bara_n", int(nonun_ops.nunique()), format="count",
           label="Non-UN operations in Bara & Hultman (1993-2016)")
fig = overview_plots.plot_partner_operations(spans, counts=counts)
per_year = counts.sum(axis=1)
display(rep.figure(fig, "partner_operations_timeline", data=spans,
                   title=f"{int(nonun_ops.nunique())} non-UN operations worldwide 1993-2016 (at most "
                         f"{int(per_year.max())} in one year, {int(per_year.idxmax())}); {len(spans)} dated "
                         f"partner operations in African hosts since 2000",
                   description="Top: non-UN peace operations active per year (Bara & Hultman). Bottom: each "
                               "curated partner operation in an African host state, from start to end."))

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
rep.note("Mandates 2000-2025 are read from the Security Council's resolutions (source: United Nations); "
         "PEMA/TAMM before 2000 and where no text decides.")
_need = ("personnel_peak_n", "personnel_peak_year", "personnel_change_from_peak", "personnel_last_year",
         "fatalities_hostile_n", "fatalities_total_n")
if all(k in rep.results for k in _need):
    rep.finding(
        "overview", question="How did UN peacekeeping and its deaths change, and what do the sources cover?",
        answer="Uniformed UN personnel peaked at {personnel_peak_n:count} in {personnel_peak_year} and "
               "changed by {personnel_change_from_peak:share} to {personnel_last_year}; "
               "{fatalities_hostile_n} of {fatalities_total_n} peacekeeper deaths on record were caused by "
               "hostile acts.",
        caveat="Personnel per mission end in 2019 (Kathman) and world totals in 2021 (OWID): rates stop "
               "there.")
if shown_years:
    rep.finding(
        "mandates", question="Did UN mandates become robust after 2000?",
        answer="UN operations with a robust mandate (Chapter VII and protection of civilians) in December: "
               + ", ".join(f"{{robust_missions_{y}}} in {y}" for y in shown_years) + ".",
        caveat="Read from the Security Council's resolutions for 2000-2025; a mandate says what the Council "
               "asked, not what the operation did.")
rep.save(data_versions=DV)
