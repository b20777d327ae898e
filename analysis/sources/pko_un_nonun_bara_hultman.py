"""UN and Non-UN Peacekeeping Dataset v2-2019 (Bara & Hultman; personnel from SIPRI and IPI).

One row per mission x UCDP conflict x month, 1993-01 to 2016-12, for peace operations of the UN,
regional organisations and ad hoc coalitions deployed to civil-conflict (or post-conflict)
countries. Monthly personnel are linear inter-/extrapolations of SIPRI's (mostly December)
figures.

Quirks handled
--------------
* Neither mission-months nor conflict-months are unique: a mission linked to several conflicts
  (Bosnia: three) repeats its mission-month, with the same personnel values in every row. The
  loader keeps every row (key: ``operation_id_bara``, ``conflict_id_ucdp``, ``year``, ``month``);
  :func:`analysis.core.operations.build_nonun_operations_monthly` aggregates (checking that the
  repeated personnel values agree).
* ``org`` is numeric without Stata value labels: 1 = UN, 2 = regional, 3 = international / ad hoc
  (codebook); mapped to ``org_type`` ``UN`` / ``regional`` / ``ad_hoc``; another code is an error.
* The ``*_iepo`` columns (inter- and extrapolated, complete) are the main personnel variables
  (``troops_n``, ``police_n``, ``observers_n``, ``personnel_total_n``); the raw SIPRI values
  (``*_sipri_n``, reported months only), the interpolated-only (``*_ipo_n``), IPI monthly UN
  figures (``*_ipi_n``) and the annually constant (``*_backward_n``) versions are kept, NA where
  the source has no value. Interpolated values can be fractional (Float64).
* From 2015 SIPRI no longer separates troops from observers: their sum ("military") is in troops
  and observers are 0 from December 2015; the months January-November 2015 interpolate between
  the December 2014 (separate) and December 2015 (combined) figures. The loader keeps the values
  as published; the core table adds ``troops_observers_n`` and sets ``troops_n``/``observers_n``
  to NA from 2015-01.
* ``date`` is a Stata monthly date (``%tm``; pandas turns it into the first day of the month): it
  must agree with ``year`` (else an error naming the row).
* ``missionid`` is a float unique per mission x country (UNPROFOR in Bosnia and in Croatia have
  different ids): kept as ``operation_id_bara`` (Int64). Mission names are SIPRI short names
  shared by distinct operations in different countries (``EUFOR`` in Macedonia 2003, DR Congo
  2006 and Chad 2008; ``EUPOL``, ``EUTM``, ``EUCAP Sahel``, ``ECOWAS``, ``ECOMOG``).
* ``operation_id``: the UN acronym (DPPADPOSS-PKO list) for UN missions, from the explicit table
  :data:`MISSION_ID_UN` (``UNOCI (ONUCI)`` -> ``UNOCI``; ``UNOSOM``, 1993-01 to 1993-04, ->
  ``UNOSOM I``; ``UNMLT``, ``UNOTIL``, ``UNSOM`` and ``UNTMIH`` are absent from that list and keep
  their UN acronym, :data:`NOT_IN_DPPADPOSS`); a lower-case slug of the name for the others
  (``Op. Licorne`` -> ``op_licorne``). An org-1 mission missing from the table is an error.
* ``ccode`` is the COW code of the *conflict* country (codebook), which is not always where the
  mission is deployed: East Timor missions (UNTAET, UNMISET, UNOTIL, UNMIT, INTERFET, ISF) are
  under Indonesia (850), UNIFIL and EUPOL COPPS under Israel (666), MINURSO under Morocco (600),
  UNMIK/KFOR/EULEX under Serbia (345). Kept as given in ``country_id_cow``.
* ``onlypolice`` flags pure police missions (excluded by Bellamy & Williams): ``is_police_only``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import FIELDS, field
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

_C = source_constants("pko_un_nonun_bara_hultman")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "UN and Non-UN Peacekeeping_v2-2019.dta"

#: ``org`` codes (codebook) -> ``org_type``.
ORG_TYPE = {1: "UN", 2: "regional", 3: "ad_hoc"}

#: Bara mission name of UN missions (org 1) -> UN acronym (DPPADPOSS-PKO list).
MISSION_ID_UN = {
    "MINUCI": "MINUCI", "MINUGUA": "MINUGUA", "MINURCAT": "MINURCAT", "MINURSO": "MINURSO",
    "MINUSCA": "MINUSCA", "MINUSMA": "MINUSMA", "MINUSTAH": "MINUSTAH", "MIPONUH": "MIPONUH",
    "MONUA": "MONUA", "MONUC": "MONUC", "MONUSCO": "MONUSCO", "ONUB": "ONUB", "ONUMOZ": "ONUMOZ",
    "ONUSAL": "ONUSAL", "UNAMID": "UNAMID", "UNAMIR": "UNAMIR", "UNAMSIL": "UNAMSIL",
    "UNAVEM II": "UNAVEM II", "UNAVEM III": "UNAVEM III", "UNCRO": "UNCRO", "UNIFIL": "UNIFIL",
    "UNISFA": "UNISFA", "UNMIBH": "UNMIBH", "UNMIH": "UNMIH", "UNMIK": "UNMIK", "UNMIL": "UNMIL",
    "UNMIS": "UNMIS", "UNMISET": "UNMISET", "UNMISS": "UNMISS", "UNMIT": "UNMIT", "UNMLT": "UNMLT",
    "UNMOP": "UNMOP", "UNMOT": "UNMOT", "UNOCI (ONUCI)": "UNOCI", "UNOMIG": "UNOMIG",
    "UNOMIL": "UNOMIL", "UNOMSIL": "UNOMSIL", "UNOMUR": "UNOMUR", "UNOSOM": "UNOSOM I",
    "UNOSOM II": "UNOSOM II", "UNOTIL": "UNOTIL", "UNPROFOR": "UNPROFOR", "UNPSG": "UNPSG",
    "UNSMIH": "UNSMIH", "UNSMIS": "UNSMIS", "UNSOM": "UNSOM", "UNTAC": "UNTAC", "UNTAES": "UNTAES",
    "UNTAET": "UNTAET", "UNTMIH": "UNTMIH",
}

#: UN missions of the file missing from the DPPADPOSS-PKO list: they keep their UN acronym.
NOT_IN_DPPADPOSS = {
    "UNMLT": "UN Military Liaison Team in Cambodia (1993-1994)",
    "UNOTIL": "UN Office in Timor-Leste (2005-2006), political mission",
    "UNSOM": "UN Assistance Mission in Somalia (from 2013), political mission",
    "UNTMIH": "UN Transition Mission in Haiti (1997)",
}

_PERSONNEL = {"troops": "troops", "police": "police", "observers": "military observers",
              "totals": "total personnel (troops + police + observers)"}
_NAME = {"troops": "troops", "police": "police", "observers": "observers", "totals": "personnel_total"}
_VERSIONS = {
    "iepo": ("", "inter- and extrapolated monthly value (`{v}_iepo`, main variable; complete)"),
    "sipri": ("_sipri", "SIPRI value as reported (`SIPRI_{v}`), mostly December/end of mission; NA in "
                        "other months"),
    "ipo": ("_ipo", "interpolated-only monthly value (`{v}_ipo`); NA before the first/after the last "
                    "SIPRI value"),
    "ipi": ("_ipi", "IPI monthly figure (`IPI_{v}`), UN missions only; NA otherwise"),
    "backward": ("_backward", "annually constant value (`{v}_backward`): the year's observed value in "
                              "every month"),
}


def _src_col(version: str, v: str) -> str:
    return {"iepo": f"{v}_iepo", "sipri": f"SIPRI_{v}", "ipo": f"{v}_ipo", "ipi": f"IPI_{v}",
            "backward": f"{v}_backward"}[version]


#: Output personnel column -> source column.
PERSONNEL_COLUMNS = {f"{_NAME[v]}{suffix}_n": _src_col(version, v)
                     for version, (suffix, _) in _VERSIONS.items() for v in _PERSONNEL}


def slug(name: str) -> str:
    """Stable lower-case id of a non-UN operation name (``Op. Licorne`` -> ``op_licorne``)."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _column(name: str, *, dtype: str, nullable: bool, description: str) -> pa.Column:
    return pa.Column(dtype, pa.Check.ge(0), nullable=nullable, description=description)


