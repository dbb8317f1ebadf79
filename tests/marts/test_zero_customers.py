"""A file with a header and no rows builds the whole warehouse with zero customers, and says so.

Every mart and every data test must cope with no rows: no division by zero, no test that
demands a row.
"""

from conftest import HeaderOnlyBuild


def test_a_header_only_file_builds_every_mart_empty_with_a_warning(
    header_only_build: HeaderOnlyBuild,
) -> None:
    assert header_only_build.warnings == [
        f"input file '{header_only_build.input_path}' has a header but no data rows: the"
        " warehouse is built with zero customers."
    ]
    customers = header_only_build.warehouse.query("select count(*) as n from customers")
    assert customers["n"][0] == 0
