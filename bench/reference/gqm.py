"""The question marts (Q1-Q7) computed by pandas and scipy, as an analyst would.

Part of the independent reference of the marts (bench/reference/): pytest compares every figure
of every mart with it, and `bench/` times it against the dbt build. Each function takes the
customers mart (customers.customers_mart) and returns the mart's rows; it shares no code with
the SQL: statistics come from scipy (pearsonr, spearmanr, linregress, skew, kurtosis, binomtest's
Wilson interval, false_discovery_control), quantiles from pandas (linear interpolation). The
steps that finish an aggregated table of a few dozen rows (add_..., ..._table) are functions of
their own, which bench.polars_marts calls on its aggregates too.
"""

from collections.abc import Iterator

import numpy as np
import pandas as pd
from scipy import stats

from bench.reference import verdicts
from bench.reference.customers import BANDS, ENGAGEMENT_SEGMENTS, NUMERIC_MEASURES
from bench.reference.verdicts import format_number, format_p

FLAG_MEASURES = ["is_churned", "is_email_opted_in"]
SIGNIFICANCE_LEVEL = 0.05

GENDER_ORDER = ["Female", "Male", "Other"]
RESPONSE_ORDER = ["Responded", "Ignored", "Unsubscribed"]

# The dimensions a mart splits customers by, after everyone as overall/all.
PROFILE_DIMENSIONS = ["gender", "age_band"]
PROMOTION_DIMENSIONS = [*PROFILE_DIMENSIONS, "is_email_opted_in"]
DEMOGRAPHICS_MEASURES = [
    "annual_income_k_usd",
    "total_spend",
    "num_purchases",
    "avg_transaction_amount",
]
ENGAGEMENT_MEASURES = [
    "last_purchase_days_ago",
    "num_purchases",
    "total_spend",
    "years_as_customer",
    "num_returns",
]


def segment_label(customers: pd.DataFrame, dimension: str) -> pd.Series:
    """Each customer's segment label in a dimension, as the marts spell it."""
    if dimension == "is_email_opted_in":
        return customers[dimension].map({True: "opted in", False: "not opted in"})
    return customers[dimension].astype(str)


def segment_position(dimension: str, segment: str) -> int:
    """Where a segment sorts within its dimension: 0 for 'all', then by meaning."""
    if dimension == "overall":
        return 0
    orders = {
        "gender": GENDER_ORDER,
        "age_band": [label for _, label in BANDS["age_band"][1]],
        "is_email_opted_in": ["opted in", "not opted in"],
        "engagement_segment": ENGAGEMENT_SEGMENTS,
    }
    return orders[dimension].index(segment) + 1


def segments(
    customers: pd.DataFrame, dimensions: list[str]
) -> Iterator[tuple[str, str, pd.DataFrame]]:
    """(dimension, segment, its customers): everyone as overall/all, then each dimension."""
    if len(customers):
        yield "overall", "all", customers
    for dimension in dimensions:
        for segment, members in customers.groupby(segment_label(customers, dimension)):
            yield dimension, segment, members


def wilson(successes: int, trials: int) -> tuple[float, float]:
    """95% Wilson score interval; NaN without trials."""
    if trials == 0:
        return np.nan, np.nan
    interval = stats.binomtest(int(successes), int(trials)).proportion_ci(method="wilson")
    return interval.low, interval.high


def rate_columns(stem: str, successes: int, trials: int) -> dict[str, float]:
    low, high = wilson(successes, trials)
    rate = successes / trials if trials else np.nan
    return {stem: rate, f"{stem}_ci_low": low, f"{stem}_ci_high": high}


def benjamini_hochberg(p_values: pd.Series) -> pd.Series:
    """Adjusted p-values of the present p-values; missing ones stay missing."""
    adjusted = pd.Series(np.nan, index=p_values.index)
    present = p_values.notna()
    if present.any():
        adjusted[present] = stats.false_discovery_control(p_values[present])
    return adjusted


def below_significance(p_values: pd.Series) -> pd.Series:
    """True / False per p-value at the 5% level; missing where the p-value is."""
    return (p_values < SIGNIFICANCE_LEVEL).astype(object).where(p_values.notna(), None)


