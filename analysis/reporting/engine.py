"""The papermill engine of ``peaceops run``: papermill's nbclient engine with three differences.

* **The notebook is saved when the run ends, not at every cell.** papermill writes the whole
  executed notebook (validated against the schema) before and after each cell, about 40 writes
  for a notebook of 20 cells, each while the kernel waits for its next cell. Here the notebook
  is written when the execution ends, whatever the reason: success, a failing cell (papermill
  then writes it with the error), a timeout, a dead kernel or Ctrl-C (the engine's ``finally``),
  so the failed notebook the runner keeps is the same. papermill's time-based autosave during a
  long cell (every 30 s) is kept.
* **A kernel the runner started early can be handed over** (``km``: a started kernel manager,
  :func:`analysis.reporting.kernel.start_kernel_early`). nbclient then connects to it instead
  of starting one and, as for a kernel of its own, shuts it down when the notebook ends.
* **A kernel that ran the notebook to its end is frozen, asked to shut down and left to exit**
  while the runner writes the outputs (:func:`finish_shutdowns` then waits for it); a kernel that
  failed or may still be busy (a timeout) is shut down by nbclient as before, waiting for it.

``timings`` (a dict, optional) receives where the execution's time went, in seconds:
``kernel_start`` (starting the process; 0 for a kernel handed over), ``kernel_ready`` (until it
answers: its boot, and the early imports of a kernel handed over that were not done yet),
``cells`` (each code cell, in order) and ``shutdown`` (until the kernel was asked to exit, or
until it exited when nbclient shut it down).

Registered as papermill engine ``peaceops`` (:data:`ENGINE_NAME`) by :func:`register`.
"""

from __future__ import annotations

import functools
import time
from typing import Any

#: Name under which :func:`register` makes the engine known to papermill.
ENGINE_NAME = "peaceops"


