"""Schemas of the core tables, with the constants and helpers they are built from.

One section per core module (:mod:`~analysis.core.countries`, :mod:`~analysis.core.un`, ...);
shared columns are declared once in :mod:`analysis.data.fields`. The builders import their
schema from here.
"""

from __future__ import annotations

import pandera.pandas as pa

from analysis.data.fields import field
from analysis.data.registry import raw_file
from analysis.sources import (
    coups_cline_center,
    coups_coupcats_thyne,
    coups_powell_thyne,
    cov_isard,
    kathman_pko_personnel,
    ucdp_acd,
    ucdp_organized_violence_cy,
    un_pko_fatalities,
)
from analysis.sources import cov_wdi_gdp_pop_demspaces as wdi
from analysis.sources import pko_un_nonun_bara_hultman as bara
from analysis.sources._base import ColumnOptions

# --------------------------------------------------------------------------- countries

REGIONS = ("Africa", "Americas", "Asia", "Europe", "Middle East", "Oceania")


SCHEMA_COUNTRY_CODES = pa.DataFrameSchema(
    {
        "country_id_gw": field(
            "country_id_gw",
            pa.Check.in_range(2, 999),
            description="Gleditsch-Ward state code (isard gw_cw_panel).",
        ),
        "year": field(
            "year",
            pa.Check.in_range(1816, 2025),
            description="Calendar year in which the state is a G-W system member (any part of the year).",
        ),
        "country_id_cow": field(
            "country_id_cow",
            pa.Check.in_range(2, 999),
            nullable=True,
            description="Correlates of War state code matched by isard for this state-year; NA where COW "
                        "has no counterpart.",
        ),
        "country_id_iso3": field(
            "country_id_iso3",
            nullable=True,
            description="ISO 3166-1 alpha-3 code from countrycode's codelist_panel (matched on G-W code and "
                        "year, else COW code and year; 2021-2024 on the state's ISO3 and year); NA for "
                        "historical states without one and in 2025.",
        ),
        "country_id_m49": field(
            "country_id_m49",
            nullable=True,
            description="UN M49 numeric code from the same codelist_panel row as the ISO3 code; NA where "
                        "none and in 2025.",
        ),
        "country_name": field("country_name", description="G-W state name (isard); descriptive only."),
        "region": pa.Column("string", pa.Check.isin(REGIONS),
                            description="Region from the G-W code block: 2-199 Americas, 200-399 Europe, "
                                        "400-599 Africa, 600-699 Middle East (incl. North Africa), "
                                        "700-899 Asia, 900-999 Oceania."),
        "is_africa": field(
            "is_africa",
            description="True for states on the African continent, North Africa included: G-W 400-626 and "
                        "Egypt 651.",
        ),
        "is_microstate": pa.Column("boolean",
                                   description="G-W microstate flag (isard gw_system; population "
                                               "< 250,000)."),
    },
    strict=True,
    unique=["country_id_gw", "year"],
    name="core.country_codes",
)


#: First year of ``country_covariates``: the first year of the GDP series (registry; the troop data
#: start the same year).
COVARIATES_FIRST_YEAR = raw_file(wdi.SOURCE, wdi.FILE_GDP).year_start


