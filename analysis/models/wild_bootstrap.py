"""Wild cluster score bootstrap of one term of a fitted model (few, unequal clusters).

The sample is rebuilt from the model's spec by :func:`analysis.models.inference.model_design`;
:mod:`analysis.models.multiple_testing` uses the same machinery for Romano-Wolf p-values.

Wild cluster score bootstrap
----------------------------
For a term ``j`` and a null value ``b0``, the model is refitted with ``b_j`` held at ``b0``
(restricted estimate ``theta~``). With ``X`` the full design (constant, terms, fixed-effect
dummies), ``r_i`` the score residual and ``w_i`` the working weight at ``theta~``
(Poisson ``y - mu`` and ``mu``; NB2 ``(y - mu) / (1 + alpha mu)`` and ``mu / (1 + alpha mu)``
with ``alpha`` held at its restricted estimate; logit ``y - p`` and ``p (1 - p)``; Firth the
modified residual ``y - p + h (1/2 - p)``; OLS the residual and 1), the cluster scores are
``s_g = sum_{i in g} x_i r_i`` and the Hessian ``H = X' W X``. A bootstrap draw multiplies the
cluster scores by independent weights ``v_g`` (Rademacher +-1, or Webb's six-point
``+-sqrt(1/2), +-1, +-sqrt(3/2)``) and takes one Newton step with the Hessian held fixed
(Kline & Santos 2012)::

    theta* - theta~ = H^-1 sum_g v_g s_g
    s*_g            = v_g s_g - H_g (theta* - theta~)          (bootstrap "unrestricted" scores)
    t*              = (theta*_j - b0) / sqrt(c [H^-1 (sum_g s*_g s*_g') H^-1]_jj)

with ``c = G/(G-1) (N-1)/(N-K)`` (statsmodels' and Stata's CRV1 factor, so ``t`` at ``b*``
equals the model's own cluster-robust ``z``). The observed statistic is the cluster-robust
Wald ``t = (b_j - b0) / se_j`` of the unrestricted fit. For OLS this *is* the wild cluster
restricted (WCR) bootstrap of Cameron, Gelbach & Miller (2008) exactly (tested against
``wildboottest`` under full enumeration); for nonlinear models it is the score bootstrap of
Kline & Santos (2012) as implemented in Stata's ``boottest`` (Roodman, MacKinnon, Nielsen &
Webb 2019). The whole bootstrap reduces to a ``G``-vector and a ``G x G`` matrix, so
thousands of draws cost milliseconds. With Rademacher weights and ``2^G <= reps`` every sign
vector is enumerated (the bootstrap distribution is then exact, ``enumerated=True``).

* p-value: symmetric, ``P*(|t*| >= |t|)``; with random draws ``(1 + #{|t*| >= |t|}) / (1 + B)``
  (never 0), with full enumeration ``#{|t*| >= |t|} / 2^G``.
* ``ci="inversion"`` (default): the set of ``b0`` not rejected at ``1 - level`` (a restricted
  fit per point, the same draws at every point; bracketing then bisection to 1% of a
  standard error). ``ci="percentile_t"``: the wild cluster *unrestricted* bootstrap (scores
  at the unrestricted fit) and ``[b - q*_(1-a/2) se, b - q*_(a/2) se]``; cheaper, less
  accurate with very few clusters. A bound that is not reached within 64 standard errors
  is reported as infinite (the interval is open).

Degenerate cases are statuses, never numbers: a binary term with no event in the rows where
it is 1 (e.g. no coup in a partnership year) gives ``status="no events"``; a model that
cannot be refitted gives ``status="not estimable"`` with the reason.

References: Kline, P. & Santos, A. (2012), A score based approach to wild bootstrap
inference, *Journal of Econometric Methods* 1(1). Cameron, A. C., Gelbach, J. B. & Miller,
D. L. (2008), Bootstrap-based improvements for inference with clustered errors, *REStat*
90(3). Roodman, D., MacKinnon, J. G., Nielsen, M. O. & Webb, M. D. (2019), Fast and wild,
*Stata Journal* 19(1). Webb, M. D. (2023), Reworking wild bootstrap-based inference for
clustered errors, *Canadian Journal of Economics* 56(3).
"""

