"""The project built on PostgreSQL equals the DuckDB build: the same nodes pass, and every model
and seed relation holds the same rows, cell by cell (tests/engines/relations.py)."""

from pathlib import Path

from engines.engine import Build, Engine, read_through_file_readers, staged_from_file
from engines.relations import build_differences, differences


def test_postgres_build_runs_and_passes_every_node_the_duckdb_build_does(
    postgres_build: Build, duckdb_build: Build
) -> None:
    assert postgres_build.node_statuses == duckdb_build.node_statuses


def test_every_relation_on_postgres_equals_duckdb(
    postgres_build: Build, duckdb_build: Build
) -> None:
    assert "customers" in duckdb_build.relations
    problems = build_differences(duckdb_build.relations, postgres_build.relations)
    assert not problems, "\n".join(problems)


def test_csv_reader_loads_a_file_with_copy_row_for_row(
    postgres_engine: Engine, server_readable_seed_csv: Path
) -> None:
    read_through_file_readers(postgres_engine, server_readable_seed_csv, None)


def test_staging_reads_the_csv_file_as_duckdb_reads_the_seed(
    postgres_engine: Engine, duckdb_build: Build, server_readable_seed_csv: Path
) -> None:
    staged = staged_from_file(postgres_engine, server_readable_seed_csv)
    problems = differences("stg_customers", duckdb_build.relations["stg_customers"], staged)
    assert not problems, "\n".join(problems)


def test_order_log_path_on_postgres_equals_duckdb(
    postgres_order_log_build: Build, duckdb_order_log_build: Build
) -> None:
    """Every node of the path and its tests passes as on DuckDB, and every model holds the same
    rows: PostgreSQL reads the day-first dates with to_timestamp and rejects 31 April before
    casting (its to_timestamp would raise)."""
    assert postgres_order_log_build.node_statuses == duckdb_order_log_build.node_statuses
    assert len(duckdb_order_log_build.relations["customers"]) > 10
    # several cohorts, some months with nobody buying: Q10 is compared cell by cell
    assert len(duckdb_order_log_build.relations["cohort_retention"]) > 10
    problems = build_differences(
        duckdb_order_log_build.relations, postgres_order_log_build.relations
    )
    assert not problems, "\n".join(problems)
