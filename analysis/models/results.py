"""The common result of every model, and the helpers the model modules share.

:class:`ModelResult` holds one fitted model: the estimator, every option used (``spec``),
a tidy table of estimates with confidence intervals and ratios (incidence-rate ratios for
count models, odds ratios for logit), the sample size, the number of clusters, convergence,
fit statistics, the data versions, warnings (every row dropped, every fallback taken) and
extras (e.g. a fitted-values frame). ``to_dict()`` is JSON-safe for ``results.json``.

Shared helpers (used by :mod:`~analysis.models.casualties`, :mod:`~analysis.models.trends`
and :mod:`~analysis.models.coups`):

* :func:`~analysis.vocabulary.check_option` - the one option validator (re-exported here);
* :func:`~analysis.errors.require_columns` - a missing column is a ``MissingColumnError`` (re-exported);
* :func:`to_float` - pandas nullable / boolean columns to float64 numpy arrays (NA -> NaN);
* :func:`check_full_rank` - names the perfectly collinear terms (``ModelError``);
* :func:`unit_scale` / :func:`unscale` - fit on a unit-scaled design, report on the original scale;
* :func:`estimates_frame` - the estimates table from parameters and their covariance;
* :func:`single_threaded_blas` - decorator running a fit with one BLAS thread (threadpoolctl).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd
from scipy import stats
from threadpoolctl import ThreadpoolController

from analysis.data.jsonable import json_safe
from analysis.errors import ModelError
from analysis.errors import require_columns as require_columns
from analysis.vocabulary import check_option as check_option

#: Columns of :attr:`ModelResult.estimates`, in order.
ESTIMATE_COLUMNS = (
    "term",
    "estimate",
    "std_error",
    "z",
    "p_value",
    "ci_low",
    "ci_high",
    "ratio",
    "ratio_ci_low",
    "ratio_ci_high",
)

#: Two-sided 95% normal quantile used for every Wald interval.
Z95 = float(stats.norm.ppf(0.975))


@dataclass
class ModelResult:
    """One fitted model.

    Attributes
    ----------
    estimator : str
        ``"poisson"``, ``"negbin"``, ``"ols"``, ``"logit"`` or ``"firth"``.
    spec : dict
        Every option used (outcome, terms, fixed effects, exposure, clustering,
        covariance type, ...), JSON-safe.
    estimates : pandas.DataFrame
        One row per reported term with columns ``term, estimate, std_error, z, p_value,
        ci_low, ci_high, ratio, ratio_ci_low, ratio_ci_high``; ``ratio = exp(estimate)``
        (incidence-rate ratio for count models, odds ratio for logit; NaN for OLS). Fixed
        effect dummies are not listed here (see ``extra["fe_estimates"]``).
    nobs : int
        Observations used in the fit.
    n_clusters : int or None
        Number of clusters of the cluster-robust covariance, None if not clustered.
    converged : bool
        The optimizer reported convergence (a model that did not converge raises
        :class:`~analysis.errors.ModelError` instead of returning, so this is True for
        every returned result unless stated in ``warnings``).
    fit_stats : dict
        Log-likelihood, AIC/BIC, NB dispersion ``alpha``, optimizer used, etc.
    data_versions : dict
        Provenance of the data (:func:`analysis.data.data_versions`), or ``{}``.
    warnings : list of str
        Rows dropped and why, groups dropped, fallbacks taken, optimizer warnings.
    extra : dict
        Model-specific extras, e.g. ``"dropped"`` (counts), ``"fitted"`` (frame),
        ``"fe_estimates"`` (frame).
    ledger : list of dict
        The sample ledger: where the rows and the events (deaths, coups) go, one step per
        filter, from the data the study started with to the rows of the fit (``step``,
        ``rows``, ``events``, ``rows_dropped``, ``events_dropped``, ``reason``; see
        :func:`ledger_step`). The study that prepared the frame seeds it
        (``frame.attrs["ledger"]``) and the model appends its own drops; each step's drop is
        the difference of consecutive rows and events (NA where the unit changes, e.g. from
        fatality records to mission-months). In :meth:`to_dict` and ``results.json``.
    start_values : dict
        Every parameter's estimate by name (terms, fixed-effect levels, ``"alpha"``, and
        the Poisson estimates under ``"poisson"``) for warm-starting a neighbouring
        specification (``fit_casualty_model(..., start_params=result)``). A cache, not a
        result: not part of :meth:`to_dict`.
    """

    estimator: str
    spec: dict
    estimates: pd.DataFrame
    nobs: int
    n_clusters: int | None
    converged: bool
    fit_stats: dict = field(default_factory=dict)
    data_versions: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    ledger: list[dict] = field(default_factory=list)
    start_values: dict = field(default_factory=dict, repr=False, compare=False)

    def ledger_frame(self) -> pd.DataFrame:
        """The sample ledger as a table (:data:`LEDGER_COLUMNS`), for the reports."""
        return ledger_frame(self.ledger)

    def term(self, name: str) -> pd.Series:
        """The row of :attr:`estimates` of term ``name``.

        Raises
        ------
        KeyError
            ``name`` is not a reported term; the message lists the terms.
        """
        rows = self.estimates[self.estimates["term"] == name]
        if rows.empty:
            raise KeyError(f"term {name!r} not in the model; terms: {', '.join(self.estimates['term'])}")
        return rows.iloc[0]

    def summary_frame(self) -> pd.DataFrame:
        """Estimates indexed by term, with the columns a reader needs.

        Count and logit models: ``estimate, std_error, ratio, ratio_ci_low, ratio_ci_high,
        p_value``; OLS: ``estimate, std_error, ci_low, ci_high, p_value``. ``attrs`` carries
        estimator, nobs and n_clusters.
        """
        if self.estimator == "ols":
            cols = ["estimate", "std_error", "ci_low", "ci_high", "p_value"]
        else:
            cols = ["estimate", "std_error", "ratio", "ratio_ci_low", "ratio_ci_high", "p_value"]
        out = self.estimates.set_index("term")[cols].copy()
        out.attrs.update(estimator=self.estimator, nobs=self.nobs, n_clusters=self.n_clusters)
        return out

    def to_dict(self) -> dict:
        """All fields as a JSON-safe dict (``json.dumps(..., allow_nan=False)`` works).

        Frames become lists of records, NaN and infinities become ``None``, numpy scalars
        become Python numbers.
        """
        return json_safe(
            {
                "estimator": self.estimator,
                "spec": self.spec,
                "estimates": self.estimates,
                "nobs": self.nobs,
                "n_clusters": self.n_clusters,
                "converged": self.converged,
                "fit_stats": self.fit_stats,
                "data_versions": self.data_versions,
                "warnings": self.warnings,
                "extra": self.extra,
                "ledger": self.ledger,
            }
        )

    def __repr__(self) -> str:
        terms = ", ".join(self.estimates["term"].head(6))
        more = "" if len(self.estimates) <= 6 else ", ..."
        return (
            f"ModelResult({self.estimator}, {self.spec.get('formula', '')!s}, nobs={self.nobs}, "
            f"n_clusters={self.n_clusters}, converged={self.converged}, terms=[{terms}{more}])"
        )


# ----------------------------------------------------------------------------- sample ledger

#: Columns of a sample ledger (:attr:`ModelResult.ledger`).
LEDGER_COLUMNS = ("step", "unit", "rows", "events", "rows_dropped", "events_dropped", "reason")


def _count(v: Any) -> int | float | None:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    f = float(v)
    return int(f) if f == round(f) else f


def ledger_step(ledger: list[dict], step: str, *, rows: Any, events: Any, unit: str,
                reason: str = "") -> list[dict]:
    """Append one step to a sample ledger and return it.

    ``rows`` and ``events`` are what is left after the step; ``rows_dropped`` /
    ``events_dropped`` are the differences from the previous step (``None`` for the first
    step; ``rows_dropped`` is ``None`` too when the ``unit`` of the rows changes).
    """
    prev: dict = ledger[-1] if ledger else {}
    r, e = _count(rows), _count(events)
    rows_dropped = None
    if prev.get("unit") == unit and prev.get("rows") is not None and r is not None:
        rows_dropped = prev["rows"] - r
    events_dropped = prev["events"] - e if prev.get("events") is not None and e is not None else None
    ledger.append({"step": step, "unit": unit, "rows": r, "events": e, "rows_dropped": rows_dropped,
                   "events_dropped": events_dropped, "reason": reason})
    return ledger


def ledger_frame(ledger: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """A sample ledger as a DataFrame with :data:`LEDGER_COLUMNS` (nullable integers)."""
    out = pd.DataFrame(list(ledger), columns=list(LEDGER_COLUMNS))
    for c in ("rows", "events", "rows_dropped", "events_dropped"):
        out[c] = pd.array(out[c].tolist(), dtype="Float64")
        if (out[c].dropna() % 1 == 0).all():
            out[c] = out[c].astype("Int64")
    return out


def seeded_ledger(data: pd.DataFrame, *, events: Any, unit: str) -> list[dict]:
    """The ledger a study attached to ``data`` (``data.attrs["ledger"]``, copied), or one
    starting with the rows of ``data`` when there is none."""
    seed = data.attrs.get("ledger")
    if seed:
        return [dict(s) for s in seed]
    return ledger_step([], "frame given to the model", rows=len(data), events=events, unit=unit)


# ----------------------------------------------------------------------------- validation


def as_list(value: str | Iterable[str] | None, name: str) -> list[str]:
    """A column name or a sequence of names as a list of str (``None`` -> ``[]``)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    out = list(value)
    bad = [v for v in out if not isinstance(v, str)]
    if bad:
        raise ValueError(f"{name} must be column names (str); got {bad!r}")
    return out


