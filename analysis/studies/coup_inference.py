"""Inference for notebook 04's headline (issue 15 items 2-3): bootstrap, leave-one-out, E-value,
Romano-Wolf over the notebook's family, and the linear-probability variant's robustness value.

:func:`headline_inference` gathers, for the treatment term of a clustered coup model, the
numbers a referee asks for (``docs/methods.md``):

* the wild cluster score bootstrap p-value and test-inversion interval
  (:func:`~analysis.models.wild_bootstrap.wild_cluster_bootstrap`, states as clusters);
* the leave-one-state-out range of the odds ratio and the state whose removal moves it most
  (:func:`~analysis.models.inference.leave_one_cluster_out`);
* the E-value of the odds ratio and of the bootstrap interval's limit nearer 1
  (:func:`~analysis.models.sensitivity.e_value_for`; coups are rare, so odds ratios are read
  as risk ratios);
* the t(G-1) p-value (:func:`~analysis.models.inference.t_reference`).

A treatment without coups in its treated state-years is ``"no events"`` and carries no number
(:func:`~analysis.models.inference.term_status`). :func:`treatment_family` lists the notebook's
family of specifications (each treatment definition with the headline estimator and the other
one) as :class:`~analysis.models.multiverse.Spec`, :func:`fit_family` fits it with
:func:`~analysis.models.multiverse.fit_many` on the design's data
(:class:`~analysis.studies.coup_design.DesignData`), keeps the fits and adjusts the headline
estimator's p-values with :func:`family_romano_wolf`; :func:`lpm_sensitivity` fits the
linear probability variant (same terms, state clusters) and gives the Cinelli-Hazlett
robustness values, benchmarked on observed controls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.models.multiple_testing import Specification
from analysis.models.multiverse import Backend, Comparison, Spec, SpecData
from analysis.models.results import ModelResult


def headline_inference(
    result: ModelResult, data: pd.DataFrame, term: str, *, reps: int = 999, seed: int = 12345
) -> dict[str, Any]:
    """Bootstrap interval and p, leave-one-out range, E-values and t(G-1) p of ``term`` (module docstring).

    Returns a flat JSON-safe dict: ``status`` (``"ok"`` / ``"no events"``), ``reason``, and when
    ok ``ratio``, ``ratio_ci_low``/``_high`` (Wald), ``p_value`` (Wald), ``p_value_t`` (t(G-1)),
    ``boot_ratio_ci_low``/``_high``, ``boot_p_value``, ``boot_reps``, ``boot_enumerated``,
    ``loo_ratio_min``/``_max``, ``loo_state_at_min``/``_max``, ``loo_refits_ok``,
    ``loo_sign_flips``, ``e_value``, ``e_value_ci``, ``n_clusters``; plus ``loo_table`` (the
    leave-one-out frame).
    """
    from analysis.models.inference import leave_one_cluster_out, t_reference, term_status
    from analysis.models.sensitivity import e_value_for
    from analysis.models.wild_bootstrap import wild_cluster_bootstrap

    status, why = term_status(result, data, term)
    if status != "ok":
        return {"status": status, "reason": why}
    row = result.term(term)
    b = wild_cluster_bootstrap(result, data, term, reps=reps, seed=seed)
    loo = leave_one_cluster_out(result, data, term)
    ci = (b.ratio_ci_low, b.ratio_ci_high)
    ev = e_value_for(result, term, ci=ci if np.all(np.isfinite(ci)) else None)
    tt = t_reference(result).term(term)
    rng = loo.range
    return {
        "status": "ok",
        "reason": "",
        "ratio": float(row["ratio"]),
        "ratio_ci_low": float(row["ratio_ci_low"]),
        "ratio_ci_high": float(row["ratio_ci_high"]),
        "p_value": float(row["p_value"]),
        "p_value_t": float(tt["p_value"]),
        "boot_ratio_ci_low": float(b.ratio_ci_low),
        "boot_ratio_ci_high": float(b.ratio_ci_high),
        "boot_p_value": float(b.p_value),
        "boot_reps": int(b.reps),
        "boot_enumerated": bool(b.enumerated),
        "loo_ratio_min": rng.get("ratio_min"),
        "loo_ratio_max": rng.get("ratio_max"),
        "loo_state_at_min": rng.get("cluster_at_min"),
        "loo_state_at_max": rng.get("cluster_at_max"),
        "loo_refits_ok": rng.get("refits_ok"),
        "loo_sign_flips": rng.get("sign_flips"),
        "e_value": float(ev["e_value"]),
        "e_value_ci": float(ev["e_value_ci"]),
        "n_clusters": int(result.n_clusters or 0),
        "loo_table": loo.table,
    }


def family_romano_wolf(
    family: Mapping[str, Specification | tuple[ModelResult, pd.DataFrame, str]], *, reps: int = 999,
    seed: int = 12345,
) -> pd.DataFrame:
    """Romano-Wolf adjusted p-values over a family (label -> (result, data, term), or a
    :class:`~analysis.models.multiple_testing.Specification` such as a kept fit of
    :func:`~analysis.models.multiverse.fit_many`); members
    without treated events are listed as ``"no events"`` with no numbers."""
    from analysis.models.multiple_testing import romano_wolf

    return romano_wolf(dict(family), reps=reps, seed=seed)


def lpm_sensitivity(
    data: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    controls: Sequence[str],
    cluster: str = "country_id_gw",
    benchmarks: Sequence[str] = (),
) -> dict[str, Any]:
    """Linear probability model of the coup outcome (same terms, state clusters) and the
    Cinelli-Hazlett robustness values of the treatment.

    Returns ``estimate`` (percentage points x 100 is the difference in coup probability),
    ``ci_low``, ``ci_high``, ``p_value`` (clustered), ``rv_q`` (share of residual variance a
    confounder must explain in both treatment and outcome to bring the estimate to zero),
    ``rv_qa`` (to make it insignificant at 5%), ``r2yd_x`` and ``bounds`` (frame: confounders
    1-3 times as strong as each benchmark control).
    """
    from analysis.models.sensitivity import fit_linear, sensitivity_linear

    r = fit_linear(data, outcome=outcome, treatment=treatment, controls=list(controls), cluster=cluster)
    s = sensitivity_linear(r, data, treatment, benchmarks=list(benchmarks))
    t = r.term(treatment)
    return {
        "estimate": float(t["estimate"]),
        "ci_low": float(t["ci_low"]),
        "ci_high": float(t["ci_high"]),
        "p_value": float(t["p_value"]),
        "rv_q": float(s.summary["rv_q"]),
        "rv_qa": float(s.summary["rv_qa"]),
        "r2yd_x": float(s.summary["r2yd_x"]),
        "bounds": s.bounds,
        "nobs": r.nobs,
    }


def inference_rows(label: str, inf: Mapping[str, Any]) -> dict[str, Any]:
    """One row of the headline-inference table from :func:`headline_inference`'s dict."""
    if inf.get("status") != "ok":
        return {"specification": label, "status": inf.get("status"), "reason": inf.get("reason")}
    keys = (
        "ratio",
        "ratio_ci_low",
        "ratio_ci_high",
        "boot_ratio_ci_low",
        "boot_ratio_ci_high",
        "p_value",
        "p_value_t",
        "boot_p_value",
        "loo_ratio_min",
        "loo_ratio_max",
        "e_value",
        "e_value_ci",
    )
    return {"specification": label, "status": "ok", "reason": ""} | {k: inf[k] for k in keys}


