"""Checks of the authorised ceilings against deployments and against the texts themselves.

Frames in, frames out; nothing is loaded here (notebooks and tests pass ``load(...)`` results).

* :func:`deployed_to_authorized` - per mission-month with both (2000-2019 by default), Kathman's
  deployed uniformed personnel (``personnel_total_n``: troops, police, observers) over the
  authorised total (``personnel_authorized_n``); :func:`ratio_table` summarises it by mission.
* :func:`ceiling_exceptions` - the mission-months where deployments exceed the ceiling by more
  than a tolerance, each with a class and an explanation (:data:`EXCEPTION_CLASSES`).
* :func:`stated_levels` - where a text states the level it changes ("decrease ... from 5,437 to
  4,000"), the ceiling computed in force just before, beside it.
"""

from __future__ import annotations

import pandas as pd

#: Why deployments can exceed the authorised ceiling in a month.
EXCEPTION_CLASSES = {
    "drawdown": "the Council lowered the ceiling within the last 12 months (or from this month) and "
    "deployments were still coming down to it",
    "lapse": "a time-limited increase expired before the resolution that extended it (the ceiling "
    "rises again within two months)",
    "unexplained": "none of the above",
}
_KEY = ["mission_id_un", "year", "month"]


def deployed_to_authorized(
    mission_months: pd.DataFrame, years: tuple[int, int] = (2000, 2019)
) -> pd.DataFrame:
    """Mission-months with deployed and authorised personnel, and their ratio.

    Returns
    -------
    DataFrame
        ``mission_id_un``, ``year``, ``month``, ``deployed_n`` (``personnel_total_n``),
        ``authorized_n`` (``personnel_authorized_n``), ``ratio`` (deployed / authorised), in
        ``years`` where both are known and the ceiling is positive.
    """
    m = mission_months
    x = m[m["year"].between(*years)].copy()
    x["deployed_n"] = x["personnel_total_n"].astype("Float64")
    x["authorized_n"] = x["personnel_authorized_n"].astype("Float64")
    x = x[x["deployed_n"].notna() & x["authorized_n"].notna() & (x["authorized_n"] > 0)]
    x["ratio"] = (x["deployed_n"] / x["authorized_n"]).astype(float)
    out = x[[*_KEY, "deployed_n", "authorized_n", "ratio"]].copy()
    out["mission_id_un"] = out["mission_id_un"].astype(str)
    return out.sort_values(_KEY).reset_index(drop=True)


def ratio_table(ratios: pd.DataFrame) -> pd.DataFrame:
    """Per mission: months with both, mean and largest ratio, months above 1.05 and 1.10."""
    g = ratios.groupby("mission_id_un")["ratio"]
    out = pd.DataFrame(
        {
            "months_n": g.size(),
            "ratio_mean": g.mean(),
            "ratio_max": g.max(),
            "months_above_1_05_n": g.apply(lambda s: int((s > 1.05).sum())),
            "months_above_1_10_n": g.apply(lambda s: int((s > 1.10).sum())),
        }
    )
    return out.sort_values("ratio_max", ascending=False).reset_index()


def ceiling_exceptions(
    mission_months: pd.DataFrame,
    monthly: pd.DataFrame,
    tolerance: float = 1.10,
    years: tuple[int, int] = (2000, 2019),
) -> pd.DataFrame:
    """Mission-months where deployed > ``tolerance`` x authorised, each classified.

    Parameters
    ----------
    mission_months
        The mission panel (``personnel_total_n``, ``personnel_authorized_n``).
    monthly
        ``sc_mandates_monthly`` (the evidence resolution of each ceiling).
    tolerance
        Ratio above which a month is listed.

    Returns
    -------
    DataFrame
        ``mission_id_un``, ``year``, ``month``, ``deployed_n``, ``authorized_n``, ``ratio``,
        ``class`` (:data:`EXCEPTION_CLASSES`), ``resolution`` (that set the ceiling in force),
        ``explanation``.
    """
    r = deployed_to_authorized(mission_months, years)
    ev = monthly[monthly["concept"] == "personnel_authorized_n"][[*_KEY, "evidence_resolution"]].copy()
    ev["mission_id_un"] = ev["mission_id_un"].astype(str)
    ev = ev.astype({"year": int, "month": int}).set_index(_KEY)["evidence_resolution"]
    series = mission_months[[*_KEY, "personnel_authorized_n"]].copy()
    series["mission_id_un"] = series["mission_id_un"].astype(str)
    series["t"] = series["year"].astype(int) * 12 + series["month"].astype(int) - 1
    by = {
        m: g.set_index("t")["personnel_authorized_n"].astype(float)
        for m, g in series.groupby("mission_id_un")
    }
    rows = []
    for x in r[r["ratio"] > tolerance].itertuples(index=False):
        s = by[x.mission_id_un]
        t = int(x.year) * 12 + int(x.month) - 1
        now = s.get(t)
        past = s[(s.index >= t - 12) & (s.index < t)].dropna()
        after = s[(s.index > t) & (s.index <= t + 2)].dropna()
        res = ev.get((x.mission_id_un, int(x.year), int(x.month)))
        res = None if res is None or pd.isna(res) else int(res)
        if len(after) and len(past) and after.max() > now and past.iloc[-1] > now:
            cls = "lapse"
        elif len(past) and past.max() > now:
            cls = "drawdown"
        else:
            cls = "unexplained"
        what = f"ceiling {now:,.0f} (S/RES/{res})" if res else f"ceiling {now:,.0f}"
        rows.append(
            {
                **x._asdict(),
                "class": cls,
                "resolution": res,
                "explanation": f"{EXCEPTION_CLASSES[cls]}: deployed {x.deployed_n:,.0f}, {what}",
            }
        )
    cols = [*_KEY, "deployed_n", "authorized_n", "ratio", "class", "resolution", "explanation"]
    out = pd.DataFrame(rows, columns=cols)
    out["resolution"] = out["resolution"].astype("Int64")
    return out


def stated_levels(ceilings: pd.DataFrame, monthly: pd.DataFrame) -> pd.DataFrame:
    """Statements that state the level they change, beside the ceiling computed in force the month
    before they take effect (military and police only).

    Returns
    -------
    DataFrame
        ``resolution_number``, ``mission_id_un``, ``component``, ``old_n`` (the text's),
        ``computed_n`` (ours; NA where unknown), ``is_equal``.
    """
    concept = {"military": "personnel_military_authorized_n", "police": "personnel_police_authorized_n"}
    s = ceilings[ceilings["old_n"].notna() & ceilings["component"].isin(list(concept))].copy()
    m = monthly[monthly["concept"].isin(list(concept.values()))].copy()
    m["mission_id_un"] = m["mission_id_un"].astype(str)
    m = m.astype({"year": int, "month": int}).set_index([*_KEY, "concept"])["value_n"]
    before = s["effective_date"].dt.to_period("M").dt.to_timestamp() - pd.offsets.MonthBegin(1)
    s["computed_n"] = [
        m.get((str(mid), d.year, d.month, concept[c]), pd.NA)
        for mid, d, c in zip(s["mission_id_un"], before, s["component"])
    ]
    s["computed_n"] = s["computed_n"].astype("Float64")
    s["is_equal"] = (s["computed_n"] == s["old_n"].astype("Float64")).astype("boolean")
    return s[
        ["resolution_number", "mission_id_un", "component", "old_n", "computed_n", "is_equal"]
    ].reset_index(drop=True)
