"""Peacekeeper casualties (notebooks 02 and 03): the analysis frames behind the casualty models.

Every choice a parameter can make (years, missions, which robust-mandate definition,
carried-forward codings, unit of analysis, controls) is turned into a frame here. Nothing in
this module loads data: each function takes the frames it needs. Options are ``Literal`` types
checked by the package's one validator (:func:`analysis.vocabulary.check_option`), which lists
the valid values when a choice is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis.models.results import ledger_step
from analysis.studies.select import complete_rows, select_missions, select_years
from analysis.vocabulary import (
    CAUSE_COLUMNS,
    MANDATE_CONCEPTS,
    UNIFORMED_PERSONNEL,
    CauseOutcome,
    check_option,
)

RobustDefinition = Literal[
    "is_robust_mandate",
    "robust_mandate_index",
    "is_chapter_vii",
    "has_poc_mandate",
    "has_use_of_force",
    "has_offensive_mandate",
]
Unit = Literal["month", "year"]
Control = Literal["log_host_deaths", "has_jihadist_conflict", "mission_age_years", "log_personnel"]


def outcome_column(cause: CauseOutcome) -> str:
    """Panel column holding the fatalities of ``cause`` (``'all'`` = every cause).

    >>> outcome_column("hostile")
    'fatalities_hostile_n'
    """
    check_option("cause", cause, CauseOutcome)
    return CAUSE_COLUMNS[cause]


def _float(s: pd.Series) -> pd.Series:
    """Nullable boolean / integer -> float64 with NaN for NA."""
    return pd.to_numeric(s.astype("Float64"), errors="raise").astype("float64")


def treatment_name(definition: RobustDefinition, *, filled: bool = False) -> str:
    """Column name of a robust-mandate treatment (``<definition>`` or ``<definition>_filled``)."""
    check_option("treatment", definition, RobustDefinition)
    return f"{definition}_filled" if filled else definition


def robust_treatment(mm: pd.DataFrame, definition: RobustDefinition, *, filled: bool = False) -> pd.Series:
    """Robust-mandate treatment of each mission-month as float (0/1, or 0-4 for the index).

    Parameters
    ----------
    mm
        ``mission_months`` (or a subset).
    definition
        ``is_robust_mandate`` (Chapter VII and PoC), ``robust_mandate_index`` (number of the
        four components that are True) or one component (``is_chapter_vii``,
        ``has_poc_mandate``, ``has_use_of_force``, ``has_offensive_mandate``).
    filled
        Use the ``*_filled`` codings (the mission's last known value carried forward over
        months no source codes). ``is_robust_mandate`` and the index are then recomputed
        from the filled components with the panel's rules (three-valued AND; count of True,
        NA when none is coded).

    Returns
    -------
    pandas.Series
        float64 named :func:`treatment_name`, NaN where the mandate is not coded.
    """
    name = treatment_name(definition, filled=filled)
    suffix = "_filled" if filled else ""
    if definition in MANDATE_CONCEPTS:
        out = _float(mm[definition + suffix])
    elif not filled:
        out = _float(mm[definition])
    elif definition == "is_robust_mandate":
        both = mm["is_chapter_vii_filled"].astype("boolean") & mm["has_poc_mandate_filled"].astype("boolean")
        out = _float(both)
    else:  # robust_mandate_index from the filled components
        comp = pd.DataFrame({c: _float(mm[c + "_filled"]) for c in MANDATE_CONCEPTS}, index=mm.index)
        out = comp.sum(axis=1, min_count=1)
    return out.rename(name)


def add_controls(mm: pd.DataFrame, controls: Iterable[Control]) -> pd.DataFrame:
    """Add the named mission-month controls as float columns (NaN where unknown).

    ``log_host_deaths`` = log(1 + UCDP state-based + non-state + one-sided deaths in the host
    countries that year); ``has_jihadist_conflict`` 0/1; ``mission_age_years`` = months since
    start / 12; ``log_personnel`` = log of uniformed personnel deployed.
    """
    out = mm.copy()
    for c in controls:
        check_option("control", c, Control)
        if c == "log_host_deaths":
            deaths = sum(
                _float(mm[k]) for k in ("deaths_state_based_n", "deaths_non_state_n", "deaths_one_sided_n")
            )
            out[c] = np.log1p(deaths)
        elif c == "has_jihadist_conflict":
            out[c] = _float(mm["has_jihadist_conflict"])
        elif c == "mission_age_years":
            out[c] = _float(mm["mission_age_months"]) / 12.0
        else:
            p = _float(mm["personnel_total_n"])
            out[c] = np.log(p.where(p > 0))
    return out


def casualty_frame(
    mm: pd.DataFrame,
    *,
    cause: CauseOutcome = "hostile",
    treatment: RobustDefinition = "is_robust_mandate",
    filled: bool = False,
    controls: Sequence[Control] = (),
    years: Sequence[int] | None = (1990, 2019),
    missions: str | Sequence[str] = "all",
    unit: Unit = "month",
    exposure: bool = True,
    fatalities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Mission-month or mission-year frame for the casualty models.

    Parameters
    ----------
    mm
        ``mission_months``.
    cause
        Outcome: fatalities of this cause (see :func:`outcome_column`).
    treatment, filled
        Robust-mandate definition (see :func:`robust_treatment`).
    controls
        Names accepted by :func:`add_controls`.
    years
        ``[first, last]`` calendar years, inclusive (None = all).
    missions
        ``'all'``, ``'africa'`` or mission acronyms (see :func:`select_missions`).
    unit
        ``'month'``: one row per mission-month. ``'year'``: months summed to mission-years.
    exposure
        When true, only months with a known, positive ``personnel_total_n`` are kept (deaths in
        months without a personnel figure would otherwise be counted without their exposure).
    fatalities
        ``un_fatalities``: when given, the sample ledger starts from the deaths of the outcome
        in the raw UN file (all missions, then UN PKOs) before the panel's rows.

    Returns
    -------
    pandas.DataFrame
        ``mission_id_un``, ``year``, (``month``), ``is_africa``, the outcome column (int64
        persons), ``personnel_years_n`` (uniformed personnel x months / 12: the exposure, NaN
        when unknown), the treatment column (float: 0/1, share of the year's coded months for
        ``unit='year'``, or the 0-4 index / its yearly mean) and the controls (float; yearly
        means). ``attrs["notes"]`` lists the rows dropped and why; ``attrs["ledger"]`` is the
        sample ledger (rows and deaths after each step, see
        :attr:`analysis.models.ModelResult.ledger`), which the model continues.
    """
    check_option("unit", unit, Unit)
    out_col = outcome_column(cause)
    tname = treatment_name(treatment, filled=filled)
    notes: list[str] = []
    ledger = raw_file_ledger(fatalities, cause, years) if fatalities is not None else []
    df = select_years(mm, years)
    span = f"{int(years[0])}-{int(years[1])}" if years is not None else "all years"
    ledger_step(ledger, f"mission_months, {span}", rows=len(df), events=df[out_col].sum(),
                unit="mission-months",
                reason="UN PKO months of the panel; deaths outside the missions' spans are the listed "
                       "exclusions (analysis/panels/span_exclusions.csv)" if fatalities is not None else "")
    if not (isinstance(missions, str) and missions.lower() == "all"):
        df = select_missions(df, missions)
        ledger_step(ledger, f"missions: {missions}", rows=len(df), events=df[out_col].sum(),
                    unit="mission-months", reason="mission selection")
    n0 = len(df)
    if exposure:
        p = df["personnel_total_n"]
        keep = p.notna() & (p > 0)
        if (~keep).any():
            lost = int(df.loc[~keep, out_col].sum())
            notes.append(
                f"{int((~keep).sum())} of {n0} mission-months without a personnel figure dropped "
                f"({lost} {cause} fatalities in them)"
            )
        df = df[keep]
        ledger_step(ledger, "with a personnel figure", rows=len(df), events=df[out_col].sum(),
                    unit="mission-months", reason="no exposure without uniformed personnel deployed")
    df = add_controls(df, controls)
    frame = pd.DataFrame(
        {
            "mission_id_un": df["mission_id_un"].astype("string"),
            "year": df["year"].astype("int64"),
            "month": df["month"].astype("int64"),
            "is_africa": df["is_africa"].astype("boolean"),
            out_col: df[out_col].astype("int64"),
            "personnel_years_n": _float(df["personnel_total_n"]) / 12.0,
            tname: robust_treatment(df, treatment, filled=filled),
        },
        index=df.index,
    )
    for c in controls:
        frame[c] = df[c].astype("float64")
    if unit == "year":
        agg: dict[str, tuple[str, Any]] = {
            "is_africa": ("is_africa", "first"),
            out_col: (out_col, "sum"),
            "personnel_years_n": ("personnel_years_n", lambda s: s.sum(min_count=1)),
            tname: (tname, "mean"),
            "months_n": ("month", "size"),
        }
        for c in controls:
            agg[c] = (c, "mean")
        frame = frame.groupby(["mission_id_un", "year"], as_index=False, observed=True).agg(**agg)
        ledger_step(ledger, "summed to mission-years", rows=len(frame), events=frame[out_col].sum(),
                    unit="mission-years", reason="unit of analysis")
    frame = frame.reset_index(drop=True)
    frame.attrs["notes"] = notes
    frame.attrs["ledger"] = ledger
    return frame


