"""`python -m plots`: the charts and the report from the warehouse named by RETAIL_CHURN_DB.

Reads the marts (read-only, then closes the file), writes one PNG per chart and report.html /
report.md to plots/output/ (or --output-dir), and prints their paths. A missing warehouse or
mart, or a file another process writes, stops with a message saying what to do, not a traceback.
"""

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

from plots import style
from plots.charts import CHARTS, draw_charts
from plots.marts import PlotsInputError, read_marts
from plots.report import write_report
from warehouse.connection import WarehouseLockedError, warehouse_path

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "output"


@dataclass(frozen=True)
class Outputs:
    """What one run drew and wrote."""

    figures: dict[str, Figure]
    charts: dict[str, Path]
    report_html: Path
    report_markdown: Path


def build_outputs(database: Path, output_dir: Path) -> Outputs:
    """Reads the marts of the warehouse at database; writes the charts and report to output_dir."""
    marts = read_marts(database)
    output_dir.mkdir(parents=True, exist_ok=True)
    figures = draw_charts(marts)
    with style.context():
        charts = {
            name: style.save_png(figure, output_dir / f"{name}.png")
            for name, figure in figures.items()
        }
    report_html, report_markdown = write_report(marts, CHARTS, charts, output_dir)
    return Outputs(figures, charts, report_html, report_markdown)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m plots", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"where the PNGs and the report go (default {DEFAULT_OUTPUT})",
    )
    arguments = parser.parse_args(argv)
    try:
        outputs = build_outputs(warehouse_path(), arguments.output_dir)
    except (PlotsInputError, WarehouseLockedError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Report: {outputs.report_html.resolve()}")
    print(f"        {outputs.report_markdown.resolve()}")
    for index, path in enumerate(outputs.charts.values()):
        print(f"{'Charts:' if index == 0 else '':8}{path.resolve()}")
    return 0
