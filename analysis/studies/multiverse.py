"""Specification curves (notebook 07, ``peaceops multiverse``): the data of each question's grid.

Each question has a grid of defensible choices (``analysis/studies/grids/<question>.yaml``) and
a :class:`~analysis.models.multiverse.data.SpecData` that turns any of its specifications into
an estimation frame. :func:`question_data` takes the tables named in :data:`TABLES`; the
notebook, the CLI and the benchmarks load them with :func:`load_tables` (the one function here
that reads data; ``curated.<name>`` is a curated table).

Casualties (:class:`CasualtyData`, from ``mission_months``)
-----------------------------------------------------------
One month-level panel is prepared once: outcomes (hostile, hostile uniformed, all deaths),
controls (:func:`analysis.studies.casualties.add_controls`), exposures and every treatment in
every coding source, as published and carried forward:

* coding ``text``: the panel's mandate columns (the Security Council's texts, the previous
  definition where the texts have no value); coding ``prev``: the previous definition whole
  (``*_prev``: PEMA / TAMM, then curated resolutions). ``is_robust_mandate`` and the 0-4
  ``robust_mandate_index`` of a coding are built from that coding's components with the
  panel's rules (three-valued AND; count of True, NA when none is coded).
* ``filled``: each component's last coded value carried forward within the mission, then the
  robust indicator and index rebuilt from the filled components (the panel's ``*_filled`` rule;
  for ``text`` these equal the panel's ``*_filled`` columns).
* exposures: ``personnel_years_n`` (deployed uniformed personnel / 12; NA where unknown) and
  ``personnel_years_or_authorized_n`` (deployed where known, otherwise the authorised ceiling of
  the mandate in force / 12: only where deployments are missing, and recorded by the choice).

Months without a positive exposure are dropped before a mission-year is formed (deaths never
count without their exposure); unit ``year`` sums deaths and exposure and averages the
treatment and controls over the mission's months of the year (as
:func:`analysis.studies.casualties.casualty_frame`).

Coups (:class:`CoupData`, from ``country_years``, the coup tables and notebook 04's design)
------------------------------------------------------------------------------------------
The panel is notebook 04's design first (:func:`analysis.studies.coup_design.coup_panel`):
partner deployments sent in response to a coup (AFISMA, ECOMIB; the rule table) do not count
as treatments (``post_coup="exclude"``, in every coding), and the regime controls
(``is_military_regime``, ``leader_tenure_years``) and U.S. troops (``log1p_us_troops``) are
there. The control name :data:`PERIOD_EFFECTS` in a spec's controls adds the design's period
effects (1994-2000 the reference, 2001-2012, 2013-2024; the breaks inside the spec's window),
so the grid's headline (``controls: full``) is notebook 04's default model exactly.

Outcomes from three coup codings, each with its own coup clock and its own years:
``powell_thyne`` (the ``coups`` table: Powell & Thyne, CoupCats months after its last event;
1950-2025), ``cline`` (Cline Center coups and attempted coups, conspiracies left out;
1950-2022, NA after) and ``coupcats`` (CoupCats coup months; 1950-2025). The contagion control
``region_coup_attempts_n`` is the panel's (Powell & Thyne) whatever the outcome's coding.
Treatment codings: ``combined`` (the design's columns: Bara & Hultman and curated partner
operations), ``curated`` (curated partner operations only; African hosts, 2000-2024) and
``bara_hultman`` (Bara & Hultman only; 1993-2016), for ``has_partnership`` and
``has_partner_op``. Frames are built by :func:`analysis.models.coups.prepare_coup_data` (lags
matched on year, cubic coup clock, period dummies).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.registry import raw_file
from analysis.errors import require_columns
from analysis.models.coups import prepare_coup_data
from analysis.models.multiverse.data import Prepared, SpecData, apply_filters
from analysis.models.multiverse.spec import Spec
from analysis.panels.country import coup_history
from analysis.sources import coups_cline_center, coups_coupcats_thyne
from analysis.studies.casualties import Control, add_controls
from analysis.studies.coup_design import PostCoup
from analysis.studies.coups import COUP_TREATMENTS
from analysis.vocabulary import MANDATE_CONCEPTS, check_option

__all__ = [
    "CASUALTY_TREATMENTS",
    "COUP_SOURCES",
    "QUESTIONS",
    "TABLES",
    "CasualtyData",
    "PERIOD_EFFECTS",
    "CoupData",
    "coup_outcomes",
    "coup_panel",
    "coup_spec",
    "grid_path",
    "load_tables",
    "question_data",
    "table_versions",
]

#: Questions with a grid and a data builder.
QUESTIONS = ("casualties", "coups")
#: Tables each question needs (loaded by the notebook / CLI, handed to :func:`question_data`).
TABLES: dict[str, tuple[str, ...]] = {
    "casualties": ("mission_months",),
    "coups": ("country_years", "coups", "coups_cline", "coups_coupcats", "country_codes", "regime_months",
              "nonun_operations_monthly", "curated.partner_operations"),
}

#: Robust-mandate treatments of the casualty question.
CASUALTY_TREATMENTS = ("is_robust_mandate", "robust_mandate_index", *MANDATE_CONCEPTS)
#: Casualty outcomes (panel columns).
CASUALTY_OUTCOMES = ("fatalities_hostile_n", "fatalities_hostile_uniformed_n", "fatalities_n")
#: Casualty controls (see :func:`analysis.studies.casualties.add_controls`).
CASUALTY_CONTROLS: tuple[Control, ...] = ("log_host_deaths", "has_jihadist_conflict", "mission_age_years",
                                        "log_personnel")
#: Coup data sets of the coup question.
COUP_SOURCES = ("powell_thyne", "cline", "coupcats")
#: Raw country-year columns the coup controls need (derived logs are built from them).
COUP_CONTROL_COLUMNS = ("has_conflict", "gdp_pc_usd", "v2x_polyarchy", "population_n", "polity2",
                        "has_jihadist_conflict", "coup_attempts_prev5_n", "region_coup_attempts_n",
                        "us_troops_n")
#: Columns the coup design adds (:func:`analysis.studies.coup_design.coup_panel`) that the grid keeps.
COUP_DESIGN_COLUMNS = ("is_military_regime", "leader_tenure_years", "is_post_coup_deployment")
#: Control name that adds the design's period effects (:data:`coup_design.HEADLINE_PERIODS`).
PERIOD_EFFECTS = "period_effects"


def grid_path(question: str) -> Path:
    """The grid file of a question (package data: ``analysis/studies/grids/<question>.yaml``)."""
    from analysis.config import package_file

    check_option("question", question, QUESTIONS)
    return package_file("studies", "grids", f"{question}.yaml")


def load_tables(question: str) -> dict[str, pd.DataFrame]:
    """The tables of :data:`TABLES` for ``question`` (``curated.<name>`` from :mod:`analysis.curated`)."""
    from analysis.curated import CURATED
    from analysis.data import load

    check_option("question", question, QUESTIONS)
    return {t: CURATED[t.removeprefix("curated.")].load() if t.startswith("curated.") else load(t)
            for t in TABLES[question]}


def table_versions(question: str) -> list[str]:
    """The tables of ``question`` whose provenance :func:`analysis.data.data_versions` records (the
    built tables; the curated files they read are listed by it)."""
    check_option("question", question, QUESTIONS)
    return [t for t in TABLES[question] if not t.startswith("curated.")]


def _float(s: pd.Series) -> np.ndarray:
    return s.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)


# ----------------------------------------------------------------------------- casualties


def _robust(comp: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(is_robust_mandate, robust_mandate_index) from float components (NaN = not coded)."""
    cv, poc = comp["is_chapter_vii"], comp["has_poc_mandate"]
    robust = np.where((cv == 0) | (poc == 0), 0.0, np.where((cv == 1) & (poc == 1), 1.0, np.nan))
    stack = np.column_stack([comp[c] for c in MANDATE_CONCEPTS])
    coded = (~np.isnan(stack)).sum(axis=1)
    index = np.where(coded > 0, np.nansum(stack, axis=1), np.nan)
    return robust, index


