"""Collect a notebook's findings, headline numbers, tables, figures and caveats; write ``results.json``.

Used *inside* notebooks::

    rep = Reporter(output_dir, notebook="04_partnership_and_coups")
    rep.estimate("or_treatment", model_result, "has_partnership")
    rep.finding("coups", question="Are hosts of partnership operations more likely to see a coup?",
                estimate="or_treatment", outcome="a coup attempt", exposure="a partnership operation",
                sample={"rows": (1656, "state-years"), "units": (54, "states"),
                        "events": (65, "coup attempts"), "events_treated": 5, "years": (1994, 2024)},
                caveat="Association, not causation.")
    rep.table(frame, "sample", caption="Coup attempts by treatment")     # formatted, numbered
    rep.figure(fig, "odds_ratios", title="...", description="...", data=plotted_frame)
    rep.note("Partner operations outside Africa after 2016 are not coded.")
    rep.save(data_versions=data_versions(["country_years"]))

Nothing a Reporter method returns prints into the page: :meth:`result`, :meth:`estimate`,
:meth:`note`, :meth:`finding` and :meth:`save` return ``None``; :meth:`table` and
:meth:`figure` return display objects (a formatted table; the figure linked from its PNG file,
with its numbered caption). The runner renders the page from the executed notebook and
``results.json`` (:mod:`analysis.reporting.render`): findings box at the top, the sections,
then collapsed appendix, diagnostics (printed text, warnings), configuration and data versions.

With ``output_dir=""`` (the default of every notebook's ``parameters`` cell) nothing is
written, so a notebook runs the same under plain ``papermill`` or in Jupyter Lab (figures then
show inline). Under ``peaceops run`` the runner sets ``output_dir`` to ``reports/<stem>/<set>/``
(through a staging folder, moved into place only when the whole notebook succeeded).

``results.json`` holds ``{notebook, param_set, set_description, parameters, findings, results,
figures, tables, main_figure, notes, glossary, pages, data_versions, package_versions,
code_modules, created}`` (``pages``, only when there are any: the pages written by
:meth:`Reporter.page`). ``results`` maps each key to ``{"kind": "value", "value", "label", "format"}``
(:meth:`result`) or ``{"kind": "estimate", "term", "estimate", "std_error", "z", "p_value",
"ci_low", "ci_high", "ratio", "ratio_ci_low", "ratio_ci_high", "estimator", "nobs", "label"}``
(:meth:`estimate`). Every value is JSON-safe (numpy and pandas scalars become Python numbers,
missing and non-finite numbers ``null``) and floats are rounded to 10 significant digits, so
that reruns that agree to rounding noise write the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import math
import os
import platform
import re
import sys
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from analysis.data.jsonable import to_jsonable
from analysis.reporting.figures import (  # noqa: F401 - re-exported: the figure helpers lived here
    CSS_PX_PER_INCH,
    FIGURE_DPI,
    FLOAT_DIGITS,
    compact_svg,
    figure_csv,
    figure_file,
    figure_html,
    png_bytes,
    png_size,
    smallest_text_pt,
    svg_bytes,
)

#: Smallest text (points, at displayed size) a figure should use; smaller text is reported in
#: the page's diagnostics.
MIN_FONT_PT = 10.0

#: Environment variable through which ``peaceops run`` tells the Reporter the parameter set and
#: the full parameters of the run (JSON: ``{"output_dir", "notebook", "param_set", "parameters",
#: "description"}``).
RUN_ENV = "PEACEOPS_RUN"

#: Packages whose versions every ``results.json`` records (plus Python and peaceops itself).
VERSIONED_PACKAGES = ("pandas", "numpy", "statsmodels", "matplotlib", "pandera", "papermill")

#: Metadata key of the display outputs the renderer places (figures, tables, appendix items).
OUTPUT_META = "peaceops"

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_ESTIMATE_FIELDS = (
    "estimate",
    "std_error",
    "z",
    "p_value",
    "ci_low",
    "ci_high",
    "ratio",
    "ratio_ci_low",
    "ratio_ci_high",
)


def package_versions() -> dict[str, str | None]:
    """Versions of Python, the key packages (:data:`VERSIONED_PACKAGES`) and peaceops.

    Read once per process (each ``metadata.version`` scans the installed distributions, ~10 ms).
    """
    return dict(_package_versions())


@functools.cache
def _package_versions() -> tuple[tuple[str, str | None], ...]:
    from analysis import __version__

    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    out["peaceops"] = __version__
    return tuple(out.items())


def round_floats(obj: Any, digits: int = FLOAT_DIGITS) -> Any:
    """``obj`` with every float rounded to ``digits`` significant digits (recursively)."""
    if isinstance(obj, float):
        if obj == 0 or not math.isfinite(obj):
            return obj
        return float(f"{obj:.{digits}g}")
    if isinstance(obj, dict):
        return {k: round_floats(v, digits) for k, v in obj.items()}
    if isinstance(obj, list):
        return [round_floats(v, digits) for v in obj]
    return obj


def imported_modules() -> list[str]:
    """The ``analysis.*`` modules imported in this process (what a run's results depend on)."""
    return sorted(m for m in list(sys.modules) if m == "analysis" or m.startswith("analysis."))


def _run_context(output_dir: str) -> dict | None:
    """The runner's description of this run, if the Reporter was created by ``peaceops run``."""
    raw = os.environ.get(RUN_ENV)
    if not raw or not output_dir:
        return None
    try:
        ctx = json.loads(raw)
    except json.JSONDecodeError:
        return None
    same = Path(ctx.get("output_dir", "")).resolve() == Path(output_dir).resolve()
    return ctx if same else None


class _Display:
    """A display object: rich output in the notebook, placed by the renderer via its metadata."""

    def __init__(self, data: dict[str, str], meta: dict[str, Any]):
        self._data = data
        self._meta = meta

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        return dict(self._data), {OUTPUT_META: dict(self._meta)}

    def __repr__(self) -> str:
        return self._data.get("text/plain", "")


class FigureOutput(_Display):
    """What :meth:`Reporter.figure` returns: shows the figure (linked PNG) with its caption."""

    def __init__(self, fig: Any, data: dict[str, str], meta: dict[str, Any]):
        super().__init__(data, meta)
        self.fig = fig


class TableOutput(_Display):
    """What :meth:`Reporter.table` returns: the formatted table with its numbered caption."""


def install_table_formatter() -> bool:
    """Show every DataFrame and Series displayed in this IPython kernel as a formatted table.

    Registers :func:`analysis.reporting.tables.format_table` as the HTML form of pandas frames
    (no index column, labels from the dictionary, thousands separators, "—" for missing, nothing
    truncated). Returns whether a kernel was found (outside IPython nothing happens).
    """
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    ip = get_ipython()
    if ip is None or not hasattr(ip, "display_formatter"):
        return False
    from analysis.reporting.tables import format_table

    fmt = ip.display_formatter.formatters["text/html"]
    fmt.for_type_by_name("pandas.core.frame", "DataFrame", lambda df: format_table(df))
    fmt.for_type_by_name("pandas.core.series", "Series", lambda s: format_table(s.to_frame()))
    return True


class Reporter:
    """Collect findings, results, tables, figures and notes of one notebook run; write ``results.json``.

    Parameters
    ----------
    output_dir
        Folder of this run's outputs (``reports/<stem>/<set>/``). ``""`` (or ``None``) means
        collect only, write nothing: the notebook then works without the runner.
    notebook
        Notebook stem, e.g. ``"02_robust_mandates"``.
    param_set
        Name of the parameter set. Under ``peaceops run`` the runner's set name is used.
    parameters
        Parameters of the run, recorded in ``results.json``. Under ``peaceops run`` the
        runner supplies the full resolved parameters (notebook defaults plus the set's values
        and overrides) when this is ``None``. ``output_dir`` is never recorded.
    """

    def __init__(
        self,
        output_dir: str | os.PathLike | None = "",
        *,
        notebook: str = "",
        param_set: str = "default",
        parameters: Mapping[str, Any] | None = None,
    ) -> None:
        self.output_dir = Path(output_dir) if output_dir else None
        ctx = _run_context(str(output_dir)) if output_dir else None
        self.notebook = notebook or (ctx or {}).get("notebook", "")
        self.param_set = (ctx or {}).get("param_set", param_set)
        self.set_description = str((ctx or {}).get("description") or "")
        params = parameters if parameters is not None else (ctx or {}).get("parameters", {})
        self.parameters: dict[str, Any] = {
            k: to_jsonable(v, where=f"parameter {k!r}") for k, v in dict(params).items() if k != "output_dir"
        }
        self.results: dict[str, dict[str, Any]] = {}
        self.findings: list[dict[str, Any]] = []
        self.figures: list[dict[str, Any]] = []
        self.tables: list[dict[str, Any]] = []
        self.main_figure: str | None = None
        self.notes: list[str] = []
        self.terms: list[str] = []
        self.diagnostics: list[str] = []
        self.pages: list[str] = []
        install_table_formatter()

    @property
    def writes(self) -> bool:
        """Whether outputs are written (``output_dir`` was given)."""
        return self.output_dir is not None

    @property
    def label(self) -> str:
        """Folder name of the outputs (the run's label); figures are linked as ``<label>/figures/...``."""
        return self.output_dir.name if self.output_dir is not None else ""

    @staticmethod
    def _check_key(key: str, what: str) -> str:
        if not isinstance(key, str) or not _NAME_RE.match(key):
            raise ValueError(f"{what} {key!r} must be a non-empty name of letters, digits, '_', '-' or '.'")
        return key

    # ------------------------------------------------------------------ numbers

    def result(self, key: str, value: Any, *, label: str | None = None, format: str | None = None) -> None:
        """Record a headline number (or string / bool / small list) under ``key``.

        Parameters
        ----------
        key
            Stable identifier (letters, digits, ``_-.``); compared by ``peaceops run --check``.
        value
            JSON-safe value; numpy / pandas scalars are converted, NaN becomes ``null``.
        label
            Plain-words description shown in the report and the index (default: the dictionary
            label of ``key`` when it is a variable name, else ``key``).
        format
            How the value is shown (:data:`analysis.reporting.tables.TABLE_FORMATS`: ``count``,
            ``share``, ``ratio``, ``year``, ...); default from the dictionary or the value.

        Returns nothing, so a cell ending in ``rep.result(...)`` prints nothing.
        """
        self._check_key(key, "result key")
        v = to_jsonable(value, where=f"result {key!r}")
        rec: dict[str, Any] = {"kind": "value", "value": v, "label": label or self._label(key)}
        if format:
            from analysis.reporting.tables import TABLE_FORMATS
            from analysis.vocabulary import check_option

            check_option(f"format of result {key!r}", format, TABLE_FORMATS)
            rec["format"] = format
        self.results[key] = rec

    @staticmethod
    def _label(key: str) -> str:
        from analysis.labels import variables

        v = variables()
        return v[key].describe() if key in v else key

    def estimate(self, key: str, result: Any, term: str | None = None, *, label: str | None = None) -> None:
        """Record one coefficient of a fitted model under ``key``.

        Parameters
        ----------
        key
            Stable identifier of the headline estimate.
        result
            An :class:`analysis.models.ModelResult` (its ``term(term)`` row is used), or a
            pandas Series / mapping with the columns of ``ModelResult.estimates``.
        term
            Model term (required with a ``ModelResult``).
        label
            Plain-words description (default: "<ratio name>, <label of the term>").

        The stored record (``rep.results[key]``) has estimate, std_error, z, p_value, ci_low,
        ci_high, ratio (exp of the estimate: incidence-rate or odds ratio; ``null`` for OLS),
        ratio_ci_low, ratio_ci_high, term, estimator, nobs, label, and the model's sample ledger
        (``ledger``: rows and events after each filter) when it has one. Returns nothing.
        """
        self._check_key(key, "result key")
        if hasattr(result, "term") and callable(result.term):
            if term is None:
                raise ValueError(f"estimate {key!r}: give the model term to record")
            row = result.term(term)
            estimator = getattr(result, "estimator", None)
            nobs = getattr(result, "nobs", None)
        elif isinstance(result, Mapping) or hasattr(result, "items"):
            row = result
            estimator = row.get("estimator") if hasattr(row, "get") else None
            nobs = row.get("nobs") if hasattr(row, "get") else None
            term = term or (row.get("term") if hasattr(row, "get") else None)
        else:
            raise TypeError(
                f"estimate {key!r}: expected a ModelResult or a row of estimates, got {type(result).__name__}"
            )
        rec: dict[str, Any] = {"kind": "estimate", "term": term}
        for f in _ESTIMATE_FIELDS:
            rec[f] = to_jsonable(row.get(f) if hasattr(row, "get") else None, where=f"estimate {key!r}.{f}")
        rec["estimator"] = to_jsonable(estimator, where=f"estimate {key!r}.estimator")
        rec["nobs"] = to_jsonable(nobs, where=f"estimate {key!r}.nobs")
        ledger = getattr(result, "ledger", None)
        if ledger:  # the sample ledger of a ModelResult: where the rows and events go
            rec["ledger"] = to_jsonable(list(ledger), where=f"estimate {key!r}.ledger")
        if label is None:
            from analysis.labels import label as plain
            from analysis.reporting.findings import ratio_name

            name = ratio_name(rec) if rec.get("ratio") is not None else "coefficient"
            label = f"{name[0].upper()}{name[1:]}, {plain(str(term))}" if term else key
        rec["label"] = label
        self.results[key] = rec

    def finding(
        self,
        key: str,
        *,
        question: str,
        estimate: str | None = None,
        answer: str | None = None,
        outcome: str = "",
        exposure: str = "",
        sample: Mapping[str, Any] | None = None,
        caveat: str = "",
        degenerate: str | None = None,
    ) -> None:
        """Declare a finding: one question answered at the top of the report and in the index.

        The sentence is generated from the recorded numbers by
        :func:`analysis.reporting.findings.finding_text` when the page is rendered; no number
        is typed here.

        Parameters
        ----------
        key
            Identifier of the finding.
        question
            The question in plain words.
        estimate
            Key of an estimate recorded with :meth:`estimate` (the effect and its interval).
        answer
            Instead of (or besides) an estimate: a sentence template whose ``{fields}`` are
            result keys, e.g. ``"{n_supported} of {n_claims} claims hold in the data"``.
        outcome, exposure
            Plain words for the outcome ("a coup attempt the next year") and the treatment
            ("a partnership operation"), used in the sentence.
        sample
            ``rows``, ``units``, ``events``: ``(number, "what")`` pairs; ``events_treated``: the
            events among treated rows (0 makes the finding degenerate: "no ... in ..."), and
            ``years``: ``(first, last)``.
        caveat
            The main caveat, one sentence.
        degenerate
            Text to show instead of a number when the notebook knows the estimate is degenerate
            (e.g. from :func:`analysis.models.term_status`).
        """
        self._check_key(key, "finding key")
        if estimate is None and answer is None and degenerate is None:
            raise ValueError(f"finding {key!r}: give estimate=<result key>, answer=<template> or degenerate=")
        if estimate is not None and estimate not in self.results:
            raise KeyError(f"finding {key!r}: no result {estimate!r} recorded yet (rep.estimate first)")
        if answer is not None:
            from analysis.reporting.findings import fill_template

            fill_template(answer, self.results)  # fails now, naming the missing result, not at render time
        smp = to_jsonable(dict(sample or {}), where=f"finding {key!r}.sample")
        rec = {
            "key": key,
            "question": question,
            "estimate": estimate,
            "answer": answer,
            "outcome": outcome,
            "exposure": exposure,
            "sample": smp,
            "caveat": caveat,
            "degenerate": degenerate,
        }
        self.findings = [f for f in self.findings if f["key"] != key] + [rec]

    def note(self, text: str) -> None:
        """Record a caveat (shown in the page's caveats box and the index card)."""
        text = str(text).strip()
        if text and text not in self.notes:
            self.notes.append(text)

    def glossary(self, *keys: str) -> None:
        """Add terms (keys of ``terms`` or ``variables`` in ``analysis/labels.yaml``) to the page's glossary.

        Raises
        ------
        KeyError
            For a key the dictionary does not hold (listing the terms).
        """
        from analysis.labels import term

        for k in keys:
            term(k)
            if k not in self.terms:
                self.terms.append(k)

    def diagnostic(self, text: str) -> None:
        """Record a diagnostic (shown collapsed at the end of the page, never in the text)."""
        text = str(text).strip()
        if text and text not in self.diagnostics:
            self.diagnostics.append(text)

    # ------------------------------------------------------------------ tables and figures

    def table(
        self,
        df: Any,
        name: str | None = None,
        *,
        caption: str = "",
        formats: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        appendix: bool = False,
        labels: bool = True,
        links: Mapping[str, str] | None = None,
    ) -> TableOutput:
        """A formatted, numbered table to display (:func:`analysis.reporting.tables.format_table`).

        Parameters
        ----------
        df
            The frame; every row and column is shown, without the index column.
        name
            Identifier (default ``table<N>``).
        caption
            What the table shows (numbered "Table N." on the page).
        formats, headers, labels
            Column formats, header overrides, headers from the dictionary of labels.
        appendix
            Place the table in a collapsed section at the end of the page (full model tables,
            configuration).
        links
            Column -> column of URLs: the cell links there (e.g. to a page written by
            :meth:`page`, or to a document); the URL columns are not shown.
        """
        from analysis.reporting.tables import format_table

        number = len(self.tables) + 1
        name = self._check_key(name or f"table{number}", "table name")
        self.tables = [t for t in self.tables if t["name"] != name]
        number = len(self.tables) + 1
        title = f"Table {number}. {caption}".strip() if caption else f"Table {number}."
        body = format_table(df, formats=formats, headers=headers, labels=labels, caption=title, links=links)
        self.tables.append({"name": name, "number": number, "caption": caption, "appendix": appendix,
                            "rows": int(len(df))})
        meta = {"kind": "table", "name": name, "appendix": appendix, "caption": caption}
        return TableOutput({"text/html": body, "text/plain": f"[{title}]"}, meta)

    def figure(
        self,
        fig: Any,
        name: str,
        *,
        title: str | None = None,
        description: str = "",
        data: Any = None,
        main: bool = False,
    ) -> FigureOutput:
        """Save ``fig`` as ``<output_dir>/figures/<name>.svg`` or ``.png`` (and its data as ``<name>.csv``).

        The file is the smaller of an SVG with its text kept as text and a 200-dpi palette PNG
        (:func:`figure_file`; an SVG of at most 64 KB is kept without drawing the PNG): line and
        dot charts come out as SVG, dense scatters and heatmaps as PNG. Both are byte-identical
        from one run to the next.

        Parameters
        ----------
        fig
            A matplotlib Figure.
        name
            File stem (letters, digits, ``_-.``); saving the same name again replaces it.
        title
            The caption's title: the finding the figure shows (default: the figure's suptitle).
        description
            One line on what is plotted (caption and alt text).
        data
            DataFrame of the plotted values, written beside the PNG as ``<name>.csv`` and
            linked from the caption.
        main
            Whether this is the notebook's main figure (shown in ``reports/index.html``);
            without one, the first figure is the main figure.

        Returns
        -------
        FigureOutput
            Displays the figure with its numbered caption: linked from its file under the
            runner (no image bytes in the notebook), inline otherwise.
        """
        from analysis.data.hashing import atomic_write, atomic_write_text

        self._check_key(name, "figure name")
        if "matplotlib.pyplot" in sys.modules:  # a pyplot figure would also show itself at cell end
            sys.modules["matplotlib.pyplot"].close(fig)
        fmt, content, (width_px, height_px) = figure_file(fig)
        min_pt = smallest_text_pt(fig)
        rel = f"figures/{name}.{fmt}"
        csv_rel = f"figures/{name}.csv" if data is not None else None
        if self.output_dir is not None:
            atomic_write(self.output_dir / rel, lambda p: p.write_bytes(content))
            if data is not None:
                atomic_write_text(self.output_dir / csv_rel, figure_csv(data))  # type: ignore[operator]
        if title is None:
            sup = getattr(fig, "_suptitle", None)
            title = sup.get_text() if sup is not None and sup.get_text() else name
        title = " ".join(str(title).split())
        self.figures = [f for f in self.figures if f["name"] != name]
        number = len(self.figures) + 1
        alt = f"{title}. {description}".strip() if description else title
        rec = {
            "name": name,
            "number": number,
            "file": rel,
            "data": csv_rel,
            "title": title,
            "description": description,
            "alt": alt,
            "format": fmt,
            "width_px": width_px,
            "height_px": height_px,
            "min_font_pt": round(min_pt, 1) if min_pt is not None else None,
        }
        self.figures.append(rec)
        if min_pt is not None and min_pt < MIN_FONT_PT - 1e-9:
            self.diagnostic(
                f"Figure {number} ({name}): smallest text {min_pt:.1f} pt, below {MIN_FONT_PT:.0f} pt."
            )
        if main or self.main_figure is None:
            self.main_figure = rel
        if self.output_dir is not None:
            src = f"{self.label}/{rel}"
        else:
            mime = "image/svg+xml" if fmt == "svg" else "image/png"
            src = f"data:{mime};base64," + base64.b64encode(content).decode("ascii")
        body = figure_html(rec, src, csv=f"{self.label}/{csv_rel}" if csv_rel and self.output_dir else None)
        meta = {"kind": "figure", "name": name}
        return FigureOutput(fig, {"text/html": body, "text/plain": f"[Figure {number}. {title}]"}, meta)

    def versions_table(self, data_versions: Mapping[str, Any] | None = None) -> TableOutput:
        """Data and package versions as a table in the page's appendix.

        The rendered page always carries the data versions in its header and appendix; this is
        kept for notebooks read in Jupyter.
        """
        import pandas as pd

        dv = dict(data_versions or {})
        rows = [("source", k, str(v)) for k, v in dv.get("sources", {}).items()]
        rows += [("table", k, str(v)[:12]) for k, v in dv.get("tables", {}).items()]
        if dv.get("code_version"):
            rows.append(("data code", "code_version", str(dv["code_version"])))
        rows += [("package", k, str(v)) for k, v in package_versions().items()]
        frame = pd.DataFrame(rows, columns=["kind", "name", "version"])
        return self.table(frame, "versions", caption="Data and package versions", appendix=True, labels=False)

    def page(self, name: str, *, title: str, parts: list[str], intro: str = "") -> str | None:
        """Write a page of its own beside the report: ``<output_dir>/pages/<name>.html``.

        For material too long for the report page and one click away from it, e.g. the
        paragraphs of evidence behind each point of a figure. The page has the report's
        stylesheet, a link back to the report and the run's label; ``parts`` are HTML blocks
        (tables from :func:`analysis.reporting.tables.format_table`, headings with ``id``
        anchors the report can link to).

        Returns
        -------
        str or None
            The link to the page from the report (``<label>/pages/<name>.html``; add
            ``#anchor``), ``None`` when nothing is written (``output_dir=""``).
        """
        from analysis.data.hashing import atomic_write_text
        from analysis.reporting.render import subpage_html

        self._check_key(name, "page name")
        if self.output_dir is None:
            return None
        text = subpage_html(title, parts, intro=intro, notebook=self.notebook, label=self.label)
        atomic_write_text(self.output_dir / "pages" / f"{name}.html", text)
        if name not in self.pages:
            self.pages.append(name)
        return f"{self.label}/pages/{name}.html"

    # ------------------------------------------------------------------ saving

    def to_dict(self, data_versions: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Everything collected, as the JSON-safe dict written to ``results.json``."""
        from analysis.labels import MISSING

        missing = sorted(m for m in MISSING if "_" in m)
        diags = list(self.diagnostics)
        if missing:
            diags.append("Variables without an entry in analysis/labels.yaml: " + ", ".join(missing))
        out = {
            "notebook": self.notebook,
            "param_set": self.param_set,
            "set_description": self.set_description,
            "parameters": self.parameters,
            "findings": self.findings,
            "results": self.results,
            "figures": self.figures,
            "tables": self.tables,
            "main_figure": self.main_figure,
            "notes": self.notes,
            "glossary": self.terms,
            "diagnostics": diags,
            "data_versions": to_jsonable(dict(data_versions or {}), where="data_versions"),
            "package_versions": package_versions(),
            "code_modules": imported_modules(),
            "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        }
        if self.pages:  # only when pages were written, so other notebooks' results keep their bytes
            out["pages"] = [f"pages/{n}.html" for n in self.pages]
        return round_floats(out)

    def save(self, data_versions: Mapping[str, Any] | None = None) -> None:
        """Write ``<output_dir>/results.json`` atomically (nothing when ``output_dir`` is ``""``).

        Parameters
        ----------
        data_versions
            Provenance of the data used, from :func:`analysis.data.data_versions`.

        The content is :meth:`to_dict`; ``code_modules`` lists the ``analysis`` modules the
        notebook imported (the runner keys the run on their hashes). Returns nothing.
        """
        from analysis.data.hashing import atomic_write_text

        out = self.to_dict(data_versions)
        if self.output_dir is not None:
            atomic_write_text(self.output_dir / "results.json", results_json_text(out))

    def __repr__(self) -> str:
        where = str(self.output_dir) if self.output_dir else "(not writing)"
        return (
            f"Reporter({self.notebook!r}, set={self.param_set!r}, {len(self.results)} results, "
            f"{len(self.figures)} figures, output {where})"
        )


def results_json_text(results: Mapping[str, Any]) -> str:
    """The text of a ``results.json``. Every writer uses it (the Reporter, and the runner when it
    relinks pooled figures or carries a ``created`` stamp over), so a rewritten file has the same
    bytes as one the Reporter wrote."""
    return json.dumps(results, indent=2, sort_keys=False, allow_nan=False, ensure_ascii=False) + "\n"
