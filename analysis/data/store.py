"""Build core tables into parquet with content-hash caching and atomic writes.

A table is rebuilt only when its *build key* changes. The key hashes

* the sha256 of every registered raw file of the table's sources,
* the code version: a hash of the data-producing ``.py`` files of the package
  (:data:`DATA_CODE`) and of the registry,
* the bytes of the curated tables (``data/curated/*.csv``) it reads,
* the build keys of the core tables it depends on.

Each output is written to a temporary file and renamed. The manifest (``<name>.json``: key,
rows, columns, primary key, and the size and sha256 of the new parquet) is renamed into place
*before* the parquet, and a cached parquet is trusted only when it matches its manifest: same
size and, unless its size, modification time and inode are those recorded when it was written,
the same sha256. So a kill between the two renames, a truncated or corrupt parquet, or a
parquet and manifest of different builds are detected, and that table is rebuilt (the build
report and :func:`load` say why), never served as fresh. Temporary files of killed writes are
removed at the start of the next build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.config import curated_dir, processed_dir, registry_path
from analysis.data.faults import fault_point
from analysis.data.hashing import atomic_path, atomic_write_text, code_hash, remove_stale_temps, sha256_file
from analysis.data.registry import source_meta
from analysis.data.tables import TableSpec, specs
from analysis.errors import BuildError, DataError

log = logging.getLogger(__name__)


#: Parts of the package that produce data; changes elsewhere (models, plots, runner) do not
#: invalidate built tables.
DATA_CODE = ("data", "sources", "core", "panels", "curated", "config.py", "vocabulary.py")


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the data-producing code (:data:`DATA_CODE`: ``.py`` files and the rule tables
    ``.yaml``/``.csv`` beside them) and the registry (:func:`code_hash`)."""
    return code_hash(DATA_CODE, extra=[registry_path()], suffixes=(".py", ".yaml", ".csv"))


def table_names() -> list[str]:
    """Names of every declared table in dependency order: core tables before panels, and
    alphabetical where dependencies allow (independent of import order)."""
    all_specs = specs()
    return _order(all_specs, sorted(all_specs, key=lambda n: (all_specs[n].layer != "core", n)))


def depends_on(spec: TableSpec, all_specs: dict[str, TableSpec]) -> tuple[str, ...]:
    """Tables ``spec`` needs first: its declared dependencies, then the authority tables of the
    foreign keys of the curated files it reads (checked before it is built)."""
    from analysis.curated.keys import authority_tables

    extra = [t for t in authority_tables(spec.curated)
             if t in all_specs and t not in spec.depends and t != spec.name]
    return (*spec.depends, *extra)


def _order(all_specs: dict[str, TableSpec], names: Iterable[str]) -> list[str]:
    out: list[str] = []
    visiting: set[str] = set()

    def visit(n: str) -> None:
        if n in out:
            return
        if n not in all_specs:
            raise KeyError(f"unknown table {n!r}; known: {', '.join(sorted(all_specs))}")
        if n in visiting:
            raise BuildError(f"dependency cycle at table {n!r}")
        visiting.add(n)
        for d in depends_on(all_specs[n], all_specs):
            visit(d)
        visiting.discard(n)
        out.append(n)

    for n in names:
        visit(n)
    return out


def table_dir(spec: TableSpec) -> Path:
    """Folder of the table's layer (``data/processed/<layer>``)."""
    return processed_dir() / spec.layer


def parquet_path(spec: TableSpec) -> Path:
    """Parquet file of the table."""
    return table_dir(spec) / f"{spec.name}.parquet"


def manifest_path(spec: TableSpec) -> Path:
    """Manifest (build key, rows, columns, size and sha256 of the parquet), renamed into place
    before the parquet."""
    return table_dir(spec) / f"{spec.name}.json"


def build_key(name: str, _memo: dict[str, str] | None = None) -> str:
    """Content hash deciding whether table ``name`` must be rebuilt."""
    memo = {} if _memo is None else _memo
    if name in memo:
        return memo[name]
    spec = specs()[name]
    h = hashlib.sha256()
    h.update(code_version().encode())
    for s in sorted(spec.sources):
        for f in source_meta(s).files:
            h.update(f"{f.key}:{f.sha256}".encode())
    for c in sorted(spec.curated):
        h.update(f"curated/{c}:".encode())
        h.update((curated_dir() / c).read_bytes())
    for d in sorted(depends_on(spec, specs())):
        h.update(f"{d}:{build_key(d, memo)}".encode())
    memo[name] = h.hexdigest()[:20]
    return memo[name]


def read_manifest(spec: TableSpec) -> dict | None:
    """The table's manifest, or ``None`` when absent or unreadable."""
    p = manifest_path(spec)
    if not p.is_file():
        return None
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None


@lru_cache(maxsize=256)
def _parquet_sha256(path: str, size: int, mtime_ns: int, inode: int) -> str:
    return sha256_file(path)


