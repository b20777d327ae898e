"""UCDP Country-Year Dataset on Organized Violence within Country Borders (v25.1).

Deaths in state-based conflict (split into intrastate and interstate),
non-state conflict and one-sided violence, by the Gleditsch-Ward country where
they occurred, 1989-2024 (aggregated by UCDP from its GED events).

Quirks handled
--------------
* Every upstream column carries the suffix ``_cy``; columns are renamed to the
  project's names (``country_id_cy`` -> ``country_id_gw``, ``year_cy`` ->
  ``year``, ``sb_total_deaths_best_cy`` -> ``deaths_state_based_n``, ...; see
  :data:`RENAME`).
* ``country_id_cy`` is a Gleditsch-Ward code (UCDP's variant: e.g. 816
  Vietnam, 678/680 Yemen, 345 Serbia).
* Dyad id/name lists (``*_dyad_ids_cy``, ``*_dyad_names_cy``) hold
  ``"; "``-separated lists in one cell; they are kept as strings. The
  sentinel ``NO_DYAD`` (no active dyad, dyad count 0) becomes NA.
* The file has no missing values: zeros are real zeros (no violence recorded
  by UCDP) inside 1989-2024. An empty or non-numeric cell is an error naming
  its row.
* The columns UCDP calls ``cumulative_total_deaths_*_in_orgvio_cy`` are *not*
  cumulated over years: they are the sum over the three types of violence in
  the year (checked on v25.1: best = state-based + non-state + one-sided in
  every row). They are named ``deaths_orgvio_*_n`` here.
* ``os_killings_unknown_cy`` is not part of the one-sided total (total =
  any-government + non-state-group killings in every row); it is kept as
  ``deaths_one_sided_unknown_n`` with UCDP's meaning (codebook not included).
* The ``version`` column must equal the registered version (25.1); it is
  checked and dropped. UTF-8 (non-ASCII actor names); another encoding is an
  error naming the file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import FIELDS, field
from analysis.data.registry import raw_file
from analysis.sources._base import (
    LoaderSpec,
    check_codes,
    raw_path,
    read,
    require_columns,
    source_constants,
    strip_strings,
    to_numeric,
    validate,
)

_C = source_constants("ucdp_organized_violence_cy")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "organizedviolencecy_v25_1.csv"

#: Sentinel in the dyad id/name lists meaning "no active dyad".
NO_DYAD = "NO_DYAD"
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Middle East")

_TYPES = {  # upstream prefix -> (our label, description)
    "sb": ("state_based", "state-based armed conflict (intrastate and interstate)"),
    "sb_intrastate": ("intrastate", "intrastate state-based conflict"),
    "sb_interstate": ("interstate", "interstate state-based conflict"),
    "ns": ("non_state", "non-state conflict"),
    "os": ("one_sided", "one-sided violence against civilians"),
}
_EST = {"best": "", "high": "_high", "low": "_low"}
_EST_DESC = {"best": "best estimate", "high": "high estimate", "low": "low estimate"}


def _columns() -> dict[str, tuple[str, str, str]]:
    """Upstream name -> (our name, kind, description); kind in id/str/bool/count/list."""
    cols: dict[str, tuple[str, str, str]] = {
        "country_id_cy": ("country_id_gw", "id", "Gleditsch-Ward country code (UCDP variant) of the "
                                                 "country where the deaths occurred."),
        "country_cy": ("country_name", "str", "Country name (UCDP)."),
        "year_cy": ("year", "id", "Calendar year."),
        "region_cy": ("region", "str", "UCDP region: Africa, Americas, Asia, Europe, Middle East."),
        "main_govt_name_cy": ("main_govt_name", "str", "UCDP name of the country's main government actor."),
    }
    zero = "; 0 = none recorded (a real zero inside 1989-2024)"
    for pre, (lab, desc) in _TYPES.items():
        cols[f"{pre}_exist_cy"] = (f"has_{lab}", "bool", f"True if any {desc} was active in the "
                                                         f"country-year (UCDP `{pre}_exist_cy`).")
        cols[f"{pre}_dyad_count_cy"] = (f"dyads_{lab}_n", "count", f"Number of active dyads of {desc}"
                                                                   f"{zero}.")
        cols[f"{pre}_dyad_ids_cy"] = (f"dyad_ids_{lab}", "list", f"UCDP dyad ids of {desc}, '; '-separated "
                                                                 "list as a string; NA when no dyad.")
        cols[f"{pre}_dyad_names_cy"] = (f"dyad_names_{lab}", "list", f"Dyad names of {desc}, "
                                                                     "'; '-separated list; NA when no dyad.")
        if pre in ("sb_intrastate", "sb_interstate"):
            cols[f"{pre}_main_govt_inv_incomp_cy"] = (
                f"is_main_govt_in_{lab}", "bool",
                f"True if the country's main government is a party to {desc} over an incompatibility "
                f"(UCDP `{pre}_main_govt_inv_incomp_cy`).")
        if pre != "os":
            total = "sb_total_deaths" if pre == "sb" else ("ns_total_deaths" if pre == "ns"
                                                            else f"{pre}_deaths")
            for who in ("parties", "civilians", "unknown"):
                cols[f"{pre}_deaths_{who}_cy"] = (
                    f"deaths_{lab}_{who}_n", "count",
                    f"Deaths in {desc} of {who} (best estimate), persons{zero}.")
            for est, suf in _EST.items():
                cols[f"{total}_{est}_cy"] = (
                    f"deaths_{lab}{suf}_n", "count",
                    f"Deaths in {desc}, {_EST_DESC[est]}, persons{zero}.")
    for who, lab, desc in (("main_govt", "main_govt", "the country's main government"),
                           ("any_govt", "any_govt", "any government"),
                           ("nsgroup", "nsgroup", "non-state groups")):
        cols[f"os_{who}_inv_cy"] = (f"is_{lab}_one_sided", "bool",
                                    f"True if {desc} committed one-sided violence here "
                                    f"(UCDP `os_{who}_inv_cy`).")
        for est, suf in _EST.items():
            cols[f"os_{who}_killings_{est}_cy"] = (
                f"deaths_one_sided_{lab}{suf}_n", "count",
                f"Civilians killed in one-sided violence by {desc}, {_EST_DESC[est]}, persons{zero}.")
    cols["os_killings_unknown_cy"] = (
        "deaths_one_sided_unknown_n", "count",
        "UCDP `os_killings_unknown_cy` (one-sided killings coded 'unknown'; not part of the one-sided "
        f"total), persons{zero}.")
    for est, suf in _EST.items():
        cols[f"os_total_deaths_{est}_cy"] = (
            f"deaths_one_sided{suf}_n", "count",
            f"Deaths in one-sided violence, {_EST_DESC[est]}, persons{zero}.")
    for who in ("parties", "civilians", "unknown"):
        cols[f"cumulative_total_deaths_{who}_in_orgvio_cy"] = (
            f"deaths_orgvio_{who}_n", "count",
            f"Deaths of {who} summed over the three types of organized violence in the year (UCDP "
            f"`cumulative_total_deaths_{who}_in_orgvio_cy`; not cumulated over years), persons{zero}.")
    for est, suf in _EST.items():
        cols[f"cumulative_total_deaths_in_orgvio_{est}_cy"] = (
            f"deaths_orgvio{suf}_n", "count",
            f"Deaths in all organized violence (state-based + non-state + one-sided) in the year, "
            f"{_EST_DESC[est]} (UCDP `cumulative_total_deaths_in_orgvio_{est}_cy`; not cumulated over "
            f"years), persons{zero}.")
    return cols


_COLS = _columns()
#: Upstream column -> column name here.
RENAME = {k: v[0] for k, v in _COLS.items()}
UPSTREAM_COLUMNS = (*RENAME, "version")

_F = raw_file(SOURCE, FILE)


def _column(name: str, kind: str, desc: str) -> pa.Column:
    if name in FIELDS:
        return field(name, *([pa.Check.ge(0)] if kind in ("id", "count") else []), description=desc)
    if kind == "id":
        return pa.Column("Int64", pa.Check.ge(0), nullable=False, description=desc)
    if kind == "str":
        return pa.Column("string", nullable=False, description=desc)
    if kind == "list":
        return pa.Column("string", nullable=True, description=desc)
    if kind == "bool":
        return pa.Column("boolean", nullable=False, description=desc)
    return pa.Column("Int64", pa.Check.ge(0), nullable=False, description=desc)


_fields = {new: _column(new, kind, desc) for new, kind, desc in _COLS.values()}
_fields["year"] = field("year", pa.Check.in_range(_F.year_start, _F.year_end))
_fields["region"] = pa.Column("string", pa.Check.isin(REGIONS), nullable=False,
                              description=_COLS["region_cy"][2])
SCHEMA_COUNTRY_YEARS = pa.DataFrameSchema(
    _fields, strict=True, unique=["country_id_gw", "year"], name="ucdp_organized_violence_cy.country_years",
)


def load_country_years(path: str | Path | None = None) -> pd.DataFrame:
    """Deaths from organized violence by G-W country-year, 1989-2024.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        6,936 rows, primary key (``country_id_gw``, ``year``). Identifiers:
        ``country_id_gw`` (Int64 G-W code), ``year`` (Int64), ``country_name``,
        ``region``, ``main_govt_name`` (string). For each type ``<t>`` in
        ``state_based``, ``intrastate``, ``interstate``, ``non_state``,
        ``one_sided``: ``has_<t>`` (boolean, any active dyad),
        ``dyads_<t>_n`` (Int64 count of active dyads), ``dyad_ids_<t>`` and
        ``dyad_names_<t>`` (string ``"; "`` lists, NA when no dyad). Deaths
        (Int64, persons; zeros are real): ``deaths_<t>_n`` (best),
        ``deaths_<t>_high_n``, ``deaths_<t>_low_n`` and, for the state-based
        and non-state types, ``deaths_<t>_parties_n``,
        ``deaths_<t>_civilians_n``, ``deaths_<t>_unknown_n``;
        ``is_main_govt_in_intrastate`` and ``is_main_govt_in_interstate``
        (boolean); one-sided perpetrators ``is_main_govt_one_sided``,
        ``is_any_govt_one_sided``, ``is_nsgroup_one_sided`` (boolean) with
        ``deaths_one_sided_{main_govt,any_govt,nsgroup}{,_high,_low}_n`` and
        ``deaths_one_sided_unknown_n``; totals over the three types
        ``deaths_orgvio_n``, ``deaths_orgvio_high_n``, ``deaths_orgvio_low_n``,
        ``deaths_orgvio_parties_n``, ``deaths_orgvio_civilians_n``,
        ``deaths_orgvio_unknown_n``. The column descriptions of
        :data:`SCHEMA_COUNTRY_YEARS` give the upstream name of each.
    """
    p = raw_path(SOURCE, FILE, path)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, encoding="utf-8")
    require_columns(raw, UPSTREAM_COLUMNS, p)
    df = strip_strings(raw[list(UPSTREAM_COLUMNS)])
    check_codes(df, "version", [_F.version], p)
    df = df.drop(columns="version")
    for col, (_new, kind, _desc) in _COLS.items():  # errors name the upstream column
        if kind in ("id", "count"):
            df[col] = to_numeric(df, col, p, dtype="Int64")
        elif kind == "bool":
            df[col] = to_numeric(df, col, p, dtype="Int64")
            check_codes(df, col, (0, 1), p)
            df[col] = df[col].astype("boolean")
        elif kind == "list":
            df[col] = df[col].mask(df[col] == NO_DYAD)
    return validate(df.rename(columns=RENAME), SCHEMA_COUNTRY_YEARS, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "country_years": LoaderSpec(load_country_years, SCHEMA_COUNTRY_YEARS, FILE,
                                key=("country_id_gw", "year"), year="year"),
}