@functools.cache
def register() -> str:
    """Register the engine with papermill (once per process); return its name."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, _engine_class())
    return ENGINE_NAME


def _engine_class() -> type:
    from jupyter_core.utils import ensure_async, run_sync
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, NotebookExecutionManager
    from papermill.utils import merge_kwargs, remove_args

    class EndSaveManager(NotebookExecutionManager):
        """papermill's execution manager without the saves at the start and end of each cell."""

        _quiet = False

        def save(self, **kwargs: Any) -> None:
            if not self._quiet:
                super().save(**kwargs)

        def _without_save(self, method: Any, *args: Any, **kwargs: Any) -> Any:
            self._quiet = True
            try:
                return method(*args, **kwargs)
            finally:
                self._quiet = False

        def notebook_start(self, **kwargs: Any) -> None:
            self._without_save(super().notebook_start, **kwargs)

        def cell_start(self, cell: Any, cell_index: int | None = None, **kwargs: Any) -> None:
            self._without_save(super().cell_start, cell, cell_index, **kwargs)

        def cell_complete(self, cell: Any, cell_index: int | None = None, **kwargs: Any) -> None:
            self._without_save(super().cell_complete, cell, cell_index, **kwargs)

    class HandedOverClient(PapermillNotebookClient):
        """papermill's client; a kernel manager handed in is owned (shut down at the end) as if
        the client had started it; a kernel that finished the notebook freezes its objects
        before it is shut down (:data:`FREEZE_CODE`)."""

        def __init__(self, nb_man: Any, km: Any = None, timings: dict | None = None, **kw: Any) -> None:
            super().__init__(nb_man, km=km, **kw)
            self.owns_km = True
            self._cells_done = False
            self.timings = timings if timings is not None else {}
            self.timings.update(kernel_start=0.0, kernel_ready=0.0, cells=[], shutdown=0.0)

        def _timed(self, key: str, method: Any, *args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                if key == "cells":
                    self.timings["cells"].append(time.perf_counter() - t0)
                else:
                    self.timings[key] += time.perf_counter() - t0

        def start_new_kernel(self, **kwargs: Any) -> None:
            self._timed("kernel_start", super().start_new_kernel, **kwargs)

        def start_new_kernel_client(self) -> Any:
            return self._timed("kernel_ready", super().start_new_kernel_client)

        def execute_cell(self, cell: Any, cell_index: int, *args: Any, **kwargs: Any) -> Any:
            if cell.cell_type != "code":
                return super().execute_cell(cell, cell_index, *args, **kwargs)
            return self._timed("cells", super().execute_cell, cell, cell_index, *args, **kwargs)

        def papermill_execute_cells(self) -> None:
            super().papermill_execute_cells()
            self._cells_done = True  # every cell ran, or one failed: the kernel is idle

        async def _async_cleanup_kernel(self) -> None:
            t0 = time.perf_counter()
            try:
                km: Any = getattr(self, "km", None)
                kc: Any = getattr(self, "kc", None)
                idle = self._cells_done and km is not None and kc is not None
                if idle and await ensure_async(km.is_alive()):
                    # the notebook ran to its end and the kernel is idle: freeze, ask it to shut down
                    # and let it exit while the runner writes the outputs (finish_shutdowns)
                    await _freeze(kc)
                    await ensure_async(km.request_shutdown())
                    _PENDING.append(km)
                    kc.stop_channels()
                    self.kc = None
                    self.km = None
                else:  # a kernel that failed or may be busy: nbclient's shutdown, waited for
                    await super()._async_cleanup_kernel()
            finally:
                self.timings["shutdown"] += time.perf_counter() - t0

        # nbclient binds the synchronous wrapper to its own coroutine: bind it to this one
        _cleanup_kernel = run_sync(_async_cleanup_kernel)

    class PeaceopsEngine(NBClientEngine):
        @classmethod
        def execute_notebook(  # type: ignore[override]
            cls,
            nb: Any,
            kernel_name: str,
            output_path: str | None = None,
            progress_bar: bool = True,
            log_output: bool = False,
            autosave_cell_every: int = 30,
            **kwargs: Any,
        ) -> Any:
            # papermill's Engine.execute_notebook with EndSaveManager
            nb_man = EndSaveManager(nb, output_path=output_path, progress_bar=progress_bar,
                                    log_output=log_output, autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()  # saves the notebook, also after an exception
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(  # type: ignore[override]
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: float | None = None,
            **kwargs: Any,
        ) -> Any:
            # papermill's NBClientEngine.execute_managed_notebook with HandedOverClient
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=_papermill_logger(),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            return HandedOverClient(nb_man, **final_kwargs).execute()

    return PeaceopsEngine


#: Kernels of finished notebooks asked to shut down, whose exit :func:`finish_shutdowns` awaits.
_PENDING: list[Any] = []


def finish_shutdowns() -> float:
    """Wait for the kernels asked to shut down at the end of their notebook to exit (a kernel that
    has not exited after half of jupyter_client's ``shutdown_wait_time`` gets SIGTERM, then
    SIGKILL) and clean up their connection files; return the seconds waited.

    The runner calls it once a run's outputs are written: the kernel's exit overlaps with them.
    """
    from jupyter_core.utils import run_sync

    t0 = time.perf_counter()
    while _PENDING:
        km = _PENDING.pop()
        try:
            run_sync(km.finish_shutdown)(pollinterval=0.02)
        finally:
            run_sync(km.cleanup_resources)()
    return time.perf_counter() - t0


#: Run in a kernel that is about to be shut down: moves every object into the garbage
#: collector's permanent generation, so that the interpreter's exit does not traverse them.
#: A kernel that ran a notebook of ours took 1-3 s to exit after the shutdown request (the
#: runner waits for it), 0.1 s after this. Only the collection of reference cycles at exit is
#: skipped (Python does not promise ``__del__`` at exit); ``atexit`` handlers and
#: ``weakref.finalize`` callbacks (temporary folders, worker pools) run as before.
FREEZE_CODE = "import gc as _gc; _gc.freeze(); del _gc"


async def _freeze(kc: Any, timeout: float = 10.0) -> None:
    """Run :data:`FREEZE_CODE` silently in the kernel of client ``kc`` and wait for its reply
    (at most ``timeout`` seconds; a kernel that does not answer is shut down all the same)."""
    import asyncio
    from queue import Empty

    from jupyter_core.utils import ensure_async

    try:
        msg_id = kc.execute(FREEZE_CODE, silent=True, store_history=False, allow_stdin=False,
                            stop_on_error=False)

        async def reply() -> None:
            while True:
                try:
                    msg = await ensure_async(kc.shell_channel.get_msg(timeout=timeout))
                except Empty:
                    return
                if msg["parent_header"].get("msg_id") == msg_id:
                    return

        await asyncio.wait_for(reply(), timeout=timeout)
    except Exception:  # noqa: BLE001 - a kernel that died or hangs: the shutdown handles it
        return


def _papermill_logger() -> Any:
    from papermill.log import logger

    return logger