def casualty_panel(mm: pd.DataFrame) -> pd.DataFrame:
    """The month-level panel of :class:`CasualtyData` (see the module docstring)."""
    comps = [*MANDATE_CONCEPTS]
    require_columns(mm, {
        "id": ["mission_id_un", "year", "month", "is_africa"],
        "outcome": list(CASUALTY_OUTCOMES),
        "exposure": ["personnel_total_n", "personnel_authorized_n"],
        "mandate": comps + [f"{c}_prev" for c in comps] + ["is_robust_mandate", "robust_mandate_index"],
    }, "mission_months")
    df = add_controls(mm, CASUALTY_CONTROLS)
    out = pd.DataFrame({
        "mission_id_un": df["mission_id_un"].astype("string"),
        "year": df["year"].astype("int64"),
        "month": df["month"].astype("int64"),
        "is_africa": df["is_africa"].astype("boolean"),
    }, index=df.index)
    out["period"] = out["year"] * 12 + out["month"] - 1
    for c in CASUALTY_OUTCOMES:
        out[c] = df[c].astype("Int64").astype("float64")
    for c in CASUALTY_CONTROLS:
        out[c] = df[c].astype("float64")
    dep = _float(df["personnel_total_n"])
    auth = _float(df["personnel_authorized_n"])
    dep = np.where(dep > 0, dep, np.nan)
    out["personnel_years_n"] = dep / 12.0
    auth_or_dep = np.where(np.isnan(dep), np.where(auth > 0, auth, np.nan), dep)
    out["personnel_years_or_authorized_n"] = auth_or_dep / 12.0
    order = out.sort_values(["mission_id_un", "period"]).index
    for coding, suffix in (("text", ""), ("prev", "_prev")):
        raw = {c: _float(df[c + suffix]) for c in comps}
        filled = {}
        for c in comps:
            s = pd.Series(raw[c], index=df.index).loc[order]
            g = s.groupby(out.loc[order, "mission_id_un"], sort=False)
            filled[c] = g.ffill().reindex(df.index).to_numpy()
        for tag, vals in (("", raw), ("__filled", filled)):
            robust, index = _robust(vals)
            for c in comps:
                out[f"{c}__{coding}{tag}"] = vals[c]
            out[f"is_robust_mandate__{coding}{tag}"] = robust
            out[f"robust_mandate_index__{coding}{tag}"] = index
    return out.reset_index(drop=True)


