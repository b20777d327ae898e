"""Write notebook 02's headline frame (previous mandate coding, ``*_prev``) as the model uses it, for
``headline_vcovcl.R``. The CSV is derived from the mirror: it is written to a temporary path and
never committed.

    .venv/bin/python tests/golden/casualty_headline/export_frame.py /tmp/headline_frame.csv
    Rscript tests/golden/casualty_headline/headline_vcovcl.R /tmp/headline_frame.csv <alpha_hat>
"""

from __future__ import annotations

import sys

from analysis.data import load
from analysis.models import fit_casualty_model
from analysis.studies.casualties import casualty_frame

PREV = ("is_chapter_vii", "has_poc_mandate", "has_use_of_force", "has_offensive_mandate", "is_robust_mandate")
CONTROLS = ["log_host_deaths", "has_jihadist_conflict"]


def main(path: str) -> None:
    mm = load("mission_months")
    mm = mm.assign(**{c: mm[f"{c}_prev"] for c in PREV})
    f = casualty_frame(mm, cause="hostile", treatment="is_robust_mandate", filled=False, controls=CONTROLS,
                       years=[1990, 2019], missions="all", unit="month", exposure=True)
    r = fit_casualty_model(f, outcome="fatalities_hostile_n", treatment="is_robust_mandate",
                           controls=CONTROLS, exposure="personnel_years_n", fe="year", estimator="negbin",
                           cluster="mission_id_un")
    use = f.dropna(subset=["is_robust_mandate", *CONTROLS])
    use = use[use["personnel_years_n"] > 0]
    deaths_by_year = use.groupby("year")["fatalities_hostile_n"].transform("sum")
    use = use[deaths_by_year > 0]  # the model drops all-zero year groups
    assert len(use) == r.nobs, (len(use), r.nobs)
    use.to_csv(path, index=False)
    print(f"{len(use)} rows written to {path}; alpha_hat = {r.fit_stats['alpha']!r}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/headline_frame.csv")
