"""Mandates: protection of civilians and Chapter VII in the large 21st-century missions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.studies.claims.base import (
    LARGE_MISSION_N,
    ClaimVerdict,
    _claim,
    _table,
    _true,
    _vintage,
    judge_levels,
)


def _any3(s: pd.Series) -> Any:
    """Three-valued any: True if any True, False if all coded are False, NA if none coded."""
    s = s.astype("boolean")
    if s.fillna(False).any():
        return True
    return False if s.notna().any() else pd.NA


def mission_table(my: pd.DataFrame, um: pd.DataFrame) -> pd.DataFrame:
    """One row per UN PKO of the mission panel: start, peak strength and PoC mandate.

    Returns
    -------
    pandas.DataFrame
        ``mission_id_un``, ``date_start``, ``start_year``, ``peak_personnel_n`` (largest
        yearly mean uniformed strength, NA when never known), ``has_poc_mandate``
        (three-valued any over years), ``first_poc_year``.
    """
    g = my.groupby("mission_id_un")
    out = pd.DataFrame(
        {
            "peak_personnel_n": g["personnel_total_n"].max().astype("Float64"),
            "has_poc_mandate": g["has_poc_mandate"].agg(_any3).astype("boolean"),
        }
    )
    poc_years = my[_true(my["has_poc_mandate"])].groupby("mission_id_un")["year"].min()
    out["first_poc_year"] = poc_years.reindex(out.index).astype("Int64")
    out.index = out.index.astype(str)
    pk = um[_true(um["is_peacekeeping"])][["mission_id_un", "date_start"]].copy()
    pk["mission_id_un"] = pk["mission_id_un"].astype(str)
    out = out.reset_index().merge(pk, on="mission_id_un", how="left")
    out["start_year"] = out["date_start"].dt.year.astype("Int64")
    return out[
        ["mission_id_un", "date_start", "start_year", "peak_personnel_n", "has_poc_mandate", "first_poc_year"]
    ]


def _poc_share(t: pd.DataFrame) -> tuple[float, int, int]:
    coded = t["has_poc_mandate"].notna()
    n_true = int(_true(t["has_poc_mandate"]).sum())
    n = int(coded.sum())
    return (n_true / n if n else np.nan), n_true, n


@_claim(
    "large_21c_missions_have_poc",
    tables=("un_missions", "mission_years"),
    sources=(
        "un_pko_missions",
        "kathman_pko_personnel",
        "pema",
        "tamm",
        "curated/mandates_2016_2024.csv",
        "curated/personnel_2020_2024.csv",
    ),
)
def large_21c_missions_have_poc(
    tables: Mapping[str, pd.DataFrame], *, threshold: float = 0.9
) -> ClaimVerdict:
    """Large UN PKOs deployed in the 21st century carry a protection-of-civilians mandate."""
    um = _table(tables, "un_missions", ["mission_id_un", "is_peacekeeping", "date_start"])
    my = _table(tables, "mission_years", ["mission_id_un", "year", "personnel_total_n", "has_poc_mandate"])
    t = mission_table(my, um)
    big = (t["peak_personnel_n"] >= LARGE_MISSION_N).fillna(False)
    mid = (t["peak_personnel_n"] >= 5_000).fillna(False)
    new = (t["date_start"] >= pd.Timestamp("2000-01-01")).fillna(False)
    late99 = (t["date_start"] >= pd.Timestamp("1999-10-01")).fillna(False)
    old = t["date_start"].between(pd.Timestamp("1990-01-01"), pd.Timestamp("1999-12-31")).fillna(False)
    sets = {
        f"established 2000+, >= {LARGE_MISSION_N:,} (main)": new & big,
        "established 2000+, >= 5,000": new & mid,
        f"established 1999-10+ (adds MONUC, UNAMSIL), >= {LARGE_MISSION_N:,}": late99 & big,
        f"established 1990-1999, >= {LARGE_MISSION_N:,} (comparison)": old & big,
    }
    rows = []
    for label, mask in sets.items():
        share, k, n = _poc_share(t[mask])
        rows.append(
            {
                "variant": label,
                "missions": ", ".join(sorted(t.loc[mask, "mission_id_un"])),
                "with_poc_n": k,
                "coded_n": n,
                "share": share,
            }
        )
    sens = pd.DataFrame(rows)
    share, k, n = sens.loc[0, "share"], int(sens.loc[0, "with_poc_n"]), int(sens.loc[0, "coded_n"])
    detail = t[(new | old) & mid].copy()
    detail["group"] = np.where(
        detail["date_start"] >= pd.Timestamp("2000-01-01"), "established 2000+", "established 1990-1999"
    )
    detail = detail.sort_values(["group", "peak_personnel_n"], ascending=[False, False]).reset_index(
        drop=True
    )
    without = sorted(t.loc[new & big & ~_true(t["has_poc_mandate"]), "mission_id_un"])
    caveat = (
        f"Large = largest yearly mean uniformed strength >= {LARGE_MISSION_N:,} (Kathman 1990-2019, curated "
        f"after). {k} of {n} large missions established since 2000 have a PoC mandate"
        + (f" (without: {', '.join(without)})" if without else "")
        + f". With a 5,000 cut-off: {sens.loc[1, 'with_poc_n']} of {sens.loc[1, 'coded_n']}; large missions "
        f"established 1990-1999: {sens.loc[3, 'with_poc_n']} of {sens.loc[3, 'coded_n']}, so the "
        "pattern is new in the 21st century. PoC = the mission itself protects civilians (PEMA/TAMM, "
        "curated after 2019)."
    )
    return ClaimVerdict(
        "large_21c_missions_have_poc",
        judge_levels(share, threshold, 0.5),
        round(share, 3),
        None,
        f"share of large UN PKOs established 2000+ with a PoC mandate ({k} of {n})",
        _vintage("large_21c_missions_have_poc"),
        caveat,
        detail=detail,
        sensitivity=sens,
    )


def poc_chapter_vii_table(mm: pd.DataFrame, years: tuple[int, int] = (2000, 2100)) -> pd.DataFrame:
    """Per UN PKO with a PoC mandate: PoC months by Chapter VII status, and agreement.

    Returns
    -------
    pandas.DataFrame
        ``mission_id_un``, ``poc_months_n``, ``ch7_true_n``, ``ch7_false_n``, ``ch7_na_n``,
        ``first_year``, ``last_year``, ``first_false_year``, ``last_false_year`` and
        ``status``: ``agrees`` (Chapter VII in every coded PoC month), ``exception`` (some
        coded PoC month without Chapter VII), ``not coded``.
    """
    x = mm[mm["year"].between(*years) & _true(mm["has_poc_mandate"])]
    ch7 = x["is_chapter_vii"].astype("boolean")
    x = x.assign(_t=ch7.eq(True).fillna(False), _f=ch7.eq(False).fillna(False), _na=ch7.isna())
    g = x.groupby("mission_id_un")
    out = pd.DataFrame(
        {
            "poc_months_n": g.size(),
            "ch7_true_n": g["_t"].sum(),
            "ch7_false_n": g["_f"].sum(),
            "ch7_na_n": g["_na"].sum(),
            "first_year": g["year"].min(),
            "last_year": g["year"].max(),
        }
    )
    fy = x[x["_f"]].groupby("mission_id_un")["year"]
    out["first_false_year"] = fy.min().reindex(out.index).astype("Int64")
    out["last_false_year"] = fy.max().reindex(out.index).astype("Int64")
    out["status"] = np.where(
        out["ch7_false_n"] > 0, "exception", np.where(out["ch7_true_n"] > 0, "agrees", "not coded")
    )
    out.index = out.index.astype(str)
    return out.reset_index()


@_claim(
    "poc_always_with_chapter_vii",
    tables=("mission_months",),
    sources=("tamm", "pema", "curated/mandates_2016_2024.csv"),
)
def poc_always_with_chapter_vii(
    tables: Mapping[str, pd.DataFrame], *, threshold: float = 1.0
) -> ClaimVerdict:
    """A protection-of-civilians mandate always goes with Chapter VII."""
    mm = _table(tables, "mission_months", ["mission_id_un", "year", "has_poc_mandate", "is_chapter_vii"])
    t = poc_chapter_vii_table(mm)
    coded = t[t["status"] != "not coded"]
    share = float((coded["status"] == "agrees").mean()) if len(coded) else np.nan
    t15 = poc_chapter_vii_table(mm, (2000, 2015))
    c15 = t15[t15["status"] != "not coded"]
    months_share = t["ch7_true_n"].sum() / max(1, t["ch7_true_n"].sum() + t["ch7_false_n"].sum())
    x16 = mm[(mm["year"] >= 2016) & _true(mm["has_poc_mandate"])]
    cov16 = float(x16["is_chapter_vii"].notna().mean()) if len(x16) else np.nan
    sens = pd.DataFrame(
        {
            "variant": [
                "missions, 2000 on (main)",
                "PoC mission-months, 2000 on",
                "missions, 2000-2015 (TAMM)",
            ],
            "share": [share, months_share, float((c15["status"] == "agrees").mean()) if len(c15) else np.nan],
        }
    )
    exc = t[t["status"] == "exception"]
    exc_txt = "; ".join(
        f"{r.mission_id_un} ({r.first_false_year}-{r.last_false_year}, {r.ch7_false_n} PoC months "
        "without Chapter VII)"
        for r in exc.itertuples()
    )
    caveat = (
        f"{int((coded['status'] == 'agrees').sum())} of {len(coded)} UN PKOs with a PoC mandate since 2000 "
        f"have Chapter VII in every coded PoC month"
        + (f"; exception(s): {exc_txt}" if len(exc) else "")
        + f". Month level: {months_share:.1%} of coded PoC months are under Chapter VII. Chapter VII is "
        f"coded by TAMM to 2015-12; after 2015 only where a curated source states it ({cov16:.0%} of PoC "
        "months 2016 on are coded), so the test rests mainly on 2000-2015."
    )
    if "UNIFIL" in set(exc["mission_id_un"]):
        caveat += " UNIFIL's PoC task dates from S/RES/1701 (2006), adopted without Chapter VII."
    return ClaimVerdict(
        "poc_always_with_chapter_vii",
        judge_levels(share, threshold, 0.8),
        round(share, 3),
        None,
        f"share of UN PKOs with a PoC mandate (2000 on) under Chapter VII in every coded PoC month "
        f"({int((coded['status'] == 'agrees').sum())} of {len(coded)})",
        _vintage("poc_always_with_chapter_vii"),
        caveat,
        detail=t,
        sensitivity=sens,
    )


