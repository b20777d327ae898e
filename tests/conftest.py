"""Shared fixtures.

* ``fixtures`` - folder of synthetic files written in each upstream format
  (``tests/fixtures/<source>/<file>``); no row is cut from the real data.
* ``isolated_data_dir`` - points ``PEACEOPS_DATA_DIR`` at a temporary folder so
  fetch/build tests never touch the project's cache.
* ``raw_cache`` (session) - integration tests: makes sure every registered raw
  file is in the project's raw cache, copied from the mirror and verified;
  fails (does not skip) when no mirror is available.
"""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


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


def pytest_collection_modifyitems(items):
    for item in items:
        if "integration" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.integration)
