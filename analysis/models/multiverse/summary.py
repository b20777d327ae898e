"""What a specification curve says: shares, median and spread, which choices move it, a verdict.

Following Simonsohn, Simmons & Nelson (2020, "Specification curve analysis", *Nature Human
Behaviour* 4), over the specifications that could be estimated (status ``ok``):

* the share with the headline's sign, and the share with p < 0.05 (overall and with that sign);
* the median estimate and its interquartile range (on the log scale, shown as ratios);
* a variance decomposition by dimension: for each dimension, the share of the variance of the
  estimates explained by its values alone (``eta2``: between-value sum of squares over the total)
  and its unique share in an additive model of all dimensions (``unique``: R-squared of all
  dimensions minus R-squared without this one), so a reader sees which choices move the answer;
* the statuses of the others, never as numbers.

:func:`compare` is the small-grid view: a tidy table of a few labelled specifications (the
rows of :func:`~analysis.models.multiverse.execute.fit_many`) ready for a forest plot
(:func:`analysis.plots.models.plot_forest` takes it as is).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Comparison", "CurveSummary", "compare", "curve_summary", "variance_decomposition", "verdict"]

ALPHA = 0.05


@dataclass
class CurveSummary:
    """Headline numbers of a specification curve (see the module docstring)."""

    n_specs: int
    n_ok: int
    status_counts: dict[str, int]
    headline_estimate: float | None
    headline_sign: int
    share_same_sign: float | None
    share_significant: float | None
    share_significant_same_sign: float | None
    median_estimate: float | None
    q25_estimate: float | None
    q75_estimate: float | None
    decomposition: pd.DataFrame = field(repr=False)

    @property
    def median_ratio(self) -> float | None:
        """exp(median estimate): the median incidence-rate / odds ratio."""
        return None if self.median_estimate is None else float(np.exp(self.median_estimate))

    @property
    def iqr_ratio(self) -> tuple[float, float] | None:
        """The interquartile range as ratios."""
        if self.q25_estimate is None or self.q75_estimate is None:
            return None
        return float(np.exp(self.q25_estimate)), float(np.exp(self.q75_estimate))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able numbers (the decomposition as records)."""
        out = {k: getattr(self, k) for k in (
            "n_specs", "n_ok", "status_counts", "headline_estimate", "headline_sign", "share_same_sign",
            "share_significant", "share_significant_same_sign", "median_estimate", "q25_estimate",
            "q75_estimate")}
        out["median_ratio"] = self.median_ratio
        out["iqr_ratio"] = list(self.iqr_ratio) if self.iqr_ratio else None
        out["decomposition"] = self.decomposition.to_dict("records")
        return out


def _ok(results: pd.DataFrame) -> pd.DataFrame:
    r = results[results["status"] == "ok"]
    return r[np.isfinite(r["estimate"].to_numpy(dtype=float))]


def variance_decomposition(results: pd.DataFrame, dimensions: Sequence[str] | None = None) -> pd.DataFrame:
    """Share of the variance of the ``ok`` estimates explained by each dimension.

    Returns
    -------
    pandas.DataFrame
        ``dimension``, ``values_n`` (values present), ``eta2`` (between-value sum of squares over
        the total: the dimension alone), ``unique`` (R-squared of an additive model of every
        dimension minus R-squared without this one), ``range`` (largest minus smallest mean
        estimate over its values, log scale), sorted by ``eta2``, largest first. Dimensions
        with one value present have 0.
    """
    dims = list(dimensions if dimensions is not None else results.attrs.get("dimensions", []))
    ok = _ok(results)
    y = ok["estimate"].to_numpy(dtype=float)
    cols = ["dimension", "values_n", "eta2", "unique", "range"]
    if len(y) < 2 or not dims:
        return pd.DataFrame(columns=cols)
    tss = float(np.sum((y - y.mean()) ** 2))

    def r2(ds: Sequence[str]) -> float:
        if not ds or tss == 0:
            return 0.0
        X = [np.ones(len(y))]
        for d in ds:
            dummies = pd.get_dummies(ok[d].astype(str), drop_first=True, dtype=float).to_numpy()
            if dummies.size:
                X.append(dummies)
        Xm = np.column_stack(X)
        beta, *_ = np.linalg.lstsq(Xm, y, rcond=None)
        rss = float(np.sum((y - Xm @ beta) ** 2))
        return max(0.0, 1.0 - rss / tss)

    full = r2(dims)
    rows = []
    for d in dims:
        g = ok.groupby(ok[d].astype(str))["estimate"]
        means, counts = g.mean(), g.size()
        bss = float(np.sum(counts * (means - y.mean()) ** 2))
        rows.append({"dimension": d, "values_n": int(len(means)), "eta2": bss / tss if tss > 0 else 0.0,
                     "unique": max(0.0, full - r2([x for x in dims if x != d])),
                     "range": float(means.max() - means.min()) if len(means) else 0.0})
    out = pd.DataFrame(rows, columns=cols).sort_values("eta2", ascending=False).reset_index(drop=True)
    out.attrs["r2_all"] = full
    return out


