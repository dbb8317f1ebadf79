"""The order-log marts three ways on one small generated log: the warehouse, the pandas
reference (bench.pandas_orders) and polars (bench.polars_orders), which the benchmark times
side by side on large logs. The warehouse equals pandas as every mart test holds it (p-values to
1e-6, the SQL's own distribution functions); polars equals pandas to 1e-9 relative, p-values
included (both end in scipy). The same log as Parquet gives both the same marts as its CSV."""

from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from conftest import GeneratedOrderLog, assert_mart_equals_reference, assert_same_customers

from bench import order_log, pandas_orders, polars_orders
from bench.reference import orders

MARTS = list(pandas_orders.MART_KEYS)


def comparable(table: pd.DataFrame | pl.DataFrame) -> pd.DataFrame:
    """A mart as pandas, dates as YYYY-MM-DD text (DuckDB, polars and pandas each type dates
    their own way)."""
    frame = table.to_pandas() if isinstance(table, pl.DataFrame) else table.copy()
    for column in ("cohort_month", "first_order_date", "last_order_date", "snapshot_date"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d")
    return frame


@pytest.fixture(scope="module")
def pandas_marts(generated_orders: GeneratedOrderLog) -> dict[str, pd.DataFrame]:
    return pandas_orders.all_marts(generated_orders.path)


@pytest.fixture(scope="module")
def polars_marts(generated_orders: GeneratedOrderLog) -> dict[str, pl.DataFrame]:
    return polars_orders.all_marts(generated_orders.path)


@pytest.fixture(scope="module")
def parquet_log(generated_orders: GeneratedOrderLog, tmp_path_factory) -> Path:
    """The same log as Parquet: the same seed and length (the generator writes both alike)."""
    lines = len(pd.read_csv(generated_orders.path))
    return order_log.write(lines, 11, "parquet", tmp_path_factory.mktemp("log") / "orders.parquet")


def test_every_order_log_mart_is_computed_by_both(
    pandas_marts: dict[str, pd.DataFrame], polars_marts: dict[str, pl.DataFrame]
) -> None:
    assert list(pandas_marts) == list(polars_marts) == ["customers", *MARTS]
    for name in MARTS:
        assert len(pandas_marts[name]) > 0, name


def test_the_snapshot_is_the_warehouse_s(
    generated_orders: GeneratedOrderLog, pandas_marts: dict[str, pd.DataFrame]
) -> None:
    got = generated_orders.warehouse.query("select snapshot_date from int_snapshot").iloc[0, 0]
    assert pd.Timestamp(got).date() == pandas_orders.snapshot_of(pandas_marts)


def test_warehouse_customers_equal_pandas(
    generated_orders: GeneratedOrderLog, pandas_marts: dict[str, pd.DataFrame]
) -> None:
    got = comparable(generated_orders.warehouse.table("customers"))
    assert_same_customers(got, comparable(pandas_marts["customers"]))


@pytest.mark.parametrize("mart", MARTS)
def test_warehouse_mart_equals_pandas(
    mart: str, generated_orders: GeneratedOrderLog, pandas_marts: dict[str, pd.DataFrame]
) -> None:
    expected = comparable(pandas_marts[mart])
    got = comparable(generated_orders.warehouse.table(mart))[expected.columns]
    assert_mart_equals_reference(mart, got, expected, pandas_orders.MART_KEYS[mart])


def test_polars_customers_equal_pandas(
    pandas_marts: dict[str, pd.DataFrame], polars_marts: dict[str, pl.DataFrame]
) -> None:
    expected = comparable(pandas_marts["customers"])
    got = comparable(polars_marts["customers"])
    assert list(got.columns) == list(expected.columns)
    assert_same_customers(got, expected)


@pytest.mark.parametrize("mart", MARTS)
def test_polars_mart_equals_pandas(
    mart: str, pandas_marts: dict[str, pd.DataFrame], polars_marts: dict[str, pl.DataFrame]
) -> None:
    expected, got = comparable(pandas_marts[mart]), comparable(polars_marts[mart])
    assert list(got.columns) == list(expected.columns), f"{mart}: column order differs"
    keys = pandas_orders.MART_KEYS[mart]
    assert got[keys].equals(expected[keys]), f"{mart}: row order differs"
    assert_mart_equals_reference(mart, got, expected, keys, p_value_tolerance=None)


@pytest.mark.parametrize("implementation", [pandas_orders, polars_orders])
def test_a_parquet_log_gives_the_marts_of_its_csv(
    implementation, parquet_log: Path, generated_orders: GeneratedOrderLog
) -> None:
    from_csv = implementation.all_marts(generated_orders.path)
    from_parquet = implementation.all_marts(parquet_log)
    for mart in MARTS:
        expected, got = comparable(from_csv[mart]), comparable(from_parquet[mart])
        keys = pandas_orders.MART_KEYS[mart]
        assert_mart_equals_reference(mart, got, expected, keys, p_value_tolerance=None)
    # Parquet keeps the ids' integer type; as text they are the CSV's
    customers = comparable(from_parquet["customers"])
    customers["customer_id"] = customers["customer_id"].astype(str)
    assert_same_customers(customers, comparable(from_csv["customers"]))


def test_the_log_has_what_the_comparison_needs(pandas_marts: dict[str, pd.DataFrame]) -> None:
    """Returns, several cohorts and churned and active customers: every rule is exercised."""
    customers = pandas_marts["customers"]
    assert customers["num_returns"].gt(0).any()
    assert 0 < customers["is_churned"].mean() < 1
    assert pandas_marts["cohort_retention"]["cohort_month"].nunique() == 12
    assert set(pandas_marts["churn_by_segment"]["dimension"]) == {
        "overall",
        *orders.ORDER_LOG_DIMENSIONS,
    }
