"""Formatted tables for reports: plain headers, no index column, numbers a reader can scan.

:func:`format_table` turns a DataFrame into an HTML ``<table>``:

* no index column: a meaningful index (named, or not the default 0..n-1) becomes ordinary
  columns, the default one is dropped;
* headers from the dictionary of labels (:func:`analysis.labels.describe`);
* counts as integers with thousands separators, ratios, rates and indices with 2 decimals,
  shares (proportions 0-1) as per cent, p-values as "< 0.001" or 3 decimals, years without
  separator, yes/no for booleans, missing values as "—";
* every row and column shown (nothing truncated); numbers right-aligned.

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
    if not isinstance(v, int | float) and not hasattr(v, "__float__"):
        return str(v)
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    integral = x.is_integer()
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
        from analysis.labels import column_format, variables

        if key in variables() or "_" in key:
            kind = column_format(key)
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
    """
    from analysis.vocabulary import check_option

    formats = dict(formats or {})
    for col, kind in formats.items():
        check_option(f"format of column {col!r}", kind, TABLE_FORMATS)
    headers = dict(headers or {})
    t = tidy_frame(df)
    kinds = {c: _column_kind(c, t[c], formats) for c in t.columns}
    head = "".join(
        f"<th scope='col'{' class=num' if kinds[c] not in ('text', 'bool') and _numeric(t[c]) else ''}>"
        f"{html.escape(headers.get(c) or _header(c, labels))}</th>"
        for c in t.columns
    )
    body = []
    numeric = {c: _numeric(t[c]) and kinds[c] not in ("text",) for c in t.columns}
    for row in t.itertuples(index=False, name=None):
        cells = []
        for c, v in zip(t.columns, row):
            txt = html.escape(format_value(v, kinds[c]))
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
