"""The order-log benchmark: the warehouse against polars, pandas and a bare DuckDB scan, per log.

    python -m bench.run_orders --lines 1000000,10000000,100000000   (what `make bench` runs)

For each size it writes (once; cached under data/generated/) a Parquet order log with
`bench.generate --order-log` (seed 0), then measures, one after the other in the same run, each
in a process of its own (bench.measure: wall and CPU seconds, peak resident memory):

- warehouse: `dbt build` of the main job (every model and data test, no unit tests) from the
  log through the `raw_orders_path` var into a fresh DuckDB file, three times in one folder
  alternating with polars, as bench.run measures the customer main job: the first build parses
  the project, the next two find dbt's saved parse (partial parsing), as a build that runs every
  night does; the medians count. From the last build's run_results.json every node's seconds:
  the slowest, and what deriving the customers from the staged lines costs (DERIVING_MODELS
  against all nodes), and with reading and staging the lines (STAGING_MODELS) as well; then
  the deriving models' compiled queries once more, alone, on the built warehouse: their CPU
  seconds against the whole build's;
- polars: bench.polars_orders, the same customers, churn marts and cohort retention, after
  each build;
- floor: the file loaded into a DuckDB table, the least any build must do;
- pandas: bench.pandas_orders, the reference pytest compares both with.

polars and pandas run under a resident-memory limit (--max-memory-gib, default 14 of the
machine's shared 24 GiB) and pandas also under a CPU-time limit (--pandas-cpu-limit): a run that
passes either stops, and the table says so with what it had used by then. The results go to the
order-log section of bench/results.md (bench.run writes the rest of that file and keeps this
section) and to stdout; docs/scale.md explains them.
"""

import argparse
import datetime
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from bench import order_log
from bench.generate import DEFAULT_OUT_DIR
from bench.results_file import ORDER_LOG_SECTION, with_section
from bench.run import (
    FLOOR_SCRIPT,
    PROJECT_DIR,
    PYTHON,
    RESULTS,
    Measurement,
    dbt_build,
    load,
    machine,
    measure,
    median_run,
    parse_rows,
    verdict,
)