SCHEMA_COUNTRY_COVARIATES = pa.DataFrameSchema(
    {
        "country_id_gw": field(
            "country_id_gw",
            pa.Check.in_range(2, 999),
            description="Gleditsch-Ward state code (rows: country_codes, 1950-2025).",
        ),
        "year": field("year", pa.Check.in_range(COVARIATES_FIRST_YEAR, cov_isard.YEARS[1])),
        "gdp_pc_usd": field(
            "gdp_pc_usd",
            pa.Check.gt(0),
            nullable=True,
            description="GDP per capita, constant US$ (WDI NY.GDP.PCAP.KD, gap-filled by DemSpaces; base "
                        "year not recorded); NA outside 1950-2024, where missing, and where the upstream "
                        "extrapolation is <= 0.",
        ),
        "gdp_usd": pa.Column("Float64", pa.Check.gt(0), nullable=True,
                             description="GDP, constant US$ (WDI NY.GDP.MKTP.KD, gap-filled); NA outside "
                                         "1950-2024 and where missing."),
        "population_n": field(
            "population_n",
            pa.Check.gt(0),
            nullable=True,
            description="Population, persons (DemSpaces population.csv, given in thousands and multiplied "
                        "by 1,000); NA where missing.",
        ),
        "v2x_polyarchy": field(
            "v2x_polyarchy",
            nullable=True,
            description="V-Dem v16 electoral democracy index, 0-1 (isard gw_democracy); NA after 2024 and "
                        "where not coded.",
        ),
        "polity2": field(
            "polity2",
            nullable=True,
            description="Polity5 polity2, -10 (autocracy) to 10 (democracy) (isard gw_democracy); NA after "
                        "2018 (Polity5's last year) and where not coded (incl. interregnum codes NA "
                        "upstream).",
        ),
        "euds": pa.Column("Float64", nullable=True,
                          description="Extended Unified Democracy Score (Marquez 2016), latent scale, mean 0 "
                                      "(isard gw_democracy); NA where not estimated."),
        "aeuds": pa.Column("Float64", nullable=True,
                           description="EUDS re-centred so 0 is the democracy/autocracy cut-point (Marquez "
                                       "2016); NA where not estimated."),
        "us_troops_n": field(
            "us_troops_n",
            nullable=True,
            description="U.S. active-duty military personnel in the state, persons (troopdata rebuild of "
                        "DMDC reports; territories such as Guam, Puerto Rico, Greenland, Azores and Diego "
                        "Garcia are not added to any state); 0 where reported as 0; NA outside 1950-2024 "
                        "and where the state-year is not in troopdata.",
        ),
    },
    strict=True,
    unique=["country_id_gw", "year"],
    name="core.country_covariates",
)


# --------------------------------------------------------------------------- un

HOST_SOURCES = ("crosswalk", "combined_parts", "kathman")


_ACRONYM = r"^[A-Z][A-Z0-9 ]*$"


SCHEMA_UN_MISSION_HOSTS = pa.DataFrameSchema(
    {
        "mission_id_un": field(
            "mission_id_un",
            pa.Check.str_matches(_ACRONYM),
            description="UN mission acronym, upper case.",
        ),
        "country_id_iso3": field(
            "country_id_iso3",
            description="Host country ISO3 (crosswalk code; YAR -> YEM, KSV -> XKX; for Kathman-derived "
                        "hosts the ISO3 of the G-W state).",
        ),
        "host_code": pa.Column("string", nullable=True,
                               description="Host code as given in the crosswalk (incl. YAR, KSV); NA for "
                                           "inherited and Kathman-derived hosts."),
        "country_id_gw": field(
            "country_id_gw",
            pa.Check.in_range(2, 999),
            nullable=True,
            description="Host, Gleditsch-Ward code in `code_year` (country_codes; HISTORICAL_GW for "
                        "predecessor states); NA if none.",
        ),
        "country_id_cow": field(
            "country_id_cow",
            pa.Check.in_range(2, 999),
            nullable=True,
            description="Host, COW code matched to the G-W state-year in country_codes (Kathman's own code "
                        "for Kathman-derived hosts); NA if none.",
        ),
        "code_year": pa.Column("Int64", pa.Check.in_range(1946, 2100), nullable=True,
                               description="Year used for the code conversion: mission start year (else "
                                           "end year, else first fatality year; first later year where "
                                           "the host is a G-W member; first Kathman year)."),
        "region": pa.Column("string", pa.Check.isin(REGIONS), nullable=True,
                            description="Region of the host's G-W code (country_codes rule); NA if no "
                                        "G-W code."),
        "host_source": pa.Column("string", pa.Check.isin(HOST_SOURCES),
                                 description="crosswalk (Ballesteros), combined_parts (inherited from the "
                                             "parts of a combined entry) or kathman (missionccode/2)."),
    },
    strict=True,
    unique=["mission_id_un", "country_id_iso3"],
    name="core.un_mission_hosts",
)


