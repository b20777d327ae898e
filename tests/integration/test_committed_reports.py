"""The committed reports: every notebook has its rendered default report, the index links to
every run, and re-executing a default set reproduces the committed headline numbers."""

from __future__ import annotations

import json
import posixpath
import re

import pytest

from analysis.config import reports_path
from analysis.reporting.check import check_reports
from analysis.reporting.plan import notebook_stems

STEMS = notebook_stems()
REPORTS = reports_path()


@pytest.mark.parametrize("stem", STEMS)
def test_every_notebook_has_a_committed_default_report(stem):
    base = REPORTS / stem
    for suffix in (".html", ".ipynb", ".run.json"):
        assert (base / f"default{suffix}").is_file(), f"{stem}: default{suffix} missing; run `make reports`"
    res = json.loads((base / "default" / "results.json").read_text())
    assert res["notebook"] == stem and res["results"], stem
    assert res["data_versions"]["tables"], stem
    html = (base / "default.html").read_text(encoding="utf-8")
    assert "rep.save(" not in html  # rendered without code cells


def test_index_links_every_run_and_its_main_figure():
    index = (REPORTS / "index.html").read_text(encoding="utf-8")
    runs = sorted(p.relative_to(REPORTS).as_posix() for p in REPORTS.glob("*/*.html"))
    assert runs, "no rendered reports"
    hrefs = set(re.findall(r"href=['\"]([^'\"]+)['\"]", index))
    missing = [r for r in runs if r not in hrefs]
    assert not missing, f"index.html does not link {missing}"
    for stem in STEMS:
        main = json.loads((REPORTS / stem / "default" / "results.json").read_text()).get("main_figure")
        if main:
            assert f"src='{posixpath.normpath(f'{stem}/default/{main}')}'" in index
            assert (REPORTS / stem / "default" / main).is_file(), main


def test_default_report_of_the_coup_notebook_is_reproduced(raw_cache):
    stem = next(s for s in STEMS if s.startswith("04_"))
    report = check_reports([stem], progress=False)
    assert report.ok, report.differences


def test_committed_index_is_current_and_regenerates_to_the_same_bytes():
    from analysis.reporting.index import render_index

    assert render_index(REPORTS) == (REPORTS / "index.html").read_text(encoding="utf-8")
