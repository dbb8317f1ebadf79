"""One drawing function per chart type, on a given Axes; charts.py feeds them the marts.

Each draws exactly the numbers it is given (no statistics here) and marks its artists so the
tests can read the drawn values back: bars are BarContainers labelled by series, error bars are
ErrorbarContainers, box parts carry the gid of their role (box, median, whisker, cap).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from matplotlib import colors, patches, transforms
from matplotlib.axes import Axes

from plots import style

ERROR_BAR_STYLE = {"ecolor": style.REFERENCE, "elinewidth": 1.0, "capsize": 2.5, "capthick": 1.0}


@dataclass(frozen=True)
class Series:
    """One bar per position: values and, where the mart has one, their 95% interval."""

    label: str
    values: Sequence[float]
    ci_low: Sequence[float] | None = None
    ci_high: Sequence[float] | None = None


@dataclass(frozen=True)
class BoxStats:
    """A box drawn from precomputed quantiles: whiskers run to the minimum and maximum."""

    label: str
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float


def error_lengths(
    values: Sequence[float], ci_low: Sequence[float], ci_high: Sequence[float]
) -> np.ndarray:
    """matplotlib's asymmetric error lengths, so the whiskers end exactly at the bounds."""
    values = np.asarray(values, dtype=float)
    return np.vstack([values - np.asarray(ci_low, float), np.asarray(ci_high, float) - values])


def grouped_positions(groups: Sequence[str]) -> np.ndarray:
    """Positions 0, 1, 2, ... for items in group order, one empty slot between two groups."""
    positions, position, previous = [], 0.0, None
    for group in groups:
        if previous is not None and group != previous:
            position += 1
        positions.append(position)
        position += 1
        previous = group
    return np.array(positions)


def label_groups(
    ax: Axes, groups: Sequence[str], positions: Sequence[float], axis: Literal["x", "y"]
) -> None:
    """Names each group (an empty name: none) above the axes over its bars (x), or in the empty
    slot before its rows (y)."""
    runs: dict[str, list[float]] = {}
    for group, position in zip(groups, positions, strict=True):
        runs.setdefault(group, []).append(position)
    for group, members in runs.items():
        if not group:
            continue
        if axis == "x":
            placement = transforms.blended_transform_factory(ax.transData, ax.transAxes)
            ax.text(
                np.mean(members),
                1.01,
                group,
                transform=placement,
                ha="center",
                va="bottom",
                fontsize=9,
                style="italic",
                color=style.REFERENCE,
            )
        else:
            placement = transforms.blended_transform_factory(ax.transAxes, ax.transData)
            ax.text(
                0.005,
                min(members) - 0.85,
                group,
                transform=placement,
                ha="left",
                va="center",
                fontsize=9,
                weight="bold",
                color=style.REFERENCE,
            )


def grouped_bars(
    ax: Axes,
    positions: Sequence[float],
    tick_labels: Sequence[str],
    series: Sequence[Series],
    *,
    bar_labels: Sequence[Sequence[str]] | None = None,
) -> None:
    """Vertical bars, one per series side by side at each position, with interval whiskers."""
    positions = np.asarray(positions, dtype=float)
    width = 0.8 / len(series)
    for index, one in enumerate(series):
        offsets = positions + (index - (len(series) - 1) / 2) * width
        has_interval = one.ci_low is not None and one.ci_high is not None
        container = ax.bar(
            offsets,
            one.values,
            width * 0.92,
            yerr=error_lengths(one.values, one.ci_low, one.ci_high) if has_interval else None,
            error_kw=ERROR_BAR_STYLE,
            color=style.SERIES_COLOURS[index % len(style.SERIES_COLOURS)],
            label=one.label,
        )
        if bar_labels is not None:
            # Inside the bar where a whisker would cross a label on top of it.
            inside = {"label_type": "center", "color": "white"} if has_interval else {"padding": 2}
            ax.bar_label(container, labels=bar_labels[index], fontsize=8, **inside)
    ax.set_xticks(positions, tick_labels)
    ax.grid(axis="x", visible=False)


