"""Coup risk: country-year logit and Firth-penalised logit with duration dependence.

Data preparation (:func:`prepare_coup_data`)
--------------------------------------------
Treatment and controls are lagged by ``lag`` years within country by matching on
``year - lag`` (not by shifting rows, so a gap in a country's years gives NA, never the
wrong year); the lagged values keep their column names (``attrs["coup_data"]`` records the
lag). ``"log_gdp_pc"`` = ``log(gdp_pc_usd)`` and ``"log_population"`` = ``log(population_n)``
are built when asked for (before lagging; non-positive values give NA). Duration
dependence follows Carter & Signorino (2010): ``t`` = ``years_since_coup`` (years since
the last attempt before this year, not lagged: it is known at the start of the year),
``t2 = t^2``, ``t3 = t^3``. Rows with NA in any model column are dropped and counted.

Estimators (:func:`fit_coup_model`)
-----------------------------------
* ``"logit"``: maximum-likelihood logit (statsmodels ``Logit``, Newton, BFGS fallback), with
  cluster-robust standard errors by ``cluster`` (default ``country_id_gw``; HC0 when
  ``None``). Separation is checked: a binary term with no event (or only events) at one of
  its values, or estimates that diverge, raise :class:`~analysis.errors.ModelError`
  suggesting ``estimator="firth"``.
* ``"firth"``: Firth's (1993) bias-reduced logit, i.e. maximum of the penalised
  log-likelihood ``l(b) + 0.5 log|X'WX|`` (Jeffreys prior), which is finite under
  separation and reduces the small-sample bias of rare-event logit (Heinze & Schemper
  2002). Fitted by Newton-Raphson on the modified score
  ``U*(b) = X'(y - p + h (1/2 - p))`` with ``h`` the diagonal of the hat matrix
  ``W^1/2 X (X'WX)^-1 X' W^1/2``, step-halving on the penalised log-likelihood and steps
  capped at 5 (as in R ``logistf``); converged when the largest step and the largest
  modified score are below 1e-8 and 1e-6 (unit-scaled design).

  Inference: with ``cluster=None`` (independent observations) standard errors are
  ``sqrt(diag((X'WX)^-1))``, confidence intervals are **profile penalised-likelihood**
  intervals (the set of ``b_j`` with ``2 (l*max - l*profile(b_j)) <= chi2_1(0.95)``; Wald
  intervals are poor for Firth estimates near separation) and p-values are penalised
  likelihood-ratio tests of ``b_j = 0``; a profile bound that does not exist (flat penalised
  likelihood) is reported as infinite with a warning. With a cluster, the standard errors
  are cluster-robust sandwiches built from the modified score contributions
  (``G/(G-1) (N-1)/(N-K)`` correction) and the intervals and p-values are Wald; profile
  intervals would assume independent observations.

``ratio`` = odds ratio. :func:`predict_coup_risk` gives predicted probabilities.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, special, stats
from statsmodels.discrete.discrete_model import Logit

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
    ledger_step,
    record_warnings,
    require_columns,
    seeded_ledger,
    single_threaded_blas,
    to_float,
    unit_scale,
    unscale,
    without_attrs,
)
from analysis.vocabulary import Region

CoupEstimator = Literal["logit", "firth"]

#: Derived controls built by :func:`prepare_coup_data` (name -> source column): ``log`` of a
#: positive column (non-positive -> NA) ...
DERIVED = {"log_gdp_pc": "gdp_pc_usd", "log_population": "population_n"}
#: ... and ``log(1 + x)`` of a count that is often zero (U.S. troops in the country).
DERIVED_LOG1P = {"log1p_us_troops": "us_troops_n"}
#: Duration terms (Carter & Signorino cubic).
DURATION_TERMS = ("t", "t2", "t3")
#: Outcome columns carried (not lagged) into the prepared frame when present.
OUTCOMES = ("has_coup_attempt", "has_successful_coup", "coup_attempts_n", "coups_successful_n")
#: |coefficient| on the unit-scaled design beyond which the logit is taken to diverge.
DIVERGENCE_LIMIT = 25.0
#: Largest Newton step of the Firth fit (as R ``logistf``'s ``maxstep``).
FIRTH_MAX_STEP = 5.0


def prepare_coup_data(
    cy: pd.DataFrame,
    *,
    treatment: str,
    controls: Sequence[str],
    lag: int = 1,
    years: tuple[int, int] = (1990, 2024),
    region: Region = "all",
    periods: Sequence[int] = (),
) -> pd.DataFrame:
    """Country-years ready for :func:`fit_coup_model`: lagged regressors and duration terms.

    Parameters
    ----------
    cy
        ``country_years`` (or a frame with the same columns); not modified.
    treatment
        Treatment column (e.g. ``"has_partnership"``), lagged by ``lag`` years.
    controls
        Control columns, lagged; ``"log_gdp_pc"`` / ``"log_population"`` are built from
        ``gdp_pc_usd`` / ``population_n``.
    lag
        Lag in years (>= 0; 0 keeps contemporaneous values).
    years
        First and last outcome year kept (inclusive).
    region
        ``"all"`` or ``"africa"`` (``is_africa`` True).
    periods
        Period effects: the first years of the periods after the first, e.g. ``(2001, 2011)``
        gives ``period_2001_2010`` and ``period_2011_<last>`` (0/1 by the **outcome** year, not
        lagged; the period before the first break is the reference). A period without rows in
        the final sample gets no dummy; when the reference period has none (a treatment coded
        from 2000 only), the earliest period present becomes the reference. Pass the names from
        ``attrs["coup_data"]["periods"]`` to :func:`fit_coup_model` as controls.

    Returns
    -------
    pandas.DataFrame
        ``country_id_gw``, ``year``, ``country_name`` (when present), the outcome columns
        present among ``has_coup_attempt``, ``has_successful_coup``, ``coup_attempts_n``,
        ``coups_successful_n`` (not lagged), ``years_since_coup``, the treatment and
        controls (lagged, same names), ``t``, ``t2``, ``t3`` (float64), the period dummies.
        Rows with NA in any of these are dropped; ``attrs["coup_data"]`` records the options
        and the counts.
    """
    check_option("region", region, Region)
    if isinstance(lag, bool) or not isinstance(lag, (int, np.integer)) or lag < 0:
        raise ValueError(f"lag must be a non-negative integer; got {lag!r}")
    if len(years) != 2 or not years[0] <= years[1]:
        raise ValueError(f"years must be (first, last) with first <= last; got {years!r}")
    ctrl = as_list(controls, "controls")
    if not isinstance(treatment, str):
        raise ValueError(f"treatment must be one column name; got {treatment!r}")
    check_distinct({"treatment": [treatment], "controls": ctrl})
    reserved = [c for c in [treatment] + ctrl if c in (*OUTCOMES, "years_since_coup", *DURATION_TERMS)]
    if reserved:
        raise ValueError(
            f"{reserved} cannot be lagged regressors: outcome and duration columns are added as is"
        )
    derived = DERIVED | DERIVED_LOG1P
    raw_needed = [derived.get(c, c) for c in [treatment] + ctrl]
    breaks = sorted(int(b) for b in periods)
    if any(not years[0] < b <= years[1] for b in breaks) or len(set(breaks)) != len(breaks):
        raise ValueError(
            f"periods must be distinct years after {years[0]} up to {years[1]}; got {list(periods)}"
        )
    outcomes = [c for c in OUTCOMES if c in cy.columns]
    require_columns(
        cy,
        {
            "id": ["country_id_gw", "year"],
            "outcome": ["has_coup_attempt"],
            "duration": ["years_since_coup"],
            "treatment/controls": raw_needed,
            "region": ["is_africa"] if region == "africa" else [],
        },
    )
    if cy.duplicated(["country_id_gw", "year"]).any():
        raise ValueError("cy has duplicate (country_id_gw, year) rows")
    reg = [treatment] + ctrl
    src = pd.DataFrame({"country_id_gw": cy["country_id_gw"].to_numpy(), "year": cy["year"].to_numpy()})
    for c in reg:
        if c in DERIVED:
            v = to_float(cy[DERIVED[c]])
            with np.errstate(divide="ignore", invalid="ignore"):
                src[c] = np.where(v > 0, np.log(v), np.nan)
        elif c in DERIVED_LOG1P:
            v = to_float(cy[DERIVED_LOG1P[c]])
            with np.errstate(divide="ignore", invalid="ignore"):
                src[c] = np.where(v >= 0, np.log1p(v), np.nan)
        else:
            src[c] = cy[c].to_numpy()
    src["year"] = src["year"].astype("Int64") + lag
    base_cols = ["country_id_gw", "year"] + (["country_name"] if "country_name" in cy.columns else [])
    base = cy[base_cols + outcomes + ["years_since_coup"]].copy()

    def n_events(df: pd.DataFrame) -> float:
        return float(np.nansum(to_float(df["has_coup_attempt"])))

    ledger = ledger_step([], "state-years given", rows=len(base), events=n_events(base), unit="state-years",
                         reason="events: coup attempts (has_coup_attempt)")
    if region == "africa":
        base = base[cy["is_africa"].fillna(False).to_numpy(dtype=bool)]
        ledger_step(ledger, "African states", rows=len(base), events=n_events(base), unit="state-years",
                    reason="region = africa")
    yr = base["year"].astype("Int64")
    base = base[
        (yr >= years[0]).fillna(False).to_numpy(dtype=bool)
        & (yr <= years[1]).fillna(False).to_numpy(dtype=bool)
    ]
    ledger_step(ledger, f"years {years[0]}-{years[1]}", rows=len(base), events=n_events(base),
                unit="state-years", reason="estimation window")
    n_base = len(base)
    out = base.merge(src, on=["country_id_gw", "year"], how="left", validate="one_to_one")
    t = to_float(out["years_since_coup"])
    out["t"], out["t2"], out["t3"] = t, t**2, t**3
    period_names = []
    bounds = [*breaks, int(years[1]) + 1]
    oy = to_float(out["year"])
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        name = f"period_{lo}_{hi - 1}"
        out[name] = ((oy >= lo) & (oy < hi)).astype(np.float64)
        period_names.append(name)
    model_cols = outcomes + ["years_since_coup"] + reg + list(DURATION_TERMS)
    na = out[model_cols].isna()
    dropped = {c: int(na[c].sum()) for c in model_cols if na[c].any()}
    gone = np.zeros(len(out), dtype=bool)
    for c in model_cols:  # one step per column, in order: each drops the rows it newly makes NA
        m = na[c].to_numpy() & ~gone
        if m.any():
            gone |= m
            what = f"{c} known (lag {lag})" if c in reg else f"{c} known"
            ledger_step(ledger, what, rows=int((~gone).sum()), events=n_events(out[~gone]),
                        unit="state-years", reason=f"{int(m.sum())} rows NA")
    out = out[~na.any(axis=1).to_numpy()].reset_index(drop=True)
    # a period without rows in the sample has no dummy; when the reference period has none, the
    # earliest period present becomes the reference (its dummy is dropped)
    present = [p for p in period_names if out[p].any()]
    reference = f"{years[0]}-{breaks[0] - 1}" if breaks else None
    if present and len(out) and (out[present].sum(axis=1) == 1).all():
        reference = present[0].removeprefix("period_").replace("_", "-")
        present = present[1:]
    out = out.drop(columns=[p for p in period_names if p not in present])
    period_names = present
    out.attrs["ledger"] = ledger
    out.attrs["coup_data"] = {
        "treatment": treatment,
        "controls": ctrl,
        "lag": int(lag),
        "lagged": reg,
        "years": [int(years[0]), int(years[1])],
        "region": region,
        "periods": period_names,
        "period_reference": reference,
        "rows_in_window": n_base,
        "rows_dropped_na": n_base - len(out),
        "na_by_column": dropped,
        "rows": len(out),
    }
    return out


@single_threaded_blas
def fit_coup_model(
    df: pd.DataFrame,
    *,
    outcome: str = "has_coup_attempt",
    treatment: list[str] | str,
    controls: Sequence[str] = (),
    estimator: CoupEstimator = "logit",
    duration: bool = True,
    cluster: str | None = "country_id_gw",
    data_versions: dict | None = None,
    null_model: bool = True,
) -> ModelResult:
    """Fit a logit or Firth logit of a coup outcome.

    Parameters
    ----------
    df
        Output of :func:`prepare_coup_data` (or any frame with the columns); not modified.
    outcome
        Binary outcome (boolean or 0/1).
    treatment
        Column(s) whose odds ratio is of interest.
    controls
        Further columns (booleans cast to 0/1).
    estimator
        ``"logit"`` or ``"firth"``.
    duration
        Add the cubic duration terms ``t``, ``t2``, ``t3`` (from :func:`prepare_coup_data`).
    cluster
        Cluster column for robust standard errors; ``None``: HC0 (logit) or model-based
        with profile CIs (Firth).
    data_versions
        Provenance dict stored in the result.
    null_model
        Logit: also fit the constant-only model for ``fit_stats["llnull"]`` and
        ``["pseudo_r2"]`` (an optimisation of its own); refits that need only the estimates
        (the leave-one-out refits of :func:`analysis.models.inference.leave_one_cluster_out`)
        leave both out.

    Returns
    -------
    ModelResult
        ``estimates`` for ``const``, treatment, controls and duration terms (``ratio`` =
        odds ratio); ``fit_stats`` with ``llf`` (and ``llf_penalized`` for Firth),
        ``events``, ``ci_method``, ``p_value_method``; ``spec["data_preparation"]`` copies
        ``df.attrs["coup_data"]`` when present; ``extra["dropped"]``.

    Raises
    ------
    ValueError
        Invalid option, unknown column (duration terms missing: run ``prepare_coup_data``).
    ModelError
        No events, a term without variation, collinearity, separation (logit), no convergence.
    """
    check_option("estimator", estimator, CoupEstimator)
    if not isinstance(duration, (bool, np.bool_)):
        raise ValueError(f"duration must be True or False; got {duration!r}")
    treat = as_list(treatment, "treatment")
    ctrl = as_list(controls, "controls")
    if not treat:
        raise ValueError("treatment: at least one column is needed")
    dur = list(DURATION_TERMS) if duration else []
    check_distinct({"outcome": [outcome], "treatment": treat, "controls": ctrl, "duration": dur})
    missing_dur = [c for c in dur if c not in df.columns]
    if missing_dur:
        raise ValueError(
            f"duration terms {missing_dur} are not in the data: prepare it with prepare_coup_data() "
            "or set duration=False"
        )
    require_columns(
        df,
        {"outcome": [outcome], "treatment": treat, "controls": ctrl, "cluster": [cluster] if cluster else []},
    )
    terms = treat + ctrl + dur
    spec = {
        "model": "coups",
        "formula": formula(outcome, terms),
        "outcome": outcome,
        "treatment": treat,
        "controls": ctrl,
        "duration": bool(duration),
        "terms": terms,
        "estimator": estimator,
        "cluster": cluster,
        "cov_type": "cluster" if cluster else ("HC0" if estimator == "logit" else "model"),
    }
    if "coup_data" in df.attrs:
        spec["data_preparation"] = dict(df.attrs["coup_data"])
    label = f"{estimator} {spec['formula']} [cluster={cluster}]"
    warn: list[str] = []
    dropped: dict[str, int] = {}

    given = df
    df = without_attrs(df)  # its columns are read below without copying df.attrs into each
    y = to_float(df[outcome])
    cols = {c: to_float(df[c]) for c in terms}
    ledger = seeded_ledger(given, events=np.nansum(y), unit="rows")
    unit = ledger[-1]["unit"]
    keep = ~np.isnan(y)
    dropped["outcome_na"] = int((~keep).sum())
    masks = [(f"{c}_na", f"{c!r} is NA", cols[c]) for c in terms]
    if dropped["outcome_na"]:
        ledger_step(ledger, f"model: outcome {outcome!r} is NA", rows=int(keep.sum()),
                    events=np.nansum(y[keep]), unit=unit, reason=f"{dropped['outcome_na']} rows dropped")
    if cluster:
        masks.append((f"{cluster}_na", f"{cluster!r} is NA",
                      np.where(df[cluster].isna().to_numpy(dtype=bool), np.nan, 0.0)))
    for key, why, values in masks:
        m = keep & np.isnan(values)
        dropped[key] = int(m.sum())
        keep &= ~m
        if m.any():
            ledger_step(ledger, f"model: {why}", rows=int(keep.sum()), events=np.nansum(y[keep]), unit=unit,
                        reason=f"{int(m.sum())} rows dropped ({key})")
    for key, n in dropped.items():
        if n:
            warn.append(f"dropped {n} rows: {key.removesuffix('_na')!r} is NA")
    idx = np.flatnonzero(keep)
    yv = y[idx]
    if len(yv) == 0:
        raise ModelError(label, "no observations left after dropping missing values")
    if not np.isin(yv, (0.0, 1.0)).all():
        raise ModelError(label, f"outcome {outcome!r} must be binary (0/1 or boolean)")
    if yv.sum() == 0 or yv.sum() == len(yv):
        raise ModelError(
            label, f"outcome {outcome!r} is {'never' if yv.sum() == 0 else 'always'} 1: nothing to estimate"
        )
    X = np.column_stack([np.ones(len(idx))] + [cols[c][idx] for c in terms])
    names = ["const"] + terms
    for j, c in enumerate(terms, start=1):
        if np.ptp(X[:, j]) == 0:
            raise ModelError(label, f"{c!r} has no variation in the estimation sample (always {X[0, j]:g})")
    nt = len(treat)
    check_full_rank(X, names, label, [0] + list(range(nt + 1, len(names))) + list(range(1, nt + 1)))
    groups = pd.factorize(df[cluster].to_numpy()[idx])[0] if cluster else None
    fit_stats: dict = {"events": float(yv.sum()), "cov_type": spec["cov_type"]}
    if estimator == "logit":
        _check_binary_separation(yv, X, names, label)
        b, cov, stats_ = _fit_logit(yv, X, names, groups, label, warn, null_model=null_model)
        ci, p = None, None
        fit_stats |= stats_ | {"ci_method": "wald", "p_value_method": "wald"}
    else:
        b, cov, ci, p, stats_ = _fit_firth_full(yv, X, names, groups, label, warn)
        fit_stats |= stats_
        sep = separating_terms(yv, X, names)
        if sep and groups is not None:
            warn.append(
                f"{'; '.join(sep)} (separation): cluster-robust (sandwich) standard errors of a Firth "
                "estimate under separation are unreliable, typically far too small; use cluster=None for "
                "profile penalised-likelihood intervals"
            )
        elif sep:
            warn.append(f"{'; '.join(sep)} (separation): the Firth estimate is finite, the ML one is not")
    se = np.sqrt(np.diag(cov))
    est = estimates_frame(names, b, se, ratio=True, ci=ci, p_values=p)
    n_clusters = int(groups.max() + 1) if groups is not None else None
    if n_clusters is not None and n_clusters < 20:
        warn.append(f"only {n_clusters} clusters: cluster-robust standard errors may be too small")
    events_per_term = yv.sum() / len(names)
    if events_per_term < 10:
        warn.append(
            f"{events_per_term:.1f} events per parameter (< 10): "
            + (
                "ML estimates may be biased; consider estimator='firth'"
                if estimator == "logit"
                else "small sample (Firth reduces the bias of the estimates)"
            )
        )
    return ModelResult(
        estimator=estimator,
        spec=spec,
        estimates=est,
        nobs=len(idx),
        n_clusters=n_clusters,
        converged=True,
        fit_stats=fit_stats,
        data_versions=dict(data_versions or {}),
        warnings=warn,
        extra={"dropped": dropped},
        ledger=ledger_step(ledger, "in the model", rows=len(idx), events=float(y[idx].sum()), unit=unit,
                           reason="rows of the fit"),
    )


def predict_coup_risk(result: ModelResult, df: pd.DataFrame) -> pd.Series:
    """Predicted coup probability of each row of ``df`` under a fitted coup model.

    Parameters
    ----------
    result
        A :func:`fit_coup_model` result (logit or Firth).
    df
        Rows with the model's terms (e.g. from :func:`prepare_coup_data`).

    Returns
    -------
    pandas.Series
        ``Float64`` probabilities named ``coup_risk`` with ``df``'s index; NA where a term is NA.
    """
    if result.spec.get("model") != "coups":
        raise ValueError(
            f"predict_coup_risk needs a fit_coup_model result; got a {result.spec.get('model')!r} model"
        )
    terms = list(result.spec["terms"])
    require_columns(df, {"model term": terms})
    coef = result.estimates.set_index("term")["estimate"]
    X = np.column_stack([np.ones(len(df))] + [to_float(df[c]) for c in terms])
    eta = X @ coef.loc[["const"] + terms].to_numpy(dtype=np.float64)
    p = special.expit(eta)
    return pd.Series(pd.array(p, dtype="Float64"), index=df.index, name="coup_risk").where(
        ~np.isnan(eta), pd.NA
    )


# ----------------------------------------------------------------------------- logit


def separating_terms(y: np.ndarray, X: np.ndarray, names: Sequence[str]) -> list[str]:
    """Binary terms with no event (or only events) at one of their values, described."""
    out = []
    for j, n in enumerate(names):
        if n == "const":
            continue
        x = X[:, j]
        if not np.isin(x, (0.0, 1.0)).all():
            continue
        for v in (1.0, 0.0):
            sel = x == v
            if sel.any() and (y[sel].sum() == 0 or y[sel].sum() == sel.sum()):
                what = "no event" if y[sel].sum() == 0 else "only events"
                out.append(f"{what} where {n!r} = {int(v)}")
    return out


def _check_binary_separation(y: np.ndarray, X: np.ndarray, names: Sequence[str], label: str) -> None:
    sep = separating_terms(y, X, names)
    if sep:
        raise ModelError(
            label, f"{sep[0]}: quasi-complete separation, the logit estimate diverges; use estimator='firth'"
        )


def _fit_logit(y, X, names, groups, label, warn, null_model=True):
    Xs, s = unit_scale(X)
    cov = (
        {"cov_type": "cluster", "cov_kwds": {"groups": groups}} if groups is not None else {"cov_type": "HC0"}
    )
    failures = []
    for method, maxiter in (("newton", 100), ("bfgs", 2000)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with np.errstate(all="ignore"):
                    r = Logit(y, Xs).fit(method=method, maxiter=maxiter, disp=0, **cov)
            except Exception as e:  # statsmodels raises several types (incl. PerfectSeparationError)
                if "separation" in str(e).lower():
                    raise ModelError(label, f"perfect separation ({e}); use estimator='firth'") from e
                failures.append(f"{method}: {type(e).__name__}: {e}")
                continue
        p = np.asarray(r.params)
        if any("separation" in str(w.message).lower() for w in caught) or np.any(
            np.abs(p[1:]) > DIVERGENCE_LIMIT
        ):
            raise ModelError(label, "logit estimates diverge ((quasi-)separation); use estimator='firth'")
        if not r.mle_retvals.get("converged", False):
            failures.append(f"{method}: did not converge")
            continue
        record_warnings(caught, warn, prefix=f"logit {method}: ")
        if failures:
            warn.append("logit optimizer fallback: " + "; ".join(failures) + f"; converged with {method}")
        b, cov = unscale(p, np.asarray(r.cov_params()), s)
        check_finite(label, names, b, cov)
        null = {"llnull": float(r.llnull), "pseudo_r2": float(r.prsquared)} if null_model else {}
        return (
            b,
            cov,
            {
                "llf": float(r.llf),
                **null,
                "aic": float(r.aic),
                "bic": float(r.bic),
                "optimizer": method,
                "iterations": r.mle_retvals.get("iterations"),
            },
        )
    raise ModelError(label, "logit did not converge: " + "; ".join(failures))


# ----------------------------------------------------------------------------- Firth


def _firth_parts(beta: np.ndarray, X: np.ndarray, y: np.ndarray):
    """Penalised log-likelihood, modified score, information and its inverse at ``beta``."""
    eta = X @ beta
    p = special.expit(eta)
    w = p * (1.0 - p)
    ll = float(np.sum(y * eta - np.logaddexp(0.0, eta)))
    info = X.T @ (X * w[:, None])
    sign, logdet = np.linalg.slogdet(info)
    if sign <= 0 or not np.isfinite(logdet):
        return -np.inf, None, None, None, ll, None
    inv = np.linalg.inv(info)
    h = w * np.sum((X @ inv) * X, axis=1)
    resid = y - p + h * (0.5 - p)
    return ll + 0.5 * logdet, X.T @ resid, info, inv, ll, resid


def firth_fit(
    y: np.ndarray,
    X: np.ndarray,
    *,
    start: np.ndarray | None = None,
    fixed: tuple[int, float] | None = None,
    maxiter: int = 200,
    xtol: float = 1e-8,
    gtol: float = 1e-6,
) -> dict:
    """Maximise the Firth-penalised logit log-likelihood (Newton with step-halving).

    Parameters
    ----------
    y, X
        0/1 outcome and design (constant included), float64; best unit-scaled.
    start
        Start values (zeros by default).
    fixed
        ``(j, value)``: hold coefficient ``j`` at ``value`` (profile likelihood); the
        penalty keeps the full information matrix (Heinze & Schemper 2002).
    maxiter, xtol, gtol
        Iteration limit and convergence tolerances on the step and the modified score.

    Returns
    -------
    dict
        ``beta``, ``pll`` (penalised log-likelihood), ``ll``, ``inv`` ((X'WX)^-1), ``resid``
        (modified score residuals), ``converged``, ``iterations``.
    """
    k = X.shape[1]
    beta = np.zeros(k) if start is None else np.array(start, dtype=np.float64)
    free = np.ones(k, dtype=bool)
    if fixed is not None:
        free[fixed[0]] = False
        beta[fixed[0]] = fixed[1]
    pll, score, info, inv, ll, resid = _firth_parts(beta, X, y)
    if info is None:
        raise np.linalg.LinAlgError("singular information matrix at the start values")
    converged = False
    it = 0
    while it < maxiter:
        it += 1
        step = np.zeros(k)
        step[free] = np.linalg.solve(info[np.ix_(free, free)], score[free])
        mx = np.max(np.abs(step))
        if mx > FIRTH_MAX_STEP:
            step *= FIRTH_MAX_STEP / mx
        t = 1.0
        for _ in range(40):
            cand = beta + t * step
            res = _firth_parts(cand, X, y)
            if res[0] >= pll - 1e-10 * max(1.0, abs(pll)):
                break
            t /= 2.0
        else:
            break  # no ascent possible: at the maximum up to rounding
        beta = cand
        pll, score, info, inv, ll, resid = res
        if np.max(np.abs(t * step)) < xtol and np.max(np.abs(score[free])) < gtol:
            converged = True
            break
    if not converged and np.max(np.abs(score[free])) < gtol:
        converged = True
    return {
        "beta": beta,
        "pll": pll,
        "ll": ll,
        "inv": inv,
        "resid": resid,
        "converged": converged,
        "iterations": it,
    }


def _fit_firth_full(y, X, names, groups, label, warn):
    Xs, s = unit_scale(X)
    try:
        with np.errstate(all="ignore"):
            f = firth_fit(y, Xs)
    except np.linalg.LinAlgError as e:
        raise ModelError(label, f"Firth logit failed: {e}") from e
    if not f["converged"]:
        raise ModelError(label, f"Firth logit did not converge in {f['iterations']} iterations")
    b_s = f["beta"]
    k = len(b_s)
    n = len(y)
    if groups is not None:
        scores = Xs * f["resid"][:, None]
        g_sum = np.zeros((groups.max() + 1, k))
        np.add.at(g_sum, groups, scores)
        G = g_sum.shape[0]
        meat = g_sum.T @ g_sum
        corr = G / (G - 1) * (n - 1) / (n - k) if G > 1 else 1.0
        cov_s = corr * f["inv"] @ meat @ f["inv"]
    else:
        cov_s = f["inv"]
    b, cov = unscale(b_s, cov_s, s)
    check_finite(label, names, b, cov)
    stats_ = {"llf": f["ll"], "llf_penalized": f["pll"], "iterations": f["iterations"], "optimizer": "newton"}
    if groups is not None:
        return b, cov, None, None, stats_ | {"ci_method": "wald", "p_value_method": "wald"}
    # Profile penalised-likelihood CIs and likelihood-ratio p-values (independent observations).
    crit = stats.chi2.ppf(0.95, 1)
    ci_s = np.empty((k, 2))
    p_lr = np.empty(k)
    se_s = np.sqrt(np.diag(cov_s))
    unconverged: set[str] = set()
    for j in range(k):
        cache: dict[float, tuple[float, np.ndarray]] = {b_s[j]: (0.0, b_s)}

        def dev(v, j=j, cache=cache):
            if v not in cache:
                # Warm start from the profile solution nearest to v.
                near = min(cache, key=lambda u: abs(u - v))
                with np.errstate(all="ignore"):
                    r = firth_fit(y, Xs, start=cache[near][1], fixed=(j, v))
                if not r["converged"]:
                    unconverged.add(names[j])
                cache[v] = (2.0 * (f["pll"] - r["pll"]), r["beta"])
            return cache[v][0]

        p_lr[j] = float(stats.chi2.sf(max(dev(0.0), 0.0), 1))
        for side, sign in ((0, -1.0), (1, 1.0)):
            lo, step = b_s[j], max(se_s[j], 0.1)
            hi = lo + sign * step
            bound = np.inf * sign
            while abs(hi - b_s[j]) < max(60.0, 50.0 * se_s[j]):
                if dev(hi) > crit:
                    bound = optimize.brentq(lambda v: dev(v) - crit, lo, hi, xtol=1e-7)
                    break
                lo, step = hi, step * 2.0
                hi = lo + sign * step
            ci_s[j, side] = bound
        if not np.all(np.isfinite(ci_s[j])):
            warn.append(
                f"profile CI of {names[j]!r} is open (penalised likelihood too flat): bound set to infinity"
            )
    if unconverged:
        warn.append(
            f"some profile fits did not converge for {', '.join(sorted(unconverged))}: CI approximate"
        )
    ci = ci_s / s[:, None]
    return (
        b,
        cov,
        ci,
        p_lr,
        stats_
        | {"ci_method": "profile penalised likelihood", "p_value_method": "penalised likelihood ratio"},
    )