SCHEMA_UN_MISSIONS = pa.DataFrameSchema(
    {
        "mission_id_un": field(
            "mission_id_un",
            pa.Check.str_matches(_ACRONYM),
            unique=True,
            description="UN mission acronym, upper case (as in DPPADPOSS-PKO; fatalities and Kathman "
                        "acronyms upper-cased).",
        ),
        "mission_id_un_combined": pa.Column(
            "string", pa.Check.str_matches(_ACRONYM),
            description="Combined entry a split mission belongs to (UNEF I/II -> UNEF, UNAVEM I-III -> "
                        "UNAVEM, UNOSOM I/II -> UNOSOM); the mission's own acronym otherwise."),
        "mission_name": field(
            "mission_name",
            nullable=True,
            description="Name from DPPADPOSS-PKO (DOMREP repaired; PKO_NOT_IN_LIST for UNTAG, UNTMIH); NA "
                        "for other missions not in the list.",
        ),
        "is_peacekeeping": pa.Column("boolean",
                                     description="True for peacekeeping operations: in DPPADPOSS-PKO, or "
                                                 "UNTAG / UNTMIH (PKO_NOT_IN_LIST); False for political "
                                                 "missions and offices."),
        "is_in_pko_list": pa.Column("boolean", description="True if the acronym is in DPPADPOSS-PKO."),
        "listed_in": pa.Column("string",
                               description="Sources naming the acronym, ';'-joined: pko_list, fatalities, "
                                           "kathman."),
        "is_active": pa.Column("boolean", nullable=True,
                               description="Active at the PKO-list snapshot 2024-02-19 (`mission_isactive` "
                                           "Yes/No/NO); NA for missions not in the list."),
        "date_start": pa.Column("datetime64[ns]", nullable=True,
                                description="Start date (PKO list); NA if not given or not in the list."),
        "date_end": pa.Column("datetime64[ns]", nullable=True,
                              description="End date (PKO list); NA if ongoing at 2024-02-19, not given, or "
                                          "not in the list."),
        "region": pa.Column("string", nullable=True,
                            description="Region(s) of the hosts (country_codes rule), ';'-joined if they "
                                        "differ; NA without host."),
        "host_iso3": pa.Column("string", nullable=True,
                               description="Host countries, ISO3, ';'-joined in alphabetical order "
                                           "(un_mission_hosts); NA without host."),
        "hq_location": pa.Column("string", nullable=True, description="Headquarters city (PKO list)."),
        "longitude": pa.Column("Float64", pa.Check.in_range(-180, 180), nullable=True,
                               description="HQ longitude, decimal degrees east (decimal comma parsed, "
                                           "swapped rows fixed); NA if not given."),
        "latitude": pa.Column("Float64", pa.Check.in_range(-90, 90), nullable=True,
                              description="HQ latitude, decimal degrees north; NA if not given."),
    },
    strict=True,
    unique=["mission_id_un"],
    name="core.un_missions",
)


SCHEMA_UN_FATALITIES = pa.DataFrameSchema(
    {
        "casualty_id": pa.Column("string", unique=True,
                                 description="UN casualty id `MISSION-YYYY-MM-nnnnn`; one row per person."),
        "date": pa.Column("datetime64[ns]", description="Incident date, day."),
        "year": field("year", pa.Check.in_range(1948, 2025), description="Calendar year of the incident."),
        "month": field("month", description="Month of the incident, 1-12."),
        "mission_id_un": field(
            "mission_id_un",
            pa.Check.str_matches(_ACRONYM),
            description="UN mission acronym, upper case (UNEF, UNAVEM, UNOSOM are the combined entries).",
        ),
        "is_peacekeeping": pa.Column("boolean",
                                     description="From un_missions: True for peacekeeping operations, False "
                                                 "for political missions and offices."),
        "type_of_incident": pa.Column("string", pa.Check.isin(list(un_pko_fatalities.CAUSE)),
                                      description="UN incident category as given: "
                                                  + ", ".join(un_pko_fatalities.CAUSE) + "."),
        "cause": pa.Column("string", pa.Check.isin(un_pko_fatalities.CAUSE_CODES),
                           description="Harmonised cause: hostile (Malicious Act), accident (Accident), "
                                       "illness (Illness), self_inflicted (Self-Inflicted), other_unknown "
                                       "(To Be Determined, Unknown)."),
        "personnel_type": pa.Column("string", pa.Check.isin(un_pko_fatalities.PERSONNEL_TYPES),
                                    description="UN personnel category (stripped): "
                                                + ", ".join(un_pko_fatalities.PERSONNEL_TYPES) + "."),
        "gender": pa.Column("string", pa.Check.isin(["M", "F"]), nullable=True,
                            description="M or F; NA where blank."),
        "country_name": field("country_name", nullable=True, description="Nationality as named by the UN."),
        "country_id_iso3": field(
            "country_id_iso3",
            nullable=True,
            description="Nationality, ISO3 as given (historic YUG, SCG kept; four names filled, see "
                        "is_nationality_code_filled); NA if unknown.",
        ),
        "country_id_m49": field(
            "country_id_m49",
            nullable=True,
            description="Nationality, UN M49 code (Int64 from the file's float); NA if unknown.",
        ),
        "is_nationality_code_filled": pa.Column(
            "boolean", description="True where ISO3/M49 were blank upstream and filled from the name."),
        "n_source_rows": pa.Column("Int64", pa.Check.in_range(1, 2),
                                   description="Source rows collapsed into this person (2 for six UNMIK "
                                               "casualties listed under Montenegro and Serbia and "
                                               "Montenegro)."),
        "country_id_iso3_dropped": pa.Column("string", nullable=True,
                                             description="Nationality code of the collapsed duplicate rows "
                                                         "(MNE); NA if not collapsed."),
    },
    strict=True,
    unique=["casualty_id"],
    name="core.un_fatalities",
)


