"""The order-log path on an engine: a small order log (a few hundred lines) built by the models
that path adds, in a schema of its own inside the engine session the suite already runs, and
read back for the cell-by-cell comparison with DuckDB's build of the same log.

The log exercises what differs between engines: a day-first date with a time of day (each
engine's own date parser, its pattern translated from strftime), an impossible date (PostgreSQL
raises where the others give null), guest lines, returns, zero amounts, identical lines, quoted
fields with commas and a column the mapping leaves out.
"""

import csv
import json
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from engines.engine import Build, Engine, node_statuses

# The models of the order-log path, from the file to the customers mart, and the one mart only an
# order log fills (Q10's cohort_retention).
ORDER_LOG_MODELS = (
    "base_orders",
    "stg_orders",
    "order_rejects",
    "int_snapshot",
    "int_customers_from_orders",
    "int_customers",
    "int_customer_engagement_scores",
    "customers",
    "cohort_retention",
)
HEADER = ["Order No", "Customer", "Placed", "Items", "Value", "Note"]
ORDER_LOG_VARS = {
    "order_customer_id_column": "Customer",
    "order_id_column": "Order No",
    "order_date_column": "Placed",
    "order_date_format": "%d/%m/%Y %H:%M",
    "order_quantity_column": "Items",
    "order_amount_column": "Value",
    "churn_window_days": 60,
    "max_order_reject_share": 0.2,
}
LINES = 240


def write_order_log(path: Path) -> Path:
    """A deterministic order log of LINES lines (plus three identical copies) at path."""
    rows = []
    for line in range(LINES):
        order = line // 3
        day = date(1997, 1, 3) + timedelta(days=(order * 41) % 300)
        hour, minute = 7 + line % 12, (line * 17) % 60
        quantity = 1 + (line * 7) % 4
        value = quantity * (3 + (line * 29) % 50) + (line % 5) * 0.25
        is_return = line % 13 == 12
        rows.append(
            [
                f"R-{order:03d}",
                "" if line % 17 == 5 else f"  {(order * 7) % 23:04d}",
                f"{day.day}/{day.month}/{day.year} {hour}:{minute:02d}",
                str(-quantity if is_return else quantity),
                "0" if line % 31 == 3 else f"{-value if is_return else value:.2f}",
                "gift, wrapped" if line % 4 == 0 else "",
            ]
        )
    rows[10][2] = "31/4/1997 10:00"  # no 31 April: rejected on every engine
    rows[11][4] = "12,50"  # not a number
    rows += [list(rows[0]) for _ in range(3)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    path.chmod(0o644)
    return path


def build_order_log(
    engine: Engine,
    path: Path,
    read_relation: Callable[[str], pd.DataFrame],
    schema: tuple[str, str] | None = None,
) -> Build:
    """Builds ORDER_LOG_MODELS (and their tests but engine.build_exclude) from the log at path
    in a work folder of its own (`order_log/` in the engine's), and for schema = (the
    environment variable naming the profile's schema, a schema) into that schema; then reads
    each model back with read_relation."""
    environment = dict(engine.environment)
    if schema is not None:
        variable, name = schema
        environment[variable] = name
    order_engine = replace(engine, work_dir=engine.work_dir / "order_log", environment=environment)
    dbt_vars = {"raw_orders_path": str(path), **ORDER_LOG_VARS}
    exclude = ["--exclude", *engine.build_exclude] if engine.build_exclude else []
    start = time.perf_counter()
    # cautious: only the tests all of whose models are built (not the marts' tests that also
    # read the customers mart).
    order_engine.dbt(
        [
            "build",
            "--select",
            *ORDER_LOG_MODELS,
            *exclude,
            "--indirect-selection",
            "cautious",
            "--vars",
            json.dumps(dbt_vars),
        ]
    )
    seconds = time.perf_counter() - start
    return Build(
        target=engine.target,
        seconds=seconds,
        node_statuses=node_statuses(order_engine.target_dir),
        relations={name: read_relation(name) for name in ORDER_LOG_MODELS},
        target_dir=order_engine.target_dir,
    )
