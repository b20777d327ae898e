"""The essay's claims table (``data/curated/essay_claims.csv``): schema, loader, quotation check.

Its columns and rules are described in :mod:`analysis.studies.claims`, which evaluates each row.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from analysis.config import checkout_root, curated_dir
from analysis.errors import ConfigError, DataError
from analysis.sources._base import (
    check_codes,
    check_csv_fields,
    read,
    require_columns,
    strip_strings,
    to_numeric,
    validate,
)

FILE_CLAIMS = "essay_claims.csv"
ESSAY_FILE = "essay_gwot_and_peace_operations.txt"

#: Kinds of comparison rule.
RULE_KINDS = (
    "equals_within",
    "at_least",
    "at_most",
    "rank_first",
    "share_at_least",
    "trend",
    "comparison",
    "not_testable",
)
#: ``verification`` values: ``verified`` = the quotation was checked verbatim against the essay.
VERIFICATION = ("verified", "not_verified")
#: Sections of the essay.
SECTIONS = (
    "Abstract",
    "1. Introduction",
    "2. Operational Need to respond to Attacks against Civilians",
    "3. Liberal Values as a Framework of International Security Operations",
    "4. New Principles of IPOs",
    "5. Partnership IPOs and the convergence with the GWOT",
    "6. Concluding Remarks",
)



def _text(description: str, **kw: Any) -> pa.Column:
    return pa.Column("string", nullable=True, description=description, **kw)


SCHEMA_CLAIMS = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(
            "string",
            pa.Check.str_matches(r"^[a-z0-9]+(_[a-z0-9]+)*$"),
            nullable=False,
            description="Slug naming the claim (lower case, underscores); key.",
        ),
        "quotation": pa.Column(
            "string",
            pa.Check.str_length(min_value=10, max_value=300),
            nullable=False,
            description="Short verbatim quotation from the essay (curly quotes kept).",
        ),
        "section": pa.Column(
            "string",
            pa.Check.isin(SECTIONS),
            nullable=False,
            description="Essay section the quotation is in.",
        ),
        "essay_number": pa.Column(
            "Float64",
            nullable=True,
            description="Number the essay states (count or year); empty when the claim has none.",
        ),
        "operationalisation": _text(
            "How we test the claim: population, period, definitions, sensitivity "
            "checks; empty for not-testable rows."
        ),
        "tables": _text(
            "Tables used, ';'-joined: core/panel names, curated tables as 'curated.<name>'; "
            "must equal the evaluation function's tables.",
            checks=pa.Check.str_matches(r"^[a-z_.]+(;[a-z_.]+)*$"),
        ),
        "columns": _text("Main columns used, ';'-joined."),
        "rule": _text("Comparison rule in words, with the verdict tiers."),
        "rule_kind": pa.Column(
            "string",
            pa.Check.isin(RULE_KINDS),
            nullable=False,
            description="Kind of rule: " + ", ".join(RULE_KINDS) + ".",
        ),
        "threshold": pa.Column(
            "Float64",
            pa.Check.ge(0),
            nullable=True,
            description="The rule's number: relative tolerance for equals_within "
            "(0.05 = 5 %, 0 = exact), otherwise the threshold the rule "
            "names; empty when the rule has none.",
        ),
        "is_testable": pa.Column(
            "boolean", nullable=False, description="False when our data cannot test the claim."
        ),
        "why_not_testable": _text("Why the claim cannot be tested with our data (not-testable rows only)."),
        "source": pa.Column(
            "string",
            pa.Check.str_length(min_value=1),
            nullable=False,
            description="Citation: essay file, section and line (and footnote).",
        ),
        "verification": pa.Column(
            "string",
            pa.Check.isin(VERIFICATION),
            nullable=False,
            description="verified = the quotation was checked verbatim in the essay; not_verified otherwise.",
        ),
        "note": _text("Free text: spelling in the essay, parts of the claim not tested, context."),
    },
    strict=True,
    unique=["claim_id"],
    name="curated.essay_claims",
)


def claims_path() -> Path:
    """Path of the committed claims table (``data/curated/essay_claims.csv``)."""
    return curated_dir() / FILE_CLAIMS


def essay_path() -> Path:
    """Path of the essay's text copy: ``PEACEOPS_ESSAY`` or, in a checkout,
    ``<root>/../shared/reference/<ESSAY_FILE>``.

    Raises
    ------
    ConfigError
        For an installed package without ``PEACEOPS_ESSAY`` (the essay is not shipped).
    """
    env = os.environ.get("PEACEOPS_ESSAY")
    if env:
        return Path(env).resolve()
    root = checkout_root()
    if root is None:
        raise ConfigError("the essay's text copy is not shipped with the package: set PEACEOPS_ESSAY=FILE")
    return root.parent / "shared" / "reference" / ESSAY_FILE


def normalise_text(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) into one space."""
    return re.sub(r"\s+", " ", text).strip()


