"""The Spark benchmark: the project built on Spark (pyspark local mode) from generated customers,
beside DuckDB's build of the same file in the same run.

    python -m bench.spark --rows 1000000,10000000 --cores 1,2   (`make bench ENGINE=spark`)

For each size it reads the cached Parquet file of bench.run (written once under
data/generated/) through `raw_customers_path` and measures `dbt build` of the seeds, every model
and the singular tests (generic and unit tests check the same SQL on DuckDB; on Spark each is a
job of its own, as in the engine tests): once on DuckDB, then on Spark with `local[N]` for each
core count, each build in a process of its own with a fresh warehouse. Wall seconds, CPU
seconds and peak memory are of the whole process tree, the JVM included (sampled, since the JVM
is not a child that dbt waits for). At the size named by --compare-rows it also reads every mart
back from both builds and compares them cell by cell (tests/engines/relations.py). The results
replace the Spark section of bench/results.md and are printed.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

from bench.results_file import SPARK_SECTION, with_section
from bench.run import (
    DBT,
    PROJECT_DIR,
    RESULTS,
    Measurement,
    customer_file,
    load,
    machine,
    parse_rows,
    verdict,
)

# What the Spark build runs, as the engine tests run it (tests/engines/conftest.py).
BUILD_SELECTION = ["--exclude", "test_type:generic", "test_type:unit"]
SLOWEST_MODELS = 5
SAMPLE_SECONDS = 0.2
SPARK_SCHEMA = "retail_churn"


@dataclass(frozen=True)
class Build:
    engine: str
    rows: int
    measurement: Measurement
    slowest_models: list[tuple[str, float]]


class TreeSampler:
    """Peak resident memory (summed over a process and all its descendants) and CPU seconds of
    every process of the tree, sampled while the command runs."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak_rss = 0
        self.cpu_by_pid: dict[int, float] = {}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.sample_until_stopped, daemon=True)

    def sample_until_stopped(self) -> None:
        while not self.stopped.wait(SAMPLE_SECONDS):
            self.sample()

    def sample(self) -> None:
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        rss = 0
        for process in processes:
            try:
                rss += process.memory_info().rss
                times = process.cpu_times()
                self.cpu_by_pid[process.pid] = times.user + times.system
            except psutil.NoSuchProcess:
                continue
        self.peak_rss = max(self.peak_rss, rss)

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu_by_pid.values())


def measure_tree(command: Sequence[str | Path], env: dict[str, str], log: Path) -> Measurement:
    """Runs command (its output to log) and measures its whole process tree; stops the
    benchmark, pointing at the log, when it fails."""
    start = time.perf_counter()
    with log.open("w") as output:
        process = subprocess.Popen(
            list(map(str, command)),
            cwd=PROJECT_DIR,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        sampler = TreeSampler(process.pid)
        sampler.thread.start()
        returncode = process.wait()
        sampler.stopped.set()
        sampler.thread.join()
    seconds = time.perf_counter() - start
    if returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(map(str, command))}\nsee {log}")
    return Measurement(seconds, sampler.cpu_seconds, sampler.peak_rss / 1024**2)


def slowest_models(target_dir: Path) -> list[tuple[str, float]]:
    """The slowest models of the last dbt command in target_dir, from run_results.json."""
    results = json.loads((target_dir / "run_results.json").read_text())["results"]
    models = [
        (result["unique_id"].split(".")[-1], result["execution_time"])
        for result in results
        if result["unique_id"].startswith("model.")
    ]
    return sorted(models, key=lambda model: -model[1])[:SLOWEST_MODELS]


def spark_environment(work_dir: Path, cores: int) -> dict[str, str]:
    """The spark target of profiles.yml on `local[cores]`, with a fresh warehouse and scratch
    folder; every other setting is the profile's default."""
    return {
        "RETAIL_CHURN_SPARK_MASTER": f"local[{cores}]",
        "RETAIL_CHURN_SPARK_DIR": str(work_dir / "spark"),
        "RETAIL_CHURN_SPARK_LOCAL_DIR": str(work_dir / "spark_tmp"),
        "RETAIL_CHURN_SPARK_SCHEMA": SPARK_SCHEMA,
    }


def build(engine: str, rows: int, path: Path, work_dir: Path) -> Build:
    """dbt build of BUILD_SELECTION from path on engine ('duckdb' or 'spark local[N]')."""
    work_dir.mkdir(parents=True)
    if engine == "duckdb":
        target, env = "duckdb", {"RETAIL_CHURN_DB": str(work_dir / "warehouse.duckdb")}
    else:
        cores = int(engine.split("[")[1].rstrip("]"))
        target, env = "spark", spark_environment(work_dir, cores)
    command = [
        DBT,
        "build",
        *BUILD_SELECTION,
        "--target",
        target,
        "--target-path",
        work_dir / "target",
        "--log-path",
        work_dir / "logs",
        "--vars",
        json.dumps({"raw_customers_path": str(path)}),
    ]
    print(f"{rows:,} customers: {engine} ...", file=sys.stderr)
    measurement = measure_tree(command, env, work_dir / "build.log")
    return Build(engine, rows, measurement, slowest_models(work_dir / "target"))


