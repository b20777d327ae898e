"""Host-country measures shared by the mission and country panels: partner (non-UN) operations
per country-month, country-years with a jihadist conflict, and the predecessor states that stand
for a host before it became a G-W state (``host_predecessors.csv``: Kosovo before 2008 ->
Serbia/Yugoslavia 345; East Timor before 2002 -> Indonesia 850)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.config import package_file
from analysis.panels.coverage import PARTNER_OPERATIONS_YEARS
from analysis.panels.join import month_key, months_between
from analysis.panels.rules import read_rule_table
from analysis.vocabulary import PARTNER_TYPES


def partners_by_country_month(
    bara: pd.DataFrame, partner_ops: pd.DataFrame, codes: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Non-UN operations active per (G-W country, month start ``_month``).

    Returns two frames: Bara & Hultman non-UN operations (``nonun_ops_bara_n``,
    ``nonun_personnel_bara_n``; only pairs with an operation) and curated operations
    (``has_partner_<type>``, ``partner_ops_curated_n``; only pairs with an operation).
    Curated operations without a start date cannot be placed in months: they are not in these
    frames; :func:`undated_partner_months` gives the months in which they may have been
    present, where the panels leave the indicators NA (Wagner in CAR and Mali, US forces in
    Somalia, Uganda/Burundi in DRC, AMIS before its end: their start dates are memory-only in
    the reference, so left empty).
    """
    from analysis.core.countries import gw_from_iso3

    b = bara[~bara["is_un"].fillna(False).astype(bool)].dropna(subset=["country_id_gw"])
    b = b.assign(_month=month_key(b))
    g = b.groupby(["country_id_gw", "_month"])
    bara_pairs = pd.DataFrame({
        "nonun_ops_bara_n": g["operation_id"].nunique(),
        "nonun_personnel_bara_n": g["personnel_total_n"].sum(min_count=1),  # NA when no count is known
    }).reset_index()
    rows = []
    lo, hi = pd.Timestamp(PARTNER_OPERATIONS_YEARS[0], 1, 1), pd.Timestamp(PARTNER_OPERATIONS_YEARS[1], 12, 1)
    for op in partner_ops.itertuples(index=False):
        if pd.isna(op.date_start) or pd.isna(op.host_iso3):
            continue  # undated operations cannot be placed in months (listed in the docstring)
        end = op.date_end if pd.notna(op.date_end) else hi
        for iso in str(op.host_iso3).split(";"):
            for d in months_between(max(op.date_start, lo), min(end, hi)):
                rows.append((iso.strip(), d, op.operation_id, op.org_type))
    cp = pd.DataFrame(rows, columns=["iso3", "_month", "operation_id", "org_type"])
    cp["country_id_gw"] = gw_from_iso3(cp["iso3"], cp["_month"].dt.year, codes)
    cp = cp.dropna(subset=["country_id_gw"])
    # operations of each type per (country, month): a cross-tabulation by counting (pd.crosstab
    # aggregates with a Python function per cell)
    cur = (cp.groupby(["country_id_gw", "_month", "org_type"]).size().unstack("org_type", fill_value=0)
           .reindex(columns=list(PARTNER_TYPES), fill_value=0))
    cur = (cur > 0).add_prefix("has_partner_")
    cur["partner_ops_curated_n"] = cp.groupby(["country_id_gw", "_month"])["operation_id"].nunique()
    return bara_pairs, cur.reset_index()


