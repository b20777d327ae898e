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
# # 08 Mandate texts: the war-on-terror vocabulary in UN peacekeeping mandates
#
# **Question.** The essay argues that the Global War on Terror reshaped UN peace operations. The
# most direct trace is in the mandates the Security Council writes: from 2000 to 2025, how many UN
# peacekeeping operations (PKOs) had a mandate in force that speaks of counter-terrorism or violent
# extremism, tasks them with stabilisation or offensive ("neutralise") action, or ties them to a
# parallel force (regional, ad hoc coalition, a single state's forces, the EU)? And how far can
# codings read from the texts be trusted?
#
# **Data.** The Security Council's own texts of every resolution adopted 2000-2025 (Akoma Ntoso
# XML published by the UN's Department for General Assembly and Conference Management; *Source:
# United Nations* - the UN asks to be acknowledged as the source of its texts). The data layer
# codes each mandate resolution with the rules of `analysis/core/mandate_rules.csv` and keeps the
# deciding paragraph: `sc_mandate_codings`, `sc_mandate_partnerships`, and the mandate in force per
# operation and month, `sc_mandates_monthly`.
#
# **Method.** Each operation active in a year counts once, with the mandate in force in its last
# active month up to `month` (December by default). An operation *carries* a concept, does not,
# or is *undecided* (its mandate dates from before 2000, is only extended, and no source codes the
# concept): undecided operations are never counted as "no"; the band in each panel shows how far
# they could move the share. Logic in `analysis.studies.mandate_texts`, figures in
# `analysis.plots.mandate_texts`.
#
# **Read this first.**
# * The concepts are **vocabulary and tasks in the text**, not what operations did on the ground.
#   CT/PVE language counts any operative paragraph that speaks of terrorism or violent extremism,
#   including demands on armed groups to cut ties with terrorist organisations.
# * Every point is one click from its evidence: the cells of Table 1 open a page listing, for that
#   concept and year, each operation with its resolution in force, the deciding paragraph, a quote
#   of at most 300 characters and a link to the resolution on the UN's documents site.

# %% tags=["parameters"]
output_dir: str = ""  # set by the runner (peaceops run); empty: write nothing
years: list[int] = [2000, 2025]  # years of the diffusion (the texts cover 2000-2025)
month: int = 12  # snapshot month: each operation's mandate in force in its last active month up to this one
# concepts shown, in order (see analysis.studies.mandate_texts.CONCEPTS)
concepts: list[str] = ["has_ct_pve_language", "has_stabilisation_mandate", "has_offensive_mandate",
                       "has_partnership_regional", "has_partnership_ad_hoc", "has_partnership_bilateral",
                       "has_partnership_eu"]
evidence_pages: bool = True  # write one evidence page per concept (linked from the table's cells)
validation: bool = True  # agreement with PEMA/TAMM, the metadata flag, the curated table, the gold set

# %%
# %matplotlib inline
from IPython.display import display

from analysis.core import mandate_validation as mv
from analysis.curated import load_mandates
from analysis.data import data_versions, load
from analysis.labels import label
from analysis.plots import mandate_texts as plots
from analysis.reporting import Reporter
from analysis.studies import mandate_texts as mt
from analysis.vocabulary import check_option

PARAMS = dict(years=years, month=month, concepts=concepts, evidence_pages=evidence_pages,
              validation=validation)
rep = Reporter(output_dir, notebook="08_mandate_texts", parameters=PARAMS)
for c in concepts:
    check_option("concepts", c, mt.CONCEPTS)
rep.glossary("ct_pve", "mandate_in_force", "undecided", "parallel_force", "chapter_vii", "kappa",
             "gold_set", *concepts)
TABLES = ["sc_mandates_monthly", "sc_mandate_codings", "sc_mandate_partnerships", "sc_resolutions"]
if validation:
    TABLES += ["sc_paragraphs", "sc_mission_resolutions", "mandates_monthly"]
DV = data_versions(TABLES)
monthly = load("sc_mandates_monthly")
codings = load("sc_mandate_codings")
partnerships = load("sc_mandate_partnerships")
resolutions = load("sc_resolutions")