class CasualtyData(SpecData):
    """``mission_months`` for the casualty grid: units ``month`` and ``year``, codings ``text`` / ``prev``."""

    units = ("month", "year")

    def __init__(self, mm: pd.DataFrame, *, name: str = "mission_months") -> None:
        super().__init__(
            casualty_panel(mm), unit="mission_id_un", period="period", year="year",
            codings={"text": "{treatment}__text", "prev": "{treatment}__prev"},
            treatments=CASUALTY_TREATMENTS, strata=["year"], block="mission_id_un", name=name,
        )

    def treatment_column(self, spec: Spec) -> str:
        """The spec's treatment in its coding, carried forward when ``filled``."""
        return super().treatment_column(spec) + ("__filled" if spec.filled else "")

    def treatment_columns(self) -> list[str]:
        """Every treatment column, as coded and carried forward (permuted together for the null)."""
        base = super().treatment_columns()
        return base + [f"{c}__filled" for c in base if f"{c}__filled" in self.panel.columns]

    def _rows(self, spec: Spec, t_col: str) -> pd.DataFrame:
        key = ("rows", spec.outcome, t_col, spec.filters, spec.window, spec.unit, spec.exposure)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        df = apply_filters(self.panel, spec.filters, self.name)
        if spec.window is not None:
            df = df[df["year"].between(*spec.window)]
        if spec.exposure:
            df = df[df[spec.exposure] > 0]
        cols = ["mission_id_un", "year", "period", "is_africa", spec.outcome, t_col, *CASUALTY_CONTROLS,
                *([spec.exposure] if spec.exposure else [])]
        df = df[list(dict.fromkeys(cols))]
        if spec.unit == "year":
            g = df.groupby(["mission_id_un", "year"], sort=True, observed=True)
            agg = {spec.outcome: g[spec.outcome].sum(), t_col: g[t_col].mean(), "period": g["period"].min()}
            agg.update({c: g[c].mean() for c in CASUALTY_CONTROLS})
            if spec.exposure:
                agg[spec.exposure] = g[spec.exposure].sum(min_count=1)
            df = pd.DataFrame(agg).reset_index()
        if len(self._cache) > 64:
            self._cache.clear()
        self._cache[key] = df
        return df

    def prepare(self, spec: Spec) -> Prepared:
        """Mission-months or mission-years of the spec (see the module docstring)."""
        self.check_unit(spec)
        if spec.lag:
            raise ValueError(f"{self.name}: lags are not a choice of the casualty question (lag={spec.lag})")
        t_col = self.treatment_column(spec)
        require_columns(self.panel, {"outcome": [spec.outcome], "treatment": [t_col],
                                     "controls": list(spec.controls), "fixed effect": list(spec.fe),
                                     "exposure": [spec.exposure] if spec.exposure else []}, self.name)
        df = self._rows(spec, t_col)
        return Prepared(frame=df, outcome=spec.outcome, treatment=t_col, controls=list(spec.controls),
                        fe=list(spec.fe), exposure=spec.exposure,
                        cluster=spec.cluster if spec.se != "robust" else None)


