"""Peacekeeper casualties (notebooks 02 and 03): the analysis frames behind the casualty models.

Every choice a parameter can make (years, missions, which robust-mandate definition, text
codings or the previous definition, carried-forward codings, outcome, exposure, unit of
analysis, controls) is turned into a frame here. Nothing in
this module loads data: each function takes the frames it needs. Options are ``Literal`` types
checked by the package's one validator (:func:`analysis.vocabulary.check_option`), which lists
the valid values when a choice is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis.errors import require_columns
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
#: Mandate codings: ``"text"`` = the Security Council's resolution texts (2000 onward; PEMA /
#: TAMM before), the panel's primary columns; ``"previous"`` = the definition before the text
#: codings (PEMA / TAMM to 2019, curated resolutions after: the ``*_prev`` columns).
MandateDefinition = Literal["text", "previous"]
#: Exposure: ``"deployed"`` uniformed personnel (Kathman, to 2019), ``"authorized"`` ceilings of
#: the Security Council (text codings, 2000 onward; a ceiling, not a deployment), or ``"none"``.
Exposure = Literal["deployed", "authorized", "none"]
#: Outcome: deaths, or hostile incidents = mission-days with at least 1 (``incident_days``) or at
#: least 5 (``incident_days_5``) deaths of the cause (see :func:`add_incident_days`).
Outcome = Literal["deaths", "incident_days", "incident_days_5"]

#: Exposure column of the casualty frame for each choice (never mixed: a ceiling is not a deployment).
EXPOSURE_COLUMNS: dict[str, str | None] = {
    "deployed": "personnel_years_n",
    "authorized": "personnel_authorized_years_n",
    "none": None,
}
#: Panel column each exposure is built from.
_EXPOSURE_SOURCES = {"deployed": "personnel_total_n", "authorized": "personnel_authorized_n"}
#: Columns the casualty frames derive (not in a core table; labelled in ``analysis/labels.yaml``).
FRAME_COLUMNS: tuple[str, ...] = (
    "incident_days_hostile_n",
    "incident_days_hostile_5_n",
    "personnel_years_n",
    "personnel_authorized_years_n",
    "deployed_to_authorized",
)
#: Minimum deaths on one mission-day of each incident outcome.
INCIDENT_THRESHOLDS = {"incident_days": 1, "incident_days_5": 5}


def outcome_column(cause: CauseOutcome, outcome: Outcome = "deaths") -> str:
    """Panel column of the outcome: the fatalities of ``cause`` (``'all'`` = every cause), or its
    incident days (:func:`add_incident_days`; hostile deaths only).

    >>> outcome_column("hostile")
    'fatalities_hostile_n'
    >>> outcome_column("hostile", "incident_days_5")
    'incident_days_hostile_5_n'
    """
    check_option("cause", cause, CauseOutcome)
    check_option("outcome", outcome, Outcome)
    if outcome == "deaths":
        return CAUSE_COLUMNS[cause]
    if cause != "hostile":
        raise ValueError(
            f"outcome {outcome!r} counts days with hostile deaths: use cause='hostile', not {cause!r}"
        )
    k = INCIDENT_THRESHOLDS[outcome]
    return "incident_days_hostile_n" if k == 1 else f"incident_days_hostile_{k}_n"


def exposure_column(exposure: Exposure | bool) -> str | None:
    """Column of the casualty frame that holds the exposure (None for ``"none"``).

    ``True`` / ``False`` are accepted for ``"deployed"`` / ``"none"`` (the earlier boolean option).
    """
    return EXPOSURE_COLUMNS[_exposure(exposure)]


def _exposure(exposure: Exposure | bool) -> str:
    if isinstance(exposure, bool):
        return "deployed" if exposure else "none"
    check_option("exposure", exposure, Exposure)
    return exposure


def add_incident_days(
    mm: pd.DataFrame, fatalities: pd.DataFrame, missions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Add hostile incident days: mission-days with >= 1 and >= 5 hostile deaths, per mission-month.

    Parameters
    ----------
    mm
        Mission-months (``mission_id_un``, ``year``, ``month``).
    fatalities
        ``un_fatalities`` (``mission_id_un``, ``date``, ``cause``).
    missions
        ``un_missions``: records of the UN list's combined entries (UNAVEM, UNOSOM, UNEF) go to
        the part in force on their date, as the panel's fatality counts do
        (:func:`analysis.panels.spans.resolve_parts`; None: ids used as they are).

    Returns
    -------
    pandas.DataFrame
        ``mm`` with ``incident_days_hostile_n`` and ``incident_days_hostile_5_n`` (Int64). The UN
        file covers every mission and month of the panel, so a month without a hostile death
        has 0 incident days (absence means zero, as for the panel's fatality counts).
    """
    f = fatalities[fatalities["cause"] == "hostile"]
    if f["date"].isna().any():
        raise ValueError(f"un_fatalities: {int(f['date'].isna().sum())} hostile deaths without a date")
    if missions is not None:
        from analysis.panels.spans import resolve_parts

        f = f.assign(mission_id_un=resolve_parts(f["mission_id_un"], f["date"], missions))
    day = f.groupby([f["mission_id_un"].astype(str), f["date"].dt.normalize()]).size().rename("deaths")
    day = day.reset_index()
    day["year"] = day["date"].dt.year.astype("int64")
    day["month"] = day["date"].dt.month.astype("int64")
    out = mm.copy()
    key = pd.MultiIndex.from_arrays(
        [mm["mission_id_un"].astype(str), mm["year"].astype("int64"), mm["month"].astype("int64")]
    )
    for name, k in INCIDENT_THRESHOLDS.items():
        col = outcome_column("hostile", name)  # type: ignore[arg-type]
        n = day[day["deaths"] >= k].groupby(["mission_id_un", "year", "month"]).size()
        out[col] = pd.array(n.reindex(key).fillna(0).to_numpy(dtype="int64"), dtype="Int64")
    return out


