"""UN and non-UN peace operations by host (conflict) country and month (Bara & Hultman).

Core table
----------
``nonun_operations_monthly``
    One row per operation x host country x month, 1993-01 to 2016-12, for the UN, regional and
    ad hoc peace operations of the UN and Non-UN Peacekeeping Dataset (v2-2019), with deployed
    personnel (SIPRI figures, linearly inter-/extrapolated to months by the producers).

Rules
-----
* **Aggregation.** The source unit is mission x UCDP conflict x month: a mission linked to
  several conflicts of one country repeats its mission-month with the same (mission-level)
  personnel values. Rows are collapsed to (``operation_id``, ``country_id_cow``, ``year``,
  ``month``); the personnel values must agree across the collapsed rows (else an error), and
  ``conflicts_n`` counts the linked conflicts, ``is_active_conflict`` is True when any of them is
  active that month. Personnel are never summed across conflicts.
* **Host country** is Bara's conflict country (``ccode``, COW): it is where the conflict is
  located, which for a few operations is not the territory of deployment (East Timor missions
  under Indonesia 850; UNIFIL and EUPOL COPPS under Israel 666; MINURSO under Morocco 600;
  UNMIK, KFOR, EULEX under Serbia/Yugoslavia 345). ``country_id_gw`` is its Gleditsch-Ward code
  for that year from ``country_codes`` (:func:`analysis.core.countries.gw_from_cow`).
* **Operation id.** UN missions: the UN acronym (``mission_id_un``); other operations: a
  lower-case slug of the SIPRI short name. Some short names are shared by distinct operations in
  different countries (``eufor``: Macedonia 2003, DR Congo 2006, Chad 2008), so an operation is
  identified by (``operation_id``, ``country_id_cow``); ``operation_id_bara`` is the producer's
  mission x country id.
* **Troops and observers across the 2015 break.** From 2015 SIPRI no longer separates troops from
  military observers: the combined figure is in troops and observers are 0 from December 2015,
  and January-November 2015 are interpolations between a separated (Dec 2014) and a combined
  (Dec 2015) figure. ``troops_observers_n`` (= troops + observers) is comparable over the whole
  period; ``troops_n`` and ``observers_n`` are NA from 2015-01 (not comparable with earlier
  years; the zeros are not "no observers"). ``police_n`` and ``personnel_total_n`` are unaffected.
* **Organisation.** ``org_type`` is the producer's type of deploying organisation (UN / regional /
  ad_hoc = "international"); the file has no organisation name, so none is given.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.core.countries import gw_from_cow
from analysis.core.schemas import (
    _KEY,
    SCHEMA_NONUN_OPERATIONS_MONTHLY,
)
from analysis.data.tables import table
from analysis.errors import BuildError
from analysis.sources import pko_un_nonun_bara_hultman as bara

#: First year in which SIPRI's troops and observers are not separable (interpolation from Dec 2014).
TROOPS_OBSERVERS_BREAK_YEAR = 2015

_OPERATION = ["operation_id_bara", "operation_name", "mission_id_un", "org_type", "is_un", "is_police_only",
              "country_name"]
_PERSONNEL = ["troops_n", "police_n", "observers_n", "personnel_total_n"]


def operations_monthly_from(rows: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Collapse Bara's mission x conflict x month rows to operation x host country x month.

    Parameters
    ----------
    rows
        :func:`analysis.sources.pko_un_nonun_bara_hultman.load_mission_conflict_month` output.
    codes
        The ``country_codes`` core table.

    Returns
    -------
    pandas.DataFrame
        One row per (``operation_id``, ``country_id_cow``, ``year``, ``month``) with the columns
        of :data:`SCHEMA_NONUN_OPERATIONS_MONTHLY`.
    """
    g = rows.groupby(_KEY, sort=True, dropna=False)
    varying = g[_OPERATION + _PERSONNEL].nunique(dropna=False)
    bad = varying[(varying > 1).any(axis=1)]
    if len(bad):
        col = bad.columns[(bad.iloc[0] > 1).to_numpy()][0]
        raise BuildError(f"nonun_operations_monthly: {col!r} differs between the conflict rows of "
                         f"{dict(zip(_KEY, bad.index[0]))}")
    out = g[_OPERATION + _PERSONNEL].first()
    out["conflicts_n"] = g["conflict_id_ucdp"].nunique().astype("Int64")
    out["is_active_conflict"] = g["is_active_conflict"].any().astype("boolean")
    out = out.reset_index()
    if out.groupby(["operation_id", "country_id_cow"])["operation_id_bara"].nunique().gt(1).any():
        raise BuildError("nonun_operations_monthly: one operation_id and country map to several Bara ids")
    troops = out["troops_n"].astype("Float64")
    observers = out["observers_n"].astype("Float64")
    out["troops_observers_n"] = troops + observers
    after = (out["year"] >= TROOPS_OBSERVERS_BREAK_YEAR).to_numpy(dtype=bool)
    out["troops_n"] = troops.mask(after)
    out["observers_n"] = observers.mask(after)
    out["country_id_gw"] = gw_from_cow(out["country_id_cow"], out["year"], codes).astype("Int64")
    for c in ("operation_id", "country_name", "operation_name", "mission_id_un", "org_type"):
        out[c] = out[c].astype("string")
    for c in ("is_un", "is_police_only"):
        out[c] = out[c].astype("boolean")
    return out[list(SCHEMA_NONUN_OPERATIONS_MONTHLY.columns)]


@table(
    "nonun_operations_monthly",
    primary_key=_KEY,
    unit="operation x host country x month",
    coverage=f"{bara.YEARS[0]}-01 to {bara.YEARS[1]}-12",
    sources=("pko_un_nonun_bara_hultman",),
    schema=SCHEMA_NONUN_OPERATIONS_MONTHLY,
    depends=("country_codes",),
)
def build_nonun_operations_monthly(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """UN, regional and ad hoc peace operations by host country and month, with personnel.

    From Bara & Hultman's mission x conflict x month rows, collapsed to operation x host (conflict)
    country x month (personnel are mission-level values, not summed over conflicts). Troops and
    observers are NA from 2015 (SIPRI merged them); ``troops_observers_n`` spans the break. See the
    module docstring for the rules.
    """
    return operations_monthly_from(bara.load_mission_conflict_month(), deps["country_codes"])
