"""Country panel: ``country_years``, every Gleditsch-Ward state x year, 1990-2024.

Verbs
-----
As peacesciencer builds state-years (``create_stateyears() |> add_ucdp_acd() |> ...``), the
panel is a backbone and one public verb per subject, each a left join that keeps the backbone's
rows (:func:`analysis.panels.join.enrich`)::

    cy = create_country_years(years=(2000, 2024))
    cy = add_coups(cy)
    cy = add_un_presence(cy)
    cy = add_nonun_operations(cy)
    cy = add_partnership(cy)
    cy = add_conflict(cy)
    cy = add_covariates(cy)

:func:`build_country_years` is exactly this composition. The verbs work on any frame with
``country_id_gw`` and ``year`` (a researcher's own state-years, a subset of states): outside a
source's years its columns are NA. Frames not given are loaded (:func:`analysis.data.load`,
:mod:`analysis.curated`).

Backbone: the G-W members of ``country_codes`` for each year of
:data:`~analysis.panels.coverage.COUNTRY_YEARS` (1990 to the last year of UCDP/PRIO ACD, 2024).

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

from collections.abc import Mapping, Sequence

import pandas as pd

from analysis import curated
from analysis.data.tables import table
from analysis.errors import BuildError, require_columns
from analysis.panels.coverage import (
    ACD_YEARS,
    COUNTRY_YEARS,
    COUPS_FIRST_YEAR,
    NONUN_YEARS,
    PARTNER_OPERATIONS_YEARS,
    PERSONNEL_YEARS,
)
from analysis.panels.hosts import (
    jihadist_conflict_years,
    mask_undated,
    partners_by_country_month,
    undated_partner_months,
)
from analysis.panels.join import enrich, first_label, kleene_or_covered
from analysis.panels.schemas import COUNTRY_YEARS_KEY, SCHEMA_COUNTRY_YEARS
from analysis.vocabulary import PARTNER_TYPES

_KEY = COUNTRY_YEARS_KEY
#: Backbone columns taken from ``country_codes``.
BACKBONE_COLUMNS = ("country_id_cow", "country_id_iso3", "country_name", "region", "is_africa")
#: UCDP country-year deaths by type of violence.
DEATHS_COLUMNS = ("deaths_state_based_n", "deaths_non_state_n", "deaths_one_sided_n")
#: Covariates added by :func:`add_covariates` by default (``country_covariates``).
COVARIATES = ("gdp_pc_usd", "population_n", "v2x_polyarchy", "polity2", "us_troops_n")


def _frame(frame: pd.DataFrame | None, name: str) -> pd.DataFrame:
    """``frame``, or the table ``name`` loaded from the data layer when not given."""
    if frame is not None:
        return frame
    from analysis.data import load

    return load(name)


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
    # mission_years holds the parts of the UN list's combined entries (UNAVEM III, ...), which
    # have their own host rows: no mapping to the combined entry
    h = hosts.dropna(subset=["country_id_gw"]).drop_duplicates(["mission_id_un", "country_id_gw"])
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
    in_k = res["year"].between(*PERSONNEL_YEARS)
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
    in_bara = x["year"].between(*NONUN_YEARS)
    in_cur = x["year"].between(*PARTNER_OPERATIONS_YEARS) & x["is_africa"].fillna(False).astype(bool)
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
    unknown = undated_partner_months(partner_ops, codes)
    unknown = unknown.assign(year=unknown["_month"].dt.year.astype("Int64"),
                             country_id_gw=unknown["country_id_gw"].astype("Int64"))
    x = mask_undated(x, unknown, _KEY)
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
    inside = x["year"].between(*ACD_YEARS)
    for col in ("conflicts_n", "conflict_intensity", "jihadist_conflicts_n"):
        x[col] = x[col].fillna(0).astype("Int64").where(inside)
    x["has_conflict"] = (x["conflicts_n"] > 0).astype("boolean").where(inside)
    x["has_jihadist_conflict"] = (x["jihadist_conflicts_n"] > 0).astype("boolean").where(inside)
    return x


# ------------------------------------------------------------------------------ verbs


def create_country_years(
    codes: pd.DataFrame | None = None, years: Sequence[int] = COUNTRY_YEARS
) -> pd.DataFrame:
    """The backbone: every Gleditsch-Ward member state in each year of ``years`` (inclusive).

    Returns ``country_id_gw``, ``year`` and :data:`BACKBONE_COLUMNS` from ``country_codes``,
    sorted by state and year.
    """
    codes = _frame(codes, "country_codes")
    first, last = (int(y) for y in years)
    return (
        codes.loc[codes["year"].between(first, last), [*_KEY, *BACKBONE_COLUMNS]]
        .sort_values(_KEY)
        .reset_index(drop=True)
    )


def add_coups(
    cy: pd.DataFrame, coups: pd.DataFrame | None = None, codes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Add coup attempts and successes, the coup history (:func:`coup_history`) and the attempts
    in other states of the same region that year.

    A state-year without a recorded attempt is 0 (the event lists cover every state from
    :data:`~analysis.panels.coverage.COUPS_FIRST_YEAR`); earlier years are NA. The regional count
    uses every G-W member of ``country_codes``, not only the states in ``cy``.
    """
    require_columns(cy, _KEY, "country-years")
    codes = _frame(codes, "country_codes")
    hist = coup_history(codes, _frame(coups, "coups"))
    region = codes[[*_KEY, "region"]].merge(hist[[*_KEY, "coup_attempts_n"]], on=_KEY)
    total = region.groupby(["region", "year"])["coup_attempts_n"].transform("sum")
    region["region_coup_attempts_n"] = (total - region["coup_attempts_n"]).astype("Int64")
    x = enrich(cy, hist, _KEY, "coups")
    x["has_coup_attempt"] = (x["coup_attempts_n"] > 0).astype("boolean")
    x["has_successful_coup"] = (x["coups_successful_n"] > 0).astype("boolean")
    return enrich(x, region[[*_KEY, "region_coup_attempts_n"]], _KEY, "regional coups")


