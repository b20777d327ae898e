"""Audit of the essay's checkable claims against the data (``data/curated/essay_claims.csv``).

The essay (``essay_gwot_and_peace_operations.txt``, kept with the maintainers' reference tables
in ``../shared/reference/``) makes factual statements about UN peacekeeping, partner
operations, jihadist conflict and coups. Each checkable statement is one row of the curated
table ``essay_claims.csv``: a short verbatim quotation, where it stands (section and line of
the text copy - the copy carries no page numbers), how we test it, with which tables and
columns, and the rule that turns our number into a verdict. Statements our data cannot test
are rows too, with the reason (``is_testable`` false), so nothing is silently dropped.

One evaluation function per claim (registry :data:`EVALUATORS`, ``claim_id -> function``)
takes a mapping of frames (``tables[name]``), never loads data, and returns a
:class:`ClaimVerdict`: our number, the essay's number, the verdict (``supported``,
``partly supported``, ``contradicted`` or ``not testable``), the data vintage, a caveat
and a detail frame for a figure (:mod:`analysis.plots.claims`). :func:`evaluate_all` loads
what the selected claims need and evaluates every row.

Conventions
-----------
* "Casualties" in the essay are deaths. For the Cruz Report's 91 (MINUSMA, 2013-2017) they are
  read as deaths from hostile acts (UN incident type "Malicious Act", our ``cause ==
  "hostile"``) of all personnel types; the sensitivity frame gives uniformed personnel only,
  other cut-off dates and all causes. For the 309 "as of 30 June 2023" they are all
  fatalities, as on the UN fatalities page the essay cites.
* Numbers that differ because the data were updated after the essay (later registration of a
  death, for example) are explained in the caveat, never hidden or adjusted.
* Verdict tiers are written in each row's ``rule``; ``threshold`` holds the rule's number
  (for ``equals_within`` the relative tolerance: 0.05 = 5 %, 0 = exact). The function's
  ``threshold`` default equals the file's value (a unit test checks this), and
  :func:`evaluate_all` passes the file's value.
* Regions: Africa = ``country_codes.is_africa`` (North Africa and Egypt included); Middle
  East = G-W region "Middle East" minus African states (so Sudan and South Sudan are Africa,
  Afghanistan and Pakistan are Asia).

Schema of ``essay_claims.csv``
------------------------------
``claim_id`` (slug, key), ``quotation`` (verbatim), ``section``, ``essay_number`` (the number
the essay states, empty when none), ``operationalisation``, ``tables`` (';'-joined table
names; curated tables as ``curated.<name>``), ``columns``, ``rule``, ``rule_kind``
(:data:`RULE_KINDS`), ``threshold``, ``is_testable``, ``why_not_testable``, ``source`` (essay
section and line), ``verification`` (``verified`` = quotation checked verbatim in the essay,
see :func:`unquoted_claims`), ``note``.
"""

