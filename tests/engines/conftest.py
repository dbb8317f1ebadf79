"""The project built from its seed on PostgreSQL and on Spark, once per session each, beside the
DuckDB build (`seed_warehouse`) it must equal.

PostgreSQL: a throwaway cluster (initdb + pg_ctl) in a temporary directory on a free loopback
port, stopped and deleted at the end of the session. Spark: pyspark local mode inside this
process (dbt-spark's `session` method), so the JVM starts once and the tests read the tables
from the same SparkSession. Without a PostgreSQL server or Java the suite skips with one line
naming the Debian package to install (a failure under RETAIL_CHURN_REQUIRE_ALL=1).
"""

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from conftest import SEED_CSV, Warehouse
from engines.engine import Build, Engine, built_relation_names, node_statuses
from engines.order_log import build_order_log, write_order_log

PG_SCHEMA = "retail_churn"
PG_DATABASE = "retail_churn"
PG_USER = "postgres"
SPARK_SCHEMA = "retail_churn"
# The order-log path builds beside the seed build, in a schema of its own.
ORDER_LOG_SCHEMA = "retail_churn_orders"
# Each test is a Spark job of one to thirty seconds: the 200 generic data tests and 25 unit tests
# alone would take the suite past ten minutes. They check the same SQL on DuckDB and PostgreSQL;
# on Spark the seeds, every model and the singular tests (the statistics macros against hand
# computations, the cross-engine checks) run, and every relation is compared with DuckDB's.
SPARK_BUILD_EXCLUDE = ("test_type:generic", "test_type:unit")
BUILD_TIMES = pytest.StashKey[dict[str, float]]()


def missing_programs() -> dict[str, str]:
    """Fixture name -> why its engine cannot run here, naming the Debian package to install."""
    missing = {}
    if postgres_bin_dir() is None:
        missing["postgres_server"] = (
            "PostgreSQL server not found: install the Debian package postgresql"
        )
    if not java_found():
        missing["spark_engine"] = (
            "Java not found, Spark needs it: install the Debian package openjdk-17-jre-headless"
        )
    return missing


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skips the tests of an engine whose program is missing, with one line for all of them."""
    missing = missing_programs()
    for item in items:
        for fixture, reason in missing.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.skip(reason=reason))


def record_build_time(config: pytest.Config, build: Build, name: str | None = None) -> None:
    config.stash.setdefault(BUILD_TIMES, {})[name or build.target] = build.seconds


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """One line with each engine's build time, for the README and the CI log."""
    times = config.stash.get(BUILD_TIMES, {})
    if times:
        measured = ", ".join(f"{target} {seconds:.1f} s" for target, seconds in times.items())
        terminalreporter.write_line(f"engine builds (dbt build): {measured}")


@pytest.fixture(scope="session")
def duckdb_build(seed_warehouse: Warehouse) -> Build:
    """The default DuckDB build of the session, as a Build to compare the other engines with."""
    target_dir = seed_warehouse.path.parent / "target"
    return Build(
        target="duckdb",
        seconds=float("nan"),
        node_statuses=node_statuses(target_dir),
        relations={name: seed_warehouse.table(name) for name in built_relation_names(target_dir)},
    )


@pytest.fixture(scope="session")
def duckdb_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The default target on a scratch database, for what the build fixture does not cover."""
    return Engine("duckdb", tmp_path_factory.mktemp("duckdb_engine"), {})


@pytest.fixture(scope="session")
def seed_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's customers as a typed Parquet file (pandas' types: int64, float64, bool, str)."""
    path = tmp_path_factory.mktemp("seed_parquet") / "raw_customers.parquet"
    pd.read_csv(SEED_CSV).to_parquet(path, index=False)
    return path


# --- PostgreSQL ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostgresServer:
    port: int

    def connect(self, database: str = PG_DATABASE) -> object:
        import psycopg2

        return psycopg2.connect(host="127.0.0.1", port=self.port, user=PG_USER, dbname=database)


