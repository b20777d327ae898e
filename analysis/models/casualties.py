"""Count models of peacekeeper fatalities: Poisson and negative binomial (NB2) with exposure.

Model
-----
``E[y_it] = exposure_it * exp(x_it' b + FE)`` with ``log(exposure)`` as an offset, so
``exp(b)`` is an incidence-rate ratio (IRR): the multiplicative change in deaths per
person-period of deployed personnel.

* ``estimator="poisson"``: Poisson GLM fitted by IRLS (``statsmodels`` ``GLM``). With
  robust / clustered standard errors this is the Poisson pseudo-ML estimator, consistent
  whenever the conditional mean is right, whatever the variance.
* ``estimator="negbin"`` (default): NB2, ``Var(y) = mu + alpha mu^2`` with ``alpha``
  estimated by maximum likelihood jointly with ``b``
  (``statsmodels.discrete.discrete_model.NegativeBinomial(loglike_method="nb2")``), the
  usual choice for overdispersed casualty counts. Start values: the Poisson estimates and a
  moment estimate of ``alpha``; optimizers tried in turn: Newton, BFGS, Nelder-Mead (the
  last polished by BFGS). A fit counts only when the optimizer converged, every estimate
  and standard error is finite and no coefficient diverges; otherwise the next optimizer is
  tried and, when none succeeds, :class:`~analysis.errors.ModelError` names the spec.
  Every fallback taken is recorded in ``warnings``. The model class is :class:`FastNB2`,
  statsmodels' NB2 with a vectorised Hessian and analytic per-observation scores (same
  numbers, tested against statsmodels; statsmodels' own loops over parameter pairs and
  numerical derivatives are too slow with a hundred fixed-effect dummies).

Standard errors: cluster-robust by ``cluster`` (default ``mission_id_un``; statsmodels'
default small-sample correction ``G/(G-1) (N-1)/(N-K)``, normal reference distribution),
heteroskedasticity-robust (HC0 sandwich) when ``cluster=None``.

Fixed effects are dummies (reference level dropped): ``"mission"`` on ``mission_id_un``,
``"year"`` on ``year``. A fixed-effect group whose outcome is zero in every row carries no
information (its dummy diverges to minus infinity and breaks convergence), so such groups
are dropped before fitting, repeatedly until none is left (dropping a mission can empty a
year); the number of groups and rows dropped is recorded (``extra["dropped"]``,
``warnings``). FE estimates are in ``extra["fe_estimates"]``, not in ``estimates``.

Rows are dropped, and counted, when the outcome is NA, the exposure is NA or <= 0 (its
log is undefined), a treatment / control is NA (boolean columns are cast to 0/1), or the
cluster / fixed-effect id is NA. Before fitting the design is checked: a treatment or
control without variation, a term perfectly collinear with the others (including with the
fixed effects) or a binary term that separates the outcome (zero deaths in every row where
it is 1, or 0) raises ``ModelError`` naming the term.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import special
from statsmodels.discrete.discrete_model import NegativeBinomial

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

FixedEffects = Literal["none", "mission", "year", "mission+year"]
CountEstimator = Literal["poisson", "negbin"]

#: Column of each fixed-effect dimension.
FE_COLUMNS = {"mission": "mission_id_un", "year": "year"}

#: Optimizers tried in turn for the negative binomial, with their iteration limits.
NB_OPTIMIZERS = (("newton", 100), ("bfgs", 2000), ("nm", 50000))

#: A coefficient larger than this on the unit-scaled design means the estimate diverges.
DIVERGENCE_LIMIT = 25.0


class FastNB2(NegativeBinomial):
    """statsmodels' NB2 with a vectorised Hessian and an analytic ``score_obs``.

    Same likelihood, estimates and covariances as
    :class:`statsmodels.discrete.discrete_model.NegativeBinomial` (``loglike_method="nb2"``),
    whose Hessian loops over all pairs of parameters in Python and whose per-observation
    scores (used by the cluster-robust covariance) are complex-step numerical derivatives:
    both are slow with a hundred fixed-effect dummies. The formulas are statsmodels' own.
    """

    def __init__(self, endog, exog, offset=None) -> None:
        super().__init__(endog, exog, loglike_method="nb2", offset=offset)

    def _alpha(self, params: np.ndarray) -> float:
        return float(np.exp(params[-1]) if self._transparams else params[-1])

    def _hessian_nb2(self, params):  # noqa: D102 - see class docstring
        alpha = self._alpha(params)
        a1 = 1.0 / alpha
        exog = self.exog
        y = self.endog
        mu = self.predict(params[:-1])
        prob = a1 / (a1 + mu)
        dgpart = special.digamma(a1 + y) - special.digamma(a1)
        dim = exog.shape[1]
        hess = np.empty((dim + 1, dim + 1))
        const = a1 * mu * (a1 + y) / (mu + a1) ** 2
        hess[:-1, :-1] = -(exog * const[:, None]).T @ exog
        dldpda = -((mu * (y - mu) * a1**2 / (mu + a1) ** 2) @ exog)
        hess[-1, :-1] = dldpda
        hess[:-1, -1] = dldpda
        da1 = -(alpha**-2)
        da2 = 2 * alpha**-3
        dalpha = da1 * (dgpart + np.log(prob) - (y - mu) / (a1 + mu))
        hess[-1, -1] = (
            da2 * dalpha / da1
            + da1**2
            * (
                special.polygamma(1, a1 + y)
                - special.polygamma(1, a1)
                + 1 / a1
                - 1 / (a1 + mu)
                + (y - mu) / (mu + a1) ** 2
            )
        ).sum()
        return hess

    def score_obs(self, params):  # noqa: D102 - see class docstring
        alpha = self._alpha(params)
        a1 = 1.0 / alpha
        y = self.endog
        mu = self.predict(params[:-1])
        dparams = self.exog * (a1 * (y - mu) / (mu + a1))[:, None]
        dgpart = special.digamma(a1 + y) - special.digamma(a1)
        dalpha = -(a1**2) * (dgpart + np.log(a1 / (a1 + mu)) - (y - mu) / (a1 + mu))
        if self._transparams:
            dalpha = dalpha * alpha
        return np.column_stack([dparams, dalpha])


@dataclass
class CountFit:
    """Raw output of :func:`fit_count` (original scale of the design)."""

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


@single_threaded_blas
def fit_casualty_model(
    df: pd.DataFrame,
    *,
    outcome: str,
    treatment: list[str] | str,
    controls: Sequence[str] = (),
    exposure: str | None = "personnel_total_n",
    fe: FixedEffects = "year",
    estimator: CountEstimator = "negbin",
    cluster: str | None = "mission_id_un",
    data_versions: dict | None = None,
) -> ModelResult:
    """Fit a Poisson or NB2 model of a fatality count with a log-exposure offset.

    Parameters
    ----------
    df
        Mission panel (``mission_months`` or ``mission_years`` or a simulated one); not modified.
    outcome
        Count column (non-negative integers), e.g. ``"fatalities_hostile_n"``.
    treatment
        Column(s) whose IRR is of interest (booleans are cast to 0/1).
    controls
        Further numeric / boolean columns.
    exposure
        Exposure column (e.g. personnel deployed); ``log(exposure)`` enters as an offset.
        Rows with NA or non-positive exposure are dropped and counted. ``None``: no offset.
    fe
        Fixed effects: ``"none"``, ``"mission"`` (``mission_id_un``), ``"year"`` or
        ``"mission+year"``.
    estimator
        ``"negbin"`` (NB2, alpha estimated) or ``"poisson"``.
    cluster
        Column of the clusters of the cluster-robust covariance; ``None`` for HC0.
    data_versions
        Provenance dict stored in the result (see :func:`analysis.data.data_versions`).

    Returns
    -------
    ModelResult
        ``estimates`` for the constant, treatment and control terms (``ratio`` = IRR);
        ``fit_stats`` with ``llf``, ``aic``, ``bic``, ``alpha``, ``alpha_se``,
        ``llf_poisson``, ``lr_alpha`` (LR statistic of alpha = 0), ``optimizer``,
        ``iterations``, ``cov_type``, ``fe_groups``; ``extra["dropped"]`` (counts of rows /
        groups dropped by reason) and ``extra["fe_estimates"]``.

    Raises
    ------
    ValueError
        An invalid option or a column not in ``df``.
    ModelError
        The model cannot be estimated (no events, a term without variation, collinearity,
        separation, no optimizer converged, non-finite standard errors).

    Notes
    -----
    The exposure must measure the same window as the outcome. In ``mission_months`` each
    row is one month, so ``personnel_total_n`` is the exposure in person-months. In
    ``mission_years`` fatalities are summed over all months of the year while
    ``personnel_total_n`` is the mean over the months that have personnel: use person-years
    (e.g. ``personnel_total_n * personnel_months_n / 12``) and keep rows with
    ``personnel_months_share == 1``, or model mission-months.
    """
    check_option("fe", fe, FixedEffects)
    check_option("estimator", estimator, CountEstimator)
    treat = as_list(treatment, "treatment")
    ctrl = as_list(controls, "controls")
    if not treat:
        raise ValueError("treatment: at least one column is needed")
    fe_dims = [] if fe == "none" else fe.split("+")
    fe_cols = [FE_COLUMNS[d] for d in fe_dims]
    check_distinct({"outcome": [outcome], "treatment": treat, "controls": ctrl})
    require_columns(
        df,
        {
            "outcome": [outcome],
            "treatment": treat,
            "controls": ctrl,
            "exposure": [exposure] if exposure else [],
            "fixed effect": fe_cols,
            "cluster": [cluster] if cluster else [],
        },
    )
    terms = treat + ctrl
    spec = {
        "model": "casualties",
        "formula": formula(outcome, terms),
        "outcome": outcome,
        "treatment": treat,
        "controls": ctrl,
        "exposure": exposure,
        "offset": f"log({exposure})" if exposure else None,
        "fe": fe,
        "estimator": estimator,
        "cluster": cluster,
        "cov_type": "cluster" if cluster else "HC0",
    }
    label = spec_label(spec)
    warn: list[str] = []
    dropped: dict[str, int] = {}

    y = to_float(df[outcome])
    cols = {c: to_float(df[c]) for c in terms}
    keep = np.ones(len(df), dtype=bool)

    def drop(mask: np.ndarray, key: str, why: str) -> None:
        nonlocal keep
        n = int((keep & mask).sum())
        dropped[key] = n
        if n:
            warn.append(f"dropped {n} rows: {why}")
        keep &= ~mask

    drop(np.isnan(y), "outcome_na", f"outcome {outcome!r} is NA")
    if exposure:
        ex = to_float(df[exposure])
        drop(~(ex > 0), "exposure_na_or_nonpositive", f"exposure {exposure!r} is NA or <= 0")
    for c in terms:
        role = "treatment" if c in treat else "control"
        drop(np.isnan(cols[c]), f"{c}_na", f"{role} {c!r} is NA")
    ids = {c: df[c] for c in dict.fromkeys(fe_cols + ([cluster] if cluster else []))}
    for c, s in ids.items():
        drop(s.isna().to_numpy(dtype=bool), f"{c}_na", f"{c!r} is NA")

    yv = y[keep]
    if len(yv) == 0:
        raise ModelError(label, "no observations left after dropping missing values")
    if np.any(yv < 0) or np.any(yv != np.round(yv)):
        raise ModelError(label, f"outcome {outcome!r} must be a non-negative integer count")
    if yv.sum() == 0:
        raise ModelError(
            label, f"outcome {outcome!r} is zero in every row of the sample: nothing to estimate"
        )
    # All-zero fixed-effect groups carry no information: drop them, repeatedly.
    fe_frame = pd.DataFrame({c: ids[c][keep].to_numpy() for c in fe_cols})
    dropped["all_zero_fe_groups"] = 0
    dropped["all_zero_fe_rows"] = 0
    sub = np.ones(int(keep.sum()), dtype=bool)
    while fe_cols:
        changed = False
        for c in fe_cols:
            tot = pd.Series(yv[sub]).groupby(fe_frame[c].to_numpy()[sub]).sum()
            zero = tot.index[tot == 0]
            if len(zero):
                rows = sub & fe_frame[c].isin(zero).to_numpy()
                dropped["all_zero_fe_groups"] += len(zero)
                dropped["all_zero_fe_rows"] += int(rows.sum())
                warn.append(
                    f"dropped {len(zero)} {c} groups ({int(rows.sum())} rows) with zero {outcome!r} in every "
                    "row: they carry no information under fixed effects"
                )
                sub &= ~rows
                changed = True
        if not changed:
            break
    idx = np.flatnonzero(keep)[sub]
    yv = y[idx]

    # Design: constant, terms, fixed-effect dummies.
    Xt = np.column_stack([cols[c][idx] for c in terms])
    fe_blocks, fe_names, fe_groups = [], [], {}
    for d, c in zip(fe_dims, fe_cols):
        codes = pd.Categorical(df[c].to_numpy()[idx])
        fe_groups[d] = len(codes.categories)
        dummies = np.eye(len(codes.categories))[codes.codes][:, 1:]
        fe_blocks.append(dummies)
        fe_names += [f"{d}[{v}]" for v in codes.categories[1:]]
    X = np.column_stack([np.ones(len(idx)), Xt, *fe_blocks])
    names = ["const"] + terms + fe_names
    k_terms = 1 + len(terms)
    for j, c in enumerate(terms, start=1):
        if np.ptp(X[:, j]) == 0:
            raise ModelError(label, f"{c!r} has no variation in the estimation sample (always {X[0, j]:g})")
    order = (
        [0]
        + list(range(k_terms, X.shape[1]))
        + list(range(len(treat) + 1, k_terms))
        + list(range(1, len(treat) + 1))
    )
    check_full_rank(X, names, label, order)
    fe_ids = {d: df[c].to_numpy()[idx] for d, c in zip(fe_dims, fe_cols)}
    check_separation(yv, X[:, 1:k_terms], terms, label, fe_ids)

    offset = np.log(to_float(df[exposure])[idx]) if exposure else None
    groups = pd.factorize(df[cluster].to_numpy()[idx])[0] if cluster else None
    fit = fit_count(yv, X, names, offset, estimator, groups, label)
    warn += fit.warnings
    b, cov = fit.params, fit.cov
    se = np.sqrt(np.diag(cov))
    est = estimates_frame(names[:k_terms], b[:k_terms], se[:k_terms], ratio=True)
    fe_est = pd.DataFrame(
        {"term": names[k_terms:], "estimate": b[k_terms : len(names)], "std_error": se[k_terms : len(names)]}
    )
    n_clusters = int(groups.max() + 1) if groups is not None else None
    if n_clusters is not None and n_clusters < 20:
        warn.append(f"only {n_clusters} clusters: cluster-robust standard errors may be too small")
    fit_stats = {
        "llf": fit.llf,
        "aic": fit.aic,
        "bic": fit.bic,
        "alpha": fit.alpha,
        "alpha_se": fit.alpha_se,
        "llf_poisson": fit.llf_poisson,
        "lr_alpha": (
            None
            if fit.alpha is None or fit.llf_poisson is None
            else max(0.0, 2 * (fit.llf - fit.llf_poisson))
        ),
        "optimizer": fit.optimizer,
        "iterations": fit.iterations,
        "cov_type": spec["cov_type"],
        "fe_groups": fe_groups,
        "events": float(yv.sum()),
        "exposure_total": float(np.exp(offset).sum()) if offset is not None else None,
    }
    return ModelResult(
        estimator=estimator,
        spec=spec,
        estimates=est,
        nobs=len(idx),
        n_clusters=n_clusters,
        converged=fit.converged,
        fit_stats=fit_stats,
        data_versions=dict(data_versions or {}),
        warnings=warn,
        extra={"dropped": dropped, "fe_estimates": fe_est},
    )


def spec_label(spec: dict) -> str:
    """Short description of a count-model spec for error messages."""
    opts = [f"{k}={spec[k]}" for k in ("exposure", "fe", "cluster") if k in spec]
    return f"{spec['estimator']} {spec['formula']} [{', '.join(opts)}]"


def check_separation(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str],
    label: str,
    fe: dict[str, np.ndarray] | None = None,
) -> None:
    """Raise :class:`ModelError` when a binary term separates the outcome.

    Without fixed effects: the outcome is zero in every row where the term is 1 (or 0),
    so its coefficient diverges. With fixed effects of a dimension ``d`` (``fe[d]`` = the
    group of each row) the coefficient is identified only within the groups where the term
    varies; if, in those groups, every event falls on one value of the term, the
    coefficient diverges too (together with the FE of those groups), whatever the other
    terms. The message names the groups.
    """
    for j, n in enumerate(names):
        x = X[:, j]
        if not np.isin(x, (0.0, 1.0)).all():
            continue
        for v, side in ((1.0, "-inf"), (0.0, "+inf")):
            if (x == v).any() and y[x == v].sum() == 0:
                raise ModelError(
                    label,
                    f"the outcome is zero in every row where {n!r} = {int(v)}: its coefficient diverges to "
                    f"{side} (separation); the ratio is not estimable",
                )
        for d, g in (fe or {}).items():
            frame = pd.DataFrame({"g": g, "x": x, "y": y})
            varies = frame.groupby("g")["x"].transform("nunique").to_numpy() > 1
            within = frame[varies]
            groups = sorted(map(str, within["g"].unique()))
            shown = ", ".join(groups[:8]) + (", ..." if len(groups) > 8 else "")
            if within.empty:
                raise ModelError(
                    label, f"{n!r} does not vary within any {d} group: not identified with {d} fixed effects"
                )
            for v, side in ((1.0, "-inf"), (0.0, "+inf")):
                if within.loc[within["x"] == v, "y"].sum() == 0:
                    msg = (
                        f"with {d} fixed effects {n!r} is identified only within the {len(groups)} {d} "
                        f"groups where it varies ({shown}), and there the outcome is zero in every row where "
                        f"{n!r} = {int(v)}: its coefficient diverges to {side} (separation); the ratio is "
                        "not estimable"
                    )
                    raise ModelError(label, msg)


def fit_count(
    y: np.ndarray,
    X: np.ndarray,
    names: list[str],
    offset: np.ndarray | None,
    estimator: str,
    groups: np.ndarray | None,
    label: str,
    *,
    cov_type: str | None = None,
    cov_kwds: dict | None = None,
) -> CountFit:
    """Fit Poisson (GLM, IRLS) or NB2 (discrete ``NegativeBinomial``) on a unit-scaled design.

    Parameters
    ----------
    y, X, names
        float64 outcome, design (constant included) and term names.
    offset
        Offset (log exposure) or None.
    estimator
        ``"poisson"`` or ``"negbin"``.
    groups
        Integer cluster codes for a cluster-robust covariance, or None.
    label
        Spec label for error messages.
    cov_type, cov_kwds
        Override the covariance; default: ``"cluster"`` if ``groups`` is given, else
        ``"HC0"``. ``"model"``: model-based, for Poisson scaled by the Pearson dispersion
        ``max(1, X2 / (n - k))`` (quasi-Poisson), for NB2 the inverse Hessian.

    Returns
    -------
    CountFit
        Estimates and covariance on the original scale of ``X``; for NB2 the dispersion
        ``alpha`` and its standard error are separate (not in ``params``).
    """
    if cov_type is None:
        cov_type = "cluster" if groups is not None else "HC0"
        cov_kwds = {"groups": groups} if groups is not None else {}
    cov_kwds = dict(cov_kwds or {})
    model_based = cov_type == "model"
    if model_based:
        cov_type, cov_kwds = "nonrobust", {}
    Xs, s = unit_scale(np.asarray(X, dtype=np.float64))
    y = np.asarray(y, dtype=np.float64)
    warn: list[str] = []
    # Poisson: IRLS, then Newton from scratch if IRLS fails.
    pois = None
    for method in ("IRLS", "newton"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                r = sm.GLM(y, Xs, family=sm.families.Poisson(), offset=offset).fit(
                    method=method, maxiter=200, tol=1e-10, cov_type=cov_type, cov_kwds=cov_kwds
                )
            except (np.linalg.LinAlgError, ValueError, FloatingPointError) as e:
                warn.append(f"Poisson {method} failed: {e}")
                continue
        ok = bool(getattr(r, "converged", True)) and np.all(np.isfinite(r.params))
        if ok:
            pois = r
            break
        record_warnings(caught, warn, prefix=f"Poisson {method}: ")
        warn.append(f"Poisson {method} did not converge")
    if pois is None:
        raise ModelError(label, "the Poisson model did not converge (IRLS and Newton)")
    check_divergence(label, names, pois.params)
    if estimator == "poisson":
        dispersion = None
        cov_s = np.asarray(pois.cov_params())
        if model_based:
            dispersion = max(1.0, float(pois.pearson_chi2) / max(float(pois.df_resid), 1.0))
            cov_s = cov_s * dispersion
        params, cov = unscale(np.asarray(pois.params), cov_s, s)
        check_finite(label, names, params, cov)
        return CountFit(
            params=params,
            cov=cov,
            names=list(names),
            mu=np.asarray(pois.fittedvalues),
            llf=float(pois.llf),
            aic=float(pois.aic),
            bic=float(pois.bic_llf),
            converged=True,
            optimizer="IRLS",
            iterations=int(pois.fit_history.get("iteration", 0)) if hasattr(pois, "fit_history") else None,
            dispersion=dispersion,
            warnings=warn,
        )

    # NB2: Poisson start values plus the moment estimate of alpha (Cameron & Trivedi).
    mu0 = np.asarray(pois.fittedvalues)
    alpha0 = float(np.clip(np.sum((y - mu0) ** 2 - y) / np.sum(mu0**2), 0.05, 50.0))
    start = np.append(np.asarray(pois.params), alpha0)
    model = FastNB2(y, Xs, offset=offset)
    failures: list[str] = []
    for method, maxiter in NB_OPTIMIZERS:
        res, why = _try_nb(model, start, method, maxiter, cov_type, cov_kwds, names)
        if res is not None and method == "nm":
            # Nelder-Mead converges slowly near the optimum: polish with BFGS.
            polished, why2 = _try_nb(model, np.asarray(res.params), "bfgs", 2000, cov_type, cov_kwds, names)
            res, why = (polished, "") if polished is not None else (None, f"nm then bfgs polish: {why2}")
        if res is None:
            failures.append(f"{method}: {why}")
            continue
        if failures:
            warn.append("NB2 optimizer fallback: " + "; ".join(failures) + f"; converged with {method}")
        p = np.asarray(res.params)
        c = np.asarray(res.cov_params())
        params, cov = unscale(p, c, s)
        alpha, alpha_se = float(params[-1]), float(np.sqrt(cov[-1, -1]))
        if alpha < 1e-6:
            warn.append(f"NB2 alpha = {alpha:.2e}: no overdispersion, the NB2 estimates equal Poisson")
        return CountFit(
            params=params[:-1],
            cov=cov[:-1, :-1],
            names=list(names),
            mu=np.asarray(res.predict()),
            llf=float(res.llf),
            aic=float(res.aic),
            bic=float(res.bic),
            converged=True,
            optimizer=method,
            iterations=_iterations(res),
            alpha=alpha,
            alpha_se=alpha_se,
            llf_poisson=float(pois.llf),
            warnings=warn,
        )
    raise ModelError(label, "negative binomial did not converge with any optimizer: " + "; ".join(failures))


def _try_nb(model, start, method, maxiter, cov_type, cov_kwds, names):
    """One NB2 fit; (result, "") when acceptable, else (None, reason)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            try:
                res = model.fit(
                    start_params=start,
                    method=method,
                    maxiter=maxiter,
                    disp=0,
                    cov_type=cov_type,
                    cov_kwds=cov_kwds,
                )
            except (np.linalg.LinAlgError, ValueError, FloatingPointError, OverflowError) as e:
                return None, f"{type(e).__name__}: {e}"
    p = np.asarray(res.params)
    if not res.mle_retvals.get("converged", False):
        return None, "did not converge"
    if not np.all(np.isfinite(p)) or not p[-1] > 0:
        return None, "non-finite estimates or alpha <= 0"
    if np.any(np.abs(p[1:-1]) > DIVERGENCE_LIMIT):
        return None, "diverging coefficients"
    var = np.diag(np.asarray(res.cov_params()))
    if not np.all(np.isfinite(var)) or np.any(var < 0):
        bad = [n for n, v in zip(list(names) + ["alpha"], var) if not (np.isfinite(v) and v >= 0)]
        return None, f"non-finite standard errors ({', '.join(bad)})"
    return res, ""


def _iterations(res) -> int | None:
    it = res.mle_retvals.get("iterations")
    return int(it) if it is not None else None


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
