"""Inference with few and unequal clusters: wild cluster (score) bootstrap, leave-one-cluster-out,
t(G-1) reference and Romano-Wolf step-down p-values.

About 50 missions carry the casualty models and four of them hold more than half of all
hostile deaths; the coup models rest on a few dozen countries with a handful of events. With
so few, unequal clusters the cluster-robust Wald test with a normal reference over-rejects.
The inference modules re-test a fitted :class:`~analysis.models.results.ModelResult` without
ever loading data: the caller passes the frame the model was fitted on. One module each:

* this module: the estimation sample of a fitted model rebuilt from its spec
  (:func:`model_design`), the status of a term (:func:`term_status`), the t(G-1) reference
  and leave-one-cluster-out refits;
* :mod:`analysis.models.wild_bootstrap`: the wild cluster score bootstrap
  (:func:`~analysis.models.wild_bootstrap.wild_cluster_bootstrap`);
* :mod:`analysis.models.multiple_testing`: Romano-Wolf step-down p-values over a family of
  specifications (:func:`~analysis.models.multiple_testing.romano_wolf`).

Degenerate cases are statuses, never numbers: a binary term with no event in the rows where
it is 1 (e.g. no coup in a partnership year) gives ``status="no events"``; a model that
cannot be refitted gives ``status="not estimable"`` with the reason.

Leave-one-cluster-out
---------------------
:func:`leave_one_cluster_out` refits the model (the same fitting function, the same options)
without each cluster in turn and tabulates the estimate and ratio, its change, the Wald
interval and the status, sorted by influence; the result carries the range of the ratio.

t(G-1) reference
----------------
:func:`t_reference` gives a copy of a cluster-robust result with p-values and intervals from
Student's t with ``G - 1`` degrees of freedom instead of the normal (Bester, Conley & Hansen
2011; Cameron & Miller 2015).

References: Bester, C. A., Conley, T. G. & Hansen, C. B. (2011), Inference with dependent
data using cluster covariance estimators, *J. Econometrics* 165(2). Cameron, A. C. & Miller,
D. L. (2015), A practitioner's guide to cluster-robust inference, *J. Human Resources* 50(2).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from analysis.data.jsonable import json_safe
from analysis.errors import ModelError
from analysis.models.casualties import casualty_design, fit_casualty_model
from analysis.models.coups import fit_coup_model
from analysis.models.results import ModelResult, require_columns, to_float

__all__ = [
    "Design",
    "LeaveOneOutResult",
    "leave_one_cluster_out",
    "model_design",
    "no_events",
    "refit",
    "t_reference",
    "term_status",
]


# ----------------------------------------------------------------------------- design


@dataclass
class Design:
    """The estimation sample and design of a fitted model, rebuilt from its spec.

    Attributes
    ----------
    y, X
        Outcome and full design (constant, terms, fixed-effect dummies), float64.
    names
        Column names of ``X``.
    offset
        Offset (log exposure) or None.
    clusters
        Cluster label of each row (numpy object array).
    family
        ``"poisson"``, ``"negbin"``, ``"logit"``, ``"firth"`` or ``"ols"``.
    k_terms
        Number of leading columns reported in the estimates (constant and terms).
    label
        Short description used in messages.
    vcov
        Covariance convention of a count model (``"joint"``, ``"glm_fixed_theta"``,
        ``"glm_fixed_theta_hc1"``; :mod:`analysis.models.counts`): the bootstrap studentizes
        with the same convention, so its observed ``t`` is the model's ``z``.
    """

    y: np.ndarray
    X: np.ndarray
    names: list[str]
    offset: np.ndarray | None
    clusters: np.ndarray
    family: str
    k_terms: int
    label: str
    vcov: str = "joint"

    def column(self, term: str) -> int:
        """Index of ``term`` in the design; ``KeyError`` lists the reported terms."""
        if term not in self.names[: self.k_terms]:
            raise KeyError(f"term {term!r} not in the model; terms: {', '.join(self.names[: self.k_terms])}")
        return self.names.index(term)


def model_design(result: ModelResult, data: pd.DataFrame, *, require_cluster: bool = True) -> Design:
    """Rebuild the estimation sample and design of ``result`` from the frame it was fitted on.

    Supported: :func:`~analysis.models.fit_casualty_model` (``spec["model"] == "casualties"``),
    :func:`~analysis.models.fit_coup_model` (``"coups"``) and
    :func:`~analysis.models.sensitivity.fit_linear` (``"linear"``). The same rows are dropped
    as by the fitting function (missing values, non-positive exposure, fixed-effect groups
    without any event) and the row count is checked against ``result.nobs``.

    Raises
    ------
    ValueError
        Another kind of model, a model without clusters, or data that do not reproduce the
        sample (different row count).
    """
    spec = result.spec
    kind = spec.get("model")
    cluster = spec.get("cluster")
    if not cluster and require_cluster:
        raise ValueError("the model was fitted without clusters: a wild cluster bootstrap needs cluster=...")
    if kind == "casualties":
        d = _count_design(spec, data, result.estimator)
    elif kind == "coups":
        d = _plain_design(spec, data, list(spec["terms"]), result.estimator, fe_cols=[])
    elif kind == "linear":
        d = _plain_design(spec, data, list(spec["terms"]), "ols", fe_cols=list(spec.get("fe_columns", [])))
    else:
        raise ValueError(
            f"model {kind!r} is not supported (casualties, coups and linear models are); "
            "for segmented trends use analysis.models.breaks"
        )
    if len(d.y) != result.nobs:
        raise ValueError(
            f"the data give {len(d.y)} estimation rows but the model used {result.nobs}: pass the frame "
            "the model was fitted on"
        )
    return d


def _count_design(spec: dict, df: pd.DataFrame, estimator: str) -> Design:
    """The sample of :func:`fit_casualty_model`, selected by its own :func:`casualty_design`."""
    cd = casualty_design(
        df,
        outcome=spec["outcome"],
        treatment=list(spec["treatment"]),
        controls=list(spec["controls"]),
        exposure=spec["exposure"],
        fe=spec["fe"],
        estimator=estimator,  # type: ignore[arg-type]
        cluster=spec["cluster"],
        vcov=spec.get("vcov", "joint"),
    )
    cdd = cd.design
    if cdd.groups is not None and cdd.group_levels is not None:
        clusters = np.asarray([cdd.group_levels[g] for g in cdd.groups], dtype=object)
    else:
        clusters = np.full(cdd.n, "all", dtype=object)
    return Design(
        y=cdd.y,
        X=cdd.dense(scaled=False),
        names=list(cdd.names),
        offset=cdd.offset,
        clusters=clusters,
        family="poisson" if estimator in ("poisson", "ppml") else "negbin",
        k_terms=cdd.p,
        label=cdd.label,
        vcov=spec.get("vcov", "joint"),
    )


def _plain_design(spec: dict, df: pd.DataFrame, terms: list[str], family: str, fe_cols: list[str]) -> Design:
    outcome, cluster = spec["outcome"], spec["cluster"]
    ids = [*fe_cols, *([cluster] if cluster else [])]
    require_columns(df, {"model columns": [outcome, *terms, *ids]})
    y = to_float(df[outcome])
    keep = ~np.isnan(y)
    cols = {c: to_float(df[c]) for c in terms}
    for c in terms:
        keep &= ~np.isnan(cols[c])
    for c in dict.fromkeys(ids):
        keep &= ~df[c].isna().to_numpy(dtype=bool)
    idx = np.flatnonzero(keep)
    blocks, fe_names = [], []
    for c in fe_cols:
        codes = pd.Categorical(df[c].to_numpy()[idx])
        blocks.append(np.eye(len(codes.categories))[codes.codes][:, 1:])
        fe_names += [f"{c}[{v}]" for v in codes.categories[1:]]
    X = np.column_stack([np.ones(len(idx))] + [cols[c][idx] for c in terms] + blocks)
    return Design(
        y=y[idx],
        X=X,
        names=["const", *terms, *fe_names],
        offset=None,
        clusters=np.asarray(
            df[cluster].to_numpy()[idx] if cluster else np.full(len(idx), "all"), dtype=object
        ),
        family=family,
        k_terms=1 + len(terms),
        label=f"{family} {spec.get('formula', outcome)} [cluster={cluster}]",
    )


def no_events(d: Design, j: int) -> str | None:
    """Why the term has no events to estimate from (binary term, count / binary outcome), or None."""
    if d.family == "ols":
        return None
    x = d.X[:, j]
    if not np.isin(x, (0.0, 1.0)).all():
        return None
    for v in (1.0, 0.0):
        sel = x == v
        if sel.any() and d.y[sel].sum() == 0:
            return f"no events in the {int(sel.sum())} rows where {d.names[j]!r} = {int(v)}"
    if d.family in ("logit", "firth"):
        sel = x == 1.0
        if sel.any() and d.y[sel].sum() == sel.sum():
            return f"only events in the rows where {d.names[j]!r} = 1"
    return None


def term_status(result: ModelResult, data: pd.DataFrame, term: str) -> tuple[str, str]:
    """``("ok", "")`` or ``("no events", why)`` for a term of a fitted model.

    A binary term with no event in the rows where it is 1 (or 0) -- e.g. a Firth fit with
    zero coups in partnership years, whose finite estimate is only the penalty speaking --
    must be reported as "no events", never as a number.
    """
    d = model_design(result, data, require_cluster=False)
    why = no_events(d, d.column(term))
    return ("no events", why) if why else ("ok", "")


# ----------------------------------------------------------------------------- t(G-1)


def t_reference(result: ModelResult, level: float = 0.95) -> ModelResult:
    """A copy of a cluster-robust result with p-values and intervals from t(G - 1).

    ``spec["reference"] = "t(G-1)"`` and ``fit_stats["df_reference"] = G - 1`` record it.
    Intervals that are not Wald intervals (Firth profile intervals) are refused.
    """
    G = result.n_clusters
    if G is None or G < 2:
        raise ValueError("t_reference needs a cluster-robust result with at least 2 clusters")
    if result.fit_stats.get("ci_method", "wald") != "wald":
        raise ValueError(
            f"the intervals are {result.fit_stats['ci_method']!r}, not Wald: a t reference does not apply"
        )
    df_ = G - 1
    est = result.estimates.copy()
    b, se = est["estimate"].to_numpy(float), est["std_error"].to_numpy(float)
    crit = float(stats.t.ppf(0.5 + level / 2, df_))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = b / se
    est["p_value"] = 2 * stats.t.sf(np.abs(z), df_)
    est["ci_low"], est["ci_high"] = b - crit * se, b + crit * se
    if result.estimator != "ols":
        with np.errstate(over="ignore"):
            est["ratio_ci_low"], est["ratio_ci_high"] = np.exp(est["ci_low"]), np.exp(est["ci_high"])
    out = dataclasses.replace(
        result,
        estimates=est,
        spec={**result.spec, "reference": f"t({df_})"},
        fit_stats={**result.fit_stats, "df_reference": df_, "p_value_method": f"wald, t({df_})"},
    )
    return out


# ----------------------------------------------------------------------------- leave one out


@dataclass
class LeaveOneOutResult:
    """Leave-one-cluster-out refits of one term.

    ``table``: one row per cluster left out (``cluster``, ``status``, ``reason``, ``nobs``,
    ``events``, ``estimate``, ``std_error``, ``ratio``, ``ratio_ci_low``, ``ratio_ci_high``,
    ``p_value``, ``change`` = estimate minus the full-sample estimate, ``sign_flips``,
    ``significance_changes``), sorted by ``|change|`` (most influential first; rows with
    another status last). ``full``: the full-sample row. ``range``: smallest and largest
    estimate and ratio among the ``"ok"`` refits and the clusters that give them.
    """

    term: str
    cluster: str
    full: dict
    table: pd.DataFrame
    range: dict

    def to_dict(self) -> dict:
        """JSON-safe dict."""
        return json_safe(
            {
                "term": self.term,
                "cluster": self.cluster,
                "full": self.full,
                "table": self.table,
                "range": self.range,
            }
        )


def refit(result: ModelResult, data: pd.DataFrame, *, estimates_only: bool = False) -> ModelResult:
    """Fit the model of ``result`` again on ``data`` with the same options.

    ``estimates_only``: the refit's estimates are all that is used, so a coup logit skips the
    constant-only fit behind ``fit_stats["llnull"]`` and ``["pseudo_r2"]`` (the estimates are
    the same).
    """
    spec = result.spec
    kind = spec.get("model")
    if kind == "casualties":
        return fit_casualty_model(
            data,
            outcome=spec["outcome"],
            treatment=spec["treatment"],
            controls=spec["controls"],
            exposure=spec["exposure"],
            fe=spec["fe"],
            estimator=result.estimator,  # type: ignore[arg-type]
            cluster=spec["cluster"],
            data_versions=result.data_versions,
            vcov=spec.get("vcov", "joint"),
        )
    if kind == "coups":
        return fit_coup_model(
            data,
            outcome=spec["outcome"],
            treatment=spec["treatment"],
            controls=spec["controls"],
            estimator=result.estimator,  # type: ignore[arg-type]
            duration=spec["duration"],
            cluster=spec["cluster"],
            data_versions=result.data_versions,
            null_model=not estimates_only,
        )
    if kind == "linear":
        from analysis.models.sensitivity import fit_linear

        return fit_linear(
            data,
            outcome=spec["outcome"],
            treatment=spec["treatment"],
            controls=spec["controls"],
            fe=spec.get("fe_columns", []),
            cluster=spec["cluster"],
            data_versions=result.data_versions,
        )
    raise ValueError(f"model {kind!r} is not supported (casualties, coups, linear)")


def leave_one_cluster_out(result: ModelResult, data: pd.DataFrame, term: str) -> LeaveOneOutResult:
    """Refit the model without each cluster in turn: which clusters drive the estimate.

    Parameters
    ----------
    result
        A clustered casualty, coup or linear model.
    data
        The frame it was fitted on.
    term
        The term whose estimate is tracked.

    Returns
    -------
    LeaveOneOutResult
        The table of refits and the range of the estimate (see the class).
    """
    cluster = result.spec.get("cluster")
    if not cluster:
        raise ValueError("the model was fitted without clusters")
    d = model_design(result, data)
    j = d.column(term)
    full = result.term(term)
    b0, p0 = float(full["estimate"]), float(full["p_value"])
    ratio = result.estimator != "ols"
    labels = pd.Series(data[cluster].to_numpy(), dtype=object).astype(str).to_numpy()
    design_labels = np.asarray([str(v) for v in d.clusters])
    used = sorted(set(design_labels))

    def refit_without(g: str) -> dict[str, Any]:
        sub = data[labels != g]
        rest = design_labels != g
        x = d.X[rest, j]
        yv = d.y[rest]
        row: dict[str, Any] = {"cluster": g, "nobs": np.nan, "events": float(np.nansum(yv))}
        why = None
        if d.family != "ols" and np.isin(x, (0.0, 1.0)).all():
            for v in (1.0, 0.0):
                if (x == v).any() and yv[x == v].sum() == 0:
                    why = f"no events in the rows where {term!r} = {int(v)} without {g}"
        if why:
            return row | {"status": "no events", "reason": why}
        try:
            r = refit(result, sub, estimates_only=True)
        except ModelError as e:
            return row | {"status": "not estimable", "reason": e.reason}
        t = r.term(term)
        return row | {
            "status": "ok",
            "reason": "",
            "nobs": r.nobs,
            "estimate": float(t["estimate"]),
            "std_error": float(t["std_error"]),
            "ratio": float(t["ratio"]) if ratio else np.nan,
            "ratio_ci_low": float(t["ratio_ci_low"]) if ratio else np.nan,
            "ratio_ci_high": float(t["ratio_ci_high"]) if ratio else np.nan,
            "ci_low": float(t["ci_low"]),
            "ci_high": float(t["ci_high"]),
            "p_value": float(t["p_value"]),
        }

    from analysis.models.forked import map_halves

    rows = map_halves(refit_without, used)  # each refit independent: on two cores when free
    cols = [
        "cluster",
        "status",
        "reason",
        "nobs",
        "events",
        "estimate",
        "std_error",
        "ci_low",
        "ci_high",
        "ratio",
        "ratio_ci_low",
        "ratio_ci_high",
        "p_value",
    ]
    table = pd.DataFrame(rows).reindex(columns=cols)
    table["change"] = table["estimate"] - b0
    ok = table["status"] == "ok"
    table["sign_flips"] = ok & (np.sign(table["estimate"]) != np.sign(b0))
    table["significance_changes"] = ok & ((table["p_value"] < 0.05) != (p0 < 0.05))
    table["_order"] = np.where(ok, -table["change"].abs(), np.inf)
    table = table.sort_values(["_order", "cluster"]).drop(columns="_order").reset_index(drop=True)
    if ok.any():
        t_ok = table[table["status"] == "ok"]
        lo, hi = t_ok["estimate"].idxmin(), t_ok["estimate"].idxmax()
        rng = {
            "estimate_min": float(t_ok.at[lo, "estimate"]),
            "estimate_max": float(t_ok.at[hi, "estimate"]),
            "cluster_at_min": str(t_ok.at[lo, "cluster"]),
            "cluster_at_max": str(t_ok.at[hi, "cluster"]),
            "ratio_min": float(np.exp(t_ok.at[lo, "estimate"])) if ratio else np.nan,
            "ratio_max": float(np.exp(t_ok.at[hi, "estimate"])) if ratio else np.nan,
            "refits_ok": int(len(t_ok)),
            "refits_not_ok": int((~ok).sum()),
            "sign_flips": int(table["sign_flips"].sum()),
            "significance_changes": int(table["significance_changes"].sum()),
        }
    else:
        rng = {"refits_ok": 0, "refits_not_ok": int(len(table))}
    full_row = {
        "estimate": b0,
        "std_error": float(full["std_error"]),
        "ratio": float(full["ratio"]) if ratio else np.nan,
        "p_value": p0,
        "n_clusters": len(used),
    }
    return LeaveOneOutResult(term=term, cluster=cluster, full=full_row, table=table, range=rng)
