"""Few-cluster inference for the casualty headlines (notebooks 02 and 03).

About fifty missions are the clusters, and four of them carry more than half of all hostile
deaths, so a cluster-robust normal interval alone can mislead. For every headline ratio the
notebooks show, side by side (methods in ``docs/methods.md``):

* the estimate with its cluster-robust Wald interval, and the same with a t(G-1) reference;
* the wild cluster (score) bootstrap p-value and its test-inversion interval
  (:func:`analysis.models.wild_cluster_bootstrap`);
* the leave-one-mission-out range: the smallest and largest ratio when each mission is left
  out in turn, and which missions give them (:func:`analysis.models.leave_one_cluster_out`);
* the E-value of the ratio and of the interval bound nearest 1
  (:func:`analysis.models.e_value_for`);
* the Romano-Wolf step-down adjusted p-value across the family of specifications the page
  reports (:func:`analysis.models.romano_wolf`), added by :func:`family_adjusted`.

A term with no events in its treated (or untreated) rows is reported as ``"no events"``, never
as a number (:func:`analysis.models.term_status`). Nothing here loads data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

#: Replications of the wild cluster bootstrap in the notebooks' default runs.
DEFAULT_REPS = 999
#: Seed of the bootstrap weights (the same seed gives the same draws, hence the same page).
DEFAULT_SEED = 12345


@dataclass
class HeadlineInference:
    """Every check of one headline term (see the module docstring).

    ``status`` is ``"ok"``, ``"no events"`` or ``"not estimable"`` (``reason`` says why); when it
    is not ``"ok"`` the numbers are NaN. Ratios are exp(coefficient) (incidence-rate ratios).
    """

    term: str
    status: str
    reason: str = ""
    ratio: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    p_value: float = math.nan
    t_ci_low: float = math.nan
    t_ci_high: float = math.nan
    t_p_value: float = math.nan
    boot_status: str = ""
    boot_p_value: float = math.nan
    boot_ci_low: float = math.nan
    boot_ci_high: float = math.nan
    boot_reps: int = 0
    loo_min: float = math.nan
    loo_max: float = math.nan
    loo_min_mission: str = ""
    loo_max_mission: str = ""
    loo_sign_flips: int = 0
    e_value: float = math.nan
    e_value_ci: float = math.nan
    n_clusters: int = 0
    rw_p_value: float = math.nan
    loo_table: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def row(self) -> dict[str, Any]:
        """One row of a table of headlines (no leave-one-out table)."""
        return {k: v for k, v in self.__dict__.items() if k != "loo_table"}


def _f(v: Any) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return math.nan
    return x if math.isfinite(x) else math.nan


def headline_inference(
    result: Any,
    data: pd.DataFrame,
    term: str,
    *,
    reps: int = DEFAULT_REPS,
    seed: int = DEFAULT_SEED,
    loo: bool = True,
) -> HeadlineInference:
    """Bootstrap, t(G-1), leave-one-mission-out and E-value of one term of a clustered count model.

    Parameters
    ----------
    result
        A clustered :func:`analysis.models.fit_casualty_model` result.
    data
        The frame it was fitted on.
    term
        The treatment term.
    reps, seed
        Wild cluster bootstrap replications and seed.
    loo
        Also refit without each mission in turn (one fit per mission).

    Returns
    -------
    HeadlineInference
    """
    from analysis.errors import ModelError
    from analysis.models import (
        e_value_for,
        leave_one_cluster_out,
        t_reference,
        term_status,
        wild_cluster_bootstrap,
    )

    try:
        status, why = term_status(result, data, term)
    except ModelError as e:  # the sample cannot be rebuilt into an estimable design (e.g. separation)
        status = "no events" if "outcome is zero in every row" in e.reason else "not estimable"
        why = e.reason
    if status != "ok":
        return HeadlineInference(term=term, status=status, reason=why, n_clusters=int(result.n_clusters or 0))
    row = result.term(term)
    out = HeadlineInference(
        term=term,
        status="ok",
        ratio=_f(row["ratio"]),
        ci_low=_f(row["ratio_ci_low"]),
        ci_high=_f(row["ratio_ci_high"]),
        p_value=_f(row["p_value"]),
        n_clusters=int(result.n_clusters or 0),
    )
    trow = t_reference(result).term(term)
    out.t_ci_low, out.t_ci_high, out.t_p_value = (
        _f(trow["ratio_ci_low"]),
        _f(trow["ratio_ci_high"]),
        _f(trow["p_value"]),
    )
    boot = wild_cluster_bootstrap(result, data, term, reps=reps, seed=seed)
    out.boot_status, out.boot_reps = boot.status, int(boot.reps)
    if boot.status == "ok":
        out.boot_p_value = _f(boot.p_value)
        out.boot_ci_low, out.boot_ci_high = _f(boot.ratio_ci_low), _f(boot.ratio_ci_high)
    ev = e_value_for(result, term)
    out.e_value, out.e_value_ci = _f(ev["e_value"]), _f(ev["e_value_ci"])
    if loo:
        lo = leave_one_cluster_out(result, data, term)
        r = lo.range
        out.loo_min, out.loo_max = _f(r.get("ratio_min")), _f(r.get("ratio_max"))
        out.loo_min_mission = str(r.get("cluster_at_min") or "")
        out.loo_max_mission = str(r.get("cluster_at_max") or "")
        out.loo_sign_flips = int(r.get("sign_flips") or 0)
        out.loo_table = lo.table
    return out


def family_adjusted(
    family: Mapping[str, tuple[Any, pd.DataFrame, str]],
    *,
    reps: int = DEFAULT_REPS,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Romano-Wolf adjusted p-values across the specifications a page reports.

    Parameters
    ----------
    family
        Label -> ``(result, data, term)`` of each reported specification (clustered by mission).

    Returns
    -------
    pandas.DataFrame
        The table of :func:`analysis.models.romano_wolf` (``specification``, ``status``,
        ``ratio``, ``p_value`` = single bootstrap p, ``p_value_romano_wolf``, ...), with
        ``family_size`` (members adjusted together) in its attrs. A family of one member is
        its own bootstrap test.
    """
    from analysis.models import romano_wolf

    table = romano_wolf(dict(family), reps=reps, seed=seed)
    table.attrs["family_size"] = int((table["status"] == "ok").sum())
    return table