from __future__ import annotations

import dataclasses
import itertools
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import special, stats
from statsmodels.discrete.discrete_model import Logit

from analysis.data.jsonable import json_safe
from analysis.errors import ModelError
from analysis.models.casualties import fit_count
from analysis.models.coups import _firth_parts, firth_fit
from analysis.models.inference import Design, model_design, no_events
from analysis.models.results import ModelResult, check_option, single_threaded_blas, unit_scale

__all__ = [
    "BootstrapProblem",
    "BootstrapResult",
    "CIMethod",
    "Status",
    "Weights",
    "bootstrap_p_value",
    "bootstrap_term",
    "bootstrap_weights",
    "wild_cluster_bootstrap",
]

Weights = Literal["rademacher", "webb"]
CIMethod = Literal["inversion", "percentile_t"]
Status = Literal["ok", "no events", "not estimable"]

#: Webb's six-point weights (mean 0, variance 1).
WEBB_VALUES = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
#: Largest distance (in standard errors) searched for a bound of an inverted interval.
MAX_SE_SEARCH = 64.0

# ----------------------------------------------------------------------------- fits


@dataclass
class _Fit:
    theta: np.ndarray  # on the unit-scaled design, full length (the held coefficient included)
    r: np.ndarray  # score residuals
    w: np.ndarray  # working weights
    alpha: float | None = None  # NB2 dispersion (a parameter of the bootstrap, like statsmodels' sandwich)


