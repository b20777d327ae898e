"""Design of the event studies: switch-on events, clean controls and stacked sub-experiments.

:func:`analysis.models.event_study.fit_event_study` stacks the events with
:func:`stack_events` and fits the stacked PPML; why this estimator (and not Sun-Abraham) is
argued there, the method in ``docs/methods.md``.

Design
------
The events are the months in which a unit's binary treatment switches on (e.g. a mandate
concept added at a renewal). For each event ``e`` (unit ``i``, month ``t_e``) a
sub-experiment is built over the window ``[t_e + lo, t_e + hi]`` (default ``-12 .. +24``
months): the rows of unit ``i`` in the window and the rows of every **clean control** -- a
unit whose treatment is 0 in every observed month of the window and that has no event in it
(not yet treated or never treated). The sub-experiments are stacked and one Poisson
pseudo-maximum-likelihood (PPML) model is fitted::

    E[y] = exposure * exp( sum_b delta_b 1(treated unit, event time in bin b)
                           + FE(sub-experiment x unit) + FE(sub-experiment x month) )

with event time binned (``bin_width`` months; the bin holding month -1 is the reference) and
``log(exposure)`` as an offset. Standard errors are clustered by unit (a unit appears in
several sub-experiments). The fit uses ``pyfixest.fepois`` (the ppmlhdfe algorithm:
fixed effects absorbed, separated observations dropped); it is checked against the
statsmodels GLM with dummies in the tests.

Non-absorbing events, stated explicitly
---------------------------------------
* An **event** is a 0 -> 1 switch in a month whose previous month is observed and 0. A unit
  treated in its first observed month (a mission born with the mandate) has no event then.
* An event is **clean** (used) when the unit's treatment is 0 in every observed month of the
  pre-window ``[lo, -1]`` and the unit is observed in the reference bin; otherwise it is
  dropped and listed with the reason (e.g. an earlier switch within 12 months).
* What happens after the event stays in: a later switch-off within the window is kept (the
  coefficients are the effect of a switch-on and of whatever follows it, an intention-to-treat
  reading); ``events_table`` counts such events (``switches_off_in_window``).
* Switch-offs are studied by passing the complement of the treatment (a 1 -> 0 switch of
  ``x`` is a 0 -> 1 switch of ``1 - x``, whose clean controls are units with ``x`` on
  throughout the window).
* An event without any clean control in its window is dropped (its month effects would
  absorb it).

References: Cengiz, D., Dube, A., Lindner, A. & Zipperer, B. (2019), The effect of minimum
wages on low-wage jobs, *QJE* 134(3). Wing, C., Freedman, S. M. & Hollingsworth, A. (2024),
Stacked difference-in-differences, NBER WP 32054.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.errors import ModelError
from analysis.models.results import require_columns, to_float

__all__ = ["bin_name", "event_bin", "event_panel", "find_events", "month_index", "stack_events"]


def month_index(year: pd.Series, month: pd.Series) -> pd.Series:
    """Consecutive month number ``12 * year + month - 1`` (Int64), the time axis of the event study."""
    return (year.astype("Int64") * 12 + month.astype("Int64") - 1).rename("month_index")


def event_bin(rel: np.ndarray, width: int) -> np.ndarray:
    """Event-time bin of each relative month (``floor(rel / width)``; month -1 is in bin -1)."""
    return np.floor_divide(rel, width)


def find_events(
    df: pd.DataFrame, *, unit: str, time: str, treatment: str, window: tuple[int, int] = (-12, 24)
) -> pd.DataFrame:
    """Switch-on events of a binary treatment and whether each is clean.

    Returns
    -------
    pandas.DataFrame
        ``unit``, ``time`` (month of the switch), ``status`` (``"used"`` candidates, or
        ``"not clean: ..."``) and ``switches_off_in_window``; also one row per unit treated in
        its first observed month (``status = "treated at entry: no event"``, ``time`` = that
        month).
    """
    lo, hi = window
    d = event_panel(df, unit, time, [treatment])
    rows = []
    for u, g in d.groupby("_unit", sort=True):
        t = g["_time"].to_numpy()
        x = g[treatment].to_numpy()
        obs = dict(zip(t, x))
        if not np.isnan(x[0]) and x[0] == 1:
            rows.append(
                {
                    "unit": u,
                    "time": int(t[0]),
                    "status": "treated at entry: no event",
                    "switches_off_in_window": 0,
                }
            )
        for k in range(1, len(t)):
            if x[k] == 1 and obs.get(t[k] - 1) == 0:
                e = int(t[k])
                pre = [obs[s] for s in range(e + lo, e) if s in obs]
                post = [obs[s] for s in range(e, e + hi + 1) if s in obs]
                offs = int(sum(1 for a, b in zip(post, post[1:]) if a == 1 and b == 0))
                if any(np.isnan(v) or v != 0 for v in pre):
                    status = f"not clean: treated or unknown within {-lo} months before"
                else:
                    status = "used"
                rows.append({"unit": u, "time": e, "status": status, "switches_off_in_window": offs})
    return pd.DataFrame(rows, columns=["unit", "time", "status", "switches_off_in_window"])


def event_panel(df: pd.DataFrame, unit: str, time: str, cols: Sequence[str]) -> pd.DataFrame:
    """``_unit`` (str), ``_time`` (int), the ``cols`` as float and ``_row``, sorted by unit and time.

    ``ValueError`` when ``time`` is not an integer index without NA or ``(unit, time)`` repeats.
    """
    require_columns(df, {"unit/time": [unit, time], "columns": list(cols)})
    t = to_float(df[time])
    if np.any(np.isnan(t)) or np.any(t != np.round(t)):
        raise ValueError(f"time {time!r} must be an integer period index without NA (see month_index)")
    d = pd.DataFrame({"_unit": df[unit].astype(str).to_numpy(), "_time": t.astype(np.int64)})
    for c in cols:
        d[c] = to_float(df[c])
    if d.duplicated(["_unit", "_time"]).any():
        raise ValueError(f"({unit}, {time}) is not unique in the data")
    d["_row"] = np.arange(len(df))
    return d.sort_values(["_unit", "_time"]).reset_index(drop=True)


def bin_name(b: int) -> str:
    """Suffix of the regressor of event-time bin ``b`` (``m3`` for -3, ``p0`` for 0)."""
    return f"m{-b}" if b < 0 else f"p{b}"


def stack_events(
    panel: pd.DataFrame,
    ev: pd.DataFrame,
    keep: np.ndarray,
    *,
    treatment: str | None,
    window: tuple[int, int],
    bin_width: int,
    label: str,
) -> pd.DataFrame:
    """Stack one sub-experiment per used event: the treated unit and its clean controls in the window.

    Parameters
    ----------
    panel
        The sorted panel of :func:`event_panel` (with the treatment column when given).
    ev
        Candidate events (``unit``, ``time``, ``status``); **updated in place**: ``status`` of a
        ``"used"`` event that cannot be used says why (unit not in the data, no observed outcome
        in the reference bin, no clean control in the window) and ``controls_n`` counts the
        clean controls of each event.
    keep
        Rows of ``panel`` whose outcome (and exposure) may enter the fit.
    treatment, window, bin_width
        As in :func:`~analysis.models.event_study.fit_event_study`.
    label
        Specification label for the error.

    Returns
    -------
    pandas.DataFrame
        The stacked rows of ``panel`` with ``_rel`` (event time; NaN on control rows) and
        ``_stack`` (the index of the event in ``ev``).

    Raises
    ------
    ModelError
        No clean event with a clean control in its window.
    """
    lo, hi = window
    ev["controls_n"] = 0
    ref_bin = event_bin(np.array([-1]), bin_width)[0]
    # Dense unit x month grid with prefix sums: a window is checked in O(1) per unit.
    units = sorted(panel["_unit"].unique())
    upos = {u: i for i, u in enumerate(units)}
    t0 = int(panel["_time"].min()) - 1
    T = int(panel["_time"].max()) - t0 + 1
    ui = panel["_unit"].map(upos).to_numpy()
    ti = panel["_time"].to_numpy() - t0
    bad = np.zeros((len(units), T))  # observed month with the treatment on or unknown
    if treatment:
        x = panel[treatment].to_numpy()
        bad[ui, ti] = np.isnan(x) | (x != 0)
    usable = np.zeros((len(units), T))
    usable[ui, ti] = keep
    evm = np.zeros((len(units), T))
    contaminating = ev[ev["status"].isin(["used"]) | ev["status"].str.startswith("not clean")]
    for u, t in zip(contaminating["unit"], contaminating["time"]):
        if u in upos and 0 <= t - t0 < T:
            evm[upos[u], t - t0] = 1
    cum = {
        k: np.concatenate([np.zeros((len(units), 1)), np.cumsum(m, axis=1)], axis=1)
        for k, m in (("bad", bad), ("use", usable), ("ev", evm))
    }

    def window_sum(key: str, a: int, b: int) -> np.ndarray:
        a_, b_ = max(a - t0, 0), min(b - t0, T - 1)
        if b_ < a_:
            return np.zeros(len(units))
        return cum[key][:, b_ + 1] - cum[key][:, a_]

    rows_of = {u: g.index.to_numpy() for u, g in panel.groupby("_unit", sort=True)}
    times_of = {u: panel["_time"].to_numpy()[idx] for u, idx in rows_of.items()}
    parts, rels, stacks = [], [], []
    for k, e in ev.iterrows():
        if e["status"] != "used":
            continue
        u, te = e["unit"], int(e["time"])
        if u not in upos:
            ev.at[k, "status"] = "unit not in the data"
            continue
        w_lo, w_hi = te + lo, te + hi
        tu = times_of[u]
        tr_idx = rows_of[u][(tu >= w_lo) & (tu <= w_hi)]
        tr_idx = tr_idx[keep[tr_idx]]
        rel = panel["_time"].to_numpy()[tr_idx] - te
        if not np.any(event_bin(rel, bin_width) == ref_bin):
            ev.at[k, "status"] = "no observed outcome in the reference bin"
            continue
        clean = (window_sum("bad", w_lo, w_hi) == 0) & (window_sum("ev", w_lo, w_hi) == 0)
        clean &= window_sum("use", w_lo, w_hi) > 0
        clean[upos[u]] = False
        ctrl_units = [units[i] for i in np.flatnonzero(clean)]
        if not ctrl_units:
            ev.at[k, "status"] = "no clean control in the window"
            continue
        ev.at[k, "controls_n"] = len(ctrl_units)
        c_idx = np.concatenate(
            [rows_of[v][(times_of[v] >= w_lo) & (times_of[v] <= w_hi)] for v in ctrl_units]
        )
        c_idx = c_idx[keep[c_idx]]
        parts += [tr_idx, c_idx]
        rels += [rel.astype(float), np.full(len(c_idx), np.nan)]
        stacks.append(np.full(len(tr_idx) + len(c_idx), k))
    if not parts:
        raise ModelError(label, "no clean event with a clean control in its window")
    stacked = panel.take(np.concatenate(parts)).reset_index(drop=True)
    stacked["_rel"] = np.concatenate(rels)
    stacked["_stack"] = np.concatenate(stacks)
    return stacked
