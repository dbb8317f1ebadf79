"""Every mart of the warehouse from one customer file, with polars.

The marts of bench.pandas_marts, written the way a performance-minded analyst would with polars:
the file read once, the customers mart built with expressions over all rows, and each question
answered by one group-by per dimension instead of a loop over segments. The definitions (band
edges, measure lists, RFM and scorecard rules) come from bench/reference/, and so do the steps
that finish an aggregated table of a few dozen rows (Wilson intervals, Benjamini-Hochberg,
chi-square of a crosstab, findings). Everything that touches each customer (reading, bands, RFM
scores, grouping, quantiles, ranks, correlations, moments) is polars; scipy only turns the
aggregated statistics into p-values and intervals.

    python -m bench.polars_marts data/generated/customers_1000000_seed0.parquet
"""

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
from scipy import stats

from bench.pandas_marts import print_mart_sizes
from bench.reference import churn, gqm, scorecard, verdicts
from bench.reference.customers import (
    BANDS,
    BOOLEAN_SPELLINGS,
    ENGAGEMENT_RULES,
    NUMERIC_MEASURES,
    QUINTILE_EDGES,
    RFM_SCORES,
    SOURCE_TO_STAGED,
    UNRULED_ENGAGEMENT_SEGMENT,
)

CONFIDENCE_LEVEL = 0.95
DISTRIBUTION_STATISTICS = ["n", "mean", "median", "mode", "stddev", "min", "q1", "q3", "max"]


# The customers mart


def scan_customers(path: Path) -> pl.LazyFrame:
    """The staged customer table: source columns renamed, booleans parsed, one row per customer."""
    if path.suffix == ".parquet":
        raw = pl.scan_parquet(path)
    else:
        # every row decides a column's type, as in pandas: a money column may start with whole
        # amounts ("122") and show its first decimals far down the file
        raw = pl.scan_csv(
            path,
            infer_schema_length=None,
            schema_overrides={"Email_Opt_In": pl.String, "Target_Churn": pl.String},
        )
    staged = raw.select(pl.col(source).alias(staged) for source, staged in SOURCE_TO_STAGED.items())
    return staged.with_columns(
        pl.col(flag)
        .cast(pl.String)
        .str.strip_chars()
        .str.to_lowercase()
        .replace_strict(BOOLEAN_SPELLINGS, default=None, return_dtype=pl.Boolean)
        for flag in ("is_email_opted_in", "is_churned")
    )


def band(column: str, edges: list[tuple[float, str]]) -> pl.Expr:
    """The label of the band a value falls in; each band includes its lower edge."""
    labels = [label for _, label in edges]
    breaks = [edge for edge, _ in edges[1:]]
    return pl.col(column).bin_intervals(breaks, labels=labels).cast(pl.String)


def rfm_score(column: str, fewer_is_better: bool) -> pl.Expr:
    """1-5 from the quintile edges over all customers; a value on an edge takes the lower score."""
    values = pl.col(column).cast(pl.Float64)
    edges_exceeded = pl.sum_horizontal(
        (values > values.quantile(edge, "linear")).cast(pl.Int64) for edge in QUINTILE_EDGES
    )
    return 5 - edges_exceeded if fewer_is_better else 1 + edges_exceeded


def engagement_segment() -> pl.Expr:
    """The first engagement rule a customer's scores meet, else the segment no rule names."""
    segment = pl
    for name, rule in ENGAGEMENT_RULES.items():
        meets_rule = pl.all_horizontal(
            pl.col(score).is_between(lowest, highest) for score, (lowest, highest) in rule.items()
        )
        segment = segment.when(meets_rule).then(pl.lit(name))
    return segment.otherwise(pl.lit(UNRULED_ENGAGEMENT_SEGMENT))


def customers_mart(
    staged: pl.LazyFrame, bands: dict[str, tuple[str, list[tuple[float, str]]]] = BANDS
) -> pl.LazyFrame:
    """The customers mart: staged columns, bands (by default a customer snapshot's), RFM scores
    and engagement segment."""
    return (
        staged.with_columns(
            band(column, edges).alias(name) for name, (column, edges) in bands.items()
        )
        .with_columns(
            rfm_score(column, fewer_is_better).alias(score)
            for score, (column, fewer_is_better) in RFM_SCORES.items()
        )
        .with_columns(engagement_segment().alias("engagement_segment"))
    )


