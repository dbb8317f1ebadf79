"""Fixtures of the plots suite: the seed and the planted warehouse, each drawn once per session."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import PROJECT_DIR, Warehouse, file_held_open
from matplotlib.figure import Figure

from plots.charts import CHARTS, draw_charts
from plots.cli import build_outputs
from plots.marts import read_marts


@dataclass(frozen=True)
class PlotRun:
    """A warehouse with every mart the plots read, the figures drawn from it and the files
    written: by `python -m plots` in a subprocess (printed holds its output) or in-process."""

    warehouse: Warehouse
    figures: dict[str, Figure]
    output_dir: Path
    printed: str

    @property
    def charts(self) -> dict[str, Path]:
        """The PNG of every chart drawn (the charts of the questions the input answers)."""
        return {
            chart.name: self.output_dir / f"{chart.name}.png"
            for chart in CHARTS
            if chart.name in self.figures
        }

    @property
    def report_markdown(self) -> Path:
        return self.output_dir / "report.md"

    @property
    def report_html(self) -> Path:
        return self.output_dir / "report.html"


@pytest.fixture(scope="session")
def seed_plots(seed_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> PlotRun:
    """`python -m plots` on the seed warehouse, run while another process reads the file."""
    directory = tmp_path_factory.mktemp("seed_plots")
    warehouse = seed_warehouse
    output_dir = directory / "output"
    with file_held_open(warehouse.path, read_only=True):
        result = subprocess.run(
            [sys.executable, "-m", "plots", "--output-dir", str(output_dir)],
            cwd=PROJECT_DIR,
            env={**os.environ, "RETAIL_CHURN_DB": str(warehouse.path)},
            capture_output=True,
            text=True,
            timeout=600,
        )
    if result.returncode != 0:
        pytest.fail(f"python -m plots failed on the seed warehouse:\n{result.stderr}")
    figures = draw_charts(read_marts(warehouse.path))
    return PlotRun(warehouse, figures, output_dir, result.stdout)


@pytest.fixture(scope="session")
def planted_plots(
    planted_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory
) -> PlotRun:
    """plots.cli.build_outputs in-process on the planted warehouse."""
    directory = tmp_path_factory.mktemp("planted_plots")
    warehouse = planted_warehouse
    outputs = build_outputs(warehouse.path, directory / "output")
    return PlotRun(warehouse, outputs.figures, directory / "output", "")


@pytest.fixture(scope="session")
def cdnow_plots(cdnow_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> PlotRun:
    """plots.cli.build_outputs in-process on the CDNOW order-log warehouse."""
    output_dir = tmp_path_factory.mktemp("cdnow_plots") / "output"
    outputs = build_outputs(cdnow_warehouse.path, output_dir)
    return PlotRun(cdnow_warehouse, outputs.figures, output_dir, "")


@pytest.fixture(params=["seed", "planted"])
def plot_run(request: pytest.FixtureRequest) -> PlotRun:
    """Each test taking this runs on the seed and on the planted warehouse."""
    return request.getfixturevalue(f"{request.param}_plots")


@pytest.fixture(params=["seed", "planted", "cdnow"])
def any_input_run(request: pytest.FixtureRequest) -> PlotRun:
    """A chart every input draws (Q3, Q8, Q9): on the seed, the planted file and CDNOW."""
    return request.getfixturevalue(f"{request.param}_plots")
