from pathlib import Path

import pandas as pd
import pytest

from analysis import curated
from analysis.config import curated_dir
from analysis.errors import DataError

REAL = Path(__file__).resolve().parents[2] / "data" / "curated"
FILES = {
    "mandates": curated.FILE_MANDATES,
    "partner_operations": curated.FILE_PARTNER_OPERATIONS,
    "personnel": curated.FILE_PERSONNEL,
    "jihadist_actors": curated.FILE_JIHADIST_ACTORS,
}


def _frame(name):
    return pd.read_csv(REAL / FILES[name], dtype=str, keep_default_na=False)


def _write(df, tmp_path, fname="c.csv"):
    p = tmp_path / fname
    df.to_csv(p, index=False, lineterminator="\n")
    return p


# ---- the committed files --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(curated.CURATED))
def test_committed_file_validates(name):
    spec = curated.CURATED[name]
    df = spec.load(REAL / FILES[name])
    assert len(df) > 0
    assert not df.duplicated(list(spec.key)).any()
    spec.schema.validate(df)
    for col in spec.schema.columns.values():
        assert col.description, f"{name}.{col.name} has no description"
    assert df["source"].notna().all() and (df["source"].str.len() > 0).all()
    assert df["verification"].isin(curated.VERIFICATION).all()


def test_default_path_is_the_curated_folder(monkeypatch):
    monkeypatch.delenv("PEACEOPS_DATA_DIR", raising=False)
    monkeypatch.delenv("PEACEOPS_ROOT", raising=False)
    assert curated_dir() == REAL
    assert len(curated.load_jihadist_actors()) == len(_frame("jihadist_actors"))


@pytest.mark.parametrize("name", sorted(curated.CURATED))
def test_memory_rows_leave_memory_values_empty(name):
    df = curated.CURATED[name].load(REAL / FILES[name])
    mem = df[df["verification"] == "memory_unverified"]
    for c in curated.MEMORY_COLUMNS[name]:
        assert mem[c].isna().all(), c


def test_booleans_in_files_are_only_true_false_or_empty():
    for name, spec in curated.CURATED.items():
        raw = _frame(name)
        for c, col in spec.schema.columns.items():
            if str(col.dtype) == "boolean":
                assert set(raw[c]) <= {"true", "false", ""}, (name, c)


def test_mandates_coding_rules_hold_on_real_file():
    df = curated.load_mandates(REAL / curated.FILE_MANDATES)
    m = df.set_index(["mission_id_un", "resolution"])
    assert bool(m.loc[("MINUSMA", "S/RES/2295"), "is_chapter_vii"]) is True
    assert bool(m.loc[("MINUSMA", "S/RES/2391"), "is_chapter_vii"]) is False
    # TAMM-baseline inferences are not typed facts
    baseline_only = df.mission_id_un.isin(["UNIFIL", "UNDOF", "UNFICYP", "MINURSO"])
    assert df.loc[baseline_only, "is_chapter_vii"].isna().all()
    assert df.loc[df.is_chapter_vii.isna(), "chapter_vii_basis"].notna().all()
    # S/RES/2350 closed MINUSTAH and created MINUJUSTH: one row each
    assert {"MINUSTAH", "MINUJUSTH"} <= set(df.loc[df.resolution == "S/RES/2350", "mission_id_un"])
    # missions with open-ended mandates have no rows
    assert not df.mission_id_un.isin(["UNMIK", "UNTSO", "UNMOGIP"]).any()
    assert (~df.loc[df.verification == "memory_unverified", "is_resolution_number_sourced"]).all()
    # values resting only on PEMA codes are not typed: 2304 (PEMA-only row) has no coded content
    row = m.loc[("UNMISS", "S/RES/2304")]
    assert pd.isna(row["has_offensive_mandate"]) and pd.isna(row["vote"])
    assert row["adoption_date_precision"] == "year" and row["adoption_date"] == pd.Timestamp("2016-01-01")


