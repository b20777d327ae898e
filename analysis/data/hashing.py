"""Hashing (files, the package code), atomic writes and the cleanup of killed writes."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
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


#: When this process started (module import): temporary files older than this, left by a
#: writer that is no longer running, are debris of a killed write.
PROCESS_START = time.time()

#: ``.<final name>.<writer pid>.<random>.tmp``: the temporary files of :func:`atomic_path`.
_TEMP_NAME = re.compile(r"^\.(?P<dest>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")


def file_mode() -> int:
    """Mode of a new file under this process's umask (``0o666 & ~umask``, e.g. 0644 under 022).

    ``tempfile.mkstemp`` creates files readable by their owner only (0600); files renamed into
    place get this mode instead, as if they had been created with ``open``.
    """
    try:  # Linux: read the umask without changing it (os.umask sets it, racing other threads)
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    except OSError:
        return False
    return True


def remove_stale_temps(folder: str | Path) -> list[Path]:
    """Remove the temporary files of writes that were killed, in ``folder`` (not recursive).

    Only files named like :func:`atomic_path`'s temporaries (``.<name>.<pid>.<random>.tmp``)
    are considered, and only those older than this process whose writer (the pid in the name)
    is no longer running: a write in progress in another process is never touched.

    Returns
    -------
    list of Path
        The files removed.
    """
    folder = Path(folder)
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for p in folder.iterdir():
        m = _TEMP_NAME.match(p.name)
        if not m or not p.is_file() or p.is_symlink():
            continue
        try:
            if p.stat().st_mtime >= PROCESS_START or _pid_alive(int(m.group("pid"))):
                continue
            p.unlink()
        except FileNotFoundError:
            continue
        removed.append(p)
    return removed


@contextmanager
def atomic_path(dest: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; rename it onto ``dest`` on success.

    On any exception the temporary file is removed and ``dest`` is untouched. The temporary file
    is named ``.<dest name>.<pid>.<random>.tmp`` (:func:`remove_stale_temps` removes those of a
    killed writer) and gets the mode the umask gives new files (:func:`file_mode`) before the
    rename.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.{os.getpid()}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, file_mode())
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
