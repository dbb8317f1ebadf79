"""Reading the marts the charts and the report need, and nothing else, from the DuckDB file.

The file is opened read-only (other readers may keep it open meanwhile) and closed before any
drawing starts. A missing file or mart stops with a message saying to run `make run`.
"""

import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from warehouse.connection import connect_warehouse

# Every relation read, all of them marts (models/marts/); the dbt exposure
# models/marts/_plots__exposures.yml depends on exactly these.
MARTS = (
    "customers",
    "demographics",
    "spend_vs_income",
    "metric_distributions",
    "metric_correlations",
    "customer_engagement",
    "satisfaction_distribution",
    "support_vs_satisfaction",
    "email_opt_in",
    "promotion_response",
    "churn_overview",
    "churn_by_segment",
    "churn_drivers",
    "cohort_retention",
    "gqm_scorecard",
)

# The spend-vs-income scatter draws at most this many customers: every k-th customer by
# customer_id, k = ceil(customers / SCATTER_POINTS). Customers are drawn independently of their
# id, so this is an even, repeatable sample.
SCATTER_POINTS = 5_000

FIX = "Run `make run` to build the warehouse and draw the charts"


class PlotsInputError(RuntimeError):
    """The warehouse cannot give the charts what they need; the message says what to do."""


@dataclass(frozen=True)
class CustomerPoints:
    """Income and spend of the customers the scatter draws."""

    points: pd.DataFrame  # customer_id, annual_income_k_usd, total_spend; by customer_id
    customers: int  # all customers in the mart
    step: int  # every step-th customer by customer_id is drawn


@dataclass(frozen=True)
class Marts:
    """The marts as data frames, read once; the charts and the report take everything from here."""

    demographics: pd.DataFrame
    spend_vs_income: pd.DataFrame
    metric_distributions: pd.DataFrame
    metric_correlations: pd.DataFrame
    customer_engagement: pd.DataFrame
    satisfaction_distribution: pd.DataFrame
    support_vs_satisfaction: pd.DataFrame
    email_opt_in: pd.DataFrame
    promotion_response: pd.DataFrame
    churn_overview: pd.DataFrame
    churn_by_segment: pd.DataFrame
    churn_drivers: pd.DataFrame
    cohort_retention: pd.DataFrame
    gqm_scorecard: pd.DataFrame
    customer_points: CustomerPoints

    def question(self, question_id: str) -> pd.Series:
        """The scorecard row of one question (Q1-Q10)."""
        rows = self.gqm_scorecard[self.gqm_scorecard["question_id"] == question_id]
        if len(rows) != 1:
            raise PlotsInputError(
                f"gqm_scorecard has {len(rows)} rows for {question_id}, expected one. {FIX}."
            )
        return rows.iloc[0]


def read_marts(path: Path) -> Marts:
    """Every mart in MARTS from the warehouse file at path, read-only; the file is closed after."""
    if not path.is_file():
        raise PlotsInputError(
            f"There is no warehouse at {path.resolve()}. {FIX}, or point RETAIL_CHURN_DB at a "
            "built warehouse."
        )
    with connect_warehouse(path, read_only=True) as connection:
        missing = sorted(set(MARTS) - tables_in(connection))
        if missing:
            raise PlotsInputError(
                f"The warehouse {path.resolve()} has no {', '.join(missing)} "
                f"(mart{'s' if len(missing) > 1 else ''} the charts read): it was built by an "
                f"older or failed build. {FIX}."
            )
        [(customers,)] = connection.execute("select count(*) from customers").fetchall()
        if customers == 0:
            raise PlotsInputError(
                f"The warehouse {path.resolve()} has no customers: there is nothing to draw. "
                "Build it from a customer file with data rows (`make run` builds the bundled "
                "seed)."
            )
        frames = {
            mart: connection.sql(f"select * from {mart}").df()
            for mart in MARTS
            if mart != "customers"
        }
        return Marts(**frames, customer_points=read_customer_points(connection, customers))


def tables_in(connection: duckdb.DuckDBPyConnection) -> set[str]:
    rows = connection.sql("select table_name from information_schema.tables").fetchall()
    return {name for (name,) in rows}


def read_customer_points(connection: duckdb.DuckDBPyConnection, customers: int) -> CustomerPoints:
    step = max(1, math.ceil(customers / SCATTER_POINTS))
    points = connection.execute(
        """
        with numbered as (
            select
                customer_id,
                annual_income_k_usd,
                total_spend,
                row_number() over (order by customer_id) as position
            from customers
        )
        select customer_id, annual_income_k_usd, total_spend
        from numbered
        where (position - 1) % ? = 0
        order by customer_id
        """,
        [step],
    ).df()
    return CustomerPoints(points, customers, step)
