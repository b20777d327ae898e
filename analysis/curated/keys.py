"""Foreign keys of the curated tables: every id column checked against its authority table.

Each curated file declares, column by column, which core table and column its ids must exist
in (:data:`FOREIGN_KEYS`, filled by :func:`declare`): mission ids in ``un_missions``, ISO3
codes in ``country_codes``, Security Council resolution numbers in ``sc_resolutions``, UCDP
actor ids among the ACD's ``side_b_id``. One checker (:func:`check_file`) reads the
declarations; an unknown id is a :class:`~analysis.errors.DataError` naming the file, its
1-based line, the column, the value and the closest valid ids. ``peaceops data build`` runs
it before building a table that reads the file (the authority tables are built first and
enter that table's build key) and ``peaceops data check`` runs it on every declared file.

A key whose authority table is not declared (yet) is skipped and reported as such, so a key
on a table another branch adds can be declared before that table exists.

Before the check a typo such as ``MINUSMA`` -> ``MINUSMAX`` in ``mandates_2016_2024.csv``
built with exit 0 and silently moved 19 MINUSMA mission-months out of the panel.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.config import curated_dir
from analysis.errors import DataError


def resolution_number(symbol: str) -> int:
    """``'S/RES/2295'`` (or ``'2295'``) -> 2295."""
    m = re.fullmatch(r"(?:S/RES/)?(\d{1,4})", symbol.strip())
    if m is None:
        raise ValueError(f"not a resolution symbol: {symbol!r}")
    return int(m.group(1))


@dataclass(frozen=True)
class ForeignKey:
    """An id column of a curated file and the authority its values must exist in.

    Parameters
    ----------
    column
        Column of the curated file.
    table, key
        Authority table (a name for :func:`analysis.data.load`) and its column.
    sep
        Cells hold several ids joined by ``sep`` (``"MLI;NER"``).
    parse
        Turns a cell's id into the authority's value (``"S/RES/2295"`` -> 2295).
    where
        Boolean column of the curated file: only rows where it is true are checked (UCDP actors
        in the ACD; the others are Non-State actors).
    authority_sep
        Authority cells hold lists joined by ``authority_sep`` (the ACD's ``side_b_id``).
    within_range
        Only ids between the authority's smallest and largest value are checked: the
        authority covers a period (the resolutions table starts in 2000).
    also
        Ids valid outside the authority, each with the reason.
    """

    column: str
    table: str
    key: str
    sep: str | None = None
    parse: Callable[[str], Any] | None = None
    where: str | None = None
    authority_sep: str | None = None
    within_range: bool = False
    also: Mapping[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        """``column -> table.key``."""
        return f"{self.column} -> {self.table}.{self.key}"


@dataclass(frozen=True)
class CuratedKeys:
    """The foreign keys of one curated file and how to load it."""

    file: str
    load: Callable[..., pd.DataFrame]
    keys: tuple[ForeignKey, ...]


#: Curated file name -> its foreign keys.
FOREIGN_KEYS: dict[str, CuratedKeys] = {}


def declare(file: str, load: Callable[..., pd.DataFrame], *keys: ForeignKey) -> None:
    """Declare the foreign keys of curated ``file`` (read by ``load(path)``)."""
    FOREIGN_KEYS[file] = CuratedKeys(file, load, tuple(keys))


def authority_tables(files: Iterable[str]) -> list[str]:
    """Authority tables of the foreign keys of ``files``, sorted."""
    return sorted({k.table for f in files if f in FOREIGN_KEYS for k in FOREIGN_KEYS[f].keys})


def _valid_values(fk: ForeignKey, authority: pd.DataFrame) -> set[Any]:
    col = authority[fk.key].dropna()
    if fk.authority_sep is not None:
        return {v.strip() for cell in col.astype(str) for v in cell.split(fk.authority_sep) if v.strip()}
    return set(col.tolist())


def _closest(value: Any, valid: set[Any], n: int = 3) -> list[str]:
    return difflib.get_close_matches(str(value), sorted(map(str, valid)), n=n, cutoff=0.5)


def check_frame(df: pd.DataFrame, fk: ForeignKey, authority: pd.DataFrame, path: Path) -> int:
    """Raise at the first id of ``df[fk.column]`` not in the authority; return the ids checked.

    ``df`` is the curated file as loaded (one row per record, in file order).

    Raises
    ------
    DataError
        Naming the file, the 1-based line, the column, the value and the closest valid ids.
    """
    valid = _valid_values(fk, authority)
    bounds: tuple[Any, Any] | None = (min(valid), max(valid)) if fk.within_range and valid else None
    rows = df[fk.column]
    if fk.where is not None:
        rows = rows[df[fk.where].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    checked = 0
    for pos, cell in zip(rows.index, rows):
        if pd.isna(cell):
            continue
        ids = [x.strip() for x in str(cell).split(fk.sep)] if fk.sep else [cell]
        for raw in ids:
            if str(raw) in fk.also:
                continue
            value = fk.parse(str(raw)) if fk.parse else raw
            if fk.authority_sep is not None:
                value = str(value)
            if bounds is not None and not (bounds[0] <= value <= bounds[1]):
                continue
            checked += 1
            if value not in valid:
                close = _closest(value, valid)
                hint = f"; closest: {', '.join(map(repr, close))}" if close else ""
                shown = repr(raw) if isinstance(raw, str) else str(raw)
                raise DataError(
                    path,
                    f"unknown id {shown}: not a {fk.key} of {fk.table}{hint}. Correct the id; if it is "
                    f"right, the authority table lacks it (declared in analysis/curated/keys.py)",
                    column=fk.column,
                    row=int(df.index.get_loc(pos)),
                )
    return checked


def check_file(file: str, authorities: Callable[[str], pd.DataFrame], known: Iterable[str],
               path: str | Path | None = None) -> tuple[list[str], list[str]]:
    """Check every foreign key of curated ``file`` whose authority table is ``known``.

    Parameters
    ----------
    file
        Curated file name (a key of :data:`FOREIGN_KEYS`).
    authorities
        Returns an authority table by name (the build's frames, or :func:`analysis.data.load`).
    known
        Names of the declared tables; keys on other tables are skipped (listed in the result).
    path
        Read this file instead of ``data/curated/<file>``.

    Returns
    -------
    (checked, skipped)
        ``"column -> table.key (n ids)"`` for each key checked; the keys skipped.

    Raises
    ------
    DataError
        At the first unknown id (file, line, column, value, closest valid ids).
    """
    spec = FOREIGN_KEYS[file]
    p = Path(path) if path is not None else curated_dir() / file
    df = spec.load(p)
    known = set(known)
    checked, skipped = [], []
    for fk in spec.keys:
        if fk.table not in known:
            skipped.append(f"{fk.describe()} (no table {fk.table} yet)")
            continue
        n = check_frame(df, fk, authorities(fk.table), p)
        checked.append(f"{fk.describe()} ({n} ids)")
    return checked, skipped


def _declare_curated() -> None:
    from analysis.curated.schemas import (
        FILE_JIHADIST_ACTORS,
        FILE_MANDATES,
        FILE_PARTNER_OPERATIONS,
        FILE_PERSONNEL,
    )
    from analysis.curated.tables import (
        load_jihadist_actors,
        load_mandates,
        load_partner_operations,
        load_personnel,
    )

    mission = ForeignKey("mission_id_un", "un_missions", "mission_id_un")

    def resolutions(column: str, sep: str | None = None) -> ForeignKey:
        # sc_resolutions covers 2000-2025 (S/RES/1285 onwards): earlier numbers are not checked
        return ForeignKey(column, "sc_resolutions", "resolution_number", sep=sep, parse=resolution_number,
                          within_range=True)

    def iso3(column: str, also: Mapping[str, str] | None = None) -> ForeignKey:
        return ForeignKey(column, "country_codes", "country_id_iso3", sep=";", also=dict(also or {}))

    declare(FILE_MANDATES, load_mandates, mission, resolutions("resolution"))
    declare(FILE_PERSONNEL, load_personnel, mission, resolutions("resolution"))
    declare(FILE_PARTNER_OPERATIONS, load_partner_operations, iso3("host_iso3"),
            resolutions("unsc_resolutions", sep=";"))
    declare(FILE_JIHADIST_ACTORS, load_jihadist_actors,
            iso3("countries_iso3", also={"PSE": "State of Palestine: an ISO 3166-1 code, not a "
                                                "Gleditsch-Ward state (country_codes lists G-W states)"}),
            ForeignKey("ucdp_actor_id", "ucdp_conflict_years", "side_b_id", where="is_in_acd",
                       authority_sep=","))

_declare_curated()
