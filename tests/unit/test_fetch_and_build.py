"""Fetch, hash verification, build caching and atomicity, on a synthetic registry.

Everything here is offline and synthetic: a one-file source ``toy`` is
registered in a temporary registry, served from a temporary mirror, and a toy
core table is built from it.
"""

from __future__ import annotations

import csv
import hashlib
import os
import stat
import time
from pathlib import Path

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


def test_check_reports_a_corrupted_raw_file_and_exits_non_zero(toy_tables, toy, capsys, monkeypatch):
    from analysis.cli import main
    from analysis.data import check as check_mod
    from analysis.data.check import check_raw

    monkeypatch.setattr(check_mod, "check_loaders", lambda skip=(): [])  # the real sources' loaders
    monkeypatch.setattr(check_mod, "check_curated", lambda: [])

    fetch(progress=False)
    assert all(r.ok for r in check_raw())
    (toy["data"] / "raw" / "toy" / "toy.csv").write_bytes(b"tampered")
    bad = [r for r in check_raw() if not r.ok]
    assert len(bad) == 1 and "sha256 mismatch" in bad[0].detail and "toy.csv" in bad[0].detail
    assert main(["data", "check"]) == 1
    out = capsys.readouterr().out
    # raw checks are grouped per source; the failing line names the bad file
    assert "FAIL raw toy: 1 of 1 file(s) bad: toy/toy.csv" in out and "0 passed, 1 failed" in out


# ---------------------------------------------------------------- issue 8: parquet and manifest agree


class Killed(BaseException):
    """Stands for SIGKILL in-process: not an Exception, so nothing handles it on the way up."""


def _die_after_renames(monkeypatch, n: int):
    """Let ``n`` renames of the atomic writes happen, then "die" before the next one."""
    import analysis.data.hashing as hashing

    real = hashing.os.replace
    done = {"n": 0}

    def replace(src, dst):
        if done["n"] >= n:
            raise Killed(f"killed before renaming onto {dst}")
        done["n"] += 1
        return real(src, dst)

    monkeypatch.setattr(hashing.os, "replace", replace)


def _set_toy(toy, content: bytes) -> None:
    _write_registry(toy["registry"], content)
    reg.raw_files.cache_clear()
    reg.source_meta.cache_clear()
    (toy["mirror"] / "toy" / "toy.csv").write_bytes(content)


def test_kill_between_the_two_renames_never_serves_a_stale_table(toy_tables, toy, monkeypatch):
    """Item 4: v1 built; v2 killed between the parquet and manifest renames; back to v1.

    Before the fix the parquet of v2 sat under the manifest of v1 and the v1 build said
    "cached" while load() returned v2's rows.
    """
    build_mod.build(["toy_table"], progress=False)
    _set_toy(toy, CONTENT + b"2004,4\n")
    with pytest.MonkeyPatch.context() as mp:
        _die_after_renames(mp, 2)  # the fetch of the new raw file, then the first of the two
        with pytest.raises(Killed):
            build_mod.build(["toy_table"], progress=False)
    _set_toy(toy, CONTENT)
    rep = build_mod.build(["toy_table"], progress=False)
    assert build_mod.load("toy_table")["year"].tolist() == [2001, 2002, 2003]
    assert rep.status["toy_table"] in ("built", "cached")


