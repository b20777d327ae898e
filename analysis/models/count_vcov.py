"""Covariance conventions of the count models: sandwiches, bread and small-sample factors.

:func:`covariance` is called by :func:`analysis.models.counts.fit_design` on an accepted fit
(the likelihood pieces come from the engine's problem object).

Covariance (``vcov``)
---------------------
``"joint"`` (default, as before): the sandwich of the joint ``(b, alpha)`` scores on the
**observed** Hessian, clustered: ``G/(G-1) (N-1)/(N-K)`` with ``K`` counting every
parameter including ``alpha`` (statsmodels' convention); HC0 without clusters.
``"glm_fixed_theta"``: the GLM sandwich with ``alpha`` (R's ``theta = 1/alpha``) held at its
estimate: bread = inverse **expected** information of ``b``, ``(X' diag(mu/(1+alpha mu)) X)^-1``,
scores ``x (y - mu)/(1 + alpha mu)``, adjustment ``G/(G-1)``: R's
``sandwich::vcovCL(glm.nb(...), cluster = ~id)`` with its default ``type = "HC0"`` (the
default is HC1 only for ``lm`` objects); without clusters ``sandwich::sandwich()`` (HC0).
``"glm_fixed_theta_hc1"``: the same times ``(N-1)/(N-K)`` (``K`` = coefficients of ``b``):
``vcovCL(..., type = "HC1")``; without clusters ``vcovHC(type = "HC1")``, ``N/(N-K)``.
For PPML the bread is the same under every convention (observed = expected information);
only the adjustment differs. Ignoring the estimation of ``alpha`` makes the R convention
smaller when the scores of ``b`` and ``alpha`` are correlated within clusters (on notebook
02's headline 0.393 / 0.395 against 0.510).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import linalg, special

__all__ = ["VCOV_DESCRIPTIONS", "CountVcov", "CovType", "covariance"]

CountVcov = Literal["joint", "glm_fixed_theta", "glm_fixed_theta_hc1"]
CovType = Literal["cluster", "HC0", "model"]

VCOV_DESCRIPTIONS = {
    "joint": "joint (b, alpha) sandwich on the observed Hessian",
    "glm_fixed_theta": "GLM sandwich with alpha fixed at its estimate, expected information "
    "(R sandwich::vcovCL default, HC0)",
    "glm_fixed_theta_hc1": "GLM sandwich with alpha fixed at its estimate, expected information, "
    "times (N-1)/(N-K) (R sandwich::vcovCL type HC1)",
}


def covariance(d, prob, theta, mu, alpha, inv_negH, vcov, cov_type, N):
    """(cov of b on the unit scale, var of alpha or None, adjustment factor, dispersion).

    ``d`` is the :class:`~analysis.models.count_design.CountDesign`, ``prob`` the engine's
    likelihood of the accepted fit (weights ``w``, ``nb``), ``theta`` / ``mu`` / ``alpha`` the
    estimates, ``inv_negH`` the inverse observed information (with ``alpha`` last for NB2)
    and ``N`` the sum of the weights.
    """
    k = d.k
    w = prob.w
    y = d.y
    nb = prob.nb
    joint = vcov == "joint" and nb
    if cov_type == "model":
        if not nb:
            pearson = float(np.sum(w * (y - mu) ** 2 / mu))
            disp = max(1.0, pearson / max(N - k, 1.0))
            return inv_negH * disp, None, 1.0, disp
        if joint:
            return inv_negH[:k, :k], float(inv_negH[-1, -1]), 1.0, None
        bread = _inv_pd(d.xtwx(w * mu / (1.0 + alpha * mu)))
        return bread, float(inv_negH[-1, -1]), 1.0, None
    # Sandwich: bread and scores.
    if joint:
        bread = inv_negH
        r = (y - mu) / (1.0 + alpha * mu)
        a1 = 1.0 / alpha
        dg = prob._dgamma(special.digamma, a1)
        dalpha = -(a1**2) * (dg - np.log1p(alpha * mu) - alpha * (y - mu) / (1.0 + alpha * mu))
        k_adj = k + 1
    else:
        bread = inv_negH if not nb else _inv_pd(d.xtwx(w * mu / (1.0 + alpha * mu)))
        r = (y - mu) / (1.0 + alpha * mu) if nb else (y - mu)
        dalpha = None
        k_adj = k
    wr = w * r
    if cov_type == "cluster":
        S = d.xt_cluster(wr)
        if dalpha is not None:
            S = np.column_stack([S, np.bincount(d.groups, w * dalpha, minlength=d.n_groups)])
        G = d.n_groups
        factor = G / (G - 1.0) if G > 1 else float("nan")
        if vcov == "joint" or vcov == "glm_fixed_theta_hc1":
            factor *= (N - 1.0) / (N - k_adj)
    else:  # HC0 (per row)
        Xd = d.dense() * wr[:, None]
        S = np.column_stack([Xd, w * dalpha]) if dalpha is not None else Xd
        factor = 1.0
        if vcov == "glm_fixed_theta_hc1":
            factor = N / (N - k_adj)
    meat = S.T @ S
    V = factor * bread @ meat @ bread
    if joint:
        return V[:k, :k], float(V[-1, -1]), factor, None
    alpha_var = float(inv_negH[-1, -1]) if nb else None
    return V, alpha_var, factor, None


def _inv_pd(A: np.ndarray) -> np.ndarray:
    try:
        return linalg.cho_solve(linalg.cho_factor(A), np.eye(len(A)))
    except (linalg.LinAlgError, ValueError):
        return np.full(A.shape, np.nan)
