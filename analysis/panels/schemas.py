"""Schemas of the panels (``mission_months``, ``mission_years``, ``country_years``).

Column descriptions name the years each source covers from :mod:`analysis.panels.coverage`, so
the codebook (generated from these schemas) follows the registry.
"""

from __future__ import annotations

from typing import Unpack

import pandera.pandas as pa

from analysis.core import mandate_months
from analysis.core.mandate_ceilings import BASIS as CEILING_BASIS
from analysis.data.fields import FIELDS, field
from analysis.panels.coverage import (
    ACD_YEARS,
    COUNTRY_YEARS,
    COUPS_FIRST_YEAR,
    MANDATES_YEARS,
    NONUN_YEARS,
    PARTNER_OPERATIONS_YEARS,
    PERSONNEL_YEARS,
    UCDP_DEATHS_YEARS,
)
from analysis.panels.spans import EVIDENCE as SPAN_EVIDENCE
from analysis.sources._base import ColumnOptions
from analysis.vocabulary import CAUSES, MANDATE_CONCEPTS, PARTNER_TYPES, PERSONNEL_TYPES

MISSION_MONTHS_KEY = ["mission_id_un", "year", "month"]
MISSION_YEARS_KEY = ["mission_id_un", "year"]
COUNTRY_YEARS_KEY = ["country_id_gw", "year"]
#: Concepts taken from the resolution texts (``sc_mandates_monthly``), beyond the four above.
TEXT_CONCEPTS = (
    *MANDATE_CONCEPTS, "has_ct_pve_language", "has_stabilisation_mandate",
                 "has_partnership_language",
                 "has_partnership_regional", "has_partnership_ad_hoc", "has_partnership_bilateral",
                 "has_partnership_eu", "personnel_military_authorized_n", "personnel_police_authorized_n",
                 "personnel_authorized_n")
#: New boolean text concepts (no previous definition).
NEW_TEXT_BOOLEANS = ("has_ct_pve_language", "has_stabilisation_mandate", "has_partnership_regional",
                     "has_partnership_ad_hoc", "has_partnership_bilateral", "has_partnership_eu")


def _shared(columns: dict[str, pa.Column]) -> dict[str, pa.Column]:
    """The columns, each that has a shared field (:mod:`analysis.data.fields`) built from it with
    the panel's own checks, nullability and description."""
    out = {}
    for name, col in columns.items():
        f = FIELDS.get(name)
        if f is None:
            out[name] = col
            continue
        dtype = str(col.dtype)
        out[name] = field(
            name,
            *col.checks,
            dtype=None if dtype == f.dtype else dtype,
            nullable=col.nullable,
            unique=col.unique,
            description=col.description,
        )
    return out


def _span(years: tuple[int, int]) -> str:
    return f"{years[0]}-{years[1]}"


def _desc(text: str) -> dict:
    return {"description": text}


