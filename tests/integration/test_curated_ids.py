"""Identifiers in the curated tables exist in the registered raw files (real mirror)."""

import pandas as pd
import pytest

from analysis import curated
from analysis.sources._base import raw_path


@pytest.fixture(scope="module")
def un_acronyms(raw_cache):
    p = raw_path("un_pko_missions", "DPPADPOSS-PKO.csv")
    return set(pd.read_csv(p, dtype=str)["mission_acronym"].str.strip())


@pytest.fixture(scope="module")
def acd_v25(raw_cache):
    p = raw_path("ucdp_acd", "UcdpPrioConflict_v25_1_semicolon_reexport.csv")
    df = pd.read_csv(p, sep=";", dtype=str)
    return df.dropna(subset=["side_b", "side_b_id"])


@pytest.fixture(scope="module")
def acd_v22(raw_cache):
    p = raw_path("ucdp_acd", "ucdp-prio-acd-221.csv")
    return pd.read_csv(p, dtype=str).dropna(subset=["side_b", "side_b_id"])


def _lists(s):
    return s.str.split(",").map(lambda xs: {x.strip() for x in xs})


@pytest.mark.parametrize("load", [curated.load_mandates, curated.load_personnel])
def test_mission_ids_are_un_acronyms(un_acronyms, load):
    ids = set(load()["mission_id_un"])
    assert "MINUSMA" in un_acronyms and ids
    assert ids <= un_acronyms, sorted(ids - un_acronyms)


def test_jihadist_actor_ids_are_acd_side_b_ids(acd_v25):
    actors = curated.load_jihadist_actors()
    in_acd = actors[actors.is_in_acd]
    assert len(in_acd) > 30
    ids = set().union(*_lists(acd_v25["side_b_id"]))
    missing = set(in_acd.ucdp_actor_id.astype(str)) - ids
    assert not missing, missing
    # ids outside the ACD are really not ACD side_b ids
    assert not set(actors.loc[~actors.is_in_acd, "ucdp_actor_id"].astype(str)) & ids


@pytest.mark.parametrize("version", ["v25", "v22"])
def test_jihadist_actor_names_go_with_their_ids(acd_v25, acd_v22, version):
    """Every ACD record that lists the actor's name lists its id, and vice versa."""
    acd = acd_v25 if version == "v25" else acd_v22
    name_col = "ucdp_name" if version == "v25" else "ucdp_name_v22_1"
    names, ids = _lists(acd["side_b"]), _lists(acd["side_b_id"])
    actors = curated.load_jihadist_actors()
    checked = 0
    for _, a in actors[actors.is_in_acd].iterrows():
        has_id = ids.map(lambda s, i=str(a.ucdp_actor_id): i in s)
        has_name = names.map(lambda s, n=a[name_col]: n in s)
        if version == "v22" and not has_id.any():
            continue  # actor first coded after v22.1
        assert has_id.any(), a.ucdp_actor_id
        assert (has_id == has_name).all(), (a.ucdp_actor_id, a[name_col])
        checked += 1
    assert checked > 30


def test_jas_is_spelled_differently_in_the_two_versions(acd_v25, acd_v22):
    assert (acd_v25.side_b == "JAS").any() and not (acd_v22.side_b == "JAS").any()
    assert acd_v22.side_b.str.startswith("Jama'atu Ahlis Sunna").any()


# ---- foreign keys against the core tables (issue 8, item 3) ------------------------------------


def test_every_curated_id_exists_in_its_authority_table(raw_cache):
    from analysis.data.check import check_curated

    results = check_curated()
    assert len(results) == 6  # 4 curated tables and the two gold sets (mandate codings, ceilings)
    for r in results:
        assert r.ok, r.detail
        assert "not checked" not in r.detail, r.detail  # sc_resolutions exists: every key is on


def test_a_mistyped_mission_id_stops_the_build_before_the_panel(raw_cache, tmp_path, monkeypatch, capsys):
    """MINUSMA -> MINUSMAX: before the check, mission_months was rebuilt with exit 0 and 19 MINUSMA
    mission-months lost their mandate."""
    import shutil

    from analysis.cli import main
    from analysis.config import curated_dir, processed_dir

    panel = processed_dir() / "panels" / "mission_months.parquet"
    before = panel.stat().st_mtime_ns if panel.exists() else None
    cur = tmp_path / "curated"
    shutil.copytree(curated_dir(), cur)
    p = cur / curated.FILE_MANDATES
    p.write_text(p.read_text(encoding="utf-8").replace("\nMINUSMA,S/RES/2364,", "\nMINUSMAX,S/RES/2364,"),
                 encoding="utf-8")
    monkeypatch.setenv("PEACEOPS_CURATED_DIR", str(cur))
    assert main(["data", "build", "mission_months", "-q"]) == 1
    err = capsys.readouterr().err
    assert "step 'mission_months' not built" in err
    assert "column 'mission_id_un', line 3: unknown id 'MINUSMAX': not a mission_id_un of un_missions; " \
           "closest: 'MINUSMA'" in err
    assert (panel.stat().st_mtime_ns if panel.exists() else None) == before