def test_kill_between_the_two_renames_with_unchanged_inputs_rebuilds_and_says_why(toy_tables, toy,
                                                                                    monkeypatch):
    build_mod.build(["toy_table"], progress=False)
    _set_toy(toy, CONTENT + b"2004,4\n")
    with pytest.MonkeyPatch.context() as mp:
        _die_after_renames(mp, 2)  # the fetch of the new raw file, then the first of the two
        with pytest.raises(Killed):
            build_mod.build(["toy_table"], progress=False)
    rep = build_mod.build(["toy_table"], progress=False)
    assert rep.status["toy_table"] == "built"
    assert build_mod.load("toy_table")["year"].tolist() == [2001, 2002, 2003, 2004]


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_corrupt_parquet_is_rebuilt_and_the_build_says_so(toy_tables, toy, damage):
    """Item 5: before the fix build said "cached" and load() raised ArrowInvalid."""
    build_mod.build(progress=False)
    p = toy["data"] / "processed" / "core" / "toy_table.parquet"
    data = p.read_bytes()
    if damage == "truncate":
        p.write_bytes(data[: len(data) // 2])
    else:
        i = len(data) // 2
        p.write_bytes(data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1:])
    n = toy_tables["n"]
    rep = build_mod.build(progress=False)
    assert rep.status["toy_table"] == "built" and toy_tables["n"] == n + 1
    assert "does not match its manifest" in rep.reasons["toy_table"]
    assert str(p) in rep.reasons["toy_table"]
    assert build_mod.load("toy_table")["value"].tolist() == [1, 2, 3]
    assert p.read_bytes() == data


def test_load_rebuilds_a_corrupt_parquet_with_a_warning(toy_tables, toy, caplog):
    build_mod.build(progress=False)
    p = toy["data"] / "processed" / "core" / "toy_double.parquet"
    p.write_bytes(p.read_bytes()[:100])
    with caplog.at_level("WARNING", logger="analysis.data.store"):
        df = build_mod.load("toy_double")
    assert df["value"].tolist() == [2, 4, 6]
    assert any("toy_double.parquet" in r.getMessage() and "rebuilding" in r.getMessage()
               for r in caplog.records)


def test_truncated_dependency_is_rebuilt_not_read(toy_tables, toy):
    """Item 8: a dependency truncated while a dependent must be rebuilt raised ArrowInvalid."""
    build_mod.build(progress=False)
    core = toy["data"] / "processed" / "core"
    (core / "toy_double.json").unlink()
    (core / "toy_table.parquet").write_bytes((core / "toy_table.parquet").read_bytes()[:50])
    rep = build_mod.build(["toy_double"], progress=False)
    assert rep.status == {"toy_table": "built", "toy_double": "built"}
    assert build_mod.load("toy_double")["value"].tolist() == [2, 4, 6]


def test_warm_load_does_not_rehash_an_unchanged_parquet(toy_tables, toy, monkeypatch):
    import analysis.data.hashing as hashing

    build_mod.build(progress=False)
    calls = []
    real = hashing.sha256_file
    monkeypatch.setattr(build_mod, "sha256_file", lambda p: calls.append(p) or real(p))
    build_mod.load("toy_double")
    build_mod.build(progress=False)
    assert calls == []
    p = toy["data"] / "processed" / "core" / "toy_double.parquet"
    os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns + 10**9))  # touched: hash again, agrees
    assert build_mod.build(progress=False).status["toy_double"] == "cached"
    assert [Path(c).name for c in calls] == ["toy_double.parquet"]


def test_outputs_follow_the_umask(toy_tables, toy):
    """Item 9: mkstemp files were renamed into place with mode 0600 under umask 0022."""
    core = toy["data"] / "processed" / "core"
    for mask, mode in ((0o022, 0o644), (0o027, 0o640)):
        old = os.umask(mask)
        try:
            build_mod.build(force=True, progress=False)
        finally:
            os.umask(old)
        for f in ("toy_table.parquet", "toy_table.json", "toy_double.parquet"):
            assert stat.S_IMODE((core / f).stat().st_mode) == mode, (f, oct(mask))


def test_stale_temporary_files_of_killed_writes_are_removed(toy_tables, toy):
    """Item 9: ``.X.parquet.*.tmp`` left by a killed write were never cleaned up."""
    import subprocess
    import sys

    core = toy["data"] / "processed" / "core"
    core.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    stale = core / f".toy_table.parquet.{dead}.abcd1234.tmp"
    stale.write_bytes(b"half a parquet")
    old = time.time() - 2 * 86400
    os.utime(stale, (old, old))
    live = core / f".toy_table.parquet.{os.getpid()}.efgh5678.tmp"  # a write of this process
    live.write_bytes(b"in progress")
    foreign = core / "notes.tmp"  # not ours: not a dot-file of our pattern
    foreign.write_text("keep")
    build_mod.build(progress=False)
    assert not stale.exists()
    assert live.exists() and foreign.exists()