#: Result keys written for each headline by :func:`record_inference`: suffix -> (attribute, format, label).
RESULT_FIELDS: dict[str, tuple[str, str, str]] = {
    "boot_p": ("boot_p_value", "pvalue", "wild cluster bootstrap p-value"),
    "boot_ci_low": ("boot_ci_low", "ratio", "wild cluster bootstrap 95% interval, from"),
    "boot_ci_high": ("boot_ci_high", "ratio", "wild cluster bootstrap 95% interval, to"),
    "t_p": ("t_p_value", "pvalue", "p-value with a t(G-1) reference"),
    "t_ci_low": ("t_ci_low", "ratio", "95% interval with a t(G-1) reference, from"),
    "t_ci_high": ("t_ci_high", "ratio", "95% interval with a t(G-1) reference, to"),
    "loo_min": ("loo_min", "ratio", "smallest ratio leaving one mission out"),
    "loo_max": ("loo_max", "ratio", "largest ratio leaving one mission out"),
    "loo_min_mission": ("loo_min_mission", "text", "mission whose removal gives the smallest ratio"),
    "loo_max_mission": ("loo_max_mission", "text", "mission whose removal gives the largest ratio"),
    "e_value": ("e_value", "ratio", "E-value of the ratio"),
    "e_value_ci": ("e_value_ci", "ratio", "E-value of the interval bound nearest 1"),
    "rw_p": ("rw_p_value", "pvalue", "Romano-Wolf adjusted p-value across the page's specifications"),
}