# %% [markdown]
# ## 1. How far the vocabulary spread, year by year
#
# One panel per concept: the share of UN PKOs whose mandate in force carries it, among the
# operations whose value is decided; the band is the range if the undecided ones carried it or
# not. Table 1 gives each point as "share (carrying of decided)"; a click opens the paragraphs.

# %%
snap = mt.mandate_in_force(monthly, month=month, years=years, concepts=concepts)
diff = mt.diffusion(snap, concepts)
summary = mt.diffusion_summary(diff)
for r in summary.itertuples(index=False):
    c = r.concept
    rep.result(f"{c}.first_year", r.first_year, label=f"{label(c)}: first year of the window", format="year")
    rep.result(f"{c}.first_carrying_year", r.first_carrying_year, format="year",
               label=f"{label(c)}: first year an operation's mandate in force carries it")
    rep.result(f"{c}.peak_share", round(r.peak_share, 4), format="share",
               label=f"{label(c)}: largest share of decided operations carrying it")
    rep.result(f"{c}.peak_year", r.peak_year, format="year", label=f"{label(c)}: year of the largest share")
    rep.result(f"{c}.peak_carrying_n", r.peak_carrying_n, format="count",
               label=f"{label(c)}: operations carrying it in the year of the largest share")
    rep.result(f"{c}.peak_decided_n", r.peak_decided_n, format="count",
               label=f"{label(c)}: operations decided in the year of the largest share")
    rep.result(f"{c}.share_last", round(r.share_last, 4), format="share",
               label=f"{label(c)}: share of decided operations carrying it in {r.last_year}")
first, last = diff["year"].min(), diff["year"].max()
rep.result("pkos_first_year_n", int(diff.loc[diff["year"] == first, "active_n"].iloc[0]), format="count",
           label=f"UN PKOs counted in {first}")
rep.result("pkos_last_year_n", int(diff.loc[diff["year"] == last, "active_n"].iloc[0]), format="count",
           label=f"UN PKOs counted in {last}")
spread = summary.dropna(subset=["first_carrying_year"]).sort_values("first_carrying_year")
late = spread[spread["share_first"] == 0]
fig_title = (f"{len(late)} of {len(summary)} concepts are in no mandate in force in {first} and enter later: "
             + ", ".join(f"{label(r.concept)} ({r.first_carrying_year})" for r in late.itertuples())
             if len(late) else f"Every concept is already in a mandate in force in {first}")
fig = plots.plot_diffusion(diff, concepts)
display(rep.figure(fig, "diffusion", main=True, title=fig_title,
                   description="Per concept and year: the share of UN peacekeeping operations whose mandate "
                               "in force carries it (line: among decided operations; band: range if the "
                               "undecided carried it or not).",
                   data=diff.drop(columns=["carrying", "not_carrying", "undecided"])))

# %%
links: dict = {}
if evidence_pages:
    ev = mt.evidence(snap, codings, partnerships, resolutions, concepts)
    for c in concepts:
        link = rep.page(c, title=f"Evidence: {label(c)}, {first}-{last}",
                        intro="Each year lists the UN peacekeeping operations whose mandate in force carries "
                              f"<b>{label(c)}</b>, with the resolution in force, the resolution and "
                              "paragraph that decide it, a quoted span and links to the texts on the UN's "
                              "documents site; then those that do not and those undecided. Source of the "
                              "texts: United Nations.",
                        parts=mt.evidence_page_parts(c, diff, ev, snap, resolutions))
        if link:
            links[c] = link
    rep.result("evidence_rows_n", len(ev), format="count",
               label="Operation-years carrying a concept, each with its evidence")
grid = mt.diffusion_grid(diff, concepts,
                         href=(lambda c, y: f"{links[c]}#y{y}" if c in links else None))
display(rep.table(grid, "diffusion_grid", labels=False, formats={label(c): "text" for c in concepts},
                  caption="Share of UN PKOs whose mandate in force carries each concept (carrying of decided "
                          "operations); each cell links to its paragraphs",
                  links={label(c): f"{c}_href" for c in concepts}))

