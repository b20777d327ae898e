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
# # 07 How robust is each answer? Specification curves
#
# **Question.** Notebooks 02 and 04 each report one headline specification and a handful of
# alternatives. The answers move with the choices: which mandate coding, carried forward or
# not, fixed effects, estimator, unit, window, which missions, controls, outcome definition
# (casualties); which partnership definition and coding source, lag, controls, logit or Firth,
# region, window, attempts or successful coups, and which coup data set (coups). This notebook
# fits **every defensible combination** of those choices (the grid of each question is data:
# `analysis/studies/grids/<question>.yaml`, with its exclusion rules and their reasons) and
# shows the whole distribution of answers (Simonsohn, Simmons & Nelson 2020, "Specification
# curve analysis", *Nature Human Behaviour* 4).
#
# **What is shown.** The curve: every estimate, sorted, with its 95% interval, above the panel
# of the choices that produced it; the share of specifications with the headline's sign and
# with p < 0.05; the median estimate and its interquartile range; which choices move the
# estimate most (variance decomposition by dimension); specifications that cannot be estimated,
# by reason (never as numbers); and a joint test of the whole curve under the null, re-estimated
# on data where the treatment is permuted within year.
#
# **Read this first.**
# * A specification curve describes the **sensitivity** of an association to analytic choices;
#   it does not turn an association into a causal effect. Every caveat of notebooks 02 and 04
#   (selection of missions into robust mandates, few clusters, rare coups) holds for each
#   specification.
# * Each grid's headline is its notebook's headline model: the coup grid is built on notebook
#   04's design (partner deployments sent in response to a coup not counted as treatments;
#   controls `full` = its nine controls and period effects; `four` = its first published four
#   controls), so the headline here is notebook 04's odds ratio.
# * Specifications are **not independent** draws: the shares are descriptive, and the joint
#   test is the permutation test, not a count of significant specifications.
# * The null test re-estimates a random sample of `null_specs` specifications for each of
#   `null_resamples` permutations (a parameter: 500 permutations of the whole grid is a job for
#   a cluster, see `benchmarks/bench_multiverse.py`).

# %% tags=["parameters"]
from typing import Literal

output_dir: str = ""  # set by the runner (peaceops run); empty: write nothing
question: Literal["casualties", "coups"] = "casualties"  # which grid (analysis/studies/grids/)
subset: str = ""  # a named set of the grid (e.g. "test"); empty: the whole grid
backend: Literal["serial", "joblib", "dask"] = "joblib"  # execution backend
n_jobs: int = -1  # workers (-1: all cores)
scheduler: str = ""  # Dask scheduler address tcp://HOST:PORT (backend dask); empty: a LocalCluster
null_resamples: int = 20  # permutations of the treatment within year for the joint test (0: skip)
null_specs: int = 200  # specifications re-estimated per permutation (a random sample; 0: all)
seed: int = 20260801  # seed of the permutations and of the sample of specifications
cache: bool = True  # keep per-specification results in data/processed/multiverse (resume)

# %%
# %matplotlib inline
import numpy as np
import pandas as pd
from IPython.display import display

from analysis.config import processed_dir
from analysis.data import data_versions
from analysis.models.multiverse import curve_summary, fit_many, load_grid, null_test, verdict
from analysis.plots import multiverse as mv_plots
from analysis.reporting import Reporter
from analysis.studies.multiverse import TABLES, grid_path, load_tables, question_data, table_versions


def _pct(x):
    return "n/a" if x is None else f"{100 * x:.0f}%"


PARAMS = dict(question=question, subset=subset, backend=backend, n_jobs=n_jobs, scheduler=scheduler,
              null_resamples=null_resamples, null_specs=null_specs, seed=seed, cache=cache)
rep = Reporter(output_dir, notebook="07_specification_curve", parameters=PARAMS)
DV = data_versions(table_versions(question))
grid = load_grid(grid_path(question))
data = question_data(question, load_tables(question))
specs = grid.specs(subset or None)
headline = grid.headline_spec()
cache_dir = processed_dir() / "multiverse" / question if cache else None
run_opts = dict(backend=backend, n_jobs=None if n_jobs == -1 else n_jobs, scheduler=scheduler or None)
ratio_name = "IRR" if question == "casualties" else "odds ratio"
print(grid.description)
print(f"{len(specs)} specifications ({subset or 'whole grid'}); {grid.size()} in the whole grid")

# %% [markdown]
# ## 1. The grid: dimensions, values and exclusion rules

# %%
dims = pd.DataFrame([{"dimension": d, "values": ", ".join(v), "headline": grid.headline[d]}
                     for d, v in grid.dimensions.items()])
display(rep.table(dims, "dimensions", caption=f"The {question} grid: dimensions, values and the headline's "
                                              "choice", labels=False))
rules = pd.DataFrame([{"rule": " ".join(r.why.split()), "combinations left out": n}
                      for r, n in grid.excluded_by_rule()])
display(rep.table(rules, "exclusion_rules", caption="Exclusion rules and the combinations each leaves out",
                  formats={"combinations left out": "count"}, labels=False))
