"""Trend breaks estimated, not asserted: sup-LR search with a parametric-bootstrap reference.

Model
-----
The segmented rate model of :mod:`analysis.models.trends` for one series: with ``tau = t - t0``,
``log E[y_t] = log(exposure_t) + const + trend tau + sum_{B in fixed} [level_B 1(t >= B) +
slope_B (t - B) 1(t >= B)]``. The fixed breaks (``fixed_breaks``, e.g. ``[2018]`` to start
the post-Cruz segment in 2018) are part of both the null and the alternative; the search adds
**one** more break ``c`` (level and slope change) at each candidate year.

Statistic
---------
For each candidate ``c``: ``LR_c = D_0 - D_c`` (Poisson deviances of the null and the model
with the break at ``c``). With ``estimator="quasipoisson"`` (default; casualty series are
overdispersed) it is divided by the Pearson dispersion of the alternative,
``phi_c = X2_c / (n - k_c)``: a quasi-likelihood ratio (an F-type statistic times 2). The
search statistic is ``sup_c LR_c`` (Andrews 1993; Quandt's likelihood ratio), the break-year
estimate is its argmax.

Reference distribution
----------------------
The sup of many LR statistics is not chi-square, and its distribution depends on the
trimming and the design. It is obtained by a parametric bootstrap under the null (no
additional break): series are drawn from the fitted null model -- Poisson with mean
``mu_0``, or, for quasi-Poisson, NB2 (gamma-Poisson) draws with mean ``mu_0`` and variance
``mu_0 + alpha_0 mu_0^2``, ``alpha_0 = sum((y - mu_0)^2 - y) / sum(mu_0^2)`` the moment estimate
of Cameron & Trivedi (Poisson when it is <= 0) -- and the whole search is repeated on each
(all candidates, same trimming). The p-value is ``(1 + #{sup* >= sup}) / (1 + B)``. If the
null is false its dispersion is inflated, which makes the test conservative.

Placebo breaks in every year
----------------------------
``table`` has one row per candidate year: the level and slope changes a break there would
have (and their rate ratios), ``LR_c``, the *pointwise* bootstrap p-value (that year taken
alone, as if it had been chosen before seeing the data) and the *search-adjusted* p-value
``(1 + #{sup* >= LR_c}) / (1 + B)`` (that year compared with the best break anywhere). A year
asserted as a break should stand out in the table, not just pass its pointwise test.
Passing ``candidates=[2018]`` tests one pre-specified year with a bootstrap reference.

Fits are Newton iterations on the Poisson log-likelihood vectorised over the bootstrap
replications (each candidate is one batched solve), so a search with 999 replications takes
about a second.

References: Andrews, D. W. K. (1993), Tests for parameter instability and structural change
with unknown change point, *Econometrica* 61(4). Hansen, B. E. (2000), Testing for structural
change in conditional models, *J. Econometrics* 97(1). Bai, J. & Perron, P. (1998),
Estimating and testing linear models with multiple structural changes, *Econometrica* 66(1).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from analysis.errors import ModelError
from analysis.models.results import check_option, json_safe, require_columns, to_float
from analysis.models.trends import _check_breaks, _segment_design, _time_values

BreakEstimator = Literal["poisson", "quasipoisson"]


@dataclass
class BreakSearchResult:
    """A break-year search.

    Attributes
    ----------
    table
        One row per candidate year: ``year``, ``stat`` (LR or quasi-LR), ``level``, ``slope``
        (log scale), ``level_ratio``, ``slope_ratio``, ``p_pointwise``, ``p_search``.
    best_year, sup_stat, p_value
        Argmax, the sup statistic and its bootstrap p-value.
    fixed_breaks, estimator, reps, seed, null_dispersion, min_segment
        Options and the null model's Pearson dispersion.
    null_fit
        Null-model coefficients (``const``, ``trend``, fixed-break terms) on the log scale.
    sup_boot
        The bootstrap sup statistics (not in ``to_dict``).
    """

    table: pd.DataFrame
    best_year: float
    sup_stat: float
    p_value: float
    fixed_breaks: list
    estimator: str
    reps: int
    seed: int
    null_dispersion: float
    min_segment: int
    null_fit: dict
    nobs: int
    warnings: list[str] = field(default_factory=list)
    sup_boot: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)

    def to_dict(self) -> dict:
        """JSON-safe dict (bootstrap draws left out)."""
        return json_safe(
            {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "sup_boot"}
        )


def _series(df: pd.DataFrame, outcome: str, time: str, exposure: str | None) -> pd.DataFrame:
    require_columns(df, {"outcome": [outcome], "time": [time], "exposure": [exposure] if exposure else []})
    t = _time_values(df[time])
    y = to_float(df[outcome])
    keep = ~np.isnan(t) & ~np.isnan(y)
    d = pd.DataFrame({"t": t[keep], "y": y[keep]})
    if exposure:
        e = to_float(df[exposure])[keep]
        d["e"] = e
        d = d[d["e"] > 0]
    if np.any(d["y"] < 0) or np.any(d["y"] != np.round(d["y"])):
        raise ModelError(
            f"break search {outcome}", f"outcome {outcome!r} must be a non-negative integer count"
        )
    agg = {"y": "sum"} | ({"e": "sum"} if exposure else {})
    return d.groupby("t", sort=True).agg(agg).reset_index()


def _newton(
    Y: np.ndarray, X: np.ndarray, off: np.ndarray, beta0: np.ndarray, maxiter: int = 60
) -> tuple[np.ndarray, np.ndarray]:
    """Poisson ML for every row of ``Y`` (B x n) at once; returns (beta B x k, mu B x n)."""
    B = Y.shape[0]
    beta = np.tile(beta0, (B, 1)) if beta0.ndim == 1 else beta0.copy()
    k = X.shape[1]
    ridge = 1e-10 * np.eye(k)
    for _ in range(maxiter):
        eta = np.clip(beta @ X.T + off, -40, 40)
        mu = np.exp(eta)
        grad = (Y - mu) @ X
        H = np.einsum("bn,nk,nl->bkl", mu, X, X) + ridge
        step = np.linalg.solve(H, grad[..., None])[..., 0]
        big = np.max(np.abs(step), axis=1, keepdims=True)
        step = np.where(big > 5, step * 5 / np.maximum(big, 1e-300), step)
        beta = beta + step
        if np.max(np.abs(step)) < 1e-9:
            break
    mu = np.exp(np.clip(beta @ X.T + off, -40, 40))
    return beta, mu


def _deviance(Y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ylog = np.where(Y > 0, Y * np.log(Y / mu), 0.0)
    return 2 * np.sum(ylog - (Y - mu), axis=-1)


def _pearson(Y: np.ndarray, mu: np.ndarray, dof: int) -> np.ndarray:
    return np.sum((Y - mu) ** 2 / mu, axis=-1) / max(dof, 1)


def search_breaks(
    df: pd.DataFrame,
    *,
    outcome: str,
    time: str = "year",
    exposure: str | None = None,
    fixed_breaks: Sequence[int] = (),
    candidates: Sequence[int] | None = None,
    min_segment: int = 3,
    estimator: BreakEstimator = "quasipoisson",
    reps: int = 999,
    seed: int = 0,
) -> BreakSearchResult:
    """Search one additional break year with a bootstrap reference; placebo breaks in every year.

    Parameters
    ----------
    df
        Rows with a count outcome by time (summed within each time point), e.g. yearly
        totals or ``mission_years``; not modified.
    outcome, time, exposure
        Count column, time column (numeric years or datetimes), optional exposure (summed;
        log offset; rows with NA or non-positive exposure dropped).
    fixed_breaks
        Breaks kept in both null and alternative (e.g. ``[2018]``).
    candidates
        Candidate years; default: every time point leaving at least ``min_segment`` points
        in each segment (trimming) and at least ``min_segment`` from each fixed break.
    min_segment
        Trimming (points per segment).
    estimator
        ``"quasipoisson"`` (LR divided by the alternative's Pearson dispersion; bootstrap
        draws with the null's dispersion) or ``"poisson"``.
    reps, seed
        Bootstrap replications and seed.

    Returns
    -------
    BreakSearchResult
    """
    check_option("estimator", estimator, BreakEstimator)
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 19:
        raise ValueError(f"reps must be an integer >= 19; got {reps!r}")
    if isinstance(min_segment, bool) or not isinstance(min_segment, int) or min_segment < 2:
        raise ValueError(f"min_segment must be an integer >= 2; got {min_segment!r}")
    fixed = _check_breaks(fixed_breaks)
    label = f"break search {outcome} by {time} [fixed={fixed}]"
    s = _series(df, outcome, time, exposure)
    t = s["t"].to_numpy(dtype=float)
    y = s["y"].to_numpy(dtype=float)
    n = len(t)
    off = np.log(s["e"].to_numpy(dtype=float)) if exposure else np.zeros(n)
    tmin, tmax = float(t.min()), float(t.max())
    for b in fixed:
        if not tmin < b <= tmax:
            raise ModelError(label, f"fixed break {b:g} is outside ({tmin:g}, {tmax:g}]")
    if candidates is None:
        cands = [
            float(c)
            for c in t
            if np.sum(t < c) >= min_segment
            and np.sum(t >= c) >= min_segment
            and all(abs(c - f) >= min_segment for f in fixed)
        ]
    else:
        cands = [float(c) for c in _check_breaks(list(candidates))]
        bad = [c for c in cands if not tmin < c <= tmax or c in fixed]
        if bad:
            raise ModelError(label, f"candidate years {bad} are outside ({tmin:g}, {tmax:g}] or fixed breaks")
    if not cands:
        raise ModelError(label, f"no candidate year leaves {min_segment} points in every segment")
    if y.sum() == 0:
        raise ModelError(label, "the outcome is zero at every time point")
    X0n, names0 = _segment_design(t, tmin, fixed)
    X0 = np.column_stack([np.ones(n), X0n])
    scale0 = np.max(np.abs(X0), axis=0)
    X0s = X0 / scale0
    b_start = np.zeros(X0.shape[1])
    b_start[0] = np.log(max(y.sum(), 1.0) / np.exp(off).sum())
    beta0, mu0 = _newton(y[None, :], X0s, off, b_start)
    d0 = float(_deviance(y[None, :], mu0)[0])
    phi0 = float(_pearson(y[None, :], mu0, n - X0.shape[1])[0])
    quasi = estimator == "quasipoisson"
    warn: list[str] = []

    designs = []
    for c in cands:
        after = (t >= c).astype(float)
        Xc = np.column_stack([X0, after, (t - c) * after])
        sc = np.max(np.abs(Xc), axis=0)
        sc[sc == 0] = 1.0
        designs.append((Xc / sc, sc))

    def stats_for(Y: np.ndarray, beta_null: np.ndarray, mu_null: np.ndarray) -> tuple[np.ndarray, list]:
        dn = _deviance(Y, mu_null)
        out = np.empty((Y.shape[0], len(designs)))
        fits = []
        for i, (Xc, sc) in enumerate(designs):
            start = np.concatenate(
                [beta_null * (scale0 / sc[: X0.shape[1]]), np.zeros((Y.shape[0], 2))], axis=1
            )
            bc, muc = _newton(Y, Xc, off, start)
            lr = dn - _deviance(Y, muc)
            if quasi:
                lr = lr / np.maximum(_pearson(Y, muc, n - Xc.shape[1]), 1e-12)
            out[:, i] = np.maximum(lr, 0.0)
            fits.append(bc / sc)
        return out, fits

    obs, fits = stats_for(y[None, :], beta0, mu0)
    obs = obs[0]
    rng = np.random.default_rng(seed)
    M = np.tile(mu0[0], (reps, 1))
    m0 = mu0[0]
    alpha0 = float(np.sum((y - m0) ** 2 - y) / np.sum(m0**2))
    if quasi and alpha0 > 0:
        # NB2 draws (gamma-Poisson) with the moment estimate of alpha under the null
        Yb = rng.poisson(M * rng.gamma(1 / alpha0, alpha0, size=M.shape)).astype(float)
    else:
        if quasi:
            warn.append(f"no overdispersion under the null (moment alpha {alpha0:.3g} <= 0): Poisson draws")
        Yb = rng.poisson(M).astype(float)
    sums = Yb.sum(axis=1)
    if np.any(sums == 0):
        warn.append(f"{int(np.sum(sums == 0))} bootstrap series are all zero")
    b_boot, mu_boot = _newton(Yb, X0s, off, beta0[0])
    boot, _ = stats_for(Yb, b_boot, mu_boot)
    sup_boot = boot.max(axis=1)
    sup = float(obs.max())
    best = cands[int(np.argmax(obs))]
    k0 = X0.shape[1]
    rows = []
    for i, c in enumerate(cands):
        level, slope = float(fits[i][0, k0]), float(fits[i][0, k0 + 1])
        rows.append(
            {
                "year": int(c) if float(c).is_integer() else c,
                "stat": float(obs[i]),
                "level": level,
                "slope": slope,
                "level_ratio": float(np.exp(level)),
                "slope_ratio": float(np.exp(slope)),
                "p_pointwise": float((1 + np.sum(boot[:, i] >= obs[i])) / (1 + reps)),
                "p_search": float((1 + np.sum(sup_boot >= obs[i])) / (1 + reps)),
            }
        )
    null_fit = dict(zip(["const", *names0], (beta0[0] / scale0).tolist()))
    if fixed and min(fixed) - tmin < min_segment:
        warn.append(f"a fixed break leaves fewer than {min_segment} points before it")
    return BreakSearchResult(
        table=pd.DataFrame(rows),
        best_year=int(best) if float(best).is_integer() else best,
        sup_stat=sup,
        p_value=float((1 + np.sum(sup_boot >= sup)) / (1 + reps)),
        fixed_breaks=list(fixed),
        estimator=estimator,
        reps=reps,
        seed=seed,
        null_dispersion=phi0,
        min_segment=min_segment,
        null_fit=null_fit | {"deviance": d0, "alpha_moment": alpha0 if quasi else None},
        nobs=n,
        warnings=warn,
        sup_boot=sup_boot,
    )
