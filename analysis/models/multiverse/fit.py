"""Fit one specification, or a chunk of neighbouring ones, into tidy result rows.

:func:`fit_spec` turns a :class:`~analysis.models.multiverse.spec.Spec` into one row: the
choices, the treatment's estimate, standard error, interval, ratio, p-value, observations,
clusters, events (all and in treated rows) and a ``status``. A specification that cannot be
estimated never raises: its status says why (``no_variation``, ``separation``,
``not_identified``, ``no_convergence``, ``no_events``; ``error`` for anything unexpected, with
the exception in ``reason``) and its numbers are missing, never a number.

``no_events``: a binary (0/1) treatment whose treated rows (or untreated rows) have no event
at all, or an outcome without any event. A count model would diverge there; a Firth logit
would return a finite number that only reflects its penalty. Either way no number is given.

:func:`fit_chunk` fits a list of specifications in order on one worker, whose caches hold the
estimation frame of a spec and the checked design of a count model (NB2 and PPML of the same
sample share one design, and its Poisson fit: :func:`analysis.models.counts.fit_design`); order
a chunk so that neighbours follow each other (:func:`chunk_order`). The caches hold only what a
spec's own inputs determine, and every fit starts from the same point (no warm start from a
neighbour's estimates), so a specification's numbers are a function of the specification and
the data alone, bit for bit: whatever was fitted before it on the worker, in whichever chunk,
order or run (a resumed run, a subset, the serial, joblib and Dask backends). Warm starts from
the neighbouring specification moved estimates by up to ~4e-8 relative between such runs and
saved about 3% of the time, less than the shared Poisson fit saves.

Count models use the project's engine (:func:`analysis.models.casualties.casualty_design`,
fixed effects as index arrays); binary models :func:`analysis.models.coups.fit_coup_model`
(logit, or Firth's penalised logit), with fixed effects entered as dummies.
"""

from __future__ import annotations

import dataclasses
import math
import time
import traceback
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from analysis.errors import ModelError
from analysis.models.casualties import casualty_design
from analysis.models.counts import fit_design
from analysis.models.coups import fit_coup_model
from analysis.models.multiple_testing import Specification
from analysis.models.multiverse.data import Prepared, SpecData
from analysis.models.multiverse.spec import Spec
from analysis.models.results import Z95, to_float

__all__ = ["KEPT", "RESULT_COLUMNS", "KeptResult", "classify", "fit_chunk", "fit_spec", "chunk_order"]

#: Key of a row's kept fit (:class:`KeptResult`) when :func:`fit_spec` is asked to keep it.
KEPT = "_kept"


@dataclasses.dataclass
class KeptResult(Specification):
    """A fitted specification kept for what needs the model itself (e.g. Romano-Wolf).

    A :class:`~analysis.models.multiple_testing.Specification` (``result``: the
    :class:`~analysis.models.results.ModelResult`, ``data``: the frame it was fitted on,
    ``term``: the treatment's column) with the :class:`Spec` that produced it, so it goes
    straight into :func:`~analysis.models.multiple_testing.romano_wolf`.
    """

    spec: Spec

#: Columns of a result row, in order (the spec's choices come first in :func:`fit_many`'s frame).
RESULT_COLUMNS = (
    "spec_id",
    "status",
    "reason",
    "term",
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "ratio",
    "ratio_ci_low",
    "ratio_ci_high",
    "p_value",
    "nobs",
    "n_clusters",
    "events",
    "events_treated",
    "treated_n",
    "seconds",
)

_VCOV = {"cluster": "joint", "cluster_glm": "glm_fixed_theta", "cluster_glm_hc1": "glm_fixed_theta_hc1",
         "robust": "joint"}

# Ordered rules: the first pattern found in a ModelError's reason gives the status.
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("separation", ("separated rows", "separation", "separated", "diverge")),
    ("no_variation", ("no variation", "does not vary within")),
    ("no_convergence", ("did not converge", "not converge", "failed")),
    ("no_events", ("zero in every row of the sample", "nothing to estimate")),
    ("error", ("must be a non-negative integer", "must be binary")),
    ("not_identified", ("rank deficient", "non-finite", "singular", "no observations")),
)


