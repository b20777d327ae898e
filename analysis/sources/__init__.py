"""One module per raw source.

Each module exposes the source's metadata as constants taken from the registry
(``SOURCE``, ``TITLE``, ``PRODUCER``, ``VERSION``, ``LICENSE``, ``CITATION``,
``YEARS``), one or more ``load_<table>(path=None)`` functions that return a
tidy DataFrame validated by a pandera schema (``SCHEMA_<TABLE>``), and handles
the quirks of the upstream file documented in the mirror README.

Loaders read only the local raw cache (``peaceops data fetch`` fills it) and
verify the sha256 on every load. Passing ``path=`` reads another file in the
same upstream format (used by the unit tests' synthetic fixtures); such a file
is not hash-checked because it is not registered.
"""

import pkgutil

#: Every source module of this package (discovered: a new source is a new module, nothing else).
SOURCE_MODULES: tuple[str, ...] = tuple(
    sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
)
