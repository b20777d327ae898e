"""Run many specifications: one execution path, three backends, a result cache and a progress bar.

:func:`fit_many` is the entry point. Specifications are put in an order where neighbours share
frames and designs (:func:`~analysis.models.multiverse.fit.chunk_order`) and cut into chunks of
``chunk_size``; each chunk is fitted on one worker. A specification's numbers do not depend on
its chunk, on what its worker fitted before or on the backend and number of workers (no warm
starts between specifications, caches that give what a fresh build gives), so the serial, joblib
and Dask backends, a resumed run and a subset give identical bits.

Backends
--------
* ``"serial"``: in this process.
* ``"joblib"`` (default): local worker processes (``loky``), ``n_jobs`` of them (default: all
  cores). The data are pickled once to a temporary file; each worker process loads it once
  per run and keeps it for every chunk of the run it is given.
* ``"dask"``: Dask distributed. ``scheduler="tcp://HOST:PORT"`` (or a ``distributed.Client``)
  uses a running cluster; without it a ``LocalCluster`` of ``n_jobs`` single-threaded worker
  processes is started for the run and closed after it. The data are scattered to every
  worker once (``Client.scatter(..., broadcast=True)``); tasks carry only a reference.
  Dask is the optional extra ``peaceops[dask]``.

Results are cached per specification (:class:`~analysis.models.multiverse.cache.ResultCache`)
as each chunk comes back; a rerun with the same cache folder refits only what is missing.
The progress bar counts specifications done (fitted or from the cache), failed (any status but
``ok``) and the rate.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, overload

import pandas as pd

from analysis.models.multiverse.cache import ResultCache, model_code_version
from analysis.models.multiverse.data import SpecData
from analysis.models.multiverse.fit import KEPT, RESULT_COLUMNS, KeptResult, _Worker, chunk_order, fit_chunk
from analysis.models.multiverse.spec import Spec
from analysis.vocabulary import check_option

__all__ = ["CHUNK_SIZE", "Backend", "fit_many", "result_key", "run_jobs", "spec_columns"]

Backend = Literal["serial", "joblib", "dask"]

#: Specifications per task (the caches of a worker pay off within a chunk of neighbours). Results
#: do not depend on it.
CHUNK_SIZE = 24

Job = tuple[int | None, tuple[Spec, ...], bool]  # (permutation seed or None, specifications, keep fits)

# ----------------------------------------------------------------------------- worker side

_DATA: OrderedDict[str, SpecData] = OrderedDict()
_WORKER = _Worker()


def _variant(data: SpecData, seed: int | None) -> SpecData:
    if seed is None:
        return data
    key = f"{data.key()}|{seed}"
    hit = _DATA.get(key)
    if hit is None:
        hit = data.permuted(seed)
        _DATA[key] = hit
        while len(_DATA) > 4:
            _DATA.popitem(last=False)
    return hit


def _run_job(data: SpecData, seed: int | None, specs: Sequence[Spec],
             keep: bool = False) -> list[dict[str, Any]]:
    """Fit one chunk on this worker (its frame and design caches kept from chunk to chunk)."""
    return fit_chunk(_variant(data, seed), specs, worker=_WORKER, keep=keep)


def _run_job_from_file(path: str, key: str, seed: int | None, specs: Sequence[Spec],
                       keep: bool = False) -> list[dict[str, Any]]:
    """Joblib task: load the shipped data once per process and run (``key``), then fit."""
    data = _DATA.get(key)
    if data is None:
        with open(path, "rb") as fh:
            data = pickle.load(fh)
        _DATA[key] = data
        while len(_DATA) > 4:
            _DATA.popitem(last=False)
    return _run_job(data, seed, specs, keep)


# ----------------------------------------------------------------------------- backends


def _jobs(specs: Sequence[Spec], seeds: Iterable[int | None], chunk_size: int,
          keep: bool = False) -> list[Job]:
    order = chunk_order(specs)
    chunks = [tuple(specs[i] for i in order[a:a + chunk_size]) for a in range(0, len(order), chunk_size)]
    return [(seed, c, keep) for seed in seeds for c in chunks]


def _serial(data: SpecData, jobs: list[Job], n_jobs: int, scheduler: Any) -> Iterable[tuple[Job, list]]:
    for job in jobs:
        yield job, _run_job(data, *job)


def _joblib(data: SpecData, jobs: list[Job], n_jobs: int, scheduler: Any) -> Iterable[tuple[Job, list]]:
    from joblib import Parallel, delayed

    with tempfile.TemporaryDirectory(prefix="peaceops-multiverse-") as tmp:
        path = os.path.join(tmp, "data.pkl")
        with open(path, "wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        key = f"{data.key()}|{os.getpid()}|{time.monotonic_ns()}"  # this run's copy, loaded once per worker
        par = Parallel(n_jobs=n_jobs, backend="loky", return_as="generator_unordered", batch_size=1)
        tasks = (delayed(_tagged)(i, path, key, seed, specs, keep)
                 for i, (seed, specs, keep) in enumerate(jobs))
        for i, rows in par(tasks):
            yield jobs[i], rows


def _tagged(i: int, path: str, key: str, seed: int | None, specs: Sequence[Spec],
            keep: bool = False) -> tuple[int, list]:
    return i, _run_job_from_file(path, key, seed, specs, keep)


def _dask(data: SpecData, jobs: list[Job], n_jobs: int, scheduler: Any) -> Iterable[tuple[Job, list]]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as e:  # pragma: no cover - the dev install has it
        raise ImportError("backend='dask' needs Dask distributed: pip install 'peaceops[dask]'") from e
    own: list[Any] = []
    if scheduler is None:
        cluster = LocalCluster(n_workers=n_jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
        own = [client, cluster]
    elif isinstance(scheduler, str):
        client = Client(scheduler)
        own = [client]
    else:
        client = scheduler
    try:
        shipped = client.scatter(data, broadcast=True, hash=False)
        futures = {client.submit(_run_job, shipped, seed, specs, keep, pure=False): i
                   for i, (seed, specs, keep) in enumerate(jobs)}
        for fut in as_completed(futures):
            yield jobs[futures[fut]], fut.result()
    finally:
        for obj in own:
            obj.close()


_BACKENDS: dict[str, Callable[..., Iterable[tuple[Job, list]]]] = {
    "serial": _serial, "joblib": _joblib, "dask": _dask,
}


def _n_jobs(n_jobs: int | None) -> int:
    n = os.cpu_count() or 1
    if n_jobs is None or n_jobs == -1:
        return n
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive integer or -1 (all cores); got {n_jobs!r}")
    return n_jobs


def result_key(spec: Spec, data: SpecData) -> str:
    """Cache key of ``spec`` on ``data``: its model fields salted with the data and code versions."""
    return spec.key(f"{data.key()}|{model_code_version()}")


def run_jobs(
    data: SpecData,
    specs: Sequence[Spec],
    *,
    seeds: Sequence[int | None] = (None,),
    backend: Backend = "joblib",
    n_jobs: int | None = None,
    scheduler: Any = None,
    cache: ResultCache | None = None,
    progress: bool = True,
    chunk_size: int = CHUNK_SIZE,
    desc: str = "specifications",
    keep_results: bool = False,
) -> tuple[dict[tuple[int | None, str], dict[str, Any]], dict[str, Any]]:
    """Fit every spec on ``data`` (``None``) and on its permutations (int seeds).

    Returns the rows by ``(seed, spec key)`` and run statistics (backend, workers, seconds,
    fitted, cached, failed, fits per second). With ``keep_results`` every spec is fitted (the
    cache is written, not read: a cached row has no fit) and each ``ok`` row holds its
    :class:`~analysis.models.multiverse.fit.KeptResult` under :data:`~analysis.models.multiverse.fit.KEPT`.
    """
    check_option("backend", backend, Backend)
    n = _n_jobs(n_jobs)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer; got {chunk_size!r}")
    uniq: dict[str, Spec] = {}
    for s in specs:
        uniq.setdefault(s.key(), s)
    code = model_code_version()
    dkeys = {seed: data.variant_key(seed) for seed in seeds}  # permutations are built on the workers
    keys = {(seed, k): s.key(f"{dkeys[seed]}|{code}") for seed in seeds for k, s in uniq.items()}
    out: dict[tuple[int | None, str], dict[str, Any]] = {}
    if cache is not None and not keep_results:
        have = cache.get_many(keys.values())
        for sk, ck in keys.items():
            if ck in have:
                out[sk] = {**have[ck], "cached": True}
    todo = {seed: [s for k, s in uniq.items() if (seed, k) not in out] for seed in seeds}
    jobs = [job for seed in seeds for job in _jobs(todo[seed], [seed], chunk_size, keep_results)]
    total = len(keys)
    failed = sum(r.get("status") != "ok" for r in out.values())
    t0 = time.perf_counter()
    fitted = 0
    # progress=False always silences the bar; so does tqdm's TQDM_DISABLE, which the report runner
    # sets (a bar's output depends on timing: executed notebooks would differ from run to run).
    # Read here, not left to tqdm, which reads it once when it is imported.
    quiet = not progress or os.environ.get("TQDM_DISABLE", "").strip().lower() in ("1", "true", "yes")
    # tqdm.auto only for a bar that shows: in a Jupyter kernel without ipywidgets (the report kernels)
    # importing it prints a warning with the environment's path into the notebook's output
    if quiet:
        from tqdm import tqdm
    else:
        from tqdm.auto import tqdm
    bar = tqdm(total=total, initial=len(out), desc=desc, unit="spec", disable=quiet, smoothing=0.1)
    try:
        if jobs:
            for (seed, chunk, _keep), rows in _BACKENDS[backend](data, jobs, n, scheduler):
                for s, row in zip(chunk, rows):
                    row = {**row, "cached": False}
                    out[(seed, s.key())] = row
                    if cache is not None:
                        cache.put(keys[(seed, s.key())], {k: v for k, v in row.items() if k != KEPT})
                    failed += row["status"] != "ok"
                fitted += len(rows)
                bar.update(len(rows))
                el = time.perf_counter() - t0
                bar.set_postfix(failed=failed, fits_per_s=f"{fitted / el:.1f}" if el > 0 else "-")
    finally:
        bar.close()
    seconds = time.perf_counter() - t0
    stats = {"backend": backend, "n_jobs": 1 if backend == "serial" else n, "seconds": seconds,
             "fitted": fitted, "cached": total - fitted, "failed": failed, "specs": total,
             "fits_per_second": fitted / seconds if seconds > 0 and fitted else None}
    return out, stats


def spec_columns(spec: Spec) -> dict[str, Any]:
    """The spec's fields as flat, readable columns of the result frame."""
    return {
        "outcome": spec.outcome, "outcome_source": spec.outcome_source, "treatment": spec.treatment,
        "coding": spec.coding, "filled": spec.filled, "controls": "+".join(spec.controls) or "none",
        "fe": "+".join(spec.fe) or "none",
        "filters": "; ".join(f"{c} {op} {list(v) if isinstance(v, tuple) else v}"
                             for c, op, v in spec.filters) or "none",
        "unit": spec.unit, "window": f"{spec.window[0]}-{spec.window[1]}" if spec.window else "all",
        "lag": spec.lag, "exposure": spec.exposure or "none", "estimator": spec.estimator, "se": spec.se,
    }