def unquoted_claims(claims: pd.DataFrame, essay_text: str) -> list[str]:
    """Claim ids whose ``quotation`` is not verbatim in ``essay_text`` (whitespace-normalised).

    Parameters
    ----------
    claims
        The claims table (:func:`load_claims`).
    essay_text
        Full text of the essay.

    Returns
    -------
    list of str
        Ids of rows whose quotation is not found; empty when all are verbatim.
    """
    text = normalise_text(essay_text)
    return [str(r.claim_id) for r in claims.itertuples() if normalise_text(str(r.quotation)) not in text]


def _first(mask: pd.Series) -> int | None:
    idx = mask.astype("boolean").fillna(False).to_numpy(dtype=bool).nonzero()[0]
    return int(idx[0]) if len(idx) else None


def _known_tables() -> set[str]:
    from analysis.curated import CURATED
    from analysis.data import table_names

    return set(table_names()) | {f"curated.{n}" for n in CURATED}


def load_claims(path: str | Path | None = None) -> pd.DataFrame:
    """The essay's checkable claims with our test of each.

    Parameters
    ----------
    path
        Read this file instead of ``data/curated/essay_claims.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per ``claim_id``: ``claim_id``, ``quotation``, ``section``,
        ``essay_number`` (Float64, NA = none stated), ``operationalisation``,
        ``tables``, ``columns``, ``rule``, ``rule_kind``, ``threshold`` (Float64),
        ``is_testable`` (boolean), ``why_not_testable``, ``source``,
        ``verification``, ``note``. Rules: module docstring.

    Raises
    ------
    DataError
        Naming the file, column and row: missing or unexpected column, empty required
        value, unknown code, not a number, duplicate ``claim_id``, a testable row without
        operationalisation/tables/rule or with a reason not to test it (and the reverse),
        an unknown table name, an ``equals_within`` row without tolerance, a share
        threshold above 1.
    """
    p = Path(path) if path is not None else claims_path()
    if not p.is_file():
        raise DataError(p, "file not found")
    cols = list(SCHEMA_CLAIMS.columns)
    check_csv_fields(p)
    raw = read(p, pd.read_csv, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    require_columns(raw, cols, p)
    for c in raw.columns:
        if c not in cols:
            raise DataError(p, "unexpected column", column=str(c))
    df = strip_strings(raw[cols])
    for c in ("claim_id", "quotation", "section", "rule_kind", "is_testable", "source", "verification"):
        i = _first(df[c].isna())
        if i is not None:
            raise DataError(p, "empty value: every row needs one", column=c, row=i)
    for c, allowed in (("rule_kind", RULE_KINDS), ("verification", VERIFICATION), ("section", SECTIONS)):
        check_codes(df, c, allowed, p)
    bad = _first(~df["is_testable"].isin(["true", "false"]))
    if bad is not None:
        raise DataError(
            p,
            f"not a boolean {df['is_testable'].iloc[bad]!r}: use true or false",
            column="is_testable",
            row=bad,
        )
    df["is_testable"] = df["is_testable"].map({"true": True, "false": False}).astype("boolean")
    for c in ("essay_number", "threshold"):
        df[c] = to_numeric(df, c, p, dtype="Float64")
    i = _first(df["claim_id"].duplicated())
    if i is not None:
        raise DataError(p, f"duplicate key {df['claim_id'].iloc[i]!r}", column="claim_id", row=i)
    testable = df["is_testable"].astype(bool)
    i = _first(testable == (df["rule_kind"] == "not_testable"))
    if i is not None:
        raise DataError(
            p, "rule_kind is 'not_testable' exactly when is_testable is false", column="rule_kind", row=i
        )
    i = _first(testable == df["why_not_testable"].notna())
    if i is not None:
        raise DataError(
            p,
            "why_not_testable is given exactly for rows that are not testable",
            column="why_not_testable",
            row=i,
        )
    for c in ("operationalisation", "tables", "rule"):
        i = _first(testable & df[c].isna())
        if i is not None:
            raise DataError(p, "a testable claim needs this value", column=c, row=i)
    known = _known_tables()
    for i, v in enumerate(df["tables"]):
        if pd.notna(v):
            unknown = [t for t in str(v).split(";") if t not in known]
            if unknown:
                raise DataError(
                    p, f"unknown table {unknown[0]!r}; known: {sorted(known)}", column="tables", row=i
                )
    i = _first((df["rule_kind"] == "equals_within") & df["threshold"].isna())
    if i is not None:
        raise DataError(
            p, "equals_within needs a tolerance in threshold (0 = exact)", column="threshold", row=i
        )
    i = _first((df["rule_kind"] == "share_at_least") & ~(df["threshold"] <= 1).fillna(False))
    if i is not None:
        raise DataError(p, "share_at_least needs a threshold between 0 and 1", column="threshold", row=i)
    return validate(df, SCHEMA_CLAIMS, p)
