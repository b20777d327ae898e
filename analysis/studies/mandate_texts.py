"""The war-on-terror vocabulary in UN peacekeeping mandates (notebook 08): diffusion and evidence.

Per year 2000-2025, the share of UN peacekeeping operations (PKOs) whose mandate in force carries
counter-terrorism or violent-extremism language, stabilisation, offensive or neutralisation tasks
and partnership with each kind of parallel force, read from the Security Council's own texts
(*Source: United Nations*), with the paragraph behind every point. Frames in, frames out; nothing
is loaded here. The inputs are the tables of the data layer:

* ``sc_mandates_monthly`` - the mandate in force per UN PKO-month and concept, with its source
  (``text``: decided by the governing resolution; ``text_inherited``: an extension keeps an earlier
  resolution's value; ``tamm`` / ``pema_*``: reference codings where no text decides);
* ``sc_mandate_codings`` / ``sc_mandate_partnerships`` - the deciding paragraph of each coding
  (resolution, paragraph label, a quote of at most 300 characters) and, for partnership, the
  parallel force and the relation the Council sets;
* ``sc_resolutions`` - symbols (``S/RES/2100 (2013)``), from which the link to the text on the UN's
  documents site is built (:func:`un_document_url`).

Counting rule
-------------
A UN PKO counts in year *y* when it is active in a month of *y* up to the snapshot month
(``month``, default December); its mandate in force is that of the last such month
(:func:`mandate_in_force`). Per concept the operation **carries** it (True), **does not** (False)
or is **undecided** (NA: its governing resolution only extends a mandate set before 2000 that no
text of the corpus restates, and PEMA/TAMM do not code the concept - UNTSO, UNMOGIP, UNFICYP,
UNDOF, MINURSO, UNMIK for most concepts). The share is ``carrying / decided``; the bounds
``carrying / active`` (undecided counted as not carrying) and ``(carrying + undecided) / active``
(counted as carrying) show how far the undecided operations could move it. Nothing is imputed.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Literal, get_args

import pandas as pd

from analysis.errors import require_columns
from analysis.studies.select import select_years

#: Concepts the diffusion can show (columns of ``sc_mandates_monthly.concept``).
DiffusionConcept = Literal[
    "has_ct_pve_language",
    "has_stabilisation_mandate",
    "has_offensive_mandate",
    "has_partnership_regional",
    "has_partnership_ad_hoc",
    "has_partnership_bilateral",
    "has_partnership_eu",
    "has_partnership_language",
    "is_chapter_vii",
    "has_poc_mandate",
    "has_use_of_force",
]
CONCEPTS: tuple[str, ...] = get_args(DiffusionConcept)
#: The war-on-terror vocabulary of the essay, in display order (the default of notebook 08).
GWOT_CONCEPTS: tuple[str, ...] = CONCEPTS[:7]
#: Partnership concept -> ``org_type`` of the parallel forces in ``sc_mandate_partnerships``.
PARTNER_KIND = {
    "has_partnership_regional": "regional",
    "has_partnership_ad_hoc": "ad_hoc",
    "has_partnership_bilateral": "bilateral",
    "has_partnership_eu": "eu",
}
#: Display names of the parallel forces of ``analysis/core/sc_missions.yaml``.
PARTNER_NAMES = {
    "AMISOM": "AMISOM",
    "ATMIS": "ATMIS",
    "AUSSOM": "AUSSOM",
    "AMIS": "AMIS (AU, Darfur)",
    "AFISMA": "AFISMA",
    "MISCA": "MISCA",
    "ECOWAS_FORCES": "ECOWAS forces",
    "SAMIDRC": "SAMIDRC (SADC)",
    "FC_G5S": "G5 Sahel Joint Force",
    "MNJTF": "MNJTF",
    "FRENCH_FORCES": "French forces",
    "EU_FORCES": "EU operations",
}
#: Relations the Council sets between a UN PKO and a parallel force, in plain words.
RELATION_WORDS = {
    "authorised_to_intervene": "authorised to intervene in support",
    "support_to": "support to the force",
    "information_sharing": "information sharing",
    "coordination": "coordination or cooperation",
}
#: Sources of a value of ``sc_mandates_monthly``, in plain words.
SOURCE_WORDS = {
    "text": "decided by the governing resolution",
    "text_inherited": "kept from an earlier resolution (the extension does not restate it)",
    "tamm": "TAMM coding (no resolution of 2000-2025 decides it)",
    "tamm_carried": "TAMM coding carried after TAMM ends (never-renewed mission)",
    "tamm_pre2000": "TAMM coding of the pre-2000 mandate the resolution extends",
    "pema_v2": "PEMA v2 coding (no resolution of 2000-2025 decides it)",
    "pema_v1_2": "PEMA v1.2 coding (no resolution of 2000-2025 decides it)",
    "pema_v2_pre2000": "PEMA v2 coding of the pre-2000 mandate the resolution extends",
    "pema_v1_2_pre2000": "PEMA v1.2 coding of the pre-2000 mandate the resolution extends",
}
#: Where the UN's documents site serves a document by its symbol (the UN's permanent links).
UN_DOCS = "https://undocs.org/en/"

_KEY = ["mission_id_un", "year", "concept"]


def un_document_url(symbol: str | None) -> str | None:
    """Link to a document on the UN's documents site from its symbol.

    >>> un_document_url("S/RES/2100 (2013)")
    'https://undocs.org/en/S/RES/2100(2013)'
    """
    if symbol is None or pd.isna(symbol) or not str(symbol).strip():
        return None
    return UN_DOCS + "".join(str(symbol).split())


def symbol_of(number: int | None, resolutions: pd.DataFrame) -> str | None:
    """``S/RES/<n> (<year>)`` of a resolution number (``None`` for a missing number)."""
    if number is None or pd.isna(number):
        return None
    sym = _symbols(resolutions).get(int(number))
    return sym if sym is not None else f"S/RES/{int(number)}"


def _symbols(resolutions: pd.DataFrame) -> dict[int, str]:
    require_columns(resolutions, ["resolution_number", "symbol"], "sc_resolutions")
    r = resolutions.dropna(subset=["resolution_number", "symbol"])
    return dict(zip(r["resolution_number"].astype(int), r["symbol"].astype(str)))


# ------------------------------------------------------------------------------------------ diffusion


def mandate_in_force(
    monthly: pd.DataFrame, *, month: int = 12, years: Sequence[int] | None = None,
    concepts: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The mandate in force per UN PKO, year and concept at the snapshot month.

    Parameters
    ----------
    monthly
        ``sc_mandates_monthly``.
    month
        Snapshot month (1-12): each operation active in a month ``<= month`` of the year counts,
        with the mandate of the last such month.
    years
        ``[first, last]`` (inclusive); all years when ``None``.
    concepts
        Concepts kept (default: all of the table).

    Returns
    -------
    pandas.DataFrame
        One row per ``mission_id_un, year, concept``: ``month`` (of the snapshot), ``value``
        (nullable boolean), ``source``, ``governing_resolution``, ``evidence_resolution``.
    """
    require_columns(monthly, ["mission_id_un", "year", "month", "concept", "value", "source",
                              "governing_resolution", "evidence_resolution"], "sc_mandates_monthly")
    if not 1 <= int(month) <= 12:
        raise ValueError(f"month must be 1-12, got {month!r}")
    df = select_years(monthly, years)
    if concepts is not None:
        unknown = sorted(set(concepts) - set(df["concept"].astype(str).unique()))
        if unknown and len(df):
            raise ValueError(f"concepts not in sc_mandates_monthly: {unknown}")
        df = df[df["concept"].isin(list(concepts))]
    df = df[df["month"] <= int(month)]
    df = df.sort_values(["mission_id_un", "year", "concept", "month"])
    out = df.groupby(["mission_id_un", "year", "concept"], sort=True, observed=True).tail(1)
    out = out[["mission_id_un", "year", "concept", "month", "value", "source", "governing_resolution",
               "evidence_resolution"]].reset_index(drop=True)
    out["value"] = out["value"].astype("boolean")
    return out


