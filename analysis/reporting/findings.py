"""Findings: one plain sentence per question, generated from ``results.json`` (never typed by hand).

A notebook declares each finding with :meth:`analysis.reporting.Reporter.finding`; the record in
``results.json`` names the estimate (a key of ``results``) or a sentence template filled from
result values, the sample (rows, units, events, years) and the main caveat. This module turns a
record into the text shown at the top of the report and in the index card:

* an estimate with a ratio (odds ratio, incidence-rate ratio) reads "higher" / "lower" when its
  95% interval excludes 1, "no clear association" when it includes 1;
* a degenerate estimate is said as what it is, never as a number: no events among the treated
  rows ("no coup attempts in partnership state-years"), an estimate that could not be computed,
  or an interval without finite bounds.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analysis.reporting.tables import format_value

_RATE_ESTIMATORS = ("negbin", "nb2", "poisson", "ppml", "count")


@dataclass(frozen=True)
class FindingText:
    """The parts of a finding as displayed."""

    key: str
    question: str
    answer: str
    sample: str
    caveat: str
    status: str  # "ok", "degenerate", "missing"
    estimate: str = ""  # compact "0.95 (0.35 to 2.54)" for tables; "" when degenerate
    ratio_name: str = ""


def _finite(*xs: Any) -> bool:
    return all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in xs)


def ratio_name(rec: Mapping[str, Any]) -> str:
    """``"odds ratio"`` (logit, Firth), ``"incidence-rate ratio"`` (count models) or ``"ratio"``."""
    est = str(rec.get("estimator") or "").lower()
    if "logit" in est or "firth" in est:
        return "odds ratio"
    if any(k in est for k in _RATE_ESTIMATORS):
        return "incidence-rate ratio"
    return "ratio"


def _what(name: str) -> str:
    return {"odds ratio": "odds", "incidence-rate ratio": "rate"}.get(name, "value")


def fmt_ratio(v: Any) -> str:
    """A ratio with 2 decimals (3 below 0.1)."""
    if not _finite(v):
        return "—"
    return f"{v:.3f}" if abs(v) < 0.1 else f"{v:.2f}"


def compact_estimate(rec: Mapping[str, Any] | None) -> tuple[str, str]:
    """``("0.95", "0.35 to 2.54")`` of an estimate record (ratio when defined); ``("", "")`` if
    it has no finite value."""
    if not isinstance(rec, Mapping):
        return "", ""
    if rec.get("kind") == "estimate":
        if rec.get("ratio") is not None:
            v, lo, hi = rec.get("ratio"), rec.get("ratio_ci_low"), rec.get("ratio_ci_high")
            if not _finite(v):
                return "", ""
            ci = f"{fmt_ratio(lo)} to {fmt_ratio(hi)}" if _finite(lo, hi) else "interval not finite"
            return fmt_ratio(v), ci
        v, lo, hi = rec.get("estimate"), rec.get("ci_low"), rec.get("ci_high")
        if not _finite(v):
            return "", ""
        ci = f"{format_value(lo)} to {format_value(hi)}" if _finite(lo, hi) else "interval not finite"
        return format_value(v), ci
    v = rec.get("value")
    return (format_value(v, rec.get("format") or "value"), "") if v is not None else ("", "")


def _years(y: Any) -> str:
    if isinstance(y, list | tuple) and len(y) == 2 and all(isinstance(v, int) for v in y):
        return f"{y[0]}–{y[1]}"
    return "" if y is None else str(y)


def _count(v: Any, unit: str) -> str:
    if v is None:
        return ""
    return f"{format_value(v, 'count')} {unit}".strip()


def sample_text(sample: Mapping[str, Any] | None, exposure: str = "") -> str:
    """"1,656 state-years, 54 states, 65 coup attempts (5 in partnership state-years), 1994–2024"."""
    if not sample:
        return ""
    parts = []
    for part in ("rows", "units", "events"):
        v = sample.get(part)
        if isinstance(v, list | tuple) and len(v) == 2:
            txt = _count(v[0], str(v[1]))
            if part == "events" and sample.get("events_treated") is not None:
                rows_unit = ""
                r = sample.get("rows")
                if isinstance(r, list | tuple) and len(r) == 2:
                    rows_unit = str(r[1])
                bare = re.sub(r"^(a|an|the)\s+", "", exposure.strip())
                where = f"{bare} {rows_unit}".strip() if bare else "treated rows"
                txt += f" ({format_value(sample['events_treated'], 'count')} in {where})"
            if txt:
                parts.append(txt)
    years = _years(sample.get("years"))
    if years:
        parts.append(years)
    return ", ".join(parts)


class _Fill(string.Formatter):
    """Template fields are result keys; values are formatted as the record says."""

    def __init__(self, results: Mapping[str, Any]):
        self.results = results

    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        rec = self.results.get(str(key))
        if rec is None:
            raise KeyError(f"answer template names result {key!r}, which was not recorded")
        return rec

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Mapping):
            if value.get("kind") == "estimate":
                v, ci = compact_estimate(value)
                return f"{v} (95% CI {ci})" if v else "not estimable"
            kind = format_spec or value.get("format") or "value"
            val = value.get("value")
            if isinstance(val, list):
                return ", ".join(format_value(x, kind) for x in val)
            return format_value(val, kind)
        return format_value(value, format_spec or "value")


def fill_template(template: str, results: Mapping[str, Any]) -> str:
    """``"{n_supported} of {n_claims} claims"`` with each field a result formatted for reading.

    Fields are result keys (dots allowed: ``{C01.verdict}``); a format after a colon overrides
    the record's (``{share_after:share}``).
    """
    # keys may contain dots, which str.format reads as attribute access: quote them first
    safe: dict[str, str] = {}

    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        alias = f"f{len(safe)}"
        safe[alias] = name
        return "{" + alias + (m.group(2) or "") + "}"

    text = re.sub(r"\{([A-Za-z0-9_.\-]+)(:[a-z]+)?\}", repl, template)
    from analysis.labels import _guess_format

    aliased: dict[str, Any] = {}
    for a, n in safe.items():
        rec = results.get(n)
        if isinstance(rec, Mapping) and rec.get("kind") == "value" and not rec.get("format"):
            rec = {**rec, "format": _guess_format(n)}  # e.g. personnel_peak_year -> a year, no separator
        aliased[a] = rec
    missing = [safe[a] for a, v in aliased.items() if v is None]
    if missing:
        raise KeyError(f"answer template names result(s) not recorded: {', '.join(missing)}")
    return _Fill(aliased).format(text)


def finding_text(finding: Mapping[str, Any], results: Mapping[str, Any]) -> FindingText:
    """The displayed text of one finding record (see the module docstring)."""
    key = str(finding.get("key", ""))
    question = str(finding.get("question", ""))
    caveat = str(finding.get("caveat") or "")
    exposure = str(finding.get("exposure") or "")
    outcome = str(finding.get("outcome") or "")
    sample = finding.get("sample") or {}
    stext = sample_text(sample, exposure)
    est_key = finding.get("estimate")
    rec = results.get(est_key) if est_key else None
    events_treated = sample.get("events_treated") if isinstance(sample, Mapping) else None

    if est_key and rec is None:
        return FindingText(key, question, f"Not computed in this run (no result {est_key!r}).", stext,
                           caveat, "missing")
    degenerate = finding.get("degenerate")
    if degenerate is None and est_key and events_treated == 0:
        ev = sample.get("events")
        what = str(ev[1]) if isinstance(ev, list | tuple) and len(ev) == 2 else "events"
        rows = sample.get("rows")
        rows_unit = str(rows[1]) if isinstance(rows, list | tuple) and len(rows) == 2 else "rows"
        degenerate = (f"No {what} in {exposure or 'treated'} {rows_unit}: the data cannot estimate the "
                      f"{ratio_name(rec or {})}, so no number is shown.")
    if degenerate:
        return FindingText(key, question, str(degenerate), stext, caveat, "degenerate",
                           ratio_name=ratio_name(rec or {}))
    template = finding.get("answer")
    if template:
        return FindingText(key, question, fill_template(str(template), results), stext, caveat, "ok",
                           compact_estimate(rec)[0] if rec else "", ratio_name(rec or {}) if rec else "")
    if rec is None:
        return FindingText(key, question, "", stext, caveat, "missing")
    v, ci = compact_estimate(rec)
    if not v:
        return FindingText(key, question, "Not estimable: the model gave no finite estimate.", stext,
                           caveat, "degenerate", ratio_name=ratio_name(rec))
    if rec.get("kind") != "estimate" or rec.get("ratio") is None:
        return FindingText(key, question, f"Estimate {v} (95% CI {ci}).", stext, caveat, "ok",
                           f"{v} ({ci})" if ci else v)
    name = ratio_name(rec)
    lo, hi = rec.get("ratio_ci_low"), rec.get("ratio_ci_high")
    of = f"{_what(name)} of {outcome}" if outcome else _what(name)
    with_ = f"with {exposure}" if exposure else "with the treatment"
    without = f"without {exposure}" if exposure else "without it"
    # "the odds ... were ... times those", "the rate ... was ... times that"
    were, those = ("were", "those") if _what(name) == "odds" else ("was", "that")
    if not _finite(lo, hi):
        answer = (f"The {name} is {v}, but its interval has no finite bounds: the data cannot say how "
                  f"large the difference is.")
    elif lo > 1:
        answer = f"Higher: the {of} {were} {v} times as high {with_} as {without} (95% CI {ci})."
    elif hi < 1:
        answer = f"Lower: the {of} {were} {v} times {those} {without} (95% CI {ci})."
    else:
        answer = (f"No clear association: the {of} {were} {v} times {those} {without} "
                  f"(95% CI {ci}, which includes 1).")
    return FindingText(key, question, answer, stext, caveat, "ok", f"{v} ({ci})", name)


def findings_text(results_json: Mapping[str, Any]) -> list[FindingText]:
    """Every finding of a ``results.json`` as displayed."""
    res = results_json.get("results") or {}
    return [finding_text(f, res) for f in results_json.get("findings") or []]
