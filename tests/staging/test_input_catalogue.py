"""The bad-input catalogue: malformed copies of the real CSV and what the warehouse does with each.

Every case is generated from seeds/raw_customers.csv (nothing is committed as a file) and states
its outcome up front: it loads like the seed, or quarantines given rows with given reasons, or
stops the build with a given message. Each runs `dbt build` of the staging models and their tests
into a fresh database, in this one process, reusing one parsed manifest. A load must account for
every row: rows written = rows staged + rows rejected.
"""

import csv
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import PROJECT_DIR, SEED_CSV, DbtBuildError, run_dbt
from dbt.contracts.graph.manifest import Manifest
from pandas.testing import assert_frame_equal
from staging.catalogue import (
    CRLF,
    InputFile,
    Outcome,
    assert_failure_and_warnings,
    assert_nothing_built,
    assert_rejects_account_for_every_row,
    build_selected,
    csv_text,
    parse_for_files,
    relation_exists,
)

from bench.reference import customers as reference

STAGING_MODELS = ["base_customers", "stg_customers", "customer_rejects"]


def read_seed() -> tuple[list[str], list[list[str]]]:
    with SEED_CSV.open(newline="", encoding="utf-8") as seed:
        header, *rows = csv.reader(seed)
    return header, rows


HEADER, SEED_ROWS = read_seed()


def column(name: str) -> int:
    return HEADER.index(name)


def seed_rows(*edits: tuple[int, str, str]) -> list[list[str]]:
    """A copy of the seed's data rows with (row number from 1, column, new text) edits."""
    rows = [list(row) for row in SEED_ROWS]
    for row_number, name, value in edits:
        rows[row_number - 1][column(name)] = value
    return rows


def csv_file(header: list[str], rows: list[list[str]], **dialect: object) -> InputFile:
    return InputFile(csv_text(header, rows, **dialect).encode(), len(rows))


def seed_file(*edits: tuple[int, str, str]) -> InputFile:
    return csv_file(HEADER, seed_rows(*edits))


@dataclass(frozen=True)
class Case:
    """One malformed input and its expected outcome.

    rejected maps an input row number to text its reject_reason must contain; failure holds text
    the build's error must contain (a failure before loading leaves nothing staged); warnings,
    text a warning must contain. like_seed: the staged customers equal the seed's, less the
    rejected rows among the first 1,000.
    """

    name: str
    make: Callable[[], InputFile]
    rejected: dict[int, tuple[str, ...]] = field(default_factory=dict)
    failure: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    like_seed: bool = False
    loads: bool = True


def reversed_columns() -> InputFile:
    return csv_file(HEADER[::-1], [row[::-1] for row in SEED_ROWS])


def with_extra_column() -> InputFile:
    header = [*HEADER[:3], "Loyalty_Tier", *HEADER[3:]]
    rows = [[*row[:3], "gold", *row[3:]] for row in SEED_ROWS]
    return csv_file(header, rows)


def without_column(name: str) -> InputFile:
    keep = [index for index, header in enumerate(HEADER) if header != name]
    return csv_file([HEADER[i] for i in keep], [[row[i] for i in keep] for row in SEED_ROWS])


def padded_values() -> InputFile:
    return csv_file(HEADER, [[f"  {value} " for value in row] for row in SEED_ROWS])


def odd_header_case() -> InputFile:
    header = [f" {name.lower()} " if i % 2 else name.upper() for i, name in enumerate(HEADER)]
    return csv_file(header, SEED_ROWS)


def odd_category_case() -> InputFile:
    rows = seed_rows()
    for index, row in enumerate(rows):
        spell = (str.lower, str.upper, lambda text: f" {text.swapcase()} ")[index % 3]
        for name in ("Gender", "Promotion_Response"):
            row[column(name)] = spell(row[column(name)])
    return csv_file(HEADER, rows)


BOOLEAN_SPELLINGS = {
    "TRUE": ["TRUE", "true", "True", "1", "yes", "YES", "Yes", "t", "T", "y", " Y "],
    "FALSE": ["FALSE", "false", "False", "0", "no", "NO", "No", "f", "F", "n", " N "],
}


def every_boolean_spelling() -> InputFile:
    rows = seed_rows()
    for index, row in enumerate(rows):
        for name in ("Email_Opt_In", "Target_Churn"):
            spellings = BOOLEAN_SPELLINGS[row[column(name)]]
            row[column(name)] = spellings[index % len(spellings)]
    return csv_file(HEADER, rows)


def blank_cell_in_each_column() -> InputFile:
    # Row n is blank in column n: empty for odd n, spaces only for even n.
    return seed_file(*((n, name, "" if n % 2 else "   ") for n, name in enumerate(HEADER, 1)))


