"""Peacekeeping Mandates (PEMA): task codings of UN peacekeeping mandates, 1991-2019.

Two of the PEMA web-app CSVs are read (the official Dataverse release was not available):

* ``PEMA_panel_v2.csv`` - mission-month panel (1991-2019, 48 missions), 0/1 task x modality
  cells (suffix ``_V3``), carried forward between resolutions by the producers.
* ``PEMA_Feb22_v1.2.csv`` - one row per mandating Security Council resolution (1991-2017, 27
  African missions); cells hold operative-paragraph numbers or text, empty = task not mentioned.

Tasks are coded in four modalities: ``monitor`` (the mission monitors), ``assist`` (it assists
others), ``security`` (it provides security / implements itself, PEMA's "securing") and
``encouraged`` (the Council encourages, without mandating). Output columns are named
``has_<task>_<modality>`` with the task codes of :data:`TASKS` (the same names in both files).

Quirks handled
--------------
* Column names differ between the files (CamelCase in v1.2, lower case with a ``_V3`` suffix in
  the panel; v1.2 spells two tasks ``PartyAssistance`` and ``RefugeesIDPs``): both are mapped to
  the task codes of :data:`TASKS`; the panel has no ``electsec_security`` column (NA is not
  invented for it: the column is absent from :func:`load_panel_v2`).
* Date formats differ: v1.2 ``Date`` is ``27/06/2011`` (day/month/year); the panel month is
  ``date3`` = ``2003m5`` and the panel's resolution date ``date2`` is ``13-May-03`` (two-digit
  year, only on rows where a resolution was adopted). A cell in another format is an error naming
  the row.
* The panel has 2 rows with missing ``year`` (S/RES/2350 MINUJUSTH and S/RES/2243 MINUSTAH): they
  also have no ``date3`` month, so they cannot be placed in time and are dropped (every row
  without a ``date3`` month is dropped; :data:`DROPPED_ROWS_NOTE`). Where both are present,
  ``year`` must equal the year of ``date3``.
* Resolutions are numbered in order of adoption, but a few panel months are governed by a
  resolution with a higher number than one of a later month (misdated upstream). Leading months of
  a mission governed by such a resolution precede the mission and are dropped: UNISFA 2008-09 to
  2011-05 (33 months of S/RES/2386, dated ``30-Sep-08`` but adopted in November 2017; UNISFA was
  established by S/RES/1990 in June 2011). Later such months are kept and flagged
  ``is_resolution_out_of_order`` (S/RES/972 UNOMIL 1994-01..03; S/RES/1437 UNMOP 2002-04..06).
* OffensOper and UseOfForce are NOT CODED in the v2 files for African missions (0 everywhere):
  in :func:`load_panel_v2` every ``has_offensoper_*`` cell is NA (no v2 row of any mission codes
  offensive operations) and ``has_useofforce`` is NA for African missions (``is_africa``, from
  the panel's ``country`` via :data:`AFRICAN_COUNTRIES`); use v1.2 for those tasks in Africa.
* Resolution-level cells of v1.2 hold paragraph numbers or text (``"9, 12b"``), not 0/1: a
  non-empty cell (after stripping; some cells are a single blank) means the task is present.
  v1.2 cells with commas are quoted; the file has CRLF line ends and no final newline.
* Signatures have trailing spaces (``"S/RES/1780 "``), a year suffix (``"S/RES/2466 (2019)"``)
  and one combined signature (``"S/RES/758 AND S/RES/761"``): stripped, the suffix removed, the
  combined one kept as given (``resolution_id_un``).
* In v1.2, ``Year`` disagrees with the year of ``Date`` in 3 rows (S/RES/804, S/RES/972,
  S/RES/2179). Security Council resolutions are numbered in order of adoption, so the date kept is
  the one of the two candidates (``Date`` as given, or ``Date`` with the year of ``Year``) that
  lies between the dates of the nearest lower- and higher-numbered resolutions of the file; the
  row is flagged ``is_date_year_mismatch``. When neither or both fit, the row is an error.
  (Other v1.2 dates that are out of resolution order without a ``Year`` conflict, e.g. S/RES/2112
  dated like S/RES/2101, are kept as published.)
* v1.2 ``Mandate_*`` flags are blank in 3-4 rows: NA.
* v1.2 is resolution-level: :func:`expand_resolutions` turns it into mission-months (adoption
  month to the month before the mission's next resolution; tasks carried forward between
  resolutions and reset at a "complete adjustment", as in PEMA's own panel; never beyond 2017-12).
* Missions have names only (no UN code): mapped to ``mission_id_un`` by the explicit table
  :data:`MISSION_ID_UN` (``UNOMOZ`` -> ``ONUMOZ``, ``UNCSPG`` -> ``UNPSG``); an unknown name is an
  error naming the row. ``UNAMET`` and ``UNTMIH`` are not in the UN DPPADPOSS-PKO list and keep
  their UN acronym (:data:`NOT_IN_DPPADPOSS`).
* The panel's ``country`` names the host as PEMA spells it (``Serbia`` for UNPREDEP in Macedonia,
  ``Abyei``, ``Central African Republic/Chad``): kept as given in ``country_name``; an unknown
  name is an error (it decides ``is_africa``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field
from analysis.data.registry import raw_file
from analysis.errors import DataError
from analysis.sources._base import (
    LoaderSpec,
    check_codes,
    raw_path,
    read,
    require_columns,
    source_constants,
    strip_strings,
    to_date,
    to_numeric,
    validate,
)

_C = source_constants("pema")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE_PANEL = "PEMA_panel_v2.csv"
FILE_V1_2 = "PEMA_Feb22_v1.2.csv"
FILE = FILE_PANEL

#: PEMA task codes (lower case, as in the panel) -> label.
TASKS = {
    "disarmdemob": "disarmament and demobilisation",
    "reintegration": "reintegration of ex-combatants",
    "controlsalw": "control of small arms and light weapons",
    "armsembargo": "arms embargo",
    "civprotect": "protection of civilians",
    "humanrights": "human rights",
    "childrights": "children's rights",
    "sgbviolence": "sexual and gender-based violence",
    "policereform": "police reform",
    "militaryreform": "military reform",
    "demil": "demilitarisation",
    "offensoper": "offensive operations",
    "justicereform": "justice sector reform",
    "transjustice": "transitional justice",
    "correctionsreform": "corrections reform",
    "bordercontrol": "border control",
    "demining": "demining",
    "resources": "natural resources",
    "stateauthority": "extension of state authority",
    "democratization": "democratisation",
    "electsec": "electoral security",
    "electassist": "electoral assistance",
    "votereducation": "voter education",
    "polpartyassist": "political party assistance",
    "civilsociety": "civil society",
    "media": "media",
    "publicinfo": "public information",
    "powersharing": "power sharing",
    "reconcil": "national reconciliation",
    "localreconcil": "local reconciliation",
    "regreconcil": "regional reconciliation",
    "ecdevelop": "economic development",
    "humanrelief": "humanitarian relief",
    "publichealth": "public health",
    "refugeeidps": "refugees and internally displaced persons",
    "gender": "gender",
    "legalreform": "legal reform",
    "ceasefire": "ceasefire",
    "peaceprocess": "peace process",
    "culturalheritage": "cultural heritage",
}

#: Modalities -> meaning.
MODALITIES = {
    "monitor": "the mission is to monitor",
    "assist": "the mission is to assist others",
    "security": "the mission is to provide security / implement itself (PEMA 'securing')",
    "encouraged": "the Council encourages it (not mandated)",
}

#: v1.2 task spellings (lower-cased) that differ from the panel's task codes.
V1_2_TASK_NAMES = {"partyassistance": "polpartyassist", "refugeesidps": "refugeeidps"}

#: (task, modality) pairs absent from the panel v2 file.
PANEL_MISSING_PAIRS = {("electsec", "security")}

#: PEMA mission name (both files) -> ``mission_id_un`` (acronym of the UN DPPADPOSS-PKO list).
MISSION_ID_UN = {
    "MINUCI": "MINUCI", "MINUJUSTH": "MINUJUSTH", "MINURCA": "MINURCA", "MINURCAT": "MINURCAT",
    "MINURSO": "MINURSO", "MINUSCA": "MINUSCA", "MINUSMA": "MINUSMA", "MINUSTAH": "MINUSTAH",
    "MIPONUH": "MIPONUH", "MONUA": "MONUA", "MONUC": "MONUC", "MONUSCO": "MONUSCO", "ONUB": "ONUB",
    "UNAMET": "UNAMET", "UNAMIC": "UNAMIC", "UNAMID": "UNAMID", "UNAMIR": "UNAMIR",
    "UNAMSIL": "UNAMSIL", "UNAVEM II": "UNAVEM II", "UNAVEM III": "UNAVEM III", "UNCRO": "UNCRO",
    "UNCSPG": "UNPSG", "UNISFA": "UNISFA", "UNMEE": "UNMEE", "UNMIBH": "UNMIBH", "UNMIH": "UNMIH",
    "UNMIL": "UNMIL", "UNMIS": "UNMIS", "UNMISET": "UNMISET", "UNMISS": "UNMISS", "UNMIT": "UNMIT",
    "UNMOP": "UNMOP", "UNMOT": "UNMOT", "UNOCI": "UNOCI", "UNOMIG": "UNOMIG", "UNOMIL": "UNOMIL",
    "UNOMOZ": "ONUMOZ", "UNOMSIL": "UNOMSIL", "UNOMUR": "UNOMUR", "UNOSOM I": "UNOSOM I",
    "UNOSOM II": "UNOSOM II", "UNPREDEP": "UNPREDEP", "UNPROFOR": "UNPROFOR", "UNSMIH": "UNSMIH",
    "UNTAC": "UNTAC", "UNTAES": "UNTAES", "UNTAET": "UNTAET", "UNTMIH": "UNTMIH",
}

#: UN missions of PEMA missing from the DPPADPOSS-PKO list: they keep their UN acronym.
NOT_IN_DPPADPOSS = {
    "UNAMET": "UN Mission in East Timor (1999), consultation mission",
    "UNTMIH": "UN Transition Mission in Haiti (1997)",
}

#: Panel ``country`` names of African hosts (decide ``is_africa``).
AFRICAN_COUNTRIES = frozenset({
    "Abyei", "Angola", "Burundi", "Central African Republic", "Central African Republic/Chad",
    "Dem. Rep. of the Congo", "Eritrea/Ethiopia", "Ivory Coast", "Liberia", "Mali", "Mozambique",
    "Rwanda", "Sierra Leone", "Somalia", "South Sudan", "Sudan", "Western Sahara",
})
#: Panel ``country`` names of non-African hosts.
OTHER_COUNTRIES = frozenset({
    "Bosnia and Herzegovina", "Cambodia", "Croatia", "East Timor", "Georgia", "Haiti", "Serbia",
    "Tajikistan",
})
#: v1.2 ``Country`` names (all African).
V1_2_COUNTRIES = frozenset({
    "Abyei", "Angola", "Burundi", "Central African Republic", "Chad", "Dem. Rep. of the Congo",
    "Eritrea", "Ivory Coast", "Liberia", "Mali", "Morocco", "Mozambique", "Rwanda", "Sierra Leone",
    "Somalia", "South Sudan", "Sudan",
})

DROPPED_ROWS_NOTE = ("panel rows without a `date3` month are dropped (2 in v2: S/RES/2350 MINUJUSTH "
                     "and S/RES/2243 MINUSTAH, which also lack `year`)")

_SIGNATURE = r"^S/RES/\d+( AND S/RES/\d+)*$"


def task_columns(*, panel: bool) -> list[str]:
    """Output task columns ``has_<task>_<modality>`` (panel: without ``electsec_security``)."""
    return [f"has_{t}_{m}" for t in TASKS for m in MODALITIES
            if not (panel and (t, m) in PANEL_MISSING_PAIRS)]


def _task_col(name: str, *, panel: bool) -> pa.Column:
    task, mod = name[4:].rsplit("_", 1)
    if panel:
        coding = (f"0/1 cell of the panel (`{task}_{mod}_V3`), True = task mandated in that month "
                  "(carried forward between resolutions)")
        if task == "offensoper":
            coding += "; always NA: offensive operations are not coded in the v2 files"
    else:
        coding = ("non-empty paragraph cell of the resolution, True = task mentioned in the resolution, "
                  "False = cell empty")
    return pa.Column("boolean", nullable=True,
                     description=f"{TASKS[task].capitalize()}, modality '{mod}' ({MODALITIES[mod]}): "
                                 f"{coding}.")


def _common_columns() -> dict[str, pa.Column]:
    return {
        "mission_id_un": field(
            "mission_id_un",
            pa.Check.isin(sorted(set(MISSION_ID_UN.values()))),
            description="UN mission acronym, upper case (DPPADPOSS-PKO list; UNAMET and UNTMIH are not in "
                        "it), from MISSION_ID_UN.",
        ),
        "mission_name": field(
            "mission_name",
            pa.Check.isin(list(MISSION_ID_UN)),
            description="Mission name as spelled by PEMA (`namepko`/`NamePKO`).",
        ),
    }


SCHEMA_PANEL_V2 = pa.DataFrameSchema(
    {
        **_common_columns(),
        "year": field("year", pa.Check.in_range(1991, 2019), description="Calendar year (from `date3`)."),
        "month": field("month", description="Month 1-12 (from `date3`)."),
        "resolution_id_un": pa.Column("string", pa.Check.str_matches(_SIGNATURE),
                                      description="Security Council resolution in force (`signature`, "
                                                  "stripped, year suffix removed), e.g. 'S/RES/2098'; one "
                                                  "combined value 'S/RES/758 AND S/RES/761'."),
        "resolution_date": pa.Column("datetime64[ns]", nullable=True,
                                     description="Adoption date of the resolution (`date2`, `13-May-03`), "
                                                 "day; only in months where a resolution was adopted, "
                                                 "else NA."),
        "country_name": field(
            "country_name",
            pa.Check.isin(sorted(AFRICAN_COUNTRIES | OTHER_COUNTRIES)),
            description="Host as named by PEMA (`country`), e.g. 'Ivory Coast', 'Eritrea/Ethiopia'; "
                        "'Serbia' for UNPREDEP (Macedonia).",
        ),
        "is_africa": field(
            "is_africa",
            description="True when `country_name` is an African host (AFRICAN_COUNTRIES).",
        ),
        "is_resolution_out_of_order": pa.Column(
            "boolean", description="True where the month's resolution has a higher number than a resolution "
                                   "governing a later month of the mission (misdated upstream: S/RES/972 "
                                   "UNOMIL 1994-01..03, S/RES/1437 UNMOP 2002-04..06); values kept."),
        "is_mandate_renewal": pa.Column("boolean", nullable=True,
                                        description="`mandate_renewal` 0/1: the month's resolution renews "
                                                    "the mandate."),
        "is_mandate_complete_adjustment": pa.Column(
            "boolean", nullable=True,
            description="`mandate_completeadjustment` 0/1: the resolution completely changes the mandate."),
        **{c: _task_col(c, panel=True) for c in task_columns(panel=True)},
        "has_useofforce": pa.Column("boolean", nullable=True,
                                    description="Use of force authorised (`useofforce_V3` 0/1), True/False "
                                                "for non-African missions; NA for African missions "
                                                "(not coded in v2)."),
    },
    strict=True,
    unique=["mission_id_un", "year", "month"],
    name="pema.panel_v2",
)

SCHEMA_RESOLUTIONS_V1_2 = pa.DataFrameSchema(
    {
        "resolution_id_un": pa.Column("string", pa.Check.str_matches(_SIGNATURE),
                                      description="Security Council resolution (`Signature`), e.g. "
                                                  "'S/RES/2098'."),
        **_common_columns(),
        "country_name": field(
            "country_name",
            pa.Check.isin(sorted(V1_2_COUNTRIES)),
            description="Host as named by PEMA v1.2 (`Country`), e.g. 'Morocco' for MINURSO, 'Chad' for "
                        "MINURCAT.",
        ),
        "date": pa.Column("datetime64[ns]", description="Adoption date (`Date`, day/month/year), day; "
                                                        "year settled by resolution order where `Year` "
                                                        "disagrees (see is_date_year_mismatch)."),
        "year": field("year", pa.Check.in_range(1991, 2017), description="Calendar year of `date`."),
        "month": field("month", description="Month of `date`, 1-12."),
        "is_date_year_mismatch": pa.Column("boolean",
                                           description="True where upstream `Year` disagreed with the year "
                                                       "of `Date` (3 rows); `date` is then the candidate "
                                                       "consistent with the resolution-number order."),
        "is_mandate_renewal": pa.Column("boolean", nullable=True,
                                        description="`Mandate_Renewal` 0/1; NA when blank."),
        "is_mandate_minor_adjustment": pa.Column("boolean", nullable=True,
                                                 description="`Mandate_MinorAdjustment` 0/1; NA when blank."),
        "is_mandate_complete_adjustment": pa.Column("boolean", nullable=True,
                                                    description="`Mandate_CompleteAdjustment` 0/1; NA when "
                                                                "blank."),
        **{c: _task_col(c, panel=False) for c in task_columns(panel=False)},
        "has_useofforce": pa.Column("boolean", description="Use of force authorised (`UseOfForce` cell "
                                                           "non-empty): True/False."),
    },
    strict=True,
    unique=["resolution_id_un", "mission_id_un"],
    name="pema.resolutions_v1_2",
)


def _required(df: pd.DataFrame, column: str, path: Path) -> None:
    miss = df[column].isna()
    if miss.any():
        i = int(miss.to_numpy().nonzero()[0][0])
        raise DataError(path, "required value is missing", column=column, row=i)


def _signature(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.replace(r"\s*\(\d{4}\)$", "", regex=True)


def _strip_block(df: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Cells of ``columns`` as an object array, strings stripped, blank -> None."""
    arr = df[columns].to_numpy(dtype=object)
    flat = [None if not isinstance(v, str) or not v.strip() else v.strip() for v in arr.ravel()]
    return np.array(flat, dtype=object).reshape(arr.shape)


