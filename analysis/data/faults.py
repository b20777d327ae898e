"""Named points where the fault-injection tests kill or stop the process.

The writes that must survive a kill (a table's parquet and manifest, the swap of a report into
``reports/``) call :func:`fault_point` between their steps. It does nothing unless the
environment variable ``PEACEOPS_FAULT`` names that point::

    PEACEOPS_FAULT=<point>[:<action>]     action: kill (default, SIGKILL) or stop (SIGSTOP)

``kill`` ends the process on the spot, as a power cut or the OOM killer would (no ``finally``
runs); ``stop`` freezes it there until the test sends SIGCONT, which lets a test start a second
process while the first holds a lock or sits between two renames. A point fires once per
process (the first time it is reached; the variable is then cleared). The points are listed in
:data:`POINTS`; ``tests/integration/test_fault_injection.py`` uses them.
"""

from __future__ import annotations

import os
import signal

#: Environment variable naming the point (and action) to fault at.
ENV = "PEACEOPS_FAULT"

#: Every fault point, where it is, and what is on disk at that instant.
POINTS = {
    "build_parquet_written": "data build: new parquet complete in its temporary file, nothing renamed",
    "build_manifest_renamed": "data build: new manifest in place, parquet not yet (between the two renames)",
    "build_parquet_renamed": "data build: new manifest and parquet in place",
    "run_executed": "peaceops run: notebook executed in the staging folder, no journal yet",
    "run_journal_written": "peaceops run: swap journal written, nothing moved",
    "run_old_moved": "peaceops run: old output folder moved aside, new one not yet in place",
    "run_swapped": "peaceops run: every new output in place, old ones still in the staging folder",
}


def fault_point(name: str) -> None:
    """Kill or stop this process if ``PEACEOPS_FAULT`` names ``name`` (inert otherwise)."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    point, _, action = spec.partition(":")
    if point != name:
        return
    if name not in POINTS:  # pragma: no cover - a typo in a test
        raise ValueError(f"unknown fault point {name!r}; known: {', '.join(POINTS)}")
    del os.environ[ENV]  # once: a resumed process runs on
    os.kill(os.getpid(), signal.SIGSTOP if action == "stop" else signal.SIGKILL)
