with

base_orders as {{ not_materialized() }} (
    select * from {{ ref('base_orders') }}
),

valid as (
    select * from base_orders
    where reject_reason is null
),

final as (
    select
        input_row_number,
        -- The ids as the reader typed them, for grouping: an integer column of a Parquet file
        -- stays an integer, which groups in half the time and memory of its text. Each key is
        -- exactly as distinct as the text below, which is the key printed.
        customer_id as customer_key,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        order_key,
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(order_date as date) as order_date,
        cast(quantity as {{ type_double() }}) as quantity,
        cast(amount as {{ type_double() }}) as amount,
        is_return
    from valid
)

select * from final
