"""Verdicts, the registry of evaluation functions, and the helpers every evaluation uses."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import pandas as pd

from analysis.errors import PeaceopsError, require_columns
from analysis.vocabulary import LARGE_MISSIONS, UNIFORMED_PERSONNEL

Verdict = Literal["supported", "partly supported", "contradicted", "not testable"]
#: Allowed verdicts.
VERDICTS: tuple[str, ...] = get_args(Verdict)
#: UN personnel types counted as uniformed.
UNIFORMED = UNIFORMED_PERSONNEL
#: Missions the essay names next to MINUSMA (spelled MNUSCA there): the other large missions.
OTHER_LARGE_PKOS = tuple(m for m in LARGE_MISSIONS if m != "MINUSMA")
#: Cut-off of "as of 30 June 2023".
MINUSMA_CUTOFF = pd.Timestamp("2023-06-30")
#: MINUSMA's deployment years (established 25 April 2013, withdrawal completed 31 December 2023).
MINUSMA_YEARS = (2013, 2023)
#: Uniformed strength (largest yearly mean) from which a mission counts as large.
LARGE_MISSION_N = 10_000
#: Minimum gain of the share of UN PKOs co-deployed with a non-UN operation (partnership claim, part b).
PARTNER_SHARE_GAIN = 0.05
#: "Now" in the Africa / Middle East comparison.
NOW_YEARS = (2020, 2024)
#: The coup wave of the essay: years and states (G-W codes: Mali, Burkina Faso, Niger).
COUP_WAVE_YEARS = (2020, 2023)
SAHEL_STATES = {432: "Mali", 439: "Burkina Faso", 436: "Niger"}
#: U.S. troops at or below this count are treated as withdrawn (embassy guards remain).
US_WITHDRAWN_MAX = 100
#: ECOWAS operations in Bara & Hultman (operation_name) and the curated table (operation_id).
ECOWAS_BARA_NAMES = ("ECOMOG", "ECOMIL", "ECOMICI", "ECOMIB", "ECOWAS")
ECOWAS_CURATED_IDS = ("ecomil", "ecomici", "ecomib", "ecomig")
ECOWAS_HOSTS = {450: "LBR", 451: "SLE", 437: "CIV"}  # COW codes -> ISO3
MNJTF_ESSAY = ("NGA", "CMR", "TCD", "NER", "BEN")



class ClaimError(PeaceopsError):
    """A claim cannot be evaluated: missing table or column, unknown claim id, registry mismatch."""



@dataclass
class ClaimVerdict:
    """Result of testing one claim.

    Attributes
    ----------
    claim_id
        The claim's slug.
    verdict
        ``supported``, ``partly supported``, ``contradicted`` or ``not testable``.
    our_number
        Our number (count, year, share or ratio: see ``measure``), a string where the
        comparison is not numeric (a date), ``None`` for not-testable claims.
    essay_number
        The number the essay states, ``None`` when it states none.
    measure
        What ``our_number`` is, with the numbers behind it.
    data_vintage
        Versions of the sources used (registry) and curated files.
    caveat
        Definitions, sensitivity results, data updates after the essay, limits.
    detail
        Frame behind the verdict, drawn by :func:`analysis.plots.claims.plot_claim`.
    sensitivity
        Alternative definitions and their numbers (may be empty).
    """

    claim_id: str
    verdict: str
    our_number: float | int | str | None
    essay_number: float | None
    measure: str
    data_vintage: str
    caveat: str = ""
    detail: pd.DataFrame = field(default_factory=pd.DataFrame)
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"claim {self.claim_id!r}: verdict {self.verdict!r} is not one of {VERDICTS}")

    def to_record(self) -> dict[str, Any]:
        """The scalar fields as a dict (one row of the verdict table)."""
        return {
            "claim_id": self.claim_id,
            "our_number": self.our_number,
            "essay_number": self.essay_number,
            "verdict": self.verdict,
            "measure": self.measure,
            "data_vintage": self.data_vintage,
            "caveat": self.caveat,
        }


@dataclass(frozen=True)
class ClaimSpec:
    """An evaluation function with the tables it needs and the sources its vintage names."""

    claim_id: str
    func: Callable[..., ClaimVerdict]
    tables: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def threshold_default(self) -> float | None:
        """Default of the function's ``threshold`` keyword, ``None`` if it has none."""
        p = inspect.signature(self.func).parameters.get("threshold")
        return None if p is None else float(p.default)


#: claim_id -> evaluation function ``f(tables, *, threshold=...) -> ClaimVerdict``.
EVALUATORS: dict[str, Callable[..., ClaimVerdict]] = {}
#: claim_id -> :class:`ClaimSpec` (function, tables, sources).
SPECS: dict[str, ClaimSpec] = {}