def _flags01(df: pd.DataFrame, columns: list[str], path: Path) -> np.ndarray:
    """0/1 cells of ``columns`` as a boolean array with NA (blank); another value names its cell."""
    arr = _strip_block(df, columns)
    bad = ~np.isin(arr, np.array(["0", "1", None], dtype=object))
    if bad.any():
        i, j = (int(x[0]) for x in bad.nonzero())
        raise DataError(path, f"unknown code {arr[i, j]!r}; allowed: ['0', '1']", column=columns[j], row=i)
    return np.where(arr == None, pd.NA, arr == "1")  # noqa: E711 - elementwise test for None


def _flag01(df: pd.DataFrame, column: str, path: Path) -> pd.Series:
    check_codes(df, column, ["0", "1"], path)
    return df[column].map({"0": False, "1": True}).astype("boolean")


def _mission_ids(df: pd.DataFrame, column: str, path: Path) -> pd.Series:
    _required(df, column, path)
    check_codes(df, column, MISSION_ID_UN, path)
    return df[column].map(MISSION_ID_UN).astype("string")


def load_panel_v2(path: str | Path | None = None) -> pd.DataFrame:
    """PEMA v2 mission-month panel of mandated tasks.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per mission-month (primary key ``mission_id_un``, ``year``, ``month``), 1991-2019:

        ``mission_id_un``, ``mission_name`` (string), ``year``, ``month`` (Int64, from ``date3``),
        ``resolution_id_un`` (string, resolution in force), ``resolution_date`` (datetime64, NA
        except in adoption months), ``country_name`` (string, PEMA's host name), ``is_africa``,
        ``is_resolution_out_of_order``, ``is_mandate_renewal``, ``is_mandate_complete_adjustment``
        (boolean), one boolean ``has_<task>_<modality>`` per task of :data:`TASKS` and modality of
        :data:`MODALITIES` (without ``has_electsec_security``; ``has_offensoper_*`` always NA) and
        ``has_useofforce`` (NA for African missions).
    """
    p = raw_path(SOURCE, FILE_PANEL, path)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    tasks_up = [c[4:] + "_V3" for c in task_columns(panel=True)]
    require_columns(raw, ["signature", "namepko", "date3", "date2", "country", "year", "mandate_renewal",
                          "mandate_completeadjustment", *tasks_up, "useofforce_V3"], p)
    ids = ["signature", "namepko", "date3", "date2", "country", "year", "mandate_renewal",
           "mandate_completeadjustment"]
    df = strip_strings(raw[ids])
    ym = df["date3"].astype("string").str.extract(r"^(\d{4})m(\d{1,2})$")
    bad = df["date3"].notna() & (ym[0].isna() | ~ym[1].astype("Float64").between(1, 12).fillna(False))
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(p, f"bad month {df['date3'].iloc[i]!r} (expected format like 2003m5)",
                        column="date3", row=i)
    year = pd.to_numeric(ym[0]).astype("Int64")
    month = pd.to_numeric(ym[1]).astype("Int64")
    year_col = to_numeric(df, "year", p, dtype="Int64")
    diff = year_col.notna() & year.notna() & (year_col != year)
    if diff.any():
        i = int(diff.to_numpy().nonzero()[0][0])
        raise DataError(p, f"year {year_col.iloc[i]} disagrees with date3 {df['date3'].iloc[i]!r}",
                        column="year", row=i)
    keep = year.notna()
    for c in ("signature", "namepko", "country"):
        _required(df.assign(**{c: df[c].where(keep, "-")}), c, p)
    out = pd.DataFrame({
        "mission_id_un": _mission_ids(df, "namepko", p),
        "mission_name": df["namepko"].astype("string"),
        "year": year,
        "month": month,
        "resolution_id_un": _signature(df["signature"]),
        "resolution_date": to_date(df, "date2", p, format="%d-%b-%y"),
        "country_name": df["country"].astype("string"),
    })
    check_codes(df, "country", AFRICAN_COUNTRIES | OTHER_COUNTRIES, p)
    out["is_africa"] = out["country_name"].isin(list(AFRICAN_COUNTRIES)).astype("boolean")
    out["is_mandate_renewal"] = _flag01(df, "mandate_renewal", p)
    out["is_mandate_complete_adjustment"] = _flag01(df, "mandate_completeadjustment", p)
    cols = task_columns(panel=True)
    flags = _flags01(raw, [c[4:] + "_V3" for c in cols] + ["useofforce_V3"], p)
    flags[:, [j for j, c in enumerate(cols) if c.startswith("has_offensoper_")]] = pd.NA
    flags[out["is_africa"].to_numpy(dtype=bool), -1] = pd.NA
    tasks = pd.DataFrame(flags, columns=[*cols, "has_useofforce"], index=df.index).astype("boolean")
    out = pd.concat([out, tasks], axis=1)
    out = out[keep.to_numpy()].sort_values(["mission_id_un", "year", "month"], kind="stable")
    out["is_resolution_out_of_order"] = _out_of_order(out)
    flag = out["is_resolution_out_of_order"].astype(int)
    leading = flag.groupby(out["mission_id_un"]).cumprod().astype(bool)
    out = out[~leading].reset_index(drop=True)
    return validate(out[list(SCHEMA_PANEL_V2.columns)], SCHEMA_PANEL_V2, p)


