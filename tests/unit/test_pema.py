from pathlib import Path

import pandas as pd
import pytest

from analysis.core.mandates import SCHEMA_MANDATES_MONTHLY, mandates_monthly_from, source_agreement
from analysis.errors import DataError
from analysis.sources import pema, tamm


@pytest.fixture
def panel_fx(fixtures):
    return fixtures / "pema" / "PEMA_panel_v2.csv"


@pytest.fixture
def v12_fx(fixtures):
    return fixtures / "pema" / "PEMA_Feb22_v1.2.csv"


def _lines(path):
    return path.read_bytes().decode("utf-8").split("\r\n")


def _write(tmp_path, name, lines):
    p = tmp_path / name
    p.write_bytes("\r\n".join(lines).encode("utf-8"))
    return p


def _set_cell(lines, row, column, value):
    """Return lines with data row ``row`` (0-based) cell ``column`` replaced (unquoted CSV only)."""
    header = lines[0].split(",")
    cells = lines[row + 1].split(",")
    cells[header.index(column)] = value
    out = list(lines)
    out[row + 1] = ",".join(cells)
    return out


# ---------------------------------------------------------------- panel v2

def test_panel_names_map_to_un_acronyms(panel_fx, load_once):
    df = load_once(pema.load_panel_v2, panel_fx)
    names = dict(zip(df["mission_name"], df["mission_id_un"]))
    assert names["UNOMOZ"] == "ONUMOZ"
    assert names["UNCSPG"] == "UNPSG"
    assert names["MINUSMA"] == "MINUSMA"
    assert set(pema.NOT_IN_DPPADPOSS) <= set(pema.MISSION_ID_UN.values())


def test_panel_row_without_month_and_year_is_dropped(panel_fx, load_once):
    raw = pd.read_csv(panel_fx, dtype=str, keep_default_na=False)
    assert (raw["year"] == "").sum() == 1 and (raw["date3"] == "").sum() == 1
    df = load_once(pema.load_panel_v2, panel_fx)
    assert "S/RES/9002" not in set(df["resolution_id_un"])
    assert df["year"].notna().all() and df["month"].notna().all()
    assert len(df[df.mission_id_un == "MINUSMA"]) == 6


def test_panel_leading_months_of_a_misdated_resolution_are_dropped(panel_fx, load_once):
    raw = pd.read_csv(panel_fx, dtype=str, keep_default_na=False)
    assert (raw["signature"] == "S/RES/9990").sum() == 2  # precedes S/RES/7580 of the same mission
    df = load_once(pema.load_panel_v2, panel_fx)
    assert len(df) == len(raw) - 3
    unpsg = df[df.mission_id_un == "UNPSG"]
    assert (unpsg["year"].min(), unpsg["month"].iloc[0]) == (1998, 1)
    assert not df["is_resolution_out_of_order"].loc[df.mission_id_un != "UNMIH"].any()


def test_panel_misdated_resolution_inside_a_mission_is_flagged(panel_fx, load_once):
    df = load_once(pema.load_panel_v2, panel_fx).set_index(["mission_id_un", "year", "month"])
    assert df.loc[("UNMIH", 1993, 11), "is_resolution_out_of_order"] == True  # noqa: E712
    assert df.loc[("UNMIH", 1993, 11), "resolution_id_un"] == "S/RES/8990"  # kept
    assert df.loc[("UNMIH", 1993, 10), "is_resolution_out_of_order"] == False  # noqa: E712


def test_panel_year_and_month_come_from_date3(panel_fx, load_once):
    df = load_once(pema.load_panel_v2, panel_fx)
    row = df[(df.mission_id_un == "UNMIH")].iloc[0]
    assert (row["year"], row["month"]) == (1993, 9)


def test_panel_offensive_operations_are_not_coded(panel_fx, load_once):
    raw = pd.read_csv(panel_fx, dtype=str, keep_default_na=False)
    assert (raw["offensoper_security_V3"] == "1").any()
    df = load_once(pema.load_panel_v2, panel_fx)
    off = [c for c in df.columns if c.startswith("has_offensoper_")]
    assert len(off) == 4 and df[off].isna().all().all()


