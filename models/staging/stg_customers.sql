with

base_customers as {{ not_materialized() }} (
    select * from {{ ref('base_customers') }}
),

valid as (
    select * from base_customers
    where reject_reason is null
),

final as (
    select
        {% for column, rule in var('customer_contract').items() -%}
            cast({{ column }} as {{ contract_staged_type(rule) }}) as {{ column }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from valid
)

select * from final
