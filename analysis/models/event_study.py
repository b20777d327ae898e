"""Within-unit event studies of count outcomes with exposure: stacked PPML with clean controls.

The design (events, clean controls, stacking, the fitted model and its standard errors) is
described in :mod:`analysis.models.event_stacking`; this module fits the stacked PPML, the naive
TWFE beside it, and the tests.

Why stacked, and not the interaction-weighted (Sun & Abraham 2021) estimator
----------------------------------------------------------------------------
Mandate concepts switch on *and off* at renewals, and many missions start with them. The
interaction-weighted, Callaway-Sant'Anna and extended-TWFE estimators assume an absorbing
treatment (cohort = first treated period) and would have to discard every later switch. The
stacked design keeps every clean switch-on as its own sub-experiment, and compares it only
with units that are not treated during its window, so no already-treated unit ever serves as
a control (the "forbidden comparisons" that bias two-way fixed effects under staggered timing
and heterogeneous effects: Goodman-Bacon 2021; de Chaisemartin & D'Haultfoeuille 2020; Sun &
Abraham 2021). Each sub-experiment has its own unit and month effects, so staggered timing
enters only through clean 2x2-type comparisons (Cengiz, Dube, Lindner & Zipperer 2019; Wing,
Freedman & Hollingsworth 2024). With PPML the first-order condition of ``delta_b`` is
``sum(y - mu) = 0`` over the treated rows of bin ``b``, so ``exp(delta_b)`` is the ratio of the
treated units' deaths to their counterfactual expected deaths in that bin, pooled over
events: a positively weighted average of event-specific rate ratios, weighted by expected
counterfactual deaths (Wooldridge 2023 on Poisson difference-in-differences). Heterogeneous
effects across events change the weights, never their sign.

Which switch-ons are events, which are clean and which units are clean controls (the
treatment is not absorbing) is stated in :mod:`analysis.models.event_stacking`.

Beside it: the naive two-way fixed-effects event study (PPML on the original panel with unit
and month fixed effects and binned event-time dummies relative to each unit's first switch-on,
leads before ``lo`` and lags after ``hi`` pooled in end bins, always-treated and
never-treated units in the comparison group) and the naive static TWFE coefficient of the
current treatment state. Under staggered timing with heterogeneous dynamic effects both are
biased (simulation tests).

Tests and helpers
-----------------
* Joint pre-trend test: Wald test that every lead bin is 0, with the cluster-robust
  covariance; ``chi2(q)`` and the few-cluster ``F(q, G - 1)`` version.
* ``post_average``: the mean of the post-event bins (log scale) with its standard error.
* :func:`placebo_events` draws pseudo-events (unit-months with no switch in their window) and
  :func:`placebo_distribution` refits the design on many such draws; pass dated placebo events
  (e.g. renewals that changed no concept) to :func:`fit_event_study` as ``events=``.
* A negative-control outcome (e.g. illness deaths) is the same design with another
  ``outcome`` (:func:`negative_control`).

References: Sun, L. & Abraham, S. (2021), Estimating dynamic treatment effects in event
studies with heterogeneous treatment effects, *J. Econometrics* 225(2). Cengiz, D., Dube, A.,
Lindner, A. & Zipperer, B. (2019), The effect of minimum wages on low-wage jobs, *QJE* 134(3).
Wing, C., Freedman, S. M. & Hollingsworth, A. (2024), Stacked difference-in-differences, NBER
WP 32054. Wooldridge, J. M. (2023), Simple approaches to nonlinear difference-in-differences
with panel data, *Econometrics Journal* 26(3). Goodman-Bacon, A. (2021), Difference-in-
differences with variation in treatment timing, *J. Econometrics* 225(2).
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from analysis.data.jsonable import json_safe
from analysis.errors import ModelError
from analysis.models.event_stacking import bin_name, event_bin, event_panel, find_events, stack_events
from analysis.models.results import Z95, require_columns, to_float

#: |log rate ratio| beyond which a bin's estimate is taken to diverge (quasi-separation).
DIVERGENCE_LIMIT = 10.0

#: Columns of the coefficient tables.
COEF_COLUMNS = (
    "status",
    "bin",
    "rel_start",
    "rel_end",
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "ratio",
    "ratio_ci_low",
    "ratio_ci_high",
    "p_value",
    "is_reference",
    "n_events",
    "treated_rows",
    "treated_events",
)


@dataclass
class EventStudyResult:
    """A stacked PPML event study, its naive TWFE counterpart and the tests.

    Attributes
    ----------
    coefficients
        One row per event-time bin (``COEF_COLUMNS``): log rate ratio ``estimate``, cluster-
        robust ``std_error``, 95% Wald interval, ``ratio`` = exp, ``p_value``, the reference bin
        (estimate 0, no standard error), events and treated rows / deaths behind each bin;
        ``status`` ``"ok"``, ``"reference"``, ``"diverges"`` (quasi-separation: no number) or
        ``"not estimated"`` (no treated row left). The last bin may be partial (``rel_end``
        is clipped to the window).
    naive
        The naive TWFE event study, same columns (end bins ``rel_start`` / ``rel_end`` open).
    naive_static
        Naive TWFE coefficient of the current treatment state (``status`` ``"ok"`` or
        ``"diverges"`` with NaN numbers, ``estimate``, ``std_error``, ``ratio``, ``ratio_ci_low``,
        ``ratio_ci_high``, ``p_value``).
    pretrend
        Joint test that all lead bins are 0: ``wald``, ``df``, ``p_chi2``, ``f``, ``p_f``
        (``F(df, G - 1)``), ``leads``.
    post_average
        Mean of the post-event bins: ``estimate``, ``std_error``, ``ratio``, ``ratio_ci_low``,
        ``ratio_ci_high``, ``p_value``, ``bins``.
    events
        Every candidate event: ``unit``, ``time``, ``status`` (``"used"`` or why dropped),
        ``controls_n``, ``switches_off_in_window``.
    nobs, n_clusters
        Stacked rows used by the fit and units (clusters).
    spec, warnings, extra
        Options, notes (rows dropped, separation), extras (``stacked`` frame).
    """

    coefficients: pd.DataFrame
    naive: pd.DataFrame
    naive_static: dict
    pretrend: dict
    post_average: dict
    events: pd.DataFrame
    nobs: int
    n_clusters: int
    spec: dict
    warnings: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-safe dict (the stacked frame left out)."""
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "extra"}
        return json_safe(d)



