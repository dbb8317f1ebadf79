"""The GQM scorecard computed by pandas and scipy, one row per question, by the rules of GQM.md.

Part of the independent reference of the marts (bench/reference/). Takes the customers mart
(customers.customers_mart) and applies each question's rule with scipy: kruskal, pearsonr (with
its Fisher-z interval), binomtest (with its Wilson interval), ttest_1samp (Q1's two one-sided
tests per age band); Q9 counts the verdicts of the reference churn_drivers. What each question
measures and when its claim is supported or refuted are constants here (Q3 and Q10 make no
claim), shared with
bench.polars_marts, which computes the figures from its marts.
"""

import numpy as np
import pandas as pd
from scipy import stats

from bench.reference.churn import churn_drivers
from bench.reference.verdicts import (
    ALPHA,
    EFFECT,
    INCONCLUSIVE,
    MARGIN_CORRELATION,
    MARGIN_MEAN_SHARE,
    NO_MEANINGFUL_EFFECT,
)

SIGNIFICANCE_LEVEL = ALPHA

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
# When each question's claim is supported, from its figures; Q3 states a value and makes no
# claim. (A missing figure compares false: the claim is then neither supported nor refuted.)
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
# When it is refuted (GQM.md, "Verdicts"): the data show the opposite, or that any effect is too
# small to matter. Decided before "supported".
REFUTED = {
    # every age band's two one-sided tests reject a mean outside +-5% of the overall mean
    "Q1": lambda row: row["largest_equivalence_p_value"] < SIGNIFICANCE_LEVEL,
    "Q2": lambda row: row["equivalence_high"] < MARGIN_CORRELATION,
    "Q4": lambda row: row["opposite_p_value"] < SIGNIFICANCE_LEVEL,
    "Q5": lambda row: row["ci_low"] >= 0.3 or row["ci_high"] <= -0.3,
    "Q6": lambda row: row["ci_low"] > 0.55 or row["ci_high"] < 0.45,
    "Q7": lambda row: row["opposite_p_value"] < SIGNIFICANCE_LEVEL,
    "Q8": lambda row: row["opposite_p_value"] < SIGNIFICANCE_LEVEL,
    "Q9": lambda row: 0 < row["drivers"] == row["no_meaningful_effect_drivers"],
}
OPPOSITE = {"greater": "less", "less": "greater"}


def proportion_row(successes: int, trials: int, null_proportion: float, alternative: str) -> dict:
    """A share with its 95% Wilson interval, the claim's exact binomial test, and for a one-sided
    claim the test of the opposite direction (which refutes it)."""
    test = stats.binomtest(int(successes), int(trials), null_proportion, alternative=alternative)
    # the two-sided 95% interval, whatever the test's alternative
    interval = stats.binomtest(int(successes), int(trials)).proportion_ci(method="wilson")
    row = {
        "value": successes / trials,
        "ci_low": interval.low,
        "ci_high": interval.high,
        "p_value": test.pvalue,
    }
    if alternative in OPPOSITE:
        opposite = stats.binomtest(
            int(successes), int(trials), null_proportion, alternative=OPPOSITE[alternative]
        )
        row["opposite_p_value"] = opposite.pvalue
    return row


def correlation_row(x: pd.Series, y: pd.Series) -> dict:
    """Pearson's r with its 95% interval and p-value, and the upper end of its 1 - 2 alpha
    interval (Q2 is refuted when even that stays below the margin)."""
    result = stats.pearsonr(x, y)
    interval = result.confidence_interval()
    return {
        "value": result.statistic,
        "ci_low": interval.low,
        "ci_high": interval.high,
        "p_value": result.pvalue,
        "equivalence_high": result.confidence_interval(1 - 2 * SIGNIFICANCE_LEVEL).high,
    }


def drivers_row(drivers: pd.DataFrame) -> dict:
    """Q9's figures from the churn_drivers mart: how many factors are an effect, and how many
    have each verdict; the smallest adjusted p-value."""
    verdicts = drivers["verdict"]
    return {
        "value": float((verdicts == EFFECT).sum()),
        "p_value": drivers["p_value_adjusted"].min(),
        "effect_factors": sorted(drivers.loc[verdicts == EFFECT, "factor"]),
        "drivers": len(drivers),
        "no_meaningful_effect_drivers": int((verdicts == NO_MEANINGFUL_EFFECT).sum()),
        "inconclusive_drivers": int((verdicts == INCONCLUSIVE).sum()),
    }


def largest_equivalence_p_value(groups: list[pd.Series], overall_mean: float) -> float:
    """Q1's refutation: for each group the larger p-value of the two one-sided t-tests that its
    mean lies within +-5% of the overall mean (scipy ttest_1samp); the largest over the groups.
    Below alpha exactly when every group's mean is equivalent to the overall mean."""
    margin = MARGIN_MEAN_SHARE * overall_mean
    p_values = [
        max(
            stats.ttest_1samp(values, overall_mean - margin, alternative="greater").pvalue,
            stats.ttest_1samp(values, overall_mean + margin, alternative="less").pvalue,
        )
        for values in groups
    ]
    return max(p_values) if p_values else np.nan


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
            "largest_equivalence_p_value": largest_equivalence_p_value(
                spend_by_age_band, customers[spend].mean()
            ),
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
        # a customer snapshot has no order dates: Q10 is not measured (retention.py answers it)
        "Q10": {"value": np.nan},
    }
    return scorecard_table(figures)


def verdict(question: str, row: dict) -> str | None:
    """supported / refuted / inconclusive by GQM.md, refuted decided first; none without a claim."""
    if question not in CLAIMS:
        return None
    if REFUTED[question](row):
        return "refuted"
    return "supported" if CLAIMS[question](row) else "inconclusive"


def scorecard_table(figures: dict[str, dict]) -> pd.DataFrame:
    """gqm_scorecard from each question's figures: Q1 to Q10 in order, each claim decided."""
    rows = {}
    for question in sorted(figures, key=lambda question_id: int(question_id[1:])):
        decided = verdict(question, figures[question])
        rows[question] = figures[question] | {
            "verdict": decided,
            "claim_holds": None if decided is None else decided == "supported",
        }
    scorecard = pd.DataFrame.from_dict(rows, orient="index").rename_axis("question_id")
    for column in ["ci_low", "ci_high", "p_value"]:
        scorecard[column] = scorecard[column].astype(float)
    scorecard["value"] = scorecard["value"].astype(float)
    return scorecard.replace({np.nan: None}).reset_index()
