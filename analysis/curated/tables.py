"""Loaders of the curated tables: read, check the coding rules (errors name file, column, row), validate."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pandera.pandas as pa

from analysis.config import curated_dir
from analysis.curated.schemas import (
    AFFILIATIONS,
    FIGURE_TYPES,
    FILE_JIHADIST_ACTORS,
    FILE_MANDATES,
    FILE_PARTNER_OPERATIONS,
    FILE_PERSONNEL,
    MANDATES_YEARS,
    MEMORY_COLUMNS,
    PARTNER_OPERATIONS_YEARS,
    PERSONNEL_YEARS,
    PRECISION,
    RESOLUTION_TYPES,
    SCHEMA_JIHADIST_ACTORS,
    SCHEMA_MANDATES,
    SCHEMA_PARTNER_OPERATIONS,
    SCHEMA_PERSONNEL,
    STRENGTH_TYPES,
    VERIFICATION,
)
from analysis.errors import DataError
from analysis.sources._base import (
    check_codes,
    check_csv_fields,
    read,
    require_columns,
    strip_strings,
    to_date,
    to_numeric,
    validate,
)
from analysis.vocabulary import PARTNER_TYPES

_BOOL = {"true": True, "false": False}


# ----------------------------------------------------------------------------------------------------------
def _curated_path(file: str, path: str | Path | None) -> Path:
    p = Path(path) if path is not None else curated_dir() / file
    if not p.is_file():
        raise DataError(p, "file not found")
    return p


def _read(p: Path, columns: list[str]) -> pd.DataFrame:
    check_csv_fields(p)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    require_columns(raw, columns, p)
    for c in raw.columns:
        if c not in columns:
            raise DataError(p, "unexpected column", column=str(c))
    return strip_strings(raw[columns])


def _first(mask: pd.Series) -> int | None:
    """Position of the first True (NA counts as False), or None."""
    idx = mask.astype("boolean").fillna(False).to_numpy(dtype=bool).nonzero()[0]
    return int(idx[0]) if len(idx) else None


def _is(s: pd.Series, value: bool) -> pd.Series:
    """Elementwise ``s == value`` with NA as False."""
    return s.eq(value).astype("boolean").fillna(False)


def _required(df: pd.DataFrame, columns: Iterable[str], p: Path) -> None:
    for c in columns:
        i = _first(df[c].isna())
        if i is not None:
            raise DataError(p, "empty value: every row needs one", column=c, row=i)


def _booleans(df: pd.DataFrame, columns: Iterable[str], p: Path) -> None:
    for c in columns:
        s = df[c]
        i = _first(s.notna() & ~s.isin(list(_BOOL)))
        if i is not None:
            raise DataError(p, f"not a boolean {s.iloc[i]!r}: use true, false or leave empty",
                            column=c, row=i)
        df[c] = s.map(_BOOL, na_action="ignore").astype("boolean")


def _dates(df: pd.DataFrame, pairs: Iterable[tuple[str, str]], p: Path) -> None:
    for col, prec in pairs:
        check_codes(df, prec, PRECISION, p)
        d = to_date(df, col, p, format="%Y-%m-%d")
        i = _first(d.isna() != df[prec].isna())
        if i is not None:
            raise DataError(p, f"a date needs a precision and a precision needs a date (see {prec!r})",
                            column=col, row=i)
        coarse = ((df[prec] == "month") & (d.dt.day != 1)) | (
            (df[prec] == "year") & ((d.dt.day != 1) | (d.dt.month != 1)))
        i = _first(coarse)
        if i is not None:
            raise DataError(p, f"{df[prec].iloc[i]}-precision date must be stored as the first day of the "
                               f"{df[prec].iloc[i]}", column=col, row=i)
        df[col] = d


def _unique(df: pd.DataFrame, key: tuple[str, ...], p: Path) -> None:
    i = _first(df.duplicated(list(key)))
    if i is not None:
        vals = tuple(df[k].iloc[i] for k in key)
        raise DataError(p, f"duplicate key {vals!r}", column=", ".join(key), row=i)


def _memory_empty(df: pd.DataFrame, table: str, p: Path) -> None:
    mem = df["verification"] == "memory_unverified"
    for c in MEMORY_COLUMNS[table]:
        i = _first(mem & df[c].notna())
        if i is not None:
            raise DataError(p, "memory_unverified row: this value rests on memory and must be empty (keep "
                               "the claim in note or a *_basis column)", column=c, row=i)


def _common(df: pd.DataFrame, table: str, key: tuple[str, ...], p: Path) -> None:
    _required(df, ["source", "verification"], p)
    check_codes(df, "verification", VERIFICATION, p)
    _memory_empty(df, table, p)
    _unique(df, key, p)


# ----------------------------------------------------------------------------------------------------------
def load_mandates(path: str | Path | None = None) -> pd.DataFrame:
    """UN PKO mandate resolutions 2016-2024 with our coding of their content.

    Parameters
    ----------
    path
        Read this file instead of ``data/curated/mandates_2016_2024.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per (``mission_id_un``, ``resolution``): ``mission_id_un``,
        ``resolution`` (``S/RES/N``), ``is_resolution_number_sourced``,
        ``resolution_type``, ``adoption_date`` / ``adoption_date_precision``,
        ``mandate_until`` / ``mandate_until_precision``, ``vote`` (``for-against-abst``),
        ``is_chapter_vii``, ``has_poc_mandate``, ``has_all_necessary_means``,
        ``has_offensive_mandate``, ``has_partnership_language`` (nullable boolean:
        NA = unsettled), ``chapter_vii_basis``, ``poc_basis``,
        ``all_necessary_means_basis``, ``offensive_basis``, ``partnership_basis``,
        ``source``, ``verification``, ``note``. Coding rules: module docstring.
    """
    p = _curated_path(FILE_MANDATES, path)
    df = _read(p, list(SCHEMA_MANDATES.columns))
    _required(df, ["mission_id_un", "resolution", "is_resolution_number_sourced"], p)
    _booleans(df, ["is_resolution_number_sourced", "is_chapter_vii", "has_poc_mandate",
                   "has_all_necessary_means", "has_offensive_mandate", "has_partnership_language"], p)
    _dates(df, [("adoption_date", "adoption_date_precision"),
                ("mandate_until", "mandate_until_precision")], p)
    check_codes(df, "resolution_type", RESOLUTION_TYPES, p)
    _common(df, "mandates", MANDATES_KEY, p)
    i = _first((df["verification"] == "memory_unverified") & _is(df["is_resolution_number_sourced"], True))
    if i is not None:
        raise DataError(p, "memory_unverified row: the resolution number is from memory, so "
                           "is_resolution_number_sourced must be false",
                        column="is_resolution_number_sourced", row=i)
    return validate(df, SCHEMA_MANDATES, p)


def load_partner_operations(path: str | Path | None = None) -> pd.DataFrame:
    """Non-UN military operations (Africa, 2000-2024): regional, EU, bilateral, ad hoc and PMC.

    Parameters
    ----------
    path
        Read this file instead of ``data/curated/partner_operations.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per ``operation_id``: ``operation_id``, ``name``, ``acronym``,
        ``organisation``, ``org_type`` (regional/eu/nato/bilateral/ad_hoc/pmc),
        ``mission_type``, ``host_iso3`` (';'-joined ISO3: where the force operates),
        ``member_iso3`` (members / contributors where they differ from the hosts), ``date_start`` /
        ``date_start_precision``, ``date_end`` / ``date_end_precision`` (NA end =
        ongoing at the source date or memory only, see note), ``peak_strength_n``
        (persons) with ``strength_type``, ``has_unsc_authorisation``,
        ``is_chapter_vii_authorised``, ``unsc_resolutions``, ``source``,
        ``verification``, ``note``. Coding rules: module docstring.
    """
    p = _curated_path(FILE_PARTNER_OPERATIONS, path)
    df = _read(p, list(SCHEMA_PARTNER_OPERATIONS.columns))
    _required(df, ["operation_id", "name", "organisation", "org_type", "mission_type", "host_iso3"], p)
    check_codes(df, "org_type", PARTNER_TYPES, p)
    check_codes(df, "strength_type", STRENGTH_TYPES, p)
    _booleans(df, ["has_unsc_authorisation", "is_chapter_vii_authorised"], p)
    _dates(df, [("date_start", "date_start_precision"), ("date_end", "date_end_precision")], p)
    df["peak_strength_n"] = to_numeric(df, "peak_strength_n", p, dtype="Int64")
    i = _first(df["peak_strength_n"].isna() != df["strength_type"].isna())
    if i is not None:
        raise DataError(p, "peak_strength_n and strength_type go together", column="strength_type", row=i)
    unsc, ch7 = df["has_unsc_authorisation"], df["is_chapter_vii_authorised"]
    i = _first((_is(unsc, False) & ~_is(ch7, False)) | (_is(ch7, True) & ~_is(unsc, True)))
    if i is not None:
        raise DataError(p, "is_chapter_vii_authorised must be false without a UNSC authorisation and may be "
                           "true only with one", column="is_chapter_vii_authorised", row=i)
    i = _first(df["date_end"].notna() & df["date_start"].notna() & (df["date_end"] < df["date_start"]))
    if i is not None:
        raise DataError(p, "date_end before date_start", column="date_end", row=i)
    _common(df, "partner_operations", PARTNER_OPERATIONS_KEY, p)
    return validate(df, SCHEMA_PARTNER_OPERATIONS, p)


def load_personnel(path: str | Path | None = None) -> pd.DataFrame:
    """Mission-level UN PKO personnel 2020-2024: deployed figures a source states, and ceilings.

    Parameters
    ----------
    path
        Read this file instead of ``data/curated/personnel_2020_2024.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per (``mission_id_un``, ``date``, ``figure_type``): ``mission_id_un``,
        ``date`` / ``date_precision``, ``figure_type`` (deployed/authorized),
        ``resolution`` (authorized rows), ``troops_n``, ``police_n``, ``observers_n``,
        ``personnel_total_n`` (persons, Int64; NA = not stated, never 0),
        ``source``, ``verification``, ``note``. Coding rules: module docstring.
    """
    p = _curated_path(FILE_PERSONNEL, path)
    df = _read(p, list(SCHEMA_PERSONNEL.columns))
    _required(df, ["mission_id_un", "date", "date_precision", "figure_type"], p)
    check_codes(df, "figure_type", FIGURE_TYPES, p)
    _dates(df, [("date", "date_precision")], p)
    for c in ("troops_n", "police_n", "observers_n", "personnel_total_n"):
        df[c] = to_numeric(df, c, p, dtype="Int64")
    i = _first((df["figure_type"] == "authorized") & df["resolution"].isna())
    if i is not None:
        raise DataError(p, "authorized rows name the resolution that set the ceiling",
                        column="resolution", row=i)
    _common(df, "personnel", PERSONNEL_KEY, p)
    return validate(df, SCHEMA_PERSONNEL, p)


def load_jihadist_actors(path: str | Path | None = None) -> pd.DataFrame:
    """UCDP actors coded for AQ / IS affiliation.

    Parameters
    ----------
    path
        Read this file instead of ``data/curated/jihadist_actors.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per ``ucdp_actor_id`` (Int64): ``ucdp_name`` (ACD v25.1
        spelling), ``ucdp_name_v22_1``, ``is_in_acd``, ``common_name``,
        ``affiliation`` (AQ/IS/other/not_aq_is, NA = unsettled), ``is_jihadist``
        (nullable boolean), ``affiliation_basis``, ``countries_iso3``, ``source``,
        ``verification``, ``note``. Coding rules: module docstring.
    """
    p = _curated_path(FILE_JIHADIST_ACTORS, path)
    df = _read(p, list(SCHEMA_JIHADIST_ACTORS.columns))
    _required(df, ["ucdp_actor_id", "ucdp_name", "ucdp_name_v22_1", "is_in_acd", "common_name",
                   "countries_iso3"], p)
    df["ucdp_actor_id"] = to_numeric(df, "ucdp_actor_id", p, dtype="Int64")
    _booleans(df, ["is_in_acd", "is_jihadist"], p)
    check_codes(df, "affiliation", AFFILIATIONS, p)
    expected = df["affiliation"].map({"AQ": True, "IS": True, "other": False, "not_aq_is": False},
                                     na_action="ignore").astype("boolean")
    i = _first((expected.isna() != df["is_jihadist"].isna()) | (expected != df["is_jihadist"]))
    if i is not None:
        raise DataError(p, "is_jihadist must be true for AQ/IS, false for other/not_aq_is and empty when "
                           "affiliation is empty", column="is_jihadist", row=i)
    _common(df, "jihadist_actors", JIHADIST_ACTORS_KEY, p)
    return validate(df, SCHEMA_JIHADIST_ACTORS, p)


MANDATES_KEY = ("mission_id_un", "resolution")
PARTNER_OPERATIONS_KEY = ("operation_id",)
PERSONNEL_KEY = ("mission_id_un", "date", "figure_type")
JIHADIST_ACTORS_KEY = ("ucdp_actor_id",)


class CuratedSpec(NamedTuple):
    """A curated table: its loader, its schema, its key and the years it covers (``None``: no period)."""

    load: Callable[..., pd.DataFrame]
    schema: pa.DataFrameSchema
    key: tuple[str, ...]
    years: tuple[int, int] | None = None


#: Curated tables by name: (loader, schema, key).
CURATED: dict[str, CuratedSpec] = {
    "mandates": CuratedSpec(load_mandates, SCHEMA_MANDATES, MANDATES_KEY, MANDATES_YEARS),
    "partner_operations": CuratedSpec(load_partner_operations, SCHEMA_PARTNER_OPERATIONS,
                                      PARTNER_OPERATIONS_KEY, PARTNER_OPERATIONS_YEARS),
    "personnel": CuratedSpec(load_personnel, SCHEMA_PERSONNEL, PERSONNEL_KEY, PERSONNEL_YEARS),
    "jihadist_actors": CuratedSpec(load_jihadist_actors, SCHEMA_JIHADIST_ACTORS, JIHADIST_ACTORS_KEY),
}
