"""The benchmark: the warehouse against pandas, polars and a bare DuckDB scan, per file size.

    python -m bench.run --rows 1000,100000,1000000,10000000      (what `make bench` runs)

For each size it writes (once; cached under data/generated/) a Parquet file of synthetic
customers with bench.generate, then measures, one after the other in the same run:

- warehouse: `dbt build` of every model and data test, reading the file through the
  `raw_customers_path` var, into a fresh DuckDB file;
- pandas: bench.pandas_marts, the same marts with pandas and scipy (the tests' oracle);
- polars: bench.polars_marts, the same marts again as a performance-minded analyst would write
  them with polars (tests/bench/test_polars_marts.py holds it equal to pandas);
- floor: one bare DuckDB scan, the file loaded into a table of a fresh DuckDB file.

It also builds the project from its bundled 1,000-row seed, and a trivial one-model dbt-duckdb
project, the floor that seed build is held against: each twice, once parsing everything and once
with dbt's partial parse. A third project, the trivial model with as many one-line `not_null`
tests as the seed build runs data tests, shows what dbt itself costs per test. Each measurement
runs in a process of its own (bench.measure), which reports wall seconds and peak resident
memory. The table goes to bench/results.md and to stdout; docs/scale.md explains it and
carries its latest figures.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import generate
from bench.results_file import owned_sections

PROJECT_DIR = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_DIR / "bench" / "results.md"
PYTHON = Path(sys.executable)
DBT = PYTHON.parent / "dbt"
SEED = 0
DEFAULT_ROWS = "1000,100000,1000000,10000000"
SLOWEST_NODES = 8
MAIN_JOB_ROWS = 10_000_000

READ_MARTS_SCRIPT = """
import sys, duckdb
with duckdb.connect(sys.argv[1], read_only=True) as connection:
    for mart in sys.argv[2:]:
        connection.table(mart).fetch_arrow_table()
"""

FLOOR_SCRIPT = """
import sys, duckdb
with duckdb.connect(sys.argv[2]) as connection:
    connection.execute("create table customers as select * from read_parquet(?)", [sys.argv[1]])
"""

TRIVIAL_PROJECT = {
    "dbt_project.yml": 'name: trivial\nversion: "1.0.0"\nprofile: trivial\n',
    "profiles.yml": (
        "trivial:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n"
        "      path: \"{{ env_var('RETAIL_CHURN_DB') }}\"\n      threads: 2\n"
    ),
    "models/one.sql": "select 1 as one\n",
}


def tested_trivial_project(tests: int) -> dict[str, str]:
    """The trivial project with one model of `tests` columns, each with a not_null test."""
    columns = [f"column_{number}" for number in range(1, tests + 1)]
    tested_columns = "".join(
        f"      - name: {column}\n        data_tests: [not_null]\n" for column in columns
    )
    return {
        **TRIVIAL_PROJECT,
        "models/one.sql": "select " + ", ".join(f"1 as {column}" for column in columns) + "\n",
        "models/one.yml": f"models:\n  - name: one\n    columns:\n{tested_columns}",
    }


@dataclass(frozen=True)
class Measurement:
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float


@dataclass(frozen=True)
class SizeResult:
    rows: int
    warehouse: Measurement
    pandas: Measurement
    polars: Measurement
    floor: Measurement
    slowest_nodes: list[tuple[str, float]]


def measure(command: Sequence[str | Path], env: dict[str, str] | None = None) -> Measurement:
    """Wall time and peak RSS of command, run by bench.measure; stops the benchmark on failure."""
    result = subprocess.run(
        [PYTHON, "-m", "bench.measure", "--", *map(str, command)],
        cwd=PROJECT_DIR,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        report = {"rc": result.returncode}
    if report["rc"] != 0:
        sys.exit(
            f"benchmark step failed: {' '.join(map(str, command))}\n{result.stderr[-4000:]}\n"
            "Fix the build (run the command above by hand to see all of it), then rerun."
        )
    return Measurement(report["seconds"], report["cpu_seconds"], report["peak_rss_mib"])


def dbt_build(
    work_dir: Path, project_dir: Path, dbt_vars: dict | None = None
) -> tuple[Measurement, list[tuple[str, float]]]:
    """`dbt build` into work_dir/warehouse.duckdb, as `make run` runs it (the default selector
    main_job: no unit tests, which check the SQL on fixed rows, not the data); its measurement
    and every node's seconds, slowest first."""
    command = [
        DBT,
        "build",
        "--project-dir",
        project_dir,
        "--profiles-dir",
        project_dir,
        "--target-path",
        work_dir / "target",
        "--log-path",
        work_dir / "logs",
    ]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    measurement = measure(command, {"RETAIL_CHURN_DB": str(work_dir / "warehouse.duckdb")})
    run_results = json.loads((work_dir / "target" / "run_results.json").read_text())
    timings = sorted(
        ((node["unique_id"], node["execution_time"]) for node in run_results["results"]),
        key=lambda timing: -timing[1],
    )
    return measurement, timings