# ----------------------------------------------------------------------------- fit


def fit_event_study(
    df: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    treatment: str | None = None,
    events: pd.DataFrame | None = None,
    exposure: str | None = None,
    window: tuple[int, int] = (-12, 24),
    bin_width: int = 1,
    naive: bool = True,
    data_versions: dict | None = None,
) -> EventStudyResult:
    """Stacked PPML event study with clean controls, and the naive TWFE beside it.

    Parameters
    ----------
    df
        Unit-period panel (e.g. ``mission_months`` with a month index); not modified.
    outcome
        Count outcome (e.g. ``"fatalities_hostile_n"``; a negative control such as
        ``"fatalities_illness_n"``).
    unit, time
        Unit id and integer period (consecutive months:
        :func:`~analysis.models.event_stacking.month_index`).
    treatment
        Binary treatment column: the events are its clean switch-ons (unless ``events`` is
        given) and clean controls must have it 0 throughout the window.
    events
        Explicit events (columns ``unit``, ``time``), e.g. placebo renewals. Controls then
        must have no listed event in the window (and, with ``treatment``, the treatment 0).
    exposure
        Exposure column (log offset); rows with NA or non-positive exposure are dropped.
    window
        ``(lo, hi)`` event months, ``lo < 0 <= hi``.
    bin_width
        Months per event-time bin (1: monthly coefficients); the bin of month -1 is the reference.
    naive
        Also fit the naive TWFE event study and static coefficient (needs ``treatment``).
    data_versions
        Provenance stored in ``spec``.

    Returns
    -------
    EventStudyResult

    Raises
    ------
    ValueError
        Invalid options or columns.
    ModelError
        No clean event with a control, or a failed fit.
    """
    lo, hi = window
    if not (isinstance(lo, int) and isinstance(hi, int) and lo < 0 <= hi):
        raise ValueError(f"window must be integers (lo, hi) with lo < 0 <= hi; got {window!r}")
    if isinstance(bin_width, bool) or not isinstance(bin_width, int) or bin_width < 1 or bin_width > -lo:
        raise ValueError(f"bin_width must be an integer from 1 to {-lo}; got {bin_width!r}")
    if treatment is None and events is None:
        raise ValueError("give a treatment column (events = its switch-ons) or an events frame")
    cols = [outcome] + ([treatment] if treatment else []) + ([exposure] if exposure else [])
    panel = event_panel(df, unit, time, cols)
    label = f"event study {outcome} [{'events' if events is not None else treatment}, window {window}]"
    warn: list[str] = []
    keep = ~np.isnan(panel[outcome].to_numpy())
    if exposure:
        keep &= panel[exposure].to_numpy() > 0
    if (~keep).any():
        warn.append(f"dropped {int((~keep).sum())} rows with NA outcome or NA / non-positive exposure")
    y_ok = panel[outcome].to_numpy()[keep]
    if np.any(y_ok < 0) or np.any(y_ok != np.round(y_ok)):
        raise ModelError(label, f"outcome {outcome!r} must be a non-negative integer count")
    # Treatment state is needed on every row for cleanliness: rows are kept for it even when
    # the outcome is missing, but only rows with an outcome enter the fit.
    if events is None:
        assert treatment is not None
        ev = find_events(df, unit=unit, time=time, treatment=treatment, window=window)
    else:
        require_columns(events, {"events": ["unit", "time"]})
        ev = pd.DataFrame(
            {
                "unit": events["unit"].astype(str).to_numpy(),
                "time": to_float(events["time"]).astype(np.int64),
                "status": "used",
                "switches_off_in_window": 0,
            }
        )
    ev = ev.reset_index(drop=True)
    ref_bin = event_bin(np.array([-1]), bin_width)[0]
    stacked = stack_events(
        panel, ev, keep, treatment=treatment, window=window, bin_width=bin_width, label=label
    )
    used = ev["status"] == "used"
    bins = list(range(event_bin(np.array([lo]), bin_width)[0], event_bin(np.array([hi]), bin_width)[0] + 1))
    est_bins = [b for b in bins if b != ref_bin]
    is_tr = ~np.isnan(stacked["_rel"].to_numpy())
    sb = np.where(
        is_tr, event_bin(np.nan_to_num(stacked["_rel"].to_numpy()).astype(np.int64), bin_width), -(10**9)
    )
    X = {f"_b{bin_name(b)}": (sb == b).astype(float) for b in est_bins}
    fe = {
        "_su": stacked["_stack"].astype(str) + ":" + stacked["_unit"],
        "_st": stacked["_stack"].astype(str) + ":" + stacked["_time"].astype(str),
    }
    fit = _ppml(
        stacked[outcome].to_numpy(),
        X,
        fe,
        np.log(stacked[exposure].to_numpy()) if exposure else None,
        stacked["_unit"].to_numpy(),
        label,
        warn,
    )
    coefs = _coef_table(
        fit, est_bins, ref_bin, bin_width, stacked, sb, outcome, open_ends=False, window=window
    )
    leads = [b for b in est_bins if b < ref_bin]
    posts = [b for b in est_bins if b >= 0]
    pre = _wald(fit, [f"_b{bin_name(b)}" for b in leads])
    post = _average(fit, [f"_b{bin_name(b)}" for b in posts])
    naive_tab: pd.DataFrame = pd.DataFrame(columns=list(COEF_COLUMNS))
    static: dict = {}
    if naive:
        if treatment is None:
            warn.append("naive TWFE needs a treatment column: not fitted")
        else:
            naive_tab, static = _naive(
                panel[keep], outcome, treatment, exposure, window, bin_width, label, warn
            )
    spec = {
        "model": "event_study",
        "design": "stacked PPML, clean (not-yet / never treated) controls",
        "outcome": outcome,
        "unit": unit,
        "time": time,
        "treatment": treatment,
        "events_given": events is not None,
        "exposure": exposure,
        "window": [lo, hi],
        "bin_width": bin_width,
        "reference_bin": int(ref_bin),
        "cluster": unit,
        "data_versions": dict(data_versions or {}),
    }
    n_used = int(used.sum())
    if n_used < 5:
        warn.append(f"only {n_used} clean events: the event-time coefficients rest on very few switches")
    return EventStudyResult(
        coefficients=coefs,
        naive=naive_tab,
        naive_static=static,
        pretrend=pre | {"leads": [int(b) for b in leads]},
        post_average=post | {"bins": [int(b) for b in posts]},
        events=ev,
        nobs=fit["nobs"],
        n_clusters=fit["G"],
        spec=spec,
        warnings=warn,
        extra={"stacked": stacked.assign(_bin=np.where(is_tr, sb, np.nan))},
    )


