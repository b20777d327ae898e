"""``reports/index.html``: one self-contained page listing every notebook run under ``reports/``.

For each notebook (``reports/<stem>/``) and each run in it (``<set>.ipynb`` with
``<set>/results.json``): the headline numbers, the main figure (relative link to its file), links
to the rendered HTML, the executed notebook and ``results.json``, the parameters, notes, and the
data versions the run used. The page is generated from what is on disk, so it never lists a
notebook that was not run or misses one that was. One card per notebook opens with its key
findings; the shared stylesheet ``assets/report.css``; no scripts, nothing from outside the folder.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.data.hashing import atomic_write_text

#: The shared stylesheet, relative to the reports folder.
STYLESHEET = "assets/report.css"


@dataclass
class RunEntry:
    """One run found under ``reports/<stem>/``."""

    stem: str
    label: str
    results: dict | None
    run: dict | None
    has_ipynb: bool
    has_html: bool
    failed: bool
    title: str = ""
    files: dict[str, str] = field(default_factory=dict)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def _title(ipynb: Path) -> str:
    nb = _read_json(ipynb)
    for cell in (nb or {}).get("cells", []):
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        if cell.get("cell_type") == "markdown" and src.strip().startswith("#"):
            return src.strip().splitlines()[0].lstrip("#").strip()
    return ""


def collect_runs(reports_dir: Path) -> list[RunEntry]:
    """Every run under ``reports_dir`` (``<stem>/<label>.ipynb``, or a failed attempt), sorted.

    Runs are ordered by notebook, then ``default`` first and the other labels alphabetically.
    """
    out: list[RunEntry] = []
    for d in sorted(p for p in Path(reports_dir).glob("[0-9][0-9]_*") if p.is_dir()):
        # a run is its run.json (the executed notebook is kept for some runs only), or a failure
        labels = {p.name[: -len(".run.json")] for p in d.glob("*.run.json")}
        labels |= {p.name[: -len(".ipynb")] for p in d.glob("*.ipynb")}
        labels = {lb[: -len(".failed")] if lb.endswith(".failed") else lb for lb in labels}
        title = ""
        for label in sorted(labels, key=lambda s: (s != "default", s)):
            ipynb = d / f"{label}.ipynb"
            if ipynb.is_file() and not title:
                title = _title(ipynb)
            rel = f"{d.name}/{label}"
            files = {
                "ipynb": f"{rel}.ipynb",
                "html": f"{rel}.html",
                "results": f"{rel}/results.json",
                "failed": f"{rel}.failed.ipynb",
            }
            out.append(
                RunEntry(
                    d.name,
                    label,
                    _read_json(d / label / "results.json"),
                    _read_json(d / f"{label}.run.json"),
                    ipynb.is_file(),
                    (d / f"{label}.html").is_file(),
                    (d / f"{label}.failed.ipynb").is_file(),
                    files=files,
                )
            )
        for e in out:
            if e.stem == d.name:
                e.title = title
    return out


def format_number(v: Any) -> str:
    """Headline formatting: thousands separators for large numbers, 4 significant digits otherwise."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "NA"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}" if abs(v) >= 10_000 else str(v)  # no separator in years (2019)
    if isinstance(v, float):
        if v != 0 and abs(v) < 1e-3:
            return f"{v:.2e}"
        if abs(v) >= 1e4:
            return f"{v:,.0f}"
        return f"{v:.4g}"
    return str(v)


