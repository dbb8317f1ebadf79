"""gqm_scorecard against scipy applying each question's rule to the same customers."""

import math

import pandas as pd
import pytest
from conftest import Warehouse

from bench.reference.scorecard import gqm_scorecard


def compare(warehouse: Warehouse, customers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    got = warehouse.table("gqm_scorecard").set_index("question_id").sort_index()
    expected = gqm_scorecard(customers).set_index("question_id").sort_index()
    assert list(got.index) == [f"Q{number}" for number in range(1, 10)]
    for question, row in expected.iterrows():
        for column in ["value", "ci_low", "ci_high", "p_value"]:
            want = row[column]
            have = got.loc[question, column]
            if want is None or (isinstance(want, float) and math.isnan(want)):
                assert pd.isna(have), f"{question}.{column}: expected none, got {have}"
            else:
                tolerance = 1e-6 if column == "p_value" else 1e-9
                assert have == pytest.approx(want, abs=tolerance, rel=tolerance), (
                    f"{question}.{column}"
                )
        if row["claim_holds"] is not None and not pd.isna(row["claim_holds"]):
            assert bool(got.loc[question, "claim_holds"]) == bool(row["claim_holds"]), question
    return got, expected


def test_scorecard_on_the_real_data_equals_scipy(
    seed_warehouse: Warehouse, seed_reference: pd.DataFrame
) -> None:
    got, _ = compare(seed_warehouse, seed_reference)
    assert got["finding"].notna().all()


def test_scorecard_on_the_planted_file_finds_the_planted_effects(
    planted_warehouse: Warehouse, planted_reference: pd.DataFrame
) -> None:
    got, expected = compare(planted_warehouse, planted_reference)
    assert bool(got.loc["Q2", "claim_holds"]), "spend~income is planted at r = 0.5"
    assert expected.loc["Q9", "significant_factors"] == ["num_support_contacts"]
    assert "num_support_contacts" in got.loc["Q9", "finding"]


def test_scorecard_findings_quote_the_figures_they_decide_on(seed_warehouse: Warehouse) -> None:
    got = seed_warehouse.table("gqm_scorecard").set_index("question_id")
    assert f"{100 * got.loc['Q6', 'value']:.1f}%" in got.loc["Q6", "finding"]
    assert f"{100 * got.loc['Q7', 'value']:.1f}%" in got.loc["Q7", "finding"]
    held = "holds" if got.loc["Q7", "claim_holds"] else "is not supported"
    assert got.loc["Q7", "finding"].endswith(held)
