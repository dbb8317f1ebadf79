"""dbt on one engine (a profile target plus its environment), what its build made, and the file
readers of macros/cross_engine.sql seen through it."""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_dbt
from engines.relations import differences


@dataclass(frozen=True)
class Build:
    """One engine's `dbt build` of the project (or of some of its models): how long it took,
    what it ran, what it made, and where dbt wrote its artifacts."""

    target: str
    seconds: float
    node_statuses: dict[str, str]
    relations: dict[str, pd.DataFrame]
    target_dir: Path | None = None


@dataclass(frozen=True)
class Engine:
    """A profile target and the environment variables its output reads; dbt runs in-process.
    Its `dbt build` names its selection: every node (the `every_node` selector of
    selectors.yml), or all but `build_exclude` (a dbt `--exclude` selection)."""

    target: str
    work_dir: Path
    environment: dict[str, str]
    build_exclude: tuple[str, ...] = ()

    def dbt(self, args: list[str]) -> object:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in self.environment.items():
                patch.setenv(name, value)
            # run_dbt names a DuckDB file, which only the duckdb target uses.
            return run_dbt([*args, "--target", self.target], self.work_dir / "warehouse.duckdb")

    @property
    def build_selection(self) -> list[str]:
        """The build's selection, always named: a plain `dbt build` is the main job, which
        leaves the unit tests out (selectors.yml)."""
        if self.build_exclude:
            return ["--exclude", *self.build_exclude]
        return ["--selector", "every_node"]

    @property
    def target_dir(self) -> Path:
        return self.work_dir / "target"

    def build(self, read_relation: Callable[[str], pd.DataFrame]) -> Build:
        """`dbt build` of build_selection, then every relation it made, read back."""
        start = time.perf_counter()
        self.dbt(["build", *self.build_selection])
        seconds = time.perf_counter() - start
        return Build(
            target=self.target,
            seconds=seconds,
            node_statuses=node_statuses(self.target_dir),
            relations={name: read_relation(name) for name in built_relation_names(self.target_dir)},
        )

    def show(self, inline_sql: str) -> pd.DataFrame:
        """Every row of `dbt show --inline`, as dbt returns them (agate's types)."""
        result = self.dbt(["show", "--inline", inline_sql, "--limit", "-1"])
        table = result.result.results[0].agate_table
        return pd.DataFrame([list(row) for row in table.rows], columns=table.column_names)


def built_relation_names(target_dir: Path) -> list[str]:
    """Every table and view the build makes (models and seeds), from dbt's manifest."""
    manifest = json.loads((target_dir / "manifest.json").read_text())
    return sorted(
        node["alias"]
        for node in manifest["nodes"].values()
        if node["resource_type"] in {"model", "seed"}
        and node["config"]["materialized"] != "ephemeral"
    )


def generic_and_unit_tests(target_dir: Path) -> set[str]:
    """unique_id of every generic data test and unit test of the project, from dbt's manifest."""
    manifest = json.loads((target_dir / "manifest.json").read_text())
    generic = {
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "test" and node.get("test_metadata")
    }
    return generic | set(manifest.get("unit_tests", {}))


def node_statuses(target_dir: Path) -> dict[str, str]:
    """unique_id -> status of every node of the last command run with this target dir."""
    results = json.loads((target_dir / "run_results.json").read_text())["results"]
    return {result["unique_id"]: result["status"] for result in results}


# '|' before each text field keeps agate (which types dbt show's rows) from reading '45.15' as a
# number or 'TRUE' as a boolean; it is taken off again.
FILE_READERS_SQL = """
{%- set csv_file = read_csv_as_text(CSV_PATH) -%}
{%- set parquet_file = read_parquet_file(PARQUET_PATH) if PARQUET_PATH else none -%}
{%- if csv_file -%}
select
    csv_file.input_row_number,
    {{ sql_string(csv_file.columns | tojson) }} as csv_header,
    {%- for column in csv_file.columns %}
    '|' || csv_file.field_{{ loop.index }} as {{ adapter.quote('csv ' ~ column) }},
    {%- endfor %}
    {%- for column in (parquet_file.columns if parquet_file else []) %}
    parquet_file.field_{{ loop.index }} as {{ adapter.quote(column) }},
    {%- endfor %}
    {{ 'parquet_file.input_row_number' if parquet_file else 'csv_file.input_row_number' }}
        as parquet_row_number
from ({{ csv_file.sql }}) as csv_file
{%- if parquet_file %}
inner join ({{ parquet_file.sql }}) as parquet_file
    on csv_file.input_row_number = parquet_file.input_row_number
{%- endif %}
{%- else -%}
select 1 as input_row_number
{%- endif %}
"""


def read_through_file_readers(engine: Engine, csv_path: Path, parquet_path: Path | None) -> None:
    """Reads the same customers from a CSV and (unless None) a Parquet file through the engine's
    file readers, and checks them against pandas: the CSV's header and every field as text, the
    Parquet file's columns and values, each row numbered in file order."""
    sql = FILE_READERS_SQL.replace("CSV_PATH", repr(str(csv_path))).replace(
        "PARQUET_PATH", repr(str(parquet_path)) if parquet_path else "none"
    )
    got = engine.show(sql).sort_values("input_row_number").reset_index(drop=True)
    text = pd.read_csv(csv_path, dtype=str, keep_default_na=False)

    assert json.loads(got["csv_header"].iloc[0]) == list(text.columns)
    assert got["input_row_number"].astype(int).tolist() == list(range(1, len(text) + 1))
    assert got["parquet_row_number"].astype(int).tolist() == list(range(1, len(text) + 1))
    for column in text.columns:
        fields = got[f"csv {column}"].str.removeprefix("|")
        assert fields.tolist() == text[column].tolist(), f"CSV column {column}"
    if parquet_path:
        stored = pd.read_parquet(parquet_path)
        problems = differences("parquet", stored, got[list(stored.columns)])
        assert not problems, "\n".join(problems)


def staged_from_file(engine: Engine, path: Path) -> pd.DataFrame:
    """stg_customers as the engine stages it from a customer file (`raw_customers_path`)."""
    engine.dbt(
        [
            "run",
            "--select",
            "+stg_customers",
            "--vars",
            json.dumps({"raw_customers_path": str(path)}),
        ]
    )
    return engine.show("select * from {{ ref('stg_customers') }}")
