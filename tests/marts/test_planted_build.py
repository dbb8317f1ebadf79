"""The generated file with planted effects builds, and its customers mart equals pandas'."""

import pandas as pd
from conftest import PLANTED_ROWS, Warehouse
from pandas.testing import assert_frame_equal


def test_planted_customers_mart_equals_pandas_row_for_row(
    planted_warehouse: Warehouse, planted_reference: pd.DataFrame
) -> None:
    got = planted_warehouse.query("select * from customers order by customer_id")
    expected = planted_reference.sort_values("customer_id").reset_index(drop=True)
    assert len(got) == PLANTED_ROWS
    assert_frame_equal(got[expected.columns], expected, check_dtype=False)
