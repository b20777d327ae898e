"""One region rule for UN missions, in the panels and the claims (issue 10, item 10)."""

from __future__ import annotations

import pandas as pd

from analysis.vocabulary import AFRICA, host_region, mission_region


def test_mission_region_rule():
    untso = ["Africa", "Middle East", "Middle East", "Middle East", "Middle East"]
    assert mission_region(untso) == "Middle East"
    assert mission_region(["Africa", "Africa"]) == AFRICA
    assert mission_region(["Africa", "Middle East"]) == "Middle East"  # half is not more than half
    assert mission_region(["Europe", "Asia"]) == "Asia"  # tie: alphabetical
    assert mission_region([]) is None


def test_host_region_treats_unknown_africanness_as_not_african():
    assert host_region(True, "Middle East") == AFRICA  # Egypt, Sudan
    assert host_region(False, "Middle East") == "Middle East"
    assert host_region(pd.NA, "Europe") == "Europe"
    assert host_region(pd.NA, pd.NA) == "unknown"


def test_panels_and_claims_use_the_same_rule():
    from analysis.studies.claims.operations import mission_region as claims_region

    um = pd.DataFrame({"mission_id_un": ["UNTSO", "UNMISS"], "host_iso3": ["EGY;ISR;JOR;LBN;SYR", "SSD"]})
    cc = pd.DataFrame({"country_id_iso3": ["EGY", "ISR", "JOR", "LBN", "SYR", "SSD"], "year": [2020] * 6,
                       "is_africa": pd.array([True, False, False, False, False, True], dtype="boolean"),
                       "region": ["Middle East"] * 5 + ["Middle East"]})
    got = claims_region(um, cc)
    assert got["UNTSO"] == mission_region([host_region(a, r) for a, r in zip(cc["is_africa"][:5],
                                                                               cc["region"][:5])])
    assert got["UNTSO"] == "Middle East" and got["UNMISS"] == AFRICA
