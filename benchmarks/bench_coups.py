"""Coup-design benchmark (notebooks 04 and 06) on the real panel, in one run.

Run with ``python benchmarks/bench_coups.py`` (also part of ``make bench``; needs the built data).
Seconds and ratios measured in the same run, never asserted:

* building the design (``coup_panel``: treatments rebuilt without post-coup deployments, theatre,
  regime controls) vs one headline fit;
* the headline inference bundle (999 bootstrap draws, leave-one-state-out, E-value, t(G-1));
* entropy balancing once, and randomization inference per 100 permutations;
* the monthly frame (CoupCats timing) and its fit;
* rolling-origin forecasts (one fit per forecast year, 2005-2024).

Results are printed and written to ``benchmarks/results/coups.json`` (git-ignored).
"""

from __future__ import annotations

import json
import time

from _common import best_of, write_results  # importing _common puts the project on sys.path


def main() -> dict:
    from analysis.curated import load_partner_operations
    from analysis.data import load
    from analysis.models.balance import balanced_contrast, randomization_test
    from analysis.models.coups import fit_coup_model, prepare_coup_data
    from analysis.studies import coup_design as cd
    from analysis.studies.coup_forecast import rolling_origin_risks
    from analysis.studies.coup_inference import headline_inference
    from analysis.studies.coup_months import ANNUAL_CONTROLS, MONTHLY_CONTROLS, monthly_frame

    cy = load("country_years")
    tabs = dict(
        regime_months=load("regime_months"),
        bara=load("nonun_operations_monthly"),
        partner_ops=load_partner_operations(),
        codes=load("country_codes"),
        coups=load("coups"),
    )
    ctrl = list(cd.HEADLINE_CONTROLS)
    out: dict = {}
    out["coup_panel_s"] = best_of(lambda: cd.coup_panel(cy, **tabs))
    panel = cd.coup_panel(cy, **tabs)
    d = prepare_coup_data(
        panel,
        treatment="has_partnership",
        controls=ctrl,
        lag=1,
        years=cd.HEADLINE_YEARS,
        region="africa",
        periods=cd.HEADLINE_PERIODS,
    )
    per = d.attrs["coup_data"]["periods"]

    def fit(x, est="logit"):
        return fit_coup_model(
            x,
            treatment="has_partnership",
            controls=[*ctrl, *[p for p in per if p in x.columns]],
            estimator=est,
        )

    r = fit(d)
    out["fit_s"] = best_of(lambda: fit(d))
    out["inference_999_s"] = best_of(lambda: headline_inference(r, d, "has_partnership", reps=999), repeat=1)
    covs = [*ctrl, *per, "t"]
    out["entropy_balance_s"] = best_of(
        lambda: balanced_contrast(d, outcome="has_coup_attempt", treatment="has_partnership", covariates=covs)
    )
    out["randomization_per_100_s"] = best_of(
        lambda: randomization_test(
            d, outcome="has_coup_attempt", treatment="has_partnership", covariates=covs, reps=100
        ),
        repeat=1,
    )
    t0 = time.perf_counter()
    md = monthly_frame(
        cy,
        regime_months=tabs["regime_months"],
        coups=tabs["coups"],
        codes=tabs["codes"],
        mission_months=load("mission_months"),
        hosts=load("un_mission_hosts"),
        missions=load("un_missions"),
        bara=tabs["bara"],
        partner_ops=tabs["partner_ops"],
        exclude=["afisma", "ecomib"],
        years=cd.HEADLINE_YEARS,
        periods=cd.HEADLINE_PERIODS,
    )
    out["monthly_frame_s"] = time.perf_counter() - t0
    out["monthly_fit_s"] = best_of(
        lambda: fit_coup_model(
            md,
            treatment="has_partnership",
            controls=[*ANNUAL_CONTROLS, *MONTHLY_CONTROLS, *md.attrs["coup_data"]["periods"]],
        )
    )
    out["rolling_origin_s"] = best_of(
        lambda: rolling_origin_risks(
            d, fit, first_year=2005, periods=per, fallback=lambda x: fit(x, "firth")
        ),
        repeat=1,
    )
    f = out["fit_s"]
    out["ratios_to_one_fit"] = {
        k: round(v / f, 1) for k, v in out.items() if k.endswith("_s") and k != "fit_s"
    }
    out["rows"] = {"yearly": int(len(d)), "monthly": int(len(md))}
    return out


if __name__ == "__main__":
    res = main()
    print(json.dumps(res, indent=2))
    write_results("coups", res)