def _out_of_order(df: pd.DataFrame) -> pd.Series:
    """True where a month's resolution has a higher number than one governing a later month."""
    num = df["resolution_id_un"].str.extract(r"(\d+)")[0].astype(int)
    order = df.assign(_n=num).sort_values(["mission_id_un", "year", "month"])
    later_min = order[::-1].groupby("mission_id_un")["_n"].cummin()[::-1]
    nxt = later_min.groupby(order["mission_id_un"]).shift(-1)
    return (order["_n"] > nxt).reindex(df.index).astype("boolean")


def _resolve_dates(date: pd.Series, year: pd.Series, number: pd.Series, path: Path) -> pd.Series:
    """Settle rows whose ``Year`` disagrees with ``Date`` by resolution-number order."""
    out = date.copy()
    mism = (date.dt.year != year).fillna(False).to_numpy(dtype=bool)
    ok = pd.DataFrame({"n": number, "d": date})[~mism]
    for i in mism.nonzero()[0]:
        n = number.iloc[i]
        lower = ok[ok["n"] < n].sort_values("n")
        upper = ok[ok["n"] > n].sort_values("n")
        lo = lower["d"].iloc[-1] if len(lower) else None
        hi = upper["d"].iloc[0] if len(upper) else None
        cands = [date.iloc[i]]
        try:
            cands.append(date.iloc[i].replace(year=int(year.iloc[i])))
        except ValueError:
            pass
        fit = [c for c in cands if (lo is None or c >= lo) and (hi is None or c <= hi)]
        if len(fit) != 1:
            raise DataError(path, f"Year {year.iloc[i]} disagrees with Date {date.iloc[i].date()} and the "
                                  f"resolution order (neighbours {lo}, {hi}) cannot decide",
                            column="Date", row=i)
        out.iloc[i] = fit[0]
    return out


