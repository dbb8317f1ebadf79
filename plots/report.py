"""The findings report: one section per question with the scorecard's answer and its charts.

Written twice from the same sections, by the two Jinja2 templates in plots/templates/:
report.md (images beside it) and report.html (self-contained, images embedded as base64;
autoescaped). Every number is read from the marts: the answers
from `gqm_scorecard`, the customer count from `churn_overview`.
"""

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from plots.charts import Chart
from plots.formatting import MISSING, count, is_missing, number
from plots.marts import Marts

TITLE = "Customer churn study: findings"


@dataclass(frozen=True)
class Section:
    """One question: its scorecard row as label/text pairs, the finding, and its charts."""

    question_id: str
    question: str
    facts: list[tuple[str, str]]
    finding: str
    charts: list[Path]

    def fact(self, label: str) -> str:
        return dict(self.facts)[label]


def interval(low: float | None, high: float | None) -> str:
    if is_missing(low) or is_missing(high):
        return MISSING
    return f"{number(low)} to {number(high)}"


def yes_no(value: object) -> str:
    return MISSING if is_missing(value) or value is pd.NA else ("yes" if value else "no")


def text(value: object) -> str:
    return MISSING if is_missing(value) or value is pd.NA else str(value)


def sections(marts: Marts, charts: Sequence[Chart], chart_paths: dict[str, Path]) -> list[Section]:
    # Q1, Q2, ..., Q10: by the question's number, not as text
    scorecard = marts.gqm_scorecard.sort_values(
        "question_id", key=lambda ids: ids.str[1:].astype(int)
    )
    return [
        Section(
            row.question_id,
            row.question,
            [
                ("metric", text(row.metric_name)),
                ("value", number(row.value)),
                ("95% interval", interval(row.ci_low, row.ci_high)),
                ("p-value", number(row.p_value)),
                ("test", text(row.statistical_test)),
                ("seed study's claim", text(row.claim)),
                ("verdict", text(row.verdict)),
                ("claim holds", yes_no(row.claim_holds)),
                ("source marts", text(row.source_marts)),
                ("status", text(row.status)),
            ],
            text(row.finding),
            [
                chart_paths[c.name]
                for c in charts
                if row.question_id in c.questions and c.name in chart_paths
            ],
        )
        for row in scorecard.itertuples()
    ]


def introduction(marts: Marts) -> str:
    customers = count(marts.churn_overview["customers"].iloc[0])
    goals = ", ".join(sorted(marts.gqm_scorecard["goal_id"].dropna().unique()))
    return (
        f"The questions of goal {goals} of the study's Goal-Question-Metric tree, answered from "
        f"the warehouse's marts for {customers} customers. Each answer is the question's row of "
        "the gqm_scorecard mart; each chart is titled with the question it answers and drawn "
        "from the marts named under it. A claim's verdict is supported, refuted (the data show "
        "the opposite, or that any effect is too small to matter) or inconclusive (too little "
        "data to tell). A dash marks a value the question does not have; a question the input "
        "cannot answer says so in its status, and has no chart."
    )


SUMMARY_COLUMNS = (
    "metric",
    "value",
    "95% interval",
    "p-value",
    "verdict",
    "claim holds",
    "status",
)
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(["html.j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=StrictUndefined,
)


def markdown_cell(value: str) -> str:
    """A table cell's text with its pipes escaped, so the cell stays one cell."""
    return value.replace("|", "\\|")


def embedded(path: Path) -> str:
    """A PNG as a data URL, so the HTML report stands alone."""
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


TEMPLATES.filters.update(cell=markdown_cell, embedded=embedded)


def render(template: str, intro: str, parts: Sequence[Section]) -> str:
    """The report from one template of plots/templates/ (report.md.j2 or report.html.j2)."""
    return TEMPLATES.get_template(template).render(
        title=TITLE,
        introduction=intro,
        summary_columns=SUMMARY_COLUMNS,
        sections=parts,
    )


def write_report(
    marts: Marts, charts: Sequence[Chart], chart_paths: dict[str, Path], output_dir: Path
) -> tuple[Path, Path]:
    """Writes report.md and report.html into output_dir; returns their paths."""
    parts = sections(marts, charts, chart_paths)
    intro = introduction(marts)
    markdown = output_dir / "report.md"
    markdown.write_text(render("report.md.j2", intro, parts), encoding="utf-8")
    page = output_dir / "report.html"
    page.write_text(render("report.html.j2", intro, parts), encoding="utf-8")
    return page, markdown