def customer_file(rows: int) -> Path:
    path = generate.default_out(rows, SEED, "parquet", [])
    if not path.exists():
        print(f"generating {path.name} ...", file=sys.stderr)
        generate.generate(rows, SEED, "parquet", path)
    return path


def measure_size(rows: int, scratch: Path) -> SizeResult:
    path = customer_file(rows)
    print(f"{rows:,} rows: warehouse ...", file=sys.stderr)
    warehouse, slowest = dbt_build(
        scratch / f"dbt_{rows}", PROJECT_DIR, {"raw_customers_path": str(path)}
    )
    print(f"{rows:,} rows: pandas ...", file=sys.stderr)
    pandas = measure([PYTHON, "-m", "bench.pandas_marts", path])
    print(f"{rows:,} rows: polars ...", file=sys.stderr)
    polars = measure([PYTHON, "-m", "bench.polars_marts", path])
    print(f"{rows:,} rows: floor ...", file=sys.stderr)
    floor = measure([PYTHON, "-c", FLOOR_SCRIPT, path, scratch / f"floor_{rows}.duckdb"])
    return SizeResult(rows, warehouse, pandas, polars, floor, slowest[:SLOWEST_NODES])


def median_run(runs: Sequence[Measurement]) -> Measurement:
    """The median wall and CPU seconds of runs, and the highest peak memory among them."""
    return Measurement(
        statistics.median(run.seconds for run in runs),
        statistics.median(run.cpu_seconds for run in runs),
        max(run.peak_rss_mib for run in runs),
    )


def seconds_list(runs: Sequence[Measurement]) -> str:
    return ", ".join(f"{run.seconds:.1f}" for run in runs)


@dataclass(frozen=True)
class MainJobRuns:
    """The main job at a large size, three runs alternating with polars on the same file: the
    build (dbt build, main_job) and then reading every mart it made, against polars computing
    the same marts in memory."""

    rows: int
    builds: list[Measurement]
    reads: list[Measurement]
    polars: list[Measurement]
    slowest_nodes: list[tuple[str, float]]  # of the last build

    def warehouse(self) -> list[Measurement]:
        """Each run's build and read as one job: seconds added, the larger peak."""
        return [
            Measurement(
                build.seconds + read.seconds,
                build.cpu_seconds + read.cpu_seconds,
                max(build.peak_rss_mib, read.peak_rss_mib),
            )
            for build, read in zip(self.builds, self.reads, strict=True)
        ]

    def lines(self) -> list[str]:
        rows = [
            ("build (`dbt build`, main_job)", self.builds),
            ("reading every mart", self.reads),
            ("warehouse: build + reading", self.warehouse()),
            ("polars (`bench.polars_marts`)", self.polars),
        ]
        return [
            "",
            f"Main job at {self.rows:,} rows: three runs, the warehouse and polars alternating on "
            "the same file; median seconds and CPU seconds, the highest peak memory.",
            "",
            "| job | median s | runs s | median CPU s | peak MiB |",
            "|---|---:|---:|---:|---:|",
            *(
                f"| {label} | {median_run(runs).seconds:.1f} | {seconds_list(runs)} "
                f"| {median_run(runs).cpu_seconds:.1f} | {median_run(runs).peak_rss_mib:,.0f} |"
                for label, runs in rows
            ),
            "",
            f"Slowest nodes of the last build at {self.rows:,} rows (run_results.json; dbt runs "
            "two nodes at once, so their seconds overlap):",
            "",
            "| node | seconds |",
            "|---|---:|",
            *(f"| `{node}` | {seconds:.2f} |" for node, seconds in self.slowest_nodes),
        ]

    def targets(self) -> list[str]:
        warehouse, polars = median_run(self.warehouse()), median_run(self.polars)
        return [
            f"- {self.rows:,} rows, main job (build + reading every mart) ≤ 60 s, median of "
            f"three: {warehouse.seconds:.1f} s, {verdict(warehouse.seconds <= 60)}.",
            f"- ... faster than polars on the same file: {warehouse.seconds:.1f} s against "
            f"{polars.seconds:.1f} s ({polars.seconds / warehouse.seconds:.2f}x), "
            f"{verdict(warehouse.seconds < polars.seconds)}.",
            f"- ... peak memory below polars': {warehouse.peak_rss_mib:,.0f} against "
            f"{polars.peak_rss_mib:,.0f} MiB, "
            f"{verdict(warehouse.peak_rss_mib < polars.peak_rss_mib)}.",
        ]


