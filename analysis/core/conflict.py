"""Armed conflict: UCDP/PRIO conflict-years, their location states, and UCDP country-year deaths.

Core tables
-----------
``ucdp_conflict_years``
    UCDP/PRIO ACD v25.1, one row per conflict-year, 1946-2024 (the record split
    across two lines in the re-export is re-joined), with the **keys of
    peacesciencer's ucdp_acd** (built from UCDP's own 25.1 release) as the authority:
    the one conflict-year the re-export lost (Bangladesh 2005, conflict 11350) is added
    from it (:func:`add_missing_keys`; 2,752 rows). Adds ``country_id_gw_location``,
    the first G-W code of ``gwno_loc``.
``ucdp_conflict_locations``
    The same conflict-years in long form: one row per conflict-year and
    location state (``gwno_loc`` split on ", "), for country-year panels.
``ucdp_country_years``
    UCDP's country-year dataset on organized violence v25.1 (G-W codes,
    1989-2024): deaths in state-based, non-state and one-sided violence, dyad
    counts and dyad id/name lists. Zeros are real zeros inside 1989-2024 (the
    file has no missing values); a panel joined to it must leave years outside
    1989-2024 NA.

:func:`crosscheck_acd_versions` compares v25.1 with v22.1 over their common years
(1946-2021) and reports the agreement of conflict-years and intensity; UCDP
revises earlier years between releases, so exact equality is not expected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.core.schemas import (
    _ACD,
    _OV,
    SCHEMA_UCDP_CONFLICT_LOCATIONS,
    SCHEMA_UCDP_CONFLICT_YEARS,
    SCHEMA_UCDP_COUNTRY_YEARS,
)
from analysis.data.tables import table
from analysis.sources import peacesciencer, ucdp_acd, ucdp_organized_violence_cy

#: Conflict-level columns (names, ids, places): constant over a conflict's years in ACD 25.1.
CONFLICT_LEVEL = ("location", "side_a", "side_a_id", "side_a_2nd", "side_b", "side_b_id", "side_b_2nd",
                  "territory_name", "gwno_loc", "region")


def add_missing_keys(acd: pd.DataFrame, authority: pd.DataFrame) -> pd.DataFrame:
    """``acd`` with the conflict-years of ``authority`` (peacesciencer) that it lacks.

    A missing conflict-year takes its year-level values (intensity, type, incompatibility,
    dates, the sides' G-W codes) from ``authority``; its conflict-level columns
    (:data:`CONFLICT_LEVEL`) from the conflict's other years in ``acd`` where they all agree
    (NA otherwise); ``cumulative_intensity`` by its definition (1 once the conflict has reached
    war intensity in that year or before). ``is_key_from_peacesciencer`` marks the added rows. A
    key of ``acd`` absent from ``authority`` is an error.
    """
    key = ["conflict_id", "year"]
    have = acd.set_index(key).index
    auth = authority.set_index(key)
    extra = have.difference(auth.index)
    if len(extra):
        raise ValueError(f"ACD conflict-years not in peacesciencer's ucdp_acd: {list(extra)[:5]}")
    missing = auth.index.difference(have)
    out = acd.assign(is_key_from_peacesciencer=pd.array([False] * len(acd), dtype="boolean"))
    if not len(missing):
        return out
    add = auth.loc[missing].reset_index()
    for c in CONFLICT_LEVEL:
        per = acd.groupby("conflict_id")[c].agg(
            lambda s: s.iloc[0] if s.nunique(dropna=False) == 1 else pd.NA)
        add[c] = add["conflict_id"].map(per).astype(acd[c].dtype)
    both = pd.concat([acd[["conflict_id", "year", "intensity_level"]],
                      add[["conflict_id", "year", "intensity_level"]]]).sort_values(key)
    war = (both["intensity_level"] == 2).astype(int).groupby(both["conflict_id"]).cummax()
    cum = dict(zip(zip(both["conflict_id"], both["year"]), war))
    add["cumulative_intensity"] = [cum[k] for k in zip(add["conflict_id"], add["year"])]
    add["is_key_from_peacesciencer"] = pd.array([True] * len(add), dtype="boolean")
    add = add.reindex(columns=out.columns).astype(out.dtypes.to_dict())
    return pd.concat([out, add], ignore_index=True)

# --------------------------------------------------------------------------- ucdp_conflict_years


def first_code(codes: pd.Series) -> pd.Series:
    """First integer of each comma-separated code list (``"651, 666"`` -> 651), Int64."""
    return pd.to_numeric(codes.str.split(",").str[0].str.strip(), errors="raise").astype("Int64")


@table(
    "ucdp_conflict_years",
    primary_key=("conflict_id", "year"),
    unit="conflict-year",
    coverage=f"{_ACD.year_start}-{_ACD.year_end}",
    sources=("ucdp_acd", "peacesciencer"),
    schema=SCHEMA_UCDP_CONFLICT_YEARS,
)
def build_ucdp_conflict_years(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """UCDP/PRIO armed conflicts, one row per conflict-year, 1946-2024 (ACD v25.1).

    Columns as in :func:`analysis.sources.ucdp_acd.load_conflict_years`
    (strings stripped, dates parsed, the split 11349/2008 record re-joined),
    plus ``country_id_gw_location`` (Int64), the first G-W code of ``gwno_loc``.
    Multi-state fields (``gwno_*``, ``region``, actor ids) stay comma-separated
    strings. Only conflict-years (>= 25 battle-related deaths) are rows; a
    country-year panel built from this table has 0 conflicts only inside
    1946-2024.
    """
    df = add_missing_keys(ucdp_acd.load_conflict_years(), peacesciencer.load_conflict_years())
    df["country_id_gw_location"] = first_code(df["gwno_loc"])
    return df.sort_values(["conflict_id", "year"]).reset_index(drop=True)


# --------------------------------------------------------------------------- ucdp_conflict_locations


@table(
    "ucdp_conflict_locations",
    primary_key=("conflict_id", "year", "country_id_gw"),
    unit="conflict-year x location state",
    coverage=f"{_ACD.year_start}-{_ACD.year_end}",
    sources=("ucdp_acd",),
    schema=SCHEMA_UCDP_CONFLICT_LOCATIONS,
    depends=("ucdp_conflict_years",),
)
def build_ucdp_conflict_locations(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """UCDP/PRIO conflict-years in long form: one row per location state (G-W).

    ``gwno_loc`` of each row of ``ucdp_conflict_years`` is split on ", ";
    ``location_order`` keeps the position in the list and ``locations_n`` its
    length. Intensity and type are the whole conflict-year's (UCDP does not
    split them by state).
    """
    cy = deps["ucdp_conflict_years"]
    parts = cy["gwno_loc"].astype("string").str.split(",")
    long = cy[["conflict_id", "year", "incompatibility", "intensity_level", "type_of_conflict"]].assign(
        _codes=parts, locations_n=parts.str.len().astype("Int64"))
    long = long.explode("_codes")
    long["location_order"] = (long.groupby(level=0).cumcount() + 1).astype("Int64")
    long["country_id_gw"] = pd.to_numeric(long["_codes"].str.strip(), errors="raise").astype("Int64")
    cols = list(SCHEMA_UCDP_CONFLICT_LOCATIONS.columns)
    return long[cols].sort_values(["conflict_id", "year", "location_order"]).reset_index(drop=True)


# --------------------------------------------------------------------------- v25.1 vs v22.1

@dataclass(frozen=True)
class AcdCrossCheck:
    """Agreement of two ACD versions over their common years.

    Attributes
    ----------
    years
        First and last common year.
    n_new, n_old
        Conflict-years of each version in those years.
    n_both
        Conflict-years present in both (same ``conflict_id`` and ``year``).
    only_new, only_old
        Keys (``conflict_id``, ``year``) present in one version only.
    intensity_agree
        Share of common conflict-years with the same ``intensity_level``.
    type_agree
        Share of common conflict-years with the same ``type_of_conflict``.
    """

    years: tuple[int, int]
    n_new: int
    n_old: int
    n_both: int
    only_new: pd.DataFrame
    only_old: pd.DataFrame
    intensity_agree: float
    type_agree: float

    @property
    def key_agree(self) -> float:
        """Share of conflict-years of either version present in both (Jaccard)."""
        union = self.n_new + self.n_old - self.n_both
        return self.n_both / union if union else 1.0

    def summary(self) -> str:
        """One line for logs and reports."""
        return (f"ACD {self.years[0]}-{self.years[1]}: {self.n_new} vs {self.n_old} conflict-years, "
                f"{self.n_both} in both ({self.key_agree:.1%}); {len(self.only_new)} only new, "
                f"{len(self.only_old)} only old; intensity agrees in {self.intensity_agree:.1%}, "
                f"type in {self.type_agree:.1%}")


def crosscheck_acd_versions(new: pd.DataFrame, old: pd.DataFrame) -> AcdCrossCheck:
    """Compare two ACD conflict-year tables over their common years.

    Parameters
    ----------
    new, old
        Frames with ``conflict_id``, ``year``, ``intensity_level`` and
        ``type_of_conflict`` (e.g. ``ucdp_conflict_years`` and
        :func:`analysis.sources.ucdp_acd.load_conflict_years_v22`).

    Returns
    -------
    AcdCrossCheck
        Counts, the keys in one version only, and agreement shares.
    """
    lo = int(max(new["year"].min(), old["year"].min()))
    hi = int(min(new["year"].max(), old["year"].max()))
    cols = ["conflict_id", "year", "intensity_level", "type_of_conflict"]
    a = new.loc[new["year"].between(lo, hi), cols]
    b = old.loc[old["year"].between(lo, hi), cols]
    m = a.merge(b, on=["conflict_id", "year"], how="outer", suffixes=("_new", "_old"), indicator=True)
    both = m[m["_merge"] == "both"]
    key = ["conflict_id", "year"]

    def share(c: str) -> float:
        return float((both[f"{c}_new"] == both[f"{c}_old"]).mean()) if len(both) else float("nan")

    return AcdCrossCheck(
        years=(lo, hi), n_new=len(a), n_old=len(b), n_both=len(both),
        only_new=m.loc[m["_merge"] == "left_only", key].reset_index(drop=True),
        only_old=m.loc[m["_merge"] == "right_only", key].reset_index(drop=True),
        intensity_agree=share("intensity_level"), type_agree=share("type_of_conflict"),
    )


# --------------------------------------------------------------------------- ucdp_country_years


@table(
    "ucdp_country_years",
    primary_key=("country_id_gw", "year"),
    unit="country-year",
    coverage=f"{_OV.year_start}-{_OV.year_end}",
    sources=("ucdp_organized_violence_cy",),
    schema=SCHEMA_UCDP_COUNTRY_YEARS,
)
def build_ucdp_country_years(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Organized-violence deaths by G-W country-year, 1989-2024 (UCDP v25.1).

    Key columns: ``deaths_state_based_n``, ``deaths_non_state_n``,
    ``deaths_one_sided_n`` (best estimates, persons) with ``_low_n`` /
    ``_high_n``; ``dyads_<type>_n`` counts and ``dyad_ids_<type>`` /
    ``dyad_names_<type>`` ("; " lists, NA when none) for state-based,
    intrastate, interstate, non-state and one-sided violence. Every column is
    listed in :func:`analysis.sources.ucdp_organized_violence_cy.load_country_years`.
    Zeros are real zeros (no violence recorded) inside 1989-2024: the file has
    no missing values. Outside 1989-2024 there are no rows, and panels must
    leave those years NA.
    """
    df = ucdp_organized_violence_cy.load_country_years()
    return df.sort_values(["country_id_gw", "year"]).reset_index(drop=True)
