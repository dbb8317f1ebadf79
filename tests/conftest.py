"""Shared fixtures: the warehouse built once per session, the reference data, dbt in-process."""

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner
from dbt.contracts.graph.manifest import Manifest
from dbt_common.events.base_types import EventMsg

from bench import cdnow, generate, order_log, pandas_orders
from bench.reference import customers as reference
from bench.reference import gqm, orders

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEED_CSV = PROJECT_DIR / "seeds" / "raw_customers.csv"
SHARED_DATA_DIR = PROJECT_DIR.parent / "shared" / "data"
REQUIRE_ALL = os.environ.get("RETAIL_CHURN_REQUIRE_ALL") == "1"


@dataclass(frozen=True)
class Warehouse:
    """A DuckDB file built by dbt, read the way analysts and the plots read it."""

    path: Path

    def query(self, sql: str) -> pd.DataFrame:
        with duckdb.connect(str(self.path), read_only=True) as connection:
            return connection.sql(sql).df()

    def table(self, name: str) -> pd.DataFrame:
        return self.query(f"select * from {name}")


# Mart comparisons: p-values to 1e-6 absolute (the bar for the SQL's own distribution
# functions), every other number to 1e-9 relative.
P_VALUE_TOLERANCE = 1e-6
RELATIVE_TOLERANCE = 1e-9
# Absolute floor for values that are 0 up to rounding (a skewness of 1e-17 has no relative size).
ABSOLUTE_FLOOR = 1e-12
# Each mart's grain (the columns naming a row), the question marts' from bench/reference/gqm.py.
MART_KEYS = {
    **{mart: keys for mart, (_, keys) in gqm.MARTS.items()},
    "churn_overview": ["customers"],
    "churn_by_segment": ["dimension", "segment"],
    "churn_drivers": ["factor"],
    "gqm_scorecard": ["question_id"],
}


def assert_mart_equals_reference(
    mart: str,
    got: pd.DataFrame,
    expected: pd.DataFrame,
    keys: list[str],
    *,
    p_value_tolerance: float | None = P_VALUE_TOLERANCE,
) -> None:
    """Same columns, same rows by keys, same values; p_value_tolerance None holds p-values to
    RELATIVE_TOLERANCE like every other number."""
    assert sorted(got.columns) == sorted(expected.columns), f"{mart}: columns differ"
    merged = expected.merge(
        got, on=keys, how="outer", suffixes=("_expected", "_got"), indicator=True
    )
    unmatched = merged.loc[merged["_merge"] != "both", [*keys, "_merge"]]
    assert unmatched.empty, f"{mart}: rows on one side only:\n{unmatched}"
    for column in expected.columns.difference(keys):
        want, have = merged[f"{column}_expected"], merged[f"{column}_got"]
        message = f"{mart}.{column}"
        if pd.api.types.is_numeric_dtype(want) and pd.api.types.is_numeric_dtype(have):
            absolute_p_value = "p_value" in column and p_value_tolerance is not None
            np.testing.assert_allclose(
                have.astype(float),
                want.astype(float),
                rtol=0 if absolute_p_value else RELATIVE_TOLERANCE,
                atol=p_value_tolerance if absolute_p_value else ABSOLUTE_FLOOR,
                err_msg=message,
            )
        else:
            present = [None if pd.isna(value) else value for value in want]
            assert [None if pd.isna(value) else value for value in have] == present, message


