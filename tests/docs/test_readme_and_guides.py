"""The README and the guides in docs/ say only what the project has, so they cannot go stale.

Every document (README.md and each docs/*.md, a new guide as soon as it exists) is held to this:
- a relative link resolves to a file, and a link to a heading (`#anchor`) to a heading there;
- a path written as code under one of the project's folders (`models/marts/customers.sql`)
  exists, unless git ignores where it points (outputs such as `plots/output/`);
- a `make` target or make variable written as code is in the Makefile;
- a dbt var, named as "var `x`", "`x` var" or in `--vars '{x: ...}'`, is in dbt_project.yml
  or read with var() by the project;
- an environment variable (a name like RETAIL_CHURN_DB) is read by the project: env_var(),
  os.environ, the Makefile or a shell script.
Each guide is linked from the README and from the docs site's overview page, and opens the same
way: its title, "**Who this is for:** ...", then one runnable example. The README's answers
equal the scorecard of the seed build, the scale guide's table equals bench/results.md, and
`make help` lists every target of the Makefile.
"""

import os
import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

import pytest
import yaml
from conftest import PROJECT_DIR, Warehouse

from plots.marts import read_marts
from plots.report import markdown_cell, sections
from tests.docs import markdown

README = PROJECT_DIR / "README.md"
GUIDES = sorted((PROJECT_DIR / "docs").glob("*.md"))
DOCUMENTS = [README, *GUIDES]
OVERVIEW = PROJECT_DIR / "models" / "docs" / "overview.md"
# The overview is read on the docs site, target/static_index.html: its links start there.
OVERVIEW_PAGE_DIR = PROJECT_DIR / "target"
MAKEFILE = PROJECT_DIR / "Makefile"
README_MAX_LINES = 150

SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")
MAKE_COMMAND = re.compile(r"(?<![\w./-])make((?:[ \t]+[^\s`]+)+)")
MAKE_TARGET_WORD = re.compile(r"[A-Za-z0-9][\w.-]*")
MAKE_VARIABLE_WORD = re.compile(r"([A-Za-z_]\w*)=.*")
MAKEFILE_TARGET = re.compile(r"^([A-Za-z0-9][\w.-]*)[ \t]*:(?!=)", re.MULTILINE)
MAKEFILE_VARIABLE = re.compile(r"^([A-Za-z_]\w*)[ \t]*[?:+]?=", re.MULTILINE)
ENVIRONMENT_NAME = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
NAMED_VAR = re.compile(r"\bvars?\s+`(\w+)`|`(\w+)`\s+vars?\b")
VARS_OPTION = re.compile(r"--vars[ \t]+'(\{[^']*\})'")
CODE_PATH = re.compile(r"[\w.-]+(?:/[\w.-]+)+/?")
VAR_READ = re.compile(r"\bvar\(\s*['\"](\w+)['\"]")
ENVIRONMENT_READS = (
    re.compile(r"env_var\(\s*['\"](\w+)['\"]"),
    re.compile(r"os\.environ(?:\.get\(|\[)\s*['\"](\w+)['\"]"),
    re.compile(r"os\.getenv\(\s*['\"](\w+)['\"]"),
)
SHELL_READ = re.compile(r"\$[({]?([A-Za-z_]\w*)")
# Folders that hold no project source: installs, builds, outputs.
SKIPPED_DIRS = {".venv", "target", "logs", "dbt_packages", "data", "spark-warehouse", "__pycache__"}
GUIDE_OPENING = re.compile(
    r"\A# [^\n]+\n\n\*\*Who this is for:\*\* .+?\n\n```\w*\n.+?\n```\n", re.S
)


@dataclass(frozen=True)
class Project:
    """What the documents may name: the project's files, targets, vars and environment."""

    root: Path
    make_targets: frozenset[str]
    make_variables: frozenset[str]
    dbt_vars: frozenset[str]
    environment: frozenset[str]
    ignored_dirs: tuple[str, ...]


def source_files(root: Path) -> list[Path]:
    """The project's own files (no Markdown, nothing installed or built, not this test)."""
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [
            name
            for name in subdirectories
            if name not in SKIPPED_DIRS and (not name.startswith(".") or name == ".ci")
        ]
        for name in files:
            path = Path(directory) / name
            if path.suffix != ".md" and path != Path(__file__):
                found.append(path)
    return found


