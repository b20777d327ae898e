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
# # 05 The essay's claims against the data
#
# **Question.** Which factual statements of the essay on the global war on terror (GWOT) and
# international peace operations do our data support, which do they contradict, and which can
# they not test?
#
# **Data.** One row per checkable statement in `data/curated/essay_claims.csv`: a short
# verbatim quotation, its place in the essay (section and line of the text copy), how we test
# it, with which tables and columns, and the rule that turns our number into a verdict. The
# tables: UN fatalities (`un_fatalities`), UN personnel totals (`un_personnel_yearly_total`,
# OWID), the mission and country panels (`mission_months`, `mission_years`, `country_years`),
# UCDP/PRIO conflicts with the curated jihadist actors, Bara & Hultman's non-UN operations and
# the curated partner operations and mandates.
#
# **Method.** Each claim has one evaluation function in `analysis.studies.claims` (frames in, verdict
# out: our number, the essay's number, *supported* / *partly supported* / *contradicted* /
# *not testable*, the data vintage, a caveat and a detail frame). The verdict tiers of each rule
# are written in the claims file; figures come from `analysis.plots.claims`.
#
# **Read this first.**
# * "Casualties" in the essay are deaths: for the Cruz Report's 91 (MINUSMA 2013-2017) deaths
#   from hostile acts, for the 309 "as of 30 June 2023" all fatalities, as on the UN page the
#   essay cites. The sensitivity tables show other definitions.
# * Where our number differs because the data were updated after the essay (a death registered
#   later, for example), the caveat says so; nothing is adjusted.
# * A verdict tests the claim as operationalised in the file, not every reading of the essay's
#   words. Causal statements ("an indication of the effects") can at most be *partly supported*
#   by descriptive data.
# * Statements our data cannot test are listed with the reason: no row is skipped.

# %% tags=["parameters"]
output_dir: str = ""  # set by the runner (peaceops run); empty: write nothing
tolerance_pct: float = 5.0  # tolerance of the 'equals_within' rules that are not exact, percent
claims: str | list[str] = "all"  # "all", or claim ids (list or comma-separated string)
figures: bool = True  # draw one figure per claim where a figure helps

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import Markdown, display

from analysis.plots import claims as plots_claims
from analysis.reporting import Reporter
from analysis.studies import claims as cl

PARAMS = dict(tolerance_pct=tolerance_pct, claims=claims, figures=figures)
rep = Reporter(output_dir, notebook="05_essay_claims", parameters=PARAMS)
pd.set_option("display.max_colwidth", 200)

claims_table = cl.load_claims()
selected = cl.select_claims(claims_table, claims)
print(f"{len(selected)} of {len(claims_table)} claims selected; tables needed: {cl.tables_needed(selected)}")
claims_table[["claim_id", "section", "quotation", "essay_number", "rule_kind", "threshold", "is_testable"]]

# %% [markdown]
# ## 1. Every selected claim, evaluated
#
# `evaluate_all` checks that every row has an evaluation function (and every function a
# row), loads each table once and evaluates the rows in file order. Rows our data cannot test
# come back as *not testable* with the reason from the file.

# %%
verdicts = cl.evaluate_all(claims=claims, claims_table=claims_table, tolerance=tolerance_pct / 100)
assert [v.claim_id for v in verdicts] == list(selected["claim_id"]), "a claim was skipped"
table = cl.verdict_table(verdicts, claims_table)
table[["claim_id", "our_number", "essay_number", "verdict", "data_vintage", "caveat"]]

# %%
counts = table["verdict"].value_counts().reindex(list(cl.VERDICTS), fill_value=0)
for verdict, n in counts.items():
    rep.result(f"n_{verdict.replace(' ', '_')}", int(n), label=f"Claims {verdict}")
rep.result("n_claims", len(table), label="Claims evaluated")
display(counts.rename("claims").to_frame())
if figures:
    display(rep.figure(plots_claims.plot_verdict_overview(table), "verdict_overview", main=True))

# %% [markdown]
# ## 2. Claim by claim
#
# For each claim: the quotation and where it stands, how we test it, the verdict with our
# number and the essay's, the caveat, the sensitivity table where there is one, and a figure
# where a figure helps. Each verdict and number is recorded in `results.json`
# (`<claim_id>.verdict`, `<claim_id>.our_number`).

# %%
rows = claims_table.set_index("claim_id")
for v in verdicts:
    r = rows.loc[v.claim_id]
    essay = "" if v.essay_number is None else f"; essay: **{v.essay_number:g}**"
    ours = "-" if v.our_number is None else v.our_number
    display(Markdown(
        f"### `{v.claim_id}`\n\n> {r['quotation']}\n\n*{r['section']}* ({r['source']})\n\n"
        + (f"**Test.** {r['operationalisation']}\n\n**Rule.** {r['rule']}\n\n" if r["is_testable"] else "")
        + f"**Verdict: {v.verdict}.** Ours: **{ours}** ({v.measure or 'not testable'}){essay}.\n\n"
        + f"{v.caveat}\n\n" + (f"*Data:* {v.data_vintage}" if v.data_vintage else "")
    ))
    rep.result(f"{v.claim_id}.verdict", v.verdict, label=f"{v.claim_id}: verdict")
    rep.result(f"{v.claim_id}.our_number", v.our_number, label=f"{v.claim_id}: {v.measure or 'not testable'}")
    if not v.sensitivity.empty:
        display(v.sensitivity)
    if figures:
        fig = plots_claims.plot_claim(v, tolerance=tolerance_pct / 100)
        if fig is not None:
            display(rep.figure(fig, f"claim_{v.claim_id}"))

# %% [markdown]
# ## What this audit cannot do
#
# * **Casualties of non-UN operations** (AMISOM/ATMIS, G5 Sahel, Barkhane) are not in any of our
#   sources: the essay's claims about them stay untested.
# * **Personnel and partner operations after 2019/2016** are thin: UN totals end in 2021 (OWID),
#   non-UN operations outside Africa end in 2016 (Bara & Hultman).
# * **Chapter VII after 2015** is settled only where a curated source states it.
# * **Causal claims** (coups as an effect of the GWOT-IPO convergence) need the models of
#   notebook 04; here only timing and association are checked.

# %%
for v in verdicts:
    if v.verdict == "not testable":
        rep.note(f"{v.claim_id} not testable: {v.caveat}")
rep.note("'Casualties' are deaths: hostile acts for the Cruz Report's 91, all causes for the 309 of "
         "30 June 2023; later registration of deaths explains small differences (see the caveats).")
dv = cl.claims_data_versions(selected)
_verdicts = ("n_supported", "n_partly_supported", "n_contradicted", "n_not_testable")
_parts = [f"{{{k}}} {k[2:].replace('_', ' ')}" for k in _verdicts if k in rep.results]
if "n_claims" in rep.results and _parts:
    rep.finding("claims", question="Which of the essay's checkable claims hold in the data?",
                answer="Of {n_claims} claims: " + ", ".join(_parts) + ".",
                caveat="Verdicts compare the essay's numbers with ours at the stated tolerance; vintages "
                       "differ.")
rep.save(data_versions=dv)
rep.versions_table(dv)
