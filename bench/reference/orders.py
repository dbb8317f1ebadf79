"""The customers of an order log computed by pandas: the reference of the order-log path.

Part of the independent reference of the marts (bench/reference/): written the way an analyst
would derive customers from an order export in a notebook, sharing no code with the SQL, by the
rules of DECISIONS.md "Order logs": a purchase is a line that is not a return, whatever its
amount; an order is an order id, or without order ids a customer-day, and counts as a purchase
when it has a purchase line; a customer is someone with a purchase on or before the snapshot
date, and has churned when they make no purchase in (snapshot, snapshot + window]. It holds its
own copy of the order-log band edges. The result has the customers mart's columns, so the churn
and question references (churn.py, gqm.py) take it like a customer snapshot.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from bench.reference.customers import add_bands, add_engagement

# [lower edge (inclusive), label] per band, the column it cuts; the first band takes lower values.
ORDER_LOG_BANDS = {
    "tenure_band": (
        "days_as_customer",
        [
            (0, "0-2 months"),
            (91, "3-5 months"),
            (183, "6-8 months"),
            (274, "9-11 months"),
            (365, "12-23 months"),
            (730, "24+ months"),
        ],
    ),
    "spend_band": (
        "total_spend",
        [(0, "under 25"), (25, "25-50"), (50, "50-100"), (100, "100-250"), (250, "250+")],
    ),
}
# What an order log tells about a customer, in the marts' order: the measures, churn drivers and
# correlation measures (with is_churned) of an order-log build.
ORDER_LOG_MEASURES = [
    "total_spend",
    "num_purchases",
    "avg_transaction_amount",
    "num_returns",
    "last_purchase_days_ago",
    "days_as_customer",
]
ORDER_LOG_DIMENSIONS = ["tenure_band", "spend_band", "engagement_segment"]
DAYS_PER_YEAR = 365.25
# Money is added in millionths, exactly (as the warehouse adds decimal(38, 6)).
MICROS = 1_000_000


@dataclass(frozen=True)
class OrderColumns:
    """How an order log names its columns (None: the log has no such column)."""

    customer_id: str = "customer_id"
    order_date: str = "order_date"
    date_format: str = "%Y-%m-%d"
    amount: str | None = "amount"
    quantity: str | None = None
    unit_price: str | None = None
    order_id: str | None = None
    # A return's order id starts with this text; None: a negative amount or quantity marks it.
    return_prefix: str | None = None


def read_order_lines(path: Path, columns: OrderColumns) -> pd.DataFrame:
    """The valid lines of an order log CSV: customer_id (text, trimmed), order (its order id, or
    its day without order ids), day, amount and is_return. Lines without a customer id, or with
    a date or a number that does not read, are left out (the warehouse rejects them). A Parquet
    log is read with its own types (read_typed_order_lines)."""
    if path.suffix == ".parquet":
        return read_typed_order_lines(path, columns)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    by_name = {name.strip().lower(): name for name in raw.columns}

    def column(name: str) -> pd.Series:
        return raw[by_name[name.strip().lower()]].str.strip()

    def number(name: str) -> pd.Series:
        values = pd.to_numeric(column(name), errors="coerce")
        return values.where(np.isfinite(values))

    lines = pd.DataFrame({"customer_id": column(columns.customer_id)})
    lines["day"] = pd.to_datetime(
        column(columns.order_date), format=columns.date_format, errors="coerce"
    ).dt.normalize()
    quantity = number(columns.quantity) if columns.quantity else pd.Series(0.0, index=raw.index)
    if columns.unit_price:
        lines["amount"] = quantity * number(columns.unit_price)
    else:
        lines["amount"] = number(columns.amount)
    valid = (lines["customer_id"] != "") & lines["day"].notna() & lines["amount"].notna()
    valid &= quantity.notna()
    if columns.order_id:
        order_ids = column(columns.order_id)
        lines["order"] = order_ids
        valid &= order_ids != ""
    else:
        lines["order"] = lines["day"].dt.strftime("%Y-%m-%d")
    if columns.return_prefix is not None:
        lines["is_return"] = lines["order"].str.startswith(columns.return_prefix)
    else:
        lines["is_return"] = (lines["amount"] < 0) | (quantity < 0)
    return lines[valid].reset_index(drop=True)


def read_typed_order_lines(path: Path, columns: OrderColumns) -> pd.DataFrame:
    """The lines of a Parquet order log whose columns already have their types (a date column,
    numbers), as read_order_lines gives them; customer_id keeps the file's type. Lines with a
    missing value in a column used are left out."""
    if columns.unit_price or columns.return_prefix is not None or not columns.amount:
        raise ValueError(f"{path}: a Parquet order log is read with an amount column only")
    used = [columns.customer_id, columns.order_date, columns.amount, columns.quantity]
    used += [columns.order_id]
    # dates as datetime64, not one Python date object per line
    raw = pq.read_table(path, columns=[name for name in used if name]).to_pandas(
        date_as_object=False
    )
    lines = pd.DataFrame(
        {
            "customer_id": raw[columns.customer_id],
            "order": raw[columns.order_id] if columns.order_id else None,
            "day": pd.to_datetime(raw[columns.order_date]).dt.normalize(),
            "amount": raw[columns.amount].astype(float),
        }
    )
    if not columns.order_id:
        lines["order"] = lines["day"]
    negative = lines["amount"] < 0
    if columns.quantity:
        negative |= raw[columns.quantity] < 0
    lines["is_return"] = negative
    return lines.dropna().reset_index(drop=True)


def exact_sum(amounts: pd.Series) -> float:
    """The sum of amounts taken to a millionth, added exactly: the same whatever their order."""
    return int(np.round(amounts.to_numpy() * MICROS).astype(np.int64).sum()) / MICROS


def derived_snapshot(lines: pd.DataFrame, window_days: int) -> date:
    """The latest snapshot date the log covers: its last purchase less the window."""
    last_purchase = lines.loc[~lines["is_return"], "day"].max()
    return (last_purchase - timedelta(days=window_days)).date()


def customers_from_orders(lines: pd.DataFrame, snapshot: date, window_days: int) -> pd.DataFrame:
    """One row per customer with a purchase on or before snapshot: the order-log columns of the
    customers mart, as of the snapshot, with the churn label of the window after it."""
    snapshot_day = pd.Timestamp(snapshot)
    window_end = snapshot_day + pd.Timedelta(days=window_days)
    before = lines[lines["day"] <= snapshot_day]
    purchases = before[~before["is_return"]]
    returns = before[before["is_return"]]
    customers = purchases.groupby("customer_id").agg(
        first_order_date=("day", "min"),
        last_order_date=("day", "max"),
        num_purchases=("order", "nunique"),
        purchase_amount=("amount", exact_sum),
    )
    returned = returns.groupby("customer_id").agg(
        num_returns=("order", "nunique"), returned_amount=("amount", lambda a: exact_sum(a.abs()))
    )
    customers = customers.join(returned)
    customers[["num_returns", "returned_amount"]] = customers[
        ["num_returns", "returned_amount"]
    ].fillna(0)
    later = lines[
        ~lines["is_return"] & (lines["day"] > snapshot_day) & (lines["day"] <= window_end)
    ]
    # in millionths, exactly: a difference of two doubles can miss the nearest one by a bit,
    # and then two equal spends (or averages) no longer tie in ranks and bands
    customers["total_spend"] = (
        np.round(customers["purchase_amount"] * MICROS)
        - np.round(customers["returned_amount"] * MICROS)
    ) / MICROS
    customers["avg_transaction_amount"] = customers["total_spend"] / customers["num_purchases"]
    customers["days_as_customer"] = (snapshot_day - customers["first_order_date"]).dt.days
    customers["years_as_customer"] = np.floor(customers["days_as_customer"] / DAYS_PER_YEAR).astype(
        int
    )
    customers["last_purchase_days_ago"] = (snapshot_day - customers["last_order_date"]).dt.days
    customers["cohort_month"] = customers["first_order_date"].dt.to_period("M").dt.to_timestamp()
    customers["is_churned"] = ~customers.index.isin(later["customer_id"])
    customers["snapshot_date"] = snapshot_day
    customers["num_returns"] = customers["num_returns"].astype(int)
    return customers.drop(columns=["purchase_amount", "returned_amount"]).reset_index()


def customers_mart_from_orders(customers: pd.DataFrame) -> pd.DataFrame:
    """The customers mart of an order log: the derived columns, the order-log bands and RFM."""
    return add_engagement(add_bands(customers, ORDER_LOG_BANDS))