class BootstrapProblem:
    """A design on the unit scale with the fits and score pieces the bootstrap needs."""

    def __init__(self, d: Design):
        self.d = d
        self.Xs, self.s = unit_scale(d.X)
        self.codes, self.labels = _cluster_codes(d.clusters)
        self.G = len(self.labels)
        n, k = d.X.shape
        # NB2 under the "joint" convention: alpha is a parameter of the sandwich (observed
        # information, K counts it); the glm conventions hold alpha fixed (expected information).
        self.joint_nb = d.family == "negbin" and d.vcov == "joint"
        k += self.joint_nb
        G = self.G
        if G < 2:
            self.c = 1.0
        elif d.vcov == "glm_fixed_theta":
            self.c = G / (G - 1)
        else:
            self.c = G / (G - 1) * (n - 1) / (n - k) if n > k else 1.0

    def fit(self, j: int | None = None, b0: float = 0.0) -> _Fit:
        """Unrestricted fit (``j=None``) or the fit with coefficient ``j`` held at ``b0`` (original scale)."""
        d, Xs = self.d, self.Xs
        k = Xs.shape[1]
        free = np.ones(k, dtype=bool)
        off = np.zeros(len(d.y)) if d.offset is None else d.offset.copy()
        b0s = 0.0
        if j is not None:
            free[j] = False
            b0s = b0 * self.s[j]
            off = off + b0s * Xs[:, j]
        Xf = Xs[:, free]
        names = [n for n, f in zip(d.names, free) if f]
        theta = np.zeros(k)
        if j is not None:
            theta[j] = b0s
        fam = d.family
        if fam in ("poisson", "negbin"):
            f = fit_count(d.y, Xf, names, off, fam, None, d.label, cov_type="model")
            theta[free] = f.params
            mu = np.exp(Xs @ theta + (d.offset if d.offset is not None else 0.0))
            if fam == "poisson":
                return _Fit(theta, d.y - mu, mu)
            a = float(f.alpha or 0.0)
            return _Fit(theta, (d.y - mu) / (1 + a * mu), mu / (1 + a * mu), alpha=a)
        if fam == "logit":
            theta[free] = _logit(d.y, Xf, off, d.label)
            p = special.expit(Xs @ theta)
            return _Fit(theta, d.y - p, p * (1 - p))
        if fam == "firth":
            with np.errstate(all="ignore"):
                ff = firth_fit(d.y, Xs, fixed=(j, b0s) if j is not None else None)
            if not ff["converged"]:
                raise ModelError(d.label, "Firth logit did not converge")
            theta = np.asarray(ff["beta"])
            resid = _firth_parts(theta, Xs, d.y)[5]
            p = special.expit(Xs @ theta)
            return _Fit(theta, np.asarray(resid), p * (1 - p))
        if fam == "ols":
            coef, *_ = np.linalg.lstsq(Xf, d.y - off, rcond=None)
            theta[free] = coef
            return _Fit(theta, d.y - Xs @ theta, np.ones(len(d.y)))
        raise ValueError(f"family {fam!r} is not supported")

    def pieces(self, fit: _Fit, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(q, K, H^-1): the bootstrap of term ``j`` around ``fit`` in G-space.

        ``q_g = a' s_g`` with ``a = H^-1 e_j``; ``K = S H^-1 M'`` with ``M_g = a' H_g``; the
        observed cluster-robust variance of ``b_j`` is ``c sum_g q_g^2`` (unit scale). For
        NB2 the parameter vector includes ``alpha`` and ``H`` is the observed information,
        as in statsmodels' cluster-robust covariance of the model.
        """
        Xs, codes, G = self.Xs, self.codes, self.G
        if fit.alpha and self.joint_nb:
            return self._pieces_nb2(fit, j)
        S = _group_sum(Xs * fit.r[:, None], codes, G)
        H = Xs.T @ (Xs * fit.w[:, None])
        Hinv = self._inv(H)
        a = Hinv[:, j]
        q = S @ a
        z = Xs @ a
        M = _group_sum(Xs * (fit.w * z)[:, None], codes, G)
        K = S @ Hinv @ M.T
        return q, K, Hinv

    def _inv(self, H: np.ndarray) -> np.ndarray:
        try:
            return np.linalg.inv(H)
        except np.linalg.LinAlgError as e:
            raise ModelError(self.d.label, f"singular Hessian in the bootstrap: {e}") from e

    def _pieces_nb2(self, fit: _Fit, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """NB2 with ``alpha`` as the last parameter: scores and observed information per row."""
        Xs, codes, G, y = self.Xs, self.codes, self.G, self.d.y
        alpha = float(fit.alpha or 0.0)
        a1 = 1.0 / alpha
        mu = np.exp(Xs @ fit.theta + (self.d.offset if self.d.offset is not None else 0.0))
        dg = special.digamma(a1 + y) - special.digamma(a1)
        s_alpha = -(a1**2) * (dg + np.log(a1 / (a1 + mu)) - (y - mu) / (a1 + mu))
        Sc = np.column_stack([Xs * ((y - mu) / (1 + alpha * mu))[:, None], s_alpha])
        c = a1 * mu * (a1 + y) / (mu + a1) ** 2  # -d2l/db db' = c x x'
        dd = mu * (y - mu) * a1**2 / (mu + a1) ** 2  # -d2l/db dalpha = dd x
        da1, da2 = -(alpha**-2), 2 * alpha**-3
        dalpha = da1 * (dg + np.log(a1 / (a1 + mu)) - (y - mu) / (a1 + mu))
        h_aa = da2 * dalpha / da1 + da1**2 * (
            special.polygamma(1, a1 + y)
            - special.polygamma(1, a1)
            + 1 / a1
            - 1 / (a1 + mu)
            + (y - mu) / (mu + a1) ** 2
        )
        e = -h_aa
        k = Xs.shape[1]
        H = np.empty((k + 1, k + 1))
        H[:k, :k] = Xs.T @ (Xs * c[:, None])
        H[:k, k] = H[k, :k] = Xs.T @ dd
        H[k, k] = e.sum()
        Hinv = self._inv(H)
        S = _group_sum(Sc, codes, G)
        a = Hinv[:, j]
        q = S @ a
        z = Xs @ a[:k]
        Mb = _group_sum(Xs * (c * z + a[k] * dd)[:, None], codes, G)
        Ma = _group_sum((dd * z + a[k] * e)[:, None], codes, G)
        M = np.column_stack([Mb, Ma])
        K = S @ Hinv @ M.T
        return q, K, Hinv

    def boot_t(self, fit: _Fit, j: int, V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(numerator, denominator) of ``t*`` for every row of ``V`` (scaled units)."""
        q, K, _ = self.pieces(fit, j)
        num = V @ q
        U = V * q[None, :] - V @ K
        den = np.sqrt(self.c * np.einsum("bg,bg->b", U, U))
        return num, den


def _logit(y: np.ndarray, X: np.ndarray, offset: np.ndarray, label: str) -> np.ndarray:
    failures = []
    for method, maxiter in (("newton", 100), ("bfgs", 2000)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                with np.errstate(all="ignore"):
                    r = Logit(y, X, offset=offset).fit(method=method, maxiter=maxiter, disp=0)
            except Exception as e:  # statsmodels raises several types
                failures.append(f"{method}: {type(e).__name__}: {e}")
                continue
        if r.mle_retvals.get("converged", False) and np.all(np.isfinite(r.params)):
            return np.asarray(r.params)
        failures.append(f"{method}: did not converge")
    raise ModelError(label, "logit did not converge: " + "; ".join(failures))


def _cluster_codes(labels: np.ndarray) -> tuple[np.ndarray, list]:
    """Integer codes of cluster labels, in the sorted order of their string form."""
    keys = [str(v) for v in labels]
    uniq = sorted(set(keys))
    pos = {u: i for i, u in enumerate(uniq)}
    return np.fromiter((pos[k] for k in keys), dtype=np.int64, count=len(keys)), uniq


def _group_sum(A: np.ndarray, codes: np.ndarray, G: int) -> np.ndarray:
    out = np.zeros((G, A.shape[1]))
    np.add.at(out, codes, A)
    return out


def bootstrap_weights(
    labels: Sequence[str], reps: int, weights: Weights = "rademacher", seed: int = 12345
) -> tuple[np.ndarray, bool]:
    """Weights ``(B, G)`` for the clusters ``labels`` (in that order) and whether they enumerate.

    Rademacher weights with ``2^G <= reps`` enumerate every sign vector (``B = 2^G``);
    otherwise ``reps`` independent draws from ``numpy.random.default_rng(seed)``.
    """
    check_option("weights", weights, Weights)
    if isinstance(reps, bool) or not isinstance(reps, (int, np.integer)) or reps < 9:
        raise ValueError(f"reps must be an integer >= 9; got {reps!r}")
    G = len(labels)
    if weights == "rademacher" and G <= 20 and 2**G <= reps:
        return np.array(list(itertools.product((1.0, -1.0), repeat=G))), True
    rng = np.random.default_rng(seed)
    if weights == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size=(int(reps), G)), False
    return rng.choice(WEBB_VALUES, size=(int(reps), G)), False


def bootstrap_p_value(t_boot: np.ndarray, t: float, enumerated: bool) -> float:
    """Symmetric bootstrap p-value ``P*(|t*| >= |t|)``.

    ``hits / B`` under full enumeration, else ``(1 + hits) / (1 + B)`` (never 0).
    """
    hits = int(np.sum(np.abs(t_boot) >= abs(t) - 1e-12 * max(1.0, abs(t))))
    return hits / len(t_boot) if enumerated else (1 + hits) / (1 + len(t_boot))


# ----------------------------------------------------------------------------- bootstrap


@dataclass
class BootstrapResult:
    """Wild cluster (score) bootstrap test and interval of one term.

    ``status`` is ``"ok"``, ``"no events"`` or ``"not estimable"`` (with ``reason``); when it
    is not ``"ok"`` every number is NaN. Coefficients are on the model's scale (log ratios for
    count and logit models); ``ratio*`` are their exponentials (NaN for OLS).
    """

    term: str
    estimator: str
    status: Status
    reason: str = ""
    estimate: float = np.nan
    std_error: float = np.nan
    t_stat: float = np.nan
    null: float = 0.0
    p_value: float = np.nan
    p_value_normal: float = np.nan
    p_value_t: float = np.nan
    ci_low: float = np.nan
    ci_high: float = np.nan
    ratio: float = np.nan
    ratio_ci_low: float = np.nan
    ratio_ci_high: float = np.nan
    level: float = 0.95
    ci_method: str = "inversion"
    n_clusters: int = 0
    nobs: int = 0
    reps: int = 0
    weights: str = "rademacher"
    seed: int = 0
    enumerated: bool = False
    notes: list[str] = field(default_factory=list)
    t_boot: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)

    def to_dict(self) -> dict:
        """JSON-safe dict (the bootstrap draws ``t_boot`` left out)."""
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "t_boot"}
        return json_safe(d)


