"""Each chart draws the marts' numbers: read back from the Figure and compared with the marts.

Runs on the seed and on the planted warehouse. The expected values are queried from the
warehouse here, independently of plots.marts; the drawn values are read from the matplotlib
artists (bar heights, whisker ends, points, lines, heatmap cells, box edges). A chart that drew
nothing, or drew placeholders, has no artists to match and fails.
"""

import math
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.figure import Figure

from plots import style
from plots.charts import CHARTS, FACTOR_LABELS, MEASURE_LABELS, UNTESTABLE
from tests.plots.conftest import PlotRun

TOLERANCE = 1e-9


def figure(run: PlotRun, name: str) -> Figure:
    return run.figures[name]


def gid_text(chart: Figure, gid: str) -> str:
    (text,) = [text for text in chart.texts if text.get_gid() == gid]
    return text.get_text().replace("\u00a0", " ")


def tick_labels(ax: Axes, axis: str) -> dict[float, str]:
    """Tick position -> label text, also where a shared axis hides the labels."""
    scale = ax.xaxis if axis == "x" else ax.yaxis
    label_of = scale.get_major_formatter()
    return {
        float(tick): label_of(tick, index).replace("\n", " ")
        for index, tick in enumerate(scale.get_majorticklocs())
    }


def nearest(labels: dict[float, str], position: float) -> str:
    return labels[min(labels, key=lambda tick: abs(tick - position))]


def drawn_bars(ax: Axes, axis: str = "x") -> pd.DataFrame:
    """One row per bar: its series, the tick label it stands at, its length and whisker ends."""
    labels = tick_labels(ax, axis)
    rows = []
    for container in ax.containers:
        if not isinstance(container, BarContainer):
            continue
        whiskers = container.errorbar.lines[2][0].get_segments() if container.errorbar else None
        if whiskers is not None:
            assert len(whiskers) == len(container.patches)
        for index, bar in enumerate(container.patches):
            if axis == "x":
                centre, length = bar.get_x() + bar.get_width() / 2, bar.get_height()
            else:
                centre, length = bar.get_y() + bar.get_height() / 2, bar.get_width()
            ends = (
                sorted(whiskers[index][:, 1 if axis == "x" else 0])
                if whiskers is not None
                else (math.nan, math.nan)
            )
            rows.append(
                {
                    "series": container.get_label(),
                    "label": nearest(labels, centre),
                    "value": length,
                    "low": ends[0],
                    "high": ends[1],
                    "colour": to_hex(bar.get_facecolor()),
                }
            )
    return pd.DataFrame(rows)


def assert_same_rows(drawn: pd.DataFrame, expected: pd.DataFrame, keys: list[str]) -> None:
    """Same keys, and the numbers of every other column of expected equal, row by row."""
    assert len(drawn) == len(expected) > 0, f"drew {len(drawn)} rows, the mart has {len(expected)}"
    drawn = drawn.sort_values(keys).reset_index(drop=True)
    expected = expected.sort_values(keys).reset_index(drop=True)
    for key in keys:
        assert drawn[key].tolist() == expected[key].tolist(), key
    for column in expected.columns.difference(keys):
        np.testing.assert_allclose(
            drawn[column].astype(float),
            expected[column].astype(float),
            rtol=TOLERANCE,
            atol=TOLERANCE,
            err_msg=column,
        )


def segment_label(dimension: str, segment: str) -> str:
    return "everyone" if dimension == "overall" else segment


def with_labels(frame: pd.DataFrame) -> pd.DataFrame:
    labels = [
        segment_label(d, s) for d, s in zip(frame["dimension"], frame["segment"], strict=True)
    ]
    return frame.assign(label=labels)


