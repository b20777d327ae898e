"""The gold set of ceiling decisions: hand-checked paragraphs, and precision and recall of ``sc_ceilings``.

The committed set (``data/curated/mandate_ceiling_gold.csv``, :func:`load_ceiling_gold`) was drawn
with ``gold_draw(sc_ceilings, sc_paragraphs, sc_mission_resolutions, seed=CEILING_GOLD_SEED)``
from the statements of commit c93a382: 12 paragraphs with statements (precision) and 8 candidate
paragraphs without (recall: operative paragraphs of resolutions about a single UN PKO with a
number of persons and ceiling wording). Each paragraph was read by hand; one row per paragraph
and component holds the statement coded at check time and the true one, as labels
(:func:`statement_label`: ``set 15000``, ``increase 140``, ``decrease 1990 from 2013-09-30``,
``extend until 2007-02-15``, ``unknown``, ``none``). :func:`ceiling_gold_scores` re-scores the
current statements against the verdicts (a later draw differs; the ids stay fixed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.mandate_ceiling_text import _first

CEILING_GOLD_SEED = 20261205
CEILING_GOLD_FILE = "mandate_ceiling_gold.csv"
CEILING_GOLD_COLUMNS = (
    "resolution_number",
    "mission_id_un",
    "paragraph_seq",
    "evidence_label",
    "stratum",
    "component",
    "coded_statement",
    "gold_statement",
    "verdict",
    "reason",
    "sample_seed",
)
_ID = ["resolution_number", "mission_id_un", "paragraph_seq"]
_PERSONS = (
    r"\d{2,3}(?:,\d{3})?\s+(?:additional |military |police |uniformed |civilian )?"
    r"(?:troops|personnel|police|military|officers|observers)"
)


def statement_label(st: pd.Series) -> str:
    """A statement of ``sc_ceilings`` as a short label (operation, persons, dates that differ from
    adoption)."""
    op = str(st["operation"])
    parts = [op]
    if pd.notna(st["value_n"]):
        parts.append(f"{float(st['value_n']):.0f}")
    if op != "extend" and pd.notna(st["effective_date"]) and st["effective_date"] != st["adoption_date"]:
        parts.append(f"from {pd.Timestamp(st['effective_date']):%Y-%m-%d}")
    if pd.notna(st["until_date"]):
        parts.append(f"until {pd.Timestamp(st['until_date']):%Y-%m-%d}")
    return " ".join(parts)


def gold_draw(
    ceilings: pd.DataFrame,
    paragraphs: pd.DataFrame,
    mission_resolutions: pd.DataFrame,
    seed: int = CEILING_GOLD_SEED,
    coded_n: int = 12,
    not_coded_n: int = 8,
) -> pd.DataFrame:
    """The paragraphs to check: ``coded_n`` drawn from those with statements, ``not_coded_n``
    from candidate paragraphs without (module docstring), with the coded labels per component."""
    from analysis.core.resolutions import mission_rules

    rng = np.random.default_rng(seed)
    pos = ceilings[_ID].drop_duplicates().sort_values(_ID).reset_index(drop=True)
    pick_pos = pos.iloc[np.sort(rng.choice(len(pos), coded_n, replace=False))]
    pko = {m["id"] for m in mission_rules()["missions"] if m["kind"] == "un_pko"}
    mr = mission_resolutions[mission_resolutions["mission_id"].isin(pko)][["resolution_number", "mission_id"]]
    mr = mr[mr.groupby("resolution_number")["mission_id"].transform("size") == 1]
    op = paragraphs[
        (paragraphs["kind"] == "operative") & paragraphs["resolution_number"].isin(mr["resolution_number"])
    ]
    op = op[op["text"].str.contains(_PERSONS, regex=True)]
    op = op[op["text"].map(lambda t: _first("ceiling_context", t) is not None)]
    op = op.merge(mr, on="resolution_number").rename(columns={"mission_id": "mission_id_un"})
    have = set(zip(pos["resolution_number"], pos["mission_id_un"], pos["paragraph_seq"]))
    neg = op[[k not in have for k in zip(op["resolution_number"], op["mission_id_un"], op["paragraph_seq"])]]
    neg = neg[_ID].drop_duplicates().sort_values(_ID).reset_index(drop=True)
    pick_neg = neg.iloc[np.sort(rng.choice(len(neg), not_coded_n, replace=False))]
    pick = pd.concat([pick_pos.assign(stratum="coded"), pick_neg.assign(stratum="not_coded")])
    coded = coded_labels(ceilings)
    out = pick.merge(coded, on=_ID, how="left")
    out["component"] = out["component"].fillna("none")
    out["coded_statement"] = out["coded_statement"].fillna("none")
    return out.reset_index(drop=True)


def coded_labels(ceilings: pd.DataFrame) -> pd.DataFrame:
    """Per paragraph and component, the coded statements' labels (joined by '; ')."""
    c = ceilings.sort_values([*_ID, "statement_n"]).copy()
    c["coded_statement"] = [statement_label(r) for _, r in c.iterrows()]
    return c.groupby([*_ID, "component"], as_index=False)["coded_statement"].agg("; ".join)


