"""Specification curves: many specifications of one question, fitted in parallel, summarised.

Every defensible choice of an analysis (which mandate coding, carried forward or not, fixed
effects, estimator, unit, window, sample, controls, outcome definition, coup data set, lag) is a
dimension of a grid; the grid's specifications are fitted by one execution path with three
backends and summarised as a specification curve (Simonsohn, Simmons & Nelson 2020).

* :mod:`~analysis.models.multiverse.spec` - :class:`Spec`, one specification, and its hash;
* :mod:`~analysis.models.multiverse.data` - :class:`SpecData`, a panel and the rules that turn
  a spec into an estimation frame (studies subclass it; permutations for the null);
* :mod:`~analysis.models.multiverse.grid` - grids as YAML data (:func:`load_grid`, :class:`Grid`);
* :mod:`~analysis.models.multiverse.fit` - one spec (or a chunk of neighbours) into tidy rows
  with a status for every degenerate case;
* :mod:`~analysis.models.multiverse.execute` - :func:`fit_many`: serial, joblib or Dask,
  result cache per spec hash (resume), progress bar;
* :mod:`~analysis.models.multiverse.summary` - :func:`curve_summary` (shares, median, IQR,
  variance decomposition), :func:`verdict`, :func:`compare` (a few specs side by side);
* :mod:`~analysis.models.multiverse.null` - :func:`null_test`, joint inference by permuting
  the treatment within year.

Example::

    from analysis.models import fit_many, load_grid
    from analysis.studies.multiverse import casualty_data, grid_path

    grid = load_grid(grid_path("casualties"))
    results = fit_many(grid.specs("test"), casualty_data(mm), backend="joblib", cache="mv-cache")
"""

from __future__ import annotations

from analysis.models.multiverse.cache import ResultCache
from analysis.models.multiverse.data import Prepared, SpecData, permute_within
from analysis.models.multiverse.execute import CHUNK_SIZE, Backend, fit_many, result_key
from analysis.models.multiverse.fit import RESULT_COLUMNS, KeptResult, classify, fit_spec
from analysis.models.multiverse.grid import Grid, GridError, load_grid, parse_grid
from analysis.models.multiverse.null import NullResult, null_test
from analysis.models.multiverse.spec import SPEC_FIELDS, Spec, Status
from analysis.models.multiverse.summary import (
    Comparison,
    CurveSummary,
    compare,
    curve_summary,
    variance_decomposition,
    verdict,
)

__all__ = [
    "CHUNK_SIZE",
    "RESULT_COLUMNS",
    "SPEC_FIELDS",
    "Backend",
    "Comparison",
    "CurveSummary",
    "Grid",
    "GridError",
    "KeptResult",
    "NullResult",
    "Prepared",
    "ResultCache",
    "Spec",
    "SpecData",
    "Status",
    "classify",
    "compare",
    "curve_summary",
    "fit_many",
    "fit_spec",
    "load_grid",
    "null_test",
    "parse_grid",
    "permute_within",
    "result_key",
    "variance_decomposition",
    "verdict",
]
