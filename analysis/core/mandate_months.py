"""The mandate in force, month by month: ``sc_mandates_monthly`` (UN PKO x month x concept).

Rule
----
For each UN peacekeeping operation of ``sc_missions.yaml`` and each month from
``max(2000-01, mission start)`` to its end (``un_missions.date_end``; else December of the year
of its ``ends`` resolution, e.g. MINUSMA 2023-12 after S/RES/2690; else 2025-12), the
**governing resolution** is the latest mandate resolution of the mission (role establishes /
renews / modifies / ends in ``sc_mission_resolutions``) adopted by the end of that month, ties
broken by resolution number. Per concept:

1. ``source = "text"``: the governing resolution's coding (``sc_mandate_codings``) when it is
   decided (``decision`` text or absent); ``"text_inherited"`` when the coding is an extension's
   inherited value (evidence in an earlier resolution, ``evidence_resolution``).
2. Otherwise - no governing resolution in the corpus (months before a mission's first
   resolution of 2000-2025, or never-renewed missions: UNTSO, UNMOGIP, UNMIK) or an undecided
   coding - the value of ``mandates_monthly`` for that mission-month (PEMA v2 > PEMA v1.2 > TAMM,
   ``source`` = that source) for the four concepts PEMA/TAMM code (Chapter VII, PoC, use of
   force, offensive); TAMM's cooperation tasks (AU, ECOWAS, EU, other missions) for the
   partnership concepts (``source = "tamm"``).
3. Never-renewed missions only (``never_renewed`` in ``sc_missions.yaml``: their governing
   resolution - UNTSO S/RES/50 (1948), UNMOGIP S/RES/47 (1948), UNMIK S/RES/1244 (1999) - never
   changes by resolution): after the reference datasets end, the last reference value is
   carried, ``source = "<source>_carried"`` (explicit; no other value is ever carried).
4. Extensions of a pre-2000 mandate: where the governing resolution only extends a mandate set
   before 2000 (its coding is undecided for that reason: UNIFIL, UNDOF, UNFICYP, MINURSO,
   UNOMIG... until a resolution of the corpus decides the concept) and the month is outside the
   reference data, the PEMA/TAMM value of the month before the mission's first 2000-2025 mandate
   resolution - the pre-2000 mandate being extended - with ``source = "<source>_pre2000"``
   (explicit; e.g. UNIFIL's Chapter VII status 2016-2024 is TAMM's coding of its 1978-1999
   mandate, which every renewal extends).
5. Else NA (``source`` NA).

Authorised ceilings (``personnel_military_authorized_n``, ``personnel_police_authorized_n``,
``personnel_authorized_n``) are the ceiling in force at the end of the month from every
statement of ``sc_ceilings`` that has taken effect - also those of resolutions other than the
governing one, and changes scheduled for later dates (:mod:`analysis.core.mandate_ceiling_months`);
``source`` is ``text`` when the statement that set the value is the governing resolution's, else
``text_inherited``; ``evidence_resolution`` names its resolution. Never from PEMA/TAMM.

``value_ref`` / ``value_ref_source`` keep the PEMA/TAMM value beside the text value as a check
(NA where they do not code the concept or the month).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa

from analysis.core.mandate_ceiling_months import ceilings_in_force
from analysis.core.mandate_ceilings import CONCEPT_OF
from analysis.core.mandate_coding import CONCEPTS, NUMBER_CONCEPTS
from analysis.core.resolutions import mission_rules
from analysis.data.fields import field
from analysis.data.tables import table

#: Concepts PEMA/TAMM code (harmonised in ``mandates_monthly``).
REFERENCE_CONCEPTS = ("is_chapter_vii", "has_poc_mandate", "has_use_of_force", "has_offensive_mandate")
#: Partnership concepts -> TAMM cooperation columns of ``mandates_monthly`` (any True).
TAMM_PARTNER = {
    "has_partnership_language": ("au", "eu", "ecowas", "other_mission"),
    "has_partnership_regional": ("au", "ecowas"),
    "has_partnership_eu": ("eu",),
}
SOURCES = (
    "text",
    "text_inherited",
    "pema_v2",
    "pema_v1_2",
    "tamm",
    "pema_v2_carried",
    "pema_v1_2_carried",
    "tamm_carried",
    "pema_v2_pre2000",
    "pema_v1_2_pre2000",
    "tamm_pre2000",
)
LAST_MONTH = pd.Timestamp("2025-12-01")
FIRST_MONTH = pd.Timestamp("2000-01-01")
_KEY = ["mission_id_un", "year", "month"]


def backbone(missions: pd.DataFrame, mission_resolutions: pd.DataFrame) -> pd.DataFrame:
    """Mission-months of the UN PKOs of ``sc_missions.yaml`` (rule in the module docstring)."""
    ids = [m["id"] for m in mission_rules()["missions"] if m["kind"] == "un_pko"]
    um = missions.set_index("mission_id_un")
    mr = mission_resolutions
    rows = []
    for mid in ids:
        own = mr[mr["mission_id"] == mid]
        start = um.loc[mid, "date_start"] if mid in um.index else pd.NaT
        if pd.isna(start):
            est = own.loc[own["role"] == "establishes", "adoption_date"]
            start = est.min() if len(est) else pd.NaT
        if pd.isna(start):
            continue
        end = um.loc[mid, "date_end"] if mid in um.index else pd.NaT
        if pd.isna(end):
            ends = own.loc[own["role"] == "ends", "adoption_date"]
            end = pd.Timestamp(year=ends.max().year, month=12, day=1) if len(ends) else LAST_MONTH
        lo = max(pd.Timestamp(start).to_period("M").to_timestamp(), FIRST_MONTH)
        hi = min(pd.Timestamp(end).to_period("M").to_timestamp(), LAST_MONTH)
        for d in pd.date_range(lo, hi, freq="MS"):
            rows.append((mid, d))
    bb = pd.DataFrame(rows, columns=["mission_id_un", "_month"])
    bb["year"] = bb["_month"].dt.year
    bb["month"] = bb["_month"].dt.month
    return bb


def governing(bb: pd.DataFrame, mission_resolutions: pd.DataFrame) -> pd.Series:
    """Governing mandate resolution per backbone row (latest adopted by the month's end)."""
    mr = mission_resolutions[mission_resolutions["is_mandate_resolution"].astype(bool)]
    mr = mr.dropna(subset=["adoption_date"]).copy()
    mr["_month"] = mr["adoption_date"].dt.to_period("M").dt.to_timestamp()
    mr = mr.sort_values(["mission_id", "_month", "adoption_date", "resolution_number"])
    mr = mr.groupby(["mission_id", "_month"], as_index=False).last()
    left = bb[["mission_id_un", "_month"]].reset_index().sort_values("_month")
    right = mr[["mission_id", "_month", "resolution_number"]].rename(columns={"mission_id": "mission_id_un"})
    right = right.sort_values("_month")
    left["mission_id_un"] = left["mission_id_un"].astype(str)
    right["mission_id_un"] = right["mission_id_un"].astype(str)
    g = pd.merge_asof(left, right, on="_month", by="mission_id_un", direction="backward")
    return g.set_index("index")["resolution_number"].reindex(bb.index).astype("Int64")


def _reference(bb: pd.DataFrame, mm: pd.DataFrame) -> pd.DataFrame:
    """PEMA/TAMM values and sources per backbone row and concept (wide)."""
    cols = list(REFERENCE_CONCEPTS) + [f"{c}_source" for c in REFERENCE_CONCEPTS]
    cols += [c for c in mm.columns if c.startswith("has_partner_coop_")]
    m = mm[_KEY + cols].copy()
    m["mission_id_un"] = m["mission_id_un"].astype(str)
    x = bb[["mission_id_un", "year", "month"]].astype({"mission_id_un": str, "year": int, "month": int})
    m = m.astype({"year": int, "month": int})
    out = x.merge(m, on=_KEY, how="left", validate="one_to_one")
    for concept, parts in TAMM_PARTNER.items():
        b = out[[f"has_partner_coop_{p}" for p in parts]].astype("boolean")
        known = b.notna().all(axis=1)
        out[concept] = b.fillna(False).any(axis=1).astype("boolean").where(known)
        out[f"{concept}_source"] = pd.Series("tamm", index=out.index, dtype="string").where(known)
    out.index = bb.index
    return out


def _last_reference(bb: pd.DataFrame, mm: pd.DataFrame, missions: set[str]) -> dict[str, tuple]:
    """Per concept, the latest PEMA/TAMM value (and source) of ``missions`` up to each backbone month,
    taken from every month of ``mandates_monthly`` (also those before 2000: TAMM's UNMOGIP ends in
    1949, under the same governing resolution S/RES/47)."""
    sel = mm[mm["mission_id_un"].isin(list(missions))].copy()
    wide_ref = _reference(sel[_KEY].assign(_month=pd.NaT), mm)
    sel = sel[_KEY].reset_index(drop=True).join(wide_ref.drop(columns=_KEY).reset_index(drop=True))
    sel["_month"] = pd.to_datetime(dict(year=sel["year"].astype(int), month=sel["month"].astype(int), day=1))
    left = bb[["mission_id_un", "_month"]].reset_index()
    left["mission_id_un"] = left["mission_id_un"].astype(str)
    out = {}
    for concept in (*REFERENCE_CONCEPTS, *TAMM_PARTNER):
        r = sel[["mission_id_un", "_month", concept, f"{concept}_source"]].dropna(subset=[concept])
        r = r.assign(mission_id_un=r["mission_id_un"].astype(str)).sort_values("_month")
        g = pd.merge_asof(
            left.sort_values("_month"), r, on="_month", by="mission_id_un", direction="backward"
        )
        g = g.set_index("index").reindex(bb.index)
        out[concept] = (g[concept].astype("boolean"), g[f"{concept}_source"].astype("string"))
    return out


#: Reasons of ``sc_mandate_codings`` for an undecided value in a chain of extensions that starts
#: from a mandate set before 2000.
PRE2000_REASON = "extends or adjusts a mandate set before 2000 (no earlier text in the corpus)"
PRE2000_CHAIN_REASON = "earlier value undecided"


def _pre2000_anchor(
    bb: pd.DataFrame, mm: pd.DataFrame, mission_resolutions: pd.DataFrame
) -> dict[str, tuple]:
    """Per concept, the PEMA/TAMM value of each mission in the month before its first 2000-2025
    mandate resolution (the pre-2000 mandate that resolution extends), broadcast to ``bb``."""
    mr = mission_resolutions[mission_resolutions["is_mandate_resolution"].astype(bool)].dropna(
        subset=["adoption_date"]
    )
    first = mr.groupby("mission_id")["adoption_date"].min().dt.to_period("M").dt.to_timestamp()
    before = (first - pd.offsets.MonthBegin(1)).rename("_month").reset_index()
    before = before.rename(columns={"mission_id": "mission_id_un"})
    before["year"], before["month"] = before["_month"].dt.year, before["_month"].dt.month
    ref = _reference(before, mm)
    out = {}
    for concept in (*REFERENCE_CONCEPTS, *TAMM_PARTNER):
        v = dict(zip(before["mission_id_un"].astype(str), ref[concept].astype("boolean")))
        srcs = dict(zip(before["mission_id_un"].astype(str), ref[f"{concept}_source"].astype("string")))
        keys = bb["mission_id_un"].astype(str)
        out[concept] = (
            pd.Series([v.get(k, pd.NA) for k in keys], index=bb.index, dtype="boolean"),
            pd.Series([srcs.get(k, pd.NA) for k in keys], index=bb.index, dtype="string"),
        )
    return out


def mandates_in_force(
    bb: pd.DataFrame,
    codings: pd.DataFrame,
    mission_resolutions: pd.DataFrame,
    mandates_monthly: pd.DataFrame,
    ceilings: pd.DataFrame,
) -> pd.DataFrame:
    """The long monthly table for backbone ``bb`` (columns mission_id_un, year, month, _month);
    ``ceilings`` is ``sc_ceilings``."""
    bb = bb.reset_index(drop=True)
    gov = governing(bb, mission_resolutions)
    ref = _reference(bb, mandates_monthly)
    never = {m["id"] for m in mission_rules()["missions"] if m.get("never_renewed")}
    cod = codings.set_index(["mission_id_un", "resolution_number", "concept"])
    last_ref = _last_reference(bb, mandates_monthly, never)
    anchor = _pre2000_anchor(bb, mandates_monthly, mission_resolutions)
    ceil = ceilings_in_force(ceilings).set_index(_KEY)
    ceil = ceil.reindex(pd.MultiIndex.from_arrays([bb["mission_id_un"].astype(str), bb["year"].astype(int),
                                                   bb["month"].astype(int)]))
    frames = []
    for concept in CONCEPTS:
        key = pd.MultiIndex.from_arrays(
            [bb["mission_id_un"].astype(str), gov.fillna(-1).astype(int), [concept] * len(bb)]
        )
        c = cod.reindex(key)
        decided = c["decision"].isin(["text", "absent", "inherited"]).to_numpy()
        is_num = concept in NUMBER_CONCEPTS
        val = pd.Series(pd.NA, index=bb.index, dtype="boolean")
        val_n = pd.Series(pd.NA, index=bb.index, dtype="Float64")
        src = pd.Series(pd.NA, index=bb.index, dtype="string")
        if is_num:  # the ceiling in force from every statement taken effect (sc_ceilings)
            comp = {v: k for k, v in CONCEPT_OF.items()}[concept]
            val_n = pd.Series(ceil[concept].to_numpy(), index=bb.index).astype("Float64")
            evid = pd.Series(ceil[f"evidence_{comp}"].to_numpy(), index=bb.index).astype("Int64")
            evid = evid.where(val_n.notna())
            decided = val_n.notna().to_numpy()
            same = (evid.fillna(-1) == gov.fillna(-2)).to_numpy()
            labels = pd.Series(["text" if x else "text_inherited" for x in same], index=bb.index)
            src[decided] = labels[decided]
        else:
            val[decided] = c["value"].to_numpy()[decided]
            src[decided] = [
                "text_inherited" if d == "inherited" else "text" for d in c["decision"].to_numpy()[decided]
            ]
            evid = pd.Series(c["evidence_resolution_number"].to_numpy(), index=bb.index).astype("Int64")
            evid = evid.where(decided)
        if concept in ref.columns:
            rv = ref[concept].astype("boolean")
            rs = ref[f"{concept}_source"].astype("string")
        else:
            rv = pd.Series(pd.NA, index=bb.index, dtype="boolean")
            rs = pd.Series(pd.NA, index=bb.index, dtype="string")
        fill = ~decided & rv.notna().to_numpy() & (not is_num)
        val[fill] = rv[fill]
        src[fill] = rs[fill]
        # never-renewed missions: carry the last reference value (explicit source *_carried)
        nv = bb["mission_id_un"].isin(never).to_numpy() & val.isna().to_numpy() & ~decided
        if not is_num and nv.any() and concept in last_ref:
            cv, cs = last_ref[concept]
            ok = nv & cv.notna().to_numpy()
            val[ok] = cv[ok]
            src[ok] = cs[ok].astype(str) + "_carried"
        # extensions of a pre-2000 mandate (coding undecided for that reason): the reference value of
        # the pre-2000 mandate they extend, i.e. of the month before the mission's first 2000-2025
        # mandate resolution (explicit source *_pre2000)
        chain = (
            c["reason"].isin([PRE2000_REASON, PRE2000_CHAIN_REASON]).to_numpy()
            & val.isna().to_numpy()
            & ~decided
        )
        if not is_num and chain.any() and concept in anchor:
            av, asrc = anchor[concept]
            ok = chain & av.notna().to_numpy()
            val[ok] = av[ok]
            src[ok] = asrc[ok].astype(str) + "_pre2000"
        frames.append(
            pd.DataFrame(
                {
                    "mission_id_un": bb["mission_id_un"],
                    "year": bb["year"],
                    "month": bb["month"],
                    "concept": concept,
                    "value": val,
                    "value_n": val_n,
                    "source": src,
                    "governing_resolution": gov,
                    "evidence_resolution": evid,
                    "value_ref": rv,
                    "value_ref_source": rs,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    for c, col in SCHEMA_MONTHLY.columns.items():
        out[c] = out[c].astype(str(col.dtype))
    return out.sort_values(["mission_id_un", "year", "month", "concept"]).reset_index(drop=True)


SCHEMA_MONTHLY = pa.DataFrameSchema(
    {
        "mission_id_un": field("mission_id_un", description="UN PKO (sc_missions.yaml)."),
        "year": field("year", pa.Check.in_range(2000, 2025)),
        "month": field("month"),
        "concept": pa.Column(
            "string", pa.Check.isin(list(CONCEPTS)), description="Concept (sc_mandate_codings)."
        ),
        "value": pa.Column(
            "boolean",
            nullable=True,
            description="Boolean concepts: the value in force; NA when no source decides.",
        ),
        "value_n": pa.Column(
            "Float64",
            pa.Check.ge(0),
            nullable=True,
            description="Ceilings: authorised persons in force at the month's end (sc_ceilings; texts "
            "only; NA where unknown).",
        ),
        "source": pa.Column(
            "string",
            pa.Check.isin(list(SOURCES)),
            nullable=True,
            description="text, text_inherited, pema_v2, pema_v1_2, tamm, or <source>_carried "
            "(never-renewed missions after the reference data end).",
        ),
        "governing_resolution": pa.Column(
            "Int64",
            nullable=True,
            description="Latest mandate resolution 2000-2025 adopted by the end "
            "of the month; NA before the first one.",
        ),
        "evidence_resolution": pa.Column(
            "Int64", nullable=True, description="Resolution holding the deciding paragraph (text sources)."
        ),
        "value_ref": pa.Column(
            "boolean",
            nullable=True,
            description="PEMA/TAMM value of the month (mandates_monthly precedence), a "
            "check; NA where they do not code it.",
        ),
        "value_ref_source": pa.Column("string", nullable=True, description="Source of value_ref."),
    },
    strict=True,
    unique=["mission_id_un", "year", "month", "concept"],
    name="core.sc_mandates_monthly",
)


@table(
    "sc_mandates_monthly",
    primary_key=("mission_id_un", "year", "month", "concept"),
    unit="UN PKO x month x concept",
    coverage="2000-01 to 2025-12 (each mission from its start to its end)",
    sources=(),
    schema=SCHEMA_MONTHLY,
    depends=(
        "un_missions", "sc_mission_resolutions", "sc_mandate_codings", "mandates_monthly", "sc_ceilings"
    ),
)
def build_sc_mandates_monthly(deps: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The mandate in force per UN PKO-month and concept: text codings of the governing
    resolution, PEMA/TAMM where the governing resolution predates 2000, with sources."""
    bb = backbone(deps["un_missions"], deps["sc_mission_resolutions"])
    return mandates_in_force(
        bb, deps["sc_mandate_codings"], deps["sc_mission_resolutions"], deps["mandates_monthly"],
        deps["sc_ceilings"],
    )


def wide(monthly: pd.DataFrame) -> pd.DataFrame:
    """``sc_mandates_monthly`` pivoted to one row per mission-month: ``<concept>``,
    ``<concept>_source``, ``<concept>_ref`` and ``mandate_resolution`` (governing resolution)."""
    m = monthly
    num = m["concept"].isin(NUMBER_CONCEPTS)
    v = m.assign(_v=m["value"].astype(object).where(~num, m["value_n"].astype(object)))
    out = v.pivot(index=_KEY, columns="concept", values="_v")
    src = m.pivot(index=_KEY, columns="concept", values="source").add_suffix("_source")
    ref = m[~num].pivot(index=_KEY, columns="concept", values="value_ref").add_suffix("_ref")
    gov = m.groupby(_KEY)["governing_resolution"].first().rename("mandate_resolution")
    w = pd.concat([out, src, ref, gov], axis=1).reset_index()
    for c in CONCEPTS:
        w[c] = w[c].astype("Float64" if c in NUMBER_CONCEPTS else "boolean")
        w[f"{c}_source"] = w[f"{c}_source"].astype("string")
        if c not in NUMBER_CONCEPTS:
            w[f"{c}_ref"] = w[f"{c}_ref"].astype("boolean")
    w["mission_id_un"] = w["mission_id_un"].astype("string")
    w["year"] = w["year"].astype("Int64")
    w["month"] = w["month"].astype("Int64")
    w["mandate_resolution"] = w["mandate_resolution"].astype("Int64")
    return w