def test_panel_use_of_force_is_missing_for_african_missions(panel_fx, load_once):
    df = load_once(pema.load_panel_v2, panel_fx)
    africa = df[df["is_africa"]]
    assert set(africa["mission_id_un"]) == {"MINUSMA", "ONUMOZ"}
    assert africa["has_useofforce"].isna().all()
    haiti = df[df.mission_id_un == "UNMIH"].set_index(["year", "month"])["has_useofforce"]
    assert haiti.loc[(1993, 11)] == False  # noqa: E712 - coded "no" outside Africa
    assert haiti.loc[(1993, 12)] == True  # noqa: E712
    # other tasks stay coded for African missions
    assert df.loc[df.mission_id_un == "MINUSMA", "has_civprotect_security"].notna().all()


def test_panel_has_no_electsec_security_column(panel_fx, load_once):
    df = load_once(pema.load_panel_v2, panel_fx)
    assert "has_electsec_security" not in df.columns
    assert "has_electsec_monitor" in df.columns


def test_panel_signatures_are_normalised(panel_fx, load_once):
    df = load_once(pema.load_panel_v2, panel_fx)
    sigs = set(df["resolution_id_un"])
    assert {"S/RES/9004", "S/RES/8867", "S/RES/7580 AND S/RES/7610"} <= sigs
    assert not any(s != s.strip() or "(" in s for s in sigs)


def test_panel_resolution_date_two_digit_year(panel_fx, load_once):
    df = load_once(pema.load_panel_v2, panel_fx).set_index(["mission_id_un", "year", "month"])
    assert df.loc[("UNMIH", 1993, 9), "resolution_date"] == pd.Timestamp("1993-09-23")
    assert df.loc[("MINUSMA", 2013, 4), "resolution_date"] == pd.Timestamp("2013-04-25")
    assert pd.isna(df.loc[("MINUSMA", 2013, 5), "resolution_date"])


def test_panel_year_disagreeing_with_date3_names_row(panel_fx, tmp_path):
    bad = _write(tmp_path, "PEMA_panel_v2.csv", _set_cell(_lines(panel_fx), 2, "year", "2014"))
    with pytest.raises(DataError, match=r"PEMA_panel_v2\.csv, column 'year', line 4"):
        pema.load_panel_v2(bad)


def test_panel_bad_month_format_names_row(panel_fx, tmp_path):
    bad = _write(tmp_path, "PEMA_panel_v2.csv", _set_cell(_lines(panel_fx), 3, "date3", "2013-07"))
    with pytest.raises(DataError, match=r"PEMA_panel_v2\.csv, column 'date3', line 5.*2003m5"):
        pema.load_panel_v2(bad)


def test_panel_bad_resolution_date_names_row(panel_fx, tmp_path):
    bad = _write(tmp_path, "PEMA_panel_v2.csv", _set_cell(_lines(panel_fx), 0, "date2", "2013-04-25"))
    with pytest.raises(DataError, match=r"PEMA_panel_v2\.csv, column 'date2', line 2"):
        pema.load_panel_v2(bad)


def test_panel_unknown_mission_names_row(panel_fx, tmp_path):
    bad = _write(tmp_path, "PEMA_panel_v2.csv", _set_cell(_lines(panel_fx), 4, "namepko", "UNFOO"))
    with pytest.raises(DataError, match=r"v2\.csv, column 'namepko', line 6: unknown code 'UNFOO'"):
        pema.load_panel_v2(bad)


def test_panel_unknown_country_names_row(panel_fx, tmp_path):
    bad = _write(tmp_path, "PEMA_panel_v2.csv", _set_cell(_lines(panel_fx), 1, "country", "Atlantis"))
    with pytest.raises(DataError, match=r"PEMA_panel_v2\.csv, column 'country', line 3"):
        pema.load_panel_v2(bad)


def test_panel_task_cell_not_0_1_names_row(panel_fx, tmp_path):
    bad = _write(tmp_path, "PEMA_panel_v2.csv", _set_cell(_lines(panel_fx), 5, "civprotect_security_V3", "2"))
    with pytest.raises(DataError, match=r"PEMA_panel_v2\.csv, column 'civprotect_security_V3', line 7"):
        pema.load_panel_v2(bad)


def test_panel_missing_column_is_named(panel_fx, tmp_path):
    lines = _lines(panel_fx)
    header = lines[0].split(",")
    i = header.index("useofforce_V3")
    cut = [",".join(c for j, c in enumerate(x.split(",")) if j != i) for x in lines]
    bad = _write(tmp_path, "PEMA_panel_v2.csv", cut)
    with pytest.raises(DataError, match=r"PEMA_panel_v2\.csv, column 'useofforce_V3'"):
        pema.load_panel_v2(bad)


