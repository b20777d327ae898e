"""UN peace operations: missions, host countries, fatalities and deployed personnel.

Core tables
-----------
``un_mission_hosts``
    One row per mission and host country (ISO3), with G-W and COW codes.
``un_missions``
    One row per UN mission acronym seen in the UN PKO list, the UN fatalities file or Kathman's
    personnel file, with dates, HQ coordinates, hosts and the peacekeeping flag.
``un_fatalities``
    One row per person killed (UN fatalities file, duplicated casualty ids collapsed).
``un_personnel_monthly``
    Uniformed personnel per mission and month (Kathman), 1990-01 to 2019-12.
``un_personnel_yearly_total``
    World totals of uniformed personnel per year: OWID (UN December summaries) 1947-2022 and
    Kathman's December sums 1990-2019, side by side.

Rules
-----
* **Peacekeeping or not** (``is_peacekeeping``): a mission is a peacekeeping operation when its
  acronym is in the UN's own list of peacekeeping operations, ``DPPADPOSS-PKO``
  (``is_in_pko_list``), plus the two operations of :data:`PKO_NOT_IN_LIST` that the UN lists
  among its past peacekeeping operations but that are missing from that file (UNTAG, UNTMIH).
  Every other acronym (political missions and offices such as UNAMA, UNAMI, UNSMIL, UNSOM,
  UNOWAS, envoys' offices, the UN Secretariat, the logistics base LBB) is not.
* **Combined entries**: the fatalities file uses UNEF (I+II), UNAVEM (I-III) and UNOSOM (I+II);
  Kathman's UNOSOM / UNOSOM II / UNAVEM are mapped to the same combined acronyms. The PKO list has
  both the combined and the split entries; ``mission_id_un_combined`` links the parts to the
  combined entry, so count at one level only.
* **Host countries** come from the researcher-made crosswalk (``un_pko_missions``). Non-ISO codes
  are mapped explicitly (:data:`HOST_CODE_ISO3`: YAR -> YEM, KSV -> XKX). Combined entries
  inherit the hosts of their parts (:data:`HOST_PARTS`; UNPF, the 1995-96 umbrella of UNPROFOR,
  UNCRO and UNPREDEP, inherits theirs too). Missions outside the crosswalk take their hosts from
  Kathman's COW codes (``host_source`` "kathman"). UNFOR, the envoys' offices and missions
  without hosts in either source have no host row.
* **Code year**: G-W/COW codes of a host are those of the mission's start year (else its end
  year, else the year of its first fatality; for Kathman-derived hosts the first year Kathman
  lists the host). Where the ISO3 code names a successor state of the state of that year, the
  explicit :data:`HISTORICAL_GW` table is used (SRB before 2006 -> Yugoslavia 345; YEM before
  1990 -> Yemen Arab Republic 678). Where the host is not yet a state in that year (East Timor
  for UNTAET 1999, Kosovo for UNMIK 1999), the first later year of the mission in which it is a
  G-W member is used; ``code_year`` records the year used.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.core.countries import REGIONS, gw_from_cow, gw_from_iso3
from analysis.data.tables import table
from analysis.sources import (
    kathman_pko_personnel,
    owid_un_peacekeeping,
    un_pko_fatalities,
    un_pko_missions,
)
from analysis.sources._base import ColumnOptions, raw_path

#: Operations the UN lists among its peacekeeping operations but missing from DPPADPOSS-PKO.
PKO_NOT_IN_LIST = {
    "UNTAG": "United Nations Transition Assistance Group (Namibia, 1989-1990)",
    "UNTMIH": "United Nations Transition Mission in Haiti (1997)",
}

#: Non-ISO host codes of the crosswalk -> ISO3 used here (YEM was the ISO code of the Yemen Arab
#: Republic until 1990; XKX is the user-assigned code for Kosovo used by the EU and World Bank).
HOST_CODE_ISO3 = {"YAR": "YEM", "KSV": "XKX"}

#: ISO3 codes of successor states used for their predecessor: (iso3, first year, last year) -> G-W.
HISTORICAL_GW = {
    ("SRB", 1918, 2005): 345,  # Yugoslavia / Serbia and Montenegro
    ("YEM", 1918, 1989): 678,  # Yemen Arab Republic (North Yemen)
    ("XKX", 2008, 2100): 347,  # Kosovo (no ISO3 in country_codes)
}

#: Combined or umbrella entries -> the missions whose hosts they inherit.
HOST_PARTS = dict(un_pko_missions.COMBINED_PARTS) | {"UNPF": ("UNPROFOR", "UNCRO", "UNPREDEP")}

HOST_SOURCES = ("crosswalk", "combined_parts", "kathman")
_ACRONYM = r"^[A-Z][A-Z0-9 ]*$"


# --------------------------------------------------------------------------- cached loaders

@lru_cache(maxsize=8)
def _cached(fn_name: str, key: tuple) -> pd.DataFrame:
    mod, fn = fn_name.rsplit(".", 1)
    return getattr(_MODULES[mod], fn)()


_MODULES = {
    "un_pko_fatalities": un_pko_fatalities,
    "un_pko_missions": un_pko_missions,
    "kathman_pko_personnel": kathman_pko_personnel,
    "owid_un_peacekeeping": owid_un_peacekeeping,
}


def _load(module: str, fn: str, file: str) -> pd.DataFrame:
    """Loader output from the verified raw file, cached per process while the file is unchanged."""
    p: Path = raw_path(module, file)
    st = p.stat()
    return _cached(f"{module}.{fn}", (str(p), st.st_size, st.st_mtime_ns)).copy()


def _fatalities() -> pd.DataFrame:
    return _load("un_pko_fatalities", "load_fatalities", un_pko_fatalities.FILE)


def _missions_list() -> pd.DataFrame:
    return _load("un_pko_missions", "load_missions", un_pko_missions.FILE)


def _crosswalk() -> pd.DataFrame:
    return _load("un_pko_missions", "load_hosts", un_pko_missions.FILE_CROSSWALK)


def _kathman() -> pd.DataFrame:
    return _load("kathman_pko_personnel", "load_monthly", kathman_pko_personnel.FILE)


# --------------------------------------------------------------------------- un_mission_hosts

SCHEMA_UN_MISSION_HOSTS = pa.DataFrameSchema(
    {
        "mission_id_un": pa.Column("string", pa.Check.str_matches(_ACRONYM),
                                   description="UN mission acronym, upper case."),
        "country_id_iso3": pa.Column("string", pa.Check.str_matches(r"^[A-Z]{3}$"),
                                     description="Host country ISO3 (crosswalk code; YAR -> YEM, KSV -> XKX; "
                                                 "for Kathman-derived hosts the ISO3 of the G-W state)."),
        "host_code": pa.Column("string", nullable=True,
                               description="Host code as given in the crosswalk (incl. YAR, KSV); NA for "
                                           "inherited and Kathman-derived hosts."),
        "country_id_gw": pa.Column("Int64", pa.Check.in_range(2, 999), nullable=True,
                                   description="Host, Gleditsch-Ward code in `code_year` (country_codes; "
                                               "HISTORICAL_GW for predecessor states); NA if none."),
        "country_id_cow": pa.Column("Int64", pa.Check.in_range(2, 999), nullable=True,
                                    description="Host, COW code matched to the G-W state-year in "
                                                "country_codes (Kathman's own code for Kathman-derived "
                                                "hosts); NA if none."),
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


def _code_years(missions: pd.DataFrame, fatalities: pd.DataFrame) -> pd.Series:
    """Start year, else end year, else first fatality year, per ``mission_id_un``."""
    first_fat = fatalities.groupby("mission_id_un")["year"].min()
    m = missions.set_index("mission_id_un")
    y = m["date_start"].dt.year.astype("Int64")
    y = y.fillna(m["date_end"].dt.year.astype("Int64"))
    return y.fillna(first_fat.reindex(y.index).astype("Int64"))


def _gw_at(iso3: pd.Series, year: pd.Series, codes: pd.DataFrame) -> pd.Series:
    gw = gw_from_iso3(iso3, year, codes)
    for (code, lo, hi), g in HISTORICAL_GW.items():
        hit = gw.isna() & (iso3 == code).fillna(False) & year.between(lo, hi).fillna(False)
        gw = gw.mask(hit, g)
    return gw.astype("Int64")


def _members(codes: pd.DataFrame) -> pd.DataFrame:
    return codes[["country_id_gw", "year", "country_id_cow", "country_id_iso3", "region"]].copy()


def hosts_from(missions: pd.DataFrame, crosswalk: pd.DataFrame, kathman: pd.DataFrame,
               fatalities: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Assemble ``un_mission_hosts`` from loader outputs and ``country_codes`` (rules in the module doc)."""
    years = _code_years(missions, fatalities)
    end = missions.set_index("mission_id_un")["date_end"].dt.year.astype("Int64")
    cw = crosswalk.dropna(subset=["host_code"]).copy()
    cw["country_id_iso3"] = cw["host_code"].map(lambda c: HOST_CODE_ISO3.get(c, c)).astype("string")
    cw["host_source"] = "crosswalk"
    inherited = []
    for comb, parts in HOST_PARTS.items():
        if comb in set(cw["mission_id_un"]):
            continue
        sub = cw[cw["mission_id_un"].isin(parts)].drop_duplicates("country_id_iso3")
        inherited.append(sub.assign(mission_id_un=comb, host_code=pd.NA, host_source="combined_parts"))
    cw = pd.concat([cw, *inherited], ignore_index=True)
    cw["code_year"] = cw["mission_id_un"].map(years).astype("Int64")
    cw["country_id_gw"] = _gw_at(cw["country_id_iso3"], cw["code_year"], codes)
    # Host not (yet) a state in the code year: first later mission year in which it converts.
    todo = cw.index[cw["country_id_gw"].isna() & cw["code_year"].notna()]
    if len(todo):
        last = end.reindex(cw.loc[todo, "mission_id_un"]).fillna(int(codes["year"].max()))
        cand = [(i, y) for i, y_end in zip(todo, last.astype(int))
                for y in range(int(cw.at[i, "code_year"]) + 1, y_end + 1)]
        if cand:
            c = pd.DataFrame(cand, columns=["row", "year"]).astype({"year": "Int64"})
            c["gw"] = _gw_at(cw.loc[c["row"], "country_id_iso3"].reset_index(drop=True), c["year"], codes)
            first = c.dropna(subset=["gw"]).groupby("row").first()
            cw.loc[first.index, "country_id_gw"] = first["gw"].astype("Int64")
            cw.loc[first.index, "code_year"] = first["year"].astype("Int64")
    mem = _members(codes)
    cw = cw.merge(mem[["country_id_gw", "year", "country_id_cow", "region"]],
                  left_on=["country_id_gw", "code_year"], right_on=["country_id_gw", "year"],
                  how="left", validate="many_to_one").drop(columns="year")

    # Missions without crosswalk rows: hosts from Kathman's COW codes (first year listed).
    k = kathman[~kathman["mission_id_un"].isin(set(crosswalk["mission_id_un"]))]
    k = pd.concat([k[["mission_id_un", "year", "country_id_cow"]],
                   k[["mission_id_un", "year", "country_id_cow_2"]].rename(
                       columns={"country_id_cow_2": "country_id_cow"})], ignore_index=True)
    k = k.dropna(subset=["country_id_cow"]).groupby(["mission_id_un", "country_id_cow"], as_index=False)[
        "year"].min().rename(columns={"year": "code_year"})
    k["country_id_gw"] = gw_from_cow(k["country_id_cow"], k["code_year"], codes)
    k = k.merge(mem[["country_id_gw", "year", "country_id_iso3", "region"]],
                left_on=["country_id_gw", "code_year"], right_on=["country_id_gw", "year"],
                how="left", validate="many_to_one").drop(columns="year")
    k = k.dropna(subset=["country_id_iso3"]).assign(host_code=pd.NA, host_source="kathman")
    k = k.sort_values("code_year").drop_duplicates(["mission_id_un", "country_id_iso3"])

    cols = list(SCHEMA_UN_MISSION_HOSTS.columns)
    out = pd.concat([cw[cols], k[cols]], ignore_index=True)
    out = out.astype({"mission_id_un": "string", "country_id_iso3": "string", "host_code": "string",
                      "country_id_gw": "Int64", "country_id_cow": "Int64", "code_year": "Int64",
                      "region": "string", "host_source": "string"})
    return out.sort_values(["mission_id_un", "country_id_iso3"]).reset_index(drop=True)