def diffusion(snapshot: pd.DataFrame, concepts: Sequence[str] = GWOT_CONCEPTS) -> pd.DataFrame:
    """Per concept and year: how many UN PKOs carry the concept, do not, or are undecided.

    Parameters
    ----------
    snapshot
        :func:`mandate_in_force`.
    concepts
        Concepts, in display order.

    Returns
    -------
    pandas.DataFrame
        ``concept``, ``year``, ``active_n`` (UN PKOs counted that year), ``decided_n``,
        ``carrying_n``, ``not_carrying_n``, ``undecided_n``, ``share`` (carrying / decided; NA
        when none is decided), ``share_low`` (carrying / active), ``share_high`` ((carrying +
        undecided) / active), ``carrying`` / ``not_carrying`` / ``undecided`` (the operations,
        ``", "``-joined, alphabetical).
    """
    require_columns(snapshot, ["mission_id_un", "year", "concept", "value"], "mandate_in_force")
    rows = []
    for concept in concepts:
        x = snapshot[snapshot["concept"] == concept]
        for year, g in x.groupby("year", sort=True):
            v = g["value"].astype("boolean")
            ids = g["mission_id_un"].astype(str)
            yes, no, na = ids[(v == True).fillna(False)], ids[(v == False).fillna(False)], ids[v.isna()]  # noqa: E712
            n, k, d = len(g), len(yes), len(yes) + len(no)
            rows.append({
                "concept": concept, "year": int(year), "active_n": n, "decided_n": d, "carrying_n": k,
                "not_carrying_n": len(no), "undecided_n": len(na),
                "share": k / d if d else float("nan"), "share_low": k / n if n else float("nan"),
                "share_high": (k + len(na)) / n if n else float("nan"),
                "carrying": ", ".join(sorted(yes)), "not_carrying": ", ".join(sorted(no)),
                "undecided": ", ".join(sorted(na)),
            })
    cols = ["concept", "year", "active_n", "decided_n", "carrying_n", "not_carrying_n", "undecided_n",
            "share", "share_low", "share_high", "carrying", "not_carrying", "undecided"]
    out = pd.DataFrame(rows, columns=cols)
    for c in ("active_n", "decided_n", "carrying_n", "not_carrying_n", "undecided_n"):
        out[c] = out[c].astype("int64")
    return out