# %% [markdown]
# ## 2. Who carries it
#
# The operations behind the largest share of each concept, and how many operations were
# undecided each year (mostly the traditional missions whose mandates date from before 2000:
# UNTSO, UNMOGIP, UNFICYP, UNDOF, MINURSO, UNMIK).

# %%
peaks = summary.merge(diff, left_on=["concept", "peak_year"], right_on=["concept", "year"], how="left")
peaks = peaks.assign(concept=peaks["concept"].map(label))[
    ["concept", "first_carrying_year", "peak_year", "peak_share", "carrying_n", "decided_n", "carrying",
     "undecided"]]
display(rep.table(peaks, "peaks", caption="Year of the largest share of each concept and the operations "
                  "carrying it", formats={"peak_share": "share", "carrying": "text", "undecided": "text"},
                  headers={"first_carrying_year": "first year carried", "peak_year": "year of largest share",
                           "peak_share": "largest share", "carrying_n": "carrying", "decided_n": "decided",
                           "carrying": "operations carrying it", "undecided": "undecided operations"}))
und = diff.groupby("year")[["active_n", "undecided_n"]].max().reset_index()
rep.result("undecided_max_n", int(und["undecided_n"].max()), format="count",
           label="Most operations undecided for a concept in one year")

# %% [markdown]
# ## 3. Validation: do the text codings agree with other codings?
#
# Four checks, each disagreement explained: (a) mission-months against TAMM (to 2015) and PEMA
# (to 2019) for every concept they share, with Cohen's kappa; (b) the "Acting under Chapter VII"
# recital against the `chapter_VII` flag of the UN's metadata, by resolution; (c) the curated
# 2016-2024 mandate table (press summaries), by resolution; (d) a gold set of randomly drawn
# decisions checked by reading the paragraph. Targets of the project: kappa of at least 0.8 on
# protection of civilians and use of force; precision and recall of at least 0.9 on Chapter VII,
# protection of civilians and use of force.

# %%
if validation:
    paragraphs = load("sc_paragraphs")
    mission_res = load("sc_mission_resolutions")
    ref_monthly = load("mandates_monthly")
    agree_raw = mv.agreement_table(monthly, ref_monthly)
    agree = mt.agreement_view(agree_raw)
    display(rep.table(agree, "agreement", caption="Text codings vs PEMA/TAMM by mission-month",
                      formats={"agreement": "share", "kappa": "ratio", "kappa target": "ratio",
                               "mission-months": "count", "operations": "count"}))
    for r in agree_raw.itertuples(index=False):
        rep.result(f"kappa.{r.concept}.{r.reference}", round(r.kappa, 4), format="ratio",
                   label=f"Kappa, {label(r.concept)} vs {mt.REFERENCE_WORDS[r.reference]}")
    targets = agree.dropna(subset=["kappa target"])
    rep.result("kappa_targets_met_n", int(targets["target met"].sum()), format="count",
               label="Comparisons meeting the kappa target (PoC, use of force)")
    rep.result("kappa_targets_n", len(targets), format="count", label="Comparisons with a kappa target")
    rep.result("kappa_target_min", round(float(targets["kappa"].min()), 4), format="ratio",
               label="Lowest kappa of the comparisons with a target")
    rep.result("kappa_target_max", round(float(targets["kappa"].max()), 4), format="ratio",
               label="Highest kappa of the comparisons with a target")
    fig = plots.plot_agreement(agree)
    low = agree.sort_values("kappa").iloc[0]
    display(rep.figure(fig, "agreement", data=agree,
                       title=f"{int(targets['target met'].sum())} of {len(targets)} comparisons with a "
                             f"target reach kappa 0.8; the lowest kappa is {low['kappa']:.2f} "
                             f"({low['concept']} vs {low['reference']})",
                       description="Cohen's kappa (filled) and raw agreement (open) of the text codings with "
                                   "each reference, by mission-month."))

