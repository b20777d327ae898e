"""A report page from an executed notebook and its ``results.json``: our own HTML, one stylesheet.

No nbconvert template, no script, no font or stylesheet from outside the reports folder: the
page links ``reports/assets/report.css`` (shipped in the package as
``analysis/reporting/assets/report.css`` and copied by :func:`write_assets`) and its figures
(``figures/<name>-<sha12>.svg|png``, shared by the notebook's runs), and works offline from a file URL.

Layout of a page (:func:`render_page`):

1. header: link back to the index, the notebook's title, the parameter set and what it changes,
   links to the notebook's other sets, the date of the results, package and data versions;
2. **key findings**, generated from ``results.json`` (:mod:`analysis.reporting.findings`);
3. contents (numbered sections: the notebook's ``##`` headings, renumbered);
4. the notebook's text and displayed outputs, in order: markdown cells, formatted tables
   (:meth:`~analysis.reporting.Reporter.table`, or any DataFrame shown: the Reporter formats
   them), figures with numbered captions and a CSV of their data;
5. caveats (``rep.note``), glossary (terms used on the page, from ``analysis/labels.yaml``),
   how to cite (package version, each data source's citation from the registry);
6. collapsed: appendix tables, configuration (every parameter), data versions, diagnostics
   (everything printed, warnings, bare values, images shown without ``rep.figure``).

:func:`clean_notebook` removes from the executed notebook what changes from run to run
(papermill and execution timestamps) and image bytes, so the committed ``.ipynb`` is small and
a rerun with nothing changed writes the same bytes.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from analysis.reporting.findings import findings_text
from analysis.reporting.reporter import OUTPUT_META

#: The stylesheet, relative to the reports folder.
STYLESHEET = "assets/report.css"
#: Output MIME types holding image bytes (dropped from pages and committed notebooks).
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif", "application/pdf")
#: Notebook metadata that changes from run to run.
_VOLATILE_NB = ("start_time", "end_time", "duration")


def _e(s: Any) -> str:
    return html.escape(str(s), quote=True)


def stylesheet_text() -> str:
    """The shared stylesheet shipped with the package."""
    return resources.files("analysis.reporting").joinpath("assets/report.css").read_text(encoding="utf-8")


def write_assets(reports_dir: Path) -> Path:
    """Copy the stylesheet to ``<reports_dir>/assets/report.css`` (only when its bytes differ)."""
    from analysis.data.hashing import atomic_write_text

    dest = Path(reports_dir) / STYLESHEET
    text = stylesheet_text()
    if not dest.is_file() or dest.read_text(encoding="utf-8") != text:
        atomic_write_text(dest, text)
    return dest


# --------------------------------------------------------------------------- markdown


def _markdown() -> Any:
    import mistune

    return mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def _source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


_HEADING_NUM = re.compile(r"^\s*(\d+(\.\d+)*)[.)]?\s+")


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "section"
    slug, i = base, 2
    while slug in used:
        slug, i = f"{base}-{i}", i + 1
    used.add(slug)
    return slug


# --------------------------------------------------------------------------- page parts


@dataclass
class _Body:
    """What the walk over the cells collects."""

    title: str = ""
    parts: list[str] = field(default_factory=list)
    toc: list[tuple[str, str]] = field(default_factory=list)
    appendix: list[tuple[str, str]] = field(default_factory=list)
    diagnostics: list[tuple[str, str]] = field(default_factory=list)
    slugs: set[str] = field(default_factory=set)
    section: str = "Introduction"

    def heading(self, text: str) -> str:
        n = len(self.toc) + 1
        plain = _HEADING_NUM.sub("", text).strip()
        slug = _slug(plain, self.slugs)
        self.toc.append((slug, f"{n}. {plain}"))
        self.section = f"{n}. {plain}"
        return f"<h2 id='{slug}'>{n}. {_e(plain)}</h2>"


def _render_markdown(src: str, body: _Body, md: Any) -> None:
    lines = src.splitlines()
    out: list[str] = []
    chunk: list[str] = []

    def flush() -> None:
        if chunk:
            text = "\n".join(chunk).strip()
            if text:
                out.append(md(text))
            chunk.clear()

    for ln in lines:
        m = re.match(r"^(#{1,2})\s+(.*)$", ln)
        if m and len(m.group(1)) == 1 and not body.title:
            flush()
            body.title = m.group(2).strip()
        elif m and len(m.group(1)) == 2:
            flush()
            out.append(body.heading(m.group(2).strip()))
        else:
            chunk.append(ln)
    flush()
    body.parts.extend(out)


def _text(data: Mapping[str, Any], mime: str) -> str:
    v = data.get(mime, "")
    return "".join(v) if isinstance(v, list) else str(v)


def _render_output(out: Mapping[str, Any], body: _Body, md: Any) -> None:
    kind = out.get("output_type")
    if kind == "stream":
        txt = "".join(out.get("text", "")) if isinstance(out.get("text"), list) else str(out.get("text", ""))
        if txt.strip():
            what = "warning" if out.get("name") == "stderr" else "printed"
            body.diagnostics.append((f"{body.section} ({what})", txt.rstrip()))
        return
    if kind == "error":
        body.diagnostics.append((f"{body.section} (error)", f"{out.get('ename')}: {out.get('evalue')}"))
        return
    data = out.get("data") or {}
    meta = (out.get("metadata") or {}).get(OUTPUT_META) or {}
    if meta.get("kind") in ("figure", "table") and "text/html" in data:
        block = _text(data, "text/html")
        if meta.get("appendix"):
            title = f"{meta.get('caption') or meta.get('name')}"
            body.appendix.append((title, block))
        else:
            body.parts.append(block)
        return
    if "text/html" in data:
        block = _text(data, "text/html")
        if "<table" in block and "table-wrap" not in block:
            block = f"<div class=table-wrap>{block}</div>"
        body.parts.append(block)
        return
    if "text/markdown" in data:
        body.parts.append(md(_text(data, "text/markdown")))
        return
    if any(m in data for m in IMAGE_TYPES):
        body.diagnostics.append(
            (body.section, "An image was displayed without rep.figure(); it is not shown.")
        )
        return
    if "text/plain" in data:
        txt = _text(data, "text/plain").strip()
        if txt:
            body.diagnostics.append((f"{body.section} (value)", txt))


def walk_notebook(nb: Mapping[str, Any]) -> _Body:
    """Collect title, sections, displayed outputs, appendix items and diagnostics of a notebook."""
    md = _markdown()
    body = _Body()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            _render_markdown(_source(cell), body, md)
        elif cell.get("cell_type") == "code":
            tags = (cell.get("metadata") or {}).get("tags") or []
            if "parameters" in tags or "injected-parameters" in tags:
                continue
            for out in cell.get("outputs", []):
                _render_output(out, body, md)
    return body


def _findings_box(results: Mapping[str, Any]) -> str:
    items = []
    for f in findings_text(results):
        cls = " degenerate" if f.status != "ok" else ""
        parts = [f"<span class=q>{_e(f.question)}</span>", f"<span class='a{cls}'>{_e(f.answer)}</span>"]
        if f.sample:
            parts.append(f"<span class=s>Sample: {_e(f.sample)}.</span>")
        if f.caveat:
            parts.append(f"<span class=c>Caveat: {_e(f.caveat)}</span>")
        items.append(f"<li>{''.join(parts)}</li>")
    if not items:
        return ""
    return f"<section class=findings aria-labelledby=key-findings><h2 id=key-findings>Key findings</h2>" \
           f"<ol>{''.join(items)}</ol></section>"


def _value_text(v: Any) -> str:
    if isinstance(v, list | tuple):
        return ", ".join(_value_text(x) for x in v)
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def _params_table(params: Mapping[str, Any], defaults: Mapping[str, Any] | None) -> str:
    rows = []
    for k, v in params.items():
        changed = defaults is not None and k in defaults and defaults[k] != v
        flag = " <b>(changed by this set)</b>" if changed else ""
        rows.append(f"<tr><td><code>{_e(k)}</code></td><td>{_e(_value_text(v))}{flag}</td></tr>")
    if not rows:
        return "<p>No parameters.</p>"
    return ("<div class=table-wrap><table><thead><tr><th>parameter</th><th>value</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _versions_html(dv: Mapping[str, Any], packages: Mapping[str, Any]) -> str:
    srcs = sorted((dv.get("sources") or {}).items())
    rows = [f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in srcs]
    tables = ", ".join(f"<code>{_e(k)}</code> {_e(str(v)[:8])}" for k, v in (dv.get("tables") or {}).items())
    pk = ", ".join(f"{_e(k)} {_e(v)}" for k, v in packages.items() if v)
    return (
        "<div class=table-wrap><table><thead><tr><th>source</th><th>version</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        f"<p class=meta>Table build keys: {tables or 'none'}."
        + (f" Data code version <code>{_e(dv['code_version'])}</code>." if dv.get("code_version") else "")
        + f" Packages: {pk}.</p>"
    )


def citations(sources: Sequence[str]) -> list[str]:
    """Citation of each data source from the registry; the UN's sources say "Source: United Nations"."""
    from analysis.data.registry import source_meta

    out = []
    for s in sources:
        try:
            meta = source_meta(s)
        except KeyError:
            out.append(f"{s} (not in the registry)")
            continue
        cite = meta.citation.strip().rstrip(".") + "."
        un = "united nations" in (meta.producer + " " + meta.citation).lower()
        if un and "source: united nations" not in cite.lower():
            cite += " Source: United Nations."
        out.append(f"{cite} Version: {meta.version}.")
    return out


