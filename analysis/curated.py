"""Curated tables we author (``data/curated/*.csv``): loaders, schemas and coding rules.

Four hand-coded tables, built from the maintainers' reference tables (one citation
per row, see ``source``) and committed with the code:

==============================  ============================================  ==============================
file                            one row per                                   key
==============================  ============================================  ==============================
``mandates_2016_2024.csv``      UN PKO x Security Council resolution          (mission_id_un, resolution)
``partner_operations.csv``      non-UN military operation (Africa, 2000-)     operation_id
``personnel_2020_2024.csv``     mission x date x figure type                  (mission_id_un, date,
                                                                              figure_type)
``jihadist_actors.csv``         UCDP actor                                    ucdp_actor_id
==============================  ============================================  ==============================

Rules common to all tables
--------------------------
* ``source``: a citation on every row (URL without scheme, or a published dataset).
  Rows resting on memory alone say so in ``source`` (``memory_unverified: ...``).
* ``verification``: ``verified`` = the key facts of the row are in the cited
  source(s); ``partly_verified`` = some facts rest on inference, memory or another
  dataset (those cells are empty and the claim is kept in ``note``/``*_basis``);
  ``memory_unverified`` = the row rests on memory only.
* Memory-only values are never typed facts: the typed column is empty (NA) and the
  claim is kept as text in ``note`` or a ``*_basis`` column. For
  ``memory_unverified`` rows the loader enforces this (see :data:`MEMORY_COLUMNS`).
  "not found" values stay empty.
* No copies of other datasets' cells (Kathman, PEMA, TAMM, UCDP): a value that
  rests only on such a dataset is left empty and the dataset is cited; PEMA
  paragraph codes or TAMM baseline values appear in ``*_basis``/``note`` as
  cross-references only. Identifiers (resolution symbols, UCDP actor ids and
  names) are kept because they are needed as keys.
* Dates are ISO ``YYYY-MM-DD``; each date has a ``*_precision`` column (``day``,
  ``month``, ``year``). A month-precise date is stored as the 1st of the month, a
  year-precise date as 1 January. Where only the year was sourced (e.g. the year
  of the resolution symbol or of the press-release URL) the precision is ``year``.
* Booleans are ``true``/``false``/empty in the files and pandas ``boolean`` in the
  frames; empty = not settled by a cited source.

Mandates (``mandates_2016_2024.csv``)
-------------------------------------
All renewal, technical-rollover, adjustment, establishment and termination
resolutions 2016-2024 of the UN PKOs, plus two related resolutions on support to
partner forces (S/RES/2391 G5 Sahel Joint Force, S/RES/2746 SAMIDRC). UNMIK,
UNTSO and UNMOGIP have open-ended mandates and no renewal resolution in
2016-2024: they have no rows. S/RES/2350 has one row for MINUSTAH (closed) and
one for MINUJUSTH (created).

* ``is_chapter_vii``: true only where a cited source (press release, resolution
  text, or a report quoting them) says the Council acted under Chapter VII;
  false only where a source says it did not (S/RES/2391). A value inferred from
  the TAMM December-2015 baseline (e.g. UNIFIL, UNDOF, UNFICYP, MINURSO "no") or
  from memory is left empty, with the reference text in ``chapter_vii_basis``.
* ``has_poc_mandate``, ``has_all_necessary_means``, ``has_offensive_mandate``,
  ``has_partnership_language``: true where the cited source reports the language;
  false where the cited summary of the resolution (usually a press release, not the
  full text) reports no such language, or states the opposite; empty where the
  reference cell is unclear, from memory, not applicable, or rests only on PEMA
  codes / the TAMM baseline. This "false" is weaker than a reading of the full text.
* ``has_offensive_mandate`` counts offensive, neutralising or pre-emptive language
  against armed groups ("targeted offensive operations", the Force Intervention
  Brigade, "neutralize", "eliminate the threat", "engage any actor ... preparing
  attacks") and the robust-posture formula ("proactive and robust posture",
  "robust action").
* ``has_partnership_language`` counts language on non-UN forces other than the
  host state's own forces: authorising, supporting or sharing intelligence with
  bilateral (e.g. French), regional or ad hoc forces (G5 Sahel Joint Force,
  SAMIDRC), or joint AU-UN reporting. Cooperation with host-state forces (FARDC,
  Lebanese Armed Forces) is not counted (UNIFIL rows: empty, text in basis).
  UNAMID's hybrid AU-UN structure alone is not counted.
* ``is_resolution_number_sourced``: false where the resolution number itself is
  from memory (it is kept because it is the key).

Partner operations (``partner_operations.csv``)
-----------------------------------------------
Non-UN military operations in Africa 2000-2024 (plus AUSSOM, 2025, for
continuity). The two civilian EU missions of the reference table (EUCAP Sahel
Mali, EUCAP Sahel Niger) are not military operations and are left out.

``org_type`` rule: ``regional`` = AU, ECOWAS, ECCAS, SADC, EAC (incl. AU-ECOWAS
AFISMA); ``eu`` = EU CSDP operations; ``nato`` = NATO; ``bilateral`` = one
state's forces deployed by that state (French, US, Rwandan, Ugandan/Burundian
operations); ``ad_hoc`` = coalitions of states outside a standing organisation's
own command (G5 Sahel Joint Force, MNJTF, Task Force Takuba); ``pmc`` = private
military companies (Wagner / Africa Corps). An empty ``date_end`` means the
operation was ongoing at the source's date (the note says so) or the end date is
known from memory only (the note says which). ``peak_strength_n`` holds only a
number a source states as the force size, with ``strength_type`` (authorized,
deployed, planned); approximate or bounded figures ("~", "over", "up to") are in
the note. ``has_unsc_authorisation``: the Security Council authorised the
operation itself (welcoming it, or authorising a UN mission to support it, does
not count); ``is_chapter_vii_authorised`` is false when there is no
authorisation and empty when the cited sources do not state Chapter VII.
``unsc_resolutions`` lists the resolutions the sources link to the operation
(authorising, welcoming or supporting it; the note says which).

Personnel (``personnel_2020_2024.csv``)
---------------------------------------
``deployed`` rows: stocks a source states for a date. Only an exact uniformed
figure goes into the count columns; approximate, lower-bound or
civilian-inclusive figures are quoted in ``note`` and the counts stay empty.
``authorized`` rows: ceilings set by a resolution (``resolution``), dated at
adoption (or at the date from which the ceiling applies). ``troops_n`` on
authorized rows is the military ceiling as stated, which may include military
observers and staff officers (the note says so); ``observers_n`` is filled only
where the resolution states them separately. ``personnel_total_n`` is never
computed. Deployed figures for 2016-2019 are in the Kathman dataset
(``analysis.sources.kathman_pko_personnel``) and are not repeated here.

Jihadist actors (``jihadist_actors.csv``)
-----------------------------------------
UCDP actors that are, or were considered as, jihadist: all ACD v25.1 ``side_b``
actors of the reference table plus four UCDP Non-State actors (``is_in_acd``
false; their names are the Non-State v22.1 spellings). UCDP codes every
Islamic State branch (ISWAP, IS Sahel, ISCAP, Sinai, ...) as the single actor
``IS`` (234): the branches are described in that row's note, not as rows. Groups
without a UCDP actor id (HTS, Ansar al-Sharia in Tunisia, Ansaru) have no rows.

``affiliation`` rule: ``AQ`` / ``IS`` = a cited source (or the UCDP actor name
itself, e.g. AQIM, AQAP) shows the group is or was a formal branch or affiliate
of al-Qaida / the Islamic State, pledged allegiance to it, or merged into such a
branch (e.g. Ansar Dine into JNIM); the period is in the note. ``other`` =
Islamist armed group with no formal AQ/IS tie in the cited sources;
``not_aq_is`` = group placed outside the AQ/IS family (Islamist-nationalist).
Empty = the classification rests on memory only, or the actor is an aggregate
(``Syrian insurgents``); the reference text is in ``affiliation_basis``, which
also says when an ``other``/``not_aq_is`` label has no source beyond UCDP.
``is_jihadist`` = true for ``AQ`` and ``IS``, false for ``other`` and
``not_aq_is`` (default for borderline groups: false; filter on
``affiliation == "other"`` for a wider definition), empty when ``affiliation`` is
empty. The loader enforces this rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pandera.pandas as pa

from analysis.config import curated_dir
from analysis.errors import DataError
from analysis.sources._base import (
    check_codes,
    read,
    require_columns,
    strip_strings,
    to_date,
    to_numeric,
    validate,
)

FILE_MANDATES = "mandates_2016_2024.csv"
FILE_PARTNER_OPERATIONS = "partner_operations.csv"
FILE_PERSONNEL = "personnel_2020_2024.csv"
FILE_JIHADIST_ACTORS = "jihadist_actors.csv"

#: Allowed values of ``verification``.
VERIFICATION = ("verified", "partly_verified", "memory_unverified")
#: Allowed values of every ``*_precision`` column.
PRECISION = ("day", "month", "year")
RESOLUTION_TYPES = ("renewal", "technical_rollover", "adjustment", "establishment", "termination", "related")
ORG_TYPES = ("regional", "eu", "nato", "bilateral", "ad_hoc", "pmc")
STRENGTH_TYPES = ("authorized", "deployed", "planned")
FIGURE_TYPES = ("deployed", "authorized")
AFFILIATIONS = ("AQ", "IS", "other", "not_aq_is")

#: Typed columns that must be empty on ``memory_unverified`` rows (memory-only facts), per table.
MEMORY_COLUMNS: dict[str, tuple[str, ...]] = {
    "mandates": ("resolution_type", "adoption_date", "mandate_until", "vote", "is_chapter_vii",
                 "has_poc_mandate", "has_all_necessary_means", "has_offensive_mandate",
                 "has_partnership_language"),
    "partner_operations": ("date_start", "date_end", "peak_strength_n", "has_unsc_authorisation",
                           "is_chapter_vii_authorised", "unsc_resolutions"),
    "personnel": ("troops_n", "police_n", "observers_n", "personnel_total_n"),
    "jihadist_actors": ("affiliation", "is_jihadist"),
}

_RES = r"S/RES/\d{1,4}"
_ISO3_LIST = r"^[A-Z]{3}(;[A-Z]{3})*$"
_MISSION = pa.Check.str_matches(r"^[A-Z]+$")


def _text(description: str, **kw) -> pa.Column:
    return pa.Column("string", nullable=True, description=description, **kw)


def _bool(description: str) -> pa.Column:
    return pa.Column("boolean", nullable=True, description=description)


def _prec(of: str) -> pa.Column:
    return pa.Column("string", pa.Check.isin(PRECISION), nullable=True,
                     description=f"Precision of ``{of}``: day, month (stored as the 1st) or year (stored as "
                                 "1 January); empty when the date is empty.")


_SOURCE = pa.Column("string", pa.Check.str_length(min_value=1), nullable=False,
                    description="Citation(s) for the row, ';'-separated: URLs without scheme or published "
                                "datasets; memory-only rows say 'memory_unverified: ...'.")
_VERIFICATION = pa.Column(
    "string", pa.Check.isin(VERIFICATION), nullable=False,
    description="verified (key facts in the cited sources), partly_verified (some facts rest on inference, "
                "memory or another dataset: those cells are empty) or memory_unverified (row rests on memory "
                "only).")
_NOTE = _text("Free text: details, memory-only claims and dataset cross-references (not typed facts).")


def _count(description: str) -> pa.Column:
    return pa.Column("Int64", pa.Check.ge(0), nullable=True, description=description)


# ----------------------------------------------------------------------------------------------------------
SCHEMA_MANDATES = pa.DataFrameSchema(
    {
        "mission_id_un": pa.Column("string", _MISSION, nullable=False,
                                   description="UN mission acronym, upper case, as in DPPADPOSS-PKO."),
        "resolution": pa.Column("string", pa.Check.str_matches(f"^{_RES}$"), nullable=False,
                                description="Security Council resolution symbol, e.g. 'S/RES/2295'."),
        "is_resolution_number_sourced": pa.Column(
            "boolean", nullable=False,
            description="False where the resolution number itself is from memory (kept as the key)."),
        "resolution_type": _text(
            "renewal, technical_rollover (short extension pending a renewal), adjustment (ceilings, a "
            "component or tasks only), establishment, termination, related (support to a partner force, "
            "not a mandate period); empty when not sourced.",
            checks=pa.Check.isin(RESOLUTION_TYPES)),
        "adoption_date": pa.Column("datetime64[ns]",
                                   pa.Check.in_range(pd.Timestamp("2016-01-01"), pd.Timestamp("2024-12-31")),
                                   nullable=True, description="Adoption date; precision in the next column; "
                                   "empty when known from memory or from PEMA only (see note)."),
        "adoption_date_precision": _prec("adoption_date"),
        "mandate_until": pa.Column("datetime64[ns]",
                                   pa.Check.in_range(pd.Timestamp("2016-01-01"), pd.Timestamp("2026-12-31")),
                                   nullable=True, description="Date until which the resolution extends the "
                                   "mandate (or the component named in note); for terminations the end of "
                                   "the mandate; empty when not applicable or not sourced."),
        "mandate_until_precision": _prec("mandate_until"),
        "vote": _text("Vote as 'for-against-abstentions' (e.g. '13-0-2'); abstainers are in note; empty when "
                      "not sourced.", checks=pa.Check.str_matches(r"^\d{1,2}-\d{1,2}-\d{1,2}$")),
        "is_chapter_vii": _bool("True where a cited source says the Council acted under Chapter VII; false "
                                "only where a source says it did not; empty otherwise (TAMM-baseline or "
                                "memory inferences are in chapter_vii_basis)."),
        "has_poc_mandate": _bool(
            "Protection-of-civilians task reported by the cited source; false where the source reports none "
            "or the opposite; empty when unsettled."),
        "has_all_necessary_means": _bool(
            "Authorisation to use 'all necessary means/measures' reported by the cited source; false where "
            "the cited summary reports none; empty when unsettled or PEMA-only."),
        "has_offensive_mandate": _bool(
            "Offensive, neutralising or pre-emptive language, the Force Intervention Brigade, or the "
            "robust-posture formula (module docstring); false where the cited summary reports none; empty "
            "when unsettled."),
        "has_partnership_language": _bool(
            "Language on non-UN, non-host-state forces (bilateral, regional, ad hoc; module docstring); "
            "false where the cited summary reports none; empty when unsettled."),
        "chapter_vii_basis": _text("Evidence for is_chapter_vii, or 'unsettled; reference: ...' with the "
                                   "reference table's text when the value is empty."),
        "poc_basis": _text("Evidence for has_poc_mandate (empty = stated by the cited source), or "
                           "'unsettled; reference: ...'."),
        "all_necessary_means_basis": _text(
            "Evidence for has_all_necessary_means (empty = stated by the cited source), or 'unsettled; "
            "reference: ...' (PEMA codes as cross-references)."),
        "offensive_basis": _text("Quoted offensive/robust language, or 'unsettled; reference: ...'."),
        "partnership_basis": _text("Quoted partnership language, or 'unsettled; reference: ...'."),
        "source": _SOURCE,
        "verification": _VERIFICATION,
        "note": _NOTE,
    },
    strict=True,
    unique=["mission_id_un", "resolution"],
    name="curated.mandates",
)

SCHEMA_PARTNER_OPERATIONS = pa.DataFrameSchema(
    {
        "operation_id": pa.Column("string", pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$"), nullable=False,
                                  description="Our slug for the operation (lower case, hyphens)."),
        "name": pa.Column("string", nullable=False, description="Full name of the operation or deployment."),
        "acronym": _text("Acronym or short name; empty when there is none."),
        "organisation": pa.Column("string", nullable=False,
                                  description="Deploying organisation or state(s), as in the sources."),
        "org_type": pa.Column("string", pa.Check.isin(ORG_TYPES), nullable=False,
                              description="regional, eu, nato, bilateral, ad_hoc or pmc (rule in the module "
                                          "docstring)."),
        "mission_type": pa.Column(
            "string", nullable=False,
            description="Free-text type (peace support, counter-terrorism, training, ...)."),
        "host_iso3": pa.Column("string", pa.Check.str_matches(_ISO3_LIST), nullable=False,
                               description="Host country ISO3 codes, ';'-joined."),
        "date_start": pa.Column("datetime64[ns]", nullable=True,
                                description="Start (creation/launch; the note says which); empty when from "
                                            "memory only."),
        "date_start_precision": _prec("date_start"),
        "date_end": pa.Column(
            "datetime64[ns]", nullable=True,
            description="End; empty = ongoing at the source's date, or end known from memory only (note says "
                        "which)."),
        "date_end_precision": _prec("date_end"),
        "peak_strength_n": _count("Peak strength, persons, only as a number a source states; approximate "
                                  "figures are in note."),
        "strength_type": _text("authorized, deployed or planned: what peak_strength_n counts.",
                               checks=pa.Check.isin(STRENGTH_TYPES)),
        "has_unsc_authorisation": _bool(
            "The Security Council authorised the operation itself; empty when not found or memory only."),
        "is_chapter_vii_authorised": _bool("That authorisation was under Chapter VII (per the source); false "
                                           "when there is no authorisation; empty when not stated."),
        "unsc_resolutions": _text("Resolutions the sources link to the operation, ';'-joined (see note).",
                                  checks=pa.Check.str_matches(f"^{_RES}(;{_RES})*$")),
        "source": _SOURCE,
        "verification": _VERIFICATION,
        "note": _NOTE,
    },
    strict=True,
    unique=["operation_id"],
    name="curated.partner_operations",
)

SCHEMA_PERSONNEL = pa.DataFrameSchema(
    {
        "mission_id_un": pa.Column("string", _MISSION, nullable=False,
                                   description="UN mission acronym, upper case, as in DPPADPOSS-PKO."),
        "date": pa.Column("datetime64[ns]",
                          pa.Check.in_range(pd.Timestamp("2020-01-01"), pd.Timestamp("2024-12-31")),
                          nullable=False,
                          description="Date the figure refers to (deployed) or from which the ceiling "
                                      "applies (authorized: adoption date unless the note says otherwise)."),
        "date_precision": pa.Column("string", pa.Check.isin(PRECISION), nullable=False,
                                    description="Precision of date: day, month (1st) or year (1 January)."),
        "figure_type": pa.Column("string", pa.Check.isin(FIGURE_TYPES), nullable=False,
                                 description="deployed (stock stated by a source) or authorized (ceiling)."),
        "resolution": _text("Resolution setting the ceiling (authorized rows only).",
                            checks=pa.Check.str_matches(f"^{_RES}$")),
        "troops_n": _count("Troops, persons; on authorized rows the military ceiling as stated (may include "
                           "military observers and staff officers: see note)."),
        "police_n": _count("Police (individual officers + formed police units), persons."),
        "observers_n": _count("Military observers and staff officers, persons, where stated separately."),
        "personnel_total_n": _count("Uniformed total, persons, only where the source states it (never summed "
                                    "here)."),
        "source": _SOURCE,
        "verification": _VERIFICATION,
        "note": _NOTE,
    },
    strict=True,
    unique=["mission_id_un", "date", "figure_type"],
    name="curated.personnel",
)

SCHEMA_JIHADIST_ACTORS = pa.DataFrameSchema(
    {
        "ucdp_actor_id": pa.Column("Int64", pa.Check.ge(1), nullable=False,
                                   description="UCDP actor id (side_b_id in the ACD; side id in Non-State)."),
        "ucdp_name": pa.Column("string", nullable=False,
                               description="UCDP actor name: ACD v25.1 spelling (Non-State v22.1 spelling "
                                           "where is_in_acd is false)."),
        "ucdp_name_v22_1": pa.Column("string", nullable=False,
                                     description="Name in ACD v22.1 (or Non-State v22.1), e.g. the full JAS "
                                                 "name."),
        "is_in_acd": pa.Column("boolean", nullable=False,
                               description="True if the actor is a side_b of UCDP/PRIO ACD v25.1."),
        "common_name": pa.Column("string", nullable=False, description="Common name of the group."),
        "affiliation": _text("AQ, IS, other or not_aq_is (rule in the module docstring); empty when the "
                             "classification rests on memory only or the actor is an aggregate.",
                             checks=pa.Check.isin(AFFILIATIONS)),
        "is_jihadist": _bool("True for AQ and IS affiliates, false for other / not_aq_is, empty when "
                             "affiliation is empty."),
        "affiliation_basis": _text("Evidence for affiliation, or 'unsettled ...; reference: ...'."),
        "countries_iso3": pa.Column("string", pa.Check.str_matches(_ISO3_LIST), nullable=False,
                                    description="Countries of activity in scope, ISO3, ';'-joined."),
        "source": _SOURCE,
        "verification": _VERIFICATION,
        "note": _NOTE,
    },
    strict=True,
    unique=["ucdp_actor_id"],
    name="curated.jihadist_actors",
)

_BOOL = {"true": True, "false": False}


# ----------------------------------------------------------------------------------------------------------
def _curated_path(file: str, path: str | Path | None) -> Path:
    p = Path(path) if path is not None else curated_dir() / file
    if not p.is_file():
        raise DataError(p, "file not found")
    return p


def _read(p: Path, columns: list[str]) -> pd.DataFrame:
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
        ``mission_type``, ``host_iso3`` (';'-joined ISO3), ``date_start`` /
        ``date_start_precision``, ``date_end`` / ``date_end_precision`` (NA end =
        ongoing at the source date or memory only, see note), ``peak_strength_n``
        (persons) with ``strength_type``, ``has_unsc_authorisation``,
        ``is_chapter_vii_authorised``, ``unsc_resolutions``, ``source``,
        ``verification``, ``note``. Coding rules: module docstring.
    """
    p = _curated_path(FILE_PARTNER_OPERATIONS, path)
    df = _read(p, list(SCHEMA_PARTNER_OPERATIONS.columns))
    _required(df, ["operation_id", "name", "organisation", "org_type", "mission_type", "host_iso3"], p)
    check_codes(df, "org_type", ORG_TYPES, p)
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
    """A curated table: its loader, its schema and its key."""

    load: Callable[..., pd.DataFrame]
    schema: pa.DataFrameSchema
    key: tuple[str, ...]


#: Curated tables by name: (loader, schema, key).
CURATED: dict[str, CuratedSpec] = {
    "mandates": CuratedSpec(load_mandates, SCHEMA_MANDATES, MANDATES_KEY),
    "partner_operations": CuratedSpec(load_partner_operations, SCHEMA_PARTNER_OPERATIONS,
                                      PARTNER_OPERATIONS_KEY),
    "personnel": CuratedSpec(load_personnel, SCHEMA_PERSONNEL, PERSONNEL_KEY),
    "jihadist_actors": CuratedSpec(load_jihadist_actors, SCHEMA_JIHADIST_ACTORS, JIHADIST_ACTORS_KEY),
}
