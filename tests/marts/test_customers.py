"""The customers mart against pandas: every column, and the band counts from independent edges."""

import pandas as pd
import pytest
from conftest import Warehouse
from pandas.testing import assert_frame_equal

from bench.reference import customers as reference

BAND_COLUMNS = list(reference.BANDS)


def test_customers_mart_equals_pandas_row_for_row(
    seed_warehouse: Warehouse, seed_reference: pd.DataFrame
) -> None:
    got = seed_warehouse.query("select * from customers order by customer_id").reset_index(
        drop=True
    )
    expected = seed_reference.sort_values("customer_id").reset_index(drop=True)
    assert_frame_equal(got[expected.columns], expected, check_dtype=False)


@pytest.mark.parametrize("band", BAND_COLUMNS)
def test_band_sizes_equal_pandas_cut_on_the_documented_edges(
    seed_warehouse: Warehouse, seed_reference: pd.DataFrame, band: str
) -> None:
    got = seed_warehouse.query(f"select {band}, count(*) as n from customers group by all")
    expected = seed_reference[band].value_counts()
    assert dict(zip(got[band], got["n"], strict=True)) == expected.to_dict()
    assert got["n"].sum() == 1000
