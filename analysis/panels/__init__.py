"""Analysis panels built from the core tables and the curated tables, by composable verbs.

* :mod:`analysis.panels.country` - ``country_years`` (every Gleditsch-Ward state, 1990-2024):
  :func:`create_country_years`, then :func:`add_coups`, :func:`add_un_presence`,
  :func:`add_nonun_operations`, :func:`add_partnership`, :func:`add_conflict`,
  :func:`add_covariates`;
* :mod:`analysis.panels.mission` - ``mission_months`` and ``mission_years`` (UN peacekeeping
  operations, 1990-01 to the last month of the fatalities data): :func:`create_mission_months`,
  then :func:`add_fatalities`, :func:`add_personnel`, :func:`add_mandates`,
  :func:`add_host_nonun_operations`, :func:`add_host_conflict`;
* :mod:`analysis.panels.agreement` - curated tables against the datasets they overlap;
* :mod:`analysis.panels.join`, :mod:`analysis.panels.hosts`, :mod:`analysis.panels.coverage`,
  :mod:`analysis.panels.schemas` - the joins, host-country measures, source years and schemas
  the verbs share.

Every verb is a left join on the backbone that keeps its rows (:func:`~analysis.panels.join.enrich`),
so a researcher can compose a panel of their own in a notebook::

    from analysis.panels import add_conflict, add_coups, create_country_years

    cy = add_conflict(add_coups(create_country_years(years=(2000, 2024))))

Panels are declared with :func:`analysis.data.tables.table` (``layer="panels"``), so they are
built, cached and loaded like core tables (``analysis.data.load("country_years")``) and written
to ``data/processed/panels/``.
"""

from __future__ import annotations

from analysis.panels.country import (
    add_conflict,
    add_coups,
    add_covariates,
    add_nonun_operations,
    add_partnership,
    add_un_presence,
    create_country_years,
)
from analysis.panels.mission import (
    add_fatalities,
    add_host_conflict,
    add_host_nonun_operations,
    add_mandates,
    add_personnel,
    create_mission_months,
)

__all__ = [
    "add_conflict",
    "add_coups",
    "add_covariates",
    "add_fatalities",
    "add_host_conflict",
    "add_host_nonun_operations",
    "add_mandates",
    "add_nonun_operations",
    "add_partnership",
    "add_personnel",
    "add_un_presence",
    "create_country_years",
    "create_mission_months",
]
