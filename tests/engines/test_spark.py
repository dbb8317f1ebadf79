"""The project built on Spark (pyspark local mode) equals the DuckDB build: the same nodes pass,
and every model and seed relation holds the same rows, cell by cell (tests/engines/relations.py)."""

from pathlib import Path

from conftest import SEED_CSV
from engines.engine import Build, Engine, read_through_file_readers
from engines.relations import build_differences


def test_spark_build_runs_and_passes_every_node_the_duckdb_build_does(
    spark_build: Build, duckdb_build: Build
) -> None:
    assert spark_build.node_statuses == duckdb_build.node_statuses


def test_every_relation_on_spark_equals_duckdb(spark_build: Build, duckdb_build: Build) -> None:
    assert "customers" in duckdb_build.relations
    problems = build_differences(duckdb_build.relations, spark_build.relations)
    assert not problems, "\n".join(problems)


def test_csv_and_parquet_readers_read_a_file_row_for_row(
    spark_engine: Engine, seed_parquet: Path
) -> None:
    read_through_file_readers(spark_engine, SEED_CSV, seed_parquet)
