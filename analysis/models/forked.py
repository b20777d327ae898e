"""Independent evaluations on two cores: the second half in a forked child process.

:func:`map_halves` returns ``[func(x) for x in items]``. On Linux with more than one CPU, a
child process forked for the call evaluates the second half of ``items`` while this process
evaluates the first; the child inherits the function and its data (nothing is pickled but the
results), sends its results back through a pipe and ends with ``os._exit`` (no exit handlers,
no flushing of the parent's streams). The results are those of the serial loop, in order and
bit for bit: the same function on the same inputs, in a copy of the same process (one BLAS
thread in both when the caller limits it; the limit is inherited).

It is used where a notebook's robustness check repeats one cheap, pure computation many
times (the randomization draws of :func:`analysis.models.balance.randomization_test`, the
refits of :func:`analysis.models.inference.leave_one_cluster_out`): about 40% less wall time
for those sections on two idle cores.

Safety: the child runs only ``func`` (numerical code: no printing, no locks of the parent's
threads, no I/O but the pipe); an exception or a signal in the child, a child that dies or
sends a truncated answer, all make this process evaluate the second half itself, so the
outcome (results or the exception ``func`` raises) is the serial one. ``PEACEOPS_SERIAL=1`` in
the environment turns the fork off; so does a platform without ``fork`` or a single CPU, and a
call with fewer than :data:`MIN_ITEMS` items.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Fewer items are evaluated in this process (a fork costs a few ms to tens of ms).
MIN_ITEMS = 16
#: Environment variable that, set to ``1``, keeps every evaluation in this process.
SERIAL_ENV = "PEACEOPS_SERIAL"


def can_fork() -> bool:
    """Whether :func:`map_halves` forks: Linux, ``os.fork``, more than one CPU available, and
    ``PEACEOPS_SERIAL`` not set to ``1``."""
    if os.environ.get(SERIAL_ENV, "") == "1" or not sys.platform.startswith("linux"):
        return False
    if not hasattr(os, "fork"):
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return cpus > 1


def map_halves(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[func(x) for x in items]``, the second half evaluated in a forked child (module docstring)."""
    items = list(items)
    if len(items) < MIN_ITEMS or not can_fork():
        return [func(x) for x in items]
    half = (len(items) + 1) // 2
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads may deadlock the child: the
        # child here touches nothing the other threads may hold (see the module docstring)
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: evaluate the second half, send it, leave at once
        os.close(read_fd)
        code = 1
        try:
            import gc

            gc.disable()  # short-lived: no collection walking (and copying) the parent's objects
            payload = pickle.dumps([func(x) for x in items[half:]], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_fd, "wb") as fh:
                fh.write(struct.pack("<Q", len(payload)))
                fh.write(payload)
            code = 0
        except BaseException:  # noqa: BLE001 - the parent evaluates the half again and raises
            pass
        finally:
            os._exit(code)
    os.close(write_fd)
    try:
        first = [func(x) for x in items[:half]]
    except BaseException:
        _reap(pid, read_fd, kill=True)
        raise
    second = _receive(pid, read_fd)
    if second is None or len(second) != len(items) - half:
        second = [func(x) for x in items[half:]]  # the child failed: the serial outcome
    return first + second


def _receive(pid: int, read_fd: int) -> list[Any] | None:
    """The child's results, or ``None`` when it failed; the child is reaped either way."""
    data = b""
    try:
        with os.fdopen(read_fd, "rb") as fh:
            data = fh.read()
    except OSError:
        data = b""
    _, status = os.waitpid(pid, 0)
    if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0) or len(data) < 8:
        return None
    (n,) = struct.unpack("<Q", data[:8])
    if len(data) != 8 + n:
        return None
    try:
        out = pickle.loads(data[8:])
    except Exception:  # noqa: BLE001
        return None
    return out if isinstance(out, list) else None


def _reap(pid: int, read_fd: int, *, kill: bool) -> None:
    import signal

    if kill:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        os.close(read_fd)
    except OSError:
        pass
    try:
        os.waitpid(pid, 0)
    except OSError:
        pass
