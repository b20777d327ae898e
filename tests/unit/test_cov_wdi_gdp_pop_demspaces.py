import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.sources import cov_wdi_gdp_pop_demspaces as wdi


@pytest.fixture
def gdp(fixtures):
    return fixtures / "cov_wdi_gdp_pop_demspaces" / "gdp.csv"


@pytest.fixture
def pop(fixtures):
    return fixtures / "cov_wdi_gdp_pop_demspaces" / "population.csv"


def _edit(src, dst, fn):
    lines = src.read_text(encoding="utf-8").splitlines()
    dst.write_text("\n".join(fn(lines)) + "\n", encoding="utf-8")
    return dst


def test_wdi_codes_are_renamed(gdp):
    df = wdi.load_gdp(gdp)
    assert list(df.columns) == ["country_id_gw", "year", "gdp_usd", "gdp_growth_pct", "gdp_pc_usd",
                                "gdp_pc_growth_pct"]
    row = df[(df.country_id_gw == 100) & (df.year == 2018)].iloc[0]
    assert row["gdp_usd"] == pytest.approx(5.0e11)
    assert row["gdp_pc_usd"] == pytest.approx(5.0e11 / 4.0e6)


def test_na_strings_become_missing(gdp):
    row = wdi.load_gdp(gdp).set_index(["country_id_gw", "year"]).loc[(950, 2024)]
    assert row["gdp_usd"] == pytest.approx(84000000.125)
    assert pd.isna(row["gdp_pc_usd"]) and pd.isna(row["gdp_growth_pct"])


def test_negative_extrapolated_gdp_levels_become_missing_growth_kept(gdp):
    df = wdi.load_gdp(gdp).set_index(["country_id_gw", "year"])
    assert pd.isna(df.loc[(625, 2024), "gdp_usd"])
    assert pd.isna(df.loc[(625, 2024), "gdp_pc_usd"])
    assert df.loc[(625, 2024), "gdp_growth_pct"] == pytest.approx(-109.1)
    assert df.loc[(625, 2023), "gdp_pc_usd"] == pytest.approx(2073.239818)


def test_population_thousands_become_persons(pop):
    df = wdi.load_population(pop).set_index(["country_id_gw", "year"])
    assert df.loc[(625, 2024), "population_n"] == pytest.approx(24_478_595.5)
    assert df.loc[(950, 1816), "population_n"] == pytest.approx(320.0)
    assert pd.isna(df.loc[(950, 2024), "population_n"])


def test_missing_column_names_file_and_column(gdp, tmp_path):
    bad = _edit(gdp, tmp_path / "g.csv",
                lambda ls: [",".join(x.split(",")[:-1]) for x in ls])
    with pytest.raises(DataError, match=r"g\.csv.*column 'NY\.GDP\.PCAP\.KD\.ZG'"):
        wdi.load_gdp(bad)


def test_non_numeric_value_names_row(gdp, tmp_path):
    def fn(ls):
        parts = ls[4].split(",")
        parts[4] = "12,3".replace(",", ";")
        ls[4] = ",".join(parts)
        return ls
    bad = _edit(gdp, tmp_path / "g.csv", fn)
    with pytest.raises(DataError, match=r"g\.csv.*column 'NY\.GDP\.PCAP\.KD'.*line 5"):
        wdi.load_gdp(bad)


def test_fractional_year_is_rejected(pop, tmp_path):
    bad = _edit(pop, tmp_path / "p.csv", lambda ls: [ls[0], ls[1].replace(",2018,", ",2018.5,"), *ls[2:]])
    with pytest.raises(DataError, match=r"p\.csv.*column 'year'.*line 2"):
        wdi.load_population(bad)


def test_duplicate_state_year_is_rejected(pop, tmp_path):
    bad = _edit(pop, tmp_path / "p.csv", lambda ls: ls + [ls[2]])
    with pytest.raises(DataError, match=r"p\.csv.*column 'country_id_gw'"):
        wdi.load_population(bad)


def test_unknown_gw_code_is_rejected(gdp, tmp_path):
    bad = _edit(gdp, tmp_path / "g.csv", lambda ls: [ls[0], "0" + ls[1][ls[1].index(","):], *ls[2:]])
    with pytest.raises(DataError, match=r"g\.csv.*column 'country_id_gw'.*line 2"):
        wdi.load_gdp(bad)


def test_negative_population_is_rejected(pop, tmp_path):
    bad = _edit(pop, tmp_path / "p.csv", lambda ls: ls + ["420,2030,-5"])
    with pytest.raises(DataError, match=r"p\.csv.*column 'population_n'"):
        wdi.load_population(bad)


def test_wrong_encoding_is_reported(pop, tmp_path):
    bad = tmp_path / "p.csv"
    bad.write_bytes(pop.read_bytes() + "950,1817,\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"p\.csv.*encoding"):
        wdi.load_population(bad)