def _mission_months_schema() -> pa.DataFrameSchema:
    n = ColumnOptions(nullable=True, checks=pa.Check.ge(0))
    cols: dict[str, pa.Column] = {
        "mission_id_un": field(
            "mission_id_un",
            **_desc("UN acronym of the peacekeeping operation; the UN list's combined entries (UNEF, UNAVEM, "
                    "UNOSOM) are resolved to their parts by date (analysis.panels.spans)."),
        ),
        "year": field("year", pa.Check.in_range(1990, 2030), **_desc("Calendar year.")),
        "month": field("month", **_desc("Month 1-12.")),
        "date": pa.Column("datetime64[ns]", **_desc("First day of the month.")),
        "mission_name": field("mission_name", nullable=True, **_desc("Mission name (UN list).")),
        "span_start_source": pa.Column(
            "string", pa.Check.isin(list(SPAN_EVIDENCE)),
            **_desc("Evidence that set the mission's first month: list (UN PKO list dates), personnel "
                    "(Kathman), mandates (PEMA/TAMM), fatalities (UN file); same on every row of a mission."),
        ),
        "span_end_source": pa.Column(
            "string", pa.Check.isin(list(SPAN_EVIDENCE)),
            **_desc("Evidence that set the mission's last month: list, active (listed as active: last month "
                    "of the fatalities data), termination (curated termination resolution), personnel, "
                    "mandates or fatalities."),
        ),
        "is_span_extension": pa.Column(
            "boolean",
            **_desc("True where the month lies outside the UN list's dates (the mission is in the panel "
                    "that month because of other evidence; every month of a mission without list dates)."),
        ),
        "mission_age_months": pa.Column(
            "Int64", nullable=True, **_desc("Months since the mission's start month (0 in the start month).")
        ),
        "region": pa.Column(
            "string",
            nullable=True,
            **_desc("Region of the mission by the one rule of analysis.vocabulary.mission_region: Africa "
                    "when more than half of its hosts are African states, else the most common region of its "
                    "other hosts (UNTSO: Middle East; the Sudan missions: Africa)."),
        ),
        "is_africa": field("is_africa", nullable=True,
                           **_desc("True when the mission's region is Africa (more than half of its hosts "
                                   "are African states; analysis.vocabulary.mission_region).")),
        "host_country_id_gw": pa.Column(
            "Int64", nullable=True, **_desc("G-W code of the first host (un_mission_hosts order).")
        ),
    }
    for c in CAUSES:
        cols[f"fatalities_{c}_n"] = pa.Column(
            "Int64",
            **n,
            **_desc(
                f"Fatalities of mission personnel, cause '{c}' (un_fatalities.cause), persons; 0 where no "
                "death "
                "was recorded (the UN file covers every month)."
            ),
        )
    cols["fatalities_n"] = pa.Column("Int64", **n, **_desc("Fatalities, all causes, persons; 0 where none."))
    for t in dict.fromkeys(PERSONNEL_TYPES.values()):
        cols[f"fatalities_{t}_n"] = pa.Column(
            "Int64",
            **n,
            **_desc(
                f"Fatalities by personnel type '{t}' (Military, Police, Military Observer, International "
                "Civilian, Local, Other), persons; 0 where none."
            ),
        )
    cols["fatalities_hostile_uniformed_n"] = pa.Column(
        "Int64",
        **n,
        **_desc("Hostile-act fatalities of uniformed personnel (military, police, observers), persons."),
    )
    for c in ("troops_n", "police_n", "observers_n"):
        cols[c] = pa.Column(
            "Float64",
            **n,
            **_desc(
                f"Deployed {c[:-2]}, persons (Kathman, {PERSONNEL_YEARS[0]}-01 to "
                f"{PERSONNEL_YEARS[1]}-12); NA outside and where unknown."
            ),
        )
    cols["personnel_total_n"] = pa.Column(
        "Float64",
        **n,
        **_desc(
            f"Uniformed personnel deployed, persons: Kathman {_span(PERSONNEL_YEARS)}, then curated deployed "
            "figures in the "
            "months they refer to; NA elsewhere (never carried forward)."
        ),
    )
    cols["personnel_source"] = pa.Column(
        "string",
        pa.Check.isin(["kathman", "interpolated", "curated"]),
        nullable=True,
        **_desc("Source of personnel_total_n: kathman, interpolated (a single missing Kathman month between "
                "two known months of the mission: their mean) or curated."),
    )
    cols["is_personnel_interpolated"] = pa.Column(
        "boolean",
        **_desc("True where the personnel columns are interpolated over a single missing Kathman month (the "
                "mean of the months before and after; Kathman misses every mission in 2014-09 and 2017-07). "
                "Longer gaps stay NA."),
    )
    prev_sources = ["pema_v2", "pema_v1_2", "tamm", "curated"]
    sources = [*mandate_months.SOURCES, "curated"]
    for c in MANDATE_CONCEPTS:
        cols[c] = pa.Column(
            "boolean",
            nullable=True,
            **_desc(
                f"{c}: the mandate in force in the Security Council's text (sc_mandates_monthly: text "
                "coding of "
                "the governing resolution 2000-2025, PEMA/TAMM where it predates 2000), else the previous "
                f"definition ({c}_prev); NA where no source codes it. Source: United Nations (texts)."
            ),
        )
        cols[f"{c}_source"] = pa.Column(
            "string", pa.Check.isin(sources), nullable=True, **_desc(f"Where {c} came from.")
        )
        cols[f"{c}_filled"] = pa.Column(
            "boolean",
            nullable=True,
            **_desc(f"{c} with the mission's last known value carried forward over NA months."),
        )
        cols[f"{c}_filled_source"] = pa.Column(
            "string",
            pa.Check.isin([*sources, "carried_forward"]),
            nullable=True,
            **_desc(f"Where {c}_filled came from."),
        )
        cols[f"{c}_prev"] = pa.Column(
            "boolean", nullable=True,
            **_desc(f"Previous definition of {c}: mandates_monthly (PEMA v2 > PEMA v1.2 > TAMM, to 2019-12), "
                    f"else the curated resolution in force ({_span(MANDATES_YEARS)})."),
        )
        cols[f"{c}_prev_source"] = pa.Column(
            "string", pa.Check.isin(prev_sources), nullable=True, **_desc(f"Where {c}_prev came from.")
        )
    for c in NEW_TEXT_BOOLEANS:
        what = {
            "has_ct_pve_language": "counter-terrorism or violent-extremism vocabulary in the operative part",
            "has_stabilisation_mandate": "stabilisation or extension/restoration of State authority as a "
            "task",
        }.get(c, f"a partnership relation (support to, coordination, information sharing, authorised to "
                 f"intervene) with a parallel force of kind '{c.removeprefix('has_partnership_')}'")
        cols[c] = pa.Column(
            "boolean", nullable=True,
            **_desc(f"Mandate in force carries {what} (sc_mandates_monthly, texts 2000-2025; TAMM "
                    "cooperation "
                    "tasks for regional/EU partners where the governing resolution predates 2000); NA "
                    "otherwise."),
        )
        cols[f"{c}_source"] = pa.Column(
            "string", pa.Check.isin(sources), nullable=True, **_desc(f"Where {c} came from.")
        )
    cols["mandate_resolution"] = pa.Column(
        "Int64", nullable=True,
        **_desc("Governing mandate resolution (latest of 2000-2025 adopted by the end of the month; "
                "sc_mandates_monthly); NA before a mission's first one."),
    )
    for c, lab in (("personnel_military_authorized_n", "military (troops, observers, staff officers)"),
                   ("personnel_police_authorized_n", "police (individual officers + formed units)")):
        cols[c] = pa.Column(
            "Float64", **n,
            **_desc(f"Authorised {lab} ceiling in force at the month's end, persons (sc_ceilings: every "
                    "statement of the 2000-2025 texts taken effect, temporary increases included); NA where "
                    "unknown (never stated, or changed from an unknown level); 0 where the mandate has no "
                    "such component (sc_missions.yaml). Never mixed with deployed counts."),
        )
    cols["personnel_authorized_n"] = pa.Column(
        "Float64", **n,
        **_desc("Authorised uniformed ceiling in force, persons: military + police ceilings + changes the "
                "Council stated for both together; NA unless both components are known (a component the "
                "mandate lacks counts 0: see personnel_authorized_source). An authorisation, not a "
                "deployment (personnel_total_n)."),
    )
    cols["personnel_authorized_source"] = pa.Column(
        "string", pa.Check.isin(list(CEILING_BASIS)), nullable=True,
        **_desc("Which ceilings personnel_authorized_n adds: military+police, or one component where the "
                "mandate has no other (sc_missions.yaml ceiling_components)."),
    )
    cols["curated_resolution"] = pa.Column(
        "string",
        nullable=True,
        **_desc(f"Latest curated resolution ({_span(MANDATES_YEARS)}) adopted by this month, if any."),
    )
    cols["has_partnership_language"] = pa.Column(
        "boolean",
        nullable=True,
        **_desc(
            "Mandate in force sets a partnership relation with a named parallel force (texts 2000-2025, "
            "sc_mandates_monthly); else TAMM *_coop tasks, else curated partnership language "
            f"({_span(MANDATES_YEARS)}); NA otherwise."
        ),
    )
    cols["has_partnership_language_source"] = pa.Column(
        "string", pa.Check.isin(sources), nullable=True, **_desc("Where has_partnership_language came from.")
    )
    cols["has_partnership_language_prev"] = pa.Column(
        "boolean", nullable=True,
        **_desc("Previous definition: TAMM *_coop tasks (to 2015-12), else curated partnership language."),
    )
    cols["has_partnership_language_prev_source"] = pa.Column(
        "string", pa.Check.isin(["tamm", "curated"]), nullable=True, **_desc("tamm or curated.")
    )
    cols["robust_mandate_index_coded_n"] = pa.Column(
        "Int64",
        pa.Check.in_range(0, 4),
        **_desc("Number of the four mandate components coded (non-NA) this month."),
    )
    cols["robust_mandate_index"] = pa.Column(
        "Int64",
        pa.Check.in_range(0, 4),
        nullable=True,
        **_desc(
            "Number of True among Chapter VII, PoC, use of force, offensive mandate (0-4); NA if none coded."
        ),
    )
    cols["is_robust_mandate"] = pa.Column(
        "boolean",
        nullable=True,
        **_desc("Chapter VII and PoC mandate (three-valued AND), text-based values."),
    )
    cols["is_robust_mandate_prev"] = pa.Column(
        "boolean", nullable=True,
        **_desc("Previous definition: is_chapter_vii_prev and has_poc_mandate_prev (three-valued AND)."),
    )
    cols["has_nonun_op_bara"] = pa.Column(
        "boolean",
        nullable=True,
        **_desc(
            "A non-UN (regional or ad hoc) peace operation in a host country this month (Bara & Hultman, "
            f"{NONUN_YEARS[0]}-01 to {NONUN_YEARS[1]}-12); NA outside."
        ),
    )
    cols["has_partner_op_curated"] = pa.Column(
        "boolean",
        nullable=True,
        **_desc(
            "A curated non-UN military operation in a host country this month "
            f"({PARTNER_OPERATIONS_YEARS[0]}-01 to {PARTNER_OPERATIONS_YEARS[1]}-12, African "
            "hosts only); NA outside."
        ),
    )
    for t in PARTNER_TYPES:
        cols[f"has_partner_{t}"] = pa.Column(
            "boolean",
            nullable=True,
            **_desc(
                f"A curated operation of type '{t}' in a host country "
                "(same coverage as has_partner_op_curated)."
            ),
        )
    cols["has_partner_op"] = pa.Column(
        "boolean",
        nullable=True,
        **_desc(
            "Partnership: a non-UN operation in a host country by any covering source; NA when none covers."
        ),
    )
    cols["has_partner_op_source"] = pa.Column(
        "string", nullable=True, **_desc("Sources covering this month.")
    )
    for c, lab in (
        ("deaths_state_based_n", "state-based"),
        ("deaths_non_state_n", "non-state"),
        ("deaths_one_sided_n", "one-sided"),
    ):
        cols[c] = pa.Column(
            "Float64",
            **n,
            **_desc(
                f"UCDP {lab} deaths (best) in the host countries that year, summed over hosts, persons; "
                f"{_span(UCDP_DEATHS_YEARS)}, NA outside or if a host is missing."
            ),
        )
    cols["hosts_n"] = pa.Column(
        "Int64", nullable=True,
        **_desc("Host states with a G-W code that year (a host not yet a state counts as its predecessor, "
                "once: UNMIK 1999-2007 has 1)."))
    cols["is_host_predecessor"] = pa.Column(
        "boolean", nullable=True,
        **_desc("True where a host's conflict figures are those of its predecessor state because it was not "
                "yet a G-W state (analysis/panels/host_predecessors.csv: Kosovo before 2008 -> Serbia 345, "
                "East Timor before 2002 -> Indonesia 850)."))
    cols["jihadist_conflicts_n"] = pa.Column(
        "Int64",
        **n,
        **_desc(
            "ACD conflicts located in a host country that year with a jihadist side (curated actors); "
            f"0 inside ACD coverage ({_span(ACD_YEARS)}), NA after."
        ),
    )
    cols["has_jihadist_conflict"] = pa.Column(
        "boolean", nullable=True, **_desc(f"jihadist_conflicts_n > 0; NA after {ACD_YEARS[1]}.")
    )
    return pa.DataFrameSchema(
        _shared(cols), strict=True, unique=MISSION_MONTHS_KEY, name="panels.mission_months"
    )