rep.result("specs_n", len(specs), label="Specifications in the curve", format="count")
rep.result("grid_size", grid.size(), label="Specifications in the whole grid", format="count")

# %% [markdown]
# ## 2. Every specification
#
# Each specification is fitted once (results are cached per specification, so an interrupted
# run resumes). A specification that cannot be estimated keeps its row with the reason.

# %%
results = fit_many(specs, data, cache=cache_dir, **run_opts)
run = results.attrs["run"]  # also the seconds and how many came from the cache: they change from run to
# run, so they stay out of the page (a rerun with nothing changed writes the same bytes)
print(f"{run['specs']} specifications, {run['failed']} not estimable ({run['backend']}, "
      f"{run['n_jobs']} workers)")
rep.diagnostic(f"{run['specs']} specifications, {run['backend']} on {run['n_jobs']} workers, fitted or read "
               "from the cache (the numbers depend on none of these)")
status = results["status"].value_counts().rename_axis("status").reset_index(name="specifications")
display(rep.table(status, "statuses", caption="Specifications by status (ok, or why no number is given)",
                  formats={"specifications": "count"}, labels=False))
failed = results[results["status"] != "ok"]
if len(failed):
    reasons = failed.groupby(["status", "reason"]).size().rename("specifications").reset_index()
    reasons = reasons.sort_values("specifications", ascending=False).head(15)
    display(rep.table(reasons, "not_estimable", caption="The most frequent reasons a specification has no "
                      "estimate", formats={"specifications": "count"}, labels=False, appendix=True))
head = results[results["spec_id"] == headline.id]
if len(head) and head["status"].iloc[0] == "ok":
    rep.estimate("headline", head.iloc[0].to_dict(), head["term"].iloc[0],
                 label=f"Headline specification, {ratio_name}")
elif len(head):
    rep.note(f"The headline specification is not estimable here: {head['reason'].iloc[0]}")

# %% [markdown]
# ## 3. The curve

# %%
summary = curve_summary(results, headline=headline.id if len(head) else None)
fig = mv_plots.plot_specification_curve(
    results, headline=headline.id, ylabel=f"{ratio_name} (95% CI, log scale)",
    title=f"{question.capitalize()}: {summary.n_ok} specifications, median {ratio_name} "
          f"{summary.median_ratio if summary.median_ratio is not None else float('nan'):.2f}",
    source=f"{', '.join(TABLES[question])}; grid {grid_path(question).name}")
s = summary.to_dict()
curve_cols = ["spec_id", *results.attrs["dimensions"], "ratio", "ratio_ci_low", "ratio_ci_high", "p_value",
              "nobs"]
plotted = results.loc[results["status"] == "ok", curve_cols].sort_values("ratio").reset_index(drop=True)
display(rep.figure(
    fig, "specification_curve", main=True,
    title=f"{_pct(s['share_same_sign'])} of {s['n_ok']} estimable specifications have the headline's sign; "
          f"{_pct(s['share_significant_same_sign'])} are also significant at 5%",
    description=f"Each specification's {ratio_name} with its 95% interval, sorted; below, the choices that "
                "produced it; the headline specification in red.",
    data=plotted))
rep.result("specs_ok", s["n_ok"], label="Specifications estimated", format="count")
for st, k in s["status_counts"].items():
    rep.result(f"status_{st}", k, label=f"Specifications with status {st}", format="count")
rep.result("share_same_sign", s["share_same_sign"], label="Share of estimates with the headline's sign",
           format="share")
rep.result("share_significant", s["share_significant"], label="Share of estimates with p < 0.05",
           format="share")
rep.result("share_significant_same_sign", s["share_significant_same_sign"],
           label="Share with p < 0.05 and the headline's sign", format="share")
rep.result("median_ratio", s["median_ratio"], label=f"Median {ratio_name} over the specifications",
           format="ratio")
rep.result("iqr_ratio_low", (s["iqr_ratio"] or [None])[0], label=f"{ratio_name}, 25th percentile",
           format="ratio")
rep.result("iqr_ratio_high", (s["iqr_ratio"] or [None, None])[1], label=f"{ratio_name}, 75th percentile",
           format="ratio")

# %% [markdown]
# ## 4. Which choices move the estimate
#
# For each dimension: the share of the variance of the estimates (log scale) explained by its
# values alone, and its unique share given all other dimensions (additive model).

# %%
dec = summary.decomposition
display(rep.table(dec, "variance_decomposition", caption="Share of the variance of the estimates explained "
                  "by each dimension", formats={"values_n": "count", "eta2": "share", "unique": "share",
                                                "range": "value"}, labels=False))
fig = mv_plots.plot_variance_decomposition(dec, title=f"{question.capitalize()}: which choices move the "
                                                       f"{ratio_name}", source=f"{len(specs)} specifications")
top = dec.iloc[0] if len(dec) else None
display(rep.figure(fig, "variance_decomposition",
                   title=(f"{top['dimension']} moves the {ratio_name} most ({_pct(float(top['eta2']))} of "
                          "the variance of the estimates)") if top is not None else None,
                   description="Share of the variance of the log estimates explained by each dimension alone "
                               "and given all the others.", data=dec))