@overload
def fit_many(
    specs: Sequence[Spec], data: SpecData, *, backend: Backend = ..., n_jobs: int | None = ...,
    scheduler: Any = ..., cache: str | Path | ResultCache | None = ..., progress: bool = ...,
    chunk_size: int = ..., keep_results: Literal[False] = ...,
) -> pd.DataFrame: ...


@overload
def fit_many(
    specs: Sequence[Spec], data: SpecData, *, backend: Backend = ..., n_jobs: int | None = ...,
    scheduler: Any = ..., cache: str | Path | ResultCache | None = ..., progress: bool = ...,
    chunk_size: int = ..., keep_results: Literal[True],
) -> tuple[pd.DataFrame, dict[str, KeptResult]]: ...


def fit_many(
    specs: Sequence[Spec],
    data: SpecData,
    *,
    backend: Backend = "joblib",
    n_jobs: int | None = None,
    scheduler: Any = None,
    cache: str | Path | ResultCache | None = None,
    progress: bool = True,
    chunk_size: int = CHUNK_SIZE,
    keep_results: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, dict[str, KeptResult]]:
    """Fit every specification and return one tidy frame, one row per spec (in the order given).

    Parameters
    ----------
    specs
        The specifications (e.g. ``grid.specs()``); duplicates are fitted once.
    data
        The panel and its rules (:class:`~analysis.models.multiverse.data.SpecData`, or a
        study's subclass).
    backend
        ``"serial"``, ``"joblib"`` (default; local processes) or ``"dask"`` (distributed).
    n_jobs
        Workers (default / ``-1``: all cores). With ``"dask"`` and no ``scheduler``, the size of
        the ``LocalCluster`` started for the run.
    scheduler
        Dask scheduler address (``"tcp://HOST:PORT"``) or a ``distributed.Client``.
    cache
        Folder (or :class:`ResultCache`) of per-specification results: finished specs are
        read from it and new ones written as they finish (resume after an interruption).
    progress
        Show a progress bar (done, failed, fits per second).
    chunk_size
        Specifications per task.
    keep_results
        Also return the fits: what needs the fitted model itself (the Romano-Wolf adjustment of
        :func:`~analysis.models.multiple_testing.romano_wolf`, a bootstrap, predictions) takes
        them from here instead of refitting. Every spec is then fitted (the cache is written,
        never read: a cached row holds no fit), and each fit comes back from its worker with
        its estimation frame.

    Returns
    -------
    pandas.DataFrame, or (pandas.DataFrame, dict) with ``keep_results``
        One column per grid dimension (the spec's ``choices``; a dimension named like a spec
        field, e.g. ``treatment``, holds the grid's label), the other fields of the spec
        (:func:`spec_columns`), then ``spec_id, status, reason, term, estimate, std_error,
        ci_low, ci_high, ratio, ratio_ci_low, ratio_ci_high, p_value, nobs, n_clusters, events,
        events_treated, treated_n, seconds, cached``. ``attrs["run"]`` holds the run statistics,
        ``attrs["dimensions"]`` the dimension names, ``attrs["data_key"]`` the data's key.
        With ``keep_results``, also ``spec_id -> KeptResult`` of every ``ok`` spec, in the order
        of ``specs`` (a :class:`~analysis.models.multiple_testing.Specification`: ``result``, the
        :class:`~analysis.models.results.ModelResult`; ``data``, the frame it was fitted on;
        ``term``, the treatment column; plus ``spec``). A spec that is not ``ok`` has no entry;
        its row keeps its status and reason.
    """
    rc = cache if isinstance(cache, ResultCache) or cache is None else ResultCache(cache)
    rows, stats = run_jobs(data, specs, backend=backend, n_jobs=n_jobs, scheduler=scheduler, cache=rc,
                           progress=progress, chunk_size=chunk_size, keep_results=keep_results)
    by_key = {k: v for (seed, k), v in rows.items()}
    frame = results_frame(specs, by_key, stats, data)
    if not keep_results:
        return frame
    kept: dict[str, KeptResult] = {}
    for s in specs:
        k = by_key[s.key()].get(KEPT)
        if k is not None and s.id not in kept:
            kept[s.id] = k if k.spec.choices == s.choices else dataclasses.replace(k, spec=s)
    return frame, kept