def metric_distributions(
    customers: pd.DataFrame,
    measures: list[str] = NUMERIC_MEASURES,
    dimensions: list[str] = PROFILE_DIMENSIONS,
) -> pd.DataFrame:
    """By default the ten measures of a customer snapshot, everyone, by gender and by age band."""
    rows = []
    for order, metric in enumerate(measures, start=1):
        for dimension, segment, members in segments(customers, dimensions):
            values = members[metric].dropna().astype(float)
            q1, q3 = values.quantile(0.25), values.quantile(0.75)
            has_spread = values.nunique() > 1
            rows.append(
                {
                    "metric": metric,
                    "metric_order": order,
                    "dimension": dimension,
                    "segment": segment,
                    "segment_order": segment_position(dimension, segment),
                    "n": len(values),
                    "mean": values.mean(),
                    "median": values.median(),
                    "mode": values.mode().min(),
                    "stddev": values.std(ddof=1),
                    "min": values.min(),
                    "q1": q1,
                    "q3": q3,
                    "max": values.max(),
                    "iqr": q3 - q1,
                    "skewness": stats.skew(values, bias=False)
                    if has_spread and len(values) > 2
                    else np.nan,
                    "excess_kurtosis": stats.kurtosis(values, bias=False)
                    if has_spread and len(values) > 3
                    else np.nan,
                }
            )
    return pd.DataFrame(rows)


def correlation_measures(customers: pd.DataFrame, names: list[str] | None = None) -> pd.DataFrame:
    """The measures as floats, flags as 1/0: by default the twelve of a customer snapshot."""
    return customers[names or NUMERIC_MEASURES + FLAG_MEASURES].astype(float)


def metric_correlations(customers: pd.DataFrame, names: list[str] | None = None) -> pd.DataFrame:
    """Every pair of the measures (correlation_measures); a pair with a constant measure has no
    coefficients."""
    measures = correlation_measures(customers, names)
    names = list(measures.columns)
    rows = []
    for i, metric_x in enumerate(names):
        for metric_y in names[i + 1 :]:
            x, y = measures[metric_x], measures[metric_y]
            if x.nunique() < 2 or y.nunique() < 2:
                rows.append({"metric_x": metric_x, "metric_y": metric_y, "n": len(x)})
                continue
            pearson = stats.pearsonr(x, y)
            interval = pearson.confidence_interval()
            spearman = stats.spearmanr(x, y)
            rows.append(
                {
                    "metric_x": metric_x,
                    "metric_y": metric_y,
                    "n": len(x),
                    "pearson_r": pearson.statistic,
                    "pearson_r_ci_low": interval.low,
                    "pearson_r_ci_high": interval.high,
                    "pearson_p_value": pearson.pvalue,
                    "spearman_rho": spearman.statistic,
                    "spearman_p_value": spearman.pvalue,
                }
            )
    return add_adjusted_p_values(pd.DataFrame(rows))


def add_adjusted_p_values(correlations: pd.DataFrame) -> pd.DataFrame:
    """metric_correlations' last columns: Benjamini-Hochberg over all pairs, significance, and
    the verdict on each Pearson r with its finding."""
    for test in ("pearson", "spearman"):
        correlations[f"{test}_p_value_adjusted"] = benjamini_hochberg(
            correlations[f"{test}_p_value"]
        )
    correlations["is_significant"] = below_significance(correlations["pearson_p_value_adjusted"])
    add_correlation_verdicts(correlations, "pearson_p_value_adjusted")
    correlations["finding"] = [
        verdicts.verdict_finding(
            row.verdict,
            row.pearson_r_equivalence_low,
            row.pearson_r_equivalence_high,
            row.n,
            "r",
            f"{'positive' if row.pearson_r > 0 else 'negative'} correlation",
            f"r = {format_number(row.pearson_r, 2)}, "
            f"adjusted {format_p(row.pearson_p_value_adjusted)}",
        )
        or "not testable: a measure is constant, or fewer than four customers"
        for row in correlations.itertuples()
    ]
    return correlations


def add_correlation_verdicts(table: pd.DataFrame, p_value: str) -> None:
    """The 1 - 2 alpha interval of pearson_r, its detectable size and the verdict on it."""
    intervals = [
        verdicts.correlation_equivalence(r, n)
        for r, n in zip(table["pearson_r"], table["n"], strict=True)
    ]
    table["pearson_r_equivalence_low"] = [low for low, _ in intervals]
    table["pearson_r_equivalence_high"] = [high for _, high in intervals]
    table["minimum_detectable_effect"] = table["n"].map(verdicts.minimum_detectable_correlation)
    table["equivalence_margin"] = verdicts.MARGIN_CORRELATION
    table["verdict"] = [
        verdicts.verdict(
            row[p_value],
            row["pearson_r_equivalence_low"],
            row["pearson_r_equivalence_high"],
            row["equivalence_margin"],
            row["n"],
        )
        for _, row in table.iterrows()
    ]