def diffusion_summary(diff: pd.DataFrame) -> pd.DataFrame:
    """One row per concept: when the vocabulary appears and how far it spreads.

    Returns
    -------
    pandas.DataFrame
        ``concept``, ``first_year`` / ``last_year`` (of the window), ``first_carrying_year``
        (first year any operation carries it; NA if none does), ``share_first`` and
        ``share_last`` (share in the first and last year of the window), ``peak_share`` and
        ``peak_year`` (largest share; the first such year), ``peak_carrying_n`` and
        ``peak_decided_n`` (operations carrying it and decided that year), ``carrying_max`` (most
        operations carrying it in one year), ``carrying_years_n`` (years with at least one).
    """
    rows = []
    for concept, g in diff.groupby("concept", sort=False):
        g = g.sort_values("year")
        carrying = g[g["carrying_n"] > 0]
        s = g["share"].astype(float)
        at = g.loc[s.idxmax()] if s.notna().any() else None
        peak = int(at["year"]) if at is not None else pd.NA
        rows.append({
            "concept": concept, "first_year": int(g["year"].min()), "last_year": int(g["year"].max()),
            "first_carrying_year": int(carrying["year"].min()) if len(carrying) else pd.NA,
            "share_first": float(s.iloc[0]), "share_last": float(s.iloc[-1]),
            "peak_share": float(s.max()) if s.notna().any() else float("nan"), "peak_year": peak,
            "peak_carrying_n": int(at["carrying_n"]) if at is not None else pd.NA,
            "peak_decided_n": int(at["decided_n"]) if at is not None else pd.NA,
            "carrying_max": int(g["carrying_n"].max()), "carrying_years_n": int(len(carrying)),
        })
    out = pd.DataFrame(rows)
    for c in ("first_carrying_year", "peak_year", "peak_carrying_n", "peak_decided_n"):
        out[c] = out[c].astype("Int64")
    return out


