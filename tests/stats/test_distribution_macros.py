"""The statistics macros, rendered by dbt and run by DuckDB, against scipy on wide grids.

Each test renders one macro over a grid of inputs (a pandas frame registered as `grid`) and
compares every value with scipy. DECISIONS.md asks p-values to agree to 1e-6; these hold them
to ABSOLUTE, and to RELATIVE where the value is tiny. The limit is ln Γ at parameters near 10^7:
a difference of two values near 10^8 keeps about 1e-8 of relative precision.
"""

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

ABSOLUTE = 2e-8
RELATIVE = 1e-7


def assert_close(
    got: pd.Series, expected: np.ndarray, absolute: float, relative: float = 0
) -> None:
    got = got.to_numpy(dtype=float)
    error = np.abs(got - expected)
    allowed = absolute + relative * np.abs(expected)
    worst = int(np.argmax(error - allowed))
    assert np.all(error <= allowed), (
        f"row {worst}: got {got[worst]!r}, expected {expected[worst]!r}"
    )


def test_log_gamma_matches_scipy_from_tiny_to_huge_arguments(evaluate: Callable) -> None:
    x = np.concatenate([np.geomspace(1e-6, 1e8, 200), np.arange(1, 30) / 2])
    grid = pd.DataFrame({"id": range(len(x)), "x": x})
    got = evaluate("select id, {{ log_gamma('x') }} as value from grid", grid)
    assert_close(got["value"], special.gammaln(x), absolute=1e-12, relative=1e-14)


def test_incomplete_beta_matches_scipy_for_small_and_huge_parameters(evaluate: Callable) -> None:
    rows = [
        (a, b, x)
        for a in (0.5, 1, 2.5, 10, 499, 5e4, 5e6)
        for b in (0.5, 1, 3, 10, 5e4, 5e6)
        for x in (1e-6, 0.01, 0.3, 0.5, 0.7, 0.99, a / (a + b))
    ]
    grid = pd.DataFrame(rows, columns=["a", "b", "x"]).rename_axis("id").reset_index()
    got = evaluate("{{ regularized_incomplete_beta('grid', ['id'], 'a', 'b', 'x') }}", grid)
    expected = special.betainc(grid["a"], grid["b"], grid["x"])
    assert_close(got["value"], expected, absolute=ABSOLUTE, relative=RELATIVE)


def test_incomplete_beta_takes_the_limits_at_the_edges(evaluate: Callable) -> None:
    grid = pd.DataFrame(
        {
            "id": range(6),
            "a": [2, 2, 0, 2, -1, None],
            "b": [3, 3, 4, 0, 1, 1],
            "x": [0, 1, 0.3, 0.3, 0.3, 0.3],
        }
    )
    got = evaluate("{{ regularized_incomplete_beta('grid', ['id'], 'a', 'b', 'x') }}", grid)
    assert got["value"].tolist()[:4] == [0, 1, 1, 0]
    assert got["value"].iloc[4:].isna().all()


def test_incomplete_gamma_matches_scipy_on_both_tails(evaluate: Callable) -> None:
    rows = [
        (a, x)
        for a in (0.5, 1, 1.5, 2.5, 10, 50, 500, 5000)
        for x in (1e-8, 0.1, 1, a - 1, a, a + 1, a + 10 * np.sqrt(a), 5 * a + 50)
        if x > 0
    ]
    grid = pd.DataFrame(rows, columns=["a", "x"]).rename_axis("id").reset_index()
    got = evaluate("{{ regularized_incomplete_gamma('grid', ['id'], 'a', 'x') }}", grid)
    assert_close(got["lower_value"], special.gammainc(grid["a"], grid["x"]), ABSOLUTE, RELATIVE)
    assert_close(got["upper_value"], special.gammaincc(grid["a"], grid["x"]), ABSOLUTE, RELATIVE)


def test_t_test_p_value_matches_scipy_for_every_sample_size(evaluate: Callable) -> None:
    rows = [
        (df, t)
        for df in (1, 2, 3, 5, 10, 30, 100, 998, 1e4, 1e5, 1e6, 1e7)
        for t in (0, 1e-3, 0.5, 1, 1.7, 1.75, 2, 3, 5, 10, 40, -2.5)
    ]
    grid = pd.DataFrame(rows, columns=["df", "t"]).rename_axis("id").reset_index()
    got = evaluate("{{ t_test_p_value('grid', ['id'], 'df', t_statistic='t') }}", grid)
    expected = 2 * stats.t.sf(np.abs(grid["t"]), grid["df"])
    assert_close(got["p_value"], expected, absolute=ABSOLUTE, relative=RELATIVE)


def test_correlation_p_value_equals_scipy_pearsonr(evaluate: Callable) -> None:
    generator = np.random.default_rng(7)
    rows = []
    for n in (3, 4, 10, 50, 1000, 20000):
        for strength in (0, 0.05, 0.3, 0.9):
            x = generator.normal(size=n)
            y = strength * x + generator.normal(size=n)
            result = stats.pearsonr(x, y)
            rows.append((n, result.statistic, result.pvalue))
    rows += [(10, 1.0, 0.0), (10, -1.0, 0.0)]
    grid = pd.DataFrame(rows, columns=["n", "r", "expected"]).rename_axis("id").reset_index()
    got = evaluate("{{ t_test_p_value('grid', ['id'], 'n - 2', correlation='r') }}", grid)
    assert_close(got["p_value"], grid["expected"].to_numpy(), absolute=ABSOLUTE, relative=RELATIVE)


def test_chi_square_p_value_matches_scipy_for_every_degree_of_freedom(evaluate: Callable) -> None:
    levels = [1e-9, 0.01, 0.25, 0.5, 0.75, 0.95, 0.999, 1 - 1e-12]
    grid = (
        pd.DataFrame(
            [
                (df, statistic)
                for df in [*range(1, 61), 100, 250, 1000, 10000]
                for statistic in [0.0, *stats.chi2.ppf(levels, df)]
            ],
            columns=["df", "statistic"],
        )
        .rename_axis("id")
        .reset_index()
    )
    got = evaluate("{{ chi_square_p_value('grid', ['id'], 'statistic', 'df') }}", grid)
    expected = stats.chi2.sf(grid["statistic"], grid["df"])
    assert_close(got["p_value"], expected, absolute=ABSOLUTE, relative=RELATIVE)


@pytest.mark.parametrize("alternative", ["greater", "less", "two-sided"])
def test_binomial_test_p_value_equals_scipy_binomtest(evaluate: Callable, alternative: str) -> None:
    null_proportion = 0.5 if alternative == "two-sided" else 0.6
    rows = [
        (k, n)
        for n in (1, 2, 10, 1000, 100_000, 10_000_000)
        for k in sorted(
            {0, 1, n // 3, int(n * 0.49), n // 2, int(n * 0.503), int(n * 0.6), n - 1, n}
        )
        if 0 <= k <= n
    ]
    grid = pd.DataFrame(rows, columns=["k", "n"]).rename_axis("id").reset_index()
    call = (
        "{{ binomial_test_p_value('grid', ['id'], 'k', 'n', "
        f"{null_proportion}, '{alternative}') }}}}"
    )
    got = evaluate(call, grid)
    expected = [
        stats.binomtest(int(k), int(n), null_proportion, alternative=alternative).pvalue
        for k, n in rows
    ]
    assert_close(got["p_value"], np.array(expected), absolute=ABSOLUTE, relative=RELATIVE)
