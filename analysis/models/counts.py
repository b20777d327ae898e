"""The count-model engine: PPML (Poisson) and NB2 fitted by Newton on design arrays.

:func:`analysis.models.fit_casualty_model` builds a :class:`CountDesign` from a frame and
calls :func:`fit_design`; other modules (bootstrap, event studies, specification curves)
can build one design and refit it cheaply on reweighted or resampled rows
(``fit_design(design, weights=...)``, :meth:`CountDesign.subset`), warm-started from a
neighbouring fit (``start=``).

The design (:class:`~analysis.models.count_design.CountDesign`, fixed effects as index
arrays, separation) is in :mod:`analysis.models.count_design`; the covariance conventions
(``vcov``, small-sample factors) in :mod:`analysis.models.count_vcov`.

Estimators
----------
* **PPML** (Poisson pseudo-maximum likelihood; ``"ppml"``, alias ``"poisson"``): Newton
  (= IRLS for the log link) from the IRLS start ``mu = (y + mean(y)) / 2``, with step
  halving on the log-likelihood. Consistent whenever ``E[y|x] = exp(x'b)``, whatever the
  variance (Santos Silva & Tenreyro 2006), so it is the robust companion of NB2.
* **NB2** (``"negbin"``): ``Var(y) = mu + alpha mu^2``, ``(b, alpha)`` by joint maximum
  likelihood, Newton on ``(b, log alpha)``. Optimizer path: (0. Newton from a warm start,
  when given;) 1. Newton from the Poisson estimates and the moment estimate of ``alpha``;
  2. Newton from the Poisson estimates and ``alpha0 = 1``; 3. BFGS, polished by Newton;
  4. Nelder-Mead, polished by Newton. Every attempt is recorded (``optimizer_path``) and
  a result is **accepted only when the largest scaled score is below** ``1e-6``:

  .. math:: s_j = |g_j| \\sqrt{[(-H)^{-1}]_{jj}}

  the score of parameter ``j`` times its model-based standard error (``H`` the Hessian of
  the log-likelihood). ``s_j`` does not depend on the units of the covariate, and it is
  the length of the Newton step of parameter ``j`` measured in standard errors when the
  parameters are uncorrelated; ``1e-6`` means one more step would move no estimate by more
  than about a millionth of its standard error. Newton continues past that until the
  largest scaled score is below ``1e-9`` (or rounding stops progress), so fits from
  different starts agree to about ``1e-9`` of a standard error. Also recorded: the
  Euclidean norm of the score on the original scale (``gradient_norm``).

  When the Poisson fit shows no overdispersion (``sum (y - mu)^2 - y <= 0``) or Newton
  drives ``alpha`` below ``1e-10``, the maximum is on the boundary ``alpha = 0`` and the
  NB2 estimates are the Poisson ones (``alpha = 0``, recorded and warned).
"""

from __future__ import annotations

import math
import warnings
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import linalg, optimize, special

from analysis.errors import ModelError
from analysis.models import count_vcov
from analysis.models.count_design import CountDesign
from analysis.models.count_vcov import CountVcov, CovType
from analysis.models.results import check_option

#: A result is accepted only when the largest scaled score is below this.
ACCEPT_SCALED_SCORE = 1e-6
#: Newton stops when the largest scaled score is below this (or rounding stops progress).
STOP_SCALED_SCORE = 1e-9
#: A coefficient larger than this on the unit-scaled design means the estimate diverges.
DIVERGENCE_LIMIT = 25.0
#: Largest Newton step (in any coordinate of the unit-scaled parameters), as in logistf.
MAX_STEP = 5.0
#: alpha below this is the boundary alpha = 0 (NB2 = Poisson).
ALPHA_FLOOR = 1e-10

# ----------------------------------------------------------------------------- results


