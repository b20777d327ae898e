"""Formatted tables for reports: plain headers, no index column, numbers a reader can scan.

:func:`format_table` turns a DataFrame into an HTML ``<table>``:

* no index column: a meaningful index (named, or not the default 0..n-1) becomes ordinary
  columns, the default one is dropped;
* headers from the dictionary of labels (:func:`analysis.labels.describe`);
* counts as integers with thousands separators, ratios, rates and indices with 2 decimals,
  shares (proportions 0-1) as per cent, p-values as "< 0.001" or 3 decimals, years without
  separator, identifiers (``text``: resolution numbers, ids) as they are, dates as days, yes/no
  for booleans, missing values as "—";
* every row and column shown (nothing truncated); numbers right-aligned;
* cells that link somewhere (``links``: column -> column of URLs, e.g. a resolution to its text on
  the UN's documents site, or a share to the page of evidence behind it); the URL columns are not
  shown, and a row without a URL shows plain text.

How each column is formatted comes from ``formats`` (column -> one of
:data:`analysis.labels.FORMATS` or ``"pvalue"``), else the dictionary, else the dtype.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from typing import Any

#: Shown for a missing value.
MISSING = "—"
#: Formats of :data:`analysis.labels.FORMATS` plus ``pvalue``.
TABLE_FORMATS = (
    "count", "ratio", "share", "rate", "value", "year", "money", "index", "bool", "text", "pvalue",
)

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


def ledger_headers(events: str = "events") -> dict[str, str]:
    """Plain column headers of a sample ledger table (``ModelResult.ledger_frame()``); ``events``
    names what the model's events are ("deaths", "coups"). The labels dictionary's ``reason``
    is worded for failed specifications, hence headers of its own."""
    return {"unit": "rows are", "rows_dropped": "rows dropped", "events_dropped": f"{events} dropped",
            "reason": "why"}


def is_missing(v: Any) -> bool:
    """``None``, NaN, ``pd.NA``, ``NaT``."""
    if v is None:
        return True
    try:
        import pandas as pd

        r = pd.isna(v)
        return bool(r) if isinstance(r, bool) or getattr(r, "shape", None) == () else False
    except (TypeError, ValueError):
        return False


def _sig(v: float, digits: int = 3) -> str:
    if v == 0:
        return "0"
    mag = math.floor(math.log10(abs(v)))
    if mag >= digits - 1:
        return f"{v:,.0f}"
    if mag < -4:
        return f"{v:.{digits - 1}e}"
    return f"{v:,.{max(digits - 1 - mag, 0)}f}"


def format_value(v: Any, kind: str = "value") -> str:
    """Text of one cell in the given format (see the module docstring); missing -> "—"."""
    if is_missing(v):
        return MISSING
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return "yes" if bool(v) else "no"
    if isinstance(v, str):
        return v
    if hasattr(v, "strftime"):  # dates: the day alone when there is no time of day
        has_time = any(getattr(v, a, 0) for a in ("hour", "minute", "second"))
        return v.strftime("%Y-%m-%d %H:%M" if has_time else "%Y-%m-%d")
    if not isinstance(v, int | float) and not hasattr(v, "__float__"):
        return str(v)
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    integral = x.is_integer()
    if kind == "text":  # an identifier that happens to be a number (a resolution number): as is
        return str(int(x)) if integral else str(v)
    if kind == "year":
        return str(int(x)) if integral else f"{x:.1f}"
    if kind == "bool":
        return "yes" if x else "no"
    if kind == "count":
        return f"{int(x):,}" if integral else f"{x:,.2f}"
    if kind == "money":
        return f"{x:,.0f}"
    if kind in ("ratio", "rate", "index"):
        return f"{x:,.2f}"
    if kind == "share":
        pct = 100 * x
        return f"{pct:.1f}%" if abs(pct) < 10 or not pct.is_integer() else f"{pct:.0f}%"
    if kind == "pvalue":
        return "< 0.001" if x < 0.001 else f"{x:.3f}"
    if integral and abs(x) < 1e15:
        return f"{int(x):,}"
    return _sig(x)


def _column_kind(name: Any, series: Any, formats: Mapping[str, str]) -> str:
    if name in formats:
        return formats[name]
    key = str(name)
    if _IDENT.match(key):
        from analysis.labels import _LAG, _guess_format, column_format, variables

        if key in variables() or "_" in key or _guess_format(key) != "value":
            # the format of a name the dictionary lacks is guessed without listing it as missing: the
            # header (labels=True) is what a reader sees and what the diagnostics ask to label
            lag = _LAG.match(key)
            known = key in variables() or (lag is not None and lag["base"] in variables())
            kind = column_format(key) if known else _guess_format(key)
            if kind != "value" or key in variables():
                return kind
        if key in ("p_value", "p"):
            return "pvalue"
    dt = str(getattr(series, "dtype", ""))
    if dt in ("bool", "boolean"):
        return "bool"
    if dt.lower().startswith(("int", "uint")):
        return "count"
    return "value"


def _header(name: Any, use_labels: bool) -> str:
    key = str(name)
    if use_labels and _IDENT.match(key) and ("_" in key or key in _known()):
        from analysis.labels import describe

        return describe(key)
    return key


def _known() -> set[str]:
    from analysis.labels import variables

    return set(variables())


def tidy_frame(df: Any) -> Any:
    """``df`` with a meaningful index moved into columns and the default index dropped."""
    import pandas as pd

    out = df.copy()
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [" · ".join(str(x) for x in c if str(x)) for c in out.columns]
    idx = out.index
    if any(n is not None for n in idx.names):  # a named index (groupby, crosstab) is data
        names = [n if n is not None else f"level_{i}" for i, n in enumerate(idx.names)]
        out.index = idx.set_names(names)
        out = out.reset_index()
    else:  # row numbers or labels left over from filtering and sorting: not shown
        out = out.reset_index(drop=True)
    out.columns = [str(c) for c in out.columns]
    return out


def format_table(
    df: Any,
    *,
    formats: Mapping[str, str] | None = None,
    labels: bool = True,
    headers: Mapping[str, str] | None = None,
    caption: str | None = None,
    css_class: str = "data",
    links: Mapping[str, str] | None = None,
) -> str:
    """HTML ``<table>`` of ``df`` formatted for reading (see the module docstring).

    Parameters
    ----------
    df
        The frame (every row and column is shown).
    formats
        Column -> format (:data:`TABLE_FORMATS`), overriding the dictionary and the dtype.
    labels
        Whether headers of variable names come from the dictionary of labels.
    headers
        Column -> header text, overriding the dictionary.
    caption
        ``<caption>`` text (already numbered by the caller, e.g. "Table 2. ...").
    css_class
        Class of the ``<table>``.
    links
        Column shown -> column holding each row's URL (missing: no link). The URL columns are
        dropped from the display; a URL is written as given (relative to the page, or
        ``https://``), attribute-escaped.

    Raises
    ------
    KeyError
        A column of ``links`` (shown or URL) that the frame does not have.
    """
    from analysis.vocabulary import check_option

    formats = dict(formats or {})
    for col, kind in formats.items():
        check_option(f"format of column {col!r}", kind, TABLE_FORMATS)
    headers = dict(headers or {})
    t = tidy_frame(df)
    links = dict(links or {})
    bad = [c for pair in links.items() for c in pair if c not in t.columns]
    if bad:
        raise KeyError(f"links name column(s) the table does not have: {bad}; columns: {list(t.columns)}")
    hrefs = {c: t[u].tolist() for c, u in links.items()}
    t = t.drop(columns=sorted(set(links.values()) - set(links)))
    kinds = {c: _column_kind(c, t[c], formats) for c in t.columns}
    head = "".join(
        f"<th scope='col'{' class=num' if kinds[c] not in ('text', 'bool') and _numeric(t[c]) else ''}>"
        f"{html.escape(headers.get(c) or _header(c, labels))}</th>"
        for c in t.columns
    )
    body = []
    numeric = {c: _numeric(t[c]) and kinds[c] not in ("text",) for c in t.columns}
    for i, row in enumerate(t.itertuples(index=False, name=None)):
        cells = []
        for c, v in zip(t.columns, row):
            txt = html.escape(format_value(v, kinds[c]))
            url = hrefs[c][i] if c in hrefs else None
            if url is not None and not is_missing(url) and str(url):
                txt = f"<a href='{html.escape(str(url), quote=True)}'>{txt}</a>"
            cells.append(f"<td class=num>{txt}</td>" if numeric[c] else f"<td>{txt}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<p class=caption>{html.escape(caption)}</p>" if caption else ""
    return (
        f"<div class=table-wrap>{cap}<table class={css_class}><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _numeric(s: Any) -> bool:
    dt = str(getattr(s, "dtype", ""))
    return dt.lower().startswith(("int", "uint", "float")) or dt in ("Int64", "Float64")
