"""The ``peaceops`` Jupyter kernel the notebooks execute on."""

from __future__ import annotations

import functools
import logging
import os
import sys
from pathlib import Path
from typing import Any

from analysis.errors import RunnerError

log = logging.getLogger(__name__)

#: Name of the Jupyter kernel the notebooks execute on.
KERNEL_NAME = "peaceops"

# --------------------------------------------------------------------------- kernel and keys


def _same_interpreter(argv0: str) -> bool:
    return os.path.normcase(os.path.abspath(argv0)) == os.path.normcase(os.path.abspath(sys.executable))


def ensure_kernel(name: str = KERNEL_NAME) -> Path:
    """Register the Jupyter kernel ``name`` for the current interpreter (once); return its folder.

    Inside a virtual environment the kernelspec goes to ``<venv>/share/jupyter/kernels/<name>``
    (no home folder needed; works offline, e.g. as root in CI); otherwise to the user's Jupyter
    data folder. An existing spec pointing at this interpreter is left alone. If a spec of the
    same name elsewhere on the Jupyter path shadows it, a user-level spec is written (searched
    first); if that still does not win, an error names the shadowing spec.
    """
    from ipykernel.kernelspec import install
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    def current() -> Any:
        try:
            return KernelSpecManager().get_kernel_spec(name)
        except NoSuchKernel:
            return None

    spec = current()
    if spec is not None and spec.argv and _same_interpreter(spec.argv[0]):
        return Path(spec.resource_dir)
    in_venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
    display = f"Python ({name})"
    if in_venv and os.access(sys.prefix, os.W_OK):
        install(kernel_name=name, display_name=display, prefix=sys.prefix)
    else:
        install(kernel_name=name, display_name=display, user=True)
    spec = current()
    if spec is None or not _same_interpreter(spec.argv[0]):
        install(kernel_name=name, display_name=display, user=True)
        spec = current()
    if spec is None or not _same_interpreter(spec.argv[0]):
        where = spec.resource_dir if spec is not None else "?"
        raise RunnerError(
            f"Jupyter kernel {name!r} at {where} runs {spec.argv[0] if spec else '?'}, "
            f"not {sys.executable}; remove it (`jupyter kernelspec remove {name}`)"
        )
    log.info("registered Jupyter kernel %r at %s", name, spec.resource_dir)
    return Path(spec.resource_dir)


@functools.cache
def kernel_manager_class() -> type:
    """jupyter_client's ``AsyncKernelManager`` minus the SIGINT it sends a kernel it shuts down.

    ``shutdown_kernel`` interrupts the kernel (SIGINT to its process group) before sending the
    shutdown request. A run's kernel is idle by then, except that papermill ends with a
    ``kernel_info`` request and shuts down as soon as the reply arrives: the SIGINT can land while
    the kernel is still returning from that handler (ipykernel turns SIGINT on around each
    handler), which then logs "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel." on the
    console, more often on a loaded machine (``--jobs``). Without that interrupt a kernel still
    busy at shutdown (cell timeout, Ctrl-C) gets the shutdown request and, should it not exit,
    SIGTERM after half of ``shutdown_wait_time`` and SIGKILL at its end. Explicit interrupts
    (``interrupt_kernel``) are unchanged.
    """
    from jupyter_client.manager import AsyncKernelManager

    class QuietShutdownKernelManager(AsyncKernelManager):
        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:  # set by shutdown_kernel (and restart_kernel) only
                return
            await super()._async_interrupt_kernel()

    return QuietShutdownKernelManager




# --------------------------------------------------------------------------- a kernel started early

#: Third-party modules a kernel started early imports while the runner checks the data
#: (:func:`start_kernel_early`): the heavy ones that nearly every notebook's first cell imports
#: through ``analysis`` (data tables, models, figures). Only third-party modules: the ``analysis``
#: modules a notebook imports are recorded in its ``results.json`` and key its cached runs.
WARM_IMPORTS = (
    "numpy",
    "pandas",
    "pyarrow.parquet",
    "pandera.pandas",
    "scipy.stats",
    "statsmodels.discrete.discrete_model",
    "matplotlib.pyplot",
)