def add_un_presence(
    cy: pd.DataFrame,
    mission_years: pd.DataFrame | None = None,
    hosts: pd.DataFrame | None = None,
    missions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Add UN peacekeeping hosted: ``has_un_pko``, ``un_pko_n``, ``un_pko_ids``,
    ``has_robust_un_pko`` (three-valued) and ``un_personnel_n`` (0 for non-hosts inside Kathman's
    years, NA after)."""
    require_columns(cy, _KEY, "country-years")
    un = _un_presence(
        cy,
        _frame(mission_years, "mission_years"),
        _frame(hosts, "un_mission_hosts"),
        _frame(missions, "un_missions"),
    )
    return enrich(cy, un, _KEY, "UN presence")


def add_nonun_operations(
    cy: pd.DataFrame,
    nonun_operations: pd.DataFrame | None = None,
    partner_operations: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Add non-UN operations in the state: Bara & Hultman (every state, its years) and curated
    partner operations (African states, their years), each NA outside its coverage, and
    ``has_partner_op`` over the covering sources. ``cy`` needs ``is_africa``."""
    require_columns(cy, [*_KEY, "is_africa"], "country-years")
    ops = curated.load_partner_operations() if partner_operations is None else partner_operations
    bara = _frame(nonun_operations, "nonun_operations_monthly")
    nonun = _nonun(cy, bara, ops, _frame(codes, "country_codes"))
    return enrich(cy, nonun, _KEY, "non-UN operations")


def add_partnership(cy: pd.DataFrame) -> pd.DataFrame:
    """Add ``has_partnership``: a UN PKO and a non-UN operation in the same year (three-valued AND),
    by any covering source, and the same from one source only - ``has_partnership_curated``
    (curated partner operations) and ``has_partnership_bara`` (Bara & Hultman) - whose meaning
    does not change with the years. Needs the columns of :func:`add_un_presence` and
    :func:`add_nonun_operations`."""
    require_columns(cy, ["has_un_pko", "has_partner_op", "has_partner_op_curated", "has_nonun_op_bara",
                         "year", "is_africa"], "country-years")
    out = cy.copy()
    un = out["has_un_pko"].astype("boolean")
    out["has_partnership"] = (un & out["has_partner_op"].astype("boolean")).astype("boolean")
    # one source each, NA outside that source's coverage (even where no UN PKO makes the AND False)
    in_cur = out["year"].between(*PARTNER_OPERATIONS_YEARS) & out["is_africa"].fillna(False).astype(bool)
    cur = (un & out["has_partner_op_curated"].astype("boolean")).astype("boolean")
    out["has_partnership_curated"] = cur.where(in_cur)
    bara = (un & out["has_nonun_op_bara"].astype("boolean")).astype("boolean")
    out["has_partnership_bara"] = bara.where(out["year"].between(*NONUN_YEARS))
    return out


def add_conflict(
    cy: pd.DataFrame,
    acd: pd.DataFrame | None = None,
    locations: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
    ucdp_country_years: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Add armed conflict in the state: ACD conflicts located there (count, maximum intensity,
    those with a jihadist side; 0 inside ACD's years, NA outside) and UCDP deaths by type of
    violence as published (NA where the UCDP file has no row)."""
    require_columns(cy, _KEY, "country-years")
    jihadists = curated.load_jihadist_actors() if actors is None else actors
    conflicts = _frame(acd, "ucdp_conflict_years")
    acd_cols = _acd(cy, conflicts, _frame(locations, "ucdp_conflict_locations"), jihadists)
    x = enrich(cy, acd_cols, _KEY, "ACD")
    deaths = _frame(ucdp_country_years, "ucdp_country_years")[[*_KEY, *DEATHS_COLUMNS]]
    return enrich(x, deaths, _KEY, "UCDP country-years")


def add_covariates(
    cy: pd.DataFrame, covariates: pd.DataFrame | None = None, columns: Sequence[str] = COVARIATES
) -> pd.DataFrame:
    """Add covariates of ``country_covariates`` (income, population, democracy, U.S. troops) as
    published, NA outside each source's years."""
    require_columns(cy, _KEY, "country-years")
    cov = _frame(covariates, "country_covariates")
    require_columns(cov, list(columns), "country_covariates")
    return enrich(cy, cov[[*_KEY, *columns]], _KEY, "covariates")


@table(
    "country_years",
    primary_key=_KEY,
    unit="Gleditsch-Ward state x year",
    coverage=f"{COUNTRY_YEARS[0]}-{COUNTRY_YEARS[1]}, every G-W member",
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
    troops: the composition of the verbs of :mod:`analysis.panels.country` (see its docstring
    for the fill rules)."""
    codes = deps["country_codes"]
    cy = create_country_years(codes)
    n0 = len(cy)
    cy = add_coups(cy, deps["coups"], codes)
    cy = add_un_presence(cy, deps["mission_years"], deps["un_mission_hosts"], deps["un_missions"])
    cy = add_nonun_operations(
        cy, deps["nonun_operations_monthly"], curated.load_partner_operations(), codes
    )
    cy = add_partnership(cy)
    cy = add_conflict(
        cy,
        deps["ucdp_conflict_years"],
        deps["ucdp_conflict_locations"],
        curated.load_jihadist_actors(),
        deps["ucdp_country_years"],
    )
    cy = add_covariates(cy, deps["country_covariates"])
    if len(cy) != n0:
        raise BuildError(f"country_years: backbone had {n0} rows, now {len(cy)}")
    for c, column in SCHEMA_COUNTRY_YEARS.columns.items():
        cy[c] = cy[c].astype(str(column.dtype))
    return cy[list(SCHEMA_COUNTRY_YEARS.columns)]
