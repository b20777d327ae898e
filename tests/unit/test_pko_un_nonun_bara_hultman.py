import numpy as np
import pandas as pd
import pytest

from analysis.core.operations import SCHEMA_NONUN_OPERATIONS_MONTHLY, operations_monthly_from
from analysis.errors import BuildError, DataError
from analysis.sources import pko_un_nonun_bara_hultman as bara

NAME = "UN and Non-UN Peacekeeping_v2-2019.dta"


@pytest.fixture
def fx(fixtures):
    return fixtures / "pko_un_nonun_bara_hultman" / NAME


def _rewrite(fx, tmp_path, change):
    """Copy of the fixture with ``change(frame)`` applied, written like upstream (Stata 118, %tm date)."""
    df = pd.read_stata(fx, convert_categoricals=False)
    df = change(df) if change else df
    p = tmp_path / NAME
    df.to_stata(p, version=118, write_index=False, convert_dates={"date": "tm"})
    return p


@pytest.fixture
def codes():
    """Synthetic country_codes rows: identity COW -> G-W for the fixture's hosts, no Chad (483)."""
    rows = [(c, y, c) for c in (437, 520, 432, 343) for y in range(1990, 2017)]
    return pd.DataFrame(rows, columns=["country_id_gw", "year", "country_id_cow"]).astype("Int64")


def test_file_name_with_spaces_is_read(fx, load_once):
    df = load_once(bara.load_mission_conflict_month, fx)
    assert len(df) == 20
    assert df["date"].dtype == "datetime64[ns]"
    assert (df["date"].dt.day == 1).all()
    assert (df["month"] == df["date"].dt.month).all()


def test_org_codes_become_types(fx, load_once):
    df = load_once(bara.load_mission_conflict_month, fx)
    types = dict(zip(df["operation_name"], df["org_type"]))
    assert types["UNOCI (ONUCI)"] == "UN" and types["AMISOM"] == "regional"
    assert types["Op. Testudo"] == "ad_hoc"
    assert (df["is_un"] == (df["org_type"] == "UN")).all()


def test_operation_ids_un_acronym_or_slug(fx, load_once):
    df = load_once(bara.load_mission_conflict_month, fx)
    ids = dict(zip(df["operation_name"], df["operation_id"]))
    assert ids["UNOCI (ONUCI)"] == "UNOCI"
    assert ids["UNOSOM"] == "UNOSOM I"
    assert ids["Op. Testudo"] == "op_testudo" and ids["AMISOM"] == "amisom"
    assert df.loc[~df["is_un"], "mission_id_un"].isna().all()
    assert bara.slug("NATO Allied H.") == "nato_allied_h"
    assert set(bara.NOT_IN_DPPADPOSS) <= set(bara.MISSION_ID_UN.values())


def test_same_name_in_two_countries_keeps_two_bara_ids(fx, load_once):
    df = load_once(bara.load_mission_conflict_month, fx)
    eufor = df[df.operation_id == "eufor"]
    assert eufor.groupby("country_id_cow")["operation_id_bara"].nunique().to_dict() == {343: 1, 483: 1}
    assert set(eufor["org_type"]) == {"regional", "ad_hoc"}


def test_source_personnel_versions_kept_with_missing(fx, load_once):
    df = load_once(bara.load_mission_conflict_month, fx)
    amisom = df[df.operation_id == "amisom"]
    assert amisom["troops_ipi_n"].isna().all()  # IPI covers UN missions only
    assert amisom["troops_sipri_n"].notna().sum() == 1  # December only
    assert amisom["troops_n"].notna().all()
    unoci = df[df.operation_id == "UNOCI"]
    assert unoci.loc[unoci.month == 12, "troops_n"].iloc[0] == pytest.approx(910.5)  # fractional kept


def test_flags(fx, load_once):
    df = load_once(bara.load_mission_conflict_month, fx)
    assert df.loc[df.operation_id == "UNOSOM I", "is_police_only"].all()
    assert not df.loc[df.operation_id == "amisom", "is_police_only"].any()
    unoci = df[df.operation_id == "UNOCI"]
    assert set(zip(unoci.conflict_id_ucdp, unoci.is_active_conflict)) == {(901, True), (902, False)}


def test_unknown_org_code_names_row(fx, tmp_path):
    def change(df):
        df.loc[3, "org"] = 4
        return df
    with pytest.raises(DataError, match=r"2019\.dta, column 'org', observation 4: unknown code"):
        bara.load_mission_conflict_month(_rewrite(fx, tmp_path, change))


def test_un_mission_without_mapping_names_row(fx, tmp_path):
    def change(df):
        df.loc[5, "mission"] = "UNNEW"
        return df
    with pytest.raises(DataError, match=r"column 'mission', observation 6: UN mission 'UNNEW'"):
        bara.load_mission_conflict_month(_rewrite(fx, tmp_path, change))