def diffusion_grid(
    diff: pd.DataFrame, concepts: Sequence[str], href: Callable[[str, int], str | None] | None = None
) -> pd.DataFrame:
    """Wide table year x concept of "share (carrying of decided)" cells, with a link column per concept.

    ``href(concept, year)`` gives each cell's link (e.g. to the evidence page's section of that
    year); the link columns are named ``<concept>_href`` (``None`` without ``href``).
    """
    from analysis.labels import label

    years = sorted(diff["year"].unique())
    out = pd.DataFrame({"year": [int(y) for y in years]})
    for concept in concepts:
        g = diff[diff["concept"] == concept].set_index("year")
        col = label(concept)
        cells: list[str | None] = []
        for y in years:
            if y not in g.index:
                cells.append(None)
                continue
            r = g.loc[y]
            share = "—" if pd.isna(r["share"]) else f"{100 * r['share']:.0f}%"
            cells.append(f"{share} ({int(r['carrying_n'])} of {int(r['decided_n'])})")
        out[col] = cells
        out[f"{concept}_href"] = [href(concept, int(y)) if href else None for y in years]
    return out


# ------------------------------------------------------------------------------------------ evidence


def _partners(partnerships: pd.DataFrame, kind: str | None) -> dict[tuple[int, str], str]:
    """(resolution, mission) -> "French forces (authorised to intervene in support; ...)"."""
    p = partnerships if kind is None else partnerships[partnerships["org_type"] == kind]
    out: dict[tuple[int, str], str] = {}
    for (res, mid), g in p.groupby(["resolution_number", "mission_id_un"], sort=True):
        parts = []
        for pid, h in g.groupby("partner_id", sort=True):
            rel = "; ".join(RELATION_WORDS.get(str(r), str(r)) for r in dict.fromkeys(h["relation"]))
            parts.append(f"{PARTNER_NAMES.get(str(pid), str(pid))} ({rel})")
        out[(int(res), str(mid))] = ", ".join(parts)
    return out


