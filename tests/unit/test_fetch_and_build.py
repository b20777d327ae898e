"""Fetch, hash verification, build caching and atomicity, on a synthetic registry.

Everything here is offline and synthetic: a one-file source ``toy`` is
registered in a temporary registry, served from a temporary mirror, and a toy
core table is built from it.
"""

from __future__ import annotations

import csv
import hashlib

import pandas as pd
import pandera.pandas as pa
import pytest

import analysis.data.registry as reg
import analysis.data.store as build_mod
from analysis.data.fetch import fetch
from analysis.data.tables import TableSpec
from analysis.errors import BuildError, DataError, FetchError, HashMismatchError
from analysis.sources._base import raw_path

CONTENT = b"year,value\n2001,1\n2002,2\n2003,3\n"


def _write_registry(path, content: bytes, url="https://example.invalid/toy.csv"):
    row = {c: "" for c in reg.REQUIRED_COLUMNS}
    row.update(source="toy", file="toy.csv", bytes=str(len(content)),
               sha256=hashlib.sha256(content).hexdigest(), repo="o/r", commit="a" * 40,
               path="toy.csv", raw_url=url, producer="P", dataset="Toy data", version="1.0",
               year_start="2001", year_end="2003", coverage="2001-2003", license="CC0",
               citation="Producer (2020). Toy.")
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(reg.REQUIRED_COLUMNS))
        w.writeheader()
        w.writerow(row)


@pytest.fixture
def toy(tmp_path, isolated_data_dir, monkeypatch):
    regfile = tmp_path / "registry.csv"
    _write_registry(regfile, CONTENT)
    monkeypatch.setattr(reg, "registry_path", lambda: regfile)
    reg.raw_files.cache_clear()
    reg.source_meta.cache_clear()
    mirror = tmp_path / "mirror"
    (mirror / "toy").mkdir(parents=True)
    (mirror / "toy" / "toy.csv").write_bytes(CONTENT)
    monkeypatch.setenv("PEACEOPS_DATA_MIRROR", str(mirror))
    yield {"mirror": mirror, "registry": regfile, "data": isolated_data_dir}
    reg.raw_files.cache_clear()
    reg.source_meta.cache_clear()


def _leftovers(folder):
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def test_fetch_copies_from_mirror_then_uses_cache(toy):
    first = fetch(progress=False)
    assert [r.how for r in first] == ["mirror"]
    assert (toy["data"] / "raw" / "toy" / "toy.csv").read_bytes() == CONTENT
    assert [r.how for r in fetch(progress=False)] == ["cached"]


def test_fetch_rejects_bad_mirror_bytes_and_writes_nothing(toy):
    (toy["mirror"] / "toy" / "toy.csv").write_bytes(CONTENT[:-5])  # truncated
    with pytest.raises(HashMismatchError) as ei:
        fetch(progress=False)
    msg = str(ei.value)
    assert "toy.csv" in msg and hashlib.sha256(CONTENT).hexdigest() in msg
    assert hashlib.sha256(CONTENT[:-5]).hexdigest() in msg
    assert not (toy["data"] / "raw" / "toy" / "toy.csv").exists()
    assert _leftovers(toy["data"]) == []


def test_corrupted_cache_is_replaced_from_mirror(toy):
    fetch(progress=False)
    cached = toy["data"] / "raw" / "toy" / "toy.csv"
    cached.write_bytes(b"garbage")
    assert [r.how for r in fetch(progress=False)] == ["mirror"]
    assert cached.read_bytes() == CONTENT


