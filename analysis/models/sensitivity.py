"""Sensitivity to unobserved confounding: E-values and Cinelli-Hazlett robustness values.

E-values (VanderWeele & Ding 2017)
----------------------------------
The E-value of a ratio estimate is the minimum strength of association, on the risk-ratio
scale, that an unmeasured confounder would need to have with both the treatment and the
outcome, conditional on the measured covariates, to fully explain away the estimate:
``E = RR + sqrt(RR (RR - 1))`` for ``RR >= 1`` (for ``RR < 1`` use ``1 / RR``). The E-value of
the confidence interval applies the same formula to the limit closer to 1, and is 1 when the
interval includes 1. Other ratios are first put on the risk-ratio scale:

* rate ratios (incidence-rate ratios of the count models: deaths per person-time, a rare
  outcome in every mission-month) and risk ratios: as they are;
* odds ratios: as they are when the outcome is rare (under 15%, the rule of VanderWeele &
  Ding), ``sqrt(OR)`` when it is common;
* hazard ratios: as they are when rare, ``(1 - 0.5^sqrt(HR)) / (1 - 0.5^sqrt(1/HR))`` when common.

Cinelli-Hazlett (2020) for a linear (probability) model
-------------------------------------------------------
For the OLS coefficient of a treatment ``D`` with classical t-statistic ``t`` and residual
degrees of freedom ``df``:

* partial R2 of the treatment with the outcome: ``R2_{Y~D|X} = t^2 / (t^2 + df)``;
* robustness value ``RV_q = (sqrt(f_q^4 + 4 f_q^2) - f_q^2) / 2`` with ``f_q = q |t| / sqrt(df)``:
  a confounder explaining ``RV_q`` of the residual variance of both treatment and outcome
  reduces the estimate by ``100 q`` percent;
* ``RV_{q,alpha}``: the same with ``f_q - f*`` where ``f* = |t*_{alpha/2, df-1}| / sqrt(df - 1)``
  (0 when ``f_q <= f*``; ``(f_q^2 - f*^2) / (1 + f_q^2)`` when ``f_q > 1 / f*``, the case where
  the bound on the outcome's partial R2 is not binding): the confounder strength that makes
  the ``1 - alpha`` interval include the estimate reduced by ``100 q`` percent;
* bounds from observed covariates (their section 6): a confounder ``k_D`` times as strongly
  associated with the treatment and ``k_Y`` times with the outcome as covariate ``X_j`` has
  ``R2_{D~Z|X} <= k_D R2_{D~Xj|X-j} / (1 - R2_{D~Xj|X-j})`` and
  ``R2_{Y~Z|D,X} <= ((sqrt(k_Y) + sqrt(r)) / sqrt(1 - r))^2 R2_{Y~Xj|D,X-j} / (1 - R2_{Y~Xj|D,X-j})``
  with ``r = k_D R2_{D~Xj|X-j}^2 / ((1 - k_D R2_{D~Xj|X-j}) (1 - R2_{D~Xj|X-j}))``; the adjusted
  estimate is ``sign(b) (|b| - se sqrt(df) sqrt(R2_YZ R2_DZ / (1 - R2_DZ)))`` with standard error
  ``se sqrt((1 - R2_YZ) / (1 - R2_DZ) df / (df - 1))``.

These are algebraic facts of the least-squares fit, so they use the classical (not
cluster-robust) t-statistics, as Cinelli & Hazlett do; the robust interval of the model is
not what they bound. Checked against the paper's Darfur example (``RV = 13.9%``,
``RV_{alpha=0.05} = 7.6%``, bounds 1-3x ``female``).

:func:`fit_linear` fits the linear (probability) variant: OLS with fixed-effect dummies and
cluster-robust standard errors, returning a :class:`~analysis.models.results.ModelResult`
that :mod:`analysis.models.wild_bootstrap` can bootstrap.

References: VanderWeele, T. J. & Ding, P. (2017), Sensitivity analysis in observational
research: introducing the E-value, *Annals of Internal Medicine* 167(4). Cinelli, C. &
Hazlett, C. (2020), Making sense of sensitivity: extending omitted variable bias, *JRSS B*
82(1).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.linear_model import OLS  # not statsmodels.api: 0.5 s more to import

from analysis.data.jsonable import json_safe
from analysis.errors import ModelError
from analysis.models.results import (
    ModelResult,
    as_list,
    check_distinct,
    check_finite,
    check_full_rank,
    check_option,
    estimates_frame,
    formula,
    record_warnings,
    require_columns,
    single_threaded_blas,
    to_float,
    unit_scale,
    unscale,
)

RatioKind = Literal["risk_ratio", "rate_ratio", "odds_ratio", "hazard_ratio"]

#: Outcome prevalence under which an odds or hazard ratio approximates a risk ratio.
RARE_OUTCOME = 0.15


# ----------------------------------------------------------------------------- E-values


def _rr_scale(ratio: float, kind: str, rare: bool) -> float:
    if kind in ("risk_ratio", "rate_ratio") or rare:
        return ratio
    if kind == "odds_ratio":
        return math.sqrt(ratio)
    # common-outcome hazard ratio
    return (1 - 0.5 ** math.sqrt(ratio)) / (1 - 0.5 ** math.sqrt(1 / ratio))


def _e(rr: float) -> float:
    r = rr if rr >= 1 else 1 / rr
    return r + math.sqrt(r * (r - 1))


def e_value(
    ratio: float,
    ci_low: float | None = None,
    ci_high: float | None = None,
    *,
    kind: RatioKind = "risk_ratio",
    rare: bool = True,
) -> dict:
    """E-values of a ratio estimate and of its confidence interval.

    Parameters
    ----------
    ratio
        The estimate (risk, rate, odds or hazard ratio), > 0.
    ci_low, ci_high
        Its confidence limits (optional).
    kind
        ``"risk_ratio"``, ``"rate_ratio"``, ``"odds_ratio"`` or ``"hazard_ratio"``.
    rare
        Whether the outcome is rare (< 15%): odds and hazard ratios are then used as risk
        ratios, otherwise converted (see the module docstring).

    Returns
    -------
    dict
        ``rr`` (the estimate on the risk-ratio scale), ``e_value`` (point), ``e_value_ci``
        (the interval's limit closer to 1; 1 when the interval includes 1; NaN without
        interval), ``kind``, ``rare``.
    """
    check_option("kind", kind, RatioKind)
    vals = [v for v in (ratio, ci_low, ci_high) if v is not None]
    if not all(
        isinstance(v, (int, float, np.floating, np.integer)) and math.isfinite(v) and v > 0 for v in vals
    ):
        # An infinite interval bound (open interval) is allowed below.
        if not (math.isfinite(ratio) and ratio > 0):
            raise ValueError(f"ratio must be a finite number > 0; got {ratio!r}")
    rr = _rr_scale(float(ratio), kind, rare)
    out = {"rr": rr, "e_value": _e(rr), "e_value_ci": np.nan, "kind": kind, "rare": bool(rare)}
    if ci_low is not None and ci_high is not None:
        lo, hi = float(ci_low), float(ci_high)
        if not lo <= hi:
            raise ValueError(f"ci_low must be <= ci_high; got {lo!r}, {hi!r}")
        if lo <= 1 <= hi:
            out["e_value_ci"] = 1.0
        else:
            limit = lo if rr > 1 else hi
            out["e_value_ci"] = (
                _e(_rr_scale(limit, kind, rare)) if math.isfinite(limit) and limit > 0 else np.inf
            )
    return out


def e_value_for(
    result: ModelResult,
    term: str,
    *,
    rare: bool | None = None,
    ci: tuple[float, float] | None = None,
) -> dict:
    """E-values of a term of a count or logit model (rate or odds ratio).

    Parameters
    ----------
    result
        A count (Poisson / NB2: rate ratio) or logit / Firth (odds ratio) result.
    term
        The term.
    rare
        For odds ratios: whether the outcome is rare; default: share of events
        ``fit_stats["events"] / nobs`` below 15%.
    ci
        Ratio interval to use instead of the model's Wald interval (e.g. the bootstrap interval).

    Returns
    -------
    dict
        As :func:`e_value`, plus ``term``, ``ratio``, ``ci_low``, ``ci_high`` (ratio scale) and
        ``outcome_share`` for odds ratios.
    """
    if result.estimator == "ols":
        raise ValueError("a linear model has no ratio: use robustness_value / sensitivity_linear")
    row = result.term(term)
    lo, hi = (float(row["ratio_ci_low"]), float(row["ratio_ci_high"])) if ci is None else map(float, ci)
    if result.estimator in ("logit", "firth"):
        kind: RatioKind = "odds_ratio"
        share = float(result.fit_stats.get("events", np.nan)) / result.nobs
        is_rare = share < RARE_OUTCOME if rare is None else bool(rare)
    else:
        kind, share, is_rare = "rate_ratio", np.nan, True
    ev = e_value(float(row["ratio"]), lo, hi, kind=kind, rare=is_rare)
    return {
        "term": term,
        "ratio": float(row["ratio"]),
        "ci_low": lo,
        "ci_high": hi,
        "outcome_share": share,
    } | ev


# ----------------------------------------------------------------------------- Cinelli-Hazlett


def partial_r2(t_stat: float, dof: float) -> float:
    """Partial R2 of a regressor with the outcome from its t-statistic: ``t^2 / (t^2 + dof)``."""
    return float(t_stat**2 / (t_stat**2 + dof))


def robustness_value(t_stat: float, dof: float, *, q: float = 1.0, alpha: float | None = None) -> float:
    """Cinelli-Hazlett robustness value ``RV_q`` (``alpha=None``) or ``RV_{q,alpha}``.

    Parameters
    ----------
    t_stat, dof
        Classical OLS t-statistic of the treatment and residual degrees of freedom.
    q
        Share of the estimate to explain away (1: all of it).
    alpha
        Significance level for ``RV_{q,alpha}``.
    """
    if not q > 0:
        raise ValueError(f"q must be > 0; got {q!r}")
    if dof <= 1:
        raise ValueError(f"dof must be > 1; got {dof!r}")
    fq = q * abs(t_stat) / math.sqrt(dof)
    if alpha is None:
        return 0.5 * (math.sqrt(fq**4 + 4 * fq**2) - fq**2)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1); got {alpha!r}")
    f_crit = abs(stats.t.ppf(alpha / 2, dof - 1)) / math.sqrt(dof - 1)
    fqa = fq - f_crit
    if fqa <= 0:
        return 0.0
    if fq > 1 / f_crit:
        return (fq**2 - f_crit**2) / (1 + fq**2)
    return 0.5 * (math.sqrt(fqa**4 + 4 * fqa**2) - fqa**2)


def benchmark_bounds(
    r2dxj_x: float,
    r2yxj_dx: float,
    kd: float | Sequence[float] = (1, 2, 3),
    ky: float | Sequence[float] | None = None,
) -> pd.DataFrame:
    """Bounds on a confounder's partial R2s, ``kd`` / ``ky`` times as strong as a benchmark covariate.

    Returns a frame with ``kd``, ``ky``, ``r2dz_x`` and ``r2yz_dx`` (capped at 1). A ``kd``
    that implies ``r2dz_x >= 1`` raises ``ValueError``.
    """
    kd_a = np.atleast_1d(np.asarray(kd, dtype=float))
    ky_a = kd_a if ky is None else np.atleast_1d(np.asarray(ky, dtype=float))
    if len(ky_a) != len(kd_a):
        raise ValueError("kd and ky need the same length")
    r2dz = kd_a * r2dxj_x / (1 - r2dxj_x)
    if np.any(r2dz >= 1):
        raise ValueError(
            f"kd={kd_a.tolist()} implies a partial R2 with the treatment >= 1: choose a smaller kd"
        )
    r2zxj = kd_a * r2dxj_x**2 / ((1 - kd_a * r2dxj_x) * (1 - r2dxj_x))
    if np.any(r2zxj >= 1):
        raise ValueError(f"kd={kd_a.tolist()} is impossible for this benchmark: choose a smaller kd")
    r2yz = ((np.sqrt(ky_a) + np.sqrt(r2zxj)) / np.sqrt(1 - r2zxj)) ** 2 * (r2yxj_dx / (1 - r2yxj_dx))
    return pd.DataFrame({"kd": kd_a, "ky": ky_a, "r2dz_x": r2dz, "r2yz_dx": np.minimum(r2yz, 1.0)})


def adjusted_estimate(
    estimate: float,
    se: float,
    dof: float,
    r2dz_x: np.ndarray | float,
    r2yz_dx: np.ndarray | float,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """Estimate, standard error, t and interval after removing the bias of a confounder of given strength.

    The bias reduces ``|estimate|`` (Cinelli & Hazlett 2020, eq. 9 and 11).
    """
    r2dz = np.atleast_1d(np.asarray(r2dz_x, dtype=float))
    r2yz = np.atleast_1d(np.asarray(r2yz_dx, dtype=float))
    bias = se * math.sqrt(dof) * np.sqrt(r2yz * r2dz / (1 - r2dz))
    adj = np.sign(estimate) * (abs(estimate) - bias)
    adj_se = se * np.sqrt((1 - r2yz) / (1 - r2dz) * dof / (dof - 1))
    crit = stats.t.ppf(0.5 + level / 2, dof - 1)
    return pd.DataFrame(
        {
            "adjusted_estimate": adj,
            "adjusted_se": adj_se,
            "adjusted_t": adj / adj_se,
            "adjusted_ci_low": adj - crit * adj_se,
            "adjusted_ci_high": adj + crit * adj_se,
        }
    )


@dataclass
class LinearSensitivity:
    """Cinelli-Hazlett sensitivity of one OLS coefficient.

    ``summary``: ``term``, ``estimate``, ``se`` (classical), ``t_stat``, ``dof``,
    ``r2yd_x`` (partial R2 of the treatment with the outcome), ``rv_q``, ``rv_qa``, ``q``,
    ``alpha``. ``bounds``: one row per benchmark covariate and multiplier with
    ``benchmark``, ``kd``, ``ky``, ``r2dz_x``, ``r2yz_dx``, ``r2dxj_x``, ``r2yxj_dx`` and the
    adjusted estimate, standard error, t and interval.
    """

    summary: dict
    bounds: pd.DataFrame

    def to_dict(self) -> dict:
        """JSON-safe dict."""
        return json_safe({"summary": self.summary, "bounds": self.bounds})


@single_threaded_blas
def sensitivity_linear(
    result: ModelResult,
    data: pd.DataFrame,
    term: str,
    *,
    benchmarks: Sequence[str] = (),
    kd: Sequence[float] = (1, 2, 3),
    ky: Sequence[float] | None = None,
    q: float = 1.0,
    alpha: float = 0.05,
) -> LinearSensitivity:
    """Cinelli-Hazlett robustness values and benchmark bounds of a term of a :func:`fit_linear` model.

    Parameters
    ----------
    result
        A :func:`fit_linear` result.
    data
        The frame it was fitted on (the design, fixed effects included, is rebuilt).
    term
        The treatment.
    benchmarks
        Observed covariates (terms of the model) to bound the confounder's strength by.
    kd, ky
        Multipliers of the benchmarks' strength with the treatment and the outcome
        (``ky`` defaults to ``kd``).
    q, alpha
        Share of the estimate explained away, and the level for ``RV_{q,alpha}``.
    """
    from analysis.models.inference import model_design

    if result.spec.get("model") != "linear":
        raise ValueError("sensitivity_linear needs a fit_linear result")
    d = model_design(result, data, require_cluster=False)
    j = d.column(term)
    Xs, _ = unit_scale(d.X)
    n, k = Xs.shape
    dof = n - k

    def t_of(y: np.ndarray, X: np.ndarray, col: int) -> tuple[float, float, float]:
        r = OLS(y, X).fit()
        return float(r.tvalues[col]), float(r.params[col]), float(r.bse[col])

    t_d, b_s, se_s = t_of(d.y, Xs, j)
    scale = float(np.max(np.abs(d.X[:, j]))) or 1.0
    b, se = b_s / scale, se_s / scale
    summary = {
        "term": term,
        "estimate": b,
        "se": se,
        "t_stat": t_d,
        "dof": dof,
        "r2yd_x": partial_r2(t_d, dof),
        "rv_q": robustness_value(t_d, dof, q=q),
        "rv_qa": float(robustness_value(t_d, dof, q=q, alpha=alpha)),
        "q": q,
        "alpha": alpha,
    }
    frames = []
    for bm in benchmarks:
        jb = d.column(bm)
        if jb == j:
            raise ValueError(f"benchmark {bm!r} is the treatment")
        t_y, _, _ = t_of(d.y, Xs, jb)
        others = [c for c in range(k) if c != j]
        t_dx, _, _ = t_of(Xs[:, j], Xs[:, others], others.index(jb))
        r2y = partial_r2(t_y, dof)
        r2d = partial_r2(t_dx, dof + 1)
        bd = benchmark_bounds(r2d, r2y, kd, ky)
        adj = adjusted_estimate(
            b, se, dof, bd["r2dz_x"].to_numpy(), bd["r2yz_dx"].to_numpy(), level=1 - alpha
        )
        frames.append(pd.concat([bd.assign(benchmark=bm, r2dxj_x=r2d, r2yxj_dx=r2y), adj], axis=1))
    cols = [
        "benchmark",
        "kd",
        "ky",
        "r2dxj_x",
        "r2yxj_dx",
        "r2dz_x",
        "r2yz_dx",
        "adjusted_estimate",
        "adjusted_se",
        "adjusted_t",
        "adjusted_ci_low",
        "adjusted_ci_high",
    ]
    bounds = pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)
    return LinearSensitivity(summary=summary, bounds=bounds)


# ----------------------------------------------------------------------------- linear model


@single_threaded_blas
def fit_linear(
    df: pd.DataFrame,
    *,
    outcome: str,
    treatment: str | list[str],
    controls: Sequence[str] = (),
    fe: Sequence[str] = (),
    cluster: str | None = None,
    data_versions: dict | None = None,
) -> ModelResult:
    """OLS (e.g. a linear probability model) with fixed-effect dummies and cluster-robust standard errors.

    Parameters
    ----------
    df
        The data; not modified.
    outcome, treatment, controls
        Columns (booleans cast to 0/1).
    fe
        Columns whose levels enter as dummies (reference level dropped), e.g. ``["year"]``.
    cluster
        Cluster column (CRV1, ``G/(G-1) (N-1)/(N-K)``); ``None``: HC1.
    data_versions
        Provenance dict stored in the result.

    Returns
    -------
    ModelResult
        ``estimator="ols"``, ``spec["model"] = "linear"``; ``estimates`` for the constant,
        treatment and controls (``ratio`` NaN); ``fit_stats`` with ``r2``, ``dof_resid``.
    """
    treat = as_list(treatment, "treatment")
    ctrl = as_list(controls, "controls")
    fe_cols = as_list(list(fe), "fe")
    if not treat:
        raise ValueError("treatment: at least one column is needed")
    check_distinct({"outcome": [outcome], "treatment": treat, "controls": ctrl, "fe": fe_cols})
    require_columns(
        df,
        {
            "outcome": [outcome],
            "treatment": treat,
            "controls": ctrl,
            "fe": fe_cols,
            "cluster": [cluster] if cluster else [],
        },
    )
    terms = treat + ctrl
    spec = {
        "model": "linear",
        "formula": formula(outcome, terms),
        "outcome": outcome,
        "treatment": treat,
        "controls": ctrl,
        "terms": terms,
        "fe_columns": fe_cols,
        "estimator": "ols",
        "cluster": cluster,
        "cov_type": "cluster" if cluster else "HC1",
    }
    label = f"ols {spec['formula']} [fe={fe_cols}, cluster={cluster}]"
    y = to_float(df[outcome])
    cols = {c: to_float(df[c]) for c in terms}
    keep = ~np.isnan(y)
    for c in terms:
        keep &= ~np.isnan(cols[c])
    for c in dict.fromkeys(fe_cols + ([cluster] if cluster else [])):
        keep &= ~df[c].isna().to_numpy(dtype=bool)
    idx = np.flatnonzero(keep)
    warn: list[str] = []
    if len(idx) < len(df):
        warn.append(f"dropped {len(df) - len(idx)} rows with a missing value")
    blocks, fe_names = [], []
    for c in fe_cols:
        codes = pd.Categorical(df[c].to_numpy()[idx])
        blocks.append(np.eye(len(codes.categories))[codes.codes][:, 1:])
        fe_names += [f"{c}[{v}]" for v in codes.categories[1:]]
    X = np.column_stack([np.ones(len(idx))] + [cols[c][idx] for c in terms] + blocks)
    names = ["const", *terms, *fe_names]
    k_terms = 1 + len(terms)
    for jj, c in enumerate(terms, start=1):
        if len(idx) and np.ptp(X[:, jj]) == 0:
            raise ModelError(label, f"{c!r} has no variation in the estimation sample")
    check_full_rank(X, names, label, [0] + list(range(k_terms, X.shape[1])) + list(range(1, k_terms)))
    Xs, s = unit_scale(X)
    groups = pd.factorize(df[cluster].to_numpy()[idx])[0] if cluster else None
    cov = {"cov_type": "cluster", "cov_kwds": {"groups": groups}} if cluster else {"cov_type": "HC1"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = OLS(y[idx], Xs).fit(**cov)
    record_warnings(caught, warn, prefix="OLS: ")
    b, V = unscale(np.asarray(r.params), np.asarray(r.cov_params()), s)
    check_finite(label, names, b, V)
    se = np.sqrt(np.diag(V))
    n_clusters = int(groups.max() + 1) if groups is not None else None
    if n_clusters is not None and n_clusters < 20:
        warn.append(f"only {n_clusters} clusters: cluster-robust standard errors may be too small")
    return ModelResult(
        estimator="ols",
        spec=spec,
        estimates=estimates_frame(names[:k_terms], b[:k_terms], se[:k_terms], ratio=False),
        nobs=len(idx),
        n_clusters=n_clusters,
        converged=True,
        fit_stats={
            "r2": float(r.rsquared),
            "dof_resid": float(r.df_resid),
            "cov_type": spec["cov_type"],
            "events": float(np.sum(y[idx])),
        },
        data_versions=dict(data_versions or {}),
        warnings=warn,
    )
