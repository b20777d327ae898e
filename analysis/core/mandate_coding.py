"""Coding mandate concepts from the resolution texts, with evidence, and the mandate in force by month.

The rules live in ONE readable table shipped with the package, ``analysis/core/mandate_rules.csv``
(concept, rule id, scope, pattern, exclusion, value, note). This module only applies them.

Scopes (which paragraphs count)
-------------------------------
``preamble``
    preambular paragraphs outside sections (they govern the whole operative part: "Acting under
    Chapter VII of the Charter," introduces it);
``section_preamble``
    a section's cross-heading recitals, when the section's paragraphs name the mission;
``mission_paragraph``
    an operative paragraph (its intro and all its sub-paragraphs, including mandate lists coded
    as sibling paragraphs) that names the mission - by acronym or full name, or as "the Mission",
    "the Force", "the Operation" when the resolution governs a single UN PKO - unless the
    paragraph is led by a verb that does not task the mission (:data:`EXCLUDED_LEADS`:
    "Reiterates that the authorities have primary responsibility to protect civilians");
``operative``
    any operative paragraph;
``partner_paragraph``
    an operative paragraph in mission scope (or naming the mission) that also names a parallel
    force (``{f}``: its names from ``sc_missions.yaml``).

``{m}`` in a pattern stands for the mission's names. Patterns are case-insensitive. Full mission
names are masked before matching ("Multidimensional Integrated Stabilization Mission" is not a
stabilisation task). Authorised ceilings are read by :mod:`analysis.core.mandate_ceilings`
(statements, ``sc_ceilings``) and :mod:`analysis.core.mandate_ceiling_months` (the ceiling in
force): their rows here hold the ceiling in force at the end of the resolution's month
(decision ``text`` when the resolution states the component, ``inherited`` when an earlier
statement does, ``undecided`` when unknown, with the reason).

How a value is decided (``decision``)
-------------------------------------
* ``text``: a rule matched; the deciding paragraph(s) are in ``evidence_*`` (resolution,
  paragraph seq and label, a quoted span of at most 300 characters).
* ``absent``: no rule matched in a resolution that restates the mandate in full (for Chapter
  VII: no recital for the mission in such a resolution) - it
  establishes the mission, terminates its mandate, or sets out a mandate list of at least three
  sub-paragraphs introduced as the mission's mandate (:data:`FULL_INTRO`: "Decides that the
  mandate of UNMISS shall be as follows", "MINUSMA's mandate shall include the following priority
  tasks", "MONUC ... shall have the following mandate"), not as additional tasks
  (:data:`PARTIAL_INTRO`): False. For Chapter VII the recital is a property of the text: no recital = False.
* ``inherited``: no rule matched in a resolution that only extends or adjusts the mandate
  (also for Chapter VII: "Decides to extend the mandate of UNAMID as set out in resolution 1769"
  keeps the Chapter VII authorisation of S/RES/1769 para 15; S/RES/2391 on support to the G5
  Sahel Joint Force, adopted outside Chapter VII, leaves MINUSMA's Chapter VII basis in place)
  ("Decides to extend the mandate of UNIFIL until ..."): the extended mandate keeps the value of
  the mission's previous mandate resolution, named in ``inherited_from`` (its evidence is
  carried).
* ``undecided``: NA, with the reason: the resolution extends a mandate set before 2000 (no
  earlier text in the corpus), or Chapter VII is invoked only for parts of the text that do not
  name the mission.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from analysis.core import mandate_ceiling_months, mandate_ceilings
from analysis.core.mandate_rules import (  # noqa: F401  (re-exported: the concepts and the rules table)
    BOOLEAN_CONCEPTS,
    CONCEPTS,
    NUMBER_CONCEPTS,
    PARTNER_CONCEPTS,
    PARTNER_TYPES,
    QUOTE_MAX,
    RULES_FILE,
    SCOPES,
    Rule,
    quote,
    rules,
    rules_table,
)
from analysis.core.resolutions import UN_ROLES, _compiled, mission_rules, name_pattern
from analysis.data.fields import field
from analysis.data.tables import table

RELATIONS = ("authorised_to_intervene", "support_to", "information_sharing", "coordination")
DECISIONS = ("text", "absent", "inherited", "undecided")
#: Leading verbs of operative paragraphs that address others or restate principles, not tasks of
#: the mission (their paragraphs are outside ``mission_paragraph`` scope for task concepts).
EXCLUDED_LEADS = (
    "reiterates",
    "recalls",
    "reaffirms",
    "stresses",
    "emphasizes",
    "emphasises",
    "underlines",
    "underscores",
    "notes",
    "takes note",
    "condemns",
    "welcomes",
    "commends",
    "expresses",
    "calls",
    "urges",
    "demands",
    "encourages",
    "invites",
    "recognizes",
    "acknowledges",
    "deplores",
    "strongly condemns",
    "further calls",
    "also calls",
    "further urges",
    "further emphasizes",
    "further stresses",
    "pays tribute",
    "looks forward",
    "appeals",
    "insists",
    "affirms",
    "requests the secretary-general",
    "also requests the secretary-general",
    "further requests the secretary-general",
    "requests that the secretary-general",
)
#: Concepts whose ``mission_paragraph`` matches are vetoed by :data:`EXCLUDED_LEADS`.
TASK_CONCEPTS = (
    "has_poc_mandate",
    "has_offensive_mandate",
    "has_stabilisation_mandate",
)
GENERIC_NAMES = ("the Mission", "the Force", "the Operation")
#: Intro of a mandate list that restates the mission's mandate in full (with at least 3
#: sub-paragraphs); ``{m}`` = the mission's names ...
FULL_INTRO = (
    r"mandate of (?:the )?{m}[^:;]{0,60}? shall (?:be|include|consist)|{m}(?:’s|'s)? mandate shall "
    r"(?:be|include|consist)|{m}[^:;]{0,80}? shall have the following mandate|{m}[^:;]{0,200}?"
    r"(?:perform|carry out|implement) the following (?:priority )?tasks"
)
#: ... unless it only adds to it.
PARTIAL_INTRO = re.compile(r"(?i)additional|in addition to")
#: A termination resolution ends the whole mandate (then it is a full statement of what remains).
TERMINATES = re.compile(r"(?i)terminat\w* [^;]{0,40}?mandate|termination of [^;]{0,40}?mandate")


# ------------------------------------------------------------------------------------- engine
@dataclass
class _Row:
    seq: int
    kind: str
    section: str | None
    number: int | None
    sub: str | None
    label: str
    text: str
    masked: str


@dataclass
class _Group:
    rows: list[_Row]
    text: str
    lead: str
    sub_n: int


def _lead(text: str) -> str:
    t = text.strip().lower()
    t = re.sub(r"^(acting under chapter [ivx]+[^,]*,\s*)", "", t)
    return t


def _excluded(lead: str) -> bool:
    return any(lead.startswith(v + " ") or lead.startswith(v + ",") for v in EXCLUDED_LEADS)


class _Resolution:
    """The paragraphs of one resolution, grouped for the scopes."""

    def __init__(self, rows: list[_Row]) -> None:
        self.rows = rows
        self.preamble = [r for r in rows if r.kind == "preambular" and r.section is None]
        self.section_pre: dict[str, list[_Row]] = {}
        for r in rows:
            if r.kind == "preambular" and r.section is not None:
                self.section_pre.setdefault(r.section, []).append(r)
        self.operative = [r for r in rows if r.kind == "operative"]
        groups: dict[tuple, list[_Row]] = {}
        for r in self.operative:
            key = (r.section, r.number) if r.number is not None else ("seq", r.seq)
            groups.setdefault(key, []).append(r)
        self.groups = []
        for g in groups.values():
            intro = next((r for r in g if r.sub is None), g[0])
            self.groups.append(
                _Group(g, " ".join(r.text for r in g), _lead(intro.text), sum(r.sub is not None for r in g))
            )


def _mask_re() -> re.Pattern:
    names = [n for m in mission_rules()["missions"] for n in m["names"] if " " in n]
    return re.compile(name_pattern(sorted(names, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _masker() -> re.Pattern:
    return _mask_re()


def _resolutions(paragraphs: pd.DataFrame, numbers: set[int]) -> dict[int, _Resolution]:
    p = paragraphs[paragraphs["resolution_number"].isin(numbers)]
    mask = _masker()
    out: dict[int, list[_Row]] = {}
    for r in p.itertuples(index=False):
        out.setdefault(int(r.resolution_number), []).append(
            _Row(
                int(r.paragraph_seq),
                str(r.kind),
                None if pd.isna(r.section) else str(r.section),
                None if pd.isna(r.number) else int(r.number),
                None if pd.isna(r.subparagraph) else str(r.subparagraph),
                str(r.label),
                str(r.text),
                mask.sub("<MISSION>", str(r.text)),
            )
        )
    return {n: _Resolution(rows) for n, rows in out.items()}


@dataclass
class _Hit:
    value: object
    rule: Rule
    rows: list[tuple[_Row, re.Match]]


def _mission_names(mission: str) -> tuple[str, ...]:
    ms = {m["id"]: m for m in mission_rules()["missions"]}
    names = list(ms[mission]["names"])
    parent = ms[mission].get("component_of")
    if parent:
        names += ms[parent]["names"]
    return tuple(names)


class _Coder:
    def __init__(self, res: _Resolution, mission: str, single: bool) -> None:
        self.res = res
        names = _mission_names(mission)
        self.mpat = name_pattern(names + (GENERIC_NAMES if single else ()))
        self.mre = re.compile(self.mpat)
        self.groups = [g for g in res.groups if self.mre.search(g.text)]
        full_re = _compiled(FULL_INTRO.replace("{m}", self.mpat), re.IGNORECASE)
        self.full = any(
            g.sub_n >= 3 and full_re.search(g.rows[0].text) and not PARTIAL_INTRO.search(g.rows[0].text)
            for g in self.groups
        )
        self.terminates = any(TERMINATES.search(g.text) for g in self.groups)

    def scope_rows(self, scope: str, concept: str) -> list[_Row]:
        if scope == "preamble":
            return self.res.preamble
        if scope == "section_preamble":
            named = {r.section for g in self.groups for r in g.rows if r.section is not None}
            return [r for s, rows in self.res.section_pre.items() if s in named for r in rows]
        if scope == "operative":
            return self.res.operative
        if scope in ("mission_paragraph", "partner_paragraph"):
            gs = self.groups
            if concept in TASK_CONCEPTS:
                gs = [g for g in gs if not _excluded(g.lead)]
            return [r for g in gs for r in g.rows]
        raise ValueError(scope)

    def match(self, rule: Rule, concept: str, fpat: str | None = None) -> list[tuple[_Row, re.Match]]:
        pat = rule.pattern.replace("{m}", self.mpat)
        if fpat is not None:
            pat = pat.replace("{f}", fpat)
        rx = _compiled(pat, re.IGNORECASE)
        ex = _compiled(rule.exclude, re.IGNORECASE) if rule.exclude else None
        fre = _compiled(fpat) if fpat is not None else None
        hits = []
        for r in self.scope_rows(rule.scope, concept):
            text = r.masked if "{m}" not in rule.pattern else r.text
            if fre is not None and not fre.search(r.text):
                continue
            m = rx.search(text)
            if m and not (ex and ex.search(text[max(0, m.start() - 60) : m.end() + 60])):
                hits.append((r, m))
        return hits


def code_resolution(res: _Resolution, mission: str, role: str, single: bool) -> tuple[dict, list[dict]]:
    """Concept values found in one resolution for one mission (None = not found), and relations."""
    c = _Coder(res, mission, single)
    found: dict[str, _Hit | None] = {}
    for concept in BOOLEAN_CONCEPTS:
        found[concept] = None
        for rule in (r for r in rules() if r.concept == concept):
            hits = c.match(rule, concept)
            if hits:
                found[concept] = _Hit(True, rule, hits)
                break
    ch7_anywhere = any(re.search(r"(?i)acting under chapter vii\b", r.text) for r in res.rows)
    relations = []
    scope_text = "\n".join(r.text for g in c.groups for r in g.rows)
    for m in mission_rules()["missions"]:
        if m["kind"] != "parallel":
            continue
        fpat = name_pattern(m["names"])
        if not _compiled(fpat).search(scope_text):
            continue
        for rule in (r for r in rules() if r.concept == "partnership"):
            hits = c.match(rule, "partnership", fpat)
            if hits:
                relations.append(
                    {
                        "partner_id": m["id"],
                        "org_type": m.get("org_type"),
                        "relation": rule.value,
                        "rule": rule,
                        "hits": hits,
                    }
                )
    full = role == "establishes" or (role == "ends" and c.terminates) or c.full
    return {"found": found, "full": full, "ch7_anywhere": ch7_anywhere}, relations


def _evidence(n: int, hits: list[tuple[_Row, re.Match]]) -> dict:
    r, m = hits[0]
    return {
        "evidence_resolution_number": n,
        "evidence_paragraph_seq": r.seq,
        "evidence_label": r.label,
        "evidence_quote": quote(r.text, *_span(r, m)),
        "evidence_paragraphs_n": len({h[0].seq for h in hits}),
        "evidence_labels": "; ".join(dict.fromkeys(h[0].label for h in hits)),
    }


def _span(r: _Row, m: re.Match) -> tuple[int, int]:
    # the match may be in the masked text: find the same words in the original where possible
    if r.masked == r.text:
        return m.start(), m.end()
    i = r.text.find(m.group(0))
    return (i, i + len(m.group(0))) if i >= 0 else (0, min(len(r.text), QUOTE_MAX))


def code_mandates(
    mission_resolutions: pd.DataFrame,
    paragraphs: pd.DataFrame,
    resolutions: pd.DataFrame | None = None,
    ceilings: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Code every UN PKO mandate resolution (see the module docstring).

    Parameters
    ----------
    mission_resolutions
        ``sc_mission_resolutions``.
    paragraphs
        ``sc_paragraphs``.
    resolutions
        ``sc_resolutions`` (adoption dates of resolutions outside the mission map that state a
        ceiling); optional.
    ceilings
        ``sc_ceilings``; read from ``paragraphs`` when not given.

    Returns
    -------
    (codings, partnerships)
        ``sc_mandate_codings`` and ``sc_mandate_partnerships`` frames.
    """
    if ceilings is None:
        ceilings = mandate_ceilings.ceiling_statements(paragraphs, mission_resolutions, resolutions)
    mr = mission_resolutions[mission_resolutions["is_mandate_resolution"].astype(bool)].copy()
    mr = mr.sort_values(["mission_id", "adoption_date", "resolution_number"])
    per_res = mr.groupby("resolution_number")["mission_id"].nunique()
    have_text = set(paragraphs["resolution_number"].astype(int))
    parsed = _resolutions(paragraphs, set(mr["resolution_number"].astype(int)))
    rows: list[dict] = []
    prows: list[dict] = []
    for mission, g in mr.groupby("mission_id", sort=True):
        prev: dict[str, dict] = {}
        prev_rel: dict[tuple[str, str], dict] = {}
        for r in g.itertuples(index=False):
            n = int(r.resolution_number)
            base = {
                "resolution_number": n,
                "mission_id_un": mission,
                "role": r.role,
                "adoption_date": r.adoption_date,
            }
            if n not in have_text:
                for concept in (*BOOLEAN_CONCEPTS, *PARTNER_CONCEPTS):
                    rows.append(
                        {
                            **base,
                            "concept": concept,
                            "decision": "undecided",
                            "value": pd.NA,
                            "value_n": pd.NA,
                            "reason": "no English text upstream",
                        }
                    )
                prev, prev_rel = {}, {}
                continue
            info, relations = code_resolution(parsed[n], mission, r.role, single=per_res[n] == 1)
            found, full = info["found"], info["full"]
            cur: dict[str, dict] = {}
            for concept in BOOLEAN_CONCEPTS:
                hit = found[concept]
                row = {**base, "concept": concept}
                if hit is not None:
                    row.update(decision="text", rule_id=hit.rule.rule_id, **_evidence(n, hit.rows))
                    row.update(value=True, value_n=pd.NA, reason=hit.rule.note[:200])
                elif concept == "is_chapter_vii" and info["ch7_anywhere"] and (full or not prev):
                    row.update(
                        decision="undecided",
                        value=pd.NA,
                        value_n=pd.NA,
                        reason="'Acting under Chapter VII' only in parts that do not name the mission",
                    )
                elif concept == "is_chapter_vii" and full:
                    row.update(
                        decision="absent",
                        value=False,
                        value_n=pd.NA,
                        reason="no 'Acting under Chapter VII' recital for the mission in a resolution "
                        "that sets out its mandate in full",
                    )
                elif full:
                    row.update(
                        decision="absent",
                        value=False,
                        value_n=pd.NA,
                        reason="the resolution sets out the mandate in full without this language",
                    )
                elif concept in prev and prev[concept]["decision"] != "undecided":
                    p = prev[concept]
                    row.update(
                        {
                            k: p.get(k)
                            for k in (
                                "value",
                                "value_n",
                                "rule_id",
                                "evidence_resolution_number",
                                "evidence_paragraph_seq",
                                "evidence_label",
                                "evidence_quote",
                                "evidence_paragraphs_n",
                                "evidence_labels",
                            )
                        }
                    )
                    row.update(
                        decision="inherited",
                        inherited_from=p["resolution_number"],
                        reason=f"extends/adjusts the mandate without restating it: value of "
                        f"S/RES/{p['resolution_number']}",
                    )
                else:
                    row.update(
                        decision="undecided",
                        value=pd.NA,
                        value_n=pd.NA,
                        reason="extends or adjusts a mandate set before 2000 (no earlier text in the corpus)"
                        if not prev
                        else "earlier value undecided",
                    )
                cur[concept] = row
                rows.append(row)
            # partnerships: relations found, else inherited (extension) or none (full / first)
            rel_now: dict[tuple[str, str], dict] = {}
            for rel in relations:
                key = (rel["partner_id"], rel["relation"])
                if key in rel_now:
                    continue
                rel_now[key] = {
                    **base,
                    "partner_id": rel["partner_id"],
                    "org_type": rel["org_type"],
                    "relation": rel["relation"],
                    "decision": "text",
                    "rule_id": rel["rule"].rule_id,
                    **_evidence(n, rel["hits"]),
                }
            if not full:
                for key, p in prev_rel.items():
                    if key not in rel_now:
                        rel_now[key] = {
                            **p,
                            **base,
                            "decision": "inherited",
                            "inherited_from": p["resolution_number"],
                        }
            prows.extend(rel_now.values())
            for concept in PARTNER_CONCEPTS:
                kind = concept.removeprefix("has_partnership_")
                sel = [
                    v
                    for v in rel_now.values()
                    if concept == "has_partnership_language" or v["org_type"] == kind
                ]
                row = {**base, "concept": concept}
                if sel:
                    txt = [v for v in sel if v["decision"] == "text"]
                    src = (txt or sel)[0]
                    row.update(
                        {
                            k: src.get(k)
                            for k in (
                                "rule_id",
                                "evidence_resolution_number",
                                "evidence_paragraph_seq",
                                "evidence_label",
                                "evidence_quote",
                                "evidence_paragraphs_n",
                                "evidence_labels",
                            )
                        }
                    )
                    row.update(
                        value=True,
                        value_n=pd.NA,
                        decision="text" if txt else "inherited",
                        inherited_from=None if txt else src.get("inherited_from"),
                        reason="; ".join(sorted({f"{v['partner_id']}: {v['relation']}" for v in sel})),
                    )
                elif full or (prev and cur["has_poc_mandate"]["decision"] != "undecided"):
                    row.update(
                        decision="absent",
                        value=False,
                        value_n=pd.NA,
                        reason="no parallel force named with a partnership relation"
                        + ("" if full else " (here or in the mandate it extends)"),
                    )
                else:
                    row.update(
                        decision="undecided",
                        value=pd.NA,
                        value_n=pd.NA,
                        reason="extends or adjusts a mandate set before 2000 (no earlier text in the corpus)",
                    )
                cur[concept] = row
                rows.append(row)
            prev, prev_rel = cur, rel_now
    rows.extend(_ceiling_rows(mr, ceilings))
    cod = pd.DataFrame(rows)
    par = pd.DataFrame(prows)
    return _cast(cod, SCHEMA_CODINGS), _cast(par, SCHEMA_PARTNERSHIPS)