def assert_same_customers(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """The same customers, by customer_id, with each of expected's columns equal: numbers to
    1e-12 relative, everything else (dates, labels, flags) as text."""
    got = got.sort_values("customer_id").reset_index(drop=True)
    expected = expected.sort_values("customer_id").reset_index(drop=True)
    assert got["customer_id"].tolist() == expected["customer_id"].tolist()
    for column in expected.columns.drop("customer_id"):
        want, have = expected[column], got[column]
        if pd.api.types.is_numeric_dtype(want) and not pd.api.types.is_bool_dtype(want):
            np.testing.assert_allclose(
                have.astype(float), want.astype(float), rtol=1e-12, err_msg=column
            )
        else:
            assert have.astype(str).tolist() == want.astype(str).tolist(), column


# Opens the DuckDB file named by argv[1] (read-only when argv[2] is "read_only"), says so on
# stdout, and keeps it open until its stdin closes.
FILE_HOLDER = """
import sys, duckdb
connection = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read_only")
print("holding", flush=True)
sys.stdin.read()
"""


@contextmanager
def file_held_open(path: Path, *, read_only: bool) -> Iterator[int]:
    """Another process holds the DuckDB file at path open inside the block; yields its PID."""
    holder = subprocess.Popen(
        [sys.executable, "-c", FILE_HOLDER, str(path), "read_only" if read_only else "read_write"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding", "the holder could not open the file"
        yield holder.pid
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


class DbtBuildError(AssertionError):
    """dbt exited with an error; the message holds what it printed about the failing nodes."""


def run_dbt(
    args: list[str],
    db_path: Path,
    *,
    dbt_vars: dict | None = None,
    work_dir: Path | None = None,
    project_dir: Path = PROJECT_DIR,
    manifest: Manifest | None = None,
    callbacks: list[Callable[[EventMsg], None]] | None = None,
) -> object:
    """Runs one dbt command in-process against db_path; raises DbtBuildError with dbt's messages.

    A manifest from an earlier `parse` skips parsing (seconds per command): dbt then takes
    dbt_vars at run time but keeps the parse-time graph. callbacks receive every dbt event.
    """
    work_dir = work_dir or db_path.parent
    command = [
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        "--quiet",
    ]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    previous = os.environ.get("RETAIL_CHURN_DB")
    os.environ["RETAIL_CHURN_DB"] = str(db_path)
    try:
        result = dbtRunner(manifest=manifest, callbacks=callbacks or []).invoke(command)
    finally:
        release_duckdb_file()
        if previous is None:
            os.environ.pop("RETAIL_CHURN_DB", None)
        else:
            os.environ["RETAIL_CHURN_DB"] = previous
    if not result.success:
        raise DbtBuildError(describe_failure(result))
    return result


class MacroWarnings:
    """A dbt callback keeping every warning a macro raised (`exceptions.warn`), in order."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, event: EventMsg) -> None:
        if event.info.name == "JinjaLogWarning":
            self.messages.append(event.data.msg)


def release_duckdb_file() -> None:
    """Closes the DuckDB instance dbt-duckdb keeps for the process after a command.

    Without this, opening the file read-only afterwards (as the plots and analysts do) fails
    with "different configuration than existing connections".
    """
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def describe_failure(result: object) -> str:
    if result.exception is not None:
        return f"dbt raised: {result.exception}"
    messages = [
        f"{node.node.unique_id}: {node.status}: {node.message}"
        for node in getattr(result.result, "results", [])
        if str(node.status) in {"error", "fail", "runtime error"}
    ]
    return "dbt failed:\n" + "\n".join(messages)


def compile_sql(jinja_sql: str, work_dir: Path) -> str:
    """The SQL dbt renders from a snippet calling the project's macros (dbt compile --inline)."""
    result = run_dbt(["compile", "--inline", jinja_sql], work_dir / "compile.duckdb")
    return result.result.results[0].node.compiled_code


# The selectors of selectors.yml. A plain `dbt build` builds MAIN_JOB (the default selector), as
# `make run` does; every build in the tests names one, so none loses nodes silently.
MAIN_JOB = ["--selector", "main_job"]
EVERY_NODE = ["--selector", "every_node"]


def build_warehouse(
    directory: Path, selection: list[str], *, raw_customers_path: Path | None = None
) -> Warehouse:
    """`dbt build` of selection into directory/warehouse.duckdb."""
    directory.mkdir(parents=True, exist_ok=True)
    db_path = directory / "warehouse.duckdb"
    dbt_vars = {"raw_customers_path": str(raw_customers_path)} if raw_customers_path else None
    run_dbt(["build", *selection], db_path, dbt_vars=dbt_vars)
    return Warehouse(db_path)


@pytest.fixture(scope="session")
def seed_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The project built from its bundled seed with every node, unit tests included, once per
    session: the test build."""
    return build_warehouse(tmp_path_factory.mktemp("seed_build"), EVERY_NODE)


@pytest.fixture(scope="session")
def seed_reference() -> pd.DataFrame:
    """The customers mart computed by pandas from the seed file."""
    return reference.customers_mart(reference.read_customers(SEED_CSV))


# One generated file with real signals, shared by every suite that must show a test detects them:
# spend follows income, churn rises with support contacts. Everything else is independent noise.
PLANTED_ROWS = 20_000
PLANTED_EFFECTS = ("spend~income:0.5", "churn~support_contacts:0.3")


@pytest.fixture(scope="session")
def planted_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated customer file with the PLANTED_EFFECTS, seed 42."""
    plants = [generate.parse_plant(text) for text in PLANTED_EFFECTS]
    out = tmp_path_factory.mktemp("planted") / "planted_customers.csv"
    return generate.generate(PLANTED_ROWS, 42, "csv", out, plants)


@pytest.fixture(scope="session")
def planted_warehouse(tmp_path_factory: pytest.TempPathFactory, planted_csv: Path) -> Warehouse:
    """The main job (no unit tests: they give their own fixtures whatever the input) built from
    the planted file, through raw_customers_path, once per session."""
    return build_warehouse(
        tmp_path_factory.mktemp("planted_build"), MAIN_JOB, raw_customers_path=planted_csv
    )


@pytest.fixture(scope="session")
def planted_reference(planted_csv: Path) -> pd.DataFrame:
    """The customers mart computed by pandas from the planted file."""
    return reference.customers_mart(reference.read_customers(planted_csv))


@dataclass(frozen=True)
class HeaderOnlyBuild:
    """The project built from a customer file with a header and no rows."""

    warehouse: Warehouse
    input_path: Path
    warnings: list[str]


@pytest.fixture(scope="session")
def header_only_build(tmp_path_factory: pytest.TempPathFactory) -> HeaderOnlyBuild:
    """The main job's `dbt build` with zero customers, once per session."""
    directory = tmp_path_factory.mktemp("header_only")
    header_only = directory / "header_only.csv"
    header_only.write_text(SEED_CSV.read_text().splitlines()[0] + "\n")
    warnings = MacroWarnings()
    db_path = directory / "warehouse.duckdb"
    run_dbt(
        ["build", *MAIN_JOB],
        db_path,
        dbt_vars={"raw_customers_path": str(header_only)},
        callbacks=[warnings],
    )
    return HeaderOnlyBuild(Warehouse(db_path), header_only, warnings.messages)


# CDNOW's columns as bench/cdnow.yml maps them for dbt, for the pandas reference.
CDNOW_COLUMNS = orders.OrderColumns(
    order_date="date", date_format="%Y%m%d", amount="dollar_value", quantity="number_of_cds"
)


@pytest.fixture(scope="session")
def cdnow_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CDNOW order log shipped with lifetimes, converted as `make cdnow` converts it."""
    return cdnow.convert(tmp_path_factory.mktemp("cdnow") / "cdnow_orders.csv")


@pytest.fixture(scope="session")
def cdnow_warehouse(tmp_path_factory: pytest.TempPathFactory, cdnow_csv: Path) -> Warehouse:
    """The project built from CDNOW with `make cdnow`'s vars (bench/cdnow.yml), once per session,
    on DuckDB only."""
    db_path = tmp_path_factory.mktemp("cdnow_build") / "warehouse.duckdb"
    # The unit tests give their own fixtures whatever the input: the seed build runs them.
    run_dbt(["build", *MAIN_JOB], db_path, dbt_vars=cdnow.dbt_vars(cdnow_csv))
    return Warehouse(db_path)


@pytest.fixture(scope="session")
def cdnow_reference(cdnow_csv: Path) -> pd.DataFrame:
    """CDNOW's customers mart computed by pandas from the order lines (bench/reference/orders.py)
    at the snapshot and window of bench/cdnow.yml."""
    settings = cdnow.dbt_vars(cdnow_csv)
    lines = orders.read_order_lines(cdnow_csv, CDNOW_COLUMNS)
    snapshot = date.fromisoformat(settings["snapshot_date"])
    customers = orders.customers_from_orders(lines, snapshot, settings["churn_window_days"])
    return orders.customers_mart_from_orders(customers)


# Generated order logs (bench/order_log.py): recency and frequency drive churn in each; order
# value does only where its dependence is planted. ~6,000 customers: fast to build, and enough
# that an absent effect is shown negligible and a planted one (point-biserial r about -0.27) is
# an effect.
GENERATED_ORDER_LINES = 60_000
PLANTED_VALUE_DROPOUT = 0.5
GENERATED_ORDER_COLUMNS = pandas_orders.GENERATED_COLUMNS


@dataclass(frozen=True)
class GeneratedOrderLog:
    """A generated order log and its warehouse built with the default vars (window 90 days)."""

    path: Path
    warehouse: Warehouse


def build_generated_order_log(directory: Path, value_dropout: float) -> GeneratedOrderLog:
    path = order_log.write(
        GENERATED_ORDER_LINES, 11, "csv", directory / "orders.csv", value_dropout
    )
    db_path = directory / "warehouse.duckdb"
    # The unit tests give their own fixtures whatever the input: the seed build runs them.
    run_dbt(["build", *MAIN_JOB], db_path, dbt_vars={"raw_orders_path": str(path)})
    return GeneratedOrderLog(path, Warehouse(db_path))


@pytest.fixture(scope="session")
def generated_orders(tmp_path_factory: pytest.TempPathFactory) -> GeneratedOrderLog:
    """A generated order log without planted effects, built once per session."""
    return build_generated_order_log(tmp_path_factory.mktemp("generated_orders"), 0.0)


@pytest.fixture(scope="session")
def value_dropout_orders(tmp_path_factory: pytest.TempPathFactory) -> GeneratedOrderLog:
    """The same log with customers who spend more per order staying longer, built once."""
    return build_generated_order_log(
        tmp_path_factory.mktemp("value_dropout_orders"), PLANTED_VALUE_DROPOUT
    )


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """../shared/data beside the project; tests that need it skip cleanly without it."""
    if not SHARED_DATA_DIR.is_dir():
        pytest.skip(f"{SHARED_DATA_DIR} is absent: clone the project beside ../shared to run this")
    return SHARED_DATA_DIR


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Under RETAIL_CHURN_REQUIRE_ALL=1 (CI) a skipped test is a failed one. A strict xfail is
    not a skip: it ran, failed as its marker says, and turns red the day it passes."""
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped, but RETAIL_CHURN_REQUIRE_ALL=1 forbids skips: {reason}"