@single_threaded_blas
def wild_cluster_bootstrap(
    result: ModelResult,
    data: pd.DataFrame,
    term: str,
    *,
    reps: int = 9999,
    weights: Weights = "rademacher",
    seed: int = 12345,
    ci: CIMethod = "inversion",
    level: float = 0.95,
    null: float = 0.0,
) -> BootstrapResult:
    """Wild cluster score bootstrap p-value and interval of one term of a fitted model.

    Parameters
    ----------
    result
        A clustered :func:`fit_casualty_model`, :func:`fit_coup_model` or
        :func:`~analysis.models.sensitivity.fit_linear` result.
    data
        The frame the model was fitted on (the sample is rebuilt and checked).
    term
        Term to test (e.g. the treatment).
    reps
        Bootstrap replications (all ``2^G`` sign vectors instead when that is fewer and the
        weights are Rademacher).
    weights
        ``"rademacher"`` or ``"webb"`` (better with fewer than about 12 clusters).
    seed
        Seed of the weights (the same seed gives the same draws).
    ci
        ``"inversion"`` (restricted bootstrap, test inversion) or ``"percentile_t"``.
    level
        Confidence level of the interval.
    null
        Null value of the coefficient (model scale) for ``t`` and the p-value.

    Returns
    -------
    BootstrapResult
        Bootstrap p-value (WCR), Wald p-values with normal and t(G-1) references, the
        interval and its ratio form; ``status`` ``"no events"`` / ``"not estimable"`` with NaN
        numbers when the term cannot be tested.
    """
    check_option("ci", ci, CIMethod)
    check_option("weights", weights, Weights)
    if not 0.5 < level < 1:
        raise ValueError(f"level must be in (0.5, 1); got {level!r}")
    d = model_design(result, data)
    j = d.column(term)
    prob = BootstrapProblem(d)
    V, enumerated = bootstrap_weights(prob.labels, reps, weights, seed)
    base = BootstrapResult(
        term=term,
        estimator=result.estimator,
        status="ok",
        null=float(null),
        level=level,
        ci_method=ci,
        n_clusters=prob.G,
        nobs=len(d.y),
        reps=len(V),
        weights=weights,
        seed=int(seed),
        enumerated=enumerated,
    )
    why = no_events(d, j)
    if why:
        return dataclasses.replace(base, status="no events", reason=why)
    if prob.G < 2:
        return dataclasses.replace(base, status="not estimable", reason="fewer than 2 clusters")
    try:
        out = bootstrap_term(prob, j, V, enumerated, ci, level, null, result)
    except ModelError as e:
        return dataclasses.replace(base, status="not estimable", reason=e.reason)
    return dataclasses.replace(base, **out)