for _, r in dec[dec["values_n"] > 1].iterrows():
    rep.result(f"eta2_{r['dimension']}", round(float(r["eta2"]), 6), format="share",
               label=f"Share of the variance explained by {r['dimension']}")
ok_rows = results[results["status"] == "ok"]
for d in dec.loc[dec["values_n"] > 1, "dimension"].head(3):
    m = ok_rows.groupby(d)["ratio"].agg(["median", "size"]).reset_index()
    display(rep.table(m.rename(columns={"median": f"median {ratio_name}", "size": "specifications"}),
                      f"median_by_{d}", caption=f"Median {ratio_name} by {d}", labels=False,
                      formats={f"median {ratio_name}": "ratio", "specifications": "count"}))

# %% [markdown]
# ## 5. The curve under the null
#
# The treatment (every coding source together) is permuted within year (casualties: a mission's
# months of one year move together; coups: within year and African / other states), which keeps
# outcomes, controls and the panel and breaks any association. Each permutation re-estimates a
# random sample of the specifications; the observed median, share significant with the
# headline's sign and Stouffer's Z are compared with their null distributions.

# %%
null_p = None
if null_resamples > 0 and summary.headline_sign != 0:
    rng = np.random.default_rng(seed)
    pool = [sp for sp in specs if sp.id in set(results.loc[results["status"] == "ok", "spec_id"])]
    chosen = pool if not null_specs or null_specs >= len(pool) else \
        [pool[i] for i in sorted(rng.choice(len(pool), size=null_specs, replace=False))]
    nt = null_test(chosen, data, results, resamples=null_resamples, sign=summary.headline_sign, seed=seed,
                   cache=processed_dir() / "multiverse" / f"{question}-null" if cache else None, **run_opts)
    tab = pd.DataFrame({"statistic": list(nt.p_values), "observed": [nt.observed[k] for k in nt.p_values],
                        "p_value": list(nt.p_values.values())})
    display(rep.table(tab, "null_test", caption=f"The curve's statistics and their permutation p-values "
                      f"({null_resamples} permutations)", formats={"observed": "value", "p_value": "pvalue"},
                      labels=False))
    fig = mv_plots.plot_null_distribution(
        nt.null, nt.observed, nt.p_values,
        title=f"{question.capitalize()}: the curve under {null_resamples} permutations of the treatment",
        source=f"{len(chosen)} specifications re-estimated per permutation")
    null_p = nt.p_values["median"]
    display(rep.figure(fig, "null_distribution",
                       title=f"Under permutations of the treatment, a median as far from 1 as observed has "
                             f"p = {null_p:.3f}",
                       description="Null distributions of the median estimate, the share significant with "
                                   "the headline's sign and Stouffer's Z; the observed value in red.",
                       data=nt.null))
    for k, v in nt.p_values.items():
        rep.result(f"null_p_{k}", v, format="pvalue",
                   label=f"Permutation p-value of the curve's {k.replace('_', ' ')}")
    rep.result("null_resamples", null_resamples, label="Permutations of the null test", format="count")
    rep.result("null_specs", len(chosen), label="Specifications re-estimated per permutation", format="count")
    if len(chosen) < len(pool):
        rep.note(f"The null test re-estimates a random sample of {len(chosen)} of the {len(pool)} estimable "
                 f"specifications per permutation (seed {seed}).")

# %% [markdown]
# ## Verdict

# %%
text = verdict(summary, null_p=null_p, ratio_name=ratio_name)
print(text)
rep.result("verdict", text, label="Verdict (generated from the numbers)", format="text")
rep.finding(
    "robustness",
    question=("How robust is the association between robust mandates and peacekeeper deaths to defensible "
              "analytic choices?" if question == "casualties" else
              "How robust is the association between partnership operations and coups to defensible "
              "analytic choices?"),
    answer=("{share_same_sign} of {specs_ok} estimable specifications have the headline's sign and "
            "{share_significant_same_sign} are also significant at 5%; the median " + ratio_name
            + " is {median_ratio} (interquartile range {iqr_ratio_low} to {iqr_ratio_high})"
            + ("; permutation p-value of the median {null_p_median}" if "null_p_median" in rep.results
               else "")
            + "."),
    caveat="Specifications are not independent and each is an association; the curve shows how much the "
           "answer depends on the choices, not whether it is causal.")

# %% [markdown]
# ## What this cannot tell us
#
# * **Causation.** Each specification estimates an association; varying the choices shows how
#   much the association depends on them, not whether it is causal.
# * **Choices outside the grid.** Only choices the data offer are varied (e.g. no conflict
#   intensity at the deployment location, no rules of engagement); the grid files list the
#   rules that leave combinations out, each with its reason.
# * **Weights.** Every specification counts once; near-duplicates (e.g. two coup data sets that
#   agree on almost every event) weigh as much as genuinely different analyses.

# %%
rep.note("Association, not causation: the curve shows how the association depends on analytic choices.")
rep.save(data_versions=DV)
rep.versions_table(DV)
