import pandas as pd
import pyreadr
import pytest

from analysis.errors import DataError
from analysis.sources import cc_countrycode as cc


@pytest.fixture
def fx(fixtures):
    return fixtures / "cc_countrycode" / "codelist_panel.rda"


def _rewrite(src, dst, edit):
    df = pyreadr.read_r(src)["codelist_panel"].reset_index(drop=True)
    pyreadr.write_rdata(dst, edit(df), df_name="codelist_panel")
    return dst


def test_keeps_only_code_columns_with_project_names(fx, load_once):
    df = load_once(cc.load_codelist_panel, fx)
    assert list(df.columns) == ["country_name", "year", "country_id_cow", "country_id_gw",
                                "country_id_iso3", "country_id_m49"]
    assert str(df["country_id_m49"].dtype) == "Int64"
    assert str(df["country_id_iso3"].dtype) == "string"


def test_gw_and_cow_codes_missing_after_2020(fx, load_once):
    df = load_once(cc.load_codelist_panel, fx)
    late = df[df.year > 2020]
    assert len(late) > 0
    assert late[["country_id_gw", "country_id_cow"]].isna().all().all()
    assert late["country_id_iso3"].notna().all()
    assert df.loc[(df.year == 2020) & (df.country_name == "Alfland"), "country_id_gw"].item() == 100


def test_historical_state_has_no_iso3_or_m49(fx, load_once):
    df = load_once(cc.load_codelist_panel, fx)
    echo = df[df.country_name == "Union of Echo"]
    assert echo["country_id_iso3"].isna().all()
    assert echo["country_id_m49"].isna().all()
    assert echo["country_id_gw"].eq(145).all()


def test_state_with_cow_but_no_gw_code_is_kept(fx, load_once):
    df = load_once(cc.load_codelist_panel, fx)
    b = df[(df.country_name == "Bravonia") & (df.year == 2000)]
    assert pd.isna(b["country_id_gw"].item())
    assert b["country_id_cow"].item() == 115


def test_missing_column_names_file_and_column(fx, tmp_path):
    bad = _rewrite(fx, tmp_path / "c.rda", lambda d: d.drop(columns="un"))
    with pytest.raises(DataError, match=r"c\.rda.*column 'un'"):
        cc.load_codelist_panel(bad)


def test_non_numeric_code_names_row(fx, tmp_path):
    def edit(d):
        d["cown"] = d["cown"].astype(object)
        d.loc[7, "cown"] = "x12"
        return d
    bad = _rewrite(fx, tmp_path / "c.rda", edit)
    with pytest.raises(DataError, match=r"c\.rda.*column 'cown'.*observation 8"):
        cc.load_codelist_panel(bad)


def test_duplicate_entity_year_is_rejected(fx, tmp_path):
    bad = _rewrite(fx, tmp_path / "c.rda", lambda d: pd.concat([d, d.iloc[[0]]], ignore_index=True))
    with pytest.raises(DataError, match=r"c\.rda.*column 'country_name'"):
        cc.load_codelist_panel(bad)


def test_malformed_iso3_is_rejected(fx, tmp_path):
    def edit(d):
        d.loc[9, "iso3c"] = "alfx"
        return d
    bad = _rewrite(fx, tmp_path / "c.rda", edit)
    with pytest.raises(DataError, match=r"c\.rda.*column 'country_id_iso3'.*observation 10"):
        cc.load_codelist_panel(bad)


def test_unknown_m49_code_is_rejected(fx, tmp_path):
    def edit(d):
        d.loc[4, "un"] = 4242.0
        return d
    bad = _rewrite(fx, tmp_path / "c.rda", edit)
    with pytest.raises(DataError, match=r"c\.rda.*column 'country_id_m49'.*observation 5"):
        cc.load_codelist_panel(bad)


def test_truncated_file_is_an_error(fx, tmp_path):
    bad = tmp_path / "c.rda"
    bad.write_bytes(fx.read_bytes()[:200])
    with pytest.raises(DataError, match=r"c\.rda.*cannot be read"):
        cc.load_codelist_panel(bad)
