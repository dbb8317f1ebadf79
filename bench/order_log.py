"""Deterministic synthetic order logs: `python -m bench.generate --order-log` writes one.

    .venv/bin/python -m bench.generate --order-log --rows 1000000 --format parquet
    .venv/bin/python -m bench.generate --order-log --rows 100000 --value-dropout 0.8

One line per order line, in the columns the warehouse reads by default (`raw_orders_path`,
docs/orders.md): order_id, customer_id, order_date (YYYY-MM-DD), quantity, amount. --rows counts
order lines; customers are drawn until the log has that many (about 11 lines a customer).

Each customer, independently:
- makes the first purchase on a day drawn uniformly from the first FIRST_ORDER_DAYS days after
  START (several monthly cohorts);
- buys at a rate of their own (Gamma, mean one order every MEAN_DAYS_BETWEEN_ORDERS days),
  every purchase on a uniformly drawn day of their active span;
- stops buying after a lifetime drawn from an exponential of mean MEAN_LIFETIME_DAYS (the
  log ends at START + LOG_DAYS whatever the lifetime);
- spends per order around a level of their own (log-normal around ORDER_VALUE_MEDIAN), one to
  a few items an order;
- returns RETURN_SHARE of their purchases a few days later: a line with negative quantity and
  amount.

Because customers buy until they stop, a long gap since the last purchase (recency) and few
purchases (frequency) go with churn in every log. Order value has no bearing on the lifetime
unless --value-dropout S plants one: the lifetime's mean is then multiplied by exp(S * z), z the
customer's standardised log order level, so customers who spend more per order stay longer.

Determinism: customers are drawn in blocks of BLOCK_CUSTOMERS, block b from PCG64 seeded by
SeedSequence(seed, spawn_key=(ORDER_LOG_STREAM, b)); the same arguments give a byte-identical
file and a shorter log with the same seed is the first lines of a longer one.
"""

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from tqdm import tqdm

START = date(2023, 1, 1)
FIRST_ORDER_DAYS = 365
LOG_DAYS = 730
MEAN_DAYS_BETWEEN_ORDERS = 30.0
RATE_SHAPE = 1.5  # Gamma shape of the purchase rate: a spread of light and heavy buyers
MEAN_LIFETIME_DAYS = 300.0
ORDER_VALUE_MEDIAN = 40.0
CUSTOMER_VALUE_SPREAD = 0.5  # sd of the customer's log order level
ORDER_VALUE_SPREAD = 0.3  # sd of one order's log value around the customer's level
RETURN_SHARE = 0.03
RETURN_DAYS = 14
BLOCK_CUSTOMERS = 1 << 16
ORDER_LOG_STREAM = 1  # spawn-key prefix: the customer generator's blocks use none
SCHEMA = pa.schema(
    [
        ("order_id", pa.int64()),
        ("customer_id", pa.int64()),
        ("order_date", pa.date32()),
        ("quantity", pa.int64()),
        ("amount", pa.float64()),
    ]
)
START_DAY = (START - date(1970, 1, 1)).days


def block_lines(seed: int, block: int, value_dropout: float) -> pa.Table:
    """Every order line of the customers of block `block`, by customer, then day."""
    random = np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(ORDER_LOG_STREAM, block)))
    )
    n = BLOCK_CUSTOMERS
    first_day = random.integers(0, FIRST_ORDER_DAYS, n)
    rate = random.gamma(RATE_SHAPE, 1 / (RATE_SHAPE * MEAN_DAYS_BETWEEN_ORDERS), n)
    level = random.normal(0.0, 1.0, n)  # standardised log order level
    lifetime = random.exponential(MEAN_LIFETIME_DAYS * np.exp(value_dropout * level), n)
    active_days = np.minimum(lifetime, LOG_DAYS - 1 - first_day)
    purchases = 1 + random.poisson(rate * active_days)
    customer = np.repeat(np.arange(n), purchases)
    # the first purchase on the first day, the others anywhere in the active span
    is_first = np.ones(len(customer), dtype=bool)
    is_first[1:] = np.diff(customer) != 0
    offset = np.where(is_first, 0, np.floor(random.random(len(customer)) * active_days[customer]))
    day = first_day[customer] + offset.astype(np.int64)
    log_value = (
        np.log(ORDER_VALUE_MEDIAN)
        + CUSTOMER_VALUE_SPREAD * level[customer]
        + random.normal(0.0, ORDER_VALUE_SPREAD, len(customer))
    )
    amount = np.round(np.exp(log_value), 2)
    quantity = 1 + random.poisson(0.6, len(customer))
    returned = random.random(len(customer)) < RETURN_SHARE
    return_day = np.minimum(day + random.integers(1, RETURN_DAYS + 1, len(customer)), LOG_DAYS - 1)
    customer = np.concatenate([customer, customer[returned]])
    day = np.concatenate([day, return_day[returned]])
    quantity = np.concatenate([quantity, -quantity[returned]])
    amount = np.concatenate([amount, -amount[returned]])
    order = np.lexsort((day, customer))
    return pa.table(
        {
            "customer_id": pa.array(block * BLOCK_CUSTOMERS + 1 + customer[order], pa.int64()),
            "order_date": pa.array((START_DAY + day[order]).astype(np.int32), pa.date32()),
            "quantity": pa.array(quantity[order], pa.int64()),
            "amount": pa.array(amount[order], pa.float64()),
        }
    )


def tables(lines: int, seed: int, value_dropout: float) -> Iterator[pa.Table]:
    """The first `lines` order lines, block by block, each line numbered by its order id."""
    written, block = 0, 0
    while written < lines:
        table = block_lines(seed, block, value_dropout).slice(0, lines - written)
        ids = pa.array(np.arange(written + 1, written + 1 + table.num_rows, dtype=np.int64))
        yield pa.Table.from_arrays([ids, *table.columns], schema=SCHEMA)
        written += table.num_rows
        block += 1


def writer_of(file_format: str, path: Path) -> pq.ParquetWriter | pa_csv.CSVWriter:
    if file_format == "parquet":
        return pq.ParquetWriter(path, SCHEMA)
    options = pa_csv.WriteOptions(quoting_style="none", quoting_header="none")
    return pa_csv.CSVWriter(path, SCHEMA, write_options=options)


def write(
    lines: int,
    seed: int,
    file_format: str,
    out: Path,
    value_dropout: float = 0.0,
    *,
    progress: bool = False,
) -> Path:
    """Writes the order log to out (a partial file never takes its name) and returns it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    bar = tqdm(total=lines, unit="lines", unit_scale=True, disable=not progress, file=sys.stderr)
    try:
        with bar, writer_of(file_format, partial) as writer:
            for table in tables(lines, seed, value_dropout):
                writer.write_table(table)
                bar.update(table.num_rows)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def default_name(lines: int, seed: int, file_format: str, value_dropout: float) -> str:
    planted = f"_value-dropout{value_dropout:+g}" if value_dropout else ""
    return f"orders_{lines}_seed{seed}{planted}.{file_format}"
