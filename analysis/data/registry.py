"""The registry of raw files (``analysis/data/registry.csv``).

It is the single source of truth for where each raw file comes from (commit-pinned
URL), what it must hash to, and how it is cited. Source modules take their
constants (title, producer, version, licence, citation, coverage years) from
here; ``peaceops data versions`` and ``peaceops data cite`` are generated from it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from analysis.config import raw_dir, registry_path
from analysis.errors import DataError

REQUIRED_COLUMNS = (
    "source", "file", "bytes", "sha256", "repo", "commit", "path", "raw_url",
    "producer", "dataset", "version", "year_start", "year_end", "coverage",
    "license", "citation",
)


@dataclass(frozen=True)
class RawFile:
    """One registered raw file."""

    source: str
    file: str
    bytes: int
    sha256: str
    repo: str
    commit: str
    path: str
    raw_url: str
    producer: str
    dataset: str
    version: str
    year_start: int
    year_end: int
    coverage: str
    license: str
    citation: str

    @property
    def key(self) -> str:
        """``<source>/<file>``: the file's path under the raw cache and the mirror."""
        return f"{self.source}/{self.file}"

    @property
    def years(self) -> tuple[int, int]:
        """First and last year the file covers (``year_start``, ``year_end``)."""
        return (self.year_start, self.year_end)

    @property
    def local_path(self):
        """Where the verified copy lives in the raw cache."""
        return raw_dir() / self.source / self.file


@dataclass(frozen=True)
class SourceMeta:
    """Metadata of one source (all its registered files)."""

    source: str
    title: str
    producer: str
    version: str
    license: str
    citation: str
    year_start: int
    year_end: int
    files: tuple[RawFile, ...]
    by_name: dict[str, RawFile] = field(default_factory=dict, compare=False, repr=False)

    @property
    def years(self) -> tuple[int, int]:
        """First and last year covered by any file of the source."""
        return (self.year_start, self.year_end)

    def file(self, name: str) -> RawFile:
        """The registered file called ``name``."""
        f = self.by_name.get(name)
        if f is None:
            raise KeyError(f"{name!r} is not registered for source {self.source!r}")
        return f

    @property
    def bytes(self) -> int:
        """Total size of the source's files."""
        return sum(f.bytes for f in self.files)


@lru_cache(maxsize=1)
def raw_files() -> tuple[RawFile, ...]:
    """All registered raw files, validated."""
    path = registry_path()
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(path, f"missing columns {missing}")
        rows = []
        seen = set()
        for i, r in enumerate(reader):
            if not re.fullmatch(r"[0-9a-f]{64}", r["sha256"]):
                raise DataError(path, "not a sha256 hex digest", column="sha256", row=i)
            if not re.fullmatch(r"[0-9a-f]{40}", r["commit"]):
                raise DataError(path, "not a 40-hex commit", column="commit", row=i)
            key = (r["source"], r["file"])
            if key in seen:
                raise DataError(path, f"duplicate entry {key}", row=i)
            seen.add(key)
            try:
                rows.append(RawFile(
                    **{k: r[k] for k in REQUIRED_COLUMNS if k not in ("bytes", "year_start", "year_end")},
                    bytes=int(r["bytes"]), year_start=int(r["year_start"]), year_end=int(r["year_end"]),
                ))
            except ValueError as exc:
                raise DataError(path, f"not an integer: {exc}", row=i) from exc
    return tuple(rows)


def sources() -> list[str]:
    """Registered source ids, sorted."""
    return sorted({f.source for f in raw_files()})


@cache
def source_meta(source: str) -> SourceMeta:
    """Metadata of ``source`` built from the registry rows of its files."""
    files = tuple(f for f in raw_files() if f.source == source)
    if not files:
        raise KeyError(f"unknown source {source!r}; registered: {', '.join(sources())}")

    def uniq(attr: str) -> str:
        return "; ".join(dict.fromkeys(getattr(f, attr) for f in files))

    return SourceMeta(
        source=source,
        title=uniq("dataset"),
        producer=uniq("producer"),
        version=uniq("version"),
        license=uniq("license"),
        citation=uniq("citation"),
        year_start=min(f.year_start for f in files),
        year_end=max(f.year_end for f in files),
        files=files,
        by_name={f.file: f for f in files},
    )


def files_digest(files: tuple[RawFile, ...]) -> str:
    """One sha256 over the ``file:sha256`` pairs of ``files``: a short fingerprint of a whole source."""
    import hashlib

    h = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.file):
        h.update(f"{f.file}:{f.sha256}\n".encode())
    return h.hexdigest()


def raw_file(source: str, name: str) -> RawFile:
    """The registered file ``name`` of ``source``."""
    return source_meta(source).file(name)


def _bib_escape(text: str) -> str:
    return text.replace("&", r"\&").replace("%", r"\%").replace("_", r"\_")


def bibtex(source: str) -> str:
    """A BibTeX ``@misc`` entry for ``source``, generated from the registry."""
    meta = source_meta(source)
    years = re.findall(r"\b(19\d\d|20\d\d)\b", meta.citation)
    year = years[0] if years else ""
    repos = "; ".join(dict.fromkeys(f"{f.repo}@{f.commit[:12]}" for f in meta.files))
    fields = {
        "author": _bib_escape(meta.producer),
        "title": _bib_escape(meta.title),
        "year": year,
        "version": _bib_escape(meta.version),
        "note": _bib_escape(meta.citation),
        "howpublished": _bib_escape(f"GitHub {repos}"),
        "url": meta.files[0].raw_url,  # percent-encoded already; not escaped (use \\url)
        "license": _bib_escape(meta.license),
    }
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
    return f"@misc{{{source},\n{body}\n}}"