def _cite_block(results: Mapping[str, Any], title: str, label: str) -> str:
    pv = results.get("package_versions") or {}
    date = str(results.get("created") or "")[:10]
    own = (f"peaceops {pv.get('peaceops', '')}, notebook <i>{_e(results.get('notebook', ''))}</i> "
           f"({_e(title)}), parameter set <code>{_e(label)}</code>, results of {_e(date)}.")
    srcs = sorted((results.get("data_versions") or {}).get("sources") or {})
    items = "".join(f"<li>{_e(c)}</li>" for c in citations(srcs))
    curated = (results.get("data_versions") or {}).get("curated") or []
    cur = (f"<p>Hand-coded tables of this project used: {_e(', '.join(curated))} (data/curated/, a citation "
           "on every row).</p>") if curated else ""
    return (
        f"<section class=cite><h2 id=how-to-cite>How to cite</h2><p>{own}</p>"
        f"<p>Data sources (please cite them too; the United Nations asks to be acknowledged as the source "
        f"of its texts and data):</p><ul>{items}</ul>{cur}</section>"
    )


def _glossary(results: Mapping[str, Any]) -> str:
    from analysis.labels import glossary

    keys = list(results.get("glossary") or [])
    for rec in (results.get("results") or {}).values():
        if isinstance(rec, Mapping) and rec.get("kind") == "estimate" and rec.get("term"):
            keys.append(str(rec["term"]))
    entries = glossary(keys)
    if not entries:
        return ""
    items = "".join(f"<dt>{_e(g['label'])}</dt><dd>{_e(g['definition'])}</dd>" for g in entries)
    return f"<section><h2 id=glossary>Glossary</h2><dl class=glossary>{items}</dl></section>"