# Aggregation shared by the marts


def count(expression: pl.Expr) -> pl.Expr:
    """A count as int64, as pandas counts."""
    return expression.cast(pl.Int64)


def segment_label(dimension: str) -> pl.Expr:
    """Each customer's segment label in a dimension, as the marts spell it."""
    if dimension == "is_email_opted_in":
        return pl.col(dimension).replace_strict(
            {True: "opted in", False: "not opted in"}, return_dtype=pl.String
        )
    return pl.col(dimension).cast(pl.String)


def by_segment(
    customers: pl.DataFrame, dimensions: Sequence[str], aggregations: Sequence[pl.Expr]
) -> pl.DataFrame:
    """The aggregations over everyone (overall / all), then per segment of each dimension.

    Segments follow their labels' order within a dimension, as pandas' group-by sorts them.
    """
    groups = []
    if customers.height:
        groups.append(
            customers.lazy().select(
                pl.lit("overall").alias("dimension"), pl.lit("all").alias("segment"), *aggregations
            )
        )
    for dimension in dimensions:
        groups.append(
            customers.lazy()
            .group_by(segment_label(dimension).alias("segment"))
            .agg(*aggregations)
            .sort("segment")
            .select(pl.lit(dimension).alias("dimension"), pl.all())
        )
    return pl.concat(groups).collect()


def with_segment_order(segments: pl.DataFrame) -> pl.DataFrame:
    """segment_order beside segment: 0 for overall, then each dimension's segments by meaning."""
    order = [
        gqm.segment_position(dimension, segment)
        for dimension, segment in segments.select("dimension", "segment").iter_rows()
    ]
    position = segments.get_column_index("segment") + 1
    return segments.insert_column(position, pl.Series("segment_order", order, dtype=pl.Int64))


def with_rate(frame: pl.DataFrame, stem: str, successes: str, trials: str) -> pl.DataFrame:
    """stem, stem_ci_low, stem_ci_high: the rate successes / trials with its Wilson interval."""
    rates = [
        gqm.rate_columns(stem, hits, tries)
        for hits, tries in frame.select(successes, trials).iter_rows()
    ]
    columns = [stem, f"{stem}_ci_low", f"{stem}_ci_high"]
    return frame.hstack(pl.DataFrame(rates, schema=dict.fromkeys(columns, pl.Float64)))


def pearson_test(r: float, n: int) -> dict[str, float]:
    """The Fisher-z 95% interval and the two-sided p-value of a Pearson r, as scipy's pearsonr."""
    half_width = (
        stats.norm.ppf(0.5 + CONFIDENCE_LEVEL / 2) * np.sqrt(1 / (n - 3)) if n > 3 else np.nan
    )
    shape = n / 2 - 1
    return {
        "ci_low": np.tanh(np.arctanh(r) - half_width),
        "ci_high": np.tanh(np.arctanh(r) + half_width),
        "p_value": 2 * stats.beta.sf(abs(r), shape, shape, loc=-1, scale=2),
    }


def spearman_p_value(rho: float, n: int) -> float:
    """Two-sided p-value of a Spearman rho by its t statistic, as scipy's spearmanr."""
    degrees_of_freedom = n - 2
    t = rho * max(degrees_of_freedom / ((rho + 1) * (1 - rho)), 0) ** 0.5
    return 2 * stats.t.sf(abs(t), degrees_of_freedom)


def correlation_figures(r: float, rho: float, n: int) -> dict[str, float]:
    """Pearson's r with its interval and p-value, and Spearman's rho with its p-value."""
    test = pearson_test(r, n)
    return {
        "pearson_r": r,
        "pearson_r_ci_low": test["ci_low"],
        "pearson_r_ci_high": test["ci_high"],
        "pearson_p_value": test["p_value"],
        "spearman_rho": rho,
        "spearman_p_value": spearman_p_value(rho, n),
    }


def rank(column: str) -> pl.Expr:
    """Average ranks, ties sharing the mean of their positions (Spearman's convention)."""
    return pl.col(column).cast(pl.Float64).rank("average")