def raw_file_ledger(fatalities: pd.DataFrame, cause: CauseOutcome, years: Sequence[int] | None) -> list[dict]:
    """The first steps of a casualty ledger: deaths of ``cause`` in the UN fatalities file in
    ``years`` (every mission), then those in UN peacekeeping operations."""
    f = select_years(fatalities, years)
    if cause == "hostile_uniformed":
        f = f[(f["cause"] == "hostile") & f["personnel_type"].isin(UNIFORMED_PERSONNEL)]
    elif cause != "all":
        f = f[f["cause"] == cause]
    span = f"{int(years[0])}-{int(years[1])}" if years is not None else "all years"
    ledger = ledger_step([], f"UN fatalities file: {cause} deaths, {span}", rows=len(f), events=len(f),
                         unit="fatality records", reason="every mission of the file")
    pko = f[f["is_peacekeeping"].fillna(False).astype(bool)]
    return ledger_step(ledger, "in UN peacekeeping operations", rows=len(pko), events=len(pko),
                       unit="fatality records", reason="un_missions.is_peacekeeping (political missions out)")


def rates_by_treatment(
    frame: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    exposure: str = "personnel_years_n",
    by: str | None = "year",
) -> pd.DataFrame:
    """Crude rates per 1,000 personnel-years with and without the treatment.

    Rows with a missing treatment or exposure are left out. A fractional treatment (share of
    months) is split at 0.5; an index (0-4) at >= 2 (``treated`` = at least two components).

    Returns
    -------
    pandas.DataFrame
        ``group`` (``with <treatment>`` / ``without <treatment>``), ``by`` (when given), ``deaths_n``,
        ``personnel_years_n``, ``rate_per_1000``.
    """
    df = frame[complete_rows(frame, [treatment, exposure], positive=[exposure])]
    t = df[treatment].astype(float)
    cut = 2.0 if t.max() > 1 else 0.5
    group = np.where(t >= cut, f"with {treatment}", f"without {treatment}")
    keys = ["group"] + ([by] if by else [])
    g = df.assign(group=group).groupby(keys, observed=True)
    out = pd.DataFrame({"deaths_n": g[outcome].sum(), "personnel_years_n": g[exposure].sum()}).reset_index()
    out["rate_per_1000"] = out["deaths_n"] / out["personnel_years_n"] * 1000
    return out