def demographics(customers: pd.DataFrame) -> pd.DataFrame:
    groupings = {
        "cell": ["age_band", "gender"],
        "age band total": ["age_band"],
        "gender total": ["gender"],
    }
    rows = []
    for columns in groupings.values():
        for key, members in customers.groupby(columns):
            labels = dict(zip(columns, key, strict=True))
            rows.append(demographics_row(labels, members, len(customers)))
    rows.append(demographics_row({}, customers, len(customers)))
    return add_demographics_orders(pd.DataFrame(rows))


def add_demographics_orders(table: pd.DataFrame) -> pd.DataFrame:
    """demographics' sort columns: 0 for 'all', then age bands and genders by meaning."""
    age_bands = [label for _, label in BANDS["age_band"][1]]
    table["age_band_order"] = [
        0 if band == "all" else age_bands.index(band) + 1 for band in table["age_band"]
    ]
    table["gender_order"] = [
        0 if gender == "all" else GENDER_ORDER.index(gender) + 1 for gender in table["gender"]
    ]
    return table


def demographics_row(
    labels: dict[str, str], members: pd.DataFrame, all_customers: int
) -> dict[str, object]:
    churned = int(members["is_churned"].sum())
    row: dict[str, object] = {
        "age_band": labels.get("age_band", "all"),
        "gender": labels.get("gender", "all"),
        "customers": len(members),
        "customer_share": len(members) / all_customers if all_customers else np.nan,
    }
    for measure in DEMOGRAPHICS_MEASURES:
        row[f"mean_{measure}"] = members[measure].mean()
        row[f"median_{measure}"] = members[measure].median()
    row["churned_customers"] = churned
    row.update(rate_columns("churn_rate", churned, len(members)))
    return row


