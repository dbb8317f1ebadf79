"""The DuckDB file readers of macros/cross_engine.sql (the other engines' are checked in their
suites): a CSV file's header and fields as text, a Parquet file's typed columns, in file order."""

from pathlib import Path

from conftest import SEED_CSV
from engines.engine import Engine, read_through_file_readers


def test_duckdb_reads_csv_and_parquet_files_row_for_row(
    duckdb_engine: Engine, seed_parquet: Path
) -> None:
    read_through_file_readers(duckdb_engine, SEED_CSV, seed_parquet)
