"""The data contract guide's table says what the contract in dbt_project.yml says."""

import re

import pytest
import yaml
from conftest import PROJECT_DIR

from tests.docs import markdown

CONTRACT = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"][
    "customer_contract"
]
GUIDE = PROJECT_DIR / "docs" / "data-contract.md"


def guide_contract_rows() -> dict[str, dict[str, str]]:
    """Staged column -> its row of the guide's contract table."""
    rows = markdown.table(GUIDE.read_text(), "source column")
    return {row["staged as"]: row for row in rows}


@pytest.mark.parametrize("column", list(CONTRACT))
def test_the_guide_states_the_contract_of(column: str) -> None:
    rule = CONTRACT[column]
    row = guide_contract_rows()[column]
    assert (row["source column"], row["type"]) == (rule["source"], rule["type"])
    accepted = row["accepted values or range (inclusive)"]
    if rule["type"] == "category":
        assert accepted == ", ".join(rule["values"])
    elif rule["type"] == "boolean":
        assert accepted == "a boolean spelling"
    else:
        bounds = re.match(r"(-?\d+) to (-?\d+)", accepted)
        assert (int(bounds[1]), int(bounds[2])) == (rule["min"], rule["max"])


def test_the_guide_has_one_row_per_contract_column() -> None:
    assert sorted(guide_contract_rows()) == sorted(CONTRACT)