@table(
    "un_mission_hosts",
    primary_key=("mission_id_un", "country_id_iso3"),
    unit="mission-host country pair",
    coverage=f"{un_pko_missions.YEARS[0]}-{un_pko_missions.YEARS[1]} (missions' start years)",
    sources=("un_pko_missions", "un_pko_fatalities", "kathman_pko_personnel"),
    schema=SCHEMA_UN_MISSION_HOSTS,
    depends=("country_codes",),
)
def build_un_mission_hosts(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Host countries of UN missions, one row per mission and host (ISO3).

    From the researcher-made crosswalk (YAR -> YEM, KSV -> XKX), with combined entries (UNEF,
    UNAVEM, UNOSOM, UNPF) inheriting their parts' hosts and missions outside the crosswalk taking
    Kathman's host codes. G-W and COW codes are those of ``code_year`` (the mission's start year;
    see the module docstring for fallbacks).
    """
    return hosts_from(_missions_list(), _crosswalk(), _kathman(), _fatalities(), deps["country_codes"])


# --------------------------------------------------------------------------- un_missions

SCHEMA_UN_MISSIONS = pa.DataFrameSchema(
    {
        "mission_id_un": pa.Column("string", pa.Check.str_matches(_ACRONYM), unique=True,
                                   description="UN mission acronym, upper case (as in DPPADPOSS-PKO; "
                                               "fatalities and Kathman acronyms upper-cased)."),
        "mission_id_un_combined": pa.Column(
            "string", pa.Check.str_matches(_ACRONYM),
            description="Combined entry a split mission belongs to (UNEF I/II -> UNEF, UNAVEM I-III -> "
                        "UNAVEM, UNOSOM I/II -> UNOSOM); the mission's own acronym otherwise."),
        "mission_name": pa.Column("string", nullable=True,
                                  description="Name from DPPADPOSS-PKO (DOMREP repaired; PKO_NOT_IN_LIST for "
                                              "UNTAG, UNTMIH); NA for other missions not in the list."),
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


def missions_from(missions: pd.DataFrame, fatalities: pd.DataFrame, kathman: pd.DataFrame,
                  hosts: pd.DataFrame) -> pd.DataFrame:
    """Assemble ``un_missions`` from loader outputs and ``un_mission_hosts``."""
    ids = {"pko_list": set(missions["mission_id_un"]), "fatalities": set(fatalities["mission_id_un"]),
           "kathman": set(kathman["mission_id_un"])}
    extra = sorted((ids["fatalities"] | ids["kathman"]) - ids["pko_list"])
    out = pd.concat([missions, pd.DataFrame({"mission_id_un": extra})], ignore_index=True)
    out["mission_id_un"] = out["mission_id_un"].astype("string")
    out["mission_id_un_combined"] = out["mission_id_un_combined"].fillna(out["mission_id_un"])
    out["is_in_pko_list"] = out["mission_id_un"].isin(ids["pko_list"]).astype("boolean")
    out["is_peacekeeping"] = (out["is_in_pko_list"] | out["mission_id_un"].isin(list(PKO_NOT_IN_LIST))
                              ).astype("boolean")
    out["mission_name"] = out["mission_name"].fillna(out["mission_id_un"].map(PKO_NOT_IN_LIST))
    out["listed_in"] = out["mission_id_un"].map(
        lambda m: ";".join(k for k, v in ids.items() if m in v)).astype("string")
    h = hosts.sort_values(["mission_id_un", "country_id_iso3"]).groupby("mission_id_un")
    out["host_iso3"] = out["mission_id_un"].map(h["country_id_iso3"].agg(";".join)).astype("string")
    reg = h["region"].agg(lambda s: ";".join(sorted(set(s.dropna()))) or pd.NA)
    out["region"] = out["mission_id_un"].map(reg).astype("string")
    cols = list(SCHEMA_UN_MISSIONS.columns)
    out = out[cols].astype({"mission_name": "string", "hq_location": "string", "is_active": "boolean",
                            "longitude": "Float64", "latitude": "Float64"})
    return out.sort_values("mission_id_un").reset_index(drop=True)


@table(
    "un_missions",
    primary_key=("mission_id_un",),
    unit="UN mission",
    coverage="1948-2025 (missions active 1948-2025; PKO list snapshot 2024-02-19)",
    sources=("un_pko_missions", "un_pko_fatalities", "kathman_pko_personnel"),
    schema=SCHEMA_UN_MISSIONS,
    depends=("un_mission_hosts",),
)
def build_un_missions(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """UN missions: the 81 entries of the UN PKO list plus the acronyms of political missions and
    offices found in the UN fatalities file or Kathman's personnel file.

    ``is_peacekeeping`` is True for entries of the PKO list (DPPADPOSS-PKO) and for UNTAG and UNTMIH
    (UN peacekeeping operations missing from that list); False otherwise. Names, dates, status and
    HQ coordinates come from the PKO list (NA for other missions); hosts and regions from
    ``un_mission_hosts``.
    """
    return missions_from(_missions_list(), _fatalities(), _kathman(), deps["un_mission_hosts"])


# --------------------------------------------------------------------------- un_fatalities

SCHEMA_UN_FATALITIES = pa.DataFrameSchema(
    {
        "casualty_id": pa.Column("string", unique=True,
                                 description="UN casualty id `MISSION-YYYY-MM-nnnnn`; one row per person."),
        "date": pa.Column("datetime64[ns]", description="Incident date, day."),
        "year": pa.Column("Int64", pa.Check.in_range(1948, 2025),
                          description="Calendar year of the incident."),
        "month": pa.Column("Int64", pa.Check.in_range(1, 12), description="Month of the incident, 1-12."),
        "mission_id_un": pa.Column("string", pa.Check.str_matches(_ACRONYM),
                                   description="UN mission acronym, upper case (UNEF, UNAVEM, UNOSOM are the "
                                               "combined entries)."),
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
        "country_name": pa.Column("string", nullable=True, description="Nationality as named by the UN."),
        "country_id_iso3": pa.Column("string", pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=True,
                                     description="Nationality, ISO3 as given (historic YUG, SCG kept; four "
                                                 "names filled, see is_nationality_code_filled); NA if "
                                                 "unknown."),
        "country_id_m49": pa.Column("Int64", pa.Check.in_range(1, 999), nullable=True,
                                    description="Nationality, UN M49 code (Int64 from the file's float); "
                                                "NA if unknown."),
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


@table(
    "un_fatalities",
    primary_key=("casualty_id",),
    unit="fatality (person)",
    coverage="1948-07 to 2025-02",
    sources=("un_pko_fatalities",),
    schema=SCHEMA_UN_FATALITIES,
    depends=("un_missions",),
)
def build_un_fatalities(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Fatalities in UN peacekeeping operations and political missions, one row per person.

    The six casualty ids listed twice (UNMIK local staff 2003-2005 under Montenegro and Serbia and
    Montenegro) are collapsed into one row keeping Serbia and Montenegro (the state at the time);
    ``n_source_rows`` and ``country_id_iso3_dropped`` record the collapse. ``cause`` harmonises
    the UN's six incident categories; ``is_peacekeeping`` comes from ``un_missions``.
    """
    df = un_pko_fatalities.collapse_duplicates(_fatalities())
    flag = deps["un_missions"].set_index("mission_id_un")["is_peacekeeping"]
    missing = set(df["mission_id_un"]) - set(flag.index)
    if missing:
        raise ValueError(f"missions not in un_missions: {sorted(missing)}")
    df["is_peacekeeping"] = df["mission_id_un"].map(flag).astype("boolean")
    return df[list(SCHEMA_UN_FATALITIES.columns)]