# %% [markdown]
# ### Every disagreement with PEMA/TAMM, by class
#
# Each mission-month where the text and a reference differ falls into one class; the table says
# where (operation, years, resolutions in force) and why.

# %%
if validation:
    classified = mv.classify_disagreements(monthly, ref_monthly, codings)
    dis = mt.disagreement_view(classified, resolutions)
    display(rep.table(dis, "disagreements", caption="Disagreements with PEMA/TAMM by class",
                      formats={"where": "text", "why": "text"}))
    rep.result("disagreement_months_n", len(classified), format="count",
               label="Mission-months where the text and a reference disagree")
    rep.result("disagreement_other_n", int((classified["class"] == "other").sum()), format="count",
               label="Of which unexplained (class 'other')")

# %% [markdown]
# ### The Chapter VII recital against the UN's metadata flag
#
# The UN's metadata carry a `chapter_VII` flag for each resolution; the texts carry (or not) the
# recital "Acting under Chapter VII of the Charter". Where they differ, the table gives the class
# and the resolutions.

# %%
if validation:
    flag = mv.metadata_chapter_vii_agreement(resolutions)
    rep.result("flag_agreement", round(flag["agreement"], 4), format="share",
               label="Resolutions where the recital and the metadata flag agree (share)")
    rep.result("flag_kappa", round(flag["kappa"], 4), format="ratio", label="Kappa, recital vs metadata flag")
    rep.result("flag_resolutions_n", flag["n"], format="count", label="Resolutions with a text and a flag")
    flags = mt.flag_view(mv.classify_chapter_vii_disagreements(resolutions, paragraphs))
    display(rep.table(flags, "flag_disagreements", formats={"which": "text", "why": "text"},
                      caption=f"Resolutions where the recital and the metadata flag disagree "
                              f"({flag['n'] - flag['agree_n']:,} of {flag['n']:,})"))

# %% [markdown]
# ### The curated 2016-2024 mandates and the gold set
#
# The curated table was coded from press summaries before the texts were parsed; every
# resolution it names exists in the corpus and is linked to the same operation. Where the two
# codings differ, the text's paragraph and the reason are shown. The gold set holds randomly
# drawn decisions (seeded, stratified by concept, half "yes" and half "no") checked by reading
# the paragraph; it is committed as ids, verdicts and reasons only
# (`data/curated/mandate_coding_gold.csv`).

# %%
if validation:
    cur = load_mandates()
    ids, cur_agree = mv.curated_check(cur, resolutions, mission_res, codings)
    rep.result("curated_ids_found_share", round(float(ids["is_in_sc_resolutions"].mean()), 4), format="share",
               label="Curated resolutions found in the texts")
    rep.result("curated_ids_linked_share", round(float(ids["is_in_mission_map"].mean()), 4), format="share",
               label="Curated resolutions the texts link to the same operation")
    view = cur_agree.assign(concept=cur_agree["text_concept"].map(label))
    view = view[["concept", "n", "agreement", "kappa"]]
    display(rep.table(view, "curated_agreement",
                      caption="Curated 2016-2024 table vs the texts, by resolution",
                      formats={"n": "count", "agreement": "share", "kappa": "ratio"},
                      headers={"n": "resolutions coded by both"}))
    for r in cur_agree.itertuples(index=False):
        rep.result(f"curated_agreement.{r.text_concept}", round(r.agreement, 4), format="share",
                   label=f"Agreement with the curated table, {label(r.text_concept)}")
    cdis = mt.curated_disagreements(cur, codings, resolutions)
    display(rep.table(cdis.drop(columns=["why"]), "curated_disagreements", labels=False,
                      caption="Every disagreement with the curated table, with the text's paragraph",
                      formats={c: "text" for c in ("reason", "quote", "paragraph", "class")},
                      links={"resolution": "resolution_url"}))
    display(rep.table(cdis.groupby("class").size().rename("disagreements").reset_index()
                      .assign(why=lambda d: d["class"].map(mt.CURATED_CLASSES)),
                      "curated_classes", caption="Disagreements with the curated table by class",
                      formats={"why": "text"}))
    gold = mv.load_gold()
    scores = mt.gold_view(mv.gold_scores(codings, gold))
    seed = gold["sample_seed"].iloc[0]
    display(rep.table(scores, "gold", caption=f"Gold set: {len(gold)} decisions checked by reading the "
                                              f"paragraph (draw seed {seed})",
                      formats={"precision": "share", "recall": "share", "target": "ratio"}))
    for r in mv.gold_scores(codings, gold).itertuples(index=False):
        rep.result(f"gold_precision.{r.concept}", round(r.precision, 4), format="share",
                   label=f"Gold set precision, {label(r.concept)}")
        rep.result(f"gold_recall.{r.concept}", round(r.recall, 4), format="share",
                   label=f"Gold set recall, {label(r.concept)}")
    gdis = mt.gold_disagreements(codings, gold)
    rep.result("gold_n", len(gold), format="count", label="Decisions in the gold set")
    rep.result("gold_correct_n", len(gold) - len(gdis), format="count",
               label="Gold-set decisions the current codings get right")
    rep.result("gold_disagreements_n", len(gdis), format="count",
               label="Gold-set decisions the current codings get wrong or leave undecided")
    if len(gdis):
        display(rep.table(gdis, "gold_disagreements", caption="Gold-set decisions the codings miss"))

