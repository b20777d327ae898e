"""Plain words: the one dictionary of labels (variable -> plain label, unit, definition, format).

The dictionary lives in ``analysis/labels.yaml`` (package data, next to this module) and is read
once. Everything a reader sees goes through it: result labels and findings, plot axes, table
headers (:func:`analysis.reporting.tables.format_table`), the coverage heatmap and the glossary
at the foot of each report page (:func:`glossary`). Countries are named by :func:`country_names`,
one spelling per state.

>>> from analysis.labels import label, describe
>>> label("has_partnership")
'partnership operation'
>>> describe("gdp_pc_usd")
'GDP per person (US dollars)'

A name missing from the dictionary gets a readable fallback (``deaths_total_n`` -> "deaths
total") and is remembered in :data:`MISSING`, so the report's diagnostics list it and it can be
added to ``labels.yaml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from analysis.vocabulary import check_option

#: The dictionary file (shipped as package data).
LABELS_FILE = Path(__file__).with_name("labels.yaml")

#: How a table shows a column: integers with thousands separators (``count``), two decimals
#: (``ratio``, ``rate``, ``index``), per cent (``share``: a proportion 0-1), three significant
#: digits (``value``), a year without separator, whole dollars (``money``), yes/no, text, or a
#: p-value ("< 0.001" or 3 decimals).
Format = Literal[
    "count", "ratio", "share", "rate", "value", "year", "money", "index", "bool", "text", "pvalue"
]
FORMATS: tuple[str, ...] = (
    "count", "ratio", "share", "rate", "value", "year", "money", "index", "bool", "text", "pvalue",
)

#: Names looked up but not in the dictionary (fallback labels were used).
MISSING: set[str] = set()


@dataclass(frozen=True)
class Label:
    """One entry of the dictionary."""

    name: str
    label: str
    unit: str = ""
    definition: str = ""
    format: str = "value"

    def describe(self) -> str:
        """Label with its unit in brackets (``"GDP per person (US dollars)"``); yes/no units omitted."""
        if self.unit and self.unit != "yes/no":
            return f"{self.label} ({self.unit})"
        return self.label


@functools.cache
def _dictionary() -> dict[str, Any]:
    import yaml

    from analysis.data.yamlsafe import load_yaml, yaml_error

    try:  # a key given twice (two merges adding the same variable) is an error, not a silent override
        raw = load_yaml(LABELS_FILE.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{LABELS_FILE}: {yaml_error(exc)}") from exc
    for section in ("variables", "terms", "countries", "sources"):
        if not isinstance(raw.get(section, {}), dict):
            raise ValueError(f"{LABELS_FILE}: section {section!r} must be a mapping")
    for name, entry in (raw.get("variables") or {}).items():
        if not isinstance(entry, dict) or not entry.get("label"):
            raise ValueError(f"{LABELS_FILE}: variable {name!r} has no label")
        check_option(f"{LABELS_FILE.name}: format of {name!r}", entry.get("format", "value"), FORMATS)
    return raw


@functools.cache
def variables() -> dict[str, Label]:
    """Every variable of the dictionary."""
    return {
        str(k): Label(str(k), str(v["label"]), str(v.get("unit", "")), str(v.get("definition", "")),
                      str(v.get("format", "value")))
        for k, v in (_dictionary().get("variables") or {}).items()
    }


@functools.cache
def terms() -> dict[str, Label]:
    """Every glossary term of the dictionary (method and domain words)."""
    return {
        str(k): Label(str(k), str(v["label"]), "", str(v.get("definition", "")), "text")
        for k, v in (_dictionary().get("terms") or {}).items()
    }


_LAG = re.compile(r"^(?P<base>.+?)_(?:lag|l)(?P<k>\d+)$")


def _fallback(name: str) -> str:
    s = re.sub(r"^(is|has)_", "", name)
    s = re.sub(r"_(n|usd|pct|share)$", "", s)
    return s.replace("_", " ")


def _guess_format(name: str) -> str:
    if name.startswith(("is_", "has_")):
        return "bool"
    if name.endswith(("_number", "_id")) or "_id_" in name:  # identifiers: resolution numbers, G-W codes
        return "text"
    if name.endswith("_n") or name.startswith("n_"):
        return "count"
    if name == "year" or name.endswith("_year"):
        return "year"
    if "share" in name or name.endswith("_pct") or name.startswith("coup_rate"):
        return "share"
    if "ratio" in name or name.startswith(("irr", "or_")):
        return "ratio"
    if name.endswith("_usd"):
        return "money"
    return "value"


def entry(name: str) -> Label:
    """The dictionary entry of a variable, or a fallback (recorded in :data:`MISSING`).

    A lagged name (``has_partnership_lag1``) takes the entry of its base with "(t-1)" added.
    """
    v = variables()
    if name in v:
        return v[name]
    m = _LAG.match(name)
    if m and m["base"] in v:
        b = v[m["base"]]
        return Label(name, f"{b.label} (t-{m['k']})", b.unit, b.definition, b.format)
    MISSING.add(name)
    return Label(name, _fallback(name), "", "", _guess_format(name))


def label(name: str) -> str:
    """Plain label of a variable (``has_partnership`` -> ``"partnership operation"``)."""
    return entry(name).label


def describe(name: str) -> str:
    """Label with unit, for axes and table headers (``"GDP per person (US dollars)"``)."""
    return entry(name).describe()


def plain_headers(columns: Iterable[Any]) -> dict[str, str]:
    """Column -> header for an ad hoc table (a sensitivity or evidence frame of one analysis):
    the dictionary's label with unit where it has the column, else the readable fallback
    (``mean_2013_2017`` -> "mean 2013 2017"), without listing the column in :data:`MISSING`."""
    v = variables()
    return {str(c): v[str(c)].describe() if str(c) in v else _fallback(str(c)) for c in columns}


def column_format(name: str) -> str:
    """How tables format the column (one of :data:`FORMATS`)."""
    return entry(name).format


def term(key: str) -> Label:
    """A glossary term (or a variable of the dictionary); ``KeyError`` naming the known terms."""
    t = terms()
    if key in t:
        return t[key]
    if key in variables():
        return variables()[key]
    raise KeyError(
        f"no glossary term or variable {key!r} in {LABELS_FILE.name}; terms: {', '.join(sorted(t))}"
    )


def glossary(keys: Iterable[str]) -> list[dict[str, str]]:
    """Entries ``{key, label, definition}`` of the terms and variables named (unknown keys skipped,
    duplicates once), sorted by label."""
    out: dict[str, dict[str, str]] = {}
    for k in keys:
        try:
            e = term(k)
        except KeyError:
            continue
        if e.definition and e.label not in out:
            out[e.label] = {"key": k, "label": e.label, "definition": e.definition}
    return [out[k] for k in sorted(out, key=str.casefold)]


def source_label(source: str) -> str:
    """Short plain name of a registered source (``sources`` of the dictionary), else the source id."""
    return str((_dictionary().get("sources") or {}).get(source, source))


_BRACKETS = re.compile(r"\s*\([^)]*\)\s*")


def country_spellings() -> dict[int, str]:
    """The dictionary's fixed spellings by Gleditsch-Ward code."""
    return {int(k): str(v) for k, v in (_dictionary().get("countries") or {}).items()}


