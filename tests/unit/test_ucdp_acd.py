import pandas as pd
import pytest

from analysis.core import conflict
from analysis.errors import DataError
from analysis.sources import ucdp_acd as acd

V25 = "UcdpPrioConflict_v25_1_semicolon_reexport.csv"
V22 = "ucdp-prio-acd-221.csv"


@pytest.fixture
def fx(fixtures):
    return fixtures / "ucdp_acd" / V25


@pytest.fixture
def fx22(fixtures):
    return fixtures / "ucdp_acd" / V22


def _lines(path):
    return path.read_bytes().decode("utf-8").split("\r\n")


def _write(tmp_path, lines, name="bad.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes("\r\n".join(lines).encode(encoding))
    return p


def _line_of(lines, start):
    return next(i for i, x in enumerate(lines) if x.startswith(start))


# ----------------------------------------------------------------------------- quirks

def test_fixture_has_the_split_record_and_a_naive_read_gets_one_row_too_many(fx, load_once):
    naive = pd.read_csv(fx, sep=";", dtype=str, keep_default_na=False)
    assert (naive["conflict_id"] == "").sum() == 1
    assert len(load_once(acd.load_conflict_years, fx)) == len(naive) - 1


def test_split_record_is_rejoined_with_shifted_tail_fields(fx, load_once):
    df = load_once(acd.load_conflict_years, fx)
    assert not df.duplicated(["conflict_id", "year"]).any()
    row = df[(df.conflict_id == 90004) & (df.year == 2008)]
    assert len(row) == 1
    r = row.iloc[0]
    assert r["territory_name"] == "Mountain Province"
    assert r["gwno_a"] == "360" and r["gwno_loc"] == "360" and r["region"] == "1"
    assert pd.isna(r["ep_end_prec"]) and pd.isna(r["gwno_a_2nd"]) and pd.isna(r["gwno_b"])
    assert r["ep_end_date"] == pd.Timestamp("2008-08-29")
    assert r["start_date2"] == pd.Timestamp("2008-08-10")


def test_unrepairable_split_record_names_the_line(fx, tmp_path):
    lines = _lines(fx)
    i = _line_of(lines, ";2008;")
    lines[i] = lines[i].replace(",360,", ",360,,")  # one merged field too many
    with pytest.raises(DataError, match=r"bad\.csv.*line 7.*cannot be re-joined"):
        acd.load_conflict_years(_write(tmp_path, lines))


def test_day_first_dates_without_zero_padding(fx, load_once):
    df = load_once(acd.load_conflict_years, fx).set_index(["conflict_id", "year"])
    assert df.loc[(90001, 1990), "start_date"] == pd.Timestamp("1989-04-03")
    assert df.loc[(90001, 1991), "ep_end_date"] == pd.Timestamp("1991-12-30")
    assert pd.isna(df.loc[(90001, 1990), "ep_end_date"])
    assert df["start_date"].dtype == "datetime64[ns]"


def test_leading_and_trailing_spaces_are_stripped(fx, load_once):
    raw = fx.read_text(encoding="utf-8")
    assert "; Government of Borduria;" in raw and "Front ;" in raw
    df = load_once(acd.load_conflict_years, fx).set_index(["conflict_id", "year"])
    assert df.loc[(90001, 1991), "side_a_2nd"] == "Government of Borduria"
    assert df.loc[(90001, 1991), "side_b"] == "Arcadian Liberation Front"
    assert df.loc[(90006, 1955), "side_b_2nd"] == "Government of Arcadia"
    assert pd.isna(df.loc[(90001, 1990), "side_a_2nd"])  # empty -> NA


def test_code_lists_are_kept_as_strings_with_one_separator(fx, load_once):
    df = load_once(acd.load_conflict_years, fx).set_index(["conflict_id", "year"])
    assert df.loc[(90003, 1950), "gwno_a"] == "432, 345"  # "432,  345" upstream
    assert df.loc[(90006, 1955), "gwno_loc"] == "345, 360, 346"
    assert df.loc[(90003, 1950), "region"] == "1, 4"
    assert df["gwno_loc"].dtype == "string"


def test_non_ascii_names_are_read_as_utf8(fx, load_once):
    df = load_once(acd.load_conflict_years, fx)
    assert "Forces of José Núñez" in set(df["side_b"])


def test_codes_and_types(fx, load_once):
    df = load_once(acd.load_conflict_years, fx)
    for c in ("conflict_id", "year", "intensity_level", "type_of_conflict", "ep_end", "ep_end_prec"):
        assert df[c].dtype == "Int64"
    assert set(df["type_of_conflict"]) == {1, 2, 3, 4}
    assert df["ep_end_prec"].isna().all()
    assert "version" not in df.columns


def test_v22_quoted_iso_file_reads_to_the_same_columns(fx, fx22, load_once):
    new, old = load_once(acd.load_conflict_years, fx), load_once(acd.load_conflict_years_v22, fx22)
    assert list(new.columns) == list(old.columns)
    assert (new.dtypes == old.dtypes).all()
    r = old.set_index(["conflict_id", "year"]).loc[(90001, 1990)]
    assert r["start_date"] == pd.Timestamp("1989-04-03") and r["side_b"] == "Arcadian Liberation Front"


# ----------------------------------------------------------------------------- bad input

def test_missing_column_names_file_and_column(fx, tmp_path):
    lines = _lines(fx)
    lines[0] = lines[0].replace("intensity_level", "intensity")
    with pytest.raises(DataError, match=r"bad\.csv.*column 'intensity_level'"):
        acd.load_conflict_years(_write(tmp_path, lines))


def test_wrong_type_names_column_and_row(fx, tmp_path):
    lines = _lines(fx)
    lines[3] = lines[3].replace(";1967;", ";19x7;")
    with pytest.raises(DataError, match=r"bad\.csv.*column 'year'.*line 4.*not a number"):
        acd.load_conflict_years(_write(tmp_path, lines))


def test_unknown_code_names_column_and_row(fx, tmp_path):
    lines = _lines(fx)
    f = lines[2].split(";")
    f[acd.COLUMNS.index("type_of_conflict")] = "7"
    lines[2] = ";".join(f)
    msg = r"bad\.csv.*column 'type_of_conflict'.*line 3.*unknown code [^;]*\b7\b"
    with pytest.raises(DataError, match=msg):
        acd.load_conflict_years(_write(tmp_path, lines))


def test_bad_date_names_column_and_row(fx, tmp_path):
    lines = _lines(fx)
    lines[4] = lines[4].replace(";12-1-1950;2;12-1-1950;", ";31-2-1950;2;12-1-1950;")
    with pytest.raises(DataError, match=r"bad\.csv.*column 'start_date'.*line 5.*bad date"):
        acd.load_conflict_years(_write(tmp_path, lines))


def test_duplicate_conflict_year_is_rejected(fx, tmp_path):
    lines = _lines(fx)
    lines.insert(2, lines[1])
    with pytest.raises(DataError, match=r"bad\.csv.*schema failure"):
        acd.load_conflict_years(_write(tmp_path, lines))


def test_bad_code_list_names_column_and_row(fx, tmp_path):
    lines = _lines(fx)
    f = lines[1].split(";")
    f[acd.COLUMNS.index("gwno_loc")] = "432 x"
    lines[1] = ";".join(f)
    with pytest.raises(DataError, match=r"bad\.csv.*column 'gwno_loc'.*line 2"):
        acd.load_conflict_years(_write(tmp_path, lines))


def test_wrong_encoding_names_file(fx, tmp_path):
    lines = _lines(fx)
    with pytest.raises(DataError, match=r"bad\.csv.*wrong encoding"):
        acd.load_conflict_years(_write(tmp_path, lines, encoding="latin-1"))


def test_wrong_version_is_rejected(fx22, tmp_path):
    bad = tmp_path / "old.csv"
    bad.write_text(fx22.read_text(encoding="utf-8").replace('"22.1"', '"21.1"'), encoding="utf-8")
    with pytest.raises(DataError, match=r"old\.csv.*column 'version'.*line 2.*unknown code '21.1'"):
        acd.load_conflict_years_v22(bad)


def test_line_with_wrong_field_count_names_row(fx, tmp_path):
    lines = _lines(fx)
    lines[2] = lines[2] + ";extra"
    with pytest.raises(DataError, match=r"bad\.csv.*line 3.*29 fields"):
        acd.load_conflict_years(_write(tmp_path, lines))


# ----------------------------------------------------------------------------- core helpers

def test_first_location_code_and_long_locations(fx, load_once):
    cy = load_once(acd.load_conflict_years, fx)
    cy["country_id_gw_location"] = conflict.first_code(cy["gwno_loc"])
    assert cy.set_index(["conflict_id", "year"]).loc[(90006, 1955), "country_id_gw_location"] == 345
    long = conflict.build_ucdp_conflict_locations({"ucdp_conflict_years": cy})
    conflict.SCHEMA_UCDP_CONFLICT_LOCATIONS.validate(long)
    n_codes = cy["gwno_loc"].str.count(",") + 1
    assert len(long) == int(n_codes.sum())
    three = long[(long.conflict_id == 90006)]
    assert three["country_id_gw"].tolist() == [345, 360, 346]
    assert three["location_order"].tolist() == [1, 2, 3] and set(three["locations_n"]) == {3}


def test_crosscheck_reports_differences_without_requiring_equality(fx, fx22, load_once):
    new, old = load_once(acd.load_conflict_years, fx), load_once(acd.load_conflict_years_v22, fx22)
    x = conflict.crosscheck_acd_versions(new, old)
    assert x.years == (1950, 2021)
    assert x.only_new.to_dict("records") == [{"conflict_id": 90007, "year": 2015}]
    assert x.only_old.to_dict("records") == [{"conflict_id": 90008, "year": 2010}]
    assert x.n_both == 9 and x.intensity_agree == pytest.approx(8 / 9)
    assert x.type_agree == 1.0
    assert "intensity agrees in 88.9%" in x.summary()
