-- Q10, by the rules of ../shared/DECISIONS.md "cohort_retention": a cohort is the customers whose
-- first purchase fell in one calendar month; month k is the k-th calendar month after it (0 =
-- the first purchase's month); a customer is active in a month with a purchase line in it (a
-- month of returns only is not activity). Only months that end on or before the snapshot date.
-- Far more months than any order log spans (100 years); the cohort grid keeps the ended ones.
{%- set most_months = 1200 %}

with

-- No lines where the input cannot answer Q10 (a customer snapshot has no order dates, and no
-- lines either).
order_lines as {{ not_materialized() }} (
    select * from {{ ref('stg_orders') }}
    where {{ input_answers('Q10') }}
),

snapshot as (
    select * from {{ ref('int_snapshot') }}
),

-- The last calendar month that has ended on or before the snapshot date: the month before the
-- one the day after the snapshot falls in.
last_ended_month as (
    select {{ month_number(add_days('snapshot_date', 1)) }} - 1 as month_number
    from snapshot
),

-- The customers are those with a purchase on or before the snapshot date (as in
-- int_customers_from_orders), each in the cohort of their first purchase's month, with the
-- calendar months they bought in, once each. Lines after the snapshot date fall in months that
-- have not ended by then, which the cohort grid leaves out: they are not grouped. Grouped by the
-- customer key (the id as the reader typed it: an integer groups in far less time and memory
-- than its text), once per customer: at 100M lines the months as a list per customer took 17 CPU
-- s, where the distinct customer-month pairs took 30. Taken from the lines here rather than from
-- int_customers_from_orders, so this model runs beside that one instead of after it.
customer_months as (
    select
        order_lines.customer_key,
        {{ month_start('min(order_lines.order_date)') }} as cohort_month,
        {{ distinct_list(month_number('order_lines.order_date')) }} as purchase_month_numbers
    from order_lines
    cross join snapshot
    where not order_lines.is_return and order_lines.order_date <= snapshot.snapshot_date
    group by order_lines.customer_key
),

cohorts as (
    select
        cohort_month,
        {{ month_number('cohort_month') }} as cohort_month_number,
        count(*) as cohort_customers
    from customer_months
    group by cohort_month
),

-- Each customer's purchase months as rows (alone in its select: Spark takes no generator
-- inside an expression).
purchase_months as (
    select
        cohort_month,
        {{ unnest_list('purchase_month_numbers') }} as purchase_month_number
    from customer_months
),

-- Counted from the cohort's month.
active_months as (
    select
        cohort_month,
        purchase_month_number - {{ month_number('cohort_month') }} as months_since_first_order
    from purchase_months
),

active_counts as (
    select
        cohort_month,
        months_since_first_order,
        count(*) as active_customers
    from active_months
    group by cohort_month, months_since_first_order
),

month_offsets as (
    {{ dbt.generate_series(most_months) }}
),

-- Every ended month of every cohort, months nobody bought in included.
cohort_grid as (
    select
        cohorts.cohort_month,
        cast(month_offsets.generated_number - 1 as {{ dbt.type_int() }}) as months_since_first_order,
        cohorts.cohort_customers
    from cohorts
    cross join month_offsets
    cross join last_ended_month
    where cohorts.cohort_month_number + month_offsets.generated_number - 1 <= last_ended_month.month_number
),

counted as (
    select
        cohort_grid.cohort_month,
        cohort_grid.months_since_first_order,
        cohort_grid.cohort_customers,
        coalesce(active_counts.active_customers, 0) as active_customers
    from cohort_grid
    left join active_counts
        on
            cohort_grid.cohort_month = active_counts.cohort_month
            and cohort_grid.months_since_first_order = active_counts.months_since_first_order
),

final as (
    select
        cohort_month,
        months_since_first_order,
        cohort_customers,
        active_customers,
        {{ ratio('active_customers', 'cohort_customers') }} as retention_rate,
        {{ wilson_interval('active_customers', 'cohort_customers', 'retention_rate') }}
    from counted
)

select * from final
