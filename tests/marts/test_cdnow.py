"""The CDNOW order log (23,570 real customers, shipped with lifetimes) built as `make cdnow`
builds it, against independent computations: every customer against pandas
(bench/reference/orders.py) and against lifetimes' own calibration/holdout split, and the churn
and shared marts against scipy. On CDNOW recency and frequency really go with churn: the marts
must find that, as they rightly find nothing in the Kaggle noise."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from conftest import CDNOW_COLUMNS, Warehouse, assert_mart_equals_reference, assert_same_customers
from lifetimes.utils import calibration_and_holdout_data

from bench import cdnow
from bench.reference import churn, gqm, orders

SNAPSHOT = date(1997, 9, 30)
WINDOW_DAYS = 273
# What an order log cannot fill: null in every row, never derived.
ABSENT_COLUMNS = [
    "age",
    "gender",
    "annual_income_k_usd",
    "num_support_contacts",
    "satisfaction_score",
    "is_email_opted_in",
    "promotion_response",
    "age_band",
    "income_band",
    "support_contacts_band",
]
EMPTY_MARTS = [
    "demographics",
    "spend_vs_income",
    "satisfaction_distribution",
    "support_vs_satisfaction",
    "email_opt_in",
    "promotion_response",
]


def test_make_cdnow_builds_the_snapshot_and_window_the_tests_use() -> None:
    settings = cdnow.dbt_vars()
    assert date.fromisoformat(settings["snapshot_date"]) == SNAPSHOT
    assert settings["churn_window_days"] == WINDOW_DAYS


def test_the_converted_log_has_every_line_of_cdnow_master(cdnow_csv) -> None:
    master = cdnow.master_file().read_text().split()
    converted = pd.read_csv(cdnow_csv, dtype=str)
    assert list(converted.columns) == master[:4]
    assert converted.to_numpy().ravel().tolist() == master[4:]
    assert len(converted) == 69_659


def test_every_customer_equals_pandas(
    cdnow_warehouse: Warehouse, cdnow_reference: pd.DataFrame
) -> None:
    got = cdnow_warehouse.table("customers")
    assert len(got) == 23_570
    assert_same_customers(got, cdnow_reference)


def test_columns_an_order_log_lacks_are_null(cdnow_warehouse: Warehouse) -> None:
    counts = cdnow_warehouse.query(
        "select "
        + ", ".join(f"count({column}) as {column}" for column in ABSENT_COLUMNS)
        + " from customers"
    )
    assert counts.iloc[0].tolist() == [0] * len(ABSENT_COLUMNS)


def test_customers_agree_with_lifetimes_calibration_and_holdout(
    cdnow_warehouse: Warehouse, cdnow_csv
) -> None:
    """lifetimes: frequency_cal + 1 purchase days, T_cal - recency_cal days since the last one,
    no purchase in the holdout period = churned."""
    lines = pd.read_csv(cdnow_csv, dtype={"customer_id": str, "date": str})
    split = calibration_and_holdout_data(
        lines,
        "customer_id",
        "date",
        # lifetimes reads these in datetime_format too
        calibration_period_end=SNAPSHOT.strftime("%Y%m%d"),
        observation_period_end="19980630",
        freq="D",
        datetime_format="%Y%m%d",
    )
    got = cdnow_warehouse.query(
        "select customer_id, num_purchases, last_purchase_days_ago, days_as_customer, is_churned"
        " from customers"
    ).set_index("customer_id")
    got = got.loc[split.index]
    assert len(split) == len(got) == 23_570
    assert (got["num_purchases"] == split["frequency_cal"] + 1).all()
    assert (got["last_purchase_days_ago"] == split["T_cal"] - split["recency_cal"]).all()
    assert (got["days_as_customer"] == split["T_cal"]).all()
    assert (got["is_churned"] == (split["frequency_holdout"] == 0)).all()


def test_churn_overview_finds_seven_in_ten_churn_as_scipy_does(
    cdnow_warehouse: Warehouse, cdnow_reference: pd.DataFrame
) -> None:
    got = cdnow_warehouse.table("churn_overview")
    expected = churn.churn_overview(cdnow_reference)
    assert_mart_equals_reference("churn_overview", got[expected.columns], expected, ["customers"])
    row = got.iloc[0]
    assert 0.69 < row["churn_rate_ci_low"] < row["churn_rate"] < row["churn_rate_ci_high"] < 0.71
    assert row["churn_exceeds_retention"]


def test_recency_and_frequency_drive_churn_after_benjamini_hochberg_as_scipy_finds(
    cdnow_warehouse: Warehouse, cdnow_reference: pd.DataFrame
) -> None:
    got = cdnow_warehouse.table("churn_drivers")
    expected = churn.churn_drivers(
        cdnow_reference, categorical=[], numeric=orders.ORDER_LOG_MEASURES
    )
    assert sorted(got["factor"]) == sorted(orders.ORDER_LOG_MEASURES)
    assert_mart_equals_reference("churn_drivers", got[expected.columns], expected, ["factor"])
    drivers = got.set_index("factor")
    for factor, sign in [("last_purchase_days_ago", 1), ("num_purchases", -1)]:
        assert drivers.at[factor, "is_significant"], factor
        assert drivers.at[factor, "p_value_adjusted"] < 1e-6, factor
        assert np.sign(drivers.at[factor, "effect_size"]) == sign, factor
        # not merely significant among 23,570 customers: too large to be negligible
        assert drivers.at[factor, "verdict"] == "effect", factor
    assert drivers.at["last_purchase_days_ago", "finding"].startswith(
        "effect: churn rises with days since the last purchase"
    )
    # CDNOW records no returns: nothing to test, said so, and left out of the adjustment.
    assert pd.isna(drivers.at["num_returns", "p_value"])
    assert pd.isna(drivers.at["num_returns", "verdict"])


def test_churn_by_segment_has_the_order_log_dimensions_and_equals_scipy(
    cdnow_warehouse: Warehouse, cdnow_reference: pd.DataFrame
) -> None:
    got = cdnow_warehouse.table("churn_by_segment")
    expected = churn.churn_by_segment(cdnow_reference, orders.ORDER_LOG_DIMENSIONS)
    assert set(got["dimension"]) == {"overall", *orders.ORDER_LOG_DIMENSIONS}
    assert_mart_equals_reference(
        "churn_by_segment", got[expected.columns], expected, ["dimension", "segment"]
    )


@pytest.mark.parametrize("mart", EMPTY_MARTS)
def test_marts_of_questions_the_log_cannot_answer_are_empty(
    cdnow_warehouse: Warehouse, mart: str
) -> None:
    assert cdnow_warehouse.table(mart).empty


def test_shared_marts_keep_the_measures_the_log_has_and_equal_pandas(
    cdnow_warehouse: Warehouse, cdnow_reference: pd.DataFrame
) -> None:
    distributions = gqm.metric_distributions(
        cdnow_reference, orders.ORDER_LOG_MEASURES, dimensions=[]
    )
    assert_mart_equals_reference(
        "metric_distributions",
        cdnow_warehouse.table("metric_distributions"),
        distributions,
        ["metric", "dimension", "segment"],
    )
    correlations = gqm.metric_correlations(
        cdnow_reference, [*orders.ORDER_LOG_MEASURES, "is_churned"]
    )
    got = cdnow_warehouse.table("metric_correlations")
    assert len(got) == 21
    assert_mart_equals_reference(
        "metric_correlations", got[correlations.columns], correlations, ["metric_x", "metric_y"]
    )


def test_the_reference_reads_the_log_as_the_lines_cdnow_has(cdnow_csv) -> None:
    lines = orders.read_order_lines(cdnow_csv, CDNOW_COLUMNS)
    assert len(lines) == 69_659
    assert not lines["is_return"].any()
    assert orders.derived_snapshot(lines, WINDOW_DAYS) == SNAPSHOT


NOT_MEASURED = {
    "Q1": "not measured: the order log has no age or gender",
    "Q2": "not measured: the order log has no income",
    "Q4": "not measured: the order log has no satisfaction score",
    "Q5": "not measured: the order log has no support contacts or satisfaction score",
    "Q6": "not measured: the order log has no email opt-in",
    "Q7": "not measured: the order log has no promotion response",
}


def test_scorecard_says_what_the_log_cannot_measure_and_answers_the_rest(
    cdnow_warehouse: Warehouse, cdnow_reference: pd.DataFrame
) -> None:
    got = cdnow_warehouse.table("gqm_scorecard").set_index("question_id")
    assert sorted(got.index, key=lambda question: int(question[1:])) == [
        f"Q{number}" for number in range(1, 11)
    ]
    for question, status in NOT_MEASURED.items():
        row = got.loc[question]
        assert row["status"] == status == row["finding"], question
        figures = ["value", "ci_low", "ci_high", "p_value", "claim_holds", "verdict"]
        assert row[figures].isna().all(), question
    for question in ("Q3", "Q8", "Q9", "Q10"):
        assert got.at[question, "status"] == "answered"
    drivers = churn.churn_drivers(
        cdnow_reference, categorical=[], numeric=orders.ORDER_LOG_MEASURES
    )
    assert got.at["Q3", "value"] == cdnow_reference["num_purchases"].median()
    assert got.at["Q8", "value"] == pytest.approx(cdnow_reference["is_churned"].mean(), rel=1e-12)
    assert got.at["Q8", "claim_holds"]
    assert got.at["Q8", "verdict"] == "supported"
    # Q9 counts the drivers whose verdict is effect: significant and not negligible (scipy finds
    # more significant ones; among 23,570 customers some are too small to matter)
    assert got.at["Q9", "value"] == (drivers["verdict"] == "effect").sum()
    assert (drivers["verdict"] == "effect").sum() < drivers["is_significant"].sum()
    assert got.at["Q9", "claim_holds"]
    assert got.at["Q9", "verdict"] == "supported"
