# Two commands on a fresh machine: `make run` (install, build, plot) and `make test` (everything
# that checks the project). Python 3.11, make and git are all they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUN_DEPS := $(VENV)/.run-deps
DEV_DEPS := $(VENV)/.dev-deps
DB := $(or $(RETAIL_CHURN_DB),retail_churn.duckdb)
# Stops at once, saying what to do, when another process holds the DuckDB file.
CHECK_UNLOCKED := $(BIN)/python -m warehouse.connection

.PHONY: help run build cdnow test test-spark test-postgres lint docs docs-serve bench clean

help:
	@echo "make run    install what the warehouse needs, build it, draw the charts"
	@echo "make cdnow  the same from the public CDNOW order log: cdnow.duckdb, plots/output/cdnow/"
	@echo "make test   every check: lint, dbt build into a temporary database, pytest"
	@echo "make test-spark / make test-postgres   the project on that engine equals the DuckDB build"
	@echo "make docs   the static docs site (target/static_index.html); make docs-serve serves it"
	@echo "make bench  warehouse vs pandas, polars and a bare scan at ROWS customers (bench/results.md)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_DEPS): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(DEV_DEPS): requirements.txt requirements-dev.txt $(RUN_DEPS)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

# Ends with the paths of the report and the charts, which `python -m plots` prints.
run: $(RUN_DEPS)
	@$(CHECK_UNLOCKED)
	$(BIN)/dbt build
	@echo
	@echo "Warehouse: $(DB)"
	@echo "Query it:  $(BIN)/python -c \"import duckdb; print(duckdb.connect('$(DB)', read_only=True).sql('select * from customers limit 5'))\""
	@echo
	@$(BIN)/python -m plots

# The warehouse of the public CDNOW order log (shipped in the lifetimes package, a dev
# requirement), converted into data/ (ignored by git), with its own database and report.
CDNOW_DB := cdnow.duckdb
CDNOW_CSV := data/cdnow/cdnow_orders.csv

cdnow: $(DEV_DEPS)
	$(BIN)/python -m bench.cdnow --out $(CDNOW_CSV)
	@RETAIL_CHURN_DB=$(CDNOW_DB) $(CHECK_UNLOCKED)
	RETAIL_CHURN_DB=$(CDNOW_DB) $(BIN)/dbt build --target-path target/cdnow --vars "$$(cat bench/cdnow.yml)"
	@echo
	@echo "Warehouse: $(CDNOW_DB)"
	@RETAIL_CHURN_DB=$(CDNOW_DB) $(BIN)/python -m plots --output-dir plots/output/cdnow

build: $(RUN_DEPS)
	@$(CHECK_UNLOCKED)
	$(BIN)/dbt build

test: $(DEV_DEPS)
	@tests/run_suites.sh

# Also part of `make test`. Each builds the project on the engine and on DuckDB and compares them.
test-spark: $(DEV_DEPS)
	$(BIN)/python -m pytest tests/engines/test_spark.py -rs

test-postgres: $(DEV_DEPS)
	$(BIN)/python -m pytest tests/engines/test_postgres.py -rs

lint: $(DEV_DEPS)
	@tests/run_suites.sh lint

docs: $(RUN_DEPS)
	@$(CHECK_UNLOCKED)
	$(BIN)/dbt docs generate --static
	@echo "Docs site: target/static_index.html"

docs-serve: docs
	$(BIN)/dbt docs serve --port 8080

# Sizes to benchmark, comma-separated; `make bench ROWS=1000,100000` for a quick run.
ROWS ?= 1000,100000,1000000,10000000

bench: $(DEV_DEPS)
	$(BIN)/python -m bench.run --rows $(ROWS)

clean:
	rm -rf target logs