def duplicated_rows(*row_numbers: int) -> InputFile:
    rows = seed_rows()
    rows += [list(rows[n - 1]) for n in row_numbers]
    return csv_file(HEADER, rows)


def with_bytes(before: bytes = b"", after: bytes = b"") -> InputFile:
    seed = SEED_CSV.read_bytes()
    return InputFile(before + seed + after, len(SEED_ROWS))


def latin1_row(row_number: int) -> InputFile:
    """The seed with one accented value, the whole file encoded as Latin-1 (é is one byte)."""
    text = csv_text(HEADER, seed_rows((row_number, "Gender", "Fémale")))
    return InputFile(text.encode("latin-1"), len(SEED_ROWS))


def hundred_thousand_rows_bad_last() -> InputFile:
    rows = []
    for number in range(1, 100_001):
        row = list(SEED_ROWS[(number - 1) % len(SEED_ROWS)])
        row[column("Customer_ID")] = str(number)
        rows.append(row)
    rows[-1][column("Age")] = "sixty"
    return csv_file(HEADER, rows)


def with_field_added_to_row(row_number: int) -> InputFile:
    text = csv_text(HEADER, SEED_ROWS)
    lines = text.split(CRLF)
    lines[row_number] += ",surplus"
    return InputFile(CRLF.join(lines).encode(), len(SEED_ROWS))


def parquet_with(*edits: tuple[int, str, str]) -> InputFile:
    customers = pd.read_csv(io.StringIO(csv_text(HEADER, seed_rows(*edits))), dtype=str)
    buffer = io.BytesIO()
    customers.to_parquet(buffer)
    return InputFile(buffer.getvalue(), len(customers), suffix=".parquet")


def typed_parquet_with(*edits: tuple[int, str, object]) -> InputFile:
    """The seed as Parquet with typed columns (integers, doubles, booleans), edited with values.

    A NaN in a double column stays NaN in the file (pandas would write it as null).
    """
    customers = pd.read_csv(SEED_CSV).convert_dtypes(convert_floating=False, convert_string=False)
    for row_number, name, value in edits:
        customers.loc[row_number - 1, name] = value
    table = pa.Table.from_pandas(customers, preserve_index=False)
    for name in customers.select_dtypes("float").columns:
        exact = pa.array(customers[name].to_numpy(), from_pandas=False)
        table = table.set_column(table.schema.get_field_index(name), name, exact)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return InputFile(buffer.getvalue(), len(customers), suffix=".parquet")


