"""Interval, shape, rank and multiple-testing macros against scipy and pandas."""

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from scipy import stats


def test_wilson_interval_equals_scipy_and_stays_inside_zero_one(evaluate: Callable) -> None:
    rows = [(k, n) for n in (1, 2, 7, 100, 1000, 123456) for k in sorted({0, 1, n // 3, n - 1, n})]
    grid = pd.DataFrame(rows, columns=["k", "n"]).rename_axis("id").reset_index()
    got = evaluate("select id, {{ wilson_interval('k', 'n', 'rate') }} from grid order by id", grid)
    for (k, n), low, high in zip(rows, got["rate_ci_low"], got["rate_ci_high"], strict=True):
        expected = stats.binomtest(k, n).proportion_ci(method="wilson")
        assert low == pytest.approx(expected.low, abs=1e-14)
        assert high == pytest.approx(expected.high, abs=1e-14)
        assert 0 <= low <= k / n <= high <= 1


def test_wilson_interval_is_null_without_trials_and_names_columns_by_stem(
    evaluate: Callable,
) -> None:
    grid = pd.DataFrame({"k": [0], "n": [0]})
    got = evaluate("select {{ wilson_interval('k', 'n') }} from grid", grid)
    assert list(got.columns) == ["ci_low", "ci_high"]
    assert got.isna().all(axis=None)


def test_fisher_z_interval_equals_scipy_pearsonr_confidence_interval(evaluate: Callable) -> None:
    generator = np.random.default_rng(11)
    rows = []
    for n in (4, 5, 30, 1000):
        for strength in (0, 0.4, 3):
            x = generator.normal(size=n)
            result = stats.pearsonr(x, strength * x + generator.normal(size=n))
            interval = result.confidence_interval()
            rows.append((n, result.statistic, interval.low, interval.high))
    grid = pd.DataFrame(rows, columns=["n", "r", "low", "high"])
    got = evaluate("select {{ fisher_z_interval('r', 'n') }} from grid", grid)
    np.testing.assert_allclose(got["ci_low"], grid["low"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got["ci_high"], grid["high"], rtol=1e-12, atol=1e-14)


def test_shape_statistics_equal_scipy_bias_corrected_skew_and_kurtosis(evaluate: Callable) -> None:
    generator = np.random.default_rng(5)
    samples = [generator.exponential(size=n) for n in (4, 10, 500)] + [np.arange(1000.0)]
    rows = []
    for sample in samples:
        deviations = sample - sample.mean()
        rows.append(
            (
                len(sample),
                np.mean(deviations**2),
                np.mean(deviations**3),
                np.mean(deviations**4),
                stats.skew(sample, bias=False),
                stats.kurtosis(sample, bias=False),
            )
        )
    grid = pd.DataFrame(rows, columns=["n", "m2", "m3", "m4", "skew", "kurt"])
    got = evaluate("select {{ shape_statistics('n', 'm2', 'm3', 'm4') }} from grid", grid)
    np.testing.assert_allclose(got["skewness"], grid["skew"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got["excess_kurtosis"], grid["kurt"], rtol=1e-10, atol=1e-12)


def test_shape_statistics_are_null_where_undefined(evaluate: Callable) -> None:
    grid = pd.DataFrame({"n": [2, 3, 50], "m2": [1.0, 1.0, 0.0], "m3": [0.0] * 3, "m4": [1.0] * 3})
    got = evaluate("select {{ shape_statistics('n', 'm2', 'm3', 'm4') }} from grid", grid)
    assert got["skewness"].isna().tolist() == [True, False, True]
    assert got["excess_kurtosis"].isna().all()


def test_value_ranks_equal_scipy_rankdata_within_each_group(evaluate: Callable) -> None:
    generator = np.random.default_rng(3)
    grid = pd.DataFrame(
        {
            "id": range(300),
            "group_id": generator.integers(0, 3, 300),
            "x": generator.integers(0, 20, 300),
        }
    )
    got = evaluate(
        "with ranks as ({{ value_ranks('grid', 'x', ['group_id']) }}) "
        "select grid.id, ranks.average_rank as rank_value from grid inner join ranks "
        "on grid.group_id = ranks.group_id and grid.x = ranks.value order by grid.id",
        grid,
    )
    expected = grid.groupby("group_id")["x"].transform(
        lambda x: stats.rankdata(x, method="average")
    )
    np.testing.assert_array_equal(got["rank_value"].astype(float), expected)


def test_benjamini_hochberg_equals_scipy_false_discovery_control(evaluate: Callable) -> None:
    generator = np.random.default_rng(9)
    p_values = np.concatenate([generator.uniform(size=40), [1e-5, 1e-4, 0.003, 0.003, 0.02]])
    grid = pd.DataFrame({"id": range(len(p_values)), "family": np.arange(len(p_values)) % 2})
    grid["p_value"] = p_values
    got = evaluate(
        "with adjusted as ({{ benjamini_hochberg('grid', ['id'], 'p_value', ['family']) }}) "
        "select * from adjusted order by id",
        grid,
    )
    expected = grid.groupby("family")["p_value"].transform(stats.false_discovery_control)
    np.testing.assert_allclose(got["p_value_adjusted"], expected, rtol=1e-13)


def test_benjamini_hochberg_leaves_null_p_values_out(evaluate: Callable) -> None:
    grid = pd.DataFrame({"id": range(4), "p_value": [0.01, None, 0.04, 0.03]})
    got = evaluate(
        "with adjusted as ({{ benjamini_hochberg('grid', ['id'], 'p_value') }}) "
        "select * from adjusted order by id",
        grid,
    )
    expected = stats.false_discovery_control([0.01, 0.04, 0.03])
    assert np.isnan(got["p_value_adjusted"][1])
    np.testing.assert_allclose(got["p_value_adjusted"][[0, 2, 3]], expected, rtol=1e-13)


def test_quantile_interpolates_linearly_like_pandas(evaluate: Callable) -> None:
    generator = np.random.default_rng(1)
    grid = pd.DataFrame({"x": generator.integers(0, 50, 101).astype(float)})
    grid.loc[:7, "x"] = [1.5, 1.5, 2.25, 9, 9, 9, 0, 49]
    fractions = [0.25, 0.5, 0.75, 0.1]
    query = (
        "select "
        + ", ".join(
            f"{{{{ quantile('x', {fraction}) }}}} as q{index}"
            for index, fraction in enumerate(fractions)
        )
        + " from grid"
    )
    got = evaluate(query, grid)
    for index, fraction in enumerate(fractions):
        assert got[f"q{index}"][0] == pytest.approx(grid["x"].quantile(fraction), abs=1e-12)


def test_ratio_is_a_double_and_null_on_a_zero_denominator(evaluate: Callable) -> None:
    grid = pd.DataFrame({"a": [1, 5, 3], "b": [3, 0, 2]})
    got = evaluate("select {{ ratio('a', 'b') }} as value from grid", grid)
    assert got["value"][0] == pytest.approx(1 / 3, abs=1e-16)
    assert np.isnan(got["value"][1])
    assert got["value"][2] == 1.5


def test_format_p_value_and_format_decimal_write_what_a_reader_expects(
    evaluate: Callable,
) -> None:
    grid = pd.DataFrame({"p": [0.0004, 0.00099, 0.001, 0.0061, 0.0099, 0.01, 0.5789, 1.0, None]})
    got = evaluate(
        "select {{ format_p_value('p') }} as text, {{ format_decimal('-p / 100', 2) }} as r "
        "from grid",
        grid,
    )
    assert got["text"].tolist()[:-1] == [
        "p < 0.001",
        "p < 0.001",
        "p = 0.001",
        "p = 0.006",
        "p = 0.010",
        "p = 0.01",
        "p = 0.58",
        "p = 1.00",
    ]
    assert pd.isna(got["text"].iloc[-1])
    assert got["r"].tolist()[:-1] == ["0.00"] * 6 + ["-0.01", "-0.01"]