def undated_partner_months(partner_ops: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """(G-W country, month ``_month``) pairs in which an operation **without a start date** may
    have been active, with ``unknown_<type>`` (True for its ``org_type``): every month of the
    curated table's coverage up to the operation's end (or the coverage end when that is
    unknown too). The panels set the partner indicators of these pairs NA unless a dated
    operation makes them True."""
    from analysis.core.countries import gw_from_iso3

    lo, hi = pd.Timestamp(PARTNER_OPERATIONS_YEARS[0], 1, 1), pd.Timestamp(PARTNER_OPERATIONS_YEARS[1], 12, 1)
    rows = []
    for op in partner_ops.itertuples(index=False):
        if pd.notna(op.date_start) or pd.isna(op.host_iso3):
            continue
        end = op.date_end if pd.notna(op.date_end) else hi
        for iso in str(op.host_iso3).split(";"):
            for d in months_between(lo, min(end, hi)):
                rows.append((iso.strip(), d, op.org_type))
    cp = pd.DataFrame(rows, columns=["iso3", "_month", "org_type"])
    cp["country_id_gw"] = gw_from_iso3(cp["iso3"], cp["_month"].dt.year, codes)
    cp = cp.dropna(subset=["country_id_gw"])
    out = pd.crosstab([cp["country_id_gw"], cp["_month"]], cp["org_type"]).reindex(
        columns=list(PARTNER_TYPES), fill_value=0)
    return (out > 0).add_prefix("unknown_").reset_index()


def mask_undated(x: pd.DataFrame, unknown: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Partner indicators of ``x`` (``has_partner_<type>``, ``has_partner_op_curated``) made NA
    where an undated operation may have been present (``unknown``, aggregated to ``on``) and no
    dated operation makes them True; ``partner_ops_curated_n`` NA there too."""
    u = unknown.groupby(on)[[f"unknown_{t}" for t in PARTNER_TYPES]].max().reset_index()
    out = x.merge(u, on=on, how="left", validate="many_to_one")
    any_unknown = pd.Series(False, index=out.index)
    for t in PARTNER_TYPES:
        unk = out[f"unknown_{t}"].astype("boolean").fillna(False).astype(bool)
        col = out[f"has_partner_{t}"].astype("boolean")
        out[f"has_partner_{t}"] = col.mask(unk & col.notna() & ~col.fillna(False), pd.NA)
        any_unknown |= unk
    if "has_partner_op_curated" in out:
        cur = out["has_partner_op_curated"].astype("boolean")
        hit = any_unknown & cur.notna() & ~cur.fillna(False)
        out["has_partner_op_curated"] = cur.mask(hit, pd.NA)
        if "partner_ops_curated_n" in out:
            out["partner_ops_curated_n"] = out["partner_ops_curated_n"].mask(hit, pd.NA)
    return out.drop(columns=[f"unknown_{t}" for t in PARTNER_TYPES])


def jihadist_conflict_years(acd: pd.DataFrame, locations: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """(G-W country, year) pairs with an ACD conflict located there whose sides include a
    jihadist actor (curated ``is_jihadist``); with ``jihadist_conflicts_n``."""
    jids = {
        str(int(a)) for a in actors.loc[actors["is_jihadist"].fillna(False).astype(bool), "ucdp_actor_id"]
    }

    def has_j(ids: object) -> bool:
        return pd.notna(ids) and any(i.strip() in jids for i in str(ids).split(","))

    a = acd.assign(_j=acd["side_a_id"].map(has_j) | acd["side_b_id"].map(has_j))
    j = a.loc[a["_j"], ["conflict_id", "year"]]
    loc = locations.merge(j, on=["conflict_id", "year"])
    return loc.groupby(["country_id_gw", "year"]).size().rename("jihadist_conflicts_n").reset_index()


#: Which state stands for a host in the years it is not yet a G-W state (rule table with reasons).
PREDECESSORS_FILE = package_file("panels", "host_predecessors.csv")
_PREDECESSOR_COLUMNS = ["country_id_gw", "country_name", "year_from", "year_to", "predecessor_id_gw",
                        "predecessor_name", "reason", "citation"]


def load_host_predecessors(path: str | Path | None = None) -> pd.DataFrame:
    """The host predecessors: ``country_id_gw`` is represented by ``predecessor_id_gw`` in
    ``year_from``..``year_to`` (the years before it became a G-W state), with reason and
    citation (``analysis/panels/host_predecessors.csv``)."""
    p = Path(path) if path is not None else PREDECESSORS_FILE
    return read_rule_table(p, _PREDECESSOR_COLUMNS,
                           integers=("country_id_gw", "year_from", "year_to", "predecessor_id_gw"))


def host_state_years(host_years: pd.DataFrame, predecessors: pd.DataFrame | None = None) -> pd.DataFrame:
    """``host_years`` (``mission_id_un``, ``year``, ``country_id_gw``) with each host replaced by
    its predecessor state in the years it was not yet a state (:func:`load_host_predecessors`);
    a mission whose hosts then coincide (UNMIK: Serbia and Kosovo before 2008) counts the state
    once. ``is_host_predecessor`` marks the replaced rows."""
    pred = load_host_predecessors() if predecessors is None else predecessors
    x = host_years.copy()
    x["is_host_predecessor"] = False
    for r in pred.itertuples(index=False):
        hit = (x["country_id_gw"] == r.country_id_gw) & x["year"].between(r.year_from, r.year_to)
        hit = hit.fillna(False).astype(bool)
        x.loc[hit, "country_id_gw"] = r.predecessor_id_gw
        x.loc[hit, "is_host_predecessor"] = True
    x = x.sort_values("is_host_predecessor")  # keep the state's own row where both occur
    return x.drop_duplicates(["mission_id_un", "year", "country_id_gw"]).sort_index()
