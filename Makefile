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

# Every target a person runs has its one line of help after `## ` on the target's line;
# `make help` prints those lines, so the list cannot drift from the targets
# (tests/docs/test_readme_and_guides.py checks that it lists each target once).
help: ## this list
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "make %-14s %s\n", $$1, $$2 }' \
		$(firstword $(MAKEFILE_LIST))

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
run: $(RUN_DEPS) ## install what the warehouse needs, build it on the bundled seed, draw the charts
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

cdnow: $(DEV_DEPS) ## the warehouse of the CDNOW order log: cdnow.duckdb, plots/output/cdnow/
	$(BIN)/python -m bench.cdnow --out $(CDNOW_CSV)
	@RETAIL_CHURN_DB=$(CDNOW_DB) $(CHECK_UNLOCKED)
	RETAIL_CHURN_DB=$(CDNOW_DB) $(BIN)/dbt build --target-path target/cdnow --vars "$$(cat bench/cdnow.yml)"
	@echo
	@echo "Warehouse: $(CDNOW_DB)"
	@RETAIL_CHURN_DB=$(CDNOW_DB) $(BIN)/python -m plots --output-dir plots/output/cdnow

build: $(RUN_DEPS) ## dbt build only (no charts)
	@$(CHECK_UNLOCKED)
	$(BIN)/dbt build

test: $(DEV_DEPS) ## every check: ruff, sqlfluff, pytest (DuckDB, Spark, PostgreSQL); ends with suite times
	@tests/run_suites.sh

# Also part of `make test`. Each builds the project on the engine and on DuckDB and compares them.
test-spark: $(DEV_DEPS) ## the project on Spark equals the DuckDB build (part of make test)
	$(BIN)/python -m pytest tests/engines/test_spark.py -rs

test-postgres: $(DEV_DEPS) ## the project on PostgreSQL equals the DuckDB build (part of make test)
	$(BIN)/python -m pytest tests/engines/test_postgres.py -rs

lint: $(DEV_DEPS) ## ruff and sqlfluff only
	@tests/run_suites.sh lint

docs: $(RUN_DEPS) ## the static dbt docs site, target/static_index.html
	@$(CHECK_UNLOCKED)
	$(BIN)/dbt docs generate --static
	@echo "Docs site: target/static_index.html"

docs-serve: docs ## the docs site served on http://localhost:8080
	$(BIN)/dbt docs serve --port 8080

# Sizes to benchmark, comma-separated; `make bench ROWS=1000,100000` for a quick run.
ROWS ?= 1000,100000,1000000,10000000
# Order-log sizes in order lines (docs/scale.md); `make bench ORDER_LINES=1000000` for a quick run.
ORDER_LINES ?= 1000000,10000000,100000000

# `make bench ENGINE=spark`: the project on Spark local[1] and local[2] beside DuckDB, at
# SPARK_ROWS customers (bench/spark.py); its section of bench/results.md.
ENGINE ?= duckdb
SPARK_ROWS ?= 1000000,10000000

bench: $(DEV_DEPS) ## warehouse vs pandas, polars, a bare scan: ROWS customers, ORDER_LINES order lines; ENGINE=spark: Spark vs DuckDB (bench/results.md)
ifeq ($(ENGINE),spark)
	$(BIN)/python -m bench.spark --rows $(SPARK_ROWS)
else
	$(BIN)/python -m bench.run --rows $(ROWS)
	$(BIN)/python -m bench.run_orders --lines $(ORDER_LINES)
endif

clean: ## remove dbt's target/ and logs/
	rm -rf target logs
