"""One place for paths and settings.

The package runs in one of two modes, decided from where the package is, never from the
current working directory:

* **checkout**: the package folder's parent is the project (its ``pyproject.toml`` names the
  distribution ``peaceops`` and it has ``data/curated/``): an editable install or ``PEACEOPS_ROOT``.
  Everything lives in the project: ``data/raw``, ``data/processed``, ``data/curated``,
  ``notebooks/``, ``reports/``, and the mirror ``../shared/data`` is used when it exists.
* **installed** (a wheel or an sdist in any environment): raw files and built tables go to the
  user's cache folder (:func:`platformdirs.user_cache_dir`); the curated tables and the notebooks
  are the copies bundled with the package (``analysis/_bundled/``, made by ``setup.py`` from the
  checkout's ``data/curated`` and ``notebooks``); a mirror is used only when one is named;
  ``peaceops run`` needs ``--out DIR``.

===================  ========================  ==================================  ========================
setting              environment variable      checkout                            installed
===================  ========================  ==================================  ========================
project root         ``PEACEOPS_ROOT``         parent of the package folder        (none)
data folder          ``PEACEOPS_DATA_DIR``     ``<root>/data``                     user cache ``peaceops``
mirror of raw files  ``PEACEOPS_DATA_MIRROR``  ``<root>/../shared/data`` if there  (none)
curated tables       ``PEACEOPS_CURATED_DIR``  ``<root>/data/curated``             bundled ``curated/``
registry             ``PEACEOPS_REGISTRY``     ``analysis/data/registry.csv``      the same (package data)
notebooks            (``--notebooks-dir``)     ``<root>/notebooks``                bundled ``notebooks/``
reports              (``run --out DIR``)       ``<root>/reports``                  none: ``--out`` required
===================  ========================  ==================================  ========================

``PEACEOPS_REGISTRY`` names another registry of raw files (same columns), e.g. for tests that
serve files from a local server. :func:`where` lists every folder in use and why
(``peaceops data where``).

Package data (files other than ``.py`` read at run time) live under ``analysis/`` and are read
through :func:`package_file`; ``[tool.setuptools.package-data]`` in ``pyproject.toml`` ships them
by suffix, and the install test checks that every such file is in the wheel.
"""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent

#: Distribution name; also the folder name in the user's cache.
DIST_NAME = "peaceops"
#: Folder of the package holding the copies made at build time (not in the checkout).
BUNDLED = "_bundled"


@dataclass(frozen=True)
class Location:
    """A folder or file in use, and why (``peaceops data where``)."""

    name: str
    path: Path | None
    why: str


@functools.lru_cache(maxsize=8)
def is_checkout(folder: Path) -> bool:
    """Whether ``folder`` is a peaceops project checkout.

    It is when its ``pyproject.toml`` names the distribution ``peaceops`` and it has a
    ``data/curated/`` folder (the hand-coded tables are edited there). The answer is cached per
    folder: every path function asks it, a raw file's path included.
    """
    pyproject = folder / "pyproject.toml"
    if not (pyproject.is_file() and (folder / "data" / "curated").is_dir()):
        return False
    try:
        meta = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return meta.get("project", {}).get("name") == DIST_NAME


def _root() -> tuple[Path | None, str]:
    env = os.environ.get("PEACEOPS_ROOT")
    if env:
        return Path(env).resolve(), "PEACEOPS_ROOT"
    parent = PACKAGE_DIR.parent
    if is_checkout(parent):
        return parent, "checkout: the package's parent folder is the peaceops project"
    return None, "none: installed package, not a checkout"


def _under_root() -> str:
    return "in the project (PEACEOPS_ROOT)" if os.environ.get("PEACEOPS_ROOT") else "in the checkout"


def checkout_root() -> Path | None:
    """The project checkout the package runs from (``PEACEOPS_ROOT`` wins), or ``None`` when installed."""
    return _root()[0]


def in_checkout() -> bool:
    """Whether the package runs from a project checkout (editable install or ``PEACEOPS_ROOT``)."""
    return checkout_root() is not None


def project_root() -> Path:
    """Project root (folder holding ``pyproject.toml``).

    Raises
    ------
    ConfigError
        When the package is installed, not run from a checkout (set ``PEACEOPS_ROOT`` to use one).
    """
    root = checkout_root()
    if root is None:
        raise ConfigError(
            f"the package at {PACKAGE_DIR} is installed, not run from a project checkout; "
            "set PEACEOPS_ROOT to a checkout of peaceops to use its folders"
        )
    return root


def package_file(*parts: str) -> Path:
    """Path of a file shipped inside the package (``package_file("data", "registry.csv")``).

    The one accessor for package data: the file must match a pattern of
    ``[tool.setuptools.package-data]`` in ``pyproject.toml`` to be in the wheel.
    """
    from importlib.resources import files

    res = files("analysis").joinpath(*parts)
    if not isinstance(res, Path):  # a zipped install: every reader of ours wants a real file
        raise ConfigError(f"package data {'/'.join(parts)} is not a file on disk ({res}); reinstall unzipped")
    return res


