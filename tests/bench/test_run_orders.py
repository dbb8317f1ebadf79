"""The order-log benchmark's report (bench/run_orders.py): its section of bench/results.md
survives bench/run.py rewriting the rest and is replaced on its own next run; a run that stopped
at its limits is shown as not finished, never as a time; the deriving target is decided by the
deriving queries' CPU seconds alone against the build's, and the node-timing shares are shown as
documented."""

import dataclasses
from pathlib import Path

from bench import run_orders
from bench.results_file import ORDER_LOG_SECTION, owned_sections, with_section
from bench.run import Measurement

CUSTOMER_REPORT = "# Benchmark results\n\n| rows | warehouse s |\n|---:|---:|\n| 1,000 | 28.0 |\n"


def log_result(lines: int, warehouse_seconds: float, pandas_failure: str | None = None):
    nodes = [
        ("model.retail_churn.base_orders", 30.0),
        ("model.retail_churn.int_customers_from_orders", 20.0),
        ("model.retail_churn.int_snapshot", 5.0),
        ("test.retail_churn.unique_base_orders_input_row_number.abc", 25.0),
        ("model.retail_churn.cohort_retention", 20.0),
    ]
    return run_orders.LogResult(
        lines=lines,
        customers=lines // 10,
        warehouse=Measurement(warehouse_seconds, warehouse_seconds, 1000.0),
        polars=run_orders.Attempt(Measurement(50.0, 45.0, 900.0)),
        pandas=run_orders.Attempt(Measurement(35.0, 30.0, 14_000.0), pandas_failure),
        floor=Measurement(2.0, 2.0, 100.0),
        node_seconds=nodes,
        deriving_alone=Measurement(9.0, warehouse_seconds / 4, 500.0),
    )


def test_the_order_log_section_survives_the_customer_benchmark_and_is_replaced_alone(
    tmp_path: Path,
) -> None:
    results = tmp_path / "results.md"
    results.write_text(CUSTOMER_REPORT)

    def write_order_section(text: str) -> None:
        # as bench.run_orders writes it
        results.write_text(with_section(results.read_text(), ORDER_LOG_SECTION, text))

    write_order_section(f"{ORDER_LOG_SECTION}\n\n### Targets\n\nfirst run\n")
    assert (
        results.read_text()
        == CUSTOMER_REPORT + f"\n{ORDER_LOG_SECTION}\n\n### Targets\n\nfirst run\n"
    )
    # bench.run rewrites its part and keeps the order-log section, subsections and all
    results.write_text(CUSTOMER_REPORT.replace("28.0", "27.0") + owned_sections(results))
    assert "27.0" in results.read_text() and "first run" in results.read_text()
    write_order_section(f"{ORDER_LOG_SECTION}\n\nsecond run\n")
    text = results.read_text()
    assert "27.0" in text and "second run" in text and "first run" not in text
    assert text.count(ORDER_LOG_SECTION) == 1


def test_deriving_counts_the_snapshot_and_customers_and_reading_adds_staging() -> None:
    result = log_result(100_000_000, 200.0)
    assert result.node_total == 100.0
    assert result.deriving_seconds == 25.0
    assert result.deriving_share == 0.25
    assert result.reading_and_deriving_share == 0.55
    assert result.deriving_cpu_share == 0.25


def test_a_run_stopped_at_its_limit_is_not_shown_as_finished() -> None:
    stopped = "stopped at the 14 GiB resident-memory limit"
    report = run_orders.section(
        [log_result(10_000_000, 30.0), log_result(100_000_000, 200.0, stopped)],
        "1.0 / 1.0 / 1.0",
        14,
        1500,
    )
    row = next(line for line in report.splitlines() if line.startswith("| 100,000,000 |"))
    assert "(35, did not finish)" in row and "(14,000, did not finish)" in row
    assert row.endswith("| > 0.17 |")
    assert f"pandas {stopped} after 35 s" in report
    assert "10M -> 100M lines at most 10x: wall 6.7x, met" in report
    assert (
        "deriving the customers from the staged lines at most a third of the build: its queries "
        "run alone take 50.0 of the build's 200.0 CPU s (25%), met." in report
    )
    assert "25.0 of 100.0 (25%), 55% with reading, checking and staging the lines" in report
    assert row.startswith("| 100,000,000 | 10,000,000 | 200.0 | 50.0 |")
    assert "| 50.0 | 25% | 25.0 | 25% | 55% |" in row


def test_polars_counts_by_its_median_run_unless_a_run_stopped() -> None:
    runs = [run_orders.Attempt(Measurement(seconds, seconds, 900.0)) for seconds in (70, 50, 60)]
    assert run_orders.median_attempt(runs) == run_orders.Attempt(Measurement(60, 60, 900.0))
    stopped = run_orders.Attempt(Measurement(80, 80, 14_400.0), "stopped at the limit")
    assert run_orders.median_attempt([*runs, stopped]) == stopped


def test_every_run_is_listed_in_order_beside_the_medians() -> None:
    result = log_result(100_000_000, 61.0)
    runs = (Measurement(75.2, 120.0, 5000.0), Measurement(61.0, 110.0, 5100.0))
    polars = (run_orders.Attempt(Measurement(62.5, 114.0, 8000.0)),)
    listed = dataclasses.replace(result, warehouse_runs=runs, polars_runs=polars)
    report = run_orders.section(
        [listed],
        "1.0 / 1.0 / 1.0",
        14,
        1500,
    )
    assert "- 100,000,000 lines, every run in order: warehouse 75.2, 61.0 s (the first" in report
    assert "polars 62.5 s." in report


def test_pandas_stopped_at_its_limit_is_judged_by_its_memory_continued_from_smaller_logs() -> None:
    stopped = "stopped at the 14 GiB resident-memory limit"
    results = [
        dataclasses.replace(
            log_result(lines, 30.0),
            pandas=run_orders.Attempt(Measurement(9.0, 9.0, mib)),
        )
        for lines, mib in ((1_000_000, 600.0), (10_000_000, 4_200.0))
    ]
    results.append(log_result(100_000_000, 60.0, stopped))
    report = run_orders.section(results, "1.0 / 1.0 / 1.0", 14, 1500)
    # (4,200 - 600) / 9 = 400 MiB per million lines: 4,200 + 90 x 400 = 40,200 MiB, 39 GiB
    assert "(400 MiB more per million lines); continued, 100,000,000 lines need 39 GiB" in report
    assert "pandas cannot finish within 24 GiB, met (an estimate, not a run" in report
    smaller = [dataclasses.replace(results[1], pandas=results[2].pandas), results[2]]
    assert "not decided" in run_orders.pandas_memory_estimate(smaller)
