"""One module per raw source.

Each module exposes the source's metadata as constants taken from the registry
(``SOURCE``, ``TITLE``, ``PRODUCER``, ``VERSION``, ``LICENSE``, ``CITATION``,
``YEARS``), one or more ``load_<table>(path=None)`` functions that return a
tidy DataFrame validated by a pandera schema (``SCHEMA_<TABLE>``), and handles
the quirks of the upstream file documented in the mirror README.

Loaders read only the local raw cache (``peaceops data fetch`` fills it) and
verify the sha256 on every load. Passing ``path=`` reads another file in the
same upstream format (used by the unit tests' synthetic fixtures); such a file
is not hash-checked because it is not registered.
"""

SOURCE_MODULES = (
    "cc_countrycode",
    "coups_cline_center",
    "coups_coupcats_thyne",
    "coups_powell_thyne",
    "cov_isard",
    "cov_wdi_gdp_pop_demspaces",
    "henke_un_fatalities",
    "intervention_us_troopdata_flynn",
    "kathman_pko_personnel",
    "owid_un_peacekeeping",
    "pema",
    "pko_un_nonun_bara_hultman",
    "tamm",
    "ucdp_acd",
    "ucdp_organized_violence_cy",
    "un_pko_fatalities",
    "un_pko_missions",
    "unsc_resolutions_unxml",
)
