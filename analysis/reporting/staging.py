"""Staging folders, the recoverable swap of a report into place, and the per-label lock.

A run of notebook ``<stem>`` with label ``<label>`` works in ``reports/<stem>/.staging/<label>/``
while it holds the lock ``reports/<stem>/.staging/<label>.lock``:

``.peaceops-stage``
    marker written when the folder is created (pid, label): only folders carrying it are ever
    removed, and only by a run holding the label's lock.
``new/``
    the outputs under their final names: ``<label>/`` (results.json, figures), ``<label>.ipynb``,
    ``<label>.html``, ``<label>.run.json``.
``journal.json``
    written (and fsynced) once every new output is complete, before the first rename; lists the
    outputs in the order they are swapped.
``old/``
    the previous outputs, moved aside one by one just before each new one is moved in.

Each output is first renamed from its final place into ``old/``, then from ``new/`` into its final
place (``os.rename`` within one file system), ``run.json`` last. At every instant each version
of each output is complete in exactly one place, so the old or the new report always exists on
disk. :func:`recover_stage` finishes an interrupted swap (roll forward: the new outputs were
complete when the journal was written) or, without a journal, discards the staging folder of a
run that never reached the swap (its outputs never left it). Every ``peaceops run`` and
``peaceops run --check`` first recovers what a killed run left (:func:`recover_reports`); a run
also recovers its own staging folder on the way out (an exception, Ctrl-C).

The lock (:func:`label_lock`) is an ``flock`` on the lock file, which holds the pid of its owner:
the kernel releases it when the owner dies (a stale lock is taken over at once), a second run
of the same notebook and label waits for it (or, with a timeout, reports "already running
(pid N)"). ``flock`` is POSIX: on Windows runs are not locked (a warning says so).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from analysis.data.faults import fault_point
from analysis.data.hashing import remove_stale_temps
from analysis.errors import RunnerError

log = logging.getLogger(__name__)

#: Folder of ``reports/<stem>/`` holding the staging folders and locks of runs.
STAGING = ".staging"
#: Marker file of a staging folder created by the runner.
MARKER = ".peaceops-stage"
#: Journal of a swap in progress.
JOURNAL = "journal.json"


class LabelBusy(RunnerError):
    """Another run of the same notebook and label holds the lock (``pid`` when known)."""

    def __init__(self, message: str, pid: int | None) -> None:
        super().__init__(message)
        self.pid = pid


# --------------------------------------------------------------------------- lock


def lock_path(out_dir: Path, label: str) -> Path:
    """``reports/<stem>/.staging/<label>.lock``."""
    return out_dir / STAGING / f"{label}.lock"


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None


@contextlib.contextmanager
def label_lock(out_dir: Path, label: str, *, timeout: float | None = None,
               what: str = "") -> Iterator[None]:
    """Hold the lock of ``label`` in ``out_dir`` (``reports/<stem>``) for the duration.

    Parameters
    ----------
    out_dir, label
        The notebook's report folder and the run label.
    timeout
        Seconds to wait for a run holding the lock (``None``: as long as it takes; ``0``: not at
        all). A message names the pid waited for.
    what
        How the run is named in messages (``01_tiny [default]``).

    Raises
    ------
    LabelBusy
        When the lock is still held after ``timeout``: "already running (pid N)".
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no flock; runs of one label are not serialised
        log.warning("no file locking on this platform: do not run the same notebook and label twice at once")
        yield
        return

    path = lock_path(out_dir, label)
    what = what or f"{out_dir.name} [{label}]"
    deadline = None if timeout is None else time.monotonic() + timeout
    announced = False
    while True:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except FileNotFoundError:  # the staging folder was removed in between: again
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            if deadline is not None and time.monotonic() >= deadline:
                raise LabelBusy(
                    f"{what} is already running (pid {pid if pid else '?'}); wait for it to finish, "
                    f"or give --wait SECONDS to wait (lock {path})", pid) from None
            if not announced:
                limit = "" if deadline is None else f" (at most {timeout:g} s)"
                log.warning("%s is already running (pid %s): waiting for it to finish%s",
                            what, pid if pid else "?", limit)
                announced = True
            time.sleep(0.1)
            continue
        try:  # the holder before us may have unlinked the file it locked: lock the current one
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            continue
        break
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # while still held: a waiter then finds it gone and locks a new file
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # .staging/, when no other run uses it


def try_label_lock(out_dir: Path, label: str) -> contextlib.AbstractContextManager[bool]:
    """Context manager yielding whether the label's lock was free (then held until exit)."""

    @contextlib.contextmanager
    def cm() -> Iterator[bool]:
        try:
            with label_lock(out_dir, label, timeout=0):
                yield True
        except LabelBusy:
            yield False

    return cm()