def inference_table(inf: Mapping[str, Any]) -> pd.DataFrame:
    """The headline under each check, one row per check (``check``, ``value``, ``from``, ``to``,
    ``p-value``), from :func:`headline_inference`'s dict (status ``"ok"``)."""
    g = inf["n_clusters"]
    rows = [
        (
            "odds ratio, clustered Wald 95% CI",
            inf["ratio"],
            inf["ratio_ci_low"],
            inf["ratio_ci_high"],
            inf["p_value"],
        ),
        (
            f"wild cluster bootstrap ({inf['boot_reps']:,} draws, {g} states)",
            inf["ratio"],
            inf["boot_ratio_ci_low"],
            inf["boot_ratio_ci_high"],
            inf["boot_p_value"],
        ),
        (f"t reference with {g - 1} degrees of freedom", inf["ratio"], None, None, inf["p_value_t"]),
        (
            f"leaving out one state ({inf['loo_refits_ok']} refits): range",
            None,
            inf["loo_ratio_min"],
            inf["loo_ratio_max"],
            None,
        ),
        ("E-value: estimate (interval limit nearer 1)", inf["e_value"], inf["e_value_ci"], None, None),
    ]
    return pd.DataFrame(rows, columns=["check", "value", "from", "to", "p-value"])


# ----------------------------------------------------------------------------- the family