SCHEMA_UN_PERSONNEL_MONTHLY = pa.DataFrameSchema(
    {
        **kathman_pko_personnel.SCHEMA_MONTHLY.columns,
        "year": field("year", pa.Check.in_range(1990, 2019), description="Calendar year (1990-2019)."),
    },
    strict=True,
    unique=["mission_id_un", "year", "month"],
    name="core.un_personnel_monthly",
)


_KATHMAN_DEC = {
    "personnel_total_n": "personnel_total_n_kathman_dec",
    "troops_n": "troops_n_kathman_dec",
    "police_n": "police_n_kathman_dec",
    "observers_n": "observers_n_kathman_dec",
}


_count = ColumnOptions(nullable=True, checks=pa.Check.ge(0))


SCHEMA_UN_PERSONNEL_YEARLY_TOTAL = pa.DataFrameSchema(
    {
        "year": field("year", pa.Check.in_range(1947, 2022), unique=True),
        "missions_n": pa.Column("Int64", **_count,
                                description="OWID: active UN peacekeeping missions; NA outside 1947-2022."),
        "personnel_total_n": field(
            "personnel_total_n",
            **_count,
            description="OWID: uniformed personnel in December (November 1998), persons; NA outside "
                        "1947-2021.",
        ),
        "troops_n": field("troops_n", **_count, description="OWID: troops, persons; NA before 1992."),
        "police_n": field("police_n", **_count, description="OWID: police, persons; NA before 1992."),
        "observers_n": field(
            "observers_n",
            **_count,
            description="OWID: military observers and staff officers; NA before 1992.",
        ),
        "missions_n_kathman_dec": pa.Column("Int64", **_count,
                                            description="Kathman: missions listed in December (all missions "
                                                        "incl. political ones); NA outside 1990-2019."),
        **{new: pa.Column("Int64", **_count,
                          description=f"Kathman: sum of `{old}` over all missions in December, persons; NA "
                                      "if any mission's December value is NA, and outside 1990-2019.")
           for old, new in _KATHMAN_DEC.items()},
        "source": pa.Column("string",
                            description="Which sources have values in the row: 'OWID', 'Kathman', "
                                        "'OWID; Kathman'."),
    },
    strict=True,
    unique=["year"],
    name="core.un_personnel_yearly_total",
)


# --------------------------------------------------------------------------- mandates

SOURCE_NAMES = ("pema_v2", "pema_v1_2", "tamm")


#: Concept -> (source, source column in the per-source frames) in order of precedence.
PRECEDENCE: dict[str, tuple[tuple[str, str], ...]] = {
    "is_chapter_vii": (("tamm", "has_ch7"),),
    "has_poc_mandate": (("pema_v2", "has_civprotect_security"), ("pema_v1_2", "has_civprotect_security"),
                        ("tamm", "has_prociv")),
    "has_use_of_force": (("pema_v2", "has_useofforce"), ("pema_v1_2", "has_useofforce")),
    "has_offensive_mandate": (("pema_v1_2", "has_offensoper_security"),),
}