def test_every_chart_is_titled_with_its_questions_and_states_n(plot_run: PlotRun) -> None:
    questions = plot_run.warehouse.table("gqm_scorecard").set_index("question_id")["question"]
    customers = plot_run.warehouse.query("select count(*) as n from customers")["n"].iloc[0]
    # a snapshot answers every question but Q10, which needs order dates
    snapshot_charts = [chart for chart in CHARTS if chart.questions != ("Q10",)]
    assert set(plot_run.figures) == {chart.name for chart in snapshot_charts}
    for chart in snapshot_charts:
        drawn = figure(plot_run, chart.name)
        expected = "\n".join(f"{qid}. {questions[qid]}" for qid in chart.questions)
        assert gid_text(drawn, "title") == expected
        assert f"n = {customers:,}" in gid_text(drawn, "subtitle"), chart.name
    answered = {qid for chart in CHARTS for qid in chart.questions}
    assert answered == {f"Q{number}" for number in range(1, 11)}


def test_demographics_bars_are_each_cells_customers_and_mean_spend(plot_run: PlotRun) -> None:
    cells = plot_run.warehouse.query(
        "select age_band as label, gender as series, customers, mean_total_spend "
        "from demographics where age_band <> 'all' and gender <> 'all'"
    )
    counts_ax, spend_ax = figure(plot_run, "q1_demographics").axes
    for ax, column in ((counts_ax, "customers"), (spend_ax, "mean_total_spend")):
        drawn = drawn_bars(ax)[["series", "label", "value"]]
        expected = cells[["series", "label", column]].rename(columns={column: "value"})
        assert_same_rows(drawn, expected, ["series", "label"])
    assert "(USD)" in spend_ax.get_ylabel()


def test_scatter_draws_every_kth_customer_and_the_least_squares_line(plot_run: PlotRun) -> None:
    customers = plot_run.warehouse.query(
        "select annual_income_k_usd, total_spend from customers order by customer_id"
    )
    step = math.ceil(len(customers) / 5000)
    expected = customers.iloc[::step].to_numpy()
    (ax,) = figure(plot_run, "q2_spend_vs_income").axes
    (points,) = ax.collections
    np.testing.assert_array_equal(points.get_offsets(), expected)
    assert len(expected) <= 5000
    overall = plot_run.warehouse.query(
        "select * from spend_vs_income where dimension = 'overall'"
    ).iloc[0]
    (line,) = ax.lines
    x, y = line.get_xdata(), line.get_ydata()
    assert (x.min(), x.max()) == (expected[:, 0].min(), expected[:, 0].max())
    np.testing.assert_allclose(y, overall["ols_intercept"] + overall["ols_slope"] * x)
    legend = " ".join(text.get_text() for text in ax.get_legend().get_texts())
    drawn_r = float(re.search(r"r = (-?[\d.]+) ", legend).group(1))
    assert drawn_r == pytest.approx(overall["pearson_r"], abs=5e-4)
    assert_p_value_shown(legend, overall["pearson_p_value"])
    assert "income (thousand USD)" in ax.get_xlabel()
    assert "(USD)" in ax.get_ylabel()


def assert_p_value_shown(text: str, p_value: float) -> None:
    shown = re.search(r"p ([<>=]) ([\d.]+)", text)
    assert shown, f"no p-value in {text!r}"
    relation, number = shown.group(1), float(shown.group(2))
    if relation == "<":
        assert p_value < number
    elif relation == ">":
        assert p_value > number
    else:
        assert float(f"{p_value:.2g}") == number


def test_engagement_bars_are_the_segments_size_purchases_and_recency(
    any_input_run: PlotRun,
) -> None:
    segments = any_input_run.warehouse.table("customer_engagement")
    axes = figure(any_input_run, "q3_engagement_segments").axes
    columns = ("customers", "mean_num_purchases", "mean_last_purchase_days_ago")
    for ax, column in zip(axes, columns, strict=True):
        drawn = drawn_bars(ax)[["label", "value"]]
        expected = segments.rename(columns={"engagement_segment": "label", column: "value"})
        assert_same_rows(drawn, expected[["label", "value"]], ["label"])


