"""What `python -m plots` writes: valid PNGs, and a report whose numbers are the scorecard's.

The report is read back the way a person reads it (report.md's tables, report.html's images)
and compared with `gqm_scorecard` queried from the same warehouse.
"""

import base64
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from plots import style
from plots.charts import CHARTS
from plots.report import SUMMARY_COLUMNS, Section, render
from tests.plots.conftest import PlotRun

# The report writes four significant digits.
REPORT_TOLERANCE = 5e-4


def test_each_chart_is_a_png_of_readable_size(plot_run: PlotRun) -> None:
    for name, path in plot_run.charts.items():
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            assert image.format == "PNG"
            width, height = image.size
            assert 1000 <= width <= 1400, name
            assert 350 <= height <= 2000, name
            pixels = np.asarray(image.convert("L"))
        # Mostly white page, but with a real drawing on it: many shades, not a blank frame.
        assert len(np.unique(pixels)) > 50, name
        assert (pixels < 128).mean() > 0.005, name


def number(text: str) -> float:
    return np.nan if text == "\N{EN DASH}" else float(text.replace(",", ""))


def report_sections(markdown: str) -> dict[str, dict[str, str]]:
    """Each question's table (label -> text), finding and charts, read from report.md."""
    sections = {}
    for block in re.split(r"^## ", markdown, flags=re.MULTILINE)[1:]:
        heading, _, body = block.partition("\n")
        question_id, _, question = heading.partition(". ")
        facts = dict(re.findall(r"^\| ([^|]+?) \| (.*?) \|$", body, flags=re.MULTILINE))
        facts["question"] = question
        facts["finding"] = re.search(r"^\*\*Finding:\*\* (.*)$", body, re.MULTILINE).group(1)
        facts["charts"] = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", body)
        sections[question_id] = facts
    return sections


def interval_bounds(text: str) -> tuple[float, float]:
    if text == "\N{EN DASH}":
        return np.nan, np.nan
    low, high = text.split(" to ")
    return number(low), number(high)


def assert_close(shown: float, value: float, label: str) -> None:
    if pd.isna(value):
        assert np.isnan(shown), f"{label}: shows {shown} for a null"
    else:
        assert shown == pytest.approx(value, rel=REPORT_TOLERANCE, abs=1e-12), label


def test_report_numbers_are_the_scorecards(plot_run: PlotRun) -> None:
    scorecard = plot_run.warehouse.table("gqm_scorecard").set_index("question_id")
    sections = report_sections(plot_run.report_markdown.read_text(encoding="utf-8"))
    assert list(sections) == [f"Q{n}" for n in range(1, 11)]
    assert sorted(sections) == sorted(scorecard.index)
    for question_id, facts in sections.items():
        row = scorecard.loc[question_id]
        assert facts["question"] == row["question"]
        assert facts["metric"] == row["metric_name"]
        assert_close(number(facts["value"]), row["value"], f"{question_id} value")
        low, high = interval_bounds(facts["95% interval"])
        assert_close(low, row["ci_low"], f"{question_id} ci_low")
        assert_close(high, row["ci_high"], f"{question_id} ci_high")
        assert_close(number(facts["p-value"]), row["p_value"], f"{question_id} p-value")
        holds = {"yes": True, "no": False, "\N{EN DASH}": None}[facts["claim holds"]]
        assert holds == (None if pd.isna(row["claim_holds"]) else bool(row["claim_holds"]))
        assert facts["verdict"] == ("\N{EN DASH}" if pd.isna(row["verdict"]) else row["verdict"])
        assert facts["finding"] == row["finding"]
        assert facts["status"] == row["status"]
        expected_charts = [
            f"{c.name}.png"
            for c in CHARTS
            if question_id in c.questions and row["status"] == "answered"
        ]
        assert facts["charts"] == expected_charts
        assert all((plot_run.output_dir / chart).is_file() for chart in facts["charts"])


def test_report_summary_table_repeats_each_questions_numbers(plot_run: PlotRun) -> None:
    markdown = plot_run.report_markdown.read_text(encoding="utf-8")
    sections = report_sections(markdown)
    columns = ["metric", "value", "95% interval", "p-value", "verdict", "claim holds", "status"]
    summary = re.findall(r"^\| (Q\d+)\. [^|]+ \| (.*) \|$", markdown, flags=re.MULTILINE)
    assert [question_id for question_id, _ in summary] == list(sections)
    for question_id, cells in summary:
        facts = sections[question_id]
        assert cells.split(" | ") == [facts[column] for column in columns]


def test_html_report_embeds_every_chart_under_its_question(plot_run: PlotRun) -> None:
    page = plot_run.report_html.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", page), "refers to another file"
    # a customer snapshot draws no chart for Q10 (no order dates)
    for question_id in (f"Q{n}" for n in range(1, 10)):
        section = re.search(
            rf'<section id="{question_id.lower()}">(.*?)</section>', page, re.DOTALL
        ).group(1)
        images = re.findall(r'src="data:image/png;base64,([^"]+)"', section)
        expected = [c.name for c in CHARTS if question_id in c.questions]
        assert [base64.b64decode(image) for image in images] == [
            plot_run.charts[name].read_bytes() for name in expected
        ]


def test_python_m_plots_beside_another_reader_prints_the_report_and_every_chart(
    seed_plots: PlotRun,
) -> None:
    # seed_plots ran `python -m plots` while another process had the file open read-only.
    printed = seed_plots.printed.split()
    assert str(seed_plots.report_html) in printed
    assert str(seed_plots.report_markdown) in printed
    for path in seed_plots.charts.values():
        assert str(path) in printed
    assert seed_plots.printed.rstrip().endswith(f"{list(seed_plots.charts)[-1]}.png")


@pytest.mark.parametrize("name", ["q2_spend_vs_income", "q4_satisfaction_distribution"])
def test_the_same_marts_give_byte_identical_pngs(
    seed_plots: PlotRun, name: str, tmp_path: Path
) -> None:
    # The subprocess and this process drew the chart separately from the same warehouse.
    with style.context():
        again = style.save_png(seed_plots.figures[name], tmp_path / f"{name}.png")
    assert again.read_bytes() == seed_plots.charts[name].read_bytes()


def test_report_templates_escape_html_and_keep_markdown_cells_whole() -> None:
    awkward = "<script>alert('x')</script> a | b & c"
    section = Section("Q1", awkward, [(label, awkward) for label in SUMMARY_COLUMNS], awkward, [])
    page = render("report.html.j2", awkward, [section])
    assert "<script>" not in page
    # the intro, the question and its heading, the finding, each summary cell and each fact
    escaped_html = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; a | b &amp; c"
    assert page.count(escaped_html) == 4 + 2 * len(SUMMARY_COLUMNS)
    markdown = render("report.md.j2", "intro", [section])
    escaped = awkward.replace("|", "\\|")
    summary_row = f"| Q1. {escaped} |" + f" {escaped} |" * len(SUMMARY_COLUMNS)
    assert summary_row in markdown.splitlines()
    assert f"| metric | {escaped} |" in markdown.splitlines()
