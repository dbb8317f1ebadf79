"""The order-log generator (bench/order_log.py, `python -m bench.generate --order-log`):
determinism, ranges, and, built by the warehouse, the drivers it promises: recency and frequency
in every log, order value only where --value-dropout plants it."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT_DIR, GeneratedOrderLog

from bench import order_log

# Crosses a block boundary (65,536 customers, about 700,000 lines) where a new stream starts.
LINES = 800_000


def write(directory: Path, file_format: str, lines: int = LINES, seed: int = 5, value_dropout=0.0):
    name = f"orders_{lines}_{seed}_{value_dropout}.{file_format}"
    return order_log.write(lines, seed, file_format, directory / name, value_dropout)


def read(path: Path) -> pd.DataFrame:
    lines = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    return lines.assign(order_date=pd.to_datetime(lines["order_date"]))


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_the_same_seed_writes_the_same_bytes(tmp_path: Path, file_format: str) -> None:
    first = write(tmp_path / "a", file_format)
    second = write(tmp_path / "b", file_format)
    assert first.read_bytes() == second.read_bytes()
    assert write(tmp_path / "c", file_format, seed=6).read_bytes() != first.read_bytes()


def test_a_shorter_log_is_the_start_of_a_longer_one_and_csv_equals_parquet(
    tmp_path: Path,
) -> None:
    longer = read(write(tmp_path, "parquet"))
    shorter = read(write(tmp_path, "csv", lines=100_000))
    assert len(longer) == LINES and len(shorter) == 100_000
    pd.testing.assert_frame_equal(
        shorter, longer.head(100_000).astype(shorter.dtypes.to_dict()), check_dtype=False
    )


def test_lines_stay_in_their_ranges(tmp_path: Path) -> None:
    lines = read(write(tmp_path, "parquet"))
    assert lines["order_id"].tolist() == list(range(1, LINES + 1))
    start = pd.Timestamp(order_log.START)
    assert lines["order_date"].min() >= start
    assert lines["order_date"].max() < start + pd.Timedelta(days=order_log.LOG_DAYS)
    returns = lines["quantity"] < 0
    # a return is a negative line; every other line a positive purchase
    assert (lines.loc[returns, "amount"] < 0).all() and (lines.loc[~returns, "amount"] > 0).all()
    assert lines.loc[~returns, "quantity"].min() >= 1
    assert 0.02 < returns.mean() < 0.04
    first_orders = lines[~returns].groupby("customer_id")["order_date"].min()
    # customers over more than one block, ids from 1, first purchases in every month of a year
    assert first_orders.index.min() == 1 and first_orders.index.max() > order_log.BLOCK_CUSTOMERS
    assert first_orders.dt.to_period("M").nunique() == 12
    assert 8 < LINES / len(first_orders) < 14
    per_customer = lines[~returns].groupby("customer_id")["amount"].median()
    assert 30 < per_customer.median() < 55


def test_the_command_line_writes_an_order_log(tmp_path: Path) -> None:
    out = tmp_path / "orders.csv"
    command = [sys.executable, "-m", "bench.generate", "--order-log", "--rows", "500"]
    subprocess.run([*command, "--out", str(out), "--quiet"], cwd=PROJECT_DIR, check=True)
    assert out.read_bytes() == write(tmp_path, "csv", lines=500, seed=0).read_bytes()
    refused = subprocess.run(
        [sys.executable, "-m", "bench.generate", "--rows", "5", "--value-dropout", "1"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and "add --order-log" in refused.stderr


def drivers(log: GeneratedOrderLog) -> pd.DataFrame:
    return log.warehouse.table("churn_drivers").set_index("factor")


def test_recency_and_frequency_drive_churn_in_a_generated_log(
    generated_orders: GeneratedOrderLog, value_dropout_orders: GeneratedOrderLog
) -> None:
    for log in (generated_orders, value_dropout_orders):
        found = drivers(log)
        for factor, sign in [("last_purchase_days_ago", 1), ("num_purchases", -1)]:
            assert found.at[factor, "verdict"] == "effect", factor
            assert found.at[factor, "effect_size"] * sign > 0.2, factor


def test_order_value_drives_churn_only_where_planted(
    generated_orders: GeneratedOrderLog, value_dropout_orders: GeneratedOrderLog
) -> None:
    plain = drivers(generated_orders).loc["avg_transaction_amount"]
    planted = drivers(value_dropout_orders).loc["avg_transaction_amount"]
    assert plain["verdict"] == "no meaningful effect"
    assert planted["verdict"] == "effect"
    # customers who spend more per order stay longer: they churn less
    assert planted["effect_size"] < -0.1