def drawn_boxes(ax: Axes) -> pd.DataFrame:
    """One row per horizontal box: its tick label, box edges, median and whisker ends."""
    labels = tick_labels(ax, "y")
    parts = {
        role: [a for a in [*ax.lines, *ax.patches] if a.get_gid() == role]
        for role in ("box", "median", "whisker")
    }
    rows = []
    for index, box in enumerate(parts["box"]):
        corners = box.get_path().vertices
        low_whisker, high_whisker = parts["whisker"][2 * index : 2 * index + 2]
        rows.append(
            {
                "label": nearest(labels, corners[:, 1].mean()),
                "q1": corners[:, 0].min(),
                "q3": corners[:, 0].max(),
                "median": parts["median"][index].get_xdata()[0],
                "min": min(low_whisker.get_xdata()),
                "max": max(high_whisker.get_xdata()),
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("chart", "metrics"),
    [
        (
            "q3_engagement_distributions",
            ["num_purchases", "last_purchase_days_ago", "years_as_customer", "num_returns"],
        ),
        ("q4_satisfaction_by_segment", ["satisfaction_score"]),
    ],
)
def test_box_plots_are_the_quartiles_min_and_max_of_metric_distributions(
    plot_run: PlotRun, chart: str, metrics: list[str]
) -> None:
    distributions = with_labels(plot_run.warehouse.table("metric_distributions"))
    drawn_axes = [ax for ax in figure(plot_run, chart).axes if ax.get_visible()]
    assert len(drawn_axes) == len(metrics)
    for ax, metric in zip(drawn_axes, metrics, strict=True):
        expected = distributions[distributions["metric"] == metric]
        assert ax.get_xlabel() == MEASURE_LABELS[metric]
        assert_same_rows(
            drawn_boxes(ax), expected[["label", "q1", "q3", "median", "min", "max"]], ["label"]
        )


def test_satisfaction_bars_are_the_shares_with_their_wilson_intervals(plot_run: PlotRun) -> None:
    scores = plot_run.warehouse.query(
        "select cast(satisfaction_score as varchar) as label, share as value, "
        "share_ci_low as low, share_ci_high as high from satisfaction_distribution"
    )
    (ax,) = figure(plot_run, "q4_satisfaction_distribution").axes
    drawn = drawn_bars(ax)[["label", "value", "low", "high"]]
    assert_same_rows(drawn, scores, ["label"])
    assert ax.get_ylim()[0] == 0


def heatmap_cells(ax: Axes) -> np.ndarray:
    (image,) = ax.images
    return np.ma.filled(image.get_array().astype(float), np.nan)


def test_support_heatmap_cells_are_the_shares_within_each_contact_count(
    plot_run: PlotRun,
) -> None:
    cells = plot_run.warehouse.table("support_vs_satisfaction")
    expected = cells.pivot(
        index="num_support_contacts", columns="satisfaction_score", values="share_within_contacts"
    ).sort_index()
    ax = figure(plot_run, "q5_support_vs_satisfaction").axes[0]
    np.testing.assert_allclose(heatmap_cells(ax), expected.to_numpy(), rtol=TOLERANCE)
    assert list(tick_labels(ax, "x").values()) == [str(s) for s in expected.columns]
    assert [label.split(" ")[0] for label in tick_labels(ax, "y").values()] == [
        str(c) for c in expected.index
    ]
    pair = plot_run.warehouse.query(
        "select pearson_r, pearson_p_value from metric_correlations "
        "where metric_x = 'num_support_contacts' and metric_y = 'satisfaction_score'"
    ).iloc[0]
    subtitle = gid_text(figure(plot_run, "q5_support_vs_satisfaction"), "subtitle")
    assert f"Pearson r = {pair['pearson_r']:.3f}" in subtitle
    assert_p_value_shown(subtitle, pair["pearson_p_value"])


def test_correlation_matrix_is_pearson_r_centred_on_0_with_significant_cells_marked(
    plot_run: PlotRun,
) -> None:
    pairs = plot_run.warehouse.table("metric_correlations")
    ax = figure(plot_run, "q2_q5_correlation_matrix").axes[0]
    (image,) = ax.images
    assert (image.norm.vmin, image.norm.vmax) == (-1, 1)
    assert image.get_cmap().name == style.DIVERGING_MAP
    cells = heatmap_cells(ax)
    rows, columns = list(tick_labels(ax, "y").values()), list(tick_labels(ax, "x").values())
    texts = {
        (round(text.get_position()[1]), round(text.get_position()[0])): text.get_text()
        for text in ax.texts
    }
    drawn = pd.DataFrame(
        [
            {
                "pair": frozenset({rows[row], columns[column]}),
                "pearson_r": cells[row, column],
                "marked": texts[(row, column)].endswith("*"),
            }
            for row, column in zip(*np.nonzero(~np.isnan(cells)), strict=True)
        ]
    )
    expected = pd.DataFrame(
        {
            "pair": [
                frozenset({MEASURE_LABELS[x], MEASURE_LABELS[y]})
                for x, y in zip(pairs["metric_x"], pairs["metric_y"], strict=True)
            ],
            "pearson_r": pairs["pearson_r"],
            "marked": pairs["is_significant"].fillna(False).astype(bool),
        }
    )
    merged = expected.merge(drawn, on="pair", how="outer", suffixes=("", "_drawn"))
    assert len(merged) == len(pairs) == len(drawn) > 0
    np.testing.assert_allclose(merged["pearson_r_drawn"], merged["pearson_r"], rtol=TOLERANCE)
    assert merged["marked_drawn"].tolist() == merged["marked"].tolist()
    outlines = [patch for patch in ax.patches if patch.get_gid() == "outline"]
    framed = {
        frozenset({rows[round(p.get_y() + 0.5)], columns[round(p.get_x() + 0.5)]}) for p in outlines
    }
    assert framed == {
        frozenset({MEASURE_LABELS["annual_income_k_usd"], MEASURE_LABELS["total_spend"]}),
        frozenset({MEASURE_LABELS["num_support_contacts"], MEASURE_LABELS["satisfaction_score"]}),
    }


def test_opt_in_bars_are_each_segments_rate_with_its_wilson_interval(plot_run: PlotRun) -> None:
    rates = with_labels(plot_run.warehouse.table("email_opt_in"))
    (ax,) = figure(plot_run, "q6_email_opt_in").axes
    expected = rates.rename(columns={"rate": "value", "rate_ci_low": "low", "rate_ci_high": "high"})
    drawn = drawn_bars(ax)[["label", "value", "low", "high"]]
    assert_same_rows(drawn, expected[["label", "value", "low", "high"]], ["label"])
    assert ax.get_ylim() == (0, 1)


def test_promotion_bars_are_each_responses_rate_with_its_wilson_interval(
    plot_run: PlotRun,
) -> None:
    rates = with_labels(plot_run.warehouse.table("promotion_response"))
    (ax,) = figure(plot_run, "q7_promotion_response").axes
    expected = rates.rename(
        columns={
            "promotion_response": "series",
            "rate": "value",
            "rate_ci_low": "low",
            "rate_ci_high": "high",
        }
    )[["series", "label", "value", "low", "high"]]
    drawn = drawn_bars(ax)[["series", "label", "value", "low", "high"]]
    assert_same_rows(drawn, expected, ["series", "label"])
    assert set(drawn["series"]) == {"Responded", "Ignored", "Unsubscribed"}
    assert ax.get_ylim() == (0, 1)


def drawn_dots(ax: Axes) -> pd.DataFrame:
    """One row per dot-and-whisker: tick label, position, value, whisker ends, highlighted."""
    labels = tick_labels(ax, "y")
    rows = []
    for container in ax.containers:
        if not isinstance(container, ErrorbarContainer):
            continue
        dots, _, (whiskers,) = container.lines
        highlighted = to_hex(dots.get_color()) == to_hex(style.HIGHLIGHT)
        for x, y, segment in zip(
            dots.get_xdata(), dots.get_ydata(), whiskers.get_segments(), strict=True
        ):
            low, high = sorted(segment[:, 0])
            rows.append(
                {
                    "label": nearest(labels, y),
                    "position": y,
                    "value": x,
                    "low": low,
                    "high": high,
                    "highlighted": highlighted,
                }
            )
    return pd.DataFrame(rows)


def test_churn_dots_are_every_segments_rate_and_interval_against_the_overall_rate(
    any_input_run: PlotRun,
) -> None:
    segments = with_labels(any_input_run.warehouse.table("churn_by_segment"))
    overview = any_input_run.warehouse.table("churn_overview").iloc[0]
    (ax,) = figure(any_input_run, "q8_churn_by_segment").axes
    drawn = drawn_dots(ax)
    expected = segments.rename(
        columns={"churn_rate": "value", "churn_rate_ci_low": "low", "churn_rate_ci_high": "high"}
    )
    keys = ["label", "value"]  # a label alone may repeat across dimensions
    assert_same_rows(drawn[[*keys, "low", "high"]], expected[[*keys, "low", "high"]], keys)
    significant = set(expected.loc[expected["p_value_adjusted"] < 0.05, "label"])
    assert set(drawn.loc[drawn["highlighted"], "label"]) == significant
    reference = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert [line.get_xdata()[0] for line in reference] == [overview["churn_rate"]]
    assert ax.get_xlim() == (0, 1)
    # Within a dimension, segments run in the mart's order (bands by value), top to bottom.
    merged = expected.merge(drawn, on=keys)
    for _, dimension in merged.groupby("dimension"):
        ordered = dimension.sort_values("segment_order")
        assert ordered["position"].is_monotonic_increasing, ordered["label"].tolist()


def drawn_intervals(ax: Axes) -> pd.DataFrame:
    """One row per row of an intervals_against_margin chart: its tick label, position, verdict
    (the label of the artists it is drawn with), the ends of its thick equivalence bar, and
    where drawn its dot, the dot's whisker ends and whether the dot is hollow."""
    labels = tick_labels(ax, "y")
    bars = {}
    for collection in ax.collections:
        if collection.get_gid() != "equivalence interval":
            continue
        for segment in collection.get_segments():
            low, high = sorted(segment[:, 0])
            bars[float(segment[0, 1])] = (low, high, collection.get_label())
    rows = []
    dots = {}
    for container in ax.containers:
        if not isinstance(container, ErrorbarContainer):
            continue
        markers, _, whisker_lines = container.lines
        whiskers = whisker_lines[0].get_segments() if whisker_lines else None
        hollow = to_hex(markers.get_markerfacecolor()) == "#ffffff"
        for index, (x, y) in enumerate(zip(markers.get_xdata(), markers.get_ydata(), strict=True)):
            low, high = sorted(whiskers[index][:, 0]) if whiskers else (math.nan, math.nan)
            dots[float(y)] = (x, low, high, hollow, container.get_label())
    for position, (equivalence_low, equivalence_high, bar_label) in bars.items():
        value, low, high, hollow, dot_label = dots.get(
            position, (math.nan, math.nan, math.nan, None, None)
        )
        rows.append(
            {
                "label": nearest(labels, position),
                "position": position,
                "verdict": dot_label if dot_label is not None else bar_label,
                "value": value,
                "low": low,
                "high": high,
                "equivalence_low": equivalence_low,
                "equivalence_high": equivalence_high,
                "hollow": hollow,
            }
        )
    assert set(dots) <= set(bars), "a dot without its equivalence bar"
    return pd.DataFrame(rows)


def margin_band(ax: Axes) -> tuple[float, float]:
    """The x extent of the shaded equivalence margin."""
    (band,) = [patch for patch in ax.patches if patch.get_gid() == "equivalence margin"]
    return band.get_x(), band.get_x() + band.get_width()


def test_churn_differences_are_each_segments_difference_interval_and_verdict(
    any_input_run: PlotRun,
) -> None:
    segments = with_labels(any_input_run.warehouse.table("churn_by_segment"))
    tested = segments[segments["churn_rate_difference"].notna()]
    chart = figure(any_input_run, "q8_churn_difference_from_rest")
    (ax,) = chart.axes
    drawn = drawn_intervals(ax)
    expected = tested.rename(
        columns={
            "churn_rate_difference": "value",
            "churn_rate_difference_ci_low": "low",
            "churn_rate_difference_ci_high": "high",
            "churn_rate_difference_equivalence_low": "equivalence_low",
            "churn_rate_difference_equivalence_high": "equivalence_high",
        }
    )
    keys = ["label", "value"]  # a label alone may repeat across dimensions
    numbers = ["low", "high", "equivalence_low", "equivalence_high"]
    assert_same_rows(drawn[keys + numbers], expected[keys + numbers], keys)
    merged = expected.merge(drawn, on=keys, suffixes=("", "_drawn"))
    assert merged["verdict_drawn"].tolist() == merged["verdict"].tolist()
    # inconclusive reads apart from no meaningful effect without colour: its dot is hollow
    assert (merged["hollow"] == (merged["verdict"] == "inconclusive")).all()
    (margin,) = tested["equivalence_margin"].unique()
    assert margin_band(ax) == pytest.approx((-margin, margin), abs=TOLERANCE)
    assert "no meaningful effect" in gid_text(chart, "subtitle")


def test_driver_rows_are_what_each_verdict_judges_against_its_margin(
    any_input_run: PlotRun,
) -> None:
    """One panel per factor type the input has: numeric factors as r with the interval of r,
    categorical ones as the range of their levels' churn-rate differences; a factor without a
    test has no bar and says why."""
    drivers = any_input_run.warehouse.table("churn_drivers")
    chart = figure(any_input_run, "q9_churn_drivers")
    kinds = [kind for kind in ("numeric", "categorical") if (drivers["factor_type"] == kind).any()]
    assert len(chart.axes) == len(kinds)
    for ax, kind in zip(chart.axes, kinds, strict=True):
        rows = drivers[drivers["factor_type"] == kind]
        judged = rows[rows["verdict"].notna()]
        expected = pd.DataFrame(
            {
                "label": judged["factor"].map(FACTOR_LABELS),
                "verdict": judged["verdict"],
                "value": judged["effect_size"] if kind == "numeric" else math.nan,
                "equivalence_low": judged["equivalence_low"],
                "equivalence_high": judged["equivalence_high"],
            }
        )
        drawn = drawn_intervals(ax)
        numbers = ["value", "equivalence_low", "equivalence_high"]
        assert_same_rows(drawn[["label", *numbers]], expected[["label", *numbers]], ["label"])
        merged = expected.merge(drawn, on="label", suffixes=("", "_drawn"))
        assert merged["verdict_drawn"].tolist() == merged["verdict"].tolist()
        (margin,) = rows["equivalence_margin"].unique()
        assert margin_band(ax) == pytest.approx((-margin, margin), abs=TOLERANCE)
        annotations = {
            nearest(tick_labels(ax, "y"), text.xy[1]): text.get_text() for text in ax.texts
        }
        assert sorted(annotations) == sorted(rows["factor"].map(FACTOR_LABELS))
        for factor, adjusted in zip(rows["factor"], rows["p_value_adjusted"], strict=True):
            shown = annotations[FACTOR_LABELS[factor]]
            if pd.isna(adjusted):
                assert shown == UNTESTABLE
            else:
                assert_p_value_shown(shown, adjusted)
    legend = {text.get_text() for text in chart.legends[0].texts}
    assert set(drivers["verdict"].dropna()) <= legend


def test_planted_support_contacts_are_marked_where_the_seed_marks_nothing(
    seed_plots: PlotRun, planted_plots: PlotRun
) -> None:
    seed = drawn_dots(figure(seed_plots, "q8_churn_by_segment").axes[0])
    planted = drawn_dots(figure(planted_plots, "q8_churn_by_segment").axes[0])
    assert not seed["highlighted"].any()
    assert {"none", "1-2", "3+"} <= set(planted.loc[planted["highlighted"], "label"])
    seed = drawn_intervals(figure(seed_plots, "q8_churn_difference_from_rest").axes[0])
    planted = drawn_intervals(figure(planted_plots, "q8_churn_difference_from_rest").axes[0])
    assert not (seed["verdict"] == "effect").any()
    assert {"none", "3+"} <= set(planted.loc[planted["verdict"] == "effect", "label"])
    seed_drivers = drawn_intervals(figure(seed_plots, "q9_churn_drivers").axes[0])
    planted_drivers = drawn_intervals(figure(planted_plots, "q9_churn_drivers").axes[0])
    assert not (seed_drivers["verdict"] == "effect").any()
    marked = planted_drivers.loc[planted_drivers["verdict"] == "effect", "label"]
    assert marked.tolist() == [MEASURE_LABELS["num_support_contacts"]]
