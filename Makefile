# Two commands do everything on a fresh machine:
#   make reports   create the virtual environment, install, fetch + verify raw files, build data, run notebooks
#   make test      the test suite (offline with the mirror at ../shared/data)
# Also: make reports-check (re-execute the default sets, compare with the committed results), make lab.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LAB_STAMP := $(VENV)/.lab-stamp
JOBS   ?= 2

.PHONY: help venv reports reports-check reports-browser-check lab data fetch build check test test-fast lint bench dist clean-data

help:
	@echo "make reports   install, fetch and verify raw data, build core tables, run every notebook"
	@echo "               (all parameter sets except 'test', $(JOBS) at a time) into reports/"
	@echo "make reports-check  re-execute the default sets and compare with the committed results"
	@echo "make reports-browser-check  every page in headless Chromium at 1400 and 390 px (screenshots)"
	@echo "make lab       install JupyterLab (extra 'lab'), register the peaceops kernel, open notebooks/"
	@echo "make test      run the test suite (unit + integration, what CI runs)"
	@echo "make test-fast unit tests only (synthetic fixtures, no mirror needed), $(JOBS) processes"
	@echo "make data      fetch + build only;  make check   re-validate everything"
	@echo "make lint      ruff + mypy;         make bench   data, report and model benchmarks"
	@echo "make dist      wheel and sdist into dist/ (curated tables and notebooks bundled)"

venv: $(STAMP)

# The install registers the project's Jupyter kernel ('peaceops', in the venv), so that plain
# papermill (README) finds the kernel the notebooks name.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/peaceops run --install-kernel
	touch $(STAMP)

fetch: venv
	$(BIN)/peaceops data fetch

build: fetch
	$(BIN)/peaceops data build

data: build

check: venv
	$(BIN)/peaceops data check

# Every notebook, every parameter set except `test` (the test suite's small set); cached runs are skipped.
reports: data
	$(BIN)/peaceops run --install-kernel
	$(BIN)/peaceops run --all-sets -j $(JOBS)

# Re-execute the default sets into a temporary folder; non-zero exit when a number differs from
# reports/<notebook>/default/results.json by more than a relative 1e-6.
reports-check: data
	$(BIN)/peaceops run --check -j $(JOBS)

# Open every page of reports/ in headless Chromium (Debian's, /usr/bin/chromium; `apt-get install -y
# chromium`) at 1400 and 390 px: fails on horizontal overflow, broken images or links, console errors,
# requests leaving reports/. Screenshots in reports-screenshots/ (git-ignored).
reports-browser-check: venv
	$(BIN)/peaceops run --browser-check

$(LAB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	touch $(LAB_STAMP)

lab: $(LAB_STAMP)
	$(BIN)/peaceops run --install-kernel
	cd notebooks && $(abspath $(BIN))/jupyter lab

test: venv
	$(BIN)/python -m pytest -q -p no:cacheprovider

# Both test targets let Python cache compiled modules (__pycache__/, git-ignored) even when the shell sets
# PYTHONDONTWRITEBYTECODE: without the cache every worker recompiles the package and re-rewrites the
# asserts of every test module (~2.5 s of CPU per process, a tenth of the unit tier).
test test-fast: export PYTHONDONTWRITEBYTECODE =

# The unit tier: synthetic fixtures only (no mirror, no built data), $(JOBS) worker processes; tests
# marked slow (simulations over ~2 s, the runs of a real Jupyter kernel) are left to make test.
test-fast: venv
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(JOBS) -m "not integration and not slow" tests/unit

lint: venv
	$(BIN)/ruff check analysis tests benchmarks notebooks
	$(BIN)/mypy analysis

bench: data
	$(BIN)/python benchmarks/bench_data.py
	$(BIN)/python benchmarks/bench_resolutions.py
	$(BIN)/python benchmarks/bench_reports.py
	$(BIN)/python benchmarks/bench_models.py
	$(BIN)/python benchmarks/bench_inference.py
	$(BIN)/python benchmarks/bench_coups.py
	$(BIN)/python benchmarks/bench_multiverse.py --full

# Wheel and sdist into dist/, offline (the dev environment's setuptools, no build isolation); a stale
# build/ folder could carry files removed since into the wheel, so it goes first and after.
dist: venv
	rm -rf build dist
	$(BIN)/python -m build --no-isolation --outdir dist .
	rm -rf build

clean-data:
	rm -rf data/raw data/processed
