"""Partnership: co-deployed non-UN operations and the Sahel coups."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.studies.claims.base import (
    COUP_WAVE_YEARS,
    PARTNER_SHARE_GAIN,
    SAHEL_STATES,
    ClaimVerdict,
    _claim,
    _fmt,
    _isin,
    _table,
    _true,
    _vintage,
)
from analysis.studies.claims.fatalities import _mean


@_claim(
    "partnership_trend_21c",
    tables=("nonun_operations_monthly", "mission_years"),
    sources=("pko_un_nonun_bara_hultman", "curated/partner_operations.csv"),
)
def partnership_trend_21c(tables: Mapping[str, pd.DataFrame], *, threshold: float = 1.25) -> ClaimVerdict:
    """The trend of partnership peacekeeping is outstanding in the 21st century."""
    n = _table(tables, "nonun_operations_monthly", ["operation_id", "year", "is_un"])
    my = _table(
        tables, "mission_years", ["mission_id_un", "year", "has_nonun_op_bara", "has_partner_op_curated"]
    )
    nonun = n[~_true(n["is_un"])]
    ops = nonun.groupby("year")["operation_id"].nunique()
    idx = pd.RangeIndex(1993, 2025, name="year")
    d = pd.DataFrame(index=idx)
    d["nonun_ops_n"] = ops.reindex(idx).astype("Int64")

    def share(col: str) -> tuple[pd.Series, pd.Series]:
        s = my[["year", col]].dropna()
        s = s.assign(v=s[col].astype(bool))
        return s.groupby("year")["v"].mean().reindex(idx), s.groupby("year").size().reindex(idx)

    d["pko_share_bara"], d["pko_n_bara"] = share("has_nonun_op_bara")
    d["pko_share_curated_africa"], d["pko_n_curated_africa"] = share("has_partner_op_curated")
    d = d.reset_index()
    early, late = (1993, 1999), (2000, 2016)
    o0, o1 = _mean(d, "nonun_ops_n", early), _mean(d, "nonun_ops_n", late)
    s0, s1 = _mean(d, "pko_share_bara", early), _mean(d, "pko_share_bara", late)
    ratio, gain = (o1 / o0 if o0 else np.nan), s1 - s0
    a, b = bool(ratio >= threshold), bool(gain >= PARTNER_SHARE_GAIN)
    verdict = "supported" if a and b else "partly supported" if a or b else "contradicted"
    c = d[d["year"].between(2017, 2024)]["pko_share_curated_africa"].astype("Float64")
    caveat = (
        f"Bara & Hultman: active non-UN peace operations {o0:.1f} a year in 1993-1999, {o1:.1f} in 2000-2016 "
        f"(ratio {ratio:.2f}); share of UN PKO mission-years with a non-UN operation in a host country "
        f"{s0:.2f} -> {s1:.2f} ({gain:+.2f}). More non-UN operations, but not more UN-partner co-deployment. "
        "After 2016 only the curated table (African hosts) covers partner operations: share of "
        f"African-hosted UN PKOs with a partner operation {_fmt(c.min())}-{_fmt(c.max())} in 2017-2024. "
        "Bara & Hultman list operations in conflict countries (ACD-linked), so co-deployment "
        "elsewhere is not counted."
    )
    sens = pd.DataFrame(
        {
            "measure": ["non-UN operations per year", "share of UN PKOs with a non-UN operation"],
            "1993_1999": [o0, s0],
            "2000_2016": [o1, s1],
            "change": [ratio, gain],
            "meets_rule": [a, b],
        }
    )
    return ClaimVerdict(
        "partnership_trend_21c",
        verdict,
        round(ratio, 3),
        None,
        "active non-UN peace operations per year, mean 2000-2016 / 1993-1999 (Bara & Hultman)",
        _vintage("partnership_trend_21c"),
        caveat,
        detail=d,
        sensitivity=sens,
    )


@_claim(
    "sahel_coups_follow_convergence",
    tables=("country_years",),
    sources=(
        "coups_powell_thyne",
        "coups_coupcats_thyne",
        "un_pko_missions",
        "pko_un_nonun_bara_hultman",
        "ucdp_acd",
        "curated/partner_operations.csv",
        "curated/jihadist_actors.csv",
    ),
)
def sahel_coups_follow_convergence(
    tables: Mapping[str, pd.DataFrame], *, threshold: float = 1
) -> ClaimVerdict:
    """The coup wave in Mali, Burkina Faso and Niger follows the convergence of CT and peace operations."""
    cy = _table(
        tables,
        "country_years",
        [
            "country_id_gw",
            "year",
            "is_africa",
            "has_un_pko",
            "has_partner_op",
            "has_jihadist_conflict",
            "coups_successful_n",
            "coup_attempts_n",
        ],
    )
    x = cy.copy()
    x["has_intl_op"] = _true(x["has_un_pko"]) | _true(x["has_partner_op"])
    x["has_convergence"] = x["has_intl_op"] & _true(x["has_jihadist_conflict"])
    sahel = x[_isin(x["country_id_gw"], SAHEL_STATES) & (x["year"] >= 2000)].copy()
    sahel["country"] = sahel["country_id_gw"].map(SAHEL_STATES).astype("string")
    rows, earlier = [], []
    for gw, name in SAHEL_STATES.items():
        s = sahel[sahel["country_id_gw"] == gw]
        conv = s.loc[s["has_convergence"], "year"]
        start = int(conv.min()) if len(conv) else None
        intl = s.loc[s["has_intl_op"], "year"]
        jih = s.loc[_true(s["has_jihadist_conflict"]), "year"]
        coups = s.loc[(s["coups_successful_n"] > 0).fillna(False), "year"].astype(int)
        for y in coups[coups.between(*COUP_WAVE_YEARS)]:
            lead = y - start if start is not None else np.nan
            rows.append(
                {
                    "country": name,
                    "coup_year": y,
                    "first_intl_op_year": int(intl.min()) if len(intl) else None,
                    "first_jihadist_conflict_year": int(jih.min()) if len(jih) else None,
                    "convergence_start": start,
                    "lead_years": lead,
                }
            )
        earlier += [f"{name} {y}" for y in coups[coups < COUP_WAVE_YEARS[0]]]
    leads = pd.DataFrame(rows)
    # association: African state-years in the wave years, by convergence in the previous year
    af = x[_true(x["is_africa"])].sort_values(["country_id_gw", "year"]).copy()
    af["convergence_prev"] = af.groupby("country_id_gw")["has_convergence"].shift(1)
    w = af[af["year"].between(*COUP_WAVE_YEARS) & af["convergence_prev"].notna()]
    assoc = (
        w.assign(
            group=np.where(w["convergence_prev"].astype(bool), "convergence in t-1", "other"),
            coup=(w["coups_successful_n"] > 0).fillna(False),
        )
        .groupby("group")
        .agg(
            state_years=("year", "size"),
            states=("country_id_gw", "nunique"),
            successful_coup_years=("coup", "sum"),
        )
        .reset_index()
    )
    assoc["rate"] = assoc["successful_coup_years"] / assoc["state_years"]
    if leads.empty:
        verdict, ours = "contradicted", None
        caveat = "No successful coup in Mali, Burkina Faso or Niger in 2020-2023 in our coup data."
    else:
        ok = (leads["lead_years"] >= threshold).fillna(False)
        verdict = "partly supported" if ok.all() else "contradicted"
        ours = int(leads["lead_years"].min()) if leads["lead_years"].notna().all() else None
        r = assoc.set_index("group")["rate"]
        caveat = (
            "Convergence = a UN PKO or non-UN/partner operation and a conflict with a jihadist side in the "
            "same year. Coups of 2020-2023: "
            + "; ".join(
                f"{r_.country} {r_.coup_year} ({_fmt(r_.lead_years, 0)} years after convergence "
                f"began in {r_.convergence_start})"
                for r_ in leads.itertuples()
            )
            + f". African state-years 2020-2023: successful-coup rate {_fmt(r.get('convergence in t-1'), 3)} "
            f"with convergence in the previous year vs {_fmt(r.get('other'), 3)} without. Order and "
            "association are consistent with the essay, but an effect cannot be shown descriptively "
            "(the coup models adjust for history, income and regime); at most 'partly supported'."
        )
        if earlier:
            caveat += f" Earlier coups before convergence: {', '.join(earlier)} - coups are not new there."
    return ClaimVerdict(
        "sahel_coups_follow_convergence",
        verdict,
        ours,
        None,
        "fewest years from the start of convergence to a 2020-2023 coup (Mali, Burkina Faso, Niger)",
        _vintage("sahel_coups_follow_convergence"),
        caveat,
        detail=sahel[
            [
                "country",
                "country_id_gw",
                "year",
                "has_un_pko",
                "has_partner_op",
                "has_intl_op",
                "has_jihadist_conflict",
                "has_convergence",
                "coups_successful_n",
                "coup_attempts_n",
            ]
        ].reset_index(drop=True),
        sensitivity=pd.concat(
            [leads, assoc], keys=["leads", "association"], names=["part", "row"]
        ).reset_index(level=0),
    )