def _personnel_schema() -> dict[str, pa.Column]:
    cols = {}
    for version, (suffix, text) in _VERSIONS.items():
        for v, label in _PERSONNEL.items():
            name = f"{_NAME[v]}{suffix}_n"
            cols[name] = (field if name in FIELDS else _column)(
                name,
                dtype="Float64",
                nullable=version != "iepo",
                description=f"Deployed {label}, persons (mission-level, repeated in each conflict row): "
                            + text.format(v=v) + ". From 2015 SIPRI counts troops and observers together "
                                                 "as troops (observers 0 from 2015-12).")
    return cols


SCHEMA_MISSION_CONFLICT_MONTH = pa.DataFrameSchema(
    {
        "operation_id": pa.Column("string", pa.Check.str_matches(r"^([A-Z][A-Z0-9 ]*|[a-z0-9_]+)$"),
                                  description="Operation id: UN acronym (upper case, MISSION_ID_UN) for UN "
                                              "missions, else a lower-case slug of the mission name."),
        "operation_id_bara": pa.Column("Int64", pa.Check.gt(0),
                                       description="Bara's `missionid`: unique per mission x country."),
        "operation_name": pa.Column("string", description="Mission name as given (`mission`, SIPRI short "
                                                          "name)."),
        "mission_id_un": field(
            "mission_id_un",
            nullable=True,
            description="UN acronym for UN missions (= operation_id), NA otherwise.",
        ),
        "org_type": pa.Column("string", pa.Check.isin(list(ORG_TYPE.values())),
                              description="Deploying organisation type (`org`): UN (1), regional (2: a "
                                          "regional organisation or mostly regional coalition in its own "
                                          "region), ad_hoc (3: 'international' - an organisation outside "
                                          "its region or a multi-region coalition)."),
        "is_un": pa.Column("boolean", description="True when org_type is UN."),
        "is_police_only": pa.Column("boolean", description="`onlypolice`: pure civilian police mission."),
        "country_id_cow": field(
            "country_id_cow",
            pa.Check.in_range(2, 999),
            description="COW code of the conflict country (`ccode`).",
        ),
        "country_name": field(
            "country_name",
            description="Conflict country name (`location`), e.g. 'DR Congo (Zaire)'.",
        ),
        "conflict_id_ucdp": pa.Column("Int64", pa.Check.gt(0), description="UCDP conflict id (`conflictid`, "
                                                                            "ACD v17.1)."),
        "episode_id_bara": pa.Column("Int64", pa.Check.gt(0),
                                     description="Conflict episode id (`episodenum`): conflict id and "
                                                 "episode number."),
        "is_active_conflict": pa.Column("boolean", description="`activity`: True = conflict active that "
                                                               "month, False = postwar period."),
        "incompatibility": pa.Column("Int64", pa.Check.isin([1, 2]),
                                     description="UCDP incompatibility (`incomp`): 1 = territory, 2 = "
                                                 "government."),
        "date": pa.Column("datetime64[ns]", description="First day of the month (Stata monthly `date`)."),
        "year": field("year", pa.Check.in_range(1993, 2016)),
        "month": field("month"),
        **_personnel_schema(),
    },
    strict=True,
    unique=["operation_id_bara", "conflict_id_ucdp", "year", "month"],
    name="pko_un_nonun_bara_hultman.mission_conflict_month",
)

