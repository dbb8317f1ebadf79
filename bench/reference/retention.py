"""Retention by cohort (Q10) computed by pandas: the reference of the `cohort_retention` mart.

Written as an analyst would from an order export with pandas periods, sharing no code with the
SQL, by the rules of DECISIONS.md "cohort_retention": a cohort is the customers whose first
purchase (on or before the snapshot date) fell in one calendar month; month k is the k-th
calendar month after it; a customer is active in a month with a purchase line in it (returns
are not activity); only months that end on or before the snapshot date are counted.
"""

from datetime import date

import pandas as pd

from bench.reference.gqm import rate_columns

COLUMNS = [
    "cohort_month",
    "months_since_first_order",
    "cohort_customers",
    "active_customers",
    "retention_rate",
    "retention_rate_ci_low",
    "retention_rate_ci_high",
]


def last_ended_month(snapshot: date) -> pd.Period:
    """The last calendar month whose last day is on or before the snapshot date."""
    return (pd.Timestamp(snapshot) + pd.Timedelta(days=1)).to_period("M") - 1


def cohort_retention(lines: pd.DataFrame, customers: pd.DataFrame, snapshot: date) -> pd.DataFrame:
    """One row per cohort month and months since the first order, as the mart has them.

    lines: order lines with customer_id, day and is_return (orders.read_order_lines);
    customers: customer_id and first_order_date (orders.customers_from_orders).
    """
    cohort_of = customers.set_index("customer_id")["first_order_date"].dt.to_period("M")
    purchases = lines.loc[~lines["is_return"] & lines["customer_id"].isin(cohort_of.index)]
    active_months = pd.DataFrame(
        {"customer_id": purchases["customer_id"], "month": purchases["day"].dt.to_period("M")}
    ).drop_duplicates()
    cohorts = active_months["customer_id"].map(cohort_of)
    # Monthly periods are consecutive integers underneath (months since 1970-01).
    active_months["months_since"] = active_months["month"].array.asi8 - cohorts.array.asi8
    active = active_months.groupby([cohorts.rename("cohort"), "months_since"]).size()
    last_month = last_ended_month(snapshot)
    rows = []
    for cohort, size in cohort_of.value_counts().sort_index().items():
        if cohort > last_month:
            continue
        for months_since in range((last_month - cohort).n + 1):
            active_customers = int(active.get((cohort, months_since), 0))
            rows.append(
                {
                    "cohort_month": cohort.to_timestamp().date(),
                    "months_since_first_order": months_since,
                    "cohort_customers": int(size),
                    "active_customers": active_customers,
                    **rate_columns("retention_rate", active_customers, int(size)),
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def month_three_retention(retention: pd.DataFrame) -> dict:
    """Q10's scorecard figures: of the customers of every cohort whose month 3 has ended, the
    share who bought in it, with its 95% Wilson interval, and each such cohort's share."""
    month_three = retention[retention["months_since_first_order"] == 3]
    active, customers = month_three["active_customers"].sum(), month_three["cohort_customers"].sum()
    return {
        **rate_columns("value", int(active), int(customers)),
        "cohort_shares": month_three.set_index("cohort_month")["retention_rate"].to_dict(),
    }