CASES = [
    # Loads as is: the tolerances.
    Case("as_shipped_crlf", lambda: with_bytes(), like_seed=True),
    Case(
        "lf_line_ends",
        lambda: csv_file(HEADER, SEED_ROWS, line_end="\n"),
        like_seed=True,
    ),
    Case("utf8_byte_order_mark", lambda: with_bytes(before=b"\xef\xbb\xbf"), like_seed=True),
    Case("trailing_empty_lines", lambda: with_bytes(after=b"\r\n\r\n\r\n"), like_seed=True),
    Case("shuffled_column_order", reversed_columns, like_seed=True),
    Case("header_case_and_spaces", odd_header_case, like_seed=True),
    Case("surrounding_whitespace", padded_values, like_seed=True),
    Case("category_case", odd_category_case, like_seed=True),
    Case("booleans_in_every_spelling", every_boolean_spelling, like_seed=True),
    Case(
        "every_field_quoted",
        lambda: csv_file(HEADER, SEED_ROWS, quoting=csv.QUOTE_ALL),
        like_seed=True,
    ),
    Case(
        "extra_column",
        with_extra_column,
        warnings=("has column(s) the contract does not know", "Loyalty_Tier"),
        like_seed=True,
    ),
    # Quarantines the broken rows.
    Case(
        "quoted_fields_with_commas",
        lambda: seed_file((3, "Gender", "Male, mostly"), (4, "Total_Spend", "9,110.30")),
        rejected={
            3: ("unknown gender: 'Male, mostly'",),
            4: ("total_spend not a number: '9,110.30'",),
        },
        like_seed=True,
    ),
    Case(
        "bad_numbers",
        lambda: seed_file(
            (5, "Age", "sixty"),
            (6, "Annual_Income", "abc"),
            (7, "Num_of_Purchases", "12abc"),
            (8, "Average_Transaction_Amount", "NaN"),
            (9, "Total_Spend", "Infinity"),
            (10, "Num_of_Returns", "1_0"),
            (11, "Last_Purchase_Days_Ago", "0x10"),
        ),
        rejected={
            5: ("age not an integer: 'sixty'",),
            6: ("annual_income not a number: 'abc'",),
            7: ("num_of_purchases not an integer: '12abc'",),
            8: ("average_transaction_amount not a number: 'NaN'",),
            9: ("total_spend not a number: 'Infinity'",),
            10: ("num_of_returns not an integer: '1_0'",),
            11: ("last_purchase_days_ago not an integer: '0x10'",),
        },
        like_seed=True,
    ),
    Case(
        "negative_money",
        lambda: seed_file(
            (12, "Annual_Income", "-45.15"),
            (13, "Total_Spend", "-5892.58"),
            (14, "Average_Transaction_Amount", "-0.01"),
        ),
        rejected={
            12: ("annual_income out of range 0-100000: -45.15",),
            13: ("total_spend out of range 0-100000000: -5892.58",),
            14: ("average_transaction_amount out of range 0-10000000: -0.01",),
        },
        like_seed=True,
    ),
    Case(
        "age_0_and_200",
        lambda: seed_file((3, "Age", "0"), (4, "Age", "200")),
        rejected={3: ("age out of range 18-100: 0",), 4: ("age out of range 18-100: 200",)},
        like_seed=True,
    ),
    Case(
        "satisfaction_0_and_6",
        lambda: seed_file((7, "Satisfaction_Score", "0"), (8, "Satisfaction_Score", "6")),
        rejected={
            7: ("satisfaction_score out of range 1-5: 0",),
            8: ("satisfaction_score out of range 1-5: 6",),
        },
        like_seed=True,
    ),
    Case(
        "decimals_in_integer_columns",
        lambda: seed_file(
            (1, "Age", "62.0"),
            (2, "Num_of_Purchases", "77.5"),
            (3, "Satisfaction_Score", "2.4"),
            (4, "Customer_ID", "4.0"),
        ),
        rejected={
            1: ("age not an integer: '62.0'",),
            2: ("num_of_purchases not an integer: '77.5'",),
            3: ("satisfaction_score not an integer: '2.4'",),
            4: ("customer_id not an integer: '4.0'",),
        },
        like_seed=True,
    ),
    Case(
        "blank_cell_in_each_column",
        blank_cell_in_each_column,
        rejected={n: (f"{name.lower()} is blank",) for n, name in enumerate(HEADER, 1)},
        like_seed=True,
    ),
    Case(
        "duplicate_customer_id",
        lambda: seed_file((20, "Customer_ID", "17")),
        rejected={20: ("duplicate customer_id 17 (first seen at row 17)",)},
        like_seed=True,
    ),
    Case(
        "duplicate_identical_rows",
        lambda: duplicated_rows(5, 6),
        rejected={
            1001: ("duplicate row: identical to row 5",),
            1002: ("duplicate row: identical to row 6",),
        },
        like_seed=True,
    ),
    Case(
        "unknown_categories_and_booleans",
        lambda: seed_file(
            (2, "Gender", "Unknown"),
            (3, "Promotion_Response", "Maybe"),
            (4, "Email_Opt_In", "maybe"),
            (5, "Target_Churn", "2"),
        ),
        rejected={
            2: ("unknown gender: 'Unknown'",),
            3: ("unknown promotion_response: 'Maybe'",),
            4: ("email_opt_in not a boolean: 'maybe'",),
            5: ("target_churn not a boolean: '2'",),
        },
        like_seed=True,
    ),
    Case(
        "every_broken_rule_of_a_row_listed",
        lambda: seed_file((9, "Age", "200"), (9, "Gender", "?"), (9, "Total_Spend", "")),
        rejected={
            9: ("age out of range 18-100: 200", "unknown gender: '?'", "total_spend is blank"),
        },
        like_seed=True,
    ),
    Case(
        "parquet_with_a_bad_value",
        lambda: parquet_with((2, "Satisfaction_Score", "9")),
        rejected={2: ("satisfaction_score out of range 1-5: 9",)},
        like_seed=True,
    ),
    Case(
        "typed_parquet_with_bad_values",
        lambda: typed_parquet_with(
            (2, "Annual_Income", float("nan")),
            (3, "Total_Spend", float("inf")),
            (4, "Satisfaction_Score", 9),
            (5, "Age", pd.NA),
            (6, "Email_Opt_In", pd.NA),
            (7, "Average_Transaction_Amount", -1.5),
        ),
        rejected={
            2: ("annual_income not a number: 'nan'",),
            3: ("total_spend not a number: 'inf'",),
            4: ("satisfaction_score out of range 1-5: 9",),
            5: ("age is blank",),
            6: ("email_opt_in is blank",),
            7: ("average_transaction_amount out of range 0-10000000: -1.5",),
        },
        like_seed=True,
    ),
    Case(
        "hundred_thousand_rows_one_bad_at_the_end",
        hundred_thousand_rows_bad_last,
        rejected={100_000: ("age not an integer: 'sixty'",)},
    ),
    Case(
        "header_only",
        lambda: csv_file(HEADER, []),
        warnings=("has a header but no data rows", "zero customers"),
    ),
    # Stops the build.
    Case(
        "too_many_rejects",
        lambda: seed_file(*((n, "Age", "unknown") for n in range(1, 61))),
        rejected={n: ("age not an integer: 'unknown'",) for n in range(1, 61)},
        failure=(
            "60 of the 1000 rows",
            "(6.0%)",
            "max_reject_share",
            "age not an integer (60 rows)",
        ),
    ),
    Case(
        "missing_column",
        lambda: without_column("Age"),
        failure=("lacks required column(s) Age.",),
        loads=False,
    ),
    Case(
        "renamed_column",
        lambda: csv_file([name if name != "Gender" else "Sex" for name in HEADER], SEED_ROWS),
        failure=("lacks required column(s) Gender", "does not know: Sex (renamed?"),
        loads=False,
    ),
    Case(
        "semicolon_delimiter",
        lambda: csv_file(HEADER, SEED_ROWS, delimiter=";"),
        failure=("has a single column", "the delimiter looks wrong", 'it seems to be ";"'),
        loads=False,
    ),
    Case(
        "empty_file",
        lambda: InputFile(b"", 0),
        failure=("is empty (0 bytes)",),
        loads=False,
    ),
    Case(
        "latin1_bytes",
        lambda: latin1_row(500),
        failure=("CSV Error on Line: 501", "not utf-8 encoded"),
        loads=False,
    ),
    Case(
        "row_with_a_surplus_field",
        lambda: with_field_added_to_row(10),
        failure=("CSV Error on Line: 11", "Expected Number of Columns: 15 Found: 16"),
        loads=False,
    ),
    Case(
        "unsupported_extension",
        lambda: InputFile(SEED_CSV.read_bytes(), len(SEED_ROWS), suffix=".txt"),
        failure=("must name a .csv or .parquet file",),
        loads=False,
    ),
]


