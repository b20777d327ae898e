"""UN peacekeeping personnel by mission and month, 1990-01 to 2019-12 (Kathman, update through 12-2019).

Quirks handled
--------------
* Missing values are coded ``-999`` in ``missionccode`` (hosts "Unknown"/"Various": LBB, ONUCA,
  UNMHA, UNOWAS, UNPF, UNTSO), ``missionccode2`` (UNMHA), ``troop``, ``police``,
  ``militaryobservers`` (~320 rows each) and ``total`` / ``total2`` (181 rows): all become NA,
  never 0; any other negative count is an error.
* ``total`` is kept as published, not recomputed from the parts; ``is_total_ne_parts`` flags the
  rows where troops + police + observers (all known) differ from it (2 rows, Dec 1998).
* ``total`` differs from ``total2`` in 33 rows (MINUSCA 2015-01..2017-08, MINURCA and MONUA
  1998-12); ``total2`` is kept as ``personnel_total2_n`` (its definition is in the codebook,
  which is not available).
* ``missionccode2`` holds a second host for two-country missions (blank otherwise): NA when blank.
* ``yearmon`` is a float like ``2007.01`` and disagrees with ``year``/``month`` in one row
  (UNAMI 2019-02 is labelled 2019.03): ``year`` and ``month`` are used, ``yearmon`` is dropped.
* Kathman's mission names are mapped to ``mission_id_un`` with the explicit table
  :data:`MISSION_ID_UN`; an unmapped name is an error. ``UNOSOM`` (1992-04..1994-05) spans UNOSOM I
  and II and ``UNAVEM`` (1990-01..1997-06) spans UNAVEM I-III, so both, and ``UNOSOM II``, map to
  the UN's combined entries ``UNOSOM`` / ``UNAVEM`` (the level the UN fatalities file uses).
  Kathman's own name is kept in ``mission_kathman``.
* **UNTAET's personnel of 2001-01..2002-04 are filed under "UNMISET"**, which the Security
  Council established only in May 2002 (S/RES/1410 (2002); the UN PKO list dates UNMISET from
  2002-05 and UNTAET to 2002-05). Kathman's UNTAET rows stop in 2000-12, so these 16 months
  would count for no mission in East Timor at the time (about 11,900 personnel-years lost) and
  stretch UNMISET back by 16 months. The explicit table :data:`MISSION_ID_UN_BEFORE` maps a
  Kathman name to another mission before a given month: "UNMISET" before 2002-05 -> UNTAET
  (``mission_kathman`` keeps "UNMISET").
* The file includes political missions and offices with uniformed personnel (UNAMA, UNAMI, UNSMIL,
  UNSOM, UNOWAS, BINUH, LBB = UN Logistics Base Brindisi, ...): kept; the PKO flag is in the
  core table ``un_missions``.
* UNMHA (Hodeidah, Yemen, 2019) has ``missioncountry`` "Ethiopia-Eritrea" but host code -999:
  kept as given (``host_name``), host codes NA.
* Ends December 2019.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field
from analysis.errors import DataError
from analysis.sources._base import (
    ColumnOptions,
    LoaderSpec,
    check_codes,
    raw_path,
    read,
    require_columns,
    require_values,
    source_constants,
    strip_strings,
    to_numeric,
    validate,
)

_C = source_constants("kathman_pko_personnel")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "mission-month_12-2019_kathman.xlsx"
SHEET = "Sheet1"

#: Missing-value code of the file.
MISSING = -999

COLUMNS = [
    "mission", "missioncountry", "missionccode", "missionccode2", "year", "month", "yearmon",
    "troop", "police", "militaryobservers", "total", "total2",
]
COUNTS = {
    "troop": "troops_n",
    "police": "police_n",
    "militaryobservers": "observers_n",
    "total": "personnel_total_n",
    "total2": "personnel_total2_n",
}

_SAME = (
    "BINUB BINUH BNUB BONUCA IPTF LBB MICAH MINUCI MINUGUA MINUJUSTH MINURCA MINURCAT MINURSO "
    "MINUSCA MINUSMA MINUSTAH MIPONUH MONUA MONUC MONUSCO ONUB ONUCA ONUMOZ ONUSAL UNAMA UNAMET "
    "UNAMI UNAMIC UNAMID UNAMIR UNAMSIL UNCRO UNDOF UNFICYP UNIFIL UNIIMOG UNIKOM UNIOGBIS UNIOSIL "
    "UNISFA UNMA UNMC UNMEE UNMHA UNMIBH UNMIH UNMIK UNMIL UNMIN UNMIS UNMISET UNMISS UNMIT UNMOGIP "
    "UNMOP UNMOT UNOA UNOCI UNOMIG UNOMIL UNOMSIL UNOMUR UNOTIL UNOWAS UNPF UNPREDEP UNPROFOR UNPSG "
    "UNSMIH UNSMIL UNSMIS UNSOM UNSOS UNTAC UNTAES UNTAET UNTMIH UNTSO UNVMC"
).split()

#: Kathman's mission name -> ``mission_id_un`` (the UN acronym; the UN list's combined entry for
#: UNOSOM / UNOSOM II / UNAVEM). Acronyms absent from the UN PKO list (political missions,
#: UNTMIH, LBB, ...) keep Kathman's spelling.
MISSION_ID_UN = {m: m for m in _SAME} | {"UNOSOM": "UNOSOM", "UNOSOM II": "UNOSOM", "UNAVEM": "UNAVEM"}

#: Kathman name -> (first month of the mission that name stands for, the mission before it): rows
#: of that name dated before the month belong to the other mission (module docstring).
MISSION_ID_UN_BEFORE = {"UNMISET": ((2002, 5), "UNTAET")}

_count = ColumnOptions(nullable=True, checks=pa.Check.ge(0))
SCHEMA_MONTHLY = pa.DataFrameSchema(
    {
        "mission_id_un": field(
            "mission_id_un",
            pa.Check.str_matches(r"^[A-Z][A-Z0-9 ]*$"),
            description="UN mission acronym, upper case (Kathman's name mapped by MISSION_ID_UN; UNOSOM II "
                        "-> UNOSOM; UNMISET before 2002-05 -> UNTAET by MISSION_ID_UN_BEFORE).",
        ),
        "mission_kathman": pa.Column("string", description="Mission name as spelled by Kathman."),
        "year": field("year", pa.Check.in_range(1990, 2100)),
        "month": field("month"),
        "host_name": pa.Column("string", nullable=True,
                               description="Host as named by Kathman (`missioncountry`), e.g. "
                                           "'India-Pakistan', 'Various', 'Unknown'."),
        "country_id_cow": field(
            "country_id_cow",
            pa.Check.in_range(2, 999),
            nullable=True,
            description="Host, COW state code (`missionccode`); NA where -999 (unknown/various host).",
        ),
        "country_id_cow_2": pa.Column("Int64", pa.Check.in_range(2, 999), nullable=True,
                                      description="Second host of two-country missions, COW code "
                                                  "(`missionccode2`); NA if none or -999."),
        "troops_n": field("troops_n", **_count, description="Troops, persons (`troop`); NA where -999."),
        "police_n": field("police_n", **_count, description="Police, persons (`police`); NA where -999."),
        "observers_n": field(
            "observers_n",
            **_count,
            description="Military observers, persons (`militaryobservers`); NA where -999.",
        ),
        "personnel_total_n": field(
            "personnel_total_n",
            **_count,
            description="Uniformed personnel total as published (`total`), persons; NA where -999; not "
                        "recomputed from parts.",
        ),
        "personnel_total2_n": pa.Column("Int64", **_count,
                                        description="Kathman's `total2`, persons (definition in the "
                                                    "codebook); differs from `total` in 33 rows."),
        "is_total_ne_parts": pa.Column("boolean", nullable=True,
                                       description="True where troops + police + observers differ from "
                                                   "the total; NA when any of them is NA."),
    },
    strict=True,
    unique=["mission_id_un", "year", "month"],
    name="kathman_pko_personnel.monthly",
)


def load_monthly(path: str | Path | None = None) -> pd.DataFrame:
    """UN peacekeeping personnel by mission and month (Kathman).

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per mission-month (primary key ``mission_id_un``, ``year``, ``month``;
        6,175 rows, 1990-01 to 2019-12):

        ``mission_id_un``, ``mission_kathman``, ``year``, ``month`` (Int64), ``host_name``,
        ``country_id_cow``, ``country_id_cow_2`` (Int64 COW codes of the hosts),
        ``troops_n``, ``police_n``, ``observers_n``, ``personnel_total_n``,
        ``personnel_total2_n`` (Int64 persons; NA where the file has -999) and
        ``is_total_ne_parts`` (boolean).
    """
    p = raw_path(SOURCE, FILE, path)
    raw = read(p, pd.read_excel, sheet_name=SHEET, dtype=object, keep_default_na=False, na_values=[""])
    require_columns(raw, COLUMNS, p)
    df = strip_strings(raw[COLUMNS])
    require_values(df, ["mission"], p)
    check_codes(df, "mission", MISSION_ID_UN, p)
    num = {c: to_numeric(df, c, p, dtype="Int64") for c in
           ["missionccode", "missionccode2", "year", "month", *COUNTS]}
    for c, s in num.items():
        neg = s.notna() & (s < 0) & (s != MISSING)
        if neg.any():
            raise DataError(p, f"negative value {s[neg].iloc[0]} (missing is coded {MISSING})",
                            column=c, row=int(neg.to_numpy().nonzero()[0][0]))
        num[c] = s.mask(s == MISSING)
    for c in ("year", "month"):
        if num[c].isna().any():
            raise DataError(p, "required value is missing", column=c,
                            row=int(num[c].isna().to_numpy().nonzero()[0][0]))
    out = pd.DataFrame({
        "mission_id_un": df["mission"].map(MISSION_ID_UN).astype("string"),
        "mission_kathman": df["mission"].astype("string"),
        "year": num["year"],
        "month": num["month"],
        "host_name": df["missioncountry"].astype("string"),
        "country_id_cow": num["missionccode"],
        "country_id_cow_2": num["missionccode2"],
    })
    for name, ((y, m), before) in MISSION_ID_UN_BEFORE.items():
        before_month = (out["year"] < y) | ((out["year"] == y) & (out["month"] < m))
        early = (out["mission_kathman"] == name) & before_month
        out.loc[early.fillna(False), "mission_id_un"] = before
    for c, new in COUNTS.items():
        out[new] = num[c]
    parts = out["troops_n"] + out["police_n"] + out["observers_n"]
    out["is_total_ne_parts"] = (parts != out["personnel_total_n"]).astype("boolean")
    return validate(out, SCHEMA_MONTHLY, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "monthly": LoaderSpec(load_monthly, SCHEMA_MONTHLY, FILE, key=("mission_id_un", "year", "month"),
                          year="year"),
}