def _ceiling_rows(mr: pd.DataFrame, ceilings: pd.DataFrame) -> list[dict]:
    """Number concepts per mandate resolution: the ceiling in force at the end of its month."""
    months = mandate_ceiling_months.ceilings_in_force(ceilings)
    at = months.set_index(["mission_id_un", "year", "month"])
    key = ["resolution_number", "mission_id_un", "component"]
    ev = ceilings.sort_values("statement_n").drop_duplicates(key).set_index(key)
    out = []
    with_months = set(months["mission_id_un"])  # once: a set per row cost seconds (arrow iteration)
    for r in mr.itertuples(index=False):
        n, mission, d = int(r.resolution_number), str(r.mission_id), r.adoption_date
        if mission not in with_months or pd.isna(d):
            continue
        x = at.loc[(mission, d.year, d.month)]
        for comp, concept in mandate_ceilings.CONCEPT_OF.items():
            value = x[concept]
            res = x[f"evidence_{comp}"]
            row = {"resolution_number": n, "mission_id_un": mission, "role": r.role, "adoption_date": d,
                   "concept": concept, "value": pd.NA, "value_n": value}
            comps = ("military", "police", "combined") if comp == "total" else (comp,)
            own = [k for k in ((n, mission, c) for c in comps) if k in ev.index]
            src = own[0] if own else ((int(res), mission, comp) if pd.notna(res) and comp != "total"
                                      else None)
            if pd.isna(value):
                why = x["reason_military"] if comp != "police" and pd.notna(x["reason_military"]) else x[
                    "reason_police"]
                row.update(decision="undecided", value_n=pd.NA,
                           reason=str(why) if pd.notna(why) else "ceiling unknown")
            elif own:
                row.update(decision="text", reason="ceiling stated (sc_ceilings)")
            else:
                row.update(decision="inherited", inherited_from=None if pd.isna(res) else int(res),
                           reason=f"ceiling in force from S/RES/{int(res)}" if pd.notna(res)
                           else "ceiling in force")
            if src is not None and src in ev.index:
                e = ev.loc[src]
                row.update(rule_id=str(e["rule_ids"]).split(";")[0] if pd.notna(e["rule_ids"]) else None,
                           evidence_resolution_number=src[0], evidence_paragraph_seq=int(e["paragraph_seq"]),
                           evidence_label=e["evidence_label"], evidence_quote=e["evidence_quote"],
                           evidence_paragraphs_n=1, evidence_labels=e["evidence_label"])
            out.append(row)
    return out


