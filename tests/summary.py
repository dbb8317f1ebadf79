"""Per-suite times and every skip of a pytest run, read from its JUnit XML report.

A suite is a test module. With RETAIL_CHURN_REQUIRE_ALL=1 a skip makes the exit status 1, so
CI never passes by skipping (the conftest hook fails the test itself too).
"""

import os
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path


def suite_of(classname: str) -> str:
    """'tests.engines.test_spark.TestX' -> 'engines.test_spark'."""
    parts = classname.split(".")
    if parts[0] == "tests":
        parts = parts[1:]
    for index, part in enumerate(parts):
        if part.startswith("test_"):
            return ".".join(parts[: index + 1])
    return ".".join(parts)


def main(report: Path) -> int:
    suite_seconds: dict[str, float] = defaultdict(float)
    suite_counts: dict[str, int] = defaultdict(int)
    skips: list[tuple[str, str]] = []
    for case in ET.parse(report).iter("testcase"):
        suite = suite_of(case.get("classname", "?"))
        suite_seconds[suite] += float(case.get("time", 0))
        suite_counts[suite] += 1
        skipped = case.find("skipped")
        # JUnit writes an expected failure as a skip of type pytest.xfail: it is not one.
        if skipped is not None and skipped.get("type") != "pytest.xfail":
            skips.append(
                (f"{case.get('classname')}::{case.get('name')}", skipped.get("message", ""))
            )

    print("\n=== pytest suites (seconds, tests)")
    for suite, seconds in sorted(suite_seconds.items(), key=lambda item: -item[1]):
        print(f"{suite:<36} {seconds:8.1f}s  {suite_counts[suite]:4d}")
    if not skips:
        print("\nNothing was skipped.")
        return 0
    print(f"\n=== {len(skips)} skipped")
    for name, reason in skips:
        print(f"{name}: {reason}")
    if os.environ.get("RETAIL_CHURN_REQUIRE_ALL") == "1":
        print("RETAIL_CHURN_REQUIRE_ALL=1: a skip counts as a failure.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
