"""The churn marts against the pandas/scipy reference, on the real seed and the planted file.

Every count, rate, interval, lift, statistic, p-value and flag of churn_overview,
churn_by_segment and churn_drivers is compared with bench/reference/churn.py, which computes them
with scipy (binomtest, chi2_contingency, pointbiserialr, false_discovery_control). The planted
file has one real driver of churn (support contacts, r = 0.3) and one effect that does not touch
churn (spend follows income); the real data has none.
"""

import numpy as np
import pandas as pd
import pytest
from conftest import Warehouse

from bench.reference import churn as reference

# DECISIONS.md: every p-value equal to scipy's within 1e-6.
P_VALUE_TOLERANCE = 1e-6
# Rates, intervals, lifts and effect sizes are closed forms: equal up to float rounding.
FLOAT_TOLERANCE = 1e-12
# The bar for the verdict intervals and detectable effects (statsmodels, scipy norm.ppf).
NEWCOMBE_TOLERANCE = 1e-9


@pytest.fixture(scope="module", params=["seed", "planted"])
def built(request: pytest.FixtureRequest) -> tuple[Warehouse, pd.DataFrame]:
    """A warehouse and the pandas customers mart of the same file."""
    warehouse = request.getfixturevalue(f"{request.param}_warehouse")
    customers = request.getfixturevalue(f"{request.param}_reference")
    return warehouse, customers


def assert_columns_close(got: pd.DataFrame, expected: pd.DataFrame, columns: dict) -> None:
    """Each column within its tolerance; missing values must be missing on both sides."""
    for column, tolerance in columns.items():
        got_values = got[column].to_numpy(dtype=float)
        expected_values = expected[column].to_numpy(dtype=float)
        np.testing.assert_array_equal(np.isnan(got_values), np.isnan(expected_values), column)
        np.testing.assert_allclose(
            got_values, expected_values, rtol=0, atol=tolerance, equal_nan=True, err_msg=column
        )


def test_churn_overview_equals_scipy_binomtest_and_wilson(
    built: tuple[Warehouse, pd.DataFrame],
) -> None:
    warehouse, customers = built
    got = warehouse.table("churn_overview")
    expected = reference.churn_overview(customers)
    assert len(got) == 1
    for column in ("customers", "churned_customers", "retained_customers"):
        assert got.at[0, column] == expected.at[0, column], column
    assert_columns_close(
        got,
        expected,
        {
            "churn_rate": FLOAT_TOLERANCE,
            "churn_rate_ci_low": FLOAT_TOLERANCE,
            "churn_rate_ci_high": FLOAT_TOLERANCE,
            "p_value": P_VALUE_TOLERANCE,
        },
    )
    assert got.at[0, "churn_exceeds_retention"] == expected.at[0, "churn_exceeds_retention"]


def test_real_churn_is_526_of_1000_and_its_finding_states_the_binomial_verdict(
    seed_warehouse: Warehouse, seed_reference: pd.DataFrame
) -> None:
    expected = reference.churn_overview(seed_reference).iloc[0]
    # The acceptance figure, counted by pandas from the file.
    assert (expected["churned_customers"], expected["customers"]) == (526, 1000)
    finding = seed_warehouse.table("churn_overview").at[0, "finding"]
    assert f"{100 * expected['churn_rate']:.1f}%" in finding
    assert f"{100 * expected['churn_rate_ci_low']:.1f}% to" in finding
    assert f"to {100 * expected['churn_rate_ci_high']:.1f}%" in finding
    assert f"p = {expected['p_value']:.3f}" in finding
    verdict = "significantly exceeds" if expected["churn_exceeds_retention"] else "not supported"
    assert verdict in finding


def test_churn_by_segment_equals_pandas_and_scipy_chi_square(
    built: tuple[Warehouse, pd.DataFrame],
) -> None:
    warehouse, customers = built
    got = warehouse.table("churn_by_segment")
    expected = reference.churn_by_segment(customers)
    unknown = set(got["dimension"]) - set(expected["dimension"])
    assert not unknown, (
        f"dimensions {sorted(unknown)} have no pandas reference: add them to "
        "bench/reference/churn.py DIMENSIONS"
    )
    merged = expected.merge(
        got, on=["dimension", "segment"], how="outer", suffixes=("_expected", ""), indicator=True
    )
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", "segment"]
    for column in ("customers", "churned_customers", "verdict", "finding"):
        expected_values = merged[f"{column}_expected"].where(merged[f"{column}_expected"].notna())
        assert merged[column].where(merged[column].notna()).equals(expected_values), column
    tolerances = {
        "churn_rate": FLOAT_TOLERANCE,
        "churn_rate_ci_low": FLOAT_TOLERANCE,
        "churn_rate_ci_high": FLOAT_TOLERANCE,
        "lift": FLOAT_TOLERANCE,
        "p_value": P_VALUE_TOLERANCE,
        "p_value_adjusted": P_VALUE_TOLERANCE,
        # Newcombe's intervals are statsmodels' confint_proportions_2indep(method='newcomb'),
        # the detectable differences the closed form with scipy.stats.norm.ppf
        "churn_rate_difference": FLOAT_TOLERANCE,
        "churn_rate_difference_ci_low": NEWCOMBE_TOLERANCE,
        "churn_rate_difference_ci_high": NEWCOMBE_TOLERANCE,
        "churn_rate_difference_equivalence_low": NEWCOMBE_TOLERANCE,
        "churn_rate_difference_equivalence_high": NEWCOMBE_TOLERANCE,
        "minimum_detectable_effect": NEWCOMBE_TOLERANCE,
    }
    assert_columns_close(
        merged[list(tolerances)],
        merged[[f"{column}_expected" for column in tolerances]].set_axis(list(tolerances), axis=1),
        tolerances,
    )


