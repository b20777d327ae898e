"""The coup design of notebooks 04 and 06: treatment rules, exposure beyond the host state, controls.

One design for both notebooks (:func:`coup_panel` and :data:`HEADLINE`): a logit of a coup
attempt in year *t* on a partnership operation and controls in *t-1*, with the coup clock
(cubic in years since the last attempt) and period effects, on African states.

Controls (reviewer's list, issue 15 item 4)
-------------------------------------------
* armed conflict in the state (ACD) and **jihadist** conflict (an ACD conflict with a curated
  jihadist side), log GDP per capita, V-Dem polyarchy, log population;
* **regional contagion**: coup attempts in the other states of the region (Africa) in *t-1*;
* **U.S. troop presence**: ``log(1 + U.S. active-duty personnel)`` (troopdata);
* **military regime** and **leader tenure** at the end of *t-1* (CoupCats, :mod:`analysis.core.regimes`);
* **period effects**: 1994-2000 (reference), 2001-2012 (the war on terror before the Sahel
  deployments), 2013-2024 (MINUSMA, Serval/Barkhane and after).

Deployments that followed a coup
--------------------------------
A partner operation sent *because of* a coup is an outcome of the coup, not a treatment that
could cause the next one. The rule table ``post_coup_deployments.csv`` (beside this module)
lists the operations deployed in response to a coup in the host, each with the coup, the
reason and the Security Council text that records it: AFISMA (Mali, after 22 March 2012) and
ECOMIB (Guinea-Bissau, after 12 April 2012). :func:`deployments_after_coups` screens every
partner deployment that *started* within 12 months after a coup attempt in its host, so the
reader sees which of them the table lists and which it keeps (Serval and EUTM Mali answered
the jihadist offensive of 2012-13 and stay treatments). ``post_coup`` chooses what is done:

* ``"exclude"`` (default): the listed operations do not count towards the treatment (the
  treatment is rebuilt from the panel verbs without them);
* ``"screen"``: a mechanical rule instead of the table: every operation the 12-month screen
  finds is excluded (Serval and EUTM Mali too, so Mali 2013 is untreated);
* ``"drop"``: the state-years in which a listed operation was present leave the sample;
* ``"keep"``: nothing is done (the published codings as they are).

Exposure beyond the host state
------------------------------
``has_partnership_theatre``: the state hosts a partner operation that, in the same year, also
operates in a state hosting a UN peacekeeping operation (a *shared theatre*), or it hosts a
partnership itself. Barkhane and the G5 Sahel Joint Force list Burkina Faso and Niger among
their hosts together with Mali (MINUSMA): those two states, which never hosted a UN operation,
are exposed to the Sahel partnership theatre from 2014 although ``has_partnership`` is False
there. Hosts are the curated table's host lists (one list per operation, not by year) and Bara
& Hultman's host-months; the value is NA wherever ``has_partner_op`` is NA (outside the
partner sources' years). **Neighbours** (contiguity) are not measured: the mirror holds no
contiguity or border data, so exposure through neighbouring states is left out, not guessed;
the regional contagion term carries the region's coups. :func:`neighbour_exposure` computes it
for a researcher who brings a contiguity table.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from analysis.errors import DataError, require_columns
from analysis.models.multiverse.data import Prepared, SpecData, apply_filters
from analysis.models.multiverse.spec import Spec
from analysis.vocabulary import check_option

#: What to do with partner deployments that followed a coup (see the module docstring).
PostCoup = Literal["exclude", "screen", "drop", "keep"]
#: Sources of the partner-operation treatment: both (Bara & Hultman 1993-2016 and the curated table
#: 2000-2024; the definition changes with the years) or the curated table alone (one definition,
#: African hosts 2000-2024, NA elsewhere).
PartnerSource = Literal["combined", "curated"]
#: Rule table of the deployments sent in response to a coup in the host.
POST_COUP_FILE = ("studies", "post_coup_deployments.csv")
_POST_COUP_COLUMNS = ["operation_id", "host_iso3", "coup_country", "coup_date", "rule", "citation"]

#: Controls of the headline coup model (lagged one year by ``prepare_coup_data``).
HEADLINE_CONTROLS: tuple[str, ...] = (
    "has_conflict",
    "has_jihadist_conflict",
    "log_gdp_pc",
    "v2x_polyarchy",
    "log_population",
    "region_coup_attempts_n",
    "log1p_us_troops",
    "is_military_regime",
    "leader_tenure_years",
)
#: First years of the periods after the reference period (1994-2000): 2001-2012, 2013-2024.
HEADLINE_PERIODS: tuple[int, ...] = (2001, 2013)
#: Outcome years of the headline model (treatment and controls from 1993 with lag 1).
HEADLINE_YEARS: tuple[int, int] = (1994, 2024)

#: Columns written by :func:`analysis.panels.country.add_nonun_operations` and ``add_partnership``,
#: rebuilt when operations are excluded.
_TREATMENT_COLUMNS = (
    "nonun_ops_bara_n",
    "nonun_personnel_bara_n",
    "has_nonun_op_bara",
    "has_partner_regional",
    "has_partner_eu",
    "has_partner_nato",
    "has_partner_bilateral",
    "has_partner_ad_hoc",
    "has_partner_pmc",
    "partner_ops_curated_n",
    "has_partner_op_curated",
    "has_partner_op",
    "has_partner_op_source",
    "has_partnership",
)


def load_post_coup_deployments(path: str | Path | None = None) -> pd.DataFrame:
    """The rule table of partner deployments sent in response to a coup (``post_coup_deployments.csv``).

    Returns ``operation_id`` (the id in both Bara & Hultman's table and the curated table),
    ``host_iso3``, ``coup_country``, ``coup_date`` (datetime), ``rule`` and ``citation``.
    A blank cell or a bad date is an error naming the file, column and (1-based) line.
    """
    from analysis.config import package_file

    p = Path(path) if path is not None else package_file(*POST_COUP_FILE)
    df = pd.read_csv(p, dtype="string", keep_default_na=False)
    missing = [c for c in _POST_COUP_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(p, f"missing columns {missing}")
    for c in _POST_COUP_COLUMNS:
        blank = df[c].str.strip() == ""
        if blank.any():
            raise DataError(p, "blank value", column=c, row=int(blank.to_numpy().nonzero()[0][0]))
    dates = pd.to_datetime(df["coup_date"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        i = int(dates.isna().to_numpy().nonzero()[0][0])
        raise DataError(p, f"bad date {df['coup_date'].iloc[i]!r}", column="coup_date", row=i)
    return df[_POST_COUP_COLUMNS].assign(coup_date=dates)


def operation_host_years(bara: pd.DataFrame, partner_ops: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Non-UN operations by host state and year: Bara & Hultman host-months and the dated curated
    operations (host lists, start to end or to 2024).

    Returns ``operation_id``, ``country_id_gw``, ``year``, ``source`` (``"bara_hultman"`` /
    ``"curated"``), unique on the first three and the source.
    """
    from analysis.core.countries import gw_from_iso3
    from analysis.panels.coverage import PARTNER_OPERATIONS_YEARS

    b = bara[~bara["is_un"].fillna(False).astype(bool)].dropna(subset=["country_id_gw"])
    by = b[["operation_id", "country_id_gw", "year"]].drop_duplicates().assign(source="bara_hultman")
    rows = []
    last = PARTNER_OPERATIONS_YEARS[1]
    for op in partner_ops.itertuples(index=False):
        if pd.isna(op.date_start) or pd.isna(op.host_iso3):
            continue  # undated: cannot be placed in years
        y1 = int(op.date_end.year) if pd.notna(op.date_end) else last
        for iso in str(op.host_iso3).split(";"):
            for y in range(max(int(op.date_start.year), PARTNER_OPERATIONS_YEARS[0]), min(y1, last) + 1):
                rows.append((op.operation_id, iso.strip(), y))
    cur = pd.DataFrame(rows, columns=["operation_id", "iso3", "year"])
    cur["country_id_gw"] = gw_from_iso3(cur["iso3"], cur["year"], codes)
    cur = cur.dropna(subset=["country_id_gw"]).drop(columns="iso3").assign(source="curated")
    out = pd.concat([by, cur], ignore_index=True)
    out["country_id_gw"] = out["country_id_gw"].astype("Int64")
    out["year"] = out["year"].astype("Int64")
    out["operation_id"] = out["operation_id"].astype("string")
    return out.drop_duplicates().reset_index(drop=True)


def deployments_after_coups(
    op_years: pd.DataFrame,
    bara: pd.DataFrame,
    partner_ops: pd.DataFrame,
    coups: pd.DataFrame,
    *,
    months: int = 12,
    listed: Sequence[str] = (),
) -> pd.DataFrame:
    """Partner deployments that started within ``months`` after a coup attempt in their host.

    The start of an operation in a host is its first month there (Bara & Hultman; a first
    month of 1993-01, the data's start, is left-censored and not a start) or the curated
    ``date_start`` (day, month or year precision; a year-only start is taken as January).

    Returns one row per (operation, host, coup): ``operation_id``, ``country_id_gw``,
    ``start`` (month), ``coup_date``, ``months_after``, ``is_successful``, ``is_listed``
    (in ``listed``, i.e. the rule table), sorted by start.
    """
    from analysis.panels.join import month_key

    b = bara[~bara["is_un"].fillna(False).astype(bool)].dropna(subset=["country_id_gw"])
    b = b.assign(_m=month_key(b)).groupby(["operation_id", "country_id_gw"])["_m"].min().reset_index()
    b = b[b["_m"] > pd.Timestamp(1993, 1, 1)]
    cur_first = (
        op_years[op_years["source"] == "curated"]
        .groupby(["operation_id", "country_id_gw"])["year"]
        .min()
        .reset_index()
    )
    starts = dict(zip(partner_ops["operation_id"], partner_ops["date_start"]))
    cur_first["_m"] = [
        max(pd.Timestamp(starts[o]).to_period("M").to_timestamp(), pd.Timestamp(int(y), 1, 1))
        for o, y in zip(cur_first["operation_id"], cur_first["year"])
    ]
    s = pd.concat([b, cur_first[["operation_id", "country_id_gw", "_m"]]]).sort_values("_m")
    s = s.drop_duplicates(["operation_id", "country_id_gw"])
    c = coups.dropna(subset=["country_id_gw"])[["country_id_gw", "date", "is_successful"]]
    x = s.merge(c, on="country_id_gw")
    after = (x["_m"].dt.year - x["date"].dt.year) * 12 + (x["_m"].dt.month - x["date"].dt.month)
    x = x.assign(months_after=after)[(after >= 0) & (after <= months)]
    out = pd.DataFrame(
        {
            "operation_id": x["operation_id"].astype("string"),
            "country_id_gw": x["country_id_gw"].astype("Int64"),
            "start": x["_m"],
            "coup_date": x["date"],
            "months_after": x["months_after"].astype("Int64"),
            "is_successful": x["is_successful"].astype("boolean"),
            "is_listed": x["operation_id"].isin(list(listed)).astype("boolean"),
        }
    )
    return out.sort_values(["start", "operation_id", "coup_date"]).reset_index(drop=True)


def partnership_theatre(cy: pd.DataFrame, op_years: pd.DataFrame) -> pd.Series:
    """``has_partnership_theatre`` of each row of ``cy`` (see the module docstring).

    ``cy`` needs ``country_id_gw``, ``year``, ``has_un_pko``, ``has_partner_op`` and
    ``has_partnership``; ``op_years`` is :func:`operation_host_years` (already without any
    excluded operation).
    """
    require_columns(
        cy, ["country_id_gw", "year", "has_un_pko", "has_partner_op", "has_partnership"], "country-years"
    )
    un = cy.loc[cy["has_un_pko"].fillna(False).astype(bool), ["country_id_gw", "year"]].assign(_un=True)
    oy = op_years[["operation_id", "country_id_gw", "year"]].drop_duplicates()
    partnered = oy.merge(un, on=["country_id_gw", "year"], how="inner")[["operation_id", "year"]]
    exposed = (
        oy.merge(partnered.drop_duplicates(), on=["operation_id", "year"])[["country_id_gw", "year"]]
        .drop_duplicates()
        .assign(_t=True)
    )
    x = cy[["country_id_gw", "year"]].merge(exposed, on=["country_id_gw", "year"], how="left")
    theatre = pd.Series(x["_t"].fillna(False).to_numpy(dtype=bool), index=cy.index)
    theatre |= cy["has_partnership"].fillna(False).astype(bool)
    return theatre.astype("boolean").where(cy["has_partner_op"].notna())


def coup_panel(
    cy: pd.DataFrame,
    *,
    regime_months: pd.DataFrame,
    bara: pd.DataFrame,
    partner_ops: pd.DataFrame,
    codes: pd.DataFrame,
    coups: pd.DataFrame,
    post_coup: PostCoup = "exclude",
    partner_source: PartnerSource = "combined",
    rules: pd.DataFrame | None = None,
    screen_months: int = 12,
) -> pd.DataFrame:
    """``country_years`` with the coup design's columns: treatments rebuilt under ``post_coup``,
    ``has_partnership_theatre``, ``is_post_coup_deployment`` and the regime controls.

    Parameters
    ----------
    cy
        ``country_years`` (all states and years; not modified).
    regime_months, bara, partner_ops, codes, coups
        The tables ``regime_months``, ``nonun_operations_monthly``, the curated partner
        operations, ``country_codes`` and ``coups`` (studies never load data: the notebook does).
    post_coup
        ``"exclude"``, ``"screen"``, ``"drop"`` or ``"keep"`` (module docstring).
    partner_source
        ``"combined"`` (Bara & Hultman and the curated table, as ``country_years``) or
        ``"curated"`` (the curated table only: the same definition in every year it covers,
        treatments NA outside African states 2000-2024; issue 10, item 6).
    rules
        :func:`load_post_coup_deployments` (the rule table shipped beside this module) by default.
    screen_months
        Window of the screen (``post_coup="screen"``).

    Returns
    -------
    pandas.DataFrame
        ``cy``'s rows and columns (treatments rebuilt under ``"exclude"``; under ``"drop"``
        every treatment column is NA in the state-years of a listed operation, so they leave
        any model), plus ``is_post_coup_deployment`` (a listed operation present that year),
        ``has_partnership_theatre`` and :data:`analysis.panels.regime.REGIME_COLUMNS`.
        ``attrs["coup_design"]`` records the option and the listed operations.
    """
    from analysis.panels.country import add_nonun_operations, add_partnership
    from analysis.panels.regime import add_regime

    check_option("post_coup", post_coup, PostCoup)
    check_option("partner_source", partner_source, PartnerSource)
    rules = load_post_coup_deployments() if rules is None else rules
    listed = list(rules["operation_id"])
    op_years = operation_host_years(bara, partner_ops, codes)
    if post_coup == "screen":
        scr = deployments_after_coups(op_years, bara, partner_ops, coups, months=screen_months)
        listed = sorted(set(scr["operation_id"]))
    listed_years = op_years.loc[op_years["operation_id"].isin(listed), ["country_id_gw", "year"]]
    listed_years = listed_years.drop_duplicates()
    out = cy.copy()
    hit = out.merge(listed_years.assign(_p=True), on=["country_id_gw", "year"], how="left")["_p"]
    out["is_post_coup_deployment"] = pd.array(hit.fillna(False).to_numpy(dtype=bool), dtype="boolean")
    drop_ops = listed if post_coup in ("exclude", "screen") else []
    if drop_ops or partner_source == "curated":
        b = bara[~bara["operation_id"].isin(drop_ops)]
        if partner_source == "curated":
            b = b.iloc[0:0]
            op_years = op_years[op_years["source"] == "curated"]
        keep = out.drop(columns=[c for c in _TREATMENT_COLUMNS if c in out.columns])
        keep = add_nonun_operations(keep, b, partner_ops[~partner_ops["operation_id"].isin(drop_ops)], codes)
        out = add_partnership(keep)[list(out.columns)]
        op_years = op_years[~op_years["operation_id"].isin(drop_ops)]
    out["has_partnership_theatre"] = partnership_theatre(out, op_years)
    if partner_source == "curated":  # one definition: the curated table's years and hosts only
        from analysis.panels.coverage import PARTNER_OPERATIONS_YEARS

        inside = out["year"].between(*PARTNER_OPERATIONS_YEARS).fillna(False).to_numpy(dtype=bool) & out[
            "is_africa"
        ].fillna(False).to_numpy(dtype=bool)
        for c in (*_TREATMENT_COLUMNS, "has_partnership_theatre"):
            if c in out.columns and c not in (
                "nonun_ops_bara_n",
                "nonun_personnel_bara_n",
                "has_nonun_op_bara",
            ):
                out.loc[~inside, c] = pd.NA
    if post_coup == "drop":
        mask = out["is_post_coup_deployment"].fillna(False).to_numpy(dtype=bool)
        for c in (*_TREATMENT_COLUMNS, "has_partnership_theatre"):
            if c in out.columns:
                out.loc[mask, c] = pd.NA
    out = add_regime(out, regime_months)
    out.attrs["coup_design"] = {
        "post_coup": post_coup,
        "post_coup_operations": listed,
        "partner_source": partner_source,
    }
    return out


def neighbour_exposure(cy: pd.DataFrame, pairs: pd.DataFrame, column: str = "has_partnership") -> pd.Series:
    """Whether a neighbour of each state-year has ``column`` True that year (``has_<column>_neighbour``).

    The mirror holds no contiguity data, so the notebooks do not use this; a researcher who has a
    contiguity table (e.g. COW Direct Contiguity, land borders) passes it as ``pairs`` with
    ``country_id_gw``, ``neighbour_id_gw`` and optionally ``year_start`` / ``year_end`` (the years
    the pair is contiguous; both directions are used). Three-valued: True when a neighbour has
    the treatment, False when every neighbour is coded False, NA when a neighbour's value is NA
    and none is True; a state without neighbours (an island) is False.
    """
    require_columns(cy, ["country_id_gw", "year", column], "country-years")
    require_columns(pairs, ["country_id_gw", "neighbour_id_gw"], "contiguity pairs")
    p = pairs.copy()
    for c, fill in (("year_start", -10_000), ("year_end", 10_000)):
        p[c] = p[c].fillna(fill) if c in p.columns else fill
    both = pd.concat(
        [p, p.rename(columns={"country_id_gw": "neighbour_id_gw", "neighbour_id_gw": "country_id_gw"})],
        ignore_index=True,
    )
    both = both.drop_duplicates(["country_id_gw", "neighbour_id_gw", "year_start", "year_end"])
    vals = cy[["country_id_gw", "year", column]].rename(
        columns={"country_id_gw": "neighbour_id_gw", column: "_v"}
    )
    x = cy[["country_id_gw", "year"]].reset_index().merge(both, on="country_id_gw", how="left")
    lo, hi = x["year_start"].fillna(-10_000).astype(float), x["year_end"].fillna(10_000).astype(float)
    yr = x["year"].astype(float)
    x = x[x["neighbour_id_gw"].isna().to_numpy() | ((yr >= lo) & (yr <= hi)).to_numpy()]
    x = x.merge(vals, on=["neighbour_id_gw", "year"], how="left")
    g = x.groupby("index")["_v"]
    has = g.apply(lambda s: bool(s.astype("boolean").fillna(False).any()))
    unknown = g.apply(lambda s: bool(s.isna().any()))
    none = x.groupby("index")["neighbour_id_gw"].apply(lambda s: bool(s.isna().all()))
    out = pd.Series(
        pd.array(has.reindex(cy.index, fill_value=False).to_numpy(), dtype="boolean"), index=cy.index
    )
    mask = (~has & unknown & ~none).reindex(cy.index, fill_value=False).to_numpy(dtype=bool)
    out[mask] = pd.NA
    return out.rename(f"{column}_neighbour")


def design_table(prepared: pd.DataFrame, treatment: str, controls: Sequence[str]) -> pd.DataFrame:
    """Means of the treatment and each control among treated and untreated rows of a prepared
    coup frame, with the standardised difference (difference over the pooled SD): the balance a
    reader checks before trusting an adjustment."""
    d = prepared[treatment].astype(float).to_numpy() > 0.5
    rows = []
    for c in controls:
        v = prepared[c].astype(float).to_numpy()
        m1, m0 = float(np.nanmean(v[d])), float(np.nanmean(v[~d]))
        pooled = (np.nanvar(v[d], ddof=1) + np.nanvar(v[~d], ddof=1)) / 2 if d.sum() > 1 else np.nan
        sd = float(np.sqrt(pooled))
        rows.append(
            {
                "variable": c,
                "mean_treated": m1,
                "mean_untreated": m0,
                "std_difference": (m1 - m0) / sd if sd and sd > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def treatments_before(
    rows: pd.DataFrame,
    panel: pd.DataFrame,
    *,
    lag: int = 1,
    treatments: Sequence[str] = (
        "has_partnership",
        "has_partnership_theatre",
        "has_partner_op",
        "has_un_pko",
    ),
) -> pd.DataFrame:
    """``country_id_gw``, ``year`` of ``rows`` (e.g. the coup years since 2020) with each treatment of
    ``panel`` in ``year - lag``, sorted by year: where a coup falls under each definition."""
    out = rows[["country_id_gw", "year"]].sort_values(["year", "country_id_gw"]).reset_index(drop=True)
    src = panel.set_index(["country_id_gw", "year"])
    key = pd.MultiIndex.from_arrays(
        [out["country_id_gw"].astype("Int64"), (out["year"] - lag).astype("Int64")]
    )
    for t in treatments:
        out[t] = src[t].reindex(key).to_numpy()
    return out


# ----------------------------------------------------------------------------- specifications


#: The region filter of a :class:`DesignData` spec (``prepare_coup_data(region="africa")``).
AFRICA = ("is_africa", "==", True)


class DesignData(SpecData):
    """The design panel (:func:`coup_panel`) as the data of :func:`~analysis.models.multiverse.fit_many`.

    Every specification gets the frame notebook 04 fits: :func:`~analysis.models.coups.prepare_coup_data`
    with the spec's treatment, controls, lag and window, the filter :data:`AFRICA` as
    ``region="africa"`` (other filters select rows first), and the **period effects** of this
    design (``periods``: first years of the periods after the reference; those inside a spec's
    window enter, as in the notebook), which are added to the spec's controls. The post-coup
    rule is already applied by :func:`coup_panel`. Outcomes and treatments are the panel's own
    columns (coding and outcome source ``default``).
    """

    def __init__(self, panel: pd.DataFrame, *, periods: Sequence[int] = (),
                 name: str = "coup_design") -> None:
        super().__init__(panel, unit="country_id_gw", period="year", strata=["year", "is_africa"], name=name)
        self.periods = [int(y) for y in periods]

    def _rules(self) -> tuple:
        return ("periods", tuple(self.periods))

    def prepare(self, spec: Spec) -> Prepared:
        """The notebook's frame of ``spec`` (lagged treatment and controls, coup clock, period dummies)."""
        from analysis.models.coups import prepare_coup_data

        self.check_unit(spec)
        if spec.outcome_source != "default":
            raise ValueError(
                f"{self.name}: outcome source {spec.outcome_source!r} is not known; valid: 'default'")
        t_col = self.treatment_column(spec)
        filters = list(spec.filters)
        region = "africa" if AFRICA in filters else "all"
        df = apply_filters(self.panel, [f for f in filters if f != AFRICA], self.name)
        window = spec.window or (int(df["year"].min()), int(df["year"].max()))
        periods = [y for y in self.periods if window[0] < y <= window[1]]
        data = prepare_coup_data(df, treatment=t_col, controls=list(spec.controls), lag=spec.lag,
                                 years=window, region=region, periods=periods)  # type: ignore[arg-type]
        dummies = list(data.attrs["coup_data"]["periods"])
        return Prepared(frame=data, outcome=spec.outcome, treatment=t_col,
                        controls=[*spec.controls, *dummies], fe=list(spec.fe),
                        cluster=spec.cluster if spec.se != "robust" else None, duration=spec.duration)