@dataclass
class CountFit:
    """Output of :func:`fit_design` (original scale of the design).

    ``params`` / ``cov`` cover the design's parameters (dense terms, then fixed-effect
    levels), not ``alpha``. ``start_values`` maps every parameter name (and ``"alpha"``) to
    its estimate and ``"poisson"`` to the Poisson estimates: pass it as ``start=`` to warm
    start a neighbouring fit.
    """

    params: np.ndarray
    cov: np.ndarray
    names: list[str]
    mu: np.ndarray
    llf: float
    aic: float
    bic: float
    converged: bool
    optimizer: str
    iterations: int | None
    alpha: float | None = None
    alpha_se: float | None = None
    llf_poisson: float | None = None
    dispersion: float | None = None
    warnings: list[str] = field(default_factory=list)
    optimizer_path: list[str] = field(default_factory=list)
    gradient_norm: float | None = None
    max_scaled_score: float | None = None
    vcov: str = "joint"
    cov_type: str = "HC0"
    small_sample_factor: float = 1.0
    nobs: int = 0
    start_values: dict = field(default_factory=dict)


@dataclass
class _Newton:
    theta: np.ndarray
    ll: float
    iterations: int
    converged: bool
    max_scaled_score: float
    reason: str = ""


# ----------------------------------------------------------------------------- likelihoods