def evidence(
    snapshot: pd.DataFrame,
    codings: pd.DataFrame,
    partnerships: pd.DataFrame,
    resolutions: pd.DataFrame,
    concepts: Sequence[str] = GWOT_CONCEPTS,
) -> pd.DataFrame:
    """The paragraph behind every operation-year that carries a concept.

    Parameters
    ----------
    snapshot
        :func:`mandate_in_force`.
    codings, partnerships, resolutions
        ``sc_mandate_codings``, ``sc_mandate_partnerships``, ``sc_resolutions``.
    concepts
        Concepts to document.

    Returns
    -------
    pandas.DataFrame
        One row per ``concept, year, mission_id_un`` with the concept True: ``source`` (plain
        words), ``governing`` (symbol of the resolution in force) and ``governing_url``,
        ``evidence`` (symbol of the resolution holding the deciding paragraph; the governing one,
        or the earlier one an extension keeps) and ``evidence_url``, ``paragraph`` (label, e.g.
        "op 19(d)"), ``quote`` (at most 300 characters, as in ``sc_mandate_codings``),
        ``partners`` (partnership concepts: the parallel forces of that kind and the relation
        the Council sets). Values from PEMA/TAMM have no paragraph (``paragraph``/``quote`` NA).
    """
    require_columns(codings, ["resolution_number", "mission_id_un", "concept", "evidence_resolution_number",
                              "evidence_label", "evidence_quote"], "sc_mandate_codings")
    require_columns(partnerships,
                    ["resolution_number", "mission_id_un", "partner_id", "org_type", "relation"],
                    "sc_mandate_partnerships")
    syms = _symbols(resolutions)
    cod = codings.assign(resolution_number=codings["resolution_number"].astype("Int64")).set_index(
        ["resolution_number", "mission_id_un", "concept"])
    x = snapshot[snapshot["concept"].isin(list(concepts)) & (snapshot["value"] == True).fillna(False)]  # noqa: E712
    partner_maps = {c: _partners(partnerships, PARTNER_KIND.get(c)) for c in concepts
                    if c in PARTNER_KIND or c == "has_partnership_language"}
    rows = []
    for r in x.itertuples(index=False):
        gov = None if pd.isna(r.governing_resolution) else int(r.governing_resolution)
        is_text = str(r.source) in ("text", "text_inherited")
        key = (gov, str(r.mission_id_un), str(r.concept))
        c = cod.loc[key] if is_text and gov is not None and key in cod.index else None
        ev_n = (None if c is None or pd.isna(c["evidence_resolution_number"])
                else int(c["evidence_resolution_number"]))
        gsym = syms.get(gov, f"S/RES/{gov}") if gov is not None else None
        esym = syms.get(ev_n, f"S/RES/{ev_n}") if ev_n is not None else None
        pm = partner_maps.get(str(r.concept))
        partners = pm.get((gov, str(r.mission_id_un))) if pm is not None and gov is not None else None
        rows.append({
            "concept": r.concept, "year": int(r.year), "mission_id_un": str(r.mission_id_un),
            "source": SOURCE_WORDS.get(str(r.source), str(r.source)),
            "governing": gsym, "governing_url": un_document_url(gsym),
            "evidence": esym, "evidence_url": un_document_url(esym),
            "paragraph": None if c is None else c["evidence_label"],
            "quote": None if c is None else c["evidence_quote"],
            "partners": partners,
        })
    cols = ["concept", "year", "mission_id_un", "source", "governing", "governing_url", "evidence",
            "evidence_url", "paragraph", "quote", "partners"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["concept", "year", "mission_id_un"]).reset_index(drop=True)


def _escape(s: object) -> str:
    return html.escape(str(s), quote=True)


def evidence_page_parts(
    concept: str,
    diff: pd.DataFrame,
    ev: pd.DataFrame,
    snapshot: pd.DataFrame,
    resolutions: pd.DataFrame,
) -> list[str]:
    """HTML blocks of the evidence page of one concept: a section per year (anchor ``y<year>``).

    Each section says how many operations carry the concept, lists them with the resolution in
    force, the resolution and paragraph that decide it, the quoted span and a link to each
    resolution on the UN's documents site; then the operations that do not carry it and the
    undecided ones, each with its resolution in force.
    """
    from analysis.reporting.tables import format_table

    syms = _symbols(resolutions)
    d = diff[diff["concept"] == concept].sort_values("year")
    e = ev[ev["concept"] == concept]
    s = snapshot[snapshot["concept"] == concept]
    gov = {(int(y), str(m)): (None if pd.isna(g) else int(g))
           for y, m, g in zip(s["year"], s["mission_id_un"], s["governing_resolution"])}
    by_year = {int(y): g for y, g in e.groupby("year")}
    years = ", ".join(f"<a href='#y{int(y)}'>{int(y)}</a>" for y in d["year"])
    parts = [f"<nav class=toc><p>Years: {years}</p></nav>"]
    has_partners = e["partners"].notna().any()
    for r in d.itertuples(index=False):
        y = int(r.year)
        share = "—" if pd.isna(r.share) else f"{100 * r.share:.0f}%"
        parts.append(f"<h2 id='y{y}'>{y}: {r.carrying_n} of {r.decided_n} decided operations ({share})"
                     + (f", {r.undecided_n} undecided" if r.undecided_n else "") + "</h2>")
        rows = by_year.get(y, e.iloc[:0])
        if len(rows):
            cols = ["mission_id_un", "governing", "evidence", "paragraph", "quote"]
            cols += ["partners"] if has_partners else []
            cols += ["source"]
            t = rows[cols + ["governing_url", "evidence_url"]].rename(columns={"mission_id_un": "operation"})
            parts.append(format_table(
                t, labels=False, formats={c: "text" for c in cols},
                headers={"governing": "mandate in force", "evidence": "deciding resolution",
                         "paragraph": "paragraph", "quote": "quoted span (≤ 300 characters)",
                         "partners": "parallel force (relation)", "source": "how the value is set"},
                links={"governing": "governing_url", "evidence": "evidence_url"}))
        for what, ids in (("Not carrying it", r.not_carrying),
                          ("Undecided (no text decides it)", r.undecided)):
            if not ids:
                continue
            items = []
            for mid in ids.split(", "):
                n = gov.get((y, mid))
                sym = syms.get(n, f"S/RES/{n}") if n is not None else None
                items.append(f"{_escape(mid)} (<a href='{_escape(un_document_url(sym))}'>{_escape(sym)}</a>)"
                             if sym else f"{_escape(mid)} (mandate before 2000)")
            parts.append(f"<p><b>{what}:</b> {', '.join(items)}.</p>")
    return parts


