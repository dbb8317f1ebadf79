"""What each build runs: the test build every node of the manifest, the main job (a plain
`dbt build`, `make run`) every node but the checks of the SQL: the unit tests and the singular
tests tagged sql_check, which read nothing the build made. Read from dbt's own artifacts."""

import json
import re
import subprocess
from pathlib import Path

from conftest import PROJECT_DIR, Warehouse

SQL_CHECK = "sql_check"


def artifact(warehouse: Warehouse, name: str) -> dict:
    """An artifact of the build that made warehouse (conftest.run_dbt's target path)."""
    return json.loads((warehouse.path.parent / "target" / name).read_text())


def ran(warehouse: Warehouse) -> set[str]:
    """unique_id of every node the build ran, from its run_results.json."""
    return {result["unique_id"] for result in artifact(warehouse, "run_results.json")["results"]}


def buildable(manifest: dict) -> dict[str, set[str]]:
    """Resource type -> unique_id of every node a `dbt build` can run, from the manifest."""
    nodes: dict[str, set[str]] = {}
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] in {"model", "seed", "test", "snapshot"}:
            nodes.setdefault(node["resource_type"], set()).add(unique_id)
    nodes["unit_test"] = set(manifest["unit_tests"])
    return nodes


def test_the_test_build_runs_every_node_of_the_manifest(seed_warehouse: Warehouse) -> None:
    nodes = buildable(artifact(seed_warehouse, "manifest.json"))
    assert len(nodes["unit_test"]) > 20
    missing = set().union(*nodes.values()) - ran(seed_warehouse)
    assert not missing, f"the test build left out {sorted(missing)}"


def sql_checks(manifest: dict) -> set[str]:
    """unique_id of every test tagged sql_check."""
    return {
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "test" and SQL_CHECK in node["tags"]
    }


def test_the_main_job_runs_every_node_but_the_checks_of_the_sql(
    planted_warehouse: Warehouse,
) -> None:
    manifest = artifact(planted_warehouse, "manifest.json")
    nodes = buildable(manifest)
    unit_tests = nodes.pop("unit_test")
    checks = sql_checks(manifest)
    built = ran(planted_warehouse)
    assert not built & unit_tests, "the main job ran unit tests"
    assert not built & checks, "the main job ran sql_check tests"
    missing = set().union(*nodes.values()) - checks - built
    assert not missing, f"the main job left out {sorted(missing)}"


def test_a_test_is_a_sql_check_exactly_when_it_reads_nothing_the_build_made(
    seed_warehouse: Warehouse,
) -> None:
    """The tag is no way to leave a check of the data out of the main job: every sql_check test
    reads no model, seed or snapshot, and every test that reads none is a sql_check test."""
    manifest = artifact(seed_warehouse, "manifest.json")
    tests = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "test"
    }
    reading_nothing = {
        unique_id for unique_id, node in tests.items() if not node["depends_on"]["nodes"]
    }
    assert len(reading_nothing) >= 10
    assert sql_checks(manifest) == reading_nothing


def test_a_plain_dbt_build_is_the_main_job(planted_warehouse: Warehouse) -> None:
    """`make run` runs `dbt build` with no selection, so dbt takes the default selector: the
    one the main-job build above names."""
    selectors = artifact(planted_warehouse, "manifest.json")["selectors"]
    assert [name for name, selector in selectors.items() if selector.get("default")] == ["main_job"]
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "--dry-run", "run", "build", "RUN_DEPS="],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    builds = [line for line in dry_run.stdout.splitlines() if re.search(r"\bdbt build\b", line)]
    assert len(builds) == 2
    assert all(line.rstrip().endswith("dbt build") for line in builds), builds


def test_no_build_in_the_tests_leaves_its_selection_to_the_default() -> None:
    """Every `dbt build` the tests run names --select, --exclude or --selector."""
    plain = []
    for path in Path(PROJECT_DIR / "tests").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"""\[\s*["']build["']\s*\]""", line):
                plain.append(f"{path.relative_to(PROJECT_DIR)}:{number}")
    assert not plain, f"builds without a selection: {plain}"
