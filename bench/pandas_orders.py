"""Every mart an order log feeds, from one generated order log, with pandas and scipy only.

The order-log twin of bench.pandas_marts: the independent reference of bench/reference/ put
together the way an analyst would in a notebook. Read the lines, take the snapshot date the log
covers (its last purchase less the churn window), derive each customer from their lines, add
the order-log bands and RFM scores, answer each question the log can answer, and the retention
of every cohort. pytest compares the warehouse and bench.polars_orders with it on a small log;
the benchmark times it on large ones.

    python -m bench.pandas_orders data/generated/orders_1000000_seed0.parquet
"""

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from bench.pandas_marts import print_mart_sizes
from bench.reference import churn, gqm, orders, retention

# How bench.generate --order-log names its columns; a negative quantity or amount is a return.
GENERATED_COLUMNS = orders.OrderColumns(order_id="order_id", quantity="quantity")
# The warehouse's default churn_window_days.
WINDOW_DAYS = 90
# The marts an order log answers, in the order both implementations compute them.
MART_KEYS = {
    "metric_distributions": ["metric", "dimension", "segment"],
    "metric_correlations": ["metric_x", "metric_y"],
    "customer_engagement": ["engagement_segment"],
    "churn_overview": ["customers"],
    "churn_by_segment": ["dimension", "segment"],
    "churn_drivers": ["factor"],
    "cohort_retention": ["cohort_month", "months_since_first_order"],
}
# What the log tells about a customer, with the churn flag: the pairs of metric_correlations.
CORRELATION_MEASURES = [*orders.ORDER_LOG_MEASURES, "is_churned"]


# The question marts computed by pandas and scipy (bench/reference/), under the names
# bench.polars_marts gives its own.
REFERENCE_MARTS = SimpleNamespace(
    metric_distributions=gqm.metric_distributions,
    metric_correlations=gqm.metric_correlations,
    customer_engagement=gqm.customer_engagement,
    churn_overview=churn.churn_overview,
    churn_by_segment=churn.churn_by_segment,
    churn_drivers=churn.churn_drivers,
)


def question_marts(customers: Any, marts: Any) -> dict[str, Any]:
    """The question and churn marts of an order log's customers mart, by one implementation of
    them (REFERENCE_MARTS, or the module bench.polars_marts)."""
    return {
        "metric_distributions": marts.metric_distributions(
            customers, orders.ORDER_LOG_MEASURES, dimensions=[]
        ),
        "metric_correlations": marts.metric_correlations(customers, CORRELATION_MEASURES),
        "customer_engagement": marts.customer_engagement(customers),
        "churn_overview": marts.churn_overview(customers),
        "churn_by_segment": marts.churn_by_segment(customers, orders.ORDER_LOG_DIMENSIONS),
        "churn_drivers": marts.churn_drivers(
            customers, categorical=[], numeric=orders.ORDER_LOG_MEASURES
        ),
    }


def all_marts(path: Path, window_days: int = WINDOW_DAYS) -> dict[str, pd.DataFrame]:
    """Each mart's name and rows, computed from the generated order log at path (CSV or
    Parquet) at the snapshot date the log covers."""
    lines = orders.read_order_lines(path, GENERATED_COLUMNS)
    snapshot = orders.derived_snapshot(lines, window_days)
    derived = orders.customers_from_orders(lines, snapshot, window_days)
    customers = orders.customers_mart_from_orders(derived)
    return {
        "customers": customers,
        **question_marts(customers, REFERENCE_MARTS),
        "cohort_retention": retention.cohort_retention(lines, derived, snapshot),
    }


def snapshot_of(marts: dict[str, pd.DataFrame]) -> date:
    """The snapshot date the marts describe."""
    return pd.Timestamp(marts["customers"]["snapshot_date"].iloc[0]).date()


def print_order_mart_sizes(
    compute_marts: Callable[[Path], dict[str, Any]],
    prog: str,
    description: str | None,
    argv: Sequence[str] | None,
) -> None:
    """The command line of an implementation of the order-log marts (the benchmark times it)."""
    print_mart_sizes(
        compute_marts,
        prog,
        description,
        argv,
        kind="order log",
        generate_command="python -m bench.generate --order-log",
    )


def main(argv: Sequence[str] | None = None) -> None:
    print_order_mart_sizes(all_marts, "python -m bench.pandas_orders", __doc__, argv)


if __name__ == "__main__":
    main()
