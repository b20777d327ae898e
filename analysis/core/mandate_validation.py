"""Validation of the text codings: shown, not asserted. Frames in, frames out; nothing is loaded here.

* :func:`agreement_table` - mission-month agreement and Cohen's kappa of the text values
  (``sc_mandates_monthly``, text sources only) with TAMM (to 2015-12), PEMA v2 (to 2019-12) and
  PEMA v1.2 (Africa, to 2017-12), for every concept they share.
* :func:`classify_disagreements` - the mission-months where text and a reference disagree, each
  with a class explaining it (:data:`DISAGREEMENT_CLASSES`).
* :func:`metadata_chapter_vii_agreement` / :func:`classify_chapter_vii_disagreements` - the text's
  "Acting under Chapter VII" against the metadata ``chapter_VII`` flag, by resolution.
* :func:`curated_check` - the curated 2016-2024 mandates table against the texts: every
  resolution number exists (with its date), and agreement per concept.
* :func:`gold_sample` / :func:`gold_scores` - the gold set of hand-checked decisions (seeded,
  stratified draw; precision and recall per concept). The committed gold set
  (``data/curated/mandate_coding_gold.csv``, :func:`load_gold`) was drawn with
  ``gold_sample(codings, per_concept=14, seed=GOLD_SEED)`` from the codings of commit 3aee009 (a draw
  from later codings differs); its ids stay fixed and :func:`gold_scores` re-scores the current
  codings on them. The draw is balanced (7 True, 7 False per concept), so precision and recall are
  those of a balanced sample, not of the population of decisions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Text concept -> (reference source, column of ``mandates_monthly``, last year of the source).
REFERENCE_COLUMNS: dict[str, tuple[tuple[str, str, int], ...]] = {
    "is_chapter_vii": (("tamm", "is_chapter_vii_tamm", 2015),),
    "has_poc_mandate": (
        ("tamm", "has_poc_mandate_tamm", 2015),
        ("pema_v2", "has_poc_mandate_pema_v2", 2019),
        ("pema_v1_2", "has_poc_mandate_pema_v1_2", 2017),
    ),
    "has_use_of_force": (
        ("pema_v2", "has_use_of_force_pema_v2", 2019),
        ("pema_v1_2", "has_use_of_force_pema_v1_2", 2017),
    ),
    "has_offensive_mandate": (("pema_v1_2", "has_offensive_mandate_pema_v1_2", 2017),),
}
TEXT_SOURCES = ("text", "text_inherited")
_KEY = ["mission_id_un", "year", "month"]


def kappa(a: pd.Series, b: pd.Series) -> float:
    """Cohen's kappa of two boolean series (no NA); NA when chance agreement is 1."""
    a, b = a.astype(bool).to_numpy(), b.astype(bool).to_numpy()
    if len(a) == 0:
        return float("nan")
    po = float((a == b).mean())
    pe = float(a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean()))
    return (po - pe) / (1 - pe) if pe < 1 else float("nan")


def _paired(
    monthly: pd.DataFrame, mandates_monthly: pd.DataFrame, concept: str, col: str, last_year: int
) -> pd.DataFrame:
    t = monthly[(monthly["concept"] == concept) & monthly["source"].isin(TEXT_SOURCES)]
    t = t[
        ["mission_id_un", "year", "month", "value", "governing_resolution", "evidence_resolution", "source"]
    ]
    r = mandates_monthly[_KEY + [col]].rename(columns={col: "ref"})
    x = t.astype({"mission_id_un": str}).merge(r.astype({"mission_id_un": str}), on=_KEY, how="inner")
    x = x[x["year"] <= last_year].dropna(subset=["value", "ref"])
    x["value"] = x["value"].astype(bool)
    x["ref"] = x["ref"].astype(bool)
    return x


