"""What the checks of notebook 02's headline cost, as multiples of one headline fit.

Run with ``python benchmarks/bench_casualty_checks.py`` (needs the built ``mission_months``).
Everything is measured in one run on notebook 02's default frame (hostile deaths per
personnel-year, text codings, mission-months 1990-2019, year FE, NB2) and reported as seconds
and as ratios to one fit, never asserted:

* ``fit``: the headline NB2 fit;
* ``bootstrap_999``: the wild cluster bootstrap with 999 replications;
* ``leave_one_out``: one refit without each mission;
* ``romano_wolf_4``: the Romano-Wolf adjustment over the four specifications of the small family;
* ``event_study``: the stacked event study of ``is_robust_mandate`` switch-ons (6-month bins);
* ``placebo_renewals``: the same design with the renewals that changed no concept.

Results are printed and written to ``benchmarks/results/casualty_checks.json`` (git-ignored).
The machine is shared (2 cores): absolute times are noisy; read the ratios of one run.
"""

from __future__ import annotations

import json
import time
import warnings

from _common import write_results  # importing _common puts the project on sys.path


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> dict:
    warnings.simplefilter("ignore")
    from analysis.data import load
    from analysis.models import fit_casualty_model, leave_one_cluster_out, wild_cluster_bootstrap
    from analysis.studies import casualties, casualty_events, casualty_inference, casualty_specs

    mm = load("mission_months")
    controls = ["log_host_deaths", "has_jihadist_conflict"]
    frame = casualties.casualty_frame(mm, controls=controls)
    term = "is_robust_mandate"

    def fit():
        return fit_casualty_model(frame, outcome="fatalities_hostile_n", treatment=term, controls=controls,
                                  exposure="personnel_years_n", fe="year", estimator="negbin")

    res, t_fit = _timed(fit)
    times = {"fit": t_fit}
    _, times["bootstrap_999"] = _timed(lambda: wild_cluster_bootstrap(res, frame, term, reps=999))
    _, times["leave_one_out"] = _timed(lambda: leave_one_cluster_out(res, frame, term))
    specs = casualty_specs.specification_grid(fe="year", treatment=term, codings="text", filled=False,
                                              estimator="negbin", outcome="deaths", sensitivity=False)
    fits, _, _ = casualty_specs.fit_specifications(mm, specs, cause="hostile", controls=controls,
                                                   years=(1990, 2019), missions="all", unit="month",
                                                   exposure="deployed")
    _, times["romano_wolf_4"] = _timed(lambda: casualty_inference.family_adjusted(fits, reps=999))
    ev = casualty_events.event_frame(mm, concepts=(term,))
    _, times["event_study"] = _timed(lambda: casualty_events.concept_event_studies(ev, concepts=(term,)))
    placebo = casualty_events.placebo_renewals(casualty_events.renewals(ev, (term,)), (term,))
    _, times["placebo_renewals"] = _timed(lambda: casualty_events.placebo_study(ev, placebo))
    out = {"seconds": {k: round(v, 3) for k, v in times.items()},
           "ratio_to_fit": {k: round(v / t_fit, 1) for k, v in times.items()},
           "rows": int(res.nobs), "missions": int(res.n_clusters), "placebo_events": int(len(placebo))}
    write_results("casualty_checks", out)
    return out


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