def parquet_problem(spec: TableSpec, manifest: dict, *, full: bool = False) -> str | None:
    """Why the table's parquet cannot be trusted as the file its manifest describes (``None``: it can).

    The size must match the manifest. The sha256 is compared too, except when the file's size,
    modification time and inode are those recorded when it was written (an unchanged file is
    not re-hashed: warm loads stay cheap); ``full`` always re-hashes (``peaceops data check``).
    """
    p = parquet_path(spec)
    rec = manifest.get("parquet")
    if not isinstance(rec, dict) or not rec.get("sha256"):
        return f"its manifest {manifest_path(spec).name} records no content hash (an older build)"
    try:
        st = p.stat()
    except FileNotFoundError:
        return f"{p} is missing"
    if st.st_size != rec.get("bytes"):
        return f"{p} does not match its manifest: {st.st_size} bytes, the manifest says {rec.get('bytes')}"
    if full:
        found = sha256_file(p)
    elif (st.st_mtime_ns, st.st_ino) == (rec.get("mtime_ns"), rec.get("inode")):
        return None
    else:
        found = _parquet_sha256(str(p), st.st_size, st.st_mtime_ns, st.st_ino)
    if found != rec["sha256"]:
        return (f"{p} does not match its manifest: sha256 {found[:16]}..., the manifest says "
                f"{rec['sha256'][:16]}...")
    return None


def freshness(spec: TableSpec, key: str, *, full: bool = False) -> str | None:
    """Why the table must be (re)built (``None``: its cached parquet is current and intact).

    ``"not built yet"``, ``"inputs changed"`` (the build key differs from the manifest's), or
    the :func:`parquet_problem` of a parquet that does not match its manifest.
    """
    m = read_manifest(spec)
    if m is None:
        return "not built yet"
    if m.get("build_key") != key:
        return "inputs changed"
    return parquet_problem(spec, m, full=full)


def is_fresh(spec: TableSpec, key: str) -> bool:
    """Whether the cached parquet was built with build key ``key`` and matches its manifest."""
    return freshness(spec, key) is None


def read_table(spec: TableSpec) -> pd.DataFrame:
    """The table's parquet as a DataFrame; an unreadable file is a :class:`DataError` saying what to do."""
    p = parquet_path(spec)
    try:
        return pd.read_parquet(p)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise DataError(p, f"cannot be read ({type(exc).__name__}: {exc}); rebuild it with "
                           f"`peaceops data build --force {spec.name}`") from exc


def check_primary_key(df: pd.DataFrame, spec: TableSpec) -> None:
    """Raise if the primary key has missing or duplicated values."""
    pk = list(spec.primary_key)
    missing = [c for c in pk if c not in df.columns]
    if missing:
        raise BuildError(f"table {spec.name}: primary-key column(s) {missing} missing")
    na = df[pk].isna().any(axis=1)
    if na.any():
        raise BuildError(f"table {spec.name}: primary key {pk} missing in row {df.index[na][0]}")
    dup = df.duplicated(pk, keep=False)
    if dup.any():
        ex = df.loc[dup, pk].head(4).to_dict("records")
        raise BuildError(f"table {spec.name}: primary key {pk} not unique ({int(dup.sum())} rows), e.g. {ex}")


def _run_builder(spec: TableSpec, deps: dict[str, pd.DataFrame]) -> pd.DataFrame:
    from analysis.sources._base import validate

    try:
        df = spec.builder({d: deps[d] for d in spec.depends})
    except Exception as exc:
        raise BuildError(f"step {spec.name!r} failed: {type(exc).__name__}: {exc}") from exc
    df = df.reset_index(drop=True)
    check_primary_key(df, spec)
    try:
        return validate(df, spec.schema, f"<core table {spec.name}>")
    except DataError as exc:
        raise BuildError(f"step {spec.name!r} failed: {exc}") from exc


def check_curated_keys(spec: TableSpec, get: Callable[[str], pd.DataFrame],
                       all_specs: dict[str, TableSpec]) -> None:
    """Check the foreign keys of the curated files ``spec`` reads (:mod:`analysis.curated.keys`).

    Raises
    ------
    BuildError
        Naming the table not built and the file, line, column and value at fault.
    """
    from analysis.curated.keys import FOREIGN_KEYS, check_file

    for file in spec.curated:
        if file not in FOREIGN_KEYS:
            continue
        try:
            check_file(file, get, all_specs)
        except DataError as exc:
            raise BuildError(f"step {spec.name!r} not built: {exc}") from exc


