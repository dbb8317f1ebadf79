"""The churn marts computed by pandas and scipy: churn_overview, churn_by_segment, churn_drivers.

Part of the independent reference of the marts (bench/reference/): written the way an analyst
would answer Q8 and Q9 in a notebook, sharing no code with the SQL. It takes the customers mart
as built by `customers.add_bands` (or any frame with the same columns). The steps from counts
or coefficients to a mart's rows (..._table, ..._driver) are functions of their own, which
bench.polars_marts calls on its aggregates too.
"""

import numpy as np
import pandas as pd
from scipy import stats

from bench.reference import verdicts
from bench.reference.customers import NUMERIC_MEASURES
from bench.reference.verdicts import format_number, format_p

SIGNIFICANCE_LEVEL = 0.05

# How each dimension labels a customer's segment, as the churn_by_segment mart shows it.
DIMENSIONS = {
    "gender": lambda customers: customers["gender"],
    "age_band": lambda customers: customers["age_band"],
    "income_band": lambda customers: customers["income_band"],
    "tenure_band": lambda customers: customers["tenure_band"],
    "spend_band": lambda customers: customers["spend_band"],
    "satisfaction_score": lambda customers: customers["satisfaction_score"].astype(str),
    "support_contacts_band": lambda customers: customers["support_contacts_band"],
    "promotion_response": lambda customers: customers["promotion_response"],
    "is_email_opted_in": lambda customers: customers["is_email_opted_in"].map(
        {True: "opted in", False: "not opted in"}
    ),
}
# Present once the engagement marts give customers an engagement segment.
OPTIONAL_DIMENSIONS = {"engagement_segment": lambda customers: customers["engagement_segment"]}

CATEGORICAL_FACTORS = ["gender", "promotion_response", "is_email_opted_in"]


def wilson_interval(churned: int, customers: int) -> tuple[float, float]:
    """95% Wilson score interval of churned / customers; NaN without customers."""
    if customers == 0:
        return np.nan, np.nan
    interval = stats.binomtest(churned, customers).proportion_ci(method="wilson")
    return interval.low, interval.high


def churn_overview(customers: pd.DataFrame) -> pd.DataFrame:
    """One row: the churn rate with its interval and the one-sided binomial test against 0.5."""
    return churn_overview_table(len(customers), int(customers["is_churned"].sum()))


def churn_overview_table(n: int, churned: int) -> pd.DataFrame:
    """churn_overview from the number of customers and of churned customers."""
    low, high = wilson_interval(churned, n)
    p_value = stats.binomtest(churned, n, 0.5, alternative="greater").pvalue if n else np.nan
    return pd.DataFrame(
        {
            "customers": [n],
            "churned_customers": [churned],
            "retained_customers": [n - churned],
            "churn_rate": [churned / n if n else np.nan],
            "churn_rate_ci_low": [low],
            "churn_rate_ci_high": [high],
            "p_value": [p_value],
            "churn_exceeds_retention": [bool(p_value < SIGNIFICANCE_LEVEL)],
        }
    )


def segment_versus_rest_p_value(table: np.ndarray) -> float:
    """Chi-square p-value of a 2 x 2 table; NaN where a margin is zero (scipy refuses those)."""
    if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
        return np.nan
    return stats.chi2_contingency(table, correction=False).pvalue


def churn_by_segment(customers: pd.DataFrame, names: list[str] | None = None) -> pd.DataFrame:
    """One row per dimension and segment: counts, rate, Wilson interval, lift, 2 x 2 chi-square.

    The p-values of all segments are adjusted together by Benjamini-Hochberg. names: the
    dimensions the input has (default: every dimension of a customer snapshot).
    """
    known = {**DIMENSIONS, **OPTIONAL_DIMENSIONS}
    if names is None:
        dimensions = dict(DIMENSIONS)
        dimensions.update(
            (name, label)
            for name, label in OPTIONAL_DIMENSIONS.items()
            if name in customers.columns
        )
    else:
        dimensions = {name: known[name] for name in names}
    rows = [("overall", "all", len(customers), int(customers["is_churned"].sum()))]
    for dimension, label in dimensions.items():
        counts = customers.groupby(label(customers))["is_churned"].agg(["size", "sum"])
        rows += [
            (dimension, segment, int(size), int(churned))
            for segment, (size, churned) in counts.iterrows()
        ]
    return churn_by_segment_table(
        pd.DataFrame(rows, columns=["dimension", "segment", "customers", "churned"])
    )


