"""The committed reports in a real browser: every page of reports/ opened in headless Chromium at 1400
and 390 px (analysis.reporting.browser): no horizontal overflow, every image loads, no console error,
no request leaving reports/, no broken link. Screenshots go to reports-screenshots/ (git-ignored)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.config import reports_path

pytestmark = pytest.mark.integration


def test_every_committed_page_passes_the_browser_check():
    pytest.importorskip("playwright", reason="dev extra: pip install -e '.[dev]'")
    from analysis.reporting.browser import check_pages

    if not (shutil.which("chromium") or Path("/usr/bin/chromium").is_file()):
        pytest.fail("Chromium is not installed: apt-get install -y chromium (.ci/run does this)")
    report = check_pages(reports_path())
    assert report.checks, "no pages under reports/"
    assert report.ok, report.summary()