@dataclass(frozen=True)
class MainJobBuilds:
    """The main job against what it is held to. The project built from its seed, the trivial
    one-model project and that model with as many one-line not_null tests as the seed build runs
    data tests: once each parsing everything, as a fresh clone does, then three runs of each in
    turn with dbt's partial parse, as every later `make run` does. And, where asked, the main job
    at a large size against polars (MainJobRuns)."""

    seed_first: Measurement
    trivial_first: Measurement
    tested_first: Measurement
    seed_again: list[Measurement]
    trivial_again: list[Measurement]
    tested_again: list[Measurement]
    data_tests: int
    large: MainJobRuns | None

    def medians_again(self) -> tuple[Measurement, Measurement, Measurement]:
        """The seed build's, the trivial project's and the tested project's partial-parse runs."""
        seed, trivial, tested = (
            median_run(runs) for runs in (self.seed_again, self.trivial_again, self.tested_again)
        )
        return seed, trivial, tested

    def lines(self) -> list[str]:
        seed, trivial, tested = self.medians_again()
        lines = [
            f"Seed build (1,000 rows, bundled seed, main_job), first build (full parse): "
            f"{self.seed_first.seconds:.1f} s, {self.seed_first.peak_rss_mib:,.0f} MiB; trivial "
            f"one-model dbt-duckdb project: {self.trivial_first.seconds:.1f} s; the trivial model "
            f"with {self.data_tests} one-line not_null tests (as many data tests as the seed "
            f"build): {self.tested_first.seconds:.1f} s.",
            f"Built again (partial parse), medians of three alternating runs: seed build "
            f"{seed.seconds:.1f} s ({seconds_list(self.seed_again)}); the model with "
            f"{self.data_tests} not_null tests {tested.seconds:.1f} s "
            f"({seconds_list(self.tested_again)}); trivial project {trivial.seconds:.1f} s "
            f"({seconds_list(self.trivial_again)}). Seed build / same tests "
            f"{seed.seconds / tested.seconds:.2f}; seed build / trivial "
            f"{seed.seconds / trivial.seconds:.1f}.",
        ]
        return lines + (self.large.lines() if self.large else [])

    def targets(self) -> list[str]:
        seed, trivial, tested = self.medians_again()
        targets = [
            f"- Seed build ≤ 1.25x the one-model project with as many one-line data tests, "
            f"medians of three alternating runs: {seed.seconds / tested.seconds:.2f}x, "
            f"{verdict(seed.seconds <= 1.25 * tested.seconds)}.",
            f"- Seed build within 2x of the trivial project, first build (full parse): "
            f"{self.seed_first.seconds / self.trivial_first.seconds:.1f}x, "
            f"{verdict(self.seed_first.seconds <= 2 * self.trivial_first.seconds)}.",
            f"- Seed build within 2x of the trivial project, built again (partial parse): "
            f"{seed.seconds / trivial.seconds:.1f}x, "
            f"{verdict(seed.seconds <= 2 * trivial.seconds)}.",
        ]
        return targets + (self.large.targets() if self.large else [])


def write_project(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text)
    return directory


