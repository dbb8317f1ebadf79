"""Building again gives the same warehouse, and a failed build leaves the last good marts in place.

dbt replaces a relation only when its model succeeds, and skips everything downstream of a
failure (docs/data-contract.md, "When a build fails").
"""

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import MAIN_JOB, SEED_CSV, DbtBuildError, Warehouse, run_dbt
from pandas.testing import assert_frame_equal

# What a build stopped after staging shows of the new file: base_customers, rebuilt, and the
# views that read it (int_customers and the engagement scores rename and score its rows on read).
STAGING_MODELS = {
    "base_customers",
    "stg_customers",
    "customer_rejects",
    "int_customers",
    "int_customer_engagement_scores",
}


def relations(warehouse: Warehouse) -> list[str]:
    names = warehouse.query(
        "select table_name from information_schema.tables where table_schema = 'main'"
    )
    return sorted(names["table_name"])


def contents(warehouse: Warehouse, relation: str) -> pd.DataFrame:
    return warehouse.query(f"select * from {relation} order by all")


def copy_of(warehouse: Warehouse, directory: Path) -> Warehouse:
    """A copy under the same file name: dbt-duckdb names the database after the file."""
    directory.mkdir()
    return Warehouse(Path(shutil.copy(warehouse.path, directory / warehouse.path.name)))


def assert_same_relations(got: Warehouse, expected: Warehouse, *, besides: set[str]) -> None:
    assert relations(got) == relations(expected)
    for relation in set(relations(expected)) - besides:
        assert_frame_equal(contents(got, relation), contents(expected, relation), obj=relation)


def test_building_again_gives_identical_relations(
    seed_warehouse: Warehouse, tmp_path: Path
) -> None:
    rebuilt = copy_of(seed_warehouse, tmp_path / "rebuilt")
    # Seeds and models: the data tests only read.
    run_dbt(["build", "--select", "resource_type:seed", "resource_type:model"], rebuilt.path)
    assert_same_relations(rebuilt, seed_warehouse, besides=set())


def without_age(customers: pd.DataFrame) -> pd.DataFrame:
    return customers.drop(columns="Age")


def with_60_unreadable_ages(customers: pd.DataFrame) -> pd.DataFrame:
    return customers.astype({"Age": str}).assign(
        Age=lambda frame: frame["Age"].mask(frame.index < 60, "unknown")
    )


@pytest.mark.parametrize(
    ("spoil", "message", "staged_rows"),
    [
        # Stops while reading: nothing is replaced.
        (without_age, "lacks required column(s) Age", None),
        # Stops at the reject threshold: staging shows the new file, the marts keep the old one.
        (with_60_unreadable_ages, "were rejected, more than max_reject_share", 940),
    ],
    ids=["missing_column", "too_many_rejects"],
)
def test_a_failed_build_leaves_the_previous_marts_queryable(
    seed_warehouse: Warehouse,
    tmp_path: Path,
    spoil: Callable[[pd.DataFrame], pd.DataFrame],
    message: str,
    staged_rows: int | None,
) -> None:
    failed = copy_of(seed_warehouse, tmp_path / "failed")
    bad_file = tmp_path / "customers.csv"
    spoil(pd.read_csv(SEED_CSV, dtype=str)).to_csv(bad_file, index=False)
    with pytest.raises(DbtBuildError, match=re.escape(message)):
        run_dbt(["build", *MAIN_JOB], failed.path, dbt_vars={"raw_customers_path": str(bad_file)})
    assert_same_relations(failed, seed_warehouse, besides=STAGING_MODELS if staged_rows else set())
    if staged_rows:
        assert len(failed.table("stg_customers")) == staged_rows
