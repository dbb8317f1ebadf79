"""Fixtures of the plots suite: the seed and the planted warehouse, each drawn once per session.

Until the project builds `gqm_scorecard`, each warehouse is copied and given a STAND-IN
scorecard (bottom of this file); once the mart exists the tests use the real one and the
stand-in goes unused: delete it then.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT_DIR, Warehouse
from matplotlib.figure import Figure
from scipy import stats

from plots.charts import CHARTS, draw_charts
from plots.cli import build_outputs
from plots.marts import read_marts

# Opens the file read-only, as an analyst's notebook would, until its stdin closes.
READ_ONLY_HOLDER = """
import sys, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
print(connection.execute("select count(*) from customers").fetchone()[0], flush=True)
sys.stdin.read()
"""


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
        return {chart.name: self.output_dir / f"{chart.name}.png" for chart in CHARTS}

    @property
    def report_markdown(self) -> Path:
        return self.output_dir / "report.md"

    @property
    def report_html(self) -> Path:
        return self.output_dir / "report.html"


def with_scorecard(warehouse: Warehouse, directory: Path) -> Warehouse:
    if has_scorecard(warehouse.path):
        return warehouse
    return Warehouse(with_standin_scorecard(warehouse.path, directory))


@contextmanager
def another_reader(path: Path) -> Iterator[None]:
    """Another process holds the warehouse file open read-only inside the block."""
    holder = subprocess.Popen(
        [sys.executable, "-c", READ_ONLY_HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert int(holder.stdout.readline()) > 0, "the reader could not open the warehouse"
        yield
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


@pytest.fixture(scope="session")
def seed_plots(seed_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> PlotRun:
    """`python -m plots` on the seed warehouse, run while another process reads the file."""
    directory = tmp_path_factory.mktemp("seed_plots")
    warehouse = with_scorecard(seed_warehouse, directory)
    output_dir = directory / "output"
    with another_reader(warehouse.path):
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
    warehouse = with_scorecard(planted_warehouse, directory)
    outputs = build_outputs(warehouse.path, directory / "output")
    return PlotRun(warehouse, outputs.figures, directory / "output", "")


@pytest.fixture(params=["seed", "planted"])
def plot_run(request: pytest.FixtureRequest) -> PlotRun:
    """Each test taking this runs on the seed and on the planted warehouse."""
    return request.getfixturevalue(f"{request.param}_plots")


def has_scorecard(path: Path) -> bool:
    with duckdb.connect(str(path), read_only=True) as connection:
        tables = connection.sql("select table_name from information_schema.tables").fetchall()
    return ("gqm_scorecard",) in tables


# ---------------------------------------------------------------------------------------------
# STAND-IN for the `gqm_scorecard` mart (the lead's issue), with its schema and GQM.md's rules,
# so the report can be tested before the mart lands. Delete from here down once dbt builds it.
# ---------------------------------------------------------------------------------------------

STANDIN_QUESTIONS = {
    "Q1": "How do age and gender shape purchasing behaviour?",
    "Q2": "Does total spend follow annual income?",
    "Q3": "How engaged are customers?",
    "Q4": "How satisfied are customers?",
    "Q5": "Do support contacts relate to satisfaction?",
    "Q6": "Who opts in to email?",
    "Q7": "How do customers respond to promotions?",
    "Q8": "What is the churn rate, and does churn exceed retention?",
    "Q9": "Which factors go with churn?",
}


def with_standin_scorecard(source: Path, directory: Path) -> Path:
    """A copy of the warehouse at source with the stand-in gqm_scorecard added."""
    copy = directory / "with_standin_scorecard.duckdb"
    shutil.copyfile(source, copy)
    with duckdb.connect(str(copy)) as connection:
        connection.register("standin", standin_scorecard(connection))
        connection.execute("create table gqm_scorecard as select * from standin")
    return copy


def standin_row(question_id: str, metric: str, value: float, **fields: object) -> dict:
    return {
        "question_id": question_id,
        "goal_id": "G1",
        "question": STANDIN_QUESTIONS[question_id],
        "metric_name": metric,
        "value": float(value),
        "ci_low": fields.get("ci_low"),
        "ci_high": fields.get("ci_high"),
        "p_value": fields.get("p_value"),
        "test": fields.get("test"),
        "claim": fields.get("claim"),
        "claim_holds": fields.get("claim_holds"),
        "source_marts": fields["source_marts"],
        "finding": f"stand-in finding for {question_id}: {metric} = {value:.4g}",
    }


def standin_scorecard(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    def first(sql: str) -> pd.Series:
        return connection.sql(sql).df().iloc[0]

    customers = connection.sql("select age_band, total_spend from customers").df()
    bands = connection.sql("select mean_total_spend from demographics where gender = 'all'").df()
    by_band = [group for _, group in customers.groupby("age_band")["total_spend"]]
    spend = first("select * from spend_vs_income where dimension = 'overall'")
    purchases = first(
        "select median from metric_distributions "
        "where metric = 'num_purchases' and dimension = 'overall'"
    )
    scores = connection.sql("select satisfaction_score, customers from satisfaction_distribution")
    scores = scores.df()
    mid = int(scores.loc[scores["satisfaction_score"].between(2, 4), "customers"].sum())
    mid_test = stats.binomtest(mid, int(scores["customers"].sum()), 0.6, alternative="greater")
    mid_interval = mid_test.proportion_ci(method="wilson")
    support = first(
        "select * from metric_correlations "
        "where metric_x = 'num_support_contacts' and metric_y = 'satisfaction_score'"
    )
    opt_in = first("select * from email_opt_in where dimension = 'overall'")
    opt_in_p = stats.binomtest(int(opt_in["opted_in_customers"]), int(opt_in["customers"])).pvalue
    responded = first(
        "select * from promotion_response "
        "where dimension = 'overall' and promotion_response = 'Responded'"
    )
    responded_p = stats.binomtest(
        int(responded["customers_with_response"]),
        int(responded["customers"]),
        alternative="less",
    ).pvalue
    churn = first("select * from churn_overview")
    drivers = connection.sql("select * from churn_drivers").df()
    rows = [
        standin_row(
            "Q1", "spread of mean total spend across age bands (USD)",
            bands["mean_total_spend"].max() - bands["mean_total_spend"].min(),
            p_value=stats.kruskal(*by_band).pvalue, test="Kruskal-Wallis",
            source_marts="demographics",
        ),
        standin_row(
            "Q2", "Pearson r, total spend ~ income", spend["pearson_r"],
            ci_low=spend["pearson_r_ci_low"], ci_high=spend["pearson_r_ci_high"],
            p_value=spend["pearson_p_value"], test="t-test", source_marts="spend_vs_income",
        ),
        standin_row(
            "Q3", "median number of purchases", purchases["median"],
            source_marts="metric_distributions, customer_engagement",
        ),
        standin_row(
            "Q4", "share of scores 2-4", mid / scores["customers"].sum(),
            ci_low=mid_interval.low, ci_high=mid_interval.high, p_value=mid_test.pvalue,
            test="exact binomial, greater than 0.6", claim="satisfaction is mid-range",
            claim_holds=bool(mid_test.pvalue < 0.05), source_marts="satisfaction_distribution",
        ),
        standin_row(
            "Q5", "Pearson r, support contacts ~ satisfaction", support["pearson_r"],
            ci_low=support["pearson_r_ci_low"], ci_high=support["pearson_r_ci_high"],
            p_value=support["pearson_p_value"], test="t-test",
            claim="the support-satisfaction correlation is weak",
            claim_holds=bool(
                support["pearson_r_ci_low"] > -0.3 and support["pearson_r_ci_high"] < 0.3
            ),
            source_marts="metric_correlations",
        ),
        standin_row(
            "Q6", "email opt-in rate", opt_in["rate"],
            ci_low=opt_in["rate_ci_low"], ci_high=opt_in["rate_ci_high"], p_value=opt_in_p,
            test="exact binomial, two-sided against 0.5", claim="about half opt in to email",
            claim_holds=bool(opt_in["rate_ci_low"] >= 0.45 and opt_in["rate_ci_high"] <= 0.55),
            source_marts="email_opt_in",
        ),
        standin_row(
            "Q7", "promotion Responded rate", responded["rate"],
            ci_low=responded["rate_ci_low"], ci_high=responded["rate_ci_high"],
            p_value=responded_p, test="exact binomial, less than 0.5",
            claim="fewer than half respond to promotions", claim_holds=bool(responded_p < 0.05),
            source_marts="promotion_response",
        ),
        standin_row(
            "Q8", "churn rate", churn["churn_rate"],
            ci_low=churn["churn_rate_ci_low"], ci_high=churn["churn_rate_ci_high"],
            p_value=churn["p_value"], test="exact binomial, greater than 0.5",
            claim="churn exceeds retention", claim_holds=bool(churn["churn_exceeds_retention"]),
            source_marts="churn_overview, churn_by_segment",
        ),
        standin_row(
            "Q9", "factors significant after Benjamini-Hochberg",
            drivers["is_significant"].sum(), p_value=drivers["p_value_adjusted"].min(),
            test="chi-square / point-biserial, BH-adjusted", source_marts="churn_drivers",
        ),
    ]  # fmt: skip
    scorecard = pd.DataFrame(rows)
    scorecard["claim_holds"] = scorecard["claim_holds"].astype("boolean")
    return scorecard