#: Kernel option of every notebook run: the kernel's own log quiet (errors only).
KERNEL_LOG_LEVEL = "--IPKernelApp.log_level=ERROR"
#: The option nbclient adds when it starts a kernel (IPython's history in memory, no sqlite file):
#: a kernel started early gets it too.
NBCLIENT_HISTORY = "--HistoryManager.hist_file=:memory:"


def warm_import_arguments(modules: tuple[str, ...] = WARM_IMPORTS) -> list[str]:
    """Kernel options that import ``modules`` while the kernel starts, before it answers: IPython
    runs its ``exec_lines`` without history or execution count; the names they bind are deleted,
    so the notebook's namespace is as in a fresh kernel.

    The objects made so far (the imported libraries) are then frozen (``gc.freeze``): the
    garbage collector's full collections during the notebook no longer walk them (a third of
    the collector's time in notebook 04, ~0.3 s). Numbers do not depend on it.
    """
    names = sorted({m.split(".")[0] for m in modules})
    return [f"--IPKernelApp.exec_lines=import {', '.join(modules)}",
            f"--IPKernelApp.exec_lines=del {', '.join(names)}",
            "--IPKernelApp.exec_lines=import gc as _gc; _gc.freeze(); del _gc"]


class EarlyKernel:
    """A kernel started before its run executes, importing :data:`WARM_IMPORTS` meanwhile.

    Made by :func:`start_kernel_early`; the run hands ``km`` to papermill (engine
    :mod:`~analysis.reporting.engine`), which shuts the kernel down at the end. A kernel that is
    not used (the run turned out cached, its environment differs, the runner failed first) is
    shut down by :meth:`discard`.
    """

    def __init__(self, km: Any, env: dict[str, str], cwd: Path) -> None:
        self.km = km
        self.env = env
        self.cwd = cwd
        #: Handed over to a run (papermill then owns it).
        self.used = False

    def fits(self, run_env: dict[str, str], cwd: Path) -> bool:
        """Whether the kernel was started for this run: with the run's variables ``run_env``
        (its context, :func:`analysis.reporting.execute.run_environment`) and in folder ``cwd``.

        The rest of its environment is the runner's when the kernel started; variables that
        libraries set when the runner imports them later (pandera sets ``SPARK_LOCAL_IP``) are
        set by the same imports in the kernel.
        """
        same_vars = all(self.env.get(k) == v for k, v in run_env.items())
        return same_vars and Path(self.cwd).resolve() == Path(cwd).resolve()

    def discard(self) -> None:
        """Shut the kernel down (it was not used, or its run failed before taking it over)."""
        from jupyter_core.utils import run_sync

        km, self.km = self.km, None
        if km is None:
            return
        try:
            if run_sync(km.is_alive)():
                run_sync(km.shutdown_kernel)(now=True)
        finally:
            run_sync(km.cleanup_resources)()

    def stop_if_alive(self) -> None:
        """After a run that was handed the kernel: papermill shut it down, unless the run failed
        before papermill took it over; then it is shut down here."""
        from jupyter_core.utils import run_sync

        if self.km is not None and run_sync(self.km.is_alive)():
            self.discard()
        self.km = None


def start_kernel_early(name: str, env: dict[str, str], cwd: Path) -> EarlyKernel:
    """Start kernel ``name`` now, with environment ``env`` in folder ``cwd``, importing
    :data:`WARM_IMPORTS` before it answers (:func:`warm_import_arguments`); returns at once:
    the kernel boots and imports while the runner goes on (checks data, plans), and the
    notebook's first cell finds the modules imported.
    """
    from jupyter_core.utils import run_sync

    km = kernel_manager_class()(kernel_name=name)
    args = [KERNEL_LOG_LEVEL, NBCLIENT_HISTORY, *warm_import_arguments()]
    run_sync(km.start_kernel)(extra_arguments=args, env=dict(env), cwd=str(cwd))
    return EarlyKernel(km, dict(env), cwd)
