"""Spark physical plans (EXPLAIN) of the compiled models, searched for a step that sends every
customer or order line to one partition: a window without `partition by` over rows, which one
core computes however many executors a cluster has."""

import json
from collections.abc import Iterable
from pathlib import Path

# Nodes that reduce rows to groups: below one, a single partition holds groups (one per file
# part, say), not every row. A recursive CTE (UnionLoop) prints its anchor and step as logical
# plans, where an aggregate is `Aggregate [...]`.
AGGREGATES = ("HashAggregate", "ObjectHashAggregate", "SortAggregate", "Aggregate [")
# Leaves that hold a few literal rows rather than reading a table or a file: physical, and
# logical inside a UnionLoop; `select 1` scans OneRowRelation.
LITERAL_LEAVES = ("LocalTableScan", "LocalRelation", "Scan OneRowRelation", "OneRowRelation")
# The rows of a recursive CTE's previous level: they come from its anchor, which is checked
# where the UnionLoop prints it.
RECURSION_REFERENCES = ("UnionLoopRef",)
TABLE_PREFIX = "spark_catalog."
# Columns naming the input file: a hash partitioning on them alone sends every row of a file
# to one partition (all rows, when the input is one file), as a window without `partition by`
# does. Spark plans one for a join on the file path that it does not broadcast.
FILE_COLUMNS = ("input_file_path",)


def plan_nodes(plan: str) -> list[tuple[int, str]]:
    """(depth, node text) of each operator of a Spark EXPLAIN tree, in order."""
    nodes = []
    for line in plan.splitlines():
        stripped = line.lstrip(" :")
        if stripped.startswith(("+- ", ":- ")):
            nodes.append((len(line) - len(stripped), stripped[3:]))
        elif stripped and not stripped.startswith("==") and not nodes:
            nodes.append((0, stripped))
    return nodes


def children(nodes: list[tuple[int, str]], index: int) -> list[int]:
    """Indexes of the direct children of nodes[index]."""
    depth = nodes[index][0]
    found: list[int] = []
    for position in range(index + 1, len(nodes)):
        child_depth = nodes[position][0]
        if child_depth <= depth:
            break
        if not found or child_depth <= nodes[found[0]][0]:
            found.append(position)
    return found


def scanned_table(text: str) -> str | None:
    """The table a scan node reads (`spark_catalog.<schema>.<table>[...]`), or None for a
    file read by path."""
    start = text.find(TABLE_PREFIX)
    if start < 0:
        return None
    return text[start + len(TABLE_PREFIX) :].split("[", 1)[0].split(" ", 1)[0].rsplit(".", 1)[-1]


def reads_rows(nodes: list[tuple[int, str]], index: int, group_tables: frozenset[str]) -> bool:
    """Whether rows of a table or file reach nodes[index] without an aggregate on the way: a
    leaf reads rows unless it is literal rows or a table of groups (group_tables)."""
    text = nodes[index][1]
    if text.startswith(AGGREGATES):
        return False
    below = children(nodes, index)
    if not below:
        return not (
            text.startswith(LITERAL_LEAVES + RECURSION_REFERENCES)
            or scanned_table(text) in group_tables
        )
    return any(reads_rows(nodes, child, group_tables) for child in below)


def partitions_by_file(text: str) -> bool:
    """Whether an Exchange node hash-partitions by the input file columns alone."""
    prefix = "Exchange hashpartitioning("
    if not text.startswith(prefix):
        return False
    # "input_file_path#12, 8)": the keys, then the number of partitions
    arguments = text[len(prefix) :].split(")", 1)[0].split(",")[:-1]
    keys = [argument.strip().split("#", 1)[0] for argument in arguments]
    return bool(keys) and all(key in FILE_COLUMNS for key in keys)


def rows_gathered_in_one_partition(plan: str, group_tables: Iterable[str] = ()) -> list[str]:
    """Each `Exchange SinglePartition` of the plan, or hash partitioning by the input file
    alone, that rows (of a file, of a table not named in group_tables) reach without being
    aggregated: a step that sends every row to one partition, such as a window without
    `partition by` or a join on the file path. Groups in one partition (the running total over
    one row per file part, ranks over a few dozen p-values) are fine."""
    nodes = plan_nodes(plan)
    groups = frozenset(group_tables)
    gathered = []
    for index, (_, text) in enumerate(nodes):
        gathers = text.startswith("Exchange SinglePartition") or partitions_by_file(text)
        if gathers and reads_rows(nodes, index, groups):
            below = children(nodes, index)
            gathered.append(f"{text} over {nodes[below[0]][1] if below else ''}")
    return gathered


def compiled_models(target_dir: Path) -> dict[str, str]:
    """Model name -> compiled SQL of every table or view model the last command compiled."""
    manifest = json.loads((target_dir / "manifest.json").read_text())
    compiled = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["config"]["materialized"] == "ephemeral":
            continue
        path = target_dir / "compiled" / node["package_name"] / node["original_file_path"]
        if path.exists():
            compiled[node["name"]] = path.read_text()
    return compiled


def single_partition_steps(
    session: object, target_dir: Path, group_tables: Iterable[str], models: Iterable[str] = ()
) -> dict[str, list[str]]:
    """Model -> its steps that put every row in one partition (rows_gathered_in_one_partition),
    for each compiled model of target_dir (or those named in models), from EXPLAIN in session."""
    compiled = compiled_models(target_dir)
    names = list(models) or sorted(compiled)
    found = {}
    for name in names:
        plan = session.sql(f"explain {compiled[name]}").collect()[0][0]
        steps = rows_gathered_in_one_partition(plan, group_tables)
        if steps:
            found[name] = steps
    return found
