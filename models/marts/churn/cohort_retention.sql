-- Q10, by the rules of ../shared/DECISIONS.md "cohort_retention": a cohort is the customers whose
-- first purchase fell in one calendar month; month k is the k-th calendar month after it (0 =
-- the first purchase's month); a customer is active in a month with a purchase line in it (a
-- month of returns only is not activity). Only months that end on or before the snapshot date.
-- Far more months than any order log spans (100 years); the cohort grid keeps the ended ones.
{%- set most_months = 1200 %}
{%- set bit_months = recent_months_as_bits() %}

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

-- The calendar month the snapshot date falls in, from which each purchase's month is counted
-- back: 0 for that month, 1 for the month before, and so on.
snapshot_month as (
    select {{ month_number('snapshot_date') }} as month_number
    from snapshot
),

-- The purchases on or before the snapshot date (lines after it fall in months that have not
-- ended by then, which the cohort grid leaves out), each with its calendar month.
purchase_lines as {{ not_materialized() }} (
    select
        order_lines.customer_key,
        order_lines.order_date,
        {{ month_number('order_lines.order_date') }} as month_number,
        snapshot_month.month_number - {{ month_number('order_lines.order_date') }} as months_before_snapshot
    from order_lines
    cross join snapshot
    cross join snapshot_month
    where not order_lines.is_return and order_lines.order_date <= snapshot.snapshot_date
),

-- The customers are those with a purchase on or before the snapshot date (as in
-- int_customers_from_orders), each in the cohort of their first purchase's month, with the
-- calendar months they bought in, once each: the snapshot's month and the {{ bit_months }} before
-- it as the bits of one integer (bit k: k months before), which an aggregate ORs together in a
-- fixed few bytes per customer, any earlier month in a list made distinct. At 100M lines the
-- months as lists alone cost 16 CPU s, with the bits 11. Grouped by the customer key (the id as
-- the reader typed it: an integer groups in far less time and memory than its text), once per
-- customer. Taken from the lines here rather than from int_customers_from_orders, so this model
-- runs beside that one instead of after it.
customer_months as (
    select
        customer_key,
        {{ month_start('min(order_date)') }} as cohort_month,
        bit_or(
            case
                when months_before_snapshot <= {{ bit_months }} then {{ bit_of('months_before_snapshot') }}
            end
        ) as recent_month_bits,
        {{ distinct_list('month_number', 'months_before_snapshot > ' ~ bit_months) }} as earlier_month_numbers
    from purchase_lines
    group by customer_key
),

cohorts as (
    select
        cohort_month,
        {{ month_number('cohort_month') }} as cohort_month_number,
        count(*) as cohort_customers
    from customer_months
    group by cohort_month
),

month_offsets as (
    {{ dbt.generate_series(most_months) }}
),

-- Per cohort, how many customers bought in each recent month: one sum per bit.
recent_month_counts as (
    select
        cohort_month,
        {% for months_before in range(bit_months + 1) %}
            sum({{ has_bit('recent_month_bits', months_before) }}) as months_before_{{ months_before }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from customer_months
    group by cohort_month
),

-- The sums as rows, one per cohort and recent month, by picking each month's column (a union of
-- one select per column would aggregate the customers again for each on Spark, which inlines a
-- CTE into every reference).
recent_active_counts as (
    select
        recent_month_counts.cohort_month,
        snapshot_month.month_number - (month_offsets.generated_number - 1) as month_number,
        case month_offsets.generated_number
            {% for months_before in range(bit_months + 1) %}
                when {{ months_before + 1 }} then recent_month_counts.months_before_{{ months_before }}
            {%- endfor %}
        end as active_customers
    from recent_month_counts
    cross join month_offsets
    cross join snapshot_month
    where month_offsets.generated_number <= {{ bit_months + 1 }}
),

-- Each customer's earlier purchase months as rows (alone in its select: Spark takes no
-- generator inside an expression), counted per cohort.
earlier_months as (
    select
        cohort_month,
        {{ unnest_list('earlier_month_numbers') }} as month_number
    from customer_months
),

earlier_active_counts as (
    select
        cohort_month,
        month_number,
        count(*) as active_customers
    from earlier_months
    group by cohort_month, month_number
),

-- Counted from the cohort's month. The two parts never hold the same month.
active_counts as (
    select
        cohort_month,
        month_number - {{ month_number('cohort_month') }} as months_since_first_order,
        active_customers
    from recent_active_counts
    union all
    select
        cohort_month,
        month_number - {{ month_number('cohort_month') }} as months_since_first_order,
        active_customers
    from earlier_active_counts
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
