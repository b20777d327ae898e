"""The proof that a pip-installed peaceops works outside the checkout (issue 14).

The wheel and the sdist are built from a copy of the project's files (what ``pip install
git+<URL>`` sees: tracked and not-ignored files), offline and without build isolation. Each is
installed with ``--no-deps --no-index`` into a fresh virtual environment; its dependencies are the
test environment's, reached through a ``.pth`` line added after the install (the test environment's
own ``.pth`` files, among them the editable peaceops, are not processed there, so ``import analysis``
finds the installed copy only; nbconvert's templates, which pip would put in the environment's
``share/jupyter``, are linked). The sdist is installed the way pip does it: a wheel is built from
it, then installed. Every command then runs in a temporary folder outside the checkout, with a
user cache folder of its own, as a user types it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import default_mirror
from analysis.data.store import table_names

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

#: Folders setup.py bundles: checkout folder -> folder under analysis/_bundled in the wheel.
BUNDLED = {"data/curated": "curated", "notebooks": "notebooks", "notebooks/params": "notebooks/params"}


def _run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None, ok: bool = True,
         timeout: float = 600) -> subprocess.CompletedProcess:
    res = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                         timeout=timeout)
    if ok and res.returncode != 0:
        pytest.fail(f"{' '.join(map(str, cmd))} exited {res.returncode}\n--- stdout\n{res.stdout}\n"
                    f"--- stderr\n{res.stderr}")
    return res


def _source_files() -> list[str]:
    """Files of the project a build from a clone sees (committed or new, not ignored); no reports."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        out = _run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                   cwd=ROOT).stdout
        files = [f for f in out.split("\0") if f]
    else:  # an unpacked source tree without git
        skip = {".git", ".venv", "build", "dist", "__pycache__", "raw", "processed"}
        files = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
                 if p.is_file() and not skip & set(p.relative_to(ROOT).parts)
                 and not any(part.endswith(".egg-info") for part in p.parts)]
    return sorted(f for f in files if not f.startswith("reports/") and (ROOT / f).is_file())


@dataclass
class Dists:
    src: Path
    files: list[str]
    wheel: Path
    sdist: Path


@pytest.fixture(scope="module")
def dists(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dists")
    src = tmp / "src"
    files = _source_files()
    for f in files:
        (src / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, src / f)
    out = tmp / "dist"
    _run([sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", out, src],
         cwd=tmp)
    (wheel,) = out.glob("peaceops-*.whl")
    (sdist,) = out.glob("peaceops-*.tar.gz")
    yield Dists(src, files, wheel, sdist)
    shutil.rmtree(tmp, ignore_errors=True)


@dataclass
class Installed:
    """A fresh virtual environment with peaceops installed, and a work folder outside the checkout."""

    venv: Path
    site: Path
    work: Path
    cache: Path
    env: dict[str, str]

    def run(self, *args: str, ok: bool = True, **env: str) -> subprocess.CompletedProcess:
        return _run(list(args), cwd=self.work, env={**self.env, **env}, ok=ok)

    def peaceops(self, *args: str, ok: bool = True, **env: str) -> subprocess.CompletedProcess:
        return self.run(str(self.venv / "bin" / "peaceops"), *args, ok=ok, **env)

    def python(self, code: str, **env: str) -> str:
        return self.run(str(self.venv / "bin" / "python"), "-c", code, **env).stdout


def _install(wheel: Path, tmp: Path) -> Installed:
    assert not tmp.resolve().is_relative_to(ROOT), "the work folder must be outside the checkout"
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp)
    py = venv / "bin" / "python"
    _run([py, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel], cwd=tmp)
    site = Path(_run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=tmp).stdout.strip())
    # dependencies: the test environment's packages, after the fresh environment's own
    (site / "zz_test_environment_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    templates = Path(sys.prefix) / "share" / "jupyter" / "nbconvert"
    (venv / "share" / "jupyter").mkdir(parents=True, exist_ok=True)
    (venv / "share" / "jupyter" / "nbconvert").symlink_to(templates, target_is_directory=True)
    work, cache = tmp / "work", tmp / "cache"
    work.mkdir()
    dropped = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PEACEOPS_", "JUPYTER")) and k not in dropped}
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        XDG_CACHE_HOME=str(cache),  # the user cache folder (platformdirs) of this test
        JUPYTER_DATA_DIR=str(tmp / "jupyter"),  # kernels registered by the run stay here
        PYTHONNOUSERSITE="1",
    )
    return Installed(venv, site, work, cache, env)


