"""Cell-by-cell comparison of one relation as two engines built it.

Engines return the same figures in different Python types (Decimal, numpy scalars, bool or 0/1,
a pandas Timestamp or a datetime.date) and in any row order, and floating-point sums depend on
the order rows are added in. So both sides are normalised first: column names to lower case,
booleans and integers to int, decimals and floats to float, dates to ISO text, NaN to null. Rows
are then put in one canonical order: by every non-float column, then by every float column
rounded to ten significant digits, so summation noise cannot reorder rows. Floats agree when

    |a - b| <= RELATIVE * max(|a|, |b|) + RELATIVE_TO_COLUMN * max |column|,

the second term for values that cancel to about zero (a correlation of 1e-17 on one engine and
-3e-17 on another); everything else must be equal.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from numbers import Integral, Real

import numpy as np
import pandas as pd

RELATIVE = 1e-9
RELATIVE_TO_COLUMN = 1e-12
SIGNIFICANT_DIGITS = 10
MAX_REPORTED_CELLS = 10


@dataclass(frozen=True)
class Relation:
    """A relation's columns (lower case, in order) and its rows of normalised Python values."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


def normalised_value(value: object) -> object:
    """None, int, float or str: what a cell means, whatever type the engine returned it in.
    A date or time becomes its ISO text (DuckDB returns pandas timestamps, the others dates)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, date | np.datetime64):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, bool | np.bool_ | Integral):
        return int(value)
    if isinstance(value, Decimal | Real):
        number = float(value)
        return None if math.isnan(number) else number
    return value


def normalised(frame: pd.DataFrame) -> Relation:
    """The frame as a Relation, its rows in the canonical order of the module docstring."""
    columns = tuple(str(name).lower() for name in frame.columns)
    rows = [
        tuple(normalised_value(value) for value in row)
        for row in frame.astype(object).itertuples(index=False, name=None)
    ]
    float_columns = {
        index for index in range(len(columns)) if any(isinstance(row[index], float) for row in rows)
    }
    order = sorted(range(len(columns)), key=lambda index: index in float_columns)

    def sort_key(row: tuple[object, ...]) -> tuple:
        return tuple(sortable(row[index], index in float_columns) for index in order)

    return Relation(columns, tuple(sorted(rows, key=sort_key)))


def sortable(value: object, is_float_column: bool) -> tuple:
    """A key that orders nulls first and never compares a number with a string."""
    if value is None:
        return (0, 0, "")
    if isinstance(value, str):
        return (2, 0, value)
    number = float(value)
    if is_float_column and number != 0 and math.isfinite(number):
        number = float(f"{number:.{SIGNIFICANT_DIGITS - 1}e}")
    return (1, number, "")


def column_scales(relation: Relation) -> list[float]:
    """Largest absolute value of each numeric column (0 for text or empty columns)."""
    scales = [0.0] * len(relation.columns)
    for row in relation.rows:
        for index, value in enumerate(row):
            if isinstance(value, int | float) and math.isfinite(value):
                scales[index] = max(scales[index], abs(value))
    return scales


def cells_agree(expected: object, got: object, scale: float) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, float) or isinstance(got, float):
        if not isinstance(expected, int | float) or not isinstance(got, int | float):
            return False
        if math.isinf(expected) or math.isinf(got):
            return expected == got
        allowed = RELATIVE * max(abs(expected), abs(got)) + RELATIVE_TO_COLUMN * scale
        return abs(expected - got) <= allowed
    return type(expected) is type(got) and expected == got


def differences(name: str, expected: pd.DataFrame, got: pd.DataFrame) -> list[str]:
    """Why got is not expected, one line per problem (at most MAX_REPORTED_CELLS cells)."""
    left, right = normalised(expected), normalised(got)
    if left.columns != right.columns:
        return [f"{name}: columns differ: expected {left.columns}, got {right.columns}"]
    if len(left.rows) != len(right.rows):
        return [f"{name}: expected {len(left.rows)} rows, got {len(right.rows)}"]
    scales = [max(a, b) for a, b in zip(column_scales(left), column_scales(right), strict=True)]
    problems = []
    for row_number, (expected_row, got_row) in enumerate(zip(left.rows, right.rows, strict=True)):
        for column, expected_value, got_value, scale in zip(
            left.columns, expected_row, got_row, scales, strict=True
        ):
            if not cells_agree(expected_value, got_value, scale):
                problems.append(
                    f"{name}: row {row_number} {describe_row(left.columns, expected_row)}: "
                    f"{column} expected {expected_value!r}, got {got_value!r}"
                )
    if len(problems) > MAX_REPORTED_CELLS:
        hidden = len(problems) - MAX_REPORTED_CELLS
        problems = [*problems[:MAX_REPORTED_CELLS], f"{name}: ... and {hidden} more cells"]
    return problems


def describe_row(columns: Sequence[str], row: Iterable[object]) -> str:
    """The first few columns of a row, enough to find it."""
    shown = list(zip(columns, row, strict=True))[:3]
    return "(" + ", ".join(f"{column}={value!r}" for column, value in shown) + ")"


def build_differences(
    expected: Mapping[str, pd.DataFrame], got: Mapping[str, pd.DataFrame]
) -> list[str]:
    """Every difference between two builds' relations (name -> rows), relation by relation."""
    problems = []
    if set(expected) != set(got):
        problems.append(
            f"relations differ: missing {sorted(set(expected) - set(got))}, "
            f"unexpected {sorted(set(got) - set(expected))}"
        )
    for name in sorted(set(expected) & set(got)):
        problems += differences(name, expected[name], got[name])
    return problems
