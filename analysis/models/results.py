"""The common result of every model, and the helpers the model modules share.

:class:`ModelResult` holds one fitted model: the estimator, every option used (``spec``),
a tidy table of estimates with confidence intervals and ratios (incidence-rate ratios for
count models, odds ratios for logit), the sample size, the number of clusters, convergence,
fit statistics, the data versions, warnings (every row dropped, every fallback taken) and
extras (e.g. a fitted-values frame). ``to_dict()`` is JSON-safe for ``results.json``.

Shared helpers (used by :mod:`~analysis.models.casualties`, :mod:`~analysis.models.trends`
and :mod:`~analysis.models.coups`):

* :func:`check_option` - the one option validator: the error lists the valid values;
* :func:`require_columns` - unknown column names raise ``ValueError`` with close matches;
* :func:`to_float` - pandas nullable / boolean columns to float64 numpy arrays (NA -> NaN);
* :func:`check_full_rank` - names the perfectly collinear terms (``ModelError``);
* :func:`unit_scale` / :func:`unscale` - fit on a unit-scaled design, report on the original scale;
* :func:`estimates_frame` - the estimates table from parameters and their covariance;
* :func:`json_safe` - numpy / pandas values, frames, NaN and infinities to plain JSON values;
* :func:`single_threaded_blas` - decorator running a fit with one OpenBLAS thread.
"""

from __future__ import annotations

import ctypes
import difflib
import functools
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar, cast, get_args, get_origin

import numpy as np
import pandas as pd
from scipy import stats

from analysis.errors import ModelError

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
    start_values: dict = field(default_factory=dict, repr=False, compare=False)

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
            }
        )

    def __repr__(self) -> str:
        terms = ", ".join(self.estimates["term"].head(6))
        more = "" if len(self.estimates) <= 6 else ", ..."
        return (
            f"ModelResult({self.estimator}, {self.spec.get('formula', '')!s}, nobs={self.nobs}, "
            f"n_clusters={self.n_clusters}, converged={self.converged}, terms=[{terms}{more}])"
        )


# ----------------------------------------------------------------------------- validation


def check_option(name: str, value: object, allowed: Any) -> None:
    """Raise ``ValueError`` listing the valid values when ``value`` is not one of them.

    Parameters
    ----------
    name
        Option name, used in the message.
    value
        The value given.
    allowed
        A ``typing.Literal[...]`` type or a sequence of valid values.
    """
    valid = get_args(allowed) if get_origin(allowed) is Literal else tuple(allowed)
    # Equal and of the same kind (so True does not pass for 1, nor 1 for True).
    ok = any(
        value == v and (isinstance(value, str) if isinstance(v, str) else type(value) is type(v))
        for v in valid
    )
    if not ok:
        raise ValueError(f"{name}={value!r} is not valid; valid values: {', '.join(map(repr, valid))}")


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


def require_columns(df: pd.DataFrame, columns: Mapping[str, Iterable[str]]) -> None:
    """Raise ``ValueError`` naming the first missing column and its role, with close matches.

    Parameters
    ----------
    df
        The data.
    columns
        Role -> column names (e.g. ``{"outcome": ["fatalities_hostile_n"]}``).
    """
    have = [str(c) for c in df.columns]
    for role, cols in columns.items():
        for c in cols:
            if c not in df.columns:
                close = difflib.get_close_matches(c, have, n=3)
                hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
                raise ValueError(f"column {c!r} ({role}) is not in the data{hint}")


def check_distinct(roles: Mapping[str, Sequence[str]]) -> None:
    """Raise ``ValueError`` when a column is given twice (e.g. as treatment and control)."""
    seen: dict[str, str] = {}
    for role, cols in roles.items():
        for c in cols:
            if c in seen:
                raise ValueError(f"column {c!r} is given twice ({seen[c]} and {role})")
            seen[c] = role


def to_float(s: pd.Series) -> np.ndarray:
    """A numeric or boolean column as a float64 array with NaN for missing values.

    pandas nullable dtypes (``Int64``, ``Float64``, ``boolean``) and numpy dtypes are
    accepted; booleans become 0/1. Anything else raises ``ValueError`` naming the column.
    """
    dt = s.dtype
    if pd.api.types.is_bool_dtype(dt) or pd.api.types.is_numeric_dtype(dt):
        out = s.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    elif pd.api.types.is_object_dtype(dt):
        try:
            out = pd.array(s.tolist(), dtype="Float64").to_numpy(dtype="float64", na_value=np.nan)
        except (TypeError, ValueError) as e:
            raise ValueError(f"column {s.name!r} (dtype object) is not numeric or boolean") from e
    else:
        raise ValueError(f"column {s.name!r} has dtype {dt}; a numeric or boolean column is needed")
    return np.ascontiguousarray(out, dtype=np.float64)


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


def json_safe(obj: Any) -> Any:
    """``obj`` converted to plain JSON values.

    dict/list/tuple/set recursively; DataFrame -> list of records; Series -> dict;
    numpy scalars -> Python numbers; NaN, infinities, ``pd.NA``, ``NaT`` -> ``None``;
    timestamps -> ISO strings; numpy arrays -> lists; anything else -> ``str``.
    """
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)) and not isinstance(obj, np.bool_):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(float(obj)) else None
    if isinstance(obj, Mapping):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, pd.DataFrame):
        return [json_safe(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return {str(k): json_safe(v) for k, v in obj.to_dict().items()}
    if isinstance(obj, np.ndarray):
        return [json_safe(v) for v in obj.tolist()]
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        return sorted((json_safe(v) for v in obj), key=str)
    if obj is pd.NA or obj is pd.NaT:
        return None
    if isinstance(obj, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(obj).isoformat()
    try:
        if pd.isna(obj):
            return None
    except (TypeError, ValueError):
        pass
    return str(obj)


def dumps(result: ModelResult) -> str:
    """``result.to_dict()`` as strict JSON text (no NaN / Infinity tokens)."""
    return json.dumps(result.to_dict(), allow_nan=False)


# ----------------------------------------------------------------------------- BLAS threads

F = TypeVar("F", bound=Callable[..., Any])

_OPENBLAS_SYMBOLS = (
    ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
    ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
    ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
    ("openblas_set_num_threads", "openblas_get_num_threads"),
)


@functools.lru_cache(maxsize=1)
def _openblas_controls() -> tuple:
    """(set, get) function pairs of every OpenBLAS loaded in the process (Linux; else empty)."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return ()
    paths = sorted({line.split()[-1] for line in maps.splitlines() if "openblas" in line and "/" in line})
    out = []
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for set_name, get_name in _OPENBLAS_SYMBOLS:
            if hasattr(lib, set_name) and hasattr(lib, get_name):
                setter, getter = getattr(lib, set_name), getattr(lib, get_name)
                setter.argtypes, setter.restype, getter.restype = [ctypes.c_int], None, ctypes.c_int
                out.append((setter, getter))
                break
    return tuple(out)


def single_threaded_blas(func: F) -> F:
    """Run ``func`` with OpenBLAS limited to one thread, restoring the previous setting.

    The designs here are small (at most a few thousand rows by a few hundred columns):
    multithreaded BLAS gains nothing on them and, on a busy machine, its spinning threads
    slow the factorisations down by orders of magnitude. Without a loaded OpenBLAS
    (other BLAS, other OS) this does nothing.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        controls = _openblas_controls()
        old = [get() for _, get in controls]
        for setter, _ in controls:
            setter(1)
        try:
            return func(*args, **kwargs)
        finally:
            for (setter, _), n in zip(controls, old):
                setter(max(1, n))

    return cast(F, wrapper)