def period_totals(
    rates: pd.DataFrame, *, by: str = "mission_id_un", years: Sequence[int] | None = None
) -> pd.DataFrame:
    """Deaths, personnel-years and the rate per 1,000 personnel-years summed over a period.

    Parameters
    ----------
    rates
        Yearly frame from :func:`analysis.models.trends.rates_by_year` with ``by``: ``year``,
        ``deaths_n``, ``deaths_covered_n`` (deaths in months with a personnel figure) and
        ``personnel_years``.
    years
        ``[first, last]`` inclusive.

    Returns
    -------
    pandas.DataFrame
        ``by``, ``deaths_n`` (all deaths), ``deaths_covered_n``, ``personnel_years`` (NaN when
        no year has a personnel figure), ``rate_per_1000`` (= deaths_covered_n /
        personnel_years x 1000), sorted by the rate, descending.
    """
    df = select_years(rates, years)
    g = df.groupby(by, observed=True)
    out = pd.DataFrame(
        {
            "deaths_n": g["deaths_n"].sum().astype("int64"),
            "deaths_covered_n": g["deaths_covered_n"].sum().astype("int64"),
            "personnel_years": g["personnel_years"].sum(min_count=1).astype("float64"),
        }
    )
    out["rate_per_1000"] = out["deaths_covered_n"] / out["personnel_years"] * 1000
    out = out.reset_index().sort_values("rate_per_1000", ascending=False, na_position="last")
    return out.reset_index(drop=True)
