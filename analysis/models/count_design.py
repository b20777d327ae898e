"""Design of a count model: outcome, dense terms and fixed effects as index arrays; separation.

The data half of the count-model engine (:mod:`analysis.models.counts` fits a
:class:`CountDesign`; :mod:`analysis.models.count_vcov` gives its covariance conventions).

Design
------
``X = [D | F_1 | F_2 ...]``: a dense block ``D`` (constant, treatment, controls; unit-scaled
internally) and fixed effects given as **index arrays** (one integer code per row and
dimension, the first level the reference), never as dummy matrices. The gradient
``X'v`` and the information ``X'WX`` are assembled with ``numpy.bincount``: a fixed-effect
dimension with ``L`` levels costs ``O(n)`` per Newton step instead of ``O(n L^2)``, and the
cross block of two dimensions is one ``L_1 x L_2`` table. The ``k x k`` system
(``k`` = dense terms + fixed-effect levels) is then solved by Cholesky, fine up to a few
thousand levels.

Separation (Correia, Guimaraes & Zylkin 2019)
---------------------------------------------
With a log link the estimates do not exist when some zero-outcome rows can be fitted
exactly (``mu -> 0``) by a direction ``gamma`` of the parameters with ``x_i' gamma = 0`` on
every row with ``y > 0`` and ``x_i' gamma >= 0`` on the zeros. :func:`separated_rows`
finds them: if the rows with ``y > 0`` have full column rank no such ``gamma`` exists (the
usual case, one Gram matrix); otherwise a linear programme over the null space of those rows
(HiGHS, ``scipy.optimize.linprog``) maximises ``sum x_i' gamma`` over the zeros, capped at 1,
and every zero row it lifts above zero is separated; repeated until none is found. Such
rows are dropped (as ``ppmlhdfe`` and ``fixest`` do): the other estimates are the limit of
the maximum likelihood. Fixed-effect groups without any event are the simplest case and
are dropped before (by the caller).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from analysis.models.results import unit_scale

__all__ = ["CountDesign", "FixedEffect", "separated_rows"]


# ----------------------------------------------------------------------------- design


@dataclass
class FixedEffect:
    """One fixed-effect dimension: an integer level code per row; level 0 is the reference."""

    name: str
    codes: np.ndarray
    levels: list

    @property
    def n_levels(self) -> int:
        """Number of levels (parameters: ``n_levels - 1``)."""
        return len(self.levels)

    @property
    def param_names(self) -> list[str]:
        """``name[level]`` of every level but the reference."""
        return [f"{self.name}[{v}]" for v in self.levels[1:]]


class CountDesign:
    """Outcome, dense design, fixed effects (index arrays), offset and clusters of a count model.

    Parameters
    ----------
    y
        Counts (float64, non-negative integers).
    X
        Dense block, constant first (original scale).
    names
        Names of the columns of ``X``.
    fe
        Fixed effects: :class:`FixedEffect` objects (codes of length ``n``).
    offset
        Offset (log exposure) or None.
    groups
        Cluster code of every row (integers ``0..G-1``) or None.
    group_levels
        The cluster id of each code (e.g. mission ids), for leave-one-cluster-out refits.
    label
        Specification label for error messages.

    Notes
    -----
    Parameters are ordered ``[dense terms, levels of fe[0] but the first, fe[1] ...]``;
    :attr:`names` lists them. Internally the dense columns are divided by their largest
    absolute value (:func:`~analysis.models.results.unit_scale`).
    """

    def __init__(
        self,
        y: np.ndarray,
        X: np.ndarray,
        names: Sequence[str],
        *,
        fe: Sequence[FixedEffect] = (),
        offset: np.ndarray | None = None,
        groups: np.ndarray | None = None,
        group_levels: Sequence | None = None,
        label: str = "count model",
    ) -> None:
        self.y = np.ascontiguousarray(y, dtype=np.float64)
        self.X = np.ascontiguousarray(X, dtype=np.float64)
        if self.X.ndim != 2 or self.X.shape[0] != len(self.y):
            raise ValueError(f"X must be 2-d with {len(self.y)} rows")
        self.dense_names = list(names)
        if len(self.dense_names) != self.X.shape[1]:
            raise ValueError(f"{len(self.dense_names)} names for {self.X.shape[1]} columns")
        self.fe = list(fe)
        self.offset = None if offset is None else np.ascontiguousarray(offset, dtype=np.float64)
        self.groups = None if groups is None else np.asarray(groups, dtype=np.int64)
        self.group_levels = None if group_levels is None else list(group_levels)
        self.label = label
        self.Xs, self.scale = unit_scale(self.X)
        self.p = self.X.shape[1]
        self._fe_slices: list[tuple[int, int]] = []
        pos = self.p
        for f in self.fe:
            self._fe_slices.append((pos, pos + f.n_levels - 1))
            pos += f.n_levels - 1
        self.k = pos
        self.names = self.dense_names + [n for f in self.fe for n in f.param_names]
        self.lgy1 = special.gammaln(self.y + 1.0)
        self.n_groups = int(self.groups.max()) + 1 if self.groups is not None and len(self.groups) else 0

    @property
    def n(self) -> int:
        """Number of rows."""
        return len(self.y)

    def full_scale(self) -> np.ndarray:
        """Scale factor of every parameter (dense columns; 1 for fixed-effect levels)."""
        out = np.ones(self.k)
        out[: self.p] = self.scale
        return out

    # -- linear algebra with fixed effects as index arrays (unit-scaled parameters)

    def xb(self, theta: np.ndarray) -> np.ndarray:
        """``X theta`` (without the offset)."""
        eta = self.Xs @ theta[: self.p]
        for f, (a, b) in zip(self.fe, self._fe_slices):
            vals = np.empty(f.n_levels)
            vals[0] = 0.0
            vals[1:] = theta[a:b]
            eta = eta + vals[f.codes]
        return eta

    def xtv(self, v: np.ndarray) -> np.ndarray:
        """``X' v``."""
        out = np.empty(self.k)
        out[: self.p] = self.Xs.T @ v
        for f, (a, b) in zip(self.fe, self._fe_slices):
            out[a:b] = np.bincount(f.codes, v, minlength=f.n_levels)[1:]
        return out

    def xtwx(self, w: np.ndarray) -> np.ndarray:
        """``X' diag(w) X``."""
        k, p = self.k, self.p
        out = np.empty((k, k))
        Xw = self.Xs * w[:, None]
        out[:p, :p] = Xw.T @ self.Xs
        for i, (f, (a, b)) in enumerate(zip(self.fe, self._fe_slices)):
            L = f.n_levels
            cross = np.empty((b - a, p))
            for j in range(p):
                cross[:, j] = np.bincount(f.codes, Xw[:, j], minlength=L)[1:]
            out[a:b, :p] = cross
            out[:p, a:b] = cross.T
            block = np.zeros((b - a, b - a))
            np.fill_diagonal(block, np.bincount(f.codes, w, minlength=L)[1:])
            out[a:b, a:b] = block
            for g, (c, d) in zip(self.fe[i + 1 :], self._fe_slices[i + 1 :]):
                M = g.n_levels
                tab = np.bincount(f.codes * M + g.codes, w, minlength=L * M).reshape(L, M)[1:, 1:]
                out[a:b, c:d] = tab
                out[c:d, a:b] = tab.T
        return out

    def xt_cluster(self, r: np.ndarray) -> np.ndarray:
        """``G x k`` cluster sums of ``r_i x_i`` (``groups`` required)."""
        if self.groups is None:
            raise ValueError("no clusters")
        G, g = self.n_groups, self.groups
        out = np.empty((G, self.k))
        for j in range(self.p):
            out[:, j] = np.bincount(g, r * self.Xs[:, j], minlength=G)
        for f, (a, b) in zip(self.fe, self._fe_slices):
            L = f.n_levels
            out[:, a:b] = np.bincount(g * L + f.codes, r, minlength=G * L).reshape(G, L)[:, 1:]
        return out

    def dense(self, rows: np.ndarray | None = None, *, scaled: bool = True) -> np.ndarray:
        """The full design with fixed-effect dummies (for checks; ``rows`` selects rows)."""
        sel = slice(None) if rows is None else rows
        base = self.Xs if scaled else self.X
        blocks = [base[sel]]
        for f in self.fe:
            codes = f.codes[sel]
            D = np.zeros((len(codes), f.n_levels))
            D[np.arange(len(codes)), codes] = 1.0
            blocks.append(D[:, 1:])
        return np.column_stack(blocks) if len(blocks) > 1 else blocks[0].copy()

    def subset(self, rows: np.ndarray) -> CountDesign:
        """The design on a subset of rows (boolean mask or indices).

        Fixed-effect levels and clusters left without rows are removed (the reference
        becomes the first level present); names change accordingly. All-zero groups and
        separation are *not* re-checked: use :func:`separated_rows` or rebuild the design
        from the frame when that matters.
        """
        idx = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
        fes = []
        for f in self.fe:
            present, codes = np.unique(f.codes[idx], return_inverse=True)
            fes.append(FixedEffect(f.name, codes.astype(np.int64), [f.levels[i] for i in present]))
        groups, group_levels = None, None
        if self.groups is not None:
            present_g, inv = np.unique(self.groups[idx], return_inverse=True)
            groups = inv.astype(np.int64)
            if self.group_levels is not None:
                group_levels = [self.group_levels[i] for i in present_g]
        return CountDesign(
            self.y[idx],
            self.X[idx],
            self.dense_names,
            fe=fes,
            offset=None if self.offset is None else self.offset[idx],
            groups=groups,
            group_levels=group_levels,
            label=self.label,
        )

    def start_vector(self, start: Mapping[str, float] | None) -> np.ndarray | None:
        """Unit-scaled start values from ``name -> value`` (original scale); missing names start at 0."""
        if not start:
            return None
        theta = np.zeros(self.k)
        hit = False
        for j, name in enumerate(self.names):
            v = start.get(name)
            if v is not None and np.isfinite(v):
                theta[j] = float(v) * (self.scale[j] if j < self.p else 1.0)
                hit = True
        return theta if hit else None


