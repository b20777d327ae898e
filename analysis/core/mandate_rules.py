"""The rules table of the text codings, ``analysis/core/mandate_rules.csv``, and the concepts it codes.

One readable table holds every rule (concept, rule id, scope, pattern, exclusion, value, note):
the boolean concepts and partnerships applied by :mod:`analysis.core.mandate_coding`, and the
wording of authorised ceilings (concept ``ceiling``, scopes ``ceiling_*``) applied by
:mod:`analysis.core.mandate_ceilings`. This module reads and checks it; it codes nothing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

RULES_FILE = Path(__file__).with_name("mandate_rules.csv")
BOOLEAN_CONCEPTS = (
    "is_chapter_vii",
    "has_poc_mandate",
    "has_use_of_force",
    "has_offensive_mandate",
    "has_ct_pve_language",
    "has_stabilisation_mandate",
)
PARTNER_TYPES = ("regional", "ad_hoc", "bilateral", "eu")
PARTNER_CONCEPTS = ("has_partnership_language", *(f"has_partnership_{t}" for t in PARTNER_TYPES))
#: Authorised ceilings: military, police, and all uniformed personnel (military + police + changes
#: the Council states for both together; :mod:`analysis.core.mandate_ceilings`).
NUMBER_CONCEPTS = (
    "personnel_military_authorized_n",
    "personnel_police_authorized_n",
    "personnel_authorized_n",
)
CONCEPTS = (*BOOLEAN_CONCEPTS, *PARTNER_CONCEPTS, *NUMBER_CONCEPTS)
#: Scopes of the boolean and partnership rules (see :mod:`analysis.core.mandate_coding`).
TEXT_SCOPES = ("preamble", "section_preamble", "mission_paragraph", "operative", "partner_paragraph")
#: Scopes of the ceiling wording (see :mod:`analysis.core.mandate_ceilings`).
CEILING_SCOPES = (
    "ceiling_context",
    "ceiling_noun",
    "ceiling_head",
    "ceiling_units",
    "ceiling_before",
    "ceiling_after",
    "ceiling_verb",
    "ceiling_lead",
    "ceiling_decision",
    "ceiling_segment",
    "ceiling_part",
    "ceiling_remainder",
    "ceiling_paragraph",
)
SCOPES = (*TEXT_SCOPES, *CEILING_SCOPES)
QUOTE_MAX = 300


@dataclass(frozen=True)
class Rule:
    """One row of ``mandate_rules.csv``."""

    concept: str
    rule_id: str
    scope: str
    pattern: str
    exclude: str
    value: str
    note: str


def _check(rule: Rule, line: int) -> None:
    if rule.scope not in SCOPES:
        raise ValueError(f"{RULES_FILE} line {line}: unknown scope {rule.scope!r}")
    known = (*BOOLEAN_CONCEPTS, "partnership", "ceiling")
    if rule.concept not in known:
        raise ValueError(f"{RULES_FILE} line {line}: unknown concept {rule.concept!r}")
    if (rule.concept == "ceiling") != rule.scope.startswith("ceiling_"):
        raise ValueError(f"{RULES_FILE} line {line}: concept 'ceiling' goes with the ceiling_* scopes")
    for what in (rule.pattern, rule.exclude):
        try:
            re.compile(what.replace("{m}", "X").replace("{f}", "Y"))
        except re.error as e:
            raise ValueError(f"{RULES_FILE} line {line}: pattern does not compile: {e}") from None


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The rules table, checked: known concepts and scopes, compilable patterns, unique ids."""
    out: list[Rule] = []
    with open(RULES_FILE, encoding="utf-8", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh), start=2):
            if None in r or None in r.values():
                raise ValueError(
                    f"{RULES_FILE} line {i}: wrong number of fields (quote a pattern with a comma)"
                )
            rule = Rule(**{k: (r[k] or "") for k in Rule.__dataclass_fields__})
            _check(rule, i)
            if any(o.rule_id == rule.rule_id for o in out):
                raise ValueError(f"{RULES_FILE} line {i}: duplicate rule_id {rule.rule_id!r}")
            out.append(rule)
    return tuple(out)


def rules_table() -> pd.DataFrame:
    """The rules as a frame (for the codebook and notebooks)."""
    return pd.DataFrame([r.__dict__ for r in rules()])


def quote(text: str, start: int, end: int, limit: int = QUOTE_MAX) -> str:
    """A span of ``text`` of at most ``limit`` characters around ``[start, end)``, with ellipses."""
    if len(text) <= limit:
        return text
    room = limit - 2
    a = max(0, min(start - (room - (end - start)) // 2, len(text) - room))
    b = min(len(text), a + room)
    return ("…" if a > 0 else "") + text[a:b] + ("…" if b < len(text) else "")
