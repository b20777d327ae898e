"""Analysis frames for the notebooks: subsets, treatment definitions, summaries.

The notebooks stay thin: every choice a parameter can make (years, missions, which
robust-mandate definition, carried-forward codings, unit of analysis, controls) is
turned into a frame here, and the summaries behind the overview figures (fatalities by
cause, missions by mandate type, partner operations, data coverage) are computed here
too. Nothing in this module loads data: each function takes the frames it needs.

Options are ``Literal`` types checked by the package's one validator
(:func:`analysis.models.results.check_option`), which lists the valid values when a choice
is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis.models.results import check_option
from analysis.models.trends import CAUSE_COLUMNS, Cause

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

#: Causes of death in the UN fatalities file (``un_fatalities.cause``), in plotting order.
CAUSES: tuple[str, ...] = ("hostile", "accident", "illness", "self_inflicted", "other_unknown")
#: The four mandate components of ``robust_mandate_index``.
MANDATE_COMPONENTS: tuple[str, ...] = (
    "is_chapter_vii",
    "has_poc_mandate",
    "has_use_of_force",
    "has_offensive_mandate",
)
#: Mandate-type categories of :func:`missions_by_mandate_type`, in plotting order.
MANDATE_TYPES: tuple[str, ...] = (
    "robust (Chapter VII + PoC)",
    "Chapter VII, no PoC",
    "PoC, no Chapter VII",
    "neither",
    "not coded",
)
#: The large multidimensional missions the essay compares MINUSMA with.
LARGE_MISSIONS: tuple[str, ...] = ("MINUSMA", "MINUSCA", "UNAMID", "MONUSCO", "UNMISS")


def outcome_column(cause: Cause) -> str:
    """Panel column holding the fatalities of ``cause`` (``'all'`` = every cause).

    >>> outcome_column("hostile")
    'fatalities_hostile_n'
    """
    check_option("cause", cause, Cause)
    return CAUSE_COLUMNS[cause]


def select_years(df: pd.DataFrame, years: Sequence[int] | None, *, col: str = "year") -> pd.DataFrame:
    """Rows with ``years[0] <= col <= years[1]`` (inclusive); all rows when ``years`` is None."""
    if years is None:
        return df
    if len(years) != 2 or int(years[0]) > int(years[1]):
        raise ValueError(f"years must be [first, last] with first <= last, got {list(years)!r}")
    y = df[col]
    return df[(y >= int(years[0])) & (y <= int(years[1]))]


def select_missions(df: pd.DataFrame, missions: str | Sequence[str]) -> pd.DataFrame:
    """Subset a mission panel: ``'all'``, ``'africa'`` (any African host) or a list of acronyms.

    A list may also be given as one comma-separated string (``"MINUSMA,MONUSCO"``).
    Acronyms are upper-cased; an acronym not in the panel raises ``ValueError``.
    """
    if isinstance(missions, str) and missions.lower() in ("all", "africa"):
        if missions.lower() == "all":
            return df
        return df[df["is_africa"].fillna(False).astype(bool)]
    ids = [m.strip().upper() for m in (missions.split(",") if isinstance(missions, str) else missions)]
    ids = [m for m in ids if m]
    known = set(df["mission_id_un"].dropna().unique())
    unknown = sorted(set(ids) - known)
    if not ids or unknown:
        raise ValueError(
            f"missions: unknown acronym(s) {unknown or ids!r}; use 'all', 'africa' or a list "
            f"of mission_id_un such as {sorted(known)[:8]!r}"
        )
    return df[df["mission_id_un"].isin(ids)]


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
    if definition in MANDATE_COMPONENTS:
        out = _float(mm[definition + suffix])
    elif not filled:
        out = _float(mm[definition])
    elif definition == "is_robust_mandate":
        both = mm["is_chapter_vii_filled"].astype("boolean") & mm["has_poc_mandate_filled"].astype("boolean")
        out = _float(both)
    else:  # robust_mandate_index from the filled components
        comp = pd.DataFrame({c: _float(mm[c + "_filled"]) for c in MANDATE_COMPONENTS}, index=mm.index)
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
    cause: Cause = "hostile",
    treatment: RobustDefinition = "is_robust_mandate",
    filled: bool = False,
    controls: Sequence[Control] = (),
    years: Sequence[int] | None = (1990, 2019),
    missions: str | Sequence[str] = "all",
    unit: Unit = "month",
    exposure: bool = True,
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

    Returns
    -------
    pandas.DataFrame
        ``mission_id_un``, ``year``, (``month``), ``is_africa``, the outcome column (int64
        persons), ``personnel_years_n`` (uniformed personnel x months / 12: the exposure, NaN
        when unknown), the treatment column (float: 0/1, share of the year's coded months for
        ``unit='year'``, or the 0-4 index / its yearly mean) and the controls (float; yearly
        means). ``attrs["notes"]`` lists the rows dropped and why.
    """
    check_option("unit", unit, Unit)
    out_col = outcome_column(cause)
    tname = treatment_name(treatment, filled=filled)
    notes: list[str] = []
    df = select_missions(select_years(mm, years), missions)
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
    frame = frame.reset_index(drop=True)
    frame.attrs["notes"] = notes
    return frame