def _p(est: float, se: float) -> float:
    """Two-sided normal p-value; NaN when the standard error is 0 or not finite."""
    return float(2 * stats.norm.sf(abs(est / se))) if se > 0 and np.isfinite(se) else np.nan


_PYFIXEST_LOCK = threading.RLock()
_FE_TERM = re.compile(r"__fixed_effect__\(([^()]*)\)")


def _in_formula_order(encoded: str, fixed_effects: str) -> str:
    """pyfixest's encoded fixed-effects formula with its terms in the order of ``fixed_effects``.

    ``encoded`` is ``"__fixed_effect__(a) + __fixed_effect__(b) - 1"`` in whatever order pyfixest
    produced; anything of another form is returned unchanged.
    """
    names = list(dict.fromkeys(n.strip().replace("^", "_") for n in fixed_effects.split("+")))
    found = _FE_TERM.findall(encoded)
    rebuilt = " + ".join(f"__fixed_effect__({n})" for n in found) + " - 1"
    if rebuilt != encoded or sorted(found) != sorted(names):
        return encoded
    return " + ".join(f"__fixed_effect__({n})" for n in names) + " - 1"


@contextlib.contextmanager
def _fixed_effects_in_formula_order() -> Iterator[None]:
    """Make pyfixest absorb the fixed effects in the order the formula names them.

    pyfixest 0.60 collects the fixed effects of a formula in a ``set``
    (``pyfixest.estimation.formula.utils._encode_fixed_effects``), so the order in which the
    alternating projections absorb them followed the string hashes of the process
    (``PYTHONHASHSEED``, random per process): the same fit in a new kernel differed from the last
    one within the demeaning tolerance (on the mission months, estimates by ~4e-10 and standard
    errors by up to ~5e-6 relative), and forced reruns of the reports were not byte-identical.
    Within this context the encoded formula lists them in the formula's order (earlier pyfixest
    releases did so). Where pyfixest has no such function, or writes the formula in another form,
    nothing is changed. Scoped (and serialised by a lock) so that other users of pyfixest in the
    process are not affected.
    """
    try:
        from pyfixest.estimation.formula import model_matrix
    except ImportError:  # pragma: no cover - another pyfixest layout
        yield
        return
    original = getattr(model_matrix, "_encode_fixed_effects", None)
    if original is None:  # pragma: no cover - another pyfixest layout
        yield
        return

    def ordered(*args: Any, **kwargs: Any) -> Any:
        out = original(*args, **kwargs)
        fixed = kwargs.get("fixed_effects", args[0] if args else None)
        return _in_formula_order(out, fixed) if isinstance(out, str) and isinstance(fixed, str) else out

    with _PYFIXEST_LOCK:
        model_matrix._encode_fixed_effects = ordered
        try:
            yield
        finally:
            model_matrix._encode_fixed_effects = original


