"""A header-only customer file: every question mart builds, and nothing divides by zero."""

import numpy as np
import pytest
from conftest import HeaderOnlyBuild, Warehouse

from bench.reference import gqm

# Marts whose rows are segments of customers: without customers there are none.
SEGMENT_MARTS = [
    "metric_distributions",
    "spend_vs_income",
    "satisfaction_distribution",
    "support_vs_satisfaction",
    "email_opt_in",
    "promotion_response",
    "customer_engagement",
]


@pytest.fixture(scope="module")
def empty_warehouse(header_only_build: HeaderOnlyBuild) -> Warehouse:
    return header_only_build.warehouse


@pytest.mark.parametrize("mart", list(gqm.MARTS))
def test_no_mart_holds_an_infinite_value(empty_warehouse: Warehouse, mart: str) -> None:
    table = empty_warehouse.table(mart)
    numbers = table.select_dtypes("number").to_numpy(dtype=float)
    assert not np.isinf(numbers).any()


@pytest.mark.parametrize("mart", SEGMENT_MARTS)
def test_segment_marts_are_empty(empty_warehouse: Warehouse, mart: str) -> None:
    assert empty_warehouse.table(mart).empty


def test_correlations_keep_every_pair_with_n_zero_and_no_statistics(
    empty_warehouse: Warehouse,
) -> None:
    correlations = empty_warehouse.table("metric_correlations")
    assert len(correlations) == 66
    assert (correlations["n"] == 0).all()
    statistics = correlations.drop(
        columns=["metric_x", "metric_y", "n", "equivalence_margin", "finding"]
    )
    assert statistics.isna().all(axis=None)
    assert correlations["finding"].str.startswith("not testable").all()


def test_demographics_keeps_the_grand_total_with_no_rates(empty_warehouse: Warehouse) -> None:
    demographics = empty_warehouse.table("demographics")
    assert demographics[["age_band", "gender", "customers"]].values.tolist() == [["all", "all", 0]]
    assert demographics[["customer_share", "churn_rate", "churn_rate_ci_low"]].isna().all(axis=None)


def test_the_scorecard_judges_no_claim_without_customers(empty_warehouse: Warehouse) -> None:
    """Nothing to judge is not "inconclusive": no verdict, no claim holding, and a finding
    that says why."""
    scorecard = empty_warehouse.table("gqm_scorecard")
    assert len(scorecard) == 10
    assert scorecard["verdict"].isna().all()
    assert scorecard["claim_holds"].isna().all()
    # Q10 needs order dates, which a customer file has none of, with rows or without
    findings = scorecard.set_index("question_id")["finding"]
    assert findings.pop("Q10") == "not measured: a customer snapshot has no order dates"
    assert (findings == "not computable: no customers in the input").all()
