"""Entropy balancing of treated and untreated rows, and randomization inference on the balanced contrast.

Entropy balancing (:func:`entropy_balance`)
-------------------------------------------
Hainmueller (2012): weights ``w_i`` for the untreated rows that are as close as possible to
base weights ``q_i`` (uniform by default) in Kullback-Leibler divergence,
``min sum_i w_i log(w_i / q_i)``, subject to the balance constraints
``sum_i w_i c_r(X_i) = m_r`` (the treated rows' means of each moment function ``c_r``: the
covariates, and their squares for ``moments=2``) and ``sum_i w_i = 1``, ``w_i > 0``. The
solution is ``w_i = q_i exp(lambda' C_i) / sum_j q_j exp(lambda' C_j)`` with
``C_i = c(X_i) - m``; ``lambda`` minimises the convex dual ``log sum_i q_i exp(lambda' C_i)``,
whose gradient is the weighted mean of ``C`` (zero at balance) and whose Hessian is its
weighted covariance. It is solved by Newton's method with step-halving on the dual, on
standardised moments, to a largest absolute imbalance of ``tol`` (in the covariates' standard
deviations). Properties checked in the tests (the paper's): the weighted untreated means equal
the treated means exactly (to ``tol``); weights are positive and sum to one; with balance
already holding, the weights are the base weights; a constraint outside the convex hull of the
untreated rows has no solution and raises :class:`~analysis.errors.ModelError`.

Balanced contrast and randomization inference (:func:`balanced_contrast`, :func:`randomization_test`)
-----------------------------------------------------------------------------------------------------
The balanced contrast is the outcome share of the treated rows against the entropy-balanced
share of the untreated rows: a risk difference, risk ratio and odds ratio (the effect on the
treated under selection on the balanced moments). Randomization inference tests the sharp null
that the treatment changes no row's outcome: the treatment is re-assigned, the weights are
re-solved and the contrast recomputed; the two-sided p-value is ``(1 + #{|d*| >= |d|}) / (1 + B)``
on the risk difference. Two assignment schemes:

* ``scheme="units"`` (default): whole treatment histories are permuted between units (state
  *i* receives state *j*'s treatment in each year; a year the donor lacks leaves the row out of
  that draw). This keeps the persistence of treatments (a partnership lasts years) and the
  number of treated rows per year up to missing years. Under the null with exchangeable units
  the p-value is uniform: checked by simulation on :func:`analysis.models.dgp.simulate_coup_panel`
  with odds ratio 1 (persistent, conflict-driven partnerships).
* ``scheme="within_year"``: labels permuted among the rows of each year. With persistent
  treatments and persistent outcome risk this reference is too narrow (the same simulation
  rejects at 10% in about a quarter of null panels): kept for comparison only.

A draw whose untreated rows cannot be balanced is counted as not solved and left out of the
reference (reported).

References: Hainmueller, J. (2012), Entropy balancing for causal effects, *Political Analysis*
20(1): 25-46. Fisher, R. A. (1935), *The Design of Experiments*; Imbens, G. W. & Rubin, D. B.
(2015), *Causal Inference*, ch. 5.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.data.jsonable import json_safe
from analysis.errors import ModelError, require_columns
from analysis.models.results import single_threaded_blas

__all__ = ["BalanceResult", "ContrastResult", "balanced_contrast", "entropy_balance", "randomization_test"]


@dataclass
class BalanceResult:
    """Entropy-balancing weights and the balance they achieve.

    Attributes
    ----------
    weights
        Weight of each untreated row (sums to one), aligned with the untreated rows in order.
    table
        One row per covariate: ``variable``, ``mean_treated``, ``mean_untreated`` (unweighted),
        ``mean_untreated_weighted``, ``std_difference_before`` / ``_after`` (difference over
        the treated SD).
    max_imbalance
        Largest absolute weighted imbalance over the constraints, in standard deviations.
    effective_n
        Kish's effective number of untreated rows ``1 / sum w_i^2``.
    iterations
        Newton iterations.
    """

    weights: np.ndarray
    table: pd.DataFrame
    max_imbalance: float
    effective_n: float
    iterations: int

    def to_dict(self) -> dict:
        """JSON-safe summary (no weights)."""
        return json_safe({"max_imbalance": self.max_imbalance, "effective_n": self.effective_n,
                          "iterations": self.iterations, "table": self.table.to_dict("records")})


def _moments(X: np.ndarray, moments: int) -> np.ndarray:
    cols = [X]
    if moments >= 2:
        binary = np.all(np.isin(X, (0.0, 1.0)), axis=0)
        cols.append((X**2)[:, ~binary])  # x^2 = x for a 0/1 covariate: no new constraint
    return np.column_stack(cols)


def _balance_weights(
    Xt: np.ndarray, Xc: np.ndarray, *, moments: int, base_weights: np.ndarray | None, tol: float, maxiter: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """The weights of :func:`entropy_balance` (inputs checked there), the final imbalance
    (gradient of the dual) and the Newton iterations; :class:`ModelError` when there is no solution.

    Used alone by the randomization draws, which need the weights and nothing else.
    """
    Ct_all = _moments(Xt, moments)
    Cc_all = _moments(Xc, moments)
    target = Ct_all.mean(axis=0)
    scale = Cc_all.std(axis=0)
    keep = scale > 0
    const_gap = np.abs(target[~keep] - Cc_all[0, ~keep]) if (~keep).any() else np.array([])
    if const_gap.size and np.any(const_gap > tol):
        raise ModelError("entropy balancing", "a covariate is constant among untreated rows but not among "
                         "treated rows: no weights can balance it")
    C = (Cc_all[:, keep] - target[keep]) / scale[keep]
    q = np.full(len(Xc), 1.0 / len(Xc)) if base_weights is None else np.asarray(base_weights, float)
    q = q / q.sum()
    logq = np.log(q)
    lam = np.zeros(C.shape[1])

    def dual(lam_: np.ndarray) -> tuple[float, np.ndarray]:
        z = logq + C @ lam_
        zmax = z.max()
        e = np.exp(z - zmax)
        return float(zmax + np.log(e.sum())), e / e.sum()

    val, w = dual(lam)
    it = 0
    converged = False
    while it < maxiter:
        it += 1
        grad = w @ C
        if np.max(np.abs(grad)) < tol:
            converged = True
            break
        Cm = C - grad
        H = (Cm * w[:, None]).T @ Cm + 1e-12 * np.eye(C.shape[1])
        try:
            step = np.linalg.solve(H, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(H, grad, rcond=None)[0]
        t = 1.0
        for _ in range(60):
            cand = lam - t * step
            v_c, w_c = dual(cand)
            if v_c <= val + 1e-4 * t * float(grad @ -step) or t < 1e-12:
                break
            t /= 2.0
        lam, val, w = cand, v_c, w_c
    grad = w @ C
    if not converged and np.max(np.abs(grad)) >= tol:
        raise ModelError(
            "entropy balancing",
            f"no balancing weights (largest imbalance {np.max(np.abs(grad)):.2g} SD after {it} "
            "iterations): the treated means lie outside what the untreated rows can reach",
        )
    return w, grad, it


def entropy_balance(
    X_treated: np.ndarray,
    X_control: np.ndarray,
    *,
    names: Sequence[str] | None = None,
    moments: int = 1,
    base_weights: np.ndarray | None = None,
    tol: float = 1e-8,
    maxiter: int = 200,
) -> BalanceResult:
    """Entropy-balancing weights of the untreated rows (Hainmueller 2012; module docstring).

    Parameters
    ----------
    X_treated, X_control
        Covariates of the treated and untreated rows (2-D float arrays, same columns, no NA).
    names
        Covariate names for the balance table.
    moments
        1: balance means; 2: means and second moments (variances) of non-binary covariates.
    base_weights
        Base weights ``q`` of the untreated rows (default uniform).
    tol
        Largest absolute imbalance accepted, in standard deviations of each moment.
    maxiter
        Newton iterations.

    Raises
    ------
    ModelError
        No untreated or treated rows, NA in the covariates, or no solution (a treated mean
        outside the range the untreated rows can reach).
    """
    Xt = np.asarray(X_treated, dtype=np.float64)
    Xc = np.asarray(X_control, dtype=np.float64)
    if Xt.ndim != 2 or Xc.ndim != 2 or Xt.shape[1] != Xc.shape[1]:
        raise ValueError("X_treated and X_control must be 2-D with the same columns")
    if len(Xt) == 0 or len(Xc) == 0:
        raise ModelError("entropy balancing", "needs treated and untreated rows")
    if not (np.isfinite(Xt).all() and np.isfinite(Xc).all()):
        raise ModelError("entropy balancing", "covariates must be finite (drop rows with NA first)")
    if moments not in (1, 2):
        raise ValueError(f"moments must be 1 or 2; got {moments!r}")
    names = list(names) if names is not None else [f"x{j}" for j in range(Xt.shape[1])]
    w, grad, it = _balance_weights(Xt, Xc, moments=moments, base_weights=base_weights, tol=tol,
                                   maxiter=maxiter)
    sd_t = Xt.std(axis=0, ddof=1) if len(Xt) > 1 else np.full(Xt.shape[1], np.nan)
    sd_t = np.where(sd_t > 0, sd_t, Xc.std(axis=0, ddof=1))
    m_t, m_c, m_w = Xt.mean(axis=0), Xc.mean(axis=0), w @ Xc
    table = pd.DataFrame({
        "variable": names, "mean_treated": m_t, "mean_untreated": m_c, "mean_untreated_weighted": m_w,
        "std_difference_before": (m_t - m_c) / sd_t, "std_difference_after": (m_t - m_w) / sd_t,
    })
    imb = float(np.max(np.abs(grad))) if grad.size else 0.0
    return BalanceResult(weights=w, table=table, max_imbalance=imb,
                         effective_n=float(1.0 / np.sum(w**2)), iterations=it)


@dataclass
class ContrastResult:
    """Balanced contrast of a binary outcome and its randomization inference."""

    risk_treated: float
    risk_untreated_weighted: float
    risk_difference: float
    risk_ratio: float
    odds_ratio: float
    n_treated: int
    n_untreated: int
    events_treated: int
    balance: BalanceResult
    p_value: float | None = None
    permutations: int = 0
    permutations_failed: int = 0
    strata: str | None = None
    null_draws: np.ndarray = field(default_factory=lambda: np.array([]))
    status: str = "ok"

    def to_dict(self) -> dict:
        """JSON-safe record (no draws or weights)."""
        keys = ("risk_treated", "risk_untreated_weighted", "risk_difference", "risk_ratio", "odds_ratio",
                "n_treated", "n_untreated", "events_treated", "p_value", "permutations",
                "permutations_failed", "strata", "status")
        return json_safe({k: getattr(self, k) for k in keys} | {"balance": self.balance.to_dict()})


def _contrast(y: np.ndarray, d: np.ndarray, X: np.ndarray, moments: int, tol: float,
              names: Sequence[str] | None = None) -> tuple[float, float, float, float, BalanceResult]:
    bal = entropy_balance(X[d], X[~d], names=names, moments=moments, tol=tol)
    p1 = float(y[d].mean())
    p0 = float(bal.weights @ y[~d])
    rr = p1 / p0 if p0 > 0 else np.inf
    odds = (p1 / (1 - p1)) / (p0 / (1 - p0)) if 0 < p0 < 1 and p1 < 1 else (np.inf if p1 > 0 else 0.0)
    return p1, p0, p1 - p0, rr, bal, odds  # type: ignore[return-value]


def _draw_difference(y: np.ndarray, d: np.ndarray, X: np.ndarray, moments: int, tol: float) -> float:
    """The risk difference of :func:`_contrast` for one randomization draw (weights only, no table)."""
    w, _, _ = _balance_weights(X[d], X[~d], moments=moments, base_weights=None, tol=tol, maxiter=200)
    return float(y[d].mean()) - float(w @ y[~d])


@single_threaded_blas
def balanced_contrast(
    df: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str],
    moments: int = 1,
    tol: float = 1e-8,
) -> ContrastResult:
    """Outcome share of treated rows against the entropy-balanced untreated rows.

    Rows with NA in the outcome, treatment or a covariate are dropped. A treatment without
    any event among treated rows gives ``status="no events"`` (the contrast is then only the
    untreated share, not an effect).
    """
    require_columns(df, {"outcome": [outcome], "treatment": [treatment], "covariates": list(covariates)})
    cols = [outcome, treatment, *covariates]
    x = df[cols].astype("float64").dropna()
    y = x[outcome].to_numpy()
    d = x[treatment].to_numpy() > 0.5
    X = x[list(covariates)].to_numpy()
    p1, p0, rd, rr, bal, odds = _contrast(y, d, X, moments, tol, covariates)  # type: ignore[misc]
    ev = int(y[d].sum())
    return ContrastResult(p1, p0, rd, rr, odds, int(d.sum()), int((~d).sum()), ev, bal,
                          status="ok" if ev > 0 else "no events")


@single_threaded_blas
def randomization_test(
    df: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str],
    unit: str = "country_id_gw",
    time: str = "year",
    scheme: str = "units",
    reps: int = 999,
    moments: int = 1,
    seed: int = 0,
    tol: float = 1e-6,
) -> ContrastResult:
    """:func:`balanced_contrast` with a randomization p-value (module docstring).

    Parameters
    ----------
    unit, time
        Unit and time columns (``scheme="units"`` permutes units' histories; ``"within_year"``
        permutes labels among the rows of each ``time``).
    scheme
        ``"units"`` or ``"within_year"`` (module docstring).
    reps
        Permutations.
    seed
        Random seed (the same seed gives the same p-value).
    tol
        Balance tolerance of the permutation fits (the observed contrast uses 1e-8).
    """
    obs = balanced_contrast(df, outcome=outcome, treatment=treatment, covariates=covariates, moments=moments)
    if scheme not in ("units", "within_year"):
        raise ValueError(f"scheme must be 'units' or 'within_year'; got {scheme!r}")
    require_columns(df, {"unit/time": [unit, time]})
    cols = [outcome, treatment, *covariates, unit, time]
    x = df[cols].dropna()
    y = x[outcome].astype("float64").to_numpy()
    d = x[treatment].astype("float64").to_numpy() > 0.5
    X = x[list(covariates)].astype("float64").to_numpy()
    u_codes, _ = pd.factorize(x[unit])
    t_codes, _ = pd.factorize(x[time])
    grid = np.full((u_codes.max() + 1, t_codes.max() + 1), np.nan)
    grid[u_codes, t_codes] = d
    idx_by = [np.flatnonzero(t_codes == g) for g in np.unique(t_codes)]
    rng = np.random.default_rng(seed)
    # the assignments first, in the generator's order; then the contrasts, each independent of
    # the others (on two cores: analysis.models.forked), in the same order
    assignments: list[tuple[np.ndarray | None, np.ndarray]] = []
    for _ in range(int(reps)):
        if scheme == "units":
            dv = grid[rng.permutation(grid.shape[0])][u_codes, t_codes]
            ok = ~np.isnan(dv)
            assignments.append((ok, dv[ok] > 0.5))
        else:
            dp = d.copy()
            for ix in idx_by:
                dp[ix] = d[ix][rng.permutation(len(ix))]
            assignments.append((None, dp))

    def contrast(a: tuple[np.ndarray | None, np.ndarray]) -> float | None:
        ok, dp = a
        if dp.all() or not dp.any():
            return None
        yy, XX = (y, X) if ok is None else (y[ok], X[ok])
        try:
            return _draw_difference(yy, dp, XX, moments, tol)
        except ModelError:
            return None

    from analysis.models.forked import map_halves

    results = map_halves(contrast, assignments)
    draws = [r for r in results if r is not None]
    failed = len(results) - len(draws)
    arr = np.asarray(draws)
    hits = int(np.sum(np.abs(arr) >= abs(obs.risk_difference) - 1e-12))
    obs.p_value = (1 + hits) / (1 + len(arr)) if len(arr) else None
    obs.permutations, obs.permutations_failed, obs.null_draws = len(arr), failed, arr
    obs.strata = f"{scheme} ({unit} x {time})"
    return obs
