"""Jihadist conflict: where Islamist groups fight, where AQ and IS affiliates emerged."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.studies.claims.base import (
    NOW_YEARS,
    ClaimVerdict,
    _claim,
    _count_tier,
    _isin,
    _table,
    _true,
    _vintage,
)
from analysis.vocabulary import host_region

_JIH_TABLES = ("ucdp_conflict_years", "ucdp_conflict_locations", "country_codes", "curated.jihadist_actors")
_JIH_SRC = ("ucdp_acd", "cov_isard", "curated/jihadist_actors.csv")


def region_label(cc: pd.DataFrame) -> pd.Series:
    """Africa (``is_africa``), Middle East (G-W region minus African states), else the G-W region
    (:func:`analysis.vocabulary.host_region`, the rule the panels use)."""
    return pd.Series([host_region(a, r) for a, r in zip(cc["is_africa"], cc["region"])], index=cc.index,
                     dtype="string")


def jihadist_countries(
    acd: pd.DataFrame, loc: pd.DataFrame, cc: pd.DataFrame, actors: pd.DataFrame
) -> pd.DataFrame:
    """Countries with a UCDP/PRIO conflict with a jihadist side (``actors.is_jihadist``), by year and region.

    Returns
    -------
    pandas.DataFrame
        ``country_id_gw``, ``year``, ``jihadist_conflicts_n``, ``region`` (:func:`region_label`).
    """
    from analysis.panels.hosts import jihadist_conflict_years

    j = jihadist_conflict_years(acd, loc, actors)
    c = cc[["country_id_gw", "year"]].assign(region=region_label(cc))
    return j.merge(c, on=["country_id_gw", "year"], how="left").fillna({"region": "unknown"})


@_claim("islamist_groups_africa_vs_middle_east", tables=_JIH_TABLES, sources=_JIH_SRC)
def islamist_groups_africa_vs_middle_east(tables: Mapping[str, pd.DataFrame]) -> ClaimVerdict:
    """Radical Islamist groups are now more widespread in Africa than in the Middle East."""
    acd = _table(tables, "ucdp_conflict_years", ["conflict_id", "year", "side_a_id", "side_b_id"])
    loc = _table(tables, "ucdp_conflict_locations", ["conflict_id", "year", "country_id_gw"])
    cc = _table(tables, "country_codes", ["country_id_gw", "year", "region", "is_africa"])
    actors = _table(tables, "curated.jihadist_actors", ["ucdp_actor_id", "is_jihadist", "affiliation"])

    def by_region(act: pd.DataFrame) -> pd.DataFrame:
        j = jihadist_countries(acd, loc, cc, act)
        t = j.groupby(["year", "region"]).agg(
            countries_n=("country_id_gw", "nunique"), conflicts_n=("jihadist_conflicts_n", "sum")
        )
        return t.unstack("region", fill_value=0)

    main = by_region(actors)
    wide_actors = actors.assign(
        is_jihadist=_isin(actors["affiliation"], ("AQ", "IS", "other")).astype("boolean")
    )
    wide = by_region(wide_actors)
    years = [y for y in range(NOW_YEARS[0], NOW_YEARS[1] + 1) if y in set(acd["year"].astype(int))]

    def get(t: pd.DataFrame, what: str, region: str, y: int) -> int:
        col = (what, region)
        return int(t.loc[y, col]) if col in t.columns and y in t.index else 0

    comp = pd.DataFrame(
        {
            "year": years,
            "africa_n": [get(main, "countries_n", "Africa", y) for y in years],
            "middle_east_n": [get(main, "countries_n", "Middle East", y) for y in years],
            "africa_wide_n": [get(wide, "countries_n", "Africa", y) for y in years],
            "middle_east_wide_n": [get(wide, "countries_n", "Middle East", y) for y in years],
            "africa_conflicts_n": [get(main, "conflicts_n", "Africa", y) for y in years],
            "middle_east_conflicts_n": [get(main, "conflicts_n", "Middle East", y) for y in years],
        }
    )
    more = comp["africa_n"] > comp["middle_east_n"]
    verdict = (
        "supported" if len(comp) and more.all() else "partly supported" if more.any() else "contradicted"
    )
    last = comp.iloc[-1] if len(comp) else None
    ours = (
        round(last["africa_n"] / last["middle_east_n"], 2)
        if last is not None and last["middle_east_n"]
        else None
    )
    detail = main["countries_n"].stack().rename("countries_n").reset_index()
    caveat = (
        "Countries with a UCDP/PRIO conflict (>= 25 battle deaths a year) with an AQ- or IS-affiliated side, "
        f"{years[0] if years else ''}-{years[-1] if years else ''}: Africa "
        f"{', '.join(map(str, comp['africa_n']))} vs Middle East "
        f"{', '.join(map(str, comp['middle_east_n']))}. "
        f"Adding Islamist groups without AQ/IS ties: Africa {', '.join(map(str, comp['africa_wide_n']))} vs "
        f"Middle East {', '.join(map(str, comp['middle_east_wide_n']))}. UCDP codes all IS branches as one "
        "actor and Syria's non-IS insurgents as one unclassified aggregate, so groups are compared through "
        "the countries they fight in; groups below the 25-death threshold are not counted."
    )
    return ClaimVerdict(
        "islamist_groups_africa_vs_middle_east",
        verdict,
        ours,
        None,
        (
            f"countries with a jihadist conflict, Africa / Middle East, {int(last['year'])} "
            f"({int(last['africa_n'])} / {int(last['middle_east_n'])})"
        )
        if last is not None
        else "",
        _vintage("islamist_groups_africa_vs_middle_east"),
        caveat,
        detail=detail,
        sensitivity=comp,
    )


def actor_emergence(
    acd: pd.DataFrame, loc: pd.DataFrame, cc: pd.DataFrame, actors: pd.DataFrame
) -> pd.DataFrame:
    """First and last ACD conflict-year of each jihadist actor in African and other states.

    Returns
    -------
    pandas.DataFrame
        ``ucdp_actor_id``, ``actor``, ``affiliation``, ``in_africa`` (bool), ``first_year``,
        ``last_year``, ``countries_n``.
    """
    j = actors[_true(actors["is_jihadist"])]
    ids_a = acd["side_a_id"].astype("string").fillna("").str.split(",")
    ids_b = acd["side_b_id"].astype("string").fillna("").str.split(",")
    c = cc[["country_id_gw", "year", "is_africa"]]
    rows = []
    for a in j.itertuples():
        aid = str(int(a.ucdp_actor_id))
        hit = [aid in {i.strip() for i in la} | {i.strip() for i in lb} for la, lb in zip(ids_a, ids_b)]
        m = acd.loc[hit, ["conflict_id", "year"]]
        lx = loc.merge(m, on=["conflict_id", "year"]).merge(c, on=["country_id_gw", "year"], how="left")
        lx["in_africa"] = _true(lx["is_africa"])
        for af, g in lx.groupby("in_africa"):
            rows.append(
                {
                    "ucdp_actor_id": int(a.ucdp_actor_id),
                    "actor": str(a.ucdp_name),
                    "affiliation": str(a.affiliation),
                    "in_africa": bool(af),
                    "first_year": int(g["year"].min()),
                    "last_year": int(g["year"].max()),
                    "countries_n": int(g["country_id_gw"].nunique()),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "ucdp_actor_id",
            "actor",
            "affiliation",
            "in_africa",
            "first_year",
            "last_year",
            "countries_n",
        ],
    )


@_claim("aq_is_affiliates_emerged_africa_21c", tables=_JIH_TABLES, sources=_JIH_SRC)
def aq_is_affiliates_emerged_africa_21c(
    tables: Mapping[str, pd.DataFrame], *, threshold: float = 5
) -> ClaimVerdict:
    """Many AQ/IS-affiliated groups emerged in Africa in the 21st century."""
    acd = _table(tables, "ucdp_conflict_years", ["conflict_id", "year", "side_a_id", "side_b_id"])
    loc = _table(tables, "ucdp_conflict_locations", ["conflict_id", "year", "country_id_gw"])
    cc = _table(tables, "country_codes", ["country_id_gw", "year", "is_africa"])
    actors = _table(
        tables, "curated.jihadist_actors", ["ucdp_actor_id", "ucdp_name", "affiliation", "is_jihadist"]
    )
    e = actor_emergence(acd, loc, cc, actors)
    af = e[e["in_africa"]].sort_values("first_year").reset_index(drop=True)
    af["emerged_21c"] = af["first_year"] >= 2000
    k = int(af["emerged_21c"].sum())
    older = af.loc[~af["emerged_21c"], "actor"].tolist()
    caveat = (
        f"AQ/IS-affiliated actors (curated) first fighting a UCDP/PRIO conflict located in Africa in 2000 or "
        f"later: {k} ({', '.join(f'{r.actor} {r.first_year}' for r in af[af.emerged_21c].itertuples())})."
        + (f" Earlier: {', '.join(older)}." if older else "")
        + " UCDP codes all IS branches (ISWAP, IS Sahel, ISCAP, Sinai...) as one actor, so this is a lower "
        "bound; groups below 25 battle deaths a year are missing; affiliation is the curated coding "
        "(pledges or formal branches)."
    )
    return ClaimVerdict(
        "aq_is_affiliates_emerged_africa_21c",
        _count_tier(k, int(threshold), 2),
        k,
        None,
        "AQ/IS-affiliated actors whose first conflict-year in Africa is 2000 or later",
        _vintage("aq_is_affiliates_emerged_africa_21c"),
        caveat,
        detail=af,
    )


