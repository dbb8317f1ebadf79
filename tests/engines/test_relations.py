"""The cross-engine comparison itself: it must see every real difference and forgive only what
the module documents (row order, the Python type a value arrives in, float noise)."""

from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from engines.relations import RELATIVE, build_differences, differences


def frame(rows: list[tuple], columns: str = "segment n mean is_flag") -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns.split(), dtype=object)


EXPECTED = frame([("a", 3, 0.1, True), ("b", 5, 2.5, False), ("c", 0, None, None)])


def test_same_rows_in_another_order_and_other_python_types_agree() -> None:
    got = frame(
        [
            ("c", np.int64(0), float("nan"), None),
            ("b", 5, Decimal("2.5"), np.False_),
            ("a", 3.0, 0.1 * (1 + RELATIVE / 10), 1),
        ],
        columns="SEGMENT N MEAN IS_FLAG",
    )
    assert differences("t", EXPECTED, got) == []


def test_float_noise_in_the_summation_order_does_not_reorder_rows() -> None:
    expected = frame([("a", 1, 0.30000000000000004, True), ("a", 1, 0.3000000001, False)])
    got = frame([("a", 1, 0.3000000001, False), ("a", 1, 0.3, True)])
    assert differences("t", expected, got) == []


@pytest.mark.parametrize(
    ("got_rows", "message"),
    [
        ([("a", 3, 0.1 * (1 + 10 * RELATIVE), True)], "mean expected 0.1"),
        ([("a", 3, 0.1, False)], "is_flag expected 1, got 0"),
        ([("a", 4, 0.1, True)], "row 0"),
        ([("A", 3, 0.1, True)], "row 0"),
        ([("a", 3, None, True)], "mean expected 0.1, got None"),
        ([("a", "3", 0.1, True)], "n expected 3, got '3'"),
    ],
)
def test_a_changed_cell_is_reported(got_rows: list[tuple], message: str) -> None:
    expected = frame([("a", 3, 0.1, True)])
    problems = differences("t", expected, frame(got_rows))
    assert problems
    assert message in problems[0]


def test_a_date_is_the_same_day_whatever_type_it_arrives_in() -> None:
    expected = frame([(pd.Timestamp("2024-01-01"),)], columns="date_day")
    assert differences("t", expected, frame([(date(2024, 1, 1),)], columns="date_day")) == []
    problems = differences("t", expected, frame([(date(2024, 1, 2),)], columns="date_day"))
    assert problems and "2024-01-02" in problems[0]


def test_missing_rows_and_columns_are_reported() -> None:
    assert "expected 3 rows, got 2" in differences("t", EXPECTED, EXPECTED.iloc[:2])[0]
    assert "columns differ" in differences("t", EXPECTED, EXPECTED.drop(columns="mean"))[0]


def test_a_value_that_cancels_to_zero_is_compared_against_its_column_scale() -> None:
    expected = frame([(1e-17,), (0.5,)], columns="correlation")
    assert differences("t", expected, frame([(-3e-17,), (0.5,)], columns="correlation")) == []
    assert differences("t", expected, frame([(1e-6,), (0.5,)], columns="correlation"))


def test_a_relation_missing_from_a_build_is_reported() -> None:
    problems = build_differences(
        {"customers": EXPECTED, "marts": EXPECTED}, {"customers": EXPECTED}
    )
    assert problems == ["relations differ: missing ['marts'], unexpected []"]
