# Two commands do everything on a fresh machine:
#   make reports   create the virtual environment, install, fetch + verify raw files, build data, run notebooks
#   make test      the test suite (offline with the mirror at ../shared/data)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: help venv reports data fetch build check test lint bench clean-data

help:
	@echo "make reports   install, fetch and verify raw data, build core tables (then notebooks)"
	@echo "make test      run the test suite"
	@echo "make data      fetch + build only;  make check   re-validate everything"
	@echo "make lint      ruff + mypy;         make bench   data-layer benchmark"

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

fetch: venv
	$(BIN)/peaceops data fetch

build: fetch
	$(BIN)/peaceops data build

data: build

check: venv
	$(BIN)/peaceops data check

# Notebooks are not written yet: the main job stops after the data build.
reports: data

test: venv
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: venv
	$(BIN)/ruff check analysis tests benchmarks
	$(BIN)/mypy analysis

bench: data
	$(BIN)/python benchmarks/bench_data.py

clean-data:
	rm -rf data/raw data/processed
