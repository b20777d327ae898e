"""Sample encoding and design checks of the casualty models (:mod:`analysis.models.casualties`).

:func:`~analysis.models.casualties.casualty_design` selects the rows; the functions here encode
them as a :class:`~analysis.models.count_design.CountDesign` (fixed effects as index arrays,
clusters as codes) and refuse a design whose estimates would not exist: a term without
variation, a term collinear with the others (including the fixed effects), a binary term that
separates the outcome (:func:`check_separation`). Fixed-effect levels left collinear after
separated rows are dropped are merged into their reference (:func:`absorb_collinear_fe`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import ModelError
from analysis.models.count_design import CountDesign, FixedEffect
from analysis.models.results import check_full_rank, dependent_columns

__all__ = ["Encoded", "absorb_collinear_fe", "check_design", "check_rank", "check_separation", "encode"]


@dataclass
class Encoded:
    """An encoded sample: its count design and the number of levels of each fixed-effect dimension."""

    design: CountDesign
    fe_groups: dict


def encode(y, cols, terms, idx, fe_dims, fe_cols, ids, cluster, log_ex, label) -> Encoded:
    """Encode the rows ``idx`` as a :class:`CountDesign`.

    Dense block ``const`` + ``terms``; fixed effects and clusters factorised (sorted levels,
    the first the reference); ``log_ex`` (log exposure) as the offset.
    """
    X = np.empty((len(idx), 1 + len(terms)))
    X[:, 0] = 1.0
    for j, c in enumerate(terms, start=1):
        X[:, j] = cols[c][idx]
    fes, fe_groups = [], {}
    for d, c in zip(fe_dims, fe_cols):
        codes, levels = pd.factorize(ids[c].iloc[idx], sort=True)
        fes.append(FixedEffect(d, codes.astype(np.int64), list(levels)))
        fe_groups[d] = len(levels)
    groups, group_levels = None, None
    if cluster:
        codes, levels = pd.factorize(ids[cluster].iloc[idx], sort=True)
        groups, group_levels = codes.astype(np.int64), list(levels)
    offset = log_ex[idx] if log_ex is not None else None
    design = CountDesign(
        y, X, ["const"] + terms, fe=fes, offset=offset, groups=groups, group_levels=group_levels, label=label
    )
    return Encoded(design, fe_groups)


def absorb_collinear_fe(enc: Encoded) -> list[str]:
    """Merge fixed-effect levels collinear with the other fixed effects into their reference.

    Dropping separated rows can leave, e.g., a year observed in one mission only: its dummy
    then equals a combination of the others. Dropping that column is the same as counting
    the level with the reference level. Only fixed-effect columns are merged (a collinear
    treatment or control still raises ``ModelError``). Returns the names merged.
    """
    d = enc.design
    if not d.fe:
        return []
    order = [0] + list(range(d.p, d.k))
    dep = [j for j in dependent_columns(d.dense(scaled=False)[:, order], None)]
    names = [d.names[order[j]] for j in dep]
    if not names:
        return []
    fes = []
    for f, (a, b) in zip(d.fe, d._fe_slices):
        drop_levels = {j - a + 1 for j in (order[i] for i in dep) if a <= j < b}
        if not drop_levels:
            fes.append(f)
            continue
        codes = f.codes.copy()
        for lv in drop_levels:
            codes[codes == lv] = 0
        keep = [i for i in range(f.n_levels) if i not in drop_levels]
        remap = np.zeros(f.n_levels, dtype=np.int64)
        remap[keep] = np.arange(len(keep))
        fes.append(FixedEffect(f.name, remap[codes], [f.levels[i] for i in keep]))
    enc.design = CountDesign(
        d.y, d.X, d.dense_names, fe=fes, offset=d.offset, groups=d.groups, group_levels=d.group_levels,
        label=d.label,
    )
    enc.fe_groups = {f.name: f.n_levels for f in fes}
    return names


def check_design(enc: Encoded, terms: list[str], treat: list[str], label: str) -> None:
    """Raise :class:`ModelError` for a term without variation, collinearity or binary separation."""
    d = enc.design
    X = d.X
    for j, c in enumerate(terms, start=1):
        if np.ptp(X[:, j]) == 0:
            raise ModelError(label, f"{c!r} has no variation in the estimation sample (always {X[0, j]:g})")
    check_rank(d, len(treat), label)
    fe_ids = {f.name: f.codes for f in d.fe}
    check_separation(d.y, X[:, 1:], terms, label, fe_ids, levels={f.name: f.levels for f in d.fe})


def check_rank(d: CountDesign, n_treat: int, label: str) -> None:
    """Full column rank, or :class:`ModelError` naming the dependent terms.

    A cheap screen first (eigenvalues of the unit-scaled Gram matrix); only a design that
    fails it gets the exact SVD-based check of :func:`check_full_rank`.
    """
    gram = d.xtwx(np.ones(d.n))
    if d.n >= d.k:
        ev = np.linalg.eigvalsh(gram)
        if ev[0] > 1e-10 * ev[-1]:
            return
    k_terms = d.p
    order = [0] + list(range(k_terms, d.k)) + list(range(n_treat + 1, k_terms)) + list(range(1, n_treat + 1))
    check_full_rank(d.dense(scaled=False), d.names, label, order)


def check_separation(
    y: np.ndarray,
    X: np.ndarray,
    names: Sequence[str],
    label: str,
    fe: dict[str, np.ndarray] | None = None,
    levels: dict[str, Sequence] | None = None,
) -> None:
    """Raise :class:`ModelError` when a binary term separates the outcome.

    Without fixed effects: the outcome is zero in every row where the term is 1 (or 0),
    so its coefficient diverges. With fixed effects of a dimension ``d`` (``fe[d]`` = the
    group of each row) the coefficient is identified only within the groups where the term
    varies; if, in those groups, every event falls on one value of the term, the
    coefficient diverges too (together with the FE of those groups), whatever the other
    terms. The message names the groups (``levels[d][code]`` when ``fe[d]`` holds integer
    codes).
    """
    for j, n in enumerate(names):
        x = X[:, j]
        if not np.isin(x, (0.0, 1.0)).all():
            continue
        for v, side in ((1.0, "-inf"), (0.0, "+inf")):
            if (x == v).any() and y[x == v].sum() == 0:
                raise ModelError(
                    label,
                    f"the outcome is zero in every row where {n!r} = {int(v)}: its coefficient diverges to "
                    f"{side} (separation); the ratio is not estimable",
                )
        for d, g in (fe or {}).items():
            lv = (levels or {}).get(d)
            if lv is None:
                lv_arr, codes = np.unique(np.asarray(g), return_inverse=True)
                lv = list(lv_arr)
            else:
                codes = np.asarray(g)
            m = len(lv)
            count = np.bincount(codes, minlength=m)
            ones = np.bincount(codes, x, minlength=m)
            varies_g = (ones > 0) & (ones < count)
            varies = varies_g[codes]
            groups = sorted(str(lv[int(i)]) for i in np.flatnonzero(varies_g))
            shown = ", ".join(groups[:8]) + (", ..." if len(groups) > 8 else "")
            if not varies.any():
                raise ModelError(
                    label, f"{n!r} does not vary within any {d} group: not identified with {d} fixed effects"
                )
            for v, side in ((1.0, "-inf"), (0.0, "+inf")):
                if y[varies & (x == v)].sum() == 0:
                    msg = (
                        f"with {d} fixed effects {n!r} is identified only within the {len(groups)} {d} "
                        f"groups where it varies ({shown}), and there the outcome is zero in every row where "
                        f"{n!r} = {int(v)}: its coefficient diverges to {side} (separation); the ratio is "
                        "not estimable"
                    )
                    raise ModelError(label, msg)
