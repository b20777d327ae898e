"""UCDP/PRIO Armed Conflict Dataset v25.1 as shipped in the R package peacesciencer (S. V. Miller).

peacesciencer builds ``ucdp_acd`` from UCDP's own v25.1 release. It is read here as the
**authority for the 25.1 conflict-year keys**: the mirror's other v25.1 file is a third party's
re-export that lost one conflict-year (Bangladesh 2005, conflict 11350, the record after the
re-export's broken China 2008 line), see :mod:`analysis.core.conflict`.

Quirks handled
--------------
* The object is **not** the conflict-year file: it is unnested to one row per conflict x year x
  combination of ``gwno_a`` / ``gwno_a_2nd`` / ``gwno_b`` / ``gwno_b_2nd`` (5,652 rows for 2,752
  conflict-years). :func:`load_conflict_years` collapses it to conflict-years: the year-level
  attributes must agree within a conflict-year (an error names the row otherwise), the state
  codes are joined into sorted ``", "``-separated lists as in UCDP's file.
* It keeps only 15 of UCDP's columns: no side names or ids, no ``gwno_loc``, ``region`` or
  ``territory_name``.
* ``incompatibility`` and ``type_of_conflict`` are labels, not UCDP's codes: mapped with the
  explicit tables :data:`INCOMPATIBILITY` and :data:`TYPE_OF_CONFLICT` ("II" = internationalised
  intrastate, code 4); an unknown label is an error naming the row.
* Codes and years come back from pyreadr as floats: cast to ``Int64``; dates as
  ``datetime.date`` objects: parsed with ``pd.to_datetime``.
* ``ps_data_version.rda`` of the package is stale (it says ACD 20.1); the data are 25.1 (the
  package's documentation title and build script).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pyreadr

from analysis.data.fields import field
from analysis.errors import DataError
from analysis.sources._base import LoaderSpec, check_codes, raw_path, read, source_constants, validate

_C = source_constants("peacesciencer")
SOURCE, TITLE, PRODUCER, VERSION = _C.SOURCE, _C.TITLE, _C.PRODUCER, _C.VERSION
LICENSE, CITATION, YEARS = _C.LICENSE, _C.CITATION, _C.YEARS
FILE_UCDP_ACD = "ucdp_acd.rda"

_CODES = ("gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd")
_YEAR_LEVEL = ("incompatibility", "intensity_level", "type_of_conflict", "start_date", "start_prec",
               "start_date2", "start_prec2", "ep_end", "ep_end_date")
_INTS = ("conflict_id", "year", "intensity_level", "start_prec", "start_prec2", "ep_end")
#: peacesciencer's labels -> UCDP's codes.
INCOMPATIBILITY = {"territory": 1, "government": 2, "both": 3}
TYPE_OF_CONFLICT = {"extrasystemic": 1, "interstate": 2, "intrastate": 3, "II": 4}
_DATES = ("start_date", "start_date2", "ep_end_date")

SCHEMA_UCDP_ACD = pa.DataFrameSchema(
    {
        "conflict_id": field("conflict_id", pa.Check.ge(1), description="UCDP conflict id."),
        "year": field("year", pa.Check.in_range(1946, 2100), description="Year of the conflict-year."),
        "incompatibility": pa.Column("Int64", pa.Check.isin([1, 2, 3]), description="1 territory, 2 "
                                     "government, 3 both."),
        "intensity_level": field("intensity_level", pa.Check.isin([1, 2]),
                                 description="1 minor (25-999 battle deaths), 2 war (1,000+)."),
        "type_of_conflict": pa.Column("Int64", pa.Check.isin([1, 2, 3, 4]),
                                      description="1 extrasystemic, 2 interstate, 3 intrastate, 4 "
                                                  "internationalised intrastate."),
        "start_date": pa.Column("datetime64[ns]", nullable=True, description="Start of the conflict."),
        "start_prec": pa.Column("Int64", nullable=True, description="Precision of start_date (UCDP code)."),
        "start_date2": pa.Column("datetime64[ns]", nullable=True, description="Start of this episode."),
        "start_prec2": pa.Column("Int64", nullable=True, description="Precision of start_date2 (UCDP code)."),
        "ep_end": pa.Column("Int64", pa.Check.isin([0, 1]), nullable=True,
                            description="1 if the episode ends this year."),
        "ep_end_date": pa.Column("datetime64[ns]", nullable=True, description="End date of the episode."),
        **{c: pa.Column("string", pa.Check.str_matches(r"^\d+(, \d+)*$"), nullable=True,
                        description=f"UCDP `{c}`: G-W codes, ', '-separated (from the unnested rows).")
           for c in _CODES},
    },
    strict=True,
    unique=["conflict_id", "year"],
    name="peacesciencer.ucdp_acd",
)


def load_conflict_years(path: str | Path | None = None) -> pd.DataFrame:
    """UCDP/PRIO ACD v25.1 conflict-years from peacesciencer's unnested ``ucdp_acd``.

    Parameters
    ----------
    path
        Read this file instead of the verified raw-cache copy (same format).

    Returns
    -------
    pandas.DataFrame
        One row per (``conflict_id``, ``year``) (2,752 rows, 1946-2024): ``conflict_id``,
        ``year``, ``incompatibility``, ``intensity_level``, ``type_of_conflict``,
        ``start_prec``, ``start_prec2``, ``ep_end`` (Int64), ``start_date``, ``start_date2``,
        ``ep_end_date`` (dates), ``gwno_a``, ``gwno_a_2nd``, ``gwno_b``, ``gwno_b_2nd``
        (``", "``-joined G-W codes; NA where none).
    """
    p = raw_path(SOURCE, FILE_UCDP_ACD, path)
    res = read(p, pyreadr.read_r)
    if not res:
        raise DataError(p, "no R object in file")
    raw = next(iter(res.values())).reset_index(drop=True)
    missing = [c for c in (*_INTS, *_DATES, *_CODES, "incompatibility", "type_of_conflict")
               if c not in raw.columns]
    if missing:
        raise DataError(p, f"missing columns {missing}", column=missing[0])
    df = pd.DataFrame(index=raw.index)
    for c in (*_INTS, *_CODES):
        v = pd.to_numeric(raw[c], errors="coerce")
        bad = (v.notna() & (v.fillna(0) % 1 != 0)) | (v.isna() & raw[c].notna())
        if bad.any():
            raise DataError(p, f"not an integer code: {raw[c][bad].iloc[0]!r}", column=c,
                            row=int(bad.to_numpy().nonzero()[0][0]))
        df[c] = v.astype("Int64")
    for c, labels in (("incompatibility", INCOMPATIBILITY), ("type_of_conflict", TYPE_OF_CONFLICT)):
        check_codes(raw, c, labels, p)
        df[c] = raw[c].map(labels).astype("Int64")
    for c in _DATES:
        df[c] = pd.to_datetime(raw[c], errors="raise")
    key = ["conflict_id", "year"]
    per_key = df.groupby(key)[list(_YEAR_LEVEL)].nunique(dropna=False)
    bad = per_key[(per_key > 1).any(axis=1)]
    if len(bad):
        k = bad.index[0]
        col = str(bad.columns[(bad.iloc[0] > 1).to_numpy()][0])
        row = int(((df["conflict_id"] == k[0]) & (df["year"] == k[1])).to_numpy().nonzero()[0][0])
        raise DataError(p, f"conflict-year {k} has more than one value", column=col, row=row)
    g = df.groupby(key, sort=True)
    out = g[list(_YEAR_LEVEL)].first()
    for c in _CODES:
        out[c] = g[c].agg(lambda s: ", ".join(str(x) for x in sorted(set(s.dropna()))) or pd.NA)
        out[c] = out[c].astype("string")
    out = out.reset_index()
    return validate(out[list(SCHEMA_UCDP_ACD.columns)], SCHEMA_UCDP_ACD, p)


#: Loaders of this source, for the all-sources test and ``peaceops data check``.
LOADERS = {
    "conflict_years": LoaderSpec(load_conflict_years, SCHEMA_UCDP_ACD, FILE_UCDP_ACD,
                                 key=("conflict_id", "year")),
}
