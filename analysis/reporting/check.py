"""``peaceops run --check``: re-execute runs and compare with the committed ``results.json``."""

from __future__ import annotations

import logging
import math
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.config import reports_path
from analysis.reporting.execute import run_notebooks
from analysis.reporting.kernel import KERNEL_NAME
from analysis.reporting.plan import DEFAULT_SET, RunOutcome, RunTask, read_json
from analysis.reporting.staging import recover_reports

log = logging.getLogger(__name__)

#: Relative tolerance of ``peaceops run --check``.
CHECK_RTOL = 1e-6
#: Keys of a result that say how it is shown, not what it is: not compared.
PRESENTATION_KEYS = ("label", "format")

# --------------------------------------------------------------------------- check


def compare_results(
    expected: Mapping[str, Any], actual: Mapping[str, Any], *, rtol: float = CHECK_RTOL, atol: float = 1e-12
) -> list[str]:
    """Differences between the ``results`` of two ``results.json`` (labels and formats are not compared).

    Numbers must agree within ``rtol`` (relative) or ``atol`` (absolute, for values near 0);
    ``None`` equals ``None``; strings and booleans must be equal; keys must match.

    Returns
    -------
    list of str
        One line per difference, e.g. ``irr_robust.estimate: 0.512 != 0.498 (rel. diff 2.8e-02)``.
    """
    diffs: list[str] = []

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b)):
                if k in PRESENTATION_KEYS:
                    continue
                p = f"{path}.{k}" if path else str(k)
                if k not in b:
                    diffs.append(f"{p}: missing in the new run (committed {a[k]!r})")
                elif k not in a:
                    diffs.append(f"{p}: not in the committed results (new {b[k]!r})")
                else:
                    walk(a[k], b[k], p)
        elif isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                diffs.append(f"{path}: {len(a)} items committed, {len(b)} now")
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{path}[{i}]")
        elif (
            isinstance(a, int | float)
            and not isinstance(a, bool)
            and isinstance(b, int | float)
            and not isinstance(b, bool)
        ):
            if not math.isclose(a, b, rel_tol=rtol, abs_tol=atol):
                rel = abs(a - b) / max(abs(a), abs(b))
                diffs.append(f"{path}: committed {a!r}, now {b!r} (relative difference {rel:.1e})")
        elif a != b or type(a) is not type(b):
            diffs.append(f"{path}: committed {a!r}, now {b!r}")

    walk(dict(expected.get("results", {})), dict(actual.get("results", {})), "")
    return diffs


@dataclass
class CheckReport:
    """Outcome of :func:`check_reports`: per run, the differences found (empty: agrees)."""

    outcomes: list[RunOutcome]
    differences: dict[str, list[str]]

    @property
    def ok(self) -> bool:
        """Whether every run succeeded and agrees with the committed results."""
        return all(o.ok for o in self.outcomes) and not any(self.differences.values())


def check_reports(
    names: Sequence[str] = (),
    *,
    sets: Sequence[str] = (DEFAULT_SET,),
    jobs: int = 1,
    notebooks_dir: Path | None = None,
    reports_dir: Path | None = None,
    build_data: bool = True,
    data_versions: Mapping[str, Any] | None = None,
    rtol: float = CHECK_RTOL,
    progress: bool = True,
    kernel_name: str = KERNEL_NAME,
    executor: Callable[[RunTask], RunOutcome] | None = None,
) -> CheckReport:
    """Re-execute runs into a temporary folder and compare with the committed ``results.json``.

    Returns
    -------
    CheckReport
        ``differences`` maps ``<stem>/<set>`` to the lines of :func:`compare_results` (or to the
        reason the comparison was impossible: no committed results, failed run).
    """
    rdir = Path(reports_dir) if reports_dir else reports_path()
    recover_reports(rdir)  # the committed reports are compared: finish what a killed run left
    with tempfile.TemporaryDirectory(prefix="peaceops-check-") as tmp:
        summary = run_notebooks(
            names,
            sets=sets,
            jobs=jobs,
            force=True,
            notebooks_dir=notebooks_dir,
            reports_dir=Path(tmp),
            build_data=build_data,
            data_versions=data_versions,
            progress=progress,
            kernel_name=kernel_name,
            index=False,
            executor=executor,
        )
        diffs: dict[str, list[str]] = {}
        for o in summary.outcomes:
            key = f"{o.stem}/{o.label}"
            committed = read_json(rdir / o.stem / o.label / "results.json")
            fresh = read_json(Path(tmp) / o.stem / o.label / "results.json")
            if not o.ok:
                diffs[key] = [o.error]
            elif committed is None and fresh is None:
                diffs[key] = []  # the notebook records no results: nothing to compare
            elif committed is None:
                diffs[key] = [f"no committed results at {rdir / o.stem / o.label / 'results.json'}"]
            elif fresh is None:
                diffs[key] = ["the new run wrote no results.json"]
            else:
                diffs[key] = compare_results(committed, fresh, rtol=rtol)
    return CheckReport(summary.outcomes, diffs)


