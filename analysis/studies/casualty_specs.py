"""The specifications notebook 02 reports around its headline, fitted the same way.

A page reports one family of specifications: the headline, the other fixed effects (within
missions = mission + year), each mandate definition with the text codings and the previous
definition, PPML beside NB2, and the hostile-incident outcomes. :func:`specification_grid`
lists them, :func:`fit_specifications` fits each on its own frame (a specification that cannot
be estimated is kept with its reason), and the family goes to the Romano-Wolf adjustment of
:func:`analysis.studies.casualty_inference.family_adjusted`. Nothing here loads data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.labels import label as plain
from analysis.studies.casualties import (
    Control,
    Exposure,
    MandateDefinition,
    Outcome,
    RobustDefinition,
    casualty_frame,
    label_of_outcome,
    outcome_column,
    treatment_name,
)
from analysis.studies.select import complete_rows
from analysis.vocabulary import CauseOutcome

#: Mandate definitions compared with the headline's.
DEFINITIONS: tuple[str, ...] = ("is_robust_mandate", "robust_mandate_index", "is_chapter_vii",
                                "has_poc_mandate", "has_use_of_force", "has_offensive_mandate")
#: Fixed effects in words.
FE_WORDS = {"none": "no fixed effects", "year": "year FE", "mission": "mission FE",
            "mission+year": "mission + year FE (within missions)"}
ESTIMATOR_WORDS = {"negbin": "NB2", "ppml": "PPML", "poisson": "PPML"}


@dataclass(frozen=True)
class Spec:
    """One specification of the family."""

    fe: str
    treatment: str
    codings: str
    filled: bool
    estimator: str
    outcome: str
    headline: bool = False

    def label(self, cause: str = "hostile") -> str:
        """Plain words: definition, fixed effects, estimator, outcome when not deaths."""
        t = plain(treatment_name(self.treatment, filled=self.filled, codings=self.codings))  # type: ignore[arg-type]
        parts = [t, FE_WORDS[self.fe], ESTIMATOR_WORDS[self.estimator]]
        if self.outcome != "deaths":
            parts.append(label_of_outcome(cause, self.outcome))  # type: ignore[arg-type]
        return ", ".join(parts) + (" (headline)" if self.headline else "")


def specification_grid(
    *,
    fe: str,
    treatment: str,
    codings: str,
    filled: bool,
    estimator: str,
    outcome: str,
    sensitivity: bool,
    cause: str = "hostile",
) -> list[Spec]:
    """The family: the headline first, then the variants (without ``sensitivity``: the headline,
    within missions, the other definition of the same concept and the other estimator)."""
    head = Spec(fe, treatment, codings, filled, estimator, outcome, headline=True)
    other_est = "ppml" if estimator == "negbin" else "negbin"
    other_codings = "previous" if codings == "text" else "text"
    specs = [head, Spec("mission+year", treatment, codings, filled, estimator, outcome),
             Spec(fe, treatment, other_codings, False, estimator, outcome),
             Spec(fe, treatment, codings, filled, other_est, outcome)]
    if sensitivity:
        specs += [Spec(f, treatment, codings, filled, estimator, outcome) for f in ("none", "mission")]
        for t in DEFINITIONS:
            if t != treatment:
                specs.append(Spec(fe, t, codings, False, estimator, outcome))
        if cause == "hostile":
            for o in ("deaths", "incident_days", "incident_days_5"):
                if o != outcome:
                    specs += [Spec(fe, treatment, codings, filled, e, o) for e in (estimator, other_est)]
    seen: dict[tuple, Spec] = {}
    for s in specs:
        key = (s.fe, s.treatment, s.codings, s.filled, s.estimator, s.outcome)
        if key not in seen:
            seen[key] = s
    return list(seen.values())


def roles(specs: Sequence[Spec], cause: str = "hostile") -> dict[str, str | None]:
    """Labels of the headline, its within-mission version (mission + year FE; the headline itself when
    it already has them) and the headline under the other mandate definition (None when absent)."""
    head = next(s for s in specs if s.headline)

    def same(s: Spec, *fields: str) -> bool:
        return all(getattr(s, f) == getattr(head, f) for f in fields)

    within = next((s for s in specs if s.fe == "mission+year"
                   and same(s, "treatment", "codings", "filled", "estimator", "outcome")), None)
    other = next((s for s in specs if s.codings != head.codings
                  and same(s, "fe", "treatment", "estimator", "outcome")), None)
    return {"head": head.label(cause), "within": within.label(cause) if within else None,
            "other_definition": other.label(cause) if other else None}


def fit_specifications(
    mm: pd.DataFrame,
    specs: Sequence[Spec],
    *,
    cause: CauseOutcome,
    controls: Sequence[Control],
    years: Sequence[int],
    missions: str | Sequence[str],
    unit: str,
    exposure: Exposure,
    vcov: str = "joint",
    data_versions: dict | None = None,
    fatalities: pd.DataFrame | None = None,
) -> tuple[dict[str, tuple[Any, pd.DataFrame, str]], pd.DataFrame, pd.DataFrame]:
    """Fit each specification on its own frame (``fatalities``, the ``un_fatalities`` table, starts
    each result's sample ledger in the raw UN file: :func:`casualty_frame`).

    Returns
    -------
    (dict, pandas.DataFrame, pandas.DataFrame)
        Label -> ``(result, frame, term)`` of the fitted ones (the Romano-Wolf family); a table
        with one row per fitted specification (``label``, the spec's fields, ``ratio``,
        ``ratio_ci_low``, ``ratio_ci_high``, ``p_value``, ``nobs``, ``missions``, ``events``,
        ``events_treated``); and the specifications that could not be estimated with the reason.
    """
    from analysis.errors import ModelError
    from analysis.models import fit_casualty_model

    fits: dict[str, tuple[Any, pd.DataFrame, str]] = {}
    rows, failed = [], []
    for s in specs:
        label = s.label(cause)
        term = treatment_name(s.treatment, filled=s.filled, codings=s.codings)  # type: ignore[arg-type]
        oc = outcome_column(cause, s.outcome)  # type: ignore[arg-type]
        try:
            fr = casualty_frame(mm, cause=cause, treatment=s.treatment, filled=s.filled,  # type: ignore[arg-type]
                                codings=s.codings, outcome=s.outcome, controls=controls,  # type: ignore[arg-type]
                                years=years, missions=missions, unit=unit, exposure=exposure,  # type: ignore[arg-type]
                                fatalities=fatalities)
            res = fit_casualty_model(fr, outcome=oc, treatment=term, controls=controls,
                                     exposure=fr.attrs["exposure"], fe=s.fe, estimator=s.estimator,  # type: ignore[arg-type]
                                     cluster="mission_id_un", data_versions=data_versions, vcov=vcov)  # type: ignore[arg-type]
        except ModelError as exc:
            failed.append({"specification": label, "reason": exc.reason})
            continue
        r = res.term(term)
        exp_cols = [fr.attrs["exposure"]] if fr.attrs["exposure"] else []
        used = complete_rows(fr, [oc, term, *controls, *exp_cols], positive=exp_cols)
        treated = fr[term].astype(float) >= (2.0 if s.treatment == "robust_mandate_index" else 0.5)
        rows.append({"label": label, **asdict(s), "term": term, "ratio": r["ratio"],
                     "ratio_ci_low": r["ratio_ci_low"], "ratio_ci_high": r["ratio_ci_high"],
                     "p_value": r["p_value"], "nobs": res.nobs, "missions": res.n_clusters,
                     "events": int(fr.loc[used, oc].sum()),
                     "events_treated": int(fr.loc[used & treated, oc].sum())})
        fits[label] = (res, fr, term)
    return fits, pd.DataFrame(rows), pd.DataFrame(failed, columns=["specification", "reason"])


def definition_comparison(
    table: pd.DataFrame, fits: dict[str, tuple[Any, pd.DataFrame, str]], labels: Sequence[str],
    *, gwot_years: tuple[int, int] = (2013, 2019)
) -> pd.DataFrame:
    """The headline under the text codings beside the previous definition: rows, missions, deaths in
    the model, of which in ``gwot_years`` (the months the previous definition lost), and the IRR."""
    out = []
    for lab in labels:
        if lab not in fits:
            continue
        res, fr, term = fits[lab]
        oc = res.spec["outcome"]
        exp = res.spec.get("exposure")
        used = complete_rows(fr, [oc, term, *res.spec.get("controls", []), *([exp] if exp else [])])
        in_gwot = used & fr["year"].between(*gwot_years)
        row = table.set_index("label").loc[lab]
        out.append({"definition": "text codings" if row["codings"] == "text" else "previous definition",
                    "rows": int(res.nobs), "missions": int(res.n_clusters),
                    "deaths": int(fr.loc[used, oc].sum()),
                    f"deaths_{gwot_years[0]}_{gwot_years[1]}": int(fr.loc[in_gwot, oc].sum()),
                    "ratio": row["ratio"], "ratio_ci_low": row["ratio_ci_low"],
                    "ratio_ci_high": row["ratio_ci_high"],
                    "p_value": row["p_value"]})
    return pd.DataFrame(out)


def coded_share_by_year(mm: pd.DataFrame, treatment: RobustDefinition, *, years: Sequence[int],
                        cause: CauseOutcome = "hostile") -> pd.DataFrame:
    """By year: the share of mission-months whose treatment is coded, and the deaths in coded months,
    under the text codings and the previous definition (what the text codings restored)."""
    from analysis.studies.casualties import robust_treatment

    df = mm[mm["year"].between(int(years[0]), int(years[1]))]
    oc = outcome_column(cause)
    rows = []
    codings: tuple[MandateDefinition, ...] = ("text", "previous")
    for c in codings:
        t = robust_treatment(df, treatment, codings=c)
        g = pd.DataFrame({"year": df["year"].astype(int).to_numpy(), "coded": t.notna().to_numpy(),
                          "deaths": df[oc].astype(float).to_numpy()})
        g["deaths_coded"] = np.where(g["coded"], g["deaths"], 0.0)
        a = g.groupby("year").agg(share_coded=("coded", "mean"), deaths_n=("deaths", "sum"),
                                  deaths_coded_n=("deaths_coded", "sum")).reset_index()
        a["codings"] = "text codings" if c == "text" else "previous definition"
        rows.append(a)
    return pd.concat(rows, ignore_index=True)


def outcome_words(outcome: Outcome, cause: CauseOutcome) -> str:
    """Plain words of the outcome for sentences ("hostile deaths", "days with a hostile death")."""
    return label_of_outcome(cause, outcome)
