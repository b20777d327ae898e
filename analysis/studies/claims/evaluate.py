"""Evaluation of the whole claims table: load what the claims need, check the registry, one
verdict per row, the verdict table and its data versions."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.curated.claims import FILE_CLAIMS, claims_path, load_claims
from analysis.errors import DataError
from analysis.studies.claims.base import (
    EVALUATORS,
    SPECS,
    ClaimError,
    ClaimVerdict,
)


def load_table(name: str) -> pd.DataFrame:
    """Load a table by the name used in ``essay_claims.csv``: core/panel names through
    :func:`analysis.data.load`, ``curated.<name>`` through :data:`analysis.curated.CURATED`."""
    if name.startswith("curated."):
        from analysis.curated import CURATED

        key = name.removeprefix("curated.")
        if key not in CURATED:
            raise ClaimError(f"unknown curated table {name!r}; known: {sorted(CURATED)}")
        return CURATED[key].load()
    from analysis.data import load

    return load(name)


def check_registry(claims: pd.DataFrame, path: str | Path | None = None) -> None:
    """Every claim row has an evaluation function with the same tables, and every function a row.

    Raises
    ------
    ClaimError
        Rows without a function or functions without a row (listed).
    DataError
        A row's ``tables`` differ from its function's tables, or ``threshold`` from the
        function's default (names the file, column and row).
    """
    p = path if path is not None else claims_path()
    ids = list(claims["claim_id"].astype(str))
    missing = [c for c in ids if c not in EVALUATORS]
    orphans = [c for c in EVALUATORS if c not in ids]
    if missing or orphans:
        raise ClaimError(
            f"claims without an evaluation function: {missing}; functions without a claim row: {orphans}"
        )
    for i, r in enumerate(claims.itertuples()):
        spec = SPECS[str(r.claim_id)]
        listed = set() if pd.isna(r.tables) else set(str(r.tables).split(";"))
        if listed != set(spec.tables):
            raise DataError(
                p,
                f"tables {sorted(listed)} differ from the evaluation function's {sorted(spec.tables)}",
                column="tables",
                row=i,
            )
        default = spec.threshold_default
        if (default is None) != pd.isna(r.threshold) or (
            default is not None and abs(default - r.threshold) > 1e-9
        ):
            raise DataError(
                p,
                f"threshold {r.threshold} differs from the evaluation function's default {default}",
                column="threshold",
                row=i,
            )


def evaluate_claim(
    claim: Mapping[str, Any] | pd.Series,
    tables: Mapping[str, pd.DataFrame],
    *,
    tolerance: float | None = None,
    path: str | Path | None = None,
    row: int | None = None,
) -> ClaimVerdict:
    """Evaluate one row of the claims table.

    Parameters
    ----------
    claim
        A row of :func:`load_claims`.
    tables
        Frames by table name (at least those the claim needs).
    tolerance
        Overrides the relative tolerance of ``equals_within`` rows whose tolerance is not 0.
    path, row
        File and row number named in errors.

    Returns
    -------
    ClaimVerdict
        With ``essay_number`` checked against the row, and the row's ``why_not_testable`` as
        the caveat of a not-testable claim.
    """
    p = path if path is not None else claims_path()
    cid = str(claim["claim_id"])
    if cid not in SPECS:
        raise ClaimError(f"no evaluation function for claim {cid!r}")
    spec = SPECS[cid]
    kw: dict[str, float] = {}
    thr = claim["threshold"]
    if spec.threshold_default is not None:
        kw["threshold"] = float(thr) if pd.notna(thr) else spec.threshold_default
        if tolerance is not None and claim["rule_kind"] == "equals_within" and kw["threshold"] > 0:
            kw["threshold"] = float(tolerance)
    v = spec.func(tables, **kw)
    essay = claim["essay_number"]
    same = (pd.isna(essay) and v.essay_number is None) or (
        pd.notna(essay) and v.essay_number is not None and abs(float(essay) - float(v.essay_number)) < 1e-9
    )
    if not same:
        raise DataError(
            p,
            f"essay_number {essay} differs from the evaluation's {v.essay_number}",
            column="essay_number",
            row=row,
        )
    testable = bool(claim["is_testable"])
    if testable == (v.verdict == "not testable"):
        raise DataError(
            p,
            f"is_testable is {testable} but the evaluation says {v.verdict!r}",
            column="is_testable",
            row=row,
        )
    if not testable:
        v.caveat = str(claim["why_not_testable"]) + (f" {v.caveat}" if v.caveat else "")
    return v


def select_claims(claims: pd.DataFrame, which: str | Sequence[str] = "all") -> pd.DataFrame:
    """Rows of ``claims`` named by ``which``: ``"all"``, a comma-separated string or a list of ids."""
    if isinstance(which, str):
        if which.strip() == "all":
            return claims
        which = [w.strip() for w in which.split(",") if w.strip()]
    unknown = [w for w in which if w not in set(claims["claim_id"])]
    if unknown:
        raise ClaimError(f"unknown claim id(s) {unknown}; known: {sorted(claims['claim_id'])}")
    return claims[claims["claim_id"].isin(list(which))]


def tables_needed(claims: pd.DataFrame) -> list[str]:
    """Table names the given claims need, in first-use order."""
    out: list[str] = []
    for cid in claims["claim_id"]:
        for t in SPECS[str(cid)].tables:
            if t not in out:
                out.append(t)
    return out


def evaluate_all(
    load: Callable[[str], pd.DataFrame] = load_table,
    *,
    claims: str | Sequence[str] = "all",
    claims_table: pd.DataFrame | None = None,
    tolerance: float | None = None,
) -> list[ClaimVerdict]:
    """Load what the selected claims need and evaluate every selected row.

    Parameters
    ----------
    load
        Called once with each table name the selected claims need (core/panel names and
        ``curated.<name>``); default :func:`load_table`.
    claims
        ``"all"``, a comma-separated string or a list of claim ids.
    claims_table
        The claims table; default :func:`load_claims`.
    tolerance
        Overrides the tolerance of ``equals_within`` rows whose tolerance is not 0.

    Returns
    -------
    list of ClaimVerdict
        One per selected row, in file order; not-testable rows included with their reason.
    """
    table = claims_table if claims_table is not None else load_claims()
    check_registry(table)
    sel = select_claims(table, claims)
    frames = {name: load(name) for name in tables_needed(sel)}
    pos = {cid: i for i, cid in enumerate(table["claim_id"])}
    return [evaluate_claim(r, frames, tolerance=tolerance, row=pos[r["claim_id"]]) for _, r in sel.iterrows()]


def verdict_table(verdicts: Sequence[ClaimVerdict], claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """The verdicts as one table: claim, quotation, our number, the essay's number, verdict, vintage, caveat.

    Parameters
    ----------
    verdicts
        From :func:`evaluate_all`.
    claims
        The claims table, to add ``quotation`` and ``section``.

    Returns
    -------
    pandas.DataFrame
        ``claim_id``, [``quotation``, ``section``], ``our_number`` (as text), ``essay_number``,
        ``measure``, ``verdict``, ``data_vintage``, ``caveat``.
    """
    t = pd.DataFrame(
        [v.to_record() for v in verdicts],
        columns=["claim_id", "our_number", "essay_number", "verdict", "measure", "data_vintage", "caveat"],
    )
    t["our_number"] = (
        t["our_number"]
        .map(
            lambda x: (
                ""
                if x is None or (isinstance(x, float) and np.isnan(x))
                else f"{x:g}"
                if isinstance(x, float)
                else str(x)
            )
        )
        .astype("string")
    )
    t["essay_number"] = t["essay_number"].astype("Float64")
    if claims is not None:
        t = t.merge(
            claims[["claim_id", "quotation", "section"]].astype({"claim_id": object}),
            on="claim_id",
            how="left",
        )
    cols = [
        "claim_id",
        "quotation",
        "section",
        "our_number",
        "essay_number",
        "measure",
        "verdict",
        "data_vintage",
        "caveat",
    ]
    return t[[c for c in cols if c in t.columns]]


def claims_data_versions(claims: pd.DataFrame) -> dict:
    """Provenance (:func:`analysis.data.data_versions`) of the tables the claims use, plus the curated
    files read directly and the claims file itself."""
    from analysis import curated
    from analysis.data import data_versions, table_names

    names = tables_needed(claims)
    core = [n for n in names if n in set(table_names())]
    dv = data_versions(core) if core else {"tables": {}, "sources": {}, "curated": []}
    files = {
        "mandates": curated.FILE_MANDATES,
        "partner_operations": curated.FILE_PARTNER_OPERATIONS,
        "personnel": curated.FILE_PERSONNEL,
        "jihadist_actors": curated.FILE_JIHADIST_ACTORS,
    }
    cur = set(dv.get("curated", []))
    cur |= {files[n[8:]] for n in names if n.startswith("curated.") and n[8:] in files}
    cur.add(FILE_CLAIMS)
    dv["curated"] = sorted(cur)
    return dv