@cache
def the_project() -> Project:
    texts = {path: path.read_text(errors="replace") for path in source_files(PROJECT_DIR)}
    makefile = MAKEFILE.read_text()
    dbt_vars = set(yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"])
    environment = set(MAKEFILE_VARIABLE.findall(makefile))
    for path, text in texts.items():
        if path.suffix in {".sql", ".yml", ".yaml"}:
            dbt_vars.update(VAR_READ.findall(text))
        for pattern in ENVIRONMENT_READS:
            environment.update(pattern.findall(text))
        if path.suffix == ".sh" or path.name == "Makefile" or path.parent.name == ".ci":
            environment.update(SHELL_READ.findall(text))
    ignored = tuple(
        line.strip().strip("/")
        for line in (PROJECT_DIR / ".gitignore").read_text().splitlines()
        if line.strip().endswith("/") and not line.startswith("#")
    )
    return Project(
        PROJECT_DIR,
        frozenset(MAKEFILE_TARGET.findall(makefile)) - {".PHONY"},
        frozenset(MAKEFILE_VARIABLE.findall(makefile)),
        frozenset(dbt_vars),
        frozenset(environment),
        ignored,
    )


def anchors_of(path: Path) -> set[str]:
    return markdown.anchors(path.read_text()) if path.suffix == ".md" else set()


def link_problems(text: str, source: Path, base: Path) -> list[str]:
    problems = []
    for target in markdown.links(text):
        if SCHEME.match(target):
            continue
        path_part, _, heading = target.partition("#")
        path = (base / path_part).resolve() if path_part else source
        if path_part and not path.exists():
            problems.append(f"link {target}: {path_part} does not exist")
        elif heading:
            found = markdown.anchors(text) if path == source else anchors_of(path)
            if heading not in found:
                problems.append(f"link {target}: no heading #{heading} in {path.name}")
    return problems


def is_ignored(path: PurePosixPath, ignored_dirs: tuple[str, ...]) -> bool:
    for pattern in ignored_dirs:
        parts = tuple(pattern.split("/"))
        if len(parts) == 1 and parts[0] in path.parts:
            return True
        if path.parts[: len(parts)] == parts:
            return True
    return False


def path_problems(text: str, project: Project) -> list[str]:
    problems = []
    for span in markdown.inline_code(text):
        if not CODE_PATH.fullmatch(span):
            continue
        path = PurePosixPath(span)
        top = project.root / path.parts[0]
        if path.parts[0] in {".", ".."} or not top.is_dir():
            continue
        if not is_ignored(path, project.ignored_dirs) and not (project.root / path).exists():
            problems.append(f"path {span} does not exist")
    return problems


def make_problems(text: str, project: Project) -> list[str]:
    problems = []
    for snippet in markdown.code(text):
        for match in MAKE_COMMAND.finditer(snippet):
            for word in match[1].split():
                if variable := MAKE_VARIABLE_WORD.fullmatch(word):
                    if variable[1] not in project.make_variables:
                        problems.append(f"make variable {variable[1]} is not in the Makefile")
                elif MAKE_TARGET_WORD.fullmatch(word):
                    if word not in project.make_targets:
                        problems.append(f"make {word}: no such target in the Makefile")
                else:
                    break
    return problems


def var_problems(text: str, project: Project) -> list[str]:
    named = {first or second for first, second in NAMED_VAR.findall(text)}
    for option in VARS_OPTION.findall(text):
        named.update(yaml.safe_load(option))
    return [f"var {name} is not a var of the project" for name in sorted(named - project.dbt_vars)]


def environment_problems(text: str, project: Project) -> list[str]:
    named = set(ENVIRONMENT_NAME.findall(text))
    return [
        f"environment variable {name} is read nowhere in the project"
        for name in sorted(named - project.environment)
    ]


def document_problems(text: str, source: Path, project: Project) -> list[str]:
    """Everything the document names that the project does not have."""
    return (
        link_problems(text, source, source.parent)
        + path_problems(text, project)
        + make_problems(text, project)
        + var_problems(text, project)
        + environment_problems(text, project)
    )


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_everything_a_document_names_exists(document: Path) -> None:
    problems = document_problems(document.read_text(), document, the_project())
    assert not problems, f"{document.relative_to(PROJECT_DIR)}:\n" + "\n".join(problems)


def test_the_checks_catch_what_does_not_exist() -> None:
    stale = """# A guide

See [the contract](data-contract.md#no-such-heading), [nowhere](missing.md) and [up](#a-guide).

```sh
make rnu ROW=10
```

Set var `no_such_var` and `--vars '{raw_customers_path: x, also_missing: 1}'`, export
`RETAIL_CHURN_NOWHERE`, then read `models/marts/no_such_mart.sql`.
"""
    problems = document_problems(stale, PROJECT_DIR / "docs" / "stale.md", the_project())
    assert problems == [
        "link data-contract.md#no-such-heading: no heading #no-such-heading in data-contract.md",
        "link missing.md: missing.md does not exist",
        "path models/marts/no_such_mart.sql does not exist",
        "make rnu: no such target in the Makefile",
        "make variable ROW is not in the Makefile",
        "var also_missing is not a var of the project",
        "var no_such_var is not a var of the project",
        "environment variable RETAIL_CHURN_NOWHERE is read nowhere in the project",
    ]


def test_the_checks_accept_what_exists() -> None:
    sound = """# A guide

[The contract](data-contract.md#the-contract), [back up](#a-guide), [a file](../Makefile).
`make bench ROWS=1000` with var `snapshot_date`, `--vars '{max_reject_share: 0.2}'`,
`RETAIL_CHURN_DB`, `models/marts/customers.sql` and `plots/output/report.html` (an output).
"""
    assert document_problems(sound, PROJECT_DIR / "docs" / "sound.md", the_project()) == []


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_a_guide_opens_with_who_it_is_for_and_one_runnable_example(guide: Path) -> None:
    assert GUIDE_OPENING.match(guide.read_text()), (
        f"{guide.name} must open with '# Title', a paragraph starting '**Who this is for:**', "
        "then one fenced code block with a runnable example"
    )


def test_the_opening_check_catches_a_guide_without_its_reader() -> None:
    assert not GUIDE_OPENING.match("# Title\n\nSome text.\n\n```sh\nmake run\n```\n")


def linked_files(document: Path, base: Path) -> set[Path]:
    return {
        (base / target.partition("#")[0]).resolve()
        for target in markdown.links(document.read_text())
        if not SCHEME.match(target)
    }


@pytest.mark.parametrize(
    ("page", "base"),
    [(README, PROJECT_DIR), (OVERVIEW, OVERVIEW_PAGE_DIR)],
    ids=["README", "overview"],
)
def test_every_guide_is_linked_from(page: Path, base: Path) -> None:
    assert GUIDES, "docs/ has no guides"
    unlinked = [guide.name for guide in GUIDES if guide.resolve() not in linked_files(page, base)]
    assert not unlinked, f"{page.name} does not link {unlinked}"


def test_the_overview_links_resolve_from_the_docs_site() -> None:
    assert link_problems(OVERVIEW.read_text(), OVERVIEW, OVERVIEW_PAGE_DIR) == []


def test_the_readme_stays_short() -> None:
    assert len(README.read_text().splitlines()) <= README_MAX_LINES


# The README names the report's "seed study's claim" plainly: not every claim is the seed's.
README_ANSWER_LABELS = {"claim": "seed study's claim"}


def test_the_readmes_answers_are_the_scorecard_of_the_seed_build(
    seed_warehouse: Warehouse,
) -> None:
    answers = markdown.table(README.read_text(), "question")
    facts = {
        section.question_id: section
        for section in sections(read_marts(seed_warehouse.path), (), {})
    }
    assert [row["question"] for row in answers] == list(facts)
    for row in answers:
        section = facts[row["question"]]
        for label, shown in row.items():
            if label != "question":
                expected = section.fact(README_ANSWER_LABELS.get(label, label))
                assert shown == markdown_cell(expected), f"{row['question']} {label}"


@pytest.mark.parametrize("first_header", ["rows", "job", "order lines", "build"])
def test_the_scale_guide_shows_the_latest_benchmark_results(first_header: str) -> None:
    """The customer-file table and the main job's against polars (bench/run.py), the
    order-log one (bench/run_orders.py) and the Spark one (bench/spark.py)."""
    guide = markdown.table((PROJECT_DIR / "docs" / "scale.md").read_text(), first_header)
    results = markdown.table((PROJECT_DIR / "bench" / "results.md").read_text(), first_header)
    latest = {row[first_header]: row for row in results}
    assert [row[first_header] for row in guide] == list(latest)
    for row in guide:
        for column, shown in row.items():
            assert shown == latest[row[first_header]][column], f"{row[first_header]}, {column}"


def help_problems(makefile: Path) -> list[str]:
    """Targets of the Makefile that `make help` leaves out or lists more than once."""
    listed = subprocess.run(
        ["make", "--no-print-directory", "-f", str(makefile), "help"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    named = [
        line.split()[1] for line in listed if line.startswith("make ") and len(line.split()) > 2
    ]
    targets = set(MAKEFILE_TARGET.findall(makefile.read_text())) - {".PHONY"}
    return [
        f"make help lists {target} {named.count(target)} times"
        for target in sorted(targets)
        if named.count(target) != 1
    ]


def test_make_help_lists_every_target_once_with_its_line() -> None:
    assert help_problems(MAKEFILE) == []


def test_make_help_check_catches_a_target_without_its_line(tmp_path: Path) -> None:
    makefile = tmp_path / "Makefile"
    makefile.write_text(MAKEFILE.read_text() + "\nundocumented:\n\t@true\n")
    assert help_problems(makefile) == ["make help lists undocumented 0 times"]