SEED = 0
DEFAULT_LINES = "1000000,10000000,100000000"
SLOWEST_NODES = 8
# The memory the issue allows pandas (and all this machine has).
MACHINE_GIB = 24
# Builds of the warehouse, each followed by polars: the medians count (as in bench.run).
RUNS = 3
# The models that read the order log into staged lines: parsing, quarantine, staging.
STAGING_MODELS = ["base_orders", "stg_orders", "order_rejects"]
# The models that derive the customers from the staged lines: the snapshot date, the customers.
DERIVING_MODELS = ["int_snapshot", "int_customers_from_orders"]
# The deriving models' compiled queries, in order, run alone on the built warehouse (each into a
# temporary table, under the profile's memory limit): what deriving costs in CPU seconds, free of
# the other models that share the cores with it during the build.
DERIVING_ALONE_SCRIPT = """
import sys, duckdb
with duckdb.connect(sys.argv[1]) as connection:
    connection.execute("set memory_limit = '14GB'")
    for number, path in enumerate(sys.argv[2:]):
        with open(path) as compiled:
            connection.execute(f"create temporary table derived_{number} as ({compiled.read()})")
"""
# Runs a module as `python -m` does, watched by a thread that ends the process (exit code
# MEMORY_EXIT) as soon as its resident memory passes the limit, and under a CPU-time limit
# (SIGXCPU): past them it stops instead of taking the memory other jobs on the machine need.
# Resident, not virtual, memory: polars and pandas reserve far more address space than they
# touch, so an address-space limit (RLIMIT_AS) stops them long before memory runs out.
MEMORY_EXIT = 86
CAPPED_SCRIPT = """
import os, resource, runpy, sys, threading, time
limit_bytes, cpu_seconds, exit_code = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
if cpu_seconds:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 10))
page_bytes = os.sysconf("SC_PAGE_SIZE")

def watch():
    while True:
        with open("/proc/self/statm") as statm:
            if int(statm.read().split()[1]) * page_bytes > limit_bytes:
                print("resident memory passed the limit", file=sys.stderr, flush=True)
                os._exit(exit_code)
        time.sleep(0.2)

threading.Thread(target=watch, daemon=True).start()
sys.argv = sys.argv[4:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


@dataclass(frozen=True)
class Attempt:
    """A measurement of a run that may have stopped at its limits (failure says why)."""

    measurement: Measurement
    failure: str | None = None


@dataclass(frozen=True)
class LogResult:
    lines: int
    customers: int
    warehouse: Measurement
    polars: Attempt
    pandas: Attempt
    floor: Measurement
    node_seconds: list[tuple[str, float]]
    deriving_alone: Measurement
    # every build and polars run, in order, of which warehouse and polars are the medians
    warehouse_runs: tuple[Measurement, ...] = ()
    polars_runs: tuple[Attempt, ...] = ()

    @property
    def deriving_cpu_share(self) -> float:
        """The deriving queries' CPU seconds, run alone, against the whole build's."""
        return self.deriving_alone.cpu_seconds / self.warehouse.cpu_seconds

    def seconds_of(self, models: list[str]) -> float:
        return sum(seconds for node, seconds in self.node_seconds if node_name(node) in models)

    @property
    def node_total(self) -> float:
        """Every node's seconds, summed over dbt's threads."""
        return sum(seconds for _, seconds in self.node_seconds)

    @property
    def deriving_seconds(self) -> float:
        return self.seconds_of(DERIVING_MODELS)

    @property
    def deriving_share(self) -> float:
        return self.deriving_seconds / self.node_total

    @property
    def reading_and_deriving_share(self) -> float:
        return self.seconds_of(STAGING_MODELS + DERIVING_MODELS) / self.node_total


def node_name(unique_id: str) -> str:
    return unique_id.split(".")[-1] if unique_id.startswith("model.") else unique_id


def log_file(lines: int) -> Path:
    path = DEFAULT_OUT_DIR / order_log.default_name(lines, SEED, "parquet", 0.0)
    if not path.exists():
        print(f"generating {path.name} ...", file=sys.stderr)
        order_log.write(lines, SEED, "parquet", path, progress=True)
    return path


def measure_capped(module: str, path: Path, memory_gib: float, cpu_seconds: int) -> Attempt:
    """`python -m module path` under the limits, measured; a failure is kept, not raised."""
    command = [
        PYTHON,
        "-m",
        "bench.measure",
        "--",
        PYTHON,
        "-c",
        CAPPED_SCRIPT,
        str(int(memory_gib * 1024**3)),
        str(cpu_seconds),
        str(MEMORY_EXIT),
        module,
        str(path),
    ]
    result = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, check=False)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    measurement = Measurement(report["seconds"], report["cpu_seconds"], report["peak_rss_mib"])
    if report["rc"] == 0:
        return Attempt(measurement)
    last_line = (result.stderr.strip().splitlines() or ["no message"])[-1]
    if report["rc"] in (-24, 128 + 24) or "SIGXCPU" in result.stderr:
        reason = f"stopped at the {cpu_seconds} CPU s limit"
    elif report["rc"] == MEMORY_EXIT or "MemoryError" in result.stderr:
        reason = f"stopped at the {memory_gib:g} GiB resident-memory limit"
    else:
        reason = f"failed (exit {report['rc']}): {last_line[:200]}"
    print(f"  {module}: {reason}", file=sys.stderr)
    return Attempt(measurement, reason)


def customer_count(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql("select count(*) from customers").fetchall()[0][0]


def measure_deriving_alone(work_dir: Path) -> Measurement:
    """The deriving models' compiled queries run alone on the built warehouse: the median of RUNS
    runs, as the builds are (one run of the same queries varied by a sixth between benchmarks)."""
    compiled = work_dir / "target" / "compiled" / "retail_churn" / "models" / "intermediate"
    queries = [compiled / f"{model}.sql" for model in DERIVING_MODELS]
    command = [PYTHON, "-c", DERIVING_ALONE_SCRIPT, work_dir / "warehouse.duckdb", *queries]
    return median_run([measure(command) for _ in range(RUNS)])


def median_attempt(attempts: Sequence[Attempt]) -> Attempt:
    """The median of runs that all finished, else the first that did not."""
    failed = [attempt for attempt in attempts if attempt.failure is not None]
    return failed[0] if failed else Attempt(median_run([a.measurement for a in attempts]))


def measure_log(lines: int, scratch: Path, memory_gib: float, pandas_cpu_seconds: int) -> LogResult:
    path = log_file(lines)
    work_dir = scratch / f"orders_{lines}"
    builds, polars_runs = [], []
    for run in range(1, RUNS + 1):
        print(f"{lines:,} order lines: build {run} of {RUNS}, then polars ...", file=sys.stderr)
        (work_dir / "warehouse.duckdb").unlink(missing_ok=True)  # a new file each time
        build, nodes = dbt_build(work_dir, PROJECT_DIR, {"raw_orders_path": str(path)})
        builds.append(build)
        polars_runs.append(measure_capped("bench.polars_orders", path, memory_gib, 0))
    customers = customer_count(work_dir / "warehouse.duckdb")
    print(f"{lines:,} order lines: deriving alone ...", file=sys.stderr)
    deriving_alone = measure_deriving_alone(work_dir)
    (work_dir / "warehouse.duckdb").unlink()  # gigabytes at 100M lines
    print(f"{lines:,} order lines: floor ...", file=sys.stderr)
    floor_db = scratch / f"floor_orders_{lines}.duckdb"
    floor = measure([PYTHON, "-c", FLOOR_SCRIPT, path, floor_db])
    floor_db.unlink()
    print(f"{lines:,} order lines: pandas ...", file=sys.stderr)
    pandas = measure_capped("bench.pandas_orders", path, memory_gib, pandas_cpu_seconds)
    return LogResult(
        lines,
        customers,
        median_run(builds),
        median_attempt(polars_runs),
        pandas,
        floor,
        nodes,
        deriving_alone,
        tuple(builds),
        tuple(polars_runs),
    )


def seconds_cell(attempt: Attempt, field: str = "seconds") -> str:
    value = getattr(attempt.measurement, field)
    return f"{value:.1f}" if attempt.failure is None else f"({value:.0f}, did not finish)"


def mib_cell(attempt: Attempt) -> str:
    peak = attempt.measurement.peak_rss_mib
    return f"{peak:,.0f}" if attempt.failure is None else f"({peak:,.0f}, did not finish)"


def times_cell(attempt: Attempt, warehouse: Measurement) -> str:
    """attempt's wall time over the warehouse's; a lower bound when it did not finish."""
    ratio = attempt.measurement.seconds / warehouse.seconds
    return f"{ratio:.2f}" if attempt.failure is None else f"> {ratio:.2f}"


def pandas_memory_estimate(results: list[LogResult]) -> str:
    """Whether pandas could finish the largest log within the machine's memory, estimated from
    the two largest logs it finished: their peaks continued in a straight line (pandas holds
    every line in memory, so each line adds to the peak)."""
    largest = results[-1]
    finished = [result for result in results[:-1] if result.pandas.failure is None]
    if len(finished) < 2:
        return "Fewer than two smaller logs finished to estimate from: not decided."
    smaller, known = finished[-2], finished[-1]
    small_mib, known_mib = (r.pandas.measurement.peak_rss_mib for r in (smaller, known))
    mib_per_million = (known_mib - small_mib) / (known.lines - smaller.lines) * 1e6
    estimate_gib = (known_mib + mib_per_million * (largest.lines - known.lines) / 1e6) / 1024
    return (
        f"It peaked at {small_mib:,.0f} MiB at {smaller.lines:,} lines and {known_mib:,.0f} MiB "
        f"at {known.lines:,} ({mib_per_million:,.0f} MiB more per million lines); continued, "
        f"{largest.lines:,} lines need {estimate_gib:.0f} GiB: pandas cannot finish within "
        f"{MACHINE_GIB} GiB, {verdict(estimate_gib > MACHINE_GIB)} (an estimate, not a run: "
        f"the machine has {MACHINE_GIB} GiB in all)."
    )


def targets(results: list[LogResult]) -> list[str]:
    """The issue's targets at the largest log, and from 10M to 100M lines."""
    largest = results[-1]
    w, polars, pandas = largest.warehouse, largest.polars, largest.pandas
    size = f"{largest.lines:,} lines"
    lines = []
    if polars.failure is None:
        polars_seconds = polars.measurement.seconds
        lines.append(
            f"- {size}, no slower than polars: {w.seconds:.1f} s against {polars_seconds:.1f} s, "
            f"{verdict(w.seconds <= polars_seconds)} "
            f"(CPU {w.cpu_seconds:.0f} s against {polars.measurement.cpu_seconds:.0f} s)."
        )
    else:
        lines.append(f"- {size}, no slower than polars: met, polars {polars.failure}.")
    pandas_seconds = pandas.measurement.seconds
    if pandas.failure is None:
        lines.append(
            f"- {size}, at least 3x faster than pandas: {pandas_seconds / w.seconds:.1f}x, "
            f"{verdict(pandas_seconds >= 3 * w.seconds)}."
        )
    else:
        lines.append(
            f"- {size}, at least 3x faster than pandas, or pandas cannot finish within "
            f"{MACHINE_GIB} GiB: pandas {pandas.failure} after {pandas_seconds:.0f} s "
            f"({pandas.measurement.peak_rss_mib:,.0f} MiB). {pandas_memory_estimate(results)}"
        )
    others = [
        (name, attempt.measurement.peak_rss_mib)
        for name, attempt in (("polars", polars), ("pandas", pandas))
        if attempt.failure is None
    ]
    lines.append(
        f"- {size}, peak memory no more than either: {w.peak_rss_mib:,.0f} MiB against "
        + ", ".join(f"{name} {mib:,.0f} MiB" for name, mib in others)
        + (" (pandas did not finish)" if pandas.failure else "")
        + f", {verdict(all(w.peak_rss_mib <= mib for _, mib in others))}."
    )
    alone = largest.deriving_alone
    lines.append(
        f"- {size}, deriving the customers from the staged lines at most a third of the build: "
        f"its queries run alone take {alone.cpu_seconds:.1f} of the build's "
        f"{w.cpu_seconds:.1f} CPU s ({100 * largest.deriving_cpu_share:.0f}%), "
        f"{verdict(largest.deriving_cpu_share <= 1 / 3)}. In the build's node seconds, which "
        "count the waits of models sharing the cores: "
        f"{largest.deriving_seconds:.1f} of {largest.node_total:.1f} "
        f"({100 * largest.deriving_share:.0f}%), "
        f"{100 * largest.reading_and_deriving_share:.0f}% with reading, checking and staging "
        "the lines as well."
    )
    by_lines = {result.lines: result for result in results}
    if 10_000_000 in by_lines and 100_000_000 in by_lines:
        small, large = by_lines[10_000_000].warehouse, by_lines[100_000_000].warehouse
        growth = large.seconds / small.seconds
        lines.append(
            f"- 10M -> 100M lines at most 10x: wall {growth:.1f}x, {verdict(growth <= 10)} "
            f"(CPU {large.cpu_seconds / small.cpu_seconds:.1f}x)."
        )
    return lines


