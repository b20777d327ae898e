"""Re-validate everything: raw hashes, every source loader, every built table.

Used by ``peaceops data check`` and by the all-sources test, so that both apply
the same rules: schema, key uniqueness and coverage years.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from analysis.data.registry import raw_file, raw_files
from analysis.sources import SOURCE_MODULES
from analysis.sources._base import LoaderSpec


@dataclass
class CheckResult:
    """One check: what was checked, whether it passed, and why not; ``skipped`` checks were not
    run (``detail`` says why) and count neither as passed nor as failed."""

    what: str
    ok: bool
    detail: str = ""
    skipped: bool = False


def loader_specs() -> Iterator[tuple[str, str, LoaderSpec]]:
    """Every ``(source, table, LoaderSpec)`` declared by the source modules."""
    for name in SOURCE_MODULES:
        mod = importlib.import_module(f"analysis.sources.{name}")
        for table, spec in getattr(mod, "LOADERS", {}).items():
            yield name, table, spec


def check_loader_frame(source: str, spec: LoaderSpec, df: pd.DataFrame) -> list[str]:
    """Problems of a loaded frame: key not unique, years outside the registered coverage."""
    problems = []
    key = list(spec.key)
    missing = [c for c in key if c not in df.columns]
    if missing:
        problems.append(f"key columns {missing} missing")
    elif df.duplicated(key).any():
        problems.append(f"key {key} not unique ({int(df.duplicated(key).sum())} duplicate rows)")
    if spec.year is not None:
        rf = raw_file(source, spec.file)
        years = pd.to_numeric(df[spec.year], errors="coerce").dropna()
        if len(years) == 0:
            problems.append(f"no values in year column {spec.year!r}")
        else:
            lo, hi = int(years.min()), int(years.max())
            if lo < rf.year_start or hi > rf.year_end:
                problems.append(
                    f"years {lo}-{hi} outside registered coverage {rf.year_start}-{rf.year_end} of {rf.file}"
                )
    return problems


def check_raw() -> list[CheckResult]:
    """Hash of every raw file in the cache against the registry, one result per source.

    A source passes when all its files do; a failing source names each bad file (the UN
    resolutions alone are 1,554 files, so per-file lines would drown the report).
    """
    from analysis.data.fetch import verify

    by_source: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for rf in raw_files():
        counts[rf.source] = counts.get(rf.source, 0) + 1
        bad = by_source.setdefault(rf.source, [])
        try:
            verify(rf.local_path, rf)
        except Exception as exc:
            bad.append(f"{rf.key}: {exc}")
    out = []
    for source, bad in by_source.items():
        n = counts[source]
        if bad:
            detail = (f"{len(bad)} of {n} file(s) bad: " + "; ".join(bad)
                      + f". Run `peaceops data fetch {source}`: it copies missing files and replaces bad "
                        "ones from the mirror or the pinned URL")
            out.append(CheckResult(f"raw {source}", False, detail))
        else:
            out.append(CheckResult(f"raw {source}", True, f"{n} file(s) verified"))
    return out


def check_loaders(skip: Iterable[str] = ()) -> list[CheckResult]:
    """Every source loader: loads, validates, key unique, years within coverage.

    Loaders of the sources in ``skip`` (whose raw files failed) are reported as skipped.
    """
    skip = set(skip)
    out = []
    for source, table, spec in loader_specs():
        what = f"source {source}.{table}"
        if source in skip:
            out.append(CheckResult(what, False, "its raw files failed (above)", skipped=True))
            continue
        try:
            df = spec.load()
            problems = check_loader_frame(source, spec, df)
            out.append(CheckResult(what, not problems, "; ".join(problems) or f"{len(df)} rows"))
        except Exception as exc:
            out.append(CheckResult(what, False, f"{type(exc).__name__}: {exc}"))
    return out


def check_tables(skip_sources: Iterable[str] = ()) -> list[CheckResult]:
    """Every core table: build if needed, then primary key and schema re-checked on the parquet.

    Each cached parquet is first re-hashed against its manifest (a load trusts an unchanged
    file's size, time and inode); one that does not match is rebuilt and the check says so.
    Tables reading (directly or through their dependencies) a source in ``skip_sources`` are
    reported as skipped.
    """
    from analysis.data import store
    from analysis.data.store import (
        build,
        check_primary_key,
        load,
        parquet_problem,
        read_manifest,
        table_names,
    )

    specs = store.specs  # the build engine's view of the tables
    bad_sources = set(skip_sources)
    blocked: dict[str, str] = {}
    for name in table_names():
        reads = sorted({s for d in store._order(specs(), [name]) for s in specs()[d].sources} & bad_sources)
        if reads:
            blocked[name] = ", ".join(reads)
    problems: dict[str, str] = {}
    for name in table_names():
        if name in blocked:
            continue
        m = read_manifest(specs()[name])
        problem = parquet_problem(specs()[name], m, full=True) if m is not None else None
        if problem is not None:
            problems[name] = problem
    if problems:
        try:
            build(sorted(problems), rebuild=problems, progress=False)
        except Exception:  # noqa: S110 - the table's own check below reports the failure
            pass
    from analysis.sources._base import validate

    out = []
    for name in table_names():
        spec = specs()[name]
        what = f"table {name}"
        if name in blocked:
            out.append(CheckResult(what, False, f"reads source {blocked[name]}, whose raw files failed",
                                   skipped=True))
            continue
        try:
            df = load(name)
            check_primary_key(df, spec)
            validate(df, spec.schema, f"<core table {name}>")
            detail = f"{len(df)} rows, PK {list(spec.primary_key)}"
            if name in problems:
                detail += f"; rebuilt: {problems[name]}"
            out.append(CheckResult(what, True, detail))
        except Exception as exc:
            out.append(CheckResult(what, False, f"{type(exc).__name__}: {exc}"))
    return out


def check_curated() -> list[CheckResult]:
    """Every curated file with declared foreign keys: its ids exist in their authority tables."""
    from analysis.curated.keys import FOREIGN_KEYS, check_file
    from analysis.data import store

    known = store.specs()  # imports every table module (some declare the keys of their files)
    out = []
    for file in sorted(FOREIGN_KEYS):
        what = f"curated {file}"
        try:
            checked, skipped = check_file(file, store.load, known)
            detail = "ids found: " + "; ".join(checked) if checked else "no key checked"
            if skipped:
                detail += "; not checked: " + "; ".join(skipped)
            out.append(CheckResult(what, True, detail))
        except Exception as exc:
            out.append(CheckResult(what, False, f"{type(exc).__name__}: {exc}"))
    return out


def check_all() -> list[CheckResult]:
    """Raw files, loaders, tables, the curated files' foreign keys.

    Loaders and tables that read a source whose raw files failed are reported as skipped (with
    the reason), the others are still checked; the curated keys are checked when every table
    could be.
    """
    results = check_raw()
    bad = {r.what.removeprefix("raw ") for r in results if not r.ok}
    results += check_loaders(skip=bad)
    results += check_tables(skip_sources=bad)
    if not bad:
        results += check_curated()
    else:
        results.append(CheckResult("curated foreign keys", False, "not checked while raw files fail",
                                   skipped=True))
    return results
