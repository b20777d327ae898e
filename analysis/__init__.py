"""peaceops: peace operations, mandates, casualties and coups from pinned, verified data.

The import package is ``analysis``; the distribution is ``peaceops``. One folder per stage, data
flowing one way (``docs/architecture.md``):

``data`` (registry, fetch, build, load, fields, codebook) -> ``sources`` (one module per raw
source) -> ``core`` (core tables) -> ``panels`` (composable ``add_*`` verbs) -> ``models``
(frames in, results out) -> ``studies`` (notebook-facing preparation) -> ``plots`` (figures) ->
``reporting`` (``peaceops run``, the Reporter, ``reports/index.html``). ``curated`` holds the
hand-coded tables; ``vocabulary``, ``config`` and ``errors`` are shared by all stages.
"""

__version__ = "0.1.0"
