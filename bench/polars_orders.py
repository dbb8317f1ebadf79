"""Every mart an order log feeds, from one generated order log, with polars.

The marts of bench.pandas_orders as a performance-minded analyst would write them with polars:
the lines scanned lazily, each customer derived in one group-by over the lines, each cohort's
active customers in one more over the distinct (customer, month) pairs. The definitions (band
edges, measures, what a purchase, an order and a churned customer are) come from
bench/reference/, and the question marts from bench.polars_marts; pytest holds every figure
equal to pandas'.

    python -m bench.polars_orders data/generated/orders_1000000_seed0.parquet
"""

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from bench import polars_marts
from bench.pandas_orders import (
    GENERATED_COLUMNS,
    WINDOW_DAYS,
    print_order_mart_sizes,
    question_marts,
)
from bench.reference import orders, retention


def scan_lines(path: Path, columns: orders.OrderColumns = GENERATED_COLUMNS) -> pl.LazyFrame:
    """customer_id, order, day, amount, is_return of every line with all of them (the warehouse
    rejects the others); a negative quantity or amount marks a return."""
    if path.suffix == ".parquet":
        raw = pl.scan_parquet(path)
    else:
        raw = pl.scan_csv(path, schema_overrides={columns.customer_id: pl.String})
    quantity = pl.col(columns.quantity) if columns.quantity else pl.lit(0)
    day = pl.col(columns.order_date)
    if path.suffix != ".parquet":
        day = day.cast(pl.String).str.strptime(pl.Date, columns.date_format, strict=False)
    lines = raw.select(
        pl.col(columns.customer_id).alias("customer_id"),
        pl.col(columns.order_id).alias("order") if columns.order_id else day.alias("order"),
        day.cast(pl.Date).alias("day"),
        pl.col(columns.amount).cast(pl.Float64).alias("amount"),
        ((pl.col(columns.amount) < 0) | (quantity < 0)).alias("is_return"),
    )
    return lines.drop_nulls()


def derived_snapshot(lines: pl.LazyFrame, window_days: int) -> date:
    """The latest snapshot date the log covers: its last purchase less the window."""
    last_purchase = lines.filter(~pl.col("is_return")).select(pl.col("day").max()).collect()
    return last_purchase.item() - timedelta(days=window_days)


def exact_sum(amount: pl.Expr) -> pl.Expr:
    """The sum of amounts taken to a millionth, added exactly, as the nearest double. (Not
    whole millionths divided by a million: polars divides by a constant by multiplying with its
    reciprocal, a bit off the nearest double, and equal spends would then stop tying.)"""
    return amount.cast(pl.Decimal(38, 6)).sum().cast(pl.Float64)


def month_number(day: pl.Expr) -> pl.Expr:
    """Months since year 0: consecutive months are consecutive numbers."""
    return day.dt.year().cast(pl.Int64) * 12 + day.dt.month().cast(pl.Int64) - 1


def customers_from_orders(lines: pl.LazyFrame, snapshot: date, window_days: int) -> pl.LazyFrame:
    """One row per customer with a purchase on or before snapshot, the columns of
    bench.reference.orders.customers_from_orders: one pass over the lines."""
    window_end = snapshot + timedelta(days=window_days)
    purchase, before = ~pl.col("is_return"), pl.col("day") <= snapshot
    bought_before, returned_before = purchase & before, pl.col("is_return") & before
    later = purchase & (pl.col("day") > snapshot) & (pl.col("day") <= window_end)
    per_customer = (
        lines.group_by("customer_id")
        .agg(
            pl.col("day").filter(bought_before).min().alias("first_order_date"),
            pl.col("day").filter(bought_before).max().alias("last_order_date"),
            pl.col("order").filter(bought_before).n_unique().alias("num_purchases"),
            pl.col("order").filter(returned_before).n_unique().alias("num_returns"),
            exact_sum(pl.col("amount").filter(before)).alias("total_spend"),
            (~later.any()).alias("is_churned"),
        )
        .filter(pl.col("num_purchases") > 0)
    )
    snapshot_day = pl.lit(snapshot)
    days_as_customer = (snapshot_day - pl.col("first_order_date")).dt.total_days()
    return per_customer.select(
        "customer_id",
        "first_order_date",
        "last_order_date",
        pl.col("num_purchases").cast(pl.Int64),
        pl.col("num_returns").cast(pl.Int64),
        "total_spend",
        (pl.col("total_spend") / pl.col("num_purchases")).alias("avg_transaction_amount"),
        days_as_customer.alias("days_as_customer"),
        (days_as_customer / orders.DAYS_PER_YEAR).floor().cast(pl.Int64).alias("years_as_customer"),
        (snapshot_day - pl.col("last_order_date")).dt.total_days().alias("last_purchase_days_ago"),
        pl.col("first_order_date").dt.month_start().alias("cohort_month"),
        "is_churned",
        snapshot_day.alias("snapshot_date"),
    )


def cohort_retention(lines: pl.LazyFrame, customers: pl.LazyFrame, snapshot: date) -> pl.DataFrame:
    """One row per cohort month and months since the first order, up to the last month that
    ends on or before snapshot, with the Wilson interval of the retention rate."""
    last_month = retention.last_ended_month(snapshot)
    last_month_number = last_month.year * 12 + last_month.month - 1
    cohorts = customers.select("customer_id", month_number(pl.col("cohort_month")).alias("cohort"))
    active = (
        lines.filter(~pl.col("is_return"))
        .select("customer_id", month_number(pl.col("day")).alias("month"))
        .unique()
        .join(cohorts, on="customer_id")
        .group_by("cohort", (pl.col("month") - pl.col("cohort")).alias("months_since_first_order"))
        .agg(pl.len().cast(pl.Int64).alias("active_customers"))
    )
    sizes = cohorts.group_by("cohort").agg(pl.len().cast(pl.Int64).alias("cohort_customers"))
    cells = (
        sizes.filter(pl.col("cohort") <= last_month_number)
        .with_columns(
            pl.int_ranges(0, last_month_number - pl.col("cohort") + 1).alias(
                "months_since_first_order"
            )
        )
        .explode("months_since_first_order")
        .with_columns(pl.col("months_since_first_order").cast(pl.Int64))
        .join(active, on=["cohort", "months_since_first_order"], how="left")
        .select(
            pl.date(pl.col("cohort") // 12, pl.col("cohort") % 12 + 1, 1).alias("cohort_month"),
            "months_since_first_order",
            "cohort_customers",
            pl.col("active_customers").fill_null(0),
        )
        .sort("cohort_month", "months_since_first_order")
        .collect()
    )
    return polars_marts.with_rate(cells, "retention_rate", "active_customers", "cohort_customers")


def all_marts(path: Path, window_days: int = WINDOW_DAYS) -> dict[str, pl.DataFrame]:
    """Each mart's name and rows, computed from the generated order log at path (CSV or
    Parquet) at the snapshot date the log covers."""
    lines = scan_lines(path)
    snapshot = derived_snapshot(lines, window_days)
    derived = customers_from_orders(lines, snapshot, window_days).collect()
    customers = polars_marts.customers_mart(derived.lazy(), orders.ORDER_LOG_BANDS).collect()
    return {
        "customers": customers,
        **question_marts(customers, polars_marts),
        "cohort_retention": cohort_retention(lines, derived.lazy(), snapshot),
    }


def main(argv: Sequence[str] | None = None) -> None:
    print_order_mart_sizes(all_marts, "python -m bench.polars_orders", __doc__, argv)


if __name__ == "__main__":
    main()
