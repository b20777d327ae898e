import pandas as pd
import pytest

from analysis.core import coups as core_coups
from analysis.errors import DataError
from analysis.sources import coups_cline_center as cl

FILE = "Coup_data_2.1.2.csv"


@pytest.fixture
def fx(fixtures):
    return fixtures / "coups_cline_center" / FILE


def _lines(path):
    return path.read_bytes().decode("utf-8").split("\r\n")


def _write(tmp_path, lines, name="bad.csv"):
    p = tmp_path / name
    p.write_bytes("\r\n".join(lines).encode("utf-8"))
    return p


def _set(lines, row, column, value):
    header = lines[0].split(",")
    f = lines[row + 1].split(",")
    f[header.index(column)] = value
    lines[row + 1] = ",".join(f)


def test_fixture_has_crlf_and_quoted_strings(fx):
    raw = fx.read_bytes()
    assert b"\r\n" in raw and b'"00204022019",2,"Arcadia Federation"' in raw


def test_coup_id_keeps_leading_zeros_and_suffixes(fx, load_once):
    df = load_once(cl.load_events, fx)
    assert df["coup_id"].dtype == "string"
    assert "00204022019" in set(df["coup_id"]) and "04104031958" in set(df["coup_id"])
    assert {"70501052017_1", "70501052017_2"} <= set(df["coup_id"])
    assert df["coup_id"].is_unique


def test_event_type_and_outcome_flags(fx, load_once):
    df = load_once(cl.load_events, fx)
    assert set(df["event_type"]) == {"coup", "attempted", "conspiracy"}
    assert (df["is_realized"] == (df["event_type"] == "coup")).all()
    assert (df["is_unrealized"] == ~df["is_realized"]).all()
    assert df["is_military"].dtype == "boolean"
    assert df.set_index("coup_id").loc["00204022019", "is_auto"]


def test_cline_codes_are_mapped_to_canonical_cow(fx, load_once):
    df = load_once(cl.load_events, fx).set_index("coup_id")
    assert df.loc["34003122001", ["country_id_cline", "country_id_cow"]].tolist() == [340, 345]
    assert df.loc["39305041995", ["country_id_cline", "country_id_cow"]].tolist() == [393, 365]
    assert df.loc["26012032019", ["country_id_cline", "country_id_cow"]].tolist() == [260, 255]
    assert df.loc["36502091988", "country_id_cow"] == 365  # USSR unchanged


def test_dates(fx, load_once):
    df = load_once(cl.load_events, fx).set_index("coup_id")
    assert df.loc["43211221968", "date"] == pd.Timestamp("1968-11-22")


def test_core_table_adds_gw_codes(fx, monkeypatch):
    codes = pd.DataFrame(
        [(345, 2001, 345), (365, 1988, 365), (365, 1995, 365), (260, 2019, 255), (265, 1952, None),
         (432, 1968, 432), (432, 2020, 432), (2, 2019, 2), (41, 1958, 41), (705, 2017, 705)],
        columns=["country_id_gw", "year", "country_id_cow"]).astype("Int64")
    load = cl.load_events
    monkeypatch.setattr(cl, "load_events", lambda path=None: load(fx))  # the builder reads the fixture
    out = core_coups.build_coups_cline({"country_codes": codes})
    core_coups.SCHEMA_COUPS_CLINE.validate(out)
    t = out.set_index("coup_id")
    assert t.loc["26012032019", "country_id_gw"] == 260  # Cline 260 -> COW 255 -> G-W 260
    assert t.loc["34003122001", "country_id_gw"] == 345
    assert t.loc["26506171952", "country_id_gw"] == 265  # COW lists no GDR in 1952: same-code fallback
    assert pd.isna(t.loc["62503111955", "country_id_gw"])  # Sudan before independence


def test_missing_column_names_file_and_column(fx, tmp_path):
    lines = _lines(fx)
    lines[0] = lines[0].replace(",realized,", ",realised,")
    with pytest.raises(DataError, match=r"bad\.csv.*column 'realized'"):
        cl.load_events(_write(tmp_path, lines))


def test_non_numeric_indicator_names_column_and_row(fx, tmp_path):
    lines = _lines(fx)
    _set(lines, 3, "killed", "yes")
    with pytest.raises(DataError, match=r"bad\.csv.*column 'killed'.*line 5.*not a number"):
        cl.load_events(_write(tmp_path, lines))


def test_unknown_event_type_names_row(fx, tmp_path):
    lines = _lines(fx)
    _set(lines, 2, "event_type", '"plot"')
    with pytest.raises(DataError, match=r"bad\.csv.*column 'event_type'.*line 4.*unknown code 'plot'"):
        cl.load_events(_write(tmp_path, lines))


def test_flags_disagreeing_with_event_type_name_row(fx, tmp_path):
    lines = _lines(fx)
    _set(lines, 1, "realized", "1")  # row 1 is an attempted coup
    with pytest.raises(DataError, match=r"bad\.csv.*column 'realized'.*line 3.*disagrees with event_type"):
        cl.load_events(_write(tmp_path, lines))


def test_coup_id_disagreeing_with_date_names_row(fx, tmp_path):
    lines = _lines(fx)
    _set(lines, 4, "day", "13")
    with pytest.raises(DataError, match=r"bad\.csv.*column 'coup_id'.*line 6.*disagrees"):
        cl.load_events(_write(tmp_path, lines))


def test_impossible_date_names_row(fx, tmp_path):
    lines = _lines(fx)
    old, new = '"04104031958",41,"Borduria",1958,4,3,', '"04131041958",41,"Borduria",1958,4,31,'
    lines[2] = lines[2].replace(old, new)
    with pytest.raises(DataError, match=r"bad\.csv.*column 'date'.*line 3.*bad date"):
        cl.load_events(_write(tmp_path, lines))


def test_duplicate_coup_id_is_rejected(fx, tmp_path):
    lines = _lines(fx)
    lines.insert(2, lines[1])
    with pytest.raises(DataError, match=r"bad\.csv.*column 'coup_id'"):
        cl.load_events(_write(tmp_path, lines))


def test_wrong_encoding_names_file(fx, tmp_path):
    lines = _lines(fx)
    lines[1] = lines[1].replace("Arcadia Federation", "Arcadia Fédération")
    p = tmp_path / "bad.csv"
    p.write_bytes("\r\n".join(lines).encode("latin-1"))
    with pytest.raises(DataError, match=r"bad\.csv.*wrong encoding"):
        cl.load_events(p)
