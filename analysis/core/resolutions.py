"""Mandates in the Security Council's own words: resolutions, paragraphs, mission map, codings.

Core tables (``analysis.data.load(name)``)
-----------------------------------------
``sc_resolutions``
    One row per resolution S/RES/1285-2811 (2000-2025): number, symbol, adoption date, title,
    agenda item, metadata Chapter VII flag, votes, whether text / metadata exist
    (:mod:`analysis.sources.unsc_resolutions_unxml`), plus ``is_chapter_vii_text`` (the recital
    "Acting under Chapter VII" anywhere in the text).
``sc_paragraphs``
    One row per paragraph or sub-paragraph (PK ``resolution_number, paragraph_seq``) with kind
    (formula / preambular / operative / heading / annex / other), operative number,
    sub-paragraph, a readable ``label`` ("op 19(c)", "pre 12") and the whitespace-collapsed text.
``sc_mission_resolutions``
    Which resolution speaks for which mission, with a ``role``: for UN peacekeeping operations
    ``establishes``, ``renews``, ``modifies``, ``ends``; for the parallel forces of the
    partnership story (AMISOM/ATMIS/AUSSOM, AMIS, AFISMA, MISCA, ECOWAS forces, SAMIDRC, the
    G5 Sahel Joint Force, the MNJTF, French forces, EU operations) ``establishes``,
    ``authorises``, ``renews_authorisation``, ``supports``, ``welcomes``. The rules and every
    exception live in ONE file, ``analysis/core/sc_missions.yaml``:

    1. a mission is named in a resolution by its acronym or full name (``names``), matched in
       the metadata title (after "UN " -> "United Nations ") or in an operative paragraph;
    2. the role is read from the title when the title names the mission (``role_rules.*.title``,
       first match wins), else from an operative paragraph that names it
       (``role_rules.*.text``); a mission named only elsewhere (preamble, a passing mention)
       gets no row;
    3. ``exceptions`` override or drop (resolution, mission) pairs, each with its reason;
    4. a component (IPTF) takes its mission's (UNMIBH) resolutions.

``sc_mandate_codings``
    For each mandate resolution (roles ``establishes``/``renews``/``modifies``/``ends``) x UN
    PKO x concept: the value, how it was decided and the deciding paragraph(s) (resolution,
    paragraph, label and a quoted span of at most 300 characters). See
    :mod:`analysis.core.mandate_coding` for the rules (``analysis/core/mandate_rules.csv``).
``sc_mandate_partnerships``
    The partnership relations the Council sets between a UN PKO and each named parallel force
    (support to, coordination, information sharing, authorised to intervene), with evidence.
``sc_mandates_monthly``
    Mandate in force by UN PKO x month x concept (2000-01 to 2025-12): the value of the latest
    mandate resolution adopted by the end of the month (ties by resolution number), its
    governing resolution and the value's source; TAMM/PEMA where the governing resolution
    predates 2000 (see :func:`mandates_in_force`).

Validation (functions that take frames and return frames; notebooks call them)
------------------------------------------------------------------------------
:func:`agreement_table` (text vs TAMM/PEMA by mission-month: agreement, Cohen's kappa),
:func:`metadata_chapter_vii_agreement` and :func:`classify_chapter_vii_disagreements` (text vs
the metadata flag by resolution), :func:`curated_check` (the curated 2016-2024 table's
resolution numbers and codings against the text), :func:`classify_disagreements`
(mission-month disagreements with TAMM/PEMA by class), :func:`gold_scores` (precision and
recall per concept on the hand-checked gold set ``data/curated/mandate_coding_gold.csv``).

Source: United Nations (the UN asks to be acknowledged as the source of the texts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data.fields import field
from analysis.data.tables import table
from analysis.data.yamlsafe import load_yaml
from analysis.sources import unsc_resolutions_unxml as unxml

MISSIONS_FILE = Path(__file__).with_name("sc_missions.yaml")
SOURCE = unxml.SOURCE
UN_ROLES = ("establishes", "renews", "modifies", "ends")
PARALLEL_ROLES = ("establishes", "authorises", "renews_authorisation", "supports", "welcomes")
ROLES = tuple(dict.fromkeys((*UN_ROLES, *PARALLEL_ROLES)))
#: Years of the text corpus.
TEXT_YEARS = (2000, 2025)


# ------------------------------------------------------------------------------ mission rules
@lru_cache(maxsize=1)
def mission_rules() -> dict:
    """``sc_missions.yaml`` parsed: ``missions`` (list of dicts), ``role_rules``, ``exceptions``."""
    with open(MISSIONS_FILE, encoding="utf-8") as fh:
        rules = load_yaml(fh)
    ids = [m["id"] for m in rules["missions"]]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{MISSIONS_FILE}: duplicate mission ids")
    for e in rules["exceptions"]:
        if e["mission"] not in ids or not e.get("reason"):
            raise ValueError(f"{MISSIONS_FILE}: exception {e} names an unknown mission or lacks a reason")
    return rules


def missions_frame() -> pd.DataFrame:
    """The missions of ``sc_missions.yaml`` as a frame (id, kind, org_type, names, ...)."""
    rows = []
    for m in mission_rules()["missions"]:
        rows.append(
            {
                "mission_id": m["id"],
                "kind": m["kind"],
                "org_type": m.get("org_type"),
                "component_of": m.get("component_of"),
                "is_never_renewed": bool(m.get("never_renewed")),
                "governing_resolution": m.get("governing_resolution"),
                "names": tuple(m["names"]),
            }
        )
    return pd.DataFrame(rows)


def name_pattern(names: tuple[str, ...] | list[str]) -> str:
    """One regular expression matching any of ``names`` as whole words."""
    return r"(?<![\w-])(?:" + "|".join(f"(?:{n})" for n in names) + r")(?![\w-])"


@cache
def _name_re(names: tuple[str, ...]) -> re.Pattern:
    return re.compile(name_pattern(names))


@cache
def literals(names: tuple[str, ...]) -> tuple[str, ...]:
    """For each name pattern its longest plain word: a fast substring pre-check before the regex."""
    out = []
    for n in names:
        words = re.findall(r"[A-Za-z][A-Za-z0-9]+", re.sub(r"\(\?[^)]*\)|\[[^]]*\]", " ", n))
        rare = [w for w in words if w not in _COMMON_WORDS] or words
        out.append(max(rare, key=len) if rare else "")
    return tuple(out)


_COMMON_WORDS = frozenset(
    {
        "United",
        "Nations",
        "Mission",
        "Force",
        "Forces",
        "Operation",
        "Organization",
        "African",
        "Union",
        "Integrated",
        "Multidimensional",
        "Stabilization",
        "International",
        "Support",
        "Republic",
        "the",
        "Interim",
        "Observer",
        "European",
        "Group",
        "Joint",
        "Peacekeeping",
        "Democratic",
        "Central",
    }
)


def may_name(names: tuple[str, ...], text: str) -> bool:
    """False when no name of ``names`` can occur in ``text`` (substring pre-check)."""
    return any(lit in text for lit in literals(names))


@cache
def _compiled(pattern: str, flags: int = 0) -> re.Pattern:
    return re.compile(pattern, flags)


def _title_text(title: str | None) -> str:
    return re.sub(r"\bUN\b", "United Nations", title or "")


def _title_body(title: str) -> str:
    """The bracketed description of a metadata title ('[on extension of ...]')."""
    m = re.search(r"\[(.*)\]", title)
    return m.group(1) if m else title


def mission_resolutions_from(resolutions: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Build ``sc_mission_resolutions`` from the resolutions and paragraphs (rules in the module
    docstring and ``sc_missions.yaml``)."""
    rules = mission_rules()
    missions = rules["missions"]
    role_rules = rules["role_rules"]
    op = paragraphs[paragraphs["kind"] == "operative"]
    op_text = op.groupby("resolution_number")["text"].apply(list).to_dict()
    joined = {n: "\n".join(t) for n, t in op_text.items()}
    rows: dict[tuple[int, str], dict] = {}
    for r in resolutions.itertuples(index=False):
        n = int(r.resolution_number)
        title = _title_text(r.title if pd.notna(r.title) else None)
        body = _title_body(title)
        texts = op_text.get(n, [])
        for m in missions:
            if m.get("component_of"):
                continue
            names = tuple(m["names"])
            in_title = bool(body) and may_name(names, body)
            in_text = bool(texts) and may_name(names, joined[n])
            if not (in_title or in_text):
                continue
            nre = _name_re(names)
            kind_rules = role_rules[m["kind"]]
            role, basis = None, None
            if in_title and nre.search(body):
                mpat = name_pattern(m["names"])
                for rr in kind_rules["title"]:
                    if _compiled(rr["pattern"].replace("{m}", mpat), re.IGNORECASE).search(body):
                        role, basis = rr["role"], "title"
                        break
            if role is None and in_text and nre.search(joined[n]):
                mpat = name_pattern(m["names"])
                named = [t for t in texts if nre.search(t)]
                for rr in kind_rules["text"]:
                    pat = _compiled(rr["pattern"].replace("{m}", mpat))
                    hit = next((t for t in named if pat.search(t)), None)
                    if hit is not None:
                        role, basis = rr["role"], "text"
                        break
            if role is not None:
                rows[(n, m["id"])] = {
                    "resolution_number": n,
                    "mission_id": m["id"],
                    "role": role,
                    "role_basis": basis,
                    "exception_reason": None,
                }
    for e in rules["exceptions"]:
        key = (int(e["resolution"]), e["mission"])
        if e["role"] == "drop":
            rows.pop(key, None)
        else:
            rows[key] = {
                "resolution_number": key[0],
                "mission_id": key[1],
                "role": e["role"],
                "role_basis": "exception",
                "exception_reason": e["reason"],
            }
    # components take their mission's resolutions
    for m in missions:
        parent = m.get("component_of")
        if parent:
            for (n, mid), row in list(rows.items()):
                if mid == parent:
                    rows[(n, m["id"])] = {
                        **row,
                        "mission_id": m["id"],
                        "role_basis": f"component of {parent}",
                    }
    out = pd.DataFrame(
        list(rows.values()),
        columns=["resolution_number", "mission_id", "role", "role_basis", "exception_reason"],
    )
    kinds = {m["id"]: (m["kind"], m.get("org_type")) for m in missions}
    out["mission_kind"] = out["mission_id"].map(lambda x: kinds[x][0])
    out["org_type"] = out["mission_id"].map(lambda x: kinds[x][1])
    res = resolutions.set_index("resolution_number")
    out["adoption_date"] = out["resolution_number"].map(res["adoption_date"])
    out["resolution_id_un"] = "S/RES/" + out["resolution_number"].astype(str)
    out["is_mandate_resolution"] = (out["mission_kind"] == "un_pko") & out["role"].isin(UN_ROLES)
    out = out.sort_values(["mission_id", "adoption_date", "resolution_number"]).reset_index(drop=True)
    out["mission_id_un"] = out["mission_id"].where(out["mission_kind"] == "un_pko")
    return _cast(out, SCHEMA_MISSION_RESOLUTIONS)


