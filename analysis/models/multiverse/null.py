"""Joint inference on a specification curve under the null: re-estimate it on permuted treatments.

Simonsohn, Simmons & Nelson (2020) ask whether the curve as a whole is more extreme than curves
on data where the null is true by construction. Here the null data are the panel with every
treatment column (all coding sources together) permuted within year
(:meth:`~analysis.models.multiverse.data.SpecData.permuted`; the mission panels move a
mission's months of one year as a block), which keeps the outcome, controls, exposures and
panel structure and breaks any link between treatment and outcome. Each of ``resamples``
permutations re-estimates every specification; three statistics of each curve are compared
with the observed one, in the direction of the headline's sign ``s``:

* the median estimate (``s * median``);
* the share of specifications significant at 5% with the headline's sign;
* Stouffer's Z, ``s * sum(z_i) / sqrt(n)`` over the specifications that could be estimated.

The p-value of each is ``(1 + #{resamples at least as extreme}) / (1 + resamples)``. The number
of resamples is a parameter: 500 give p-values to about +-0.02 near 0.05, but cost 500 curves
(``benchmarks/bench_multiverse.py`` projects the time; a Dask cluster is the tool for it).
Results of each permutation are cached like observed ones, so the null step resumes too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.models.multiverse.cache import ResultCache
from analysis.models.multiverse.data import SpecData
from analysis.models.multiverse.execute import CHUNK_SIZE, Backend, run_jobs
from analysis.models.multiverse.spec import Spec
from analysis.models.multiverse.summary import ALPHA

__all__ = ["NullResult", "curve_statistics", "null_seeds", "null_test"]

STATISTICS = ("median", "share_significant", "stouffer")


def curve_statistics(estimate: np.ndarray, std_error: np.ndarray, p_value: np.ndarray, sign: int) -> dict:
    """The three statistics of one curve in the direction ``sign`` (+1 / -1) over finite rows."""
    b, se, p = (np.asarray(x, dtype=float) for x in (estimate, std_error, p_value))
    ok = np.isfinite(b) & np.isfinite(se) & (se > 0)
    b, se, p = b[ok], se[ok], p[ok]
    if not len(b):
        return {"median": np.nan, "share_significant": np.nan, "stouffer": np.nan, "n": 0}
    z = b / se
    return {"median": float(sign * np.median(b)),
            "share_significant": float(np.mean((p < ALPHA) & (np.sign(b) == sign))),
            "stouffer": float(sign * z.sum() / np.sqrt(len(z))), "n": int(len(b))}


def null_seeds(seed: int, resamples: int) -> list[int]:
    """``resamples`` independent permutation seeds derived from ``seed`` (stable)."""
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(resamples)]


@dataclass
class NullResult:
    """Observed curve statistics, their null distribution and the p-values."""

    observed: dict[str, float]
    null: pd.DataFrame
    p_values: dict[str, float]
    sign: int
    resamples: int
    specs: int
    run: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary (no per-resample table)."""
        return {"observed": self.observed, "p_values": self.p_values, "sign": self.sign,
                "resamples": self.resamples, "specs": self.specs}


def null_test(
    specs: Sequence[Spec],
    data: SpecData,
    observed: pd.DataFrame,
    *,
    resamples: int,
    sign: int,
    seed: int = 20260801,
    backend: Backend = "joblib",
    n_jobs: int | None = None,
    scheduler: Any = None,
    cache: str | Path | ResultCache | None = None,
    progress: bool = True,
    chunk_size: int = CHUNK_SIZE,
) -> NullResult:
    """Permutation test of a whole specification curve (see the module docstring).

    Parameters
    ----------
    specs
        The specifications of the curve (those of ``observed``, or a subset of them).
    data
        The data the observed curve was fitted on.
    observed
        :func:`fit_many`'s frame of the observed curve (rows of ``specs`` are used).
    resamples
        Number of permutations (>= 1).
    sign
        Direction of the headline (+1 or -1).
    seed
        Base seed; the permutations are :func:`null_seeds`.
    backend, n_jobs, scheduler, cache, progress, chunk_size
        As for :func:`~analysis.models.multiverse.execute.fit_many`.
    """
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 1:
        raise ValueError(f"resamples must be a positive integer; got {resamples!r}")
    if sign not in (1, -1):
        raise ValueError(f"sign must be +1 or -1; got {sign!r}")
    ids = {s.id for s in specs}
    obs_rows = observed[observed["spec_id"].isin(ids) & (observed["status"] == "ok")]
    obs = curve_statistics(obs_rows["estimate"], obs_rows["std_error"], obs_rows["p_value"], sign)
    seeds = null_seeds(seed, resamples)
    rc = cache if isinstance(cache, ResultCache) or cache is None else ResultCache(cache)
    rows, stats = run_jobs(data, specs, seeds=seeds, backend=backend, n_jobs=n_jobs, scheduler=scheduler,
                           cache=rc, progress=progress, chunk_size=chunk_size, desc="null resamples")
    # rows in the order of the specifications, not in the order the chunks came back from the workers:
    # Stouffer's sum (floating point) would otherwise change in its last bits from run to run
    keys = list(dict.fromkeys(s.key() for s in specs))
    by_seed: dict[int, list[dict]] = {
        s: [row for k in keys if (row := rows[(s, k)]).get("status") == "ok"] for s in seeds
    }
    recs = []
    for i, s in enumerate(seeds):
        r = by_seed[s]
        st = curve_statistics(np.array([x["estimate"] for x in r], dtype=float),
                              np.array([x["std_error"] for x in r], dtype=float),
                              np.array([x["p_value"] for x in r], dtype=float), sign)
        recs.append({"resample": i, "seed": s, **st})
    null = pd.DataFrame(recs)
    pv = {}
    for k in STATISTICS:
        v = null[k].to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        pv[k] = float((1 + np.sum(v >= obs[k])) / (1 + len(v))) if np.isfinite(obs[k]) else float("nan")
    return NullResult(observed=obs, null=null, p_values=pv, sign=sign, resamples=resamples, specs=len(ids),
                      run=stats)
