with

base_customers as {{ not_materialized() }} (
    select * from {{ ref('base_customers') }}
),

rejected as (
    select
        input_row_number,
        {% for rule in var('customer_contract').values() -%}
            {{ contract_raw_column(rule) }},
        {% endfor -%}
        reject_reason,
        broken_rules
    from base_customers
    where reject_reason is not null
),

final as (
    select * from rejected
)

select * from final
