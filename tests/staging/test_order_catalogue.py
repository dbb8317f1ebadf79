"""The order-log catalogue: malformed order logs and what the warehouse does with each.

Every case is generated here from a small valid log (nothing is committed as a file) and states
its outcome up front: it loads, quarantining given lines with given reasons (guest lines apart),
or it stops the build with a given message. Each runs `dbt build` of only the models it needs
(the order staging, and for the cases that derive customers int_snapshot and
int_customers_from_orders) into a fresh database, in this one process, reusing one parsed
manifest. A load must account for every line: lines written = lines staged + lines rejected; a
case that derives customers is compared with the pandas reference (bench/reference/orders.py).
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import assert_same_customers
from dbt.contracts.graph.manifest import Manifest
from staging.catalogue import (
    InputFile,
    Outcome,
    assert_failure_and_warnings,
    assert_nothing_built,
    assert_rejects_account_for_every_row,
    build_selected,
    csv_text,
    parse_for_files,
)

from bench.reference import orders as reference

STAGING_MODELS = ["base_orders", "stg_orders", "order_rejects"]
DERIVING_MODELS = [*STAGING_MODELS, "int_snapshot", "int_customers_from_orders"]
HEADER = ["customer_id", "order_id", "order_date", "quantity", "amount"]
LINES = 40
FIRST_DAY = date(1997, 1, 1)
LOG_COLUMNS = reference.OrderColumns(order_id="order_id", quantity="quantity")


def log_rows() -> list[list[str]]:
    """A valid log in the staged names: 20 orders of two lines each, of 7 customers over most of
    1997, every ninth line a return (negative quantity and amount)."""
    rows = []
    for line in range(LINES):
        order = line // 2
        day = FIRST_DAY + timedelta(days=(order * 37) % 330)
        quantity = 1 + line % 3
        amount = quantity * (5 + (line * 13) % 40) + 0.99
        sign = -1 if line % 9 == 8 else 1
        rows.append(
            [
                f"C{order % 7:03d}",
                f"O{order:04d}",
                day.isoformat(),
                str(sign * quantity),
                f"{sign * amount:.2f}",
            ]
        )
    return rows


def log_file(*edits: tuple[int, str, str], extra: list[list[str]] = ()) -> InputFile:
    """The valid log with (line number from 1, column, new text) edits and extra lines."""
    rows = log_rows() + [list(row) for row in extra]
    for line, column, value in edits:
        rows[line - 1][HEADER.index(column)] = value
    return InputFile(csv_text(HEADER, rows).encode(), len(rows))


def identical_lines() -> InputFile:
    rows = log_rows()
    return log_file(extra=[rows[0], rows[0], rows[5]])


def renamed_header(names: dict[str, str]) -> InputFile:
    header = [names.get(name, name) for name in HEADER]
    return InputFile(csv_text(header, log_rows()).encode(), LINES)


# UCI "Online Retail": invoices starting with C are cancellations, amount = Quantity x Price,
# dates as the original export writes them, about a quarter of the lines without a customer.
UCI_HEADER = [
    "Invoice",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "Price",
    "Customer ID",
    "Country",
]
UCI_VARS = {
    "order_customer_id_column": "Customer ID",
    "order_id_column": "Invoice",
    "order_date_column": "InvoiceDate",
    "order_date_format": "%m/%d/%Y %H:%M",
    "order_quantity_column": "Quantity",
    "order_amount_column": "",
    "order_unit_price_column": "Price",
    "order_return_pattern": "C.*",
}
UCI_COLUMNS = reference.OrderColumns(
    customer_id="Customer ID",
    order_id="Invoice",
    order_date="InvoiceDate",
    date_format="%m/%d/%Y %H:%M",
    amount=None,
    quantity="Quantity",
    unit_price="Price",
    return_prefix="C",
)
UCI_GUEST_LINES = {4, 9, 14, 19, 24, 29, 34, 39, 44}


def uci_rows() -> list[list[str]]:
    rows = []
    for line in range(1, 49):
        invoice = 536365 + line // 3
        day = date(2010, 12, 1) + timedelta(days=(line // 3) * 23)
        cancelled = line % 11 == 0
        rows.append(
            [
                f"C{invoice}" if cancelled else str(invoice),
                f"{85000 + line}A",
                "SET 7 BABUSHKA NESTING BOXES, RED" if line % 5 == 0 else "WHITE METAL LANTERN",
                str(-(1 + line % 4) if cancelled else 1 + line % 6),
                f"{day.month}/{day.day}/{day.year} {8 + line % 9}:{(line * 7) % 60:02d}",
                f"{1.25 + (line % 8) * 0.85:.2f}",
                "" if line in UCI_GUEST_LINES else str(12346 + (line // 3) % 9),
                "United Kingdom",
            ]
        )
    return rows


def uci_file() -> InputFile:
    rows = uci_rows()
    rows[20][4] = "2/30/2011 10:00"  # line 21: no 30 February
    return InputFile(csv_text(UCI_HEADER, rows).encode(), len(rows))


def typed_parquet() -> InputFile:
    """The valid log as Parquet with typed columns: ids as text, the day as a date, numbers."""
    frame = pd.DataFrame(log_rows(), columns=HEADER)
    table = pa.table(
        {
            "customer_id": frame["customer_id"],
            "order_id": frame["order_id"],
            "order_date": pa.array(
                [date.fromisoformat(day) for day in frame["order_date"]], pa.date32()
            ),
            "quantity": frame["quantity"].astype("int64"),
            "amount": frame["amount"].astype("float64"),
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer, row_group_size=16)
    return InputFile(buffer.getvalue(), LINES, suffix=".parquet")


@dataclass(frozen=True)
class Case:
    """One order log and its expected outcome.

    rejected maps a line number to text its reject_reason must contain; guests are rejected
    lines without a customer id; failure holds text the build's error must contain; warnings,
    text a warning must contain. derive: build the customers too and compare them with pandas,
    reading the log with columns. loads: False when the build stops before staging anything.
    """

    name: str
    make: Callable[[], InputFile]
    dbt_vars: dict[str, object] = field(default_factory=dict)
    rejected: dict[int, tuple[str, ...]] = field(default_factory=dict)
    guests: frozenset[int] = frozenset()
    failure: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    derive: bool = False
    columns: reference.OrderColumns = LOG_COLUMNS
    loads: bool = True


CASES = [
    Case(
        "impossible_and_unreadable_dates",
        lambda: log_file(
            (3, "order_date", "1997-02-30"),
            (4, "order_date", "1997-13-01"),
            (5, "order_date", "yesterday"),
            (6, "order_date", "01/05/1997"),
            (7, "order_date", "1997-1-5"),
        ),
        rejected={
            3: ("order_date not a date in format %Y-%m-%d: '1997-02-30'",),
            4: ("order_date not a date in format %Y-%m-%d: '1997-13-01'",),
            5: ("order_date not a date in format %Y-%m-%d: 'yesterday'",),
            6: ("order_date not a date in format %Y-%m-%d: '01/05/1997'",),
        },
        dbt_vars={"max_order_reject_share": 0.2},
        derive=True,
    ),
    Case(
        "amounts_and_quantities_that_are_not_numbers",
        lambda: log_file(
            (2, "amount", "$12.00"),
            (3, "amount", "1,234.50"),
            (4, "amount", "NaN"),
            (5, "quantity", "two"),
            (6, "quantity", "1.5.2"),
        ),
        rejected={
            2: ("amount not a number: '$12.00'",),
            3: ("amount not a number: '1,234.50'",),
            4: ("amount not a number: 'NaN'",),
            5: ("quantity not a number: 'two'",),
            6: ("quantity not a number: '1.5.2'",),
        },
        dbt_vars={"max_order_reject_share": 0.2},
    ),
    Case(
        "blank_values_and_every_rule_of_a_line",
        lambda: log_file(
            (8, "order_date", ""),
            (9, "amount", "  "),
            (10, "order_id", ""),
            (11, "order_date", "1997-02-29"),
            (11, "amount", "x"),
        ),
        rejected={
            8: ("order_date is blank",),
            9: ("amount is blank",),
            10: ("order_id is blank",),
            11: (
                "order_date not a date in format %Y-%m-%d: '1997-02-29'",
                "amount not a number: 'x'",
            ),
        },
        dbt_vars={"max_order_reject_share": 0.2},
    ),
    Case(
        "guest_lines_do_not_count_toward_the_malformed_share",
        lambda: log_file(
            *((line, "customer_id", "") for line in range(1, 13)), (20, "amount", "?")
        ),
        rejected={20: ("amount not a number: '?'",)},
        guests=frozenset(range(1, 13)),
        derive=True,
    ),
    Case(
        "too_many_malformed_lines_stop_the_build",
        lambda: log_file(*((line, "amount", "n/a") for line in (2, 4, 6)), (1, "customer_id", " ")),
        rejected={line: ("amount not a number: 'n/a'",) for line in (2, 4, 6)},
        guests=frozenset({1}),
        failure=(
            "3 of the 39 lines with a customer id",
            "(7.7%) are malformed",
            "max_order_reject_share 0.05",
            "guest lines, without a customer id, are rejected but not counted",
            "amount not a number (3 lines)",
        ),
    ),
    Case("identical_lines_are_two_purchases", identical_lines, derive=True),
    Case(
        "uci_online_retail_shape",
        uci_file,
        dbt_vars=UCI_VARS,
        rejected={21: ("invoicedate not a date in format %m/%d/%Y %H:%M: '2/30/2011 10:00'",)},
        guests=frozenset(UCI_GUEST_LINES),
        warnings=("left out of staging: StockCode, Description, Country",),
        derive=True,
        columns=UCI_COLUMNS,
    ),
    Case(
        "header_names_with_spaces_and_case",
        lambda: renamed_header({"customer_id": " Customer ID ", "order_date": "ORDER DATE"}),
        dbt_vars={"order_customer_id_column": "customer id", "order_date_column": "Order Date"},
        derive=True,
        columns=reference.OrderColumns(
            customer_id="customer id",
            order_date="Order Date",
            order_id="order_id",
            quantity="quantity",
        ),
    ),
    Case(
        "typed_parquet_log",
        typed_parquet,
        derive=True,
    ),
    Case(
        "log_without_order_ids_or_quantities",
        lambda: InputFile(
            csv_text(
                ["customer_id", "order_date", "amount"],
                [[row[0], row[2], row[4]] for row in log_rows()],
            ).encode(),
            LINES,
        ),
        derive=True,
        columns=reference.OrderColumns(),
    ),
    Case(
        "log_ends_before_the_churn_window",
        log_file,
        dbt_vars={"snapshot_date": "1997-11-01"},
        failure=(
            "ends on 1997-10-27, before the end of the 90-day churn window after snapshot_date"
            " 1997-11-01 (1998-01-30), so who churned cannot be told. Snapshot dates from"
            " 1997-01-01 to 1997-07-29 would work",
        ),
        derive=True,
    ),
    Case(
        "mapped_column_missing",
        log_file,
        dbt_vars={"order_date_column": "Date"},
        failure=("lacks required column(s) Date.", "order_*_column vars"),
        loads=False,
    ),
    Case(
        "amount_and_unit_price_both_mapped",
        log_file,
        dbt_vars={"order_unit_price_column": "amount"},
        failure=("give exactly one of order_amount_column", "order_unit_price_column"),
        loads=False,
    ),
    Case(
        "unsupported_date_format",
        log_file,
        dbt_vars={"order_date_format": "%d %b %Y"},
        failure=("%b is not supported",),
        loads=False,
    ),
    Case(
        "a_customer_file_as_well",
        log_file,
        dbt_vars={"raw_customers_path": "customers.csv"},
        failure=("raw_customers_path ('customers.csv') and raw_orders_path", "Unset one of them"),
        loads=False,
    ),
    Case(
        "header_only",
        lambda: InputFile(csv_text(HEADER, []).encode(), 0),
        warnings=("has a header but no data rows", "zero customers"),
        derive=True,
    ),
]


@pytest.fixture(scope="module")
def order_log_manifest(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    """The project parsed once for order logs."""
    return parse_for_files(tmp_path_factory.mktemp("order_catalogue_parse"), "raw_orders_path")


def reference_lines(path: Path, columns: reference.OrderColumns) -> pd.DataFrame:
    """The log's valid lines read by pandas; a Parquet log is read through its CSV equivalent."""
    if path.suffix == ".parquet":
        as_csv = path.with_suffix(".csv")
        pd.read_parquet(path).to_csv(as_csv, index=False)
        path = as_csv
    return reference.read_order_lines(path, columns)


