"""Opening the warehouse's DuckDB file, with a clear message when another process holds it.

DuckDB lets one process at a time open a database file for writing, and no reader while it does.
`make run` calls `python -m warehouse.connection` before `dbt build`, so a held file stops the
build at once with what to do instead of a traceback from inside dbt; scripts open the file with
`connect_warehouse` for the same message.
"""

import os
import re
import sys
from pathlib import Path

import duckdb

DEFAULT_WAREHOUSE = Path("retail_churn.duckdb")
LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


class WarehouseLockedError(RuntimeError):
    """Another process holds the warehouse file."""


def warehouse_path() -> Path:
    """The warehouse file: RETAIL_CHURN_DB as dbt's profile reads it, else retail_churn.duckdb."""
    return Path(os.environ.get("RETAIL_CHURN_DB") or DEFAULT_WAREHOUSE)


def connect_warehouse(
    path: Path | None = None, *, read_only: bool = True
) -> duckdb.DuckDBPyConnection:
    """Opens the warehouse; raises WarehouseLockedError, saying what to do, if it is held."""
    path = path or warehouse_path()
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if "Could not set lock" not in str(error):
            raise
        holder = LOCK_HOLDER.search(str(error))
        raise WarehouseLockedError(locked_message(path, holder)) from error


def ensure_warehouse_unlocked(path: Path | None = None) -> None:
    """Raises WarehouseLockedError if another process holds the file; a missing file is fine."""
    path = path or warehouse_path()
    if path.exists():
        connect_warehouse(path, read_only=False).close()


def locked_message(path: Path, holder: re.Match[str] | None) -> str:
    held_by = f" by {holder['program']} (PID {holder['pid']})" if holder else ""
    stop_it = f"; `kill {holder['pid']}` if it hangs" if holder else ""
    return (
        f"The warehouse file {path.resolve()} is locked{held_by}: another process has it open, "
        "and DuckDB lets no one else in while a process writes. Close that connection (a "
        f"notebook, Python shell, SQL client or another dbt run{stop_it}), or build into another "
        "file with RETAIL_CHURN_DB=/path/to/other.duckdb, then run the command again."
    )


def main() -> int:
    """Exit status 1, with what to do, when another process holds the warehouse file."""
    try:
        ensure_warehouse_unlocked()
    except WarehouseLockedError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