def treatment_family(
    treatments: Sequence[str],
    *,
    estimator: str,
    outcome: str,
    controls: Sequence[str],
    lag: int,
    years: Sequence[int],
    region: str,
    duration: bool,
    cluster: bool,
) -> list[Spec]:
    """Notebook 04's family: each treatment with ``estimator`` and with the other one (logit / Firth).

    The specs are in the order the page lists them (treatment by treatment, the headline
    estimator first); their ``choices`` are ``treatment`` and ``estimator``. Period effects and
    the post-coup rule belong to the data (:class:`~analysis.studies.coup_design.DesignData`).
    """
    from analysis.studies.coup_design import AFRICA

    check = ("logit", "firth")
    if estimator not in check:
        raise ValueError(f"estimator must be one of {check}; got {estimator!r}")
    other = "firth" if estimator == "logit" else "logit"
    return [
        Spec(outcome=outcome, treatment=t, controls=tuple(controls),
             filters=(AFRICA,) if region == "africa" else (),
             window=(int(years[0]), int(years[1])), lag=int(lag), estimator=est,  # type: ignore[arg-type]
             se="cluster" if cluster else "robust", cluster="country_id_gw" if cluster else None,
             duration=bool(duration), choices=(("treatment", t), ("estimator", est)))
        for t in treatments
        for est in (estimator, other)
    ]


@dataclass
class FamilyFit:
    """The family fitted and adjusted (:func:`fit_family`).

    Attributes
    ----------
    results
        The tidy frame of :func:`~analysis.models.multiverse.fit_many` (one row per spec) with
        ``label`` and ``p_value_romano_wolf`` (headline estimator's rows in the family).
    comparison
        :func:`~analysis.models.multiverse.compare` of the rows: ``table`` (estimable, with
        ``p_value_romano_wolf``; forest-ready), ``failed`` (label, status, reason), ``headline``.
    romano_wolf
        The table of :func:`family_romano_wolf` (``specification`` = treatment), or None when
        the family has fewer than two members or no clusters.
    headline_romano_wolf
        The headline's adjusted p-value (None when not adjusted).
    """

    results: pd.DataFrame
    comparison: Comparison
    romano_wolf: pd.DataFrame | None
    headline_romano_wolf: float | None


def fit_family(
    specs: Sequence[Spec],
    data: SpecData,
    *,
    headline: Spec,
    labels: Mapping[str, str],
    reps: int = 999,
    seed: int = 12345,
    backend: Backend = "serial",
) -> FamilyFit:
    """Fit the family with :func:`~analysis.models.multiverse.fit_many` (fits kept) and adjust it.

    The Romano-Wolf family is every estimable spec with the headline's estimator, clustered
    (one per treatment definition); the other estimator's rows are shown, not adjusted.
    ``labels`` maps ``spec_id`` to the row label (the headline's gets " (headline)").
    """
    from analysis.models.multiverse import compare, fit_many

    res, kept = fit_many(list(specs), data, backend=backend, progress=False, keep_results=True)
    family = {k.spec.treatment: k for k in kept.values()
              if k.spec.estimator == headline.estimator and k.spec.cluster}
    res = res.assign(label=[labels.get(i, i) for i in res["spec_id"]], p_value_romano_wolf=float("nan"))
    rw = None
    head_rw = None
    if len(family) > 1:
        rw = family_romano_wolf(family, reps=reps, seed=seed)
        p = dict(zip(rw["specification"], rw["p_value_romano_wolf"]))
        in_family = res["spec_id"].isin([k.spec.id for k in family.values()])
        res.loc[in_family, "p_value_romano_wolf"] = res.loc[in_family, "treatment"].map(p)
        if headline.treatment in family:
            head_rw = float(p[headline.treatment])
    c = compare(res, labels=labels, headline=headline.id)
    c.table["p_value_romano_wolf"] = res.loc[res["status"] == "ok", "p_value_romano_wolf"].to_numpy()
    return FamilyFit(results=res, comparison=c, romano_wolf=rw, headline_romano_wolf=head_rw)
