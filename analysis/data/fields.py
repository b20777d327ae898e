"""Columns shared by many tables, declared once (in the spirit of PUDL's field metadata).

A column such as ``country_id_gw``, ``year`` or ``personnel_total_n`` means the same thing in
every table that has it (``conventions.md``: the same concept has the same name everywhere).
Each is declared here once, with its dtype, its definition (unit, codes) and the checks every
use shares; a schema builds it with :func:`field`, adding what is particular to the table (a
narrower range, nullability, a table-specific description that replaces the shared one, as PUDL's
per-resource field descriptions do). The codebook lists these definitions and marks the
columns that use them (:mod:`analysis.data.codebook`).

``region`` and ``date`` are deliberately not shared: their code lists and meanings differ by
source (TAMM regions, UCDP region codes, COW code blocks; incident dates, month starts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandera.pandas as pa


@dataclass(frozen=True)
class Field:
    """A shared column: name, pandas dtype, definition, and the checks every table applies."""

    name: str
    dtype: str
    description: str
    checks: tuple[pa.Check, ...] = ()


_ISO3 = r"^[A-Z]{3}$"
_in, _matches = pa.Check.in_range, pa.Check.str_matches


def _count(name: str, what: str) -> Field:
    return Field(name, "Int64", f"{what}, persons.", (pa.Check.ge(0),))


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        # identifiers of states and their names
        Field("country_id_gw", "Int64", "Gleditsch-Ward state code (numeric).", (pa.Check.ge(0),)),
        Field("country_id_cow", "Int64", "Correlates of War state code (numeric).", (_in(1, 999),)),
        Field("country_id_iso3", "string", "ISO 3166-1 alpha-3 country code.", (_matches(_ISO3),)),
        Field("country_id_m49", "Int64", "UN M49 numeric country code.", (pa.Check.in_range(1, 999),)),
        Field("country_name", "string", "Name of the country or state as the source spells it (not a key)."),
        Field(
            "is_africa",
            "boolean",
            "True for states on the African continent, North Africa included (G-W 400-626 and Egypt 651).",
        ),
        # time
        Field("year", "Int64", "Calendar year."),
        Field("month", "Int64", "Month, 1-12.", (pa.Check.in_range(1, 12),)),
        Field("day", "Int64", "Day of the month, 1-31.", (pa.Check.in_range(1, 31),)),
        # UN missions, conflicts, coups
        Field("mission_id_un", "string", "UN acronym of the peace operation (e.g. MINUSMA; un_missions)."),
        Field("mission_name", "string", "Name of the UN peace operation."),
        Field("conflict_id", "Int64", "UCDP conflict id."),
        Field(
            "intensity_level",
            "Int64",
            "UCDP conflict intensity in the year: 1 minor (25-999 battle-related deaths), 2 war (>= 1,000).",
            (pa.Check.isin((1, 2)),),
        ),
        Field("coup_id", "string", "Coup event id: the source's abbreviation, then the event's own key."),
        Field("is_successful", "boolean", "True for a successful coup, False for a failed attempt."),
        # uniformed personnel of peace operations
        _count("troops_n", "Troops (military contingents)"),
        _count("police_n", "Police (individual officers and formed units)"),
        _count("observers_n", "Military observers (and, where the source counts them so, staff officers)"),
        _count("personnel_total_n", "Uniformed personnel (troops, police and military observers)"),
        _count("fatalities_n", "Deaths of mission personnel, all causes"),
        # conflict deaths (UCDP organized violence, best estimates)
        _count("deaths_state_based_n", "Deaths in state-based armed conflict, UCDP best estimate"),
        _count("deaths_non_state_n", "Deaths in non-state conflict, UCDP best estimate"),
        _count("deaths_one_sided_n", "Deaths in one-sided violence against civilians, UCDP best estimate"),
        # covariates
        Field("gdp_pc_usd", "Float64", "GDP per capita, constant US$.", (pa.Check.ge(0),)),
        Field("population_n", "Float64", "Population, persons.", (pa.Check.ge(0),)),
        Field("v2x_polyarchy", "Float64", "V-Dem electoral democracy index, 0-1.", (_in(0, 1),)),
        Field(
            "polity2",
            "Float64",
            "Polity5 polity2 score, -10 (autocracy) to 10 (democracy).",
            (pa.Check.in_range(-10, 10),),
        ),
        _count("us_troops_n", "U.S. active-duty military personnel in the country"),
    )
}


def field(
    name: str,
    *checks: pa.Check,
    description: str | None = None,
    dtype: str | None = None,
    nullable: bool = False,
    **kwargs: Any,
) -> pa.Column:
    """The shared column ``name`` as a pandera Column for one schema.

    Parameters
    ----------
    name
        A key of :data:`FIELDS`.
    checks
        Checks of this table on top of the shared ones (e.g. the years it covers).
    description
        What the column is *in this table* (source, coverage, NA rule); replaces the shared
        definition, which the codebook still shows. ``None``: the shared definition.
    dtype
        Only where the table holds an aggregate of the shared column (a monthly mean of counts is
        ``Float64``); otherwise the shared dtype.
    nullable, kwargs
        As for :class:`pandera.Column` (``unique``, ...).

    Raises
    ------
    KeyError
        For a name that is not a shared field.
    """
    f = FIELDS.get(name)
    if f is None:
        raise KeyError(f"{name!r} is not a shared field; shared: {', '.join(sorted(FIELDS))}")
    more = kwargs.pop("checks", ())  # e.g. from shared ColumnOptions
    more = [more] if isinstance(more, pa.Check) else list(more)
    unique_checks = {repr(c): c for c in [*f.checks, *checks, *more]}  # a check given twice runs once
    return pa.Column(
        dtype or f.dtype,
        checks=list(unique_checks.values()),
        nullable=nullable,
        description=description if description is not None else f.description,
        metadata={"field": name},
        **kwargs,
    )