def agreement_table(monthly: pd.DataFrame, mandates_monthly: pd.DataFrame) -> pd.DataFrame:
    """Text vs TAMM / PEMA by mission-month, per shared concept.

    Parameters
    ----------
    monthly
        ``sc_mandates_monthly``; only months whose value comes from the text (``text``,
        ``text_inherited``) are compared.
    mandates_monthly
        ``mandates_monthly`` (per-source columns).

    Returns
    -------
    pandas.DataFrame
        One row per (concept, reference): ``months_n``, ``missions_n``, ``agreement``,
        ``kappa``, ``both_true_n``, ``text_only_n`` (text True, reference False),
        ``ref_only_n``, ``text_share`` and ``ref_share`` (share True).
    """
    rows = []
    for concept, refs in REFERENCE_COLUMNS.items():
        for ref, col, last in refs:
            x = _paired(monthly, mandates_monthly, concept, col, last)
            a, b = x["value"], x["ref"]
            rows.append(
                {
                    "concept": concept,
                    "reference": ref,
                    "years": f"2000-{last}",
                    "months_n": len(x),
                    "missions_n": int(x["mission_id_un"].nunique()),
                    "agreement": float((a == b).mean()) if len(x) else float("nan"),
                    "kappa": kappa(a, b),
                    "both_true_n": int((a & b).sum()),
                    "text_only_n": int((a & ~b).sum()),
                    "ref_only_n": int((~a & b).sum()),
                    "text_share": float(a.mean()) if len(x) else float("nan"),
                    "ref_share": float(b.mean()) if len(x) else float("nan"),
                }
            )
    return pd.DataFrame(rows)


#: Classes of mission-month disagreements, in the order they are tested.
DISAGREEMENT_CLASSES = {
    "ref_lags_renewal": "the reference changes value within 3 months of the governing resolution's adoption "
    "(dating: the reference codes the change in another month)",
    "inherited_extension": "the text value is inherited by an extension that does not restate the mandate; "
    "the "
    "reference recodes the extension",
    "uof_ch7_wording": "use of force: the text has no 'authorizes <mission> to use all necessary means' "
    "while "
    "the reference codes a use-of-force task (e.g. from 'take the necessary action' in a "
    "list of tasks, or a general Chapter VII authorisation)",
    "poc_wording": "PoC: the text names protection of civilians in a mission paragraph the reference does "
    "not "
    "code as a securing task (or the reverse: the reference's PoC rests on wording our rule "
    "does not read, e.g. 'protect the population')",
    "chapter_vii_scope": "Chapter VII: the recital covers only part of the text, or TAMM codes the mission's "
    "Chapter VII basis from an earlier resolution",
    "offensive_posture_wording": "offensive: the reference codes an offensive task from robust-posture "
    "wording ('a more proactive and robust posture', 'anticipate, deter and counter threats', 'deter "
    "violence ... through proactive deployment'); our rule counts only 'neutralize', 'intervention "
    "brigade' and '(targeted) offensive operations'",
    "other": "none of the above",
}

#: Classes of :func:`classify_chapter_vii_disagreements` (recital in the text vs the metadata flag).
CHAPTER_VII_FLAG_CLASSES = {
    "flag_article_41": "flag set, no recital: the text decides measures 'under Article 41' (sanctions) "
    "without the words 'Acting under Chapter VII'",
    "flag_chapter_vii_mentioned": "flag set, no recital: the text names Chapter VII otherwise (e.g. 'under "
    "Chapter VII' inside an operative paragraph, or 'resolutions adopted under Chapter VII')",
    "flag_without_wording": "flag set, Chapter VII not named anywhere in the text",
    "recital_flag_empty": "recital present, flag empty in the metadata",
}


