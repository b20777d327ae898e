"""Count models of peacekeeper fatalities: PPML (Poisson) and negative binomial (NB2) with exposure.

Model
-----
``E[y_it] = exposure_it * exp(x_it' b + FE)`` with ``log(exposure)`` as an offset, so
``exp(b)`` is an incidence-rate ratio (IRR): the multiplicative change in deaths per
person-period of deployed personnel.

* ``estimator="ppml"`` (alias ``"poisson"``): Poisson pseudo-maximum likelihood with fixed
  effects. With cluster-robust standard errors it is consistent whenever the conditional
  mean is right, whatever the variance, and it keeps every row (Santos Silva & Tenreyro
  2006; Correia, Guimaraes & Zylkin 2020). Fitted by Newton (= IRLS for the log link).
* ``estimator="negbin"`` (default): NB2, ``Var(y) = mu + alpha mu^2`` with ``alpha``
  estimated by maximum likelihood jointly with ``b``, the usual choice for overdispersed
  casualty counts; more efficient than PPML when the variance is right, less robust when
  it is not.

The numerical engine is :mod:`analysis.models.counts`: fixed effects enter as index arrays
(no dummy matrices), Newton with step halving, and for NB2 an optimizer path that ends
only at a verified maximum: Newton from the Poisson estimates, Newton again from
``alpha0 = 1``, then BFGS and Nelder-Mead, each **polished by Newton**, a result being
accepted only when the **largest scaled score** (the score of each parameter times its
standard error; see :mod:`analysis.models.counts`) is below ``1e-6``. The path taken and
the final score are recorded (``fit_stats["optimizer"]``, ``["optimizer_path"]``,
``["max_scaled_score"]``, ``["gradient_norm"]``). The estimates match R's
``MASS::glm.nb`` to ``1e-6`` (golden tests on simulated heavy-tailed panels,
``tests/golden/count_models``).

Standard errors (``vcov``)
--------------------------
Cluster-robust by ``cluster`` (default ``mission_id_un``; normal reference distribution),
heteroskedasticity-robust (HC0) when ``cluster=None``. Two conventions exist for NB2, and
they differ materially on overdispersed data (notebook 02's headline: 0.510 vs 0.393):

* ``vcov="joint"`` (default): sandwich of the joint ``(b, alpha)`` scores on the observed
  Hessian, ``G/(G-1) (N-1)/(N-K)`` with ``K`` counting ``alpha`` (statsmodels): the
  uncertainty of ``alpha`` propagates into ``b``.
* ``vcov="glm_fixed_theta"``: ``alpha`` (R's ``theta = 1/alpha``) held fixed at its
  estimate, bread = inverse expected information of ``b``, adjustment ``G/(G-1)``: exactly
  R's ``sandwich::vcovCL(glm.nb(...), cluster = ~mission)`` with its default type, which
  is **HC0** for ``glm`` / ``negbin`` objects (HC1 is the default only for ``lm``).
* ``vcov="glm_fixed_theta_hc1"``: the same times ``(N-1)/(N-K)``: ``vcovCL(..., type =
  "HC1")`` (0.395 on notebook 02's headline).

For PPML the conventions differ only in that adjustment (``"joint"``: statsmodels'
``G/(G-1) (N-1)/(N-K)``; ``"glm_fixed_theta"``: ``vcovCL``'s ``G/(G-1)``). The convention
is recorded in ``spec["vcov"]`` and ``fit_stats["vcov_description"]``.

Sample
------
Fixed effects use the reference level dropped: ``"mission"`` on ``mission_id_un``,
``"year"`` on ``year``. A fixed-effect group whose outcome is zero in every row carries no
information (its coefficient diverges to minus infinity), so such groups are dropped
before fitting, repeatedly until none is left (dropping a mission can empty a year); the
number of groups and rows dropped is recorded (``extra["dropped"]``, ``warnings``). Rows
that are separated by a combination of terms and fixed effects (Correia, Guimaraes &
Zylkin 2019; :func:`analysis.models.count_design.separated_rows`) are dropped likewise
(``extra["dropped"]["separated_rows"]``). FE estimates are in ``extra["fe_estimates"]``,
not in ``estimates``.

Rows are dropped, and counted, when the outcome is NA, the exposure is NA or <= 0 (its
log is undefined), a treatment / control is NA (boolean columns are cast to 0/1), or the
cluster / fixed-effect id is NA. Before fitting the design is checked: a treatment or
control without variation, a term perfectly collinear with the others (including with the
fixed effects) or a binary term that separates the outcome (zero deaths in every row where
it is 1, or 0) raises ``ModelError`` naming the term (:mod:`analysis.models.casualty_checks`).

Refitting fast
--------------
:func:`casualty_design` does the sample selection and checks once and returns a
:class:`CasualtyDesign`; :meth:`CasualtyDesign.fit` refits it (optionally with row
weights, a warm start, or without the covariance), and :meth:`CasualtyDesign.result`
turns a fit into a :class:`ModelResult`. ``fit_casualty_model(..., start_params=r)``
warm-starts from a neighbouring result ``r`` (coefficients mapped by name, new terms start
at 0); the estimates do not depend on the start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special
from statsmodels.discrete.discrete_model import NegativeBinomial

from analysis.errors import ModelError
from analysis.models.casualty_checks import absorb_collinear_fe, check_design, check_separation, encode
from analysis.models.count_design import CountDesign, separated_rows
from analysis.models.count_vcov import VCOV_DESCRIPTIONS, CountVcov
from analysis.models.counts import DIVERGENCE_LIMIT, CountFit, check_divergence, fit_design
from analysis.models.results import (
    ModelResult,
    as_list,
    check_distinct,
    check_option,
    estimates_frame,
    formula,
    ledger_step,
    require_columns,
    seeded_ledger,
    single_threaded_blas,
    to_float,
)

__all__ = [
    "DIVERGENCE_LIMIT",
    "CasualtyDesign",
    "CountEstimator",
    "CountFit",
    "CountVcov",
    "FastNB2",
    "FixedEffects",
    "casualty_design",
    "check_divergence",
    "check_separation",
    "fit_casualty_model",
    "fit_count",
    "spec_label",
]

FixedEffects = Literal["none", "mission", "year", "mission+year"]
CountEstimator = Literal["poisson", "negbin", "ppml"]

#: Column of each fixed-effect dimension.
FE_COLUMNS = {"mission": "mission_id_un", "year": "year"}


class FastNB2(NegativeBinomial):
    """statsmodels' NB2 with a vectorised Hessian and an analytic ``score_obs``.

    Not used by :func:`fit_casualty_model` any more (see :mod:`analysis.models.counts`);
    kept for users who want statsmodels' results object on a NB2 model with many dummies.
    Same likelihood, estimates and covariances as
    :class:`statsmodels.discrete.discrete_model.NegativeBinomial` (``loglike_method="nb2"``),
    whose Hessian loops over all pairs of parameters in Python and whose per-observation
    scores are complex-step numerical derivatives. The formulas are statsmodels' own.
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


