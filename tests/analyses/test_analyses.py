"""The example analyst queries in analyses/: each compiles with dbt, runs on the seed warehouse and
answers its question with figures pandas and scipy agree with; every question has one.
"""

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import PROJECT_DIR, Warehouse, run_dbt
from scipy import stats

from bench.reference.customers import ENGAGEMENT_SEGMENTS

ANALYSES_DIR = PROJECT_DIR / "analyses"
ANALYSES = sorted(ANALYSES_DIR.glob("*.sql"))
README = PROJECT_DIR / "README.md"
# Questions only an order log answers: their queries run on the CDNOW build (on the seed they
# return no rows).
ORDER_LOG_ANALYSES = {"q10_cohort_retention"}
QUESTION_ROW = re.compile(r"^\|\s*(Q\d+)\s*\|(?P<cells>.*)$", re.MULTILINE)


@pytest.fixture(scope="module")
def compiled_analyses(
    seed_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """analysis name -> its SQL as dbt compiles it against the seed warehouse."""
    work_dir = tmp_path_factory.mktemp("analyses")
    run_dbt(
        ["compile", "--select", "resource_type:analysis"], seed_warehouse.path, work_dir=work_dir
    )
    compiled_dir = work_dir / "target" / "compiled" / "retail_churn" / "analyses"
    return {path.stem: path.read_text() for path in compiled_dir.glob("*.sql")}


@pytest.fixture(scope="module")
def answers(
    compiled_analyses: dict[str, str], seed_warehouse: Warehouse, request: pytest.FixtureRequest
) -> dict[str, pd.DataFrame]:
    def warehouse(name: str) -> Warehouse:
        if name in ORDER_LOG_ANALYSES:
            return request.getfixturevalue("cdnow_warehouse")
        return seed_warehouse

    return {name: warehouse(name).query(sql) for name, sql in compiled_analyses.items()}


@pytest.mark.parametrize("analysis", ANALYSES, ids=lambda path: path.stem)
def test_analysis_compiles_and_returns_rows(
    analysis: Path, answers: dict[str, pd.DataFrame]
) -> None:
    answer = answers[analysis.stem]
    assert not answer.empty, f"{analysis.name} returned no rows"
    empty_columns = [column for column in answer.columns if answer[column].isna().all()]
    assert not empty_columns, f"{analysis.name}: columns without a value: {empty_columns}"


def question_table() -> dict[str, str]:
    """Question id -> its row of the README table "Questions and where they are answered"."""
    section = README.read_text().split("## Questions and where they are answered", 1)
    assert len(section) == 2, "README.md lacks the section 'Questions and where they are answered'"
    return {match[1]: match["cells"] for match in QUESTION_ROW.finditer(section[1])}


def test_every_question_has_its_marts_and_an_analysis() -> None:
    """Each question of the README's table (Q1-Q10 of the GQM tree) has its analysis and marts.

    The README's table is the repository's copy of the question tree; a question whose query
    or mart is missing fails here by name.
    """
    questions = question_table()
    assert [f"Q{number}" for number in range(1, 11)] == sorted(questions, key=lambda q: int(q[1:]))
    model_names = {path.stem for path in (PROJECT_DIR / "models").rglob("*.sql")}
    missing = []
    for question, cells in questions.items():
        prefix = f"q{question[1:]}_"
        linked = re.findall(r"\]\((analyses/[^)]+\.sql)\)", cells)
        if not linked or not all((PROJECT_DIR / path).is_file() for path in linked):
            missing.append(f"{question}: analysis {linked or 'not linked'}")
        elif not all(Path(path).name.startswith(prefix) for path in linked):
            missing.append(f"{question}: analysis {linked} is not named {prefix}*.sql")
        marts = set(re.findall(r"`(\w+)`", cells))
        if not marts or not marts <= model_names:
            missing.append(f"{question}: marts {sorted(marts - model_names) or 'not named'}")
    assert not missing, "questions not answered yet: " + "; ".join(missing)


def test_every_analysis_answers_a_question() -> None:
    questions = {question.lower() for question in question_table()}
    for analysis in ANALYSES:
        assert analysis.stem.split("_")[0] in questions, f"{analysis.name} answers no question"


# Per question: the columns an analyst reads, and a figure checked against pandas/scipy.
def check_q1(answer: pd.DataFrame, customers: pd.DataFrame) -> None:
    means = customers.groupby(["age_band", "gender"])["total_spend"].mean()
    got = answer.set_index(["age_band", "gender"])["mean_total_spend"]
    np.testing.assert_allclose(got.loc[means.index], means, rtol=1e-9)
    assert answer["customers"].sum() == len(customers)


def check_q2(answer: pd.DataFrame, customers: pd.DataFrame) -> None:
    overall = answer.iloc[0]
    expected = stats.pearsonr(customers["annual_income_k_usd"], customers["total_spend"])
    assert overall["dimension"] == "overall"
    assert overall["pearson_r"] == pytest.approx(expected.statistic, rel=1e-9)
    assert overall["pearson_p_value"] == pytest.approx(expected.pvalue, abs=1e-6)
    assert isinstance(overall["finding"], str) and "r = " in overall["finding"]


def check_q3(answer: pd.DataFrame, customers: pd.DataFrame) -> None:
    sizes = customers["engagement_segment"].value_counts()
    assert list(answer["engagement_segment"]) == [s for s in ENGAGEMENT_SEGMENTS if s in sizes]
    assert dict(zip(answer["engagement_segment"], answer["customers"], strict=True)) == dict(sizes)


def check_q4(answer: pd.DataFrame, customers: pd.DataFrame) -> None:
    shares = customers["satisfaction_score"].value_counts(normalize=True).sort_index()
    np.testing.assert_allclose(answer["share"], shares.to_numpy(), rtol=1e-12)
    assert answer["mean_score"].iloc[0] == pytest.approx(customers["satisfaction_score"].mean())
    assert answer["median_score"].iloc[0] == customers["satisfaction_score"].median()


def check_q5(answer: pd.DataFrame, customers: pd.DataFrame) -> None:
    contacts, scores = customers["num_support_contacts"], customers["satisfaction_score"]
    assert len(answer) == 1
    assert answer["pearson_r"].iloc[0] == pytest.approx(stats.pearsonr(contacts, scores)[0])
    spearman = stats.spearmanr(contacts, scores)
    assert answer["spearman_rho"].iloc[0] == pytest.approx(spearman.statistic, rel=1e-9)
    assert answer["spearman_p_value"].iloc[0] == pytest.approx(spearman.pvalue, abs=1e-6)


def check_q6(answer: pd.DataFrame, customers: pd.DataFrame) -> None:
    overall = answer.iloc[0]
    opted_in = int(customers["is_email_opted_in"].sum())
    interval = stats.binomtest(opted_in, len(customers)).proportion_ci(method="wilson")
    assert overall["segment"] == "all"
    assert overall["rate"] == pytest.approx(opted_in / len(customers), rel=1e-12)
    assert (overall["rate_ci_low"], overall["rate_ci_high"]) == pytest.approx(
        (interval.low, interval.high), rel=1e-12
    )


def check_q7(answer: pd.DataFrame, customers: pd.DataFrame) -> None:
    overall = answer.iloc[0]
    responded = customers["promotion_response"] == "Responded"
    assert overall["segment"] == "all"
    assert overall["responded_customers"] == responded.sum()
    assert overall["rate"] == pytest.approx(responded.mean(), rel=1e-12)


REFERENCE_CHECKS: dict[str, Callable[[pd.DataFrame, pd.DataFrame], None]] = {
    "q1_age_gender_behaviour": check_q1,
    "q2_spend_vs_income": check_q2,
    "q3_engagement": check_q3,
    "q4_satisfaction": check_q4,
    "q5_support_vs_satisfaction": check_q5,
    "q6_email_opt_in": check_q6,
    "q7_promotion_response": check_q7,
}


@pytest.mark.parametrize("analysis", list(REFERENCE_CHECKS))
def test_analysis_answer_agrees_with_pandas(
    analysis: str, answers: dict[str, pd.DataFrame], seed_reference: pd.DataFrame
) -> None:
    REFERENCE_CHECKS[analysis](answers[analysis], seed_reference)