@pytest.fixture(scope="module")
def from_wheel(dists, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    yield _install(dists.wheel, tmp)
    shutil.rmtree(tmp, ignore_errors=True)  # a virtual environment and ~100 MB of data: not kept by pytest


@pytest.fixture(scope="module")
def from_sdist(dists, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sdist")
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index", "--no-build-isolation",
          "--wheel-dir", tmp / "wheelhouse", dists.sdist], cwd=tmp)
    (wheel,) = (tmp / "wheelhouse").glob("peaceops-*.whl")
    yield _install(wheel, tmp)
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def mirror() -> Path:
    m = default_mirror()
    if m is None:
        pytest.fail("the install test needs the data mirror: PEACEOPS_DATA_MIRROR or ../shared/data")
    return m


@pytest.fixture(scope="module")
def checkout_country_years(raw_cache) -> pd.DataFrame:
    from analysis.data import load

    return load("country_years")


# --------------------------------------------------------------------------- what the wheel and sdist carry


def test_wheel_bundles_the_checkouts_curated_tables_and_notebooks_byte_for_byte(dists):
    with zipfile.ZipFile(dists.wheel) as z:
        names = set(z.namelist())
        for folder, dest in BUNDLED.items():
            want = sorted(f for f in dists.files if f.rsplit("/", 1)[0] == folder)
            got = sorted(n for n in names if n.rsplit("/", 1)[0] == f"analysis/_bundled/{dest}")
            assert [g.rsplit("/", 1)[1] for g in got] == [w.rsplit("/", 1)[1] for w in want], folder
            for w, g in zip(want, got):
                assert z.read(g) == (ROOT / w).read_bytes(), f"{g} differs from {w}"
    assert any(n.endswith("_bundled/curated/jihadist_actors.csv") for n in names)
    assert any(n.endswith("_bundled/notebooks/params/04_partnership_and_coups.yaml") for n in names)


def test_wheel_carries_every_file_of_the_package(dists):
    """Every file under analysis/ (code, registry, rule tables, any template added later) is in the wheel."""
    with zipfile.ZipFile(dists.wheel) as z:
        names = set(z.namelist())
    package = [f for f in dists.files if f.startswith("analysis/")]
    assert "analysis/data/registry.csv" in package and "analysis/core/sc_missions.yaml" in package
    missing = [f for f in package if f not in names]
    assert missing == [], f"not in the wheel (add the suffix to [tool.setuptools.package-data]): {missing}"