# ----------------------------------------------------------------------------- coups


def _events(name: str, coups: pd.DataFrame, cline: pd.DataFrame, coupcats: pd.DataFrame) -> pd.DataFrame:
    if name == "powell_thyne":
        return coups[["coup_id", "country_id_gw", "year", "is_successful"]]
    if name == "cline":
        c = cline[cline["event_type"].isin(["coup", "attempted"])]
        return pd.DataFrame({"coup_id": c["coup_id"], "country_id_gw": c["country_id_gw"], "year": c["year"],
                             "is_successful": (c["event_type"] == "coup").astype("boolean")})
    ids = ("cc_" + coupcats["country_id_cow"].astype("string") + "_" + coupcats["year"].astype("string") + "_"
           + coupcats["month"].astype("string"))
    return pd.DataFrame({"coup_id": ids, "country_id_gw": coupcats["country_id_gw"], "year": coupcats["year"],
                         "is_successful": coupcats["is_successful"].astype("boolean")})


def coup_source_years() -> dict[str, tuple[int, int]]:
    """Years each coup coding covers (from the registry): outside them its outcomes are NA."""
    from analysis.core.schemas import COUPCATS_LAST_CODED_YEAR

    cl = raw_file(coups_cline_center.SOURCE, coups_cline_center.FILE).years
    cc = raw_file(coups_coupcats_thyne.SOURCE, coups_coupcats_thyne.FILE).years
    return {"powell_thyne": (cc[0], COUPCATS_LAST_CODED_YEAR), "cline": (cl[0], cl[1]),
            "coupcats": (cc[0], COUPCATS_LAST_CODED_YEAR)}


def coup_outcomes(cy: pd.DataFrame, codes: pd.DataFrame, coups: pd.DataFrame, cline: pd.DataFrame,
                  coupcats: pd.DataFrame) -> pd.DataFrame:
    """Per coup coding: ``has_coup_attempt__<s>``, ``has_successful_coup__<s>``, ``years_since_coup__<s>``.

    Aligned on ``cy``'s rows; NA outside each coding's years (:func:`coup_source_years`),
    0 / False inside them where no event is recorded (the lists cover every state).
    """
    out = pd.DataFrame(index=cy.index)
    key = cy[["country_id_gw", "year"]].astype("int64")
    years = coup_source_years()
    for s in COUP_SOURCES:
        hist = coup_history(codes, _events(s, coups, cline, coupcats))
        cols = ["country_id_gw", "year", "coup_attempts_n", "coups_successful_n", "years_since_coup"]
        h = hist[cols].copy()
        h[["country_id_gw", "year"]] = h[["country_id_gw", "year"]].astype("int64")
        m = key.merge(h, on=["country_id_gw", "year"], how="left", validate="one_to_one")
        inside = m["year"].between(*years[s]).to_numpy()
        att = m["coup_attempts_n"].astype("Float64")
        suc = m["coups_successful_n"].astype("Float64")
        out[f"has_coup_attempt__{s}"] = pd.array((att > 0).where(inside), dtype="boolean")
        out[f"has_successful_coup__{s}"] = pd.array((suc > 0).where(inside), dtype="boolean")
        out[f"years_since_coup__{s}"] = pd.array(m["years_since_coup"].astype("Float64").where(inside),
                                                 dtype="Float64")
    return out


