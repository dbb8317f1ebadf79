-- A table: base_orders is a view over the file, and the rejected lines are few.
{{ config(materialized='table') }}

with

base_orders as {{ not_materialized() }} (
    select * from {{ ref('base_orders') }}
),

rejected as (
    select
        input_row_number,
        {% for raw_column in order_raw_columns().values() -%}
            {{ raw_column }},
        {% endfor -%}
        is_guest_line,
        reject_reason,
        broken_rules
    from base_orders
    where reject_reason is not null
),

final as (
    select * from rejected
)

select * from final
