"""The verdicts computed by scipy and statsmodels: effect, no meaningful effect, or inconclusive.

Part of the independent reference of the marts (bench/reference/). It holds its own copy of the
settings (dbt_project.yml vars alpha, power and the equivalence margins) and of the rule in
../shared/DECISIONS.md: a row is "no meaningful effect" when its 1 - 2 alpha interval lies
strictly inside the margin (two one-sided tests), else "effect" when its p-value is below alpha,
else "inconclusive"; no verdict without a p-value, without an interval, or with n <= 3.
Intervals come from statsmodels (Newcombe, Wilson) and scipy's normal quantile, detectable
effects from the closed forms with scipy.stats.norm.ppf.
"""

import math

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

ALPHA = 0.05
POWER = 0.8
MARGIN_RATE = 0.05  # a churn-rate difference, 5 percentage points
MARGIN_CORRELATION = 0.1
MARGIN_MEAN_SHARE = 0.05  # of the overall mean
CONFIDENCE_ALPHA = 0.05  # every *_ci_* column is a 95% interval

EFFECT = "effect"
NO_MEANINGFUL_EFFECT = "no meaningful effect"
INCONCLUSIVE = "inconclusive"


def missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def verdict(p_value: float, low: float, high: float, margin: float, n: int) -> str | None:
    """The verdict of a tested row, decided in DECISIONS' order: TOST first, then p < alpha."""
    if missing(p_value) or missing(low) or missing(high) or n <= 3:
        return None
    if -margin < low and high < margin:
        return NO_MEANINGFUL_EFFECT
    return EFFECT if p_value < ALPHA else INCONCLUSIVE


def detectable_z() -> float:
    """z(1 - alpha / 2) + z(power): the sum in both minimum detectable effects."""
    return stats.norm.ppf(1 - ALPHA / 2) + stats.norm.ppf(POWER)


def minimum_detectable_rate_difference(n1: int, n2: int, pooled_rate: float) -> float:
    if n1 <= 0 or n2 <= 0 or not 0 < pooled_rate < 1:
        return np.nan
    return detectable_z() * math.sqrt(pooled_rate * (1 - pooled_rate) * (1 / n1 + 1 / n2))


def minimum_detectable_correlation(n: int) -> float:
    return math.tanh(detectable_z() / math.sqrt(n - 3)) if n > 3 else np.nan


def correlation_equivalence(r: float, n: int) -> tuple[float, float]:
    """The 1 - 2 alpha Fisher-z interval of r, the interval the verdict judges; NaN at n <= 3."""
    if n <= 3 or missing(r):
        return np.nan, np.nan
    if abs(r) == 1:
        return r, r
    half_width = stats.norm.ppf(1 - ALPHA) / math.sqrt(n - 3)
    return math.tanh(math.atanh(r) - half_width), math.tanh(math.atanh(r) + half_width)


def rate_difference_intervals(
    churned: int, customers: int, rest_churned: int, rest_customers: int
) -> dict[str, float]:
    """segment - rest with Newcombe's 95% and 1 - 2 alpha intervals and its detectable size."""
    names = [
        "churn_rate_difference",
        "churn_rate_difference_ci_low",
        "churn_rate_difference_ci_high",
        "churn_rate_difference_equivalence_low",
        "churn_rate_difference_equivalence_high",
        "minimum_detectable_effect",
    ]
    margin = {"equivalence_margin": MARGIN_RATE}
    if customers == 0 or rest_customers == 0:
        return dict.fromkeys(names, np.nan) | margin
    counts = (churned, customers, rest_churned, rest_customers)
    ci = confint_proportions_2indep(*counts, method="newcomb", alpha=CONFIDENCE_ALPHA)
    equivalence = confint_proportions_2indep(*counts, method="newcomb", alpha=2 * ALPHA)
    pooled_rate = (churned + rest_churned) / (customers + rest_customers)
    values = [
        churned / customers - rest_churned / rest_customers,
        *ci,
        *equivalence,
        minimum_detectable_rate_difference(customers, rest_customers, pooled_rate),
    ]
    return dict(zip(names, (float(value) for value in values), strict=True)) | margin


def format_number(value: float, decimals: int) -> str:
    """Fixed decimals, with values that round to zero printed as zero (never '-0.00')."""
    if abs(value) < 0.5 / 10**decimals:
        value = 0.0
    return f"{value:.{decimals}f}"


def format_p(p_value: float) -> str:
    if p_value < 0.001:
        return "p < 0.001"
    return f"p = {format_number(p_value, 3 if p_value < 0.01 else 2)}"


def effect_size_text(size: float, unit: str) -> str:
    """A largest possible effect as the findings say it: '11.3 points' or '|r| = 0.12'."""
    return (
        f"{format_number(100 * size, 1)} points"
        if unit == "points"
        else (f"|r| = {format_number(size, 2)}")
    )


def verdict_finding(
    decided: str | None,
    low: float,
    high: float,
    customers: int,
    unit: str,
    effect: str,
    evidence: str | None = None,
) -> str | None:
    """The verdict in words: the effect's description, or the largest effect the interval
    leaves possible and the n; the evidence in parentheses."""
    if decided is None:
        return None
    size = effect_size_text(max(abs(low), abs(high)), unit)
    text = {
        EFFECT: f"effect: {effect}",
        NO_MEANINGFUL_EFFECT: (
            f"no meaningful effect: effects beyond {size} are ruled out with {customers} customers"
        ),
        INCONCLUSIVE: (
            f"inconclusive: effects up to {size} cannot be ruled out with {customers} customers"
        ),
    }[decided]
    return f"{text} ({evidence})" if evidence is not None else text
