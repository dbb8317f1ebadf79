"""The verdict statistics (normal quantile, Wilson at any level, Newcombe's difference interval,
minimum detectable effects, one-sided t-tests, TOST of a mean, the verdict rule) against
scipy and statsmodels on wide grids.

Every macro call of this module is rendered by one `dbt compile` (the snippets are joined with a
marker and split again), and each runs in DuckDB over a pandas grid registered as `grid`, so the
module costs one compile, not one per test.
"""

from collections.abc import Callable

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import compile_sql
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

# Probabilities given to normal_quantile as numbers (as critical_values gives the vars), which
# render only their region's expression: each region, its edges, and outside (0, 1).
NUMBERS = [0.5, 0.8, 0.075, 0.925, 0.95, 0.975, 0.025, 1.3887943864964021e-11, 1e-20, 1 - 1e-15]
NUMBERS_OUTSIDE = [0.0, 1.0, -0.5, 2.0]

SNIPPETS = {
    "normal_quantile": "select id, {{ normal_quantile('p') }} as z from grid",
    "normal_quantile_of_numbers": (
        "{% for p in " + str(NUMBERS + NUMBERS_OUTSIDE) + " %}"
        "select {{ loop.index0 }} as id, {{ normal_quantile(p) }} as z"
        "{% if not loop.last %} union all {% endif %}{% endfor %}"
    ),
    "critical_values": "{{ critical_values() }}",
    "wilson": (
        "select id, {{ wilson_interval('k', 'n', 'rate', z=normal_quantile('1 - alpha / 2'), "
        "interval='level') }} from grid"
    ),
    "newcombe": """
        with rates as (
            select
                id,
                {{ ratio('k1', 'n1') }} as first_rate,
                {{ ratio('k2', 'n2') }} as second_rate,
                {{ wilson_interval('k1', 'n1', 'first_rate', z='z') }},
                {{ wilson_interval('k2', 'n2', 'second_rate', z='z') }}
            from (select *, {{ normal_quantile('1 - alpha / 2') }} as z from grid) as levels
        )
        select id, {{ rate_difference_interval('first_rate', 'second_rate', 'difference') }}
        from rates
    """,
    "minimum_detectable_effects": """
        select
            id,
            {{ minimum_detectable_rate_difference('n1', 'n2', 'pooled_rate', z_sum) }} as rate,
            {{ minimum_detectable_correlation('n1', z_sum) }} as correlation
        from grid
    """.replace("z_sum", "normal_quantile('1 - alpha / 2') ~ ' + ' ~ normal_quantile('power')"),
    "one_sided_t": """
        with greater as ({{ t_test_p_value('grid', ['id'], 'df', 't', alternative='greater') }}),
        less as ({{ t_test_p_value('grid', ['id'], 'df', 't', alternative='less') }})
        select greater.id, greater.p_value as greater, less.p_value as less
        from greater inner join less on greater.id = less.id
    """,
    "mean_equivalence": (
        "{{ mean_equivalence_p_value('grid', ['id'], 'n', 'mean', 'stddev', 'centre', 'margin') }}"
    ),
    "verdict": (
        "select id, {{ verdict('p', 'low', 'high', 'margin', 'n') }} as verdict, "
        "{{ verdict_finding(verdict('p', 'low', 'high', 'margin', 'n'), 'low', 'high', 'n', "
        "'points', \"'it differs'\") }} as finding from grid"
    ),
}
MARKER = "-- next snippet --"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each snippet of SNIPPETS as dbt renders it, from one compile."""
    joined = f"\n{MARKER}\n".join(SNIPPETS.values())
    parts = compile_sql(joined, tmp_path_factory.mktemp("verdict_macros")).split(MARKER)
    return dict(zip(SNIPPETS, parts, strict=True))


@pytest.fixture(scope="module")
def evaluate(rendered: dict[str, str]) -> Callable[[str, pd.DataFrame | None], pd.DataFrame]:
    def run(snippet: str, grid: pd.DataFrame | None = None) -> pd.DataFrame:
        with duckdb.connect() as connection:
            if grid is not None:
                connection.register("grid", grid)
            result = connection.sql(rendered[snippet]).df()
        return result.sort_values("id").reset_index(drop=True) if "id" in result else result

    return run


def grid_of(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns).rename_axis("id").reset_index()


def test_normal_quantile_equals_scipy_norm_ppf_over_its_whole_range(evaluate: Callable) -> None:
    p = np.concatenate(
        [
            np.geomspace(1e-300, 0.5, 400),  # the far tail, the tail and the centre
            1 - np.geomspace(1e-15, 0.5, 200),
            np.linspace(0.001, 0.999, 999),
            [0.075, 0.925, 1.3887943864964021e-11, 0.975, 0.95, 0.8, 0.5],  # region edges
        ]
    )
    got = evaluate("normal_quantile", pd.DataFrame({"id": range(len(p)), "p": p}))
    expected = stats.norm.ppf(p)
    # The bar is 1e-9; AS 241 is good to about 1e-16 relative.
    np.testing.assert_allclose(got["z"], expected, rtol=1e-14, atol=1e-13)
    assert got["z"].iloc[-1] == 0


def test_normal_quantile_is_null_outside_zero_one(evaluate: Callable) -> None:
    got = evaluate("normal_quantile", pd.DataFrame({"id": range(5), "p": [0, 1, -0.5, 2, None]}))
    assert got["z"].isna().all()


def test_normal_quantile_of_a_number_equals_its_expression_form(evaluate: Callable) -> None:
    """A number renders only its region's expression: the same doubles as the full case, which
    an expression (a column here) takes, and null outside (0, 1)."""
    numbers = NUMBERS + NUMBERS_OUTSIDE
    got = evaluate("normal_quantile_of_numbers")
    expected = evaluate("normal_quantile", pd.DataFrame({"id": range(len(numbers)), "p": numbers}))
    pd.testing.assert_series_equal(got["z"], expected["z"], check_exact=True)
    assert got["z"].iloc[len(NUMBERS) :].isna().all()
    assert got["z"].iloc[: len(NUMBERS)].notna().all()
    np.testing.assert_allclose(got["z"].iloc[: len(NUMBERS)], stats.norm.ppf(NUMBERS), rtol=1e-14)


def test_critical_values_are_the_quantiles_of_the_default_alpha_and_power(
    evaluate: Callable,
) -> None:
    got = evaluate("critical_values").iloc[0]
    assert got["z_significance"] == pytest.approx(stats.norm.ppf(0.975), abs=1e-14)
    assert got["z_equivalence"] == pytest.approx(stats.norm.ppf(0.95), abs=1e-14)
    assert got["z_power"] == pytest.approx(stats.norm.ppf(0.8), abs=1e-14)
    assert got["z_detectable"] == pytest.approx(
        stats.norm.ppf(0.975) + stats.norm.ppf(0.8), abs=1e-14
    )


ALPHAS = (0.05, 0.10, 0.01)


def test_wilson_interval_at_any_level_equals_statsmodels(evaluate: Callable) -> None:
    rows = [
        (k, n, alpha)
        for alpha in ALPHAS
        for n in (1, 2, 9, 330, 1000, 123456)
        for k in sorted({0, 1, n // 3, n - 1, n})
    ]
    grid = grid_of(rows, ["k", "n", "alpha"])
    got = evaluate("wilson", grid)
    low, high = proportion_confint(grid["k"], grid["n"], alpha=grid["alpha"], method="wilson")
    np.testing.assert_allclose(got["rate_level_low"], low, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got["rate_level_high"], high, rtol=0, atol=1e-12)


def test_newcombe_interval_equals_statsmodels_at_95_and_90_percent(evaluate: Callable) -> None:
    sizes = [(1, 3), (7, 12), (40, 960), (330, 670), (500, 500), (20000, 80000)]
    rows = [
        (k1, n1, k2, n2, alpha)
        for alpha in (0.05, 0.10)
        for n1, n2 in sizes
        for k1 in sorted({0, 1, n1 // 2, n1})
        for k2 in sorted({0, n2 // 3, n2 - 1, n2})
    ]
    grid = grid_of(rows, ["k1", "n1", "k2", "n2", "alpha"])
    got = evaluate("newcombe", grid)
    for row, low, high in zip(
        grid.itertuples(), got["difference_ci_low"], got["difference_ci_high"], strict=True
    ):
        expected = confint_proportions_2indep(
            row.k1, row.n1, row.k2, row.n2, method="newcomb", alpha=row.alpha
        )
        assert (low, high) == pytest.approx(expected, abs=1e-9), row


def test_newcombe_interval_is_null_for_a_group_without_trials(evaluate: Callable) -> None:
    grid = grid_of([(3, 10, 0, 0, 0.05), (0, 0, 3, 10, 0.05)], ["k1", "n1", "k2", "n2", "alpha"])
    got = evaluate("newcombe", grid)
    assert got[["difference_ci_low", "difference_ci_high"]].isna().all(axis=None)


def test_minimum_detectable_effects_equal_the_closed_forms_with_scipy(evaluate: Callable) -> None:
    rows = [
        (n1, n2, pooled_rate, alpha, power)
        for n1, n2 in [(4, 4), (10, 990), (330, 670), (500, 500), (20000, 80000), (10**6, 10**7)]
        for pooled_rate in (0.01, 0.3, 0.526)
        for alpha, power in [(0.05, 0.8), (0.10, 0.9), (0.01, 0.5)]
    ]
    grid = grid_of(rows, ["n1", "n2", "pooled_rate", "alpha", "power"])
    got = evaluate("minimum_detectable_effects", grid)
    z_sum = stats.norm.ppf(1 - grid["alpha"] / 2) + stats.norm.ppf(grid["power"])
    rate = z_sum * np.sqrt(
        grid["pooled_rate"] * (1 - grid["pooled_rate"]) * (1 / grid["n1"] + 1 / grid["n2"])
    )
    np.testing.assert_allclose(got["rate"], rate, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(
        got["correlation"], np.tanh(z_sum / np.sqrt(grid["n1"] - 3)), rtol=1e-12, atol=1e-15
    )


def test_minimum_detectable_effects_are_null_where_undefined(evaluate: Callable) -> None:
    rows = [(3, 10, 0.5, 0.05, 0.8), (0, 10, 0.5, 0.05, 0.8), (10, 10, 0.0, 0.05, 0.8)]
    got = evaluate(
        "minimum_detectable_effects", grid_of(rows, ["n1", "n2", "pooled_rate", "alpha", "power"])
    )
    assert got["correlation"].isna().tolist() == [True, True, False]
    assert got["rate"].isna().tolist() == [False, True, True]


def test_one_sided_t_test_p_values_equal_scipy(evaluate: Callable) -> None:
    rows = [
        (df, t)
        for df in (1, 2, 5, 30, 149, 998, 1e5)
        for t in (-40, -3, -1.7, -0.2, 0, 0.2, 1.7, 3, 40)
    ]
    grid = grid_of(rows, ["df", "t"])
    got = evaluate("one_sided_t", grid)
    np.testing.assert_allclose(got["greater"], stats.t.sf(grid["t"], grid["df"]), atol=2e-8)
    np.testing.assert_allclose(got["less"], stats.t.cdf(grid["t"], grid["df"]), atol=2e-8)
    far = grid["t"] == 40
    np.testing.assert_allclose(got.loc[far, "greater"], stats.t.sf(40, grid.loc[far, "df"]), 1e-7)


def test_mean_equivalence_p_value_equals_statsmodels_ttost_mean_and_scipy(
    evaluate: Callable,
) -> None:
    generator = np.random.default_rng(19)
    samples, rows = [], []
    for n in (2, 5, 40, 150, 3000):
        for shift in (0.0, 0.02, 0.06, -0.2):
            sample = generator.normal(5000 * (1 + shift), 1500, size=n)
            samples.append(sample)
            rows.append((n, sample.mean(), sample.std(ddof=1), 5000.0, 250.0))
    grid = grid_of(rows, ["n", "mean", "stddev", "centre", "margin"])
    got = evaluate("mean_equivalence", grid)
    for sample, row, p_value in zip(samples, grid.itertuples(), got["p_value"], strict=True):
        low, high = row.centre - row.margin, row.centre + row.margin
        expected = DescrStatsW(sample).ttost_mean(low, high)[0]
        by_scipy = max(
            stats.ttest_1samp(sample, low, alternative="greater").pvalue,
            stats.ttest_1samp(sample, high, alternative="less").pvalue,
        )
        assert p_value == pytest.approx(expected, abs=1e-8), row
        assert p_value == pytest.approx(by_scipy, abs=1e-8), row


def test_mean_equivalence_p_value_is_null_without_spread(evaluate: Callable) -> None:
    rows = [(1, 10.0, None, 10.0, 1.0), (5, 10.0, 0.0, 10.0, 1.0)]
    got = evaluate("mean_equivalence", grid_of(rows, ["n", "mean", "stddev", "centre", "margin"]))
    assert got["p_value"].isna().all()


def test_verdict_rules_in_their_order_and_the_finding_says_them_with_numbers(
    evaluate: Callable,
) -> None:
    cases = [
        # p, equivalence low, high, margin, n, verdict, finding
        (0.001, 0.01, 0.03, 0.05, 20000, "no meaningful effect", "effects beyond 3.0 points"),
        (0.001, 0.04, 0.09, 0.05, 1000, "effect", "effect: it differs"),
        (0.30, -0.113, 0.02, 0.05, 330, "inconclusive", "effects up to 11.3 points"),
        (0.30, -0.05, 0.02, 0.05, 330, "inconclusive", None),  # on the margin is not inside
        (0.05, 0.01, 0.07, 0.05, 330, "inconclusive", None),  # p = alpha is not below it
        (None, -0.01, 0.01, 0.05, 330, None, None),
        (0.5, None, None, 0.05, 330, None, None),
        (0.5, -0.01, 0.01, 0.05, 3, None, None),
    ]
    grid = grid_of([case[:5] for case in cases], ["p", "low", "high", "margin", "n"]).astype(
        {"p": float, "low": float, "high": float}
    )
    got = evaluate("verdict", grid)
    assert [None if pd.isna(v) else v for v in got["verdict"]] == [case[5] for case in cases]
    assert got.at[0, "finding"] == (
        "no meaningful effect: effects beyond 3.0 points are ruled out with 20000 customers"
    )
    assert got.at[1, "finding"] == "effect: it differs"
    assert got.at[2, "finding"] == (
        "inconclusive: effects up to 11.3 points cannot be ruled out with 330 customers"
    )
    assert got["finding"].iloc[5:].isna().all()