SCHEMA_MISSION_MONTHS = _mission_months_schema()


def _mission_years_schema() -> pa.DataFrameSchema:
    mm = SCHEMA_MISSION_MONTHS.columns
    cols: dict[str, pa.Column] = {
        "mission_id_un": mm["mission_id_un"],
        "year": mm["year"],
        "months_n": pa.Column(
            "Int64", pa.Check.in_range(1, 12), description="Months the mission is in the panel."
        ),
    }
    for c in ("mission_name", "region", "is_africa", "host_country_id_gw"):
        cols[c] = mm[c]
    cols["mission_age_years"] = pa.Column(
        "Float64",
        nullable=True,
        description=("Mission age at mid-year in years (mean of mission_age_months / 12)."),
    )
    for c, col in mm.items():
        if c.startswith("fatalities_"):
            cols[c] = pa.Column(
                "Int64",
                nullable=True,
                checks=pa.Check.ge(0),
                description=col.description.replace("persons;", "persons, summed over months;"),
            )
    for c in ("troops_n", "police_n", "observers_n", "personnel_total_n", "personnel_authorized_n"):
        cols[c] = pa.Column(
            "Float64",
            nullable=True,
            checks=pa.Check.ge(0),
            description=(
                f"Mean of the monthly {c} over months with a value, persons; NA if no month has one."
            ),
        )
    cols["personnel_months_share"] = pa.Column(
        "Float64",
        pa.Check.in_range(0, 1),
        description=("Share of the mission's months this year with personnel_total_n."),
    )
    cols["personnel_months_n"] = pa.Column(
        "Int64",
        pa.Check.ge(0),
        description=("Months this year with personnel_total_n (the exposure window for rates)."),
    )
    booleans = [
        *MANDATE_CONCEPTS,
        *[f"{c}_filled" for c in MANDATE_CONCEPTS],
        *[f"{c}_prev" for c in MANDATE_CONCEPTS],
        "is_robust_mandate",
        "is_robust_mandate_prev",
        "has_partnership_language",
        "has_partnership_language_prev",
        *NEW_TEXT_BOOLEANS,
        "has_nonun_op_bara",
        "has_partner_op_curated",
        *[f"has_partner_{t}" for t in PARTNER_TYPES],
        "has_partner_op",
    ]
    for c in booleans:
        cols[c] = pa.Column(
            "boolean",
            nullable=True,
            description=(
                f"True if {c} is True in any month of the year, False if False in every coded month, "
                "NA if no "
                "month is coded."
            ),
        )
        cols[f"{c}_share"] = pa.Column(
            "Float64",
            pa.Check.in_range(0, 1),
            nullable=True,
            description=(f"Share of coded months with {c} True; NA if none coded."),
        )
        cols[f"{c}_coverage"] = pa.Column(
            "Float64",
            pa.Check.in_range(0, 1),
            description=(f"Share of the mission's months this year in which {c} is coded (non-NA)."),
        )
    cols["robust_mandate_index"] = pa.Column(
        "Float64",
        pa.Check.in_range(0, 4),
        nullable=True,
        description=("Mean monthly robust_mandate_index over coded months; NA if none."),
    )
    for c in (
        "deaths_state_based_n",
        "deaths_non_state_n",
        "deaths_one_sided_n",
        "hosts_n",
        "jihadist_conflicts_n",
        "has_jihadist_conflict",
    ):
        cols[c] = mm[c]
    return pa.DataFrameSchema(
        _shared(cols), strict=True, unique=MISSION_YEARS_KEY, name="panels.mission_years"
    )


