"""The Spark plan check itself (engines/plans.py): it must find a single-partition step over
rows and forgive one over groups."""

from engines.plans import rows_gathered_in_one_partition

OVER_ROWS = """== Physical Plan ==
AdaptiveSparkPlan isFinalPlan=false
+- Window [row_number() windowspecdefinition(mid#1 ASC NULLS FIRST)], [mid#1 ASC NULLS FIRST]
   +- Sort [mid#1 ASC NULLS FIRST], false, 0
      +- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=10]
         +- Project [_c0#0, monotonically_increasing_id() AS mid#1]
            +- FileScan csv [_c0#0]
"""

OVER_GROUPS = """== Physical Plan ==
AdaptiveSparkPlan isFinalPlan=false
+- Project [a#1, rows_before#9L]
   +- SortMergeJoin [a#1], [a#5], Inner
      :- Sort [a#1 ASC NULLS FIRST], false, 0
      :  +- Exchange hashpartitioning(a#1, 2), ENSURE_REQUIREMENTS, [plan_id=3]
      :     +- FileScan csv [a#1]
      +- Window [sum(part_rows#7L) windowspecdefinition(a#5 ASC NULLS FIRST)], [a#5 ASC]
         +- Sort [a#5 ASC NULLS FIRST], false, 0
            +- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=7]
               +- HashAggregate(keys=[a#5], functions=[count(1)])
                  +- Exchange hashpartitioning(a#5, 2), ENSURE_REQUIREMENTS, [plan_id=6]
                     +- HashAggregate(keys=[a#5], functions=[partial_count(1)])
                        +- FileScan csv [a#5]
"""


def test_a_window_over_every_row_in_one_partition_is_found() -> None:
    found = rows_gathered_in_one_partition(OVER_ROWS)
    assert len(found) == 1
    assert "Project [_c0#0, monotonically_increasing_id()" in found[0]


def test_one_partition_of_aggregated_groups_is_allowed() -> None:
    assert rows_gathered_in_one_partition(OVER_GROUPS) == []


WINDOW_OVER_TABLE = """== Physical Plan ==
AdaptiveSparkPlan isFinalPlan=false
+- Window [row_number() windowspecdefinition(p#1 ASC NULLS FIRST)], [p#1 ASC NULLS FIRST]
   +- Sort [p#1 ASC NULLS FIRST], false, 0
      +- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=4]
         +- Project [p#1]
            +- FileScan parquet spark_catalog.retail_churn.TABLE[p#1] Batched: true
"""


def test_a_window_over_a_table_of_groups_is_allowed_and_over_customers_found() -> None:
    groups = {"int_metric_pair_coefficients"}
    over_groups = WINDOW_OVER_TABLE.replace("TABLE", "int_metric_pair_coefficients")
    over_customers = WINDOW_OVER_TABLE.replace("TABLE", "customers")
    assert rows_gathered_in_one_partition(over_groups, groups) == []
    assert len(rows_gathered_in_one_partition(over_customers, groups)) == 1


# Benjamini-Hochberg ranks over the p-values a recursive CTE computes: the UnionLoop prints its
# anchor and step as logical plans (Aggregate, Relation, the UnionLoopRef of the previous level).
OVER_RECURSION = """== Physical Plan ==
AdaptiveSparkPlan isFinalPlan=false
+- Window [row_number() windowspecdefinition(p_value#9 ASC NULLS FIRST)], [p_value#9 ASC]
   +- Sort [p_value#9 ASC NULLS FIRST], false, 0
      +- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=12]
         +- Project [factor#1, total#6 AS p_value#9]
            +- UnionLoop 10, [factor#1, a#2, step#5, total#6]
               :- Project [factor#1, a#2, 0 AS step#5, (1.0 / a#2) AS total#6]
               :  +- ANCHOR
               +- Project [factor#7, a#8, (step#10 + 1) AS step#11, total#12]
                  +- UnionLoopRef 10, [factor#7, a#8, step#10, total#12], false
"""
ANCHOR_OF_GROUPS = """Aggregate [gender#3], [gender#3 AS factor#1, count(1) AS a#2]
               :     +- Relation spark_catalog.retail_churn.customers[gender#3,age#4] parquet"""