def test_personnel_has_no_pre_2020_rows_and_ceilings_match_mandates():
    per = curated.load_personnel(REAL / curated.FILE_PERSONNEL)
    man = curated.load_mandates(REAL / curated.FILE_MANDATES)
    assert per["date"].min() >= pd.Timestamp("2020-01-01")
    auth = per[per.figure_type == "authorized"]
    pairs = set(zip(man.mission_id_un, man.resolution))
    assert all((m, r) in pairs for m, r in zip(auth.mission_id_un, auth.resolution))
    # a civilian-inclusive figure is only quoted in the note
    row = per[(per.mission_id_un == "MINUSCA") & (per.figure_type == "deployed")].iloc[0]
    assert row[["troops_n", "police_n", "observers_n", "personnel_total_n"]].isna().all()
    assert "15,000" in row["note"]


def test_jihadist_rule_on_real_file():
    df = curated.load_jihadist_actors(REAL / curated.FILE_JIHADIST_ACTORS).set_index("ucdp_actor_id")
    assert bool(df.loc[234, "is_jihadist"]) and df.loc[234, "affiliation"] == "IS"
    assert df.loc[1051, "ucdp_name"] == "JAS" and df.loc[1051, "ucdp_name_v22_1"].startswith("Jama'atu")
    assert df.index.is_unique and 234 in df.index
    assert df.loc[df.affiliation.isin(["other", "not_aq_is"]), "is_jihadist"].eq(False).all()


def test_partner_operations_org_types_follow_the_rule():
    df = curated.load_partner_operations(REAL / curated.FILE_PARTNER_OPERATIONS).set_index("operation_id")
    assert df.loc["amisom", "org_type"] == "regional" and df.loc["barkhane", "org_type"] == "bilateral"
    assert {df.loc[k, "org_type"] for k in ("g5-sahel-jf", "mnjtf", "takuba")} == {"ad_hoc"}
    assert df.loc["wagner-mali", "org_type"] == "pmc" and df.loc["eutm-mali", "org_type"] == "eu"
    # approximate strengths stay in the note
    assert pd.isna(df.loc["takuba", "peak_strength_n"]) and "900" in df.loc["takuba", "note"]


# ---- bad input on synthetic copies ----------------------------------------------------------------------
LOADERS = {
    "mandates": curated.load_mandates,
    "partner_operations": curated.load_partner_operations,
    "personnel": curated.load_personnel,
    "jihadist_actors": curated.load_jihadist_actors,
}


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_missing_source_names_file_column_row(name, tmp_path):
    df = _frame(name).head(5)
    df.loc[3, "source"] = "  "
    with pytest.raises(DataError, match=r"c\.csv, column 'source', line 5: empty value"):
        LOADERS[name](_write(df, tmp_path))


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_bad_verification_names_file_column_row(name, tmp_path):
    df = _frame(name).head(5)
    df.loc[2, "verification"] = "checked"
    with pytest.raises(DataError, match=r"c\.csv, column 'verification', line 4: unknown code 'checked'"):
        LOADERS[name](_write(df, tmp_path))


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_duplicate_key_names_file_key_row(name, tmp_path):
    df = _frame(name).head(4)
    df = pd.concat([df, df.iloc[[1]]], ignore_index=True)
    key = ", ".join(curated.CURATED[name].key)
    with pytest.raises(DataError, match=rf"c\.csv, column '{key}', line 6: duplicate key"):
        LOADERS[name](_write(df, tmp_path))


@pytest.mark.parametrize(("name", "column"), [("mandates", "adoption_date"), ("mandates", "mandate_until"),
                                              ("partner_operations", "date_start"), ("personnel", "date")])
def test_bad_date_names_file_column_row(name, column, tmp_path):
    df = _frame(name).head(5)
    df.loc[1, column] = "2021-13-45"
    df.loc[1, column + "_precision" if name != "personnel" else "date_precision"] = "day"
    with pytest.raises(DataError, match=rf"c\.csv, column '{column}', line 3: bad date '2021-13-45'"):
        LOADERS[name](_write(df, tmp_path))


@pytest.mark.parametrize(("name", "column"), [("mandates", "is_chapter_vii"), ("mandates", "has_poc_mandate"),
                                              ("partner_operations", "has_unsc_authorisation"),
                                              ("jihadist_actors", "is_in_acd")])
def test_non_boolean_names_file_column_row(name, column, tmp_path):
    df = _frame(name).head(5)
    df.loc[2, column] = "yes"
    with pytest.raises(DataError, match=rf"c\.csv, column '{column}', line 4: not a boolean 'yes'"):
        LOADERS[name](_write(df, tmp_path))


