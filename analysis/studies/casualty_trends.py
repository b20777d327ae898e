"""Casualty trends (notebook 03): the yearly series, segment terms and the mission-level frame.

* :func:`aggregate_series` - deaths per 1,000 personnel-years of all missions by year, from the
  mission-months while deployed personnel are known (Kathman, to 2019), and **extended** with
  Our World in Data's yearly totals of UN uniformed personnel (December of each year, to 2021)
  where mission personnel are unknown. Every year says which exposure it uses
  (``exposure_source``); the years where both exist give the ratio of the two
  (:func:`exposure_overlap`), so a reader sees how comparable the extension is.
* :func:`add_segments` - the level and slope terms of a segmented (interrupted) trend, for a
  mission-fixed-effects segmented model fitted with :func:`analysis.models.fit_casualty_model`
  (which brings the few-cluster checks of :mod:`analysis.studies.casualty_inference`).

Why the post-Cruz segment starts in 2018: the Cruz report ("Improving Security of United
Nations Peacekeepers") appeared in December 2017, after 2017, the deadliest year for hostile
acts since 1994. A segment starting in 2017 puts that peak at its start, so the following fall
toward the long-run rate (regression to the mean) would be read as the report's effect.
Nothing here loads data.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.studies.select import select_years

#: Break years of the segmented trend: Brahimi report (2000), Capstone doctrine (2008), MINUSMA
#: and the robust turn (2013), the first full year after the Cruz report (2018).
DEFAULT_BREAKS = (2000, 2008, 2013, 2018)
#: A year's rate uses deployed personnel only when at least this share of its mission-months has
#: a personnel figure.
MIN_PERSONNEL_COVERAGE = 0.5
#: Labels of the exposure behind each year of :func:`aggregate_series`.
SOURCE_DEPLOYED = "deployed personnel (mission-months)"
SOURCE_OWID = "OWID total (December)"


def aggregate_series(
    rates: pd.DataFrame,
    yearly_total: pd.DataFrame | None = None,
    *,
    years: Sequence[int] = (1990, 2019),
    extend_to: int | None = 2021,
) -> pd.DataFrame:
    """Yearly deaths and exposure of all missions, extended with OWID totals after the mission data.

    Parameters
    ----------
    rates
        Yearly frame of :func:`analysis.models.rates_by_year` (all missions, one cause).
    yearly_total
        ``un_personnel_yearly_total`` (``year``, ``personnel_total_n``, ``source``); None: no
        extension.
    years
        ``[first, last]`` years of the series from the mission data.
    extend_to
        Last year of the extension (None: none). A year after ``years[1]`` up to ``extend_to``
        whose deployed personnel cover fewer than half of its mission-months takes the OWID
        December total as its personnel-years.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``deaths_n`` (all deaths of the cause), ``deaths_model_n`` (the numerator:
        deaths in months with personnel for deployed years, all deaths for OWID years),
        ``personnel_years`` (float), ``rate_per_1000``, ``exposure_source``
        (:data:`SOURCE_DEPLOYED` or :data:`SOURCE_OWID`). Years with neither exposure are left
        out (never a rate of 0).
    """
    r = rates.copy()
    r["year"] = r["year"].astype("int64")
    cov = r["personnel_coverage"].astype("Float64").fillna(0).astype(float)
    dep = r[(cov >= MIN_PERSONNEL_COVERAGE) & r["year"].between(int(years[0]), int(years[1]))]
    out = pd.DataFrame(
        {
            "year": dep["year"].to_numpy(),
            "deaths_n": dep["deaths_n"].astype("int64").to_numpy(),
            "deaths_model_n": dep["deaths_covered_n"].astype("int64").to_numpy(),
            "personnel_years": dep["personnel_years"].astype(float).to_numpy(),
            "exposure_source": SOURCE_DEPLOYED,
        }
    )
    if yearly_total is not None and extend_to is not None and extend_to > int(years[1]):
        tot = yearly_total[["year", "personnel_total_n"]].dropna()
        tot = tot.assign(year=tot["year"].astype("int64"), p=tot["personnel_total_n"].astype(float))
        ext_years = [y for y in range(int(years[1]) + 1, int(extend_to) + 1) if y not in set(out["year"])]
        ext = r[r["year"].isin(ext_years)].merge(tot[["year", "p"]], on="year", how="inner")
        ext = ext[ext["p"] > 0]
        if len(ext):
            out = pd.concat(
                [
                    out,
                    pd.DataFrame(
                        {
                            "year": ext["year"].to_numpy(),
                            "deaths_n": ext["deaths_n"].astype("int64").to_numpy(),
                            "deaths_model_n": ext["deaths_n"].astype("int64").to_numpy(),
                            "personnel_years": ext["p"].to_numpy(),
                            "exposure_source": SOURCE_OWID,
                        }
                    ),
                ],
                ignore_index=True,
            )
    out["rate_per_1000"] = 1000.0 * out["deaths_model_n"] / out["personnel_years"]
    return out.sort_values("year").reset_index(drop=True)


def exposure_overlap(rates: pd.DataFrame, yearly_total: pd.DataFrame) -> pd.DataFrame:
    """Deployed personnel-years (mission-months) against the OWID December total, years with both.

    Returns ``year``, ``personnel_years`` (deployed), ``owid_december_n``, ``ratio``
    (deployed / OWID) and the two rates per 1,000: how much the extension's exposure differs.
    """
    r = rates[rates["personnel_coverage"].astype("Float64").fillna(0) >= MIN_PERSONNEL_COVERAGE]
    tot = yearly_total[["year", "personnel_total_n"]].dropna()
    m = pd.DataFrame(
        {"year": r["year"].astype("int64").to_numpy(),
         "personnel_years": r["personnel_years"].astype(float).to_numpy(),
         "deaths_covered_n": r["deaths_covered_n"].astype(float).to_numpy(),
         "deaths_n": r["deaths_n"].astype(float).to_numpy()}
    ).merge(
        pd.DataFrame({"year": tot["year"].astype("int64").to_numpy(),
                      "owid_december_n": tot["personnel_total_n"].astype(float).to_numpy()}),
        on="year",
        how="inner",
    )
    m["ratio"] = m["personnel_years"] / m["owid_december_n"]
    m["rate_deployed_per_1000"] = 1000 * m["deaths_covered_n"] / m["personnel_years"]
    m["rate_owid_per_1000"] = 1000 * m["deaths_n"] / m["owid_december_n"]
    return m[["year", "personnel_years", "owid_december_n", "ratio", "rate_deployed_per_1000",
              "rate_owid_per_1000"]]


def add_segments(df: pd.DataFrame, breaks: Sequence[int], *, time: str = "year", t0: int | None = None
                 ) -> tuple[pd.DataFrame, list[str]]:
    """Add the terms of a segmented trend: ``trend`` (years since ``t0``), and for each break B
    ``level_B`` = 1(t >= B) and ``slope_B`` = (t - B) x 1(t >= B).

    Returns the frame (a copy) and the term names in order.
    """
    t = df[time].astype(float).to_numpy()
    start = float(t0 if t0 is not None else np.nanmin(t))
    out = df.copy()
    out["trend"] = t - start
    terms = ["trend"]
    for b in breaks:
        on = (t >= b).astype(float)
        out[f"level_{b}"] = on
        out[f"slope_{b}"] = (t - b) * on
        terms += [f"level_{b}", f"slope_{b}"]
    return out, terms


def segment_periods(series: pd.DataFrame, breaks: Sequence[int]) -> pd.DataFrame:
    """Deaths, personnel-years and the rate per 1,000 of each segment of an aggregate series.

    Returns ``period`` ("1990-1999"), ``first_year``, ``last_year``, ``deaths_n``,
    ``personnel_years``, ``rate_per_1000``, ``exposure_source`` (both sources named when a
    segment mixes them).
    """
    y = series["year"].astype(int)
    edges = [int(y.min()), *[int(b) for b in breaks], int(y.max()) + 1]
    rows = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        p = series[(y >= lo) & (y < hi)]
        if not len(p):
            continue
        rows.append({
            "period": f"{lo}-{hi - 1}", "first_year": lo, "last_year": hi - 1,
            "deaths_n": int(p["deaths_model_n"].sum()), "personnel_years": float(p["personnel_years"].sum()),
            "rate_per_1000": 1000 * float(p["deaths_model_n"].sum()) / float(p["personnel_years"].sum()),
            "exposure_source": "; ".join(dict.fromkeys(p["exposure_source"])),
        })
    return pd.DataFrame(rows)


def mission_years(frame: pd.DataFrame, *, outcome: str, exposure: str, years: Sequence[int] | None = None
                  ) -> pd.DataFrame:
    """Mission-years with a positive exposure for the mission-fixed-effects segmented model.

    ``frame`` is a :func:`analysis.studies.casualties.casualty_frame` with ``unit="year"``;
    mission-years with no exposure are dropped (deaths never count without their exposure).
    """
    df = select_years(frame, years)
    df = df[df[exposure].astype(float) > 0]
    return df[["mission_id_un", "year", outcome, exposure]].reset_index(drop=True)


def fit_mission_segments(
    my: pd.DataFrame,
    breaks: Sequence[int],
    *,
    outcome: str,
    exposure: str,
    estimators: Sequence[str] = ("negbin", "ppml"),
    data_versions: dict | None = None,
) -> tuple[dict, pd.DataFrame, list[str], list[str]]:
    """The segmented model with mission fixed effects under each estimator.

    Breaks outside the years of ``my`` are left out; when a break is not identified within
    missions (e.g. only a few missions span it and they have no death on one side: separation),
    the earliest break is dropped and the model refitted, and the reason is returned.

    Returns
    -------
    (dict, pandas.DataFrame, list, list)
        Estimator -> ModelResult; the frame with the segment terms; the terms; notes on the
        breaks left out and why.
    """
    from analysis.errors import ModelError
    from analysis.models import fit_casualty_model

    notes: list[str] = []
    lo, hi = int(my["year"].min()), int(my["year"].max())
    kept = [int(b) for b in breaks if lo < b <= hi]
    if len(kept) < len(breaks):
        notes.append(f"Breaks outside {lo}-{hi} left out of the within-mission model: "
                     f"{[int(b) for b in breaks if int(b) not in kept]}")
    while True:
        frame, terms = add_segments(my, kept, t0=lo)
        try:
            fits = {
                est: fit_casualty_model(frame, outcome=outcome, treatment=terms, exposure=exposure,
                                        fe="mission", estimator=est,  # type: ignore[arg-type]
                                        cluster="mission_id_un", data_versions=data_versions)
                for est in estimators
            }
            return fits, frame, terms, notes
        except ModelError as e:
            if not kept:
                raise
            notes.append(f"Break {kept[0]} left out of the within-mission model: {e.reason}")
            kept = kept[1:]
