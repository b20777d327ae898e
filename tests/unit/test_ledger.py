"""The sample ledger (issue 10, item 9): rows and events after each filter, seeded by the study
and continued by the model; it adds up."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from analysis.models import fit_casualty_model, fit_coup_model
from analysis.models.results import ledger_frame, ledger_step
from analysis.studies.casualties import casualty_frame


def _adds_up(ledger):
    for prev, cur in zip(ledger, ledger[1:]):
        assert cur["events_dropped"] == prev["events"] - cur["events"], cur
        if cur["unit"] == prev["unit"]:
            assert cur["rows_dropped"] == prev["rows"] - cur["rows"], cur
        else:
            assert cur["rows_dropped"] is None


def _mm(n_missions=6, months=24, seed=3):
    rng = np.random.default_rng(seed)
    rows = []
    for m in range(n_missions):
        for k in range(months):
            rows.append({"mission_id_un": f"M{m}", "year": 2000 + k // 12, "month": k % 12 + 1,
                         "is_africa": m % 2 == 0, "personnel_total_n": float(rng.integers(500, 5000)),
                         "is_robust_mandate": bool(m % 3 == 0),
                         "fatalities_hostile_n": int(rng.poisson(0.6)),
                         "deaths_state_based_n": float(rng.integers(0, 900)), "deaths_non_state_n": 0.0,
                         "deaths_one_sided_n": 0.0})
    mm = pd.DataFrame(rows)
    mm["is_robust_mandate"] = mm["is_robust_mandate"].astype("boolean")
    mm.loc[mm.index % 17 == 0, "personnel_total_n"] = np.nan
    mm.loc[mm.index % 23 == 0, "is_robust_mandate"] = pd.NA
    return mm


def test_casualty_ledger_starts_in_the_raw_file_and_adds_up():
    mm = _mm()
    fat = pd.DataFrame({"year": [2000, 2000, 2001, 2001, 2005], "cause": ["hostile", "hostile", "hostile",
                                                                          "illness", "hostile"],
                        "personnel_type": ["Military"] * 5,
                        "is_peacekeeping": pd.array([True, False, True, True, True], dtype="boolean")})
    frame = casualty_frame(mm, controls=["log_host_deaths"], years=(2000, 2001), fatalities=fat)
    res = fit_casualty_model(frame, outcome="fatalities_hostile_n", treatment="is_robust_mandate",
                             controls=["log_host_deaths"], exposure="personnel_years_n", fe="year",
                             estimator="poisson", cluster="mission_id_un")
    led = res.ledger
    assert [s["step"] for s in led[:2]] == ["UN fatalities file: hostile deaths, 2000-2001",
                                           "in UN peacekeeping operations"]
    assert (led[0]["events"], led[1]["events"]) == (3, 2)
    assert led[-1]["step"] == "in the model"
    assert led[-1]["rows"] == res.nobs and led[-1]["events"] == res.fit_stats["events"]
    steps = [s["step"] for s in led]
    assert "with a personnel figure" in steps
    assert any("is_robust_mandate" in s for s in steps)  # the model's own drop appended
    _adds_up(led)
    assert json.loads(json.dumps(res.to_dict(), allow_nan=False))["ledger"] == led
    tab = res.ledger_frame()
    assert list(tab.columns) == ["step", "unit", "rows", "events", "rows_dropped", "events_dropped", "reason"]


def test_model_without_a_seeded_frame_starts_its_own_ledger():
    led = ledger_step([], "a", rows=10, events=4, unit="u")
    ledger_step(led, "b", rows=7, events=3, unit="u")
    ledger_step(led, "c", rows=2, events=3, unit="v")
    assert [s["rows_dropped"] for s in led] == [None, 3, None]
    assert [s["events_dropped"] for s in led] == [None, 1, 0]
    assert ledger_frame(led)["rows"].dtype == "Int64"


def test_coup_ledger_adds_up():
    rng = np.random.default_rng(1)
    n = 400
    df = pd.DataFrame({"country_id_gw": np.repeat(np.arange(20), 20),
                       "year": np.tile(np.arange(2000, 2020), 20),
                       "has_coup_attempt": rng.random(n) < 0.15, "x": rng.normal(size=n),
                       "t": rng.integers(0, 20, n).astype(float)})
    df["t2"], df["t3"] = df["t"] ** 2, df["t"] ** 3
    df.loc[::13, "x"] = np.nan
    res = fit_coup_model(df, outcome="has_coup_attempt", treatment="x", controls=[], estimator="logit")
    assert res.ledger[0]["step"] == "frame given to the model" and res.ledger[-1]["rows"] == res.nobs
    _adds_up(res.ledger)
