"""A warehouse file held by another process stops `make run` at once, saying which file and what
to do; scripts opening it through warehouse.connection get the same message."""

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR, file_held_open

from warehouse.connection import (
    WarehouseLockedError,
    connect_warehouse,
    ensure_warehouse_unlocked,
)


# Opens the file read-write, as a notebook or a SQL client would, until its stdin closes.
@dataclass(frozen=True)
class HeldFile:
    path: Path
    pid: int


@pytest.fixture
def held_warehouse(tmp_path: Path) -> Iterator[HeldFile]:
    path = tmp_path / "held.duckdb"
    with file_held_open(path, read_only=False) as pid:
        yield HeldFile(path, pid)


def test_make_run_stops_before_dbt_naming_the_locked_file(held_warehouse: HeldFile) -> None:
    # RUN_DEPS= skips the install step: the shared environment is already installed.
    result = subprocess.run(
        ["make", "--no-print-directory", "run", "RUN_DEPS="],
        cwd=PROJECT_DIR,
        env={**os.environ, "RETAIL_CHURN_DB": str(held_warehouse.path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert f"The warehouse file {held_warehouse.path} is locked" in result.stderr
    assert f"(PID {held_warehouse.pid})" in result.stderr
    assert "RETAIL_CHURN_DB=" in result.stderr
    assert "Traceback" not in result.stderr
    assert "dbt build" not in result.stdout


@pytest.mark.parametrize("read_only", [True, False], ids=["reader", "writer"])
def test_connect_warehouse_explains_a_held_file(held_warehouse: HeldFile, read_only: bool) -> None:
    with pytest.raises(WarehouseLockedError) as locked:
        connect_warehouse(held_warehouse.path, read_only=read_only)
    assert str(held_warehouse.path) in str(locked.value)
    assert f"kill {held_warehouse.pid}" in str(locked.value)


def test_a_free_or_missing_file_passes_the_check_and_is_not_created(tmp_path: Path) -> None:
    free = tmp_path / "free.duckdb"
    duckdb.connect(str(free)).close()
    ensure_warehouse_unlocked(free)
    missing = tmp_path / "missing.duckdb"
    ensure_warehouse_unlocked(missing)
    assert not missing.exists()
