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
