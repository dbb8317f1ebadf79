"""A 100,000-row Parquet file built through `raw_customers_path`: every mart equals pandas'.

The benchmark times bench.pandas_marts against the warehouse; this checks on the same kind of file
that the two compute the same figures, at a size where the fast paths of the SQL (ranks looked
up from distinct values, correlations from centred sums, per-dimension grouping) meet many tied
and many distinct values. Models and seeds only: the data tests run in the seed and planted
builds, and running them here would double the cost for no new check.
"""

from pathlib import Path

import pandas as pd
import pytest
from conftest import MART_KEYS, Warehouse, assert_mart_equals_reference, run_dbt
from pandas.testing import assert_frame_equal

from bench import generate
from bench.pandas_marts import all_marts
from bench.reference import gqm

ROWS = 100_000
SEED = 3


@pytest.fixture(scope="module")
def customer_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("external") / f"customers_{ROWS}.parquet"
    return generate.generate(ROWS, SEED, "parquet", out)


@pytest.fixture(scope="module")
def external_warehouse(customer_file: Path) -> Warehouse:
    db_path = customer_file.parent / "warehouse.duckdb"
    run_dbt(
        ["build", "--select", "resource_type:model", "resource_type:seed"],
        db_path,
        dbt_vars={"raw_customers_path": str(customer_file)},
    )
    return Warehouse(db_path)


@pytest.fixture(scope="module")
def pandas_marts(customer_file: Path) -> dict[str, pd.DataFrame]:
    return all_marts(customer_file)


def test_every_customer_is_staged_and_the_customers_mart_equals_pandas(
    external_warehouse: Warehouse, pandas_marts: dict[str, pd.DataFrame]
) -> None:
    got = external_warehouse.query("select * from customers order by customer_id")
    expected = pandas_marts["customers"].sort_values("customer_id").reset_index(drop=True)
    assert len(got) == ROWS
    assert_frame_equal(got[expected.columns], expected, check_dtype=False)


@pytest.mark.parametrize(
    "mart", [*gqm.MARTS, "churn_overview", "churn_by_segment", "churn_drivers"]
)
def test_mart_equals_pandas_at_scale(
    mart: str, external_warehouse: Warehouse, pandas_marts: dict[str, pd.DataFrame]
) -> None:
    got = external_warehouse.table(mart)
    expected = pandas_marts[mart]
    assert_mart_equals_reference(mart, got[list(expected.columns)], expected, MART_KEYS[mart])


def test_without_planted_effects_every_churn_driver_is_no_meaningful_effect(
    external_warehouse: Warehouse, pandas_marts: dict[str, pd.DataFrame]
) -> None:
    """The generator plants nothing here: at 100,000 customers every factor's 90% interval lies
    inside its margin, so the warehouse says the data rule a meaningful effect out, not merely
    that it found none (the reference, from scipy and statsmodels, agrees factor by factor)."""
    got = external_warehouse.query("select factor, verdict from churn_drivers order by factor")
    expected = pandas_marts["churn_drivers"].sort_values("factor")
    assert len(got) == 13
    assert got["verdict"].tolist() == ["no meaningful effect"] * 13
    assert expected["verdict"].tolist() == got["verdict"].tolist()