def _claim(claim_id: str, *, tables: Sequence[str] = (), sources: Sequence[str] = ()) -> Callable:
    def deco(func: Callable[..., ClaimVerdict]) -> Callable[..., ClaimVerdict]:
        if claim_id in SPECS:
            raise ValueError(f"claim {claim_id!r} registered twice")
        SPECS[claim_id] = ClaimSpec(claim_id, func, tuple(tables), tuple(sources))
        EVALUATORS[claim_id] = func
        return func

    return deco


_TITLE_WORDS = {
    "minusma": "MINUSMA", "pko": "PKO", "pkos": "PKOs", "poc": "PoC", "un": "UN", "us": "US",
    "unmik": "UNMIK", "untaet": "UNTAET", "amisom": "AMISOM", "atmis": "ATMIS", "mnjtf": "MNJTF",
    "ecowas": "ECOWAS", "ipos": "IPOs", "aq": "AQ", "is": "IS", "vii": "VII", "21c": "21st century",
    "cote": "Côte",
    "divoire": "d'Ivoire", "chapter": "Chapter", "africa": "Africa", "middle": "Middle", "east": "East",
    "afghanistan": "Afghanistan", "iraq": "Iraq", "liberia": "Liberia", "sierra": "Sierra",
    "leone": "Leone", "sahel": "Sahel", "april": "April",
}


def claim_title(claim_id: str) -> str:
    """A short plain title from a claim's slug: ``minusma_hostile_deaths_2013_2017`` ->
    "MINUSMA hostile deaths 2013–2017"; ``minusma_deaths_to_2023_06_30`` -> "MINUSMA deaths to
    2023-06-30"."""
    out: list[str] = []
    for tok in str(claim_id).split("_"):
        if tok.isdigit() and out and out[-1][-1:].isdigit():
            prev = out.pop()
            join = "–" if len(tok) == 4 and len(prev) == 4 else "-"
            out.append(f"{prev}{join}{tok}")
        else:
            out.append(_TITLE_WORDS.get(tok, tok))
    text = " ".join(out)
    return text[:1].upper() + text[1:]


def data_vintage(sources: Iterable[str]) -> str:
    """Versions of ``sources`` from the registry (``curated/<file>`` entries name a committed file)."""
    from analysis.data.registry import source_meta

    parts = []
    for s in sources:
        parts.append(f"{s} (committed)" if s.startswith("curated/") else f"{s} {source_meta(s).version}")
    return "; ".join(parts)


def _vintage(claim_id: str) -> str:
    return data_vintage(SPECS[claim_id].sources)


def _table(tables: Mapping[str, pd.DataFrame], name: str, columns: Sequence[str] = ()) -> pd.DataFrame:
    if name not in tables:
        raise ClaimError(f"table {name!r} is needed; given: {sorted(tables)}")
    df = tables[name]
    require_columns(df, columns, f"table {name!r}")
    return df


def _true(s: pd.Series) -> pd.Series:
    """Nullable boolean as plain bool, NA -> False."""
    return s.astype("boolean").fillna(False).astype(bool)


def _eq(s: pd.Series, value: Any) -> pd.Series:
    return s.eq(value).astype("boolean").fillna(False).astype(bool)


def _isin(s: pd.Series, values: Iterable[Any]) -> pd.Series:
    return s.isin(list(values)).astype("boolean").fillna(False).astype(bool)


def judge_within(ours: float, essay: float, tolerance: float) -> str:
    """``supported`` within ``tolerance`` (relative), ``partly supported`` within twice it, else
    ``contradicted``."""
    rel = abs(ours - essay) / abs(essay) if essay else abs(ours - essay)
    eps = 1e-12
    if rel <= tolerance + eps:
        return "supported"
    if tolerance > 0 and rel <= 2 * tolerance + eps:
        return "partly supported"
    return "contradicted"


def judge_levels(value: float, supported_at: float, partly_at: float) -> str:
    """``supported`` if ``value >= supported_at``, ``partly supported`` if ``>= partly_at``, else
    ``contradicted`` (NaN is contradicted)."""
    if pd.isna(value):
        return "contradicted"
    if value >= supported_at - 1e-12:
        return "supported"
    if value >= partly_at - 1e-12:
        return "partly supported"
    return "contradicted"


def _count_tier(n: int, full: int, partial: int) -> str:
    return "supported" if n >= full else "partly supported" if n >= partial else "contradicted"


def _fmt(x: float, digits: int = 2) -> str:
    return "NA" if pd.isna(x) else f"{x:.{digits}f}"