class _Problem:
    """Log-likelihood, score and Hessian of one estimator on one design (unit-scaled)."""

    def __init__(self, design: CountDesign, weights: np.ndarray | None, nb: bool) -> None:
        self.d = design
        self.w = np.ones(design.n) if weights is None else np.asarray(weights, dtype=np.float64)
        self.nb = nb
        self.off = design.offset if design.offset is not None else 0.0
        self.k = design.k + (1 if nb else 0)
        # Gamma-function differences in y vanish where y = 0 (most rows): compute them on y > 0 only.
        self.pos = np.flatnonzero(design.y > 0)
        self.ypos = design.y[self.pos]
        self.wpos = self.w[self.pos]

    def _dgamma(self, fn: Callable[[Any], Any], a1: float) -> np.ndarray:
        """``fn(y + a1) - fn(a1)`` for every row (0 where y = 0)."""
        out = np.zeros(self.d.n)
        out[self.pos] = fn(self.ypos + a1) - fn(a1)
        return out

    def mu(self, theta: np.ndarray) -> np.ndarray:
        return np.exp(np.clip(self.d.xb(theta[: self.d.k]) + self.off, -700.0, 700.0))

    def loglik(self, theta: np.ndarray) -> float:
        d, w, y = self.d, self.w, self.d.y
        if not np.all(np.isfinite(theta)) or (self.nb and abs(theta[-1]) > 700):
            return -np.inf
        eta = np.clip(d.xb(theta[: d.k]) + self.off, -700.0, 700.0)
        mu = np.exp(eta)
        if not self.nb:
            ll = np.sum(w * (y * eta - mu - d.lgy1))
        else:
            a = math.exp(theta[-1])
            a1 = 1.0 / a
            L = np.log1p(a * mu)
            lg = float(np.sum(self.wpos * (special.gammaln(self.ypos + a1) - special.gammaln(a1))))
            ll = lg + np.sum(w * (y * (theta[-1] + eta - L) - d.lgy1 - a1 * L))
        return float(ll) if np.isfinite(ll) else -np.inf

    def parts(self, theta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """Log-likelihood, score and negative Hessian (NB2: in ``(b, log alpha)``)."""
        d, w, y = self.d, self.w, self.d.y
        ll = self.loglik(theta)
        mu = self.mu(theta)
        if not self.nb:
            return ll, d.xtv(w * (y - mu)), d.xtwx(w * mu)
        eta_a = theta[-1]
        a = math.exp(eta_a)
        g_b, g_a, nh_bb, h_ba, h_aa = self._nb_terms(mu, a)
        k = d.k
        g = np.empty(k + 1)
        g[:k] = g_b
        g[k] = a * g_a
        negH = np.empty((k + 1, k + 1))
        negH[:k, :k] = nh_bb
        negH[:k, k] = negH[k, :k] = -a * h_ba
        negH[k, k] = -(a * a * h_aa + a * g_a)
        return ll, g, negH

    def _nb_terms(self, mu: np.ndarray, a: float):
        """NB2 score and Hessian pieces in ``(b, alpha)`` (statsmodels' formulas)."""
        d, w, y = self.d, self.w, self.d.y
        a1 = 1.0 / a
        u = a * mu
        opu = 1.0 + u
        r = (y - mu) / opu
        dg = self._dgamma(special.digamma, a1)
        L = np.log1p(u)
        dalpha = -(a1**2) * (dg - L - a * (y - mu) / opu)
        g_b = d.xtv(w * r)
        g_a = float(np.sum(w * dalpha))
        nh_bb = d.xtwx(w * mu * (1.0 + a * y) / opu**2)
        h_ba = d.xtv(w * (-mu * (y - mu) / opu**2))
        da1 = -(a**-2)
        da2 = 2 * a**-3
        tri = self._dgamma(_trigamma, a1)
        h_aa = float(
            np.sum(
                w
                * (
                    da2 * dalpha / da1
                    + da1**2 * (tri + 1 / a1 - 1 / (a1 + mu) + (y - mu) / (mu + a1) ** 2)
                )
            )
        )
        return g_b, g_a, nh_bb, h_ba, h_aa

    def alpha_parts(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """NB2 score and negative Hessian in ``(b, alpha)`` (for the joint covariance)."""
        a = math.exp(theta[-1])
        g_b, g_a, nh_bb, h_ba, h_aa = self._nb_terms(self.mu(theta), a)
        k = self.d.k
        negH = np.empty((k + 1, k + 1))
        negH[:k, :k] = nh_bb
        negH[:k, k] = negH[k, :k] = -h_ba
        negH[k, k] = -h_aa
        return np.append(g_b, g_a), negH


def _trigamma(x: Any) -> Any:
    return special.polygamma(1, x)


# ----------------------------------------------------------------------------- Newton


def _factor(negH: np.ndarray) -> tuple[Any, bool]:
    """Cholesky of ``negH`` (finite), regularised (Levenberg) when not positive definite."""
    try:
        return linalg.cho_factor(negH, check_finite=False), False
    except (linalg.LinAlgError, ValueError):
        pass
    if not np.all(np.isfinite(negH)):
        raise np.linalg.LinAlgError("non-finite Hessian")
    scale = max(float(np.mean(np.abs(np.diag(negH)))), 1e-12)
    lam = 1e-8 * scale
    eye = np.eye(len(negH))
    for _ in range(40):
        try:
            return linalg.cho_factor(negH + lam * eye, check_finite=False), True
        except linalg.LinAlgError:
            lam *= 10.0
    raise np.linalg.LinAlgError("Hessian cannot be regularised")


def _scaled_score(g: np.ndarray, cf: Any) -> tuple[float, np.ndarray]:
    inv = linalg.cho_solve(cf, np.eye(len(g)), check_finite=False)
    se = np.sqrt(np.maximum(np.diag(inv), 0.0))
    return float(np.max(np.abs(g) * se)) if len(g) else 0.0, inv


def _run_newton(
    prob: _Problem, theta0: np.ndarray, purpose: str, max_iter: int = 200
) -> _Newton:
    """Newton-Raphson with step halving from ``theta0``; ``purpose`` names the attempt."""
    theta = np.array(theta0, dtype=np.float64)
    ll = prob.loglik(theta)
    if not np.isfinite(ll):
        return _Newton(theta, ll, 0, False, np.inf, "non-finite log-likelihood at the start")
    below_accept = 0
    sc = np.inf
    for it in range(1, max_iter + 1):
        ll, g, negH = prob.parts(theta)
        if not (np.isfinite(ll) and np.all(np.isfinite(g)) and np.all(np.isfinite(negH))):
            return _Newton(theta, ll, it, False, np.inf, "non-finite log-likelihood, score or Hessian")
        cf, regularised = _factor(negH)
        step = linalg.cho_solve(cf, g, check_finite=False)
        # Newton decrement: bounds |step_j| / se_j for every j. The scaled score (the
        # acceptance criterion) needs the diagonal of the inverse: computed near the end only.
        if not regularised and float(g @ step) < 1e-8:
            sc, _ = _scaled_score(g, cf)
            if sc < STOP_SCALED_SCORE:
                return _Newton(theta, ll, it - 1, True, sc)
            if sc < ACCEPT_SCALED_SCORE:
                below_accept += 1
                if below_accept > 3:  # rounding limits further progress
                    return _Newton(theta, ll, it - 1, True, sc)
        big = float(np.max(np.abs(step))) if len(step) else 0.0
        if big > MAX_STEP:
            step *= MAX_STEP / big
        t = 1.0
        tol = 1e-12 * (1.0 + abs(ll))
        while True:
            cand = theta + t * step
            ll_new = prob.loglik(cand)
            if ll_new >= ll - tol:
                break
            t *= 0.5
            if t < 1e-10:
                ok = (not regularised) and sc < ACCEPT_SCALED_SCORE
                return _Newton(theta, ll, it, ok, sc, "" if ok else "line search failed")
        theta = cand
        if prob.nb and theta[-1] < math.log(ALPHA_FLOOR):
            return _Newton(theta, ll_new, it, False, sc, "alpha -> 0")
        if np.any(np.abs(theta[1 : prob.d.k]) > 2 * DIVERGENCE_LIMIT) or (prob.nb and theta[-1] > 25):
            return _Newton(theta, ll_new, it, False, sc, "diverging coefficients")
    return _Newton(theta, prob.loglik(theta), max_iter, False, sc, f"no convergence in {max_iter} iterations")


def _quasi_newton(prob: _Problem, theta0: np.ndarray, method: str, maxiter: int) -> tuple[np.ndarray, str]:
    """BFGS (analytic gradient) or Nelder-Mead from ``theta0``; returns (theta, note)."""

    def f(th: np.ndarray) -> float:
        v = prob.loglik(th)
        return -v if np.isfinite(v) else 1e300

    def jac(th: np.ndarray) -> np.ndarray:
        _, g, _ = prob.parts(th)
        return -g if np.all(np.isfinite(g)) else np.zeros_like(g)

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if method == "bfgs":
            opts = {"maxiter": maxiter, "gtol": 1e-8}
            res = optimize.minimize(f, theta0, jac=jac, method="BFGS", options=opts)
        else:
            res = optimize.minimize(
                f, theta0, method="Nelder-Mead",
                options={"maxiter": maxiter, "maxfev": maxiter, "xatol": 1e-10, "fatol": 1e-12},
            )
    return np.asarray(res.x), f"{res.nit} iterations, {'converged' if res.success else str(res.message)}"


# ----------------------------------------------------------------------------- fitting


def fit_design(
    design: CountDesign,
    estimator: str = "negbin",
    *,
    vcov: CountVcov = "joint",
    cov_type: CovType | None = None,
    weights: np.ndarray | None = None,
    start: Mapping[str, Any] | None = None,
    compute_cov: bool = True,
) -> CountFit:
    """Fit PPML or NB2 on a :class:`CountDesign`.

    Parameters
    ----------
    design
        The design (see :class:`CountDesign`).
    estimator
        ``"negbin"`` (NB2), ``"ppml"`` or its alias ``"poisson"``.
    vcov
        Covariance convention (:mod:`analysis.models.count_vcov`): ``"joint"``,
        ``"glm_fixed_theta"`` or ``"glm_fixed_theta_hc1"``.
    cov_type
        ``"cluster"`` (needs ``design.groups``), ``"HC0"`` (heteroskedasticity-robust, no
        clusters) or ``"model"`` (model-based: Poisson scaled by the Pearson dispersion
        ``max(1, X2/(n-k))``, i.e. quasi-Poisson; NB2 the inverse observed Hessian of
        ``(b, alpha)``, or the inverse expected information of ``b`` with ``alpha`` fixed for
        the ``glm_fixed_theta`` conventions, R's ``vcov(glm.nb)``). Default: ``"cluster"``
        when the design has clusters, else ``"HC0"``.
    weights
        Frequency weights per row (e.g. how often a bootstrap draw took the row's cluster,
        or balancing weights): each row's log-likelihood contribution is multiplied by its
        weight; ``N`` of the small-sample adjustments is ``sum(weights)``. Integer weights
        give the same estimates as repeating rows. A fixed-effect level whose rows all have
        weight 0 is not identified (its estimate diverges): refit
        ``design.subset(weights > 0)`` with the positive weights instead.
    start
        Warm start: ``name -> value`` on the original scale (``CountFit.start_values`` or
        ``ModelResult.start_values`` of a neighbouring specification); names not in this
        design are ignored, parameters not given start at 0. ``"alpha"`` starts NB2's
        dispersion; ``"poisson"`` (a nested mapping) the Poisson fit. Estimates do not
        depend on the start (Newton runs to a scaled score below ``1e-9``).
    compute_cov
        False skips the covariance (``cov`` is NaN): faster for point-estimate resampling.

    Returns
    -------
    CountFit

    Raises
    ------
    ModelError
        No convergence, diverging estimates (quasi-separation) or non-finite standard errors.
    """
    check_option("estimator", estimator, ("poisson", "negbin", "ppml"))
    check_option("vcov", vcov, CountVcov)
    if cov_type is None:
        cov_type = "cluster" if design.groups is not None else "HC0"
    check_option("cov_type", cov_type, CovType)
    if cov_type == "cluster" and design.groups is None:
        raise ValueError("cov_type='cluster' needs clusters (groups) in the design")
    label = design.label
    if weights is not None:
        weights = np.asarray(weights, dtype=np.float64)
        if weights.shape != design.y.shape or np.any(~np.isfinite(weights)) or np.any(weights < 0):
            raise ValueError(f"weights must be {design.n} finite non-negative numbers")
    warn: list[str] = []
    path: list[str] = []
    start = dict(start or {})
    pois_start = start.get("poisson") if isinstance(start.get("poisson"), Mapping) else None
    warm_pois = design.start_vector(pois_start or start)
    if weights is None and warm_pois is None:
        pois = _default_poisson(design, path)
    else:
        pois = _fit_poisson(design, weights, warm_pois, path)
    check_divergence(label, design.names, pois.theta[: design.k])
    if estimator in ("poisson", "ppml"):
        prob = _Problem(design, weights, nb=False)
        return _finish(design, prob, pois.theta, "IRLS", pois, None, estimator, vcov, cov_type, compute_cov,
                       warn, path)

    # NB2
    prob = _Problem(design, weights, nb=True)
    w = prob.w
    mu0 = prob.mu(np.append(pois.theta, 0.0))
    y = design.y
    num = float(np.sum(w * ((y - mu0) ** 2 - y)))
    if num <= 0:
        path.append("boundary: no overdispersion in the Poisson fit (sum (y - mu)^2 - y <= 0)")
        return _boundary(design, pois, estimator, vcov, cov_type, compute_cov, warn, path, weights)
    alpha0 = float(np.clip(num / np.sum(w * mu0**2), 0.05, 50.0))
    attempts: list[tuple[str, np.ndarray]] = []
    warm = design.start_vector(start)
    if warm is not None:
        a_w = start.get("alpha")
        a_w = float(a_w) if a_w is not None and np.isfinite(a_w) and a_w > ALPHA_FLOOR else alpha0
        attempts.append(("newton(warm start)", np.append(warm, math.log(a_w))))
    attempts.append(("newton", np.append(pois.theta, math.log(alpha0))))
    if abs(math.log(alpha0)) > 1e-8:
        attempts.append(("newton(alpha0=1)", np.append(pois.theta, 0.0)))
    failures: list[str] = []
    boundary_hit = False

    def accept(theta: np.ndarray) -> str:
        if not np.all(np.isfinite(theta)):
            return "non-finite estimates"
        if np.any(np.abs(theta[1 : design.k]) > DIVERGENCE_LIMIT):
            return "diverging coefficients"
        if theta[-1] < math.log(ALPHA_FLOOR):
            return "alpha -> 0"
        return ""

    for name, theta0 in attempts:
        try:
            res = nb_newton(prob, theta0, name)
        except (np.linalg.LinAlgError, ValueError, FloatingPointError, OverflowError) as e:
            failures.append(f"{name}: {type(e).__name__}: {e}")
            path.append(failures[-1])
            continue
        why = res.reason or ("" if res.converged else "did not converge")
        why = why or accept(res.theta)
        boundary_hit |= why == "alpha -> 0"
        path.append(f"{name}: {res.iterations} iterations, max scaled score {res.max_scaled_score:.1e}"
                    + (f", failed: {why}" if why else ", accepted"))
        if not why:
            return _accepted(design, prob, res, name, pois, failures, estimator, vcov, cov_type,
                             compute_cov, warn, path)
        failures.append(f"{name}: {why}")
    if boundary_hit:
        path.append("boundary: Newton drove alpha below 1e-10")
        return _boundary(design, pois, estimator, vcov, cov_type, compute_cov, warn, path, weights)
    start0 = np.append(pois.theta, math.log(alpha0))
    for method, maxiter in (("bfgs", 2000), ("nm", 50000)):
        try:
            theta_q, note = nb_quasi_newton(prob, start0, method, maxiter)
            path.append(f"{method}: {note}")
            res = nb_newton(prob, theta_q, "polish")
        except (np.linalg.LinAlgError, ValueError, FloatingPointError, OverflowError) as e:
            failures.append(f"{method}: {type(e).__name__}: {e}")
            path.append(failures[-1])
            continue
        why = res.reason or ("" if res.converged else "did not converge")
        why = why or accept(res.theta)
        path.append(f"newton polish of {method}: {res.iterations} iterations, max scaled score "
                    f"{res.max_scaled_score:.1e}" + (f", failed: {why}" if why else ", accepted"))
        if not why:
            return _accepted(design, prob, res, method, pois, failures, estimator, vcov, cov_type,
                             compute_cov, warn, path)
        failures.append(f"{method} (polished by newton): {why}")
    raise ModelError(label, "negative binomial did not converge with any optimizer: " + "; ".join(failures))


#: Hooks (tests inject failures here).
nb_newton: Callable[[_Problem, np.ndarray, str], _Newton] = _run_newton
nb_quasi_newton: Callable[[_Problem, np.ndarray, str, int], tuple[np.ndarray, str]] = _quasi_newton


#: Poisson fits of a design from the default start (no weights, no warm start), with their optimizer
#: path, kept while the design lives (a design is never modified once built): NB2 starts from the
#: Poisson fit, so NB2 and PPML fitted on one design (neighbours of a specification curve) share it.
#: The same inputs give the same bits, so a hit returns exactly what a new fit would.
_DEFAULT_POISSON: weakref.WeakKeyDictionary[CountDesign, tuple[_Newton, tuple[str, ...]]] = (
    weakref.WeakKeyDictionary()
)


def _default_poisson(design: CountDesign, path: list[str]) -> _Newton:
    hit = _DEFAULT_POISSON.get(design)
    if hit is None:
        lines: list[str] = []
        hit = (_fit_poisson(design, None, None, lines), tuple(lines))
        _DEFAULT_POISSON[design] = hit
    path.extend(hit[1])
    return hit[0]


def _fit_poisson(design: CountDesign, weights: np.ndarray | None, warm: np.ndarray | None, path: list[str]):
    prob = _Problem(design, weights, nb=False)
    label = design.label
    tries: list[tuple[str, np.ndarray]] = []
    if warm is not None:
        tries.append(("poisson newton(warm start)", warm))
    tries.append(("poisson newton", _poisson_start(design, prob.w)))
    tries.append(("poisson newton(zero start)", _zero_start(design, prob.w)))
    reasons = []
    for name, theta0 in tries:
        try:
            res = _run_newton(prob, theta0, name)
        except (np.linalg.LinAlgError, ValueError) as e:
            reasons.append(f"{name}: {type(e).__name__}: {e}")
            path.append(reasons[-1])
            continue
        path.append(f"{name}: {res.iterations} iterations, max scaled score {res.max_scaled_score:.1e}"
                    + ("" if res.converged else f", failed: {res.reason or 'did not converge'}"))
        if res.converged:
            return res
        reasons.append(f"{name}: {res.reason or 'did not converge'}")
        if res.reason == "diverging coefficients":
            check_divergence(label, design.names, res.theta[: design.k])
    raise ModelError(label, "the Poisson model did not converge: " + "; ".join(reasons))


def _poisson_start(design: CountDesign, w: np.ndarray) -> np.ndarray:
    """One IRLS step from ``mu = (y + mean(y)) / 2`` (the usual GLM start)."""
    y = design.y
    mu0 = (y + np.average(y, weights=w if w.sum() > 0 else None)) / 2.0
    mu0 = np.maximum(mu0, 1e-8)
    z = np.log(mu0) - (design.offset if design.offset is not None else 0.0)
    A = design.xtwx(w * mu0)
    try:
        return linalg.solve(A, design.xtv(w * mu0 * z), assume_a="pos")
    except (linalg.LinAlgError, ValueError):
        return _zero_start(design, w)


def _zero_start(design: CountDesign, w: np.ndarray) -> np.ndarray:
    theta = np.zeros(design.k)
    ex = np.exp(design.offset) if design.offset is not None else np.ones(design.n)
    tot = float(np.sum(w * design.y))
    theta[0] = math.log(max(tot, 1e-8) / float(np.sum(w * ex))) * design.scale[0]
    return theta


def _accepted(design, prob, res, method, pois, failures, estimator, vcov, cov_type, compute_cov, warn, path):
    if failures:
        warn.append("NB2 optimizer fallback: " + "; ".join(failures) + f"; converged with {method}")
    optimizer = method if method in ("bfgs", "nm") else "newton"
    return _finish(design, prob, res.theta, optimizer, pois, res, estimator, vcov, cov_type, compute_cov,
                   warn, path)


def _boundary(design, pois, estimator, vcov, cov_type, compute_cov, warn, path, weights):
    warn.append("NB2 alpha = 0 (boundary): no overdispersion, the NB2 estimates equal Poisson")
    prob = _Problem(design, weights, nb=False)
    out = _finish(design, prob, pois.theta, "boundary (alpha = 0)", pois, None, estimator, vcov, cov_type,
                  compute_cov, warn, path)
    out.alpha, out.alpha_se = 0.0, None
    out.llf_poisson = out.llf
    k = design.k
    out.aic = -2 * out.llf + 2 * (k + 1)
    out.bic = -2 * out.llf + math.log(out.nobs) * (k + 1)
    out.start_values["alpha"] = 0.0
    return out


def _finish(design, prob, theta, optimizer, pois, nb_res, estimator, vcov, cov_type, compute_cov, warn, path):
    """Covariance, statistics and back-transformation of an accepted fit."""
    d = design
    k = d.k
    nb = prob.nb
    label = d.label
    s_full = d.full_scale()
    w = prob.w
    N = float(w.sum())
    nobs = d.n
    mu = prob.mu(theta)
    ll = prob.loglik(theta)
    if nb:
        alpha = math.exp(theta[-1])
        g_full, negH = prob.alpha_parts(theta)  # (b, alpha)
    else:
        alpha = None
        _, g_full, negH = prob.parts(theta)
    # Scaled score and gradient norm at the accepted estimates.
    try:
        cf = linalg.cho_factor(negH)
        max_sc, inv_negH = _scaled_score(g_full, cf)
    except (linalg.LinAlgError, ValueError):
        raise ModelError(label, "non-finite standard errors: the information matrix is singular at the "
                         "estimates") from None
    scale_g = np.append(s_full, 1.0) if nb else s_full
    grad_norm = float(np.linalg.norm(g_full * scale_g))

    cov_s = np.full((k, k), np.nan)
    alpha_se = None
    factor = 1.0
    dispersion = None
    if compute_cov:
        cov_s, alpha_var, factor, dispersion = count_vcov.covariance(
            d, prob, theta, mu, alpha, inv_negH, vcov, cov_type, N
        )
        if alpha_var is not None:
            alpha_se = math.sqrt(alpha_var) if np.isfinite(alpha_var) and alpha_var >= 0 else float("nan")
        if nb and not (alpha_se is not None and np.isfinite(alpha_se)):
            alpha_se = float(math.sqrt(inv_negH[-1, -1])) if inv_negH[-1, -1] >= 0 else float("nan")
    params = theta[:k] / s_full
    cov = cov_s / np.outer(s_full, s_full)
    if compute_cov:
        var = np.diag(cov)
        ok = np.isfinite(params) & np.isfinite(var) & (var >= 0)
        bad = [n for n, good in zip(d.names, ok) if not good]
        if bad or (nb and not (alpha_se is not None and np.isfinite(alpha_se))):
            bad = bad or ["alpha"]
            raise ModelError(label, f"non-finite standard errors ({', '.join(bad)}): singular information "
                             "matrix (a term without variation in the sample or separation)")
    n_par = k + (1 if nb else 0)
    aic = -2 * ll + 2 * n_par
    bic = -2 * ll + math.log(nobs) * n_par
    if nb and alpha is not None and alpha < 1e-6:
        warn.append(f"NB2 alpha = {alpha:.2e}: no overdispersion, the NB2 estimates equal Poisson")
    iterations = nb_res.iterations if nb_res is not None else pois.iterations
    pois_params = pois.theta[:k] / s_full
    start_values: dict[str, Any] = dict(zip(d.names, params.tolist()))
    if alpha is not None:
        start_values["alpha"] = alpha
    start_values["poisson"] = dict(zip(d.names, pois_params.tolist()))
    return CountFit(
        params=params,
        cov=cov,
        names=list(d.names),
        mu=mu,
        llf=ll,
        aic=aic,
        bic=bic,
        converged=True,
        optimizer=optimizer,
        iterations=iterations,
        alpha=alpha,
        alpha_se=alpha_se,
        llf_poisson=pois.ll if nb else None,
        dispersion=dispersion,
        warnings=warn,
        optimizer_path=path,
        gradient_norm=grad_norm,
        max_scaled_score=max_sc,
        vcov=vcov,
        cov_type=cov_type,
        small_sample_factor=factor,
        nobs=nobs,
        start_values=start_values,
    )

# ----------------------------------------------------------------------------- checks


def check_divergence(label: str, names: Sequence[str], params_scaled: np.ndarray) -> None:
    """Raise :class:`ModelError` when a coefficient on the unit-scaled design exceeds the divergence limit."""
    p = np.asarray(params_scaled)
    bad = [n for n, b in zip(names, p) if n != "const" and abs(b) > DIVERGENCE_LIMIT]
    if bad:
        raise ModelError(
            label,
            f"estimates diverge for {', '.join(bad)} (|coefficient| > {DIVERGENCE_LIMIT:g} on the "
            "unit-scaled design): the outcome is (quasi-)separated by these terms given the others",
        )
