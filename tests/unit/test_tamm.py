import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.sources import tamm


@pytest.fixture
def fx(fixtures):
    return fixtures / "tamm" / "TAMM_v2.1_mission_month.csv"


def _lines(path):
    return path.read_text(encoding="utf-8").split("\n")


def _write(tmp_path, lines):
    p = tmp_path / "TAMM_v2.1_mission_month.csv"
    p.write_text("\n".join(lines), encoding="utf-8")
    return p


def _set_cell(lines, row, column, value):
    header = lines[0].split(",")
    cells = lines[row + 1].split(",")
    cells[header.index(column)] = value
    out = list(lines)
    out[row + 1] = ",".join(cells)
    return out


def test_tasks_are_booleans_with_codebook_names(fx, load_once):
    df = load_once(tamm.load_mission_month, fx)
    assert len([c for c in df.columns if c.startswith("has_")]) == len(tamm.TASKS) == 50
    assert (df[[f"has_{t}" for t in tamm.TASKS]].dtypes == "boolean").all()
    minusma = df[df.mission_id_un == "MINUSMA"].set_index("month")
    assert minusma.loc[8, "has_ch7"] == True and minusma.loc[8, "has_prociv"] == False  # noqa: E712
    assert minusma.loc[9, "has_prociv"] == True  # noqa: E712
    assert minusma["has_au_coop"].all() and not minusma["has_eu_coop"].any()


def test_mission_names_map_and_misca_is_not_un(fx, load_once):
    df = load_once(tamm.load_mission_month, fx)
    assert set(df.loc[df.mission_name == "UNOSOM", "mission_id_un"]) == {"UNOSOM I"}
    misca = df[df.mission_name == "MISCA"]
    assert misca["mission_id_un"].isna().all() and not misca["is_un"].any()
    assert df.loc[df.mission_name != "MISCA", "is_un"].all()
    assert set(tamm.NOT_IN_DPPADPOSS) <= set(tamm.MISSION_ID_UN.values())


def test_yearmon_negative_before_1960_is_consistent(fx, load_once):
    raw = pd.read_csv(fx, dtype=str)
    assert raw.loc[0, "yearmon"] == "-140"  # 1948-05
    df = load_once(tamm.load_mission_month, fx)
    assert (df.loc[0, "year"], df.loc[0, "month"]) == (1948, 5)
    assert "yearmon" not in df.columns and "missionen" not in df.columns


def test_blank_host_codes_and_region_are_missing(fx, load_once):
    df = load_once(tamm.load_mission_month, fx)
    untso = df[df.mission_id_un == "UNTSO"]
    assert untso["country_id_cow"].isna().all() and untso["region"].isna().all()
    unosom = df[df.mission_id_un == "UNOSOM I"].iloc[0]
    assert (unosom["country_id_cow"], unosom["country_id_cow_2"]) == (520, 530)
    assert pd.isna(unosom["country_id_cow_3"])


def test_resolution_kept_as_given_and_numeric_ones_as_symbols(fx, load_once):
    df = load_once(tamm.load_mission_month, fx).set_index("mission_name")
    assert set(df.loc["UNIFIL", "resolution_un"]) == {"425/426"}
    assert df.loc["UNIFIL", "resolution_id_un"].isna().all()
    assert df.loc["UNSF", "resolution_un"] == "GA 1752" and pd.isna(df.loc["UNSF", "resolution_id_un"])
    assert set(df.loc["MINUSMA", "resolution_id_un"]) == {"S/RES/9227"}


def test_ratios_not_summing_to_one_are_kept(fx, load_once):
    df = load_once(tamm.load_mission_month, fx)
    m = df[df.mission_id_un == "MINUSMA"].iloc[0]
    assert m["pk_ratio"] + m["vlim_ratio"] + m["pb_ratio"] == pytest.approx(0.91)
    assert (df["totaltasks_n"] == df["numtasks_n"] + df["subtasks_n"]).all()


def test_yearmon_disagreeing_names_row(fx, tmp_path):
    bad = _write(tmp_path, _set_cell(_lines(fx), 4, "yearmon", "400"))
    with pytest.raises(DataError, match=r"TAMM_v2\.1_mission_month\.csv, column 'yearmon', line 6"):
        tamm.load_mission_month(bad)


def test_task_value_not_0_1_names_row(fx, tmp_path):
    bad = _write(tmp_path, _set_cell(_lines(fx), 6, "prociv", "2"))
    with pytest.raises(DataError,
                       match=r"TAMM_v2\.1_mission_month\.csv, column 'prociv', line 8: unknown code '2'"):
        tamm.load_mission_month(bad)


def test_blank_task_value_names_row(fx, tmp_path):
    bad = _write(tmp_path, _set_cell(_lines(fx), 2, "ch7", ""))
    with pytest.raises(DataError, match=r"column 'ch7', line 4: task value is missing"):
        tamm.load_mission_month(bad)


def test_unknown_mission_names_row(fx, tmp_path):
    lines = _lines(fx)
    lines = _set_cell(_set_cell(lines, 7, "mission", "UNXYZ"), 7, "missionen", "UNXYZ")
    with pytest.raises(DataError, match=r"column 'mission', line 9: unknown code 'UNXYZ'"):
        tamm.load_mission_month(_write(tmp_path, lines))


def test_missionen_differing_names_row(fx, tmp_path):
    bad = _write(tmp_path, _set_cell(_lines(fx), 1, "missionen", "UNTSO2"))
    with pytest.raises(DataError, match=r"column 'missionen', line 3"):
        tamm.load_mission_month(bad)


def test_non_numeric_host_code_names_row(fx, tmp_path):
    bad = _write(tmp_path, _set_cell(_lines(fx), 3, "ccode", "SOM"))
    with pytest.raises(DataError, match=r"column 'ccode', line 5: not a number: 'SOM'"):
        tamm.load_mission_month(bad)


def test_unknown_region_names_row(fx, tmp_path):
    bad = _write(tmp_path, _set_cell(_lines(fx), 3, "region", "Oceania"))
    with pytest.raises(DataError, match=r"column 'region', line 5"):
        tamm.load_mission_month(bad)


def test_missing_column_is_named(fx, tmp_path):
    lines = _lines(fx)
    bad = _write(tmp_path, [lines[0].replace(",prociv,", ",pro_civ,")] + lines[1:])
    with pytest.raises(DataError, match=r"TAMM_v2\.1_mission_month\.csv, column 'prociv'"):
        tamm.load_mission_month(bad)


def test_duplicate_mission_month_is_rejected(fx, tmp_path):
    lines = _lines(fx)
    bad = _write(tmp_path, lines[:2] + [lines[1]] + lines[2:])
    with pytest.raises(DataError, match=r"TAMM_v2\.1_mission_month\.csv, column 'mission_name', line \d+"):
        tamm.load_mission_month(bad)


def test_wrong_encoding_names_file(fx, tmp_path):
    p = tmp_path / "TAMM_v2.1_mission_month.csv"
    p.write_bytes(fx.read_bytes().replace(b"UNSF", "UNSF\u00e9".encode("latin-1")))
    with pytest.raises(DataError, match=r"TAMM_v2\.1_mission_month\.csv.*encoding"):
        tamm.load_mission_month(p)
