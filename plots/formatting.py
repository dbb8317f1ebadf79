"""How numbers read in chart labels and the report: one spelling of each kind of number."""

import math

MISSING = "\N{EN DASH}"  # a value the mart leaves null


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None) -> str:
    """Four significant digits, whole numbers with thousands separators; MISSING when null."""
    if is_missing(value):
        return MISSING
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.4g}"


def count(value: int) -> str:
    return f"{int(value):,}"


def percent(share: float, decimals: int = 1) -> str:
    return MISSING if is_missing(share) else f"{share * 100:.{decimals}f}%"


def p_value(value: float | None) -> str:
    """'p = 0.053', 'p < 0.001', 'p > 0.99'; two significant digits are all a p-value says."""
    if is_missing(value):
        return f"p {MISSING}"
    if value < 0.001:
        return "p < 0.001"
    if value > 0.99:
        return "p > 0.99"
    return f"p = {value:.2g}"