#: TAMM cooperation variables -> ``has_partner_coop_<x>`` suffix and partner.
PARTNER_COOP = {
    "au_coop": ("au", "the African Union"),
    "eu_coop": ("eu", "the European Union"),
    "undp_coop": ("undp", "UNDP"),
    "ecowas_coop": ("ecowas", "ECOWAS"),
    "jmc_coop": ("jmc", "a joint military/monitoring commission"),
    "othermission_coop": ("other_mission", "other (non-UN or UN) missions"),
    "oas_coop": ("oas", "the Organization of American States"),
    "osce_coop": ("osce", "the OSCE"),
    "cis_coop": ("cis", "the Commonwealth of Independent States"),
    "coop_other": ("other", "other organisations"),
}


_LABEL = {
    "is_chapter_vii": "Chapter VII authorization",
    "has_poc_mandate": "protection-of-civilians mandate (mission itself protects civilians)",
    "has_use_of_force": "authorisation to use force",
    "has_offensive_mandate": "mandate to conduct offensive operations",
}


_SRC_TEXT = {
    ("tamm", "has_ch7"): "TAMM `ch7`",
    ("pema_v2", "has_civprotect_security"): "PEMA v2 `civprotect_security_V3`",
    ("pema_v1_2", "has_civprotect_security"): "PEMA v1.2 `CivProtect_Security` (expanded to months)",
    ("tamm", "has_prociv"): "TAMM `prociv`",
    ("pema_v2", "has_useofforce"): "PEMA v2 `useofforce_V3`, non-African missions (NA for African ones: "
                                   "not coded in v2)",
    ("pema_v1_2", "has_useofforce"): "PEMA v1.2 `UseOfForce` (African missions, expanded to months)",
    ("pema_v1_2", "has_offensoper_security"): "PEMA v1.2 `OffensOper_Security` (African missions, "
                                              "expanded to months)",
}


def _schema() -> pa.DataFrameSchema:
    cols: dict[str, pa.Column] = {
        "mission_id_un": field(
            "mission_id_un",
            pa.Check.str_matches(r"^[A-Z][A-Z0-9 ]*$"),
            description="UN mission acronym, upper case (UN DPPADPOSS-PKO list; BINUB, UNAMET, UNTAG, "
                        "UNTMIH are UN missions absent from it).",
        ),
        "year": field("year", pa.Check.in_range(1948, 2019)),
        "month": field("month"),
    }
    for concept, chain in PRECEDENCE.items():
        order = " > ".join(s for s, _ in chain)
        cols[concept] = pa.Column("boolean", nullable=True,
                                  description=f"{_LABEL[concept].capitalize()}: value of the first source "
                                              f"with a value ({order}); NA when none covers the month.")
        cols[f"{concept}_source"] = pa.Column(
            "string", pa.Check.isin(list(SOURCE_NAMES)), nullable=True,
            description=f"Source of `{concept}`: one of {', '.join(s for s, _ in chain)}; NA when "
                        f"`{concept}` is NA.")
        for src, var in chain:
            cols[f"{concept}_{src}"] = pa.Column(
                "boolean", nullable=True,
                description=f"{_LABEL[concept].capitalize()} according to {_SRC_TEXT[(src, var)]}; NA "
                            "outside that source's mission-months or where it does not code the task.")
    for var, (suffix, partner) in PARTNER_COOP.items():
        cols[f"has_partner_coop_{suffix}"] = pa.Column(
            "boolean", nullable=True,
            description=f"Mandated cooperation with {partner} (TAMM `{var}`, 0/1, undocumented in the "
                        "codebook); NA outside TAMM (after 2015, or missions/months TAMM lacks).")
    cols["resolution_id_un_pema_v2"] = pa.Column(
        "string", nullable=True, description="Resolution in force in the PEMA v2 panel (`signature`); NA "
                                             "outside it.")
    cols["resolution_id_un_pema_v1_2"] = pa.Column(
        "string", nullable=True, description="Latest PEMA v1.2 resolution adopted up to the month; NA "
                                             "outside the expanded v1.2 months.")
    cols["resolution_un_tamm"] = pa.Column(
        "string", nullable=True, description="TAMM's governing mandate document (`unsc_resolution`, as "
                                             "given, e.g. '2100', '425/426', 'S/2008/354'); NA outside TAMM.")
    for src in SOURCE_NAMES:
        cols[f"is_in_{src}"] = pa.Column("boolean", description=f"True when the mission-month is in {src}.")
    return pa.DataFrameSchema(cols, strict=True, unique=["mission_id_un", "year", "month"],
                              name="core.mandates_monthly")


