"""The static docs site in a real headless Chromium: a model page renders, with its lineage.

Reads what the docs app rendered after it ran (page text, the lineage graph's nodes from its
cytoscape instance), never the HTML source, which inlines the whole manifest.
"""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PROJECT_DIR
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

MODEL = "churn_by_segment"
SCREENSHOT_DIR = PROJECT_DIR / "target" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
]
VISIBLE_GRAPH_NODES = """
    const container = Array.from(document.querySelectorAll('*')).find((element) => element._cyreg);
    if (!container) { return null; }
    const cy = container._cyreg.cy;
    if (cy.animated() || cy.nodes().some((node) => node.animated())) { return null; }
    return cy.nodes().filter((node) => node.visible()).map((node) => node.id());
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    chromium = shutil.which("chromium")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        pytest.skip(
            "Chromium not found: install the Debian packages chromium and chromium-driver "
            "(.ci/system-packages.sh does)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    yield driver
    driver.quit()


def save_screenshot(browser: WebDriver, name: str) -> None:
    """Into the project's target/ (ignored by git), where a person looks after `make test`."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOT_DIR / name))


def open_model_page(browser: WebDriver, index: Path, model: str) -> None:
    browser.get(f"{index.as_uri()}#!/model/model.retail_churn.{model}")
    WebDriverWait(browser, 30).until(
        lambda driver: model in driver.find_element(By.TAG_NAME, "h1").text
    )


def test_the_model_page_renders_its_description_and_columns(browser, docs_site) -> None:
    manifest_node = docs_site.artifact("manifest.json")["nodes"][f"model.retail_churn.{MODEL}"]
    open_model_page(browser, docs_site.index, MODEL)
    page_text = browser.find_element(By.TAG_NAME, "body").text
    first_sentence = manifest_node["description"].split(".")[0]
    assert first_sentence in page_text
    column_names = [
        cell.text for cell in browser.find_elements(By.CSS_SELECTOR, ".table-column-name, td")
    ]
    missing = [name for name in manifest_node["columns"] if name not in " ".join(column_names)]
    assert not missing, f"columns not rendered: {missing}"
    save_screenshot(browser, f"docs_{MODEL}.png")


def test_the_lineage_graph_runs_from_the_seed_to_the_questions(browser, docs_site) -> None:
    manifest = docs_site.artifact("manifest.json")
    exposures = [
        unique_id
        for unique_id, exposure in manifest["exposures"].items()
        if f"model.retail_churn.{MODEL}" in exposure["depends_on"]["nodes"]
    ]
    assert exposures, f"no exposure reads {MODEL}"
    open_model_page(browser, docs_site.index, MODEL)
    browser.find_element(By.CSS_SELECTOR, "a[title='View Lineage Graph']").click()
    browser.find_element(By.CSS_SELECTOR, "a[ng-click='showExpanded()']").click()
    nodes = WebDriverWait(browser, 30).until(
        lambda driver: (
            (found := driver.execute_script(VISIBLE_GRAPH_NODES))
            and "seed.retail_churn.raw_customers" in found
            and found
        )
    )
    assert "seed.retail_churn.raw_customers" in nodes
    assert f"model.retail_churn.{MODEL}" in nodes
    assert set(exposures) <= set(nodes), f"exposures missing from the graph: {exposures}"
    save_screenshot(browser, f"lineage_{MODEL}.png")