def spend_vs_income(customers: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for dimension, segment, members in segments(customers, PROFILE_DIMENSIONS):
        income = members["annual_income_k_usd"].astype(float)
        spend = members["total_spend"].astype(float)
        row = {
            "dimension": dimension,
            "segment": segment,
            "segment_order": segment_position(dimension, segment),
            "n": len(members),
        }
        if len(members) > 2:
            pearson = stats.pearsonr(income, spend)
            interval = pearson.confidence_interval()
            line = stats.linregress(income, spend)
            row |= {
                "pearson_r": pearson.statistic,
                "pearson_r_ci_low": interval.low if len(members) > 3 else np.nan,
                "pearson_r_ci_high": interval.high if len(members) > 3 else np.nan,
                "pearson_p_value": pearson.pvalue,
                "spearman_rho": stats.spearmanr(income, spend).statistic,
                "spearman_p_value": stats.spearmanr(income, spend).pvalue,
                "ols_slope": line.slope,
                "ols_intercept": line.intercept,
                "r_squared": pearson.statistic**2,
            }
        rows.append(row)
    return add_spend_income_findings(pd.DataFrame(rows))


def add_spend_income_findings(table: pd.DataFrame) -> pd.DataFrame:
    """spend_vs_income's last columns: adjusted p-value, significance and the finding."""
    # Benjamini-Hochberg within each dimension: its segments are one family of tests.
    table["pearson_p_value_adjusted"] = table.groupby("dimension")["pearson_p_value"].transform(
        benjamini_hochberg
    )
    table["is_significant"] = below_significance(table["pearson_p_value_adjusted"])
    add_correlation_verdicts(table, "pearson_p_value_adjusted")
    segment_counts = table.groupby("dimension")["segment"].transform("count")
    table["finding"] = [
        spend_income_finding(row, several_segments)
        for (_, row), several_segments in zip(table.iterrows(), segment_counts > 1, strict=True)
    ]
    return table


def spend_income_finding(row: pd.Series, several_segments: bool) -> str:
    if row["verdict"] is None:
        return f"too few customers to test (n = {row['n']})"
    evidence = f"r = {format_number(row['pearson_r'], 2)}, {format_p(row['pearson_p_value'])}"
    if several_segments:
        evidence += f", adjusted {format_p(row['pearson_p_value_adjusted'])}"
    direction = "spend rises with income" if row["pearson_r"] > 0 else "spend falls as income rises"
    return verdicts.verdict_finding(
        row["verdict"],
        row["pearson_r_equivalence_low"],
        row["pearson_r_equivalence_high"],
        row["n"],
        "r",
        direction,
        evidence,
    )


def satisfaction_distribution(customers: pd.DataFrame) -> pd.DataFrame:
    scores = customers.groupby("satisfaction_score").agg(
        customers=("customer_id", "size"), churned_customers=("is_churned", "sum")
    )
    return satisfaction_table(scores, len(customers))


def satisfaction_table(scores: pd.DataFrame, total: int) -> pd.DataFrame:
    """satisfaction_distribution from customers and churned_customers per score (the index)."""
    rows = []
    for score, counts in scores.sort_index().iterrows():
        rows.append(
            {"satisfaction_score": score, "customers": counts["customers"]}
            | rate_columns("share", counts["customers"], total)
            | {"churned_customers": counts["churned_customers"]}
            | rate_columns("churn_rate", counts["churned_customers"], counts["customers"])
        )
    table = pd.DataFrame(rows)
    table["cumulative_share"] = table["customers"].cumsum() / total
    return table


def support_vs_satisfaction(customers: pd.DataFrame) -> pd.DataFrame:
    crosstab = pd.crosstab(customers["num_support_contacts"], customers["satisfaction_score"])
    return support_satisfaction_table(crosstab)


def support_satisfaction_table(crosstab: pd.DataFrame) -> pd.DataFrame:
    """support_vs_satisfaction from the customer counts, contacts down and scores across."""
    rows = []
    for contacts, scores in crosstab.iterrows():
        row_total = int(scores.sum())
        for score, count in scores.items():
            rows.append(
                {
                    "num_support_contacts": contacts,
                    "satisfaction_score": score,
                    "customers": count,
                    "support_contacts_customers": row_total,
                }
                | rate_columns("share_within_contacts", count, row_total)
            )
    return pd.DataFrame(rows)


def email_opt_in(customers: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for dimension, segment, members in segments(customers, PROFILE_DIMENSIONS):
        opted_in = int(members["is_email_opted_in"].sum())
        rows.append(
            {
                "dimension": dimension,
                "segment": segment,
                "segment_order": segment_position(dimension, segment),
                "customers": len(members),
                "opted_in_customers": opted_in,
            }
            | rate_columns("rate", opted_in, len(members))
        )
    return pd.DataFrame(rows)


def promotion_response(customers: pd.DataFrame) -> pd.DataFrame:
    responses = sorted(customers["promotion_response"].unique(), key=RESPONSE_ORDER.index)
    rows = []
    for dimension, segment, members in segments(customers, PROMOTION_DIMENSIONS):
        counts = members["promotion_response"].value_counts()
        for response in responses:
            count = int(counts.get(response, 0))
            rows.append(
                {
                    "dimension": dimension,
                    "segment": segment,
                    "segment_order": segment_position(dimension, segment),
                    "promotion_response": response,
                    "response_order": RESPONSE_ORDER.index(response) + 1,
                    "customers": len(members),
                    "customers_with_response": count,
                }
                | rate_columns("rate", count, len(members))
            )
    return pd.DataFrame(rows)


def customer_engagement(customers: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for segment, members in customers.groupby("engagement_segment"):
        churned = int(members["is_churned"].sum())
        rows.append(
            {
                "engagement_segment": segment,
                "segment_order": segment_position("engagement_segment", segment),
                "customers": len(members),
                "customer_share": len(members) / len(customers),
            }
            | {f"mean_{measure}": members[measure].mean() for measure in ENGAGEMENT_MEASURES}
            | {"churned_customers": churned}
            | rate_columns("churn_rate", churned, len(members))
        )
    return pd.DataFrame(rows)


MARTS = {
    "metric_distributions": (metric_distributions, ["metric", "dimension", "segment"]),
    "metric_correlations": (metric_correlations, ["metric_x", "metric_y"]),
    "demographics": (demographics, ["age_band", "gender"]),
    "spend_vs_income": (spend_vs_income, ["dimension", "segment"]),
    "satisfaction_distribution": (satisfaction_distribution, ["satisfaction_score"]),
    "support_vs_satisfaction": (
        support_vs_satisfaction,
        ["num_support_contacts", "satisfaction_score"],
    ),
    "email_opt_in": (email_opt_in, ["dimension", "segment"]),
    "promotion_response": (promotion_response, ["dimension", "segment", "promotion_response"]),
    "customer_engagement": (customer_engagement, ["engagement_segment"]),
}
"""Each question mart: the function computing it from the customers mart, and its grain."""