def read_every_mart(work_dir: Path) -> Measurement:
    """Reads every row of every mart the build in work_dir made, as a user of the marts does."""
    manifest = json.loads((work_dir / "target" / "manifest.json").read_text())
    marts = sorted(
        node["alias"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["path"].startswith("marts/")
    )
    return measure([PYTHON, "-c", READ_MARTS_SCRIPT, work_dir / "warehouse.duckdb", *marts])


def measure_main_job_at(rows: int, scratch: Path) -> MainJobRuns:
    """Three runs of the main job (build, then reading every mart) in one folder, so the later
    two use dbt's partial parse, each followed by polars on the same file."""
    path = customer_file(rows)
    builds, reads, polars = [], [], []
    for run in range(1, 4):
        print(f"{rows:,} rows: main job run {run} of 3, then polars ...", file=sys.stderr)
        build, timings = dbt_build(
            scratch / f"main_job_{rows}", PROJECT_DIR, {"raw_customers_path": str(path)}
        )
        builds.append(build)
        reads.append(read_every_mart(scratch / f"main_job_{rows}"))
        polars.append(measure([PYTHON, "-m", "bench.polars_marts", path]))
    return MainJobRuns(rows, builds, reads, polars, timings[:SLOWEST_NODES])


def measure_seed_builds(scratch: Path, main_job_rows: int = 0) -> MainJobBuilds:
    """The project built from its seed, the trivial one-model project and the trivial model with
    as many data tests as the seed build: once each, then three times each in turn. With
    main_job_rows, also the main job at that size against polars (measure_main_job_at)."""
    print("seed build and trivial projects ...", file=sys.stderr)
    trivial_dir = write_project(scratch / "trivial_project", TRIVIAL_PROJECT)
    seed_first, seed_nodes = dbt_build(scratch / "dbt_seed", PROJECT_DIR)
    data_tests = sum(node.startswith("test.") for node, _ in seed_nodes)
    tested_dir = write_project(scratch / "tested_project", tested_trivial_project(data_tests))
    trivial_first, _ = dbt_build(scratch / "dbt_trivial", trivial_dir)
    tested_first, _ = dbt_build(scratch / "dbt_tested", tested_dir)
    seed_again, trivial_again, tested_again = [], [], []
    for _ in range(3):
        seed_again.append(dbt_build(scratch / "dbt_seed", PROJECT_DIR)[0])
        tested_again.append(dbt_build(scratch / "dbt_tested", tested_dir)[0])
        trivial_again.append(dbt_build(scratch / "dbt_trivial", trivial_dir)[0])
    large = measure_main_job_at(main_job_rows, scratch) if main_job_rows else None
    return MainJobBuilds(
        seed_first,
        trivial_first,
        tested_first,
        seed_again,
        trivial_again,
        tested_again,
        data_tests,
        large,
    )


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return f"{os.cpu_count()} cores ({cpu}), {memory_kib / 1024**2:.0f} GiB RAM"


def load() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def rate(rows: int, measurement: Measurement) -> str:
    return f"{rows / measurement.seconds:,.0f}"


def verdict(holds: bool) -> str:
    return "met" if holds else "NOT met"


def report(sizes: list[SizeResult], seed_builds: MainJobBuilds, load_before: str) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        f"Measured {now} by `make bench` on {machine()}; load average (1/5/15 min) "
        f"{load_before} before, {load()} after. Other jobs shared the machine: see the load.",
        "",
        "Warehouse: `dbt build`, the main job (every model and its data tests, no checks of the "
        "SQL) from the Parquet file into a new DuckDB file, dbt's start-up and parse included. "
        "pandas: `python -m bench.pandas_marts` (the same marts, in memory); polars: "
        "`python -m bench.polars_marts` (the same marts with polars, in memory). Floor: the file "
        "loaded into a DuckDB table. s: wall seconds; CPU s: user + system seconds of all threads "
        "(what the work costs when other jobs stretch the wall time); MiB: peak resident set. "
        "Ratios and rows/s are of wall time.",
        "",
        "What these figures mean, the targets and what keeps the build fast: "
        "[docs/scale.md](../docs/scale.md), whose table of the latest results is copied from "
        "this one (a test fails while they differ).",
        "",
        "| rows | warehouse s | pandas s | polars s | floor s | warehouse CPU s | pandas CPU s "
        "| polars CPU s | warehouse MiB | pandas MiB | polars MiB | floor MiB | warehouse rows/s "
        "| pandas rows/s | warehouse / pandas | warehouse / polars | warehouse / floor |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        w, p, o, f = size.warehouse, size.pandas, size.polars, size.floor
        lines.append(
            f"| {size.rows:,} | {w.seconds:.1f} | {p.seconds:.1f} | {o.seconds:.1f} "
            f"| {f.seconds:.1f} | {w.cpu_seconds:.1f} | {p.cpu_seconds:.1f} | {o.cpu_seconds:.1f} "
            f"| {w.peak_rss_mib:,.0f} | {p.peak_rss_mib:,.0f} | {o.peak_rss_mib:,.0f} "
            f"| {f.peak_rss_mib:,.0f} | {rate(size.rows, w)} | {rate(size.rows, p)} "
            f"| {w.seconds / p.seconds:.2f} | {w.seconds / o.seconds:.2f} "
            f"| {w.seconds / f.seconds:.1f} |"
        )
    lines += ["", *seed_builds.lines()]
    by_rows = {size.rows: size for size in sizes}
    if 1_000_000 in by_rows and 10_000_000 in by_rows:
        small, large = by_rows[1_000_000], by_rows[10_000_000]
        growth = {
            name: (
                getattr(large, name).seconds / getattr(small, name).seconds,
                getattr(large, name).cpu_seconds / getattr(small, name).cpu_seconds,
            )
            for name in ("warehouse", "pandas", "polars", "floor")
        }
        lines += [
            "",
            "Cost growth 1M -> 10M rows (wall / CPU time ratio): "
            + ", ".join(f"{name} {wall:.1f}x / {cpu:.1f}x" for name, (wall, cpu) in growth.items())
            + ".",
        ]
    lines += ["", "## Targets", ""]
    if 10_000_000 in by_rows:
        large = by_rows[10_000_000]
        w, p = large.warehouse, large.pandas
        lines += [
            f"- 10M build ≤ 60 s: {w.seconds:.1f} s wall, {verdict(w.seconds <= 60)} "
            f"({w.cpu_seconds:.1f} CPU s).",
            f"- 10M at least 3x faster than pandas: {p.seconds / w.seconds:.1f}x wall, "
            f"{verdict(p.seconds >= 3 * w.seconds)} ({p.cpu_seconds / w.cpu_seconds:.1f}x CPU).",
            f"- 10M peak memory ≤ pandas': {w.peak_rss_mib:,.0f} vs {p.peak_rss_mib:,.0f} MiB, "
            f"{verdict(w.peak_rss_mib <= p.peak_rss_mib)}.",
        ]
        if 1_000_000 in by_rows:
            growth_10 = w.seconds / by_rows[1_000_000].warehouse.seconds
            cpu_growth_10 = w.cpu_seconds / by_rows[1_000_000].warehouse.cpu_seconds
            lines.append(
                f"- 1M → 10M ≤ 10x: wall {growth_10:.1f}x ({verdict(growth_10 <= 10)}), "
                f"CPU {cpu_growth_10:.1f}x."
            )
    lines += seed_builds.targets()
    largest = sizes[-1]
    lines += [
        "",
        f"## Slowest dbt nodes at {largest.rows:,} rows (run_results.json)",
        "",
        "| node | seconds |",
        "|---|---:|",
        *(f"| `{node}` | {seconds:.2f} |" for node, seconds in largest.slowest_nodes),
        "",
    ]
    return "\n".join(lines)


def parse_rows(text: str) -> list[int]:
    try:
        rows = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        message = f"a comma-separated list of row counts, got {text!r}"
        raise argparse.ArgumentTypeError(message) from None
    if not rows or rows[0] < 1:
        raise argparse.ArgumentTypeError(f"row counts must be 1 or more, got {text!r}")
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument(
        "--rows", type=parse_rows, default=parse_rows(DEFAULT_ROWS), help="e.g. 1000,100000"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"default {RESULTS}")
    parser.add_argument(
        "--main-job-rows",
        type=int,
        default=MAIN_JOB_ROWS,
        help="the size of the main job's three runs against polars (0: none); "
        f"default {MAIN_JOB_ROWS}",
    )
    args = parser.parse_args(argv)
    load_before = load()
    sizes: list[SizeResult] = []
    with tempfile.TemporaryDirectory(prefix="retail_churn_bench_") as scratch:
        seed_builds = measure_seed_builds(Path(scratch), args.main_job_rows)
        for rows in args.rows:
            sizes.append(measure_size(rows, Path(scratch)))
            # written after every size, so a long run shows its progress and keeps what it has;
            # the order-log and Spark sections (bench.run_orders, bench.spark) stay
            args.out.write_text(report(sizes, seed_builds, load_before) + owned_sections(args.out))
    print(args.out.read_text())


if __name__ == "__main__":
    main()
