import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.sources import ucdp_organized_violence_cy as ov

FILE = "organizedviolencecy_v25_1.csv"


@pytest.fixture
def fx(fixtures):
    return fixtures / "ucdp_organized_violence_cy" / FILE


@pytest.fixture
def raw(fx):
    return pd.read_csv(fx, dtype=str, keep_default_na=False)


def _write(tmp_path, df, name="bad.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(df.to_csv(index=False, lineterminator="\n").encode(encoding))
    return p


def test_columns_renamed_without_cy_suffix(fx, load_once):
    df = load_once(ov.load_country_years, fx)
    assert not any(c.endswith("_cy") for c in df.columns)
    for c in ("country_id_gw", "year", "deaths_state_based_n", "deaths_non_state_n", "deaths_one_sided_n",
              "deaths_state_based_low_n", "deaths_state_based_high_n", "dyads_state_based_n",
              "dyad_ids_non_state", "dyad_names_one_sided"):
        assert c in df.columns
    assert len(df.columns) == 73  # 74 upstream minus the checked `version`


def test_values_land_in_the_right_columns(fx, raw, load_once):
    df = load_once(ov.load_country_years, fx).set_index(["country_id_gw", "year"])
    up = raw.set_index(["country_id_cy", "year_cy"]).loc[("432", "2024")]
    r = df.loc[(432, 2024)]
    assert r["deaths_state_based_n"] == int(up["sb_total_deaths_best_cy"]) == 182
    assert r["deaths_state_based_high_n"] == int(up["sb_total_deaths_high_cy"])
    assert r["deaths_intrastate_n"] == int(up["sb_intrastate_deaths_best_cy"])
    assert r["deaths_non_state_n"] == int(up["ns_total_deaths_best_cy"])
    assert r["deaths_one_sided_n"] == int(up["os_total_deaths_best_cy"])
    assert r["deaths_one_sided_nsgroup_n"] == int(up["os_nsgroup_killings_best_cy"])
    assert r["deaths_orgvio_n"] == int(up["cumulative_total_deaths_in_orgvio_best_cy"])
    assert r["dyads_state_based_n"] == 2 and r["has_state_based"]


def test_dyad_lists_kept_as_strings_and_no_dyad_becomes_missing(fx, raw, load_once):
    assert (raw["ns_dyad_ids_cy"] == "NO_DYAD").any()
    df = load_once(ov.load_country_years, fx).set_index(["country_id_gw", "year"])
    assert df.loc[(432, 2024), "dyad_ids_state_based"] == "7001; 7002"
    assert df.loc[(432, 2024), "dyad_names_state_based"].count("; ") == 1
    assert "," in df.loc[(432, 2024), "dyad_names_state_based"]  # quoted cell with a comma
    assert pd.isna(df.loc[(345, 2024), "dyad_ids_state_based"])
    assert not (df.select_dtypes("string") == "NO_DYAD").any().any()


def test_zeros_stay_zeros_and_flags_are_booleans(fx, load_once):
    df = load_once(ov.load_country_years, fx).set_index(["country_id_gw", "year"])
    r = df.loc[(345, 2024)]
    assert r["deaths_state_based_n"] == 0 and r["deaths_non_state_n"] == 0 and r["dyads_one_sided_n"] == 0
    assert df["deaths_state_based_n"].notna().all()
    assert df["has_one_sided"].dtype == "boolean" and not r["has_one_sided"]
    assert df.loc[(436, 1989), "has_one_sided"]


def test_non_ascii_country_name_is_utf8(fx, load_once):
    df = load_once(ov.load_country_years, fx)
    assert "Côte Verte" in set(df["country_name"])


def test_missing_column_names_file_and_column(raw, tmp_path):
    with pytest.raises(DataError, match=r"bad\.csv.*column 'ns_total_deaths_best_cy'"):
        ov.load_country_years(_write(tmp_path, raw.drop(columns="ns_total_deaths_best_cy")))


def test_non_numeric_deaths_name_column_and_row(raw, tmp_path):
    raw.loc[3, "os_total_deaths_best_cy"] = "12a"
    with pytest.raises(DataError, match=r"bad\.csv.*column 'os_total_deaths_best_cy'.*line 5.*not a number"):
        ov.load_country_years(_write(tmp_path, raw))


def test_empty_cell_is_an_error_not_a_zero(raw, tmp_path):
    raw.loc[5, "sb_total_deaths_best_cy"] = ""
    with pytest.raises(DataError, match=r"bad\.csv.*column 'deaths_state_based_n'.*line 7"):
        ov.load_country_years(_write(tmp_path, raw))


def test_unknown_flag_code_names_column_and_row(raw, tmp_path):
    raw.loc[2, "sb_exist_cy"] = "2"
    with pytest.raises(DataError, match=r"bad\.csv.*column 'sb_exist_cy'.*line 4.*unknown code"):
        ov.load_country_years(_write(tmp_path, raw))


def test_duplicate_country_year_is_rejected(raw, tmp_path):
    dup = pd.concat([raw, raw.iloc[[4]]], ignore_index=True)
    with pytest.raises(DataError, match=r"bad\.csv.*schema failure"):
        ov.load_country_years(_write(tmp_path, dup))


def test_unknown_region_names_column_and_row(raw, tmp_path):
    raw.loc[1, "region_cy"] = "Oceania"
    with pytest.raises(DataError, match=r"bad\.csv.*column 'region'.*line 3"):
        ov.load_country_years(_write(tmp_path, raw))


def test_wrong_encoding_names_file(raw, tmp_path):
    with pytest.raises(DataError, match=r"bad\.csv.*wrong encoding"):
        ov.load_country_years(_write(tmp_path, raw, encoding="latin-1"))


def test_wrong_version_is_rejected(raw, tmp_path):
    raw.loc[0, "version"] = "24.1"
    with pytest.raises(DataError, match=r"bad\.csv.*column 'version'.*line 2"):
        ov.load_country_years(_write(tmp_path, raw))