SCHEMA_MISSION_YEARS = _mission_years_schema()


def _country_years_schema() -> pa.DataFrameSchema:
    n = ColumnOptions(nullable=True, checks=pa.Check.ge(0))

    def col(dtype: str, text: str, **kw: Unpack[ColumnOptions]) -> pa.Column:
        return pa.Column(dtype, description=text, **kw)

    cols = {
        "country_id_gw": col("Int64", "Gleditsch-Ward state code."),
        "year": col("Int64", "Calendar year.", checks=pa.Check.in_range(*COUNTRY_YEARS)),
        "country_id_cow": col("Int64", "COW code (NA where no COW counterpart).", nullable=True),
        "country_id_iso3": col("string", "ISO3 code (countrycode; NA where none).", nullable=True),
        "country_name": col("string", "State name (G-W).", nullable=True),
        "region": col("string", "Region by COW code block (see country_codes).", nullable=True),
        "is_africa": col("boolean", "On the African continent, North Africa included."),
        "coup_attempts_n": col("Int64", "Coup attempts (failed + successful) that year; 0 where none.", **n),
        "coups_successful_n": col("Int64", "Successful coups that year; 0 where none.", **n),
        "has_coup_attempt": col("boolean", "coup_attempts_n > 0."),
        "has_successful_coup": col("boolean", "coups_successful_n > 0."),
        "years_since_coup": col(
            "Int64",
            f"Years since the last coup attempt before this year (since {COUPS_FIRST_YEAR} or "
            "G-W entry if none: see is_coup_clock_censored).",
            **n,
        ),
        "is_coup_clock_censored": col(
            "boolean",
            f"No attempt since {COUPS_FIRST_YEAR} / state entry: years_since_coup counts from that start.",
        ),
        "coup_attempts_prev5_n": col("Int64", "Attempts in the previous 5 years (t-5..t-1).", **n),
        "coup_attempts_prev10_n": col("Int64", "Attempts in the previous 10 years (t-10..t-1).", **n),
        "region_coup_attempts_n": col(
            "Int64", "Coup attempts in other states of the same region that year.", **n
        ),
        "has_un_pko": col("boolean", "Hosts a UN peacekeeping operation active in the year (mission_years)."),
        "un_pko_n": col("Int64", "UN peacekeeping operations hosted that year.", **n),
        "un_pko_ids": col("string", "';'-joined mission_id_un of hosted operations.", nullable=True),
        "has_robust_un_pko": col(
            "boolean",
            "Hosts an operation with a robust mandate (Chapter VII and PoC) "
            "in some month of the year; NA if unknown for a hosted mission.",
            nullable=True,
        ),
        "un_personnel_n": col(
            "Float64",
            "UN uniformed personnel hosted: sum of hosted missions' yearly mean "
            f"(Kathman {_span(PERSONNEL_YEARS)}; 0 for non-hosts then; NA after {PERSONNEL_YEARS[1]} unless "
            "curated).",
            **n,
        ),
        "has_nonun_op_bara": col(
            "boolean",
            "A non-UN peace operation (regional/ad hoc) in the state that year "
            f"(Bara & Hultman, {_span(NONUN_YEARS)}; NA outside).",
            nullable=True,
        ),
        "nonun_ops_bara_n": col(
            "Int64", f"Max monthly count of such operations ({_span(NONUN_YEARS)}).", **n
        ),
        "nonun_personnel_bara_n": col(
            "Float64", f"Mean monthly personnel of such operations ({_span(NONUN_YEARS)}).", **n
        ),
        "has_partner_op_curated": col(
            "boolean",
            "A curated non-UN military operation in the state that year "
            f"({_span(PARTNER_OPERATIONS_YEARS)}, African states only; NA outside).",
            nullable=True,
        ),
        "partner_ops_curated_n": col("Int64", "Max monthly count of curated operations.", **n),
    }
    for t in PARTNER_TYPES:
        cols[f"has_partner_{t}"] = col(
            "boolean",
            f"A curated operation of type '{t}' that year (same coverage as has_partner_op_curated).",
            nullable=True,
        )
    cols.update(
        {
            "has_partner_op": col(
                "boolean", "Non-UN operation by any covering source; NA when none covers.", nullable=True
            ),
            "has_partner_op_source": col("string", "Sources covering the year.", nullable=True),
            "has_partnership": col(
                "boolean",
                "UN PKO and a non-UN operation in the same year (three-valued AND), any covering source: its "
                "meaning changes with the sources (Bara & Hultman only before 2000, both 2000-2016, the "
                "curated table only after 2016).",
                nullable=True,
            ),
            "has_partnership_curated": col(
                "boolean",
                "UN PKO and a curated partner operation in the same year (three-valued AND): one definition "
                f"over {_span(PARTNER_OPERATIONS_YEARS)}, African states only; NA outside, and where an "
                "undated operation may have been present.",
                nullable=True,
            ),
            "has_partnership_bara": col(
                "boolean",
                "UN PKO and a Bara & Hultman non-UN operation in the same year (three-valued AND): one "
                f"definition over {_span(NONUN_YEARS)}, every state; NA outside.",
                nullable=True,
            ),
            "conflicts_n": col(
                "Int64",
                f"UCDP/PRIO ACD conflicts located in the state (0 if none; NA after {ACD_YEARS[1]}).",
                **n,
            ),
            "conflict_intensity": col(
                "Int64",
                "Max ACD intensity: 0 none, 1 minor (25-999), 2 war (1000+).",
                nullable=True,
                checks=pa.Check.isin([0, 1, 2]),
            ),
            "has_conflict": col("boolean", f"conflicts_n > 0; NA after {ACD_YEARS[1]}.", nullable=True),
            "jihadist_conflicts_n": col(
                "Int64",
                f"ACD conflicts in the state with a jihadist side (curated actors); NA after {ACD_YEARS[1]}.",
                **n,
            ),
            "has_jihadist_conflict": col("boolean", "jihadist_conflicts_n > 0.", nullable=True),
            "deaths_state_based_n": col(
                "Float64",
                f"UCDP state-based deaths (best), {_span(UCDP_DEATHS_YEARS)}; NA outside or if the "
                "state is absent from the UCDP file.",
                **n,
            ),
            "deaths_non_state_n": col("Float64", "UCDP non-state deaths (best), same rule.", **n),
            "deaths_one_sided_n": col("Float64", "UCDP one-sided deaths (best), same rule.", **n),
            "gdp_pc_usd": col("Float64", "GDP per capita, constant US$ (WDI via DemSpaces), 1950-2024.", **n),
            "population_n": col("Float64", "Population, persons.", **n),
            "v2x_polyarchy": col("Float64", "V-Dem electoral democracy index 0-1 (to 2024).", nullable=True),
            "polity2": col("Float64", "Polity5 polity2 -10..10 (to 2018).", nullable=True),
            "us_troops_n": col(
                "Float64", "U.S. military personnel in the country (troopdata, 1950-2024).", **n
            ),
        }
    )
    return pa.DataFrameSchema(
        _shared(cols), strict=True, unique=COUNTRY_YEARS_KEY, name="panels.country_years"
    )


SCHEMA_COUNTRY_YEARS = _country_years_schema()
