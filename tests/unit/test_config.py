"""Where data, curated tables, notebooks and reports live: in a checkout and in an installed package.

An installed package is simulated by pointing ``analysis.config.PACKAGE_DIR`` at a folder that is
not a checkout (as ``site-packages/analysis`` is); the real wheel is built and installed by
``tests/integration/test_install.py``.
"""

from __future__ import annotations

import types
from pathlib import Path

import pytest

import analysis.config as config
from analysis.cli import main
from analysis.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
ENV = ("PEACEOPS_ROOT", "PEACEOPS_DATA_DIR", "PEACEOPS_DATA_MIRROR", "PEACEOPS_CURATED_DIR",
       "PEACEOPS_REGISTRY", "PEACEOPS_ESSAY")


@pytest.fixture
def clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def installed(tmp_path, monkeypatch, clean_env):
    """The package as if installed in ``<tmp>/env/lib/site-packages``; a ``shared/data`` folder sits
    where a checkout's mirror would be, to show that an installed package does not guess it."""
    site = tmp_path / "env" / "lib" / "site-packages"
    (site / "analysis").mkdir(parents=True)
    (tmp_path / "env" / "lib" / "shared" / "data").mkdir(parents=True)
    monkeypatch.setattr(config, "PACKAGE_DIR", site / "analysis")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def _write_project(folder: Path, name: str = "peaceops", curated: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(f'[project]\nname = "{name}"\nversion = "0"\n')
    if curated:
        (folder / "data" / "curated").mkdir(parents=True)
    return folder


# --------------------------------------------------------------------------- detecting a checkout


def test_this_repository_is_a_checkout(clean_env):
    assert config.is_checkout(ROOT)
    assert config.checkout_root() == ROOT
    assert config.in_checkout()


@pytest.mark.parametrize(
    ("name", "curated", "pyproject", "expected"),
    [
        ("peaceops", True, None, True),
        ("otherpkg", True, None, False),  # another project's pyproject
        ("peaceops", False, None, False),  # no data/curated: not a checkout (e.g. an unpacked wheel)
        ("peaceops", True, "[project\nname = ", False),  # unreadable pyproject
    ],
)
def test_is_checkout(tmp_path, name, curated, pyproject, expected):
    folder = _write_project(tmp_path / "p", name, curated)
    if pyproject is not None:
        (folder / "pyproject.toml").write_text(pyproject)
    assert config.is_checkout(folder) is expected


def test_the_working_directory_does_not_make_a_checkout(installed, monkeypatch):
    monkeypatch.chdir(ROOT)  # a user standing in a checkout with an installed package
    assert config.checkout_root() is None


# --------------------------------------------------------------------------- folders in a checkout


def test_checkout_folders(clean_env):
    assert config.data_dir() == ROOT / "data"
    assert config.raw_dir() == ROOT / "data" / "raw"
    assert config.core_dir() == ROOT / "data" / "processed" / "core"
    assert config.curated_dir() == ROOT / "data" / "curated"
    assert config.notebooks_path() == ROOT / "notebooks"
    assert config.reports_path() == ROOT / "reports"
    assert config.registry_path() == ROOT / "analysis" / "data" / "registry.csv"
    mirror = ROOT.parent / "shared" / "data"
    assert config.default_mirror() == (mirror if mirror.is_dir() else None)


def test_root_variable_makes_any_folder_the_project(tmp_path, monkeypatch, clean_env):
    monkeypatch.setenv("PEACEOPS_ROOT", str(tmp_path / "proj"))
    assert config.data_dir() == tmp_path / "proj" / "data"
    assert config.curated_dir() == tmp_path / "proj" / "data" / "curated"
    assert config.reports_path() == tmp_path / "proj" / "reports"
    assert {loc.name: loc.why for loc in config.where()}["project"] == "PEACEOPS_ROOT"


# --------------------------------------------------------------------------- folders when installed


def test_installed_data_go_to_the_user_cache(installed):
    assert config.checkout_root() is None
    assert config.data_dir() == installed / "cache" / "peaceops"
    assert config.raw_dir() == installed / "cache" / "peaceops" / "raw"
    assert config.processed_dir() == installed / "cache" / "peaceops" / "processed"


def test_installed_reads_bundled_curated_tables_and_notebooks(installed):
    bundled = config.package_file("_bundled")
    assert config.curated_dir() == bundled / "curated"
    assert config.notebooks_path() == bundled / "notebooks"
    assert config.registry_path() == config.package_file("data", "registry.csv")
    assert config.registry_path().is_file()


def test_installed_uses_no_mirror_unless_named(installed, monkeypatch, tmp_path):
    assert config.default_mirror() is None  # although <env>/lib/shared/data exists
    monkeypatch.setenv("PEACEOPS_DATA_MIRROR", str(tmp_path / "m"))
    assert config.default_mirror() == tmp_path / "m"


def test_installed_honours_the_variables(installed, monkeypatch, tmp_path):
    monkeypatch.setenv("PEACEOPS_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("PEACEOPS_CURATED_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("PEACEOPS_REGISTRY", str(tmp_path / "r.csv"))
    assert config.raw_dir() == tmp_path / "d" / "raw"
    assert config.curated_dir() == tmp_path / "c"
    assert config.registry_path() == tmp_path / "r.csv"
    why = {loc.name: loc.why for loc in config.where()}
    assert why["raw"] == why["processed"] == "PEACEOPS_DATA_DIR"
    assert why["curated"] == "PEACEOPS_CURATED_DIR" and why["registry"] == "PEACEOPS_REGISTRY"


def test_installed_has_no_reports_or_project_folder(installed):
    with pytest.raises(ConfigError, match=r"peaceops run --out DIR"):
        config.reports_path()
    with pytest.raises(ConfigError, match="PEACEOPS_ROOT"):
        config.project_root()


def test_installed_essay_needs_its_variable(installed, monkeypatch, tmp_path):
    from analysis.curated.claims import essay_path

    with pytest.raises(ConfigError, match="PEACEOPS_ESSAY"):
        essay_path()
    monkeypatch.setenv("PEACEOPS_ESSAY", str(tmp_path / "essay.txt"))
    assert essay_path() == tmp_path / "essay.txt"


# --------------------------------------------------------------------------- the command line


def _where(capsys) -> dict[str, tuple[str, str]]:
    assert main(["data", "where"]) == 0
    out = {}
    for line in capsys.readouterr().out.splitlines():
        name, path, why = line.split(maxsplit=2)
        out[name] = (path, why)
    return out


def test_data_where_in_the_checkout(clean_env, capsys):
    out = _where(capsys)
    assert list(out) == ["package", "project", "raw", "processed", "curated", "registry", "mirror",
                         "notebooks", "reports"]
    assert out["project"] == (str(ROOT), "checkout: the package's parent folder is the peaceops project")
    assert out["raw"] == (str(ROOT / "data" / "raw"), "in the checkout")
    assert out["reports"] == (str(ROOT / "reports"), "in the checkout")


def test_data_where_when_installed(installed, capsys):
    out = _where(capsys)
    assert out["project"] == ("-", "none: installed package, not a checkout")
    assert out["raw"][0] == str(installed / "cache" / "peaceops" / "raw")
    assert out["raw"][1].startswith("user cache") and "PEACEOPS_DATA_DIR" in out["raw"][1]
    assert out["curated"][1].startswith("bundled with the package")
    assert out["mirror"][0] == "-" and "PEACEOPS_DATA_MIRROR" in out["mirror"][1]
    assert out["reports"][0] == "-" and "--out DIR" in out["reports"][1]


def test_run_without_out_when_installed_says_so(installed, capsys):
    assert main(["run", "01", "--set", "test"]) == 1
    err = capsys.readouterr().err
    assert "installed, not run from a checkout" in err and "peaceops run --out DIR" in err


def test_codebook_without_output_when_installed_says_so(installed, capsys):
    assert main(["data", "codebook"]) == 2
    assert "-o FILE" in capsys.readouterr().err


# --------------------------------------------------------------------------- paths in executed notebooks


def test_output_paths_are_relative_beside_the_notebooks_and_absolute_elsewhere(tmp_path):
    from analysis.reporting.execute import _shown_path

    task = types.SimpleNamespace(notebooks_dir=tmp_path / "proj" / "notebooks")
    assert _shown_path(tmp_path / "proj" / "reports" / "01" / "default", task) == "../reports/01/default"
    elsewhere = tmp_path / "out" / "01" / "default"
    assert _shown_path(elsewhere, task) == str(elsewhere.resolve())