def slant_x_labels(ax: Axes, degrees: float = 35) -> None:
    """Tick labels on the x axis at an angle, ending under their tick, so long ones fit."""
    ax.tick_params(axis="x", labelrotation=degrees)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")


def dots_with_whiskers(
    ax: Axes,
    positions: Sequence[float],
    tick_labels: Sequence[str],
    values: Sequence[float],
    ci_low: Sequence[float],
    ci_high: Sequence[float],
    *,
    highlighted: Sequence[bool],
    highlight_label: str,
    plain_label: str,
) -> None:
    """Horizontal dot-and-whisker rows, top to bottom; highlighted rows in the accent colour."""
    positions = np.asarray(positions, dtype=float)
    values, low, high = (np.asarray(column, dtype=float) for column in (values, ci_low, ci_high))
    highlighted = np.asarray(highlighted, dtype=bool)
    for chosen, colour, label in (
        (~highlighted, style.PRIMARY, plain_label),
        (highlighted, style.HIGHLIGHT, highlight_label),
    ):
        if chosen.any():
            ax.errorbar(
                values[chosen],
                positions[chosen],
                xerr=error_lengths(values[chosen], low[chosen], high[chosen]),
                fmt="o",
                color=colour,
                markersize=5,
                **{**ERROR_BAR_STYLE, "ecolor": colour},
                label=label,
            )
    ax.set_yticks(positions, tick_labels)
    ax.set_ylim(positions.max() + 0.8, positions.min() - 1.8)
    ax.grid(axis="y", visible=False)


def heatmap(
    ax: Axes,
    matrix: np.ndarray,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    cell_text: Sequence[Sequence[str]],
    *,
    colour_map: str,
    norm: colors.Normalize,
    colour_label: str,
    outlined: Sequence[tuple[int, int]] = (),
) -> None:
    """A grid of cells coloured by value (missing cells blank) with each cell's text; outlined
    cells (row, column) get a frame."""
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=colour_map, norm=norm, aspect="auto")
    palette = image.get_cmap()
    for row, texts in enumerate(cell_text):
        for column, text in enumerate(texts):
            if not text:
                continue
            red, green, blue, _ = palette(norm(matrix[row, column]))
            dark_cell = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
            ax.text(
                column,
                row,
                text,
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark_cell else "black",
            )
    for row, column in outlined:
        ax.add_patch(
            patches.Rectangle(
                (column - 0.5, row - 0.5),
                1,
                1,
                fill=False,
                edgecolor=style.REFERENCE,
                linewidth=2,
                gid="outline",
            )
        )
    ax.set_xticks(range(len(column_labels)), column_labels)
    ax.set_yticks(range(len(row_labels)), row_labels)
    ax.grid(visible=False)
    ax.spines[:].set_visible(False)
    ax.figure.colorbar(image, ax=ax, label=colour_label, shrink=0.85)


def scatter_with_line(
    ax: Axes,
    x: Sequence[float],
    y: Sequence[float],
    *,
    slope: float,
    intercept: float,
    points_label: str,
    line_label: str,
) -> None:
    """Points and a straight line y = intercept + slope x across the points' x range."""
    dense = len(x) > 2_000
    ax.scatter(
        x,
        y,
        s=6 if dense else 10,
        alpha=0.3 if dense else 0.6,
        color=style.PRIMARY,
        linewidths=0,
        label=points_label,
    )
    ends = np.array([np.min(x), np.max(x)], dtype=float)
    ax.plot(ends, intercept + slope * ends, color=style.HIGHLIGHT, linewidth=2, label=line_label)