def bootstrap_term(
    prob: BootstrapProblem,
    j: int,
    V: np.ndarray,
    enumerated: bool,
    ci: str,
    level: float,
    null: float,
    result: ModelResult | None,
) -> dict:
    """Observed ``t``, bootstrap ``t*``, p-value and interval of term ``j``.

    Returns the numbers of a :class:`BootstrapResult`; ``result`` (if given) is checked
    against the unrestricted refit.
    """
    d, s_j = prob.d, prob.s[j]
    full = prob.fit()
    if result is not None:
        _check_same_fit(prob, full, result)
    q_u, _, _ = prob.pieces(full, j)
    se_s = float(np.sqrt(prob.c * np.sum(q_u**2)))
    b_s = float(full.theta[j])
    if not (np.isfinite(se_s) and se_s > 0):
        raise ModelError(
            d.label, f"the cluster-robust standard error of {d.names[j]!r} is zero or not finite"
        )
    null_s = null * s_j
    t_obs = (b_s - null_s) / se_s
    notes: list[str] = []
    restricted = prob.fit(j, null)
    num, den = prob.boot_t(restricted, j, V)
    t_boot = num / den
    p = bootstrap_p_value(t_boot, t_obs, enumerated)
    alpha = 1 - level
    if ci == "percentile_t":
        num_u, den_u = prob.boot_t(full, j, V)
        tu = num_u / den_u
        lo_s = b_s - np.quantile(tu, 1 - alpha / 2) * se_s
        hi_s = b_s - np.quantile(tu, alpha / 2) * se_s
    else:

        def p_at(b0_s: float) -> float:
            try:
                fit = prob.fit(j, b0_s / s_j)
            except ModelError as e:
                raise _NoFit(e.reason) from e
            n_, d_ = prob.boot_t(fit, j, V)
            return bootstrap_p_value(n_ / d_, (b_s - b0_s) / se_s, enumerated)

        lo_s = _invert(p_at, b_s, -se_s, alpha, notes)
        hi_s = _invert(p_at, b_s, se_s, alpha, notes)
    b, se = b_s / s_j, se_s / s_j
    lo, hi = lo_s / s_j, hi_s / s_j
    G = prob.G
    ratio = d.family != "ols"
    with np.errstate(over="ignore"):
        return {
            "estimate": b,
            "std_error": se,
            "t_stat": t_obs,
            "p_value": p,
            "p_value_normal": float(2 * stats.norm.sf(abs(t_obs))),
            "p_value_t": float(2 * stats.t.sf(abs(t_obs), G - 1)),
            "ci_low": lo,
            "ci_high": hi,
            "ratio": float(np.exp(b)) if ratio else np.nan,
            "ratio_ci_low": float(np.exp(lo)) if ratio else np.nan,
            "ratio_ci_high": float(np.exp(hi)) if ratio else np.nan,
            "t_boot": t_boot,
            "notes": notes,
        }


