"""The docs site generated once per session from the seed build."""

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Warehouse, run_dbt


@dataclass(frozen=True)
class DocsSite:
    target: Path

    @property
    def index(self) -> Path:
        return self.target / "static_index.html"

    def artifact(self, name: str) -> dict:
        return json.loads((self.target / name).read_text())


@pytest.fixture(scope="session")
def docs_site(seed_warehouse: Warehouse) -> DocsSite:
    """`dbt docs generate --static` against the seed warehouse (catalog from the real tables)."""
    work_dir = seed_warehouse.path.parent / "docs"
    run_dbt(["docs", "generate", "--static"], seed_warehouse.path, work_dir=work_dir)
    return DocsSite(work_dir / "target")