def classify_disagreements(
    monthly: pd.DataFrame, mandates_monthly: pd.DataFrame, codings: pd.DataFrame
) -> pd.DataFrame:
    """Every mission-month where the text value and a reference disagree, with its class.

    Returns one row per (concept, reference, mission-month): the text value, the reference value,
    the governing resolution, ``class`` (a key of :data:`DISAGREEMENT_CLASSES`) and
    ``explanation``. Summarise with ``.groupby(["concept", "reference", "class"]).size()``.
    """
    out = []
    cod = codings.set_index(["mission_id_un", "resolution_number", "concept"])
    for concept, refs in REFERENCE_COLUMNS.items():
        for ref, col, last in refs:
            x = _paired(monthly, mandates_monthly, concept, col, last)
            x = x.sort_values(_KEY)
            x["mo"] = x["year"] * 12 + x["month"]
            # reference value change months per mission
            chg = x["ref"].ne(x.groupby("mission_id_un")["ref"].shift()) & x["mission_id_un"].eq(
                x["mission_id_un"].shift()
            )
            change_months = x.loc[chg, ["mission_id_un", "mo"]]
            d = x[x["value"] != x["ref"]].copy()
            if d.empty:
                continue
            ad = codings.drop_duplicates(["mission_id_un", "resolution_number"]).set_index(
                ["mission_id_un", "resolution_number"]
            )["adoption_date"]
            gm = [
                ad.get((m, int(g)), pd.NaT) if pd.notna(g) else pd.NaT
                for m, g in zip(d["mission_id_un"], d["governing_resolution"])
            ]
            d["gm"] = [t.year * 12 + t.month if pd.notna(t) else np.nan for t in gm]
            classes = []
            for r in d.itertuples(index=False):
                near = change_months[(change_months["mission_id_un"] == r.mission_id_un)]
                if pd.notna(r.gm) and ((near["mo"] - r.gm).abs() <= 3).any() and abs(r.mo - r.gm) <= 3:
                    classes.append("ref_lags_renewal")
                    continue
                dec = (
                    cod["decision"].get((r.mission_id_un, int(r.governing_resolution), concept), None)
                    if pd.notna(r.governing_resolution)
                    else None
                )
                if dec == "inherited":
                    classes.append("inherited_extension")
                elif concept == "has_use_of_force":
                    classes.append("uof_ch7_wording")
                elif concept == "has_poc_mandate":
                    classes.append("poc_wording")
                elif concept == "is_chapter_vii":
                    classes.append("chapter_vii_scope")
                elif concept == "has_offensive_mandate" and not r.value:
                    classes.append("offensive_posture_wording")
                else:
                    classes.append("other")
            d["class"] = classes
            d["explanation"] = d["class"].map(DISAGREEMENT_CLASSES)
            d["concept"], d["reference"] = concept, ref
            out.append(
                d[
                    [
                        "concept",
                        "reference",
                        *_KEY,
                        "value",
                        "ref",
                        "governing_resolution",
                        "class",
                        "explanation",
                    ]
                ]
            )
    cols = ["concept", "reference", *_KEY, "value", "ref", "governing_resolution", "class", "explanation"]
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=cols)


def metadata_chapter_vii_agreement(resolutions: pd.DataFrame) -> dict[str, float]:
    """Agreement by resolution between the text recital and the metadata flag.

    Returns ``n`` (resolutions with text and a True/False flag), ``agree_n``, ``agreement``,
    ``kappa``, ``text_only_n`` (recital, flag empty), ``flag_only_n`` (flag, no recital).
    """
    r = resolutions.dropna(subset=["is_chapter_vii_text", "is_chapter_vii_meta"])
    a, b = r["is_chapter_vii_text"].astype(bool), r["is_chapter_vii_meta"].astype(bool)
    return {
        "n": len(r),
        "agree_n": int((a == b).sum()),
        "agreement": float((a == b).mean()),
        "kappa": kappa(a, b),
        "text_only_n": int((a & ~b).sum()),
        "flag_only_n": int((~a & b).sum()),
    }


