"""Agreement between the curated tables and the published datasets they overlap.

* :func:`mandates_vs_pema`: curated mandate codings (resolution in force) against PEMA's codings
  of the same mission-months (``mandates_monthly`` per-source columns), in the years both cover
  (2016-2019).
* :func:`partners_vs_bara`: curated partner operations against Bara & Hultman's non-UN
  operations (same operation, host and month), in the years both cover (2000-01 to 2016-12).

The overlaps are computed from the registry and the curated tables' years
(:mod:`analysis.panels.coverage`).

Both take frames and return tidy frames; neither loads data.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.panels.coverage import MANDATES_YEARS, NONUN_YEARS, PARTNER_OPERATIONS_YEARS, PEMA_YEARS
from analysis.panels.join import month_key, months_between
from analysis.panels.mission import curated_in_force


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return max(a[0], b[0]), min(a[1], b[1])


#: Curated concept column -> per-source PEMA columns of ``mandates_monthly`` it is compared with.
MANDATE_PAIRS = {
    "has_poc_mandate": ("has_poc_mandate_pema_v2", "has_poc_mandate_pema_v1_2"),
    "has_all_necessary_means": ("has_use_of_force_pema_v2", "has_use_of_force_pema_v1_2"),
    "has_offensive_mandate": ("has_offensive_mandate_pema_v1_2",),
}


def mandates_vs_pema(
    mandates_monthly: pd.DataFrame, curated_mandates: pd.DataFrame, years: tuple[int, int] | None = None
) -> pd.DataFrame:
    """Mission-months where both the curated resolution in force and PEMA code a concept.

    ``years`` defaults to the years both cover (curated mandates and PEMA's panel).

    Returns one row per concept: ``months_n`` compared, ``agree_n``, ``agreement`` (share),
    ``kappa`` (Cohen's kappa; NA when undefined), ``missions_n``.
    """
    if years is None:
        years = _overlap(MANDATES_YEARS, PEMA_YEARS)
    mm = mandates_monthly[mandates_monthly["year"].between(*years)].copy()
    ci = curated_in_force(curated_mandates, mm[["mission_id_un", "year", "month"]], list(MANDATE_PAIRS))
    ci = ci.rename(columns={c: f"curated_{c}" for c in MANDATE_PAIRS})
    x = mm.merge(ci, on=["mission_id_un", "year", "month"], how="left")
    rows = []
    for concept, pema_cols in MANDATE_PAIRS.items():
        pema = x[list(pema_cols)].astype("boolean").bfill(axis=1).iloc[:, 0]
        cur = x[f"curated_{concept}"].astype("boolean")
        both = pema.notna() & cur.notna()
        a, b = cur[both].astype(bool), pema[both].astype(bool)
        n = int(both.sum())
        agree = int((a == b).sum())
        po = agree / n if n else float("nan")
        pe = (a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())) if n else float("nan")
        kappa = (po - pe) / (1 - pe) if n and pe < 1 else float("nan")
        rows.append(
            {
                "concept": concept,
                "pema_columns": "+".join(pema_cols),
                "months_n": n,
                "agree_n": agree,
                "agreement": po,
                "kappa": kappa,
                "missions_n": int(x.loc[both, "mission_id_un"].nunique()),
            }
        )
    return pd.DataFrame(rows)


#: Curated acronym (normalised) -> Bara & Hultman short name (normalised) where they differ:
#: Bara files EUTM Mali as "EUTM" (Mali) and the ECOWAS force in Cote d'Ivoire (ECOMICI) as "ECOWAS".
BARA_ALIASES = {"eutmmali": "eutm", "ecomici": "ecowas"}


def _norm(name: str) -> str:
    s = re.sub(r"^op\.?\s+", "", str(name).strip().lower())
    return re.sub(r"[^a-z0-9]", "", s)


def partners_vs_bara(
    partner_ops: pd.DataFrame,
    bara: pd.DataFrame,
    codes: pd.DataFrame,
    window: tuple[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare curated partner operations with Bara & Hultman by (operation, host, month).

    Operations are matched by normalised acronym / short name (``Op. Serval`` = ``serval``,
    ``EUFOR RCA`` = ``eufor-rca``, plus :data:`BARA_ALIASES`) within the curated operation's
    host countries. Returns ``(summary, per_operation)``: the summary has
    ``operations_curated_n`` (curated operations dated inside the window),
    ``operations_matched_n`` (also in Bara), ``months_curated_n``, ``months_both_n``,
    ``months_bara_only_n`` and ``month_agreement`` = both / (curated + Bara-only) months of
    the matched operations (Jaccard index). ``window`` (first and last month, ``YYYY-MM``)
    defaults to the years both cover.
    """
    from analysis.core.countries import gw_from_iso3

    if window is None:
        first, last = _overlap(PARTNER_OPERATIONS_YEARS, NONUN_YEARS)
        window = (f"{first}-01", f"{last}-12")
    lo, hi = (pd.Timestamp(w) for w in window)
    b = bara[~bara["is_un"].fillna(False).astype(bool)].copy()
    b["_op"] = b["operation_name"].map(_norm)
    b["_month"] = month_key(b)
    b = b[b["_month"].between(lo, hi)]
    bara_set = {(o, int(g), m) for o, g, m in zip(b["_op"], b["country_id_gw"].fillna(-1), b["_month"])}
    bara_ops = set(b["_op"])
    per = []
    for op in partner_ops.itertuples(index=False):
        if pd.isna(op.date_start) or pd.isna(op.host_iso3):
            continue
        start, end = max(op.date_start, lo), min(op.date_end if pd.notna(op.date_end) else hi, hi)
        if start > end:
            continue
        key = _norm(op.acronym if pd.notna(op.acronym) else op.operation_id)
        key = BARA_ALIASES.get(key, key)
        months = months_between(start, end)
        cur_set = set()
        for iso in str(op.host_iso3).split(";"):
            gw = gw_from_iso3(pd.Series([iso.strip()] * len(months)), pd.Series(months.year), codes)
            cur_set |= {(key, int(g), m) for g, m in zip(gw.fillna(-1), months)}
        matched = key in bara_ops
        hosts = {t[1] for t in cur_set}
        # only the curated operation's host countries: Bara may use one short name in several
        bara_op = {t for t in bara_set if t[0] == key and t[1] in hosts}
        per.append(
            {
                "operation_id": op.operation_id,
                "bara_name": key if matched else None,
                "is_matched": matched,
                "months_curated_n": len(cur_set),
                "months_both_n": len(cur_set & bara_op),
                "months_bara_only_n": len(bara_op - cur_set),
            }
        )
    per_op = pd.DataFrame(per)
    m = per_op[per_op["is_matched"]]
    denom = m["months_curated_n"].sum() + m["months_bara_only_n"].sum()
    summary = pd.DataFrame(
        [
            {
                "operations_curated_n": len(per_op),
                "operations_matched_n": int(per_op["is_matched"].sum()),
                "months_curated_n": int(m["months_curated_n"].sum()),
                "months_both_n": int(m["months_both_n"].sum()),
                "months_bara_only_n": int(m["months_bara_only_n"].sum()),
                "month_agreement": (m["months_both_n"].sum() / denom) if denom else float("nan"),
            }
        ]
    )
    return summary, per_op
