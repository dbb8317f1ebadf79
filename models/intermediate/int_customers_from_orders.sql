-- The customers of an order log as of the snapshot date (int_snapshot), by the rules of
-- ../shared/DECISIONS.md "Order logs": a purchase is a line that is not a return, whatever its
-- amount; a customer is someone with a purchase on or before the snapshot date.

with

order_lines as {{ not_materialized() }} (
    select * from {{ ref('stg_orders') }}
),

snapshot as (
    select * from {{ ref('int_snapshot') }}
),

-- Each line against the snapshot: a purchase or a return on or before it (features), or a
-- purchase inside the churn window after it.
dated_lines as {{ not_materialized() }} (
    select
        order_lines.customer_id,
        order_lines.order_id,
        order_lines.order_date,
        -- Money is added as exact decimals (to a millionth): a double sum depends on the order the
        -- engine adds lines in, and equal spends must stay equal for ranks and bands.
        cast(order_lines.amount as decimal(38, 6)) as exact_amount,
        order_lines.order_date <= snapshot.snapshot_date and not order_lines.is_return as is_purchase,
        order_lines.order_date <= snapshot.snapshot_date and order_lines.is_return as is_return,
        not order_lines.is_return
        and order_lines.order_date > snapshot.snapshot_date
        and order_lines.order_date <= snapshot.churn_window_end as is_purchase_in_window
    from order_lines
    cross join snapshot
),

-- What the lines say of each customer without telling orders apart: the purchase dates, the
-- spend (a return lowers it by its amount, whatever sign the log writes it with), and whether
-- they bought inside the churn window.
customer_lines as (
    select
        customer_id,
        min(case when is_purchase then order_date end) as first_order_date,
        max(case when is_purchase then order_date end) as last_order_date,
        sum(case when is_purchase then exact_amount else 0 end)
        - sum(case when is_return then abs(exact_amount) else 0 end) as total_spend,
        max(case when is_purchase_in_window then 1 else 0 end) = 0 as is_churned
    from dated_lines
    group by customer_id
),

-- One row per order and kind of line in it: an order is an order id, or without order ids one
-- customer-day; it counts as a purchase when it has a purchase line, as a return when it has a
-- return line. Only the keys are kept: at one order per line this is as long as the log.
order_kinds as (
    select distinct
        customer_id,
        order_id,
        case when order_id is null then order_date end as order_day,
        is_purchase
    from dated_lines
    where is_purchase or is_return
),

order_counts as (
    select
        customer_id,
        count(case when is_purchase then 1 end) as num_purchases,
        count(case when not is_purchase then 1 end) as num_returns
    from order_kinds
    group by customer_id
),

customer_orders as (
    select
        customer_lines.customer_id,
        customer_lines.first_order_date,
        customer_lines.last_order_date,
        order_counts.num_purchases,
        order_counts.num_returns,
        customer_lines.total_spend,
        customer_lines.is_churned
    from customer_lines
    inner join order_counts on customer_lines.customer_id = order_counts.customer_id
    where order_counts.num_purchases > 0
),

final as (
    select
        customer_orders.customer_id,
        snapshot.snapshot_date,
        customer_orders.first_order_date,
        customer_orders.last_order_date,
        {{ days_between('customer_orders.first_order_date', 'snapshot.snapshot_date') }} as days_as_customer,
        cast(
            floor({{ days_between('customer_orders.first_order_date', 'snapshot.snapshot_date') }} / 365.25)
            as {{ dbt.type_int() }}
        ) as years_as_customer,
        {{ days_between('customer_orders.last_order_date', 'snapshot.snapshot_date') }}
            as last_purchase_days_ago,
        cast(customer_orders.num_purchases as {{ dbt.type_int() }}) as num_purchases,
        cast(customer_orders.total_spend as {{ type_double() }}) as total_spend,
        {{ ratio('customer_orders.total_spend', 'customer_orders.num_purchases') }} as avg_transaction_amount,
        cast(customer_orders.num_returns as {{ dbt.type_int() }}) as num_returns,
        {{ month_start('customer_orders.first_order_date') }} as cohort_month,
        customer_orders.is_churned
    from customer_orders
    cross join snapshot
)

select * from final
