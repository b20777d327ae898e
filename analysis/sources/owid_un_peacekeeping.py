"""UN peacekeeping force size by year (Our World in Data, from UN monthly summaries).

Quirks handled
--------------
* Long column names ending in `` (United Nations Peacekeeping)`` are renamed.
* Breakdown columns (troops, police, observers) are 0 before 1992, where only
  the total is known: those zeros are set to NA, not kept as zeros.
* The 2022 row has only the mission count: its personnel values stay NA.
* Values are December figures (November in 1998).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field
from analysis.sources._base import (
    ColumnOptions,
    LoaderSpec,
    raw_path,
    read,
    require_columns,
    source_constants,
    to_numeric,
    validate,
)

_C = source_constants("owid_un_peacekeeping")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE = "united_nations_peacekeeping.csv"

#: First year with a troops / police / observers breakdown; earlier zeros mean "not reported".
FIRST_BREAKDOWN_YEAR = 1992

_SUFFIX = " (United Nations Peacekeeping)"
RENAME = {
    "Year": "year",
    "Number of peacekeeping missions" + _SUFFIX: "missions_n",
    "Size of total peacekeeping force" + _SUFFIX: "personnel_total_n",
    "Civilian police (peacekeepers)" + _SUFFIX: "police_n",
    "Military Observers and staff officers (peacekeepers)" + _SUFFIX: "observers_n",
    "Troops (peacekeepers)" + _SUFFIX: "troops_n",
}

_count = ColumnOptions(nullable=True, checks=pa.Check.ge(0))
SCHEMA_YEARLY = pa.DataFrameSchema(
    {
        "year": field(
            "year",
            pa.Check.in_range(1947, 2100),
            unique=True,
            description="Calendar year (December value; November in 1998).",
        ),
        "missions_n": pa.Column("Int64", **_count, description="Active UN peacekeeping missions."),
        "personnel_total_n": field(
            "personnel_total_n",
            **_count,
            description="Uniformed personnel, persons.",
        ),
        "troops_n": field("troops_n", **_count, description="Troops, persons; NA before 1992."),
        "police_n": field("police_n", **_count, description="Police, persons; NA before 1992."),
        "observers_n": field(
            "observers_n",
            **_count,
            description="Military observers and staff officers, persons; NA before 1992.",
        ),
    },
    strict=True,
    name="owid_un_peacekeeping.yearly",
)


def load_yearly(path: str | Path | None = None) -> pd.DataFrame:
    """World totals of UN peacekeeping personnel by year.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per year (primary key ``year``), 1947-2022:

        ``year`` (Int64), ``missions_n`` (missions), ``personnel_total_n``,
        ``troops_n``, ``police_n``, ``observers_n`` (persons, December).
        Breakdowns are NA before 1992; the 2022 row has only ``missions_n``.
    """
    p = raw_path(SOURCE, FILE, path)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=[""])
    require_columns(raw, ["Entity", *RENAME], p)
    df = raw.rename(columns=RENAME)[list(RENAME.values())].copy()
    for c in df.columns:
        df[c] = to_numeric(df, c, p, dtype="Int64")
    early = df["year"] < FIRST_BREAKDOWN_YEAR
    for c in ("troops_n", "police_n", "observers_n"):
        df.loc[early & (df[c] == 0), c] = pd.NA
    return validate(df, SCHEMA_YEARLY, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {"yearly": LoaderSpec(load_yearly, SCHEMA_YEARLY, FILE, key=("year",), year="year")}
