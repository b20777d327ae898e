"""Core tables: tidy, one row per declared primary key, built from the sources.

One module per subject (:mod:`~analysis.core.countries`, :mod:`~analysis.core.un`,
:mod:`~analysis.core.mandates`, :mod:`~analysis.core.operations`, :mod:`~analysis.core.conflict`,
:mod:`~analysis.core.coups`); each declares its tables with :func:`analysis.data.tables.table`.
"""
