"""A warehouse the plots cannot read stops with what to do, not a traceback; `make run` and the
dbt exposure are wired to the plots."""

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR, Warehouse, file_held_open

from plots.cli import main
from plots.marts import MARTS
from tests.plots.conftest import PlotRun


def run_plots(
    database: Path,
    output_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str]:
    """`python -m plots --output-dir output_dir` in-process on database: status and stderr."""
    monkeypatch.setenv("RETAIL_CHURN_DB", str(database))
    status = main(["--output-dir", str(output_dir)])
    return status, capsys.readouterr().err


def test_a_missing_warehouse_says_to_run_make_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.duckdb"
    status, error = run_plots(missing, tmp_path / "output", monkeypatch, capsys)
    assert status == 1
    assert error.startswith(f"error: There is no warehouse at {missing}")
    assert "`make run`" in error
    assert "Traceback" not in error
    assert not missing.exists()
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ("drop table churn_drivers", "has no churn_drivers (mart the charts read)"),
        ("delete from customers", "has no customers: there is nothing to draw"),
    ],
    ids=["a mart missing", "no customers"],
)
def test_an_incomplete_warehouse_is_named_with_make_run_as_the_fix(
    change: str,
    says: str,
    seed_plots: PlotRun,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    copy = tmp_path / "incomplete.duckdb"
    shutil.copyfile(seed_plots.warehouse.path, copy)
    with duckdb.connect(str(copy)) as connection:
        connection.execute(change)
    status, error = run_plots(copy, tmp_path / "output", monkeypatch, capsys)
    assert status == 1
    assert f"The warehouse {copy} {says}" in error
    assert "`make run`" in error
    assert "Traceback" not in error


@pytest.fixture
def held_for_writing(seed_plots: PlotRun, tmp_path: Path) -> Iterator[tuple[Path, int]]:
    copy = tmp_path / "held.duckdb"
    shutil.copyfile(seed_plots.warehouse.path, copy)
    with file_held_open(copy, read_only=False) as pid:
        yield copy, pid


def test_a_file_another_process_writes_is_named_with_its_holder(
    held_for_writing: tuple[Path, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, pid = held_for_writing
    status, error = run_plots(path, tmp_path / "output", monkeypatch, capsys)
    assert status == 1
    assert f"The warehouse file {path} is locked" in error
    assert f"(PID {pid})" in error
    assert "Traceback" not in error


def manifest(warehouse: Warehouse) -> dict:
    """The manifest of the session's dbt build of the seed (conftest.run_dbt's target path)."""
    return json.loads((warehouse.path.parent / "target" / "manifest.json").read_text())


def test_the_exposure_depends_on_exactly_the_marts_the_plots_read(
    seed_warehouse: Warehouse,
) -> None:
    project = manifest(seed_warehouse)
    exposure = project["exposures"]["exposure.retail_churn.plots_report"]
    assert exposure["type"] == "analysis"
    models = {node["name"]: node for node in project["nodes"].values()}
    depends = {project["nodes"][node]["name"] for node in exposure["depends_on"]["nodes"]}
    defined = set(MARTS) & set(models)
    assert depends == defined
    for mart in defined:
        assert models[mart]["original_file_path"].startswith("models/marts/"), mart
    if defined != set(MARTS):
        pytest.skip(
            f"{sorted(set(MARTS) - defined)} not built by this project yet: add a ref to the "
            "exposure in models/marts/_plots__exposures.yml when it lands"
        )


def test_make_run_draws_the_charts_last_after_dbt_build() -> None:
    result = subprocess.run(
        ["make", "--no-print-directory", "--dry-run", "run", "RUN_DEPS="],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    commands = result.stdout.strip().splitlines()
    build = next(i for i, line in enumerate(commands) if line.endswith("dbt build"))
    assert commands[-1].endswith("python -m plots")
    assert build < len(commands) - 1