def _float(s: pd.Series) -> pd.Series:
    """Nullable boolean / integer -> float64 with NaN for NA."""
    return pd.to_numeric(s.astype("Float64"), errors="raise").astype("float64")


def treatment_name(
    definition: RobustDefinition, *, filled: bool = False, codings: MandateDefinition = "text"
) -> str:
    """Column name of a robust-mandate treatment (``<definition>``, ``<definition>_filled`` or, for
    the previous definition, ``<definition>_prev``)."""
    check_option("treatment", definition, RobustDefinition)
    check_option("codings", codings, MandateDefinition)
    if codings == "previous":
        if filled:
            raise ValueError(
                "the previous definition has no carried-forward (filled) codings: use filled=False"
            )
        return f"{definition}_prev"
    return f"{definition}_filled" if filled else definition


def robust_treatment(
    mm: pd.DataFrame,
    definition: RobustDefinition,
    *,
    filled: bool = False,
    codings: MandateDefinition = "text",
) -> pd.Series:
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
    codings
        ``"text"`` (the panel's primary codings) or ``"previous"`` (the ``*_prev`` columns;
        the index is then counted from the previous components with the same rule).

    Returns
    -------
    pandas.Series
        float64 named :func:`treatment_name`, NaN where the mandate is not coded.
    """
    name = treatment_name(definition, filled=filled, codings=codings)
    if codings == "previous":
        if definition == "robust_mandate_index":
            comp = pd.DataFrame({c: _float(mm[c + "_prev"]) for c in MANDATE_CONCEPTS}, index=mm.index)
            return comp.sum(axis=1, min_count=1).rename(name)
        return _float(mm[name]).rename(name)
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
    exposure: Exposure | bool = "deployed",
    codings: MandateDefinition = "text",
    outcome: Outcome = "deaths",
    fatalities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Mission-month or mission-year frame for the casualty models.

    Parameters
    ----------
    mm
        ``mission_months`` (with :func:`add_incident_days` for an incident outcome).
    cause, outcome
        Outcome: fatalities of this cause, or its incident days (see :func:`outcome_column`).
    treatment, filled, codings
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
        ``"deployed"`` (uniformed personnel deployed, to 2019), ``"authorized"`` (the Security
        Council's ceilings, 2000 onward) or ``"none"`` (``True`` / ``False`` = deployed / none).
        With an exposure only months with a known, positive figure are kept (deaths in months
        without one would otherwise be counted without their exposure).
    fatalities
        ``un_fatalities``: when given, the sample ledger starts from the deaths of the outcome
        in the raw UN file (all missions, then UN PKOs) before the panel's rows (death counts
        only: with an incident-day outcome the ledger starts at the panel).

    Returns
    -------
    pandas.DataFrame
        ``mission_id_un``, ``year``, (``month``), ``is_africa``, the outcome column (int64),
        ``personnel_years_n`` (uniformed personnel deployed x months / 12, NaN when unknown),
        ``personnel_authorized_years_n`` (authorised ceiling x months / 12, NaN when no
        ceiling is coded), the treatment column (float: 0/1, share of the year's coded months
        for ``unit='year'``, or the 0-4 index / its yearly mean) and the controls (float;
        yearly means). ``attrs["notes"]`` lists the rows dropped and why; ``attrs["exposure"]``
        the exposure column (None without one); ``attrs["ledger"]`` the sample ledger (rows and
        events after each step, see :attr:`analysis.models.ModelResult.ledger`), which the
        model continues.
    """
    check_option("unit", unit, Unit)
    exp = _exposure(exposure)
    out_col = outcome_column(cause, outcome)
    if out_col not in mm.columns:
        raise ValueError(f"mission-months have no column {out_col!r}: add it with add_incident_days(mm, ...)")
    tname = treatment_name(treatment, filled=filled, codings=codings)
    notes: list[str] = []
    from_raw = fatalities is not None and outcome == "deaths"
    ledger = raw_file_ledger(fatalities, cause, years) if from_raw and fatalities is not None else []
    df = select_years(mm, years)
    span = f"{int(years[0])}-{int(years[1])}" if years is not None else "all years"
    ledger_step(ledger, f"mission_months, {span}", rows=len(df), events=df[out_col].sum(),
                unit="mission-months",
                reason="UN PKO months of the panel; deaths outside the missions' spans are the listed "
                       "exclusions (analysis/panels/span_exclusions.csv)" if from_raw else "")
    if not (isinstance(missions, str) and missions.lower() == "all"):
        df = select_missions(df, missions)
        ledger_step(ledger, f"missions: {missions}", rows=len(df), events=df[out_col].sum(),
                    unit="mission-months", reason="mission selection")
    n0 = len(df)
    if exp != "none":
        require_columns(df, [_EXPOSURE_SOURCES[exp]], "mission-months")
        p = df[_EXPOSURE_SOURCES[exp]]
        keep = p.notna() & (p > 0)
        what = "personnel figure" if exp == "deployed" else "authorised ceiling"
        if (~keep).any():
            lost = int(df.loc[~keep, out_col].sum())
            notes.append(
                f"{int((~keep).sum())} of {n0} mission-months without a {what} dropped "
                f"({lost} {label_of_outcome(cause, outcome)} in them)"
            )
        df = df[keep]
        ledger_step(ledger, f"with a {what}", rows=len(df), events=df[out_col].sum(), unit="mission-months",
                    reason="no exposure without it")
    df = add_controls(df, controls)
    frame = pd.DataFrame(
        {
            "mission_id_un": df["mission_id_un"].astype("string"),
            "year": df["year"].astype("int64"),
            "month": df["month"].astype("int64"),
            "is_africa": df["is_africa"].astype("boolean"),
            out_col: df[out_col].astype("int64"),
            "personnel_years_n": _float(df["personnel_total_n"]) / 12.0,
            "personnel_authorized_years_n": (
                _float(df["personnel_authorized_n"]) / 12.0
                if "personnel_authorized_n" in df.columns
                else pd.Series(np.nan, index=df.index)
            ),
            tname: robust_treatment(df, treatment, filled=filled, codings=codings),
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
            "personnel_authorized_years_n": ("personnel_authorized_years_n", lambda s: s.sum(min_count=1)),
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
    frame.attrs["exposure"] = EXPOSURE_COLUMNS[exp]
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


def label_of_outcome(cause: CauseOutcome, outcome: Outcome = "deaths") -> str:
    """Plain words for an outcome, e.g. ``"hostile deaths"``, ``"days with >= 5 hostile deaths"``."""
    what = "deaths" if cause == "all" else f"{cause.replace('_', ' ')} deaths"
    if outcome == "deaths":
        return what
    if INCIDENT_THRESHOLDS[outcome] == 1:
        return f"days with a {what.removesuffix('s')}"
    return f"days with {INCIDENT_THRESHOLDS[outcome]} or more {what}"


#: Plain headers of :func:`exposure_comparison` for ``Reporter.table``.
EXPOSURE_COMPARISON_HEADERS = {
    "months_both_n": "months with both",
    "months_deployed_n": "months with deployed figure",
    "months_authorized_n": "months with a ceiling",
    "deployed_mean_n": "deployed (mean)",
    "authorized_mean_n": "authorised ceiling (mean)",
}


def exposure_comparison(mm: pd.DataFrame, *, years: Sequence[int] | None = (2000, 2019)) -> pd.DataFrame:
    """Deployed personnel against authorised ceilings, by mission, in the months that have both.

    Returns
    -------
    pandas.DataFrame
        ``mission_id_un``, ``months_both_n`` (months with both figures), ``months_deployed_n``,
        ``months_authorized_n``, ``deployed_mean_n``, ``authorized_mean_n`` (means over the
        months with both) and ``deployed_to_authorized`` (their ratio: below 1, the mission
        was under strength; a rate per authorised peacekeeper then understates the rate per
        deployed one by this factor), sorted by months with both, descending. Missions with
        neither figure are left out.
    """
    df = select_years(mm, years)
    dep = _float(df["personnel_total_n"])
    aut = _float(df["personnel_authorized_n"])
    both = (dep > 0) & (aut > 0)
    g = pd.DataFrame(
        {"mission_id_un": df["mission_id_un"].astype(str), "dep": dep.where(both), "aut": aut.where(both),
         "both": both, "has_dep": dep > 0, "has_aut": aut > 0}
    ).groupby("mission_id_un")
    out = pd.DataFrame(
        {
            "months_both_n": g["both"].sum().astype("int64"),
            "months_deployed_n": g["has_dep"].sum().astype("int64"),
            "months_authorized_n": g["has_aut"].sum().astype("int64"),
            "deployed_mean_n": g["dep"].mean(),
            "authorized_mean_n": g["aut"].mean(),
        }
    )
    out["deployed_to_authorized"] = out["deployed_mean_n"] / out["authorized_mean_n"]
    out = out[(out["months_deployed_n"] > 0) | (out["months_authorized_n"] > 0)]
    out = out.reset_index().sort_values(["months_both_n", "mission_id_un"], ascending=[False, True])
    return out.reset_index(drop=True)


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