# --------------------------------------------------------------------------- un_personnel_monthly

SCHEMA_UN_PERSONNEL_MONTHLY = pa.DataFrameSchema(
    {
        **kathman_pko_personnel.SCHEMA_MONTHLY.columns,
        "year": pa.Column("Int64", pa.Check.in_range(1990, 2019), description="Calendar year (1990-2019)."),
    },
    strict=True,
    unique=["mission_id_un", "year", "month"],
    name="core.un_personnel_monthly",
)


@table(
    "un_personnel_monthly",
    primary_key=("mission_id_un", "year", "month"),
    unit="mission-month",
    coverage=f"{kathman_pko_personnel.YEARS[0]}-01 to {kathman_pko_personnel.YEARS[1]}-12",
    sources=("kathman_pko_personnel",),
    schema=SCHEMA_UN_PERSONNEL_MONTHLY,
    depends=("un_missions",),
)
def build_un_personnel_monthly(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Uniformed UN personnel per mission and month (Kathman), 1990-01 to 2019-12.

    Kathman's -999 codes are NA; the total is as published (``is_total_ne_parts`` flags the rows
    where the parts do not add up to it). Kathman's mission names are mapped to ``mission_id_un``
    with ``kathman_pko_personnel.MISSION_ID_UN`` (UNOSOM II -> UNOSOM). Months a mission is not
    listed are absent (no personnel row), not zero-filled.
    """
    df = _kathman()
    missing = set(df["mission_id_un"]) - set(deps["un_missions"]["mission_id_un"])
    if missing:
        raise ValueError(f"Kathman missions not in un_missions: {sorted(missing)}")
    return df.sort_values(["mission_id_un", "year", "month"]).reset_index(drop=True)


# --------------------------------------------------------------------------- un_personnel_yearly_total

_KATHMAN_DEC = {
    "personnel_total_n": "personnel_total_n_kathman_dec",
    "troops_n": "troops_n_kathman_dec",
    "police_n": "police_n_kathman_dec",
    "observers_n": "observers_n_kathman_dec",
}
_count = ColumnOptions(nullable=True, checks=pa.Check.ge(0))

SCHEMA_UN_PERSONNEL_YEARLY_TOTAL = pa.DataFrameSchema(
    {
        "year": pa.Column("Int64", pa.Check.in_range(1947, 2022), unique=True, description="Calendar year."),
        "missions_n": pa.Column("Int64", **_count,
                                description="OWID: active UN peacekeeping missions; NA outside 1947-2022."),
        "personnel_total_n": pa.Column("Int64", **_count,
                                       description="OWID: uniformed personnel in December (November 1998), "
                                                   "persons; NA outside 1947-2021."),
        "troops_n": pa.Column("Int64", **_count, description="OWID: troops, persons; NA before 1992."),
        "police_n": pa.Column("Int64", **_count, description="OWID: police, persons; NA before 1992."),
        "observers_n": pa.Column("Int64", **_count,
                                 description="OWID: military observers and staff officers; NA before 1992."),
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


def yearly_total_from(owid: pd.DataFrame, monthly: pd.DataFrame) -> pd.DataFrame:
    """OWID yearly totals next to Kathman's December sums (NA outside each source's years)."""
    dec = monthly[monthly["month"] == 12]
    g = dec.groupby("year")
    k = pd.DataFrame({"missions_n_kathman_dec": g.size().astype("Int64")})
    for old, new in _KATHMAN_DEC.items():
        k[new] = g[old].sum(min_count=1).where(~g[old].apply(lambda s: s.isna().any())).astype("Int64")
    k = k.reset_index().astype({"year": "Int64"})
    out = owid.merge(k, on="year", how="outer", validate="one_to_one")
    has_owid = out[["missions_n", "personnel_total_n"]].notna().any(axis=1)
    has_k = out["missions_n_kathman_dec"].notna()
    src = pd.Series("", index=out.index, dtype="string")
    src = src.mask(has_owid, "OWID")
    src = src.mask(has_k, (src + "; Kathman").str.lstrip("; "))
    out["source"] = src.astype("string")
    return out[list(SCHEMA_UN_PERSONNEL_YEARLY_TOTAL.columns)].sort_values("year").reset_index(drop=True)


@table(
    "un_personnel_yearly_total",
    primary_key=("year",),
    unit="world-year",
    coverage=(
        f"{owid_un_peacekeeping.YEARS[0]}-{owid_un_peacekeeping.YEARS[1]} (OWID); "
        f"{kathman_pko_personnel.YEARS[0]}-{kathman_pko_personnel.YEARS[1]} (Kathman December sums)"
    ),
    sources=("owid_un_peacekeeping", "kathman_pko_personnel"),
    schema=SCHEMA_UN_PERSONNEL_YEARLY_TOTAL,
    depends=("un_personnel_monthly",),
)
def build_un_personnel_yearly_total(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """World totals of uniformed UN personnel per year (the downsizing series).

    OWID's December figures (UN monthly summaries; 1947-1991 from Global Policy Forum) for
    1947-2022, and in separate ``*_kathman_dec`` columns the sums of Kathman's December
    mission-months 1990-2019 (all missions Kathman lists, political ones included, as in the UN
    summaries). Each column is NA outside its source's years; a Kathman sum is NA when a mission's
    December value is missing.
    """
    owid = _load("owid_un_peacekeeping", "load_yearly", owid_un_peacekeeping.FILE)
    return yearly_total_from(owid, deps["un_personnel_monthly"])

