"""bench.polars_marts against the pandas reference: every mart, on the seed and on planted data.

The benchmark reports polars beside pandas and the warehouse; this checks that it times the same
marts. Both implementations run in this process on the bundled seed and on the shared planted
file (20,000 rows, spend follows income, churn rises with support contacts), so the figures meet
real signals as well as noise. Every number, p-values included, agrees to 1e-9 relative: both
end in the same scipy distribution functions.
"""

from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from conftest import MART_KEYS, SEED_CSV, assert_mart_equals_reference
from pandas.testing import assert_frame_equal

from bench import pandas_marts, polars_marts

SCORECARD_FIGURES = [
    "value",
    "ci_low",
    "ci_high",
    "p_value",
    "opposite_p_value",
    "equivalence_high",
    "largest_equivalence_p_value",
    "drivers",
    "no_meaningful_effect_drivers",
    "inconclusive_drivers",
]


@pytest.fixture(scope="module", params=["seed", "planted"])
def both_marts(
    request: pytest.FixtureRequest,
) -> tuple[dict[str, pl.DataFrame], dict[str, pd.DataFrame]]:
    """(polars marts, pandas marts) of one customer file."""
    path: Path = SEED_CSV if request.param == "seed" else request.getfixturevalue("planted_csv")
    return polars_marts.all_marts(path), pandas_marts.all_marts(path)


def test_both_compute_the_same_marts(
    both_marts: tuple[dict[str, pl.DataFrame], dict[str, pd.DataFrame]],
) -> None:
    got, expected = both_marts
    assert list(got) == list(expected) == ["customers", *MART_KEYS]


def test_customers_mart_equals_pandas(
    both_marts: tuple[dict[str, pl.DataFrame], dict[str, pd.DataFrame]],
) -> None:
    got, expected = both_marts
    assert_frame_equal(got["customers"].to_pandas(), expected["customers"], check_dtype=False)


@pytest.mark.parametrize("mart", list(MART_KEYS))
def test_mart_equals_pandas(
    mart: str, both_marts: tuple[dict[str, pl.DataFrame], dict[str, pd.DataFrame]]
) -> None:
    polars_result, pandas_result = both_marts
    got, expected = polars_result[mart].to_pandas(), pandas_result[mart]
    if mart == "gqm_scorecard":
        got, expected = comparable_scorecard(got), comparable_scorecard(expected)
    assert list(got.columns) == list(expected.columns), f"{mart}: column order differs"
    assert got[MART_KEYS[mart]].equals(expected[MART_KEYS[mart]]), f"{mart}: row order differs"
    assert_mart_equals_reference(mart, got, expected, MART_KEYS[mart], p_value_tolerance=None)


def comparable_scorecard(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The figures as floats (the reference keeps None in object columns) and the list of
    factors that are an effect as one text (a list in a cell has no single truth value)."""
    return scorecard.astype(dict.fromkeys(SCORECARD_FIGURES, float)).assign(
        effect_factors=[
            None if factors is None else ", ".join(factors)
            for factors in scorecard["effect_factors"]
        ]
    )
