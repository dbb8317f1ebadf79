"""distribution_statistics and both its implementations (the engine's ordered-set quantiles, and
counted values, which Spark takes for every measure and DuckDB for whole-number ones) against
pandas on DuckDB, so each is shown exact on the same customers whichever engine dispatches to
it."""

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

STATISTICS = ["n", "mean", "stddev", "min", "q1", "median", "q3", "max", "mode", "m2", "m3", "m4"]
AGE_BANDS = {"18-24": 18, "25-34": 25, "35-44": 35}


def customers() -> pd.DataFrame:
    """Ties (few distinct ages), unique values (spend), nulls, a flag, a segment of one
    customer and a segment whose every value is null."""
    generator = np.random.default_rng(7)
    rows = 2_000
    frame = pd.DataFrame(
        {
            "gender": generator.choice(["Female", "Male"], rows),
            "age": generator.integers(18, 45, rows).astype(float),
            "total_spend": generator.gamma(2.0, 900.0, rows).round(2),
            "is_churned": generator.random(rows) < 0.3,
        }
    )
    frame.loc[generator.random(rows) < 0.05, "age"] = np.nan
    frame.loc[generator.random(rows) < 0.05, "total_spend"] = np.nan
    frame["age_band"] = pd.cut(
        frame["age"], [*AGE_BANDS.values(), np.inf], right=False, labels=list(AGE_BANDS)
    ).astype(object)
    frame.loc[0, "gender"] = "Other"
    frame.loc[1, ["gender", "total_spend"]] = ["Unknown", np.nan]
    frame["is_churned"] = frame["is_churned"].astype(object)
    frame.loc[2, "is_churned"] = None
    return frame


def expected_statistics(frame: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """pandas: quantiles interpolate linearly, the mode is the smallest most frequent value,
    moments are about the segment mean, divided by n."""
    rows = []
    segmentations = {"overall": pd.Series("all", index=frame.index)}
    segmentations |= {dimension: frame[dimension] for dimension in ("gender", "age_band")}
    for measure in measures:
        values = frame[measure].astype(float)
        for dimension, segments in segmentations.items():
            for segment, group in values.groupby(segments):
                known = group.dropna()
                deviations = known - known.mean()
                rows.append(
                    {
                        "metric": measure,
                        "dimension": dimension,
                        "segment": segment,
                        "n": len(known),
                        "mean": known.mean(),
                        "stddev": known.std(),
                        "min": known.min(),
                        "q1": known.quantile(0.25),
                        "median": known.median(),
                        "q3": known.quantile(0.75),
                        "max": known.max(),
                        "mode": known.mode().min(),
                        "m2": (deviations**2).mean(),
                        "m3": (deviations**3).mean(),
                        "m4": (deviations**4).mean(),
                    }
                )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "implementation",
    [
        "distribution_statistics",  # on DuckDB: age counted, spend and churn ordered
        "ordered_distribution_statistics",
        "counted_distribution_statistics",
    ],
)
def test_distribution_statistics_equal_pandas(evaluate: Callable, implementation: str) -> None:
    measures = ["age", "total_spend", "is_churned"]
    frame = customers()
    got = evaluate(f"{{{{ {implementation}('grid', {measures}, ['gender', 'age_band']) }}}}", frame)
    keys = ["metric", "dimension", "segment"]
    expected = expected_statistics(frame, measures)
    merged = expected.merge(got, on=keys, how="outer", suffixes=("", "_got"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", keys]
    assert len(merged) == len(expected)
    for statistic in STATISTICS:
        expected_values = merged[statistic].to_numpy(dtype=float)
        got_values = merged[f"{statistic}_got"].to_numpy(dtype=float)
        np.testing.assert_allclose(
            got_values, expected_values, rtol=1e-9, atol=1e-9, equal_nan=True, err_msg=statistic
        )