def test_panel_duplicate_mission_month_is_rejected(panel_fx, tmp_path):
    lines = _lines(panel_fx)
    bad = _write(tmp_path, "PEMA_panel_v2.csv", lines[:3] + [lines[2]] + lines[3:])
    with pytest.raises(DataError, match=r"PEMA_panel_v2\.csv, column 'mission_id_un', line \d+.*uniqueness"):
        pema.load_panel_v2(bad)


# ---------------------------------------------------------------- v1.2 resolutions

def test_v12_paragraph_cells_become_booleans(v12_fx, load_once):
    raw = pd.read_csv(v12_fx, dtype=str, keep_default_na=False)
    assert raw.loc[4, "OffensOper_Security"] == "9, 12b"  # quoted cell with a comma
    assert raw.loc[5, "ArmsEmbargo_Monitor"] == " "  # a single blank
    df = load_once(pema.load_resolutions_v1_2, v12_fx).set_index("resolution_id_un")
    assert df.loc["S/RES/9100", "has_offensoper_security"] == True  # noqa: E712
    assert df.loc["S/RES/9100", "has_useofforce"] == True  # noqa: E712
    assert df.loc["S/RES/9120", "has_armsembargo_monitor"] == False  # noqa: E712 - blank is absent
    assert df.loc["S/RES/8010", "has_offensoper_security"] == False  # noqa: E712
    assert df[[c for c in df.columns if c.startswith("has_")]].notna().all().all()


def test_v12_task_names_harmonised_with_panel(v12_fx, load_once):
    df = load_once(pema.load_resolutions_v1_2, v12_fx).set_index("resolution_id_un")
    assert df.loc["S/RES/8120", "has_polpartyassist_assist"] == True  # noqa: E712 (PartyAssistance)
    assert df.loc["S/RES/8150", "has_refugeeidps_assist"] == True  # noqa: E712 (RefugeesIDPs)
    panel_tasks = set(pema.task_columns(panel=True))
    assert panel_tasks < set(df.columns)


def test_v12_year_date_conflict_settled_by_resolution_order(v12_fx, load_once):
    raw = pd.read_csv(v12_fx, dtype=str, keep_default_na=False)
    assert tuple(raw.loc[2, ["Year", "Date"]]) == ("1993", "05/11/1994")
    df = load_once(pema.load_resolutions_v1_2, v12_fx).set_index("resolution_id_un")
    assert df.loc["S/RES/8120", "date"] == pd.Timestamp("1993-11-05")
    assert df.loc["S/RES/8120", "is_date_year_mismatch"] == True  # noqa: E712
    assert df["is_date_year_mismatch"].sum() == 1


def test_v12_year_date_conflict_kept_when_date_fits(v12_fx, tmp_path):
    lines = _lines(v12_fx)
    lines[3] = lines[3].replace("S/RES/8120,UNOMOZ,Mozambique,1993,05/11/1994",
                                "S/RES/8120,UNOMOZ,Mozambique,1994,05/11/1993")
    p = _write(tmp_path, "PEMA_Feb22_v1.2.csv", lines)
    df = pema.load_resolutions_v1_2(p).set_index("resolution_id_un")
    assert df.loc["S/RES/8120", "date"] == pd.Timestamp("1993-11-05")


def test_v12_undecidable_year_date_conflict_names_row(v12_fx, tmp_path):
    lines = _lines(v12_fx)
    lines[3] = lines[3].replace("S/RES/8120,UNOMOZ,Mozambique,1993,05/11/1994",
                                "S/RES/8120,UNOMOZ,Mozambique,1999,05/11/1994")
    p = _write(tmp_path, "PEMA_Feb22_v1.2.csv", lines)
    with pytest.raises(DataError, match=r"PEMA_Feb22_v1\.2\.csv, column 'Date', line 4: Year 1999"):
        pema.load_resolutions_v1_2(p)


def test_v12_bad_date_format_names_row(v12_fx, tmp_path):
    lines = _lines(v12_fx)
    lines[2] = lines[2].replace("13/04/1993", "13-Apr-93")
    p = _write(tmp_path, "PEMA_Feb22_v1.2.csv", lines)
    with pytest.raises(DataError, match=r"v1\.2\.csv, column 'Date', line 3: bad date '13-Apr-93'"):
        pema.load_resolutions_v1_2(p)


def test_v12_blank_mandate_flags_are_missing(v12_fx, load_once):
    df = load_once(pema.load_resolutions_v1_2, v12_fx).set_index("resolution_id_un")
    assert pd.isna(df.loc["S/RES/9120", "is_mandate_complete_adjustment"])
    assert df.loc["S/RES/9120", "is_mandate_renewal"] == True  # noqa: E712


