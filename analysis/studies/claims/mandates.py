"""Mandates: protection of civilians and Chapter VII in the large 21st-century missions, and
MINUSMA's mandate without a neutralisation task, read from the Security Council's texts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.studies.claims.base import (
    LARGE_MISSION_N,
    ClaimError,
    ClaimVerdict,
    _claim,
    _table,
    _true,
    _vintage,
    judge_levels,
)


def _any3(s: pd.Series) -> Any:
    """Three-valued any: True if any True, False if all coded are False, NA if none coded."""
    s = s.astype("boolean")
    if s.fillna(False).any():
        return True
    return False if s.notna().any() else pd.NA


def mission_table(my: pd.DataFrame, um: pd.DataFrame) -> pd.DataFrame:
    """One row per UN PKO of the mission panel: start, peak strength and PoC mandate.

    Returns
    -------
    pandas.DataFrame
        ``mission_id_un``, ``date_start``, ``start_year``, ``peak_personnel_n`` (largest
        yearly mean uniformed strength, NA when never known), ``has_poc_mandate``
        (three-valued any over years), ``first_poc_year``.
    """
    g = my.groupby("mission_id_un")
    out = pd.DataFrame(
        {
            "peak_personnel_n": g["personnel_total_n"].max().astype("Float64"),
            "has_poc_mandate": g["has_poc_mandate"].agg(_any3).astype("boolean"),
        }
    )
    poc_years = my[_true(my["has_poc_mandate"])].groupby("mission_id_un")["year"].min()
    out["first_poc_year"] = poc_years.reindex(out.index).astype("Int64")
    out.index = out.index.astype(str)
    pk = um[_true(um["is_peacekeeping"])][["mission_id_un", "date_start"]].copy()
    pk["mission_id_un"] = pk["mission_id_un"].astype(str)
    out = out.reset_index().merge(pk, on="mission_id_un", how="left")
    out["start_year"] = out["date_start"].dt.year.astype("Int64")
    return out[
        ["mission_id_un", "date_start", "start_year", "peak_personnel_n", "has_poc_mandate", "first_poc_year"]
    ]


def _poc_share(t: pd.DataFrame) -> tuple[float, int, int]:
    coded = t["has_poc_mandate"].notna()
    n_true = int(_true(t["has_poc_mandate"]).sum())
    n = int(coded.sum())
    return (n_true / n if n else np.nan), n_true, n


@_claim(
    "large_21c_missions_have_poc",
    tables=("un_missions", "mission_years"),
    sources=(
        "un_pko_missions",
        "kathman_pko_personnel",
        "unsc_resolutions_unxml",
        "pema",
        "tamm",
        "curated/personnel_2020_2024.csv",
    ),
)
def large_21c_missions_have_poc(
    tables: Mapping[str, pd.DataFrame], *, threshold: float = 0.9
) -> ClaimVerdict:
    """Large UN PKOs deployed in the 21st century carry a protection-of-civilians mandate."""
    um = _table(tables, "un_missions", ["mission_id_un", "is_peacekeeping", "date_start"])
    my = _table(tables, "mission_years", ["mission_id_un", "year", "personnel_total_n", "has_poc_mandate"])
    t = mission_table(my, um)
    big = (t["peak_personnel_n"] >= LARGE_MISSION_N).fillna(False)
    mid = (t["peak_personnel_n"] >= 5_000).fillna(False)
    new = (t["date_start"] >= pd.Timestamp("2000-01-01")).fillna(False)
    late99 = (t["date_start"] >= pd.Timestamp("1999-10-01")).fillna(False)
    old = t["date_start"].between(pd.Timestamp("1990-01-01"), pd.Timestamp("1999-12-31")).fillna(False)
    sets = {
        f"established 2000+, >= {LARGE_MISSION_N:,} (main)": new & big,
        "established 2000+, >= 5,000": new & mid,
        f"established 1999-10+ (adds MONUC, UNAMSIL), >= {LARGE_MISSION_N:,}": late99 & big,
        f"established 1990-1999, >= {LARGE_MISSION_N:,} (comparison)": old & big,
    }
    rows = []
    for label, mask in sets.items():
        share, k, n = _poc_share(t[mask])
        rows.append(
            {
                "variant": label,
                "missions": ", ".join(sorted(t.loc[mask, "mission_id_un"])),
                "with_poc_n": k,
                "coded_n": n,
                "share": share,
            }
        )
    if "has_poc_mandate_prev" in my.columns:  # the codings before the resolution texts (PEMA/TAMM, curated)
        prev = mission_table(my.assign(has_poc_mandate=my["has_poc_mandate_prev"]), um)
        share_p, k_p, n_p = _poc_share(prev[(new & big).to_numpy()])
        rows.append({"variant": f"established 2000+, >= {LARGE_MISSION_N:,}, previous codings (PEMA/TAMM, "
                                "curated)", "missions": ", ".join(sorted(t.loc[new & big, "mission_id_un"])),
                     "with_poc_n": k_p, "coded_n": n_p, "share": share_p})
    sens = pd.DataFrame(rows)
    share, k, n = sens.loc[0, "share"], int(sens.loc[0, "with_poc_n"]), int(sens.loc[0, "coded_n"])
    detail = t[(new | old) & mid].copy()
    detail["group"] = np.where(
        detail["date_start"] >= pd.Timestamp("2000-01-01"), "established 2000+", "established 1990-1999"
    )
    detail = detail.sort_values(["group", "peak_personnel_n"], ascending=[False, False]).reset_index(
        drop=True
    )
    without = sorted(t.loc[new & big & ~_true(t["has_poc_mandate"]), "mission_id_un"])
    caveat = (
        f"Large = largest yearly mean uniformed strength >= {LARGE_MISSION_N:,} (Kathman 1990-2019, curated "
        f"after). {k} of {n} large missions established since 2000 have a PoC mandate"
        + (f" (without: {', '.join(without)})" if without else "")
        + f". With a 5,000 cut-off: {sens.loc[1, 'with_poc_n']} of {sens.loc[1, 'coded_n']}; large missions "
        f"established 1990-1999: {sens.loc[3, 'with_poc_n']} of {sens.loc[3, 'coded_n']}, so the "
        "pattern is new in the 21st century. PoC = the mission itself protects civilians, read from the "
        "Security Council's resolutions 2000-2025 (PEMA/TAMM where no text decides)."
    )
    return ClaimVerdict(
        "large_21c_missions_have_poc",
        judge_levels(share, threshold, 0.5),
        round(share, 3),
        None,
        f"share of large UN PKOs established 2000+ with a PoC mandate ({k} of {n})",
        _vintage("large_21c_missions_have_poc"),
        caveat,
        detail=detail,
        sensitivity=sens,
    )


def poc_chapter_vii_table(mm: pd.DataFrame, years: tuple[int, int] = (2000, 2100)) -> pd.DataFrame:
    """Per UN PKO with a PoC mandate: PoC months by Chapter VII status, and agreement.

    Returns
    -------
    pandas.DataFrame
        ``mission_id_un``, ``poc_months_n``, ``ch7_true_n``, ``ch7_false_n``, ``ch7_na_n``,
        ``first_year``, ``last_year``, ``first_false_year``, ``last_false_year`` and
        ``status``: ``agrees`` (Chapter VII in every coded PoC month), ``exception`` (some
        coded PoC month without Chapter VII), ``not coded``.
    """
    x = mm[mm["year"].between(*years) & _true(mm["has_poc_mandate"])]
    ch7 = x["is_chapter_vii"].astype("boolean")
    x = x.assign(_t=ch7.eq(True).fillna(False), _f=ch7.eq(False).fillna(False), _na=ch7.isna())
    g = x.groupby("mission_id_un")
    out = pd.DataFrame(
        {
            "poc_months_n": g.size(),
            "ch7_true_n": g["_t"].sum(),
            "ch7_false_n": g["_f"].sum(),
            "ch7_na_n": g["_na"].sum(),
            "first_year": g["year"].min(),
            "last_year": g["year"].max(),
        }
    )
    fy = x[x["_f"]].groupby("mission_id_un")["year"]
    out["first_false_year"] = fy.min().reindex(out.index).astype("Int64")
    out["last_false_year"] = fy.max().reindex(out.index).astype("Int64")
    out["status"] = np.where(
        out["ch7_false_n"] > 0, "exception", np.where(out["ch7_true_n"] > 0, "agrees", "not coded")
    )
    out.index = out.index.astype(str)
    return out.reset_index()


@_claim(
    "poc_always_with_chapter_vii",
    tables=("mission_months",),
    sources=("unsc_resolutions_unxml", "tamm", "pema"),
)
def poc_always_with_chapter_vii(
    tables: Mapping[str, pd.DataFrame], *, threshold: float = 1.0
) -> ClaimVerdict:
    """A protection-of-civilians mandate always goes with Chapter VII."""
    mm = _table(tables, "mission_months", ["mission_id_un", "year", "has_poc_mandate", "is_chapter_vii"])
    t = poc_chapter_vii_table(mm)
    coded = t[t["status"] != "not coded"]
    share = float((coded["status"] == "agrees").mean()) if len(coded) else np.nan
    t15 = poc_chapter_vii_table(mm, (2000, 2015))
    c15 = t15[t15["status"] != "not coded"]
    months_share = t["ch7_true_n"].sum() / max(1, t["ch7_true_n"].sum() + t["ch7_false_n"].sum())
    x16 = mm[(mm["year"] >= 2016) & _true(mm["has_poc_mandate"])]
    cov16 = float(x16["is_chapter_vii"].notna().mean()) if len(x16) else np.nan
    variants = ["missions, 2000 on (main)", "PoC mission-months, 2000 on", "missions, 2000-2015"]
    shares = [share, months_share, float((c15["status"] == "agrees").mean()) if len(c15) else np.nan]
    if {"has_poc_mandate_prev", "is_chapter_vii_prev"} <= set(mm.columns):  # before the resolution texts
        tp = poc_chapter_vii_table(mm.assign(has_poc_mandate=mm["has_poc_mandate_prev"],
                                             is_chapter_vii=mm["is_chapter_vii_prev"]))
        cp = tp[tp["status"] != "not coded"]
        variants.append("missions, 2000 on, previous codings (TAMM to 2015, curated after)")
        shares.append(float((cp["status"] == "agrees").mean()) if len(cp) else np.nan)
    sens = pd.DataFrame({"variant": variants, "share": shares})
    exc = t[t["status"] == "exception"]
    exc_txt = "; ".join(
        f"{r.mission_id_un} ({r.first_false_year}-{r.last_false_year}, {r.ch7_false_n} PoC months "
        "without Chapter VII)"
        for r in exc.itertuples()
    )
    caveat = (
        f"{int((coded['status'] == 'agrees').sum())} of {len(coded)} UN PKOs with a PoC mandate since 2000 "
        f"have Chapter VII in every coded PoC month"
        + (f"; exception(s): {exc_txt}" if len(exc) else "")
        + f". Month level: {months_share:.1%} of coded PoC months are under Chapter VII. Chapter VII and PoC "
        f"are read from the Security Council's resolutions 2000-2025 (PEMA/TAMM where no text decides); "
        f"{cov16:.0%} of PoC months from 2016 on have a Chapter VII value."
    )
    if "UNIFIL" in set(exc["mission_id_un"]):
        caveat += " UNIFIL's PoC task dates from S/RES/1701 (2006), adopted without Chapter VII."
    return ClaimVerdict(
        "poc_always_with_chapter_vii",
        judge_levels(share, threshold, 0.8),
        round(share, 3),
        None,
        f"share of UN PKOs with a PoC mandate (2000 on) under Chapter VII in every coded PoC month "
        f"({int((coded['status'] == 'agrees').sum())} of {len(coded)})",
        _vintage("poc_always_with_chapter_vii"),
        caveat,
        detail=t,
        sensitivity=sens,
    )




#: Wording of a robust posture that a reader may take for an offensive task; the text rule for
#: offensive or neutralisation tasks (``analysis/core/mandate_rules.csv``, ``off_neutralise``)
#: does not count it.
POSTURE_PATTERN = r"robust|proactiv|pre-?empt|\bdeter\b|asymmetric"
#: Order in which posture words make a paragraph the one quoted.
POSTURE_ORDER = ("robust", "proactiv", "pre-empt", "deter", "asymmetric")
NEUTRALISATION_MISSION = "MINUSMA"


def _symbol(number: Any, date: Any) -> str:
    return f"S/RES/{int(number)} ({pd.Timestamp(date).year})" if pd.notna(date) else f"S/RES/{int(number)}"


def _clip(text: str, n: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def minusma_mandate_table(
    codings: pd.DataFrame, paragraphs: pd.DataFrame, mission: str = NEUTRALISATION_MISSION
) -> pd.DataFrame:
    """One row per mandate resolution of ``mission``: Chapter VII, use of force and offensive /
    neutralisation tasks as coded from the text, and the robust-posture paragraphs the offensive
    rule reads but does not count.

    Returns
    -------
    pandas.DataFrame
        ``resolution_number``, ``resolution`` (symbol), ``role``, ``adoption_date``,
        ``is_chapter_vii``, ``has_use_of_force``, ``has_offensive_mandate`` (nullable booleans),
        ``offensive_decision`` (text / absent / inherited / undecided), ``offensive_evidence``
        (label and quote when True), ``posture_paragraphs`` (labels of operative paragraphs
        with robust-posture wording, :data:`POSTURE_PATTERN`), ``posture_quote`` (the most
        telling of them, by :data:`POSTURE_ORDER`, at most 300 characters).
    """
    m = codings[codings["mission_id_un"] == mission]
    wide = m.pivot_table(index="resolution_number", columns="concept", values="value", aggfunc="first",
                         observed=True, dropna=False)
    first = m.drop_duplicates("resolution_number").set_index("resolution_number")
    off = m[m["concept"] == "has_offensive_mandate"].set_index("resolution_number")
    nums = sorted(int(n) for n in first.index)
    para = paragraphs[paragraphs["resolution_number"].isin(nums) & (paragraphs["kind"] != "preambular")]
    hit = para[para["text"].astype(str).str.contains(POSTURE_PATTERN, case=False, regex=True)]
    rows = []
    rank = hit["text"].astype(str).str.lower().map(
        lambda x: next((i for i, w in enumerate(POSTURE_ORDER) if w in x), len(POSTURE_ORDER)))
    hit = hit.assign(_rank=rank).sort_values(["resolution_number", "_rank", "paragraph_seq"])
    for n in nums:
        h = hit[hit["resolution_number"] == n]
        o = off.loc[n] if n in off.index else None
        ev = None
        if o is not None and pd.notna(o["value"]) and bool(o["value"]) and pd.notna(o["evidence_label"]):
            ev = f"{o['evidence_label']}: {o['evidence_quote']}"
        labels = h.sort_values("paragraph_seq")["label"].astype(str)
        rows.append({
            "resolution_number": n,
            "resolution": _symbol(n, first.loc[n, "adoption_date"]),
            "role": first.loc[n, "role"],
            "adoption_date": first.loc[n, "adoption_date"],
            **{c: (wide.loc[n, c] if c in wide.columns else pd.NA)
               for c in ("is_chapter_vii", "has_use_of_force", "has_offensive_mandate")},
            "offensive_decision": None if o is None else o["decision"],
            "offensive_evidence": ev,
            "posture_paragraphs": ", ".join(labels),
            "posture_quote": _clip(h["text"].iloc[0]) if len(h) else None,
        })
    cols = ["resolution_number", "resolution", "role", "adoption_date", "is_chapter_vii", "has_use_of_force",
            "has_offensive_mandate", "offensive_decision", "offensive_evidence", "posture_paragraphs",
            "posture_quote"]
    out = pd.DataFrame(rows, columns=cols)
    for c in ("is_chapter_vii", "has_use_of_force", "has_offensive_mandate"):
        out[c] = out[c].astype("boolean")
    return out


@_claim(
    "minusma_no_neutralization_mandate",
    tables=("sc_mandate_codings", "sc_paragraphs", "curated.mandates", "mandates_monthly"),
    sources=("unsc_resolutions_unxml", "pema", "curated/mandates_2016_2024.csv"),
)
def minusma_no_neutralization_mandate(
    tables: Mapping[str, pd.DataFrame], *, threshold: float = 0
) -> ClaimVerdict:
    """The Security Council did not give MINUSMA a Chapter VII mandate to neutralise (terrorist) groups.

    Read from the texts: the number of MINUSMA's mandate resolutions whose coding for offensive or
    neutralisation tasks is True (``sc_mandate_codings``; rule ``off_neutralise``: "neutralize",
    "intervention brigade", "(targeted) offensive operations" in a paragraph tasking the
    mission; robust-posture wording alone does not count). ``threshold``: the most such
    resolutions still read as "did not give" (0).
    """
    cod = _table(tables, "sc_mandate_codings", ["resolution_number", "mission_id_un", "concept", "value",
                                                "decision", "role", "adoption_date", "evidence_label",
                                                "evidence_quote"])
    par = _table(tables, "sc_paragraphs", ["resolution_number", "paragraph_seq", "kind", "label", "text"])
    cur = _table(tables, "curated.mandates", ["mission_id_un", "resolution", "has_offensive_mandate"])
    ref = _table(tables, "mandates_monthly",
                 ["mission_id_un", "year", "month", "has_offensive_mandate_pema_v1_2"])
    mission = NEUTRALISATION_MISSION
    t = minusma_mandate_table(cod, par, mission)
    if t.empty:
        raise ClaimError(f"sc_mandate_codings has no mandate resolution of {mission}")
    off = t["has_offensive_mandate"]
    n_res, n_true = len(t), int(_true(off).sum())
    n_decided, n_undecided = int(off.notna().sum()), int(off.isna().sum())
    ch7 = t["is_chapter_vii"]
    if n_true <= threshold and n_undecided == 0:
        verdict = "supported"
    elif n_true <= threshold or n_true < n_decided:
        verdict = "partly supported"
    else:
        verdict = "contradicted"
    others = cod[(cod["concept"] == "has_offensive_mandate") & _true(cod["value"])
                 & (cod["decision"] == "text") & (cod["mission_id_un"] != mission)]
    others = others.sort_values("resolution_number")
    others = others.drop_duplicates("mission_id_un")
    contrast = "; ".join(f"{r.mission_id_un} from {_symbol(r.resolution_number, r.adoption_date)} "
                         f"({r.evidence_label})" for r in others.itertuples())
    c = cur[cur["mission_id_un"] == mission]
    c_coded = c["has_offensive_mandate"].astype("boolean").dropna()
    r = ref[ref["mission_id_un"] == mission]["has_offensive_mandate_pema_v1_2"].astype("boolean").dropna()
    sens = pd.DataFrame({
        "variant": ["texts: offensive or neutralisation task (main)",
                    "texts: Chapter VII (recital, or kept by an extension)",
                    "curated table: offensive incl. robust-posture formula (resolutions)",
                    "PEMA v1.2: offensive operations (mission-months, to 2017)"],
        "true_n": [n_true, int(_true(ch7).sum()), int(c_coded.sum()), int(r.sum())],
        "coded_n": [n_decided, int(ch7.notna().sum()), len(c_coded), len(r)],
    })
    sens["share"] = sens["true_n"] / sens["coded_n"].where(sens["coded_n"] > 0)
    posture = t.dropna(subset=["posture_quote"])
    robust = posture[posture["posture_quote"].str.contains("robust", case=False)]
    ex = robust.iloc[0] if len(robust) else posture.iloc[0] if len(posture) else None
    caveat = (
        f"{mission}'s {n_res} mandate resolutions ({t['resolution'].iloc[0]} to {t['resolution'].iloc[-1]}): "
        f"Chapter VII in {int(_true(ch7).sum())}, 'all necessary means' in "
        f"{int(_true(t['has_use_of_force']).sum())}, "
        f"an offensive or neutralisation task in {n_true}"
        + (f" ({n_undecided} undecided)" if n_undecided else "")
        + ". The rule counts 'neutralize', an 'intervention brigade' or '(targeted) offensive operations' "
        "in a paragraph tasking the mission."
        + (f" Other UN PKOs whose text gives such a task: {contrast}." if contrast else "")
        + (f" Closest wording for {mission}: robust posture, e.g. {ex['resolution']} "
           f"'{_clip(ex['posture_quote'], 160)}'; "
           f"{len(posture)} of {n_res} resolutions carry such wording." if ex is not None else "")
        + " Read as offensive, that wording gives another verdict: the curated table codes "
        f"{int(c_coded.sum())} of {len(c_coded)} {mission} resolutions offensive, PEMA v1.2 {int(r.sum())} "
        f"of {len(r)} mission-months."
        " The rule does not code whom a task targets (armed groups or terrorist organisations)."
    )
    return ClaimVerdict(
        "minusma_no_neutralization_mandate",
        verdict,
        n_true,
        None,
        f"{mission} mandate resolutions with an offensive or neutralisation task "
        f"({n_true} of {n_decided} decided)",
        _vintage("minusma_no_neutralization_mandate"),
        caveat,
        detail=t,
        sensitivity=sens,
    )