# ----------------------------------------------------------------------------- separation


def separated_rows(design: CountDesign, *, max_rounds: int = 10) -> np.ndarray:
    """Rows with ``y = 0`` whose mean can be fitted to zero (separation), as a boolean mask.

    Correia, Guimaraes & Zylkin (2019): row ``i`` (``y_i = 0``) is separated when a direction
    ``gamma`` exists with ``x' gamma = 0`` on every row with ``y > 0``, ``x' gamma >= 0`` on
    every zero and ``x_i' gamma > 0``. See the module docstring for the method.
    """
    y = design.y
    out = np.zeros(design.n, dtype=bool)
    pos = y > 0
    # Full column rank of the rows with events: no separation possible.
    gram = design.xtwx(pos.astype(np.float64))
    evals, evecs = np.linalg.eigh(gram)
    top = float(evals[-1]) if len(evals) else 0.0
    null = evecs[:, evals <= 1e-9 * max(top, 1e-300)]
    if null.shape[1] == 0:
        return out
    zero_idx = np.flatnonzero(~pos)
    if len(zero_idx) == 0:
        return out
    Z = design.dense(zero_idx) @ null  # x_i' gamma on the zeros, gamma = null @ t
    active = np.ones(len(zero_idx), dtype=bool)
    for _ in range(max_rounds):
        A = Z[active]
        if len(A) == 0:
            break
        res = optimize.linprog(
            -A.sum(axis=0),
            A_ub=np.vstack([-A, A]),
            b_ub=np.concatenate([np.zeros(len(A)), np.ones(len(A))]),
            bounds=[(None, None)] * A.shape[1],
            method="highs",
        )
        if res.status != 0 or -res.fun <= 1e-7:
            break
        z = A @ res.x
        hit = z > 1e-7
        if not hit.any():
            break
        idx = np.flatnonzero(active)[hit]
        out[zero_idx[idx]] = True
        active[idx] = False
    return out
