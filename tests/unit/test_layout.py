"""The package layout keeps issue 9's size rule: no module of ``analysis/`` above 800 lines."""

from __future__ import annotations

from pathlib import Path

import analysis

MAX_LINES = 800


def test_no_module_of_the_package_exceeds_the_size_rule():
    root = Path(analysis.__file__).parent
    modules = sorted(root.rglob("*.py"))
    assert len(modules) > 50  # the package, not an empty folder
    too_long = {
        str(p.relative_to(root.parent)): n
        for p in modules
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"split along natural seams (docs/architecture.md, Models): {too_long}"
