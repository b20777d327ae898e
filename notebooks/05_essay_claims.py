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
# verbatim quotation, its place in the essay, how we test it, with which tables, and the rule
# that turns our number into a verdict. The tables: UN fatalities and personnel, the mission and
# country panels, the Security Council's resolution texts (mandates coded from the texts; source:
# United Nations), UCDP/PRIO conflicts with the curated jihadist actors, Bara & Hultman's non-UN
# operations and the curated partner operations.
#
# **Method.** Each claim has one evaluation function in `analysis.studies.claims` (frames in,
# verdict out: our number, the essay's number, *supported* / *partly supported* /
# *contradicted* / *not testable*, the data vintage, a caveat). The verdict tiers of each rule
# are written in the claims file (the configuration, in the appendix).
#
# **Read this first.**
# * "Casualties" in the essay are deaths: for the Cruz Report's 91 (MINUSMA 2013-2017) deaths
#   from hostile acts, for the 309 "as of 30 June 2023" all fatalities, as on the UN page the
#   essay cites.
# * A verdict tests the claim as operationalised in the file, not every reading of the essay's
#   words. Causal statements can at most be *partly supported* by descriptive data.
# * Statements our data cannot test are listed with the reason: no row is skipped.

# %% tags=["parameters"]
output_dir: str = ""  # set by the runner (peaceops run); empty: write nothing
tolerance_pct: float = 5.0  # tolerance of the 'equals_within' rules that are not exact, percent
claims: str | list[str] = "all"  # "all", or claim ids (list or comma-separated string)
figures: bool = True  # draw one figure per claim where a figure helps (the verdict overview is always drawn)

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import Markdown, display

from analysis.labels import plain_headers
from analysis.plots import claims as plots_claims
from analysis.reporting import Reporter
from analysis.studies import claims as cl

PARAMS = dict(tolerance_pct=tolerance_pct, claims=claims, figures=figures)
rep = Reporter(output_dir, notebook="05_essay_claims", parameters=PARAMS)
rep.glossary("hostile_act", "chapter_vii", "robust_mandate", "partnership", "partner_operation")
claims_table = cl.load_claims()
selected = cl.select_claims(claims_table, claims)
rep.diagnostic(f"{len(selected)} of {len(claims_table)} claims selected; tables needed: "
               f"{', '.join(cl.tables_needed(selected))}")
verdicts = cl.evaluate_all(claims=claims, claims_table=claims_table, tolerance=tolerance_pct / 100)
assert [v.claim_id for v in verdicts] == list(selected["claim_id"]), "a claim was skipped"
table = cl.verdict_table(verdicts, claims_table)
table["claim"] = table["claim_id"].map(cl.claim_title)

# %% [markdown]
# ## 1. The verdicts
#
# Every selected claim with our number, the essay's and the verdict; the claims are in the
# order of the claims file. Section 2 gives each claim's test, rule, caveat and evidence.

# %%
counts = table["verdict"].value_counts().reindex(list(cl.VERDICTS), fill_value=0)
for verdict, n in counts.items():
    rep.result(f"n_{verdict.replace(' ', '_')}", int(n), label=f"Claims {verdict}", format="count")
rep.result("n_claims", len(table), label="Claims evaluated", format="count")
for v in verdicts:
    rep.result(f"{v.claim_id}.verdict", v.verdict, label=f"{cl.claim_title(v.claim_id)}: verdict")
    rep.result(f"{v.claim_id}.our_number", v.our_number,
               label=f"{cl.claim_title(v.claim_id)}: {v.measure or 'not testable'}")
n_ok = int(counts["supported"])
if len(table):
    display(rep.figure(plots_claims.plot_verdict_overview(table), "verdict_overview", main=True,
                       title=f"{n_ok} of {len(table)} claims are supported by the data, "
                             f"{int(counts['partly supported'])} partly, {int(counts['contradicted'])} "
                             f"contradicted; {int(counts['not testable'])} cannot be tested",
                       description="One row per claim, coloured by verdict, with our number and the "
                                   "essay's.",
                       data=table[["claim_id", "claim", "verdict", "our_number", "essay_number"]]))
shown = table.assign(essay_number=table["essay_number"].map(lambda x: None if pd.isna(x) else f"{x:g}"))
display(rep.table(shown[["claim", "quotation", "our_number", "essay_number", "verdict"]], "verdicts",
                  caption="Every claim: the essay's words, our number, the essay's number and the verdict",
                  formats={"our_number": "text", "essay_number": "text", "quotation": "text"},
                  headers={"claim": "claim", "quotation": "the essay says", "our_number": "our number",
                           "essay_number": "essay's number"}))

