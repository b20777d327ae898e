"""``reports/index.html``: one self-contained page listing every notebook run under ``reports/``.

For each notebook (``reports/<stem>/``) and each run in it (``<set>.ipynb`` with
``<set>/results.json``): the headline numbers, the main figure (relative link to its PNG), links
to the rendered HTML, the executed notebook and ``results.json``, the parameters, notes, and the
data versions the run used. The page is generated from what is on disk, so it never lists a
notebook that was not run or misses one that was. Inline CSS, no scripts, no external assets.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.data.hashing import atomic_write_text

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;
  color:#1d2430;background:#f6f7f9;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:1.5rem 1.25rem 3rem}
header{background:#1d3557;color:#fff;padding:1.25rem}
header div{max-width:1100px;margin:0 auto}
header h1{margin:0;font-size:1.5rem}
header p{margin:.25rem 0 0;opacity:.85;font-size:.9rem}
h2{margin:2rem 0 .5rem;font-size:1.25rem;border-bottom:2px solid #d9dee5;padding-bottom:.25rem}
h2 small{font-weight:normal;color:#556;font-size:.85rem}
.run{background:#fff;border:1px solid #d9dee5;border-radius:6px;padding:1rem;margin:.75rem 0;
  display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1rem}
.run.failed{border-color:#c0392b}
.run h3{margin:0 0 .25rem;font-size:1.05rem}
.meta{font-size:.85rem;color:#556;margin:.1rem 0}
.links a{margin-right:.75rem}
table{border-collapse:collapse;font-size:.9rem;width:100%}
td,th{text-align:left;padding:.2rem .4rem;border-bottom:1px solid #eceff3;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:0}
figure img{max-width:100%;height:auto;border:1px solid #eceff3}
figcaption{font-size:.8rem;color:#556}
.notes{font-size:.85rem;color:#5a4a00;background:#fff8e1;padding:.4rem .6rem;border-radius:4px}
.notes ul{margin:.2rem 0;padding-left:1.1rem}
details{font-size:.85rem;margin-top:.4rem}
code{font-size:.85em;background:#eef1f5;padding:0 .2em;border-radius:3px}
.bad{color:#c0392b;font-weight:600}
@media (max-width:800px){.run{grid-template-columns:1fr}}
"""


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
        labels = {p.name[: -len(".ipynb")] for p in d.glob("*.ipynb")}
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


def _run_card(e: RunEntry, conflicts: set[str]) -> str:
    r = e.results or {}
    links = []
    if e.has_html:
        links.append(f"<a href='{_e(e.files['html'])}'>report (HTML)</a>")
    if e.has_ipynb:
        links.append(f"<a href='{_e(e.files['ipynb'])}'>executed notebook</a>")
    if e.results is not None:
        links.append(f"<a href='{_e(e.files['results'])}'>results.json</a>")
    if e.failed:
        links.append(f"<a class='bad' href='{_e(e.files['failed'])}'>last attempt failed</a>")
    params = r.get("parameters") or (e.run or {}).get("parameters") or {}
    shown = ", ".join(f"{k} = {json.dumps(v)}" for k, v in params.items()) or "notebook defaults"
    when = r.get("created") or (e.run or {}).get("finished") or ""
    secs = (e.run or {}).get("seconds")
    meta = f"created {_e(when)}" + (f" in {secs:.0f} s" if isinstance(secs, int | float) else "")
    rows = "".join(
        f"<tr><td>{_e(rec.get('label', k) if isinstance(rec, dict) else k)}</td>"
        f"<td class='num'>{_e(format_result(rec))}</td></tr>"
        for k, rec in (r.get("results") or {}).items()
    )
    table = f"<table>{rows}</table>" if rows else "<p class='meta'>no headline results recorded</p>"
    notes = "".join(f"<li>{_e(n)}</li>" for n in r.get("notes") or [])
    notes_html = f"<div class='notes'><b>Notes</b><ul>{notes}</ul></div>" if notes else ""
    main = r.get("main_figure")
    fig = ""
    if main:
        src = f"{e.stem}/{e.label}/{main}"
        cap = next((f.get("title", "") for f in r.get("figures", []) if f.get("file") == main), "")
        fig = (
            f"<figure><a href='{_e(src)}'><img src='{_e(src)}' alt='{_e(cap or main)}' loading='lazy'></a>"
            f"<figcaption>{_e(cap)}</figcaption></figure>"
        )
        others = len(r.get("figures", [])) - 1
        if others > 0:
            fig += f"<p class='meta'>{others} more figure(s) in the report</p>"
    dv = r.get("data_versions") or {}
    mine = set(dv.get("sources") or {}) | set(dv.get("tables") or {}) | ({"code_version"} & set(dv))
    differs = sorted(mine & conflicts)
    flag = (
        f" <span class='bad'>(other runs used other versions of {_e(', '.join(differs))})</span>"
        if differs
        else ""
    )
    dv_html = f"<details><summary>data versions{flag}</summary>{_versions_block(dv)}</details>"
    return (
        f"<section class='run{' failed' if e.failed else ''}' id='{_e(e.stem)}-{_e(e.label)}'><div>"
        f"<h3>{_e(e.label)}</h3><p class='meta links'>{' '.join(links)}</p>"
        f"<p class='meta'>parameters: {_e(shown)}</p><p class='meta'>{meta}</p>"
        f"{table}{notes_html}{dv_html}</div><div>{fig}</div></section>"
    )