def check_distinct(roles: Mapping[str, Sequence[str]]) -> None:
    """Raise ``ValueError`` when a column is given twice (e.g. as treatment and control)."""
    seen: dict[str, str] = {}
    for role, cols in roles.items():
        for c in cols:
            if c in seen:
                raise ValueError(f"column {c!r} is given twice ({seen[c]} and {role})")
            seen[c] = role


#: pandas' nullable arrays (values and a mask): read directly, NA -> NaN.
_MASKED = (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray)


def to_float(s: pd.Series) -> np.ndarray:
    """A numeric or boolean column as a float64 array with NaN for missing values.

    pandas nullable dtypes (``Int64``, ``Float64``, ``boolean``) and numpy dtypes are
    accepted; booleans become 0/1. Anything else raises ``ValueError`` naming the column.
    """
    dt = s.dtype
    if isinstance(dt, np.dtype) and dt.kind in "biuf":  # numpy bool, int, float: NaN stays NaN
        out = s.to_numpy().astype(np.float64)
    elif isinstance(s.array, _MASKED):
        out = s.array.to_numpy(dtype="float64", na_value=np.nan)  # Int64, Float64, boolean
    elif pd.api.types.is_bool_dtype(dt) or pd.api.types.is_numeric_dtype(dt):
        out = s.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    elif pd.api.types.is_object_dtype(dt):
        try:
            out = pd.array(s.tolist(), dtype="Float64").to_numpy(dtype="float64", na_value=np.nan)
        except (TypeError, ValueError) as e:
            raise ValueError(f"column {s.name!r} (dtype object) is not numeric or boolean") from e
    else:
        raise ValueError(f"column {s.name!r} has dtype {dt}; a numeric or boolean column is needed")
    return np.ascontiguousarray(out, dtype=np.float64)