# ----------------------------------------------------------------------------- design


@dataclass
class CasualtyDesign:
    """The checked estimation sample of a casualty model, ready to (re)fit.

    Attributes
    ----------
    design : CountDesign
        Outcome, dense terms, fixed effects (index arrays), offset and clusters.
    spec : dict
        The specification (as in :attr:`ModelResult.spec`).
    terms : list of str
        Treatment and control columns (the dense design is ``const`` + terms).
    warnings : list of str
        Rows and groups dropped.
    dropped : dict
        Counts of rows / groups dropped by reason.
    fe_groups : dict
        Levels of each fixed-effect dimension in the sample.
    """

    design: CountDesign
    spec: dict
    terms: list[str]
    warnings: list[str] = field(default_factory=list)
    dropped: dict = field(default_factory=dict)
    fe_groups: dict = field(default_factory=dict)
    ledger: list = field(default_factory=list)

    @property
    def label(self) -> str:
        """Specification label used in error messages."""
        return self.design.label

    def fit(
        self,
        *,
        weights: np.ndarray | None = None,
        start: Mapping[str, Any] | ModelResult | None = None,
        compute_cov: bool = True,
        vcov: CountVcov | None = None,
    ) -> CountFit:
        """Fit (or refit) the model on this sample; see :func:`analysis.models.counts.fit_design`.

        ``weights`` are frequency weights per row of the design (e.g. cluster bootstrap
        multiplicities), ``start`` a warm start, ``compute_cov=False`` skips the covariance.
        """
        return fit_design(
            self.design,
            self.spec["estimator"],
            vcov=vcov or self.spec["vcov"],
            weights=weights,
            start=_start_map(start),
            compute_cov=compute_cov,
        )

    def result(self, fit: CountFit, data_versions: dict | None = None) -> ModelResult:
        """The :class:`ModelResult` of a fit of this design."""
        return _result(self, fit, data_versions)


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
    vcov: CountVcov = "joint",
    start_params: Mapping[str, Any] | ModelResult | None = None,
) -> ModelResult:
    """Fit a PPML or NB2 model of a fatality count with a log-exposure offset.

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
        ``"negbin"`` (NB2, alpha estimated), ``"ppml"`` (Poisson pseudo-ML) or
        ``"poisson"`` (the same as ``"ppml"``).
    cluster
        Column of the clusters of the cluster-robust covariance; ``None`` for HC0.
    data_versions
        Provenance dict stored in the result (see :func:`analysis.data.data_versions`).
    vcov
        Standard-error convention (module docstring): ``"joint"`` (default),
        ``"glm_fixed_theta"`` (R ``vcovCL`` default, HC0) or ``"glm_fixed_theta_hc1"``.
    start_params
        Warm start: a :class:`ModelResult` of a neighbouring specification (its
        ``start_values``) or a mapping ``term -> value`` (FE levels as ``"mission[X]"``,
        ``"alpha"``); coefficients are mapped by name, new terms start at 0. The estimates
        do not depend on it (to about 1e-9 of a standard error).

    Returns
    -------
    ModelResult
        ``estimates`` for the constant, treatment and control terms (``ratio`` = IRR);
        ``fit_stats`` with ``llf``, ``aic``, ``bic``, ``alpha``, ``alpha_se``,
        ``llf_poisson``, ``lr_alpha`` (LR statistic of alpha = 0), ``optimizer``,
        ``optimizer_path``, ``iterations``, ``max_scaled_score``, ``gradient_norm``,
        ``cov_type``, ``vcov``, ``vcov_description``, ``small_sample_factor``,
        ``fe_groups``; ``extra["dropped"]`` (counts of rows / groups dropped by reason) and
        ``extra["fe_estimates"]``; ``start_values`` for warm starts.

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
    cd = casualty_design(
        df,
        outcome=outcome,
        treatment=treatment,
        controls=controls,
        exposure=exposure,
        fe=fe,
        estimator=estimator,
        cluster=cluster,
        vcov=vcov,
    )
    return cd.result(cd.fit(start=start_params), data_versions)


def casualty_design(
    df: pd.DataFrame,
    *,
    outcome: str,
    treatment: list[str] | str,
    controls: Sequence[str] = (),
    exposure: str | None = "personnel_total_n",
    fe: FixedEffects | Sequence[str] = "year",
    estimator: CountEstimator = "negbin",
    cluster: str | None = "mission_id_un",
    vcov: CountVcov = "joint",
) -> CasualtyDesign:
    """Select, check and encode the estimation sample of :func:`fit_casualty_model`.

    Same parameters as :func:`fit_casualty_model`, except that ``fe`` may also be any list of
    columns, each one fixed-effect dimension (e.g. ``["mission_id_un", "year"]``, or
    ``["host_country_id_gw"]``): specification curves use this. Does everything but the fit: rows with
    missing values dropped, all-zero fixed-effect groups and separated rows dropped, no
    variation / collinearity / binary separation checked (``ModelError``).
    """
    if isinstance(fe, str):
        check_option("fe", fe, FixedEffects)
        fe_dims = [] if fe == "none" else fe.split("+")
        fe_cols = [FE_COLUMNS[d] for d in fe_dims]
    else:  # any list of columns (specification curves): each column is one fixed-effect dimension
        fe_cols = as_list(fe, "fe")
        if len(set(fe_cols)) != len(fe_cols):
            raise ValueError(f"fe: a column is given twice in {fe_cols!r}")
        fe_dims = list(fe_cols)
    check_option("estimator", estimator, CountEstimator)
    check_option("vcov", vcov, CountVcov)
    treat = as_list(treatment, "treatment")
    ctrl = as_list(controls, "controls")
    if not treat:
        raise ValueError("treatment: at least one column is needed")
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
        "fe": fe if isinstance(fe, str) else list(fe_cols),
        "estimator": estimator,
        "cluster": cluster,
        "cov_type": "cluster" if cluster else "HC0",
        "vcov": vcov,
    }
    label = spec_label(spec)
    warn: list[str] = []
    dropped: dict[str, int] = {}

    y = to_float(df[outcome])
    cols = {c: to_float(df[c]) for c in terms}
    keep = np.ones(len(df), dtype=bool)
    ledger = seeded_ledger(df, events=np.nansum(y), unit=_rows_unit(df))
    unit = ledger[-1]["unit"]

    def drop(mask: np.ndarray, key: str, why: str) -> None:
        nonlocal keep
        n = int((keep & mask).sum())
        dropped[key] = n
        if n:
            warn.append(f"dropped {n} rows: {why}")
            keep &= ~mask
            ledger_step(ledger, f"model: {why}", rows=int(keep.sum()), events=np.nansum(y[keep]), unit=unit,
                        reason=f"{n} rows dropped ({key})")

    drop(np.isnan(y), "outcome_na", f"outcome {outcome!r} is NA")
    ex = to_float(df[exposure]) if exposure else None
    if ex is not None:
        with np.errstate(invalid="ignore"):
            drop(~(ex > 0), "exposure_na_or_nonpositive", f"exposure {exposure!r} is NA or <= 0")
    for c in terms:
        role = "treatment" if c in treat else "control"
        drop(np.isnan(cols[c]), f"{c}_na", f"{role} {c!r} is NA")
    id_cols = list(dict.fromkeys(fe_cols + ([cluster] if cluster else [])))
    ids = {c: df[c] for c in id_cols}
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
    kept = np.flatnonzero(keep)
    # Integer codes of every id column on the kept rows (levels sorted, as pd.Categorical).
    codes_of: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for c in id_cols:
        codes, levels = pd.factorize(ids[c].iloc[kept], sort=True)
        codes_of[c] = (np.asarray(levels), codes.astype(np.int64))
    # All-zero fixed-effect groups carry no information: drop them, repeatedly.
    dropped["all_zero_fe_groups"] = 0
    dropped["all_zero_fe_rows"] = 0
    sub = np.ones(len(kept), dtype=bool)
    while fe_cols:
        changed = False
        for c in fe_cols:
            levels, codes = codes_of[c]
            tot = np.bincount(codes[sub], yv[sub], minlength=len(levels))
            present = np.bincount(codes[sub], minlength=len(levels)) > 0
            zero = np.flatnonzero(present & (tot == 0))
            if len(zero):
                rows = sub & np.isin(codes, zero)
                dropped["all_zero_fe_groups"] += len(zero)
                dropped["all_zero_fe_rows"] += int(rows.sum())
                warn.append(
                    f"dropped {len(zero)} {c} groups ({int(rows.sum())} rows) with zero {outcome!r} in every "
                    "row: they carry no information under fixed effects"
                )
                sub &= ~rows
                changed = True
                ledger_step(ledger, f"model: all-zero {c} groups", rows=int(sub.sum()),
                            events=float(yv[sub].sum()), unit=unit,
                            reason=f"{len(zero)} groups with no event: no information under fixed effects")
        if not changed:
            break
    idx = kept[sub]
    log_ex = np.log(np.where(ex > 0, ex, 1.0)) if ex is not None else None  # only kept rows (ex > 0) are used
    design = encode(y[idx], cols, terms, idx, fe_dims, fe_cols, ids, cluster, log_ex, label)
    check_design(design, terms, treat, label)
    # Separation by combinations of terms and fixed effects (Correia, Guimaraes & Zylkin 2019).
    sep = separated_rows(design.design)
    dropped["separated_rows"] = int(sep.sum())
    if sep.any():
        warn.append(
            f"dropped {int(sep.sum())} rows with zero {outcome!r} that are separated (their expected count "
            "can be fitted to zero by a combination of the terms and fixed effects; Correia, Guimaraes & "
            "Zylkin 2019)"
        )
        idx = idx[~sep]
        ledger_step(ledger, "model: separated rows", rows=len(idx), events=float(y[idx].sum()), unit=unit,
                    reason="zero-outcome rows fitted to zero by a combination of terms and fixed effects")
        design = encode(y[idx], cols, terms, idx, fe_dims, fe_cols, ids, cluster, log_ex, label)
        absorbed = absorb_collinear_fe(design)
        dropped["absorbed_fe_levels"] = len(absorbed)
        if absorbed:
            warn.append(
                f"fixed-effect levels {', '.join(absorbed)} merged into their reference level: without the "
                "separated rows they are collinear with the other fixed effects"
            )
        try:
            check_design(design, terms, treat, label)
        except ModelError as e:
            # The separating combination of terms is zero on every row left: collinear.
            raise ModelError(
                label,
                f"after dropping {int(sep.sum())} separated rows (zero {outcome!r}, fitted to zero by a "
                f"combination of terms and fixed effects): {e.reason}",
            ) from None
    ledger_step(ledger, "in the model", rows=len(idx), events=float(y[idx].sum()), unit=unit,
                reason="rows of the fit")
    return CasualtyDesign(
        design=design.design,
        spec=spec,
        terms=terms,
        warnings=warn,
        dropped=dropped,
        fe_groups=design.fe_groups,
        ledger=ledger,
    )


def _rows_unit(df: pd.DataFrame) -> str:
    """What a row of a casualty frame is (for the ledger): mission-months or mission-years."""
    return "mission-months" if "month" in df.columns else "rows"


def _start_map(start: Mapping[str, Any] | ModelResult | None) -> dict | None:
    if start is None:
        return None
    if isinstance(start, ModelResult):
        if start.start_values:
            return dict(start.start_values)
        out = dict(zip(start.estimates["term"], start.estimates["estimate"]))
        fe_est = start.extra.get("fe_estimates")
        if isinstance(fe_est, pd.DataFrame):
            out.update(zip(fe_est["term"], fe_est["estimate"]))
        if start.fit_stats.get("alpha"):
            out["alpha"] = start.fit_stats["alpha"]
        return out
    if isinstance(start, Mapping):
        return dict(start)
    raise TypeError(f"start_params must be a ModelResult or a mapping, not {type(start).__name__}")


def _result(cd: CasualtyDesign, fit: CountFit, data_versions: dict | None) -> ModelResult:
    d = cd.design
    spec = dict(cd.spec)
    k_terms = d.p
    warn = list(cd.warnings) + fit.warnings
    b, cov = fit.params, fit.cov
    se = np.sqrt(np.diag(cov))
    names = d.names
    est = estimates_frame(names[:k_terms], b[:k_terms], se[:k_terms], ratio=True)
    fe_est = pd.DataFrame(
        {"term": names[k_terms:], "estimate": b[k_terms:], "std_error": se[k_terms:]}
    )
    n_clusters = d.n_groups if d.groups is not None else None
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
        "optimizer_path": list(fit.optimizer_path),
        "iterations": fit.iterations,
        "max_scaled_score": fit.max_scaled_score,
        "gradient_norm": fit.gradient_norm,
        "cov_type": spec["cov_type"],
        "vcov": fit.vcov,
        "vcov_description": _vcov_description(fit, spec),
        "small_sample_factor": fit.small_sample_factor,
        "fe_groups": dict(cd.fe_groups),
        "events": float(d.y.sum()),
        "exposure_total": float(np.exp(d.offset).sum()) if d.offset is not None else None,
    }
    spec["vcov"] = fit.vcov
    return ModelResult(
        estimator=spec["estimator"],
        spec=spec,
        estimates=est,
        nobs=d.n,
        n_clusters=n_clusters,
        converged=fit.converged,
        fit_stats=fit_stats,
        data_versions=dict(data_versions or {}),
        warnings=warn,
        extra={"dropped": dict(cd.dropped), "fe_estimates": fe_est},
        ledger=[dict(s) for s in cd.ledger],
        start_values=dict(fit.start_values),
    )


def _vcov_description(fit: CountFit, spec: dict) -> str:
    cl = spec.get("cluster")
    where = f"clustered by {cl}" if cl else "heteroskedasticity-robust (no clusters)"
    if fit.alpha is None or fit.alpha == 0.0:
        base = "Poisson sandwich" + (
            " (statsmodels adjustment G/(G-1) (N-1)/(N-K))" if fit.vcov == "joint" and spec.get("cluster")
            else " (R sandwich::vcovCL adjustment)" if spec.get("cluster") else ""
        )
    else:
        base = VCOV_DESCRIPTIONS[fit.vcov]
    return f"{base}; {where}; adjustment factor {fit.small_sample_factor:.6g}"


def spec_label(spec: dict) -> str:
    """Short description of a count-model spec for error messages."""
    opts = [f"{k}={spec[k]}" for k in ("exposure", "fe", "cluster") if k in spec]
    return f"{spec['estimator']} {spec['formula']} [{', '.join(opts)}]"


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
    vcov: CountVcov = "joint",
) -> CountFit:
    """Fit PPML or NB2 on a dense design (constant included), e.g. a segmented trend.

    Parameters
    ----------
    y, X, names
        float64 outcome, design (constant included) and term names.
    offset
        Offset (log exposure) or None.
    estimator
        ``"poisson"`` / ``"ppml"`` or ``"negbin"``.
    groups
        Integer cluster codes for a cluster-robust covariance, or None.
    label
        Spec label for error messages.
    cov_type, cov_kwds
        Override the covariance; default: ``"cluster"`` if ``groups`` is given, else
        ``"HC0"``; ``cov_kwds={"groups": ...}`` gives the clusters with
        ``cov_type="cluster"``. ``"model"``: model-based, for Poisson scaled by the Pearson
        dispersion ``max(1, X2 / (n - k))`` (quasi-Poisson), for NB2 the inverse Hessian.
    vcov
        Covariance convention (see :mod:`analysis.models.counts`).

    Returns
    -------
    CountFit
        Estimates and covariance on the original scale of ``X``; for NB2 the dispersion
        ``alpha`` and its standard error are separate (not in ``params``).
    """
    g = groups
    if cov_type == "cluster" and g is None:
        g = (cov_kwds or {}).get("groups")
    if cov_type is None:
        cov_type = "cluster" if g is not None else "HC0"
    if cov_type != "cluster":
        g = None
    if g is not None:
        g = pd.factorize(np.asarray(g))[0]
    design = CountDesign(y, X, names, offset=offset, groups=g, label=label)
    est = "ppml" if estimator == "poisson" else estimator
    fit = fit_design(design, est, vcov=vcov, cov_type=cov_type)  # type: ignore[arg-type]
    return fit
