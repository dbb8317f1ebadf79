"""The README's data contract table says what the contract in dbt_project.yml says."""

import re

import pytest
import yaml
from conftest import PROJECT_DIR

CONTRACT = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"][
    "customer_contract"
]


def readme_contract_rows() -> dict[str, list[str]]:
    section = (PROJECT_DIR / "README.md").read_text().split("## Data contract", 1)[1]
    table = section.split("\n\n")[2]
    cells = [
        [cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]
    ]
    return {row[1]: row for row in cells}


@pytest.mark.parametrize("column", list(CONTRACT))
def test_readme_states_the_contract_of(column: str) -> None:
    rule = CONTRACT[column]
    source, staged_as, column_type, accepted = readme_contract_rows()[column]
    assert (source, staged_as, column_type) == (rule["source"], column, rule["type"])
    if rule["type"] == "category":
        assert accepted == ", ".join(rule["values"])
    elif rule["type"] == "boolean":
        assert accepted == "a boolean spelling"
    else:
        bounds = re.match(r"(-?\d+) to (-?\d+)", accepted)
        assert (int(bounds[1]), int(bounds[2])) == (rule["min"], rule["max"])


def test_readme_table_has_one_row_per_contract_column() -> None:
    assert sorted(readme_contract_rows()) == sorted(CONTRACT)
