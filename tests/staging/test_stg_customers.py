"""stg_customers against pandas reading the same files."""

from pathlib import Path

import pandas as pd
import pytest
from conftest import SEED_CSV, Warehouse, run_dbt
from pandas.testing import assert_frame_equal

from bench.reference import customers as reference

CATEGORY_COLUMNS = ["gender", "promotion_response", "is_email_opted_in", "is_churned"]


def staged(warehouse: Warehouse) -> pd.DataFrame:
    return warehouse.query("select * from stg_customers order by customer_id").reset_index(
        drop=True
    )


def test_staging_keeps_every_seed_row(seed_warehouse: Warehouse) -> None:
    assert len(staged(seed_warehouse)) == 1000
    assert seed_warehouse.table("customer_rejects").empty


@pytest.mark.parametrize("column", reference.NUMERIC_MEASURES)
def test_staged_numeric_column_sums_equal_pandas(
    seed_warehouse: Warehouse, seed_reference: pd.DataFrame, column: str
) -> None:
    assert staged(seed_warehouse)[column].sum() == pytest.approx(
        seed_reference[column].sum(), rel=1e-12
    )


@pytest.mark.parametrize("column", CATEGORY_COLUMNS)
def test_staged_category_counts_equal_pandas(
    seed_warehouse: Warehouse, seed_reference: pd.DataFrame, column: str
) -> None:
    got = staged(seed_warehouse)[column].value_counts().sort_index()
    expected = seed_reference[column].value_counts().sort_index()
    assert got.to_dict() == expected.to_dict()


def build_staging_from(path: Path, directory: Path) -> pd.DataFrame:
    db_path = directory / "staging.duckdb"
    run_dbt(
        ["build", "--select", "+stg_customers", "customer_rejects"],
        db_path,
        dbt_vars={"raw_customers_path": str(path)},
    )
    return staged(Warehouse(db_path))


def test_a_parquet_copy_stages_the_same_customers(
    seed_warehouse: Warehouse, tmp_path: Path
) -> None:
    parquet = tmp_path / "customers.parquet"
    pd.read_csv(SEED_CSV).to_parquet(parquet)
    assert_frame_equal(build_staging_from(parquet, tmp_path), staged(seed_warehouse))


def test_the_one_zero_encoded_csv_stages_the_same_customers(
    seed_warehouse: Warehouse, shared_data_dir: Path, tmp_path: Path
) -> None:
    one_zero_csv = shared_data_dir / "online_retail_customer_churn_01.csv"
    assert_frame_equal(build_staging_from(one_zero_csv, tmp_path), staged(seed_warehouse))


def test_the_reference_reads_the_seed_as_kaggle_publishes_it() -> None:
    customers = reference.read_customers(SEED_CSV)
    assert customers["is_churned"].sum() == 526
    assert customers["is_email_opted_in"].sum() == 529
