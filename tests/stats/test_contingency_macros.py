"""The chi-square test of a contingency table and the Pearson correlation macro against scipy."""

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from scipy import stats


def test_chi_square_test_equals_scipy_chi2_contingency_for_many_shapes(
    evaluate: Callable,
) -> None:
    generator = np.random.default_rng(5)
    tables = {}
    for table_id, (rows, columns, scale) in enumerate(
        [(2, 2, 10), (2, 2, 5000), (3, 2, 40), (2, 5, 300), (6, 4, 80), (4, 3, 2_000_000)] * 3
    ):
        tables[table_id] = generator.integers(1, scale, size=(rows, columns))
    # A table whose cells follow its margins exactly: chi-square 0, p 1.
    tables[len(tables)] = np.array([[10, 30], [20, 60]])
    cells = pd.DataFrame(
        [
            (table_id, f"row {i}", f"column {j}", int(count))
            for table_id, table in tables.items()
            for (i, j), count in np.ndenumerate(table)
        ],
        columns=["table_id", "table_row", "table_column", "observed"],
    )
    got = evaluate(
        "{{ chi_square_test('grid', ['table_id'], 'table_row', 'table_column', 'observed') }}",
        cells,
    ).set_index("table_id")
    for table_id, table in tables.items():
        expected = stats.chi2_contingency(table, correction=False)
        row = got.loc[table_id]
        assert row["statistic"] == pytest.approx(expected.statistic, rel=1e-9, abs=1e-9)
        assert row["degrees_of_freedom"] == expected.dof
        assert row["p_value"] == pytest.approx(expected.pvalue, abs=1e-9)
        cramer = stats.contingency.association(table, method="cramer")
        assert row["cramers_v"] == pytest.approx(cramer, rel=1e-9, abs=1e-9)


def test_pearson_correlation_equals_scipy_and_is_null_for_a_constant(
    evaluate: Callable,
) -> None:
    generator = np.random.default_rng(3)
    x = generator.normal(50, 10, size=5000)
    churned = (generator.random(5000) < 0.3 + 0.004 * (x - 50)).astype(float)
    grid = pd.DataFrame({"x": x, "churned": churned, "constant": 7.0})
    got = evaluate(
        "select {{ pearson_correlation('x', 'churned') }} as r,"
        " {{ pearson_correlation('constant', 'churned') }} as r_constant from grid",
        grid,
    )
    assert got.at[0, "r"] == pytest.approx(stats.pointbiserialr(churned, x).statistic, abs=1e-12)
    assert pd.isna(got.at[0, "r_constant"])