def _ppml(
    y: np.ndarray,
    X: dict[str, np.ndarray],
    fe: dict[str, pd.Series],
    offset: np.ndarray | None,
    clusters: np.ndarray,
    label: str,
    warn: list[str],
) -> dict:
    """PPML with absorbed fixed effects (pyfixest ``fepois``), clustered by ``clusters``."""
    import pyfixest as pf

    data = pd.DataFrame({"_y": y.astype(float)})
    for k, v in X.items():
        data[k] = v
    for k, v in fe.items():
        data[k] = pd.factorize(np.asarray(v))[0]
    data["_cl"] = pd.factorize(np.asarray(clusters, dtype=str))[0]
    if offset is not None:
        data["_off"] = offset
    xs = [k for k in X if data[k].any()]
    empty = [k for k in X if k not in xs]
    if empty:
        warn.append(f"no treated rows in bins {', '.join(k[2:] for k in empty)}: not estimated")
    if not xs:
        raise ModelError(label, "no treated rows in any event-time bin")
    fml = f"_y ~ {' + '.join(xs)} | {' + '.join(fe)}"
    with warnings.catch_warnings(record=True) as caught, _fixed_effects_in_formula_order():
        warnings.simplefilter("always")
        opts = {"vcov": {"CRV1": "_cl"}, "offset": "_off" if offset is not None else None}
        try:
            m = pf.fepois(fml, data=data, **opts)
        except Exception as e:  # pyfixest raises several types
            if "Demeaning failed" not in str(e):
                raise ModelError(label, f"PPML failed: {type(e).__name__}: {e}") from e
            # alternating projections can stall on nested stack x unit / stack x month effects
            try:
                m = pf.fepois(fml, data=data, demeaner=pf.LsmrDemeaner(), **opts)
            except Exception as e2:
                raise ModelError(label, f"PPML failed: {type(e2).__name__}: {e2}") from e2
            warn.append("fixed effects absorbed by LSMR (alternating projections did not converge)")
    for w in caught:
        msg = str(w.message).strip().splitlines()[0]
        if "separation" in msg or "singleton" in msg:
            warn.append(f"pyfixest: {msg}")
    coef = m.coef()
    names = list(coef.index)
    V = pd.DataFrame(np.asarray(m._vcov), index=names, columns=names)
    G = int(data["_cl"].nunique())
    se = np.sqrt(np.clip(np.diag(V.to_numpy()), 0, None))
    diverging = [
        k
        for k, b, e in zip(names, coef.to_numpy(), se)
        if not (abs(b) <= DIVERGENCE_LIMIT and np.isfinite(e))
    ]
    if diverging:
        warn.append(
            f"estimates of {', '.join(k.removeprefix('_b') for k in diverging)} diverge (|log ratio| > "
            f"{DIVERGENCE_LIMIT:g}: quasi-separation, e.g. no death among the controls of those months): "
            "not reported, left out of the tests"
        )
    ok = [k for k in names if k not in diverging]
    return {
        "coef": coef[ok],
        "vcov": V.loc[ok, ok],
        "nobs": int(m._N),
        "G": G,
        "model": m,
        "diverging": diverging,
    }


