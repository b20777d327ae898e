import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.sources import intervention_us_troopdata_flynn as td


@pytest.fixture
def fx(fixtures):
    return fixtures / "intervention_us_troopdata_flynn" / "troopdata-rebuild-country-year.csv"


def _edit(src, dst, fn, encoding="utf-8"):
    lines = src.read_text(encoding="utf-8").splitlines()
    dst.write_text("\n".join(fn(lines)) + "\n", encoding=encoding)
    return dst


def test_utf8_names_are_read(fx, load_once):
    df = load_once(td.load_country_year, fx)
    assert "Côte D’Hotelia" in set(df["country_name"])


def test_name_variants_share_code_but_key_is_name_year(fx, load_once):
    df = load_once(td.load_country_year, fx)
    pair = df[(df.country_id_cow == 625) & (df.year == 2024)]
    assert len(pair) == 2
    assert sorted(pair["us_troops_n"]) == [0, 15]
    assert not df.duplicated(["country_name", "year"]).any()


def test_territories_are_flagged_and_lose_their_code(fx, load_once):
    df = load_once(td.load_country_year, fx).set_index("country_name")
    assert bool(df.loc["Guamish Island", "is_territory"])
    assert bool(df.loc["Portorico", "is_territory"])
    assert pd.isna(df.loc["Guamish Island", "country_id_cow"])
    assert pd.isna(df.loc["Portorico", "country_id_cow"])
    assert not df.loc["Golfia", "is_territory"].any()


def test_na_iso3_is_missing(fx, load_once):
    df = load_once(td.load_country_year, fx)
    assert df.loc[df.country_name == "Union of Echo", "country_id_iso3"].isna().all()
    assert df.loc[df.country_name == "Golfia", "country_id_iso3"].eq("GLF").all()


def test_negative_marines_become_missing_total_kept(fx, load_once):
    row = load_once(td.load_country_year, fx).set_index(["country_name", "year"]).loc[("Alfland", 1959)]
    assert pd.isna(row["us_marines_n"])
    assert row["us_troops_n"] == 20


def test_zeros_stay_zeros(fx, load_once):
    row = load_once(td.load_country_year, fx).set_index(["country_name", "year"]).loc[("Hotel Coast", 2024)]
    assert row["us_troops_n"] == 0 and row["us_civilian_n"] == 0


def test_missing_column_names_file_and_column(fx, tmp_path):
    bad = _edit(fx, tmp_path / "t.csv", lambda ls: [x.rsplit(",", 1)[0] for x in ls])
    with pytest.raises(DataError, match=r"t\.csv.*column 'total_civilian'"):
        td.load_country_year(bad)


def test_non_numeric_count_names_row(fx, tmp_path):
    def fn(ls):
        p = ls[3].split(",")
        p[5] = "many"
        ls[3] = ",".join(p)
        return ls
    bad = _edit(fx, tmp_path / "t.csv", fn)
    with pytest.raises(DataError, match=r"t\.csv.*column 'troops_ad'.*line 4"):
        td.load_country_year(bad)


def test_duplicate_name_year_is_rejected(fx, tmp_path):
    bad = _edit(fx, tmp_path / "t.csv", lambda ls: ls + [ls[1]])
    with pytest.raises(DataError, match=r"t\.csv.*column 'country_name'"):
        td.load_country_year(bad)


def test_malformed_iso3_is_rejected(fx, tmp_path):
    bad = _edit(fx, tmp_path / "t.csv", lambda ls: [ls[0], ls[1].replace(",ALF,", ",Alf,"), *ls[2:]])
    with pytest.raises(DataError, match=r"t\.csv.*column 'country_id_iso3'.*line 2"):
        td.load_country_year(bad)


def test_negative_total_is_rejected(fx, tmp_path):
    def fn(ls):
        p = ls[2].split(",")
        p[5] = "-3"
        ls[2] = ",".join(p)
        return ls
    bad = _edit(fx, tmp_path / "t.csv", fn)
    with pytest.raises(DataError, match=r"t\.csv.*column 'us_troops_n'.*line 3"):
        td.load_country_year(bad)


def test_latin1_file_is_a_wrong_encoding_error(fx, tmp_path):
    bad = tmp_path / "t.csv"
    bad.write_bytes(fx.read_text(encoding="utf-8").replace("’", "'").encode("latin-1"))
    with pytest.raises(DataError, match=r"t\.csv.*encoding"):
        td.load_country_year(bad)