def mart_names(target_dir: Path) -> list[str]:
    """Every table the build made from models/marts/, from dbt's manifest."""
    manifest = json.loads((target_dir / "manifest.json").read_text())
    return sorted(
        node["alias"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/marts/")
    )


def compare_marts(duckdb_dir: Path, spark_dir: Path) -> list[str]:
    """Every difference between the marts of the two builds (tests/engines/relations.py),
    read from the DuckDB file and from the Spark warehouse (its metastore, now unlocked)."""
    import duckdb
    from pyspark.sql import SparkSession

    from tests.engines.relations import build_differences

    names = mart_names(duckdb_dir / "target")
    with duckdb.connect(str(duckdb_dir / "warehouse.duckdb"), read_only=True) as connection:
        expected = {name: connection.table(name).df() for name in names}
    warehouse = spark_dir / "spark"
    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={warehouse}/metastore_db;create=false",
        )
        .config("spark.sql.catalogImplementation", "hive")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    try:
        got = {name: session.table(f"{SPARK_SCHEMA}.{name}").toPandas() for name in names}
    finally:
        session.stop()
    return build_differences(expected, got)


def growth(builds: dict[tuple[str, int], Build], engine: str, small: int, large: int) -> float:
    return builds[engine, large].measurement.seconds / builds[engine, small].measurement.seconds


def report(builds: list[Build], comparison: tuple[int, list[str]] | None, load_before: str) -> str:
    """The Spark section of bench/results.md."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        SPARK_SECTION,
        "",
        f"Measured {now} by `make bench ENGINE=spark` on {machine()}; load average "
        f"(1/5/15 min) {load_before} before, {load()} after. `dbt build` of the seeds, every "
        "model and the singular tests (generic and unit tests left out, as in the engine "
        "tests) from the generated Parquet file through `raw_customers_path`, each build in a "
        "fresh warehouse, Spark with the profile's defaults but for `local[N]`. s: wall "
        "seconds; CPU s: user + system seconds; MiB: peak resident memory; all three of the "
        "whole process tree, the JVM included. What they mean: "
        "[docs/scale.md](../docs/scale.md#spark), whose table is copied from this one.",
        "",
        "| customers | engine | s | CPU s | MiB | slowest models (s) |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for result in builds:
        m = result.measurement
        slowest = ", ".join(f"{name} {seconds:.0f}" for name, seconds in result.slowest_models)
        lines.append(
            f"| {result.rows:,} | {result.engine} | {m.seconds:.1f} | {m.cpu_seconds:.1f} "
            f"| {m.peak_rss_mib:,.0f} | {slowest} |"
        )
    if comparison is not None:
        rows, problems = comparison
        outcome = (
            "every mart equal, cell by cell"
            if not problems
            else f"{len(problems)} differences: " + "; ".join(problems[:5])
        )
        lines += ["", f"Marts of Spark local[2] against DuckDB at {rows:,} customers: {outcome}."]
    by_key = {(result.engine, result.rows): result for result in builds}
    sizes = sorted({result.rows for result in builds})
    lines += ["", "Targets:", ""]
    largest = sizes[-1]
    if ("spark local[2]", largest) in by_key:
        seconds = by_key["spark local[2]", largest].measurement.seconds
        lines.append(
            f"- {largest:,} customers on Spark local[2] in at most 10 minutes: {seconds:.0f} s, "
            f"{verdict(seconds <= 600)}."
        )
    if len(sizes) > 1 and all(("spark local[2]", rows) in by_key for rows in sizes[-2:]):
        ratio = growth(by_key, "spark local[2]", sizes[-2], largest)
        factor = largest / sizes[-2]
        lines.append(
            f"- {sizes[-2]:,} -> {largest:,} on Spark local[2] costs at most {factor:.0f}x: "
            f"{ratio:.1f}x, {verdict(ratio <= factor)}."
        )
    for rows in sizes:
        if ("spark local[1]", rows) in by_key and ("spark local[2]", rows) in by_key:
            speedup = (
                by_key["spark local[1]", rows].measurement.seconds
                / by_key["spark local[2]", rows].measurement.seconds
            )
            lines.append(
                f"- local[1] -> local[2] at {rows:,} at least 1.6x faster: {speedup:.2f}x, "
                f"{verdict(speedup >= 1.6)}."
            )
    return "\n".join([*lines, ""])


def parse_cores(text: str) -> list[int]:
    try:
        cores = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"comma-separated core counts, got {text!r}") from None
    if not cores or cores[0] < 1:
        raise argparse.ArgumentTypeError(f"core counts must be 1 or more, got {text!r}")
    return cores


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.spark", description=__doc__)
    parser.add_argument("--rows", type=parse_rows, default=parse_rows("1000000,10000000"))
    parser.add_argument("--cores", type=parse_cores, default=parse_cores("1,2"))
    parser.add_argument(
        "--compare-rows", type=int, default=1_000_000, help="compare the marts at this size"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"default {RESULTS}")
    args = parser.parse_args(argv)
    load_before = load()
    builds: list[Build] = []
    comparison = None
    with tempfile.TemporaryDirectory(prefix="retail_churn_bench_spark_") as scratch:
        for rows in args.rows:
            path = customer_file(rows)
            duckdb_dir = Path(scratch) / f"duckdb_{rows}"
            builds.append(build("duckdb", rows, path, duckdb_dir))
            for cores in args.cores:
                engine = f"spark local[{cores}]"
                spark_dir = Path(scratch) / f"spark_{rows}_{cores}"
                builds.append(build(engine, rows, path, spark_dir))
                if rows == args.compare_rows and cores == max(args.cores):
                    print(f"{rows:,} customers: comparing marts ...", file=sys.stderr)
                    comparison = (rows, compare_marts(duckdb_dir, spark_dir))
            # written after every size, so a long run keeps what it has
            section = report(builds, comparison, load_before)
            existing = args.out.read_text() if args.out.exists() else ""
            args.out.write_text(with_section(existing, SPARK_SECTION, section))
    print(report(builds, comparison, load_before))


if __name__ == "__main__":
    main()
