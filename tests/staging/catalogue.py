"""What the bad-input catalogues share: writing a case's file, parsing the project once, and
building only the models a case needs into a fresh database, all in this one process.

The customer catalogue (test_input_catalogue.py) and the order-log catalogue
(test_order_catalogue.py) each state their cases' outcomes; this module only runs them.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
from conftest import DbtBuildError, MacroWarnings, Warehouse, run_dbt
from dbt.contracts.graph.manifest import Manifest

CRLF = "\r\n"
# dbt-duckdb takes the database name from the file name, and a parsed manifest holds it: every
# case builds into a file of this same name.
WAREHOUSE_FILE = "warehouse.duckdb"


def csv_text(
    header: list[str],
    rows: list[list[str]],
    *,
    line_end: str = CRLF,
    delimiter: str = ",",
    quoting: int = csv.QUOTE_MINIMAL,
) -> str:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, quoting=quoting, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue()


@dataclass(frozen=True)
class InputFile:
    """What a case writes: the file's bytes and how many data rows they hold."""

    content: bytes
    data_rows: int
    suffix: str = ".csv"


@dataclass
class Outcome:
    warehouse: Warehouse
    error: str
    warnings: list[str]


def parse_for_files(work_dir: Path, path_var: str) -> Manifest:
    """The project parsed once with an input file named by path_var; each case then only runs
    (parsing takes seconds) and gives its own file at run time."""
    result = run_dbt(
        ["parse"], work_dir / WAREHOUSE_FILE, dbt_vars={path_var: str(work_dir / "any.csv")}
    )
    return result.result


def build_selected(
    models: list[str], dbt_vars: dict[str, object], directory: Path, manifest: Manifest
) -> Outcome:
    """`dbt build --select models` (and their tests) with dbt_vars into directory's database;
    what dbt said on failure, and every warning a macro raised."""
    warnings = MacroWarnings()
    db_path = directory / WAREHOUSE_FILE
    try:
        run_dbt(
            ["build", "--select", *models],
            db_path,
            dbt_vars=dbt_vars,
            manifest=manifest,
            callbacks=[warnings],
        )
        error = ""
    except DbtBuildError as failure:
        error = str(failure)
    return Outcome(Warehouse(db_path), error, warnings.messages)


def relation_exists(warehouse: Warehouse, name: str) -> bool:
    with duckdb.connect(str(warehouse.path), read_only=True) as connection:
        found = connection.execute(
            "select count(*) from information_schema.tables where table_name = ?", [name]
        ).fetchone()
    return found[0] == 1


def assert_failure_and_warnings(
    outcome: Outcome, path: Path, failure: tuple[str, ...], warnings: tuple[str, ...]
) -> None:
    """The build failed exactly when failure names text its error must hold (with the file's
    path); each of warnings is in a warning, and with none expected there is none."""
    assert bool(outcome.error) == bool(failure), outcome.error
    for fragment in (*failure, str(path)) if failure else ():
        assert fragment in outcome.error, f"expected {fragment!r} in:\n{outcome.error}"
    for fragment in warnings:
        assert any(fragment in warning for warning in outcome.warnings), outcome.warnings
    if not warnings:
        assert outcome.warnings == []


def assert_nothing_built(outcome: Outcome, models: list[str]) -> None:
    """A build that stopped reading the file left none of models behind."""
    for model in models:
        assert not relation_exists(outcome.warehouse, model), f"a failed read built {model}"


def assert_rejects_account_for_every_row(
    staged: int, rejects: pd.DataFrame, rows: int, rejected: dict[int, tuple[str, ...]]
) -> None:
    """rows in = rows staged + rows rejected, and each rejected row (by input_row_number, the
    index of rejects) has a reject_reason holding each of its fragments."""
    assert staged + len(rejects) == rows
    for row_number, fragments in rejected.items():
        for fragment in fragments:
            assert fragment in rejects.at[row_number, "reject_reason"]
