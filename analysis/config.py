"""One place for paths and settings.

Every path is computed from the package location and can be overridden by an
environment variable, so that no home-folder or absolute path appears anywhere
else in the code.

========================  ==========================================  ============================
setting                   environment variable                        default
========================  ==========================================  ============================
project root              ``PEACEOPS_ROOT``                           parent of the package folder
data folder               ``PEACEOPS_DATA_DIR``                       ``<root>/data``
mirror of raw files       ``PEACEOPS_DATA_MIRROR``                    ``<root>/../shared/data`` if it exists
curated tables            ``PEACEOPS_CURATED_DIR``                    ``<root>/data/curated``
notebooks                 (none)                                      ``<root>/notebooks``
reports                   (none)                                      ``<root>/reports``
========================  ==========================================  ============================
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """Project root (folder holding ``pyproject.toml``)."""
    env = os.environ.get("PEACEOPS_ROOT")
    return Path(env).resolve() if env else PACKAGE_DIR.parent


def data_dir() -> Path:
    """Top data folder: ``raw/``, ``processed/`` and ``curated/`` live under it."""
    env = os.environ.get("PEACEOPS_DATA_DIR")
    return Path(env).resolve() if env else project_root() / "data"


def raw_dir() -> Path:
    """Raw cache: immutable, hash-verified copies of upstream files (git-ignored)."""
    return data_dir() / "raw"


def processed_dir() -> Path:
    """Derived tables (git-ignored)."""
    return data_dir() / "processed"


def core_dir() -> Path:
    """Core tables as parquet, one file per table plus a build manifest."""
    return processed_dir() / "core"


def curated_dir() -> Path:
    """Hand-coded tables we author (committed, one citation per row).

    They are part of the code base, so they stay at ``<root>/data/curated``
    even when ``PEACEOPS_DATA_DIR`` moves the raw cache and processed tables
    (``PEACEOPS_CURATED_DIR`` overrides).
    """
    env = os.environ.get("PEACEOPS_CURATED_DIR")
    return Path(env).resolve() if env else project_root() / "data" / "curated"


def registry_path() -> Path:
    """The registry of raw files: the single source of truth for versions and citations."""
    return PACKAGE_DIR / "data" / "registry.csv"


def default_mirror() -> Path | None:
    """Mirror folder of raw files, if any.

    ``PEACEOPS_DATA_MIRROR`` wins; otherwise ``../shared/data`` next to the
    project root is used when it exists. Returns ``None`` when there is none.
    """
    env = os.environ.get("PEACEOPS_DATA_MIRROR")
    if env:
        return Path(env).resolve()
    candidate = project_root().parent / "shared" / "data"
    return candidate if candidate.is_dir() else None


def notebooks_path() -> Path:
    """Default folder of the notebooks: ``<root>/notebooks``."""
    return project_root() / "notebooks"


def reports_path() -> Path:
    """Default folder of the reports: ``<root>/reports``."""
    return project_root() / "reports"
