# The two commands a fresh clone needs: `make demo` and `make test`.
# Both create .venv on first use; nothing has to be installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR := build/demo

.PHONY: demo test test-sweep test-min lint typecheck clean samples bench fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	@mkdir -p $(DEMO_DIR)
	@rm -f $(DEMO_DIR)/stridewise.sqlite3
	$(BIN)/stridewise ingest sample_logs --db $(DEMO_DIR)/stridewise.sqlite3
	@$(BIN)/stridewise activities sample_logs --db $(DEMO_DIR)/stridewise.sqlite3 --json > $(DEMO_DIR)/activities.json
	@$(BIN)/stridewise check sample_logs --db $(DEMO_DIR)/stridewise.sqlite3 --json > $(DEMO_DIR)/check.json
	@$(BIN)/stridewise report sample_logs --db $(DEMO_DIR)/stridewise.sqlite3 --out $(DEMO_DIR) --week 2026-W39
	@echo "Activities: $(CURDIR)/$(DEMO_DIR)/activities.json; check: $(CURDIR)/$(DEMO_DIR)/check.json"
	@echo "Report: $(CURDIR)/$(DEMO_DIR)/report-2026-W39.html"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check $(wildcard src tests scripts benchmarks)
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy --strict src

test: lint typecheck
	$(BIN)/pytest

# The long comparisons over every real file in ../shared/real_logs (CI runs them after `make test`).
test-sweep: $(VENV)/.installed-test
	$(BIN)/pytest -m sweep

# The same tests on the lowest versions pyproject.toml allows (constraints-min.txt), in a venv of their own.
# Old libraries meeting today's transitive dependencies may warn about deprecations (matplotlib 3.8 with
# pyparsing 3.3 did): not errors here; `make test` on the newest versions keeps every warning an error.
VENV_MIN := .venv-min
$(VENV_MIN)/.installed: pyproject.toml constraints-min.txt
	$(PYTHON) -m venv $(VENV_MIN)
	$(VENV_MIN)/bin/python -m pip install -q --upgrade pip
	$(VENV_MIN)/bin/python -m pip install -q -c constraints-min.txt -e '.[test]'
	touch $@

test-min: $(VENV_MIN)/.installed
	$(VENV_MIN)/bin/pytest -p no:cacheprovider -W ignore::DeprecationWarning

# The long fuzz run (docs/robustness.md): 20,000 hostile inputs through `stridewise ingest`, at low priority.
# Add the real files with STRIDEWISE_REAL_LOGS=../shared/real_logs. The fast run is part of `make test`.
fuzz: $(VENV)/.installed-test
	@mkdir -p build
	nice -n 19 $(BIN)/python scripts/fuzz.py --inputs 20000 --seed 10 --long --out build/fuzz.json

# Regenerate sample_logs/ from the committed generator (deterministic).
samples: $(VENV)/.installed-test
	$(BIN)/python scripts/make_sample_logs.py sample_logs

clean:
	rm -rf build .mypy_cache .pytest_cache .ruff_cache $(VENV_MIN)