def load_resolutions_v1_2(path: str | Path | None = None) -> pd.DataFrame:
    """PEMA v1.2 task codings by resolution, African missions 1991-2017.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per resolution and mission (primary key ``resolution_id_un``, ``mission_id_un``):

        ``resolution_id_un``, ``mission_id_un``, ``mission_name``, ``country_name`` (string),
        ``date`` (datetime64, adoption day), ``year``, ``month`` (Int64), ``is_date_year_mismatch``,
        ``is_mandate_renewal``, ``is_mandate_minor_adjustment``, ``is_mandate_complete_adjustment``
        (boolean, NA when blank), one boolean ``has_<task>_<modality>`` per task of :data:`TASKS`
        and modality of :data:`MODALITIES` (True = paragraph cell non-empty) and ``has_useofforce``.
    """
    p = raw_path(SOURCE, FILE_V1_2, path)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    raw.columns = [str(c).strip() for c in raw.columns]
    lower = {c.lower(): c for c in raw.columns}
    up = {}
    for c in task_columns(panel=False):
        task, mod = c[4:].rsplit("_", 1)
        names = [f"{task}_{mod}"] + [f"{k}_{mod}" for k, v in V1_2_TASK_NAMES.items() if v == task]
        found = [lower[n] for n in names if n in lower]
        if not found:
            raise DataError(p, "expected column is missing", column=f"{task}_{mod}")
        up[c] = found[0]
    require_columns(raw, ["Signature", "NamePKO", "Country", "Year", "Date", "Mandate_Renewal",
                          "Mandate_MinorAdjustment", "Mandate_CompleteAdjustment", "UseOfForce"], p)
    ids = ["Signature", "NamePKO", "Country", "Year", "Date", "Mandate_Renewal", "Mandate_MinorAdjustment",
           "Mandate_CompleteAdjustment"]
    df = strip_strings(raw[ids])
    for c in ("Signature", "NamePKO", "Country", "Date", "Year"):
        _required(df, c, p)
    check_codes(df, "Country", V1_2_COUNTRIES, p)
    date = to_date(df, "Date", p, format="%d/%m/%Y")
    year_col = to_numeric(df, "Year", p, dtype="Int64")
    sig = _signature(df["Signature"])
    num = pd.to_numeric(sig.str.extract(r"^S/RES/(\d+)")[0], errors="coerce")
    if num.isna().any():
        i = int(num.isna().to_numpy().nonzero()[0][0])
        raise DataError(p, f"not a resolution signature: {df['Signature'].iloc[i]!r}",
                        column="Signature", row=i)
    resolved = _resolve_dates(date, year_col, num, p)
    out = pd.DataFrame({
        "resolution_id_un": sig,
        "mission_id_un": _mission_ids(df, "NamePKO", p),
        "mission_name": df["NamePKO"].astype("string"),
        "country_name": df["Country"].astype("string"),
        "date": resolved,
        "year": resolved.dt.year.astype("Int64"),
        "month": resolved.dt.month.astype("Int64"),
        "is_date_year_mismatch": (date.dt.year != year_col).astype("boolean"),
        "is_mandate_renewal": _flag01(df, "Mandate_Renewal", p),
        "is_mandate_minor_adjustment": _flag01(df, "Mandate_MinorAdjustment", p),
        "is_mandate_complete_adjustment": _flag01(df, "Mandate_CompleteAdjustment", p),
    })
    present = _strip_block(raw, [*up.values(), "UseOfForce"]) != None  # noqa: E711 - elementwise
    tasks = pd.DataFrame(present, columns=[*up, "has_useofforce"], index=df.index).astype("boolean")
    out = pd.concat([out, tasks], axis=1)
    return validate(out[list(SCHEMA_RESOLUTIONS_V1_2.columns)], SCHEMA_RESOLUTIONS_V1_2, p)