class _NoFit(Exception):
    """A restricted refit failed while inverting the test."""


def _invert(p_at: Callable[[float], float], b: float, step: float, alpha: float, notes: list[str]) -> float:
    """The point beyond ``b`` in the direction of ``step`` where the p-value falls below ``alpha``.

    When the restricted model cannot be fitted at a point of the search, the bound is reported
    as open (infinite) and ``notes`` says why.
    """
    side = "upper" if step > 0 else "lower"
    inside, m = b, 1.0
    try:
        while m <= MAX_SE_SEARCH:
            cand = b + m * step
            if p_at(cand) < alpha:
                outside = cand
                break
            inside, m = cand, m * 2.0
        else:
            notes.append(f"{side} bound not reached within {MAX_SE_SEARCH:g} standard errors: open interval")
            return float(np.inf if step > 0 else -np.inf)
        for _ in range(30):
            if abs(outside - inside) < 0.01 * abs(step):
                break
            mid = 0.5 * (inside + outside)
            if p_at(mid) < alpha:
                outside = mid
            else:
                inside = mid
    except _NoFit as e:
        notes.append(f"{side} bound: the restricted model could not be fitted ({e}): open interval")
        return float(np.inf if step > 0 else -np.inf)
    return float(0.5 * (inside + outside))


def _check_same_fit(prob: BootstrapProblem, fit: _Fit, result: ModelResult) -> None:
    d = prob.d
    b = fit.theta[: d.k_terms] / prob.s[: d.k_terms]
    est = result.estimates.set_index("term")
    for name, v in zip(d.names[: d.k_terms], b):
        if name not in est.index:
            continue
        ref, se = float(est.at[name, "estimate"]), float(est.at[name, "std_error"])
        if not abs(v - ref) <= 0.01 * se + 1e-6 * max(1.0, abs(ref)):
            raise ValueError(
                f"refitting on the data gives {name} = {v:.6g}, the model has {ref:.6g}: pass the frame the "
                "model was fitted on"
            )
