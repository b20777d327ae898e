"""Out-of-sample coup risks (notebook 06): rolling-origin forecasts, each split into the coup
clock and the covariates.

Rolling origin
--------------
For each forecast year *Y* from ``first_year`` on, the coup model (notebook 04's specification,
:mod:`analysis.studies.coup_design`) is fitted on the outcome years **before** *Y* only and
predicts every state-year of *Y*. Predictors are lagged one year, so a forecast for *Y* uses only
what was known at the end of *Y - 1*; the model never sees the coups it predicts (an honest test
of "did the model see it coming", unlike in-sample ranks). A period dummy whose period has not
started in the training years cannot be estimated: forecasts then use the latest period the
training data have (the dummies of later periods are set to that period's value).

Decomposition
-------------
Each forecast's log odds ``eta = b0 + clock + covariates`` is split around the training
sample's average log odds ``eta_bar``: ``clock`` = ``b_t t + b_t2 t^2 + b_t3 t^3`` minus its
training average (how much the years since the last coup raise or lower the risk against the
average state-year), ``covariates`` = the rest (treatment, controls, period) minus its
training average; ``eta = eta_bar + clock + covariates`` exactly. On the probability scale two
counterfactual risks are given: ``risk_clock_only`` = ``expit(eta_bar + clock)`` (an average
state-year with this coup clock) and ``risk_covariates_only`` = ``expit(eta_bar + covariates)``
(this state-year's covariates with an average clock).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import special

from analysis.errors import ModelError, require_columns
from analysis.models.coups import DURATION_TERMS
from analysis.models.results import ModelResult


def _design(result: ModelResult, df: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    terms = list(result.spec["terms"])
    X = np.column_stack([np.ones(len(df))] + [df[c].astype("float64").to_numpy() for c in terms])
    return X, ["const", *terms]


def decompose_risk(result: ModelResult, df: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """Predicted risk of each row of ``df`` split into the coup clock and the covariates (module
    docstring), around the average log odds of ``reference`` (the training rows).

    Returns ``risk``, ``logit``, ``logit_average``, ``logit_clock``, ``logit_covariates``,
    ``risk_clock_only``, ``risk_covariates_only`` on ``df``'s index.
    """
    require_columns(df, {"model terms": list(result.spec["terms"])})
    b = result.estimates.set_index("term")["estimate"]
    X, names = _design(result, df)
    Xr, _ = _design(result, reference)
    coef = b.loc[names].to_numpy(dtype=float)
    clock = np.array([n in DURATION_TERMS for n in names])
    eta_clock, eta_cov = X[:, clock] @ coef[clock], X[:, ~clock] @ coef[~clock]
    ref_clock, ref_cov = Xr[:, clock] @ coef[clock], Xr[:, ~clock] @ coef[~clock]
    eta_bar = float(np.mean(ref_clock + ref_cov))
    c = eta_clock - float(np.mean(ref_clock))
    v = eta_cov - float(np.mean(ref_cov))
    eta = eta_clock + eta_cov
    return pd.DataFrame(
        {
            "risk": special.expit(eta),
            "logit": eta,
            "logit_average": eta_bar,
            "logit_clock": c,
            "logit_covariates": v,
            "risk_clock_only": special.expit(eta_bar + c),
            "risk_covariates_only": special.expit(eta_bar + v),
        },
        index=df.index,
    )


def rolling_origin_risks(
    prepared: pd.DataFrame,
    fit: Callable[[pd.DataFrame], ModelResult],
    *,
    first_year: int,
    last_year: int | None = None,
    periods: Sequence[str] = (),
    fallback: Callable[[pd.DataFrame], ModelResult] | None = None,
) -> pd.DataFrame:
    """Out-of-sample risks: for each year from ``first_year``, fit on earlier years, predict the year.

    Parameters
    ----------
    prepared
        The model's estimation frame (``prepare_coup_data``), all years.
    fit
        Fits the model on a frame (e.g. ``lambda d: fit_coup_model(d, ...)``); called once per year.
    first_year, last_year
        Forecast years (default: to the frame's last year).
    periods
        Period dummy columns (ordered); a period not yet started in the training years is
        replaced by the latest one the training years have (module docstring).
    fallback
        Fits the model when ``fit`` fails (e.g. Firth's logit when a control separates the
        few coups of the early training years); the ``estimator`` column says which was used.

    Returns
    -------
    pandas.DataFrame
        ``country_id_gw``, ``year``, ``has_coup_attempt``, the columns of :func:`decompose_risk`,
        ``percentile_in_year`` (share of the year's forecasts at most this one, in percent),
        ``n_train``, ``events_train``, ``estimator`` (of that origin's fit), ``status`` (``"ok"``
        or the model error of that origin).
    """
    require_columns(prepared, ["country_id_gw", "year", "has_coup_attempt"], "prepared coup data")
    years = prepared["year"].astype(int)
    last = int(years.max()) if last_year is None else int(last_year)
    out = []
    for y in range(int(first_year), last + 1):
        train, test = prepared[years < y], prepared[years == y].copy()
        if test.empty:
            continue
        base = test[["country_id_gw", "year", "has_coup_attempt"]].copy()
        started = [p for p in periods if train[p].astype(float).any()]
        for p in periods:
            if p not in started:  # the period has not begun in the training years
                test[started[-1] if started else p] = np.maximum(
                    test[started[-1]].astype(float) if started else 0.0, test[p].astype(float)
                )
                test[p] = 0.0
        tr = train.drop(columns=[p for p in periods if p not in started])
        try:
            r = fit(tr)
        except ModelError as e:
            try:
                if fallback is None:
                    raise
                r = fallback(tr)
            except ModelError:
                out.append(
                    base.assign(
                        status=f"not estimable: {e.reason}"[:200],
                        n_train=len(train),
                        events_train=int(train["has_coup_attempt"].astype(bool).sum()),
                    )
                )
                continue
        dec = decompose_risk(r, test, train)
        pct = dec["risk"].rank(method="max", pct=True) * 100.0
        out.append(
            pd.concat([base, dec], axis=1).assign(
                percentile_in_year=pct,
                n_train=r.nobs,
                estimator=r.estimator,
                events_train=int(train["has_coup_attempt"].astype(bool).sum()),
                status="ok",
            )
        )
    res = pd.concat(out, ignore_index=True) if out else pd.DataFrame()
    if len(res):
        res["country_id_gw"] = res["country_id_gw"].astype("Int64")
        res["year"] = res["year"].astype("Int64")
    return res


def forecast_skill(risks: pd.DataFrame) -> dict[str, float]:
    """Out-of-sample skill of the forecasts: ``auc`` (probability that a coup year's forecast
    exceeds a non-coup year's), ``brier`` (mean squared error of the risk), ``brier_climatology``
    (the same for the training share of coups as the forecast), ``events`` and ``rows``."""
    r = risks[risks["status"] == "ok"].dropna(subset=["risk"])
    y = r["has_coup_attempt"].astype(bool).to_numpy()
    p = r["risk"].to_numpy(dtype=float)
    pos, neg = p[y], p[~y]
    if len(pos) and len(neg):
        ranks = pd.Series(np.concatenate([pos, neg])).rank().to_numpy()
        auc = (ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))
    else:
        auc = np.nan
    clim = (r["events_train"] / r["n_train"]).to_numpy(dtype=float)
    return {
        "auc": float(auc),
        "brier": float(np.mean((p - y) ** 2)),
        "brier_climatology": float(np.mean((clim - y) ** 2)),
        "events": int(y.sum()),
        "rows": int(len(r)),
    }
