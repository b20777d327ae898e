"""Simulate the synthetic panels of the count-model golden tests (fixed seeds; run from anywhere).

    python tests/golden/count_models/simulate.py

writes ``hard.csv``, ``mild.csv`` and ``ppml.csv`` beside this script. The data are synthetic:
no row comes from a real source. R (``glm_nb.R``) and the tests read the same CSV files.

* ``hard``: a mission-month panel shaped like the real one and built to be hard for NB2:
  40 missions over 2000-2019 with 24-120 months each, exposure (personnel-years per month)
  spread over almost three orders of magnitude, mission and year fixed effects, a treatment that
  switches on within some missions, one continuous control, and heavy-tailed counts
  (Poisson with log-normal frailty, sigma 1.8, plus rare mass-casualty months) so that
  about three quarters of the rows are zero and a few months hold hundreds of deaths.
* ``mild``: 30 missions, genuinely NB2 counts with alpha = 0.5, about 40% zeros, year
  fixed effects only.
* ``ppml``: 35 missions x 15 years, Poisson counts with mission and year effects for the
  PPML checks (against pyfixest and R).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def simulate_hard(seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    year_fe = dict(zip(range(2000, 2020), rng.normal(0, 0.5, 20)))
    for m in range(40):
        n_months = int(rng.integers(24, 121))
        start = int(rng.integers(0, 240 - n_months + 1))
        mission_fe = rng.normal(0, 1.5)
        log_size = rng.normal(3.5, 1.4)
        switch = int(rng.integers(6, n_months - 6)) if rng.random() < 0.6 else None
        x_level = rng.normal(0, 1)
        for t in range(n_months):
            month_index = start + t
            year = 2000 + month_index // 12
            treated = int(switch is not None and t >= switch)
            x = x_level + rng.normal(0, 0.7)
            exposure = float(np.exp(log_size + 0.05 * t / 12 + rng.normal(0, 0.3)))
            eta = -4.9 + mission_fe + year_fe[year] + 0.4 * treated + 0.3 * x
            frailty = rng.lognormal(-0.5 * 1.8**2, 1.8)
            y = rng.poisson(exposure * np.exp(eta) * frailty)
            if rng.random() < 0.01:
                y += rng.poisson(15)
            rows.append(
                {
                    "mission_id_un": f"M{m:02d}",
                    "year": year,
                    "month": month_index % 12 + 1,
                    "deaths_n": int(y),
                    "is_treated": treated,
                    "conflict_z": round(x, 6),
                    "personnel_years_n": round(exposure, 6),
                }
            )
    return pd.DataFrame(rows)


def simulate_mild(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for m in range(30):
        years = range(int(rng.integers(2000, 2006)), int(rng.integers(2012, 2020)))
        mission_level = rng.normal(0, 0.3)
        switch = int(rng.integers(2004, 2014))
        for year in years:
            treated = int(year >= switch)
            x = rng.normal(0, 1)
            exposure = float(np.exp(rng.normal(3.0, 0.8)))
            mu = exposure * np.exp(-3.0 + mission_level + 0.05 * (year - 2000) - 0.5 * treated + 0.3 * x)
            alpha = 0.5
            y = rng.poisson(mu * rng.gamma(1 / alpha, alpha))
            rows.append(
                {
                    "mission_id_un": f"M{m:02d}",
                    "year": year,
                    "deaths_n": int(y),
                    "is_treated": treated,
                    "conflict_z": round(x, 6),
                    "personnel_years_n": round(exposure, 6),
                }
            )
    return pd.DataFrame(rows)


def simulate_ppml(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    mission_fe = rng.normal(0, 1, 35)
    year_fe = rng.normal(0, 0.3, 15)
    rows = []
    for m in range(35):
        switch = int(rng.integers(2003, 2016))
        for k, year in enumerate(range(2000, 2015)):
            treated = int(year >= switch)
            x = rng.normal(0, 1)
            exposure = float(np.exp(rng.normal(2.0, 1.0)))
            mu = exposure * np.exp(-1.5 + mission_fe[m] + year_fe[k] + 0.3 * treated - 0.2 * x)
            y = rng.poisson(mu * rng.gamma(2.0, 0.5))
            rows.append(
                {
                    "mission_id_un": f"M{m:02d}",
                    "year": year,
                    "deaths_n": int(y),
                    "is_treated": treated,
                    "conflict_z": round(x, 6),
                    "personnel_years_n": round(exposure, 6),
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    for name, df in (("hard", simulate_hard()), ("mild", simulate_mild()), ("ppml", simulate_ppml())):
        path = HERE / f"{name}.csv"
        tmp = path.with_suffix(".csv.tmp")
        df.to_csv(tmp, index=False, lineterminator="\n")
        tmp.replace(path)
        zeros = (df["deaths_n"] == 0).mean()
        print(f"{path.name}: {len(df)} rows, {zeros:.0%} zeros, max {df['deaths_n'].max()}, "
              f"{df['deaths_n'].sum()} events")


if __name__ == "__main__":
    main()
