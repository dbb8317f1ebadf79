"""A file with a header and no rows builds the whole warehouse with zero customers, and says so.

Every mart and every data test must cope with no rows: no division by zero, no test that
demands a row.
"""

from pathlib import Path

from conftest import SEED_CSV, MacroWarnings, Warehouse, run_dbt


def test_a_header_only_file_builds_every_mart_empty_with_a_warning(tmp_path: Path) -> None:
    header_only = tmp_path / "header_only.csv"
    header_only.write_text(SEED_CSV.read_text().splitlines()[0] + "\n")
    warnings = MacroWarnings()
    db_path = tmp_path / "warehouse.duckdb"
    run_dbt(
        ["build"],
        db_path,
        dbt_vars={"raw_customers_path": str(header_only)},
        callbacks=[warnings],
    )
    assert warnings.messages == [
        f"input file '{header_only}' has a header but no data rows: the warehouse is built"
        " with zero customers."
    ]
    assert Warehouse(db_path).query("select count(*) as n from customers")["n"][0] == 0
