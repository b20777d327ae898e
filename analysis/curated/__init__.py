"""Curated tables we author (``data/curated/*.csv``): loaders, schemas and coding rules.

Four hand-coded tables, built from the maintainers' reference tables (one citation
per row, see ``source``) and committed with the code:

==============================  ============================================  ==============================
file                            one row per                                   key
==============================  ============================================  ==============================
``mandates_2016_2024.csv``      UN PKO x Security Council resolution          (mission_id_un, resolution)
``partner_operations.csv``      non-UN military operation (Africa, 2000-)     operation_id
``personnel_2020_2024.csv``     mission x date x figure type                  (mission_id_un, date,
                                                                              figure_type)
``jihadist_actors.csv``         UCDP actor                                    ucdp_actor_id
==============================  ============================================  ==============================

Rules common to all tables
--------------------------
* ``source``: a citation on every row (URL without scheme, or a published dataset).
  Rows resting on memory alone say so in ``source`` (``memory_unverified: ...``).
* ``verification``: ``verified`` = the key facts of the row are in the cited
  source(s); ``partly_verified`` = some facts rest on inference, memory or another
  dataset (those cells are empty and the claim is kept in ``note``/``*_basis``);
  ``memory_unverified`` = the row rests on memory only.
* Memory-only values are never typed facts: the typed column is empty (NA) and the
  claim is kept as text in ``note`` or a ``*_basis`` column. For
  ``memory_unverified`` rows the loader enforces this (see :data:`MEMORY_COLUMNS`).
  "not found" values stay empty.
* No copies of other datasets' cells (Kathman, PEMA, TAMM, UCDP): a value that
  rests only on such a dataset is left empty and the dataset is cited; PEMA
  paragraph codes or TAMM baseline values appear in ``*_basis``/``note`` as
  cross-references only. Identifiers (resolution symbols, UCDP actor ids and
  names) are kept because they are needed as keys.
* Dates are ISO ``YYYY-MM-DD``; each date has a ``*_precision`` column (``day``,
  ``month``, ``year``). A month-precise date is stored as the 1st of the month, a
  year-precise date as 1 January. Where only the year was sourced (e.g. the year
  of the resolution symbol or of the press-release URL) the precision is ``year``.
* Booleans are ``true``/``false``/empty in the files and pandas ``boolean`` in the
  frames; empty = not settled by a cited source.

Mandates (``mandates_2016_2024.csv``)
-------------------------------------
All renewal, technical-rollover, adjustment, establishment and termination
resolutions 2016-2024 of the UN PKOs, plus two related resolutions on support to
partner forces (S/RES/2391 G5 Sahel Joint Force, S/RES/2746 SAMIDRC). UNMIK,
UNTSO and UNMOGIP have open-ended mandates and no renewal resolution in
2016-2024: they have no rows. S/RES/2350 has one row for MINUSTAH (closed) and
one for MINUJUSTH (created).

* ``is_chapter_vii``: true only where a cited source (press release, resolution
  text, or a report quoting them) says the Council acted under Chapter VII;
  false only where a source says it did not (S/RES/2391). A value inferred from
  the TAMM December-2015 baseline (e.g. UNIFIL, UNDOF, UNFICYP, MINURSO "no") or
  from memory is left empty, with the reference text in ``chapter_vii_basis``.
* ``has_poc_mandate``, ``has_all_necessary_means``, ``has_offensive_mandate``,
  ``has_partnership_language``: true where the cited source reports the language;
  false where the cited summary of the resolution (usually a press release, not the
  full text) reports no such language, or states the opposite; empty where the
  reference cell is unclear, from memory, not applicable, or rests only on PEMA
  codes / the TAMM baseline. This "false" is weaker than a reading of the full text.
* ``has_offensive_mandate`` counts offensive, neutralising or pre-emptive language
  against armed groups ("targeted offensive operations", the Force Intervention
  Brigade, "neutralize", "eliminate the threat", "engage any actor ... preparing
  attacks") and the robust-posture formula ("proactive and robust posture",
  "robust action").
* ``has_partnership_language`` counts language on non-UN forces other than the
  host state's own forces: authorising, supporting or sharing intelligence with
  bilateral (e.g. French), regional or ad hoc forces (G5 Sahel Joint Force,
  SAMIDRC), or joint AU-UN reporting. Cooperation with host-state forces (FARDC,
  Lebanese Armed Forces) is not counted (UNIFIL rows: empty, text in basis).
  UNAMID's hybrid AU-UN structure alone is not counted.
* ``is_resolution_number_sourced``: false where the resolution number itself is
  from memory (it is kept because it is the key).

Partner operations (``partner_operations.csv``)
-----------------------------------------------
Non-UN military operations in Africa 2000-2024 (plus AUSSOM, 2025, for
continuity). The two civilian EU missions of the reference table (EUCAP Sahel
Mali, EUCAP Sahel Niger) are not military operations and are left out.

``org_type`` rule: ``regional`` = AU, ECOWAS, ECCAS, SADC, EAC (incl. AU-ECOWAS
AFISMA); ``eu`` = EU CSDP operations; ``nato`` = NATO; ``bilateral`` = one
state's forces deployed by that state (French, US, Rwandan, Ugandan/Burundian
operations); ``ad_hoc`` = coalitions of states outside a standing organisation's
own command (G5 Sahel Joint Force, MNJTF, Task Force Takuba); ``pmc`` = private
military companies (Wagner / Africa Corps). An empty ``date_end`` means the
operation was ongoing at the source's date (the note says so) or the end date is
known from memory only (the note says which). ``peak_strength_n`` holds only a
number a source states as the force size, with ``strength_type`` (authorized,
deployed, planned); approximate or bounded figures ("~", "over", "up to") are in
the note. ``has_unsc_authorisation``: the Security Council authorised the
operation itself (welcoming it, or authorising a UN mission to support it, does
not count); ``is_chapter_vii_authorised`` is false when there is no
authorisation and empty when the cited sources do not state Chapter VII.
``unsc_resolutions`` lists the resolutions the sources link to the operation
(authorising, welcoming or supporting it; the note says which).

``host_iso3`` rule: the states **where the force operates** (its area of operations,
sectors or bases from which it conducts operations), not every member or troop-contributing
state. MNJTF: Nigeria, Cameroon, Chad and Niger (its sectors around Lake Chad), not Benin
(a member and contributor without a sector); the G5 Sahel Joint Force: its five member
states, each of which held a border sector of its area of operations. An operation without
a start date cannot be placed in time: the panels leave its hosts' partner indicators **NA**
(not False) in every year the curated table covers up to its end (or to the table's last
year), unless another, dated operation makes them True.

Personnel (``personnel_2020_2024.csv``)
---------------------------------------
``deployed`` rows: stocks a source states for a date. Only an exact uniformed
figure goes into the count columns; approximate, lower-bound or
civilian-inclusive figures are quoted in ``note`` and the counts stay empty.
``authorized`` rows: ceilings set by a resolution (``resolution``), dated at
adoption (or at the date from which the ceiling applies). ``troops_n`` on
authorized rows is the military ceiling as stated, which may include military
observers and staff officers (the note says so); ``observers_n`` is filled only
where the resolution states them separately. ``personnel_total_n`` is never
computed. Deployed figures for 2016-2019 are in the Kathman dataset
(``analysis.sources.kathman_pko_personnel``) and are not repeated here.

Jihadist actors (``jihadist_actors.csv``)
-----------------------------------------
UCDP actors that are, or were considered as, jihadist: all ACD v25.1 ``side_b``
actors of the reference table plus four UCDP Non-State actors (``is_in_acd``
false; their names are the Non-State v22.1 spellings). UCDP codes every
Islamic State branch (ISWAP, IS Sahel, ISCAP, Sinai, ...) as the single actor
``IS`` (234): the branches are described in that row's note, not as rows. Groups
without a UCDP actor id (HTS, Ansar al-Sharia in Tunisia, Ansaru) have no rows.

``affiliation`` rule: ``AQ`` / ``IS`` = a cited source (or the UCDP actor name
itself, e.g. AQIM, AQAP) shows the group is or was a formal branch or affiliate
of al-Qaida / the Islamic State, pledged allegiance to it, or merged into such a
branch (e.g. Ansar Dine into JNIM); the period is in the note. ``other`` =
Islamist armed group with no formal AQ/IS tie in the cited sources;
``not_aq_is`` = group placed outside the AQ/IS family (Islamist-nationalist).
Empty = the classification rests on memory only, or the actor is an aggregate
(``Syrian insurgents``); the reference text is in ``affiliation_basis``, which
also says when an ``other``/``not_aq_is`` label has no source beyond UCDP.
``is_jihadist`` = true for ``AQ`` and ``IS``, false for ``other`` and
``not_aq_is`` (default for borderline groups: false; filter on
``affiliation == "other"`` for a wider definition), empty when ``affiliation`` is
empty. The loader enforces this rule.
"""

