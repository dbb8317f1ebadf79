"""Every model, column, seed, macro, test and semantic object of the project is described.

Reads the manifest and the catalog of a real build: a column that exists in a table but not in
its YAML counts as undocumented too.
"""

import pytest
from conftest import PROJECT_DIR

PACKAGE = "retail_churn"
DESCRIBED_NODE_TYPES = {"model", "seed", "snapshot", "analysis"}


def own(resources: dict) -> list[dict]:
    return [resource for resource in resources.values() if resource.get("package_name") == PACKAGE]


def test_every_model_seed_and_analysis_has_a_description(docs_site) -> None:
    manifest = docs_site.artifact("manifest.json")
    missing = [
        node["unique_id"]
        for node in own(manifest["nodes"])
        if node["resource_type"] in DESCRIBED_NODE_TYPES and not node["description"].strip()
    ]
    assert not missing, f"undescribed: {missing}"


def test_every_column_of_every_built_relation_has_a_description(docs_site) -> None:
    manifest = docs_site.artifact("manifest.json")
    catalog = docs_site.artifact("catalog.json")
    missing = []
    for unique_id, entry in {**catalog["nodes"], **catalog["sources"]}.items():
        node = manifest["nodes"].get(unique_id)
        if node is None or node["package_name"] != PACKAGE:
            continue
        documented = {
            name.lower(): column["description"].strip() for name, column in node["columns"].items()
        }
        missing += [
            f"{unique_id}.{column}"
            for column in entry["columns"]
            if not documented.get(column.lower())
        ]
    assert not missing, f"undocumented columns: {missing}"


def test_every_project_macro_and_generic_test_has_a_description(docs_site) -> None:
    manifest = docs_site.artifact("manifest.json")
    missing = [
        macro["unique_id"]
        for macro in own(manifest["macros"])
        if not macro["description"].strip()
        # dispatch implementations are described by the macro that dispatches to them
        and macro["name"].split("__")[0] not in {"default", "duckdb", "postgres", "spark"}
    ]
    assert not missing, f"undescribed macros or generic tests: {missing}"


def test_every_singular_test_has_a_description(docs_site) -> None:
    manifest = docs_site.artifact("manifest.json")
    singular = [
        node
        for node in own(manifest["nodes"])
        if node["resource_type"] == "test" and "test_metadata" not in node
    ]
    assert singular, "expected the project's singular tests in the manifest"
    missing = [node["unique_id"] for node in singular if not node["description"].strip()]
    assert not missing, f"undescribed singular tests: {missing}"


@pytest.mark.parametrize("kind", ["exposures", "semantic_models", "metrics", "saved_queries"])
def test_every_semantic_object_and_exposure_has_a_description(docs_site, kind: str) -> None:
    manifest = docs_site.artifact("manifest.json")
    missing = [item["unique_id"] for item in own(manifest[kind]) if not item["description"].strip()]
    assert not missing, f"undescribed {kind}: {missing}"


def test_the_overview_page_explains_the_study(docs_site) -> None:
    manifest = docs_site.artifact("manifest.json")
    overview = manifest["docs"][f"doc.{PACKAGE}.__overview__"]["block_contents"]
    assert "Goal" in overview and "Question" in overview and "Metric" in overview
    assert all(f"Q{number}" in overview for number in range(1, 11))
    assert (PROJECT_DIR / "models" / "docs" / "overview.md").exists()


def test_every_mart_names_its_goal_and_questions(docs_site) -> None:
    manifest = docs_site.artifact("manifest.json")
    marts = [
        node
        for node in own(manifest["nodes"])
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    ]
    assert len(marts) >= 14
    questions = {f"Q{number}" for number in range(1, 11)}
    for mart in marts:
        meta = mart["config"]["meta"]
        assert meta.get("goal") == "G1", mart["unique_id"]
        assert set(meta.get("gqm", [])) <= questions, mart["unique_id"]
    answered = {question for mart in marts for question in mart["config"]["meta"].get("gqm", [])}
    assert answered == questions


def test_each_question_is_an_exposure_reading_its_marts(docs_site) -> None:
    manifest = docs_site.artifact("manifest.json")
    exposures = own(manifest["exposures"])
    answered = {question for exposure in exposures for question in exposure["meta"].get("gqm", [])}
    assert answered == {f"Q{number}" for number in range(1, 11)}
    for exposure in exposures:
        questions = set(exposure["meta"].get("gqm", []))
        marts = exposure["depends_on"]["nodes"]
        assert marts, exposure["unique_id"]
        for mart in marts:
            node = manifest["nodes"][mart]
            assert questions & set(node["config"]["meta"].get("gqm", [])) or mart.endswith(
                ("gqm_scorecard", "customers")
            ), f"{exposure['unique_id']} reads {mart}, which answers none of {sorted(questions)}"