def churn_by_segment_table(segments: pd.DataFrame) -> pd.DataFrame:
    """churn_by_segment from customers and churned per dimension and segment, overall first."""
    _, _, n, total_churned = segments.iloc[0]
    overall_rate = total_churned / n if n else np.nan
    records = []
    for row in segments.itertuples():
        low, high = wilson_interval(row.churned, row.customers)
        rate = row.churned / row.customers
        table = np.array(
            [
                [row.churned, row.customers - row.churned],
                [total_churned - row.churned, (n - row.customers) - (total_churned - row.churned)],
            ]
        )
        records.append(
            {
                "dimension": row.dimension,
                "segment": row.segment,
                "customers": row.customers,
                "churned_customers": row.churned,
                "churn_rate": rate,
                "churn_rate_ci_low": low,
                "churn_rate_ci_high": high,
                "lift": rate / overall_rate if overall_rate else np.nan,
                "p_value": segment_versus_rest_p_value(table),
                **verdicts.rate_difference_intervals(
                    row.churned, row.customers, total_churned - row.churned, n - row.customers
                ),
            }
        )
    result = pd.DataFrame(records)
    result["p_value_adjusted"] = adjust(result["p_value"])
    add_segment_verdicts(result)
    return result


def add_segment_verdicts(segments: pd.DataFrame) -> None:
    """churn_by_segment's verdict on each segment's difference from the rest, and its finding."""
    dimension_customers = segments.groupby("dimension")["customers"].transform("sum")
    segments["verdict"] = [
        verdicts.verdict(
            row.p_value_adjusted,
            row.churn_rate_difference_equivalence_low,
            row.churn_rate_difference_equivalence_high,
            row.equivalence_margin,
            n,
        )
        for row, n in zip(segments.itertuples(), dimension_customers, strict=True)
    ]
    segments["finding"] = [segment_finding(row) for row in segments.itertuples()]


def segment_finding(row: tuple) -> str:
    if row.verdict is None:
        if row.dimension == "overall":
            return "not tested: everyone, the rate each segment is compared with"
        return "not testable: no rest to compare with, churn constant, or fewer than four customers"
    more_or_less = "more" if row.churn_rate_difference > 0 else "less"
    evidence = (
        f"difference {format_number(100 * row.churn_rate_difference, 1)} points, 95% interval "
        f"{format_number(100 * row.churn_rate_difference_ci_low, 1)} to "
        f"{format_number(100 * row.churn_rate_difference_ci_high, 1)}, "
        f"adjusted {format_p(row.p_value_adjusted)}"
    )
    return verdicts.verdict_finding(
        row.verdict,
        row.churn_rate_difference_equivalence_low,
        row.churn_rate_difference_equivalence_high,
        row.customers,
        "points",
        f"the segment churns {more_or_less} than the rest",
        evidence,
    )


def adjust(p_values: pd.Series) -> pd.Series:
    """Benjamini-Hochberg adjusted p-values of the non-missing values; missing stay missing."""
    adjusted = pd.Series(np.nan, index=p_values.index)
    tested = p_values.notna()
    if tested.any():
        adjusted[tested] = stats.false_discovery_control(p_values[tested], method="bh")
    return adjusted


