"""Segmented (interrupted time-series) trends and fatality rates per personnel-year.

Segmented regression
--------------------
With ``tau = time - t0`` (``t0`` the first time point of the sample) and breaks
``B_1 < ... < B_K``, the linear predictor is::

    const + trend * tau + sum_k [ level_Bk * 1(time >= B_k) + slope_Bk * (time - B_k) * 1(time >= B_k) ]

so ``level_Bk`` is the jump at ``B_k`` and ``slope_Bk`` the change of the slope from ``B_k``
on (the slope after the last break is ``trend + sum slope``). For the count estimators
(``"poisson"``, ``"negbin"``) the predictor is on the log scale with ``log(exposure)`` as an
offset, so ``ratio = exp(estimate)`` is the rate ratio of the jump (level) or of the change
in yearly growth (slope); for ``"ols"`` the outcome is modelled linearly (the rate
``outcome / exposure`` when an exposure is given) and ``ratio`` is NaN.

The model is fitted to one row per time point (per ``group`` and time point when ``group``
is given, with group fixed effects: one series per group, common breaks). Rows with a
missing outcome, time or id, and (when ``exposure`` is given) a missing or non-positive
exposure, are dropped and counted first; then outcome and exposure are summed within each
cell. For Poisson this equals the row-level fit (the cell sums are sufficient); for
OLS without exposure the cells must already be unique. ``time`` may be numeric (e.g.
``year``) or a datetime (converted to ``year + (month - 1) / 12``).

Standard errors: cluster-robust when ``cluster`` is given (it must be constant within
cells, e.g. ``cluster=group``; with few clusters they are too small, and a warning says
so). Otherwise model-based: quasi-Poisson for ``"poisson"`` (Poisson variance scaled by the
Pearson dispersion ``max(1, X2 / (n - k))``), the inverse Hessian for ``"negbin"``,
classical for ``"ols"``. Sandwich (HC / Newey-West HAC) covariances are not used without
clusters: with one yearly series (~35 points) and ~10 parameters they are far too small
(simulation: 95% intervals covering the truth well under half the time). Serial
correlation is not modelled; ``fit_stats["resid_acf1"]`` reports the lag-1
autocorrelation of the Pearson residuals of a single series and a warning is added when it
exceeds 0.3 in absolute value.

``extra["fitted"]``: one row per cell with ``time`` (the original time column name),
``observed``, ``fitted`` (expected count including exposure, or the OLS prediction),
``counterfactual`` (the pre-break trend continued, no level or slope changes), and
``exposure`` / the group column when given.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm

from analysis.errors import ModelError
from analysis.models.casualties import fit_count
from analysis.models.results import (
    ModelResult,
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
)
from analysis.vocabulary import CAUSE_COLUMNS, CauseOutcome

TrendEstimator = Literal["poisson", "negbin", "ols"]


@single_threaded_blas
def fit_segmented_trend(
    df: pd.DataFrame,
    *,
    outcome: str,
    time: str = "year",
    breaks: Sequence[int] = (2000, 2008, 2013, 2017),
    exposure: str | None = None,
    estimator: TrendEstimator = "poisson",
    group: str | None = None,
    cluster: str | None = None,
    data_versions: dict | None = None,
) -> ModelResult:
    """Fit a segmented-regression (interrupted time-series) model with level and slope changes.

    Parameters
    ----------
    df
        Rows with the outcome by time (e.g. ``mission_years``, or a yearly series); not modified.
    outcome
        Outcome column (a count for ``"poisson"`` / ``"negbin"``).
    time
        Time column, numeric (``"year"``) or datetime.
    breaks
        Break points in units of ``time``, strictly increasing, each inside
        ``(min(time), max(time)]``; ``()`` gives a single linear trend.
    exposure
        Exposure column summed within cells: log offset for count models, denominator of
        the modelled rate for OLS. Rows with NA or non-positive exposure are dropped.
    estimator
        ``"poisson"``, ``"negbin"`` (NB2, alpha estimated) or ``"ols"``.
    group
        Column identifying several series (group fixed effects; common breaks).
    cluster
        Column for cluster-robust standard errors (constant within group x time cells).
    data_versions
        Provenance dict stored in the result.

    Returns
    -------
    ModelResult
        Terms ``const``, ``trend``, ``level_<B>``, ``slope_<B>``; ``extra["fitted"]`` (see
        module docstring), ``extra["dropped"]``, ``extra["fe_estimates"]`` (group effects).

    Raises
    ------
    ValueError
        Invalid option, unknown column, unsorted breaks, cells not unique for OLS, or a
        cluster that varies within cells.
    ModelError
        A break outside the time range, an unidentified term or a failed fit.
    """
    check_option("estimator", estimator, TrendEstimator)
    brk = _check_breaks(breaks)
    ids = [c for c in dict.fromkeys([group, cluster]) if c]
    check_distinct({"outcome": [outcome], "time": [time], "exposure": [exposure] if exposure else []})
    require_columns(
        df,
        {
            "outcome": [outcome],
            "time": [time],
            "exposure": [exposure] if exposure else [],
            "group/cluster": ids,
        },
    )
    spec = {
        "model": "segmented_trend",
        "formula": formula(outcome, ["trend"] + [f"{p}_{b:g}" for b in brk for p in ("level", "slope")]),
        "outcome": outcome,
        "time": time,
        "breaks": brk,
        "exposure": exposure,
        "estimator": estimator,
        "group": group,
        "cluster": cluster,
    }
    label = (
        f"{estimator} segmented trend {outcome} by {time} [breaks={brk}, exposure={exposure}, group={group}]"
    )
    warn: list[str] = []
    dropped: dict[str, int] = {}

    t_all = _time_values(df[time])
    y_all = to_float(df[outcome])
    keep = np.ones(len(df), dtype=bool)
    ledger = seeded_ledger(df, events=np.nansum(y_all), unit="rows")
    unit = ledger[-1]["unit"]

    def drop(mask: np.ndarray, key: str, why: str) -> None:
        nonlocal keep
        n = int((keep & mask).sum())
        dropped[key] = n
        if n:
            warn.append(f"dropped {n} rows: {why}")
            keep &= ~mask
            ledger_step(ledger, f"model: {why}", rows=int(keep.sum()), events=np.nansum(y_all[keep]),
                        unit=unit, reason=f"{n} rows dropped ({key})")

    drop(np.isnan(y_all), "outcome_na", f"outcome {outcome!r} is NA")
    drop(np.isnan(t_all), "time_na", f"time {time!r} is NA")
    if exposure:
        e_all = to_float(df[exposure])
        drop(~(e_all > 0), "exposure_na_or_nonpositive", f"exposure {exposure!r} is NA or <= 0")
    for c in ids:
        drop(df[c].isna().to_numpy(dtype=bool), f"{c}_na", f"{c!r} is NA")
    if not keep.any():
        raise ModelError(label, "no observations left after dropping missing values")

    d = pd.DataFrame({"_t": t_all[keep], "_y": y_all[keep]})
    if exposure:
        d["_e"] = e_all[keep]
    for c in ids:
        d[c] = df[c].to_numpy()[keep]
    keys = ([group] if group else []) + ["_t"]
    if estimator != "ols" and (np.any(d["_y"] < 0) or np.any(d["_y"] != np.round(d["_y"]))):
        raise ModelError(label, f"outcome {outcome!r} must be a non-negative integer count for {estimator}")
    if cluster and cluster != group:
        varies = d.groupby(keys, sort=False)[cluster].nunique() > 1
        if varies.any():
            raise ValueError(
                f"cluster {cluster!r} varies within {'group x ' if group else ''}time cells: rows are summed "
                f"per cell, so set group={cluster!r} (one series per cluster) or cluster=None"
            )
    if estimator == "ols" and not exposure and d.duplicated(keys).any():
        raise ValueError(
            f"ols without exposure needs one row per {'group x ' if group else ''}time; "
            "aggregate the outcome first"
        )
    agg = {"_y": "sum"} | ({"_e": "sum"} if exposure else {})
    if cluster and cluster != group:
        agg[cluster] = "first"
    cells = d.groupby(keys, sort=True).agg(agg).reset_index()
    if len(cells) < len(d):
        warn.append(f"summed {len(d)} rows into {len(cells)} {'group x ' if group else ''}time cells")

    t = cells["_t"].to_numpy(dtype=np.float64)
    tmin, tmax = float(t.min()), float(t.max())
    for b in brk:
        if not tmin < b <= tmax:
            raise ModelError(
                label,
                f"break {b:g} is outside the time range ({tmin:g}, {tmax:g}] of the data: its level and "
                "slope are not identified",
            )
    X_trend, trend_names = _segment_design(t, tmin, brk)
    fe_names: list[str] = []
    blocks = [X_trend]
    if group:
        codes = pd.Categorical(cells[group].to_numpy())
        blocks.append(np.eye(len(codes.categories))[codes.codes][:, 1:])
        fe_names = [f"group[{v}]" for v in codes.categories[1:]]
    X = np.column_stack([np.ones(len(t))] + blocks)
    names = ["const"] + trend_names + fe_names
    k = 1 + len(trend_names)
    check_full_rank(X, names, label, [0] + list(range(k, X.shape[1])) + list(range(1, k)))
    y = cells["_y"].to_numpy(dtype=np.float64)
    ex = cells["_e"].to_numpy(dtype=np.float64) if exposure else None

    groups = pd.factorize(cells[cluster])[0] if cluster else None
    if cluster:
        cov_type, cov_kwds = "cluster", {"groups": groups}
    else:
        cov_type, cov_kwds = "model", {}
    spec["cov_type"] = cov_type

    fit_stats: dict = {"cov_type": cov_type, "t0": tmin}
    if estimator == "ols":
        yy = y / ex if ex is not None else y
        b, cov, fitted, stats_ = _fit_ols(
            yy, X, names, "nonrobust" if cov_type == "model" else cov_type, cov_kwds, label, warn
        )
        fit_stats |= stats_
        observed = yy
    else:
        if y.sum() == 0:
            raise ModelError(label, f"outcome {outcome!r} is zero in every cell: nothing to estimate")
        offset = np.log(ex) if ex is not None else None
        fit = fit_count(y, X, names, offset, estimator, None, label, cov_type=cov_type, cov_kwds=cov_kwds)
        warn += fit.warnings
        b, cov = fit.params, fit.cov
        fitted = np.exp(X @ b + (offset if offset is not None else 0.0))
        observed = y
        fit_stats |= {
            "llf": fit.llf,
            "aic": fit.aic,
            "bic": fit.bic,
            "alpha": fit.alpha,
            "alpha_se": fit.alpha_se,
            "llf_poisson": fit.llf_poisson,
            "optimizer": fit.optimizer,
            "iterations": fit.iterations,
            "dispersion": fit.dispersion,
            "events": float(y.sum()),
        }
    if not group and len(y) > 2:
        if estimator == "ols":
            pr = observed - fitted
        else:
            var = fitted + (fit_stats.get("alpha") or 0.0) * fitted**2
            pr = (observed - fitted) / np.sqrt(var)
        acf1 = float(np.corrcoef(pr[:-1], pr[1:])[0, 1]) if np.std(pr) > 0 else 0.0
        fit_stats["resid_acf1"] = acf1
        if abs(acf1) > 0.3:
            warn.append(
                f"lag-1 autocorrelation of the residuals is {acf1:.2f}: standard errors ignore serial "
                "correlation and may be too small"
            )
    se = np.sqrt(np.diag(cov))
    est = estimates_frame(names[:k], b[:k], se[:k], ratio=estimator != "ols")
    # Counterfactual: constant, pre-break trend and group effects only.
    b_cf = b.copy()
    b_cf[2:k] = 0.0
    lin_cf = X @ b_cf
    if estimator == "ols":
        counterfactual = lin_cf
    else:
        counterfactual = np.exp(lin_cf + (np.log(ex) if ex is not None else 0.0))
    time_out = cells["_t"].to_numpy()
    if not pd.api.types.is_datetime64_any_dtype(df[time].dtype) and np.all(time_out == np.round(time_out)):
        time_out = time_out.astype(np.int64)
    fitted_frame = pd.DataFrame(
        {time: time_out, "observed": observed, "fitted": fitted, "counterfactual": counterfactual}
    )
    if exposure:
        fitted_frame["exposure"] = ex
    if group:
        fitted_frame.insert(0, group, cells[group].to_numpy())
    n_clusters = int(groups.max() + 1) if groups is not None else None
    if n_clusters is not None and n_clusters < 20:
        warn.append(f"only {n_clusters} clusters: cluster-robust standard errors may be too small")
    fe_est = pd.DataFrame({"term": names[k:], "estimate": b[k:], "std_error": se[k:]})
    return ModelResult(
        estimator=estimator,
        spec=spec,
        estimates=est,
        nobs=len(cells),
        n_clusters=n_clusters,
        converged=True,
        fit_stats=fit_stats,
        data_versions=dict(data_versions or {}),
        warnings=warn,
        extra={"fitted": fitted_frame, "dropped": dropped, "fe_estimates": fe_est},
        ledger=ledger_step(ledger, "in the model", rows=int(keep.sum()), events=np.nansum(y_all[keep]),
                           unit=unit, reason="rows summed into the model's time points"),
    )


def _check_breaks(breaks: Sequence[int]) -> list:
    if isinstance(breaks, (str, bytes)) or not isinstance(breaks, Sequence):
        raise ValueError(f"breaks must be a sequence of numbers; got {breaks!r}")
    out = []
    for b in breaks:
        if (
            isinstance(b, bool)
            or not isinstance(b, (int, float, np.integer, np.floating))
            or not math.isfinite(b)
        ):
            raise ValueError(f"breaks must be finite numbers; got {b!r}")
        out.append(int(b) if float(b).is_integer() else float(b))
    if any(b2 <= b1 for b1, b2 in zip(out, out[1:])):
        raise ValueError(f"breaks must be strictly increasing; got {out}")
    return out


def _time_values(s: pd.Series) -> np.ndarray:
    """Time as float64: numbers as they are, datetimes as ``year + (month - 1) / 12``."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        dt = pd.to_datetime(s)
        out = (dt.dt.year + (dt.dt.month - 1) / 12).astype("Float64")
        return out.to_numpy(dtype="float64", na_value=np.nan)
    return to_float(s)


