"""Runs one command and prints its wall seconds, CPU seconds and peak resident memory as JSON.

`python -m bench.measure -- CMD ...`: the benchmark starts this once per measurement, so that
`getrusage(RUSAGE_CHILDREN)` here covers that one command and its children only (the value is
the largest peak among them, like /usr/bin/time reports). CPU seconds (user + system, all
threads) say what the work costs when other jobs share the cores and stretch the wall time. The
command's own output goes to
stderr; stdout carries the JSON line alone.
"""

import json
import resource
import subprocess
import sys
import time
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    command = list(sys.argv[1:] if argv is None else argv)
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        sys.exit("usage: python -m bench.measure -- COMMAND [ARGS...]")
    start = time.perf_counter()
    returncode = subprocess.run(command, stdout=sys.stderr, check=False).returncode
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        # ru_maxrss is in kilobytes on Linux
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "rc": returncode,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