def _and3(a: pd.Series, b: pd.Series) -> pd.Series:
    return (a.astype("boolean") & b.astype("boolean")).astype("boolean")


def coup_panel(cy: pd.DataFrame, *, codes: pd.DataFrame, coups: pd.DataFrame, regime_months: pd.DataFrame,
               bara: pd.DataFrame, partner_ops: pd.DataFrame, cline: pd.DataFrame | None = None,
               coupcats: pd.DataFrame | None = None, post_coup: PostCoup = "exclude") -> pd.DataFrame:
    """Notebook 04's design panel with the treatments of every coding and, when ``cline`` and
    ``coupcats`` are given, the outcomes of every coup coding (without them, only the panel's own
    outcomes: source ``default``).

    The design (:func:`analysis.studies.coup_design.coup_panel` with ``post_coup``) rebuilds
    every treatment column (the curated and Bara & Hultman ones too) without the partner
    deployments that followed a coup and adds the regime controls; ``regime_months``, ``bara``
    (``nonun_operations_monthly``), ``partner_ops`` (the curated partner operations), ``codes``
    and ``coups`` are its tables.
    """
    from analysis.studies.coup_design import coup_panel as design_panel

    require_columns(cy, {"id": ["country_id_gw", "year", "is_africa"],
                         "outcome": ["has_coup_attempt", "has_successful_coup", "years_since_coup"],
                         "treatment": list(COUP_TREATMENTS) + ["has_partner_op_curated", "has_nonun_op_bara"],
                         "controls": list(COUP_CONTROL_COLUMNS)}, "country_years")
    if (cline is None) != (coupcats is None):
        raise ValueError("coup_panel: give both cline and coupcats, or neither")
    design = design_panel(cy, regime_months=regime_months, bara=bara, partner_ops=partner_ops, codes=codes,
                          coups=coups, post_coup=post_coup)
    base = design[["country_id_gw", "year", "country_name", "is_africa", *COUP_TREATMENTS,
                   *COUP_CONTROL_COLUMNS, *COUP_DESIGN_COLUMNS, "has_partner_op_curated", "has_nonun_op_bara",
                   "has_coup_attempt", "has_successful_coup", "years_since_coup"]].copy()
    base["has_partner_op__curated"] = base["has_partner_op_curated"].astype("boolean")
    base["has_partner_op__bara"] = base["has_nonun_op_bara"].astype("boolean")
    # one source each, NA outside that source's coverage (country_years.has_partnership_curated / _bara)
    if {"has_partnership_curated", "has_partnership_bara"} <= set(design.columns):
        base["has_partnership__curated"] = design["has_partnership_curated"].astype("boolean").to_numpy()
        base["has_partnership__bara"] = design["has_partnership_bara"].astype("boolean").to_numpy()
    else:
        base["has_partnership__curated"] = _and3(base["has_un_pko"], base["has_partner_op_curated"])
        base["has_partnership__bara"] = _and3(base["has_un_pko"], base["has_nonun_op_bara"])
    if cline is not None and coupcats is not None:
        base = pd.concat([base, coup_outcomes(design, codes, coups, cline, coupcats)], axis=1)
    out = base.reset_index(drop=True)
    out.attrs["coup_design"] = design.attrs.get("coup_design", {})
    return out


