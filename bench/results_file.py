"""The sections of bench/results.md that separate benchmarks own.

`make bench` (bench.run) writes the customer-snapshot part; bench.run_orders and bench.spark each
own one `## ` section, which every writer keeps when it rewrites the file.
"""

from pathlib import Path

ORDER_LOG_SECTION = "## Order logs"
SPARK_SECTION = "## Spark"
OWNED_SECTIONS = (ORDER_LOG_SECTION, SPARK_SECTION)


def section_bounds(results: str, heading: str) -> tuple[int, int] | None:
    """Where the section under heading starts and ends: to the next `## ` heading or the end."""
    start = results.find(f"\n{heading}\n")
    if start < 0:
        return None
    end = results.find("\n## ", start + 1)
    return start + 1, (end + 1 if end >= 0 else len(results))


def section(results: str, heading: str) -> str:
    """The section under heading, or '' when results has none."""
    bounds = section_bounds(results, heading)
    return results[bounds[0] : bounds[1]].rstrip("\n") + "\n" if bounds else ""


def with_section(results: str, heading: str, text: str) -> str:
    """results with the section under heading replaced by text, or text added at the end."""
    bounds = section_bounds(results, heading)
    if bounds is None:
        return results.rstrip("\n") + "\n\n" + text if results.strip() else text
    start, end = bounds
    return results[:start] + text + ("\n" if end < len(results) else "") + results[end:]


def owned_sections(out: Path) -> str:
    """The sections other benchmarks own in out, to append when bench.run rewrites the file."""
    results = out.read_text() if out.exists() else ""
    kept = [section(results, heading) for heading in OWNED_SECTIONS]
    return "".join("\n" + part for part in kept if part)