SCHEMA_MANDATES_MONTHLY = _schema()


# --------------------------------------------------------------------------- operations

_KEY = ["operation_id", "country_id_cow", "year", "month"]


_n = ColumnOptions(nullable=True, checks=pa.Check.ge(0))


SCHEMA_NONUN_OPERATIONS_MONTHLY = pa.DataFrameSchema(
    {
        "operation_id": pa.Column("string", pa.Check.str_matches(r"^([A-Z][A-Z0-9 ]*|[a-z0-9_]+)$"),
                                  description="Operation id: UN acronym (upper case) for UN missions, else a "
                                              "lower-case slug of the SIPRI short name (e.g. 'amisom', "
                                              "'op_licorne'); with country_id_cow it identifies an "
                                              "operation."),
        "country_id_cow": field(
            "country_id_cow",
            pa.Check.in_range(2, 999),
            description="COW code of the host (conflict) country, Bara `ccode`.",
        ),
        "year": field("year", pa.Check.in_range(1993, 2016)),
        "month": field("month"),
        "country_id_gw": field(
            "country_id_gw",
            pa.Check.in_range(2, 999),
            nullable=True,
            description="Gleditsch-Ward code of the host country in that year (country_codes); NA if the "
                        "COW code has no G-W state then.",
        ),
        "country_name": field(
            "country_name",
            description="Host (conflict) country name as given (`location`).",
        ),
        "operation_name": pa.Column("string", description="Operation name as given (`mission`, SIPRI short "
                                                          "name)."),
        "operation_id_bara": pa.Column("Int64", pa.Check.gt(0),
                                       description="Bara's `missionid` (unique per mission x country)."),
        "mission_id_un": field(
            "mission_id_un",
            nullable=True,
            description="UN acronym for UN missions (DPPADPOSS-PKO list; UNMLT, UNOTIL, UNSOM, UNTMIH are "
                        "absent from it), NA for others.",
        ),
        "org_type": pa.Column("string", pa.Check.isin(list(bara.ORG_TYPE.values())),
                              description="Deploying organisation type (`org` 1/2/3): UN, regional (an "
                                          "organisation or mostly regional coalition in its own region), "
                                          "ad_hoc ('international': an organisation outside its region or a "
                                          "multi-region coalition)."),
        "is_un": pa.Column("boolean", description="True for UN operations (org_type UN)."),
        "is_police_only": pa.Column("boolean", description="Pure civilian police mission (`onlypolice`)."),
        "conflicts_n": pa.Column("Int64", pa.Check.ge(1),
                                 description="UCDP conflicts (ACD v17.1) the operation is linked to that "
                                             "month, count."),
        "is_active_conflict": pa.Column("boolean", description="True when at least one linked conflict is "
                                                               "active that month (else postwar)."),
        "troops_n": field(
            "troops_n",
            dtype="Float64",
            **_n,
            description="Troops, persons (`troops_iepo`, inter-/extrapolated SIPRI figure, may be "
                        "fractional); NA from 2015-01 (see troops_observers_n).",
        ),
        "police_n": field("police_n", dtype="Float64", **_n, description="Police, persons (`police_iepo`)."),
        "observers_n": field(
            "observers_n",
            dtype="Float64",
            **_n,
            description="Military observers, persons (`observers_iepo`); NA from 2015-01 (SIPRI counts them "
                        "with troops from 2015).",
        ),
        "troops_observers_n": pa.Column("Float64", **_n,
                                        description="Troops + military observers, persons (`troops_iepo` + "
                                                    "`observers_iepo`); comparable across the 2015 break."),
        "personnel_total_n": field(
            "personnel_total_n",
            dtype="Float64",
            **_n,
            description="Uniformed personnel, persons (`totals_iepo` = troops + police + observers).",
        ),
    },
    strict=True,
    unique=_KEY,
    name="core.nonun_operations_monthly",
)