def boxes(ax: Axes, positions: Sequence[float], stats: Sequence[BoxStats]) -> None:
    """Horizontal boxes top to bottom: box q1-q3, a line at the median, whiskers to min and max."""
    drawn = ax.bxp(
        [
            {
                "label": box.label,
                "whislo": box.minimum,
                "q1": box.q1,
                "med": box.median,
                "q3": box.q3,
                "whishi": box.maximum,
            }
            for box in stats
        ],
        positions=positions,
        orientation="horizontal",
        patch_artist=True,
        showfliers=False,
        manage_ticks=False,  # on shared axes it would add every panel's ticks again
        widths=0.6,
        boxprops={"facecolor": style.SERIES_COLOURS[4], "edgecolor": style.REFERENCE},
        medianprops={"color": style.HIGHLIGHT, "linewidth": 2},
        whiskerprops={"color": style.REFERENCE},
        capprops={"color": style.REFERENCE},
    )
    for role, key in (("box", "boxes"), ("median", "medians"), ("whisker", "whiskers")):
        for artist in drawn[key]:
            artist.set_gid(role)
    for artist in drawn["caps"]:
        artist.set_gid("cap")
    ax.set_yticks(positions, [box.label for box in stats])
    ax.set_ylim(max(positions) + 0.6, min(positions) - 1.6)
    ax.grid(axis="y", visible=False)


def intervals_against_margin(
    ax: Axes,
    positions: Sequence[float],
    tick_labels: Sequence[str],
    *,
    verdicts: Sequence[str | None],
    equivalence_low: Sequence[float],
    equivalence_high: Sequence[float],
    margin: float,
    margin_label: str,
    values: Sequence[float] | None = None,
    ci_low: Sequence[float] | None = None,
    ci_high: Sequence[float] | None = None,
    headroom: float = 0.8,
) -> None:
    """Horizontal rows, top to bottom, judged against an equivalence margin: the band from
    -margin to margin (gid 'equivalence margin'), each row's equivalence interval as a thick bar
    (gid 'equivalence interval'), and where given its estimate as a dot with its 95% interval as
    whiskers; headroom is the space above the first row (room for label_groups). The row's
    verdict picks the colour, marker and bar style (style.VERDICT_MARKERS); each
    verdict's rows are one labelled ErrorbarContainer (or, without estimates, one labelled bar
    collection), so the legend names the verdicts and tests can read every row back."""
    positions = np.asarray(positions, dtype=float)
    verdicts = np.asarray([verdict or "" for verdict in verdicts], dtype=object)
    low, high = (np.asarray(column, dtype=float) for column in (equivalence_low, equivalence_high))
    ax.axvspan(
        -margin,
        margin,
        color=style.MARGIN_BAND,
        linewidth=0,
        label=margin_label,
        gid="equivalence margin",
    )
    ax.axvline(0, color=style.REFERENCE, linewidth=0.8)
    for verdict, (marker, colour, filled, bar_style) in style.VERDICT_MARKERS.items():
        chosen = verdicts == verdict
        if not chosen.any():
            continue
        bars = ax.hlines(
            positions[chosen],
            low[chosen],
            high[chosen],
            colors=colour,
            linewidth=6,
            alpha=0.4,
            linestyles=[bar_style],
            label=None if values is not None else verdict,
        )
        bars.set_gid("equivalence interval")
        if values is None:
            continue
        estimates = np.asarray(values, dtype=float)[chosen]
        whiskers = None
        if ci_low is not None and ci_high is not None:
            whiskers = error_lengths(
                estimates, np.asarray(ci_low, float)[chosen], np.asarray(ci_high, float)[chosen]
            )
        ax.errorbar(
            estimates,
            positions[chosen],
            xerr=whiskers,
            fmt=marker,
            color=colour,
            markerfacecolor=colour if filled else "white",
            markersize=6,
            **{**ERROR_BAR_STYLE, "ecolor": colour},
            label=verdict,
        )
    ax.set_yticks(positions, tick_labels)
    ax.set_ylim(positions.max() + 0.8, positions.min() - headroom)
    ax.grid(axis="y", visible=False)