def render_index(reports_dir: Path, *, now: dt.datetime | None = None) -> str:
    """HTML of ``reports/index.html`` for the runs under ``reports_dir``.

    The page is stamped with the time of the newest run (not the time it was rendered), so
    regenerating it over unchanged runs gives the same bytes; ``now`` overrides the stamp.
    """
    runs = collect_runs(reports_dir)
    if now is None:
        created = [
            str((e.results or {}).get("created") or (e.run or {}).get("finished") or "") for e in runs
        ]
        latest = max((c for c in created if c), default="")
        now = dt.datetime.fromisoformat(latest) if latest else dt.datetime.fromtimestamp(0, dt.UTC)
    dvs = [e.results.get("data_versions") or {} for e in runs if e.results]
    merged, conflicts = merge_versions(dvs)
    body: list[str] = []
    stems = list(dict.fromkeys(e.stem for e in runs))
    toc = "".join(f"<li><a href='#{_e(s)}'>{_e(s)}</a></li>" for s in stems)
    if stems:
        body.append(f"<nav><ul>{toc}</ul></nav>")
    for s in stems:
        mine = [e for e in runs if e.stem == s]
        title = mine[0].title
        body.append(f"<h2 id='{_e(s)}'>{_e(s)}" + (f" <small>{_e(title)}</small>" if title else "") + "</h2>")
        body += [_run_card(e, conflicts) for e in mine]
    if not runs:
        body.append("<p>No reports yet: run <code>peaceops run</code> (or <code>make reports</code>).</p>")
    if dvs:
        warn = (
            f"<p class='bad'>Runs used different versions of: {_e(', '.join(sorted(conflicts)))}; "
            "rerun them (<code>peaceops run --all-sets</code>) to bring them in line.</p>"
            if conflicts
            else ""
        )
        body.append(
            f"<h2 id='data-versions'>Data versions</h2><p class='meta'>Union over all runs "
            f"(first seen shown).</p>{warn}{_versions_block(merged)}"
        )
    n_nb = len(stems)
    stamp = now.replace(microsecond=0).isoformat()
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>peaceops reports</title><style>{_CSS}</style></head><body>"
        f"<header><div><h1>peaceops reports</h1><p>{n_nb} notebook(s), {len(runs)} run(s); "
        f"newest run {_e(stamp)}</p></div></header><main>{''.join(body)}</main></body></html>\n"
    )


def write_index(reports_dir: Path) -> Path:
    """Write ``<reports_dir>/index.html`` atomically; return its path."""
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    out = reports_dir / "index.html"
    atomic_write_text(out, render_index(reports_dir))
    return out
