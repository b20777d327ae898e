"""Years covered by each source the panels join, read from the registry (and the curated tables'
declared years), never typed in panel code. Outside these years a panel value is NA.

The one design choice here is :data:`FIRST_YEAR`, the start of the analysis period.
"""

from __future__ import annotations

from analysis.curated import MANDATES_YEARS as MANDATES_YEARS
from analysis.curated import PARTNER_OPERATIONS_YEARS as PARTNER_OPERATIONS_YEARS
from analysis.data.registry import raw_file
from analysis.sources import (
    coups_powell_thyne,
    kathman_pko_personnel,
    pema,
    pko_un_nonun_bara_hultman,
    ucdp_acd,
    ucdp_organized_violence_cy,
)

#: Start of the analysis period (design, not coverage): the post-Cold War era of peacekeeping.
FIRST_YEAR = 1990

#: Kathman's monthly personnel of UN missions.
PERSONNEL_YEARS = raw_file(kathman_pko_personnel.SOURCE, kathman_pko_personnel.FILE).years
#: Bara & Hultman's UN and non-UN peacekeeping by month (every host country).
NONUN_YEARS = raw_file(pko_un_nonun_bara_hultman.SOURCE, pko_un_nonun_bara_hultman.FILE).years
#: PEMA's mandate panel (v2), the latest mandate codings of ``mandates_monthly``.
PEMA_YEARS = raw_file(pema.SOURCE, pema.FILE_PANEL).years
#: UCDP/PRIO Armed Conflict Dataset (the version the panels use).
ACD_YEARS = raw_file(ucdp_acd.SOURCE, ucdp_acd.FILE).years
#: UCDP organized violence, country-year deaths.
UCDP_DEATHS_YEARS = raw_file(ucdp_organized_violence_cy.SOURCE, ucdp_organized_violence_cy.FILE).years
#: First year of the coup event lists (Powell & Thyne): the coup clock counts from it.
COUPS_FIRST_YEAR = raw_file(coups_powell_thyne.SOURCE, coups_powell_thyne.FILE).year_start
#: Years of ``country_years``: the analysis period up to the last year of conflict data.
COUNTRY_YEARS = (FIRST_YEAR, ACD_YEARS[1])