# Question marts (Q1-Q7)


def distribution_statistics(metric: str) -> pl.Expr:
    values = pl.col(metric).cast(pl.Float64)
    n = values.count()
    has_spread = values.min() < values.max()
    return pl.struct(
        count(n).alias("n"),
        values.mean().alias("mean"),
        values.median().alias("median"),
        # the smallest of the most frequent values
        values.mode().min().alias("mode"),
        values.std(ddof=1).alias("stddev"),
        values.min().alias("min"),
        values.quantile(0.25, "linear").alias("q1"),
        values.quantile(0.75, "linear").alias("q3"),
        values.max().alias("max"),
        pl.when(has_spread & (n > 2)).then(values.skew(bias=False)).alias("skewness"),
        pl.when(has_spread & (n > 3))
        .then(values.kurtosis(fisher=True, bias=False))
        .alias("excess_kurtosis"),
    ).alias(metric)


def metric_distributions(
    customers: pl.DataFrame,
    measures: Sequence[str] = NUMERIC_MEASURES,
    dimensions: Sequence[str] = gqm.PROFILE_DIMENSIONS,
) -> pl.DataFrame:
    """By default the ten measures of a customer snapshot, everyone, by gender and by age band."""
    statistics = by_segment(
        customers, dimensions, [distribution_statistics(metric) for metric in measures]
    )
    metric_order = {metric: order for order, metric in enumerate(measures, start=1)}
    table = (
        statistics.unpivot(index=["dimension", "segment"], on=measures, variable_name="metric")
        .unnest("value")
        .with_columns(
            pl.col("metric")
            .replace_strict(metric_order, return_dtype=pl.Int64)
            .alias("metric_order")
        )
        .sort("metric_order", maintain_order=True)
    )
    return with_segment_order(
        table.select(
            "metric",
            "metric_order",
            "dimension",
            "segment",
            *DISTRIBUTION_STATISTICS,
            (pl.col("q3") - pl.col("q1")).alias("iqr"),
            "skewness",
            "excess_kurtosis",
        )
    )


def metric_correlations(
    customers: pl.DataFrame, names: Sequence[str] = NUMERIC_MEASURES + gqm.FLAG_MEASURES
) -> pl.DataFrame:
    """Every pair of the measures, by default the twelve of a customer snapshot."""
    names = list(names)
    pairs = [(x, y) for i, x in enumerate(names) for y in names[i + 1 :]]
    measures = customers.lazy().select(
        pl.col(names).cast(pl.Float64), *(rank(name).alias(f"{name} rank") for name in names)
    )
    coefficients = measures.select(
        count(pl.len()).alias("n"),
        *(pl.corr(x, y).alias(f"pearson {x} {y}") for x, y in pairs),
        *(pl.corr(f"{x} rank", f"{y} rank").alias(f"spearman {x} {y}") for x, y in pairs),
    ).collect()
    n = coefficients["n"][0]
    rows = []
    for x, y in pairs:
        r, rho = coefficients[f"pearson {x} {y}"][0], coefficients[f"spearman {x} {y}"][0]
        rows.append({"metric_x": x, "metric_y": y, "n": n, **correlation_figures(r, rho, n)})
    return pl.from_pandas(gqm.add_adjusted_p_values(pd.DataFrame(rows)))


def customer_count() -> pl.Expr:
    return count(pl.len()).alias("customers")


def churned_count() -> pl.Expr:
    return count(pl.col("is_churned").sum()).alias("churned_customers")


def demographics(customers: pl.DataFrame) -> pl.DataFrame:
    aggregations = [
        customer_count(),
        *(
            statistic
            for measure in gqm.DEMOGRAPHICS_MEASURES
            for statistic in (
                pl.col(measure).mean().alias(f"mean_{measure}"),
                pl.col(measure).median().alias(f"median_{measure}"),
            )
        ),
        churned_count(),
    ]
    everyone = ["age_band", "gender"]
    # cells, then age band totals, then gender totals, then everyone
    groupings = [everyone, ["age_band"], ["gender"]]
    groups = [
        customers.lazy()
        .group_by(columns)
        .agg(aggregations)
        .sort(columns)
        .with_columns(pl.lit("all").alias(column) for column in everyone if column not in columns)
        .select(*everyone, pl.exclude(everyone))
        for columns in groupings
    ]
    groups.append(
        customers.lazy().select(*(pl.lit("all").alias(c) for c in everyone), *aggregations)
    )
    table = pl.concat(groups).collect()
    table = table.select(
        *everyone,
        "customers",
        (pl.col("customers") / customers.height).alias("customer_share"),
        pl.exclude(*everyone, "customers"),
    )
    table = with_rate(table, "churn_rate", "churned_customers", "customers")
    return pl.from_pandas(gqm.add_demographics_orders(table.to_pandas()))


