"""MetricFlow's metrics, queried through `mf` like an analyst would, equal the marts."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT_DIR, Warehouse

REQUIRED_METRICS = [
    "churn_rate",
    "customer_count",
    "churned_customers",
    "promotion_response_rate",
    "email_opt_in_rate",
    "average_satisfaction",
    "average_total_spend",
    "average_transaction_amount",
    "support_contacts_per_customer",
]
PROJECT_FILES = [
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "tests",
    "analyses",
]


@pytest.fixture(scope="module")
def metricflow_project(seed_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project as `mf` expects it, with target/ holding the seed build's semantic manifest.

    mf reads <project root>/target/semantic_manifest.json; the test build wrote its artifacts
    elsewhere, so mf runs in a folder of links to the project plus that artifact.
    """
    root = tmp_path_factory.mktemp("metricflow")
    for name in PROJECT_FILES:
        if (PROJECT_DIR / name).exists():
            (root / name).symlink_to(PROJECT_DIR / name)
    (root / "target").mkdir()
    manifest = seed_warehouse.path.parent / "target" / "semantic_manifest.json"
    (root / "target" / "semantic_manifest.json").write_bytes(manifest.read_bytes())
    return root


def mf(project: Path, warehouse: Warehouse, *args: str) -> str:
    mf_command = Path(sys.executable).parent / "mf"
    completed = subprocess.run(
        [str(mf_command), *args],
        cwd=project,
        env={**os.environ, "RETAIL_CHURN_DB": str(warehouse.path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def mf_query(project: Path, warehouse: Warehouse, tmp_path: Path, *args: str) -> pd.DataFrame:
    out = tmp_path / "query.csv"
    mf(project, warehouse, "query", *args, "--csv", str(out), "--quiet")
    return pd.read_csv(out)


def test_metricflow_churn_rate_by_gender_equals_the_churn_by_segment_mart(
    metricflow_project: Path, seed_warehouse: Warehouse, tmp_path: Path
) -> None:
    got = (
        mf_query(
            metricflow_project,
            seed_warehouse,
            tmp_path,
            "--metrics",
            "churn_rate,customer_count,churned_customers",
            "--group-by",
            "customer__gender",
        )
        .set_index("customer__gender")
        .sort_index()
    )
    mart = (
        seed_warehouse.query(
            "select segment, churn_rate, customers, churned_customers from churn_by_segment "
            "where dimension = 'gender'"
        )
        .set_index("segment")
        .sort_index()
    )
    assert list(got.index) == list(mart.index)
    assert (got["churn_rate"] - mart["churn_rate"]).abs().max() < 1e-12
    assert got["customer_count"].tolist() == mart["customers"].tolist()
    assert got["churned_customers"].tolist() == mart["churned_customers"].tolist()


def test_metricflow_averages_and_rates_equal_pandas_on_the_seed(
    metricflow_project: Path,
    seed_warehouse: Warehouse,
    tmp_path: Path,
    seed_reference: pd.DataFrame,
) -> None:
    got = mf_query(
        metricflow_project, seed_warehouse, tmp_path, "--metrics", ",".join(REQUIRED_METRICS)
    )
    expected = {
        "churn_rate": seed_reference["is_churned"].mean(),
        "customer_count": len(seed_reference),
        "churned_customers": seed_reference["is_churned"].sum(),
        "promotion_response_rate": (seed_reference["promotion_response"] == "Responded").mean(),
        "email_opt_in_rate": seed_reference["is_email_opted_in"].mean(),
        "average_satisfaction": seed_reference["satisfaction_score"].mean(),
        "average_total_spend": seed_reference["total_spend"].mean(),
        "average_transaction_amount": seed_reference["avg_transaction_amount"].mean(),
        "support_contacts_per_customer": seed_reference["num_support_contacts"].mean(),
    }
    for metric, value in expected.items():
        assert got[metric][0] == pytest.approx(value, rel=1e-12), metric


@pytest.mark.parametrize(
    ("saved_query", "dimension"),
    [
        ("churn_rate_by_gender", "gender"),
        ("churn_rate_by_age_band", "age_band"),
        ("churn_rate_by_promotion_response", "promotion_response"),
    ],
)
def test_each_saved_query_gives_the_segment_churn_rates(
    metricflow_project: Path,
    seed_warehouse: Warehouse,
    tmp_path: Path,
    saved_query: str,
    dimension: str,
) -> None:
    got = mf_query(metricflow_project, seed_warehouse, tmp_path, "--saved-query", saved_query)
    mart = seed_warehouse.query(
        f"select segment, churn_rate from churn_by_segment where dimension = '{dimension}'"
    )
    got_rates = dict(zip(got[f"customer__{dimension}"].astype(str), got["churn_rate"], strict=True))
    assert set(got_rates) == set(mart["segment"])
    for segment, rate in zip(mart["segment"], mart["churn_rate"], strict=True):
        assert got_rates[segment] == pytest.approx(rate, abs=1e-12)


def test_mf_lists_every_headline_metric(
    metricflow_project: Path, seed_warehouse: Warehouse
) -> None:
    listing = mf(metricflow_project, seed_warehouse, "list", "metrics")
    missing = [metric for metric in REQUIRED_METRICS if f"• {metric}:" not in listing]
    assert not missing, listing
