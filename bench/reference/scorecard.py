"""The GQM scorecard computed by pandas and scipy, one row per question, by the rules of GQM.md.

Part of the independent reference of the marts (bench/reference/). Takes the customers mart
(customers.customers_mart) and applies each question's rule with scipy: kruskal, pearsonr (with
its Fisher-z interval), binomtest (with its Wilson interval); Q9 counts the significant rows of
the reference churn_drivers.
"""

import numpy as np
import pandas as pd
from scipy import stats

from bench.reference.churn import churn_drivers

SIGNIFICANCE_LEVEL = 0.05


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


def gqm_scorecard(customers: pd.DataFrame) -> pd.DataFrame:
    spend_by_age_band = [group["total_spend"] for _, group in customers.groupby("age_band")]
    age_band_means = customers.groupby("age_band")["total_spend"].mean()
    kruskal = stats.kruskal(*spend_by_age_band)
    q1 = {
        "value": age_band_means.max() - age_band_means.min(),
        "p_value": kruskal.pvalue,
        "claim_holds": kruskal.pvalue < SIGNIFICANCE_LEVEL,
    }

    q2 = correlation_row(customers["annual_income_k_usd"], customers["total_spend"])
    q2["claim_holds"] = q2["p_value"] < SIGNIFICANCE_LEVEL and q2["value"] > 0

    q3 = {"value": customers["num_purchases"].median()}

    mid_range = customers["satisfaction_score"].between(2, 4).sum()
    q4 = proportion_row(mid_range, len(customers), 0.6, "greater")
    q4["claim_holds"] = q4["p_value"] < SIGNIFICANCE_LEVEL

    q5 = correlation_row(customers["num_support_contacts"], customers["satisfaction_score"])
    q5["claim_holds"] = q5["ci_low"] > -0.3 and q5["ci_high"] < 0.3

    q6 = proportion_row(customers["is_email_opted_in"].sum(), len(customers), 0.5, "two-sided")
    q6["claim_holds"] = q6["ci_low"] >= 0.45 and q6["ci_high"] <= 0.55

    responded = (customers["promotion_response"] == "Responded").sum()
    q7 = proportion_row(responded, len(customers), 0.5, "less")
    q7["claim_holds"] = q7["p_value"] < SIGNIFICANCE_LEVEL

    q8 = proportion_row(customers["is_churned"].sum(), len(customers), 0.5, "greater")
    q8["claim_holds"] = q8["p_value"] < SIGNIFICANCE_LEVEL

    drivers = churn_drivers(customers)
    significant = drivers[drivers["p_value_adjusted"] < SIGNIFICANCE_LEVEL]
    q9 = {
        "value": float(len(significant)),
        "p_value": drivers["p_value_adjusted"].min(),
        "claim_holds": len(significant) > 0,
        "significant_factors": sorted(significant["factor"]),
    }

    rows = {
        "Q1": q1,
        "Q2": q2,
        "Q3": q3,
        "Q4": q4,
        "Q5": q5,
        "Q6": q6,
        "Q7": q7,
        "Q8": q8,
        "Q9": q9,
    }
    scorecard = pd.DataFrame.from_dict(rows, orient="index").rename_axis("question_id")
    for column in ["ci_low", "ci_high", "p_value"]:
        scorecard[column] = scorecard[column].astype(float)
    scorecard["value"] = scorecard["value"].astype(float)
    return scorecard.replace({np.nan: None}).reset_index()
