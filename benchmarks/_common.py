"""What the benchmark scripts share: the project root on ``sys.path``, best-of-n timing, and
writing ``benchmarks/results/<name>.json`` (git-ignored) atomically."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Best wall time (seconds) of ``repeat`` calls of ``fn``."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def write_results(name: str, res: Any) -> Path:
    """Write ``res`` as ``benchmarks/results/<name>.json`` (temp file, then rename)."""
    from analysis.data.hashing import atomic_write_text

    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    atomic_write_text(path, json.dumps(res, indent=2) + "\n")
    return path
