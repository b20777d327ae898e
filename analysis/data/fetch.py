"""Get every registered raw file into the raw cache, verified by sha256.

Order for each file:

1. the copy already in ``data/raw/<source>/<file>`` if its hash is right;
2. a mirror folder (``--mirror``, else ``PEACEOPS_DATA_MIRROR``, else in a checkout
   ``../shared/data`` when it exists), laid out as ``<source>/<file>``;
3. the commit-pinned upstream URL, downloaded with :mod:`pooch`.

Bytes are verified before they are renamed into place, so a bad copy never
replaces a good one and never lands in the cache.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tqdm.auto import tqdm

from analysis.config import default_mirror
from analysis.data.hashing import atomic_path, remove_stale_temps, sha256_file
from analysis.data.registry import RawFile, raw_files
from analysis.errors import DataError, FetchError, HashMismatchError


@dataclass(frozen=True)
class FetchResult:
    """What :func:`fetch` did for one file: ``cached``, ``mirror`` or ``url``."""

    file: RawFile
    how: str


def verify(path: Path, rf: RawFile) -> None:
    """Raise :class:`HashMismatchError` if ``path`` does not hash to the registry value."""
    if not path.is_file():
        raise DataError(path, f"missing file (registered as {rf.key})")
    found = sha256_file(path)
    if found != rf.sha256:
        raise HashMismatchError(path, rf.sha256, found)


def _is_cached(rf: RawFile) -> bool:
    p = rf.local_path
    return p.is_file() and p.stat().st_size == rf.bytes and sha256_file(p) == rf.sha256


def _from_mirror(rf: RawFile, mirror: Path) -> bool:
    src = mirror / rf.source / rf.file
    if not src.is_file():
        return False
    with atomic_path(rf.local_path) as tmp:
        shutil.copyfile(src, tmp)
        found = sha256_file(tmp)
        if found != rf.sha256:
            raise HashMismatchError(src, rf.sha256, found)
    return True


def _from_url(rf: RawFile) -> None:
    import pooch  # imported lazily: offline runs never need it

    logger = pooch.get_logger()  # pooch logs a line per file: the progress bar says enough
    level = logger.level
    logger.setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(dir=rf.local_path.parent) as td:
        try:
            got = pooch.retrieve(
                rf.raw_url, known_hash=f"sha256:{rf.sha256}", fname=rf.file, path=td,
                progressbar=False,
            )
        except ValueError as exc:  # pooch's hash mismatch
            raise DataError(rf.raw_url, f"download does not match the registry: {exc}") from exc
        except Exception as exc:  # network down, 404, connection lost mid-file, ...
            raise FetchError(
                f"could not download {rf.key} from {rf.raw_url}: {exc}. "
                "Offline? Provide a mirror folder laid out as <source>/<file>: "
                "`peaceops data fetch --mirror DIR`, or set PEACEOPS_DATA_MIRROR=DIR "
                "(in a checkout, a mirror at ../shared/data beside the project is found by itself)."
            ) from exc
        finally:
            logger.setLevel(level)
        with atomic_path(rf.local_path) as tmp:
            shutil.move(got, tmp)
            verify(tmp, rf)


def fetch(
    sources: Iterable[str] | None = None,
    *,
    mirror: str | Path | None = None,
    allow_download: bool = True,
    progress: bool = True,
) -> list[FetchResult]:
    """Put registered raw files into the raw cache and verify each one.

    Parameters
    ----------
    sources
        Source ids to fetch; all registered sources when ``None``.
    mirror
        Mirror folder; defaults to :func:`analysis.config.default_mirror`.
    allow_download
        Fall back to the pinned URL when a file is in neither cache nor mirror.
    progress
        Show a progress bar.

    Returns
    -------
    list of FetchResult
        One per file, saying where it came from.
    """
    wanted = set(sources) if sources is not None else None
    files = [f for f in raw_files() if wanted is None or f.source in wanted]
    if wanted is not None:
        unknown = wanted - {f.source for f in raw_files()}
        if unknown:
            raise KeyError(f"unknown sources: {sorted(unknown)}")
    mirror_dir: Path | None
    if mirror is not None:
        mirror_dir = Path(mirror).resolve()
        if mirror_dir.is_file():
            raise FetchError(f"--mirror {mirror_dir} is a file, not a folder: give the folder laid out as "
                             "<source>/<file> (unpack an archive first)")
        if not mirror_dir.is_dir():
            raise FetchError(f"mirror folder {mirror_dir} does not exist: give the folder laid out as "
                             "<source>/<file>, or leave --mirror out to use the default mirror or downloads")
    else:
        mirror_dir = default_mirror()
    for folder in sorted({f.local_path.parent for f in files}):
        remove_stale_temps(folder)  # temporary copies of a killed fetch
    results = []
    bar = tqdm(files, desc="fetch", unit="file", disable=not progress)
    for rf in bar:
        bar.set_postfix_str(rf.key[-40:])
        rf.local_path.parent.mkdir(parents=True, exist_ok=True)
        if _is_cached(rf):
            results.append(FetchResult(rf, "cached"))
        elif mirror_dir is not None and _from_mirror(rf, mirror_dir):
            results.append(FetchResult(rf, "mirror"))
        elif allow_download:
            _from_url(rf)
            results.append(FetchResult(rf, "url"))
        else:
            where = f"the mirror {mirror_dir} does not hold it" if mirror_dir else "no mirror is named"
            raise FetchError(
                f"{rf.key} is not in the raw cache and {where}; downloads are disabled. "
                "Provide a mirror with --mirror DIR or PEACEOPS_DATA_MIRROR=DIR."
            )
    return results


def ensure(rf: RawFile) -> Path:
    """Path of a verified raw file, fetching it (mirror first) if it is not cached."""
    if not _is_cached(rf):
        fetch([rf.source], progress=False)
    return rf.local_path