def test_year_disagreeing_with_date_names_row(fx, tmp_path):
    def change(df):
        df.loc[2, "year"] = 1999
        return df
    with pytest.raises(DataError, match=r"column 'year', observation 3: year 1999"):
        bara.load_mission_conflict_month(_rewrite(fx, tmp_path, change))


def test_missing_main_personnel_names_row(fx, tmp_path):
    def change(df):
        df.loc[7, "police_iepo"] = np.nan
        return df
    with pytest.raises(DataError, match=r"column 'police_iepo', observation 8: required value is missing"):
        bara.load_mission_conflict_month(_rewrite(fx, tmp_path, change))


def test_negative_personnel_names_row(fx, tmp_path):
    def change(df):
        df.loc[11, "troops_iepo"] = -5.0
        return df
    with pytest.raises(DataError, match=r"column 'troops_n', observation 12"):
        bara.load_mission_conflict_month(_rewrite(fx, tmp_path, change))


def test_missing_column_is_named(fx, tmp_path):
    with pytest.raises(DataError, match=r"Peacekeeping_v2-2019\.dta, column 'observers_iepo'"):
        bara.load_mission_conflict_month(_rewrite(fx, tmp_path, lambda df: df.drop(columns="observers_iepo")))


def test_wrong_type_names_column(fx, tmp_path):
    def change(df):
        df["missionid"] = df["missionid"].astype(str) + "x"
        return df
    with pytest.raises(DataError, match=r"column 'missionid', observation 1: not a number"):
        bara.load_mission_conflict_month(_rewrite(fx, tmp_path, change))


def test_duplicate_key_is_rejected(fx, tmp_path):
    p = _rewrite(fx, tmp_path, lambda df: pd.concat([df, df.iloc[[0]]], ignore_index=True))
    with pytest.raises(DataError, match=r"2019\.dta, column 'operation_id_bara', observation \d+"):
        bara.load_mission_conflict_month(p)


def test_not_a_stata_file(tmp_path):
    p = tmp_path / NAME
    p.write_bytes(b"this is not a dta file")
    with pytest.raises(DataError, match=r"Peacekeeping_v2-2019\.dta: cannot be read"):
        bara.load_mission_conflict_month(p)


# ---------------------------------------------------------------- core: operation x country x month

def test_operations_collapse_conflict_rows_without_summing(fx, codes, load_once):
    rows = load_once(bara.load_mission_conflict_month, fx)
    out = operations_monthly_from(rows, codes)
    SCHEMA_NONUN_OPERATIONS_MONTHLY.validate(out)
    assert not out.duplicated(["operation_id", "country_id_cow", "year", "month"]).any()
    unoci = out[out.operation_id == "UNOCI"].set_index(["year", "month"])
    assert len(unoci) == 5  # 10 source rows (2 conflicts x 5 months)
    assert (unoci["conflicts_n"] == 2).all() and unoci["is_active_conflict"].all()
    assert unoci.loc[(2014, 11), "personnel_total_n"] == pytest.approx(990)  # not doubled


def test_operations_troops_observers_break(fx, codes, load_once):
    out = operations_monthly_from(load_once(bara.load_mission_conflict_month, fx), codes)
    unoci = out[out.operation_id == "UNOCI"].set_index(["year", "month"])
    assert unoci.loc[(2014, 12), "troops_n"] == pytest.approx(910.5)
    assert unoci.loc[(2014, 12), "observers_n"] == 40
    assert unoci.loc[(2014, 12), "troops_observers_n"] == pytest.approx(950.5)
    for ym in [(2015, 1), (2015, 12), (2016, 1)]:
        assert pd.isna(unoci.loc[ym, "troops_n"]) and pd.isna(unoci.loc[ym, "observers_n"])
    assert unoci.loc[(2015, 1), "troops_observers_n"] == pytest.approx(941)
    assert unoci.loc[(2015, 12), "troops_observers_n"] == 1000
    assert unoci.loc[(2016, 1), "police_n"] == 50


def test_operations_same_name_two_countries_and_gw_codes(fx, codes, load_once):
    out = operations_monthly_from(load_once(bara.load_mission_conflict_month, fx), codes)
    eufor = out[out.operation_id == "eufor"].set_index("country_id_cow")
    assert set(eufor.index) == {343, 483}
    assert (eufor.loc[[343], "country_id_gw"] == 343).all()
    assert pd.isna(eufor.loc[483, "country_id_gw"])  # no G-W state-year in the codes given


def test_operations_inconsistent_personnel_across_conflicts_is_an_error(fx, codes, load_once):
    rows = load_once(bara.load_mission_conflict_month, fx)
    rows.loc[(rows.operation_id == "UNOCI") & (rows.conflict_id_ucdp == 902), "police_n"] = 99.0
    with pytest.raises(BuildError, match=r"'police_n' differs between the conflict rows"):
        operations_monthly_from(rows, codes)
