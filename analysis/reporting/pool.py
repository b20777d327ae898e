"""Figure files shared by the runs of a notebook, stored once by content.

The runs of one notebook often draw the same figure: a descriptive chart does not change with
the estimator or the outcome of a parameter set. Under ``peaceops run`` each figure file and its
CSV (``<set>/figures/<name>.svg|png|csv`` as the :class:`~analysis.reporting.Reporter` writes
them) are moved to the notebook's shared folder as ``reports/<stem>/figures/<name>-<sha12>.<ext>``
(``sha12``: the first 12 hex digits of the file's sha256), and the run's page, executed notebook
and ``results.json`` link there. Identical files of different runs are one file; a file's name
changes whenever its bytes do, so a page never shows another run's figure.

Safety, with the runner's journaled swap (:mod:`analysis.reporting.staging`):

* a run pools its files (atomic writes) *before* its outputs are swapped into place, so a page
  that links a pooled file never exists without it;
* :func:`collect_garbage` removes pooled files that no ``results.json`` under the notebook's folder
  links (staging folders included, so an interrupted swap keeps its files for the roll-forward);
* every run holds the notebook's pool lock shared (:func:`pool_lock`) from its execution to the
  end of its swap; garbage collection takes it exclusively and without waiting, so it only runs
  when no run of the notebook is in progress (the last run to finish collects).

``flock`` is POSIX: on Windows nothing is collected (old pooled files stay until removed by hand).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import posixpath
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from analysis.data.hashing import atomic_write

log = logging.getLogger(__name__)

#: The shared folder, in ``reports/<stem>/``.
POOL = "figures"
#: Lock file of the pool (git-ignored; never removed, so every process locks the same inode).
LOCK = ".lock"
#: File kinds pooled: the figure files and their data.
KINDS = (".svg", ".png", ".csv")
#: Name of a pooled file: ``<name>-<12 hex digits>.<ext>``.
POOLED = re.compile(r"^(?P<name>.+)-(?P<sha>[0-9a-f]{12})\.(?P<ext>svg|png|csv)$")


@contextlib.contextmanager
def pool_lock(out_dir: Path, *, exclusive: bool = False) -> Iterator[bool]:
    """Hold the pool lock of ``out_dir`` (``reports/<stem>``); yields whether it is held.

    Shared (the default) waits for a garbage collection in progress; exclusive does not wait
    and yields ``False`` when any run of the notebook holds the lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no flock
        yield not exclusive
        return
    pool = out_dir / POOL
    pool.mkdir(parents=True, exist_ok=True)
    fd = os.open(pool / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB if exclusive else fcntl.LOCK_SH)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _sha12(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def pool_run_files(stage_out: Path, out_dir: Path, label: str, nb: Any) -> dict[str, str]:
    """Move a staged run's figure files into the pool and relink them; returns old -> new links.

    Parameters
    ----------
    stage_out
        The run's staged output folder (``.staging/<label>/new/<label>``), holding
        ``figures/`` and ``results.json``.
    out_dir
        ``reports/<stem>``.
    label
        The run's label: pages link ``<label>/figures/<file>``, which becomes ``figures/<pooled>``.
    nb
        The executed notebook (nbformat): its HTML outputs are relinked in place.

    ``results.json`` (``figures[].file``, ``figures[].data``, ``main_figure``) is rewritten to
    ``../figures/<pooled>`` (paths stay relative to the run's folder). Call with the pool lock
    held shared, before the swap.
    """
    from analysis.data.hashing import atomic_write_text

    fig_dir = stage_out / "figures"
    if not fig_dir.is_dir():
        return {}
    pool = out_dir / POOL
    pool.mkdir(parents=True, exist_ok=True)
    moved: dict[str, str] = {}  # figures/<file> -> <pooled file>
    for f in sorted(fig_dir.iterdir()):
        if not f.is_file() or f.suffix not in KINDS:
            continue
        data = f.read_bytes()
        target = pool / f"{f.stem}-{_sha12(data)}{f.suffix}"
        if not (target.is_file() and target.read_bytes() == data):
            atomic_write(target, lambda p, d=data: p.write_bytes(d))  # type: ignore[misc]
        f.unlink()
        moved[f"figures/{f.name}"] = target.name
    with contextlib.suppress(OSError):
        fig_dir.rmdir()
    if not moved:
        return {}
    links = {f"{label}/{old}": f"{POOL}/{new}" for old, new in moved.items()}
    pattern = re.compile("|".join(re.escape(f"'{k}'") for k in sorted(links, key=len, reverse=True)))
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            html = (out.get("data") or {}).get("text/html")
            if html is None:
                continue
            text = "".join(html) if isinstance(html, list) else html
            new = pattern.sub(lambda m: f"'{links[m.group(0)[1:-1]]}'", text)
            if new != text:
                out["data"]["text/html"] = new
    results = stage_out / "results.json"
    if results.is_file():
        rec = json.loads(results.read_text(encoding="utf-8"))
        rel = {old: f"../{POOL}/{new}" for old, new in moved.items()}
        for fig in rec.get("figures", []) or []:
            for key in ("file", "data"):
                if fig.get(key) in rel:
                    fig[key] = rel[fig[key]]
        if rec.get("main_figure") in rel:
            rec["main_figure"] = rel[rec["main_figure"]]
        text = json.dumps(rec, indent=2, sort_keys=False, allow_nan=False, ensure_ascii=False)
        atomic_write_text(results, text + "\n")
    return links


def referenced(out_dir: Path) -> set[str]:
    """Names of pooled files linked by any ``results.json`` under ``out_dir`` (staging included)."""
    names: set[str] = set()
    for res in out_dir.rglob("results.json"):
        try:
            rec: Mapping[str, Any] = json.loads(res.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        files = [rec.get("main_figure")]
        for fig in rec.get("figures", []) or []:
            files += [fig.get("file"), fig.get("data")]
        for f in files:
            if isinstance(f, str) and f.startswith(f"../{POOL}/"):
                names.add(posixpath.basename(f))
    return names


def collect_garbage(out_dir: Path) -> list[str] | None:
    """Remove pooled files of ``out_dir`` that no run links; ``None`` when a run is in progress.

    Returns the names removed (sorted). Only files named like pooled files are touched.
    """
    pool = out_dir / POOL
    if not pool.is_dir():
        return []
    with pool_lock(out_dir, exclusive=True) as held:
        if not held:
            return None
        keep = referenced(out_dir)
        removed = []
        for f in sorted(pool.iterdir()):
            if f.is_file() and POOLED.match(f.name) and f.name not in keep:
                f.unlink()
                removed.append(f.name)
        if removed:
            log.info("removed %d figure file(s) no run links any more from %s", len(removed), pool)
        return removed