# --------------------------------------------------------------------------- conflict

_ACD = raw_file(ucdp_acd.SOURCE, ucdp_acd.FILE)


_OV = raw_file(ucdp_organized_violence_cy.SOURCE, ucdp_organized_violence_cy.FILE)


_ACD_NOTE = f" Source: UCDP/PRIO ACD {_ACD.version} (conflict-year)."


_OV_NOTE = f" Source: UCDP organized violence country-year {_OV.version}."


def _with_note(schema: pa.DataFrameSchema, note: str) -> pa.DataFrameSchema:
    return schema.update_columns({c: {"description": (col.description or "") + note}
                                  for c, col in schema.columns.items()})


SCHEMA_UCDP_CONFLICT_YEARS = _with_note(ucdp_acd.SCHEMA_CONFLICT_YEARS, _ACD_NOTE).add_columns({
    "country_id_gw_location": pa.Column(
        "Int64", pa.Check.in_range(2, 999), nullable=False,
        description="First G-W code listed in `gwno_loc` (the only one for single-location conflicts; "
                    "see ucdp_conflict_locations for all)." + _ACD_NOTE),
    "is_key_from_peacesciencer": pa.Column(
        "boolean", nullable=False,
        description="True for a conflict-year that the third-party v25.1 re-export lacks and peacesciencer's "
                    "ucdp_acd (built from UCDP's own 25.1 release, the authority for the keys) has "
                    "(Bangladesh 2005, conflict 11350): its year-level values are peacesciencer's, its "
                    "conflict-level names, ids and locations those of the conflict's other years."),
}).set_name("core.ucdp_conflict_years")


SCHEMA_UCDP_CONFLICT_LOCATIONS = pa.DataFrameSchema(
    {
        "conflict_id": field("conflict_id", nullable=False, description="UCDP conflict id." + _ACD_NOTE),
        "year": field(
            "year",
            pa.Check.in_range(_ACD.year_start, _ACD.year_end),
            nullable=False,
            description="Calendar year of the conflict-year." + _ACD_NOTE,
        ),
        "country_id_gw": field(
            "country_id_gw",
            pa.Check.in_range(2, 999),
            nullable=False,
            description="G-W code of one location state (one element of " "`gwno_loc`)." + _ACD_NOTE,
        ),
        "location_order": pa.Column("Int64", pa.Check.ge(1), nullable=False,
                                    description="Position of this state in `gwno_loc` (1 = first)."),
        "locations_n": pa.Column("Int64", pa.Check.ge(1), nullable=False,
                                 description="Number of location states of the conflict-year."),
        "incompatibility": pa.Column("Int64", pa.Check.isin((1, 2, 3)), nullable=False,
                                     description="1 territory, 2 government, 3 both." + _ACD_NOTE),
        "intensity_level": field(
            "intensity_level",
            nullable=False,
            description="Conflict-year intensity: 1 = 25-999, 2 = >= 1,000 battle-related deaths (whole "
                        "conflict, not this state's share)." + _ACD_NOTE,
        ),
        "type_of_conflict": pa.Column("Int64", pa.Check.isin((1, 2, 3, 4)), nullable=False,
                                      description="1 extrasystemic, 2 interstate, 3 intrastate, "
                                                  "4 internationalized intrastate." + _ACD_NOTE),
    },
    strict=True,
    unique=["conflict_id", "year", "country_id_gw"],
    name="core.ucdp_conflict_locations",
)


SCHEMA_UCDP_COUNTRY_YEARS = _with_note(ucdp_organized_violence_cy.SCHEMA_COUNTRY_YEARS, _OV_NOTE).set_name(
    "core.ucdp_country_years")


# --------------------------------------------------------------------------- coups

_PT = raw_file(coups_powell_thyne.SOURCE, coups_powell_thyne.FILE)


_CC = raw_file(coups_coupcats_thyne.SOURCE, coups_coupcats_thyne.FILE)


_CL = raw_file(coups_cline_center.SOURCE, coups_cline_center.FILE)


