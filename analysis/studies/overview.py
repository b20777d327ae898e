"""Data overview (notebook 01): the summaries behind the overview figures.

Fatalities by cause, missions by mandate type, partner operations over time, and what each
source and panel column covers. Nothing here loads data: each function takes the frames it needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import pandas as pd

from analysis.studies.select import select_years
from analysis.vocabulary import (
    CAUSES,
    MANDATE_TYPES,
)


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


def coverage_from_registry(
    files: Iterable[Any], *, by: Literal["source", "file"] = "source", names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Years covered by each registered source (or raw file), long format for
    :func:`analysis.plots.overview.plot_coverage`.

    Parameters
    ----------
    files
        Registry rows (``analysis.data.registry.raw_files()``): objects with ``source``,
        ``file``, ``year_start`` and ``year_end``.
    by
        ``"source"``: one row per source, covering the union of its files' years, labelled
        with its plain name and "(N files)" when it has several (the Security Council's texts are
        1,554 files); ``"file"``: one row per file (``source: file``).
    names
        Source -> plain name (default: the source id), e.g. from
        :func:`analysis.labels.source_label`.

    Returns
    -------
    pandas.DataFrame
        ``group`` (source), ``label``, ``year``, ``share`` (1.0).
    """
    from analysis.vocabulary import check_option

    check_option("by", by, ("source", "file"))
    names = dict(names or {})
    files = list(files)
    if by == "file":
        rows = [{"group": f.source, "label": f"{f.source}: {f.file}", "year": y, "share": 1.0}
                for f in files for y in range(int(f.year_start), int(f.year_end) + 1)]
        return pd.DataFrame(rows, columns=["group", "label", "year", "share"])
    n_files: dict[str, int] = {}
    years: dict[str, set[int]] = {}
    for f in files:
        n_files[f.source] = n_files.get(f.source, 0) + 1
        years.setdefault(f.source, set()).update(range(int(f.year_start), int(f.year_end) + 1))
    rows = []
    for src in sorted(years, key=lambda s: (min(years[s]), s)):
        lab = names.get(src, src) + (f" ({n_files[src]:,} files)" if n_files[src] > 1 else "")
        rows += [{"group": src, "label": lab, "year": y, "share": 1.0} for y in sorted(years[src])]
    return pd.DataFrame(rows, columns=["group", "label", "year", "share"])


def column_coverage(
    frames: Mapping[str, pd.DataFrame],
    columns: Mapping[str, Sequence[str]],
    *,
    time: str = "year",
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Share of rows with a value, per table column and year (the coverage after the fill rules).

    Parameters
    ----------
    frames
        Table name -> frame with a ``time`` column.
    columns
        Table name -> columns to report.
    names
        Table name -> plain name of its rows (e.g. ``"UN operation-months"``); labels are then
        "<plain label of the column> (<plain table name>)" from :mod:`analysis.labels`,
        otherwise ``table.column``.

    Returns
    -------
    pandas.DataFrame
        ``group`` (table, or its plain name), ``label``, ``column``, ``year``, ``share`` (0-1,
        non-missing share of the table's rows that year); years where a column is entirely NA
        have share 0.
    """
    from analysis.labels import label as plain

    parts = []
    for table, cols in columns.items():
        df = frames[table]
        for c in cols:
            share = df[c].notna().groupby(df[time].astype("int64")).mean()
            lab = f"{plain(c)} ({names[table]})" if names and table in names else f"{table}.{c}"
            parts.append(
                pd.DataFrame(
                    {
                        "group": names.get(table, table) if names else table,
                        "label": lab,
                        "column": c,
                        "year": share.index.astype("int64"),
                        "share": share.to_numpy(),
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)