from analysis.curated.claims import (
    ESSAY_FILE,
    FILE_CLAIMS,
    RULE_KINDS,
    SCHEMA_CLAIMS,
    SECTIONS,
    claims_path,
    essay_path,
    load_claims,
    normalise_text,
    unquoted_claims,
)
from analysis.studies.claims.base import (
    COUP_WAVE_YEARS,
    ECOWAS_BARA_NAMES,
    ECOWAS_CURATED_IDS,
    ECOWAS_HOSTS,
    EVALUATORS,
    LARGE_MISSION_N,
    MINUSMA_CUTOFF,
    MINUSMA_YEARS,
    MNJTF_ESSAY,
    NOW_YEARS,
    OTHER_LARGE_PKOS,
    PARTNER_SHARE_GAIN,
    SAHEL_STATES,
    SPECS,
    UNIFORMED,
    US_WITHDRAWN_MAX,
    VERDICTS,
    ClaimError,
    ClaimSpec,
    ClaimVerdict,
    Verdict,
    claim_title,
    data_vintage,
    judge_levels,
    judge_within,
)
from analysis.studies.claims.evaluate import (
    check_registry,
    claims_data_versions,
    evaluate_all,
    evaluate_claim,
    load_table,
    select_claims,
    tables_needed,
    verdict_table,
)
from analysis.studies.claims.fatalities import (
    hostile_deaths_increasing_to_2017,
    improvement_after_2017_not_dramatic,
    minusma_constant_security_threat,
    minusma_deadliest_pko_2013_2017,
    minusma_deaths_to_2023_06_30,
    minusma_hostile_deaths_2013_2017,
    other_large_pkos_dozens_2013_2017,
    poisson_slope,
    yearly_hostile,
)
from analysis.studies.claims.jihadism import (
    actor_emergence,
    aq_is_affiliates_emerged_africa_21c,
    islamist_groups_africa_vs_middle_east,
    jihadist_countries,
    region_label,
)
from analysis.studies.claims.mandates import (
    large_21c_missions_have_poc,
    minusma_mandate_table,
    minusma_no_neutralization_mandate,
    mission_table,
    poc_always_with_chapter_vii,
    poc_chapter_vii_table,
)
from analysis.studies.claims.operations import (
    amisom_atmis_thousands_casualties,
    amisom_deadliest_case,
    amisom_established_2007,
    atmis_from_april_2022,
    downsizing_historically_rapid,
    ecowas_ipos_liberia_sierra_leone_cote_divoire,
    ipos_many_in_africa_few_in_middle_east,
    minusma_closure_decided_2023_06_30,
    mission_region,
    mnjtf_five_countries,
    no_un_pko_in_afghanistan_iraq,
    un_political_missions_afghanistan_iraq,
    untaet_unmik_established_1999,
    us_withdrawal_afghanistan_2021,
)
from analysis.studies.claims.partnership import (
    partnership_trend_21c,
    sahel_coups_follow_convergence,
)

__all__ = [
    "COUP_WAVE_YEARS",
    "ClaimError",
    "ClaimSpec",
    "ClaimVerdict",
    "ECOWAS_BARA_NAMES",
    "ECOWAS_CURATED_IDS",
    "ECOWAS_HOSTS",
    "ESSAY_FILE",
    "EVALUATORS",
    "FILE_CLAIMS",
    "LARGE_MISSION_N",
    "MINUSMA_CUTOFF",
    "MINUSMA_YEARS",
    "MNJTF_ESSAY",
    "NOW_YEARS",
    "OTHER_LARGE_PKOS",
    "PARTNER_SHARE_GAIN",
    "RULE_KINDS",
    "SAHEL_STATES",
    "SCHEMA_CLAIMS",
    "SECTIONS",
    "SPECS",
    "UNIFORMED",
    "US_WITHDRAWN_MAX",
    "VERDICTS",
    "Verdict",
    "actor_emergence",
    "amisom_atmis_thousands_casualties",
    "amisom_deadliest_case",
    "amisom_established_2007",
    "aq_is_affiliates_emerged_africa_21c",
    "atmis_from_april_2022",
    "check_registry",
    "claims_data_versions",
    "claim_title",
    "claims_path",
    "data_vintage",
    "downsizing_historically_rapid",
    "ecowas_ipos_liberia_sierra_leone_cote_divoire",
    "essay_path",
    "evaluate_all",
    "evaluate_claim",
    "hostile_deaths_increasing_to_2017",
    "improvement_after_2017_not_dramatic",
    "ipos_many_in_africa_few_in_middle_east",
    "islamist_groups_africa_vs_middle_east",
    "jihadist_countries",
    "judge_levels",
    "judge_within",
    "large_21c_missions_have_poc",
    "load_claims",
    "load_table",
    "minusma_closure_decided_2023_06_30",
    "minusma_constant_security_threat",
    "minusma_deadliest_pko_2013_2017",
    "minusma_deaths_to_2023_06_30",
    "minusma_hostile_deaths_2013_2017",
    "minusma_mandate_table",
    "minusma_no_neutralization_mandate",
    "mission_region",
    "mission_table",
    "mnjtf_five_countries",
    "no_un_pko_in_afghanistan_iraq",
    "normalise_text",
    "other_large_pkos_dozens_2013_2017",
    "partnership_trend_21c",
    "poc_always_with_chapter_vii",
    "poc_chapter_vii_table",
    "poisson_slope",
    "region_label",
    "sahel_coups_follow_convergence",
    "select_claims",
    "tables_needed",
    "un_political_missions_afghanistan_iraq",
    "unquoted_claims",
    "untaet_unmik_established_1999",
    "us_withdrawal_afghanistan_2021",
    "verdict_table",
    "yearly_hostile",
]