def assert_customers_equal_pandas(outcome: Outcome, path: Path, case: Case) -> None:
    settings = outcome.warehouse.table("int_snapshot").iloc[0]
    got = outcome.warehouse.query("select * from int_customers_from_orders order by customer_id")
    lines = reference_lines(path, case.columns)
    if lines.empty:
        assert got.empty
        return
    expected = reference.customers_from_orders(
        lines, settings["snapshot_date"].date(), int(settings["churn_window_days"])
    )
    assert not expected.empty
    assert_same_customers(got, expected)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_order_log_case_has_its_expected_outcome(
    case: Case, order_log_manifest: Manifest, tmp_path: Path
) -> None:
    written = case.make()
    path = tmp_path / f"orders{written.suffix}"
    path.write_bytes(written.content)
    models = DERIVING_MODELS if case.derive else STAGING_MODELS
    outcome = build_selected(
        models, {"raw_orders_path": str(path), **case.dbt_vars}, tmp_path, order_log_manifest
    )

    assert_failure_and_warnings(outcome, path, case.failure, case.warnings)
    if not case.loads:
        assert_nothing_built(outcome, STAGING_MODELS)
        return
    staged = outcome.warehouse.table("stg_orders")
    rejects = outcome.warehouse.table("order_rejects").set_index("input_row_number")
    assert sorted(rejects.index) == sorted({*case.rejected, *case.guests})
    assert sorted(rejects.index[rejects["is_guest_line"]]) == sorted(case.guests)
    for line in case.guests:
        assert rejects.at[line, "reject_reason"].startswith("no customer id")
    assert_rejects_account_for_every_row(len(staged), rejects, written.data_rows, case.rejected)
    if case.derive and not case.failure:
        assert_customers_equal_pandas(outcome, path, case)