def churn_drivers(
    customers: pd.DataFrame,
    categorical: list[str] = CATEGORICAL_FACTORS,
    numeric: list[str] = NUMERIC_MEASURES,
) -> pd.DataFrame:
    """One row per candidate factor: chi-square for the categorical columns, point-biserial r for
    the numeric ones, Benjamini-Hochberg over all of them (by default the three and the ten of a
    customer snapshot). A factor without variation has no r and no p-value."""
    churned = customers["is_churned"].astype(int)
    records = [
        categorical_driver(factor, pd.crosstab(customers[factor], customers["is_churned"]))
        for factor in categorical
    ]
    for factor in numeric:
        if customers[factor].nunique() < 2:
            records.append(numeric_driver(factor, np.nan, np.nan, len(customers)))
            continue
        result = stats.pointbiserialr(churned, customers[factor])
        records.append(numeric_driver(factor, result.statistic, result.pvalue, len(customers)))
    return drivers_table(records)


def categorical_driver(factor: str, table: pd.DataFrame) -> dict[str, object]:
    """The chi-square row of a factor from its table of customers (factor x churned), with the
    interval its verdict judges: the lowest and highest end of the 1 - 2 alpha Newcombe
    intervals of each level's churn-rate difference from the rest, and the difference the
    smallest level could detect."""
    result = stats.chi2_contingency(table, correction=False)
    counts = table.reindex(columns=[False, True], fill_value=0)
    levels = counts.sum(axis=1).astype(int)
    churned = counts[True].astype(int)
    n, total_churned = int(levels.sum()), int(churned.sum())
    differences = [
        verdicts.rate_difference_intervals(
            churned[level], levels[level], total_churned - churned[level], n - levels[level]
        )
        for level in counts.index
    ]
    return {
        "factor": factor,
        "factor_type": "categorical",
        "test": "chi-square",
        "statistic": result.statistic,
        "degrees_of_freedom": result.dof,
        "p_value": result.pvalue,
        "effect_size": stats.contingency.association(table, method="cramer"),
        "equivalence_low": min(d["churn_rate_difference_equivalence_low"] for d in differences),
        "equivalence_high": max(d["churn_rate_difference_equivalence_high"] for d in differences),
        "minimum_detectable_effect": verdicts.minimum_detectable_rate_difference(
            levels.min(), n - levels.min(), total_churned / n
        ),
        "equivalence_margin": verdicts.MARGIN_RATE,
        "customers": n,
    }


def numeric_driver(factor: str, r: float, p_value: float, n: int) -> dict[str, object]:
    """The point-biserial row of a factor from its r with churn and that r's p-value, with the
    1 - 2 alpha Fisher-z interval its verdict judges and the |r| n customers could detect."""
    degrees_of_freedom = n - 2
    low, high = verdicts.correlation_equivalence(r, n)
    return {
        "factor": factor,
        "factor_type": "numeric",
        "test": "point-biserial",
        "statistic": r * np.sqrt(degrees_of_freedom / (1 - r * r)),
        "degrees_of_freedom": degrees_of_freedom,
        "p_value": p_value,
        "effect_size": r,
        "equivalence_low": low,
        "equivalence_high": high,
        "minimum_detectable_effect": verdicts.minimum_detectable_correlation(n),
        "equivalence_margin": verdicts.MARGIN_CORRELATION,
        "customers": n,
    }


def drivers_table(records: list[dict[str, object]]) -> pd.DataFrame:
    """churn_drivers from its factor rows: Benjamini-Hochberg over all of them, significance,
    and each factor's verdict (margin by factor type: a churn-rate difference or an r)."""
    drivers = pd.DataFrame(records)
    drivers["p_value_adjusted"] = adjust(drivers["p_value"])
    drivers["is_significant"] = drivers["p_value_adjusted"] < SIGNIFICANCE_LEVEL
    drivers["verdict"] = [
        verdicts.verdict(
            row.p_value_adjusted,
            row.equivalence_low,
            row.equivalence_high,
            row.equivalence_margin,
            row.customers,
        )
        for row in drivers.itertuples()
    ]
    return drivers.drop(columns="customers")
