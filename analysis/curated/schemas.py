"""Schemas of the curated tables (``data/curated/*.csv``), their code lists and file names.

The coding rules are in the package docstring (:mod:`analysis.curated`)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field
from analysis.vocabulary import PARTNER_TYPES

FILE_MANDATES = "mandates_2016_2024.csv"
FILE_PARTNER_OPERATIONS = "partner_operations.csv"
FILE_PERSONNEL = "personnel_2020_2024.csv"
FILE_JIHADIST_ACTORS = "jihadist_actors.csv"

#: Years each curated table covers (what the maintainers' reference tables were built for): the
#: panels treat a year outside them as not covered (NA), like a raw source's registry years.
MANDATES_YEARS = (2016, 2024)
PARTNER_OPERATIONS_YEARS = (2000, 2024)
PERSONNEL_YEARS = (2020, 2024)

#: Allowed values of ``verification``.
VERIFICATION = ("verified", "partly_verified", "memory_unverified")
#: Allowed values of every ``*_precision`` column.
PRECISION = ("day", "month", "year")
RESOLUTION_TYPES = ("renewal", "technical_rollover", "adjustment", "establishment", "termination", "related")
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


def _count_field(name: str, description: str) -> pa.Column:
    return field(name, nullable=True, description=description)


# ----------------------------------------------------------------------------------------------------------
SCHEMA_MANDATES = pa.DataFrameSchema(
    {
        "mission_id_un": field(
            "mission_id_un",
            _MISSION,
            nullable=False,
            description="UN mission acronym, upper case, as in DPPADPOSS-PKO.",
        ),
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
        "org_type": pa.Column("string", pa.Check.isin(PARTNER_TYPES), nullable=False,
                              description="regional, eu, nato, bilateral, ad_hoc or pmc (rule in the module "
                                          "docstring)."),
        "mission_type": pa.Column(
            "string", nullable=False,
            description="Free-text type (peace support, counter-terrorism, training, ...)."),
        "host_iso3": pa.Column("string", pa.Check.str_matches(_ISO3_LIST), nullable=False,
                               description="Host country ISO3 codes, ';'-joined: the states where the force "
                                           "operates, not every member or contributor (rule in the module "
                                           "docstring)."),
        "member_iso3": pa.Column("string", pa.Check.str_matches(_ISO3_LIST), nullable=True,
                                 description="Member or troop-contributing states of a coalition, "
                                             "';'-joined, where they differ from the hosts (MNJTF: Benin "
                                             "contributes but is not a host); empty otherwise."),
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
        "mission_id_un": field(
            "mission_id_un",
            _MISSION,
            nullable=False,
            description="UN mission acronym, upper case, as in DPPADPOSS-PKO.",
        ),
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
        "troops_n": _count_field("troops_n", "Troops, persons; on authorized rows the military ceiling as "
                                 "stated (may include military observers and staff officers: see note)."),
        "police_n": _count_field("police_n", "Police (individual officers + formed police units), persons."),
        "observers_n": _count_field("observers_n", "Military observers and staff officers, persons, where "
                                                   "stated separately."),
        "personnel_total_n": _count_field("personnel_total_n", "Uniformed total, persons, only where the "
                                                               "source states it (never summed here)."),
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

