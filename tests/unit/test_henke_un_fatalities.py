import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.sources import henke_un_fatalities as henke


@pytest.fixture
def fx(fixtures):
    return fixtures / "henke_un_fatalities" / "Contigent-mission-month_data.dta"


@pytest.fixture
def df(fx, load_once):
    return load_once(henke.load_monthly, fx)


def _rewrite(fx, dst, edit):
    raw = pd.read_stata(fx)
    raw = edit(raw)
    raw.to_stata(dst, version=118, write_index=False)
    return dst


def test_columns_renamed_and_widened(df):
    assert len(df) == 11
    counts = henke.HENKE_CAUSES + henke.PERSONNEL + ["fatalities_n", "year"]
    assert all(str(df[c].dtype) == "Int64" for c in counts)
    assert df["fatalities_n"].sum() == 21


def test_missing_cow_code_stays_missing(df):
    zz = df[df.country_name == "ZZ [Undetermined]"]
    assert len(zz) == 2 and zz["country_id_cow"].isna().all()
    assert df.loc[df.country_name == "France", "country_id_cow"].item() == 220


def test_non_cow_palestine_code_becomes_missing(df):
    row = df[df.country_name == "Occupied Palestinian Territory"]
    assert row["country_id_cow"].isna().all()
    assert df["country_id_cow"].max() < 1000


def test_mission_ids_match_the_un_file(df):
    assert df.loc[df.mission_henke == "UN Secretariat", "mission_id_un"].item() == "UNSECRETARIAT"
    assert set(df["mission_id_un"]) >= {"UNTSO", "UNEF", "UNOSOM", "MINUSMA"}


def test_only_months_with_fatalities_are_listed(df):
    assert (df["fatalities_n"] >= 1).all()
    assert df["year"].max() == 2015 and df.loc[df.year == 2015, "month"].max() <= 6


def test_categories_that_do_not_sum_to_total_are_rejected(fx, tmp_path):
    def edit(d):
        d.loc[4, "Malicious"] = 2
        return d

    bad = _rewrite(fx, tmp_path / "h.dta", edit)
    with pytest.raises(DataError, match=r"h\.dta.*column 'fatalities_n'.*observation 5.*cause counts"):
        henke.load_monthly(bad)


def test_personnel_types_that_do_not_sum_to_total_are_rejected(fx, tmp_path):
    def edit(d):
        d.loc[7, "Police"] = 1
        return d

    bad = _rewrite(fx, tmp_path / "h.dta", edit)
    with pytest.raises(DataError, match=r"h\.dta.*column 'fatalities_n'.*observation 8.*personnel-type"):
        henke.load_monthly(bad)


def test_missing_column_is_named(fx, tmp_path):
    bad = _rewrite(fx, tmp_path / "h.dta", lambda d: d.drop(columns="Cowcontr"))
    with pytest.raises(DataError, match=r"h\.dta.*column 'Cowcontr'.*missing"):
        henke.load_monthly(bad)


def test_wrong_type_names_row(fx, tmp_path):
    bad = _rewrite(fx, tmp_path / "h.dta", lambda d: d.assign(Month=d["Month"].astype(str).where(
        d.index != 3, "Feb")))
    with pytest.raises(DataError, match=r"h\.dta.*column 'month'.*observation 4.*not a number"):
        henke.load_monthly(bad)


def test_duplicate_key_is_rejected(fx, tmp_path):
    bad = _rewrite(fx, tmp_path / "h.dta", lambda d: pd.concat([d, d.iloc[[2]]], ignore_index=True))
    with pytest.raises(DataError, match=r"h\.dta.*schema failure"):
        henke.load_monthly(bad)


def test_month_after_coverage_is_rejected(fx, tmp_path):
    def edit(d):
        d.loc[10, "Month"] = 9
        return d

    bad = _rewrite(fx, tmp_path / "h.dta", edit)
    with pytest.raises(DataError, match=r"h\.dta.*column 'month'.*observation 11.*coverage"):
        henke.load_monthly(bad)


def test_unreadable_file_is_reported(tmp_path):
    bad = tmp_path / "h.dta"
    bad.write_bytes(b"not a stata file" + bytes(np.arange(50, dtype=np.uint8)))
    with pytest.raises(DataError, match=r"h\.dta.*cannot be read"):
        henke.load_monthly(bad)
