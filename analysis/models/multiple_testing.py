"""Romano-Wolf step-down p-values over a family of specifications (wild cluster bootstrap).

Romano-Wolf
-----------
:func:`romano_wolf` tests a family of specifications (each a fitted result, its data and its
term) with the *same* bootstrap weights per cluster label across the family, so the joint
dependence of the ``t*`` is kept, and returns the step-down adjusted p-values of Romano &
Wolf (2005, 2016): sort ``|t|`` in decreasing order; the ``k``-th adjusted p-value is
``P*(max_{l >= k} |t*_l| >= |t_k|)``, made monotone. Specifications whose status is not
``"ok"`` are listed and left out of the family.

The bootstrap of each member is that of :mod:`analysis.models.wild_bootstrap`
(percentile-t draws of the unrestricted fit, the same weights per cluster label).

References: Romano, J. P. & Wolf, M. (2005), Stepwise multiple testing as formalized data
snooping, *Econometrica* 73(4); (2016), Efficient computation of adjusted p-values for
resampling-based stepdown multiple testing, *Statistics & Probability Letters* 113.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ModelError
from analysis.models.inference import model_design, no_events
from analysis.models.results import ModelResult, single_threaded_blas
from analysis.models.wild_bootstrap import (
    BootstrapProblem,
    Weights,
    bootstrap_p_value,
    bootstrap_term,
    bootstrap_weights,
)

__all__ = ["Specification", "romano_wolf"]

# ----------------------------------------------------------------------------- Romano-Wolf


@dataclass
class Specification:
    """One member of a family of tests: a fitted result, the frame it was fitted on, its term."""

    result: ModelResult
    data: pd.DataFrame
    term: str


@single_threaded_blas
def romano_wolf(
    family: Mapping[str, Specification | tuple[ModelResult, pd.DataFrame, str]],
    *,
    reps: int = 9999,
    weights: Weights = "rademacher",
    seed: int = 12345,
) -> pd.DataFrame:
    """Romano-Wolf step-down adjusted p-values over a family of specifications.

    Parameters
    ----------
    family
        Label -> :class:`Specification` (or a ``(result, data, term)`` tuple). Every member
        must be clustered on labels of the same kind (e.g. mission ids): each cluster label
        gets the same bootstrap weight in every member.
    reps, weights, seed
        As in :func:`wild_cluster_bootstrap` (enumeration over the union of clusters when
        Rademacher and ``2^G <= reps``).

    Returns
    -------
    pandas.DataFrame
        One row per specification: ``specification``, ``term``, ``status``, ``reason``,
        ``estimate``, ``ratio``, ``t_stat``, ``p_value`` (single bootstrap),
        ``p_value_romano_wolf``, ``n_clusters``; the attrs record reps, weights, seed and
        whether the weights were enumerated. Members that are not ``"ok"`` have NaN numbers
        and are not part of the adjustment.
    """
    if not family:
        raise ValueError("family is empty")
    members: dict[str, Specification] = {}
    for label, m in family.items():
        members[label] = m if isinstance(m, Specification) else Specification(*m)
    problems: dict[str, tuple[BootstrapProblem, int] | str] = {}
    statuses: dict[str, tuple[str, str]] = {}
    for label, m in members.items():
        d = model_design(m.result, m.data)
        j = d.column(m.term)
        why = no_events(d, j)
        if why:
            statuses[label] = ("no events", why)
            continue
        problems[label] = (BootstrapProblem(d), j)
    all_labels = sorted({lab for p in problems.values() if not isinstance(p, str) for lab in p[0].labels})
    V_all, enumerated = bootstrap_weights(all_labels, reps, weights, seed)
    col = {lab: i for i, lab in enumerate(all_labels)}
    t_obs: dict[str, float] = {}
    t_boot: dict[str, np.ndarray] = {}
    info: dict[str, dict] = {}
    for label, pj in problems.items():
        assert not isinstance(pj, str)
        prob, j = pj
        V = V_all[:, [col[lab] for lab in prob.labels]]
        try:
            out = bootstrap_term(prob, j, V, enumerated, "percentile_t", 0.95, 0.0, members[label].result)
        except ModelError as e:
            statuses[label] = ("not estimable", e.reason)
            continue
        t_obs[label] = float(out["t_stat"])
        t_boot[label] = np.asarray(out["t_boot"])
        info[label] = {
            "estimate": out["estimate"],
            "ratio": out["ratio"],
            "p_value": bootstrap_p_value(t_boot[label], t_obs[label], enumerated),
            "n_clusters": prob.G,
        }
    adj = _romano_wolf_adjust(t_obs, t_boot, enumerated)
    rows = []
    for label, m in members.items():
        st, why = statuses.get(label, ("ok", ""))
        row: dict[str, Any] = {"specification": label, "term": m.term, "status": st, "reason": why}
        if st == "ok":
            row |= {"t_stat": t_obs[label], **info[label], "p_value_romano_wolf": adj[label]}
        rows.append(row)
    cols = [
        "specification",
        "term",
        "status",
        "reason",
        "estimate",
        "ratio",
        "t_stat",
        "p_value",
        "p_value_romano_wolf",
        "n_clusters",
    ]
    out_df = pd.DataFrame(rows).reindex(columns=cols)
    out_df.attrs.update(
        reps=len(V_all), weights=weights, seed=int(seed), enumerated=enumerated, clusters=len(all_labels)
    )
    return out_df


def _romano_wolf_adjust(
    t_obs: Mapping[str, float], t_boot: Mapping[str, np.ndarray], enumerated: bool
) -> dict:
    """Step-down adjusted p-values from observed ``t`` and bootstrap ``t*`` (same draws)."""
    labels = list(t_obs)
    if not labels:
        return {}
    T = np.abs(np.array([t_obs[k] for k in labels]))
    TB = np.abs(np.column_stack([t_boot[k] for k in labels]))
    order = np.argsort(-T, kind="stable")
    B = TB.shape[0]
    adj = np.empty(len(labels))
    prev = 0.0
    for step, idx in enumerate(order):
        rest = order[step:]
        mx = TB[:, rest].max(axis=1)
        hits = int(np.sum(mx >= T[idx] - 1e-12 * max(1.0, T[idx])))
        p = hits / B if enumerated else (1 + hits) / (1 + B)
        prev = max(prev, p)
        adj[idx] = prev
    return {k: float(adj[i]) for i, k in enumerate(labels)}