def spend_vs_income(customers: pl.DataFrame) -> pl.DataFrame:
    income, spend = pl.col("annual_income_k_usd"), pl.col("total_spend")
    # ranks inside the aggregation rank each segment's customers among themselves
    statistics = by_segment(
        customers,
        gqm.PROFILE_DIMENSIONS,
        [
            count(pl.len()).alias("n"),
            pl.corr(income, spend).alias("pearson_r"),
            pl.corr(rank("annual_income_k_usd"), rank("total_spend")).alias("spearman_rho"),
            (pl.cov(income, spend) / income.var()).alias("ols_slope"),
            income.mean().alias("mean_income"),
            spend.mean().alias("mean_spend"),
        ],
    )
    rows = []
    for segment in with_segment_order(statistics).iter_rows(named=True):
        n = segment["n"]
        row = {key: segment[key] for key in ("dimension", "segment", "segment_order", "n")}
        if n > 2:
            r, rho, slope = segment["pearson_r"], segment["spearman_rho"], segment["ols_slope"]
            row |= {
                **correlation_figures(r, rho, n),
                "ols_slope": slope,
                "ols_intercept": segment["mean_spend"] - slope * segment["mean_income"],
                "r_squared": r**2,
            }
        rows.append(row)
    return pl.from_pandas(gqm.add_spend_income_findings(pd.DataFrame(rows)))


def satisfaction_distribution(customers: pl.DataFrame) -> pl.DataFrame:
    scores = (
        customers.group_by("satisfaction_score")
        .agg(customer_count(), churned_count())
        .sort("satisfaction_score")
    )
    table = gqm.satisfaction_table(
        scores.to_pandas().set_index("satisfaction_score"), customers.height
    )
    return pl.from_pandas(table)


def support_vs_satisfaction(customers: pl.DataFrame) -> pl.DataFrame:
    counts = customers.group_by("num_support_contacts", "satisfaction_score").agg(customer_count())
    crosstab = (
        counts.to_pandas()
        .pivot(index="num_support_contacts", columns="satisfaction_score", values="customers")
        .fillna(0)
        .astype("int64")
    )
    return pl.from_pandas(gqm.support_satisfaction_table(crosstab))


def email_opt_in(customers: pl.DataFrame) -> pl.DataFrame:
    segments = by_segment(
        customers,
        gqm.PROFILE_DIMENSIONS,
        [
            customer_count(),
            count(pl.col("is_email_opted_in").sum()).alias("opted_in_customers"),
        ],
    )
    return with_rate(with_segment_order(segments), "rate", "opted_in_customers", "customers")


def promotion_response(customers: pl.DataFrame) -> pl.DataFrame:
    responses = sorted(customers["promotion_response"].unique(), key=gqm.RESPONSE_ORDER.index)
    segments = by_segment(
        customers,
        gqm.PROMOTION_DIMENSIONS,
        [
            customer_count(),
            *(
                count((pl.col("promotion_response") == response).sum()).alias(response)
                for response in responses
            ),
        ],
    )
    response_order = {response: gqm.RESPONSE_ORDER.index(response) + 1 for response in responses}
    table = (
        with_segment_order(segments)
        .with_row_index("segment_row")
        .unpivot(
            index=["segment_row", "dimension", "segment", "segment_order", "customers"],
            on=responses,
            variable_name="promotion_response",
            value_name="customers_with_response",
        )
        .with_columns(
            pl.col("promotion_response")
            .replace_strict(response_order, return_dtype=pl.Int64)
            .alias("response_order")
        )
        .sort("segment_row", "response_order")
        .select(
            "dimension",
            "segment",
            "segment_order",
            "promotion_response",
            "response_order",
            "customers",
            "customers_with_response",
        )
    )
    return with_rate(table, "rate", "customers_with_response", "customers")


