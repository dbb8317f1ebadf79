-- A table, not a view: churn_by_segment reads these counts several times (its 2 x 2 tables, the
-- tests, the rates), and engines that inline a CTE or view would rescan every customer each time.
{{ config(materialized='table') }}

with

customers as {{ not_materialized() }} (
    select * from {{ ref('customers') }}
),

segments as (
    {{ unpivot_segments('customers', segment_dimensions().keys() | list, ['is_churned']) }}
),

counted as (
    select
        dimension,
        segment,
        segment_order,
        count(*) as customers,
        count(*) filter (where is_churned) as churned_customers
    from segments
    group by dimension, segment, segment_order
),

final as (
    select * from counted
)

select * from final