_COLUMNS = ["ccode", "location", "conflictid", "episodenum", "activity", "incomp", "date", "year",
            "missionid", "mission", "org", "onlypolice", *PERSONNEL_COLUMNS.values()]


def load_mission_conflict_month(path: str | Path | None = None) -> pd.DataFrame:
    """Peace operations' personnel by mission x UCDP conflict x month, 1993-2016.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per mission x conflict x month (primary key ``operation_id_bara``,
        ``conflict_id_ucdp``, ``year``, ``month``):

        ``operation_id`` (string: UN acronym or slug), ``operation_id_bara`` (Int64),
        ``operation_name``, ``mission_id_un`` (string, NA for non-UN), ``org_type`` (UN /
        regional / ad_hoc), ``is_un``, ``is_police_only`` (boolean), ``country_id_cow`` (Int64,
        conflict country), ``country_name``, ``conflict_id_ucdp``, ``episode_id_bara`` (Int64),
        ``is_active_conflict`` (boolean), ``incompatibility`` (Int64 1/2), ``date``
        (datetime64), ``year``, ``month`` (Int64), and persons (Float64): ``troops_n``,
        ``police_n``, ``observers_n``, ``personnel_total_n`` (``*_iepo``) and the same four with
        suffixes ``_sipri_n``, ``_ipo_n``, ``_ipi_n``, ``_backward_n``.
    """
    p = raw_path(SOURCE, FILE, path)
    raw = read(p, pd.read_stata, convert_categoricals=False)
    require_columns(raw, _COLUMNS, p)
    df = strip_strings(raw[_COLUMNS].reset_index(drop=True))
    for c in ("ccode", "conflictid", "episodenum", "activity", "incomp", "date", "year", "missionid",
              "mission", "org", "onlypolice", *(PERSONNEL_COLUMNS[c] for c in PERSONNEL_COLUMNS
                                                if not c.endswith(("_sipri_n", "_ipo_n", "_ipi_n")))):
        miss = df[c].isna()
        if miss.any():
            i = int(miss.to_numpy().nonzero()[0][0])
            raise DataError(p, "required value is missing", column=c, row=i)
    org = to_numeric(df, "org", p, dtype="Int64")
    check_codes(pd.DataFrame({"org": org}), "org", ORG_TYPE, p)
    for c in ("activity", "onlypolice"):
        check_codes(df, c, [0, 1], p)
    date = pd.to_datetime(df["date"], errors="coerce")
    if not pd.api.types.is_datetime64_any_dtype(df["date"]) or date.isna().any():
        bad = date.isna()
        i = int(bad.to_numpy().nonzero()[0][0]) if bad.any() else 0
        raise DataError(p, f"not a Stata monthly date: {df['date'].iloc[i]!r}", column="date", row=i)
    date = date.astype("datetime64[ns]")
    year = to_numeric(df, "year", p, dtype="Int64")
    diff = date.dt.year != year
    if diff.any():
        i = int(diff.to_numpy().nonzero()[0][0])
        raise DataError(p, f"year {year.iloc[i]} disagrees with date {date.iloc[i].date()}",
                        column="year", row=i)
    name = df["mission"].astype("string")
    is_un = (org == 1).astype("boolean")
    unknown = is_un & ~name.isin(list(MISSION_ID_UN))
    if unknown.any():
        i = int(unknown.to_numpy().nonzero()[0][0])
        raise DataError(p, f"UN mission {name.iloc[i]!r} has no entry in MISSION_ID_UN",
                        column="mission", row=i)
    un_id = name.map(MISSION_ID_UN).where(is_un.to_numpy(dtype=bool)).astype("string")
    out = pd.DataFrame({
        "operation_id": un_id.fillna(name.map(slug)).astype("string"),
        "operation_id_bara": to_numeric(df, "missionid", p, dtype="Int64"),
        "operation_name": name,
        "mission_id_un": un_id,
        "org_type": org.map(ORG_TYPE).astype("string"),
        "is_un": is_un,
        "is_police_only": df["onlypolice"].astype(bool).astype("boolean"),
        "country_id_cow": to_numeric(df, "ccode", p, dtype="Int64"),
        "country_name": df["location"].astype("string"),
        "conflict_id_ucdp": to_numeric(df, "conflictid", p, dtype="Int64"),
        "episode_id_bara": to_numeric(df, "episodenum", p, dtype="Int64"),
        "is_active_conflict": df["activity"].astype(bool).astype("boolean"),
        "incompatibility": to_numeric(df, "incomp", p, dtype="Int64"),
        "date": date,
        "year": year,
        "month": date.dt.month.astype("Int64"),
    })
    for new, src in PERSONNEL_COLUMNS.items():
        out[new] = to_numeric(df, src, p)
    return validate(out[list(SCHEMA_MISSION_CONFLICT_MONTH.columns)], SCHEMA_MISSION_CONFLICT_MONTH, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "mission_conflict_month": LoaderSpec(load_mission_conflict_month, SCHEMA_MISSION_CONFLICT_MONTH, FILE,
                                         key=("operation_id_bara", "conflict_id_ucdp", "year", "month"),
                                         year="year"),
}