def complete_rows(df: pd.DataFrame, columns: Iterable[str], *, positive: Iterable[str] = ()) -> pd.Series:
    """Rows a model can use: every column non-missing and the ``positive`` ones > 0."""
    ok = pd.Series(True, index=df.index)
    for c in columns:
        ok &= df[c].notna()
    for c in positive:
        ok &= df[c].fillna(0) > 0
    return ok.astype(bool)


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


def fatalities_by_cause_year(
    fat: pd.DataFrame, *, peacekeeping_only: bool = True, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """Fatalities per year (rows) and cause (columns, :data:`CAUSES` order) from ``un_fatalities``.

    Years without any death in the range are kept as 0 rows (the UN file covers every year).
    """
    df = fat[fat["is_peacekeeping"].fillna(False).astype(bool)] if peacekeeping_only else fat
    df = select_years(df, years)
    tab = pd.crosstab(df["year"].astype("int64"), df["cause"].astype("string"))
    first, last = (int(years[0]), int(years[1])) if years is not None else (tab.index.min(), tab.index.max())
    tab = tab.reindex(index=range(first, last + 1), columns=list(CAUSES), fill_value=0)
    tab.index.name, tab.columns.name = "year", "cause"
    return tab.astype("int64")


def mandate_type(ch7: pd.Series, poc: pd.Series) -> pd.Series:
    """Categorise mandates into :data:`MANDATE_TYPES` from Chapter VII and PoC codings."""
    c = ch7.astype("boolean")
    p = poc.astype("boolean")
    out = pd.Series("not coded", index=ch7.index, dtype="string")
    out[(c == True) & (p == True)] = MANDATE_TYPES[0]  # noqa: E712 (nullable booleans)
    out[(c == True) & (p == False)] = MANDATE_TYPES[1]  # noqa: E712
    out[(c == False) & (p == True)] = MANDATE_TYPES[2]  # noqa: E712
    out[(c == False) & (p == False)] = MANDATE_TYPES[3]  # noqa: E712
    # one component known False, the other unknown: not robust, but not fully coded either
    return out


def missions_by_mandate_type(mm: pd.DataFrame, *, filled: bool = True, month: int = 12) -> pd.DataFrame:
    """Active UN peacekeeping operations per year by mandate type (snapshot month).

    Each mission active in ``month`` of a year (or in its last month that year, when it
    ended earlier) is counted once, with the codings in force then.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; one int64 column per :data:`MANDATE_TYPES` category.
    """
    suf = "_filled" if filled else ""
    df = mm.sort_values(["mission_id_un", "year", "month"])
    df = df[df["month"] <= month].groupby(["mission_id_un", "year"], observed=True).tail(1)
    kind = mandate_type(df["is_chapter_vii" + suf], df["has_poc_mandate" + suf])
    tab = pd.crosstab(df["year"].astype("int64"), kind)
    tab = tab.reindex(columns=list(MANDATE_TYPES), fill_value=0)
    tab.index.name, tab.columns.name = "year", "mandate type"
    return tab.astype("int64")


def partner_operation_spans(
    ops: pd.DataFrame, *, open_end: str | pd.Timestamp = "2024-12-31"
) -> pd.DataFrame:
    """Curated partner operations as time spans for a timeline.

    Parameters
    ----------
    ops
        ``analysis.curated.load_partner_operations()``.
    open_end
        Date drawn for operations still running (``date_end`` missing).

    Returns
    -------
    pandas.DataFrame
        ``label`` (acronym or id, with hosts), ``org_type``, ``start``, ``end``, ``is_open``
        (no end date), sorted by start; operations without a start date are left out and
        listed in ``attrs["undated"]``, those starting after ``open_end`` in
        ``attrs["after_window"]``.
    """
    df = ops.copy()
    undated = df.loc[df["date_start"].isna(), "operation_id"].astype(str).tolist()
    df = df[df["date_start"].notna()]
    late = df["date_start"] > pd.Timestamp(open_end)
    after_window = df.loc[late, "operation_id"].astype(str).tolist()
    df = df[~late]
    name = df["acronym"].fillna(df["operation_id"]).astype(str)
    label = name + " (" + df["host_iso3"].astype(str).str.replace(";", ", ") + ")"
    out = (
        pd.DataFrame(
            {
                "label": label,
                "org_type": df["org_type"].astype(str),
                "start": df["date_start"],
                "end": df["date_end"].fillna(pd.Timestamp(open_end)),
                "is_open": df["date_end"].isna(),
            }
        )
        .sort_values(["start", "label"])
        .reset_index(drop=True)
    )
    out.attrs["undated"] = undated
    out.attrs["after_window"] = after_window
    return out


def nonun_operations_by_year(nonun: pd.DataFrame) -> pd.DataFrame:
    """Non-UN peace operations active per year by organisation type (Bara & Hultman, 1993-2016).

    Returns
    -------
    pandas.DataFrame
        Index ``year``; columns ``regional`` and ``ad_hoc`` (distinct operations active in
        any month of the year, int64).
    """
    df = nonun[~nonun["is_un"].fillna(False).astype(bool)]
    tab = df.groupby(["year", "org_type"], observed=True)["operation_id"].nunique().unstack(fill_value=0)
    tab.index = tab.index.astype("int64")
    tab.columns = tab.columns.astype(str)
    tab.index.name, tab.columns.name = "year", "org_type"
    return tab.astype("int64")


def coverage_from_registry(files: Iterable[Any]) -> pd.DataFrame:
    """Years covered by each registered raw file, long format for :func:`analysis.plots.plot_coverage`.

    Parameters
    ----------
    files
        Registry rows (``analysis.data.registry.raw_files()``): objects with ``source``,
        ``file``, ``year_start`` and ``year_end``.

    Returns
    -------
    pandas.DataFrame
        ``group`` (source), ``label`` (``source: file``), ``year``, ``share`` (1.0).
    """
    rows = [
        {"group": f.source, "label": f"{f.source}: {f.file}", "year": y, "share": 1.0}
        for f in files
        for y in range(int(f.year_start), int(f.year_end) + 1)
    ]
    return pd.DataFrame(rows, columns=["group", "label", "year", "share"])


def column_coverage(
    frames: Mapping[str, pd.DataFrame], columns: Mapping[str, Sequence[str]], *, time: str = "year"
) -> pd.DataFrame:
    """Share of rows with a value, per table column and year (the coverage after the fill rules).

    Parameters
    ----------
    frames
        Table name -> frame with a ``time`` column.
    columns
        Table name -> columns to report.

    Returns
    -------
    pandas.DataFrame
        ``group`` (table), ``label`` (``table.column``), ``year``, ``share`` (0-1, non-missing
        share of the table's rows that year); years where a column is entirely NA have share 0.
    """
    parts = []
    for table, cols in columns.items():
        df = frames[table]
        for c in cols:
            share = df[c].notna().groupby(df[time].astype("int64")).mean()
            parts.append(
                pd.DataFrame(
                    {
                        "group": table,
                        "label": f"{table}.{c}",
                        "year": share.index.astype("int64"),
                        "share": share.to_numpy(),
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


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
