"""The statistics suites render one macro over a grid of inputs and compare it with scipy."""

from collections.abc import Callable

import duckdb
import pandas as pd
import pytest
from conftest import compile_sql


@pytest.fixture(scope="module")
def evaluate(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str, pd.DataFrame], pd.DataFrame]:
    """Renders a query that calls macros with dbt and runs it on DuckDB over `grid`, a pandas
    frame; the rows come back in `id` order where the result has that column."""
    work_dir = tmp_path_factory.mktemp("macros")

    def run(query: str, grid: pd.DataFrame) -> pd.DataFrame:
        with duckdb.connect() as connection:
            connection.register("grid", grid)
            result = connection.sql(compile_sql(query, work_dir)).df()
        if "id" in result:
            return result.sort_values("id").reset_index(drop=True)
        return result

    return run
