"""Tasks Assigned to Missions in their Mandates (TAMM) v2.1, mission-month version, 1948-2015.

One row per mission-month from the passage of a mission's initial mandate to its termination
(72 missions: 71 UN operations and the AU-led MISCA). Task variables are 0/1 ("1" when the
task is assigned in the mandate in force that month).

Quirks handled
--------------
* Unique on (mission, year, month): checked (a duplicate is an error naming the row).
* ``yearmon`` is a Stata monthly date (months since 1960-01: -141 = 1948-04 ... 671 = 2015-12):
  it must agree with ``year`` and ``month`` (else an error naming the row); it is not kept.
* Task columns are 0/1: read as booleans ``has_<variable>``; any other value is an error.
* The ``*_coop`` columns (mandated cooperation with the AU, EU, UNDP, ECOWAS, JMC, other missions,
  OAS, OSCE, CIS, other) are not in the codebook: kept as ``has_<x>_coop`` with that reading.
* The ratios are called ``pkrat``/``vlimrat``/``pbrat`` in the codebook but ``pkratio`` etc. in the
  file: kept as ``pk_ratio``, ``vlim_ratio``, ``pb_ratio``. The codebook says they add up to 1;
  they do not in 33 MINUSMA rows (sum 0.91): kept as published.
* ``ccode`` ... ``ccode5`` are COW codes of host states; blank for UNTSO (multi-country, 812 rows),
  as is ``region``: NA.
* ``unsc_resolution`` is not always a resolution number: ``425/426`` (UNIFIL), ``S/2008/354``
  (UNMIK), ``S/1998/500`` (UNPSG) and ``GA 1752`` (UNSF, a General Assembly resolution): kept as a
  string ``resolution_un``; plain numbers are also given as ``resolution_id_un`` (``S/RES/<n>``).
* ``missionen`` repeats ``mission``: checked equal, then dropped.
* Missions have TAMM's names: mapped to ``mission_id_un`` (UN DPPADPOSS-PKO acronyms) by the
  explicit table :data:`MISSION_ID_UN` (TAMM's ``UNOSOM``, 1992-04 to 1993-03, is ``UNOSOM I``);
  ``BINUB``, ``UNTAG`` and ``UNTMIH`` are UN missions absent from that list and keep their UN
  acronym (:data:`NOT_IN_DPPADPOSS`); ``MISCA`` is not a UN mission: ``mission_id_un`` NA and
  ``is_un`` False. An unknown name is an error.
* Ends December 2015: later months are absent (NA in joins, never carried forward).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field
from analysis.errors import DataError
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

_C = source_constants("tamm")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "TAMM_v2.1_mission_month.csv"

#: TAMM task variables -> definition (codebook Table 1; *_coop from the column names).
TASKS = {
    "peaceag_cease_monitor": "Monitor a ceasefire or peace agreement",
    "buffer_monitor": "Monitor a buffer zone",
    "liaise_warpart": "Liaise/facilitate communication between warring parties",
    "goodoffices": "Establish or exercise good offices",
    "peaceag_cease_assist": "Help implement a ceasefire or peace agreement",
    "humrts_monitor": "Monitor human rights",
    "refugees_monitor": "Monitor the refugee situation",
    "humrts_protect": "Protect human rights",
    "children_protect": "Protect children",
    "women_protect": "Prevent rape/protect women",
    "prociv": "Protection of civilians",
    "unpersonnel_protect": "Protect UN personnel",
    "demining_assist": "Assist demining",
    "refugees_assist": "Assist refugees",
    "humaid_assist": "Facilitate the delivery of humanitarian assistance",
    "humpersonnel_protect": "Protect humanitarian personnel",
    "borders_monitor": "Monitor the host country's borders",
    "weaponstrade_monitor": "Monitor weapons trade",
    "weaponsembargo_monitor": "Monitor a weapons embargo",
    "cargoinspections": "Inspect cargo",
    "resources_monitor": "Monitor use of natural resources",
    "ch7": "Chapter VII authorization",
    "election_monitor": "Monitor elections",
    "election_security": "Provide security during the electoral period",
    "election_assist": "Assist with the implementation of elections",
    "govcap_assist": "Help build government capacity",
    "cultural_pres": "Assist in the prevention of attacks on cultural and historical sites",
    "qip_assist": "Assist in the implementation of quick impact projects",
    "justice_assist": "Assist with justice sector reform",
    "securitysectorreform_assist": "Assist security sector reform",
    "policereform_assist": "Assist police reform",
    "police_monitor": "Monitor the police",
    "police_jointpatrols": "Conduct joint patrols with police",
    "reconciliation": "Promote national reconciliation",
    "justice_warcrim": "Pursue justice for war criminals",
    "ddr_monitor": "Monitor DDR (disarmament, demobilization and reintegration)",
    "ddr_assist": "Assist DDR (disarmament, demobilization and reintegration)",
    "mission_pr": "Disseminate information about the mission to the public",
    "freepress": "Promote freedom of the press",
    "au_coop": "Cooperate with the African Union (undocumented in the codebook)",
    "eu_coop": "Cooperate with the European Union (undocumented in the codebook)",
    "undp_coop": "Cooperate with UNDP (undocumented in the codebook)",
    "ecowas_coop": "Cooperate with ECOWAS (undocumented in the codebook)",
    "jmc_coop": "Cooperate with a Joint Military/Monitoring Commission (undocumented in the codebook)",
    "othermission_coop": "Cooperate with other missions (undocumented in the codebook)",
    "oas_coop": "Cooperate with the OAS (undocumented in the codebook)",
    "osce_coop": "Cooperate with the OSCE (undocumented in the codebook)",
    "cis_coop": "Cooperate with the CIS (undocumented in the codebook)",
    "coop_other": "Cooperate with other organisations (undocumented in the codebook)",
    "govpolicies_assist": "Help implement government policies",
}

#: TAMM mission name -> ``mission_id_un`` (UN DPPADPOSS-PKO acronym); None for non-UN missions.
MISSION_ID_UN: dict[str, str | None] = {
    "BINUB": "BINUB", "DOMREP": "DOMREP", "MINUCI": "MINUCI", "MINUGUA": "MINUGUA",
    "MINURCA": "MINURCA", "MINURCAT": "MINURCAT", "MINURSO": "MINURSO", "MINUSCA": "MINUSCA",
    "MINUSMA": "MINUSMA", "MINUSTAH": "MINUSTAH", "MIPONUH": "MIPONUH", "MISCA": None,
    "MONUA": "MONUA", "MONUC": "MONUC", "MONUSCO": "MONUSCO", "ONUB": "ONUB", "ONUC": "ONUC",
    "ONUCA": "ONUCA", "ONUMOZ": "ONUMOZ", "ONUSAL": "ONUSAL", "UNAMIC": "UNAMIC", "UNAMID": "UNAMID",
    "UNAMIR": "UNAMIR", "UNAMSIL": "UNAMSIL", "UNASOG": "UNASOG", "UNAVEM I": "UNAVEM I",
    "UNAVEM II": "UNAVEM II", "UNAVEM III": "UNAVEM III", "UNCRO": "UNCRO", "UNDOF": "UNDOF",
    "UNEF I": "UNEF I", "UNEF II": "UNEF II", "UNFICYP": "UNFICYP", "UNGOMAP": "UNGOMAP",
    "UNIFIL": "UNIFIL", "UNIIMOG": "UNIIMOG", "UNIKOM": "UNIKOM", "UNIPOM": "UNIPOM",
    "UNISFA": "UNISFA", "UNMEE": "UNMEE", "UNMIBH": "UNMIBH", "UNMIH": "UNMIH", "UNMIK": "UNMIK",
    "UNMIL": "UNMIL", "UNMIS": "UNMIS", "UNMISET": "UNMISET", "UNMISS": "UNMISS", "UNMIT": "UNMIT",
    "UNMOGIP": "UNMOGIP", "UNMOP": "UNMOP", "UNMOT": "UNMOT", "UNOCI": "UNOCI", "UNOGIL": "UNOGIL",
    "UNOMIG": "UNOMIG", "UNOMIL": "UNOMIL", "UNOMSIL": "UNOMSIL", "UNOMUR": "UNOMUR",
    "UNOSOM": "UNOSOM I", "UNOSOM II": "UNOSOM II", "UNPREDEP": "UNPREDEP", "UNPROFOR": "UNPROFOR",
    "UNPSG": "UNPSG", "UNSF": "UNSF", "UNSMIH": "UNSMIH", "UNSMIS": "UNSMIS", "UNTAC": "UNTAC",
    "UNTAES": "UNTAES", "UNTAET": "UNTAET", "UNTAG": "UNTAG", "UNTMIH": "UNTMIH", "UNTSO": "UNTSO",
    "UNYOM": "UNYOM",
}

#: UN missions of TAMM missing from the DPPADPOSS-PKO list: they keep their UN acronym.
NOT_IN_DPPADPOSS = {
    "BINUB": "UN Integrated Office in Burundi (2007-2010), peacebuilding office coded by TAMM",
    "UNTAG": "UN Transition Assistance Group, Namibia (1989-1990)",
    "UNTMIH": "UN Transition Mission in Haiti (1997)",
}

REGIONS = ("Africa", "Asia", "Europe", "Middle East", "North and South America")

_OTHER = ["mission", "yearmon", "month", "year", "unsc_resolution", "ccode", "ccode2", "ccode3", "ccode4",
          "ccode5", "region", "subtasks", "totaltasks", "numtasks", "pkratio", "vlimratio", "pbratio",
          "factor1", "factor2", "factor3", "missionen"]

_ids = sorted({v for v in MISSION_ID_UN.values() if v})
SCHEMA_MISSION_MONTH = pa.DataFrameSchema(
    {
        "mission_id_un": field(
            "mission_id_un",
            pa.Check.isin(_ids),
            nullable=True,
            description="UN mission acronym, upper case (DPPADPOSS-PKO list; BINUB, UNTAG, UNTMIH are not "
                        "in it), from MISSION_ID_UN; NA for the non-UN MISCA.",
        ),
        "mission_name": field(
            "mission_name",
            pa.Check.isin(list(MISSION_ID_UN)),
            description="Mission name as spelled by TAMM (`mission`).",
        ),
        "is_un": pa.Column("boolean", description="True for UN missions, False for MISCA (AU-led)."),
        "year": field("year", pa.Check.in_range(1948, 2015)),
        "month": field("month"),
        "resolution_un": pa.Column("string", description="Governing mandate document as given "
                                                         "(`unsc_resolution`): a Security Council "
                                                         "resolution number ('1719'), two numbers "
                                                         "('425/426'), a document symbol ('S/2008/354') "
                                                         "or a General Assembly resolution ('GA 1752')."),
        "resolution_id_un": pa.Column("string", pa.Check.str_matches(r"^S/RES/\d+$"), nullable=True,
                                      description="`S/RES/<n>` where `unsc_resolution` is one number, "
                                                  "else NA."),
        **{f"has_{t}": pa.Column("boolean", description=f"{d}: 0/1 task variable `{t}`, True = assigned in "
                                                         "the mandate in force that month.")
           for t, d in TASKS.items()},
        "country_id_cow": field(
            "country_id_cow",
            pa.Check.in_range(2, 999),
            nullable=True,
            description="COW code of the (first) host state (`ccode`); NA for UNTSO.",
        ),
        **{f"country_id_cow_{k}": pa.Column("Int64", pa.Check.in_range(2, 999), nullable=True,
                                            description=f"COW code of host state {k} (`ccode{k}`); NA when "
                                                        "the mission has fewer hosts.")
           for k in range(2, 6)},
        "region": pa.Column("string", pa.Check.isin(REGIONS), nullable=True,
                            description="TAMM region: " + ", ".join(REGIONS) + " (MINURSO, UNAMID, UNMIS "
                                        "and UNMOGIP are 'Middle East' in TAMM); NA for UNTSO."),
        "subtasks_n": pa.Column("Int64", pa.Check.ge(0), description="Second- and third-order tasks, count "
                                                                      "(`subtasks`)."),
        "totaltasks_n": pa.Column("Int64", pa.Check.ge(0), description="All tasks, count (`totaltasks` = "
                                                                        "numtasks + subtasks)."),
        "numtasks_n": pa.Column("Int64", pa.Check.ge(0), description="First-order tasks, count "
                                                                      "(`numtasks`)."),
        "pk_ratio": pa.Column("Float64", pa.Check.in_range(0, 1),
                              description="Share of the mandate for conventional peacekeeping (`pkratio`, "
                                          "codebook `pkrat`), 0-1."),
        "vlim_ratio": pa.Column("Float64", pa.Check.in_range(0, 1),
                                description="Share of the mandate for ending/mitigating violence "
                                            "(`vlimratio`, codebook `vlimrat`), 0-1."),
        "pb_ratio": pa.Column("Float64", pa.Check.in_range(0, 1),
                              description="Share of the mandate for peacebuilding (`pbratio`, codebook "
                                          "`pbrat`), 0-1; the three ratios sum to 1 except in 33 "
                                          "MINUSMA rows."),
        "factor1": pa.Column("Float64", description="Factor score, human security factor (TAMM), unitless."),
        "factor2": pa.Column("Float64", description="Factor score, national security factor (TAMM), "
                                                    "unitless."),
        "factor3": pa.Column("Float64", description="Factor score, elections factor (TAMM), unitless."),
    },
    strict=True,
    unique=["mission_name", "year", "month"],
    name="tamm.mission_month",
)


def load_mission_month(path: str | Path | None = None) -> pd.DataFrame:
    """TAMM v2.1 mandate tasks by mission-month.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per mission-month (primary key ``mission_name``, ``year``, ``month``; also unique on
        ``mission_id_un``, ``year``, ``month`` for UN missions), 1948-04 to 2015-12:

        ``mission_id_un`` (string, NA for MISCA), ``mission_name`` (string), ``is_un`` (boolean),
        ``year``, ``month`` (Int64), ``resolution_un`` (string as given), ``resolution_id_un``
        (string), one boolean ``has_<task>`` per variable of :data:`TASKS` (including
        ``has_ch7``, ``has_prociv`` and the ``has_*_coop`` cooperation tasks),
        ``country_id_cow``, ``country_id_cow_2`` ... ``country_id_cow_5`` (Int64, COW host codes),
        ``region`` (string), ``subtasks_n``, ``totaltasks_n``, ``numtasks_n`` (Int64, counts),
        ``pk_ratio``, ``vlim_ratio``, ``pb_ratio`` (Float64, shares 0-1), ``factor1`` ...
        ``factor3`` (Float64, factor scores).
    """
    p = raw_path(SOURCE, FILE, path)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    require_columns(raw, [*_OTHER, *TASKS], p)
    df = strip_strings(raw)
    for c in ("mission", "yearmon", "year", "month", "unsc_resolution"):
        miss = df[c].isna()
        if miss.any():
            i = int(miss.to_numpy().nonzero()[0][0])
            raise DataError(p, "required value is missing", column=c, row=i)
    check_codes(df, "mission", MISSION_ID_UN, p)
    diff = df["missionen"].fillna("") != df["mission"]
    if diff.any():
        i = int(diff.to_numpy().nonzero()[0][0])
        raise DataError(p, f"missionen {df['missionen'].iloc[i]!r} differs from mission",
                        column="missionen", row=i)
    year = to_numeric(df, "year", p, dtype="Int64")
    month = to_numeric(df, "month", p, dtype="Int64")
    ym = to_numeric(df, "yearmon", p, dtype="Int64")
    bad = (ym != (year - 1960) * 12 + month - 1).fillna(True)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(p, f"yearmon {ym.iloc[i]} disagrees with year {year.iloc[i]} / month {month.iloc[i]}",
                        column="yearmon", row=i)
    check_codes(df, "region", REGIONS, p)
    res = df["unsc_resolution"].astype("string")
    out = pd.DataFrame({
        "mission_id_un": df["mission"].map(MISSION_ID_UN).astype("string"),
        "mission_name": df["mission"].astype("string"),
        "is_un": df["mission"].map(lambda m: MISSION_ID_UN[m] is not None).astype("boolean"),
        "year": year,
        "month": month,
        "resolution_un": res,
        "resolution_id_un": ("S/RES/" + res).where(res.str.fullmatch(r"\d+").fillna(False)).astype("string"),
    })
    tasks = {}
    for t in TASKS:
        check_codes(df, t, ["0", "1"], p)
        miss = df[t].isna()
        if miss.any():
            raise DataError(p, "task value is missing (expected 0/1)", column=t,
                            row=int(miss.to_numpy().nonzero()[0][0]))
        tasks[f"has_{t}"] = df[t].map({"0": False, "1": True}).astype("boolean")
    out = pd.concat([out, pd.DataFrame(tasks)], axis=1)
    out["country_id_cow"] = to_numeric(df, "ccode", p, dtype="Int64")
    for k in range(2, 6):
        out[f"country_id_cow_{k}"] = to_numeric(df, f"ccode{k}", p, dtype="Int64")
    out["region"] = df["region"].astype("string")
    for c in ("subtasks", "totaltasks", "numtasks"):
        out[f"{c}_n"] = to_numeric(df, c, p, dtype="Int64")
    for c, new in (("pkratio", "pk_ratio"), ("vlimratio", "vlim_ratio"), ("pbratio", "pb_ratio")):
        out[new] = to_numeric(df, c, p)
    for c in ("factor1", "factor2", "factor3"):
        out[c] = to_numeric(df, c, p)
    return validate(out[list(SCHEMA_MISSION_MONTH.columns)], SCHEMA_MISSION_MONTH, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "mission_month": LoaderSpec(load_mission_month, SCHEMA_MISSION_MONTH, FILE,
                                key=("mission_name", "year", "month"), year="year"),
}