def test_offline_without_mirror_says_how_to_provide_one(toy, monkeypatch, tmp_path):
    monkeypatch.setenv("PEACEOPS_DATA_MIRROR", str(tmp_path / "empty"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(FetchError, match="PEACEOPS_DATA_MIRROR"):
        fetch(progress=False, allow_download=False)


def test_download_failure_is_a_clear_error(toy, monkeypatch, tmp_path):
    import pooch

    monkeypatch.setenv("PEACEOPS_DATA_MIRROR", str(tmp_path / "empty"))
    (tmp_path / "empty").mkdir()

    def boom(*a, **k):
        raise ConnectionError("network is unreachable")

    monkeypatch.setattr(pooch, "retrieve", boom)
    with pytest.raises(FetchError, match=r"toy/toy\.csv.*--mirror"):
        fetch(progress=False)
    assert not (toy["data"] / "raw" / "toy" / "toy.csv").exists()


def test_download_is_verified_before_it_lands(toy, monkeypatch, tmp_path):
    import pooch

    monkeypatch.setenv("PEACEOPS_DATA_MIRROR", str(tmp_path / "empty"))
    (tmp_path / "empty").mkdir()

    def fake_retrieve(url, known_hash, fname, path, progressbar):
        p = tmp_path / "dl"
        p.write_bytes(CONTENT)
        return str(p)

    monkeypatch.setattr(pooch, "retrieve", fake_retrieve)
    assert [r.how for r in fetch(progress=False)] == ["url"]
    assert (toy["data"] / "raw" / "toy" / "toy.csv").read_bytes() == CONTENT


def test_loader_path_checks_hash_of_cached_file(toy):
    fetch(progress=False)
    cached = toy["data"] / "raw" / "toy" / "toy.csv"
    assert raw_path("toy", "toy.csv") == cached
    cached.write_bytes(CONTENT.replace(b"3\n", b"4\n"))
    with pytest.raises(HashMismatchError, match="toy.csv"):
        raw_path("toy", "toy.csv")


def test_missing_raw_file_tells_to_fetch(toy):
    with pytest.raises(DataError, match="peaceops data fetch"):
        raw_path("toy", "toy.csv")


# ---------------------------------------------------------------- build engine

SCHEMA = pa.DataFrameSchema({"year": pa.Column("int64"), "value": pa.Column("int64", pa.Check.ge(0))},
                            strict=True, name="toy")


@pytest.fixture
def toy_tables(toy, monkeypatch):
    calls = {"n": 0, "fail": False, "dup": False}

    def build_toy(deps):
        calls["n"] += 1
        if calls["fail"]:
            raise RuntimeError("upstream changed")
        df = pd.read_csv(raw_path("toy", "toy.csv"))
        return pd.concat([df, df.head(1)]) if calls["dup"] else df

    def build_double(deps):
        return deps["toy_table"].assign(value=lambda d: d.value * 2)

    specs = {
        "toy_table": TableSpec("toy_table", build_toy, ("year",), "year", "2001-2003", ("toy",), SCHEMA),
        "toy_double": TableSpec("toy_double", build_double, ("year",), "year", "2001-2003", (), SCHEMA,
                                depends=("toy_table",)),
    }
    monkeypatch.setattr(build_mod, "specs", lambda: specs)
    return calls


def test_build_then_rebuild_does_no_work(toy_tables):
    rep = build_mod.build(progress=False)
    assert rep.status == {"toy_table": "built", "toy_double": "built"}
    assert toy_tables["n"] == 1
    rep2 = build_mod.build(progress=False)
    assert rep2.status == {"toy_table": "cached", "toy_double": "cached"}
    assert toy_tables["n"] == 1
    assert build_mod.load("toy_double")["value"].tolist() == [2, 4, 6]


def test_changed_raw_file_rebuilds_dependents(toy_tables, toy):
    build_mod.build(progress=False)
    new = CONTENT + b"2004,4\n"
    _write_registry(toy["registry"], new)
    reg.raw_files.cache_clear()
    reg.source_meta.cache_clear()
    (toy["mirror"] / "toy" / "toy.csv").write_bytes(new)
    rep = build_mod.build(progress=False)
    assert rep.status == {"toy_table": "built", "toy_double": "built"}
    assert len(build_mod.load("toy_double")) == 4


def test_failed_step_is_named_and_leaves_outputs_intact(toy_tables, toy):
    build_mod.build(progress=False)
    out = toy["data"] / "processed" / "core" / "toy_table.parquet"
    before = out.read_bytes()
    toy_tables["fail"] = True
    with pytest.raises(BuildError, match="toy_table.*upstream changed"):
        build_mod.build(force=True, progress=False)
    assert out.read_bytes() == before
    assert _leftovers(toy["data"]) == []


def test_duplicate_primary_key_fails_the_build(toy_tables, toy):
    toy_tables["dup"] = True
    with pytest.raises(BuildError, match="not unique"):
        build_mod.build(progress=False)
    assert not (toy["data"] / "processed" / "core" / "toy_table.parquet").exists()


def test_load_builds_on_demand(toy_tables):
    df = build_mod.load("toy_double")
    assert df["year"].tolist() == [2001, 2002, 2003]
    assert toy_tables["n"] == 1


def test_unknown_table_lists_known_ones(toy_tables):
    with pytest.raises(KeyError, match="toy_double"):
        build_mod.load("nope")


def test_check_reports_a_corrupted_raw_file_and_exits_non_zero(toy, capsys):
    from analysis.cli import main
    from analysis.data.check import check_raw

    fetch(progress=False)
    assert all(r.ok for r in check_raw())
    (toy["data"] / "raw" / "toy" / "toy.csv").write_bytes(b"tampered")
    bad = [r for r in check_raw() if not r.ok]
    assert len(bad) == 1 and "sha256 mismatch" in bad[0].detail and "toy.csv" in bad[0].detail
    assert main(["data", "check"]) == 1
    out = capsys.readouterr().out
    # raw checks are grouped per source; the failing line names the bad file
    assert "FAIL raw toy: 1 of 1 file(s) bad: toy/toy.csv" in out and "0 passed, 1 failed" in out
