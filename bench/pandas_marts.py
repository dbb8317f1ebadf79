"""Every mart of the warehouse from one customer file, with pandas and scipy only.

What an analyst would otherwise write in a notebook: read the file, add bands and RFM scores,
compute each question's table. It is the independent reference of bench/reference/ put together,
so the benchmark times the same code pytest compares the warehouse with.

    python -m bench.pandas_marts data/generated/customers_1000000_seed0.parquet
"""

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from bench.reference import churn, gqm
from bench.reference.customers import customers_mart, read_customers
from bench.reference.scorecard import gqm_scorecard


def all_marts(path: Path) -> dict[str, pd.DataFrame]:
    """Each mart's name and rows, computed from the customer file at path (CSV or Parquet)."""
    customers = customers_mart(read_customers(path))
    marts = {"customers": customers}
    for name, (compute, _) in gqm.MARTS.items():
        marts[name] = compute(customers)
    marts["churn_overview"] = churn.churn_overview(customers)
    marts["churn_by_segment"] = churn.churn_by_segment(customers)
    marts["churn_drivers"] = churn.churn_drivers(customers)
    marts["gqm_scorecard"] = gqm_scorecard(customers)
    return marts


def print_mart_sizes(
    compute_marts: Callable[[Path], dict[str, Any]],
    prog: str,
    description: str | None,
    argv: Sequence[str] | None,
    kind: str = "customer file",
    generate_command: str = "python -m bench.generate",
) -> None:
    """The command line of an implementation of the marts: compute them from the file given
    (a kind of file generate_command writes), print each mart's row count (the benchmark times
    this)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("path", type=Path, help=f"{kind}, .csv or .parquet")
    path = parser.parse_args(argv).path
    if not path.is_file():
        parser.error(f"{path} does not exist; write one with `{generate_command}`")
    for name, rows in compute_marts(path).items():
        print(f"{name}: {len(rows):,} rows")


def main(argv: Sequence[str] | None = None) -> None:
    print_mart_sizes(all_marts, "python -m bench.pandas_marts", __doc__, argv)


if __name__ == "__main__":
    main()