def _cast(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    out = df.copy()
    for c, col in schema.columns.items():
        if c not in out.columns:
            out[c] = pd.NA
        t = str(col.dtype)
        if t.startswith("datetime64"):
            out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
        elif t in ("Int64", "Float64"):
            out[c] = pd.to_numeric(out[c].astype(object).where(out[c].notna(), None)).astype(t)
        else:
            out[c] = out[c].astype(object).where(out[c].notna(), None).astype(t)
    return out[list(schema.columns)]


_EVIDENCE_COLS = {
    "rule_id": pa.Column(
        "string",
        nullable=True,
        description="Rule of mandate_rules.csv that decided (or decided the inherited value).",
    ),
    "evidence_resolution_number": pa.Column(
        "Int64",
        nullable=True,
        description="Resolution holding the deciding paragraph (an earlier one for inherited values).",
    ),
    "evidence_paragraph_seq": pa.Column(
        "Int64", nullable=True, description="paragraph_seq of the first deciding paragraph (sc_paragraphs)."
    ),
    "evidence_label": pa.Column("string", nullable=True, description="Its label, e.g. 'op 19(c)'."),
    "evidence_quote": pa.Column(
        "string",
        pa.Check.str_length(max_value=QUOTE_MAX),
        nullable=True,
        description="Quoted span of the deciding paragraph, at most 300 characters. Source: United Nations.",
    ),
    "evidence_paragraphs_n": pa.Column("Int64", nullable=True, description="Paragraphs that matched."),
    "evidence_labels": pa.Column("string", nullable=True, description="Labels of all matching paragraphs."),
    "inherited_from": pa.Column(
        "Int64",
        nullable=True,
        description="Earlier resolution whose value an extension keeps (decision inherited).",
    ),
}

SCHEMA_CODINGS = pa.DataFrameSchema(
    {
        "resolution_number": pa.Column("Int64", description="Mandate resolution."),
        "mission_id_un": field("mission_id_un", description="UN PKO."),
        "concept": pa.Column("string", pa.Check.isin(list(CONCEPTS)), description="Concept coded."),
        "role": pa.Column("string", pa.Check.isin(list(UN_ROLES)), description="Role of the resolution."),
        "adoption_date": pa.Column("datetime64[ns]", nullable=True, description="Adoption date."),
        "value": pa.Column(
            "boolean",
            nullable=True,
            description="Boolean concepts: True/False; NA = undecided (see reason) or a number concept.",
        ),
        "value_n": pa.Column(
            "Float64",
            pa.Check.ge(0),
            nullable=True,
            description="Ceilings: authorised persons in force at the end of the resolution's month "
            "(sc_ceilings; personnel_authorized_n = military + police); NA otherwise or when unknown.",
        ),
        "decision": pa.Column(
            "string",
            pa.Check.isin(list(DECISIONS)),
            description="text, absent, inherited or undecided (module docstring).",
        ),
        "reason": pa.Column("string", nullable=True, description="Why: the rule's note, or why NA/False."),
        **_EVIDENCE_COLS,
    },
    strict=True,
    unique=["resolution_number", "mission_id_un", "concept"],
    name="core.sc_mandate_codings",
)

SCHEMA_PARTNERSHIPS = pa.DataFrameSchema(
    {
        "resolution_number": pa.Column("Int64", description="Mandate resolution of the UN PKO."),
        "mission_id_un": field("mission_id_un", description="UN PKO."),
        "partner_id": pa.Column("string", description="Parallel force (sc_missions.yaml id)."),
        "org_type": pa.Column("string", pa.Check.isin(list(PARTNER_TYPES)), description="Kind of force."),
        "relation": pa.Column(
            "string",
            pa.Check.isin(list(RELATIONS)),
            description="authorised_to_intervene, support_to, information_sharing, coordination.",
        ),
        "role": pa.Column("string", pa.Check.isin(list(UN_ROLES)), description="Role of the resolution."),
        "adoption_date": pa.Column("datetime64[ns]", nullable=True, description="Adoption date."),
        "decision": pa.Column(
            "string", pa.Check.isin(["text", "inherited"]), description="text or inherited."
        ),
        **_EVIDENCE_COLS,
    },
    strict=True,
    unique=["resolution_number", "mission_id_un", "partner_id", "relation"],
    name="core.sc_mandate_partnerships",
)


_CODED: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}


