"""Retention by cohort (Q10) against pandas: every cohort and month of the `cohort_retention` mart
equals bench/reference/retention.py, whose Wilson interval is scipy's (the macro's tested
twin), on the CDNOW order log; a customer snapshot, which has no order dates, builds it empty."""

from datetime import date

import pandas as pd
import pytest
from conftest import (
    CDNOW_COLUMNS,
    GENERATED_ORDER_COLUMNS,
    GeneratedOrderLog,
    Warehouse,
    assert_mart_equals_reference,
)
from statsmodels.stats.proportion import proportion_confint

from bench import cdnow
from bench.reference import orders, retention

KEYS = ["cohort_month", "months_since_first_order"]


def with_text_months(table: pd.DataFrame) -> pd.DataFrame:
    """The cohort month as YYYY-MM-DD text: DuckDB's dates and pandas' compare as equal text."""
    return table.assign(cohort_month=pd.to_datetime(table["cohort_month"]).dt.strftime("%Y-%m-%d"))


def reference_retention(path, columns: orders.OrderColumns, settings: dict) -> pd.DataFrame:
    """The pandas reference of the mart for the order log at path, built with dbt vars settings."""
    lines = orders.read_order_lines(path, columns)
    snapshot = date.fromisoformat(settings["snapshot_date"])
    customers = orders.customers_from_orders(lines, snapshot, settings["churn_window_days"])
    return retention.cohort_retention(lines, customers, snapshot)


def test_cdnow_retention_equals_pandas_for_every_cohort_and_month(
    cdnow_warehouse: Warehouse, cdnow_csv
) -> None:
    got = with_text_months(cdnow_warehouse.table("cohort_retention"))
    expected = with_text_months(
        reference_retention(cdnow_csv, CDNOW_COLUMNS, cdnow.dbt_vars(cdnow_csv))
    )
    # CDNOW's customers all made their first purchase in the first quarter of 1997, and the
    # snapshot (1997-09-30) is a month end: three cohorts, months 0-8, 0-7 and 0-6.
    assert sorted(set(got["cohort_month"])) == ["1997-01-01", "1997-02-01", "1997-03-01"]
    assert len(got) == 9 + 8 + 7
    assert_mart_equals_reference("cohort_retention", got, expected, KEYS)
    assert got.groupby("cohort_month")["cohort_customers"].first().sum() == 23_570


def test_cdnow_month_zero_is_everyone_and_later_months_a_minority(
    cdnow_warehouse: Warehouse,
) -> None:
    got = cdnow_warehouse.table("cohort_retention")
    first_months = got[got["months_since_first_order"] == 0]
    assert (first_months["active_customers"] == first_months["cohort_customers"]).all()
    later = got[got["months_since_first_order"] > 0]
    assert (later["retention_rate"] < 0.5).all()
    assert (later["active_customers"] > 0).all()


def test_retention_intervals_equal_statsmodels_wilson(cdnow_warehouse: Warehouse) -> None:
    got = cdnow_warehouse.table("cohort_retention")
    low, high = proportion_confint(
        got["active_customers"], got["cohort_customers"], alpha=0.05, method="wilson"
    )
    inside = (got["active_customers"] > 0) & (got["active_customers"] < got["cohort_customers"])
    pd.testing.assert_series_equal(
        got.loc[inside, "retention_rate_ci_low"], low[inside], check_names=False, rtol=1e-12
    )
    pd.testing.assert_series_equal(
        got.loc[inside, "retention_rate_ci_high"], high[inside], check_names=False, rtol=1e-12
    )
    # at 0 and at every customer the bounds are exact (statsmodels leaves rounding there)
    everyone = got["active_customers"] == got["cohort_customers"]
    assert (got.loc[everyone, "retention_rate_ci_high"] == 1).all()


def test_a_customer_snapshot_builds_no_retention_rows(seed_warehouse: Warehouse) -> None:
    assert seed_warehouse.table("cohort_retention").empty


def test_cdnow_scorecard_reports_month_three_retention_and_each_cohort_in_words(
    cdnow_warehouse: Warehouse, cdnow_csv
) -> None:
    reference = retention.month_three_retention(
        reference_retention(cdnow_csv, CDNOW_COLUMNS, cdnow.dbt_vars(cdnow_csv))
    )
    row = cdnow_warehouse.table("gqm_scorecard").set_index("question_id").loc["Q10"]
    assert row["status"] == "answered"
    for column, want in [
        ("value", "value"),
        ("ci_low", "value_ci_low"),
        ("ci_high", "value_ci_high"),
    ]:
        assert row[column] == pytest.approx(reference[want], rel=1e-12), column
    assert pd.isna(row["verdict"]) and pd.isna(row["p_value"]) and pd.isna(row["claim_holds"])
    assert row["finding"].startswith(f"{100 * reference['value']:.1f}% of customers bought")
    for cohort, share in reference["cohort_shares"].items():
        assert f"{cohort:%Y-%m} {100 * share:.1f}% of " in row["finding"], cohort


def test_generated_log_retention_equals_pandas_for_every_cohort_and_month(
    generated_orders: GeneratedOrderLog,
) -> None:
    settings = {
        "snapshot_date": str(
            generated_orders.warehouse.query("select snapshot_date from int_snapshot").iloc[0, 0]
        )[:10],
        "churn_window_days": 90,
    }
    got = with_text_months(generated_orders.warehouse.table("cohort_retention"))
    expected = with_text_months(
        reference_retention(generated_orders.path, GENERATED_ORDER_COLUMNS, settings)
    )
    # twelve monthly cohorts, the first followed for about twenty months; returns in the log
    assert got["cohort_month"].nunique() == 12
    assert got["months_since_first_order"].max() >= 18
    assert_mart_equals_reference("cohort_retention", got, expected, KEYS)
