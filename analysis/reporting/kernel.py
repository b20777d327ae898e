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


