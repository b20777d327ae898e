"""Notebooks into reports: ``peaceops run`` and the objects notebooks use to record results.

* :mod:`~analysis.reporting.params` - parameters of a notebook's ``parameters`` cell, their types
  and the validation of values;
* :mod:`~analysis.reporting.plan` - notebooks found, synced with their jupytext source, read;
  the runs (notebook x parameter set) with their keys;
* :mod:`~analysis.reporting.kernel` - the ``peaceops`` Jupyter kernel;
* :mod:`~analysis.reporting.execute` - runs executed in staging folders, moved into place;
* :mod:`~analysis.reporting.staging` - staging folders, the journaled swap of outputs into place,
  its recovery after a kill, the per-label lock;
* :mod:`~analysis.reporting.check` - ``peaceops run --check``: re-execute and compare;
* :mod:`~analysis.reporting.reporter` - the :class:`Reporter` used inside notebooks;
* :mod:`~analysis.reporting.index` - ``reports/index.html``.


Notebooks
    ``notebooks/NN_name.ipynb`` (found by the glob :data:`NOTEBOOK_GLOB`), each paired with
    ``notebooks/NN_name.py`` (jupytext py:percent), the reviewed source. Before anything runs,
    each pair is compared *by content* (cell types, sources and tags): when they differ and the
    ``.py`` is the newer file, the ``.ipynb`` is regenerated from it with jupytext's Python API
    (outputs kept where cells match); when the ``.ipynb`` is newer, the run stops with a message
    asking for ``jupytext --sync``, since silently executing unreviewed edits, or overwriting them,
    would both be wrong. A ``.py`` without ``.ipynb`` gets one. Comparing content (not only times)
    keeps a fresh ``git clone``, whose file times are arbitrary, from syncing anything.

Parameters
    The first code cell tagged ``parameters`` declares every parameter with a typed default
    (``n: int = 3``). Values come from parameter sets in ``notebooks/params/<stem>.yaml``
    (top-level keys = set names; ``default`` is always available and means the notebook's own
    defaults), then ``-f FILE.yaml`` (a flat mapping), then ``-p NAME VALUE`` (VALUE parsed as
    YAML; for a ``str`` parameter the text is taken as given). Everything is validated before any
    kernel starts: an unknown name, or a value whose type does not match the declared type
    (``int`` is accepted for ``float``; a ``None`` default without annotation accepts anything;
    ``Literal[...]`` restricts values), fails with the list of valid parameters, types and
    defaults. ``output_dir`` is reserved: the runner sets it.

Outputs (``reports/<stem>/``)
    ``<set>.ipynb`` (executed; kept for the default set, runs with overrides, or every run with
    ``keep_notebooks``), ``<set>.html`` (rendered without code cells), ``<set>/results.json``
    (written by the notebook's :class:`~analysis.reporting.Reporter`), the figures it links in
    ``figures/<name>-<sha12>.svg|png|csv`` (shared by the notebook's runs, :mod:`analysis.reporting.pool`),
    ``<set>.run.json`` (run key and its components). A run executes in a staging folder
    (``reports/<stem>/.staging/<set>/new/``; ``output_dir`` points there); only when every cell
    succeeded are the outputs moved into place, each by an atomic rename recorded in a journal,
    ``run.json`` last, so that the old or the new complete report always exists and the next run
    finishes a swap a kill interrupted (:mod:`~analysis.reporting.staging`). A run holds the lock
    of its notebook and label: a second run of the same label waits for it. In the saved
    notebook the injected ``output_dir`` is rewritten to the final folder, relative to
    ``notebooks/`` (so the committed notebook has no machine paths and can be re-executed from
    ``notebooks/``). A failing run leaves earlier reports untouched, keeps the executed notebook
    as ``<set>.failed.ipynb`` and names the failing cell (index, first lines, exception). Runs with
    ``-p``/``-f`` overrides are written under ``<set>-custom`` (or ``--name``, a plain slug of at
    most 64 letters, digits, ``-``, ``_``), never over the set's own report.

Caching
    A run is skipped when its key is unchanged: hash of the notebook's cells (type, source, tags),
    the parameters passed, the versions of all data tables (:func:`analysis.data.data_versions`),
    the package code (``analysis/**/*.py``) and the versions of the key packages. ``force`` reruns.

Kernel
    Notebooks execute on the Jupyter kernel ``peaceops`` (:func:`ensure_kernel` registers it for the
    current interpreter: into the virtual environment's ``share/jupyter/kernels`` when running in a
    venv, otherwise for the user), working directory ``notebooks/``.

:class:`Reporter` is imported from :mod:`~analysis.reporting.reporter` when first used: the
runner (``peaceops run``) imports the light submodules and starts the kernel without pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.reporting.reporter import Reporter

__all__ = ["Reporter"]


def __getattr__(name: str) -> Any:
    if name == "Reporter":
        from analysis.reporting.reporter import Reporter

        return Reporter
    raise AttributeError(f"module 'analysis.reporting' has no attribute {name!r}")