# ------------------------------------------------------------------------------------------ validation

#: Targets of issue 11: kappa against PEMA/TAMM, precision and recall in the gold set.
KAPPA_TARGETS = {"has_poc_mandate": 0.8, "has_use_of_force": 0.8}
GOLD_TARGETS = {"is_chapter_vii": 0.9, "has_poc_mandate": 0.9, "has_use_of_force": 0.9}
#: Reference codings in plain words.
REFERENCE_WORDS = {"tamm": "TAMM v2.1", "pema_v2": "PEMA v2", "pema_v1_2": "PEMA v1.2 (Africa)"}


def agreement_view(agreement: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.core.mandate_validation.agreement_table` for reading: plain concept and
    reference names, the kappa target where issue 11 sets one and whether it is met."""
    from analysis.labels import label

    a = agreement.copy()
    target = a["concept"].map(KAPPA_TARGETS)
    out = pd.DataFrame({
        "concept": a["concept"].map(label),
        "reference": a["reference"].map(REFERENCE_WORDS).fillna(a["reference"]),
        "years": a["years"], "mission-months": a["months_n"], "operations": a["missions_n"],
        "agreement": a["agreement"], "kappa": a["kappa"],
        "only the text says yes": a["text_only_n"], "only the reference says yes": a["ref_only_n"],
        "kappa target": target,
        "target met": [pd.NA if pd.isna(t) else bool(k >= t) for k, t in zip(a["kappa"], target)],
    })
    out["target met"] = out["target met"].astype("boolean")
    return out


def _runs(years: Sequence[int]) -> str:
    ys = sorted({int(y) for y in years})
    return f"{ys[0]}" if ys[0] == ys[-1] else f"{ys[0]}–{ys[-1]}"


def disagreement_view(classified: pd.DataFrame, resolutions: pd.DataFrame,
                      classes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Mission-month disagreements with PEMA/TAMM by class: how many months, where, and why.

    Parameters
    ----------
    classified
        :func:`analysis.core.mandate_validation.classify_disagreements`.
    classes
        Class -> explanation (default :data:`analysis.core.mandate_validation.DISAGREEMENT_CLASSES`).

    Returns
    -------
    pandas.DataFrame
        One row per concept, reference and class: ``mission-months``, ``where`` (each operation
        with its years and the resolutions in force) and ``why`` (the class's explanation).
    """
    from analysis.core.mandate_validation import DISAGREEMENT_CLASSES
    from analysis.labels import label

    expl = dict(classes or DISAGREEMENT_CLASSES)
    syms = _symbols(resolutions)
    rows = []
    for (concept, ref, cls), g in classified.groupby(["concept", "reference", "class"], sort=True):
        where = []
        for mid, h in g.groupby("mission_id_un", sort=True):
            res = sorted({int(x) for x in h["governing_resolution"].dropna()})
            names = ", ".join(syms.get(n, f"S/RES/{n}") for n in res)
            where.append(f"{mid} {_runs(h['year'])} ({h.shape[0]} months; {names})")
        rows.append({"concept": label(str(concept)), "reference": REFERENCE_WORDS.get(str(ref), str(ref)),
                     "class": str(cls), "mission-months": int(len(g)), "where": "; ".join(where),
                     "why": expl.get(str(cls), "not explained")})
    return pd.DataFrame(rows, columns=["concept", "reference", "class", "mission-months", "where", "why"])


def flag_view(flag_classes: pd.DataFrame) -> pd.DataFrame:
    """Resolutions whose Chapter VII recital and metadata flag disagree, by class, with the
    explanation (:data:`analysis.core.mandate_validation.CHAPTER_VII_FLAG_CLASSES`)."""
    from analysis.core.mandate_validation import CHAPTER_VII_FLAG_CLASSES

    rows = []
    for cls, g in flag_classes.groupby("class", sort=True):
        nums = sorted(int(n) for n in g["resolution_number"])
        rows.append({"class": str(cls), "resolutions": len(nums),
                     "which": ", ".join(str(n) for n in nums),
                     "why": CHAPTER_VII_FLAG_CLASSES.get(str(cls), "not explained")})
    return pd.DataFrame(rows, columns=["class", "resolutions", "which", "why"])


#: Classes of disagreements between the curated 2016-2024 table and the texts.
CURATED_CLASSES = {
    "inherited_extension": "the resolution only extends or adjusts the mandate: the text keeps the value of "
    "the earlier resolution named in the reason; the curated row codes the resolution on its own",
    "offensive_posture_wording": "the curated table codes robust-posture formulas ('proactive and robust "
    "posture') as offensive (its documented rule); the text rule counts only neutralisation, an "
    "intervention brigade or offensive operations",
    "summary_silent": "the text holds the paragraph quoted, but the press summary the curated row cites does "
    "not report it (the curated value is False where the summary reports none)",
    "text_absent": "no paragraph of the text matches the rule although the curated source states it "
    "(e.g. a resolution ending a mandate without the Chapter VII recital)",
}


def curated_disagreements(
    curated_mandates: pd.DataFrame, codings: pd.DataFrame, resolutions: pd.DataFrame
) -> pd.DataFrame:
    """Every (operation, resolution, concept) where the curated 2016-2024 table and the text differ,
    with the text's decision, its paragraph and a class (:data:`CURATED_CLASSES`).

    Returns
    -------
    pandas.DataFrame
        ``mission_id_un``, ``resolution`` (symbol), ``resolution_url``, ``concept`` (label),
        ``curated``, ``text``, ``decision`` (text / absent / inherited), ``reason`` (the text
        coding's reason), ``paragraph``, ``quote``, ``class``, ``why``.
    """
    from analysis.core.mandate_validation import CURATED_PAIRS
    from analysis.labels import label

    syms = _symbols(resolutions)
    cur = curated_mandates.copy()
    cur["resolution_number"] = cur["resolution"].astype(str).str.extract(r"(\d+)$")[0].astype(int)
    cod = codings.set_index(["mission_id_un", "resolution_number", "concept"])
    rows = []
    for ccol, tcol in CURATED_PAIRS.items():
        for r in cur.itertuples(index=False):
            cv = getattr(r, ccol)
            key = (r.mission_id_un, int(r.resolution_number), tcol)
            if pd.isna(cv) or key not in cod.index:
                continue
            c = cod.loc[key]
            if pd.isna(c["value"]) or bool(c["value"]) == bool(cv):
                continue
            text, decision = bool(c["value"]), str(c["decision"])
            if decision == "inherited":
                cls = "inherited_extension"
            elif tcol == "has_offensive_mandate" and not text:
                cls = "offensive_posture_wording"
            elif text:
                cls = "summary_silent"
            else:
                cls = "text_absent"
            sym = syms.get(int(r.resolution_number), str(r.resolution))
            rows.append({"mission_id_un": r.mission_id_un, "resolution": sym,
                         "resolution_url": un_document_url(sym), "concept": label(tcol), "curated": bool(cv),
                         "text": text, "decision": decision, "reason": c["reason"],
                         "paragraph": c["evidence_label"], "quote": c["evidence_quote"], "class": cls,
                         "why": CURATED_CLASSES[cls]})
    cols = ["mission_id_un", "resolution", "resolution_url", "concept", "curated", "text", "decision",
            "reason", "paragraph", "quote", "class", "why"]
    return pd.DataFrame(rows, columns=cols)


def gold_view(scores: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.core.mandate_validation.gold_scores` with plain names and the targets of
    issue 11 (precision and recall >= 0.9 on Chapter VII, PoC and use of force)."""
    from analysis.labels import label

    target = scores["concept"].map(GOLD_TARGETS)
    met = [pd.NA if pd.isna(t) else bool(p >= t and r >= t)
           for p, r, t in zip(scores["precision"], scores["recall"], target)]
    return pd.DataFrame({
        "concept": scores["concept"].map(label), "decisions checked": scores["n"],
        "true positives": scores["tp"], "false positives": scores["fp"], "false negatives": scores["fn"],
        "true negatives": scores["tn"], "precision": scores["precision"], "recall": scores["recall"],
        "now undecided": scores["undecided_n"], "target": target,
        "target met": pd.array(met, dtype="boolean"),
    })


def gold_disagreements(codings: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Gold-set decisions the current codings get wrong or leave undecided, with the checker's reason.

    ``gold``: :func:`analysis.core.mandate_validation.load_gold`. Returns ``resolution_number``,
    ``mission_id_un``, ``concept``, ``gold_value``, ``coded_now`` (NA: undecided) and ``reason``.
    """
    cod = codings.set_index(["resolution_number", "mission_id_un", "concept"])["value"]
    now = [cod.get((int(n), m, c), pd.NA) for n, m, c in
           zip(gold["resolution_number"], gold["mission_id_un"], gold["concept"])]
    g = gold.assign(coded_now=pd.array(now, dtype="boolean"))
    bad = g["coded_now"].isna() | (g["coded_now"] != g["gold_value"]).fillna(True)
    return g.loc[bad, ["resolution_number", "mission_id_un", "concept", "gold_value", "coded_now", "reason"]]


def diffusion_answer(summary: pd.DataFrame) -> str:
    """The finding's sentence template for :meth:`analysis.reporting.Reporter.finding`: when each
    concept first appears in a mandate in force (or that it is there from the start, or never),
    then its largest share, as result keys ``<concept>.first_carrying_year``, ``.first_year``,
    ``.peak_share``, ``.peak_carrying_n``, ``.peak_decided_n`` and ``.peak_year`` (recorded by the
    notebook from :func:`diffusion_summary`)."""
    from analysis.labels import label

    rows = list(summary.itertuples(index=False))
    later = sorted((r for r in rows if pd.notna(r.first_carrying_year) and r.share_first == 0),
                   key=lambda r: int(r.first_carrying_year))
    start = [r for r in rows if pd.notna(r.first_carrying_year) and r.share_first != 0]
    never = [r for r in rows if pd.isna(r.first_carrying_year)]
    parts = []
    if later:
        parts.append("First year in a mandate in force: " + ", ".join(
            f"{label(str(r.concept))} {{{r.concept}.first_carrying_year}}" for r in later)
            + (f"; already in {{{start[0].concept}.first_year}}: "
               + ", ".join(label(str(r.concept)) for r in start) if start else "") + ".")
    elif start:
        parts.append(f"In mandates in force from {{{start[0].concept}.first_year}}: "
                     + ", ".join(label(str(r.concept)) for r in start) + ".")
    if never:
        parts.append(f"In no mandate in force from {{{never[0].concept}.first_year}}: "
                     + ", ".join(label(str(r.concept)) for r in never) + ".")
    carried = later + start
    if carried:
        parts.append("Largest share of the decided operations: " + "; ".join(
            f"{label(str(r.concept))} {{{r.concept}.peak_share:share}} ({{{r.concept}.peak_carrying_n}} of "
            f"{{{r.concept}.peak_decided_n}}, {{{r.concept}.peak_year}})" for r in carried) + ".")
    return " ".join(parts)