def classify_chapter_vii_disagreements(resolutions: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Resolutions where the recital and the metadata flag disagree, each with a class.

    Classes (:data:`CHAPTER_VII_FLAG_CLASSES` explains each): ``flag_article_41`` (flag set, no
    recital, the text decides measures 'under Article 41' - sanctions), ``flag_chapter_vii_mentioned``
    (flag set, no recital, but the text names Chapter VII otherwise, e.g. 'under Chapter VII' in an
    operative paragraph or 'resolutions adopted under Chapter VII'), ``flag_without_wording`` (flag
    set, Chapter VII not named), ``recital_flag_empty`` (recital present, flag empty).
    """
    r = resolutions.dropna(subset=["is_chapter_vii_text", "is_chapter_vii_meta"])
    r = r[r["is_chapter_vii_text"].astype(bool) != r["is_chapter_vii_meta"].astype(bool)]
    text = paragraphs.groupby("resolution_number")["text"].apply(" ".join)
    rows = []
    for x in r.itertuples(index=False):
        t = text.get(x.resolution_number, "")
        if bool(x.is_chapter_vii_text):
            cls = "recital_flag_empty"
        elif "Article 41" in t:
            cls = "flag_article_41"
        elif "Chapter VII" in t:
            cls = "flag_chapter_vii_mentioned"
        else:
            cls = "flag_without_wording"
        rows.append(
            {
                "resolution_number": x.resolution_number,
                "title": x.title,
                "is_chapter_vii_text": x.is_chapter_vii_text,
                "is_chapter_vii_meta": x.is_chapter_vii_meta,
                "class": cls,
            }
        )
    return pd.DataFrame(
        rows, columns=["resolution_number", "title", "is_chapter_vii_text", "is_chapter_vii_meta", "class"]
    )


#: Curated concept -> text concept.
CURATED_PAIRS = {
    "is_chapter_vii": "is_chapter_vii",
    "has_poc_mandate": "has_poc_mandate",
    "has_all_necessary_means": "has_use_of_force",
    "has_offensive_mandate": "has_offensive_mandate",
    "has_partnership_language": "has_partnership_language",
}


def curated_check(
    curated_mandates: pd.DataFrame,
    resolutions: pd.DataFrame,
    mission_resolutions: pd.DataFrame,
    codings: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The curated 2016-2024 table as a check on the texts.

    Returns
    -------
    (ids, agreement)
        ``ids``: one row per curated (mission, resolution) with ``is_in_sc_resolutions``,
        ``is_in_mission_map`` (the text map links the resolution to the mission),
        ``text_role``, ``curated_type``, ``is_date_equal`` (curated day-precision adoption date
        equals the text's; NA otherwise). ``agreement``: per concept, rows where both code it,
        agreement, kappa, and the disagreeing resolutions.
    """
    cur = curated_mandates.copy()
    cur["resolution_number"] = cur["resolution"].str.extract(r"(\d+)$")[0].astype(int)
    res = resolutions.set_index("resolution_number")
    mr = mission_resolutions.set_index(["resolution_number", "mission_id"])
    ids = cur[
        [
            "mission_id_un",
            "resolution",
            "resolution_number",
            "resolution_type",
            "adoption_date",
            "adoption_date_precision",
        ]
    ].copy()
    ids["is_in_sc_resolutions"] = ids["resolution_number"].isin(res.index)
    ids["text_role"] = [
        mr["role"].get((n, m)) if (n, m) in mr.index else None
        for n, m in zip(ids["resolution_number"], ids["mission_id_un"])
    ]
    ids["is_in_mission_map"] = ids["text_role"].notna()
    text_date = ids["resolution_number"].map(res["adoption_date"])
    day = ids["adoption_date_precision"] == "day"
    ids["is_date_equal"] = (ids["adoption_date"] == text_date).astype("boolean").where(day)
    cod = codings.set_index(["mission_id_un", "resolution_number", "concept"])["value"]
    rows = []
    for ccol, tcol in CURATED_PAIRS.items():
        t = [cod.get((m, n, tcol), pd.NA) for m, n in zip(cur["mission_id_un"], cur["resolution_number"])]
        x = pd.DataFrame(
            {
                "cur": cur[ccol].astype("boolean"),
                "text": pd.Series(t, dtype="boolean"),
                "res": cur["resolution"],
                "mission": cur["mission_id_un"],
            }
        ).dropna(subset=["cur", "text"])
        a, b = x["text"].astype(bool), x["cur"].astype(bool)
        dis = x[a != b]
        rows.append(
            {
                "curated_concept": ccol,
                "text_concept": tcol,
                "n": len(x),
                "agreement": float((a == b).mean()) if len(x) else float("nan"),
                "kappa": kappa(a, b),
                "disagreements": "; ".join(
                    f"{m} {r} (text {bool(v)})" for m, r, v in zip(dis["mission"], dis["res"], dis["text"])
                ),
            }
        )
    return ids, pd.DataFrame(rows)


# ------------------------------------------------------------------------------------ gold set
GOLD_CONCEPTS = (
    "is_chapter_vii",
    "has_poc_mandate",
    "has_use_of_force",
    "has_offensive_mandate",
    "has_ct_pve_language",
    "has_stabilisation_mandate",
)
GOLD_SEED = 20260721


def gold_sample(codings: pd.DataFrame, per_concept: int = 14, seed: int = GOLD_SEED) -> pd.DataFrame:
    """A stratified random draw of decisions read from the text (``decision`` text or absent):
    ``per_concept`` per concept in :data:`GOLD_CONCEPTS`, half True and half False where possible,
    reproducible with ``seed``."""
    c = codings[codings["concept"].isin(GOLD_CONCEPTS) & codings["decision"].isin(["text", "absent"])]
    rng = np.random.default_rng(seed)
    out = []
    for concept in GOLD_CONCEPTS:
        x = c[c["concept"] == concept].sort_values(["resolution_number", "mission_id_un"])
        for val, k in ((True, per_concept - per_concept // 2), (False, per_concept // 2)):
            pool = x[x["value"] == val]
            take = min(k, len(pool))
            out.append(pool.iloc[np.sort(rng.choice(len(pool), size=take, replace=False))])
    g = pd.concat(out, ignore_index=True)
    return g[["resolution_number", "mission_id_un", "concept", "value", "decision", "evidence_label"]]


def gold_scores(codings: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall per concept of the current codings against the gold verdicts.

    ``gold`` has ``resolution_number``, ``mission_id_un``, ``concept`` and ``gold_value`` (the
    hand-checked truth). Returns per concept: ``n``, ``tp``, ``fp``, ``fn``, ``tn``,
    ``precision``, ``recall``, ``accuracy``, ``undecided_n`` (now NA).
    """
    cod = codings.set_index(["resolution_number", "mission_id_un", "concept"])["value"]
    g = gold.copy()
    g["coded"] = [
        cod.get((int(n), m, c), pd.NA)
        for n, m, c in zip(g["resolution_number"], g["mission_id_un"], g["concept"])
    ]
    rows = []
    for concept, x in g.groupby("concept", sort=True):
        und = x["coded"].isna()
        y = x[~und]
        p, t = y["coded"].astype(bool), y["gold_value"].astype(bool)
        tp, fp = int((p & t).sum()), int((p & ~t).sum())
        fn, tn = int((~p & t).sum()), int((~p & ~t).sum())
        rows.append(
            {
                "concept": concept,
                "n": len(x),
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "tn": tn,
                "precision": tp / (tp + fp) if tp + fp else float("nan"),
                "recall": tp / (tp + fn) if tp + fn else float("nan"),
                "accuracy": (tp + tn) / len(y) if len(y) else float("nan"),
                "undecided_n": int(und.sum()),
            }
        )
    return pd.DataFrame(rows)


GOLD_FILE = "mandate_coding_gold.csv"
GOLD_COLUMNS = (
    "resolution_number",
    "mission_id_un",
    "concept",
    "coded_value",
    "gold_value",
    "verdict",
    "is_evidence_adequate",
    "reason",
    "sample_seed",
    "checked",
)


def load_gold(path: str | None = None) -> pd.DataFrame:
    """The gold set ``data/curated/mandate_coding_gold.csv``: ids, the value coded when checked,
    the hand-checked ``gold_value`` (the concept's true value for the mandate the resolution sets,
    including what an extension keeps), ``verdict``, ``is_evidence_adequate`` (the paragraph cited
    at check time supports the value) and ``reason`` (what was read; no text of the resolutions).

    Bad input is an error naming the file, column and 1-based line.
    """
    from pathlib import Path

    from analysis.config import curated_dir
    from analysis.errors import DataError
    from analysis.sources._base import check_csv_fields

    p = Path(path) if path is not None else curated_dir() / GOLD_FILE
    if not p.is_file():
        raise DataError(p, "file not found")
    check_csv_fields(p)
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    missing = [c for c in GOLD_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(p, f"expected column is missing (have: {list(df.columns)})", column=missing[0])
    for c in ("coded_value", "gold_value", "is_evidence_adequate"):
        bad = ~df[c].isin(["True", "False"])
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise DataError(p, f"not True/False: {df[c].iloc[i]!r}", column=c, row=i)
        df[c] = df[c] == "True"
    bad = ~df["verdict"].isin(["agree", "disagree"]) | (
        (df["verdict"] == "agree") != (df["coded_value"] == df["gold_value"])
    )
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(
            p,
            "verdict must be 'agree' exactly when coded_value equals gold_value",
            column="verdict",
            row=i,
        )
    bad = df["reason"].str.strip() == ""
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(p, "every verdict needs a reason", column="reason", row=i)
    df["resolution_number"] = df["resolution_number"].astype(int)
    dup = df.duplicated(["resolution_number", "mission_id_un", "concept"])
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataError(p, "duplicate (resolution_number, mission_id_un, concept)", row=i)
    return df


def _declare_gold_keys() -> None:
    from analysis.curated.keys import ForeignKey, declare

    declare(GOLD_FILE, load_gold,
            ForeignKey("resolution_number", "sc_resolutions", "resolution_number", within_range=True),
            ForeignKey("mission_id_un", "un_missions", "mission_id_un"))


_declare_gold_keys()
