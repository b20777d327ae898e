"""The data of a multiverse: a panel and the rules that turn a :class:`Spec` into a frame.

:class:`SpecData` holds one panel (any frame with a unit id and a period) and builds the
estimation frame of each specification (:meth:`SpecData.prepare`): the treatment column of
the spec's coding source (``codings`` maps a source to a column template such as
``"{treatment}_prev"``), the outcome column of its outcome source, the treatment carried
forward within units when ``filled`` (explicit, recorded in the spec), sample filters, the
window of years and lags matched on ``period - lag`` within each unit (never by shifting
rows, so a gap in the periods gives NA, never the wrong period). Studies subclass it for
what their panels need (aggregation to mission-years, exposures, derived controls):
:mod:`analysis.studies.multiverse`.

Joint inference under the null (:mod:`analysis.models.multiverse.null`) needs the same data
with the treatment permuted: :meth:`SpecData.permuted` permutes every treatment column
(all coding sources together, so they stay consistent with each other) within strata
(default: the period), in blocks of ``block`` (e.g. a mission's months of one year move
together). The permutation is a function of the seed, so a worker rebuilds it from the
shipped panel and the seed alone.

:meth:`SpecData.key` is a content hash of the panel and the rules (plus the permutation seed):
cached results are keyed on it, so changed data never reuse old results.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import require_columns
from analysis.models.multiverse.spec import Spec

__all__ = ["Prepared", "SpecData", "apply_filters", "lag_within"]


@dataclass
class Prepared:
    """The estimation frame of one spec and the roles of its columns."""

    frame: pd.DataFrame
    outcome: str
    treatment: str
    controls: list[str]
    fe: list[str]
    exposure: str | None = None
    cluster: str | None = None
    duration: bool = False
    notes: list[str] = field(default_factory=list)
    #: Memo of checks computed on this frame (e.g. the event counts); not part of the frame.
    notes_cache: dict[str, Any] = field(default_factory=dict, repr=False)


def apply_filters(
    df: pd.DataFrame, filters: Sequence[tuple[str, str, Any]], where: str = "data"
) -> pd.DataFrame:
    """Rows of ``df`` that pass every filter ``(column, op, value)`` (NA never passes)."""
    if not filters:
        return df
    require_columns(df, {"filter": [c for c, _, _ in filters]}, where)
    keep = np.ones(len(df), dtype=bool)
    for col, op, value in filters:
        s = df[col]
        if op == "in":
            m = s.isin(list(value))
        elif op == "not in":
            m = ~s.isin(list(value)) & s.notna()
        elif op == "==":
            m = s == value
        elif op == "!=":
            m = (s != value) & s.notna()
        elif op == ">=":
            m = s >= value
        elif op == "<=":
            m = s <= value
        elif op == ">":
            m = s > value
        else:
            m = s < value
        keep &= pd.Series(m, index=df.index).fillna(False).to_numpy(dtype=bool)
    return df[keep]


def lag_within(df: pd.DataFrame, columns: Sequence[str], *, unit: str, period: str, lag: int) -> pd.DataFrame:
    """``columns`` of ``df`` lagged by ``lag`` periods within ``unit``, matched on ``period - lag``.

    Returns a frame aligned on ``df``'s index; NA where the unit has no row at ``period - lag``.
    """
    if lag == 0 or not columns:
        return df[list(columns)].copy()
    src = df[[unit, period, *columns]].copy()
    src[period] = src[period] + lag
    left = df[[unit, period]].reset_index()
    idx_name = left.columns[0]
    out = left.merge(src, on=[unit, period], how="left", validate="many_to_one")
    return out.set_index(idx_name)[list(columns)].rename_axis(df.index.name)


def _fill_forward(df: pd.DataFrame, col: str, *, unit: str, period: str) -> pd.Series:
    """``col`` with each unit's last non-missing value carried forward over missing periods."""
    order = df.sort_values([unit, period]).index
    filled = df.loc[order, col].groupby(df.loc[order, unit], sort=False).ffill()
    return filled.reindex(df.index)


def frame_key(df: pd.DataFrame) -> str:
    """Content hash of a frame (values, index, column names and dtypes)."""
    h = hashlib.sha256()
    h.update(pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes())
    h.update(repr([(str(c), str(t)) for c, t in df.dtypes.items()]).encode())
    return h.hexdigest()


