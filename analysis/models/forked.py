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
for those sections on two idle cores. :class:`Child` is the forked evaluation it is built on,
also used to draw a large figure's SVG and PNG at once (:func:`analysis.reporting.figures.figure_file`).

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
    rest = items[half:]
    child = Child(lambda: [func(x) for x in rest])
    try:
        first = [func(x) for x in items[:half]]
    except BaseException:
        child.cancel()
        raise
    ok, second = child.outcome()
    if not ok or not isinstance(second, list) or len(second) != len(rest):
        second = [func(x) for x in rest]  # the child failed: the serial outcome
    return first + second


class Child:
    """``func()`` evaluated in a forked child from now on (none when :func:`can_fork` says no or
    the fork fails). ``func`` must do no I/O; its result must be picklable.

    :meth:`outcome` gives the child's result, or says there is none (the child failed or was never
    forked): the caller then evaluates what it needs itself. :meth:`cancel` kills the child when
    its result is no longer wanted. Either reaps the child; use the object once.
    """

    def __init__(self, func: Callable[[], Any]) -> None:
        self._child = _spawn(func) if can_fork() else None

    def outcome(self) -> tuple[bool, Any]:
        """``(True, result)`` from the child, or ``(False, None)`` when it failed or there is
        none; nothing is evaluated in this process (the caller decides what to do instead)."""
        child, self._child = self._child, None
        if child is None:
            return False, None
        out = _receive(*child)
        return (False, None) if out is _FAILED else (True, out)

    def cancel(self) -> None:
        """Kill and reap the child, if any: its result is not wanted."""
        child, self._child = self._child, None
        if child is not None:
            _reap(*child, kill=True)


#: What :func:`_receive` returns when the child failed.
_FAILED = object()


def _spawn(func: Callable[[], Any]) -> tuple[int, int] | None:
    """Fork a child that evaluates ``func()``, sends the pickled result and leaves at once
    (``os._exit``); ``(pid, read_fd)``, or ``None`` when the fork failed."""
    read_fd, write_fd = os.pipe()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns that forking a process with threads may deadlock the child: the
            # child here touches nothing the other threads may hold (see the module docstring)
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:  # the child: evaluate, send, leave at once
        os.close(read_fd)
        code = 1
        try:
            import gc

            gc.disable()  # short-lived: no collection walking (and copying) the parent's objects
            # nothing the child might print or warn reaches the parent's streams (in a Jupyter
            # kernel those are sockets served by the parent's threads, which the child lacks)
            warnings.simplefilter("ignore")
            sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - closed by os._exit
            payload = pickle.dumps(func(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_fd, "wb") as fh:
                fh.write(struct.pack("<Q", len(payload)))
                fh.write(payload)
            code = 0
        except BaseException:  # noqa: BLE001 - the parent evaluates it again and raises
            pass
        finally:
            os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def _receive(pid: int, read_fd: int) -> Any:
    """The child's result, or :data:`_FAILED` when it failed; the child is reaped either way."""
    data = b""
    try:
        with os.fdopen(read_fd, "rb") as fh:
            data = fh.read()
    except OSError:
        data = b""
    _, status = os.waitpid(pid, 0)
    if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0) or len(data) < 8:
        return _FAILED
    (n,) = struct.unpack("<Q", data[:8])
    if len(data) != 8 + n:
        return _FAILED
    try:
        return pickle.loads(data[8:])
    except Exception:  # noqa: BLE001
        return _FAILED


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
