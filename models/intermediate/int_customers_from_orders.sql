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
-- purchase inside the churn window after it. Customers and orders are told apart by the keys
-- staging gives (customer_key, order_key: the ids as the reader typed them, or without order
-- ids the day), which are as distinct as the ids and group in half the time and memory of text.
dated_lines as {{ not_materialized() }} (
    select
        order_lines.customer_key,
        order_lines.order_key,
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

-- Each customer in one pass over the lines: the purchase dates, the spend (a return lowers it by
-- its amount, whatever sign the log writes it with), whether they bought inside the churn
-- window, and the orders: an order counts as a purchase when it has a purchase line, as a return
-- when it has a return line (an order of returns only is not activity). One group per order
-- instead cost more CPU and 13.7 GiB at 100M lines.
customer_lines as (
    select
        customer_key,
        min(case when is_purchase then order_date end) as first_order_date,
        max(case when is_purchase then order_date end) as last_order_date,
        {{ count_distinct_where('order_key', 'is_purchase') }} as num_purchases,
        {{ count_distinct_where('order_key', 'is_return') }} as num_returns,
        -- One exact sum of signed amounts, not purchases less returns: one accumulator per line
        -- (25.5 to 23.8 CPU s for the model alone at 100M lines), and the same decimal.
        sum(
            case when is_purchase then exact_amount when is_return then -abs(exact_amount) else 0 end
        ) as total_spend,
        max(case when is_purchase_in_window then 1 else 0 end) = 0 as is_churned
    from dated_lines
    group by customer_key
),

-- The id as staged (text): the key printed, as stg_orders prints it. Customers are those with a
-- purchase: a first purchase date, which is the same test as num_purchases > 0 without
-- DuckDB making each customer's orders distinct a second time for the filter (10 of 37 CPU s
-- at 100M lines).
customer_orders as (
    select
        cast(customer_key as {{ dbt.type_string() }}) as customer_id,
        first_order_date,
        last_order_date,
        num_purchases,
        num_returns,
        total_spend,
        is_churned
    from customer_lines
    where first_order_date is not null
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