class SpecData:
    """A panel and the rules that build the estimation frame of a :class:`Spec`.

    Parameters
    ----------
    panel
        The panel (not modified): one row per unit and period.
    unit
        Unit id column (clusters, lags, carrying forward), e.g. ``"mission_id_un"``.
    period
        Period column used for lags and carrying forward (e.g. a month index or ``"year"``).
    year
        Year column of the spec's ``window`` (default: ``period``).
    codings
        Coding source -> column template of the treatment (``"{treatment}"`` is replaced),
        e.g. ``{"text": "{treatment}", "prev": "{treatment}_prev"}``. Default: ``{"default":
        "{treatment}"}``.
    outcome_sources
        Outcome source -> column template (``"{outcome}"`` replaced); default as ``codings``.
    treatments
        Treatment concepts whose columns :meth:`permuted` permutes (every coding source);
        default: every concept a spec uses is resolved at permutation time from ``codings``.
    strata
        Columns within whose values the null permutation shuffles (default: ``[year]``).
    block
        Column whose rows move together within a stratum in the permutation (e.g. the
        mission: a mission's months of one year keep their order); ``None``: rows.
    name
        Name used in messages (e.g. ``"mission_months"``).
    """

    #: Units of analysis this data can build (``Spec.unit``).
    units: tuple[str, ...] = ("row",)

    def __init__(
        self,
        panel: pd.DataFrame,
        *,
        unit: str,
        period: str,
        year: str | None = None,
        codings: Mapping[str, str] | None = None,
        outcome_sources: Mapping[str, str] | None = None,
        treatments: Sequence[str] = (),
        strata: Sequence[str] | None = None,
        block: str | None = None,
        name: str = "data",
    ) -> None:
        self.name = name
        self.unit, self.period, self.year = unit, period, year or period
        require_columns(panel, {"unit": [unit], "period": [period], "year": [self.year]}, name)
        self.panel = panel
        self.codings = dict(codings or {"default": "{treatment}"})
        self.outcome_sources = dict(outcome_sources or {"default": "{outcome}"})
        self.treatments = list(treatments)
        self.strata = list(strata) if strata is not None else [self.year]
        self.block = block
        self.seed: int | None = None
        self._key: str | None = None
        self._cache: dict[Any, Any] = {}

    # -- identity, pickling -------------------------------------------------------------

    def key(self) -> str:
        """Content hash of the panel, the rules and the permutation seed (cache key of results)."""
        if self._key is None:
            h = hashlib.sha256()
            h.update(type(self).__qualname__.encode())
            h.update(frame_key(self.panel).encode())
            rules = (self.unit, self.period, self.year, sorted(self.codings.items()),
                     sorted(self.outcome_sources.items()), self.treatments, self.strata, self.block,
                     self._rules())
            h.update(repr(rules).encode())
            self._key = h.hexdigest()
        return self._key if self.seed is None else self._seeded(self._key, self.seed)

    @staticmethod
    def _seeded(base: str, seed: int) -> str:
        return hashlib.sha256(f"{base}|null-permutation|{seed}".encode()).hexdigest()

    def variant_key(self, seed: int | None) -> str:
        """:meth:`key` of :meth:`permuted` ``(seed)`` (of this data for ``None``), without permuting."""
        if seed is None:
            return self.key()
        if self.seed is not None:
            raise ValueError("variant_key: this data is already a permutation")
        return self._seeded(self.key(), int(seed))

    def _rules(self) -> Any:
        """Extra rules of a subclass that enter :meth:`key`."""
        return None

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_cache"] = {}  # derived frames are rebuilt on the worker, not shipped
        return state

    # -- columns -------------------------------------------------------------------------

    def _template(self, kind: str, table: Mapping[str, str], name: str, concept: str) -> str:
        if name not in table:
            raise ValueError(
                f"{self.name}: {kind} {name!r} is not known; valid: {', '.join(map(repr, table))}"
            )
        return table[name].format(**{"treatment" if kind == "coding" else "outcome": concept})

    def treatment_column(self, spec: Spec) -> str:
        """Panel column of the spec's treatment in its coding source."""
        return self._template("coding", self.codings, spec.coding, spec.treatment)

    def outcome_column(self, spec: Spec) -> str:
        """Panel column of the spec's outcome in its outcome source."""
        return self._template("outcome source", self.outcome_sources, spec.outcome_source, spec.outcome)

    def check_unit(self, spec: Spec) -> None:
        """Raise ``ValueError`` when this data cannot build the spec's unit of analysis."""
        if spec.unit not in self.units:
            valid = ", ".join(self.units)
            raise ValueError(f"{self.name}: unit {spec.unit!r} is not available; valid: {valid}")

    # -- the estimation frame ------------------------------------------------------------

    def prepare(self, spec: Spec) -> Prepared:
        """The estimation frame of ``spec``: columns resolved, carried forward, filtered, lagged.

        Carrying forward and lags use the whole panel (the last coded value before the window
        counts); filters and the window then select the rows.
        """
        self.check_unit(spec)
        df = self.panel
        out_col = self.outcome_column(spec)
        t_col = self.treatment_column(spec)
        needed = {"outcome": [out_col], "treatment": [t_col], "controls": list(spec.controls),
                  "fixed effect": list(spec.fe), "exposure": [spec.exposure] if spec.exposure else [],
                  "cluster": [spec.cluster] if spec.cluster and spec.se != "robust" else []}
        require_columns(df, needed, self.name)
        regs = [t_col, *spec.controls]
        work = df[list(dict.fromkeys([self.unit, self.period, self.year, out_col, *regs, *spec.fe,
                                      *([spec.exposure] if spec.exposure else []),
                                      *([spec.cluster] if spec.cluster else []),
                                      *[c for c, _, _ in spec.filters]]))].copy()
        notes = []
        if spec.filled:
            work[t_col] = _fill_forward(work, t_col, unit=self.unit, period=self.period)
            notes.append(f"{t_col}: last coded value carried forward within {self.unit}")
        if spec.lag:
            work[regs] = lag_within(work, regs, unit=self.unit, period=self.period, lag=spec.lag)
        work = apply_filters(work, spec.filters, self.name)
        if spec.window is not None:
            y = work[self.year]
            work = work[(y >= spec.window[0]) & (y <= spec.window[1])]
        return Prepared(frame=work, outcome=out_col, treatment=t_col, controls=list(spec.controls),
                        fe=list(spec.fe), exposure=spec.exposure,
                        cluster=spec.cluster if spec.se != "robust" else None, duration=spec.duration,
                        notes=notes)

    # -- the null ------------------------------------------------------------------------

    def treatment_columns(self) -> list[str]:
        """Every panel column holding a treatment (each concept in each coding source)."""
        cols = []
        for t in self.treatments:
            for name in self.codings:
                c = self.codings[name].format(treatment=t)
                if c in self.panel.columns and c not in cols:
                    cols.append(c)
        return cols

    def permuted(self, seed: int) -> SpecData:
        """A copy whose treatment columns are permuted within :attr:`strata` (blocks of :attr:`block`).

        The same permutation moves every treatment column, so coding sources stay consistent
        with each other; outcomes, controls and the panel's structure are unchanged.
        """
        cols = self.treatment_columns()
        if not cols:
            raise ValueError(f"{self.name}: no treatment columns to permute (give treatments=[...])")
        out = copy.copy(self)
        out._cache = {}
        out.key()  # the base key, before the seed changes it
        out.seed = int(seed)
        out.panel = permute_within(self.panel, cols, strata=self.strata, block=self.block, seed=int(seed))
        return out