def ceiling_gold_scores(ceilings: pd.DataFrame, gold: pd.DataFrame) -> dict[str, float]:
    """Precision (coded statements that are true) and recall (true statements coded) of the
    current ``ceilings`` on the gold paragraphs; ``n_paragraphs``, ``n_coded``, ``n_gold``."""
    cur = coded_labels(ceilings).set_index([*_ID, "component"])["coded_statement"]
    g = gold.copy()
    g["now"] = [
        cur.get((int(n), str(m), int(s), str(c)), "none")
        for n, m, s, c in zip(g["resolution_number"], g["mission_id_un"], g["paragraph_seq"], g["component"])
    ]
    # a statement coded now for a component the gold rows of its paragraph do not list is false
    keys = set(zip(g["resolution_number"].astype(int), g["mission_id_un"], g["paragraph_seq"].astype(int)))
    listed = set(zip(g["resolution_number"].astype(int), g["mission_id_un"], g["paragraph_seq"].astype(int),
                     g["component"]))
    extra = [k for k in cur.index if k[:3] in keys and k not in listed]
    coded = (g["now"] != "none").sum() + len(extra)
    true_pos = ((g["now"] != "none") & (g["now"] == g["gold_statement"])).sum()
    gold_n = (g["gold_statement"] != "none").sum()
    return {
        "n_paragraphs": float(len(keys)),
        "n_coded": float(coded),
        "n_gold": float(gold_n),
        "precision": float(true_pos / coded) if coded else float("nan"),
        "recall": float(true_pos / gold_n) if gold_n else float("nan"),
    }


def load_ceiling_gold(path: str | Path | None = None) -> pd.DataFrame:
    """The gold set ``data/curated/mandate_ceiling_gold.csv`` (module docstring). Bad input is an
    error naming the file, column and 1-based line."""
    from analysis.config import curated_dir
    from analysis.errors import DataError
    from analysis.sources._base import check_csv_fields

    p = Path(path) if path is not None else curated_dir() / CEILING_GOLD_FILE
    if not p.is_file():
        raise DataError(p, "file not found")
    check_csv_fields(p)
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    missing = [c for c in CEILING_GOLD_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(p, f"expected column is missing (have: {list(df.columns)})", column=missing[0])
    checks = [
        ("component", ~df["component"].isin(["military", "police", "combined", "none"]),
         "component must be military, police, combined or none"),
        ("stratum", ~df["stratum"].isin(["coded", "not_coded"]), "stratum must be coded or not_coded"),
        ("verdict", ~df["verdict"].isin(["agree", "disagree"])
         | ((df["verdict"] == "agree") != (df["coded_statement"] == df["gold_statement"])),
         "verdict must be 'agree' exactly when coded_statement equals gold_statement"),
        ("reason", df["reason"].str.strip() == "", "every verdict needs a reason"),
        ("resolution_number", ~df["resolution_number"].str.fullmatch(r"\d{1,4}"), "not a resolution number"),
        ("paragraph_seq", ~df["paragraph_seq"].str.fullmatch(r"\d+"), "not a paragraph_seq"),
    ]
    for column, bad, message in checks:
        if bad.any():
            raise DataError(p, message, column=column, row=int(bad.to_numpy().nonzero()[0][0]))
    for c in ("resolution_number", "paragraph_seq", "sample_seed"):
        df[c] = df[c].astype(int)
    dup = df.duplicated([*_ID, "component"])
    if dup.any():
        raise DataError(p, "duplicate (resolution_number, mission_id_un, paragraph_seq, component)",
                        row=int(dup.to_numpy().nonzero()[0][0]))
    return df


def _declare_keys() -> None:
    from analysis.curated.keys import ForeignKey, declare

    declare(CEILING_GOLD_FILE, load_ceiling_gold,
            ForeignKey("resolution_number", "sc_resolutions", "resolution_number", within_range=True),
            ForeignKey("mission_id_un", "un_missions", "mission_id_un"))


_declare_keys()