# %% [markdown]
# ## 2. Claim by claim
#
# For each claim: the quotation and where it stands, how we test it, the verdict with our
# number and the essay's, the caveat, the sensitivity table where there is one, and a figure
# where a figure helps.

# %%
rows = claims_table.set_index("claim_id")
for v in verdicts:
    r = rows.loc[v.claim_id]
    title = cl.claim_title(v.claim_id)
    essay = "" if v.essay_number is None else f"; essay: **{v.essay_number:g}**"
    ours = "—" if v.our_number is None else v.our_number
    display(Markdown(
        f"### {title}\n\n> {r['quotation']}\n\n*{r['section']}* ({r['source']})\n\n"
        + (f"**Test.** {r['operationalisation']}\n\n**Rule.** {r['rule']}\n\n" if r["is_testable"] else "")
        + f"**Verdict: {v.verdict}.** Ours: **{ours}** ({v.measure or 'not testable'}){essay}.\n\n"
        + f"{v.caveat}\n\n" + (f"*Data:* {v.data_vintage}" if v.data_vintage else "")
    ))
    if not v.sensitivity.empty:
        display(rep.table(v.sensitivity, f"sensitivity_{v.claim_id}", labels=False,
                          headers=plain_headers(v.sensitivity.columns),
                          caption=f"{title}: other definitions and their numbers"))
    fig = plots_claims.plot_claim(v, tolerance=tolerance_pct / 100) if figures else None
    if fig is not None:
        display(rep.figure(fig, f"claim_{v.claim_id}", data=v.detail,
                           title=f"{title}: {v.verdict} (ours {ours}"
                                 + ("" if v.essay_number is None else f", essay {v.essay_number:g}") + ")",
                           description=f"The essay: \u201c{r['quotation']}\u201d"))
    elif v.verdict != "not testable" and 0 < len(v.detail) <= 20:
        display(rep.table(v.detail, f"detail_{v.claim_id}", labels=False,
                          headers=plain_headers(v.detail.columns), caption=f"{title}: the evidence"))

# %% [markdown]
# ## What this audit cannot do
#
# * **Casualties of non-UN operations** (AMISOM/ATMIS, G5 Sahel, Barkhane) are not in any of our
#   sources: the essay's claims about them stay untested.
# * **Personnel and partner operations after 2019/2016** are thin: UN totals end in 2021 (OWID),
#   non-UN operations outside Africa end in 2016 (Bara & Hultman).
# * **Mandates before 2000** are PEMA/TAMM codings; from 2000 they are read from the Security
#   Council's texts, which say what the Council asked, not what operations did.
# * **Causal claims** (coups as an effect of the GWOT-IPO convergence) need the models of
#   notebook 04; here only timing and association are checked.

# %%
for v in verdicts:
    if v.verdict == "not testable":
        rep.note(f"{cl.claim_title(v.claim_id)}: not testable. {v.caveat}")
rep.note("'Casualties' are deaths: hostile acts for the Cruz Report's 91, all causes for the 309 of "
         "30 June 2023; later registration of deaths explains small differences (see the caveats).")
rep.note("Mandate texts: Security Council resolutions (UN DGACM); source: United Nations.")
dv = cl.claims_data_versions(selected)
_verdicts = ("n_supported", "n_partly_supported", "n_contradicted", "n_not_testable")
_parts = [f"{{{k}}} {k[2:].replace('_', ' ')}" for k in _verdicts]
rep.finding("claims", question="Which of the essay's checkable claims hold in the data?",
            answer="Of {n_claims} claims: " + ", ".join(_parts) + ".",
            caveat="Verdicts compare the essay's numbers with ours at the stated tolerance; data vintages "
                   "differ.")
_key = [v for v in verdicts if v.verdict in ("contradicted", "partly supported")]
if _key:
    _by = {k: [v for v in _key if v.verdict == k] for k in ("contradicted", "partly supported")}
    rep.finding("key_verdicts", question="Which claims do the data not bear out in full?",
                answer=" ".join(
                    f"{k.capitalize()}: " + "; ".join(
                        f"{cl.claim_title(v.claim_id)}: ours {{{v.claim_id}.our_number}}"
                        + ("" if v.essay_number is None else f" against the essay's {v.essay_number:g}")
                        + (f" ({v.measure})" if v.measure else "")
                        for v in vs) + "."
                    for k, vs in _by.items() if vs),
                caveat="Each verdict's reasons, sensitivity and evidence are in section 2.")
display(rep.table(claims_table, "claims_file", appendix=True, labels=False,
                  caption="Configuration: the claims file data/curated/essay_claims.csv"))
rep.save(data_versions=dv)
