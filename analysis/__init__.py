"""peaceops: peace operations, mandates, casualties and coups from pinned, verified data.

The import package is ``analysis``; the distribution is ``peaceops``.
Layers: ``analysis.sources`` (one module per raw source) -> ``analysis.core``
(core tables) -> ``analysis.data.load`` (cached parquet).
"""

__version__ = "0.1.0"
