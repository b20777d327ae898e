"""Downloads from commit-pinned URLs, against a real HTTP server on 127.0.0.1 (no internet).

A registry of two synthetic files (``PEACEOPS_REGISTRY``) points at the local server; the mirror is
an empty folder, so every file must come from its URL. A corrupt, truncated or failed download must
raise a clear error and leave no file in the raw cache.
"""

from __future__ import annotations

import hashlib

import pytest

import analysis.data.registry as reg
from analysis.data.fetch import fetch
from analysis.errors import DataError, FetchError

A = b"year,value\n2001,1\n2002,2\n2003,3\n" * 200
B = b"country,year\nMLI,2012\nBFA,2022\nNER,2023\n"


@pytest.fixture
def served(tmp_path, isolated_data_dir, monkeypatch, http_mirror, registry_writer):
    """Serve two files; the registry names their URLs; no mirror holds them."""
    url_a = http_mirror.serve("/pinned/a.csv", A)
    url_b = http_mirror.serve("/pinned/b.csv", B)
    registry = registry_writer(tmp_path / "registry.csv", [("toy_a", "a.csv", A, url_a),
                                                           ("toy_b", "b.csv", B, url_b)])
    monkeypatch.setenv("PEACEOPS_REGISTRY", str(registry))
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PEACEOPS_DATA_MIRROR", str(tmp_path / "empty"))
    reg.raw_files.cache_clear()
    reg.source_meta.cache_clear()
    yield {"server": http_mirror, "data": isolated_data_dir}
    reg.raw_files.cache_clear()
    reg.source_meta.cache_clear()


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_registry_variable_names_the_registry(served, tmp_path):
    from analysis.config import registry_path

    assert registry_path() == tmp_path / "registry.csv"
    assert [f.key for f in reg.raw_files()] == ["toy_a/a.csv", "toy_b/b.csv"]


def test_download_from_pinned_urls_lands_verified_files(served):
    res = fetch(progress=False)
    assert [(r.file.key, r.how) for r in res] == [("toy_a/a.csv", "url"), ("toy_b/b.csv", "url")]
    assert (served["data"] / "raw" / "toy_a" / "a.csv").read_bytes() == A
    assert (served["data"] / "raw" / "toy_b" / "b.csv").read_bytes() == B
    assert _files(served["data"]) == ["raw/toy_a/a.csv", "raw/toy_b/b.csv"]
    # a second fetch uses the cache and asks the server nothing
    n = len(served["server"].requests)
    assert [r.how for r in fetch(progress=False)] == ["cached", "cached"]
    assert len(served["server"].requests) == n


@pytest.mark.parametrize(
    ("body", "how", "error", "match"),
    [
        (A[:-7] + b"9999999", "ok", DataError, "does not match the registry"),  # same length, other bytes
        (A[: len(A) // 3], "ok", DataError, "does not match the registry"),  # a complete but short file
        (A, "truncated", FetchError, r"could not download toy_a/a\.csv"),  # connection ends mid-file
        (A, "status:500", FetchError, r"could not download toy_a/a\.csv.*500"),
        (A, "status:404", FetchError, r"could not download toy_a/a\.csv.*404"),
    ],
    ids=["corrupt", "short", "mid-file", "http-500", "http-404"],
)
def test_failed_download_leaves_no_file_in_the_cache(served, body, how, error, match):
    served["server"].serve("/pinned/a.csv", body, how)
    with pytest.raises(error, match=match) as ei:
        fetch(["toy_a"], progress=False)
    assert "toy_a/a.csv" in str(ei.value) or "a.csv" in str(ei.value)
    assert _files(served["data"]) == []
    # the good file of another source still downloads, and a repaired server serves the first
    fetch(["toy_b"], progress=False)
    served["server"].serve("/pinned/a.csv", A)
    assert [r.how for r in fetch(progress=False)] == ["url", "cached"]
    assert hashlib.sha256((served["data"] / "raw" / "toy_a" / "a.csv").read_bytes()).hexdigest() == (
        hashlib.sha256(A).hexdigest()
    )


def test_failed_download_does_not_touch_the_cached_copy(served):
    fetch(progress=False)
    cached = served["data"] / "raw" / "toy_a" / "a.csv"
    cached.write_bytes(b"garbage")  # damaged in the cache: fetch downloads again, and that fails
    served["server"].serve("/pinned/a.csv", A, "truncated")
    with pytest.raises(FetchError):
        fetch(["toy_a"], progress=False)
    assert _files(served["data"]) == ["raw/toy_a/a.csv", "raw/toy_b/b.csv"]
    assert cached.read_bytes() == b"garbage"  # not replaced by the partial download


def test_no_download_without_mirror_names_the_remedy(served):
    with pytest.raises(FetchError, match="PEACEOPS_DATA_MIRROR") as ei:
        fetch(progress=False, allow_download=False)
    assert "toy_a/a.csv" in str(ei.value)
    assert served["server"].requests == []
    assert _files(served["data"]) == []


def test_without_any_mirror_the_message_says_so(served, monkeypatch):
    import analysis.data.fetch as fetch_mod

    monkeypatch.setattr(fetch_mod, "default_mirror", lambda: None)  # an installed package, no mirror named
    with pytest.raises(FetchError, match=r"no mirror is named") as ei:
        fetch(progress=False, allow_download=False)
    assert "None" not in str(ei.value)


def test_downloads_do_not_log_a_line_per_file(served):
    import logging

    import pooch

    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = pooch.get_logger()  # pooch's own logger (it does not propagate to the root logger)
    logger.addHandler(handler)
    try:
        fetch(progress=False)  # 1,578 files upstream: the progress bar says enough
    finally:
        logger.removeHandler(handler)
    assert [r.getMessage() for r in records if r.levelno >= logging.INFO] == []