def permute_within(
    df: pd.DataFrame, columns: Sequence[str], *, strata: Sequence[str], block: str | None, seed: int
) -> pd.DataFrame:
    """``df`` with ``columns`` permuted together within ``strata`` (in blocks of ``block``).

    Without ``block`` the rows of each stratum are shuffled. With ``block`` (e.g. the mission)
    the blocks of a stratum are shuffled: each block takes the values of another block of the
    same stratum, row by row in the order of the frame; where the donor block is shorter,
    its last value is repeated (so a mission present for part of a year gives its values to a
    mission present all year without inventing missing values beyond the donor's own).
    """
    rng = np.random.default_rng(seed)
    out = df.copy()
    vals = df[list(columns)].to_numpy(dtype=object)
    new = vals.copy()
    groups = df.groupby(list(strata), sort=True, dropna=False).indices
    pos_of = {k: np.sort(v) for k, v in groups.items()}
    for _, rows in sorted(pos_of.items(), key=lambda kv: str(kv[0])):
        if block is None:
            new[rows] = vals[rows[rng.permutation(len(rows))]]
            continue
        b = df[block].to_numpy()[rows]
        labels = list(dict.fromkeys(b.tolist()))
        members = {lab: rows[b == lab] for lab in labels}
        donors = [labels[i] for i in rng.permutation(len(labels))]
        for lab, donor in zip(labels, donors):
            target, source = members[lab], members[donor]
            take = np.minimum(np.arange(len(target)), len(source) - 1)
            new[target] = vals[source[take]]
    for j, c in enumerate(columns):
        out[c] = pd.Series(new[:, j], index=df.index).astype(df[c].dtype)
    return out
