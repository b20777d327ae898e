"""Shared fixtures.

* ``fixtures`` - folder of synthetic files written in each upstream format
  (``tests/fixtures/<source>/<file>``); no row is cut from the real data.
* ``isolated_data_dir`` - points ``PEACEOPS_DATA_DIR`` at a temporary folder so
  fetch/build tests never touch the project's cache.
* ``raw_cache`` (session) - integration tests: makes sure every registered raw
  file is in the project's raw cache, copied from the mirror and verified;
  fails (does not skip) when no mirror is available.
* ``project`` - a temporary project folder with the fixture notebooks
  (``tests/fixtures/notebooks``) in ``notebooks/``, for the runner's tests.
* ``forked_children`` - the children :mod:`analysis.models.forked` forks during the
  test, and the check that each was reaped.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
#: The fixture notebooks the runner's tests execute (``project``).
NOTEBOOK_FIXTURES = FIXTURES / "notebooks"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def isolated_data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("PEACEOPS_DATA_DIR", str(d))
    return d


@pytest.fixture(scope="session")
def raw_cache():
    from analysis.config import default_mirror
    from analysis.data.fetch import fetch

    if default_mirror() is None:
        pytest.fail("integration tests need the data mirror: set PEACEOPS_DATA_MIRROR or put it at "
                    "../shared/data")
    fetch(allow_download=False, progress=False)
    return True


@pytest.fixture(scope="session")
def load_once():
    """``load_once(loader, path)``: what ``loader(path)`` returns for an unmodified fixture file, read
    once per test process; each call gets its own deep copy (a test that changes it affects no other).
    For the tests that only read a fixture: parsing and validating it again in each test was most of
    the unit tier's time for several sources."""
    cache: dict = {}

    def load(loader, path):
        key = (loader.__module__, loader.__qualname__, str(path))
        if key not in cache:
            cache[key] = loader(path)
        return cache[key].copy()

    return load


@pytest.fixture
def project(tmp_path) -> Path:
    """A temporary project: the fixture notebooks copied to ``<tmp_path>/notebooks``."""
    shutil.copytree(NOTEBOOK_FIXTURES, tmp_path / "notebooks")
    return tmp_path


class ForkedChildren:
    """The pids of the children :mod:`analysis.models.forked` forked during a test."""

    def __init__(self) -> None:
        self.pids: list[int] = []

    def all_reaped(self) -> bool:
        """Whether every one of them was reaped (other tests of the same process may leave children
        of their own, so the check is on these, not on the process having none)."""
        for pid in self.pids:
            with pytest.raises(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        return True


@pytest.fixture
def forked_children(monkeypatch) -> ForkedChildren:
    """Records the pid of every child :mod:`analysis.models.forked` forks during the test."""
    from analysis.models import forked

    children = ForkedChildren()
    spawn = forked._spawn

    def recording(func):
        child = spawn(func)
        if child is not None:
            children.pids.append(child[0])
        return child

    monkeypatch.setattr(forked, "_spawn", recording)
    return children


def pytest_collection_modifyitems(items):
    for item in items:
        if "integration" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.integration)


# --------------------------------------------------------------------------- downloads from 127.0.0.1


class HttpMirror:
    """A local HTTP server on 127.0.0.1 serving files the test registers, each with a behaviour.

    ``ok`` serves the bytes; ``truncated`` stops after half of them and closes the connection
    (a server error mid-file: the declared length is the full one); ``status:<code>`` answers
    with that HTTP status. Every request is recorded in ``requests``.
    """

    def __init__(self) -> None:
        import http.server
        import threading

        self.files: dict[str, tuple[bytes, str]] = {}
        self.requests: list[str] = []
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                mirror.requests.append(self.path)
                body, how = mirror.files.get(self.path, (b"", "status:404"))
                if how.startswith("status:"):
                    self.send_error(int(how.split(":")[1]))
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if how == "truncated":
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)  # the peer sees the connection end mid-body
                    return
                self.wfile.write(body)

            def log_message(self, *args):  # keep the test output clean
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def serve(self, path: str, body: bytes, how: str = "ok") -> str:
        """Serve ``body`` at ``path`` (``/toy/toy.csv``) in the given way; return its URL."""
        self.files[path] = (body, how)
        return self.url(path)

    def url(self, path: str) -> str:
        """Full URL of ``path`` on the server."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def close(self) -> None:
        """Stop the server (bounded: the thread ends with serve_forever)."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def http_mirror():
    srv = HttpMirror()
    yield srv
    srv.close()


def write_registry(path: Path, files: list[tuple[str, str, bytes, str]]) -> Path:
    """A registry of raw files in the real registry's format: (source, file, bytes, raw_url) each."""
    import csv
    import hashlib

    from analysis.data.registry import REQUIRED_COLUMNS

    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(REQUIRED_COLUMNS))
        w.writeheader()
        for source, name, content, url in files:
            w.writerow({
                "source": source, "file": name, "bytes": str(len(content)),
                "sha256": hashlib.sha256(content).hexdigest(), "repo": "o/r", "commit": "a" * 40,
                "path": name, "raw_url": url, "producer": "P", "dataset": f"Toy {source}",
                "version": "1.0", "year_start": "2001", "year_end": "2003", "coverage": "2001-2003",
                "license": "CC0", "citation": "Producer (2020). Toy.",
            })
    return path


@pytest.fixture
def registry_writer():
    return write_registry