def without_attrs(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` without its ``attrs`` (a shallow copy: no data is copied).

    pandas deep-copies a frame's ``attrs`` into every column, slice and cast taken from it; a
    fit that reads its columns one by one works on this copy (``df.attrs`` are read once).
    """
    out = df.copy(deep=False)
    out.attrs = {}
    return out


# ----------------------------------------------------------------------------- design


def check_full_rank(
    X: np.ndarray, names: Sequence[str], label: str, order: Sequence[int] | None = None
) -> None:
    """Raise :class:`ModelError` naming the terms that are linear combinations of others.

    The columns are unit-scaled first so that the rank tolerance does not depend on units.
    When the design is rank deficient the columns are added one at a time in ``order``
    (default: as given) and every column that does not raise the rank is named, so put
    the substantive terms last to have them named (e.g. constant, fixed effects, controls,
    treatment).
    """
    if X.shape[0] == 0:
        raise ModelError(label, "no observations left to fit")
    k = X.shape[1]
    dep = dependent_columns(X, order)
    if not dep:
        return
    rank = k - len(dep)
    dependent = [names[j] for j in dep]
    if X.shape[0] < k:
        why = f"{X.shape[0]} observations for {k} parameters"
    else:
        why = "perfectly collinear with terms entered before them (constant, fixed effects, controls)"
    raise ModelError(
        label, f"design matrix is rank deficient (rank {rank} of {k} columns): {', '.join(dependent)} ({why})"
    )


def dependent_columns(X: np.ndarray, order: Sequence[int] | None = None) -> list[int]:
    """Columns of ``X`` that are linear combinations of columns entered before them in ``order``.

    Empty when ``X`` has full column rank (unit-scaled, ``numpy.linalg.matrix_rank``).
    """
    Xs, _ = unit_scale(X)
    k = Xs.shape[1]
    if np.linalg.matrix_rank(Xs) == k:
        return []
    kept: list[int] = []
    dependent: list[int] = []
    for j in list(range(k)) if order is None else list(order):
        cand = kept + [j]
        if np.linalg.matrix_rank(Xs[:, cand]) == len(cand):
            kept.append(j)
        else:
            dependent.append(j)
    return dependent


def unit_scale(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Divide each column by its largest absolute value (1 for all-zero columns).

    Returns the scaled design and the scale factors. Dummies and the constant are left
    unchanged; columns such as personnel or t^3 are brought to [-1, 1] for the optimizer.
    """
    s = np.max(np.abs(X), axis=0) if X.shape[0] else np.ones(X.shape[1])
    s = np.where((s > 0) & np.isfinite(s), s, 1.0)
    return X / s, s


def unscale(params: np.ndarray, cov: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Back-transform parameters and covariance fitted on ``X / s`` to the scale of ``X``.

    Extra trailing parameters (e.g. the NB dispersion) beyond ``len(s)`` are unchanged.
    """
    k = len(params)
    full = np.ones(k)
    full[: len(s)] = s
    return params / full, cov / np.outer(full, full)


def check_finite(label: str, names: Sequence[str], params: np.ndarray, cov: np.ndarray) -> None:
    """Raise :class:`ModelError` when an estimate or a standard error is not finite (or negative variance)."""
    var = np.diag(cov)
    bad = [n for n, b, v in zip(names, params, var) if not (np.isfinite(b) and np.isfinite(v) and v >= 0)]
    if bad:
        raise ModelError(
            label,
            f"non-finite estimate or standard error for {', '.join(bad)} "
            "(singular information matrix: a term without variation in the sample or separation)",
        )


def estimates_frame(
    names: Sequence[str],
    params: np.ndarray,
    std_errors: np.ndarray,
    *,
    ratio: bool,
    ci: np.ndarray | None = None,
    p_values: np.ndarray | None = None,
) -> pd.DataFrame:
    """The estimates table: Wald z, p-value and 95% CI unless given, and ``exp`` ratios.

    Parameters
    ----------
    names, params, std_errors
        Terms, estimates and standard errors (float64).
    ratio
        Whether ``exp(estimate)`` is meaningful (count and logit models); NaN otherwise.
    ci
        ``(k, 2)`` array of CI bounds to use instead of Wald bounds (e.g. profile CIs).
    p_values
        p-values to use instead of the Wald ones (e.g. penalized likelihood-ratio tests).
    """
    b = np.asarray(params, dtype=np.float64)
    se = np.asarray(std_errors, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = b / se
    p = 2 * stats.norm.sf(np.abs(z)) if p_values is None else np.asarray(p_values, dtype=np.float64)
    if ci is None:
        lo, hi = b - Z95 * se, b + Z95 * se
    else:
        lo, hi = np.asarray(ci, dtype=np.float64).T
    out = pd.DataFrame(
        {
            "term": list(names),
            "estimate": b,
            "std_error": se,
            "z": z,
            "p_value": p,
            "ci_low": lo,
            "ci_high": hi,
        }
    )
    if ratio:
        with np.errstate(over="ignore"):
            out["ratio"], out["ratio_ci_low"], out["ratio_ci_high"] = np.exp(b), np.exp(lo), np.exp(hi)
    else:
        out["ratio"] = out["ratio_ci_low"] = out["ratio_ci_high"] = np.nan
    out["term"] = out["term"].astype(object)
    return out[list(ESTIMATE_COLUMNS)]


def formula(outcome: str, terms: Sequence[str]) -> str:
    """``"outcome ~ a + b"`` (``"outcome ~ 1"`` when there are no terms)."""
    return f"{outcome} ~ {' + '.join(terms) if terms else '1'}"


def record_warnings(caught: Iterable[Any], into: list[str], prefix: str = "") -> None:
    """Append the distinct messages of caught Python warnings to ``into``."""
    for w in caught:
        msg = f"{prefix}{w.category.__name__}: {str(w.message).strip().splitlines()[0]}"
        if msg not in into:
            into.append(msg)


# ----------------------------------------------------------------------------- JSON


def dumps(result: ModelResult) -> str:
    """``result.to_dict()`` as strict JSON text (no NaN / Infinity tokens)."""
    return json.dumps(result.to_dict(), allow_nan=False)


# ----------------------------------------------------------------------------- BLAS threads

F = TypeVar("F", bound=Callable[..., Any])


#: The threadpoolctl controller of the BLAS libraries loaded in this process, and the number of
#: imported modules when it was made (see :func:`blas_controller`).
_CONTROLLER: tuple[int, ThreadpoolController] | None = None


def blas_controller() -> ThreadpoolController:
    """A ``threadpoolctl.ThreadpoolController`` of the thread pools loaded in this process.

    Making one scans the process's shared libraries (about 5 ms); it is made again only when
    modules were imported since the last one (an import is how a new BLAS gets loaded, e.g.
    scipy's own OpenBLAS beside numpy's), so the fits of a loop pay for one scan.
    """
    import sys

    global _CONTROLLER
    n = len(sys.modules)
    if _CONTROLLER is None or _CONTROLLER[0] != n:
        _CONTROLLER = (n, ThreadpoolController())
    return _CONTROLLER[1]


def single_threaded_blas(func: F) -> F:
    """Run ``func`` with the BLAS libraries (OpenBLAS, MKL, BLIS...) limited to one thread.

    The designs here are small (at most a few thousand rows by a few hundred columns):
    multithreaded BLAS gains nothing on them and, on a busy machine, its spinning threads
    slow the factorisations down by orders of magnitude. ``threadpoolctl`` finds the BLAS
    loaded in the process on any platform (:func:`blas_controller`) and restores the previous
    limits afterwards.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with blas_controller().limit(limits=1, user_api="blas"):
            return func(*args, **kwargs)

    return cast(F, wrapper)
