"""Every figure of every question mart against pandas/scipy, on the seed and on planted data.

The reference (bench/reference/gqm.py) computes each mart from the customers file with pandas
and scipy; nothing here is copied from the SQL's output. Tolerances: p-values to 1e-6 absolute
(the issue's bar), every other number to 1e-9 relative.
"""

import pandas as pd
import pytest
from conftest import Warehouse, assert_mart_equals_reference

from bench.reference import gqm

PLANTED_PAIRS = [("annual_income_k_usd", "total_spend"), ("num_support_contacts", "is_churned")]


@pytest.mark.parametrize("mart", list(gqm.MARTS))
def test_mart_equals_pandas_and_scipy_on_the_seed(
    mart: str, seed_warehouse: Warehouse, seed_reference: pd.DataFrame
) -> None:
    compute, keys = gqm.MARTS[mart]
    assert_mart_equals_reference(mart, seed_warehouse.table(mart), compute(seed_reference), keys)


@pytest.mark.parametrize("mart", list(gqm.MARTS))
def test_mart_equals_pandas_and_scipy_on_planted_data(
    mart: str, planted_warehouse: Warehouse, planted_reference: pd.DataFrame
) -> None:
    compute, keys = gqm.MARTS[mart]
    assert_mart_equals_reference(
        mart, planted_warehouse.table(mart), compute(planted_reference), keys
    )


def overall_spend_vs_income(warehouse: Warehouse) -> pd.Series:
    return warehouse.query("select * from spend_vs_income where dimension = 'overall'").iloc[0]


def test_planted_spend_follows_income_and_the_finding_says_so(
    planted_warehouse: Warehouse,
) -> None:
    overall = overall_spend_vs_income(planted_warehouse)
    assert overall["is_significant"]
    assert overall["pearson_r_ci_low"] > 0
    assert overall["verdict"] == "effect"
    assert overall["finding"].startswith("effect: spend rises with income (r = ")


def test_real_spend_does_not_follow_income_to_any_meaningful_degree(
    seed_warehouse: Warehouse,
) -> None:
    """Not significant, and more: the 90% interval rules out any |r| of 0.1 or more."""
    overall = overall_spend_vs_income(seed_warehouse)
    assert not overall["is_significant"]
    assert overall["pearson_r_ci_low"] < 0 < overall["pearson_r_ci_high"]
    assert -0.1 < overall["pearson_r_equivalence_low"] < overall["pearson_r_equivalence_high"] < 0.1
    assert overall["verdict"] == "no meaningful effect"
    assert overall["finding"].startswith(
        "no meaningful effect: effects beyond |r| = 0.07 are ruled out with 1000 customers (r = "
    )


@pytest.mark.parametrize("pair", PLANTED_PAIRS, ids="~".join)
def test_planted_pairs_stay_significant_after_benjamini_hochberg(
    planted_warehouse: Warehouse, pair: tuple[str, str]
) -> None:
    metric_x, metric_y = pair
    row = planted_warehouse.query(
        "select * from metric_correlations "
        f"where metric_x = '{metric_x}' and metric_y = '{metric_y}'"
    ).iloc[0]
    assert row["is_significant"]
    assert row["pearson_p_value_adjusted"] < 1e-6
    assert row["pearson_r"] > 0.2
    assert row["verdict"] == "effect"
    assert row["finding"].startswith("effect: positive correlation (r = ")


def test_real_spend_income_pair_is_not_significant_in_metric_correlations(
    seed_warehouse: Warehouse,
) -> None:
    row = seed_warehouse.query(
        "select * from metric_correlations "
        "where metric_x = 'annual_income_k_usd' and metric_y = 'total_spend'"
    ).iloc[0]
    assert not row["is_significant"]
    assert row["pearson_p_value"] > 0.05


def test_metric_correlations_has_every_unordered_pair_once(seed_warehouse: Warehouse) -> None:
    pairs = seed_warehouse.query("select metric_x, metric_y from metric_correlations")
    measures = gqm.NUMERIC_MEASURES + gqm.FLAG_MEASURES
    assert len(pairs) == len(measures) * (len(measures) - 1) // 2 == 66
    assert "customer_id" not in set(pairs["metric_x"]) | set(pairs["metric_y"])
    assert {frozenset(pair) for pair in pairs.itertuples(index=False)} == {
        frozenset((x, y)) for i, x in enumerate(measures) for y in measures[i + 1 :]
    }