def test_v12_unknown_country_and_bad_signature_name_row(v12_fx, tmp_path):
    lines = _lines(v12_fx)
    p = _write(tmp_path, "PEMA_Feb22_v1.2.csv",
               [lines[0], lines[1].replace("Mozambique", "Narnia"), *lines[2:]])
    with pytest.raises(DataError, match=r"column 'Country', line 2: unknown code 'Narnia'"):
        pema.load_resolutions_v1_2(p)
    p = _write(tmp_path, "PEMA_Feb22_v1.2.csv",
               [lines[0], lines[1].replace("S/RES/8010", "RES 8010"), *lines[2:]])
    with pytest.raises(DataError, match=r"column 'Signature', line 2"):
        pema.load_resolutions_v1_2(p)


def test_v12_missing_task_column_is_named(v12_fx, tmp_path):
    lines = _lines(v12_fx)
    lines[0] = lines[0].replace("CivProtect_Security", "CivProtectSecurity")
    p = _write(tmp_path, "PEMA_Feb22_v1.2.csv", lines)
    with pytest.raises(DataError, match=r"PEMA_Feb22_v1\.2\.csv, column 'civprotect_security'"):
        pema.load_resolutions_v1_2(p)


# ---------------------------------------------------------------- expansion to months

def _months(df, mission):
    return df[df.mission_id_un == mission].set_index(["year", "month"])


def test_expand_each_resolution_governs_until_next(v12_fx, load_once):
    res = load_once(pema.load_resolutions_v1_2, v12_fx)
    m = _months(pema.expand_resolutions(res), "ONUMOZ")
    assert m.index[0] == (1992, 12) and m.index[-1] == (1994, 1)
    assert len(m) == 14  # 1992-12 .. 1994-01, no gaps
    assert m.loc[(1993, 3), "resolution_id_un"] == "S/RES/8010"
    assert m.loc[(1993, 4), "resolution_id_un"] == "S/RES/8050"
    assert m.loc[(1993, 11), "resolution_id_un"] == "S/RES/8120"


def test_expand_carries_tasks_forward_until_complete_adjustment(v12_fx, load_once):
    res = load_once(pema.load_resolutions_v1_2, v12_fx)
    m = _months(pema.expand_resolutions(res), "ONUMOZ")
    # S/RES/8010 PoC carried through 8050/8120 (no complete adjustment) ...
    assert m.loc[(1993, 12), "has_civprotect_security"] == True  # noqa: E712
    assert m.loc[(1993, 12), "has_polpartyassist_assist"] == True  # noqa: E712
    # ... and reset by S/RES/8150, a complete adjustment without PoC
    assert m.loc[(1994, 1), "has_civprotect_security"] == False  # noqa: E712
    assert m.loc[(1994, 1), "has_refugeeidps_assist"] == True  # noqa: E712
    naive = _months(pema.expand_resolutions(res, carry_forward=False), "ONUMOZ")
    assert naive.loc[(1993, 12), "has_civprotect_security"] == False  # noqa: E712


def test_expand_same_month_resolutions_latest_governs(v12_fx, load_once):
    res = load_once(pema.load_resolutions_v1_2, v12_fx)
    m = _months(pema.expand_resolutions(res), "MONUSCO")
    # S/RES/9130 (15 July) and S/RES/9120 (30 July) in the same month: the later one governs
    assert m.loc[(2013, 7), "resolution_id_un"] == "S/RES/9120"
    assert m.loc[(2013, 7), "has_humanrights_monitor"] == True  # noqa: E712 (carried from 9130)
    assert m.loc[(2013, 12), "has_offensoper_security"] == True  # noqa: E712 (carried from 9100)
    assert m.loc[(2014, 3), "has_offensoper_security"] == False  # noqa: E712 (complete adjustment)


def test_expand_last_resolution_until_last_month_and_cap(v12_fx, load_once):
    res = load_once(pema.load_resolutions_v1_2, v12_fx)
    alone = pema.expand_resolutions(res)
    assert _months(alone, "MONUSCO").index[-1] == (2014, 3)  # only its adoption month by default
    longer = pema.expand_resolutions(res, {"MONUSCO": (2014, 8), "MINURSO": (2019, 6)})
    assert _months(longer, "MONUSCO").index[-1] == (2014, 8)
    # never beyond the registered end of the v1.2 file (2017-12)
    assert _months(longer, "MINURSO").index[-1] == (2017, 12)
    capped = pema.expand_resolutions(res, {"MINURSO": (2019, 6)}, end=(2017, 6))
    assert _months(capped, "MINURSO").index[-1] == (2017, 6)
    assert not alone.duplicated(["mission_id_un", "year", "month"]).any()