def test_churn_by_segment_sorts_each_dimension_by_a_distinct_order(
    seed_warehouse: Warehouse,
) -> None:
    got = seed_warehouse.table("churn_by_segment")
    overall = got[got["dimension"] == "overall"]
    assert overall[["segment", "segment_order"]].values.tolist() == [["all", 0]]
    assert not got.duplicated(["dimension", "segment_order"]).any()


def test_churn_drivers_equal_scipy_for_all_thirteen_factors(
    built: tuple[Warehouse, pd.DataFrame],
) -> None:
    warehouse, customers = built
    got = warehouse.query("select * from churn_drivers order by factor")
    expected = reference.churn_drivers(customers).sort_values("factor").reset_index(drop=True)
    assert got["factor"].tolist() == expected["factor"].tolist()
    for column in ("factor_type", "test", "degrees_of_freedom", "is_significant", "verdict"):
        assert got[column].tolist() == expected[column].tolist(), column
    assert_columns_close(
        got,
        expected,
        {
            "statistic": 1e-9,
            "effect_size": 1e-12,
            "p_value": P_VALUE_TOLERANCE,
            "p_value_adjusted": P_VALUE_TOLERANCE,
            "equivalence_low": NEWCOMBE_TOLERANCE,
            "equivalence_high": NEWCOMBE_TOLERANCE,
            "minimum_detectable_effect": NEWCOMBE_TOLERANCE,
        },
    )


def test_no_factor_of_the_real_data_is_significant_and_none_is_an_effect(
    seed_warehouse: Warehouse, seed_reference: pd.DataFrame
) -> None:
    expected = reference.churn_drivers(seed_reference)
    assert not expected["is_significant"].any(), "scipy finds a driver in the real data"
    assert set(expected["verdict"]) == {"no meaningful effect", "inconclusive"}
    got = seed_warehouse.table("churn_drivers")
    assert not got["is_significant"].any()
    assert set(got["verdict"]) == {"no meaningful effect", "inconclusive"}


def test_planted_support_contacts_is_the_one_significant_driver_and_an_effect(
    planted_warehouse: Warehouse, planted_reference: pd.DataFrame
) -> None:
    expected = reference.churn_drivers(planted_reference)
    # Spend~income is planted between two columns that churn does not depend on.
    assert expected.loc[expected["is_significant"], "factor"].tolist() == ["num_support_contacts"]
    assert expected.loc[expected["verdict"] == "effect", "factor"].tolist() == [
        "num_support_contacts"
    ]
    got = planted_warehouse.table("churn_drivers").set_index("factor")
    assert got.index[got["is_significant"]].tolist() == ["num_support_contacts"]
    assert got.index[got["verdict"] == "effect"].tolist() == ["num_support_contacts"]
    r = expected.set_index("factor").at["num_support_contacts", "effect_size"]
    assert got.at["num_support_contacts", "finding"] == (
        f"effect: churn rises with support contacts (r = {as_text(r, 2)}, adjusted p < 0.001)"
    )


def as_text(value: float, decimals: int) -> str:
    """A number as the findings print it: fixed decimals, and no '-0.00'."""
    return f"{0.0 if abs(value) < 0.5 / 10**decimals else value:.{decimals}f}"


def p_value_as_text(p_value: float) -> str:
    """A p-value as the findings print it: '< 0.001', three decimals below 0.01, else two."""
    if p_value < 0.001:
        return "p < 0.001"
    return f"p = {as_text(p_value, 3 if p_value < 0.01 else 2)}"


def test_driver_findings_state_the_verdict_with_its_numbers(
    built: tuple[Warehouse, pd.DataFrame],
) -> None:
    """Each finding opens with the verdict; where it is not an effect, it names the largest
    effect the reference's 90% interval leaves possible and the number of customers; it ends
    with the effect size and adjusted p-value."""
    warehouse, customers = built
    got = warehouse.table("churn_drivers").set_index("factor")
    for row in reference.churn_drivers(customers).itertuples():
        finding = got.at[row.factor, "finding"]
        symbol = "V" if row.factor_type == "categorical" else "r"
        evidence = (
            f"({symbol} = {as_text(row.effect_size, 2)}, "
            f"adjusted {p_value_as_text(row.p_value_adjusted)})"
        )
        assert finding.endswith(evidence), row.factor
        largest = max(abs(row.equivalence_low), abs(row.equivalence_high))
        size = (
            f"{as_text(100 * largest, 1)} points"
            if row.factor_type == "categorical"
            else f"|r| = {as_text(largest, 2)}"
        )
        opening = {
            "effect": "effect: churn ",
            "no meaningful effect": f"no meaningful effect: effects beyond {size} are ruled out",
            "inconclusive": f"inconclusive: effects up to {size} cannot be ruled out",
        }[row.verdict]
        assert finding.startswith(opening), (row.factor, finding)
        if row.verdict != "effect":
            assert finding == f"{opening} with {len(customers)} customers {evidence}", row.factor
