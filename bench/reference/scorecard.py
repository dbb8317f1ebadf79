"""The GQM scorecard computed by pandas and scipy, one row per question, by the rules of GQM.md.

Part of the independent reference of the marts (bench/reference/). Takes the customers mart
(customers.customers_mart) and applies each question's rule with scipy: kruskal, pearsonr (with
its Fisher-z interval), binomtest (with its Wilson interval); Q9 counts the significant rows of
the reference churn_drivers. What each question measures and when its claim holds are
constants here, shared with bench.polars_marts, which computes the figures from its marts.
"""

import numpy as np
import pandas as pd
from scipy import stats

from bench.reference.churn import churn_drivers

SIGNIFICANCE_LEVEL = 0.05

# What each question measures, for whatever computes its figures.
SPEND_BY_AGE_BAND = ("total_spend", "age_band")  # Q1: Kruskal-Wallis, spread of band means
CORRELATED_PAIRS = {
    "Q2": ("annual_income_k_usd", "total_spend"),
    "Q5": ("num_support_contacts", "satisfaction_score"),
}
MEDIAN_MEASURE = "num_purchases"  # Q3
MID_RANGE_SATISFACTION = (2, 4)  # Q4 counts the scores from 2 to 4
RESPONDED = "Responded"  # Q7
# Share tests: null proportion and alternative of the binomial test.
PROPORTION_TESTS = {
    "Q4": (0.6, "greater"),
    "Q6": (0.5, "two-sided"),
    "Q7": (0.5, "less"),
    "Q8": (0.5, "greater"),
}
# When each question's claim holds, from its figures; Q3 states a value and makes no claim.
CLAIMS = {
    "Q1": lambda row: row["p_value"] < SIGNIFICANCE_LEVEL,
    "Q2": lambda row: row["p_value"] < SIGNIFICANCE_LEVEL and row["value"] > 0,
    "Q4": lambda row: row["p_value"] < SIGNIFICANCE_LEVEL,
    "Q5": lambda row: row["ci_low"] > -0.3 and row["ci_high"] < 0.3,
    "Q6": lambda row: row["ci_low"] >= 0.45 and row["ci_high"] <= 0.55,
    "Q7": lambda row: row["p_value"] < SIGNIFICANCE_LEVEL,
    "Q8": lambda row: row["p_value"] < SIGNIFICANCE_LEVEL,
    "Q9": lambda row: row["value"] > 0,
}


def proportion_row(successes: int, trials: int, null_proportion: float, alternative: str) -> dict:
    test = stats.binomtest(int(successes), int(trials), null_proportion, alternative=alternative)
    # the two-sided 95% interval, whatever the test's alternative
    interval = stats.binomtest(int(successes), int(trials)).proportion_ci(method="wilson")
    return {
        "value": successes / trials,
        "ci_low": interval.low,
        "ci_high": interval.high,
        "p_value": test.pvalue,
    }


def correlation_row(x: pd.Series, y: pd.Series) -> dict:
    result = stats.pearsonr(x, y)
    interval = result.confidence_interval()
    return {
        "value": result.statistic,
        "ci_low": interval.low,
        "ci_high": interval.high,
        "p_value": result.pvalue,
    }


def drivers_row(drivers: pd.DataFrame) -> dict:
    """Q9's figures from the churn_drivers mart: how many factors stay significant."""
    significant = drivers[drivers["p_value_adjusted"] < SIGNIFICANCE_LEVEL]
    return {
        "value": float(len(significant)),
        "p_value": drivers["p_value_adjusted"].min(),
        "significant_factors": sorted(significant["factor"]),
    }


def gqm_scorecard(customers: pd.DataFrame) -> pd.DataFrame:
    spend, age_band = SPEND_BY_AGE_BAND
    spend_by_age_band = [group[spend] for _, group in customers.groupby(age_band)]
    age_band_means = customers.groupby(age_band)[spend].mean()
    successes = {
        "Q4": customers["satisfaction_score"].between(*MID_RANGE_SATISFACTION).sum(),
        "Q6": customers["is_email_opted_in"].sum(),
        "Q7": (customers["promotion_response"] == RESPONDED).sum(),
        "Q8": customers["is_churned"].sum(),
    }
    figures = {
        "Q1": {
            "value": age_band_means.max() - age_band_means.min(),
            "p_value": stats.kruskal(*spend_by_age_band).pvalue,
        },
        **{
            question: correlation_row(customers[x], customers[y])
            for question, (x, y) in CORRELATED_PAIRS.items()
        },
        "Q3": {"value": customers[MEDIAN_MEASURE].median()},
        **{
            question: proportion_row(count, len(customers), *PROPORTION_TESTS[question])
            for question, count in successes.items()
        },
        "Q9": drivers_row(churn_drivers(customers)),
    }
    return scorecard_table(figures)


def scorecard_table(figures: dict[str, dict]) -> pd.DataFrame:
    """gqm_scorecard from each question's figures: Q1 to Q9 in order, each claim decided."""
    rows = {
        question: figures[question]
        | ({"claim_holds": CLAIMS[question](figures[question])} if question in CLAIMS else {})
        for question in sorted(figures)
    }
    scorecard = pd.DataFrame.from_dict(rows, orient="index").rename_axis("question_id")
    for column in ["ci_low", "ci_high", "p_value"]:
        scorecard[column] = scorecard[column].astype(float)
    scorecard["value"] = scorecard["value"].astype(float)
    return scorecard.replace({np.nan: None}).reset_index()
