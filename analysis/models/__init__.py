"""Statistical models of the analysis: casualty counts, segmented trends, coup risk.

Models never load data: they take DataFrames (``analysis.data.load(...)`` in the
notebooks) and return a :class:`ModelResult`. Options are validated (``ValueError`` lists
the valid values); a model that cannot be estimated raises
:class:`~analysis.errors.ModelError` naming the specification.

* :func:`fit_casualty_model` - NB2 / PPML with log-exposure offset, fixed effects,
  cluster-robust SEs under two conventions (:mod:`analysis.models.casualties`);
  :func:`casualty_design` checks a sample once for cheap refits (weights, warm starts).
* :mod:`analysis.models.counts` - the count-model engine on design arrays (Newton, NB2
  optimizer path); :mod:`analysis.models.count_design` - the design (fixed effects as index
  arrays, separation check); :mod:`analysis.models.count_vcov` - covariance conventions;
  :mod:`analysis.models.casualty_checks` - sample encoding and design checks.
* :func:`fit_segmented_trend`, :func:`rates_by_year` - interrupted time series and
  fatality rates per 1,000 personnel-years (:mod:`analysis.models.trends`).
* :func:`prepare_coup_data`, :func:`fit_coup_model`, :func:`predict_coup_risk` - logit and
  Firth logit of coups with duration dependence (:mod:`analysis.models.coups`).
* :func:`wild_cluster_bootstrap`, :func:`leave_one_cluster_out`, :func:`t_reference`,
  :func:`romano_wolf`, :func:`term_status` - inference with few, unequal clusters
  (:mod:`analysis.models.wild_bootstrap`, :mod:`analysis.models.inference`,
  :mod:`analysis.models.multiple_testing`).
* :func:`e_value`, :func:`e_value_for`, :func:`fit_linear`, :func:`sensitivity_linear`,
  :func:`robustness_value` - sensitivity to unobserved confounding
  (:mod:`analysis.models.sensitivity`).
* :func:`fit_event_study`, :func:`placebo_events`, :func:`negative_control` - stacked PPML
  event studies with clean controls (:mod:`analysis.models.event_study`).
* :func:`search_breaks` - break-year search with a bootstrap reference
  (:mod:`analysis.models.breaks`).
* :mod:`analysis.models.dgp` - simulators with known effects for the tests.
* :class:`Spec`, :func:`fit_many`, :func:`compare`, :func:`load_grid`, :func:`curve_summary`,
  :func:`null_test`, :class:`SpecData` - specification curves over grids of choices, fitted
  serially, with joblib or on a Dask cluster, cached per spec (:mod:`analysis.models.multiverse`).

``docs/methods.md`` gives the formulas and references.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Where each public name lives. Imported on first use (PEP 562), so that a notebook importing
#: one model (``analysis.models.coups``) does not pay for the others (statsmodels' time series,
#: the bootstrap, the event study): the import cell of a report run is seconds shorter.
_LAZY: dict[str, str] = {
    "ModelError": "analysis.errors",
    "ModelResult": "analysis.models.results",
    "Spec": "analysis.models.multiverse",
    "SpecData": "analysis.models.multiverse",
    "casualty_design": "analysis.models.casualties",
    "check_option": "analysis.models.results",
    "compare": "analysis.models.multiverse",
    "curve_summary": "analysis.models.multiverse",
    "e_value": "analysis.models.sensitivity",
    "e_value_for": "analysis.models.sensitivity",
    "firth_fit": "analysis.models.coups",
    "fit_casualty_model": "analysis.models.casualties",
    "fit_coup_model": "analysis.models.coups",
    "fit_event_study": "analysis.models.event_study",
    "fit_linear": "analysis.models.sensitivity",
    "fit_many": "analysis.models.multiverse",
    "fit_segmented_trend": "analysis.models.trends",
    "leave_one_cluster_out": "analysis.models.inference",
    "load_grid": "analysis.models.multiverse",
    "negative_control": "analysis.models.event_study",
    "null_test": "analysis.models.multiverse",
    "placebo_distribution": "analysis.models.event_study",
    "placebo_events": "analysis.models.event_study",
    "predict_coup_risk": "analysis.models.coups",
    "prepare_coup_data": "analysis.models.coups",
    "rates_by_year": "analysis.models.trends",
    "robustness_value": "analysis.models.sensitivity",
    "romano_wolf": "analysis.models.multiple_testing",
    "search_breaks": "analysis.models.breaks",
    "sensitivity_linear": "analysis.models.sensitivity",
    "simulate_casualty_panel": "analysis.models.dgp",
    "simulate_coup_panel": "analysis.models.dgp",
    "simulate_segmented_series": "analysis.models.dgp",
    "simulate_staggered_panel": "analysis.models.dgp",
    "t_reference": "analysis.models.inference",
    "term_status": "analysis.models.inference",
    "wild_cluster_bootstrap": "analysis.models.wild_bootstrap",
}

if TYPE_CHECKING:  # for type checkers and IDEs: the eager imports
    from analysis.errors import ModelError
    from analysis.models.breaks import search_breaks
    from analysis.models.casualties import casualty_design, fit_casualty_model
    from analysis.models.coups import firth_fit, fit_coup_model, predict_coup_risk, prepare_coup_data
    from analysis.models.dgp import (
        simulate_casualty_panel,
        simulate_coup_panel,
        simulate_segmented_series,
        simulate_staggered_panel,
    )
    from analysis.models.event_study import (
        fit_event_study,
        negative_control,
        placebo_distribution,
        placebo_events,
    )
    from analysis.models.inference import leave_one_cluster_out, t_reference, term_status
    from analysis.models.multiple_testing import romano_wolf
    from analysis.models.multiverse import (
        Spec,
        SpecData,
        compare,
        curve_summary,
        fit_many,
        load_grid,
        null_test,
    )
    from analysis.models.results import ModelResult, check_option
    from analysis.models.sensitivity import (
        e_value,
        e_value_for,
        fit_linear,
        robustness_value,
        sensitivity_linear,
    )
    from analysis.models.trends import fit_segmented_trend, rates_by_year
    from analysis.models.wild_bootstrap import wild_cluster_bootstrap


def __getattr__(name: str) -> Any:
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'analysis.models' has no attribute {name!r}")
    value = getattr(importlib.import_module(mod), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "ModelError",
    "ModelResult",
    "Spec",
    "SpecData",
    "casualty_design",
    "check_option",
    "compare",
    "curve_summary",
    "e_value",
    "e_value_for",
    "firth_fit",
    "fit_casualty_model",
    "fit_coup_model",
    "fit_event_study",
    "fit_linear",
    "fit_many",
    "fit_segmented_trend",
    "leave_one_cluster_out",
    "load_grid",
    "negative_control",
    "null_test",
    "placebo_distribution",
    "placebo_events",
    "predict_coup_risk",
    "prepare_coup_data",
    "rates_by_year",
    "robustness_value",
    "romano_wolf",
    "search_breaks",
    "sensitivity_linear",
    "simulate_casualty_panel",
    "simulate_coup_panel",
    "simulate_segmented_series",
    "simulate_staggered_panel",
    "t_reference",
    "term_status",
    "wild_cluster_bootstrap",
]
