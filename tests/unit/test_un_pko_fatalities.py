from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.sources import un_pko_fatalities as fat


@pytest.fixture
def fx(fixtures):
    return fixtures / "un_pko_fatalities" / "DPPADPOSS-FATALITIES.csv"


@pytest.fixture(scope="module")
def _fatalities():
    return fat.load_fatalities(Path(__file__).resolve().parents[1] / "fixtures" / "un_pko_fatalities"
                               / "DPPADPOSS-FATALITIES.csv")


@pytest.fixture
def df(_fatalities):
    # read once per module, copied for each test
    return _fatalities.copy()


def _write(tmp_path, fx, edit):
    lines = fx.read_text(encoding="utf-8").splitlines()
    lines = edit(lines)
    bad = tmp_path / "f.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad


def test_loader_keeps_every_source_row_and_types(df):
    assert len(df) == 24
    assert df["row_id"].is_unique
    assert df["casualty_id"].duplicated().sum() == 2
    assert str(df["country_id_m49"].dtype) == "Int64"
    assert str(df["date"].dtype) == "datetime64[ns]"
    assert df.loc[df.row_id == 1, "country_id_m49"].item() == 56


def test_trailing_space_in_personnel_type_is_stripped(df, fx):
    assert "Local " in fx.read_text(encoding="utf-8")
    assert "Local " not in set(df["personnel_type"])
    assert (df["personnel_type"] == "Local").sum() == 8


def test_blank_gender_and_unknown_nationality_codes_are_missing(df):
    assert df["gender"].isna().sum() == 2
    zz = df[df.country_name == "ZZ [Undetermined]"]
    assert zz["country_id_iso3"].isna().all() and zz["country_id_m49"].isna().all()
    blank = df[df.country_name.isna()]
    assert len(blank) == 1 and blank["country_id_iso3"].isna().all()
    assert not zz["is_nationality_code_filled"].any()


def test_codes_filled_only_for_named_countries_and_flagged(df):
    civ = df[df.country_name == "Côte dIvoire"]
    assert civ["country_id_iso3"].tolist() == ["CIV"] and civ["country_id_m49"].tolist() == [384]
    assert df.loc[df.country_name == "Viet Nam", "country_id_iso3"].item() == "VNM"
    assert df.loc[df.country_name == "Türkiye", "country_id_m49"].item() == 792
    assert df["is_nationality_code_filled"].sum() == 3
    assert not df.loc[df.country_name == "Belgium", "is_nationality_code_filled"].item()


def test_mission_ids_upper_case_and_acronym_kept(df):
    row = df[df.mission_acronym == "UNSecretariat"]
    assert row["mission_id_un"].item() == "UNSECRETARIAT"
    assert df.loc[df.mission_acronym == "OSESyria", "mission_id_un"].item() == "OSESYRIA"
    assert df.loc[df.mission_acronym == "OSESyria", "casualty_id"].item().startswith("OSE-Syria-")


def test_cause_harmonises_every_un_category(df):
    pairs = set(zip(df["type_of_incident"], df["cause"]))
    assert pairs == set(fat.CAUSE.items())
    assert df.loc[df.type_of_incident == "Malicious Act", "cause"].eq("hostile").all()


def test_duplicates_collapse_to_one_person_keeping_serbia_and_montenegro(df):
    out = fat.collapse_duplicates(df)
    assert len(out) == 22 and out["casualty_id"].is_unique
    both = out[out.n_source_rows == 2]
    assert len(both) == 2
    # one pair lists Montenegro first, the other Serbia and Montenegro first: both keep SCG
    assert both["country_id_iso3"].tolist() == ["SCG", "SCG"]
    assert both["country_id_iso3_dropped"].tolist() == ["MNE", "MNE"]
    assert out.loc[out.n_source_rows == 1, "country_id_iso3_dropped"].isna().all()
    assert "row_id" not in out.columns


def test_duplicates_that_disagree_are_an_error(df):
    d = df.copy()
    d.loc[d.row_id == 10, "type_of_incident"] = "Accident"
    with pytest.raises(DataError, match=r"'type_of_incident'.*UNMIK-2003-02-00109.*rows with id 9 and 10"):
        fat.collapse_duplicates(d, "f.csv")


def test_missing_column_names_file_and_column(fx, tmp_path):
    def drop_last(lines):
        return [",".join(x.split(",")[:-2] + x.split(",")[-1:]) for x in lines]

    bad = _write(tmp_path, fx, drop_last)
    with pytest.raises(DataError, match=r"f\.csv.*column 'isocode3'.*missing"):
        fat.load_fatalities(bad)


def test_non_numeric_m49_names_column_and_row(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: [x.replace(",56.0,", ",5x6,") for x in ls])
    with pytest.raises(DataError, match=r"f\.csv.*column 'm49_code'.*line 2.*not a number"):
        fat.load_fatalities(bad)


def test_fractional_m49_is_rejected(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: [x.replace(",356.0,IND", ",356.5,IND") for x in ls])
    with pytest.raises(DataError, match=r"f\.csv.*column 'm49_code'.*line 3.*not an integer"):
        fat.load_fatalities(bad)


def test_duplicate_row_id_is_rejected(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: ls[:3] + ["2" + ls[3][1:]] + ls[4:])
    with pytest.raises(DataError, match=r"f\.csv.*column 'row_id'"):
        fat.load_fatalities(bad)


def test_unknown_incident_category_names_row(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: ls[:5] + [ls[5].replace(",Illness,", ",Explosion,")] + ls[6:])
    with pytest.raises(DataError, match=r"f\.csv.*'type_of_incident'.*line 6.*unknown code 'Explosion'"):
        fat.load_fatalities(bad)


def test_unknown_casualty_type_is_rejected(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: ls[:2] + [ls[2].replace(",Fatality,", ",Injury,")] + ls[3:])
    with pytest.raises(DataError, match=r"column 'type_of_casualty'.*line 3"):
        fat.load_fatalities(bad)


def test_bad_date_names_row(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: ls[:7] + [ls[7].replace("1995-02-27", "1995-02-30")] + ls[8:])
    with pytest.raises(DataError, match=r"f\.csv.*column 'incident_date'.*line 8.*bad date"):
        fat.load_fatalities(bad)


def test_bad_casualty_id_is_rejected(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: [x.replace("ONUC-1962-01-00104", "ONUC-62-01-104") for x in ls])
    with pytest.raises(DataError, match=r"f\.csv.*column 'casualty_id'.*line 5"):
        fat.load_fatalities(bad)


def test_missing_mission_is_rejected(fx, tmp_path):
    bad = _write(tmp_path, fx, lambda ls: [x.replace(",UNFICYP,", ",,") for x in ls])
    with pytest.raises(DataError, match=r"column 'mission_acronym'.*line 6.*missing"):
        fat.load_fatalities(bad)


def test_wrong_encoding_is_reported(fx, tmp_path):
    bad = tmp_path / "f.csv"
    bad.write_bytes(fx.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(DataError, match=r"f\.csv.*wrong encoding"):
        fat.load_fatalities(bad)


def test_year_and_month_follow_the_date(df):
    assert (df["year"] == df["date"].dt.year).all()
    assert (df["month"] == df["date"].dt.month).all()
    assert df["year"].min() == 1949 and df["year"].max() == 2025
    assert pd.api.types.is_bool_dtype(df["is_nationality_code_filled"])