def _coded(deps: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    key = str(
        pd.util.hash_pandas_object(
            deps["sc_mission_resolutions"][["resolution_number", "mission_id", "role"]]
        ).sum()
    ) + str(len(deps["sc_ceilings"])) + str(pd.util.hash_pandas_object(deps["sc_ceilings"].astype(str)).sum())
    if key not in _CODED:
        _CODED.clear()
        _CODED[key] = code_mandates(deps["sc_mission_resolutions"], deps["sc_paragraphs"],
                                    ceilings=deps["sc_ceilings"])
    return _CODED[key]


@table(
    "sc_mandate_codings",
    primary_key=("resolution_number", "mission_id_un", "concept"),
    unit="mandate resolution x UN PKO x concept",
    coverage="2000-2025",
    sources=(),
    schema=SCHEMA_CODINGS,
    depends=("sc_mission_resolutions", "sc_paragraphs", "sc_ceilings"),
)
def build_sc_mandate_codings(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Each UN PKO mandate resolution coded for Chapter VII, protection of civilians, use of
    force, offensive tasks, CT/PVE language, stabilisation, partnership (any and by kind of
    force) and authorised ceilings, with the deciding paragraph (rules: mandate_rules.csv)."""
    return _coded(deps)[0]


@table(
    "sc_mandate_partnerships",
    primary_key=("resolution_number", "mission_id_un", "partner_id", "relation"),
    unit="mandate resolution x UN PKO x parallel force x relation",
    coverage="2000-2025",
    sources=(),
    schema=SCHEMA_PARTNERSHIPS,
    depends=("sc_mission_resolutions", "sc_paragraphs", "sc_ceilings"),
)
def build_sc_mandate_partnerships(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Partnership relations the Council sets between a UN PKO and each named parallel force,
    with evidence (support to, coordination, information sharing, authorised to intervene)."""
    return _coded(deps)[1]
