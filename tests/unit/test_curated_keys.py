"""Foreign keys of the curated tables (issue 8, item 3): every id exists in its authority table.

Synthetic authority tables stand in for ``un_missions``, ``country_codes``, ``sc_resolutions``
and ``ucdp_conflict_years``; the curated files are the committed ones, copied and edited in
``tmp_path``. The checks on the real authority tables are in
``tests/integration/test_curated_ids.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest

from analysis import curated
from analysis.errors import BuildError, DataError, csv_record_lines

REAL = Path(__file__).parents[2] / "data" / "curated"


def _authorities() -> dict[str, pd.DataFrame]:
    m = pd.read_csv(REAL / curated.FILE_MANDATES, dtype=str)
    per = pd.read_csv(REAL / curated.FILE_PERSONNEL, dtype=str)
    ops = pd.read_csv(REAL / curated.FILE_PARTNER_OPERATIONS, dtype=str)
    missions = sorted(set(m.mission_id_un) | set(per.mission_id_un) | {"MINUSCA", "MONUSCO", "UNMIK"})
    res = {int(r.split("/")[-1]) for r in pd.concat([m.resolution, per.resolution.dropna()])}
    res |= {int(x.split("/")[-1]) for cell in ops.unsc_resolutions.dropna() for x in cell.split(";")}
    iso = {c for cell in ops.host_iso3 for c in cell.split(";")} | {"MLI", "MEX", "MLT"}
    return {
        "un_missions": pd.DataFrame({"mission_id_un": missions}),
        "sc_resolutions": pd.DataFrame({"resolution_number": sorted(res | {1285, 2811})}),
        "country_codes": pd.DataFrame({"country_id_iso3": sorted(iso)}),
    }


def _copy(tmp_path: Path, file: str, old: str, new: str, count: int = 1) -> Path:
    text = (REAL / file).read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / file
    p.write_text(text.replace(old, new, count), encoding="utf-8")
    return p


def _check(file: str, path: Path, tables=None):
    from analysis.curated.keys import check_file

    auth = _authorities() if tables is None else tables
    return check_file(file, auth.__getitem__, auth, path)


def test_a_mistyped_mission_id_is_named_with_line_and_closest_ids(tmp_path):
    """Before the fix MINUSMA -> MINUSMAX built with exit 0 and 19 MINUSMA mission-months changed."""
    p = _copy(tmp_path, curated.FILE_MANDATES, "MINUSMA,S/RES/2364", "MINUSMAX,S/RES/2364")
    line = csv_record_lines(p)[list(pd.read_csv(p, dtype=str)["mission_id_un"]).index("MINUSMAX")]
    with pytest.raises(DataError) as ei:
        _check(curated.FILE_MANDATES, p)
    msg = str(ei.value)
    assert msg.startswith(f"file {p}, column 'mission_id_un', line {line}: unknown id 'MINUSMAX'")
    assert "not a mission_id_un of un_missions; closest: 'MINUSMA'" in msg


def test_a_mistyped_country_in_a_list_is_named(tmp_path):
    """MLI -> MLX in partner_operations.csv (a ';'-joined list of hosts)."""
    p = _copy(tmp_path, curated.FILE_PARTNER_OPERATIONS, ",MLI,", ",MLX,")
    with pytest.raises(DataError, match=r"column 'host_iso3', line \d+: unknown id 'MLX': not a "
                                        r"country_id_iso3 of country_codes; closest: .*'MLI'"):
        _check(curated.FILE_PARTNER_OPERATIONS, p)


def test_an_unknown_resolution_is_named_and_one_before_the_table_is_not_checked(tmp_path):
    p = _copy(tmp_path, curated.FILE_MANDATES, "S/RES/2364,", "S/RES/2365,")
    auth = _authorities()
    auth["sc_resolutions"] = auth["sc_resolutions"][auth["sc_resolutions"].resolution_number != 2365]
    with pytest.raises(DataError, match=r"column 'resolution', line \d+: unknown id 'S/RES/2365'"):
        _check(curated.FILE_MANDATES, p, auth)
    # S/RES/1744 (2007) authorises AMISOM; a table starting in 2010 cannot judge it
    auth["sc_resolutions"] = auth["sc_resolutions"][auth["sc_resolutions"].resolution_number >= 1900]
    checked, _ = _check(curated.FILE_PARTNER_OPERATIONS, REAL / curated.FILE_PARTNER_OPERATIONS, auth)
    assert any(c.startswith("unsc_resolutions -> sc_resolutions.resolution_number") for c in checked)


def test_actor_ids_are_checked_only_for_actors_in_the_acd(tmp_path):
    acd = pd.DataFrame({"side_b_id": ["234", "1051, 6311", "208", "209"]})
    actors = curated.load_jihadist_actors()
    in_acd = {str(v) for v in actors.loc[actors.is_in_acd, "ucdp_actor_id"]}
    acd = pd.DataFrame({"side_b_id": [", ".join(sorted(in_acd))]})
    auth = {**_authorities(), "ucdp_conflict_years": acd}
    auth["country_codes"] = pd.DataFrame({"country_id_iso3": sorted(
        {c for cell in actors.countries_iso3 for c in cell.split(";")} - {"PSE"})})
    checked, skipped = _check(curated.FILE_JIHADIST_ACTORS, REAL / curated.FILE_JIHADIST_ACTORS, auth)
    assert skipped == [] and len(checked) == 2  # PSE is declared valid (not a G-W state)
    gone = sorted(in_acd)[0]
    auth["ucdp_conflict_years"] = pd.DataFrame({"side_b_id": [", ".join(sorted(in_acd - {gone}))]})
    with pytest.raises(DataError, match=rf"column 'ucdp_actor_id', line \d+: unknown id {gone}"):
        _check(curated.FILE_JIHADIST_ACTORS, REAL / curated.FILE_JIHADIST_ACTORS, auth)


def test_a_key_on_a_table_not_declared_yet_is_skipped_and_said(tmp_path):
    auth = _authorities()
    del auth["sc_resolutions"]
    checked, skipped = _check(curated.FILE_MANDATES, REAL / curated.FILE_MANDATES, auth)
    assert checked[0].startswith("mission_id_un -> un_missions.mission_id_un (")
    assert skipped == ["resolution -> sc_resolutions.resolution_number (no table sc_resolutions yet)"]


def test_every_id_column_of_every_curated_file_is_declared():
    import analysis.core.mandate_ceiling_gold  # noqa: F401 - declares the ceiling gold set's keys
    import analysis.core.mandate_validation  # noqa: F401 - declares the gold set's keys
    from analysis.curated.keys import FOREIGN_KEYS

    declared = {f: {k.column for k in spec.keys} for f, spec in FOREIGN_KEYS.items()}
    assert declared == {
        curated.FILE_MANDATES: {"mission_id_un", "resolution"},
        curated.FILE_PERSONNEL: {"mission_id_un", "resolution"},
        curated.FILE_PARTNER_OPERATIONS: {"host_iso3", "unsc_resolutions"},
        curated.FILE_JIHADIST_ACTORS: {"countries_iso3", "ucdp_actor_id"},
        "mandate_coding_gold.csv": {"resolution_number", "mission_id_un"},
        "mandate_ceiling_gold.csv": {"resolution_number", "mission_id_un"},
    }


# --------------------------------------------------------------------------- in the build


@pytest.fixture
def fk_build(tmp_path, isolated_data_dir, monkeypatch):
    """Toy tables: ``un_missions`` (authority) and ``reader`` (reads mandates_2016_2024.csv)."""
    import analysis.data.store as store

    cur = tmp_path / "curated"
    shutil.copytree(REAL, cur)
    monkeypatch.setenv("PEACEOPS_CURATED_DIR", str(cur))
    calls = {"reader": 0}

    def missions(deps):
        return _authorities()["un_missions"]

    def reader(deps):
        calls["reader"] += 1
        return curated.load_mandates()[["mission_id_un", "resolution"]]

    schema = pa.DataFrameSchema({"mission_id_un": pa.Column(str)}, name="m")
    schema2 = pa.DataFrameSchema({"mission_id_un": pa.Column(str), "resolution": pa.Column(str)}, name="r")
    specs = {
        "un_missions": store.TableSpec("un_missions", missions, ("mission_id_un",), "mission", "", (),
                                       schema),
        "reader": store.TableSpec("reader", reader, ("mission_id_un", "resolution"), "m x r", "", (), schema2,
                                  curated=(curated.FILE_MANDATES,)),
    }
    monkeypatch.setattr(store, "specs", lambda: specs)
    return {"curated": cur, "calls": calls, "store": store}


def test_build_refuses_a_curated_file_with_an_unknown_id(fk_build):
    store = fk_build["store"]
    assert store.table_names() == ["un_missions", "reader"]  # the authority is built first
    assert store.build(progress=False).status == {"un_missions": "built", "reader": "built"}
    before = (store.processed_dir() / "core" / "reader.parquet").read_bytes()
    p = fk_build["curated"] / curated.FILE_MANDATES
    p.write_text(p.read_text(encoding="utf-8").replace("MINUSMA,", "MINUSMAX,", 1), encoding="utf-8")
    with pytest.raises(BuildError, match=r"step 'reader' not built: file .*mandates_2016_2024\.csv, column "
                                         r"'mission_id_un', line 2: unknown id 'MINUSMAX'"):
        store.build(progress=False)
    assert fk_build["calls"]["reader"] == 1
    assert (store.processed_dir() / "core" / "reader.parquet").read_bytes() == before


def test_the_authority_enters_the_build_key_of_the_reader(fk_build):
    """A changed authority table rebuilds (and re-checks) the tables whose curated files it judges."""
    store = fk_build["store"]
    assert store.depends_on(store.specs()["reader"], store.specs()) == ("un_missions",)
    assert store.build_key("reader", {"un_missions": "a"}) != store.build_key("reader", {"un_missions": "b"})
