#!/usr/bin/env bash
# Runs every suite that checks the project, times each, and ends with a summary of times and
# skips. `tests/run_suites.sh lint` runs only the linters. Called by `make test` / `make lint`.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The SQL linter compiles the project: give it a database of its own.
export RETAIL_CHURN_DB="$scratch/lint.duckdb"

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

run_suite "ruff" "$bin/ruff" check .
run_suite "ruff format" "$bin/ruff" format --check .
run_suite "sqlfluff" "$bin/sqlfluff" lint models analyses tests --processes 2
if [ "${1:-}" != "lint" ]; then
    run_suite "pytest" "$bin/python" -m pytest tests -rs --junitxml "$scratch/pytest.xml"
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