def test_sdist_carries_what_the_wheel_is_built_from(dists):
    with tarfile.open(dists.sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    want = [f for f in dists.files if f.startswith(("analysis/", "data/curated/", "notebooks/"))]
    assert [f for f in want if f not in names] == []
    assert {"setup.py", "MANIFEST.in", "pyproject.toml", "README.md"} <= names


# --------------------------------------------------------------------------- using the installed package


def _check_installed(inst: Installed, mirror: Path, expected: pd.DataFrame) -> None:
    origin = inst.python("import analysis; print(analysis.__file__)").strip()
    assert Path(origin).is_relative_to(inst.site), origin

    where = {}
    for line in inst.peaceops("data", "where").stdout.splitlines():
        name, path, why = line.split(maxsplit=2)
        where[name] = (path, why)
    assert where["project"][0] == "-"
    assert where["raw"][0] == str(inst.cache / "peaceops" / "raw")
    assert where["raw"][1].startswith("user cache")
    assert where["curated"][0] == str(inst.site / "analysis" / "_bundled" / "curated")
    assert where["notebooks"][0] == str(inst.site / "analysis" / "_bundled" / "notebooks")
    assert where["mirror"][0] == "-" and where["reports"][0] == "-"

    build = inst.peaceops("data", "build", "-q", PEACEOPS_DATA_MIRROR=str(mirror)).stdout
    assert re.match(rf"{len(table_names())} built, 0 cached in ", build.strip().splitlines()[-1]), build
    assert (inst.cache / "peaceops" / "raw" / "ucdp_acd").is_dir()
    assert (inst.cache / "peaceops" / "processed").is_dir()

    shape = inst.python("from analysis.data import load; print(load('country_years').shape)").strip()
    assert shape == str(expected.shape)
    dump = inst.work / "country_years.parquet"
    inst.python(f"from analysis.data import load; load('country_years').to_parquet({str(dump)!r})")
    pd.testing.assert_frame_equal(pd.read_parquet(dump), expected)


def test_wheel_install_builds_and_loads_outside_the_checkout(from_wheel, mirror, checkout_country_years):
    _check_installed(from_wheel, mirror, checkout_country_years)


def test_sdist_install_builds_and_loads_outside_the_checkout(from_sdist, mirror, checkout_country_years):
    _check_installed(from_sdist, mirror, checkout_country_years)


def test_installed_run_needs_out_and_renders_the_bundled_notebooks_there(from_wheel, mirror):
    res = from_wheel.peaceops("run", "05", "--set", "test", "-q", ok=False, PEACEOPS_DATA_MIRROR=str(mirror))
    assert res.returncode == 1 and "peaceops run --out DIR" in res.stderr
    bundled = from_wheel.site / "analysis" / "_bundled"
    before = {p: p.read_bytes() for p in bundled.rglob("*") if p.is_file()}
    listing = from_wheel.peaceops("run", "--list").stdout
    assert all(f"{n:02d}_" in listing for n in range(1, 7))
    res = from_wheel.peaceops("run", "05", "--set", "test", "-q", "--out", "reports",
                              PEACEOPS_DATA_MIRROR=str(mirror))
    assert "1 ran, 0 cached, 0 failed" in res.stdout
    out = from_wheel.work / "reports"
    assert (out / "05_essay_claims" / "test.html").is_file()
    assert (out / "05_essay_claims" / "test" / "results.json").is_file()
    assert (out / "index.html").is_file()
    assert {p: p.read_bytes() for p in bundled.rglob("*") if p.is_file()} == before  # nothing written there


def test_installed_fetch_downloads_from_pinned_urls_and_leaves_nothing_on_failure(
    from_wheel, tmp_path, http_mirror, registry_writer
):
    good = b"year,value\n" + b"".join(b"%d,%d\n" % (y, y % 7) for y in range(1990, 2025))
    other = b"id,name\n1,a\n2,b\n"
    registry = registry_writer(tmp_path / "registry.csv", [
        ("toy_a", "a.csv", good, http_mirror.serve("/pinned/a.csv", good)),
        ("toy_b", "b.csv", other, http_mirror.serve("/pinned/b.csv", other)),
    ])
    env = {"PEACEOPS_REGISTRY": str(registry), "PEACEOPS_DATA_DIR": str(tmp_path / "data")}
    res = from_wheel.peaceops("data", "fetch", "-q", **env)
    assert res.stdout.strip() == "2 files verified (2 url)"
    assert (tmp_path / "data" / "raw" / "toy_a" / "a.csv").read_bytes() == good

    env["PEACEOPS_DATA_DIR"] = str(tmp_path / "data2")
    http_mirror.serve("/pinned/a.csv", good, "truncated")  # the server fails mid-file
    res = from_wheel.peaceops("data", "fetch", "-q", "toy_a", ok=False, **env)
    assert res.returncode == 1 and "could not download toy_a/a.csv" in res.stderr
    http_mirror.serve("/pinned/a.csv", good[:-3] + b"99\n")  # corrupt bytes
    res = from_wheel.peaceops("data", "fetch", "-q", "toy_a", ok=False, **env)
    assert res.returncode == 1 and "does not match the registry" in res.stderr
    assert [p for p in (tmp_path / "data2").rglob("*") if p.is_file()] == []
