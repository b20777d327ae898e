"""Inference benchmark (issue 15 estimators) on simulated data, in one run.

Run with ``python benchmarks/bench_inference.py`` (also part of ``make bench``). Seconds and
ratios measured in the same run, never asserted:

* one model fit vs the wild cluster score bootstrap of its treatment (9,999 draws) with the
  percentile-t interval and with the test-inversion interval (restricted refits);
* the cost per 1,000 bootstrap draws;
* leave-one-cluster-out (one refit per cluster);
* the stacked PPML event study (with and without the naive TWFE);
* the break search (999 bootstrap series, ~30 candidate years).

Results are printed and written to ``benchmarks/results/inference.json`` (git-ignored).
"""

from __future__ import annotations

import json

from _common import best_of, write_results  # importing _common puts the project on sys.path


def main() -> dict:
    from analysis.models import (
        fit_casualty_model,
        fit_event_study,
        leave_one_cluster_out,
        search_breaks,
        simulate_casualty_panel,
        simulate_segmented_series,
        simulate_staggered_panel,
        wild_cluster_bootstrap,
    )

    df = simulate_casualty_panel(seed=1, n_missions=50)
    kw = dict(
        outcome="fatalities_hostile_n", treatment="is_robust_mandate", controls=["conflict_z"], fe="year"
    )
    out: dict = {}
    for est in ("poisson", "negbin"):
        r = fit_casualty_model(df, estimator=est, **kw)
        fit = best_of(lambda est=est: fit_casualty_model(df, estimator=est, **kw))
        pt = best_of(
            lambda r=r: wild_cluster_bootstrap(r, df, "is_robust_mandate", reps=9999, ci="percentile_t")
        )
        inv = best_of(lambda r=r: wild_cluster_bootstrap(r, df, "is_robust_mandate", reps=9999), repeat=1)
        small = best_of(
            lambda r=r: wild_cluster_bootstrap(r, df, "is_robust_mandate", reps=999, ci="percentile_t")
        )
        loo = best_of(lambda r=r: leave_one_cluster_out(r, df, "is_robust_mandate"), repeat=1)
        out[est] = {
            "nobs": r.nobs,
            "clusters": r.n_clusters,
            "fit_s": fit,
            "bootstrap_percentile_t_9999_s": pt,
            "bootstrap_inversion_9999_s": inv,
            "per_1000_draws_s": (pt - small) / 9.0,
            "leave_one_out_s": loo,
            "ratio_inversion_to_fit": inv / fit,
            "ratio_percentile_t_to_fit": pt / fit,
            "ratio_loo_to_fit": loo / fit,
        }
    st = simulate_staggered_panel(seed=2)
    es_kw = dict(
        outcome="deaths_n",
        unit="unit_id",
        time="period",
        treatment="is_treated",
        exposure="personnel_n",
        bin_width=3,
    )
    fit_event_study(st, **es_kw)  # JIT warm-up of pyfixest
    out["event_study"] = {
        "rows": len(st),
        "stacked_s": best_of(lambda: fit_event_study(st, naive=False, **es_kw)),
        "stacked_and_naive_s": best_of(lambda: fit_event_study(st, **es_kw)),
    }
    s = simulate_segmented_series(seed=0, family="negbin", alpha=0.05)
    out["breaks"] = {
        "search_999_s": best_of(
            lambda: search_breaks(s, outcome="deaths_n", exposure="personnel_n", reps=999)
        )
    }
    return out


if __name__ == "__main__":
    res = main()
    print(json.dumps(res, indent=2))
    write_results("inference", res)