@dataclass(frozen=True)
class PageContext:
    """Where a page sits and what else its notebook has: the run's label, set description,
    the notebook's other sets (name -> description) and default parameters."""

    stem: str
    label: str
    description: str = ""
    other_sets: Mapping[str, str] = field(default_factory=dict)
    defaults: Mapping[str, Any] | None = None
    #: Whether the executed notebook ``<label>.ipynb`` is kept beside the page (linked then).
    has_notebook: bool = True


def render_page(nb: Mapping[str, Any], results: Mapping[str, Any] | None, ctx: PageContext) -> str:
    """The HTML page of an executed notebook (see the module docstring)."""
    from analysis import __version__

    res: Mapping[str, Any] = results or {}
    body = walk_notebook(nb)
    title = body.title or ctx.stem
    desc = ctx.description or str(res.get("set_description") or "")
    date = str(res.get("created") or "")[:10]
    dv = res.get("data_versions") or {}
    pv = res.get("package_versions") or {}
    others = "".join(
        f" <a href='{_e(s)}.html' title='{_e(d)}'>{_e(s)}</a>"
        for s, d in ctx.other_sets.items()
        if s != ctx.label
    )
    set_line = (f"<p class=set>Parameter set <b>{_e(ctx.label)}</b>"
                + (f": {_e(desc)}" if desc else "") + "."
                + (f" Other sets:{others}." if others else "") + "</p>")
    n_src = len(dv.get("sources") or {})
    meta_line = (
        f"<p class=meta-line>Results of {_e(date or 'unknown date')} · peaceops "
        f"{_e(pv.get('peaceops') or __version__)} · {n_src} data sources "
        f"(<a href='#data-versions'>versions</a>) · <a href='#configuration'>parameters</a> · "
        f"<a href='{_e(ctx.label)}/results.json'>results.json</a>"
        + (f" · <a href='{_e(ctx.label)}.ipynb'>notebook</a>" if ctx.has_notebook else "")
        + "</p>"
    )
    head = (
        f"<header class=page-head><div class=in><nav class=crumbs><a href='../index.html'>← All reports</a>"
        f"</nav><h1>{_e(title)}</h1>{set_line}{meta_line}</div></header>"
    )
    notes = res.get("notes") or []
    extra_toc: list[tuple[str, str]] = []
    tail: list[str] = []
    if notes:
        items = "".join(f"<li>{_e(n)}</li>" for n in notes)
        tail.append(
            f"<section><h2 id=caveats>Caveats</h2><div class=callout><ul>{items}</ul></div></section>"
        )
        extra_toc.append(("caveats", "Caveats"))
    gl = _glossary(res)
    if gl:
        tail.append(gl)
        extra_toc.append(("glossary", "Glossary"))
    tail.append(_cite_block(res, title, ctx.label))
    extra_toc.append(("how-to-cite", "How to cite"))
    # appendix: collapsed
    app: list[str] = []
    for cap, block in body.appendix:
        app.append(f"<details><summary>{_e(cap)}</summary>{block}</details>")
    params = res.get("parameters") or {}
    app.append(f"<details id=configuration><summary>Configuration: parameters of this run</summary>"
               f"{_params_table(params, ctx.defaults)}</details>")
    app.append(f"<details id=data-versions><summary>Data and package versions</summary>"
               f"{_versions_html(dv, pv)}</details>")
    diags = list(body.diagnostics) + [("Reporter", d) for d in res.get("diagnostics") or []]
    if diags:
        items = "".join(f"<h3>{_e(w)}</h3><pre>{_e(t)}</pre>" for w, t in diags)
        app.append(f"<details id=diagnostics><summary>Diagnostics ({len(diags)}): printed output, warnings"
                   f"</summary>{items}</details>")
    tail.append(f"<section><h2 id=appendix>Appendix</h2>{''.join(app)}</section>")
    extra_toc.append(("appendix", "Appendix"))
    toc_items = "".join(f"<li><a href='#{_e(s)}'>{_e(t)}</a></li>" for s, t in body.toc)
    toc_items += "".join(f"<li><a href='#{_e(s)}'>{_e(t)}</a></li>" for s, t in extra_toc)
    toc = f"<nav class=toc aria-labelledby=contents><h2 id=contents>Contents</h2><ul>{toc_items}</ul></nav>"
    page_title = f"{title} ({ctx.label})"
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>{_e(page_title)}</title><link rel=stylesheet href='../{STYLESHEET}'></head><body>"
        f"{head}<main>{_findings_box(res)}{toc}<article>{''.join(body.parts)}</article>{''.join(tail)}"
        "</main></body></html>\n"
    )