def test_check_rehashes_every_parquet_and_rebuilds_a_corrupt_one(toy_tables, toy, monkeypatch):
    """A corruption that keeps size and time (e.g. a bad disk block) escapes the stat shortcut of
    load(); ``peaceops data check`` re-hashes, rebuilds and says so."""
    from analysis.data import check as check_mod

    build_mod.build(progress=False)
    p = toy["data"] / "processed" / "core" / "toy_table.parquet"
    st = p.stat()
    data = bytearray(p.read_bytes())
    data[len(data) // 2] ^= 0xFF
    with open(p, "r+b") as fh:
        fh.write(bytes(data))
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert build_mod.is_fresh(build_mod.specs()["toy_table"], build_mod.build_key("toy_table"))
    results = check_mod.check_tables()
    by = {r.what: r for r in results}
    assert by["table toy_table"].ok and "rebuilt:" in by["table toy_table"].detail
    assert "does not match its manifest" in by["table toy_table"].detail
    assert check_mod.check_tables()[0].detail.endswith("PK ['year']")


def test_mirror_that_is_a_file_is_named_as_such(toy, tmp_path):
    """Item 9: ``--mirror FILE`` said the folder "does not exist"."""
    f = tmp_path / "mirror.zip"
    f.write_bytes(b"PK")
    with pytest.raises(FetchError, match=r"mirror\.zip is a file, not a folder: .*<source>/<file>"):
        fetch(mirror=f, progress=False)
    with pytest.raises(FetchError, match=r"mirror folder .*nowhere does not exist"):
        fetch(mirror=tmp_path / "nowhere", progress=False)


def test_fetch_removes_temporary_files_of_a_killed_copy(toy):
    import subprocess
    import sys

    folder = toy["data"] / "raw" / "toy"
    folder.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    stale = folder / f".toy.csv.{dead}.x1y2z3.tmp"
    stale.write_bytes(b"year,val")
    os.utime(stale, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    fetch(progress=False)
    assert sorted(p.name for p in folder.iterdir()) == ["toy.csv"]


# ---------------------------------------------------------------- issue 8, item 9: check says what to do

CONTENT2 = b"year,n\n2001,5\n"


@pytest.fixture
def two_sources(toy, monkeypatch):
    """Registry with a second source ``toy2`` that no table uses (like Henke's fatalities)."""
    import csv as csv_mod

    with open(toy["registry"], newline="") as fh:
        rows = list(csv_mod.DictReader(fh))
    extra = dict(rows[0], source="toy2", file="toy2.csv", bytes=str(len(CONTENT2)),
                 sha256=hashlib.sha256(CONTENT2).hexdigest(), path="toy2.csv")
    with open(toy["registry"], "w", newline="") as fh:
        w = csv_mod.DictWriter(fh, fieldnames=list(reg.REQUIRED_COLUMNS))
        w.writeheader()
        w.writerows([rows[0], extra])
    reg.raw_files.cache_clear()
    reg.source_meta.cache_clear()
    (toy["mirror"] / "toy2").mkdir()
    (toy["mirror"] / "toy2" / "toy2.csv").write_bytes(CONTENT2)
    return toy


def _toy_checks(monkeypatch, check_mod):
    monkeypatch.setattr(check_mod, "check_loaders", lambda skip=(): [])
    monkeypatch.setattr(check_mod, "check_curated", lambda: [])


def test_check_after_build_tells_to_fetch_a_raw_file_no_table_uses(toy_tables, two_sources, monkeypatch,
                                                                    capsys):
    """build fetches only what its tables read; check then failed on the other source's file
    with "missing file" and no word of ``peaceops data fetch``."""
    from analysis.cli import main
    from analysis.data import check as check_mod

    _toy_checks(monkeypatch, check_mod)
    build_mod.build(progress=False)
    assert main(["data", "check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL raw toy2" in out and "Run `peaceops data fetch toy2`: it copies missing files" in out


def test_check_says_which_checks_it_skipped_after_a_raw_failure(toy_tables, toy, monkeypatch, capsys):
    """When a raw file failed, the loader and table checks were skipped without a word."""
    from analysis.cli import main
    from analysis.data import check as check_mod

    _toy_checks(monkeypatch, check_mod)
    build_mod.build(progress=False)
    (toy["data"] / "raw" / "toy" / "toy.csv").write_bytes(b"tampered")
    assert main(["data", "check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL raw toy" in out and "`peaceops data fetch toy`" in out
    assert "SKIP table toy_table: reads source toy, whose raw files failed" in out
    assert "SKIP table toy_double: reads source toy, whose raw files failed" in out
    assert "SKIP curated foreign keys: not checked while raw files fail" in out
    assert out.strip().endswith("0 passed, 1 failed, 3 skipped")


def test_an_unreadable_parquet_says_how_to_rebuild_it(toy_tables, toy):
    """Item 8: reading a damaged parquet raised a bare ArrowInvalid traceback."""
    build_mod.build(progress=False)
    p = toy["data"] / "processed" / "core" / "toy_table.parquet"
    p.write_bytes(b"PAR1 not a parquet file PAR1")
    with pytest.raises(DataError, match=r"toy_table\.parquet: cannot be read \(ArrowInvalid: .*\); "
                                        r"rebuild it with `peaceops data build --force toy_table`"):
        build_mod.read_table(build_mod.specs()["toy_table"])
