"""Build step that bundles the checkout's curated tables and notebooks with the package.

Metadata, dependencies and package data are declared in ``pyproject.toml``; this file only adds
one step to ``build_py``. The hand-coded tables (``data/curated/*.csv``) and the notebooks
(``notebooks/NN_*.ipynb|.py`` and ``notebooks/params/*.yaml``) are edited in the checkout and
never copied into ``analysis/`` in the source tree; a built wheel (also the one pip builds from
the sdist, which carries these folders through ``MANIFEST.in``) gets copies under
``analysis/_bundled/``, read by an installed package (``analysis.config``). Editable installs
read the checkout's folders and get no copies.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent

#: (folder in the checkout, file patterns, folder under ``analysis/_bundled``). Keep in line with
#: ``MANIFEST.in`` (the sdist must carry the same files).
BUNDLE = (
    ("data/curated", ("*.csv",), "curated"),
    ("notebooks", ("[0-9][0-9]_*.ipynb", "[0-9][0-9]_*.py"), "notebooks"),
    ("notebooks/params", ("*.yaml",), "notebooks/params"),
)


def bundle_files() -> list[tuple[Path, str]]:
    """Every file to bundle: (source path, destination relative to ``analysis/_bundled``)."""
    out = []
    for src, patterns, dst in BUNDLE:
        files = sorted({p for pat in patterns for p in (ROOT / src).glob(pat) if p.is_file()})
        if not files:
            raise SystemExit(
                f"setup.py: no files matching {', '.join(patterns)} in {ROOT / src}; "
                "build from a complete checkout or sdist"
            )
        out += [(f, f"{dst}/{f.name}") for f in files]
    return out


class build_py_with_bundle(build_py):  # noqa: N801 (setuptools command naming)
    """``build_py``, then copy :data:`BUNDLE` into ``<build_lib>/analysis/_bundled/``."""

    def _bundle_targets(self) -> list[tuple[Path, Path]]:
        base = Path(self.build_lib) / "analysis" / "_bundled"
        return [(src, base / rel) for src, rel in bundle_files()]

    def _editable(self) -> bool:
        return bool(getattr(self, "editable_mode", False))

    def run(self) -> None:
        """Build the package, then add the bundled copies (not for editable installs)."""
        super().run()
        if self._editable():
            return
        for src, dest in self._bundle_targets():
            self.mkpath(str(dest.parent))
            self.copy_file(str(src), str(dest), preserve_mode=False)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        """Files the step writes, the bundled copies included (for the install record)."""
        outputs = list(super().get_outputs(include_bytecode))
        if not self._editable():
            outputs += [str(dest) for _, dest in self._bundle_targets()]
        return outputs


setup(cmdclass={"build_py": build_py_with_bundle})
