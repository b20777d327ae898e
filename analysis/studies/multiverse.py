"""Specification curves (notebook 07, ``peaceops multiverse``): the data of each question's grid.

Each question has a grid of defensible choices (``analysis/studies/grids/<question>.yaml``) and
a :class:`~analysis.models.multiverse.data.SpecData` that turns any of its specifications into
an estimation frame. Nothing here loads data: :func:`question_data` takes the tables named in
:data:`TABLES` (the notebook and the CLI load them).

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

Coups (:class:`CoupData`, from ``country_years`` and the coup tables)
---------------------------------------------------------------------
Outcomes from three coup codings, each with its own coup clock and its own years:
``powell_thyne`` (the ``coups`` table: Powell & Thyne, CoupCats months after its last event;
1950-2025), ``cline`` (Cline Center coups and attempted coups, conspiracies left out;
1950-2022, NA after) and ``coupcats`` (CoupCats coup months; 1950-2025). Treatment codings:
``combined`` (the panel's columns: Bara & Hultman and curated partner operations), ``curated``
(curated partner operations only; African hosts, 2000-2024) and ``bara_hultman`` (Bara &
Hultman only; 1993-2016), for ``has_partnership`` and ``has_partner_op``. Frames are built by
:func:`analysis.models.coups.prepare_coup_data` (lags matched on year, cubic coup clock).
"""

from __future__ import annotations

from collections.abc import Mapping
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
from analysis.studies.coups import COUP_TREATMENTS
from analysis.vocabulary import MANDATE_CONCEPTS, check_option

__all__ = [
    "CASUALTY_TREATMENTS",
    "COUP_SOURCES",
    "QUESTIONS",
    "TABLES",
    "CasualtyData",
    "CoupData",
    "coup_outcomes",
    "coup_panel",
    "coup_spec",
    "grid_path",
    "question_data",
]

#: Questions with a grid and a data builder.
QUESTIONS = ("casualties", "coups")
#: Tables each question needs (loaded by the notebook / CLI, handed to :func:`question_data`).
TABLES: dict[str, tuple[str, ...]] = {
    "casualties": ("mission_months",),
    "coups": ("country_years", "coups", "coups_cline", "coups_coupcats", "country_codes"),
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
                        "has_jihadist_conflict", "coup_attempts_prev5_n")


def grid_path(question: str) -> Path:
    """The grid file of a question (package data: ``analysis/studies/grids/<question>.yaml``)."""
    from analysis.config import package_file

    check_option("question", question, QUESTIONS)
    return package_file("studies", "grids", f"{question}.yaml")


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


def coup_panel(cy: pd.DataFrame, codes: pd.DataFrame | None = None, coups: pd.DataFrame | None = None,
               cline: pd.DataFrame | None = None, coupcats: pd.DataFrame | None = None) -> pd.DataFrame:
    """``country_years`` with the treatments of every coding and, when the coup tables are given,
    the outcomes of every coup coding (without them, only the panel's own outcomes: source
    ``default``)."""
    require_columns(cy, {"id": ["country_id_gw", "year", "is_africa"],
                         "outcome": ["has_coup_attempt", "has_successful_coup", "years_since_coup"],
                         "treatment": list(COUP_TREATMENTS) + ["has_partner_op_curated", "has_nonun_op_bara"],
                         "controls": list(COUP_CONTROL_COLUMNS)}, "country_years")
    base = cy[["country_id_gw", "year", "country_name", "is_africa", *COUP_TREATMENTS, *COUP_CONTROL_COLUMNS,
               "has_partner_op_curated", "has_nonun_op_bara", "has_coup_attempt", "has_successful_coup",
               "years_since_coup"]].copy()
    base["has_partner_op__curated"] = base["has_partner_op_curated"].astype("boolean")
    base["has_partner_op__bara"] = base["has_nonun_op_bara"].astype("boolean")
    # one source each, NA outside that source's coverage (country_years.has_partnership_curated / _bara)
    if {"has_partnership_curated", "has_partnership_bara"} <= set(cy.columns):
        base["has_partnership__curated"] = cy["has_partnership_curated"].astype("boolean").to_numpy()
        base["has_partnership__bara"] = cy["has_partnership_bara"].astype("boolean").to_numpy()
    else:
        base["has_partnership__curated"] = _and3(base["has_un_pko"], base["has_partner_op_curated"])
        base["has_partnership__bara"] = _and3(base["has_un_pko"], base["has_nonun_op_bara"])
    tables = (codes, coups, cline, coupcats)
    if any(t is not None for t in tables):
        if any(t is None for t in tables):
            raise ValueError("coup_panel: give all of codes, coups, cline and coupcats, or none")
        base = pd.concat([base, coup_outcomes(cy, *tables)], axis=1)  # type: ignore[arg-type]
    return base.reset_index(drop=True)


class CoupData(SpecData):
    """Country-years for the coup grid: codings ``combined`` / ``curated`` / ``bara_hultman``,
    outcome sources ``powell_thyne`` / ``cline`` / ``coupcats`` (and ``default``: the panel's own
    ``has_coup_attempt``, ``has_successful_coup`` and ``years_since_coup``)."""

    units = ("country_year",)

    def __init__(self, panel: pd.DataFrame, *, name: str = "country_years") -> None:
        super().__init__(
            panel, unit="country_id_gw", period="year", year="year",
            codings={"combined": "{treatment}", "curated": "{treatment}__curated",
                     "bara_hultman": "{treatment}__bara"},
            outcome_sources={"default": "{outcome}", **{s: "{outcome}__" + s for s in COUP_SOURCES}},
            treatments=COUP_TREATMENTS, strata=["year", "is_africa"], block=None, name=name,
        )

    def prepare(self, spec: Spec) -> Prepared:
        """Country-years of the spec: lagged treatment and controls, the source's coup clock."""
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
        data = prepare_coup_data(work, treatment=t_col, controls=list(spec.controls), lag=spec.lag,
                                 years=window, region="all")
        notes = [f"outcome from {src}; {data.attrs['coup_data']['rows_dropped_na']} rows dropped for NA"]
        return Prepared(frame=data, outcome=spec.outcome, treatment=t_col, controls=list(spec.controls),
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
    return CoupData(coup_panel(t["country_years"], t["country_codes"], t["coups"], t["coups_cline"],
                               t["coups_coupcats"]))