def _p(p: Any) -> str:
    if not isinstance(p, int | float) or isinstance(p, bool):
        return ""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def format_result(rec: Any) -> str:
    """Text of one ``results`` entry: value, or estimate with its 95% CI (the ratio when defined)."""
    if not isinstance(rec, dict):
        return format_number(rec)
    if rec.get("kind") == "estimate":
        if rec.get("ratio") is not None:
            v, lo, hi, what = rec.get("ratio"), rec.get("ratio_ci_low"), rec.get("ratio_ci_high"), "ratio "
        else:
            v, lo, hi, what = rec.get("estimate"), rec.get("ci_low"), rec.get("ci_high"), ""
        ci = f" [{format_number(lo)}, {format_number(hi)}]" if lo is not None or hi is not None else ""
        p = _p(rec.get("p_value"))
        return f"{what}{format_number(v)}{ci}" + (f", {p}" if p else "")
    v = rec.get("value") if "value" in rec else rec
    if isinstance(v, list):
        return ", ".join(format_number(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {format_number(x)}" for k, x in v.items())
    return format_number(v)


def _e(s: Any) -> str:
    return html.escape(str(s), quote=True)


def _versions_block(dv: dict) -> str:
    if not dv:
        return "<p class='meta'>no data versions recorded</p>"
    rows = [f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in sorted(dv.get("sources", {}).items())]
    keys = ", ".join(f"<code>{_e(k)}</code> {_e(str(v)[:8])}" for k, v in dv.get("tables", {}).items())
    code = (
        f"<p class='meta'>data code version <code>{_e(dv['code_version'])}</code></p>"
        if dv.get("code_version")
        else ""
    )
    return (
        f"<table><tr><th>source</th><th>version</th></tr>{''.join(rows)}</table>"
        f"<p class='meta'>table build keys: {keys or 'none'}</p>{code}"
    )


def merge_versions(dvs: list[dict]) -> tuple[dict, set[str]]:
    """Union of the runs' data versions, and the names recorded with different versions.

    Notebooks record the versions of the tables they use, so runs hold different subsets;
    only a source, table or code version seen with two different values is a conflict.
    """
    merged: dict[str, Any] = {"sources": {}, "tables": {}}
    conflicts: set[str] = set()
    for dv in dvs:
        for part in ("sources", "tables"):
            for k, v in (dv.get(part) or {}).items():
                if k in merged[part] and merged[part][k] != v:
                    conflicts.add(k)
                merged[part].setdefault(k, v)
        cv = dv.get("code_version")
        if cv:
            if merged.get("code_version") not in (None, cv):
                conflicts.add("code_version")
            merged.setdefault("code_version", cv)
    return merged, conflicts


def _finding_cells(e: RunEntry) -> tuple[str, str]:
    """Estimate and interval of the first finding of a run ("" when it has none)."""
    from analysis.reporting.findings import findings_text

    r = e.results or {}
    texts = findings_text(r)
    if not texts:
        return "", ""
    f = texts[0]
    if f.status != "ok":
        return f.answer, ""
    first: dict = next(iter(r.get("findings") or []), {})
    rec = (r.get("results") or {}).get(first.get("estimate") or "")
    from analysis.reporting.findings import compact_estimate

    v, ci = compact_estimate(rec) if rec else ("", "")
    if not v:
        return f.answer, ""
    return (f"{f.ratio_name} {v}" if f.ratio_name else v), ci


def _headlines(r: dict) -> str:
    rows = "".join(
        f"<tr><td>{_e(rec.get('label', k) if isinstance(rec, dict) else k)}</td>"
        f"<td class=num>{_e(format_result(rec))}</td></tr>"
        for k, rec in (r.get("results") or {}).items()
    )
    if not rows:
        return ""
    return (f"<details><summary>All headline numbers ({len(r.get('results') or {})})</summary>"
            f"<div class=table-wrap><table>{rows}</table></div></details>")


def _notebook_card(runs: list[RunEntry]) -> str:
    from analysis.reporting.render import _findings_box

    first = runs[0]
    main_run = next((e for e in runs if e.label == "default" and e.results), None) or next(
        (e for e in runs if e.results), first)
    r = main_run.results or {}
    title = first.title or first.stem
    link = main_run.files["html"] if main_run.has_html else ""
    head = f"<a href='{_e(link)}'>{_e(title)}</a>" if link else _e(title)
    box = _findings_box(r) if r.get("findings") else ""
    if not box:
        box = "<p class=meta>No findings recorded for this notebook yet.</p>"
    when = str(r.get("created") or "")[:10]
    meta = (f"<p class=meta>Set <b>{_e(main_run.label)}</b> · results of {_e(when or 'unknown date')} · "
            + " · ".join(
                x for x in (
                    f"<a href='{_e(main_run.files['html'])}'>report</a>" if main_run.has_html else "",
                    f"<a href='{_e(main_run.files['ipynb'])}'>notebook</a>" if main_run.has_ipynb else "",
                    f"<a href='{_e(main_run.files['results'])}'>results.json</a>" if main_run.results else "",
                ) if x
            ) + "</p>")
    fig = ""
    main = r.get("main_figure")
    if main:
        # relative to the run's folder: its own figures/, or ../figures/ (the notebook's shared files)
        src = posixpath.normpath(f"{main_run.stem}/{main_run.label}/{main}")
        rec: dict = next((f for f in r.get("figures", []) if f.get("file") == main), {})
        cap = rec.get("title", "")
        alt = rec.get("alt") or cap or main
        fig = (f"<figure><a href='{_e(src)}'><img src='{_e(src)}' alt='{_e(alt)}' loading='lazy'></a>"
               f"<figcaption>{_e(cap)}</figcaption></figure>")
    rows = []
    for e in runs:
        est, ci = _finding_cells(e) if e.results else ("", "")
        name = f"<a href='{_e(e.files['html'])}'>{_e(e.label)}</a>" if e.has_html else _e(e.label)
        if e.failed:
            name += f" <a class=bad href='{_e(e.files['failed'])}'>last attempt failed</a>"
        desc = (e.results or {}).get("set_description") or ""
        if not desc:
            params = (e.results or {}).get("parameters") or (e.run or {}).get("parameters") or {}
            desc = "notebook defaults" if e.label == "default" else ""
            if not desc and e.run:
                desc = ", ".join(f"{k} = {json.dumps(v)}" for k, v in (e.run.get("parameters") or {}).items())
            desc = desc or ", ".join(f"{k} = {json.dumps(v)}" for k, v in params.items())
        rows.append(f"<tr><td>{name}</td><td>{_e(desc)}</td><td>{_e(est)}</td><td>{_e(ci)}</td></tr>")
    sets = (
        "<div class=table-wrap><table class=sets><thead><tr><th>parameter set</th><th>what it changes</th>"
        f"<th>estimate</th><th>95% CI</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    notes = r.get("notes") or []
    caveats = (
        f"<details><summary>Caveats ({len(notes)})</summary><ul>"
        + "".join(f"<li>{_e(n)}</li>" for n in notes)
        + "</ul></details>"
        if notes
        else ""
    )
    return (
        f"<section class=card id='{_e(first.stem)}'><h2>{head}</h2>{meta}<div class=cols><div>{box}</div>"
        f"<div>{fig}</div></div>{sets}{caveats}{_headlines(r)}</section>"
    )


def render_index(reports_dir: Path, *, now: dt.datetime | None = None) -> str:
    """HTML of ``reports/index.html`` for the runs under ``reports_dir``.

    One card per notebook: its key findings (from the default set's ``results.json``), its
    main figure, and a table of every parameter set (what it changes, the estimate of the
    first finding and its interval). The page is stamped with the time of the newest run (not
    the time it was rendered), so regenerating it over unchanged runs gives the same bytes;
    ``now`` overrides the stamp.
    """
    runs = collect_runs(reports_dir)
    if now is None:
        created = [str((e.results or {}).get("created") or "") for e in runs]
        latest = max((c for c in created if c), default="")
        now = dt.datetime.fromisoformat(latest) if latest else dt.datetime.fromtimestamp(0, dt.UTC)
    dvs = [e.results.get("data_versions") or {} for e in runs if e.results]
    merged, conflicts = merge_versions(dvs)
    body: list[str] = []
    stems = list(dict.fromkeys(e.stem for e in runs))
    for s in stems:
        body.append(_notebook_card([e for e in runs if e.stem == s]))
    if not runs:
        body.append("<p>No reports yet: run <code>peaceops run</code> (or <code>make reports</code>).</p>")
    if dvs:
        warn = (
            f"<p class=bad>Runs used different versions of: {_e(', '.join(sorted(conflicts)))}; "
            "rerun them (<code>peaceops run --all-sets</code>) to bring them in line.</p>"
            if conflicts
            else ""
        )
        body.append(
            f"<h2 id=data-versions>Data versions</h2>{warn}<details><summary>Union over all runs "
            f"(first seen shown)</summary>{_versions_block(merged)}</details>"
        )
    toc = "".join(f"<a href='#{_e(s)}'>{_e(s[:2])}</a> " for s in stems)
    stamp = now.replace(microsecond=0).isoformat()
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>peaceops reports</title><link rel=stylesheet href='{STYLESHEET}'></head><body>"
        "<header class=page-head><div class=in><h1>peaceops reports</h1>"
        "<p>How the war on terror reshaped UN peace operations: each notebook's answer from pinned data. "
        f"{len(stems)} notebooks, {len(runs)} runs; newest results {_e(stamp[:10])}. Notebooks: {toc}</p>"
        f"</div></header><main>{''.join(body)}</main></body></html>\n"
    )


def write_index(reports_dir: Path) -> Path:
    """Write ``<reports_dir>/index.html`` (and the shared stylesheet) atomically; return its path."""
    from analysis.reporting.render import write_assets

    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    write_assets(reports_dir)
    out = reports_dir / "index.html"
    atomic_write_text(out, render_index(reports_dir))
    return out