def test_memory_row_with_a_memory_value_is_rejected(tmp_path):
    df = _frame("mandates")
    df = df[df.verification == "memory_unverified"].head(3).reset_index(drop=True)
    assert len(df) == 3
    df.loc[1, "is_chapter_vii"] = "true"
    with pytest.raises(DataError, match=r"c\.csv, column 'is_chapter_vii', line 3: memory_unverified row"):
        curated.load_mandates(_write(df, tmp_path))


def test_memory_row_with_affiliation_is_rejected(tmp_path):
    df = _frame("jihadist_actors").head(4).reset_index(drop=True)
    df.loc[2, ["verification", "affiliation", "is_jihadist"]] = ["memory_unverified", "AQ", "true"]
    with pytest.raises(DataError, match=r"c\.csv, column 'affiliation', line 4: memory_unverified row"):
        curated.load_jihadist_actors(_write(df, tmp_path))


def test_memory_row_with_a_count_is_rejected(tmp_path):
    df = _frame("personnel").head(4).reset_index(drop=True)
    df.loc[0, ["verification", "troops_n"]] = ["memory_unverified", "1000"]
    with pytest.raises(DataError, match=r"c\.csv, column 'troops_n', line 2: memory_unverified row"):
        curated.load_personnel(_write(df, tmp_path))


def test_date_without_precision_is_rejected(tmp_path):
    df = _frame("mandates").head(4)
    df.loc[0, ["adoption_date", "adoption_date_precision"]] = ["2016-06-29", ""]
    with pytest.raises(DataError, match=r"c\.csv, column 'adoption_date', line 2: a date needs a precision"):
        curated.load_mandates(_write(df, tmp_path))


def test_month_precision_date_must_be_first_of_month(tmp_path):
    df = _frame("partner_operations").head(4)
    df.loc[2, ["date_end", "date_end_precision"]] = ["2020-09-10", "month"]
    with pytest.raises(DataError, match=r"c\.csv, column 'date_end', line 4: month-precision date"):
        curated.load_partner_operations(_write(df, tmp_path))


def test_is_jihadist_must_follow_affiliation(tmp_path):
    df = _frame("jihadist_actors").head(5).reset_index(drop=True)
    df.loc[3, ["affiliation", "is_jihadist"]] = ["other", "true"]
    with pytest.raises(DataError, match=r"c\.csv, column 'is_jihadist', line 5"):
        curated.load_jihadist_actors(_write(df, tmp_path))


def test_chapter_vii_without_authorisation_is_rejected(tmp_path):
    df = _frame("partner_operations").head(5).reset_index(drop=True)
    df.loc[4, ["has_unsc_authorisation", "is_chapter_vii_authorised"]] = ["false", "true"]
    with pytest.raises(DataError, match=r"c\.csv, column 'is_chapter_vii_authorised', line 6"):
        curated.load_partner_operations(_write(df, tmp_path))


def test_bad_code_names_column_and_row(tmp_path):
    df = _frame("partner_operations").head(5)
    df.loc[1, "org_type"] = "UN"
    with pytest.raises(DataError, match=r"c\.csv, column 'org_type', line 3: unknown code 'UN'"):
        curated.load_partner_operations(_write(df, tmp_path))


def test_non_numeric_count_names_column_and_row(tmp_path):
    df = _frame("personnel").head(5)
    df.loc[2, "troops_n"] = "about 10,000"
    with pytest.raises(DataError, match=r"c\.csv, column 'troops_n', line 4: not a number"):
        curated.load_personnel(_write(df, tmp_path))


def test_schema_failure_names_column_and_row(tmp_path):
    df = _frame("mandates").head(5)
    df.loc[3, "mission_id_un"] = "Minusma"
    with pytest.raises(DataError, match=r"c\.csv, column 'mission_id_un', line 5"):
        curated.load_mandates(_write(df, tmp_path))


def test_missing_and_unexpected_columns(tmp_path):
    df = _frame("personnel").head(3)
    with pytest.raises(DataError, match=r"c\.csv, column 'note': expected column is missing"):
        curated.load_personnel(_write(df.drop(columns="note"), tmp_path))
    with pytest.raises(DataError, match=r"d\.csv, column 'extra': unexpected column"):
        curated.load_personnel(_write(df.assign(extra="x"), tmp_path, "d.csv"))


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"nope\.csv: file not found"):
        curated.load_mandates(tmp_path / "nope.csv")