# --------------------------------------------------------------------------- staging folder


def stage_dir(out_dir: Path, label: str) -> Path:
    """``reports/<stem>/.staging/<label>``."""
    return out_dir / STAGING / label


def create_stage(out_dir: Path, label: str) -> Path:
    """A fresh staging folder for ``label`` (the caller holds the lock and has recovered it).

    Raises
    ------
    RunnerError
        When something that is not a staging folder of ours is in the way.
    """
    stage = stage_dir(out_dir, label)
    if stage.exists() or stage.is_symlink():
        raise RunnerError(f"{stage} is in the way and is not a staging folder of peaceops (no {MARKER}); "
                          "move it elsewhere and run again")
    (stage / "new").mkdir(parents=True)
    (stage / MARKER).write_text(json.dumps({"pid": os.getpid(), "label": label}) + "\n", encoding="utf-8")
    return stage


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_journal(stage: Path, items: Sequence[str]) -> None:
    tmp = stage / f".{JOURNAL}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"state": "swapping", "items": list(items), "pid": os.getpid()}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, stage / JOURNAL)
    _fsync_dir(stage)


def _exists(p: Path) -> bool:
    return p.exists() or p.is_symlink()


def _move_in(stage: Path, out_dir: Path, item: str) -> None:
    """Old ``item`` (if any) into ``old/``, then the new one into its place."""
    new, final, old = stage / "new" / item, out_dir / item, stage / "old" / item
    if not _exists(new):
        return  # moved in already
    if _exists(final):
        if _exists(old):
            raise RunnerError(f"cannot finish the swap of {final}: both {final} and {old} exist; keep the "
                              f"one you want as {final}, remove {stage}, and run again")
        old.parent.mkdir(exist_ok=True)
        os.rename(final, old)
        fault_point("run_old_moved")
    os.rename(new, final)


def swap_into_place(stage: Path, out_dir: Path, items: Sequence[str]) -> None:
    """Move the staged outputs ``new/<item>`` into ``out_dir`` in order, recoverably (journal first)."""
    _write_journal(stage, items)
    fault_point("run_journal_written")
    for item in items:
        _move_in(stage, out_dir, item)
    fault_point("run_swapped")


def _owned(stage: Path, out_dir: Path) -> bool:
    return (
        (stage / MARKER).is_file()
        and not stage.is_symlink()
        and stage.resolve().parent == (out_dir / STAGING).resolve()
    )


def recover_stage(out_dir: Path, label: str) -> str | None:
    """Finish or discard what an interrupted run of ``label`` left (the caller holds the lock).

    Returns
    -------
    str or None
        What was done (``"finished the swap ..."``, ``"discarded ..."``), or ``None`` when there
        was nothing to recover.

    Raises
    ------
    RunnerError
        When ``.staging/<label>`` is not a staging folder of ours (then it is left alone).
    """
    stage = stage_dir(out_dir, label)
    if not _exists(stage):
        return None
    if not _owned(stage, out_dir):
        raise RunnerError(f"{stage} is not a staging folder of peaceops (no {MARKER}); it was left alone: "
                          "move it elsewhere and run again")
    journal = stage / JOURNAL
    if journal.is_file():
        items = json.loads(journal.read_text(encoding="utf-8"))["items"]
        for item in items:
            _move_in(stage, out_dir, item)
        done = f"{out_dir.name}/{label}: finished moving the new report of an interrupted run into place"
    else:
        done = (f"{out_dir.name}/{label}: removed the staging folder of an interrupted run "
                "(it never reached the swap; the earlier report is intact)")
    shutil.rmtree(stage)
    return done


def recover_reports(reports_dir: Path) -> list[str]:
    """Recover every interrupted run under ``reports_dir`` whose label is not locked by a live run,
    and remove the temporary files of killed writes there.

    Returns
    -------
    list of str
        One line per recovered staging folder.
    """
    done: list[str] = []
    for folder in [Path(reports_dir), *sorted(p for p in Path(reports_dir).glob("*") if p.is_dir())]:
        remove_stale_temps(folder)  # .index.html.<pid>.*.tmp and the like of killed writes
    for staging in sorted(Path(reports_dir).glob(f"*/{STAGING}")):
        out_dir = staging.parent
        for stage in sorted(p for p in staging.iterdir() if p.is_dir() and not p.name.startswith(".")):
            label = stage.name
            with try_label_lock(out_dir, label) as free:
                if not free:
                    continue  # a live run is using it
                try:
                    what = recover_stage(out_dir, label)
                except RunnerError as exc:
                    log.warning("%s", exc)
                    continue
                if what:
                    log.warning("%s", what)
                    done.append(what)
    return done