ANCHOR_OF_CUSTOMERS = """Project [gender#3 AS factor#1, age#4 AS a#2]
               :     +- Relation spark_catalog.retail_churn.customers[gender#3,age#4] parquet"""


def test_a_window_over_recursive_p_values_of_groups_is_allowed_and_of_customers_found() -> None:
    """The recursion's previous level is not a source of rows: its anchor decides whether the
    rows are customers (here one per age) or groups (one per gender)."""
    assert rows_gathered_in_one_partition(OVER_RECURSION.replace("ANCHOR", ANCHOR_OF_GROUPS)) == []
    over_customers = OVER_RECURSION.replace("ANCHOR", ANCHOR_OF_CUSTOMERS)
    assert len(rows_gathered_in_one_partition(over_customers)) == 1


# dbt.date_spine: numbers from cross joins of `select 0 union all select 1`, numbered in order.
OVER_LITERAL_ROWS = """== Physical Plan ==
AdaptiveSparkPlan isFinalPlan=false
+- Window [row_number() windowspecdefinition(n#1 ASC NULLS FIRST)], [n#1 ASC NULLS FIRST]
   +- Sort [n#1 ASC NULLS FIRST], false, 0
      +- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=5]
         +- Project [(generated_number#1 + (generated_number#2 * 2)) AS n#1]
            +- BroadcastNestedLoopJoin BuildRight, Cross
               :- Union
               :  :- Project [0 AS generated_number#1]
               :  :  +- Scan OneRowRelation[]
               :  +- Project [1 AS generated_number#3]
               :     +- Scan OneRowRelation[]
               +- BroadcastExchange IdentityBroadcastMode, [plan_id=4]
                  +- LocalTableScan [generated_number#2]
"""


def test_a_window_over_literal_rows_is_allowed() -> None:
    assert rows_gathered_in_one_partition(OVER_LITERAL_ROWS) == []


# A file's rows joined to one row per file on the file path, not broadcast (at 10M rows).
JOINED_ON_FILE_PATH = """== Physical Plan ==
AdaptiveSparkPlan isFinalPlan=false
+- SortMergeJoin [input_file_path#6], [input_file_path#9], Inner
   :- Sort [input_file_path#6 ASC NULLS FIRST], false, 0
   :  +- Exchange hashpartitioning(input_file_path#6, 8), ENSURE_REQUIREMENTS, [plan_id=3]
   :     +- Project [customer_id#1, _metadata.file_path AS input_file_path#6]
   :        +- FileScan parquet [customer_id#1,_metadata.file_path]
   +- Sort [input_file_path#9 ASC NULLS FIRST], false, 0
      +- HashAggregate(keys=[input_file_path#9], functions=[count(1)])
         +- Exchange hashpartitioning(input_file_path#9, 8), ENSURE_REQUIREMENTS, [plan_id=5]
            +- HashAggregate(keys=[input_file_path#9], functions=[partial_count(1)])
               +- FileScan parquet [_metadata.file_path]
"""


def test_rows_partitioned_by_their_file_alone_are_found_and_by_more_keys_allowed() -> None:
    """Hash partitioning by the file path puts a one-file input in one partition; with the
    part of the file beside it, each part is a partition of its own."""
    (found,) = rows_gathered_in_one_partition(JOINED_ON_FILE_PATH)
    assert "hashpartitioning(input_file_path#6, 8)" in found
    by_part = JOINED_ON_FILE_PATH.replace(
        "hashpartitioning(input_file_path#6, 8)",
        "hashpartitioning(input_file_path#6, input_part_start#7, 8)",
    )
    assert rows_gathered_in_one_partition(by_part) == []