def _write(spec: TableSpec, df: pd.DataFrame, key: str) -> None:
    """Parquet to a temporary file; the manifest (with the new file's size and sha256) renamed
    into place; then the parquet renamed into place."""
    year_cols = [c for c in ("year",) if c in df.columns]
    with atomic_path(parquet_path(spec)) as tmp:
        df.to_parquet(tmp, index=False)
        st = tmp.stat()
        manifest = {
            "table": spec.name,
            "layer": spec.layer,
            "build_key": key,
            "code_version": code_version(),
            "primary_key": list(spec.primary_key),
            "unit": spec.unit,
            "coverage": spec.coverage,
            "rows": int(len(df)),
            "columns": {c: str(t) for c, t in df.dtypes.items()},
            "sources": {s: source_meta(s).version for s in spec.sources},
            "curated": list(spec.curated),
            "years": (
                [int(df[year_cols[0]].min()), int(df[year_cols[0]].max())]
                if year_cols and df[year_cols[0]].notna().any() else None
            ),
            "parquet": {
                "bytes": st.st_size,
                "sha256": sha256_file(tmp),
                "mtime_ns": st.st_mtime_ns,
                "inode": st.st_ino,
            },
        }
        fault_point("build_parquet_written")
        atomic_write_text(manifest_path(spec), json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        fault_point("build_manifest_renamed")
    fault_point("build_parquet_renamed")


@dataclass
class BuildReport:
    """What :func:`build` did: table name -> ``built`` or ``cached``; seconds per step; why each
    table was built (``not built yet``, ``inputs changed``, ``forced``, or the parquet that did
    not match its manifest)."""

    status: dict[str, str]
    seconds: dict[str, float]
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def built(self) -> list[str]:
        """Tables built (not served from cache) in this run."""
        return [n for n, s in self.status.items() if s == "built"]


def build(names: Iterable[str] | None = None, *, force: bool = False,
          fetch_missing: bool = True, progress: bool = False, rebuild: Iterable[str] = ()) -> BuildReport:
    """Build the named tables (all when ``None``) and what they depend on.

    Fresh tables (same build key as their manifest, parquet matching the manifest) are not
    rebuilt; ``force`` rebuilds every table of the order, ``rebuild`` the tables named. Raw
    files are fetched first (cache, then mirror, then pinned URL) when ``fetch_missing`` is true.
    """
    all_specs = specs()
    order = _order(all_specs, names if names is not None else list(all_specs))
    for layer in sorted({all_specs[n].layer for n in order}):
        for p in remove_stale_temps(processed_dir() / layer):
            log.info("removed %s, left by a killed write", p)
    if fetch_missing:
        from analysis.data.fetch import fetch

        needed = sorted({s for n in order for s in all_specs[n].sources})
        fetch(needed, progress=progress)
    again = set(rebuild)
    memo: dict[str, str] = {}
    frames: dict[str, pd.DataFrame] = {}
    status: dict[str, str] = {}
    seconds: dict[str, float] = {}
    reasons: dict[str, str] = {}

    def get(dep: str) -> pd.DataFrame:
        if dep not in frames:
            frames[dep] = read_table(all_specs[dep])
        return frames[dep]

    for n in order:
        spec = all_specs[n]
        key = build_key(n, memo)
        t0 = time.perf_counter()
        reason = "forced" if force or n in again else freshness(spec, key)
        if reason is None:
            status[n] = "cached"
        else:
            if "does not match" in reason or "missing" in reason:
                log.warning("table %s: %s; rebuilding it", n, reason)
            log.info("building %s (%s)", n, reason)
            check_curated_keys(spec, get, all_specs)
            df = _run_builder(spec, {d: get(d) for d in spec.depends})
            _write(spec, df, key)
            frames[n] = df
            status[n] = "built"
            reasons[n] = reason
        seconds[n] = time.perf_counter() - t0
    return BuildReport(status, seconds, reasons)


def load(name: str) -> pd.DataFrame:
    """The table ``name`` as a DataFrame: from the parquet cache if it is fresh and matches its
    manifest, otherwise built first (with what it depends on; a parquet that does not match its
    manifest is rebuilt with a warning)."""
    spec = specs().get(name)
    if spec is None:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(table_names())}")
    key = build_key(name)
    if not is_fresh(spec, key):
        build([name])
    return read_table(spec)


def data_versions(names: Iterable[str] | None = None) -> dict:
    """Provenance of the named tables (all when ``None``), JSON-ready.

    Returns ``{"code_version": ..., "tables": {name: build_key}, "sources": {source:
    version}, "curated": [files]}`` covering the tables and everything they depend on,
    so a result can say exactly which data vintage produced it.
    """
    all_specs = specs()
    order = _order(all_specs, names if names is not None else list(all_specs))
    memo: dict[str, str] = {}
    srcs = sorted({s for n in order for s in all_specs[n].sources})
    return {
        "code_version": code_version(),
        "tables": {n: build_key(n, memo) for n in order},
        "sources": {s: source_meta(s).version for s in srcs},
        "curated": sorted({c for n in order for c in all_specs[n].curated}),
    }
