"""The customers mart computed by pandas: staged columns, bands and RFM engagement.

Part of the independent pandas/scipy reference of the marts (bench/reference/): pytest compares
every mart with it, and `bench/` times it against the dbt build. It shares no code with the SQL and
holds its own copy of the band edges and of the engagement segment rules, so a wrong edge in
dbt_project.yml or a changed rule in macros/engagement.sql makes the tests fail.
"""

from pathlib import Path

import numpy as np
import pandas as pd

SOURCE_TO_STAGED = {
    "Customer_ID": "customer_id",
    "Age": "age",
    "Gender": "gender",
    "Annual_Income": "annual_income_k_usd",
    "Total_Spend": "total_spend",
    "Years_as_Customer": "years_as_customer",
    "Num_of_Purchases": "num_purchases",
    "Average_Transaction_Amount": "avg_transaction_amount",
    "Num_of_Returns": "num_returns",
    "Num_of_Support_Contacts": "num_support_contacts",
    "Satisfaction_Score": "satisfaction_score",
    "Last_Purchase_Days_Ago": "last_purchase_days_ago",
    "Email_Opt_In": "is_email_opted_in",
    "Promotion_Response": "promotion_response",
    "Target_Churn": "is_churned",
}
# The ten numeric measures of a customer, in the source file's order.
NUMERIC_MEASURES = [
    "age",
    "annual_income_k_usd",
    "total_spend",
    "years_as_customer",
    "num_purchases",
    "avg_transaction_amount",
    "num_returns",
    "num_support_contacts",
    "satisfaction_score",
    "last_purchase_days_ago",
]

BOOLEAN_SPELLINGS = {"true": True, "1": True, "false": False, "0": False}

# [lower edge (inclusive), label]; the first band also takes lower values.
BANDS = {
    "age_band": (
        "age",
        [(18, "18-24"), (25, "25-34"), (35, "35-44"), (45, "45-54"), (55, "55-64"), (65, "65+")],
    ),
    "income_band": (
        "annual_income_k_usd",
        [(0, "under 50k"), (50, "50k-100k"), (100, "100k-150k"), (150, "150k+")],
    ),
    "tenure_band": (
        "years_as_customer",
        [(0, "under 5 years"), (5, "5-9 years"), (10, "10-14 years"), (15, "15+ years")],
    ),
    "spend_band": (
        "total_spend",
        [(0, "under 2.5k"), (2500, "2.5k-5k"), (5000, "5k-7.5k"), (7500, "7.5k+")],
    ),
    "support_contacts_band": ("num_support_contacts", [(0, "none"), (1, "1-2"), (3, "3+")]),
}

# RFM score: (column, True when fewer is better). Quintile edges over all customers, linear.
RFM_SCORES = {
    "recency_score": ("last_purchase_days_ago", True),
    "frequency_score": ("num_purchases", False),
    "monetary_score": ("total_spend", False),
}
QUINTILE_EDGES = [0.2, 0.4, 0.6, 0.8]
# Most engaged first; "needs attention" is whoever no rule names.
ENGAGEMENT_SEGMENTS = [
    "champions",
    "loyal",
    "recent but infrequent",
    "needs attention",
    "at risk",
    "hibernating",
]
# Segment: {score: (lowest, highest)}, scores 1-5; the first rule a customer meets names the
# segment, and whoever no rule names needs attention.
ENGAGEMENT_RULES = {
    "champions": {"recency_score": (4, 5), "frequency_score": (4, 5), "monetary_score": (4, 5)},
    "loyal": {"recency_score": (3, 5), "frequency_score": (4, 5), "monetary_score": (3, 5)},
    "recent but infrequent": {"recency_score": (4, 5), "frequency_score": (1, 2)},
    "at risk": {"recency_score": (1, 2), "frequency_score": (3, 5)},
    "hibernating": {"recency_score": (1, 2), "frequency_score": (1, 2)},
}
UNRULED_ENGAGEMENT_SEGMENT = "needs attention"


def read_customers(path: Path) -> pd.DataFrame:
    """The staged customer table: source columns renamed, booleans parsed, one row per customer."""
    if path.suffix == ".parquet":
        raw = pd.read_parquet(path)
    else:
        raw = pd.read_csv(path, dtype={"Email_Opt_In": str, "Target_Churn": str})
    staged = raw.rename(columns=SOURCE_TO_STAGED)[list(SOURCE_TO_STAGED.values())]
    for column in ("is_email_opted_in", "is_churned"):
        staged[column] = staged[column].astype(str).str.strip().str.lower().map(BOOLEAN_SPELLINGS)
    return staged


def add_bands(
    customers: pd.DataFrame, bands: dict[str, tuple[str, list[tuple[float, str]]]] = BANDS
) -> pd.DataFrame:
    """The customers mart: staged columns plus the value-based bands (by default a customer
    snapshot's: BANDS)."""
    banded = customers.copy()
    for band, (column, edges) in bands.items():
        cut_points = [-np.inf] + [edge for edge, _ in edges[1:]] + [np.inf]
        labels = [label for _, label in edges]
        banded[band] = pd.cut(banded[column], cut_points, labels=labels, right=False).astype(str)
    return banded


def add_engagement(customers: pd.DataFrame) -> pd.DataFrame:
    """RFM scores 1-5 from quintile edges (a value on an edge takes the lower score) and segment."""
    engaged = customers.copy()
    for score, (column, fewer_is_better) in RFM_SCORES.items():
        values = engaged[column].to_numpy(dtype=float)
        edges = np.quantile(values, QUINTILE_EDGES) if len(values) else np.full(4, np.nan)
        edges_exceeded = (values[:, None] > edges[None, :]).sum(axis=1)
        engaged[score] = 5 - edges_exceeded if fewer_is_better else 1 + edges_exceeded
    rules_met = [
        np.logical_and.reduce(
            [engaged[score].between(lowest, highest) for score, (lowest, highest) in rule.items()]
        )
        for rule in ENGAGEMENT_RULES.values()
    ]
    engaged["engagement_segment"] = np.select(
        rules_met, list(ENGAGEMENT_RULES), default=UNRULED_ENGAGEMENT_SEGMENT
    )
    return engaged


def customers_mart(staged: pd.DataFrame) -> pd.DataFrame:
    """The customers mart: staged columns, bands, RFM scores and engagement segment."""
    return add_engagement(add_bands(staged))