def curve_summary(results: pd.DataFrame, *, headline: str | None = None,
                  dimensions: Sequence[str] | None = None) -> CurveSummary:
    """Summary of a specification curve (:func:`fit_many`'s frame).

    Parameters
    ----------
    results
        One row per specification.
    headline
        ``spec_id`` of the headline specification: its sign defines "the headline's sign"
        (without it, or when it is not ``ok``, the sign of the median estimate).
    dimensions
        Dimensions of the decomposition (default ``results.attrs["dimensions"]``).
    """
    ok = _ok(results)
    b = ok["estimate"].to_numpy(dtype=float)
    p = ok["p_value"].to_numpy(dtype=float)
    status = results["status"].value_counts().to_dict()
    head_est = None
    if headline is not None:
        h = results[(results["spec_id"] == headline) & (results["status"] == "ok")]
        if len(h):
            head_est = float(h["estimate"].iloc[0])
    med = float(np.median(b)) if len(b) else None
    ref = head_est if head_est is not None else med
    sign = 0 if ref is None or ref == 0 else (1 if ref > 0 else -1)
    n = len(b)
    sig = p < ALPHA
    return CurveSummary(
        n_specs=len(results), n_ok=n, status_counts={str(k): int(v) for k, v in status.items()},
        headline_estimate=head_est, headline_sign=sign,
        share_same_sign=float(np.mean(np.sign(b) == sign)) if n and sign else None,
        share_significant=float(np.mean(sig)) if n else None,
        share_significant_same_sign=float(np.mean(sig & (np.sign(b) == sign))) if n and sign else None,
        median_estimate=med,
        q25_estimate=float(np.quantile(b, 0.25)) if n else None,
        q75_estimate=float(np.quantile(b, 0.75)) if n else None,
        decomposition=variance_decomposition(results, dimensions),
    )


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.0f}%"


def verdict(s: CurveSummary, *, null_p: float | None = None, ratio_name: str = "ratio") -> str:
    """A plain-language verdict generated from the numbers (never hand-typed)."""
    if not s.n_ok:
        return (f"None of the {s.n_specs} specifications could be estimated: the data cannot answer the "
                "question.")
    dirn = "above 1" if s.headline_sign > 0 else "below 1"
    lo, hi = s.iqr_ratio or (float("nan"), float("nan"))
    parts = [f"{s.n_ok} of {s.n_specs} specifications could be estimated; the median {ratio_name} is "
             f"{s.median_ratio:.2f} (interquartile range {lo:.2f} to {hi:.2f})."]
    if s.share_same_sign is not None:
        parts.append(f"{_pct(s.share_same_sign)} have the headline's sign ({dirn}) and "
                     f"{_pct(s.share_significant_same_sign)} are also significant at 5%.")
    if len(s.decomposition):
        top = s.decomposition.iloc[0]
        parts.append(f"The choice that moves the estimate most is {top['dimension']} "
                     f"({_pct(float(top['eta2']))} of the variance of the estimates).")
    same = s.share_same_sign or 0.0
    if null_p is not None:
        if null_p < ALPHA:
            parts.append(f"Jointly, the curve is unlikely under the null of no association "
                         f"(p = {null_p:.3f}).")
        else:
            parts.append(f"Jointly, the curve is compatible with no association (p = {null_p:.3f}).")
    if same >= 0.9 and (s.share_significant_same_sign or 0) >= 0.5:
        parts.append("Verdict: robust in direction and mostly significant across defensible choices.")
    elif same >= 0.75:
        parts.append("Verdict: the direction is fairly robust, but significance depends on the choices.")
    else:
        parts.append("Verdict: not robust - defensible choices give answers on both sides of 1.")
    return " ".join(parts)


@dataclass
class Comparison:
    """A few labelled specifications side by side: ``table`` (estimable) and ``failed`` (with reasons)."""

    table: pd.DataFrame
    failed: pd.DataFrame
    headline: str | None = None


def compare(results: pd.DataFrame, *, labels: Mapping[str, str] | Sequence[str] | None = None,
            headline: str | None = None) -> Comparison:
    """Tidy comparison of a few specifications (rows of :func:`fit_many`), ready for a forest plot.

    Parameters
    ----------
    results
        Rows of :func:`~analysis.models.multiverse.execute.fit_many`.
    labels
        Row labels: a mapping ``spec_id -> label`` or a sequence aligned with the rows; default
        the grid's choices (``dim=value, ...``).
    headline
        ``spec_id`` of the headline row: its label gets " (headline)" appended.

    Returns
    -------
    Comparison
        ``table``: ``label, spec_id, term, ratio, ratio_ci_low, ratio_ci_high, p_value, nobs,
        n_clusters, events, events_treated`` of the ``ok`` rows (the columns
        :func:`analysis.plots.models.plot_forest` reads); ``failed``: ``label, status, reason``
        of the others; ``headline``: the headline's label.
    """
    r = results.reset_index(drop=True)
    dims = list(r.attrs.get("dimensions", []))
    if labels is None:
        lab = [", ".join(f"{d}={row[d]}" for d in dims) or row["spec_id"] for _, row in r.iterrows()]
    elif isinstance(labels, Mapping):
        lab = [labels.get(sid, sid) for sid in r["spec_id"]]
    else:
        lab = list(labels)
        if len(lab) != len(r):
            raise ValueError(f"labels: {len(lab)} labels for {len(r)} rows")
    head_label = None
    if headline is not None:
        for i, sid in enumerate(r["spec_id"]):
            if sid == headline:
                lab[i] = f"{lab[i]} (headline)"
                head_label = lab[i]
    r = r.assign(label=lab)
    cols = ["label", "spec_id", "term", "ratio", "ratio_ci_low", "ratio_ci_high", "p_value", "nobs",
            "n_clusters", "events", "events_treated"]
    ok = r["status"] == "ok"
    return Comparison(table=r.loc[ok, cols].reset_index(drop=True),
                      failed=r.loc[~ok, ["label", "status", "reason"]].reset_index(drop=True),
                      headline=head_label)