#: Last year with coded coups in CoupCats: its final registered year (2026) is a synthetic copy
#: of earlier rows with no coup coded, so coups are covered through the year before.
COUPCATS_LAST_CODED_YEAR = _CC.year_end - 1


SOURCE_DATASETS = ("powell_thyne", "coupcats")


DATE_PRECISIONS = ("day", "month")


_PT_NOTE = f" Source: Powell & Thyne {_PT.version} to the seam month, CoupCats after it."


SCHEMA_COUPS = pa.DataFrameSchema(
    {
        "coup_id": field(
            "coup_id",
            pa.Check.str_matches(r"^(pt_\d{3}_\d{8}|cc_\d{3}_\d{6})$"),
            unique=True,
            nullable=False,
            description="Event id: pt_<COW 3 digits>_<YYYYMMDD> for P&T events, cc_<COW>_<YYYYMM> for "
                        "appended CoupCats coup months.",
        ),
        "country_id_cow": field(
            "country_id_cow",
            nullable=False,
            description="Correlates of War code as coded by the source." + _PT_NOTE,
        ),
        "country_id_gw": field(
            "country_id_gw",
            pa.Check.in_range(2, 999),
            nullable=True,
            description="Gleditsch-Ward code from country_codes (gw_from_cow, year of the event; same-code "
                        "fallback where COW lists no state that year); NA where no G-W state matches.",
        ),
        "country_name": field("country_name", nullable=False, description="Country name as in the source."),
        "year": field(
            "year",
            pa.Check.in_range(_PT.year_start, COUPCATS_LAST_CODED_YEAR),
            nullable=False,
            description="Year of the coup attempt.",
        ),
        "month": field("month", nullable=False, description="Month of the coup attempt (1-12)."),
        "day": field(
            "day",
            nullable=True,
            description="Day of the month; NA where only the month is known (date_precision 'month').",
        ),
        "date": pa.Column("datetime64[ns]", nullable=False,
                          description="Date of the attempt; the first of the month where only the month "
                                      "is known (see date_precision)."),
        "date_precision": pa.Column("string", pa.Check.isin(DATE_PRECISIONS), nullable=False,
                                    description="'day' (P&T events) or 'month' (CoupCats coup months)."),
        "is_successful": field(
            "is_successful",
            nullable=False,
            description="True for a successful coup, False for a failed attempt (P&T `coup` 2/1; CoupCats "
                        "`coup_successful`)." + _PT_NOTE,
        ),
        "source_dataset": pa.Column("string", pa.Check.isin(SOURCE_DATASETS), nullable=False,
                                    description="'powell_thyne' (event list V2022.11.29) or 'coupcats' "
                                                "(coup months after the last P&T event's month)."),
    },
    strict=True,
    name="core.coups",
)


_CL_NOTE = f" Source: Cline Center Coup d'État Project {_CL.version}."


SCHEMA_COUPS_CLINE = coups_cline_center.SCHEMA_EVENTS.update_columns(
    {c: {"description": (col.description or "") + _CL_NOTE}
     for c, col in coups_cline_center.SCHEMA_EVENTS.columns.items()}
).add_columns({
    "country_id_gw": field(
        "country_id_gw",
        pa.Check.in_range(2, 999),
        nullable=True,
        description="Gleditsch-Ward code from country_codes (gw_from_cow on the canonical COW code and "
                    "year; same-code fallback where COW lists no state that year); NA where none (Sudan "
                    "1955).",
    ),
}).set_name("core.coups_cline")




_CC_NOTE = f" Source: {_CC.version} (Thyne), the Powell & Thyne coup indicators by month."


SCHEMA_COUPS_COUPCATS = coups_coupcats_thyne.SCHEMA_COUP_MONTHS.update_columns(
    {c: {"description": (col.description or "") + _CC_NOTE}
     for c, col in coups_coupcats_thyne.SCHEMA_COUP_MONTHS.columns.items()}
).add_columns({
    "country_id_gw": field(
        "country_id_gw",
        pa.Check.in_range(2, 999),
        nullable=True,
        description="Gleditsch-Ward code from country_codes (gw_from_cow, year of the month; same-code "
                    "fallback where COW lists no state that year); NA where no G-W state matches.",
    ),
}).set_name("core.coups_coupcats")
