"""Coups and coup risk (notebooks 04 and 06): the coup list of selected states, predicted risks
with their ranks among all country-years of the model's sample, and where each coup's country
stood before it.

Predicted probabilities of a coup attempt are given for each country-year of the model's
sample; ranks and percentiles are among all country-years of that sample (all African
country-years with complete predictors in notebook 06). Association, not causation: the model
describes which country-years looked coup-prone given partnership, income, democracy, conflict
and the coup clock; it does not say that partnership caused any coup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from analysis.errors import require_columns
from analysis.vocabulary import check_option

#: Treatments of the coup models (``country_years`` columns): a UN PKO together with a partner
#: operation, any partner operation, a UN PKO, a robust UN PKO, or a partner operation of one type.
COUP_TREATMENTS: tuple[str, ...] = (
    "has_partnership",
    "has_partner_op",
    "has_un_pko",
    "has_robust_un_pko",
    "has_partner_regional",
    "has_partner_eu",
    "has_partner_nato",
    "has_partner_bilateral",
    "has_partner_ad_hoc",
    "has_partner_pmc",
)


def coup_events(
    coups: pd.DataFrame, *, countries: Sequence[int], years: Sequence[int] | None = None
) -> pd.DataFrame:
    """Coup attempts in the selected states, with their date precision.

    Parameters
    ----------
    coups
        ``coups`` core table (Powell & Thyne events, day precision; CoupCats months after
        the seam, month precision).
    countries
        G-W codes to keep.
    years
        ``(first, last)`` years to keep, or ``None``.

    Returns
    -------
    pandas.DataFrame
        Columns ``coup_id``, ``country_id_gw``, ``country_name``, ``year``, ``month``,
        ``day`` (NA for month precision), ``date`` (1st of the month for month precision),
        ``date_precision``, ``is_successful``, ``outcome`` (``successful`` / ``failed``),
        ``date_label`` (``YYYY-MM-DD``, or ``YYYY-MM (month only)``), sorted by date.
    """
    require_columns(
        coups,
        [
            "coup_id",
            "country_id_gw",
            "country_name",
            "year",
            "month",
            "day",
            "date",
            "date_precision",
            "is_successful",
        ],
        "coups",
    )
    c = coups[coups["country_id_gw"].isin([int(x) for x in countries])]
    if years is not None:
        c = c[c["year"].between(int(years[0]), int(years[1]))]
    c = c[
        [
            "coup_id",
            "country_id_gw",
            "country_name",
            "year",
            "month",
            "day",
            "date",
            "date_precision",
            "is_successful",
        ]
    ].copy()
    c["outcome"] = c["is_successful"].map({True: "successful", False: "failed"}).astype("string")
    lab = [
        d.strftime("%Y-%m-%d") if p == "day" else f"{d.strftime('%Y-%m')} (month only)"
        for d, p in zip(c["date"], c["date_precision"])
    ]
    c["date_label"] = pd.array(lab, dtype="string")
    return c.sort_values(["date", "country_id_gw"]).reset_index(drop=True)


def risk_table(prepared: pd.DataFrame, risk: pd.Series) -> pd.DataFrame:
    """Predicted coup risk of every country-year of a model sample, with rank and percentile.

    Parameters
    ----------
    prepared
        The model's estimation frame (:func:`analysis.models.coups.prepare_coup_data`), with
        ``country_id_gw`` and ``year``; its rows define the reference set.
    risk
        Predicted probabilities (:func:`analysis.models.coups.predict_coup_risk`), aligned on
        ``prepared``'s index.

    Returns
    -------
    pandas.DataFrame
        ``country_id_gw``, ``year``, ``risk`` (probability), ``rank`` (1 = highest risk
        among all rows; ties share the best rank), ``percentile`` (share of rows with a risk
        at most this one, in percent), ``n_reference`` (rows with a risk), and the outcome
        ``has_coup_attempt`` when ``prepared`` has it.
    """
    require_columns(prepared, ["country_id_gw", "year"], "prepared coup data")
    r = pd.Series(risk, dtype="Float64").reindex(prepared.index)
    out = prepared[["country_id_gw", "year"]].copy()
    out["risk"] = r.to_numpy(dtype="float64", na_value=np.nan)
    valid = out["risk"].notna()
    vals = np.sort(out.loc[valid, "risk"].to_numpy())
    n = len(vals)
    x = out["risk"].to_numpy()
    higher = n - np.searchsorted(vals, x, side="right")
    at_most = np.searchsorted(vals, x, side="right")
    out["rank"] = pd.Series(higher + 1, index=out.index, dtype="Int64").where(valid)
    out["percentile"] = pd.Series(100.0 * at_most / max(n, 1), index=out.index, dtype="Float64").where(valid)
    out["n_reference"] = pd.array([n] * len(out), dtype="Int64")
    if "has_coup_attempt" in prepared.columns:
        out["has_coup_attempt"] = prepared["has_coup_attempt"].astype("boolean")
    out["country_id_gw"] = out["country_id_gw"].astype("Int64")
    out["year"] = out["year"].astype("Int64")
    return out.sort_values(["country_id_gw", "year"]).reset_index(drop=True)


def risk_reference_by_year(risks: pd.DataFrame, quantiles: Sequence[float] = (0.5, 0.9)) -> pd.DataFrame:
    """Quantiles of predicted risk across the reference country-years of each year.

    Parameters
    ----------
    risks
        :func:`risk_table`.
    quantiles
        Quantiles to compute (default median and 90th percentile).

    Returns
    -------
    pandas.DataFrame
        ``year`` and one column ``q<100*q>`` per quantile (e.g. ``q50``, ``q90``).
    """
    g = risks.dropna(subset=["risk"]).groupby("year")["risk"]
    out = pd.DataFrame({f"q{round(100 * q)}": g.quantile(q) for q in quantiles})
    out.index = out.index.astype("Int64")
    return out.reset_index()


def risk_before_coups(risks: pd.DataFrame, coups: pd.DataFrame) -> pd.DataFrame:
    """Where the model put each coup's country before the coup.

    Two readings of "the risk before the coup" are given side by side:

    * ``coup_year``: the predicted risk of the coup's own country-year (year *t*). The
      model's predictors are lagged (measured in *t-1*), so this is the ex-ante risk built
      from the year before; it is the headline.
    * ``year_before``: the predicted risk of the country-year *t-1* itself.

    Parameters
    ----------
    risks
        :func:`risk_table` (the reference set for ranks and percentiles).
    coups
        :func:`coup_events`.

    Returns
    -------
    pandas.DataFrame
        One row per coup: ``coup_id``, ``country_id_gw``, ``country_name``, ``date_label``,
        ``outcome``, ``year``, then ``risk_coup_year``, ``rank_coup_year``,
        ``percentile_coup_year`` and ``risk_year_before``, ``rank_year_before``,
        ``percentile_year_before`` (NA where that country-year is not in the model sample),
        and ``n_reference``. Two coups in one year share the coup-year values.
    """
    require_columns(
        risks, ["country_id_gw", "year", "risk", "rank", "percentile", "n_reference"], "risk table"
    )
    r = risks.set_index(["country_id_gw", "year"])[["risk", "rank", "percentile"]]
    out = coups[["coup_id", "country_id_gw", "country_name", "date_label", "outcome", "year"]].copy()
    for tag, shift in (("coup_year", 0), ("year_before", 1)):
        keys = pd.MultiIndex.from_arrays(
            [out["country_id_gw"].astype("Int64"), (out["year"] - shift).astype("Int64")]
        )
        vals = r.reindex(keys)
        out[f"risk_{tag}"] = vals["risk"].to_numpy(dtype="float64", na_value=np.nan)
        out[f"rank_{tag}"] = pd.array(vals["rank"].to_numpy(), dtype="Int64")
        out[f"percentile_{tag}"] = pd.array(
            vals["percentile"].to_numpy(dtype="float64", na_value=np.nan), dtype="Float64"
        )
    out["risk_coup_year"] = out["risk_coup_year"].astype("Float64")
    out["risk_year_before"] = out["risk_year_before"].astype("Float64")
    n = risks["n_reference"].dropna()
    out["n_reference"] = pd.array([int(n.iloc[0]) if len(n) else 0] * len(out), dtype="Int64")
    return out.reset_index(drop=True)


def result_key(coup: pd.Series | dict) -> str:
    """Stable key of a coup for the Reporter: ``<iso-like country slug>_<YYYY>_<MM>`` plus the day
    when known, e.g. ``mali_2020_08_18`` or ``niger_2023_07``."""
    name = re.sub(r"[^a-z0-9]+", "_", str(coup["country_name"]).lower()).strip("_")
    label = str(coup["date_label"]).split(" ")[0].replace("-", "_")
    return f"{name}_{label}"




#: Which partner-operation source the partnership treatments of notebook 04 use.
PartnerSource = Literal["curated", "combined", "bara_hultman"]

#: Treatments whose column depends on the partner source -> column per source.
_SOURCE_COLUMNS: dict[str, dict[str, str]] = {
    "has_partnership": {"curated": "has_partnership_curated", "combined": "has_partnership",
                        "bara_hultman": "has_partnership_bara"},
    "has_partner_op": {"curated": "has_partner_op_curated", "combined": "has_partner_op",
                       "bara_hultman": "has_nonun_op_bara"},
}

#: What each partner source means over the years (printed with the results).
PARTNER_SOURCE_CAVEATS: dict[str, str] = {
    "curated": "Partner operations from the curated table only (African hosts, 2000-2024, every type of "
               "force incl. bilateral and PMC): one definition over the whole window; operations without a "
               "start date leave their hosts' years NA, not False.",
    "combined": "Partner operations from every covering source: Bara & Hultman only in 1993-1999 (no "
                "bilateral operations), Bara & Hultman or the curated table in 2000-2016, the curated table "
                "only in 2017-2024. The treatment changes meaning at 2000 and 2017.",
    "bara_hultman": "Partner operations from Bara & Hultman only (every host, 1993-2016; regional and "
                    "international/ad hoc forces, no bilateral operations): one definition, ending in 2016.",
}


def treatment_column(treatment: str, partner_source: PartnerSource) -> str:
    """The ``country_years`` column of a coup-model treatment under a partner source.

    ``has_partnership`` and ``has_partner_op`` have one column per source (the curated table,
    Bara & Hultman, or any covering source); the other treatments (UN presence, curated
    partner types) do not depend on it, except that partner types exist only in the curated
    table (an error for ``bara_hultman``).
    """
    check_option("partner_source", partner_source, PartnerSource)
    if treatment in _SOURCE_COLUMNS:
        return _SOURCE_COLUMNS[treatment][partner_source]
    if partner_source == "bara_hultman" and treatment.startswith("has_partner_"):
        raise ValueError(f"treatment {treatment!r} exists only in the curated table; use partner_source "
                         "'curated' or 'combined'")
    return treatment


def coups_and_treatment(data: pd.DataFrame, cy: pd.DataFrame, *, outcome: str, treatment: str,
                        lag: int, since: int) -> pd.DataFrame:
    """Every coup event of the model's sample from ``since`` on, with its treatment value (in t -
    ``lag``) and whether the state hosted a UN PKO then: which coups fall in treated years,
    and which are untreated by construction (no UN operation to partner with).

    Returns
    -------
    pandas.DataFrame
        ``country_id_gw``, ``country_name``, ``year``, ``treated`` (the treatment in t - lag), ``had_un_pko``
        (``has_un_pko`` in t - lag), ``why`` (plain-language reading), sorted by year.
    """
    require_columns(data, ["country_id_gw", "year", outcome, treatment], "coup data")
    ev = data[data[outcome].astype(bool) & (data["year"] >= since)].copy()
    un = cy.set_index(["country_id_gw", "year"])["has_un_pko"]
    prev = list(zip(ev["country_id_gw"], ev["year"] - lag))
    ev["had_un_pko"] = [un.get(k, pd.NA) for k in prev]
    ev["treated"] = ev[treatment].astype(bool)

    def why(r: pd.Series) -> str:
        if r["treated"]:
            return "treated: a UN PKO and a partner operation"
        if r["had_un_pko"] is pd.NA or pd.isna(r["had_un_pko"]) or not bool(r["had_un_pko"]):
            return "untreated by construction: no UN PKO in the state"
        return "untreated: a UN PKO without a partner operation"

    ev["why"] = pd.Series([why(r) for _, r in ev.iterrows()], index=ev.index, dtype="string")
    name = ev["country_name"] if "country_name" in ev else ev["country_id_gw"].astype(str)
    out = pd.DataFrame({"country_id_gw": ev["country_id_gw"], "country_name": name, "year": ev["year"],
                        "treated": ev["treated"],
                        "had_un_pko": ev["had_un_pko"].astype("boolean"), "why": ev["why"]})
    return out.sort_values(["year", "country_name"]).reset_index(drop=True)