@pytest.fixture(scope="module")
def file_input_manifest(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    """The project parsed once for customer files."""
    return parse_for_files(tmp_path_factory.mktemp("catalogue_parse"), "raw_customers_path")


def build_staging(path: Path, manifest: Manifest) -> Outcome:
    return build_selected(STAGING_MODELS, {"raw_customers_path": str(path)}, path.parent, manifest)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_catalogue_case_has_its_expected_outcome(
    case: Case, file_input_manifest: Manifest, tmp_path: Path
) -> None:
    written = case.make()
    path = tmp_path / f"customers{written.suffix}"
    path.write_bytes(written.content)
    outcome = build_staging(path, file_input_manifest)

    assert_failure_and_warnings(outcome, path, case.failure, case.warnings)
    if not case.loads:
        assert_nothing_built(outcome, STAGING_MODELS)
        return
    staged = outcome.warehouse.query("select * from stg_customers order by customer_id")
    rejects = outcome.warehouse.table("customer_rejects").set_index("input_row_number")
    assert sorted(rejects.index) == sorted(case.rejected)
    assert_rejects_account_for_every_row(len(staged), rejects, written.data_rows, case.rejected)
    if case.like_seed:
        expected = reference.read_customers(SEED_CSV).drop(
            index=[n - 1 for n in case.rejected if n <= len(SEED_ROWS)]
        )
        assert_frame_equal(
            staged.reset_index(drop=True),
            expected.sort_values("customer_id").reset_index(drop=True),
            check_dtype=False,
        )


def test_a_missing_file_stops_the_build_naming_it(
    file_input_manifest: Manifest, tmp_path: Path
) -> None:
    path = tmp_path / "no_such_customers.csv"
    outcome = build_staging(path, file_input_manifest)
    assert f"input file '{path}' was not found" in outcome.error
    assert not relation_exists(outcome.warehouse, "stg_customers")


def test_a_malformed_seed_fails_in_dbt_seed_with_dbts_message(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(
        PROJECT_DIR,
        project,
        ignore=shutil.ignore_patterns(
            ".*", "target", "logs", "bench", "warehouse", "__pycache__", "*.duckdb", "*.py"
        ),
    )
    (project / "seeds" / "raw_customers.csv").write_text(
        csv_text(HEADER, seed_rows((5, "Age", "sixty")))
    )
    with pytest.raises(DbtBuildError) as failure:
        run_dbt(["seed"], tmp_path / "seed.duckdb", project_dir=project)
    message = str(failure.value)
    assert "seed.retail_churn.raw_customers: error" in message
    assert 'Could not convert string "sixty"' in message
    assert "CSV Error on Line: 6" in message