def expand_resolutions(res: pd.DataFrame, last_month: Mapping[str, tuple[int, int]] | None = None,
                       *, end: tuple[int, int] | None = None, carry_forward: bool = True) -> pd.DataFrame:
    """Resolution-level v1.2 codings as mission-months.

    Each resolution governs the months from its adoption month until the month before the next
    resolution of the same mission (ordered by adoption date, then resolution number); when two
    resolutions of a mission are adopted in the same month, the state after the later one governs
    that month. The
    last resolution of a mission governs until ``last_month[mission]`` (the mission's last month in
    the PEMA v2 panel) when that is later than its adoption month, else its adoption month only.
    Nothing is carried beyond ``end`` (default: December of the v1.2 file's last registered year,
    2017).

    A resolution lists only the paragraphs it contains, and many resolutions (technical
    roll-overs, sanctions resolutions) mention few or no tasks. With ``carry_forward`` (default)
    the tasks in force after a resolution are, as in PEMA's own v2 panel, the tasks of the
    previous state plus those of the resolution, reset to the resolution's own tasks at a mission's
    first resolution and at every resolution flagged ``is_mandate_complete_adjustment`` (NA counts
    as not flagged). On the real files this reproduces the v2 panel's ``civprotect_security`` in
    every one of the 1,830 African mission-months both cover (97.6% of all task cells), against
    68% when each resolution's own cells are used (``carry_forward=False``).

    Parameters
    ----------
    res
        Output of :func:`load_resolutions_v1_2`.
    last_month
        Mission id -> (year, month) of the mission's last known month.
    end
        (year, month) cap.
    carry_forward
        Accumulate tasks between complete adjustments (True) or use each resolution's cells only.

    Returns
    -------
    pandas.DataFrame
        One row per mission-month (primary key ``mission_id_un``, ``year``, ``month``):
        ``mission_id_un``, ``mission_name`` (string), ``year``, ``month`` (Int64),
        ``resolution_id_un`` (string, the latest resolution adopted up to that month) and every
        ``has_*`` task column of ``res`` (boolean).
    """
    if end is None:
        end = (raw_file(SOURCE, FILE_V1_2).year_end, 12)
    cap = end[0] * 12 + end[1] - 1
    last_month = last_month or {}
    has = [c for c in res.columns if c.startswith("has_")]
    r = res.assign(_ym=res["year"].astype(int) * 12 + res["month"].astype(int) - 1,
                   _num=res["resolution_id_un"].str.extract(r"(\d+)")[0].astype(int))
    r = r.sort_values(["mission_id_un", "date", "_num"]).reset_index(drop=True)
    if carry_forward:
        first = ~r["mission_id_un"].duplicated()
        reset = first | r["is_mandate_complete_adjustment"].fillna(False).astype(bool)
        seg = reset.cumsum()
        r[has] = r[has].astype(int).groupby(seg).cummax().astype(bool)
    r = r.drop_duplicates(["mission_id_un", "_ym"], keep="last").reset_index(drop=True)
    nxt = r.groupby("mission_id_un")["_ym"].shift(-1)
    last = r["mission_id_un"].map(lambda m: _ym(last_month.get(m))).astype(int)
    stop = nxt.sub(1).fillna(pd.concat([r["_ym"], last], axis=1).max(axis=1)).astype(int).clip(upper=cap)
    n = (stop - r["_ym"] + 1).clip(lower=0).to_numpy()
    base = r.loc[r.index.repeat(n)].reset_index(drop=True)
    ym = r["_ym"].to_numpy().repeat(n) + (np.arange(len(base)) - np.repeat(np.cumsum(n) - n, n))
    return pd.concat([
        base[["mission_id_un", "mission_name"]].astype("string"),
        pd.DataFrame({"year": pd.array(ym // 12, dtype="Int64"),
                      "month": pd.array(ym % 12 + 1, dtype="Int64")}),
        base[["resolution_id_un"]].astype("string"),
        base[has].astype("boolean"),
    ], axis=1)


def _ym(ym: tuple[int, int] | None) -> int:
    return -1 if ym is None else int(ym[0]) * 12 + int(ym[1]) - 1


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "panel_v2": LoaderSpec(load_panel_v2, SCHEMA_PANEL_V2, FILE_PANEL, key=("mission_id_un", "year", "month"),
                           year="year"),
    "resolutions_v1_2": LoaderSpec(load_resolutions_v1_2, SCHEMA_RESOLUTIONS_V1_2, FILE_V1_2,
                                   key=("resolution_id_un", "mission_id_un"), year="year"),
}