# %% [markdown]
# ## What the texts cannot tell us
#
# * **What operations did.** A mandate that speaks of terrorism or stabilisation says what the
#   Council asked, not what the troops did on the ground, nor what parallel forces did.
# * **Mandates set before 2000.** Traditional missions whose mandates date from the Cold War
#   (UNTSO, UNMOGIP, UNFICYP, UNDOF, MINURSO, UNMIK) are extended without being restated; for
#   most concepts no text of 2000-2025 decides them, and they stay undecided.
# * **Vocabulary, not intent.** The rules read words in paragraphs that task or name the
#   operation. A demand that armed groups "cut off all ties with terrorist organizations" counts
#   as CT/PVE language, as the essay's thesis about vocabulary requires; it is not a
#   counter-terrorism task of the mission.

# %%
rep.note("Source of the texts: United Nations (Security Council resolutions, UN DGACM Akoma Ntoso XML). The "
         "UN asks to be acknowledged as the source of its texts.")
rep.note("Undecided operations (mandates set before 2000, only extended) are never counted as 'no': the "
         "shares are among decided operations, with the range shown.")
if "has_ct_pve_language" in concepts:
    rep.note("CT/PVE language counts vocabulary in any operative paragraph, including demands on armed "
             "groups to cut ties with terrorist organisations; it is not a counter-terrorism task.")
rep.finding("diffusion", question="When did the war-on-terror vocabulary enter UN peacekeeping mandates, and "
                                  "how far did it spread?",
            answer=mt.diffusion_answer(summary),
            sample={"rows": (int(diff.groupby("year")["active_n"].max().sum()), "operation-years"),
                    "years": (int(first), int(last))},
            caveat="Shares are among operations whose mandate value is decided; traditional missions with "
                   "pre-2000 mandates stay undecided.")
if validation:
    rep.finding("validation", question="Can codings read from the texts be trusted?",
                answer="On protection of civilians and use of force, kappa against PEMA/TAMM runs from "
                       "{kappa_target_min} to {kappa_target_max} ({kappa_targets_met_n} of {kappa_targets_n} "
                       "comparisons reach the target of 0.8); the Chapter VII recital agrees with the UN's "
                       "metadata flag for {flag_agreement} of {flag_resolutions_n} resolutions; "
                       "{gold_correct_n} of {gold_n} randomly drawn decisions are right when checked by "
                       "reading the paragraph.",
                caveat="PEMA codes offensive tasks more widely (robust-posture wording: kappa "
                       "{:.2f}); every disagreement class is explained in section 3.".format(
                           float(agree_raw.loc[agree_raw["concept"] == "has_offensive_mandate",
                                               "kappa"].min())))
rep.save(data_versions=DV)
