"""The findings report: one section per question with the scorecard's answer and its charts.

Written twice from the same sections: report.md (images beside it) and report.html
(self-contained, images embedded as base64). Every number is read from the marts: the answers
from `gqm_scorecard`, the customer count from `churn_overview`.
"""

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

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


def interval(low: float | None, high: float | None) -> str:
    if is_missing(low) or is_missing(high):
        return MISSING
    return f"{number(low)} to {number(high)}"


def yes_no(value: object) -> str:
    return MISSING if is_missing(value) or value is pd.NA else ("yes" if value else "no")


def text(value: object) -> str:
    return MISSING if is_missing(value) or value is pd.NA else str(value)


def sections(marts: Marts, charts: Sequence[Chart], chart_paths: dict[str, Path]) -> list[Section]:
    scorecard = marts.gqm_scorecard.sort_values("question_id")
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
        "from the marts named under it. A dash marks a value the question does not have."
    )


SUMMARY_COLUMNS = ("metric", "value", "95% interval", "p-value", "claim holds")


def write_report(
    marts: Marts, charts: Sequence[Chart], chart_paths: dict[str, Path], output_dir: Path
) -> tuple[Path, Path]:
    """Writes report.md and report.html into output_dir; returns their paths."""
    parts = sections(marts, charts, chart_paths)
    markdown = output_dir / "report.md"
    markdown.write_text(to_markdown(introduction(marts), parts), encoding="utf-8")
    page = output_dir / "report.html"
    page.write_text(to_html(introduction(marts), parts), encoding="utf-8")
    return page, markdown


def cell(value: str) -> str:
    return value.replace("|", "\\|")


def to_markdown(intro: str, parts: Sequence[Section]) -> str:
    lines = [f"# {TITLE}", "", intro, ""]
    lines += [
        f"| question | {' | '.join(SUMMARY_COLUMNS)} |",
        "|---" * (len(SUMMARY_COLUMNS) + 1) + "|",
    ]
    for part in parts:
        facts = dict(part.facts)
        cells = " | ".join(cell(facts[label]) for label in SUMMARY_COLUMNS)
        lines.append(f"| {part.question_id}. {cell(part.question)} | {cells} |")
    for part in parts:
        lines += ["", f"## {part.question_id}. {part.question}", "", "| | |", "|---|---|"]
        lines += [f"| {label} | {cell(value)} |" for label, value in part.facts]
        lines += ["", f"**Finding:** {part.finding}", ""]
        lines += [f"![{part.question_id}: {path.stem}]({path.name})" for path in part.charts]
    return "\n".join(lines) + "\n"


STYLE = """
body { font-family: "DejaVu Sans", Verdana, sans-serif; max-width: 1240px; margin: 2em auto;
       padding: 0 1em; color: #222; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.8em; text-align: left; }
th { background: #f3f3f3; }
section { margin-top: 2.5em; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.6em 0; }
.finding { background: #f5f8fb; border-left: 4px solid #0072B2; padding: 0.5em 0.9em; }
"""


def embedded(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def to_html(intro: str, parts: Sequence[Section]) -> str:
    escape = html.escape
    summary = "".join(
        f'<tr><td><a href="#{part.question_id.lower()}">{escape(part.question_id)}</a> '
        f"{escape(part.question)}</td>"
        + "".join(f"<td>{escape(dict(part.facts)[label])}</td>" for label in SUMMARY_COLUMNS)
        + "</tr>"
        for part in parts
    )
    body = [
        f"<h1>{escape(TITLE)}</h1>",
        f"<p>{escape(intro)}</p>",
        "<table><tr><th>question</th>"
        + "".join(f"<th>{escape(label)}</th>" for label in SUMMARY_COLUMNS)
        + f"</tr>{summary}</table>",
    ]
    for part in parts:
        facts = "".join(
            f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"
            for label, value in part.facts
        )
        images = "".join(
            f'<img src="{embedded(path)}" alt="{escape(part.question_id)}: {escape(path.stem)}">'
            for path in part.charts
        )
        body.append(
            f'<section id="{part.question_id.lower()}">'
            f"<h2>{escape(part.question_id)}. {escape(part.question)}</h2>"
            f"<table>{facts}</table>"
            f'<p class="finding"><strong>Finding:</strong> {escape(part.finding)}</p>'
            f"{images}</section>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(TITLE)}</title><style>{STYLE}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
