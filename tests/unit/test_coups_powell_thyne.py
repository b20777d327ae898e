import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.sources import coups_powell_thyne as pt

EVENTS = "powell_thyne_coups_V2022.11.29.csv"
CY = "ptcoups_country_year_gw_1950_2025_demspaces.csv"


@pytest.fixture
def fx(fixtures):
    return fixtures / "coups_powell_thyne" / EVENTS


@pytest.fixture
def fxcy(fixtures):
    return fixtures / "coups_powell_thyne" / CY


def _edit(src, tmp_path, fn, name="bad.csv"):
    lines = src.read_text(encoding="utf-8").splitlines()
    fn(lines)
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


# ----------------------------------------------------------------------------- events

def test_coup_codes_become_is_successful(fx, load_once):
    df = load_once(pt.load_events, fx)
    raw = pd.read_csv(fx)
    assert df["is_successful"].dtype == "boolean"
    assert (df["is_successful"].to_numpy() == (raw["coup"] == 2).to_numpy()).all()
    assert df["is_successful"].sum() == 6


def test_na_strings_become_missing_and_polity_code_is_kept(fx, load_once):
    df = load_once(pt.load_events, fx)
    assert "ccode_gw" not in df.columns and "country_id_gw" not in df.columns
    assert df["country_id_polity"].notna().sum() == 1
    assert df.loc[df["country_id_polity"].notna(), "country_id_polity"].iloc[0] == 347


def test_day_precision_dates(fx, load_once):
    df = load_once(pt.load_events, fx)
    assert df["date"].dtype == "datetime64[ns]"
    assert df["date"].max() == pd.Timestamp("2022-10-24")
    assert (df["date"].dt.day == df["day"]).all()


def test_same_month_events_stay_separate(fx, load_once):
    df = load_once(pt.load_events, fx)
    same = df[(df.country_id_cow == 432) & (df.year == 1963) & (df.month == 7)]
    assert len(same) == 2


def test_missing_column_names_file_and_column(fx, tmp_path):
    def drop_day(lines):
        for i, x in enumerate(lines):
            f = x.split(",")
            del f[6]
            lines[i] = ",".join(f)
    with pytest.raises(DataError, match=r"bad\.csv.*column 'day'"):
        pt.load_events(_edit(fx, tmp_path, drop_day))


def test_non_numeric_code_names_column_and_row(fx, tmp_path):
    def f(lines):
        lines[3] = lines[3].replace(",432,", ",43x,")
    with pytest.raises(DataError, match=r"bad\.csv.*column 'ccode'.*line 4.*not a number"):
        pt.load_events(_edit(fx, tmp_path, f))


def test_unknown_coup_code_names_row(fx, tmp_path):
    def f(lines):
        lines[5] = lines[5].replace(",1,V2022", ",3,V2022")
    with pytest.raises(DataError, match=r"bad\.csv.*column 'coup'.*line 6.*unknown code"):
        pt.load_events(_edit(fx, tmp_path, f))


def test_impossible_date_names_row(fx, tmp_path):
    def f(lines):
        lines[6] = lines[6].replace(",1999,2,28,", ",1999,2,30,")
    with pytest.raises(DataError, match=r"bad\.csv.*column 'date'.*line 7.*bad date"):
        pt.load_events(_edit(fx, tmp_path, f))


def test_duplicate_event_is_rejected(fx, tmp_path):
    with pytest.raises(DataError, match=r"bad\.csv.*schema failure"):
        pt.load_events(_edit(fx, tmp_path, lambda lines: lines.append(lines[1])))


def test_wrong_version_is_rejected(fx, tmp_path):
    def f(lines):
        lines[1] = lines[1].replace("V2022.11.29", "V2021.01.01")
    with pytest.raises(DataError, match=r"bad\.csv.*column 'version'.*line 2"):
        pt.load_events(_edit(fx, tmp_path, f))


# ----------------------------------------------------------------------------- country-years

def test_upstream_attempt_total_is_wrong_in_the_fixture(fxcy):
    raw = pd.read_csv(fxcy).sort_values(["gwcode", "year"])
    assert (raw["pt_attempt_total"] == raw.groupby("gwcode")["pt_coup_num"].cumsum()).all()
    assert (raw["pt_attempt_total"] != raw.groupby("gwcode")["pt_attempt_num"].cumsum()).any()


def test_attempt_total_is_recomputed_from_attempt_counts(fxcy, load_once):
    df = load_once(pt.load_country_years, fxcy).sort_values(["country_id_gw", "year"])
    expect = df.groupby("country_id_gw")["attempts_n"].cumsum()
    assert (df["attempts_cum_n"] == expect).all()
    assert (df["attempts_cum_n"] == df["coups_successful_cum_n"] + df["coups_failed_cum_n"]).all()
    r = df.set_index(["country_id_gw", "year"]).loc[(432, 1956)]
    assert r["attempts_cum_n"] == 5 and r["coups_successful_cum_n"] == 2
    assert "pt_attempt_total" not in df.columns


def test_recompute_does_not_depend_on_row_order(fxcy, tmp_path, load_once):
    lines = fxcy.read_text(encoding="utf-8").splitlines()
    p = tmp_path / "shuffled.csv"
    p.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n", encoding="utf-8")
    a = load_once(pt.load_country_years, fxcy).set_index(["country_id_gw", "year"])["attempts_cum_n"]
    b = pt.load_country_years(p).set_index(["country_id_gw", "year"])["attempts_cum_n"]
    assert a.sort_index().equals(b.sort_index())


def test_indicators_are_booleans(fxcy, load_once):
    df = load_once(pt.load_country_years, fxcy)
    assert df["has_attempt"].dtype == "boolean"
    assert (df["has_attempt"] == (df["attempts_n"] > 0)).all()


def test_inconsistent_attempt_count_names_row(fxcy, tmp_path):
    def f(lines):
        x = lines[3].split(",")
        x[3] = "2"  # pt_attempt_num
        lines[3] = ",".join(x)
    with pytest.raises(DataError, match=r"bad\.csv.*column 'pt_attempt_num'.*line 4"):
        pt.load_country_years(_edit(fxcy, tmp_path, f))


def test_country_year_missing_column(fxcy, tmp_path):
    def f(lines):
        lines[0] = lines[0].replace('"pt_attempt_num"', '"pt_attempts"')
    with pytest.raises(DataError, match=r"bad\.csv.*column 'pt_attempt_num'"):
        pt.load_country_years(_edit(fxcy, tmp_path, f))


def test_country_year_bad_flag_names_column_and_row(fxcy, tmp_path):
    def f(lines):
        x = lines[4].split(",")
        x[2] = "5"  # pt_attempt
        lines[4] = ",".join(x)
    with pytest.raises(DataError, match=r"bad\.csv.*column 'pt_attempt'.*line 5.*unknown code"):
        pt.load_country_years(_edit(fxcy, tmp_path, f))


def test_country_year_duplicate_key_is_rejected(fxcy, tmp_path):
    with pytest.raises(DataError, match=r"bad\.csv.*schema failure"):
        pt.load_country_years(_edit(fxcy, tmp_path, lambda lines: lines.append(lines[2])))
