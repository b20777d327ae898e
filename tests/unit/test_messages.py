"""Messages that say where and what to do (issue 8, items 8 and 9): the file's 1-based line
everywhere, a stray comma named where it is, duplicate keys in YAML refused, one-line CLI errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import curated
from analysis.errors import DataError

REAL = Path(__file__).parents[2] / "data" / "curated"


# --------------------------------------------------------------------------- 1-based file lines


def test_stray_comma_at_the_end_of_the_first_data_row_is_named_at_line_2(tmp_path):
    """Before the fix pandas took the extra field as a row label: the error came at "row 10" of
    another column."""
    lines = (REAL / curated.FILE_MANDATES).read_text(encoding="utf-8").split("\n")
    lines[1] += ","
    p = tmp_path / "m.csv"
    p.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as ei:
        curated.load_mandates(p)
    msg = str(ei.value)
    assert msg.startswith(f"file {p}, line 2: 23 fields, the header has 22")
    assert "remove the stray comma(s) after the last column 'note'" in msg


def test_a_value_with_an_unquoted_comma_is_named_at_its_line(tmp_path):
    df = pd.read_csv(REAL / curated.FILE_PERSONNEL, dtype=str, keep_default_na=False)
    p = tmp_path / "p.csv"
    df.to_csv(p, index=False, lineterminator="\n")
    text = p.read_text().split("\n")
    text[3] = text[3].replace(",", ",extra,", 1)  # one more field, unquoted
    p.write_text("\n".join(text))
    with pytest.raises(DataError, match=r"p\.csv, line 4: 13 fields, the header has 12: a value containing a "
                                        r"comma must be quoted"):
        curated.load_personnel(p)


def test_lines_count_quoted_values_that_span_lines(tmp_path):
    """A note over three lines: the next record starts on line 5, not "row 1" (0-based position)."""
    from analysis.errors import csv_record_lines

    df = pd.read_csv(REAL / curated.FILE_MANDATES, dtype=str, keep_default_na=False).head(3)
    df.loc[0, "note"] = "first line\nsecond line\nthird line"
    df.loc[1, "is_chapter_vii"] = "yes"
    p = tmp_path / "m.csv"
    df.to_csv(p, index=False, lineterminator="\n")
    assert csv_record_lines(p) == [2, 5, 6]
    with pytest.raises(DataError, match=r"m\.csv, column 'is_chapter_vii', line 5: not a boolean 'yes'"):
        curated.load_mandates(p)


def test_blank_lines_are_not_records(tmp_path):
    from analysis.errors import csv_record_lines

    p = tmp_path / "b.csv"
    p.write_text("a,b\n1,2\n\n3,4\n")
    assert csv_record_lines(p) == [2, 4]
    assert len(pd.read_csv(p)) == 2


def test_locations_in_the_terms_of_each_format(tmp_path):
    from analysis.errors import locate

    for name in ("x.xlsx", "x.dta", "x.rda", "x.csv"):
        (tmp_path / name).write_bytes(b"h\n1\n2\n")
    assert locate(tmp_path / "x.xlsx", 0) == "row 2"  # header in the sheet's row 1
    assert locate(tmp_path / "x.dta", 0) == "observation 1"
    assert locate(tmp_path / "x.rda", 4) == "observation 5"
    assert locate(tmp_path / "x.csv", 1) == "line 3"
    assert locate("<core table t>", 7) == "row 7"  # a frame in memory: its label
    assert str(DataError(tmp_path / "x.csv", "bad", column="h", line=12)).endswith("column 'h', line 12: bad")


# --------------------------------------------------------------------------- YAML: a key once

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"


def test_duplicate_keys_in_a_params_file_are_refused(tmp_path, capsys, monkeypatch):
    """Before the fix the last ``n`` won silently (and the run started)."""
    import shutil

    import analysis.reporting.execute as execute
    from analysis.cli import main

    shutil.copytree(FIXTURES, tmp_path / "notebooks")
    monkeypatch.setattr(execute, "run_notebooks", lambda *a, **k: pytest.fail("ran with a duplicate key"))
    f = tmp_path / "over.yaml"
    f.write_text("n: 3\nlabel: x\nn: 5\n")
    rc = main(["run", "01", "-f", str(f), "--notebooks-dir", str(tmp_path / "notebooks"), "-q"])
    err = capsys.readouterr().err
    assert rc == 2
    assert err == (f"error: -f {f}, line 3, column 1: duplicate key 'n' (first on line 1, again on line 3): "
                   "give each key once\n")


def test_duplicate_sets_or_parameters_in_the_sets_file_are_refused(tmp_path):
    import shutil

    from analysis.errors import RunnerError
    from analysis.reporting.plan import discover

    shutil.copytree(FIXTURES, tmp_path / "notebooks")
    params = tmp_path / "notebooks" / "params" / "01_tiny.yaml"
    params.write_text("default: {}\nbig: {n: 5}\nbig: {n: 6}\n")
    with pytest.raises(RunnerError, match=r"01_tiny\.yaml, line 3, column 1: duplicate key 'big'"):
        discover(tmp_path / "notebooks", ["01"])
    params.write_text("default: {}\nbig:\n  n: 5\n  n: 6\n")
    with pytest.raises(RunnerError, match=r"line 4, column 3: duplicate key 'n' \(first on line 3"):
        discover(tmp_path / "notebooks", ["01"])


# --------------------------------------------------------------------------- one line, no traceback


def _cli_with_failing_build(monkeypatch, capsys, exc: BaseException) -> tuple[int, str]:
    """`peaceops data build` in this process, with the build raising ``exc`` (no subprocess: the
    unit tier starts none); an exception main() does not turn into one line fails the test."""
    import analysis.data.store as store
    from analysis.cli import main

    def build(*a, **k):
        raise exc

    monkeypatch.setattr(store, "build", build)
    capsys.readouterr()
    rc = main(["data", "build"])
    return rc, capsys.readouterr().err


def test_ctrl_c_exits_130_with_one_line(monkeypatch, capsys):
    """Before the fix: a KeyboardInterrupt traceback (and the signal's exit status)."""
    rc, err = _cli_with_failing_build(monkeypatch, capsys, KeyboardInterrupt())
    assert rc == 130
    assert "Traceback" not in err
    assert err == "interrupted: outputs written so far are complete; run the command again to finish\n"


def test_permission_error_is_one_line_naming_the_file_and_what_to_do(monkeypatch, capsys):
    import errno

    exc = PermissionError(errno.EACCES, "Permission denied", "/ro/data/processed/core/.x.parquet.1.a.tmp")
    rc, err = _cli_with_failing_build(monkeypatch, capsys, exc)
    assert rc == 1 and "Traceback" not in err and err.count("\n") == 1
    assert err.startswith("error: Permission denied: /ro/data/processed/core/.x.parquet.1.a.tmp; make it "
                          "writable")
    assert "PEACEOPS_DATA_DIR=DIR" in err


def test_install_registers_the_kernel_for_plain_papermill():
    """``make venv`` and ``make reports`` register the 'peaceops' kernel: plain papermill (README) raised
    NoSuchKernel on a fresh machine until a ``peaceops run`` had registered it."""
    import shutil
    import subprocess

    root = Path(__file__).parents[2]
    if shutil.which("make") is None:
        pytest.fail("make is needed (the Makefile is the project's task runner)")
    for target in (["-B", "venv"], ["reports"]):
        out = subprocess.run(["make", "-n", *target], cwd=root, capture_output=True, text=True,
                             check=True).stdout
        assert "peaceops run --install-kernel" in out, target
