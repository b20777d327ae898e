"""Hashing (files, the package code) and atomic writes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

CHUNK = 1 << 20


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


@contextmanager
def atomic_path(dest: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; rename it onto ``dest`` on success.

    On any exception the temporary file is removed and ``dest`` is untouched.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, dest)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def atomic_write(dest: str | Path, writer: Callable[[Path], object]) -> None:
    """Call ``writer(tmp)`` then rename ``tmp`` onto ``dest`` atomically (its return value is ignored)."""
    with atomic_path(dest) as tmp:
        writer(tmp)


def atomic_write_text(dest: str | Path, text: str) -> None:
    """Write text atomically (UTF-8)."""
    atomic_write(dest, lambda p: p.write_text(text, encoding="utf-8"))


def code_hash(
    parts: Iterable[str] | None = None,
    *,
    extra: Iterable[str | Path] = (),
    suffixes: Iterable[str] = (".py",),
) -> str:
    """Hash of the package's code: the path and bytes of each ``.py`` file.

    Parameters
    ----------
    parts
        Folders or files relative to the package folder (``analysis/``) whose ``.py`` files are
        hashed; ``None`` hashes every ``analysis/**/*.py``.
    extra
        Other files whose bytes enter the hash (e.g. the registry of raw files).
    suffixes
        File types hashed in the folders of ``parts`` (the data code adds the rule tables
        ``.yaml`` / ``.csv`` shipped beside the modules).

    Returns
    -------
    str
        The first 16 hex digits of the sha256. The data layer keys built tables on the
        data-producing parts (:data:`analysis.data.store.DATA_CODE`); the notebook runner keys
        runs on the whole package.
    """
    from analysis.config import PACKAGE_DIR

    kinds = tuple(suffixes)
    files: list[Path] = []
    for part in (None,) if parts is None else parts:
        p = PACKAGE_DIR if part is None else PACKAGE_DIR / part
        files += sorted(x for x in p.rglob("*") if x.suffix in kinds) if p.is_dir() else [p]
    files = [f for f in files if "__pycache__" not in f.parts]
    h = hashlib.sha256()
    for f in [*files, *map(Path, extra)]:
        rel = f.relative_to(PACKAGE_DIR.parent) if f.is_relative_to(PACKAGE_DIR.parent) else Path(f.name)
        h.update(rel.as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]