def postgres_bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: Debian keeps them out of PATH, one folder per version."""
    found = Path("/usr/lib/postgresql").glob("*/bin/initdb")
    versions = sorted(
        found, key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0
    )
    if versions:
        return versions[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_cluster_owner(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: as root, run them as the postgres user."""
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        pytest.fail("running as root needs runuser (util-linux) to start PostgreSQL as postgres")
    return ["runuser", "-u", PG_USER, "--", *command]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL cluster on a free loopback port, for this session only."""
    bin_dir = postgres_bin_dir()
    # Not under pytest's temporary root: that is private to this user, and the server may run
    # as the postgres user.
    directory = Path(tempfile.mkdtemp(prefix="retail-churn-pg-"))
    data_dir = directory / "data"
    pg_ctl = [str(bin_dir / "pg_ctl"), "--pgdata", str(data_dir)]
    port = free_loopback_port()
    settings = (
        f"-p {port} -k {directory} -c listen_addresses=127.0.0.1"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    try:
        if os.geteuid() == 0:
            shutil.chown(directory, user=PG_USER)
        # C collation: text sorts by code point, as in DuckDB and Spark.
        initdb = [str(bin_dir / "initdb"), "--pgdata", str(data_dir), "--username", PG_USER]
        run_as_cluster_owner(
            [*initdb, "--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-sync"]
        )
        log = str(directory / "server.log")
        run_as_cluster_owner([*pg_ctl, "--log", log, "--options", settings, "--wait", "start"])
        server = PostgresServer(port)
        connection = server.connect("postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"create database {PG_DATABASE}")
        connection.close()
        yield server
    finally:
        if (data_dir / "postmaster.pid").exists():
            run_as_cluster_owner([*pg_ctl, "--mode", "immediate", "stop"])
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def server_readable_directory(prefix: str) -> Iterator[Path]:
    """A directory the PostgreSQL server can read files in for COPY: the clone may sit in a
    directory private to this user (mktemp -d), and the server runs as the postgres user."""
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        directory.chmod(0o755)
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def server_readable_seed_csv() -> Iterator[Path]:
    """A copy of the seed where the PostgreSQL server can read it."""
    with server_readable_directory("retail-churn-pg-input-") as directory:
        copy = directory / SEED_CSV.name
        shutil.copyfile(SEED_CSV, copy)
        copy.chmod(0o644)
        yield copy


@pytest.fixture(scope="session")
def order_log_csv() -> Iterator[Path]:
    """The small order log of engines/order_log.py, where every engine (PostgreSQL's server
    too) can read it."""
    with server_readable_directory("retail-churn-order-log-") as directory:
        yield write_order_log(directory / "orders.csv")


@pytest.fixture(scope="session")
def duckdb_order_log_build(tmp_path_factory: pytest.TempPathFactory, order_log_csv: Path) -> Build:
    """The order-log path built on DuckDB, the build the other engines must equal."""
    engine = Engine("duckdb", tmp_path_factory.mktemp("duckdb_order_log"), {})
    warehouse = Warehouse(engine.work_dir / "order_log" / "warehouse.duckdb")
    return build_order_log(engine, order_log_csv, warehouse.table)


def run_as_cluster_owner(command: list[str]) -> None:
    """Runs initdb or pg_ctl (as the postgres user when root); fails with what it printed."""
    finished = subprocess.run(as_cluster_owner(command), capture_output=True, text=True)
    if finished.returncode != 0:
        pytest.fail(f"{Path(command[0]).name} failed:\n{finished.stdout}{finished.stderr}")


@pytest.fixture(scope="session")
def postgres_engine(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Engine:
    """The `postgres` target pointed at the throwaway cluster."""
    environment = {
        "RETAIL_CHURN_PG_HOST": "127.0.0.1",
        "RETAIL_CHURN_PG_PORT": str(postgres_server.port),
        "RETAIL_CHURN_PG_USER": PG_USER,
        "RETAIL_CHURN_PG_PASSWORD": "",
        "RETAIL_CHURN_PG_DBNAME": PG_DATABASE,
        "RETAIL_CHURN_PG_SCHEMA": PG_SCHEMA,
    }
    return Engine("postgres", tmp_path_factory.mktemp("postgres_build"), environment)


def postgres_reader(connection: object, schema: str) -> Callable[[str], pd.DataFrame]:
    """Reads a relation of schema through connection (autocommit, so no read holds a lock that
    blocks a later dbt command's DDL)."""

    def read_relation(name: str) -> pd.DataFrame:
        with connection.cursor() as cursor:
            cursor.execute(f'select * from {schema}."{name}"')
            columns = [column.name for column in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=columns, dtype=object)

    return read_relation


@pytest.fixture(scope="session")
def postgres_connection(postgres_server: PostgresServer) -> Iterator[object]:
    connection = postgres_server.connect()
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()


@pytest.fixture(scope="session")
def postgres_build(
    request: pytest.FixtureRequest, postgres_connection: object, postgres_engine: Engine
) -> Build:
    """The project built on the throwaway cluster by `dbt build --target postgres`."""
    build = postgres_engine.build(postgres_reader(postgres_connection, PG_SCHEMA))
    record_build_time(request.config, build)
    return build


@pytest.fixture(scope="session")
def postgres_order_log_build(
    request: pytest.FixtureRequest,
    postgres_connection: object,
    postgres_engine: Engine,
    order_log_csv: Path,
) -> Build:
    """The order-log path on the throwaway cluster, in a schema of its own."""
    build = build_order_log(
        postgres_engine,
        order_log_csv,
        postgres_reader(postgres_connection, ORDER_LOG_SCHEMA),
        ("RETAIL_CHURN_PG_SCHEMA", ORDER_LOG_SCHEMA),
    )
    record_build_time(request.config, build, "postgres order log")
    return build


# --- Spark -----------------------------------------------------------------------------------


def java_found() -> bool:
    java_home = os.environ.get("JAVA_HOME")
    return bool(java_home and (Path(java_home) / "bin" / "java").exists()) or bool(
        shutil.which("java")
    )


@pytest.fixture(scope="session")
def spark_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The `spark` target in this process; its SparkSession is stopped at the end."""
    if not java_found():
        pytest.skip(
            "Java not found, Spark needs it: install the Debian package openjdk-17-jre-headless"
        )
    from pyspark.sql import SparkSession

    work_dir = tmp_path_factory.mktemp("spark_build")
    environment = {
        "RETAIL_CHURN_SPARK_DIR": str(work_dir / "spark"),
        "RETAIL_CHURN_SPARK_SCHEMA": SPARK_SCHEMA,
        # 1,000 rows: interpreting expressions beats compiling them (profiles.yml).
        "RETAIL_CHURN_SPARK_CODEGEN": "false",
    }
    try:
        yield Engine("spark", work_dir, environment, build_exclude=SPARK_BUILD_EXCLUDE)
    finally:
        # dbt-spark's session, if it started one: getActiveSession is per thread.
        session = SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()
        session.stop()


def read_spark_relation(schema: str) -> Callable[[str], pd.DataFrame]:
    """Reads a relation of schema from the SparkSession dbt-spark created (getOrCreate returns
    it rather than starting another)."""
    from pyspark.sql import SparkSession

    def read_relation(name: str) -> pd.DataFrame:
        table = SparkSession.builder.getOrCreate().table(f"{schema}.{name}")
        return pd.DataFrame(table.collect(), columns=table.columns, dtype=object)

    return read_relation


@pytest.fixture(scope="session")
def spark_build(request: pytest.FixtureRequest, spark_engine: Engine) -> Build:
    """The project built by `dbt build --target spark`, read back from the same SparkSession."""
    build = spark_engine.build(read_spark_relation(SPARK_SCHEMA))
    record_build_time(request.config, build)
    return build


@pytest.fixture(scope="session")
def spark_order_log_build(
    request: pytest.FixtureRequest, spark_engine: Engine, order_log_csv: Path
) -> Build:
    """The order-log path in the same SparkSession, in a schema of its own."""
    build = build_order_log(
        spark_engine,
        order_log_csv,
        read_spark_relation(ORDER_LOG_SCHEMA),
        ("RETAIL_CHURN_SPARK_SCHEMA", ORDER_LOG_SCHEMA),
    )
    record_build_time(request.config, build, "spark order log")
    return build