def customer_engagement(customers: pl.DataFrame) -> pl.DataFrame:
    segments = (
        customers.group_by(pl.col("engagement_segment").alias("segment"))
        .agg(
            customer_count(),
            *(
                pl.col(measure).mean().alias(f"mean_{measure}")
                for measure in gqm.ENGAGEMENT_MEASURES
            ),
            churned_count(),
        )
        .sort("segment")
        .with_columns(pl.lit("engagement_segment").alias("dimension"))
    )
    table = with_segment_order(segments).select(
        pl.col("segment").alias("engagement_segment"),
        "segment_order",
        "customers",
        (pl.col("customers") / customers.height).alias("customer_share"),
        *(f"mean_{measure}" for measure in gqm.ENGAGEMENT_MEASURES),
        "churned_customers",
    )
    return with_rate(table, "churn_rate", "churned_customers", "customers")


# Churn marts (Q8, Q9)


def churn_overview(customers: pl.DataFrame) -> pl.DataFrame:
    churned = int(customers["is_churned"].sum())
    return pl.from_pandas(churn.churn_overview_table(customers.height, churned))


def churn_by_segment(
    customers: pl.DataFrame, dimensions: Sequence[str] | None = None
) -> pl.DataFrame:
    """dimensions: those the input has (default: every dimension of a customer snapshot)."""
    if dimensions is None:
        dimensions = list(churn.DIMENSIONS) + [
            name for name in churn.OPTIONAL_DIMENSIONS if name in customers.columns
        ]
    segments = by_segment(
        customers, dimensions, [customer_count(), churned_count().alias("churned")]
    )
    return pl.from_pandas(churn.churn_by_segment_table(segments.to_pandas()))


def churn_drivers(
    customers: pl.DataFrame,
    categorical: Sequence[str] = churn.CATEGORICAL_FACTORS,
    numeric: Sequence[str] = NUMERIC_MEASURES,
) -> pl.DataFrame:
    """By default the three categorical and ten numeric factors of a customer snapshot."""
    records = []
    for factor in categorical:
        counts = customers.group_by(factor, "is_churned").agg(customer_count()).to_pandas()
        crosstab = counts.pivot(index=factor, columns="is_churned", values="customers").fillna(0)
        records.append(churn.categorical_driver(factor, crosstab))
    churned = pl.col("is_churned").cast(pl.Float64)
    correlations = customers.select(
        pl.corr(churned, pl.col(factor).cast(pl.Float64)).alias(factor) for factor in numeric
    )
    for factor in numeric:
        r = correlations[factor][0]
        p_value = pearson_test(r, customers.height)["p_value"]
        records.append(churn.numeric_driver(factor, r, p_value, customers.height))
    return pl.from_pandas(churn.drivers_table(records))


# The scorecard, from the marts it summarises


def spread_across_groups(customers: pl.DataFrame, measure: str, dimension: str) -> dict:
    """Q1's figures: the range of the groups' means, the Kruskal-Wallis H test's p-value, and
    the largest over the groups of their two one-sided t-tests' p-value against the overall
    mean -/+ its margin."""
    n = customers.height
    groups = (
        customers.lazy()
        .with_columns(rank(measure).alias("rank"))
        .group_by(dimension)
        .agg(
            count(pl.len()).alias("n"),
            pl.col("rank").sum().alias("rank_sum"),
            pl.col(measure).mean().alias("mean"),
            pl.col(measure).std(ddof=1).alias("stddev"),
        )
        .collect()
    )
    tie_sizes = customers.group_by(measure).agg(count(pl.len()).alias("size"))["size"]
    between_groups = (groups["rank_sum"] ** 2 / groups["n"]).sum()
    h = 12 / (n * (n + 1)) * between_groups - 3 * (n + 1)
    h /= 1 - (tie_sizes**3 - tie_sizes).sum() / (n**3 - n)
    overall_mean = customers[measure].mean()
    margin = verdicts.MARGIN_MEAN_SHARE * overall_mean
    equivalence_p_values = [
        max(
            stats.t.sf((mean - (overall_mean - margin)) / (stddev / np.sqrt(size)), size - 1),
            stats.t.cdf((mean - (overall_mean + margin)) / (stddev / np.sqrt(size)), size - 1),
        )
        for size, mean, stddev in groups.select("n", "mean", "stddev").iter_rows()
    ]
    return {
        "value": groups["mean"].max() - groups["mean"].min(),
        "p_value": stats.chi2.sf(h, groups.height - 1),
        "largest_equivalence_p_value": max(equivalence_p_values),
    }


