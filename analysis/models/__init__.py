"""Statistical models of the analysis: casualty counts, segmented trends, coup risk.

Models never load data: they take DataFrames (``analysis.data.load(...)`` in the
notebooks) and return a :class:`ModelResult`. Options are validated (``ValueError`` lists
the valid values); a model that cannot be estimated raises
:class:`~analysis.errors.ModelError` naming the specification.

* :func:`fit_casualty_model` - NB2 / PPML with log-exposure offset, fixed effects,
  cluster-robust SEs under two conventions (:mod:`analysis.models.casualties`);
  :func:`casualty_design` checks a sample once for cheap refits (weights, warm starts).
* :mod:`analysis.models.counts` - the count-model engine on design arrays (Newton,
  fixed effects as index arrays, separation check, covariance conventions).
* :func:`fit_segmented_trend`, :func:`rates_by_year` - interrupted time series and
  fatality rates per 1,000 personnel-years (:mod:`analysis.models.trends`).
* :func:`prepare_coup_data`, :func:`fit_coup_model`, :func:`predict_coup_risk` - logit and
  Firth logit of coups with duration dependence (:mod:`analysis.models.coups`).
* :mod:`analysis.models.dgp` - simulators with known effects for the tests.
"""

from __future__ import annotations

from analysis.errors import ModelError
from analysis.models.casualties import casualty_design, fit_casualty_model
from analysis.models.coups import firth_fit, fit_coup_model, predict_coup_risk, prepare_coup_data
from analysis.models.dgp import simulate_casualty_panel, simulate_coup_panel, simulate_segmented_series
from analysis.models.results import ModelResult, check_option
from analysis.models.trends import fit_segmented_trend, rates_by_year

__all__ = [
    "ModelError",
    "ModelResult",
    "casualty_design",
    "check_option",
    "firth_fit",
    "fit_casualty_model",
    "fit_coup_model",
    "fit_segmented_trend",
    "predict_coup_risk",
    "prepare_coup_data",
    "rates_by_year",
    "simulate_casualty_panel",
    "simulate_coup_panel",
    "simulate_segmented_series",
]