def _cast(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    out = df.copy()
    for c, col in schema.columns.items():
        if c not in out.columns:
            out[c] = pd.NA
        t = str(col.dtype)
        if t.startswith("datetime64"):
            out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
        else:
            out[c] = out[c].astype(t)
    return out[list(schema.columns)]


# ----------------------------------------------------------------------------------- schemas
def _paragraph_label(df: pd.DataFrame) -> pd.Series:
    pre_n = df.groupby("resolution_number").cumcount() + 1  # placeholder, replaced below
    labels = []
    counters: dict[tuple[int, str], int] = {}
    for n, kind, num, sub in zip(df["resolution_number"], df["kind"], df["number"], df["subparagraph"]):
        if kind == "operative" and pd.notna(num):
            lab = f"op {int(num)}" + (f"({sub})" if pd.notna(sub) else "")
        else:
            k = (int(n), str(kind))
            counters[k] = counters.get(k, 0) + 1
            lab = {
                "preambular": "pre",
                "operative": "op",
                "formula": "formula",
                "heading": "heading",
                "annex": "annex",
                "other": "other",
            }[str(kind)] + f" #{counters[k]}"
            if kind == "operative" and pd.notna(sub):
                lab += f"({sub})"
        labels.append(lab)
    del pre_n
    return pd.Series(labels, index=df.index, dtype="string")


SCHEMA_SC_RESOLUTIONS = pa.DataFrameSchema(
    {
        **unxml.SCHEMA_RESOLUTIONS.columns,
        "is_chapter_vii_text": pa.Column(
            "boolean",
            nullable=True,
            description="The recital 'Acting under Chapter VII' appears anywhere in "
            "the text (preamble, section or operative paragraph); NA "
            "without English text.",
        ),
    },
    strict=True,
    unique=["resolution_number"],
    name="core.sc_resolutions",
)

SCHEMA_SC_PARAGRAPHS = pa.DataFrameSchema(
    {
        **unxml.SCHEMA_PARAGRAPHS.columns,
        "label": pa.Column(
            "string",
            description="Readable id: 'op 19(c)' (operative number and sub-paragraph), "
            "'pre #12' (12th preambular paragraph), 'heading #3'.",
        ),
    },
    strict=True,
    unique=["resolution_number", "paragraph_seq"],
    name="core.sc_paragraphs",
)

SCHEMA_MISSION_RESOLUTIONS = pa.DataFrameSchema(
    {
        "resolution_number": pa.Column("Int64", description="Resolution number."),
        "mission_id": pa.Column(
            "string",
            description="Mission id: mission_id_un for UN PKOs; our id for "
            "parallel forces (AMISOM, FC_G5S, FRENCH_FORCES, ...).",
        ),
        "role": pa.Column(
            "string",
            pa.Check.isin(list(ROLES)),
            description="establishes / renews / modifies / ends (UN PKOs); establishes / "
            "authorises / renews_authorisation / supports / welcomes (parallel "
            "forces).",
        ),
        "role_basis": pa.Column("string", description="title, text, exception or 'component of <mission>'."),
        "exception_reason": pa.Column(
            "string", nullable=True, description="Reason of the exception (sc_missions.yaml), if any."
        ),
        "mission_kind": pa.Column(
            "string", pa.Check.isin(["un_pko", "parallel"]), description="un_pko or parallel."
        ),
        "org_type": pa.Column(
            "string",
            nullable=True,
            description="Parallel forces: regional, ad_hoc, bilateral, eu (as in the curated "
            "partner operations); NA for UN PKOs.",
        ),
        "adoption_date": pa.Column("datetime64[ns]", nullable=True, description="Adoption date."),
        "resolution_id_un": pa.Column("string", description="'S/RES/<n>'."),
        "is_mandate_resolution": pa.Column(
            "boolean",
            description="A UN PKO's establish/renew/modify/end resolution (these govern the mandate).",
        ),
        "mission_id_un": field(
            "mission_id_un",
            nullable=True,
            description="mission_id for UN PKOs, else NA.",
        ),
    },
    strict=True,
    unique=["resolution_number", "mission_id"],
    name="core.sc_mission_resolutions",
)


# ------------------------------------------------------------------------------------- tables
@lru_cache(maxsize=2)
def _corpus_cached(digest: str) -> unxml.Corpus:
    del digest  # the cache key: the registered files' hashes
    return unxml.load_corpus()


def corpus() -> unxml.Corpus:
    """The parsed registered corpus, parsed once per process and set of file hashes."""
    from analysis.data.registry import files_digest, source_meta

    return _corpus_cached(files_digest(source_meta(SOURCE).files))


def sc_resolutions_from(resolutions: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """``sc_resolutions``: the source frame plus ``is_chapter_vii_text``."""
    ch7 = paragraphs.assign(_c=paragraphs["text"].str.contains(r"(?i)acting under chapter vii\b", regex=True))
    has = ch7.groupby("resolution_number")["_c"].any()
    out = resolutions.copy()
    out["is_chapter_vii_text"] = out["resolution_number"].map(has).astype("boolean")
    out.loc[~out["has_text"].astype(bool), "is_chapter_vii_text"] = pd.NA
    out.loc[out["has_text"].astype(bool) & out["is_chapter_vii_text"].isna(), "is_chapter_vii_text"] = False
    return out[list(SCHEMA_SC_RESOLUTIONS.columns)]


@table(
    "sc_resolutions",
    primary_key=("resolution_number",),
    unit="Security Council resolution",
    coverage="2000-2025 (S/RES/1285-2811); 1,524 with English text, 2 metadata-only",
    sources=(SOURCE,),
    schema=SCHEMA_SC_RESOLUTIONS,
)
def build_sc_resolutions(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Security Council resolutions 2000-2025: number, symbol, date, title, agenda item, metadata
    Chapter VII flag and the text's own Chapter VII recital, votes. Source: United Nations."""
    c = corpus()
    return sc_resolutions_from(c.resolutions, c.paragraphs)


@table(
    "sc_paragraphs",
    primary_key=("resolution_number", "paragraph_seq"),
    unit="paragraph or sub-paragraph of a resolution",
    coverage="2000-2025, resolutions with English text (1,524)",
    sources=(SOURCE,),
    schema=SCHEMA_SC_PARAGRAPHS,
)
def build_sc_paragraphs(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every paragraph of every resolution in document order: kind, operative number,
    sub-paragraph, readable label, whitespace-collapsed text. Source: United Nations."""
    p = corpus().paragraphs.copy()
    p["label"] = _paragraph_label(p)
    return p


@table(
    "sc_mission_resolutions",
    primary_key=("resolution_number", "mission_id"),
    unit="resolution x mission (UN PKO or parallel force)",
    coverage="2000-2025",
    sources=(),
    schema=SCHEMA_MISSION_RESOLUTIONS,
    depends=("sc_resolutions", "sc_paragraphs"),
)
def build_sc_mission_resolutions(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Which resolution establishes, renews, modifies or ends each UN PKO's mandate, and which
    authorise, renew, support or welcome the parallel forces (rules: ``sc_missions.yaml``)."""
    return mission_resolutions_from(deps["sc_resolutions"], deps["sc_paragraphs"])


# Validation functions, re-exported here for convenience (they live in analysis.core.mandate_validation).
from analysis.core.mandate_validation import (  # noqa: E402
    agreement_table,
    classify_chapter_vii_disagreements,
    classify_disagreements,
    curated_check,
    gold_scores,
    load_gold,
    metadata_chapter_vii_agreement,
)

__all__ = [
    "agreement_table",
    "classify_chapter_vii_disagreements",
    "classify_disagreements",
    "curated_check",
    "gold_scores",
    "load_gold",
    "metadata_chapter_vii_agreement",
    "mission_resolutions_from",
    "missions_frame",
    "sc_resolutions_from",
]