class CoupData(SpecData):
    """Country-years for the coup grid: codings ``combined`` / ``curated`` / ``bara_hultman``,
    outcome sources ``powell_thyne`` / ``cline`` / ``coupcats`` (and ``default``: the panel's own
    ``has_coup_attempt``, ``has_successful_coup`` and ``years_since_coup``).

    ``periods``: first years of the periods after the reference (default: notebook 04's
    :data:`~analysis.studies.coup_design.HEADLINE_PERIODS`); a spec whose controls name
    :data:`PERIOD_EFFECTS` gets the dummies of the periods that begin inside its window.
    """

    units = ("country_year",)

    def __init__(self, panel: pd.DataFrame, *, periods: Sequence[int] | None = None,
                 name: str = "country_years") -> None:
        from analysis.studies.coup_design import HEADLINE_PERIODS

        super().__init__(
            panel, unit="country_id_gw", period="year", year="year",
            codings={"combined": "{treatment}", "curated": "{treatment}__curated",
                     "bara_hultman": "{treatment}__bara"},
            outcome_sources={"default": "{outcome}", **{s: "{outcome}__" + s for s in COUP_SOURCES}},
            treatments=COUP_TREATMENTS, strata=["year", "is_africa"], block=None, name=name,
        )
        self.periods = [int(y) for y in (HEADLINE_PERIODS if periods is None else periods)]

    def _rules(self) -> tuple:
        return ("periods", tuple(self.periods))

    def prepare(self, spec: Spec) -> Prepared:
        """Country-years of the spec: lagged treatment and controls, the source's coup clock and,
        when the controls name :data:`PERIOD_EFFECTS`, the period dummies."""
        self.check_unit(spec)
        check_option("outcome", spec.outcome, ("has_coup_attempt", "has_successful_coup"))
        src = spec.outcome_source
        t_col = self.treatment_column(spec)
        att, suc, clock = (self.outcome_column(spec.replace(outcome=o))
                           for o in ("has_coup_attempt", "has_successful_coup", "years_since_coup"))
        require_columns(self.panel, {"treatment": [t_col], "outcome": [att, suc, clock]}, self.name)
        df = apply_filters(self.panel, spec.filters, self.name)
        own = ("has_coup_attempt", "has_successful_coup", "years_since_coup")
        drop = [c for c in df.columns if ("__" in c and c not in (t_col, att, suc, clock))
                or (c in own and c not in (att, suc, clock))]
        work = df.drop(columns=drop).rename(columns={att: "has_coup_attempt", suc: "has_successful_coup",
                                    clock: "years_since_coup"})
        window = spec.window or (int(work["year"].min()), int(work["year"].max()))
        controls = [c for c in spec.controls if c != PERIOD_EFFECTS]
        periods = [y for y in self.periods if window[0] < y <= window[1]] if PERIOD_EFFECTS in spec.controls \
            else []
        data = prepare_coup_data(work, treatment=t_col, controls=controls, lag=spec.lag,
                                 years=window, region="all", periods=periods)
        dummies = list(data.attrs["coup_data"]["periods"])
        notes = [f"outcome from {src}; {data.attrs['coup_data']['rows_dropped_na']} rows dropped for NA"]
        return Prepared(frame=data, outcome=spec.outcome, treatment=t_col, controls=[*controls, *dummies],
                        fe=list(spec.fe), cluster=spec.cluster if spec.se != "robust" else None,
                        duration=spec.duration, notes=notes)


# ----------------------------------------------------------------------------- notebook specs

def coup_spec(*, treatment: str, controls: list[str], lag: int, years: list[int], region: str, estimator: str,
              outcome: str, duration: bool, cluster: bool, label: str | None = None,
              coding: str = "combined") -> Spec:
    """The :class:`Spec` of notebook 04's parameters (the panel's own coup columns; ``coding`` is
    notebook 04's ``partner_source``: combined, curated or bara_hultman)."""
    return Spec(outcome=outcome, treatment=treatment, coding=coding, outcome_source="default",
                controls=tuple(controls), filters=(("is_africa", "==", True),) if region == "africa" else (),
                unit="country_year", window=(int(years[0]), int(years[1])), lag=int(lag),
                estimator=estimator,  # type: ignore[arg-type]
                se="cluster" if cluster else "robust", cluster="country_id_gw" if cluster else None,
                duration=bool(duration), choices=(("specification", label),) if label else ())


# ----------------------------------------------------------------------------- entry point


def question_data(question: str, tables: Mapping[str, pd.DataFrame]) -> SpecData:
    """The :class:`SpecData` of a question from the tables of :data:`TABLES` (name -> frame)."""
    check_option("question", question, QUESTIONS)
    missing = [t for t in TABLES[question] if t not in tables]
    if missing:
        raise ValueError(f"question {question!r} needs the tables {list(TABLES[question])}; "
                         f"missing {missing}")
    t: Any = tables
    if question == "casualties":
        return CasualtyData(t["mission_months"])
    return CoupData(coup_panel(t["country_years"], codes=t["country_codes"], coups=t["coups"],
                               regime_months=t["regime_months"], bara=t["nonun_operations_monthly"],
                               partner_ops=t["curated.partner_operations"], cline=t["coups_cline"],
                               coupcats=t["coups_coupcats"]))