def country_names(codes: Any) -> dict[int, str]:
    """One name per state: Gleditsch-Ward code -> name.

    Parameters
    ----------
    codes
        The ``country_codes`` table (or any frame with ``country_id_gw``, ``year``,
        ``country_name``), e.g. ``load("country_codes")``.

    Returns
    -------
    dict
        The fixed spelling of ``labels.yaml`` where there is one, otherwise the state's name in
        its latest year with bracketed former names removed ("Burkina Faso (Upper Volta)" ->
        "Burkina Faso"). A state is named the same way everywhere on a page.
    """
    from analysis.errors import require_columns

    require_columns(codes, ["country_id_gw", "year", "country_name"], "country_names")
    latest = codes.dropna(subset=["country_name"]).sort_values("year").groupby("country_id_gw").tail(1)
    names = {int(g): _BRACKETS.sub(" ", str(n)).strip() for g, n in
             zip(latest["country_id_gw"], latest["country_name"])}
    names.update(country_spellings())
    return names


def name_countries(frame: Any, names: Mapping[int, str], column: str = "country_id_gw",
                   into: str = "country") -> Any:
    """A copy of ``frame`` with a ``country`` column of names from ``names`` (codes without a
    name stay missing, never shown as numbers)."""
    out = frame.copy()
    out[into] = out[column].map(lambda g: names.get(int(g)) if g == g and g is not None else None)
    return out