def user_cache_dir() -> Path:
    """The user's cache folder of peaceops (``~/.cache/peaceops`` on Linux; ``XDG_CACHE_HOME`` applies)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(DIST_NAME, appauthor=False))


def _data_dir() -> tuple[Path, str]:
    env = os.environ.get("PEACEOPS_DATA_DIR")
    if env:
        return Path(env).resolve(), "PEACEOPS_DATA_DIR"
    root, _ = _root()
    if root is not None:
        return root / "data", _under_root()
    return user_cache_dir(), "user cache of the installed package; PEACEOPS_DATA_DIR moves it"


def data_dir() -> Path:
    """Top data folder: ``raw/`` and ``processed/`` live under it."""
    return _data_dir()[0]


def raw_dir() -> Path:
    """Raw cache: immutable, hash-verified copies of upstream files (git-ignored)."""
    return data_dir() / "raw"


def processed_dir() -> Path:
    """Derived tables (git-ignored)."""
    return data_dir() / "processed"


def core_dir() -> Path:
    """Core tables as parquet, one file per table plus a build manifest."""
    return processed_dir() / "core"


def _curated_dir() -> tuple[Path, str]:
    env = os.environ.get("PEACEOPS_CURATED_DIR")
    if env:
        return Path(env).resolve(), "PEACEOPS_CURATED_DIR"
    root, _ = _root()
    if root is not None:
        return root / "data" / "curated", _under_root()
    return package_file(BUNDLED, "curated"), "bundled with the package: data/curated copied at build time"


def curated_dir() -> Path:
    """Hand-coded tables we author (committed, one citation per row).

    They are part of the code base, so they stay at ``<root>/data/curated`` even when
    ``PEACEOPS_DATA_DIR`` moves the raw cache and processed tables; an installed package reads
    the copies bundled with it (``PEACEOPS_CURATED_DIR`` overrides both).
    """
    return _curated_dir()[0]


def _registry() -> tuple[Path, str]:
    env = os.environ.get("PEACEOPS_REGISTRY")
    if env:
        return Path(env).resolve(), "PEACEOPS_REGISTRY"
    return package_file("data", "registry.csv"), "package data"


def registry_path() -> Path:
    """The registry of raw files: the single source of truth for versions and citations."""
    return _registry()[0]


def _mirror() -> tuple[Path | None, str]:
    env = os.environ.get("PEACEOPS_DATA_MIRROR")
    if env:
        return Path(env).resolve(), "PEACEOPS_DATA_MIRROR"
    root, _ = _root()
    if root is None:
        return None, "none: installed package; name one with --mirror DIR or PEACEOPS_DATA_MIRROR"
    candidate = root.parent / "shared" / "data"
    if candidate.is_dir():
        return candidate, "checkout: ../shared/data beside the project"
    return None, f"none: {candidate} does not exist; --mirror DIR or PEACEOPS_DATA_MIRROR"


def default_mirror() -> Path | None:
    """Mirror folder of raw files, if any.

    ``PEACEOPS_DATA_MIRROR`` wins; in a checkout ``../shared/data`` next to the project root is
    used when it exists; an installed package uses a mirror only when one is named. Returns
    ``None`` when there is none.
    """
    return _mirror()[0]


def _notebooks() -> tuple[Path, str]:
    root, _ = _root()
    if root is not None:
        return root / "notebooks", _under_root()
    return package_file(BUNDLED, "notebooks"), "bundled with the package: notebooks/ copied at build time"


def notebooks_path() -> Path:
    """Default folder of the notebooks: ``<root>/notebooks``, or the copies bundled with the package."""
    return _notebooks()[0]


def _reports() -> tuple[Path | None, str]:
    root, _ = _root()
    if root is not None:
        return root / "reports", _under_root()
    return None, "none: installed package; peaceops run --out DIR names the folder"


def reports_path() -> Path:
    """Default folder of the reports: ``<root>/reports``.

    Raises
    ------
    ConfigError
        Outside a checkout, where the reports go to the folder the user names (``--out DIR``).
    """
    path, _ = _reports()
    if path is None:
        raise ConfigError(
            "no reports folder: the package is installed, not run from a checkout; name the folder "
            "to render into with `peaceops run --out DIR` (reports_dir=... in Python)"
        )
    return path


def where() -> list[Location]:
    """Every folder (and the registry) in use, with the reason it was chosen."""
    root, root_why = _root()
    data, data_why = _data_dir()
    out = [
        Location("package", PACKAGE_DIR, "imported from here"),
        Location("project", root, root_why),
        Location("raw", data / "raw", data_why),
        Location("processed", data / "processed", data_why),
        Location("curated", *_curated_dir()),
        Location("registry", *_registry()),
        Location("mirror", *_mirror()),
        Location("notebooks", *_notebooks()),
        Location("reports", *_reports()),
    ]
    return out