def correlation_row(correlations: pl.DataFrame, x: str, y: str) -> dict:
    """A pair's Pearson r, interval and p-value from metric_correlations."""
    pair = correlations.filter(
        ((pl.col("metric_x") == x) & (pl.col("metric_y") == y))
        | ((pl.col("metric_x") == y) & (pl.col("metric_y") == x))
    ).row(0, named=True)
    return {
        "value": pair["pearson_r"],
        "ci_low": pair["pearson_r_ci_low"],
        "ci_high": pair["pearson_r_ci_high"],
        "p_value": pair["pearson_p_value"],
        "equivalence_high": pair["pearson_r_equivalence_high"],
    }


def gqm_scorecard(customers: pl.DataFrame, marts: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per question, from the marts answering it (only Q1 reads the customers)."""
    overall = {
        name: marts[name].filter(pl.col("dimension") == "overall")
        for name in ("metric_distributions", "email_opt_in", "promotion_response")
    }
    lowest, highest = scorecard.MID_RANGE_SATISFACTION
    satisfaction = marts["satisfaction_distribution"]
    successes = {
        "Q4": satisfaction.filter(pl.col("satisfaction_score").is_between(lowest, highest))[
            "customers"
        ].sum(),
        "Q6": overall["email_opt_in"]["opted_in_customers"][0],
        "Q7": overall["promotion_response"]
        .filter(pl.col("promotion_response") == scorecard.RESPONDED)["customers_with_response"]
        .sum(),
        "Q8": marts["churn_overview"]["churned_customers"][0],
    }
    median = overall["metric_distributions"].filter(pl.col("metric") == scorecard.MEDIAN_MEASURE)
    figures = {
        "Q1": spread_across_groups(customers, *scorecard.SPEND_BY_AGE_BAND),
        **{
            question: correlation_row(marts["metric_correlations"], x, y)
            for question, (x, y) in scorecard.CORRELATED_PAIRS.items()
        },
        "Q3": {"value": median["median"][0]},
        **{
            question: scorecard.proportion_row(
                hits, customers.height, *scorecard.PROPORTION_TESTS[question]
            )
            for question, hits in successes.items()
        },
        "Q9": scorecard.drivers_row(marts["churn_drivers"].to_pandas()),
        "Q10": {"value": None},  # a customer snapshot has no order dates
    }
    return pl.from_pandas(scorecard.scorecard_table(figures))


def all_marts(path: Path) -> dict[str, pl.DataFrame]:
    """Each mart's name and rows, computed from the customer file at path (CSV or Parquet)."""
    customers = customers_mart(scan_customers(path)).collect()
    marts = {"customers": customers}
    question_marts = {
        "metric_distributions": metric_distributions,
        "metric_correlations": metric_correlations,
        "demographics": demographics,
        "spend_vs_income": spend_vs_income,
        "satisfaction_distribution": satisfaction_distribution,
        "support_vs_satisfaction": support_vs_satisfaction,
        "email_opt_in": email_opt_in,
        "promotion_response": promotion_response,
        "customer_engagement": customer_engagement,
        "churn_overview": churn_overview,
        "churn_by_segment": churn_by_segment,
        "churn_drivers": churn_drivers,
    }
    for name, compute in question_marts.items():
        marts[name] = compute(customers)
    marts["gqm_scorecard"] = gqm_scorecard(customers, marts)
    return marts


def main(argv: Sequence[str] | None = None) -> None:
    print_mart_sizes(all_marts, "python -m bench.polars_marts", __doc__, argv)


if __name__ == "__main__":
    main()
