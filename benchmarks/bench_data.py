"""Data-layer benchmark: cold build, warm rebuild and a naive read, in one run.

Run with ``make bench`` (or ``python benchmarks/bench_data.py``). Numbers are
reported as seconds and as ratios measured in the same run, never asserted:

* cold  - fetch (from the mirror) + build every core table into an empty data folder;
* warm  - the same build again with nothing changed (must do no work);
* naive - ``pandas.read_*`` / ``pyreadr.read_r`` of the same raw files, no validation;
* warm load - ``load()`` of every table in a fresh process state (each parquet checked against
  its manifest: size, and the recorded size/mtime/inode, so no re-hash), and what re-hashing
  every parquet (``peaceops data check``) and reading every parquet cost in the same run;
* peak RSS of the process.

Results are printed and written to ``benchmarks/results/data.json`` (git-ignored).
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path

from _common import write_results  # importing _common puts the project on sys.path


def naive_read(paths: list[Path]) -> float:
    import pandas as pd
    import pyreadr

    t0 = time.perf_counter()
    for p in paths:
        name = p.name.lower()
        if name.endswith((".csv", ".csv.gz")):
            sep = ";" if "semicolon" in name else ","
            pd.read_csv(p, sep=sep, low_memory=False, encoding_errors="replace")
        elif name.endswith(".xlsx"):
            pd.read_excel(p)
        elif name.endswith(".dta"):
            pd.read_stata(p)
        elif name.endswith(".rda"):
            pyreadr.read_r(str(p))
    return time.perf_counter() - t0


def main() -> dict:
    with tempfile.TemporaryDirectory() as td:
        os.environ["PEACEOPS_DATA_DIR"] = td
        from analysis.data import build
        from analysis.data.fetch import fetch
        from analysis.data.registry import raw_files

        t0 = time.perf_counter()
        fetch(progress=False)
        t_fetch = time.perf_counter() - t0
        t0 = time.perf_counter()
        cold = build(progress=False, fetch_missing=False)
        t_cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        warm = build(progress=False)
        t_warm = time.perf_counter() - t0
        t_naive = naive_read([f.local_path for f in raw_files()])
        from analysis.data import store

        names = store.table_names()
        store._parquet_sha256.cache_clear()
        t0 = time.perf_counter()
        for n in names:
            store.load(n)
        t_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        for n in names:
            store.read_table(store.specs()[n])
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        for n in names:
            spec = store.specs()[n]
            assert store.parquet_problem(spec, store.read_manifest(spec), full=True) is None
        t_hash = time.perf_counter() - t0
        parquet_mb = sum(store.parquet_path(store.specs()[n]).stat().st_size for n in names) / 2**20
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    res = {
        "fetch_s": round(t_fetch, 3),
        "cold_build_s": round(t_cold, 3),
        "warm_build_s": round(t_warm, 3),
        "naive_read_s": round(t_naive, 3),
        "tables_built_cold": len(cold.built),
        "tables_built_warm": len(warm.built),
        "ratio_cold_over_naive": round(t_cold / t_naive, 2),
        "ratio_warm_over_cold": round(t_warm / t_cold, 4),
        "ratio_warm_over_naive": round(t_warm / t_naive, 3),
        "warm_load_all_tables_s": round(t_load, 3),
        "read_parquet_all_tables_s": round(t_read, 3),
        "rehash_all_parquet_s": round(t_hash, 3),
        "parquet_mb": round(parquet_mb, 1),
        "ratio_rehash_over_read": round(t_hash / t_read, 3),
        "peak_rss_mb": round(rss_mb, 1),
        "slowest_tables": sorted(cold.seconds.items(), key=lambda kv: -kv[1])[:5],
    }
    write_results("data", res)
    return res


if __name__ == "__main__":
    r = main()
    for k, v in r.items():
        print(f"{k:26s} {v}")
