"""The project built on Spark (pyspark local mode) equals the DuckDB build: the same nodes pass
(all but the generic and unit tests, which run on DuckDB and PostgreSQL), and every model and
seed relation holds the same rows, cell by cell (tests/engines/relations.py)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import SEED_CSV, DbtBuildError
from engines.engine import Build, Engine, generic_and_unit_tests, read_through_file_readers
from engines.order_log import ORDER_LOG_MODELS
from engines.plans import (
    compiled_models,
    rows_gathered_in_one_partition,
    single_partition_steps,
)
from engines.relations import build_differences


def test_spark_build_runs_and_passes_every_node_the_duckdb_build_does(
    spark_build: Build, duckdb_build: Build, spark_engine: Engine
) -> None:
    """Every node but the generic and unit tests (SPARK_BUILD_EXCLUDE in conftest.py)."""
    left_out = generic_and_unit_tests(spark_engine.target_dir)
    assert left_out, "the manifest lists no generic or unit tests"
    expected = {
        node: status for node, status in duckdb_build.node_statuses.items() if node not in left_out
    }
    assert spark_build.node_statuses == expected


def test_every_relation_on_spark_equals_duckdb(spark_build: Build, duckdb_build: Build) -> None:
    assert "customers" in duckdb_build.relations
    problems = build_differences(duckdb_build.relations, spark_build.relations)
    assert not problems, "\n".join(problems)


def test_order_log_path_on_spark_equals_duckdb(
    spark_order_log_build: Build, duckdb_order_log_build: Build
) -> None:
    """The same nodes pass (but the generic and unit tests) and every model of the path holds
    the same rows: the day-first dates read by Spark's own parser, the impossible day and the
    non-number rejected with the same reasons, the customers derived alike."""
    left_out = generic_and_unit_tests(spark_order_log_build.target_dir)
    expected = {
        node: status
        for node, status in duckdb_order_log_build.node_statuses.items()
        if node not in left_out
    }
    assert spark_order_log_build.node_statuses == expected
    assert len(duckdb_order_log_build.relations["customers"]) > 10
    # several cohorts, some months with nobody buying: Q10 is compared cell by cell
    assert len(duckdb_order_log_build.relations["cohort_retention"]) > 10
    problems = build_differences(duckdb_order_log_build.relations, spark_order_log_build.relations)
    assert not problems, "\n".join(problems)


def group_tables(build: Build) -> set[str]:
    """The relations of build with fewer rows than it has customers: groups of them (segments,
    measure pairs, p-values), where one partition is no bottleneck."""
    customers = len(build.relations["customers"])
    return {name for name, rows in build.relations.items() if len(rows) < customers}


def test_no_model_puts_every_customer_or_order_line_in_one_partition(
    spark_build: Build, spark_order_log_build: Build, spark_engine: Engine
) -> None:
    """EXPLAIN of every compiled model of both paths (the customer snapshot and the order
    log), planned as at millions of rows: no step sends every customer or order line to one
    partition, the one core that would compute it on a cluster of any size; one over groups (a
    running total over one row per file part, the ranks of a dozen p-values) is fine."""
    from pyspark.sql import SparkSession

    session = SparkSession.builder.getOrCreate()
    for build, target_dir in (
        (spark_build, spark_engine.target_dir),
        (spark_order_log_build, spark_order_log_build.target_dir),
    ):
        assert len(compiled_models(target_dir)) >= len(ORDER_LOG_MODELS)
        with session_settings(session, NO_SIZE_BASED_BROADCAST):
            found = single_partition_steps(session, target_dir, group_tables(build))
        assert found == {}, "\n".join(f"{model}: {steps}" for model, steps in found.items())


def test_the_plan_check_finds_the_numbering_of_every_customer_in_one_partition(
    spark_build: Build, spark_engine: Engine
) -> None:
    """The seed numbered as base_customers numbered it before (row_number over the whole
    table, as the file readers did with monotonically_increasing_id): the check finds it, so
    the test above cannot pass for want of finding anything; partitioned, it passes."""
    from pyspark.sql import SparkSession

    session = SparkSession.builder.getOrCreate()
    groups = group_tables(spark_build)
    numbered = "select row_number() over ({} order by customer_id) as input_row_number, *"
    table = f" from {spark_engine.environment['RETAIL_CHURN_SPARK_SCHEMA']}.raw_customers"
    for partition, expected in (("", 1), ("partition by gender", 0)):
        plan = session.sql(f"explain {numbered.format(partition)}{table}").collect()[0][0]
        assert len(rows_gathered_in_one_partition(plan, groups)) == expected, plan


def test_the_plan_check_finds_a_file_joined_to_its_offsets_on_its_path(
    spark_build: Build, seed_parquet: Path
) -> None:
    """The file's rows joined to one row per file on the file path, as the Parquet reader did
    before it broadcast that row: planned as at 10M rows, the join sends the file's rows (all
    of them, of one file) to one partition, and the check finds it; broadcast, it passes."""
    from pyspark.sql import SparkSession

    session = SparkSession.builder.getOrCreate()
    rows = f"(select *, _metadata.file_path as input_file_path from parquet.`{seed_parquet}`)"
    query = (
        "select {hint} file_rows.*, file_offsets.file_rows from {rows} as file_rows"
        " inner join (select input_file_path, count(*) as file_rows from {rows} as f"
        " group by input_file_path) as file_offsets"
        " on file_rows.input_file_path = file_offsets.input_file_path"
    )
    with session_settings(session, NO_SIZE_BASED_BROADCAST):
        for hint, expected in (("", 1), ("/*+ BROADCAST(file_offsets) */", 0)):
            plan = session.sql(f"explain {query.format(hint=hint, rows=rows)}").collect()[0][0]
            found = rows_gathered_in_one_partition(plan, group_tables(spark_build))
            assert len(found) == expected, plan


@contextmanager
def session_settings(session: object, settings: dict[str, str]) -> Iterator[None]:
    """The session with settings, restored afterwards."""
    previous = {name: session.conf.get(name) for name in settings}
    try:
        for name, value in settings.items():
            session.conf.set(name, value)
        yield
    finally:
        for name, value in previous.items():
            session.conf.set(name, value)


# Spark splits files into parts of about 4 kB inside the block, so a small file is read by many
# tasks.
SMALL_FILE_PARTS = {
    "spark.sql.files.maxPartitionBytes": "4096",
    "spark.sql.files.openCostInBytes": "0",
}
# Plans as at millions of rows: Spark broadcasts a side of a join only below a size estimate,
# which the seed's tables all are; hints (`/*+ BROADCAST */`) still apply.
NO_SIZE_BASED_BROADCAST = {"spark.sql.autoBroadcastJoinThreshold": "-1"}


def test_csv_and_parquet_readers_read_a_file_row_for_row_when_many_tasks_read_parts_of_it(
    spark_engine: Engine, tmp_path: Path
) -> None:
    """The seed as CSV and as Parquet in row groups of 50, each read by many tasks, equals
    pandas' reading row for row, numbered in file order."""
    from pyspark.sql import SparkSession

    parquet = tmp_path / "customers_in_row_groups.parquet"
    pq.write_table(pa.Table.from_pandas(pd.read_csv(SEED_CSV)), parquet, row_group_size=50)
    session = SparkSession.builder.getOrCreate()
    with session_settings(session, SMALL_FILE_PARTS):
        for path, reader in ((SEED_CSV, "csv"), (parquet, "parquet")):
            parts = session.sql(
                f"select count(distinct _metadata.file_block_start) from {reader}.`{path}`"
            ).collect()[0][0]
            assert parts > 5, f"{path.name} is read in {parts} parts"
        read_through_file_readers(spark_engine, SEED_CSV, parquet)


def test_a_csv_file_with_a_line_break_inside_a_quoted_field_stops_with_a_clear_message(
    spark_engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "quoted_line_break.csv"
    path.write_text('id,note\r\n1,"first line\r\nsecond line"\r\n2,plain\r\n')
    with pytest.raises(DbtBuildError) as failure:
        spark_engine.show(f"{{%- set file = read_csv_as_text('{path}') -%}} select 1 as read")
    message = str(failure.value)
    assert "has a quoted field with a line break inside (2 lines" in message
    assert "convert the file to Parquet" in message