def _segment_design(t: np.ndarray, t0: float, breaks: Sequence) -> tuple[np.ndarray, list[str]]:
    cols = [t - t0]
    names = ["trend"]
    for b in breaks:
        after = (t >= b).astype(np.float64)
        cols += [after, (t - b) * after]
        names += [f"level_{b:g}", f"slope_{b:g}"]
    return np.column_stack(cols), names


def _fit_ols(y, X, names, cov_type, cov_kwds, label, warn):
    Xs, s = unit_scale(X)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = sm.OLS(y, Xs).fit(cov_type=cov_type, cov_kwds=cov_kwds)
    record_warnings(caught, warn, prefix="OLS: ")
    b, cov = unscale(np.asarray(r.params), np.asarray(r.cov_params()), s)
    check_finite(label, names, b, cov)
    stats_ = {
        "llf": float(r.llf),
        "aic": float(r.aic),
        "bic": float(r.bic),
        "r2": float(r.rsquared),
        "sigma": float(np.sqrt(r.scale)),
    }
    return b, cov, X @ b, stats_


def rates_by_year(
    mm: pd.DataFrame, cause: CauseOutcome = "hostile", by: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """Deaths, personnel-years and deaths per 1,000 personnel-years by year.

    Parameters
    ----------
    mm
        ``mission_months`` (needs ``year``, ``month``, ``personnel_total_n`` and the
        fatality column of ``cause``).
    cause
        ``"hostile"``, ``"accident"``, ``"illness"``, ``"self_inflicted"``,
        ``"other_unknown"``, ``"hostile_uniformed"`` or ``"all"``.
    by
        Optional column(s) to break the rates down by (e.g. ``"is_africa"``, ``"region"``).

    Returns
    -------
    pandas.DataFrame
        One row per (``by``, ``year``) with columns

        * ``deaths_n`` (Int64): deaths of that cause, all mission-months;
        * ``deaths_covered_n`` (Int64): deaths in mission-months with known personnel;
        * ``mission_months_n`` (Int64): mission-months in the panel;
        * ``personnel_coverage`` (Float64): share of mission-months with known personnel;
        * ``personnel_years`` (Float64): sum of monthly personnel / 12 over months with
          personnel; NA when no month has personnel (e.g. most months after 2019);
        * ``rate_per_1000`` (Float64): ``1000 * deaths_covered_n / personnel_years`` - the
          numerator is restricted to the months in the denominator so the rate is not
          inflated where personnel is unknown; NA where ``personnel_years`` is NA.
    """
    check_option("cause", cause, CauseOutcome)
    by_cols = [by] if isinstance(by, str) else list(by or [])
    col = CAUSE_COLUMNS[cause]
    require_columns(mm, {"cause": [col], "panel": ["year", "month", "personnel_total_n"], "by": by_cols})
    deaths = to_float(mm[col])
    pers = to_float(mm["personnel_total_n"])
    known = ~np.isnan(pers) & ~np.isnan(deaths)
    d = pd.DataFrame(
        {
            "year": mm["year"].to_numpy(),
            "_deaths": deaths,
            "_covered": np.where(known, deaths, 0.0),
            "_pm": np.where(known, pers, 0.0),
            "_known": known.astype(np.int64),
        }
    )
    for c in by_cols:
        d[c] = mm[c].to_numpy()
    g = d.groupby(by_cols + ["year"], dropna=False, sort=True)
    out = g.agg(
        deaths_n=("_deaths", "sum"),
        deaths_covered_n=("_covered", "sum"),
        mission_months_n=("_deaths", "size"),
        _known=("_known", "sum"),
        _pm=("_pm", "sum"),
    ).reset_index()
    out["personnel_coverage"] = (out["_known"] / out["mission_months_n"]).astype("Float64")
    py = (out["_pm"] / 12.0).astype("Float64")
    py[out["_known"] == 0] = pd.NA
    out["personnel_years"] = py
    out["rate_per_1000"] = (1000.0 * out["deaths_covered_n"].astype("Float64") / py).astype("Float64")
    out.loc[out["personnel_years"].isna() | (out["personnel_years"] <= 0), "rate_per_1000"] = pd.NA
    for c in ("deaths_n", "deaths_covered_n", "mission_months_n"):
        out[c] = out[c].round().astype("Int64")
    out["year"] = out["year"].astype("Int64")
    return out[
        by_cols
        + [
            "year",
            "deaths_n",
            "deaths_covered_n",
            "mission_months_n",
            "personnel_coverage",
            "personnel_years",
            "rate_per_1000",
        ]
    ]