def _coef_table(
    fit: dict,
    est_bins: list[int],
    ref_bin: int,
    width: int,
    frame: pd.DataFrame,
    sb: np.ndarray,
    outcome: str,
    *,
    open_ends: bool,
    window: tuple[int, int],
) -> pd.DataFrame:
    coef, V = fit["coef"], fit["vcov"]
    lo_b, hi_b = min(est_bins + [ref_bin]), max(est_bins + [ref_bin])
    rows = []
    y = frame[outcome].to_numpy(dtype=float)
    stack = frame["_stack"].to_numpy() if "_stack" in frame else None
    for b in sorted(est_bins + [ref_bin]):
        key = f"_b{bin_name(b)}"
        sel = sb == b
        start: float = max(b * width, window[0])
        end: float = min(b * width + width - 1, window[1])
        if open_ends and b == lo_b:
            start = -np.inf
        if open_ends and b == hi_b:
            end = np.inf
        n_ev = (
            int(len(np.unique(stack[sel]))) if stack is not None else int(len(np.unique(frame["_unit"][sel])))
        )
        base = {
            "bin": int(b),
            "rel_start": start,
            "rel_end": end,
            "n_events": n_ev,
            "treated_rows": int(sel.sum()),
            "treated_events": float(y[sel].sum()),
        }
        if b == ref_bin:
            rows.append(
                base
                | {
                    "estimate": 0.0,
                    "std_error": np.nan,
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "ratio": 1.0,
                    "ratio_ci_low": np.nan,
                    "ratio_ci_high": np.nan,
                    "p_value": np.nan,
                    "status": "reference",
                    "is_reference": True,
                }
            )
            continue
        if key not in coef.index:
            why = "diverges" if key in fit.get("diverging", []) else "not estimated"
            rows.append(base | {"status": why, "is_reference": False})
            continue
        est, se = float(coef[key]), float(np.sqrt(V.at[key, key]))
        lo, hi = est - Z95 * se, est + Z95 * se
        rows.append(
            base
            | {
                "estimate": est,
                "std_error": se,
                "ci_low": lo,
                "ci_high": hi,
                "ratio": np.exp(est),
                "ratio_ci_low": np.exp(lo),
                "ratio_ci_high": np.exp(hi),
                "p_value": _p(est, se),
                "status": "ok",
                "is_reference": False,
            }
        )
    return pd.DataFrame(rows).reindex(columns=list(COEF_COLUMNS))


