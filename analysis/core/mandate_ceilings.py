"""Authorised ceilings in the Security Council's texts: the statements table ``sc_ceilings``.

What a resolution decides about a UN PKO's military and police ceilings is read paragraph by
paragraph into **statements** - one row each: the component (military, police, or both together),
the operation (the ceiling itself, an increase or decrease by a number, an extension of temporary
increases, or "unknown" for units of unstated size), when it takes effect and until when, and the
paragraph with a quote. Every resolution of 2000-2025 counts, not only the mission's mandate
resolutions (S/RES/1445, which expands MONUC to 8,700 military personnel, renews no mandate).

* How a paragraph is read (segments, components, parts, changes, dates, conditions):
  :mod:`analysis.core.mandate_ceiling_text`, with the wording in ``mandate_rules.csv`` (concept
  ``ceiling``, scopes ``ceiling_*``).
* The ceiling in force at the end of each month, from all statements taken effect (temporary
  increases, scheduled drawdowns and their cancellation, unknown components, the total):
  :mod:`analysis.core.mandate_ceiling_months`; ``sc_mandates_monthly`` and the mission panels take
  it from there, ``sc_mandate_codings`` reports the value at the end of each mandate resolution's
  month.
* A mission whose mandate lacks a component (``ceiling_components`` in ``sc_missions.yaml``,
  with a ``ceiling_note`` citing the text) counts 0 for it: UNIFIL, UNMEE and UNSMIS have no
  police component, MINUJUSTH no military one.

Nothing is invented: a ceiling never stated in 2000-2025, or changed from such a level, is NA,
and so is the total unless both components are known.

Source: United Nations (texts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache

import pandas as pd
import pandera.pandas as pa

from analysis.core.mandate_ceiling_text import (
    _MANDATE_PERIOD,
    _MANDATE_UNTIL,
    COMPONENTS,
    OPERATIONS,
    _dates,
    _first,
    _rules,
    decides_at_end,
    read_paragraph,
)
from analysis.core.mandate_rules import QUOTE_MAX, quote
from analysis.core.resolutions import may_name, mission_rules, name_pattern
from analysis.data.fields import field as shared_field
from analysis.data.tables import table

#: Concept names of ``sc_mandate_codings`` / ``sc_mandates_monthly`` per component.
CONCEPT_OF = {
    "military": "personnel_military_authorized_n",
    "police": "personnel_police_authorized_n",
    "total": "personnel_authorized_n",
}
BASIS = (
    "text (military+police)",
    "text (military; no police component)",
    "text (police; no military component)",
)


# ------------------------------------------------------------------------------ the corpus
def _components(mission: dict) -> tuple[str, ...]:
    comps = tuple(mission.get("ceiling_components", ("military", "police")))
    if not set(comps) <= {"military", "police"} or (len(comps) < 2 and not mission.get("ceiling_note")):
        raise ValueError(
            f"sc_missions.yaml: {mission['id']}: ceiling_components must be military and/or "
            "police, with a ceiling_note saying why a component is absent"
        )
    return comps


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[str, ...]]:
    """Each mission's and force's names (a component, IPTF, also answers to its mission's names)."""
    ms = {m["id"]: m for m in mission_rules()["missions"]}
    return {
        k: tuple(m["names"]) + (tuple(ms[m["component_of"]]["names"]) if m.get("component_of") else ())
        for k, m in ms.items()
    }


@cache
def _regexes(mission: str, single: bool) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Names of the mission (generic ones when the resolution is about it alone), of the other UN
    PKOs, and of the parallel forces."""
    names = _names()
    kinds = {m["id"]: m["kind"] for m in mission_rules()["missions"]}
    own = names[mission] + (("the Mission", "the Force", "the Operation") if single else ())
    related = {k for k, v in names.items() if set(v) & set(names[mission])}
    pkos = [n for k, v in names.items() if k not in related and kinds[k] == "un_pko" for n in v]
    forces = [n for k, v in names.items() if kinds[k] != "un_pko" for n in v]
    return re.compile(name_pattern(own)), re.compile(name_pattern(pkos)), re.compile(name_pattern(forces))


def _mandate_until(texts: list[str]) -> pd.Timestamp | None:
    """The date a resolution extends a mandate to ("Decides to extend until 30 June 2019 the mandate")."""
    for t in texts:
        if _MANDATE_UNTIL.search(t):
            masked, dates = _dates(t)
            for m in re.finditer(r"@D(\d+)@", masked):
                if re.search(r"(?i)\buntil\s+$", masked[: m.start()]):
                    return dates[int(m.group(1))][2]
    return None


@cache
def _name_re(mission: str) -> re.Pattern:
    return re.compile(name_pattern(_names()[mission]))


def _candidate(text: str) -> bool:
    """A paragraph that may state a ceiling (a number and ceiling wording) or extend one."""
    return (bool(re.search(r"\d", text)) and _first("ceiling_context", text) is not None) or any(
        r.value == "extend" and r.rx.search(text) for r in _rules().get("ceiling_segment", ())
    )


def ceiling_statements(
    paragraphs: pd.DataFrame, mission_resolutions: pd.DataFrame, resolutions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """``sc_ceilings``: every ceiling statement of every UN PKO (module docstring), with evidence.

    Parameters
    ----------
    paragraphs
        ``sc_paragraphs``.
    mission_resolutions
        ``sc_mission_resolutions`` (which UN PKOs a resolution is about; dates when ``resolutions``
        is not given).
    resolutions
        ``sc_resolutions`` (adoption dates of resolutions outside the mission map, e.g. S/RES/1445
        that expands MONUC); optional.
    """
    pko = [m["id"] for m in mission_rules()["missions"] if m["kind"] == "un_pko"]
    mr = mission_resolutions[mission_resolutions["mission_id"].isin(pko)]
    dated = resolutions if resolutions is not None else mission_resolutions
    adopted = dated.dropna(subset=["adoption_date"]).groupby("resolution_number")["adoption_date"].first()
    about: dict[int, frozenset] = {
        int(k): frozenset(v) for k, v in mr.groupby("resolution_number")["mission_id"]
    }
    op = paragraphs[(paragraphs["kind"] == "operative") & paragraphs["resolution_number"].isin(adopted.index)]
    op = op.sort_values(["resolution_number", "paragraph_seq"])
    # paragraphs grouped with their sub-paragraphs, as plain tuples (fast)
    groups: dict[int, list[list[tuple]]] = {}
    last_key: tuple | None = None
    for n, seq, sec, num, label, text in zip(
        op["resolution_number"], op["paragraph_seq"], op["section"], op["number"], op["label"], op["text"]
    ):
        key = (int(n), ("seq", int(seq)) if pd.isna(num) else (None if pd.isna(sec) else str(sec), int(num)))
        row = (int(seq), str(label), str(text))
        if key == last_key:
            groups[int(n)][-1].append(row)
        else:
            groups.setdefault(int(n), []).append([row])
        last_key = key
    rows: list[dict] = []
    for n in sorted(groups):
        cand = [g for g in groups[n] if any(_candidate(t) for _, _, t in g)]
        if not cand:
            continue
        texts = [" ".join(t for _, _, t in g) for g in cand]
        names = _names()  # the substring pre-check skips most regex scans (same result, seconds faster)
        named = {k for k in pko for t in texts if may_name(names[k], t) and _name_re(k).search(t)}
        missions = sorted(set(about.get(n, frozenset())) | named)
        until: pd.Timestamp | None = None
        for mission in missions:
            single = about.get(n, frozenset()) == frozenset({mission})
            mine, other, forces = _regexes(mission, single)
            k = 0
            for g, t in zip(cand, texts):
                if not (mine.search(t) or (single and not other.search(t) and not forces.search(t))):
                    continue
                if until is None and _MANDATE_PERIOD.search(t):
                    until = _mandate_until([x for grp in groups[n] for _, _, x in grp])
                decided = len(g) > 1 and decides_at_end(g[0][2])
                for i, (seq, label, text) in enumerate(g):
                    for st in read_paragraph(
                        text,
                        adopted[n],
                        decided=decided and i > 0,
                        mandate_until=until,
                        mission_re=mine,
                        other_re=other,
                        forces_re=forces,
                    ):
                        k += 1
                        rows.append(
                            {
                                "resolution_number": n,
                                "mission_id_un": mission,
                                "statement_n": k,
                                "adoption_date": adopted[n],
                                "paragraph_seq": seq,
                                "evidence_label": label,
                                "component": st.component,
                                "operation": st.operation,
                                "value_n": st.value_n,
                                "old_n": st.old_n,
                                "effective_date": st.effective if st.effective is not None else adopted[n],
                                "until_date": st.until,
                                "is_temporary": st.is_temporary,
                                "is_conditional": st.is_conditional,
                                "extends_resolutions": "; ".join(map(str, st.extends)) or None,
                                "rule_ids": st.rule_ids or None,
                                "evidence_quote": quote(text, st.start, st.end),
                                "cancelled_by": _met(
                                    st.condition, mission, n, st.effective, groups, about, adopted
                                ),
                            }
                        )
    out = pd.DataFrame(rows, columns=list(SCHEMA_CEILINGS.columns))
    return _cast(out)


def _met(
    condition: str | None,
    mission: str,
    n: int,
    effective: pd.Timestamp | None,
    groups: dict[int, list[list[tuple]]],
    about: dict[int, frozenset],
    adopted: pd.Series,
) -> int | None:
    """The first later resolution on ``mission``, adopted by ``effective``, that does what the
    condition of an "unless" statement names (its own "unless" clauses aside)."""
    if condition is None or effective is None:
        return None
    rx = re.compile(condition)
    d0 = adopted[n]
    for k in sorted(groups):
        if k == n or not (d0 < adopted[k] <= effective):
            continue
        text = " ".join(t for g in groups[k] for _, _, t in g)
        if mission not in about.get(k, frozenset()) and not _name_re(mission).search(text):
            continue
        if rx.search(re.sub(r"(?i)\bunless\b[^;]*", "", text)):
            return k
    return None


def _cast(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c, col in SCHEMA_CEILINGS.columns.items():
        t = str(col.dtype)
        if t.startswith("datetime64"):
            out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
        elif t in ("Int64", "Float64"):
            out[c] = pd.to_numeric(out[c].astype(object).where(out[c].notna(), None)).astype(t)
        else:
            out[c] = out[c].astype(object).where(out[c].notna(), None).astype(t)
    return out.reset_index(drop=True)


SCHEMA_CEILINGS = pa.DataFrameSchema(
    {
        "resolution_number": pa.Column("Int64", description="Resolution that states the ceiling."),
        "mission_id_un": shared_field("mission_id_un", description="UN PKO."),
        "statement_n": pa.Column(
            "Int64", pa.Check.ge(1), description="Order of the statement in the resolution."
        ),
        "adoption_date": pa.Column("datetime64[ns]", description="Adoption date of the resolution."),
        "paragraph_seq": pa.Column("Int64", description="paragraph_seq of the paragraph (sc_paragraphs)."),
        "evidence_label": pa.Column("string", description="Its label, e.g. 'op 12'."),
        "component": pa.Column(
            "string",
            pa.Check.isin(list(COMPONENTS)),
            description="military, police, or combined (all uniformed personnel, split not stated).",
        ),
        "operation": pa.Column(
            "string",
            pa.Check.isin(list(OPERATIONS)),
            description="set (the ceiling), increase / decrease (a change by value_n), extend (prolongs "
            "temporary increases of extends_resolutions), unknown (units of unstated size).",
        ),
        "value_n": pa.Column(
            "Float64",
            pa.Check.ge(0),
            nullable=True,
            description="Persons: the ceiling (set) or the size of the change; NA for unknown and for an "
            "extension that states no number.",
        ),
        "old_n": pa.Column(
            "Float64",
            pa.Check.ge(0),
            nullable=True,
            description="The level being changed as the text states it ('from 5,437 to 4,000'): a check of "
            "the ceiling computed in force before.",
        ),
        "effective_date": pa.Column(
            "datetime64[ns]",
            description="When the statement takes effect: adoption, or the date the text gives.",
        ),
        "until_date": pa.Column(
            "datetime64[ns]", nullable=True, description="End of a temporary increase (NA: until restated)."
        ),
        "is_temporary": pa.Column("boolean", description="A temporary increase."),
        "is_conditional": pa.Column(
            "boolean",
            description="Scheduled 'unless' the Council decides otherwise (cancelled by a later "
            "resolution on the mission adopted by its effective date).",
        ),
        "extends_resolutions": pa.Column(
            "string",
            nullable=True,
            description="Resolutions whose temporary increases an extension prolongs.",
        ),
        "rule_ids": pa.Column(
            "string", nullable=True, description="Rules of mandate_rules.csv that decided."
        ),
        "evidence_quote": pa.Column(
            "string",
            pa.Check.str_length(max_value=QUOTE_MAX),
            description="Quoted span of the paragraph, at most 300 characters. Source: United Nations.",
        ),
        "cancelled_by": pa.Column(
            "Int64",
            nullable=True,
            description="A conditional statement's cancelling resolution: adopted by its effective date, "
            "it does what the condition names ('unless it decides to extend the mandate modification').",
        ),
    },
    strict=True,
    unique=["resolution_number", "mission_id_un", "statement_n"],
    name="core.sc_ceilings",
)


@table(
    "sc_ceilings",
    primary_key=("resolution_number", "mission_id_un", "statement_n"),
    unit="ceiling statement (resolution x UN PKO x statement)",
    coverage="2000-2025",
    sources=(),
    schema=SCHEMA_CEILINGS,
    depends=("sc_resolutions", "sc_paragraphs", "sc_mission_resolutions"),
)
def build_sc_ceilings(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """What each resolution decides about a UN PKO's authorised military and police ceilings
    (set, increase, decrease, temporary, extension), when it takes effect, with the paragraph."""
    return ceiling_statements(deps["sc_paragraphs"], deps["sc_mission_resolutions"], deps["sc_resolutions"])


# the gold set of ceiling decisions declares its curated file's keys on import
from analysis.core import mandate_ceiling_gold as _gold  # noqa: E402,F401