def section(results: list[LogResult], load_before: str, memory_gib: float, cpu: int) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        ORDER_LOG_SECTION,
        "",
        f"Measured {now} by `make bench` (`python -m bench.run_orders`) on {machine()}; load "
        f"average (1/5/15 min) {load_before} before, {load()} after.",
        "",
        "Order lines of a generated log (`bench.generate --order-log`, seed 0, Parquet) to every "
        "mart. Warehouse: `dbt build`, the main job, through `raw_orders_path` into a new DuckDB "
        f"file, dbt's start-up included: the median of {RUNS} builds in one folder, each followed "
        "by polars (the median of its runs), the first parsing the project and the others "
        "finding dbt's saved parse, as a nightly build does; peak memory is the highest run's. "
        "polars: `python -m bench.polars_orders`; "
        "pandas: `python -m bench.pandas_orders` (the reference pytest compares with): the "
        "customers, the churn marts, metric_distributions, metric_correlations, "
        "customer_engagement and cohort_retention. polars and pandas stop at "
        f"{memory_gib:g} GiB resident memory, pandas also at {cpu} CPU s. Floor: the file "
        "loaded into a DuckDB table. Deriving CPU: the CPU seconds of the compiled queries of "
        + ", ".join(f"`{model}`" for model in DERIVING_MODELS)
        + f", run alone on the built warehouse (the median of {RUNS} runs), and their share of "
        "the build's CPU "
        "seconds. Deriving: the node seconds of "
        + ", ".join(f"`{model}`" for model in DERIVING_MODELS)
        + ", and their share of all nodes' seconds (both summed over dbt's two threads); "
        "with reading: the share with "
        + ", ".join(f"`{model}`" for model in STAGING_MODELS)
        + " as well (views over the file: each model that reads the lines scans the file "
        "itself, and its seconds include the scan).",
        "",
        "| order lines | customers | warehouse s | polars s | pandas s | floor s "
        "| warehouse CPU s | polars CPU s | pandas CPU s | warehouse MiB | polars MiB "
        "| pandas MiB | floor MiB | deriving CPU s | deriving CPU share | deriving s "
        "| deriving share | with reading "
        "| warehouse / polars | pandas / warehouse |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
        "|---:|---:|---:|",
    ]
    for result in results:
        w = result.warehouse
        cells = [
            f"{result.lines:,}",
            f"{result.customers:,}",
            f"{w.seconds:.1f}",
            seconds_cell(result.polars),
            seconds_cell(result.pandas),
            f"{result.floor.seconds:.1f}",
            f"{w.cpu_seconds:.1f}",
            seconds_cell(result.polars, "cpu_seconds"),
            seconds_cell(result.pandas, "cpu_seconds"),
            f"{w.peak_rss_mib:,.0f}",
            mib_cell(result.polars),
            mib_cell(result.pandas),
            f"{result.floor.peak_rss_mib:,.0f}",
            f"{result.deriving_alone.cpu_seconds:.1f}",
            f"{100 * result.deriving_cpu_share:.0f}%",
            f"{result.deriving_seconds:.1f}",
            f"{100 * result.deriving_share:.0f}%",
            f"{100 * result.reading_and_deriving_share:.0f}%",
            # warehouse / polars: below 1 when the warehouse is faster
            "n/a"
            if result.polars.failure
            else f"{w.seconds / result.polars.measurement.seconds:.2f}",
            times_cell(result.pandas, w),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for result in results:
        lines.append(
            f"- {result.lines:,} lines, every run in order: warehouse "
            + ", ".join(f"{run.seconds:.1f}" for run in result.warehouse_runs)
            + " s (the first with a full parse); polars "
            + ", ".join(seconds_cell(run) for run in result.polars_runs)
            + " s."
        )
    lines += ["", "### Targets", "", *targets(results)]
    for result in results:
        lines += [
            "",
            f"### Slowest dbt nodes at {result.lines:,} order lines (run_results.json)",
            "",
            "| node | seconds |",
            "|---|---:|",
            *(
                f"| `{node}` | {seconds:.2f} |"
                for node, seconds in result.node_seconds[:SLOWEST_NODES]
            ),
        ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run_orders", description=__doc__)
    parser.add_argument(
        "--lines", type=parse_rows, default=parse_rows(DEFAULT_LINES), help="e.g. 1000000"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"default {RESULTS}")
    parser.add_argument("--max-memory-gib", type=float, default=14.0)
    parser.add_argument("--pandas-cpu-limit", type=int, default=3600, help="CPU seconds")
    args = parser.parse_args(argv)
    load_before = load()
    results: list[LogResult] = []
    with tempfile.TemporaryDirectory(prefix="retail_churn_order_bench_") as scratch:
        for lines in args.lines:
            results.append(
                measure_log(lines, Path(scratch), args.max_memory_gib, args.pandas_cpu_limit)
            )
            # written after every size, so a long run keeps what it has
            text = section(results, load_before, args.max_memory_gib, args.pandas_cpu_limit)
            existing = args.out.read_text() if args.out.exists() else ""
            args.out.write_text(with_section(existing, ORDER_LOG_SECTION, text))
    print(text)


if __name__ == "__main__":
    main()
