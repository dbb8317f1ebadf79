"""The project's DuckDB `unique` test (duckdb__test_unique in macros/cross_engine.sql) finds the
same repeated values as dbt's own test, on every kind of column it may meet."""

import duckdb
import pandas as pd
import pytest

from tests.conftest import compile_sql

# name -> values of column `id`; each case takes a different branch of the macro.
CASES = {
    "ids_distinct": "select unnest(range(1, 1001)) as id",
    "ids_repeated": "select unnest([5, 1, 2, 2, 3, 3, 3, null, null, -4, -4]) as id",
    "ids_one_repeat_at_the_edges": "select unnest([7, 9, 8, 9, 7]) as id",
    "ids_sparse": "select unnest([1, 1099511627776, 1099511627776]) as id",
    "ids_text": "select unnest(['a', 'b', 'a', null]) as id",
    "ids_none": "select cast(null as bigint) as id where false",
}
SEPARATOR = "-- next case --"


def repeated_values(connection: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    found = connection.sql(sql).df()
    return found.sort_values("unique_field").reset_index(drop=True)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[duckdb.DuckDBPyConnection, list]:
    """Each case's table in a DuckDB file, and both tests' SQL rendered by dbt against it."""
    work_dir = tmp_path_factory.mktemp("unique_test")
    with duckdb.connect(str(work_dir / "compile.duckdb")) as connection:
        for name, values in CASES.items():
            connection.execute(f"create table {name} as {values}")
    relations = [f"api.Relation.create(schema='main', identifier='{name}')" for name in CASES]
    calls = [
        f"{{{{ adapter.dispatch('test_unique', 'dbt')({relation}, 'id') }}}}\n{SEPARATOR}\n"
        f"{{{{ dbt.default__test_unique({relation}, 'id') }}}}\n{SEPARATOR}"
        for relation in relations
    ]
    sql = compile_sql("\n".join(calls), work_dir)
    parts = [part.strip() for part in sql.split(SEPARATOR)][: 2 * len(CASES)]
    connection = duckdb.connect(str(work_dir / "compile.duckdb"), read_only=True)
    return connection, list(zip(CASES, parts[0::2], parts[1::2], strict=True))


def test_the_project_test_returns_what_dbts_returns(rendered) -> None:
    connection, cases = rendered
    for name, ours, dbts in cases:
        expected = repeated_values(connection, dbts)
        pd.testing.assert_frame_equal(repeated_values(connection, ours), expected, obj=name)
    found = {name: len(repeated_values(connection, ours)) for name, ours, _ in cases}
    assert found == {
        "ids_distinct": 0,
        "ids_repeated": 3,
        "ids_one_repeat_at_the_edges": 2,
        "ids_sparse": 1,
        "ids_text": 1,
        "ids_none": 0,
    }


def test_integer_columns_of_a_compact_range_take_the_bitmap(rendered) -> None:
    _, cases = rendered
    uses_bitmap = {name: "bitstring_agg" in ours for name, ours, _ in cases}
    assert uses_bitmap == {
        "ids_distinct": True,
        "ids_repeated": True,
        "ids_one_repeat_at_the_edges": True,
        "ids_sparse": False,
        "ids_text": False,
        "ids_none": False,
    }