def classify(reason: str) -> str:
    """Status of a :class:`~analysis.errors.ModelError` reason (``not_identified`` by default)."""
    low = reason.lower()
    for status, pats in _RULES:
        if any(p in low for p in pats):
            return status
    return "not_identified"


def _empty_row(spec: Spec, status: str, reason: str, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {c: None for c in RESULT_COLUMNS}
    row.update(spec_id=spec.id, status=status, reason=reason)
    row.update(extra)
    return row


def _binary(x: np.ndarray) -> bool:
    v = x[~np.isnan(x)]
    return len(v) > 0 and bool(np.isin(v, (0.0, 1.0)).all())


def _events(p: Prepared) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outcome, treatment and a mask of the rows every model variable is known in."""
    f = p.frame
    y = to_float(f[p.outcome])
    t = to_float(f[p.treatment])
    ok = ~np.isnan(y) & ~np.isnan(t)
    for c in [*p.controls, *([p.exposure] if p.exposure else [])]:
        ok &= ~np.isnan(to_float(f[c]))
    if p.exposure:
        with np.errstate(invalid="ignore"):
            ok &= to_float(f[p.exposure]) > 0
    for c in [*p.fe, *([p.cluster] if p.cluster else [])]:
        ok &= f[c].notna().to_numpy(dtype=bool)
    return y, t, ok


_CONTROLLER: ThreadpoolController | None = None


def _one_blas_thread() -> Any:
    """Context limiting BLAS to one thread (the controller is built once per process: cheap)."""
    global _CONTROLLER
    if _CONTROLLER is None:
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")


def _no_events(p: Prepared) -> tuple[str | None, dict[str, Any]]:
    """``no_events`` reason (or None) and the event counts of the usable rows (memoised per frame)."""
    memo = p.notes_cache if hasattr(p, "notes_cache") else None
    if memo is not None and "no_events" in memo:
        return memo["no_events"]
    out = _no_events_of(p)
    if memo is not None:
        memo["no_events"] = out
    return out


def _no_events_of(p: Prepared) -> tuple[str | None, dict[str, Any]]:
    y, t, ok = _events(p)
    yv, tv = y[ok], t[ok]
    info: dict[str, Any] = {"events": float(np.sum(yv)) if len(yv) else 0.0}
    if _binary(tv):
        info["events_treated"] = float(np.sum(yv[tv == 1]))
        info["treated_n"] = int(np.sum(tv == 1))
    if len(yv) and np.sum(yv) == 0:
        return f"the outcome {p.outcome!r} has no event in the {len(yv)} usable rows", info
    if _binary(tv) and len(yv):
        for v, what in ((1.0, "treated"), (0.0, "untreated")):
            rows = tv == v
            if rows.any() and np.sum(yv[rows]) == 0:
                return (f"no event of {p.outcome!r} in the {int(rows.sum())} {what} rows "
                        f"({p.treatment} = {int(v)}): the estimate would only reflect a limit or a "
                        "penalty"), info
    return None, info


class _Worker:
    """Caches of one worker: estimation frames and count designs (LRU, keyed on what builds them).

    A cached entry is the object a fresh build would give (the fits never modify it), so a hit
    and a miss give the same bits.
    """

    def __init__(self, frames: int = 8, designs: int = 8) -> None:
        self.frames: OrderedDict[tuple, Prepared] = OrderedDict()
        self.designs: OrderedDict[tuple, Any] = OrderedDict()
        self.n_frames, self.n_designs = frames, designs

    @staticmethod
    def _put(cache: OrderedDict, key: tuple, value: Any, size: int) -> None:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > size:
            cache.popitem(last=False)

    def prepared(self, data: SpecData, spec: Spec) -> Prepared:
        key = (data.key(), _frame_fields(spec))
        if key in self.frames:
            self.frames.move_to_end(key)
            return self.frames[key]
        p = data.prepare(spec)
        self._put(self.frames, key, p, self.n_frames)
        return p

    def design(self, p: Prepared, spec: Spec, fkey: tuple) -> Any:
        key = (fkey, spec.controls, spec.fe, spec.exposure, p.cluster, spec.se)
        if key in self.designs:
            self.designs.move_to_end(key)
            hit = self.designs[key]
            if isinstance(hit, ModelError):
                raise hit
            return hit
        try:
            cd = casualty_design(
                p.frame, outcome=p.outcome, treatment=p.treatment, controls=p.controls,
                exposure=p.exposure, fe=list(p.fe), estimator="negbin", cluster=p.cluster,
                vcov=_VCOV[spec.se],  # type: ignore[arg-type]
            )
        except ModelError as e:
            self._put(self.designs, key, e, self.n_designs)
            raise
        self._put(self.designs, key, cd, self.n_designs)
        return cd


def _frame_fields(spec: Spec) -> tuple:
    """The fields that define the estimation frame (not the model fitted on it)."""
    return (spec.outcome, spec.outcome_source, spec.treatment, spec.coding, spec.filled, spec.controls,
            spec.fe, spec.filters, spec.unit, spec.window, spec.lag, spec.exposure, spec.cluster, spec.se,
            spec.duration)


def _row_from(spec: Spec, term: str, b: float, se: float, ci: tuple[float, float] | None, p: float | None,
              nobs: int, n_clusters: int | None, info: dict) -> dict[str, Any]:
    if not (np.isfinite(b) and np.isfinite(se)):
        return _empty_row(spec, "not_identified", "non-finite estimate or standard error", term=term, **info)
    lo, hi = ci if ci is not None else (b - Z95 * se, b + Z95 * se)
    if p is None:
        p = float(2 * _norm_sf(abs(b / se))) if se > 0 else float("nan")
    row = _empty_row(spec, "ok", "", term=term, **info)
    row.update(estimate=float(b), std_error=float(se), ci_low=float(lo), ci_high=float(hi),
               ratio=_exp(b), ratio_ci_low=_exp(lo), ratio_ci_high=_exp(hi), p_value=float(p),
               nobs=int(nobs), n_clusters=None if n_clusters is None else int(n_clusters))
    return row


def _exp(x: float) -> float:
    return math.exp(x) if x < 700 else float("inf")


def _norm_sf(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def _fit_count(w: _Worker, p: Prepared, spec: Spec, fkey: tuple, info: dict,
               keep: bool = False) -> dict[str, Any]:
    cd = w.design(p, spec, fkey)
    # no warm start: the result must not depend on what the worker fitted before (module docstring)
    fit = fit_design(cd.design, spec.estimator, vcov=_VCOV[spec.se],  # type: ignore[arg-type]
                     compute_cov=True)
    j = cd.design.names.index(p.treatment)
    b, se = float(fit.params[j]), float(math.sqrt(fit.cov[j, j]))
    d = cd.design
    info = dict(info)
    info["events"] = float(d.y.sum())
    tcol = d.X[:, j]
    if np.isin(tcol, (0.0, 1.0)).all():
        info["events_treated"] = float(d.y[tcol == 1].sum())
        info["treated_n"] = int((tcol == 1).sum())
    row = _row_from(spec, p.treatment, b, se, None, None, d.n, d.n_groups if d.groups is not None else None,
                    info)
    if keep and row["status"] == "ok":
        # the shared design was built for NB2; its sample does not depend on the estimator
        own = dataclasses.replace(cd, spec={**cd.spec, "estimator": spec.estimator})
        row[KEPT] = KeptResult(own.result(fit), p.frame, p.treatment, spec)
    return row


def _fit_binary(p: Prepared, spec: Spec, info: dict, keep: bool = False) -> dict[str, Any]:
    df, controls = p.frame, list(p.controls)
    if p.fe:
        dummies = []
        for c in p.fe:
            d = pd.get_dummies(df[c].astype("string"), prefix=f"fe_{c}", drop_first=True, dtype=float)
            d[df[c].isna().to_numpy()] = np.nan
            dummies.append(d)
        df = pd.concat([df, *dummies], axis=1)
        controls += [c for d in dummies for c in d.columns]
    res = fit_coup_model(df, outcome=p.outcome, treatment=p.treatment, controls=controls,
                         estimator=spec.estimator, duration=p.duration, cluster=p.cluster)  # type: ignore[arg-type]
    r = res.term(p.treatment)
    info = dict(info)
    info["events"] = float(res.fit_stats.get("events", info.get("events", 0.0)))
    ci = (float(r["ci_low"]), float(r["ci_high"]))
    row = _row_from(spec, p.treatment, float(r["estimate"]), float(r["std_error"]), ci, float(r["p_value"]),
                    res.nobs, res.n_clusters, info)
    if keep and row["status"] == "ok":
        row[KEPT] = KeptResult(res, df, p.treatment, spec)
    return row


def fit_spec(spec: Spec, data: SpecData, *, worker: _Worker | None = None,
             keep: bool = False) -> dict[str, Any]:
    """Fit one specification on ``data``: one result row (never raises for a degenerate spec).

    With ``keep`` an ``ok`` row also holds, under :data:`KEPT`, the :class:`KeptResult` of the fit
    (the :class:`~analysis.models.results.ModelResult`, the frame it was fitted on, the term).

    Returns
    -------
    dict
        :data:`RESULT_COLUMNS` (plus nothing else): ``status`` ``"ok"`` with the treatment's
        estimate (log scale), ``std_error``, 95% interval ``ci_low`` / ``ci_high``, ``ratio``
        (exp: incidence-rate or odds ratio) and its interval, ``p_value``, ``nobs``,
        ``n_clusters``, ``events`` (in the estimation sample), ``events_treated`` and
        ``treated_n`` (binary treatments), ``seconds``; otherwise the status and ``reason``
        with missing numbers.
    """
    w = worker or _Worker()
    t0 = time.perf_counter()
    try:
        with _one_blas_thread():
            p = w.prepared(data, spec)
            why, info = _no_events(p)
            if why is not None:
                row = _empty_row(spec, "no_events", why, term=p.treatment, **info)
            elif spec.family == "count":
                row = _fit_count(w, p, spec, (data.key(), _frame_fields(spec)), info, keep)
            else:
                row = _fit_binary(p, spec, info, keep)
    except ModelError as e:
        row = _empty_row(spec, classify(e.reason), e.reason)
    except Exception as e:  # noqa: BLE001 - any other failure is this spec's status, never the run's end
        last = traceback.extract_tb(e.__traceback__)[-1]
        row = _empty_row(spec, "error", f"{type(e).__name__}: {e} ({last.filename.rsplit('/', 1)[-1]}:"
                                        f"{last.lineno})")
    row["seconds"] = time.perf_counter() - t0
    return row


def chunk_order(specs: Sequence[Spec]) -> list[int]:
    """Positions of ``specs`` in an order where neighbours share frames and designs."""
    def k(i: int) -> tuple:
        s = specs[i]
        return (s.unit, s.outcome, s.outcome_source, s.window or (), s.exposure or "", s.lag, s.treatment,
                s.coding, s.filled, repr(s.filters), s.fe, s.controls, s.se, s.estimator)
    return sorted(range(len(specs)), key=k)


def fit_chunk(data: SpecData, specs: Sequence[Spec], worker: _Worker | None = None,
              keep: bool = False) -> list[dict[str, Any]]:
    """Fit ``specs`` in the given order on one worker (shared caches); one row each
    (with ``keep``, the fits of the ``ok`` rows under :data:`KEPT`, see :func:`fit_spec`)."""
    w = worker or _Worker()
    with _one_blas_thread():
        return [fit_spec(s, data, worker=w, keep=keep) for s in specs]
