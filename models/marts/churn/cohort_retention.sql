-- Q10, by the rules of ../shared/DECISIONS.md "cohort_retention": a cohort is the customers whose
-- first purchase fell in one calendar month; month k is the k-th calendar month after it (0 =
-- the first purchase's month); a customer is active in a month with a purchase line in it (a
-- month of returns only is not activity). Only months that end on or before the snapshot date.
-- Far more months than any order log spans (100 years); the cohort grid keeps the ended ones.
{%- set most_months = 1200 %}

with

-- The customers as derived from the order lines (the customers mart's rows on an order log):
-- read here rather than from the mart, so this model runs beside the customer marts instead of
-- after them. No customers where the input cannot answer Q10 (a customer snapshot has no order
-- dates, and no rows here).
customers as {{ not_materialized() }} (
    select * from {{ ref('int_customers_from_orders') }}
    where {{ input_answers('Q10') }}
),

order_lines as {{ not_materialized() }} (
    select * from {{ ref('stg_orders') }}
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

cohorts as (
    select
        cohort_month,
        {{ month_number('cohort_month') }} as cohort_month_number,
        count(*) as cohort_customers
    from customers
    group by cohort_month
),

-- Each customer's months with a purchase, once per month.
purchase_months as (
    select distinct
        customer_id,
        {{ month_number('order_date') }} as purchase_month_number
    from order_lines
    where not is_return
),

active_counts as (
    select
        customers.cohort_month,
        purchase_months.purchase_month_number - {{ month_number('customers.cohort_month') }}
            as months_since_first_order,
        count(*) as active_customers
    from purchase_months
    inner join customers on purchase_months.customer_id = customers.customer_id
    group by
        customers.cohort_month,
        purchase_months.purchase_month_number - {{ month_number('customers.cohort_month') }}
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
