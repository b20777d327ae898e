import gzip

import pandas as pd
import pytest

from analysis.core import coups as core_coups
from analysis.errors import DataError
from analysis.sources import coups_coupcats_thyne as cc
from analysis.sources import coups_powell_thyne as pt

FILE = "2.c.base_data.csv.gz"


@pytest.fixture
def fx(fixtures):
    return fixtures / "coups_coupcats_thyne" / FILE


@pytest.fixture
def fxpt(fixtures):
    return fixtures / "coups_powell_thyne" / "powell_thyne_coups_V2022.11.29.csv"


def _lines(path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return fh.read().splitlines()


def _write(tmp_path, lines, name="bad.csv.gz"):
    p = tmp_path / name
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return p


def _set(lines, row, column, value):
    header = [c.strip('"') for c in lines[0].split(",")]
    f = lines[row + 1].split(",")
    f[header.index(column)] = value
    lines[row + 1] = ",".join(f)


# ----------------------------------------------------------------------------- loader

def test_fixture_is_small_gzip_with_quoted_country_and_na_strings(fx):
    assert fx.read_bytes()[:2] == b"\x1f\x8b" and fx.stat().st_size < 50_000
    lines = _lines(fx)
    assert lines[1].startswith('"') and ",NA," in lines[1]
    assert len(lines[0].split(",")) == 31


def test_only_coup_months_are_returned(fx, load_once):
    df = load_once(cc.load_coup_months, fx)
    raw = pd.read_csv(fx)
    assert len(df) == int((raw["coup_attempt"] == 1).sum()) == 9
    assert df["is_successful"].sum() == int(raw["coup_successful"].sum())
    assert list(df.columns) == ["country_name", "country_id_cow", "year", "month", "is_successful"]
    assert df["country_name"].iloc[0] == "Arcadia"  # quotes removed


def test_synthetic_2026_rows_carry_no_coup(fx, load_once):
    df = load_once(cc.load_coup_months, fx)
    assert pd.read_csv(fx)["year"].max() == 2026
    assert df["year"].max() == 2025


def test_missing_column_names_file_and_column(fx, tmp_path):
    lines = _lines(fx)
    lines[0] = lines[0].replace('"coup_successful"', '"coup_succ"')
    with pytest.raises(DataError, match=r"bad\.csv\.gz.*column 'coup_successful'"):
        cc.load_coup_months(_write(tmp_path, lines))


def test_non_numeric_indicator_names_column_and_row(fx, tmp_path):
    lines = _lines(fx)
    _set(lines, 4, "coup_attempt", "yes")
    with pytest.raises(DataError, match=r"bad\.csv\.gz.*column 'coup_attempt'.*line 6.*not a number"):
        cc.load_coup_months(_write(tmp_path, lines))


def test_unknown_indicator_code_names_row(fx, tmp_path):
    lines = _lines(fx)
    _set(lines, 7, "coup_successful", "2")
    with pytest.raises(DataError, match=r"bad\.csv\.gz.*column 'coup_successful'.*line 9.*unknown code"):
        cc.load_coup_months(_write(tmp_path, lines))


def test_success_without_attempt_names_row(fx, tmp_path):
    lines = _lines(fx)
    _set(lines, 1, "coup_successful", "1")  # row 1 is a month without an attempt
    with pytest.raises(DataError, match=r"bad\.csv\.gz.*column 'coup_successful'.*line 3.*without an"):
        cc.load_coup_months(_write(tmp_path, lines))


def test_duplicate_country_month_names_row(fx, tmp_path):
    lines = _lines(fx)
    lines.append(lines[3])
    with pytest.raises(DataError, match=r"bad\.csv\.gz.*column 'ccode'.*duplicate"):
        cc.load_coup_months(_write(tmp_path, lines))


def test_not_gzip_is_a_data_error(fx, tmp_path):
    p = tmp_path / "plain.csv.gz"
    p.write_text("\n".join(_lines(fx)), encoding="utf-8")
    with pytest.raises(DataError, match=r"plain\.csv\.gz.*cannot be read"):
        cc.load_coup_months(p)


# ----------------------------------------------------------------------------- the coups table (seam)

@pytest.fixture
def codes():
    """A tiny country_codes: COW == G-W, except 698 (not in COW in 1970) and 436 -> 437."""
    rows = []
    for gw, cow, years in ((432, 432, range(1960, 2027)), (437, 436, range(1960, 2027)),
                           (403, 403, range(1975, 2027)), (345, 345, range(1950, 2027)),
                           (698, None, range(1960, 1971)), (698, 698, range(1971, 2027))):
        rows += [(gw, y, cow) for y in years]
    df = pd.DataFrame(rows, columns=["country_id_gw", "year", "country_id_cow"])
    return df.astype({"country_id_gw": "Int64", "year": "Int64", "country_id_cow": "Int64"})


@pytest.fixture
def table(fx, fxpt, codes, load_once):
    out = core_coups.coups_from(pt.load_events(fxpt), load_once(cc.load_coup_months, fx), codes)
    core_coups.SCHEMA_COUPS.validate(out)
    return out


def test_pt_events_then_coupcats_months_after_the_seam(table):
    assert (table["source_dataset"] == "powell_thyne").sum() == 11
    late = table[table["source_dataset"] == "coupcats"]
    # seam = 2022-10 (last P&T event): CoupCats 2022-10 is not appended; 2023-03, 2024-06, 2025-12 are
    assert sorted(zip(late["year"], late["month"])) == [(2023, 3), (2024, 6), (2025, 12)]
    assert not table["coup_id"].duplicated().any()


def test_month_precision_rows_are_first_of_month_without_day(table):
    late = table[table["source_dataset"] == "coupcats"]
    assert (late["date_precision"] == "month").all() and late["day"].isna().all()
    assert (late["date"].dt.day == 1).all()
    assert set(late["coup_id"]) == {"cc_436_202303", "cc_432_202406", "cc_403_202512"}
    early = table[table["source_dataset"] == "powell_thyne"]
    assert (early["date_precision"] == "day").all() and early["day"].notna().all()
    assert "pt_403_20221024" in set(early["coup_id"])


def test_collapsed_coupcats_month_does_not_reduce_pt_events(table):
    assert len(table[(table.country_id_cow == 432) & (table.year == 1963)]) == 2


def test_gw_codes_from_the_crosswalk_with_same_code_fallback(table):
    t = table.set_index("coup_id")
    assert t.loc["cc_436_202303", "country_id_gw"] == 437  # via the crosswalk, not by equality
    assert t.loc["pt_698_19700723", "country_id_gw"] == 698  # fallback: COW lists no state in 1970
    assert t.loc["pt_345_19521130", "country_id_gw"] == 345


def test_gw_stays_missing_where_no_state_exists(codes):
    s = core_coups.gw_of(pd.Series([625, 432], dtype="Int64"), pd.Series([1955, 1955], dtype="Int64"), codes)
    assert s.isna().all()  # 625 unknown; 432 not a member before 1960 in these codes


def test_appended_month_repeating_a_pt_event_is_an_error(fx, fxpt, codes, load_once):
    events, months = pt.load_events(fxpt), load_once(cc.load_coup_months, fx)
    default = core_coups.coups_from(events, months, codes)
    explicit = core_coups.coups_from(events, months, codes, seam=pd.Timestamp("2022-10-24"))
    pd.testing.assert_frame_equal(default, explicit)
    with pytest.raises(ValueError, match=r"repeat P&T events.*'year': 2022, 'month': 9"):
        core_coups.coups_from(events, months, codes, seam=pd.Timestamp("2022-08-31"))


def test_seam_report(fx, fxpt, load_once):
    r = core_coups.seam_report(pt.load_events(fxpt), load_once(cc.load_coup_months, fx))
    assert r.seam == pd.Timestamp("2022-10-24")
    collapsed = [{"country_id_cow": 432, "year": 1963, "month": 7, "events_n": 2}]
    assert r.collapsed.to_dict("records") == collapsed
    assert len(r.appended) == 3 and r.success_agree == 1.0
    assert r.pt_only.to_dict("records") == [
        {"country_id_cow": 345, "year": 1952, "month": 11}, {"country_id_cow": 345, "year": 1999, "month": 2},
        {"country_id_cow": 432, "year": 1951, "month": 3}, {"country_id_cow": 436, "year": 2021, "month": 3}]
    assert r.cc_only.empty and r.n_common == 6
