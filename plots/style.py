"""The look shared by every chart: colours, fonts, sizes, resolution, and the title block.

Drawing and saving happen inside `context()`, so nothing changes matplotlib's global settings.
Saved PNGs carry no software or date metadata: the same marts give byte-identical files.
"""

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
PRIMARY = "#0072B2"
HIGHLIGHT = "#D55E00"  # what passes a significance test
MUTED = "#9A9A9A"
REFERENCE = "#333333"
SEQUENTIAL_MAP = "Blues"
# How a verdict is drawn (marker shape, colour, filled marker, interval bar's line style): an
# effect in the accent colour, no meaningful effect as a filled diamond, inconclusive hollow and
# dashed (the data did not decide), so the three read apart in colour and in shape alike.
VERDICT_MARKERS = {
    "effect": ("o", HIGHLIGHT, True, "solid"),
    "no meaningful effect": ("D", PRIMARY, True, "solid"),
    "inconclusive": ("o", REFERENCE, False, (0, (1.5, 0.8))),
}
MARGIN_BAND = "#CFE3F2"  # the equivalence margin: inside it, an effect is too small to matter
DIVERGING_MAP = "RdBu_r"

WIDTH_INCHES = 11.0
DPI = 110
TITLE_SIZE = 14
SUBTITLE_SIZE = 10
# Characters of subtitle per line; keeps it inside the figure's width at SUBTITLE_SIZE.
SUBTITLE_WRAP = int(WIDTH_INCHES * 13)

RC_PARAMS = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs on every machine
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#E5E5E5",
    "grid.linewidth": 0.8,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "savefig.dpi": DPI,
    "figure.dpi": DPI,
    "path.simplify": False,
}


@contextmanager
def context() -> Iterator[None]:
    """The house style for everything drawn or saved inside the block."""
    with mpl.rc_context(RC_PARAMS):
        yield


def new_figure(
    title: str,
    subtitle: str,
    *,
    height: float,
    nrows: int = 1,
    ncols: int = 1,
    **subplot_kw: object,
) -> tuple[Figure, list[Axes]]:
    """A figure with the title (the question) and subtitle (n, method) above its axes.

    Returns the figure and its axes as a flat list, row by row.
    """
    # No line break inside "r = 0.02": the spaces around "=" do not break.
    subtitle = "\n".join(textwrap.wrap(subtitle.replace(" = ", "\u00a0=\u00a0"), SUBTITLE_WRAP))
    title_lines = title.count("\n") + 1
    subtitle_lines = subtitle.count("\n") + 1
    header_inches = 0.15 + 0.3 * title_lines + 0.21 * subtitle_lines + 0.15
    figure = Figure(figsize=(WIDTH_INCHES, height + header_inches))
    FigureCanvasAgg(figure)
    figure.set_layout_engine(
        "constrained", rect=(0, 0, 1, height / (height + header_inches)), h_pad=0.08, w_pad=0.08
    )
    top = 1 - 0.15 / (height + header_inches)
    figure.text(
        0.012, top, title, ha="left", va="top", fontsize=TITLE_SIZE, weight="bold", gid="title"
    )
    subtitle_top = top - 0.3 * title_lines / (height + header_inches)
    figure.text(
        0.012,
        subtitle_top,
        subtitle,
        ha="left",
        va="top",
        fontsize=SUBTITLE_SIZE,
        color="#444444",
        gid="subtitle",
    )
    axes = figure.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    return figure, list(axes.flat)


def save_png(figure: Figure, path: Path) -> Path:
    """Writes the figure as a PNG without metadata that would change between runs."""
    figure.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
    return path
