import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.sources import owid_un_peacekeeping as owid


@pytest.fixture
def fx(fixtures):
    return fixtures / "owid_un_peacekeeping" / "united_nations_peacekeeping.csv"


def test_breakdown_zeros_before_1992_become_missing(fx, load_once):
    df = load_once(owid.load_yearly, fx)
    early = df[df.year < 1992]
    assert len(early) > 0
    assert early[["troops_n", "police_n", "observers_n"]].isna().all().all()
    assert early["personnel_total_n"].notna().all()
    assert df.loc[df.year == 1995, "troops_n"].notna().all()


def test_row_with_only_mission_count_keeps_personnel_missing(fx, load_once):
    row = load_once(owid.load_yearly, fx).set_index("year").loc[2022]
    assert row["missions_n"] == 9
    assert pd.isna(row["personnel_total_n"])


def test_missing_column_names_file_and_column(fx, tmp_path):
    bad = tmp_path / "u.csv"
    lines = fx.read_text().splitlines()
    header = lines[0].split(",")
    bad.write_text("\n".join([",".join(header[:-1])] + [",".join(x.split(",")[:-1]) for x in lines[1:]]))
    with pytest.raises(DataError, match=r"u\.csv.*column 'Troops \(peacekeepers\)"):
        owid.load_yearly(bad)


def test_non_numeric_cell_names_row(fx, tmp_path):
    bad = tmp_path / "u.csv"
    lines = fx.read_text().splitlines()
    lines[3] = lines[3].replace(",1", ",x1", 1)
    bad.write_text("\n".join(lines))
    with pytest.raises(DataError, match=r"u\.csv.*line 4"):
        owid.load_yearly(bad)


def test_duplicate_year_is_rejected(fx, tmp_path):
    bad = tmp_path / "u.csv"
    lines = fx.read_text().splitlines()
    bad.write_text("\n".join(lines + [lines[-2]]))
    with pytest.raises(DataError, match=r"u\.csv.*column 'year'"):
        owid.load_yearly(bad)
