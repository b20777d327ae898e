"""Country panel: ``country_years``, every Gleditsch-Ward state x year, 1990-2024.

Backbone: the G-W members of ``country_codes`` for each year 1990-2024. Every enrichment is
a left join that keeps the backbone's rows (:func:`analysis.panels.enrich`).

Fill rules (coverage is sacred)
-------------------------------
* Coups (``coups``: Powell & Thyne to 2022-11, CoupCats after; 1950-2025): a state-year
  without a recorded attempt is **0** (the event lists cover every state). The coup history
  counts attempts since 1950 (the lists' start): ``years_since_coup`` is the number of years
  since the last attempt before this year, or, when there was none since 1950, since the later
  of 1950 and the state's first G-W year, flagged by ``is_coup_clock_censored``.
* UN peacekeeping presence (``mission_years`` and ``un_mission_hosts``): a host with no UN
  peacekeeping operation in the year has ``has_un_pko`` False; the panel covers 1990-2025, so
  there is no NA. ``has_robust_un_pko`` follows three-valued logic over the hosted missions.
  ``un_personnel_n`` is the sum over hosted missions of their yearly mean personnel
  (each multi-host mission counted in full for each host), NA if any hosted mission lacks it
  (always after 2019 except curated months) and 0 for non-hosts inside Kathman's years
  (1990-2019), NA after.
* Non-UN operations: Bara & Hultman (1993-2016, every state) and curated partner operations
  (2000-2024, African states only); NA outside each source's coverage, combined as in
  :mod:`analysis.panels.mission`. ``has_partnership`` = UN PKO and non-UN operation in the
  same year (three-valued AND).
* UCDP country-year deaths (1989-2024): taken as published; a state-year missing from the
  UCDP file stays NA (the file lists 199 states; absent ones are not assumed peaceful).
* ACD conflicts located in the state (1946-2024): count of conflicts and of conflicts with a
  jihadist side (curated actors), 0 when none; maximum intensity 0/1/2.
* Covariates (``country_covariates``): as published, NA outside each source's years.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Unpack

import pandas as pd
import pandera.pandas as pa

from analysis import curated
from analysis.data.tables import table
from analysis.errors import BuildError
from analysis.panels import enrich, first_label
from analysis.panels.mission import (
    ACD_LAST_YEAR,
    BARA_MONTHS,
    CURATED_PARTNER_MONTHS,
    jihadist_conflict_years,
    kleene_or_covered,
    partners_by_country_month,
)
from analysis.sources._base import ColumnOptions
from analysis.vocabulary import PARTNER_TYPES

YEARS = (1990, 2024)
COUPS_FIRST_YEAR = 1950
KATHMAN_YEARS = (1990, 2019)
_KEY = ["country_id_gw", "year"]


def coup_history(codes: pd.DataFrame, coups: pd.DataFrame) -> pd.DataFrame:
    """Per G-W state-year since 1950: attempts, successes, years since the last attempt, and
    attempts in the previous 5 and 10 years (t-5..t-1, t-10..t-1)."""
    members = codes.loc[codes["year"] >= COUPS_FIRST_YEAR, ["country_id_gw", "year"]]
    c = coups.dropna(subset=["country_id_gw"])
    counts = (
        c.groupby(["country_id_gw", "year"])
        .agg(
            coup_attempts_n=("coup_id", "size"),
            coups_successful_n=("is_successful", lambda s: int(s.fillna(False).sum())),
        )
        .reset_index()
    )
    x = members.merge(counts, on=_KEY, how="left").sort_values(_KEY)
    x[["coup_attempts_n", "coups_successful_n"]] = x[["coup_attempts_n", "coups_successful_n"]].fillna(0)
    out = []
    for _, g in x.groupby("country_id_gw", sort=False):
        yrs = g["year"].to_numpy(dtype=int)
        att = g["coup_attempts_n"].to_numpy(dtype=int)
        first = yrs.min()
        last = None
        since, censored = [], []
        for y, a in zip(yrs, att):
            if last is None:
                since.append(y - first)
                censored.append(True)
            else:
                since.append(y - last)
                censored.append(False)
            if a > 0:
                last = y
        ser = pd.Series(att, index=yrs)
        full = ser.reindex(range(first, yrs.max() + 1), fill_value=0)
        prev5 = full.shift(1, fill_value=0).rolling(5, min_periods=1).sum().reindex(yrs).to_numpy()
        prev10 = full.shift(1, fill_value=0).rolling(10, min_periods=1).sum().reindex(yrs).to_numpy()
        out.append(
            g.assign(
                years_since_coup=since,
                is_coup_clock_censored=censored,
                coup_attempts_prev5_n=prev5,
                coup_attempts_prev10_n=prev10,
            )
        )
    res = pd.concat(out)
    for col in (
        "coup_attempts_n",
        "coups_successful_n",
        "years_since_coup",
        "coup_attempts_prev5_n",
        "coup_attempts_prev10_n",
    ):
        res[col] = res[col].astype("Int64")
    res["is_coup_clock_censored"] = res["is_coup_clock_censored"].astype("boolean")
    return res


def _un_presence(
    bb: pd.DataFrame, my: pd.DataFrame, hosts: pd.DataFrame, missions: pd.DataFrame
) -> pd.DataFrame:
    cmap = dict(zip(missions["mission_id_un"], missions["mission_id_un_combined"]))
    h = hosts.assign(mission_id_un=hosts["mission_id_un"].map(lambda m: cmap.get(m, m)))
    h = h.dropna(subset=["country_id_gw"]).drop_duplicates(["mission_id_un", "country_id_gw"])
    x = my[["mission_id_un", "year", "is_robust_mandate", "personnel_total_n"]].merge(
        h[["mission_id_un", "country_id_gw"]], on="mission_id_un"
    )
    g = x.groupby(_KEY)

    def any3(s: pd.Series) -> object:
        s = s.astype("boolean")
        if s.fillna(False).any():
            return True
        return pd.NA if s.isna().any() else False

    out = pd.DataFrame(
        {
            "un_pko_n": g["mission_id_un"].nunique(),
            "un_pko_ids": g["mission_id_un"].agg(lambda s: ";".join(sorted(s))),
            "has_robust_un_pko": g["is_robust_mandate"].agg(any3),
            "un_personnel_n": g["personnel_total_n"]
            .sum(min_count=1)
            .where(g["personnel_total_n"].apply(lambda s: s.notna().all())),
        }
    ).reset_index()
    res = enrich(bb[_KEY], out, _KEY, "UN presence")
    res["un_pko_n"] = res["un_pko_n"].fillna(0).astype("Int64")
    res["has_un_pko"] = (res["un_pko_n"] > 0).astype("boolean")
    res["has_robust_un_pko"] = res["has_robust_un_pko"].astype("boolean").mask(~res["has_un_pko"], False)
    in_k = res["year"].between(*KATHMAN_YEARS)
    pers = res["un_personnel_n"].astype("Float64")
    pers = pers.mask(~res["has_un_pko"] & in_k, 0.0)
    res["un_personnel_n"] = pers.where(in_k | res["has_un_pko"])
    res["un_pko_ids"] = res["un_pko_ids"].astype("string")
    return res


def _nonun(
    bb: pd.DataFrame, bara: pd.DataFrame, partner_ops: pd.DataFrame, codes: pd.DataFrame
) -> pd.DataFrame:
    bara_pairs, cur = partners_by_country_month(bara, partner_ops, codes)
    bara_y = (
        bara_pairs.assign(year=bara_pairs["_month"].dt.year)
        .groupby(_KEY)
        .agg(
            nonun_ops_bara_n=("nonun_ops_bara_n", "max"),
            nonun_personnel_bara_n=("nonun_personnel_bara_n", "mean"),
        )
        .reset_index()
    )
    cur_y = (
        cur.assign(year=cur["_month"].dt.year)
        .groupby(_KEY)
        .agg({**{f"has_partner_{t}": "max" for t in PARTNER_TYPES}, "partner_ops_curated_n": "max"})
        .reset_index()
    )
    for df in (bara_y, cur_y):
        df["country_id_gw"] = df["country_id_gw"].astype("Int64")
        df["year"] = df["year"].astype("Int64")
    x = enrich(bb[[*_KEY, "is_africa"]], bara_y, _KEY, "Bara & Hultman")
    x = enrich(x, cur_y, _KEY, "curated partner operations")
    by0, by1 = (int(v[:4]) for v in BARA_MONTHS)
    cy0, cy1 = (int(v[:4]) for v in CURATED_PARTNER_MONTHS)
    in_bara = x["year"].between(by0, by1)
    in_cur = x["year"].between(cy0, cy1) & x["is_africa"].fillna(False).astype(bool)
    x["nonun_ops_bara_n"] = x["nonun_ops_bara_n"].fillna(0).astype("Int64").where(in_bara)
    x["nonun_personnel_bara_n"] = (
        x["nonun_personnel_bara_n"]
        .astype("Float64")
        .mask(in_bara & x["nonun_ops_bara_n"].eq(0), 0.0)
        .where(in_bara)
    )
    x["has_nonun_op_bara"] = (x["nonun_ops_bara_n"] > 0).astype("boolean").where(in_bara)
    for t in PARTNER_TYPES:
        x[f"has_partner_{t}"] = x[f"has_partner_{t}"].astype("boolean").fillna(False).where(in_cur)
    x["partner_ops_curated_n"] = x["partner_ops_curated_n"].fillna(0).astype("Int64").where(in_cur)
    x["has_partner_op_curated"] = (x["partner_ops_curated_n"] > 0).astype("boolean").where(in_cur)
    x["has_partner_op"] = kleene_or_covered(x[["has_nonun_op_bara", "has_partner_op_curated"]])
    x["has_partner_op_source"] = first_label(
        x.index, [in_bara & in_cur, in_bara, in_cur], ["bara_hultman+curated", "bara_hultman", "curated"]
    )
    return x.drop(columns="is_africa")


def _acd(bb: pd.DataFrame, acd: pd.DataFrame, loc: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    c = (
        loc.groupby(_KEY)
        .agg(conflicts_n=("conflict_id", "nunique"), conflict_intensity=("intensity_level", "max"))
        .reset_index()
    )
    j = jihadist_conflict_years(acd, loc, actors)
    x = enrich(bb[_KEY], c, _KEY, "ACD conflicts")
    x = enrich(x, j, _KEY, "jihadist conflicts")
    inside = x["year"] <= ACD_LAST_YEAR
    for col in ("conflicts_n", "conflict_intensity", "jihadist_conflicts_n"):
        x[col] = x[col].fillna(0).astype("Int64").where(inside)
    x["has_conflict"] = (x["conflicts_n"] > 0).astype("boolean").where(inside)
    x["has_jihadist_conflict"] = (x["jihadist_conflicts_n"] > 0).astype("boolean").where(inside)
    return x


def _regional_coups(x: pd.DataFrame) -> pd.Series:
    tot = x.groupby(["region", "year"])["coup_attempts_n"].transform("sum")
    return (tot - x["coup_attempts_n"]).astype("Int64")


def _schema() -> pa.DataFrameSchema:
    n = ColumnOptions(nullable=True, checks=pa.Check.ge(0))

    def col(dtype: str, text: str, **kw: Unpack[ColumnOptions]) -> pa.Column:
        return pa.Column(dtype, description=text, **kw)

    cols = {
        "country_id_gw": col("Int64", "Gleditsch-Ward state code."),
        "year": col("Int64", "Calendar year.", checks=pa.Check.in_range(*YEARS)),
        "country_id_cow": col("Int64", "COW code (NA where no COW counterpart).", nullable=True),
        "country_id_iso3": col("string", "ISO3 code (countrycode; NA where none).", nullable=True),
        "country_name": col("string", "State name (G-W).", nullable=True),
        "region": col("string", "Region by COW code block (see country_codes).", nullable=True),
        "is_africa": col("boolean", "On the African continent, North Africa included."),
        "coup_attempts_n": col("Int64", "Coup attempts (failed + successful) that year; 0 where none.", **n),
        "coups_successful_n": col("Int64", "Successful coups that year; 0 where none.", **n),
        "has_coup_attempt": col("boolean", "coup_attempts_n > 0."),
        "has_successful_coup": col("boolean", "coups_successful_n > 0."),
        "years_since_coup": col(
            "Int64",
            "Years since the last coup attempt before this year (since 1950 or "
            "G-W entry if none: see is_coup_clock_censored).",
            **n,
        ),
        "is_coup_clock_censored": col(
            "boolean", "No attempt since 1950 / state entry: years_since_coup counts from that start."
        ),
        "coup_attempts_prev5_n": col("Int64", "Attempts in the previous 5 years (t-5..t-1).", **n),
        "coup_attempts_prev10_n": col("Int64", "Attempts in the previous 10 years (t-10..t-1).", **n),
        "region_coup_attempts_n": col(
            "Int64", "Coup attempts in other states of the same region that year.", **n
        ),
        "has_un_pko": col("boolean", "Hosts a UN peacekeeping operation active in the year (mission_years)."),
        "un_pko_n": col("Int64", "UN peacekeeping operations hosted that year.", **n),
        "un_pko_ids": col("string", "';'-joined mission_id_un of hosted operations.", nullable=True),
        "has_robust_un_pko": col(
            "boolean",
            "Hosts an operation with a robust mandate (Chapter VII and PoC) "
            "in some month of the year; NA if unknown for a hosted mission.",
            nullable=True,
        ),
        "un_personnel_n": col(
            "Float64",
            "UN uniformed personnel hosted: sum of hosted missions' yearly mean "
            "(Kathman 1990-2019; 0 for non-hosts then; NA after 2019 unless curated).",
            **n,
        ),
        "has_nonun_op_bara": col(
            "boolean",
            "A non-UN peace operation (regional/ad hoc) in the state that year "
            "(Bara & Hultman, 1993-2016; NA outside).",
            nullable=True,
        ),
        "nonun_ops_bara_n": col("Int64", "Max monthly count of such operations (1993-2016).", **n),
        "nonun_personnel_bara_n": col(
            "Float64", "Mean monthly personnel of such operations (1993-2016).", **n
        ),
        "has_partner_op_curated": col(
            "boolean",
            "A curated non-UN military operation in the state that year "
            "(2000-2024, African states only; NA outside).",
            nullable=True,
        ),
        "partner_ops_curated_n": col("Int64", "Max monthly count of curated operations.", **n),
    }
    for t in PARTNER_TYPES:
        cols[f"has_partner_{t}"] = col(
            "boolean",
            f"A curated operation of type '{t}' that year (same coverage as has_partner_op_curated).",
            nullable=True,
        )
    cols.update(
        {
            "has_partner_op": col(
                "boolean", "Non-UN operation by any covering source; NA when none covers.", nullable=True
            ),
            "has_partner_op_source": col("string", "Sources covering the year.", nullable=True),
            "has_partnership": col(
                "boolean", "UN PKO and a non-UN operation in the same year (three-valued AND).", nullable=True
            ),
            "conflicts_n": col(
                "Int64", "UCDP/PRIO ACD conflicts located in the state (0 if none; NA after 2024).", **n
            ),
            "conflict_intensity": col(
                "Int64",
                "Max ACD intensity: 0 none, 1 minor (25-999), 2 war (1000+).",
                nullable=True,
                checks=pa.Check.isin([0, 1, 2]),
            ),
            "has_conflict": col("boolean", "conflicts_n > 0; NA after 2024.", nullable=True),
            "jihadist_conflicts_n": col(
                "Int64",
                "ACD conflicts in the state with a jihadist side (curated actors); NA after 2024.",
                **n,
            ),
            "has_jihadist_conflict": col("boolean", "jihadist_conflicts_n > 0.", nullable=True),
            "deaths_state_based_n": col(
                "Float64",
                "UCDP state-based deaths (best), 1989-2024; NA outside or if the "
                "state is absent from the UCDP file.",
                **n,
            ),
            "deaths_non_state_n": col("Float64", "UCDP non-state deaths (best), same rule.", **n),
            "deaths_one_sided_n": col("Float64", "UCDP one-sided deaths (best), same rule.", **n),
            "gdp_pc_usd": col("Float64", "GDP per capita, constant US$ (WDI via DemSpaces), 1950-2024.", **n),
            "population_n": col("Float64", "Population, persons.", **n),
            "v2x_polyarchy": col("Float64", "V-Dem electoral democracy index 0-1 (to 2024).", nullable=True),
            "polity2": col("Float64", "Polity5 polity2 -10..10 (to 2018).", nullable=True),
            "us_troops_n": col(
                "Float64", "U.S. military personnel in the country (troopdata, 1950-2024).", **n
            ),
        }
    )
    return pa.DataFrameSchema(cols, strict=True, unique=_KEY, name="panels.country_years")


SCHEMA_COUNTRY_YEARS = _schema()


@table(
    "country_years",
    primary_key=_KEY,
    unit="Gleditsch-Ward state x year",
    coverage="1990-2024, every G-W member",
    sources=(),
    curated=(curated.FILE_PARTNER_OPERATIONS, curated.FILE_JIHADIST_ACTORS),
    schema=SCHEMA_COUNTRY_YEARS,
    depends=(
        "country_codes",
        "country_covariates",
        "coups",
        "mission_years",
        "un_mission_hosts",
        "un_missions",
        "nonun_operations_monthly",
        "ucdp_country_years",
        "ucdp_conflict_years",
        "ucdp_conflict_locations",
    ),
    layer="panels",
)
def build_country_years(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """States by year with coups and coup history, UN peacekeeping and non-UN operations
    (partnership), conflict and jihadist conflict, income, population, democracy and U.S.
    troops. See the module docstring of :mod:`analysis.panels.country` for the fill rules."""
    codes = deps["country_codes"]
    bb = (
        codes.loc[
            codes["year"].between(*YEARS),
            [
                "country_id_gw",
                "year",
                "country_id_cow",
                "country_id_iso3",
                "country_name",
                "region",
                "is_africa",
            ],
        ]
        .sort_values(_KEY)
        .reset_index(drop=True)
    )
    n0 = len(bb)
    hist = coup_history(codes, deps["coups"])
    x = enrich(bb, hist, _KEY, "coups")
    x["has_coup_attempt"] = (x["coup_attempts_n"] > 0).astype("boolean")
    x["has_successful_coup"] = (x["coups_successful_n"] > 0).astype("boolean")
    x["region_coup_attempts_n"] = _regional_coups(x)
    x = enrich(
        x,
        _un_presence(bb, deps["mission_years"], deps["un_mission_hosts"], deps["un_missions"]),
        _KEY,
        "UN presence",
    )
    x = enrich(
        x,
        _nonun(bb, deps["nonun_operations_monthly"], curated.load_partner_operations(), codes),
        _KEY,
        "non-UN operations",
    )
    x["has_partnership"] = (x["has_un_pko"] & x["has_partner_op"]).astype("boolean")
    x = enrich(
        x,
        _acd(
            bb, deps["ucdp_conflict_years"], deps["ucdp_conflict_locations"], curated.load_jihadist_actors()
        ),
        _KEY,
        "ACD",
    )
    deaths = ["deaths_state_based_n", "deaths_non_state_n", "deaths_one_sided_n"]
    x = enrich(x, deps["ucdp_country_years"][[*_KEY, *deaths]], _KEY, "UCDP country-years")
    cov = deps["country_covariates"][
        [*_KEY, "gdp_pc_usd", "population_n", "v2x_polyarchy", "polity2", "us_troops_n"]
    ]
    x = enrich(x, cov, _KEY, "covariates")
    if len(x) != n0:
        raise BuildError(f"country_years: backbone had {n0} rows, now {len(x)}")
    for c, column in SCHEMA_COUNTRY_YEARS.columns.items():
        x[c] = x[c].astype(str(column.dtype))
    return x[list(SCHEMA_COUNTRY_YEARS.columns)]
