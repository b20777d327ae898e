"""Partnership treatment of notebook 04 (issue 10, item 6): undated operations are NA, one
definition per partner source, and which coups fall in treated years."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.panels.hosts import mask_undated, undated_partner_months
from analysis.studies.coups import coups_and_treatment, treatment_column


def test_undated_operation_leaves_its_hosts_unknown_unless_a_dated_one_is_there():
    ops = pd.DataFrame({"operation_id": ["w"], "org_type": ["pmc"], "host_iso3": ["CAF"],
                        "date_start": [pd.NaT], "date_end": [pd.Timestamp("2001-06-30")]})
    codes = pd.DataFrame({"country_id_gw": [482, 482, 482], "year": [2000, 2001, 2002],
                          "country_id_iso3": ["CAF"] * 3})
    unk = undated_partner_months(ops, codes)
    assert unk["_month"].min() == pd.Timestamp("2000-01-01")
    assert unk["_month"].max() == pd.Timestamp("2001-06-01")
    assert unk["unknown_pmc"].all() and not unk["unknown_eu"].any()
    x = pd.DataFrame({"country_id_gw": [482, 482, 482], "year": [2000, 2001, 2002]})
    for t in ("regional", "eu", "nato", "bilateral", "ad_hoc", "pmc"):
        x[f"has_partner_{t}"] = pd.array([False, False, False], dtype="boolean")
    x.loc[1, "has_partner_eu"] = True
    x["has_partner_op_curated"] = pd.array([False, True, False], dtype="boolean")
    x["partner_ops_curated_n"] = pd.array([0, 1, 0], dtype="Int64")
    out = mask_undated(x, unk.assign(year=unk["_month"].dt.year), ["country_id_gw", "year"])
    assert out["has_partner_pmc"].isna().tolist() == [True, True, False]
    assert out["has_partner_op_curated"].tolist()[1] is True  # a dated operation is known
    assert pd.isna(out.loc[0, "has_partner_op_curated"]) and not out.loc[2, "has_partner_op_curated"]
    assert pd.isna(out.loc[0, "partner_ops_curated_n"])


def test_treatment_column_per_partner_source():
    assert treatment_column("has_partnership", "curated") == "has_partnership_curated"
    assert treatment_column("has_partnership", "combined") == "has_partnership"
    assert treatment_column("has_partner_op", "bara_hultman") == "has_nonun_op_bara"
    assert treatment_column("has_un_pko", "bara_hultman") == "has_un_pko"
    with pytest.raises(ValueError, match="curated table"):
        treatment_column("has_partner_pmc", "bara_hultman")
    with pytest.raises(ValueError, match="partner_source"):
        treatment_column("has_partnership", "both")  # type: ignore[arg-type]


def test_coups_untreated_by_construction_are_named():
    data = pd.DataFrame({"country_id_gw": [432, 439, 436], "country_name": ["Mali", "Burkina Faso", "Niger"],
                         "year": [2021, 2022, 2023], "has_coup_attempt": [True, True, True],
                         "has_partnership_curated": [True, False, False]})
    cy = pd.DataFrame({"country_id_gw": [432, 439, 436], "year": [2020, 2021, 2022],
                       "has_un_pko": pd.array([True, False, False], dtype="boolean")})
    out = coups_and_treatment(data, cy, outcome="has_coup_attempt", treatment="has_partnership_curated",
                              lag=1, since=2019)
    empty = coups_and_treatment(data, cy, outcome="has_coup_attempt", treatment="has_partnership_curated",
                                lag=1, since=2030)
    assert empty.empty and str(empty["why"].dtype) == "string"
    assert out["why"].tolist() == ["treated: a UN PKO and a partner operation",
                                   "untreated by construction: no UN PKO in the state",
                                   "untreated by construction: no UN PKO in the state"]