def _wald(fit: dict, keys: list[str]) -> dict:
    keys = [k for k in keys if k in fit["coef"].index]
    if not keys:
        return {"wald": np.nan, "df": 0, "p_chi2": np.nan, "f": np.nan, "p_f": np.nan}
    b = fit["coef"][keys].to_numpy()
    V = fit["vcov"].loc[keys, keys].to_numpy()
    W = float(b @ np.linalg.pinv(V) @ b)
    q = len(keys)
    G = fit["G"]
    F = W / q
    return {
        "wald": W,
        "df": q,
        "p_chi2": float(stats.chi2.sf(W, q)),
        "f": F,
        "p_f": float(stats.f.sf(F, q, max(G - 1, 1))),
    }


def _average(fit: dict, keys: list[str]) -> dict:
    keys = [k for k in keys if k in fit["coef"].index]
    if not keys:
        return {"estimate": np.nan, "std_error": np.nan}
    a = np.full(len(keys), 1.0 / len(keys))
    est = float(a @ fit["coef"][keys].to_numpy())
    se = float(np.sqrt(a @ fit["vcov"].loc[keys, keys].to_numpy() @ a))
    return {
        "estimate": est,
        "std_error": se,
        "ratio": float(np.exp(est)),
        "ratio_ci_low": float(np.exp(est - Z95 * se)),
        "ratio_ci_high": float(np.exp(est + Z95 * se)),
        "p_value": _p(est, se),
    }


def _naive(
    panel: pd.DataFrame,
    outcome: str,
    treatment: str,
    exposure: str | None,
    window: tuple[int, int],
    width: int,
    label: str,
    warn: list[str],
) -> tuple[pd.DataFrame, dict]:
    """Naive TWFE: event time relative to the first switch-on (or first treated month), end bins pooled."""
    lo, hi = window
    p = panel[~np.isnan(panel[treatment].to_numpy())].copy()
    first = p[p[treatment] == 1].groupby("_unit")["_time"].min()
    rel = p["_time"] - p["_unit"].map(first)
    has = rel.notna().to_numpy()
    r = np.clip(rel.fillna(0).to_numpy(dtype=np.int64), lo, hi)
    sb = np.where(has, event_bin(r, width), -(10**9))
    ref = event_bin(np.array([-1]), width)[0]
    bins = list(range(event_bin(np.array([lo]), width)[0], event_bin(np.array([hi]), width)[0] + 1))
    est_bins = [b for b in bins if b != ref]
    X = {f"_b{bin_name(b)}": (sb == b).astype(float) for b in est_bins}
    fe = {"_u": p["_unit"], "_t": p["_time"].astype(str)}
    off = np.log(p[exposure].to_numpy()) if exposure else None
    nwarn: list[str] = []
    fit = _ppml(p[outcome].to_numpy(), X, fe, off, p["_unit"].to_numpy(), label + " (naive TWFE)", nwarn)
    warn += [f"naive TWFE: {w}" for w in nwarn]
    tab = _coef_table(
        fit, est_bins, ref, width, p.assign(_stack=p["_unit"]), sb, outcome, open_ends=True, window=window
    )
    swarn: list[str] = []
    sfit = _ppml(
        p[outcome].to_numpy(),
        {"_d": p[treatment].to_numpy()},
        fe,
        off,
        p["_unit"].to_numpy(),
        label + " (naive static TWFE)",
        swarn,
    )
    if "_d" not in sfit["coef"].index:  # diverged (quasi-separation): no number, say so
        warn += [f"naive static TWFE: {w}" for w in swarn if "diverge" in w]
        nan = float("nan")
        keys = ("estimate", "std_error", "ratio", "ratio_ci_low", "ratio_ci_high", "p_value")
        return tab, {"status": "diverges", **dict.fromkeys(keys, nan), "nobs": sfit["nobs"]}
    est = float(sfit["coef"]["_d"])
    se = float(np.sqrt(sfit["vcov"].at["_d", "_d"]))
    static = {
        "status": "ok",
        "estimate": est,
        "std_error": se,
        "ratio": float(np.exp(est)),
        "ratio_ci_low": float(np.exp(est - Z95 * se)),
        "ratio_ci_high": float(np.exp(est + Z95 * se)),
        "p_value": _p(est, se),
        "nobs": sfit["nobs"],
    }
    return tab, static


# ----------------------------------------------------------------------------- placebo / negative control


