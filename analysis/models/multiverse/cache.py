"""Results cached per specification hash, so an interrupted run resumes where it stopped.

One small JSON file per finished specification, ``<dir>/<key[:2]>/<key>.json``, where ``key``
is the sha256 of the spec's model-defining fields salted with the data's content key
(:meth:`~analysis.models.multiverse.data.SpecData.key`) and the code version of the model
packages: changed data or changed estimators never reuse old numbers. Each file is written
atomically (temporary file, then rename) by the process that collects the results, as soon
as its chunk comes back: a run killed at any moment leaves only whole files, and the next
run fits only the specifications without one. Rows with status ``error`` (an unexpected
failure) are not cached, so a rerun retries them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.data.hashing import atomic_write_text, code_hash

__all__ = ["ResultCache", "model_code_version"]

_CODE_VERSION: str | None = None


def model_code_version() -> str:
    """Hash of the code behind a result (``analysis/models``, ``analysis/studies``); in every cache key."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        _CODE_VERSION = code_hash(["models", "studies"])
    return _CODE_VERSION


def _clean(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None if math.isnan(v) else ("inf" if v > 0 else "-inf")
    return v


def _restore(v: Any) -> Any:
    if v == "inf":
        return math.inf
    if v == "-inf":
        return -math.inf
    return v


class ResultCache:
    """Result rows stored per key in ``folder`` (created when the first row is written)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        """File of one key."""
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The cached row of ``key``, or None (a file that cannot be read counts as absent)."""
        p = self.path(key)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError:
            return None
        try:
            row = json.loads(text)
        except json.JSONDecodeError:
            return None
        return {k: _restore(v) for k, v in row.items()} if isinstance(row, dict) else None

    def put(self, key: str, row: dict[str, Any]) -> None:
        """Store ``row`` under ``key`` atomically (rows with status ``error`` are not stored)."""
        if row.get("status") == "error":
            return
        text = json.dumps({k: _clean(v) for k, v in row.items()}, allow_nan=False, default=str)
        atomic_write_text(self.path(key), text)

    def keys(self) -> set[str]:
        """Every key stored."""
        if not self.folder.is_dir():
            return set()
        return {p.stem for p in self.folder.glob("*/*.json")}

    def get_many(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Cached rows of the keys that have one."""
        have = self.keys()
        out = {}
        for k in keys:
            if k in have:
                row = self.get(k)
                if row is not None:
                    out[k] = row
        return out
