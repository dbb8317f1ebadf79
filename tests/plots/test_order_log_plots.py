"""The charts and report of an order log (CDNOW): the questions it cannot answer get no chart and
say why in the report; the ones it answers are drawn from its marts (the Q3, Q8 and Q9 chart
tests of test_charts.py, verdicts included, run on it too)."""

import re

import numpy as np
import pandas as pd

from plots import style
from plots.charts import CHARTS, MEASURE_LABELS
from tests.plots.conftest import PlotRun
from tests.plots.test_charts import (
    assert_same_rows,
    drawn_boxes,
    figure,
    gid_text,
    heatmap_cells,
    tick_labels,
    with_labels,
)
from tests.plots.test_outputs import report_sections

# What an order log can answer, and so what it draws.
DRAWN = {
    "q3_engagement_segments",
    "q3_engagement_distributions",
    "q8_churn_by_segment",
    "q8_churn_difference_from_rest",
    "q9_churn_drivers",
    "q10_cohort_retention",
}
ENGAGEMENT_METRICS = ["num_purchases", "last_purchase_days_ago", "days_as_customer", "num_returns"]


def test_only_the_charts_of_answered_questions_are_drawn(cdnow_plots: PlotRun) -> None:
    assert set(cdnow_plots.figures) == DRAWN
    written = {path.stem for path in cdnow_plots.output_dir.glob("*.png")}
    assert written == DRAWN


def test_report_says_why_a_question_is_not_measured_and_shows_no_chart_for_it(
    cdnow_plots: PlotRun,
) -> None:
    scorecard = cdnow_plots.warehouse.table("gqm_scorecard").set_index("question_id")
    sections = report_sections(cdnow_plots.report_markdown.read_text(encoding="utf-8"))
    for question_id, facts in sections.items():
        status = scorecard.at[question_id, "status"]
        assert facts["status"] == status
        expected = [f"{c.name}.png" for c in CHARTS if question_id in c.questions]
        if status == "answered":
            assert facts["charts"] == [name for name in expected if name[:-4] in DRAWN]
        else:
            assert status.startswith("not measured: the order log has no ")
            assert facts["finding"] == status
            assert facts["charts"] == []
    summary = re.findall(
        r"^\| (Q\d)\. [^|]+ \|.* \| ([^|]+) \|$", cdnow_plots.report_markdown.read_text(), re.M
    )
    assert dict(summary)["Q1"] == "not measured: the order log has no age or gender"


def test_engagement_boxes_are_the_order_log_measures_of_metric_distributions(
    cdnow_plots: PlotRun,
) -> None:
    distributions = with_labels(cdnow_plots.warehouse.table("metric_distributions"))
    drawn_axes = [
        ax for ax in figure(cdnow_plots, "q3_engagement_distributions").axes if ax.get_visible()
    ]
    assert [ax.get_xlabel() for ax in drawn_axes] == [MEASURE_LABELS[m] for m in ENGAGEMENT_METRICS]
    for ax, metric in zip(drawn_axes, ENGAGEMENT_METRICS, strict=True):
        expected = distributions[distributions["metric"] == metric]
        assert_same_rows(
            drawn_boxes(ax), expected[["label", "q1", "q3", "median", "min", "max"]], ["label"]
        )


def test_retention_heatmap_draws_each_cohorts_share_per_month_with_its_n(
    cdnow_plots: PlotRun,
) -> None:
    mart = cdnow_plots.warehouse.table("cohort_retention")
    expected = mart.pivot(
        index="cohort_month", columns="months_since_first_order", values="retention_rate"
    ).sort_index()
    sizes = mart.groupby("cohort_month")["cohort_customers"].first().sort_index()
    chart = figure(cdnow_plots, "q10_cohort_retention")
    assert gid_text(chart, "title") == "Q10. How long do customers keep buying?"
    assert f"n = {sizes.sum():,} customers in {len(sizes)} cohorts" in gid_text(chart, "subtitle")
    ax = chart.axes[0]
    (image,) = ax.images
    assert (image.norm.vmin, image.norm.vmax) == (0, 1)
    assert image.get_cmap().name == style.SEQUENTIAL_MAP
    # cohorts down, months across, the later cohorts' unended months blank
    np.testing.assert_allclose(heatmap_cells(ax), expected.to_numpy(dtype=float), rtol=1e-12)
    assert list(tick_labels(ax, "y").values()) == [
        f"{cohort:%Y-%m} (n = {size:,})" for cohort, size in sizes.items()
    ]
    assert list(tick_labels(ax, "x").values()) == [str(month) for month in expected.columns]
    written = {
        (round(text.get_position()[1]), round(text.get_position()[0])): text.get_text()
        for text in ax.texts
    }
    shown = {
        (row, column): f"{100 * share:.0f}%"
        for row, shares in enumerate(expected.to_numpy(dtype=float))
        for column, share in enumerate(shares)
        if not pd.isna(share)
    }
    assert written == shown
    framed = [patch for patch in ax.patches if patch.get_gid() == "outline"]
    assert {round(patch.get_x() + 0.5) for patch in framed} == {3}
    assert len(framed) == expected[3].notna().sum()
