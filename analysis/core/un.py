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

from analysis.core.countries import gw_from_cow, gw_from_iso3
from analysis.core.schemas import (
    _KATHMAN_DEC,
    SCHEMA_UN_FATALITIES,
    SCHEMA_UN_MISSION_HOSTS,
    SCHEMA_UN_MISSIONS,
    SCHEMA_UN_PERSONNEL_MONTHLY,
    SCHEMA_UN_PERSONNEL_YEARLY_TOTAL,
)
from analysis.data.tables import table
from analysis.sources import (
    kathman_pko_personnel,
    owid_un_peacekeeping,
    un_pko_fatalities,
    un_pko_missions,
)
from analysis.sources._base import raw_path

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