from __future__ import annotations

from analysis.curated.schemas import (
    FILE_JIHADIST_ACTORS,
    FILE_MANDATES,
    FILE_PARTNER_OPERATIONS,
    FILE_PERSONNEL,
    MANDATES_YEARS,
    MEMORY_COLUMNS,
    PARTNER_OPERATIONS_YEARS,
    PERSONNEL_YEARS,
    SCHEMA_JIHADIST_ACTORS,
    SCHEMA_MANDATES,
    SCHEMA_PARTNER_OPERATIONS,
    SCHEMA_PERSONNEL,
    VERIFICATION,
)
from analysis.curated.tables import (
    CURATED,
    CuratedSpec,
    load_jihadist_actors,
    load_mandates,
    load_partner_operations,
    load_personnel,
)

__all__ = [
    "CURATED",
    "FILE_JIHADIST_ACTORS",
    "FILE_MANDATES",
    "FILE_PARTNER_OPERATIONS",
    "FILE_PERSONNEL",
    "MANDATES_YEARS",
    "MEMORY_COLUMNS",
    "PARTNER_OPERATIONS_YEARS",
    "PERSONNEL_YEARS",
    "SCHEMA_JIHADIST_ACTORS",
    "SCHEMA_MANDATES",
    "SCHEMA_PARTNER_OPERATIONS",
    "SCHEMA_PERSONNEL",
    "VERIFICATION",
    "CuratedSpec",
    "load_jihadist_actors",
    "load_mandates",
    "load_partner_operations",
    "load_personnel",
]