def results_frame(specs: Sequence[Spec], rows: dict[str, dict[str, Any]], stats: dict[str, Any],
                  data: SpecData | None) -> pd.DataFrame:
    """The tidy frame of :func:`fit_many` from rows keyed by :meth:`Spec.key`."""
    dims = list(dict.fromkeys(k for s in specs for k, _ in s.choices))
    records = []
    for s in specs:
        r = rows[s.key()]
        rec: dict[str, Any] = dict.fromkeys(dims)
        rec.update({k: v for k, v in spec_columns(s).items() if k not in dims})
        rec.update(dict(s.choices))
        rec.update({c: r.get(c) for c in RESULT_COLUMNS})
        rec["cached"] = bool(r.get("cached", False))
        records.append(rec)
    cols = dims + [c for c in spec_columns(specs[0]) if c not in dims] if specs else []
    frame = pd.DataFrame.from_records(records, columns=cols + list(RESULT_COLUMNS) + ["cached"])
    for c in ("estimate", "std_error", "ci_low", "ci_high", "ratio", "ratio_ci_low", "ratio_ci_high",
              "p_value", "events", "events_treated", "seconds"):
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
    for c in ("nobs", "n_clusters", "treated_n"):
        frame[c] = pd.array(frame[c].tolist(), dtype="Int64")
    frame.attrs["run"] = stats
    frame.attrs["dimensions"] = dims
    frame.attrs["data_key"] = data.key() if data is not None else None
    return frame
