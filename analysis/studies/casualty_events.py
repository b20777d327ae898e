"""Within-mission event studies of mandate changes at renewals (notebook 02).

The Security Council renews most mandates every six or twelve months; the text codings give,
for each mission-month, the mandate in force (``mandate_resolution`` = the resolution that
governs it). An **event** is a month in which a concept switches on at a renewal or
modification: the mission's previous month had the concept 0 and this month 1. A **placebo
renewal** is a month in which the governing resolution changes but none of the concepts
does. The design and its estimator (stacked PPML with clean not-yet / never-treated controls,
the naive two-way fixed-effects estimate beside it, a joint pre-trend test) are
:func:`analysis.models.fit_event_study`; this module builds the monthly frame, dates the
renewals and runs the design for each concept. Nothing here loads data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.studies.casualties import (
    EXPOSURE_COLUMNS,
    Exposure,
    _exposure,
    _float,
    label_of_outcome,
)
from analysis.studies.select import select_missions, select_years

#: Concepts whose switch-ons are events (text codings; ``is_robust_mandate`` = Chapter VII and PoC).
EVENT_CONCEPTS: tuple[str, ...] = (
    "is_chapter_vii",
    "has_poc_mandate",
    "has_use_of_force",
    "has_offensive_mandate",
    "has_partnership_language",
    "is_robust_mandate",
)
#: Columns of :func:`event_summary`.
SUMMARY_COLUMNS = (
    "concept",
    "status",
    "events_clean",
    "events_all",
    "treated_deaths",
    "ratio",
    "ratio_ci_low",
    "ratio_ci_high",
    "p_value",
    "pretrend_p",
    "naive_ratio",
    "naive_ci_low",
    "naive_ci_high",
    "naive_p",
)


def event_frame(
    mm: pd.DataFrame,
    *,
    exposure: Exposure | bool = "deployed",
    years: Sequence[int] | None = (1990, 2019),
    missions: str | Sequence[str] = "all",
    concepts: Sequence[str] = EVENT_CONCEPTS,
    outcomes: Sequence[str] = ("fatalities_hostile_n", "fatalities_illness_n"),
) -> pd.DataFrame:
    """Mission-month frame of the event studies: a month index, the concepts and the exposure.

    Returns
    -------
    pandas.DataFrame
        ``mission_id_un``, ``year``, ``month``, ``month_index`` (12 x year + month - 1),
        ``mandate_resolution`` (float, NaN where unknown), the ``concepts`` as float 0/1 (NaN
        where not coded), the ``outcomes`` (float counts) and the exposure column of
        :data:`analysis.studies.casualties.EXPOSURE_COLUMNS` (personnel x 1/12; NaN where
        unknown: such months drop out of the fit but still count for whether a control is
        clean). ``attrs["exposure"]`` names the exposure column.
    """
    from analysis.models.event_stacking import month_index

    exp = _exposure(exposure)
    df = select_missions(select_years(mm, years), missions)
    out = pd.DataFrame(
        {
            "mission_id_un": df["mission_id_un"].astype(str).to_numpy(),
            "year": df["year"].astype("int64").to_numpy(),
            "month": df["month"].astype("int64").to_numpy(),
        }
    )
    out["month_index"] = month_index(out["year"], out["month"]).astype("int64").to_numpy()
    out["mandate_resolution"] = _float(df["mandate_resolution"]).to_numpy()
    for c in concepts:
        out[c] = _float(df[c]).to_numpy()
    for o in outcomes:
        out[o] = _float(df[o]).to_numpy()
    col = EXPOSURE_COLUMNS[exp]
    if col is not None:
        src = "personnel_total_n" if exp == "deployed" else "personnel_authorized_n"
        p = _float(df[src]).to_numpy()
        out[col] = np.where(p > 0, p / 12.0, np.nan)
    out.attrs["exposure"] = col
    return out.sort_values(["mission_id_un", "month_index"]).reset_index(drop=True)


def renewals(frame: pd.DataFrame, concepts: Sequence[str] = EVENT_CONCEPTS) -> pd.DataFrame:
    """Months in which a mission's governing resolution changes (a renewal or modification).

    Returns
    -------
    pandas.DataFrame
        ``mission_id_un``, ``month_index``, ``year``, ``month``, ``resolution`` (new),
        ``previous_resolution``, for each concept ``<concept>_change`` (``"on"``, ``"off"``,
        ``"same"`` or ``"unknown"`` when either month is not coded) and ``changed`` (the concepts
        that switched, comma-separated, ``""`` when none). Only consecutive months of the same
        mission count (a gap is not a renewal).
    """
    rows = []
    for m, g in frame.groupby("mission_id_un", sort=True):
        g = g.sort_values("month_index")
        t = g["month_index"].to_numpy()
        r = g["mandate_resolution"].to_numpy()
        for k in range(1, len(g)):
            if t[k] - t[k - 1] != 1 or np.isnan(r[k]) or np.isnan(r[k - 1]) or r[k] == r[k - 1]:
                continue
            row: dict[str, Any] = {
                "mission_id_un": m,
                "month_index": int(t[k]),
                "year": int(g["year"].iat[k]),
                "month": int(g["month"].iat[k]),
                "resolution": int(r[k]),
                "previous_resolution": int(r[k - 1]),
            }
            changed = []
            for c in concepts:
                a, b = g[c].iat[k - 1], g[c].iat[k]
                if np.isnan(a) or np.isnan(b):
                    ch = "unknown"
                elif a == b:
                    ch = "same"
                else:
                    ch = "on" if b > a else "off"
                    changed.append(c)
                row[f"{c}_change"] = ch
            row["changed"] = ", ".join(changed)
            rows.append(row)
    cols = ["mission_id_un", "month_index", "year", "month", "resolution", "previous_resolution",
            *[f"{c}_change" for c in concepts], "changed"]
    return pd.DataFrame(rows, columns=cols)


def placebo_renewals(ren: pd.DataFrame, concepts: Sequence[str] = EVENT_CONCEPTS) -> pd.DataFrame:
    """Renewals that changed no concept (every concept coded and the same on both sides).

    Returns ``unit``, ``time`` (the ``events=`` frame of :func:`analysis.models.fit_event_study`)
    and the resolution.
    """
    same = np.ones(len(ren), dtype=bool)
    for c in concepts:
        same &= (ren[f"{c}_change"] == "same").to_numpy()
    p = ren[same]
    return pd.DataFrame(
        {"unit": p["mission_id_un"].to_numpy(), "time": p["month_index"].to_numpy(),
         "resolution": p["resolution"].to_numpy()}
    )


def _row(concept: str, res: Any, events_all: int) -> dict[str, Any]:
    nan = math.nan
    post = res.post_average
    naive = res.naive_static or {}
    used = int((res.events["status"] == "used").sum())
    st = res.extra.get("stacked")
    treated_deaths = math.nan
    if st is not None and "_bin" in st:
        tr = st[st["_bin"].notna() & (st["_bin"] >= 0)]
        treated_deaths = float(tr[res.spec["outcome"]].sum())
    ok = post.get("estimate") is not None and np.isfinite(post.get("estimate", nan))
    return {
        "concept": concept,
        "status": "ok" if ok else "no estimable post-event bin",
        "events_clean": used,
        "events_all": events_all,
        "treated_deaths": treated_deaths,
        "ratio": post.get("ratio", nan) if ok else nan,
        "ratio_ci_low": post.get("ratio_ci_low", nan) if ok else nan,
        "ratio_ci_high": post.get("ratio_ci_high", nan) if ok else nan,
        "p_value": post.get("p_value", nan) if ok else nan,
        "pretrend_p": res.pretrend.get("p_f", nan),
        "naive_ratio": naive.get("ratio", nan),
        "naive_ci_low": naive.get("ratio_ci_low", nan),
        "naive_ci_high": naive.get("ratio_ci_high", nan),
        "naive_p": naive.get("p_value", nan),
    }


def concept_event_studies(
    frame: pd.DataFrame,
    *,
    outcome: str = "fatalities_hostile_n",
    concepts: Sequence[str] = EVENT_CONCEPTS,
    window: tuple[int, int] = (-12, 24),
    bin_width: int = 6,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The stacked event study of each concept's switch-ons, and a summary table.

    Returns
    -------
    (dict, pandas.DataFrame)
        Concept -> :class:`analysis.models.event_study.EventStudyResult` (only those that could be
        fitted) and one row per concept (:data:`SUMMARY_COLUMNS`): clean events used, all
        switch-ons, hostile deaths in treated post-event rows, the post-event average ratio
        with its interval and p-value, the pre-trend test's p (F(q, G-1)) and the naive static
        TWFE ratio. A concept that cannot be fitted has its reason in ``status`` and no numbers.
    """
    from analysis.errors import ModelError
    from analysis.models import fit_event_study
    from analysis.models.event_stacking import find_events

    fits: dict[str, Any] = {}
    rows = []
    exp = frame.attrs.get("exposure")
    for c in concepts:
        sub = frame[["mission_id_un", "month_index", outcome, c, *([exp] if exp else [])]]
        ev = find_events(sub, unit="mission_id_un", time="month_index", treatment=c, window=window)
        n_all = int((~ev["status"].str.startswith("treated at entry")).sum())
        try:
            res = fit_event_study(sub, outcome=outcome, unit="mission_id_un", time="month_index", treatment=c,
                                  exposure=exp, window=window, bin_width=bin_width)
        except ModelError as e:
            rows.append({"concept": c, "status": f"not estimable: {e.reason}", "events_clean": 0,
                         "events_all": n_all})
            continue
        fits[c] = res
        rows.append(_row(c, res, n_all))
    return fits, pd.DataFrame(rows).reindex(columns=list(SUMMARY_COLUMNS))


def placebo_study(
    frame: pd.DataFrame,
    placebo: pd.DataFrame,
    *,
    outcome: str = "fatalities_hostile_n",
    window: tuple[int, int] = (-12, 24),
    bin_width: int = 6,
) -> Any:
    """The event-study design with placebo renewals as events (controls: no placebo renewal in the window).

    Raises :class:`analysis.errors.ModelError` when no placebo renewal has a clean control.
    """
    from analysis.models import fit_event_study

    exp = frame.attrs.get("exposure")
    sub = frame[["mission_id_un", "month_index", outcome, *([exp] if exp else [])]]
    return fit_event_study(sub, outcome=outcome, unit="mission_id_un", time="month_index",
                           events=placebo[["unit", "time"]], exposure=exp, window=window,
                           bin_width=bin_width, naive=False)


def describe_outcome(outcome: str) -> str:
    """Plain words of an event-study outcome column."""
    cause = outcome.removeprefix("fatalities_").removesuffix("_n")
    return label_of_outcome(cause) if cause in ("hostile", "illness", "accident") else outcome  # type: ignore[arg-type]
