from __future__ import annotations

import csv

import pytest

import analysis.data.registry as reg
from analysis.cli import main
from analysis.config import registry_path
from analysis.errors import DataError
from analysis.sources import SOURCE_MODULES


def test_registry_covers_every_source_module_and_nothing_else():
    assert set(reg.sources()) == set(SOURCE_MODULES)


def test_registry_entries_are_pinned():
    for f in reg.raw_files():
        assert f.commit in f.raw_url, f.key
        assert f.raw_url.startswith("https://raw.githubusercontent.com/"), f.key
        assert f.bytes > 0 and f.year_start <= f.year_end, f.key
        assert f.citation and f.version and f.producer, f.key


def test_source_constants_come_from_registry():
    from analysis.sources import owid_un_peacekeeping as owid

    row = next(r for r in csv.DictReader(open(registry_path())) if r["source"] == "owid_un_peacekeeping")
    assert owid.VERSION == row["version"]
    assert owid.CITATION == row["citation"]
    assert owid.YEARS == (int(row["year_start"]), int(row["year_end"]))


def test_bad_registry_row_is_named(tmp_path, monkeypatch):
    rows = list(csv.DictReader(open(registry_path())))
    rows[3]["sha256"] = "xyz"
    p = tmp_path / "registry.csv"
    with open(p, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    monkeypatch.setattr(reg, "registry_path", lambda: p)
    reg.raw_files.cache_clear()
    try:
        with pytest.raises(DataError, match=r"registry\.csv.*column 'sha256'.*line 5"):
            reg.raw_files()
    finally:
        reg.raw_files.cache_clear()


def test_cite_prints_bibtex_generated_from_registry(capsys):
    assert main(["data", "cite", "tamm", "ucdp_acd"]) == 0
    out = capsys.readouterr().out
    assert out.count("@misc{") == 2
    assert "@misc{tamm," in out and "version = {v2.1" in out
    assert reg.source_meta("ucdp_acd").files[0].raw_url in out


def test_cite_unknown_key_fails(capsys):
    assert main(["data", "cite", "nope"]) == 2
    assert "unknown source" in capsys.readouterr().err


def test_versions_lists_every_file_with_hash(capsys):
    assert main(["data", "versions", "--files"]) == 0
    out = capsys.readouterr().out
    for f in reg.raw_files():
        assert f.sha256[:12] in out


def test_versions_groups_sources_one_line_each(capsys):
    assert main(["data", "versions"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 + len(reg.sources())
    unsc = next(ln for ln in lines if ln.startswith("unsc_resolutions_unxml"))
    m = reg.source_meta("unsc_resolutions_unxml")
    assert f"{len(m.files)} files" in unsc and reg.files_digest(m.files)[:12] in unsc
    tamm = next(ln for ln in lines if ln.startswith("tamm "))
    assert reg.source_meta("tamm").files[0].sha256[:12] in tamm


def test_cite_acknowledges_the_un_as_source_in_one_entry(capsys):
    assert main(["data", "cite", "unsc_resolutions_unxml"]) == 0
    out = capsys.readouterr().out
    assert out.count("@misc{") == 1 and "Source: United Nations" in out
    assert "attribution required" in out


@pytest.mark.parametrize("argv", [["data", "frob"], ["data", "fetch", "--nope"], ["nothing"], []])
def test_unknown_commands_and_options_fail_with_usage(argv, capsys):
    with pytest.raises(SystemExit) as ei:
        main(argv)
    assert ei.value.code == 2
    assert "usage:" in capsys.readouterr().err
