#!/usr/bin/env bash
# Runs every suite that checks the project, times each, and ends with a summary of times and
# skips. `tests/run_suites.sh lint` runs only the linters. Called by `make test` / `make lint`.
# sqlfluff's time after pytest's, marked +, is how long it ran on after pytest ended.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

names=()
seconds=()
results=()
failed=0

run_suite() {
    local name=$1
    shift
    echo "=== $name: $*"
    local start end rc
    start=$(date +%s%N)
    "$@"
    rc=$?
    end=$(date +%s%N)
    local tenths=$(((end - start) / 100000000))
    names+=("$name")
    seconds+=("$((tenths / 10)).$((tenths % 10))")
    if [ "$rc" -eq 0 ]; then results+=("ok"); else results+=("FAILED ($rc)"); failed=1; fi
}

# The SQL linter compiles the project: it gets a database of its own.
sqlfluff_lint() {
    RETAIL_CHURN_DB="$scratch/lint.duckdb" "$bin/sqlfluff" lint models analyses tests --processes "$1"
}

# pytest runs one dbt command at a time, mostly on one core; the SQL linter runs beside it on the
# other, and its report follows pytest's.
lint_beside_pytest() {
    sqlfluff_lint 1 >"$scratch/sqlfluff.log" 2>&1 &
    local linter=$!
    run_suite "pytest" "$bin/python" -m pytest tests -rs --junitxml "$scratch/pytest.xml"
    echo "=== sqlfluff (ran beside pytest)"
    local start
    start=$(date +%s%N)
    wait "$linter"
    local rc=$?
    cat "$scratch/sqlfluff.log"
    local tenths=$((($(date +%s%N) - start) / 100000000))
    names+=("sqlfluff")
    seconds+=("+$((tenths / 10)).$((tenths % 10))")
    if [ "$rc" -eq 0 ]; then results+=("ok"); else results+=("FAILED ($rc)"); failed=1; fi
}

run_suite "ruff" "$bin/ruff" check .
run_suite "ruff format" "$bin/ruff" format --check .
if [ "${1:-}" = "lint" ]; then
    run_suite "sqlfluff" sqlfluff_lint 2
else
    lint_beside_pytest
fi

echo
echo "=== summary"
for i in "${!names[@]}"; do
    printf '%-14s %8ss  %s\n' "${names[$i]}" "${seconds[$i]}" "${results[$i]}"
done
if [ -f "$scratch/pytest.xml" ]; then
    "$bin/python" tests/summary.py "$scratch/pytest.xml" || failed=1
fi
exit "$failed"