# ---------------------------------------------------------------- harmonised mandates

@pytest.fixture(scope="module")
def mandates():
    fx = Path(__file__).parents[1] / "fixtures"
    return mandates_monthly_from(pema.load_panel_v2(fx / "pema" / "PEMA_panel_v2.csv"),
                                 pema.load_resolutions_v1_2(fx / "pema" / "PEMA_Feb22_v1.2.csv"),
                                 tamm.load_mission_month(fx / "tamm" / "TAMM_v2.1_mission_month.csv"))


def test_mandates_schema_and_key(mandates):
    SCHEMA_MANDATES_MONTHLY.validate(mandates)
    assert not mandates.duplicated(["mission_id_un", "year", "month"]).any()
    assert mandates["mission_id_un"].notna().all()
    # TAMM's only 2013-12 row is MISCA (AU-led, not a UN mission): dropped
    assert not ((mandates.year == 2013) & (mandates.month == 12) & mandates.is_in_tamm).any()


def test_mandates_precedence_and_sources(mandates):
    m = mandates.set_index(["mission_id_un", "year", "month"])
    # PEMA v2 and TAMM both cover MINUSMA 2013-08: PoC from PEMA, Chapter VII from TAMM
    r = m.loc[("MINUSMA", 2013, 8)]
    assert r["has_poc_mandate"] == True and r["has_poc_mandate_source"] == "pema_v2"  # noqa: E712
    assert r["has_poc_mandate_tamm"] == False  # noqa: E712 - kept side by side
    assert r["is_chapter_vii"] == True and r["is_chapter_vii_source"] == "tamm"  # noqa: E712
    assert r["has_partner_coop_au"] == True  # noqa: E712
    # TAMM only (after the PEMA panel's last month): PoC falls back to TAMM
    r = m.loc[("MINUSMA", 2013, 10)]
    assert r["has_poc_mandate_source"] == "tamm" and pd.isna(r["has_poc_mandate_pema_v2"])
    # PEMA only: no TAMM value, Chapter VII missing (not False)
    r = m.loc[("MINUSMA", 2013, 4)]
    assert pd.isna(r["is_chapter_vii"]) and pd.isna(r["is_chapter_vii_source"])
    assert pd.isna(r["has_partner_coop_au"])


def test_mandates_use_of_force_and_offensive_from_v12_in_africa(mandates):
    m = mandates.set_index(["mission_id_un", "year", "month"])
    r = m.loc[("MONUSCO", 2013, 5)]
    assert r["has_offensive_mandate"] == True and r["has_offensive_mandate_source"] == "pema_v1_2"  # noqa: E712
    assert r["has_use_of_force"] == True and r["has_use_of_force_source"] == "pema_v1_2"  # noqa: E712
    # Africa in v2 (MINUSMA): use of force not coded there, no v1.2 row -> NA, never False
    r = m.loc[("MINUSMA", 2013, 6)]
    assert pd.isna(r["has_use_of_force"]) and pd.isna(r["has_offensive_mandate"])
    # outside Africa: v2 use of force, offensive operations NA
    r = m.loc[("UNMIH", 1993, 12)]
    assert r["has_use_of_force"] == True and r["has_use_of_force_source"] == "pema_v2"  # noqa: E712
    assert pd.isna(r["has_offensive_mandate"])


def test_mandates_never_filled_outside_sources(mandates):
    m = mandates.set_index(["mission_id_un", "year", "month"])
    assert ("UNTSO", 1948, 5) in m.index and ("UNTSO", 1948, 8) not in m.index
    # MINURSO's last v1.2 resolution (2017-04) is not carried beyond its month without a panel month
    assert m.loc[("MINURSO",)].index.max() == (2017, 4)
    untso = m.loc[("UNTSO", 1948, 5)]
    assert pd.isna(untso["has_poc_mandate_pema_v2"]) and not untso["is_in_pema_v2"]


def test_source_agreement_counts(mandates):
    a = source_agreement(mandates, "has_poc_mandate", "pema_v2", "tamm")
    assert a["n"] == 2 and a["agreement"] == 0.5 and a["only_a"] == 1
