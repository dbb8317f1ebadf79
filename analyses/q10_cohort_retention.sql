-- Q10: How long do customers keep buying? One row per cohort (the month of the customers' first
-- purchase) with the share still buying 1, 2, 3 and 6 months later; null where that month had
-- not ended by the snapshot date. Order logs only: on a customer snapshot it returns no rows.
select
    cohort_month,
    max(cohort_customers) as cohort_customers,
    max(case when months_since_first_order = 1 then retention_rate end) as month_1_retention,
    max(case when months_since_first_order = 2 then retention_rate end) as month_2_retention,
    max(case when months_since_first_order = 3 then retention_rate end) as month_3_retention,
    max(case when months_since_first_order = 6 then retention_rate end) as month_6_retention
from {{ ref('cohort_retention') }}
group by cohort_month
order by cohort_month
