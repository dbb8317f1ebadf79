"""The CDNOW order log as a CSV file the warehouse reads, from the copy the lifetimes package ships.

    .venv/bin/python -m bench.cdnow [--out data/cdnow/cdnow_orders.csv]

CDNOW_master.txt (Fader and Hardie's research data: 69,659 order lines of the 23,570 customers
who first bought from the CD store CDNOW in the first quarter of 1997, up to 30 June 1998) is
whitespace-separated with CRLF line ends: customer id, date yyyymmdd, number of CDs, dollar
value, under a header of those names. The CSV keeps every field verbatim (customer 00001 stays
00001) under the same header; bench/cdnow.yml maps those columns for dbt. The data is not the
project's: it is converted on each machine into data/ (ignored by git), never committed.
"""

import argparse
import csv
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_OUT = PROJECT_DIR / "data" / "cdnow" / "cdnow_orders.csv"
DBT_VARS_FILE = Path(__file__).resolve().parent / "cdnow.yml"
HEADER = ["customer_id", "date", "number_of_cds", "dollar_value"]


class CdnowError(RuntimeError):
    """The CDNOW file cannot be found or read; the message says what to do."""


def master_file() -> Path:
    """CDNOW_master.txt inside the installed lifetimes package (found without importing it)."""
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        raise CdnowError(
            "the lifetimes package is not installed: install the dev requirements "
            "(`make cdnow` does, or .venv/bin/pip install -r requirements-dev.txt)"
        )
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "CDNOW_master.txt"
    if not path.is_file():
        raise CdnowError(f"{path} is missing from the lifetimes package: reinstall lifetimes")
    return path


def read_master(path: Path) -> list[list[str]]:
    """The data rows of CDNOW_master.txt, each its four fields as written."""
    lines = path.read_text(encoding="ascii").splitlines()
    header, *rows = (line.split() for line in lines if line.strip())
    if header != HEADER:
        raise CdnowError(
            f"{path}: expected the header {' '.join(HEADER)}, found {' '.join(header)}"
        )
    ragged = [number for number, row in enumerate(rows, start=2) if len(row) != len(HEADER)]
    if ragged:
        raise CdnowError(f"{path}: line {ragged[0]} does not have {len(HEADER)} fields")
    return rows


def convert(out: Path, master: Path | None = None) -> Path:
    """Writes the CDNOW order log to out as CSV (header, LF line ends); returns out."""
    rows = read_master(master or master_file())
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return out


def dbt_vars(orders_csv: Path | None = None) -> dict[str, object]:
    """The dbt vars of the CDNOW warehouse (bench/cdnow.yml), reading orders_csv if given."""
    values = yaml.safe_load(DBT_VARS_FILE.read_text())
    if orders_csv is not None:
        values["raw_orders_path"] = str(orders_csv)
    return values


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.cdnow", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"the CSV to write (default {DEFAULT_OUT})"
    )
    arguments = parser.parse_args(argv)
    try:
        print(convert(arguments.out))
    except CdnowError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
