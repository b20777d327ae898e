"""One specification of a multiverse: every choice that defines an estimate, and its hash.

A :class:`Spec` is data only (frozen, hashable, picklable): which outcome and from which
source, which treatment and from which coding source, carried forward or not, controls, fixed
effects (any list of columns), sample filters, unit of analysis, window of years, lag,
exposure, estimator and standard-error type. How a spec becomes an estimation frame is the
job of a :class:`~analysis.models.multiverse.data.SpecData` (the panel and its rules); how
it is fitted, of :mod:`analysis.models.multiverse.fit`.

:meth:`Spec.key` is the sha256 of the canonical JSON of the model-defining fields (not the
``choices`` labels, which only name the grid values that produced it): two grids that reach
the same model share cached results.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from analysis.vocabulary import check_option

__all__ = [
    "ESTIMATOR_FAMILY",
    "FILTER_OPS",
    "SPEC_FIELDS",
    "Estimator",
    "Filter",
    "SeType",
    "Spec",
    "Status",
]

#: Estimators of a specification; the family decides the fitting function.
Estimator = Literal["negbin", "ppml", "logit", "firth"]
#: Family of each estimator: count models (NB2, PPML) or binary models (logit, Firth logit).
ESTIMATOR_FAMILY = {"negbin": "count", "ppml": "count", "logit": "binary", "firth": "binary"}

#: Standard-error types.
#:
#: * ``"cluster"``: cluster-robust by ``cluster``; count models use the joint (b, alpha)
#:   sandwich (``vcov="joint"``), logit / Firth the cluster sandwich.
#: * ``"cluster_glm"``: count models: R's ``sandwich::vcovCL(glm.nb)`` convention
#:   (``vcov="glm_fixed_theta"``); binary models: as ``"cluster"``.
#: * ``"cluster_glm_hc1"``: count models: ``vcovCL(..., type = "HC1")`` (``vcov="glm_fixed_theta_hc1"``);
#:   binary models: as ``"cluster"``.
#: * ``"robust"``: no clusters: HC0 (count, logit), model-based with profile intervals (Firth).
SeType = Literal["cluster", "cluster_glm", "cluster_glm_hc1", "robust"]

#: Outcome of one specification: ``"ok"`` or why no number is reported.
#:
#: ``no_variation`` (the treatment does not vary in the sample, or not within the fixed-effect
#: groups), ``separation`` (an estimate diverges), ``not_identified`` (collinear terms,
#: singular information, no rows), ``no_convergence``, ``no_events`` (the outcome has no event,
#: or the treated rows have none: a number would only reflect a penalty or a limit) and
#: ``error`` (an unexpected failure: a bug or bad input; never cached, so a rerun retries it).
Status = Literal[
    "ok", "no_variation", "separation", "not_identified", "no_convergence", "no_events", "error"
]

#: Comparison operators of a sample filter ``(column, op, value)``.
FILTER_OPS = ("==", "!=", "in", "not in", ">=", "<=", ">", "<")

Filter = tuple[str, str, Any]


def _tuple(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    out = tuple(value)
    bad = [v for v in out if not isinstance(v, str)]
    if bad:
        raise ValueError(f"{name} must be column names (str); got {bad!r}")
    return out


def _filter(f: Any) -> Filter:
    if not isinstance(f, Sequence) or isinstance(f, str) or len(f) != 3:
        raise ValueError(f"a filter is [column, op, value]; got {f!r}")
    col, op, value = f
    if not isinstance(col, str):
        raise ValueError(f"filter column must be a str; got {col!r}")
    check_option("filter operator", op, FILTER_OPS)
    if op in ("in", "not in"):
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise ValueError(f"filter {col!r} {op}: the value must be a list; got {value!r}")
        value = tuple(value)
    return (col, op, value)


@dataclass(frozen=True)
class Spec:
    """One specification: the choices that define one estimate.

    Attributes
    ----------
    outcome
        Outcome concept (e.g. ``"fatalities_hostile_n"``, ``"has_coup_attempt"``).
    treatment
        Treatment concept (e.g. ``"is_robust_mandate"``, ``"has_partnership"``).
    coding
        Coding source of the treatment (a value declared by the data, e.g. ``"text"`` for the
        Security Council texts, ``"prev"`` for PEMA / TAMM / curated); ``"default"`` = the
        panel's own column.
    outcome_source
        Data source of the outcome (e.g. ``"powell_thyne"``, ``"cline"``, ``"coupcats"``);
        ``"default"`` = the panel's own column.
    filled
        Carry the treatment's last coded value forward within the unit over uncoded periods.
    controls
        Control columns (or names the data derives, e.g. ``"log_gdp_pc"``).
    fe
        Fixed effects: any list of columns, one dimension each (``()`` = none).
    filters
        Sample filters ``(column, op, value)`` applied to the panel rows; ``op`` one of
        :data:`FILTER_OPS`.
    unit
        Unit of analysis (``"row"`` = the panel's rows; the data may offer aggregations,
        e.g. ``"month"`` / ``"year"`` for mission panels).
    window
        First and last year of the outcome, inclusive (``None`` = all).
    lag
        Periods between treatment / controls and the outcome (>= 0).
    exposure
        Exposure column of a count model (log offset), or ``None``.
    estimator
        ``"negbin"``, ``"ppml"``, ``"logit"`` or ``"firth"``.
    se
        Standard-error type (:data:`SeType`).
    cluster
        Cluster column of ``se="cluster"`` / ``"cluster_glm"``.
    duration
        Binary models: add the cubic in years since the last event (Carter & Signorino).
    choices
        ``(dimension, value)`` labels of the grid that produced the spec (not part of the key).
    """

    outcome: str
    treatment: str
    coding: str = "default"
    outcome_source: str = "default"
    filled: bool = False
    controls: tuple[str, ...] = ()
    fe: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    unit: str = "row"
    window: tuple[int, int] | None = None
    lag: int = 0
    exposure: str | None = None
    estimator: Estimator = "negbin"
    se: SeType = "cluster"
    cluster: str | None = None
    duration: bool = False
    choices: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        for name in ("outcome", "treatment", "coding", "outcome_source", "unit"):
            v = getattr(self, name)
            if not isinstance(v, str) or not v:
                raise ValueError(f"Spec.{name} must be a non-empty str; got {v!r}")
        check_option("estimator", self.estimator, Estimator)
        check_option("se", self.se, SeType)
        for name in ("filled", "duration"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"Spec.{name} must be True or False; got {getattr(self, name)!r}")
        lag = self.lag
        if isinstance(lag, bool) or not isinstance(lag, int) or lag < 0:
            raise ValueError(f"Spec.lag must be a non-negative integer; got {lag!r}")
        set_ = object.__setattr__
        set_(self, "controls", _tuple(self.controls, "controls"))
        set_(self, "fe", _tuple(self.fe, "fe"))
        set_(self, "filters", tuple(_filter(f) for f in self.filters))
        if self.window is not None:
            w = tuple(self.window)
            ints = all(isinstance(y, int) and not isinstance(y, bool) for y in w)
            if len(w) != 2 or not ints or w[0] > w[1]:
                raise ValueError(
                    f"Spec.window must be (first, last) years with first <= last; got {self.window!r}")
            set_(self, "window", (int(w[0]), int(w[1])))
        if self.exposure is not None and not isinstance(self.exposure, str):
            raise ValueError(f"Spec.exposure must be a column name or None; got {self.exposure!r}")
        if self.se != "robust" and not self.cluster:
            raise ValueError(f"Spec.se={self.se!r} needs a cluster column (or se='robust')")
        if self.family == "binary" and self.exposure is not None:
            raise ValueError(f"Spec.exposure is for count models; estimator {self.estimator!r} is binary")
        roles = [("treatment", [self.treatment]), ("controls", list(self.controls))]
        seen: dict[str, str] = {}
        for role, cols in roles:
            for c in cols:
                if c in seen:
                    raise ValueError(f"column {c!r} is given twice ({seen[c]} and {role})")
                seen[c] = role
        set_(self, "choices", tuple((str(k), str(v)) for k, v in dict(self.choices).items()))

    @property
    def family(self) -> str:
        """``"count"`` (NB2, PPML) or ``"binary"`` (logit, Firth)."""
        return ESTIMATOR_FAMILY[self.estimator]

    def model_fields(self) -> dict[str, Any]:
        """The model-defining fields as JSON-able values (everything but ``choices``)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.name == "choices":
                continue
            v = getattr(self, f.name)
            if f.name == "filters":
                v = [[c, op, list(x) if isinstance(x, tuple) else x] for c, op, x in v]
            elif isinstance(v, tuple):
                v = list(v)
            out[f.name] = v
        return out

    def to_dict(self) -> dict[str, Any]:
        """All fields as a JSON-able dict (``choices`` as a mapping)."""
        return {**self.model_fields(), "choices": dict(self.choices)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Spec:
        """The spec of :meth:`to_dict` (unknown keys raise ``ValueError`` listing the fields)."""
        unknown = sorted(set(d) - set(SPEC_FIELDS))
        if unknown:
            raise ValueError(f"unknown Spec field(s) {unknown}; valid: {', '.join(SPEC_FIELDS)}")
        kw = dict(d)
        if kw.get("window") is not None:
            kw["window"] = tuple(kw["window"])
        if "choices" in kw:
            kw["choices"] = tuple(dict(kw["choices"]).items())
        return cls(**kw)

    def key(self, salt: str = "") -> str:
        """sha256 (hex) of the canonical JSON of :meth:`model_fields` (plus ``salt``, e.g. a data key)."""
        text = json.dumps(self.model_fields(), sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256((salt + "|" + text).encode()).hexdigest()

    @property
    def id(self) -> str:
        """Short id: the first 12 hex digits of :meth:`key`."""
        return self.key()[:12]

    def replace(self, **changes: Any) -> Spec:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def label(self) -> str:
        """Readable one-line description (the grid's choices when there are any)."""
        if self.choices:
            return ", ".join(f"{k}={v}" for k, v in self.choices)
        fe = "+".join(self.fe) or "none"
        return f"{self.estimator} {self.outcome} ~ {self.treatment}[{self.coding}] (fe {fe})"


#: Field names of :class:`Spec` (the keys a grid value may set).
SPEC_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Spec))
