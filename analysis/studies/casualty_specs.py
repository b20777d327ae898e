"""The specifications notebook 02 reports around its headline, fitted the same way.

A page reports one family of specifications: the headline, the other fixed effects (within
missions = mission + year), each mandate definition with the text codings and the previous
definition, PPML beside NB2, and the hostile-incident outcomes. :func:`specification_grid`
lists them (the page's :class:`Spec`: its choices and plain label; :meth:`Spec.model_spec` is
the :class:`analysis.models.multiverse.Spec` it stands for), :func:`fit_specifications` fits
the family with :func:`analysis.models.multiverse.fit_many` on :class:`CasualtyFrames` (each
specification on its own frame of :func:`analysis.studies.casualties.casualty_frame`; a
specification that cannot be estimated is kept with its status and reason), keeps the fits and
tabulates them with :func:`analysis.models.multiverse.compare`; the family goes to the
Romano-Wolf adjustment of :func:`analysis.studies.casualty_inference.family_adjusted`. Nothing
here loads data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.labels import label as plain
from analysis.models.multiverse import Prepared, SpecData
from analysis.models.multiverse import Spec as ModelSpec
from analysis.studies.casualties import (
    EXPOSURE_COLUMNS,
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
#: Fixed effects of the page -> fixed-effect columns of a model spec.
FE_COLUMNS = {"none": (), "year": ("year",), "mission": ("mission_id_un",),
              "mission+year": ("mission_id_un", "year")}
#: Standard-error convention of the page (``vcov``) -> ``se`` of a model spec.
SE_OF_VCOV = {"joint": "cluster", "glm_fixed_theta": "cluster_glm", "glm_fixed_theta_hc1": "cluster_glm_hc1"}


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

    def model_spec(
        self, *, controls: Sequence[str], years: Sequence[int], unit: str, exposure: str, vcov: str = "joint",
        cause: str = "hostile",
    ) -> ModelSpec:
        """The :class:`analysis.models.multiverse.Spec` of this specification under the page's options
        (outcome = the page's outcome concept, resolved to a column by :class:`CasualtyFrames`)."""
        return ModelSpec(
            outcome=self.outcome, treatment=self.treatment, coding=self.codings, filled=self.filled,
            controls=tuple(controls), fe=FE_COLUMNS[self.fe], unit=unit,
            window=(int(years[0]), int(years[1])), exposure=EXPOSURE_COLUMNS[exposure],
            estimator="ppml" if self.estimator == "poisson" else self.estimator,  # type: ignore[arg-type]
            se=SE_OF_VCOV[vcov], cluster="mission_id_un",  # type: ignore[arg-type]
            choices=(("specification", self.label(cause)),),
        )


class CasualtyFrames(SpecData):
    """``mission_months`` as the data of :func:`~analysis.models.multiverse.fit_many` for notebook 02.

    Each specification gets the frame of :func:`~analysis.studies.casualties.casualty_frame`
    (the page's sample rules, its notes and its sample ledger from the raw UN file): outcome
    concept (``deaths``, ``incident_days``, ``incident_days_5``) of this data's ``cause``,
    treatment definition in its coding (``text`` / ``previous``), carried forward or not,
    window, unit (``month`` / ``year``), exposure column (``personnel_years_n``,
    ``personnel_authorized_years_n`` or none). ``missions`` is a sample rule of the data.
    """

    units = ("month", "year")

    def __init__(self, mm: pd.DataFrame, *, cause: str, missions: str | Sequence[str] = "all",
                 fatalities: pd.DataFrame | None = None, name: str = "mission_months") -> None:
        super().__init__(mm, unit="mission_id_un", period="year", codings={"text": "{treatment}",
                         "previous": "{treatment}_prev"}, name=name)
        self.cause = cause
        self.missions = missions if isinstance(missions, str) else list(missions)
        self.fatalities = fatalities

    def _rules(self) -> tuple:
        from analysis.models.multiverse.data import frame_key

        fat = None if self.fatalities is None else frame_key(self.fatalities)
        return ("cause", self.cause, "missions", self.missions, "fatalities", fat)

    def prepare(self, spec: ModelSpec) -> Prepared:
        """The frame of :func:`~analysis.studies.casualties.casualty_frame` for ``spec``."""
        self.check_unit(spec)
        if spec.lag or spec.filters or spec.duration or spec.outcome_source != "default":
            raise ValueError(f"{self.name}: the page's specifications have no lag, filter, duration or "
                             f"outcome source (got {spec.label()})")
        kinds = {v: k for k, v in EXPOSURE_COLUMNS.items()}
        if spec.exposure not in kinds:
            raise ValueError(f"{self.name}: exposure {spec.exposure!r} is not known; valid: "
                             f"{', '.join(map(repr, kinds))}")
        fr = casualty_frame(
            self.panel, cause=self.cause, treatment=spec.treatment, filled=spec.filled,  # type: ignore[arg-type]
            codings=spec.coding, outcome=spec.outcome, controls=list(spec.controls),  # type: ignore[arg-type]
            years=list(spec.window) if spec.window else None, missions=self.missions,
            unit=spec.unit, exposure=kinds[spec.exposure], fatalities=self.fatalities,  # type: ignore[arg-type]
        )
        term = treatment_name(spec.treatment, filled=spec.filled, codings=spec.coding)  # type: ignore[arg-type]
        return Prepared(frame=fr, outcome=outcome_column(self.cause, spec.outcome),  # type: ignore[arg-type]
                        treatment=term, controls=list(spec.controls), fe=list(spec.fe),
                        exposure=fr.attrs["exposure"], cluster=spec.cluster, notes=list(fr.attrs["notes"]))


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
    """Fit the family with :func:`~analysis.models.multiverse.fit_many` (fits kept), each specification
    on its own frame (:class:`CasualtyFrames`; ``fatalities``, the ``un_fatalities`` table, starts
    each result's sample ledger in the raw UN file: :func:`casualty_frame`).

    Returns
    -------
    (dict, pandas.DataFrame, pandas.DataFrame)
        Label -> ``(result, frame, term)`` of the fitted ones (the Romano-Wolf family); a table
        with one row per fitted specification (``label``, the spec's fields, ``ratio``,
        ``ratio_ci_low``, ``ratio_ci_high``, ``p_value``, ``nobs``, ``missions``, ``events``,
        ``events_treated``; from :func:`~analysis.models.multiverse.compare`); and the
        specifications that could not be estimated (``specification``, ``status``, ``reason``).
    """
    from analysis.models.multiverse import compare, fit_many

    model_specs = [s.model_spec(controls=controls, years=years, unit=unit, exposure=exposure, vcov=vcov,
                                cause=cause) for s in specs]
    data = CasualtyFrames(mm, cause=cause, missions=missions, fatalities=fatalities)
    res, kept = fit_many(model_specs, data, backend="serial", progress=False, keep_results=True)
    labels = {m.id: s.label(cause) for s, m in zip(specs, model_specs)}
    cmp = compare(res, labels=labels)
    fits: dict[str, tuple[Any, pd.DataFrame, str]] = {}
    rows = []
    by_label = dict(zip(cmp.table["label"], cmp.table.to_dict("records")))
    for s, m in zip(specs, model_specs):
        label = s.label(cause)
        k = kept.get(m.id)
        if k is None or label not in by_label:
            continue
        k.result.data_versions = dict(data_versions or {})
        fr, term = k.data, k.term
        oc = outcome_column(cause, s.outcome)  # type: ignore[arg-type]
        exp_cols = [fr.attrs["exposure"]] if fr.attrs["exposure"] else []
        used = complete_rows(fr, [oc, term, *controls, *exp_cols], positive=exp_cols)
        treated = fr[term].astype(float) >= (2.0 if s.treatment == "robust_mandate_index" else 0.5)
        r = by_label[label]
        rows.append({"label": label, **asdict(s), "term": term, "ratio": r["ratio"],
                     "ratio_ci_low": r["ratio_ci_low"], "ratio_ci_high": r["ratio_ci_high"],
                     "p_value": r["p_value"], "nobs": r["nobs"], "missions": r["n_clusters"],
                     "events": int(fr.loc[used, oc].sum()),
                     "events_treated": int(fr.loc[used & treated, oc].sum())})
        fits[label] = (k.result, fr, term)
    failed = cmp.failed.rename(columns={"label": "specification"})[["specification", "status", "reason"]]
    return fits, pd.DataFrame(rows), failed.reset_index(drop=True)


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
