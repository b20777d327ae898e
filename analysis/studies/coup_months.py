"""The monthly variant of the coup model (notebook 04): state-months with CoupCats timing.

The yearly model dates a partnership, a regime and a coup to the year; a coup in March and a
deployment in November of the same year look simultaneous. The monthly frame times them by
month: the outcome is a coup attempt in month *m* (``coups``: Powell & Thyne days, CoupCats
months after 2022-11), the treatment and the regime controls are those of month *m-1*, and the
slow-moving annual controls (conflict, income, democracy, population, U.S. troops, regional
coups) are those of the previous calendar year, as in the yearly model. The coup clock counts
**months** since the last attempt (since 1950-01 or the state's entry when none; in years in
the cubic terms ``t``, ``t2``, ``t3``, so that coefficients are on the yearly model's scale).

Treatment by month
------------------
* UN peacekeeping: the months a mission appears in ``mission_months`` (the panel's months of
  the mission), in each of its hosts (``un_mission_hosts``; combined entries of the UN list
  mapped as in ``country_years``).
* Partner operations: Bara & Hultman's host-months (1993-01 to 2016-12, every host) and the
  dated curated operations' months (2000-01 to 2024-12, African hosts), without the operations
  of the post-coup rule table when ``exclude`` is given (:mod:`analysis.studies.coup_design`);
  NA in months neither source covers.
* ``has_partnership`` = UN PKO and partner operation in the month (three-valued AND);
  ``has_partner_op`` = any partner operation; ``has_un_pko``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.errors import require_columns

_KEY = ["country_id_gw", "year", "month"]
#: Annual controls taken from the previous calendar year (``country_years`` columns or derived).
ANNUAL_CONTROLS = ("has_conflict", "has_jihadist_conflict", "log_gdp_pc", "v2x_polyarchy", "log_population",
                   "region_coup_attempts_n", "log1p_us_troops")
#: Monthly controls taken from the previous month.
MONTHLY_CONTROLS = ("is_military_regime", "leader_tenure_years")


def _month_index(year: pd.Series, month: pd.Series) -> np.ndarray:
    return year.to_numpy(dtype="int64") * 12 + month.to_numpy(dtype="int64") - 1


def coup_clock_months(months: pd.DataFrame, coups: pd.DataFrame) -> pd.DataFrame:
    """``months`` (``country_id_gw``, ``year``, ``month``, every month of each state from its first
    row) with ``coup_attempts_n`` in the month and ``months_since_coup`` (months since the last
    attempt *before* this month; from the state's first month when none, flagged by
    ``is_coup_clock_censored``).

    Raises ``ValueError`` when a row of ``months`` has no ``country_id_gw`` (it belongs to no
    state's clock).
    """
    if months["country_id_gw"].isna().any():
        line = int(np.flatnonzero(months["country_id_gw"].isna().to_numpy())[0]) + 1
        raise ValueError(f"months: column 'country_id_gw' is missing in row {line} (1-based)")
    c = coups.dropna(subset=["country_id_gw"])
    n = c.groupby(["country_id_gw", "year", "month"]).size().rename("coup_attempts_n").reset_index()
    x = months.merge(n, on=_KEY, how="left").sort_values(_KEY).reset_index(drop=True)
    x["coup_attempts_n"] = x["coup_attempts_n"].fillna(0).astype("Int64")
    t = _month_index(x["year"], x["month"])
    pos = np.arange(len(x))
    # rows are sorted by state, then time: each state's months are one run of rows
    state = x["country_id_gw"].to_numpy(dtype="int64")
    is_first = np.r_[True, state[1:] != state[:-1]] if len(x) else np.zeros(0, dtype=bool)
    first = np.maximum.accumulate(np.where(is_first, pos, 0))  # the row of the state's first month
    has = (x["coup_attempts_n"] > 0).to_numpy(dtype=bool)
    # the last row with an attempt strictly before each row (-1: none); another state's row is earlier
    # than the state's first row, so it counts as none
    last = np.maximum.accumulate(np.r_[-1, np.where(has, pos, -1)[:-1]]) if len(x) else pos
    cens = last < first
    since = t - np.where(cens, t[first], t[np.maximum(last, 0)])
    x["months_since_coup"] = pd.array(since, dtype="Int64")
    x["is_coup_clock_censored"] = pd.array(cens, dtype="boolean")
    return x


def treatment_months(
    months: pd.DataFrame, mission_months: pd.DataFrame, hosts: pd.DataFrame, missions: pd.DataFrame,
    bara: pd.DataFrame, partner_ops: pd.DataFrame, codes: pd.DataFrame, *, exclude: Sequence[str] = (),
) -> pd.DataFrame:
    """``has_un_pko``, ``has_partner_op`` and ``has_partnership`` of each state-month of ``months``
    (module docstring); ``exclude``: operation ids left out of the partner operations."""
    from analysis.panels.coverage import NONUN_YEARS, PARTNER_OPERATIONS_YEARS
    from analysis.panels.hosts import partners_by_country_month

    cmap = dict(zip(missions["mission_id_un"], missions["mission_id_un_combined"]))
    h = hosts.assign(mission_id_un=hosts["mission_id_un"].map(lambda m: cmap.get(m, m)))
    h = h.dropna(subset=["country_id_gw"]).drop_duplicates(["mission_id_un", "country_id_gw"])
    un = (mission_months[["mission_id_un", "year", "month"]].merge(h[["mission_id_un", "country_id_gw"]],
                                                                  on="mission_id_un")
          [_KEY].drop_duplicates().assign(_un=True))
    ex = list(exclude)
    bara_pairs, cur = partners_by_country_month(bara[~bara["operation_id"].isin(ex)],
                                                partner_ops[~partner_ops["operation_id"].isin(ex)], codes)
    bp = bara_pairs.assign(year=bara_pairs["_month"].dt.year, month=bara_pairs["_month"].dt.month)[_KEY]
    cp = cur.assign(year=cur["_month"].dt.year, month=cur["_month"].dt.month)[_KEY]
    x = months[[*_KEY, "is_africa"]].copy()
    for frame, col in ((un, "_un"), (bp.assign(_b=True), "_b"), (cp.assign(_c=True), "_c")):
        f = frame.astype({"country_id_gw": "Int64", "year": "Int64", "month": "Int64"}).drop_duplicates(_KEY)
        x = x.merge(f, on=_KEY, how="left")
        x[col] = x[col].astype("boolean").fillna(False)
    in_b = x["year"].between(*NONUN_YEARS).to_numpy(dtype=bool)
    in_c = (x["year"].between(*PARTNER_OPERATIONS_YEARS).to_numpy(dtype=bool)
            & x["is_africa"].fillna(False).to_numpy(dtype=bool))
    covered = in_b | in_c
    any_op = (x["_b"].to_numpy(dtype=bool) & in_b) | (x["_c"].to_numpy(dtype=bool) & in_c)
    has_op = pd.array(np.where(any_op, True, False), dtype="boolean")
    has_op[~covered & ~any_op] = pd.NA
    out = months.copy()
    out["has_un_pko"] = x["_un"].to_numpy(dtype=bool)
    out["has_un_pko"] = out["has_un_pko"].astype("boolean")
    out["has_partner_op"] = has_op
    out["has_partnership"] = (out["has_un_pko"] & out["has_partner_op"]).astype("boolean")
    return out


def prepare_monthly_coup_data(
    cy: pd.DataFrame,
    regime_months: pd.DataFrame,
    coups: pd.DataFrame,
    treatments: pd.DataFrame,
    *,
    treatment: str = "has_partnership",
    years: tuple[int, int] = (1994, 2024),
    periods: Sequence[int] = (),
) -> pd.DataFrame:
    """State-months ready for :func:`analysis.models.coups.fit_coup_model` (African states).

    Parameters
    ----------
    cy
        ``country_years`` with the annual controls' source columns (``gdp_pc_usd``,
        ``population_n``, ``us_troops_n`` ...) and ``is_africa``.
    regime_months
        ``regime_months`` (the backbone of state-months, with the regime columns).
    coups
        ``coups``.
    treatments
        :func:`treatment_months` on the same state-months (``country_id_gw``, ``year``,
        ``month`` and the treatment columns).
    treatment
        ``has_partnership``, ``has_partner_op`` or ``has_un_pko`` (lagged one month).
    years
        Outcome years kept.
    periods
        First years of the periods after the reference (dummies by the outcome year).

    Returns
    -------
    pandas.DataFrame
        ``country_id_gw``, ``year``, ``month``, ``has_coup_attempt`` (the month), the treatment
        and :data:`MONTHLY_CONTROLS` of the previous month, :data:`ANNUAL_CONTROLS` of the
        previous year, the period dummies, ``months_since_coup`` and ``t``, ``t2``, ``t3`` (in
        years); rows with NA dropped. ``attrs["coup_data"]`` as for the yearly frame.
    """
    require_columns(cy, ["country_id_gw", "year", "is_africa", "gdp_pc_usd", "population_n", "us_troops_n",
                         *[c for c in ANNUAL_CONTROLS if not c.startswith("log")]], "country_years")
    africa = set(cy.loc[cy["is_africa"].fillna(False).astype(bool), "country_id_gw"].dropna().astype(int))
    rm = regime_months[regime_months["country_id_gw"].isin(africa)]
    base = coup_clock_months(rm[_KEY], coups)
    reg = rm[_KEY].copy()
    reg["is_military_regime"] = rm["is_military_regime"].to_numpy()
    reg["leader_tenure_years"] = rm["leader_tenure_months"].astype("Float64").to_numpy() / 12.0
    reg = reg.merge(treatments[[*_KEY, treatment]], on=_KEY, how="left")
    # shift by one month: the value of m-1 is joined to m
    mi = _month_index(reg["year"], reg["month"]) + 1
    reg["year"], reg["month"] = pd.array(mi // 12, dtype="Int64"), pd.array(mi % 12 + 1, dtype="Int64")
    ann = cy[["country_id_gw", "year"]].copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        g = cy["gdp_pc_usd"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        pop = cy["population_n"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        us = cy["us_troops_n"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        ann["log_gdp_pc"] = np.where(g > 0, np.log(g), np.nan)
        ann["log_population"] = np.where(pop > 0, np.log(pop), np.nan)
        ann["log1p_us_troops"] = np.where(us >= 0, np.log1p(us), np.nan)
    for c in ANNUAL_CONTROLS:
        if c not in ann.columns:
            ann[c] = cy[c].to_numpy()
    ann["year"] = ann["year"].astype("Int64") + 1
    x = base.merge(reg, on=_KEY, how="left").merge(ann, on=["country_id_gw", "year"], how="left")
    x = x[x["year"].between(*years)].copy()
    n_window = len(x)
    x["has_coup_attempt"] = (x["coup_attempts_n"] > 0).astype("boolean")
    t = x["months_since_coup"].astype("Float64").to_numpy(dtype=float, na_value=np.nan) / 12.0
    x["t"], x["t2"], x["t3"] = t, t**2, t**3
    names = []
    bounds = [*sorted(int(b) for b in periods), int(years[1]) + 1]
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        names.append(f"period_{lo}_{hi - 1}")
        x[names[-1]] = ((x["year"] >= lo) & (x["year"] < hi)).astype(float).to_numpy()
    cols = ["has_coup_attempt", treatment, *MONTHLY_CONTROLS, *ANNUAL_CONTROLS, "t"]
    na = x[cols].isna()
    x = x[~na.any(axis=1).to_numpy()].reset_index(drop=True)
    x.attrs["coup_data"] = {
        "treatment": treatment, "controls": [*ANNUAL_CONTROLS, *MONTHLY_CONTROLS], "lag": "1 month / 1 year",
        "years": [int(years[0]), int(years[1])], "region": "africa", "periods": names,
        "rows_in_window": n_window, "rows_dropped_na": n_window - len(x),
        "na_by_column": {c: int(na[c].sum()) for c in cols if na[c].any()}, "rows": len(x),
    }
    return x


def monthly_frame(
    cy: pd.DataFrame,
    *,
    regime_months: pd.DataFrame,
    coups: pd.DataFrame,
    codes: pd.DataFrame,
    mission_months: pd.DataFrame,
    hosts: pd.DataFrame,
    missions: pd.DataFrame,
    bara: pd.DataFrame,
    partner_ops: pd.DataFrame,
    treatment: str = "has_partnership",
    exclude: Sequence[str] = (),
    years: tuple[int, int] = (1994, 2024),
    periods: Sequence[int] = (),
) -> pd.DataFrame:
    """:func:`treatment_months` then :func:`prepare_monthly_coup_data` for the African states, from
    the tables ``regime_months``, ``coups``, ``country_codes``, ``mission_months``,
    ``un_mission_hosts``, ``un_missions``, ``nonun_operations_monthly`` and the curated partner
    operations (the notebook loads them)."""
    africa = codes.loc[codes["is_africa"].fillna(False).astype(bool), ["country_id_gw", "year", "is_africa"]]
    months = regime_months[_KEY].merge(africa, on=["country_id_gw", "year"])
    tr = treatment_months(months, mission_months, hosts, missions, bara, partner_ops, codes, exclude=exclude)
    return prepare_monthly_coup_data(cy, regime_months, coups, tr, treatment=treatment, years=years,
                                     periods=periods)
