"""Cline Center Coup d'État Project Dataset v2.1.2: coups, attempted coups and conspiracies, 1945-2022.

Used for robustness checks against Powell & Thyne (definitions differ: the Cline
Center also codes conspiracies, auto-coups, forced resignations and popular
revolts).

Quirks handled
--------------
* CRLF line ends and quoted strings (``pandas.read_csv`` handles both).
* ``coup_id`` is read as a string: it has leading zeros (``00201062021``,
  the USA) and suffixed ids for two events on the same day
  (``53002031977_1``/``_2``, ``70501052022_1``/``_2``). Its parts (3-digit
  code + ``MMDDYYYY``) must agree with ``cowcode`` and the date columns;
  otherwise an error names the row.
* ``event_type`` is ``coup``/``attempted``/``conspiracy`` (441/349/191) and
  must agree with the 0/1 indicators ``realized``, ``attempt``,
  ``conspiracy`` and ``unrealized`` (checked, error names the row).
* The other indicators are 0/1 integers; they become booleans (``is_...``).
* ``cowcode`` follows COW with the Cline Center's own changes (codebook, Table
  3): Serbia is 340 from 1992 (COW 345) and Russia 393 from 1991 (COW 365).
  Not in that table but in the data: unified Germany is 260 (the 2022-12-08
  conspiracy; COW 260 is West Germany to 1990, unified Germany is COW 255).
  The code as given is kept as ``country_id_cline``; ``country_id_cow`` is the
  canonical COW code (340 -> 345 from 1992, 393 -> 365 from 1991, 260 -> 255
  from 1991; :data:`CLINE_TO_COW`).
* Version 2.1.2 ends in 2022: the Niger 2023-07 and Gabon 2023-08 coups are
  absent, and so is Guinea 2021-09-05 (which Powell & Thyne code).
* Day-precision dates in ``year``/``month``/``day``; an impossible date is an
  error naming the row.
"""

from __future__ import annotations

from pathlib import Path

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

_C = source_constants("coups_cline_center")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "Coup_data_2.1.2.csv"

EVENT_TYPES = ("coup", "attempted", "conspiracy")
#: Cline Center code -> (canonical COW code, first year of the change): codebook v2.1.2, Table 3
#: (Serbia, Russia), and unified Germany coded 260 in the data.
CLINE_TO_COW = {340: (345, 1992), 393: (365, 1991), 260: (255, 1991)}

#: 0/1 indicators (codebook v2.1.2, Table 2): upstream -> (name here, description).
INDICATORS = {
    "unrealized": ("is_unrealized", "unsuccessful coup or plot (attempt or conspiracy)"),
    "realized": ("is_realized", "successful coup"),
    "conspiracy": ("is_conspiracy", "coup conspiracy thwarted prior to execution"),
    "attempt": ("is_attempt", "coup attempted but failed"),
    "military": ("is_military", "military coup/attempt/conspiracy (active military not part of the "
                                "governing apparatus)"),
    "dissident": ("is_dissident", "dissident coup/attempt/conspiracy (small group of discontents)"),
    "rebel": ("is_rebel", "rebel coup/attempt/conspiracy (organized armed group fighting the government)"),
    "palace": ("is_palace", "palace coup/attempt/conspiracy (faction within the government)"),
    "foreign": ("is_foreign", "foreign-backed coup/attempt/conspiracy"),
    "auto": ("is_auto", "auto-coup (the chief executive eliminates or disempowers other branches)"),
    "resign": ("is_resign", "forced resignation"),
    "popular": ("is_popular", "popular revolt"),
    "counter": ("is_counter", "counter-coup (within a month of a realized coup)"),
    "other": ("is_other", "initiators fit no other category or were not identified"),
    "noharm": ("is_noharm", "deposed executive not injured or killed"),
    "injured": ("is_injured", "deposed executive injured"),
    "killed": ("is_killed", "deposed executive killed"),
    "harrest": ("is_harrest", "deposed executive placed under house arrest"),
    "jailed": ("is_jailed", "deposed executive arrested, detained or jailed"),
    "tried": ("is_tried", "deposed executive tried"),
    "fled": ("is_fled", "deposed executive fled the country"),
    "exile": ("is_exile", "deposed executive banished from the country"),
}
COLUMNS = ("coup_id", "cowcode", "country", "year", "month", "day", "event_type", *INDICATORS)