def record_inference(rep: Any, key: str, inf: HeadlineInference, *, what: str) -> str | None:
    """Record the checks of a headline in a :class:`analysis.reporting.Reporter`; return the template
    of the sentence that states them (None when the term has no events or could not be tested).

    Keys are ``<key>_<suffix>`` for each suffix of :data:`RESULT_FIELDS` plus ``<key>_status``.
    """
    rep.result(f"{key}_status", inf.status, label=f"{what}: status", format="text")
    if inf.status != "ok":
        return None
    for suffix, (attr, fmt, label) in RESULT_FIELDS.items():
        v = getattr(inf, attr)
        if isinstance(v, float) and np.isnan(v) and suffix != "rw_p":
            v = None
        if suffix == "rw_p" and (v is None or (isinstance(v, float) and np.isnan(v))):
            continue
        rep.result(f"{key}_{suffix}", v, label=f"{what}: {label}", format=fmt)
    parts = []
    if inf.boot_status == "ok":
        parts.append(f"wild cluster bootstrap 95% CI {{{key}_boot_ci_low}} to {{{key}_boot_ci_high}} "
                     f"(p = {{{key}_boot_p}})")
    else:
        parts.append(f"wild cluster bootstrap: {inf.boot_status}")
    parts.append(f"t({inf.n_clusters - 1}) reference p = {{{key}_t_p}}")
    if inf.loo_min_mission:
        parts.append(f"leaving one mission out, the ratio ranges from {{{key}_loo_min}} (without "
                     f"{{{key}_loo_min_mission}}) to {{{key}_loo_max}} (without {{{key}_loo_max_mission}})")
    parts.append(f"E-value {{{key}_e_value}} (interval: {{{key}_e_value_ci}})")
    if not np.isnan(inf.rw_p_value):
        parts.append(f"Romano-Wolf adjusted p = {{{key}_rw_p}}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def inference_table(rows: Mapping[str, HeadlineInference]) -> pd.DataFrame:
    """One row per headline: estimate, Wald / t / bootstrap intervals, leave-one-out range, E-value,
    adjusted p (the table the pages show; "no events" rows keep their reason and no numbers)."""
    out = []
    for label, inf in rows.items():
        r = {"headline": label, "status": inf.status if inf.status != "ok" else "",
             "ratio": inf.ratio, "ratio_ci_low": inf.ci_low, "ratio_ci_high": inf.ci_high,
             "boot_ci_low": inf.boot_ci_low, "boot_ci_high": inf.boot_ci_high, "boot_p": inf.boot_p_value,
             "t_p": inf.t_p_value, "loo_min": inf.loo_min, "loo_max": inf.loo_max,
             "e_value": inf.e_value, "rw_p": inf.rw_p_value}
        if inf.status != "ok":
            r["status"] = f"{inf.status}: {inf.reason}"
        out.append(r)
    return pd.DataFrame(out)


#: Formats and headers of :func:`inference_table` for ``Reporter.table``.
INFERENCE_FORMATS = {"ratio": "ratio", "ratio_ci_low": "ratio", "ratio_ci_high": "ratio",
                     "boot_ci_low": "ratio", "boot_ci_high": "ratio", "boot_p": "pvalue", "t_p": "pvalue",
                     "loo_min": "ratio",
                     "loo_max": "ratio", "e_value": "ratio", "rw_p": "pvalue", "headline": "text",
                     "status": "text"}
INFERENCE_HEADERS = {"headline": "headline", "status": "status", "ratio": "IRR",
                     "ratio_ci_low": "95% CI from", "ratio_ci_high": "95% CI to",
                     "boot_ci_low": "bootstrap CI from", "boot_ci_high": "bootstrap CI to",
                     "boot_p": "bootstrap p", "t_p": "t(G-1) p", "loo_min": "leave-one-out min",
                     "loo_max": "leave-one-out max", "e_value": "E-value", "rw_p": "Romano-Wolf p"}