def placebo_events(
    df: pd.DataFrame,
    *,
    unit: str,
    time: str,
    n_events: int,
    treatment: str | None = None,
    events: pd.DataFrame | None = None,
    window: tuple[int, int] = (-12, 24),
    seed: int = 0,
) -> pd.DataFrame:
    """Random pseudo-events: unit-months whose whole window is observed free of any real change.

    A candidate ``(unit, t)`` qualifies when every observed month of ``[t + lo, t + hi]`` has
    the treatment 0 (if given), no real switch-on of the treatment and no listed event falls
    in the window, and the unit is observed in month ``t - 1``. ``n_events`` distinct units
    are drawn (fewer if fewer units qualify), one month each.

    Returns
    -------
    pandas.DataFrame
        ``unit``, ``time``: pass as ``events=`` to :func:`fit_event_study`.
    """
    lo, hi = window
    panel = event_panel(df, unit, time, [treatment] if treatment else [])
    real: dict[str, np.ndarray] = {}
    if treatment:
        fe = find_events(df, unit=unit, time=time, treatment=treatment, window=window)
        real = {u: g["time"].to_numpy() for u, g in fe.groupby("unit")}
    if events is not None:
        for u, g in events.groupby(events["unit"].astype(str)):
            real[u] = np.concatenate(
                [real.get(u, np.empty(0, dtype=np.int64)), to_float(g["time"]).astype(np.int64)]
            )
    rng = np.random.default_rng(seed)
    cands: dict[str, list[int]] = {}
    for u, g in panel.groupby("_unit", sort=True):
        t = g["_time"].to_numpy()
        x = g[treatment].to_numpy() if treatment else np.zeros(len(t))
        tset = set(t.tolist())
        et = real.get(u, np.empty(0))
        ok = []
        for s in t:
            if s - 1 not in tset:
                continue
            inw = (t >= s + lo) & (t <= s + hi)
            if np.any(x[inw] != 0) or np.any((et >= s + lo) & (et <= s + hi)):
                continue
            ok.append(int(s))
        if ok:
            cands[u] = ok
    units = sorted(cands)
    pick: Any = rng.choice(len(units), size=min(n_events, len(units)), replace=False) if units else []
    rows = [{"unit": units[i], "time": int(rng.choice(cands[units[i]]))} for i in sorted(pick)]
    return pd.DataFrame(rows, columns=["unit", "time"])


def placebo_distribution(
    df: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    n_events: int,
    draws: int = 100,
    treatment: str | None = None,
    exposure: str | None = None,
    window: tuple[int, int] = (-12, 24),
    bin_width: int = 1,
    seed: int = 0,
) -> pd.DataFrame:
    """Post-average estimates of many placebo designs (``n_events`` random pseudo-events each).

    Returns one row per draw: ``draw``, ``events_used``, ``estimate`` (post average, log
    scale), ``std_error``, ``status`` (``"ok"`` or why the draw could not be fitted). The
    share of ``|estimate|`` at least as large as the real post average is a placebo p-value.
    """
    rows = []
    for i in range(draws):
        ev = placebo_events(
            df, unit=unit, time=time, n_events=n_events, treatment=treatment, window=window, seed=seed + i
        )
        try:
            r = fit_event_study(
                df,
                outcome=outcome,
                unit=unit,
                time=time,
                treatment=treatment,
                events=ev,
                exposure=exposure,
                window=window,
                bin_width=bin_width,
                naive=False,
            )
        except ModelError as e:
            rows.append(
                {"draw": i, "events_used": 0, "estimate": np.nan, "std_error": np.nan, "status": e.reason}
            )
            continue
        rows.append(
            {
                "draw": i,
                "events_used": int((r.events["status"] == "used").sum()),
                "estimate": r.post_average["estimate"],
                "std_error": r.post_average["std_error"],
                "status": "ok",
            }
        )
    return pd.DataFrame(rows)


def negative_control(
    result: EventStudyResult, df: pd.DataFrame, outcome: str, events: pd.DataFrame | None = None
) -> EventStudyResult:
    """The same design as ``result`` with another (negative-control) outcome, e.g. illness deaths."""
    s = result.spec
    if s["events_given"] and events is None:
        raise ValueError("the design used explicit events: pass them again as events=")
    return fit_event_study(
        df,
        outcome=outcome,
        unit=s["unit"],
        time=s["time"],
        treatment=s["treatment"],
        events=events,
        exposure=s["exposure"],
        window=tuple(s["window"]),  # type: ignore[arg-type]
        bin_width=s["bin_width"],
        naive=True,
        data_versions=s["data_versions"],
    )