_F = raw_file(SOURCE, FILE)
_fields: dict[str, pa.Column] = {
    "coup_id": field(
        "coup_id",
        pa.Check.str_matches(r"^\d{11}(_\d+)?$"),
        nullable=False,
        unique=True,
        description="Cline Center event id: 3-digit country code + MMDDYYYY, with a suffix _1, _2 for two "
                    "events on one day; a string (leading zeros kept).",
    ),
    "country_id_cline": pa.Column("Int64", pa.Check.in_range(1, 999), nullable=False,
                                  description="Country code as given (`cowcode`): COW with the Cline "
                                              "Center's changes (Serbia 340 from 1992, Russia 393 from "
                                              "1991, unified Germany 260)."),
    "country_id_cow": field(
        "country_id_cow",
        nullable=False,
        description="Canonical Correlates of War code (Cline 340 -> 345 from 1992, 393 -> 365 and 260 -> "
                    "255 from 1991; otherwise `cowcode`).",
    ),
    "country_name": field("country_name", nullable=False, description="Country name (Cline Center)."),
    "year": field(
        "year",
        pa.Check.in_range(_F.year_start, _F.year_end),
        nullable=False,
        description="Year of the event.",
    ),
    "month": field("month", nullable=False),
    "day": field("day", nullable=False),
    "date": pa.Column("datetime64[ns]", nullable=False, description="Date of the event (day precision)."),
    "event_type": pa.Column("string", pa.Check.isin(EVENT_TYPES), nullable=False,
                            description="coup (realized), attempted (failed attempt) or conspiracy "
                                        "(plot thwarted before execution)."),
}
for _up, (_new, _desc) in INDICATORS.items():
    _fields[_new] = pa.Column("boolean", nullable=False, description=f"True if {_desc} (`{_up}`).")
SCHEMA_EVENTS = pa.DataFrameSchema(_fields, strict=True, name="coups_cline_center.events")


def _first_bad(mask: pd.Series) -> int:
    return int(mask.fillna(True).to_numpy().nonzero()[0][0])


def load_events(path: str | Path | None = None) -> pd.DataFrame:
    """Cline Center coup events (coups, attempts, conspiracies), 1945-2022.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        981 rows, primary key ``coup_id`` (string). Columns: ``coup_id``,
        ``country_id_cline`` (Int64, code as given), ``country_id_cow``
        (Int64, canonical COW), ``country_name`` (string), ``year``,
        ``month``, ``day`` (Int64), ``date`` (datetime64[ns]), ``event_type``
        (string: coup / attempted / conspiracy), and booleans
        ``is_unrealized``, ``is_realized``, ``is_conspiracy``, ``is_attempt``
        (outcome), ``is_military``, ``is_dissident``, ``is_rebel``,
        ``is_palace``, ``is_foreign``, ``is_auto``, ``is_resign``,
        ``is_popular``, ``is_counter``, ``is_other`` (initiator / type, not
        exclusive), ``is_noharm``, ``is_injured``, ``is_killed``,
        ``is_harrest``, ``is_jailed``, ``is_tried``, ``is_fled``,
        ``is_exile`` (fate of the deposed executive).
    """
    p = raw_path(SOURCE, FILE, path)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, encoding="utf-8")
    require_columns(raw, COLUMNS, p)
    df = strip_strings(raw[list(COLUMNS)])
    for c in ("cowcode", "year", "month", "day", *INDICATORS):
        df[c] = to_numeric(df, c, p, dtype="Int64")
    for c in INDICATORS:
        check_codes(df, c, (0, 1), p)
    check_codes(df, "event_type", EVENT_TYPES, p)
    check_codes(df, "month", range(1, 13), p)
    check_codes(df, "day", range(1, 32), p)
    ymd = (df["year"].astype("string") + "-" + df["month"].astype("string") + "-"
           + df["day"].astype("string"))
    df["date"] = to_date(df.assign(date=ymd), "date", p, format="%Y-%m-%d")
    # event_type and the outcome indicators must agree
    et = df["event_type"]
    expect = {"realized": et == "coup", "attempt": et == "attempted", "conspiracy": et == "conspiracy",
              "unrealized": et != "coup"}
    for c, want in expect.items():
        bad = (df[c] == 1) != want
        if bad.fillna(True).any():
            raise DataError(p, f"{c!r} disagrees with event_type {et.iloc[_first_bad(bad)]!r}", column=c,
                            row=_first_bad(bad))
    # coup_id = 3-digit code + MMDDYYYY (+ optional suffix)
    cid = df["coup_id"].fillna("")
    stem = (df["cowcode"].astype("string").str.zfill(3) + df["month"].astype("string").str.zfill(2)
            + df["day"].astype("string").str.zfill(2) + df["year"].astype("string"))
    bad = cid.str.slice(0, 11) != stem
    if bad.fillna(True).any():
        raise DataError(p, f"coup_id {cid.iloc[_first_bad(bad)]!r} disagrees with cowcode/date",
                        column="coup_id", row=_first_bad(bad))
    cow = df["cowcode"].copy()
    for cline, (canon, since) in CLINE_TO_COW.items():
        cow = cow.mask((df["cowcode"] == cline) & (df["year"] >= since), canon)
    out = pd.DataFrame({
        "coup_id": df["coup_id"],
        "country_id_cline": df["cowcode"],
        "country_id_cow": cow,
        "country_name": df["country"],
        "year": df["year"],
        "month": df["month"],
        "day": df["day"],
        "date": df["date"],
        "event_type": df["event_type"],
    })
    for c, (new, _desc) in INDICATORS.items():
        out[new] = (df[c] == 1).astype("boolean")
    return validate(out, SCHEMA_EVENTS, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {"events": LoaderSpec(load_events, SCHEMA_EVENTS, FILE, key=("coup_id",), year="year")}