def subpage_html(title: str, parts: Sequence[str], *, intro: str = "", notebook: str = "",
                 label: str = "") -> str:
    """A page beside a report (``reports/<stem>/<label>/pages/<name>.html``): the shared
    stylesheet, a link back to the report page, a title, an intro paragraph and ``parts`` (HTML
    blocks, e.g. formatted tables under headings with anchors). No script, nothing from outside
    the reports folder."""
    back = f"../../{_e(label)}.html" if label else "../../index.html"
    crumbs = (f"<nav class=crumbs><a href='../../../index.html'>← All reports</a> · "
              f"<a href='{back}'>← Back to the report</a></nav>")
    where = f"<p class=set>{_e(notebook)}, parameter set <b>{_e(label)}</b>.</p>" if notebook else ""
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><link rel=stylesheet href='../../../{STYLESHEET}'></head><body>"
        f"<header class=page-head><div class=in>{crumbs}<h1>{_e(title)}</h1>{where}</div></header>"
        f"<main><article>{f'<p>{intro}</p>' if intro else ''}{''.join(parts)}</article></main>"
        "</body></html>\n"
    )


# --------------------------------------------------------------------------- notebook cleaning


def clean_notebook(nb: Any) -> Any:
    """Remove timestamps and image bytes from an executed notebook (in place; returned).

    * papermill's ``start_time`` / ``end_time`` / ``duration`` (notebook and cells) and
      nbclient's ``execution`` timings;
    * image outputs (``image/png`` ...): figures are files, linked by the Reporter's display
      objects; an image shown otherwise keeps only its text form;
    * the random id papermill gives the cell of injected parameters (a fresh one each run):
      ``injected-parameters``, so that a rerun with nothing changed writes the same bytes.
    """
    pm = (nb.get("metadata") or {}).get("papermill")
    if isinstance(pm, dict):
        for k in _VOLATILE_NB:
            pm.pop(k, None)
    ids = {c.get("id") for c in nb.get("cells", [])}
    for cell in nb.get("cells", []):
        md = cell.get("metadata") or {}
        if "injected-parameters" in (md.get("tags") or []) and "id" in cell \
                and "injected-parameters" not in ids:
            cell["id"] = "injected-parameters"
        md.pop("execution", None)
        cpm = md.get("papermill")
        if isinstance(cpm, dict):
            for k in _VOLATILE_NB:
                cpm.pop(k, None)
        for out in cell.get("outputs", []) or []:
            data = out.get("data")
            if isinstance(data, dict):
                for m in IMAGE_TYPES:
                    if m in data:
                        del data[m]
                        data.setdefault("text/plain", "[image not kept: figures are files under figures/]")
                (out.get("metadata") or {}).pop("image/png", None)
    return nb


def stabilise_created(new: Path, previous: Path) -> bool:
    """Keep the previous ``created`` stamp when a rerun gave the same results otherwise.

    Rewrites ``new`` (a ``results.json``) with the stamp of ``previous`` when both are equal
    apart from ``created``, so that a rerun with nothing changed writes the same bytes.
    Returns whether the stamp was carried over.
    """
    from analysis.data.hashing import atomic_write_text

    try:
        a = json.loads(new.read_text(encoding="utf-8"))
        b = json.loads(previous.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    if not b.get("created") or a.get("created") == b.get("created"):
        return False
    if {k: v for k, v in a.items() if k != "created"} != {k: v for k, v in b.items() if k != "created"}:
        return False
    a["created"] = b["created"]
    atomic_write_text(new, json.dumps(a, indent=2, allow_nan=False, ensure_ascii=False) + "\n")
    return True
