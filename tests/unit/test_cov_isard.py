import datetime as dt

import pandas as pd
import pyreadr
import pytest

from analysis.errors import DataError
from analysis.sources import cov_isard as isard


@pytest.fixture
def fx(fixtures):
    return fixtures / "cov_isard"


def _rewrite(src, dst, name, edit):
    df = pyreadr.read_r(src)[name]
    df = edit(df.reset_index(drop=True))
    pyreadr.write_rdata(dst, df, df_name=name)
    return dst


# ----------------------------------------------------------------- quirks

def test_float_codes_become_int64(fx):
    df = isard.load_gw_cw_panel(fx / "gw_cw_panel.rda")
    assert str(df["country_id_gw"].dtype) == "Int64"
    assert str(df["year"].dtype) == "Int64"
    assert df.loc[df.country_id_gw == 100, "country_id_cow"].eq(100).all()


def test_cow_only_rows_are_dropped_and_key_is_unique(fx):
    raw = pyreadr.read_r(fx / "gw_cw_panel.rda")["gw_cw_panel"]
    assert raw["gwcode"].isna().sum() == 4
    df = isard.load_gw_cw_panel(fx / "gw_cw_panel.rda")
    assert len(df) == len(raw) - 4
    assert 130 not in set(df["country_id_cow"].dropna())
    assert not df.duplicated(["country_id_gw", "year"]).any()


def test_cow_code_missing_where_no_counterpart_and_changing_over_time(fx):
    df = isard.load_gw_cw_panel(fx / "gw_cw_panel.rda").set_index(["country_id_gw", "year"])
    assert pd.isna(df.loc[(120, 1991), "country_id_cow"])
    assert df.loc[(120, 1992), "country_id_cow"] == 120
    assert df.loc[(110, 1992), "country_id_cow"] == 110
    assert df.loc[(110, 1993), "country_id_cow"] == 115


def test_one_cow_code_can_match_two_gw_states_in_a_year(fx):
    df = isard.load_gw_cw_panel(fx / "gw_cw_panel.rda")
    both = df[(df.year == 1994) & (df.country_id_cow == 145)]
    assert sorted(both["country_id_gw"]) == [140, 145]


def test_system_keeps_each_spell_and_parses_dates(fx):
    df = isard.load_gw_system(fx / "gw_system.rda")
    spells = df[df.country_id_gw == 140]
    assert len(spells) == 2
    assert str(df["start"].dtype) == "datetime64[ns]"
    assert spells["start"].min() == pd.Timestamp("1950-01-01")
    assert bool(df.loc[df.country_id_gw == 950, "is_microstate"].item())
    assert not df.loc[df.country_id_gw == 100, "is_microstate"].any()


def test_system_reads_python_date_objects(fx, monkeypatch):
    real = pyreadr.read_r(fx / "gw_system.rda")["gw_system"]
    real["start"] = [dt.date.fromisoformat(x) for x in real["start"]]
    real["end"] = [dt.date.fromisoformat(x) for x in real["end"]]
    assert isinstance(real["start"].iloc[0], dt.date)
    monkeypatch.setattr(isard.pyreadr, "read_r", lambda p: {"gw_system": real})
    df = isard.load_gw_system(fx / "gw_system.rda")
    assert df["end"].max() == pd.Timestamp("2020-12-31")


def test_polity_and_vdem_missing_stay_missing(fx):
    df = isard.load_gw_democracy(fx / "gw_democracy.rda").set_index(["country_id_gw", "year"])
    assert pd.isna(df.loc[(110, 2019), "polity2"])
    assert pd.notna(df.loc[(100, 2019), "polity2"])  # a late value is kept as given by the loader
    assert df.xs(2025, level="year")["v2x_polyarchy"].isna().all()
    assert df.xs(2024, level="year")["v2x_polyarchy"].notna().all()
    assert df.loc[(110, 1990)].isna().all()


# ----------------------------------------------------------------- bad input

def test_missing_column_names_file_and_column(fx, tmp_path):
    bad = _rewrite(fx / "gw_cw_panel.rda", tmp_path / "p.rda", "gw_cw_panel",
                   lambda d: d.drop(columns="ccode"))
    with pytest.raises(DataError, match=r"p\.rda.*column 'ccode'"):
        isard.load_gw_cw_panel(bad)


def test_non_numeric_code_names_row(fx, tmp_path):
    def edit(d):
        d["gwcode"] = d["gwcode"].astype(object)
        d.loc[3, "gwcode"] = "abc"
        return d
    bad = _rewrite(fx / "gw_democracy.rda", tmp_path / "d.rda", "gw_democracy", edit)
    with pytest.raises(DataError, match=r"d\.rda.*column 'gwcode'.*observation 4"):
        isard.load_gw_democracy(bad)


def test_fractional_code_is_rejected(fx, tmp_path):
    def edit(d):
        d.loc[2, "ccode"] = 100.5
        return d
    bad = _rewrite(fx / "gw_cw_panel.rda", tmp_path / "p.rda", "gw_cw_panel", edit)
    with pytest.raises(DataError, match=r"p\.rda.*column 'ccode'.*observation 3"):
        isard.load_gw_cw_panel(bad)


def test_duplicate_state_year_is_rejected(fx, tmp_path):
    bad = _rewrite(fx / "gw_democracy.rda", tmp_path / "d.rda", "gw_democracy",
                   lambda d: pd.concat([d, d.iloc[[5]]], ignore_index=True))
    with pytest.raises(DataError, match=r"d\.rda.*column 'country_id_gw'"):
        isard.load_gw_democracy(bad)


def test_unknown_code_out_of_range_is_rejected(fx, tmp_path):
    def edit(d):
        d.loc[4, "gwcode"] = 5000.0
        return d
    bad = _rewrite(fx / "gw_cw_panel.rda", tmp_path / "p.rda", "gw_cw_panel", edit)
    with pytest.raises(DataError, match=r"p\.rda.*column 'country_id_gw'.*observation 5"):
        isard.load_gw_cw_panel(bad)


def test_score_out_of_range_is_rejected(fx, tmp_path):
    def edit(d):
        d.loc[1, "v2x_polyarchy"] = 1.7
        return d
    bad = _rewrite(fx / "gw_democracy.rda", tmp_path / "d.rda", "gw_democracy", edit)
    with pytest.raises(DataError, match=r"d\.rda.*column 'v2x_polyarchy'.*observation 2"):
        isard.load_gw_democracy(bad)


def test_bad_date_names_row(fx, tmp_path):
    def edit(d):
        d.loc[2, "start"] = "1990-13-45"
        return d
    bad = _rewrite(fx / "gw_system.rda", tmp_path / "s.rda", "gw_system", edit)
    with pytest.raises(DataError, match=r"s\.rda.*column 'start'.*observation 3"):
        isard.load_gw_system(bad)


def test_bad_microstate_flag_names_row(fx, tmp_path):
    def edit(d):
        d.loc[1, "microstate"] = 2.0
        return d
    bad = _rewrite(fx / "gw_system.rda", tmp_path / "s.rda", "gw_system", edit)
    with pytest.raises(DataError, match=r"s\.rda.*column 'microstate'.*observation 2"):
        isard.load_gw_system(bad)


def test_not_an_rda_file(tmp_path):
    bad = tmp_path / "x.rda"
    bad.write_text("not R data")
    with pytest.raises(DataError, match=r"x\.rda.*cannot be read"):
        isard.load_gw_system(bad)
