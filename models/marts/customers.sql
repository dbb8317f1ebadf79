-- The customers with their engagement scores (int_customer_engagement_scores carries every column
-- of int_customers), and the bands every analysis groups by.
with

engagement_scores as {{ not_materialized() }} (
    select * from {{ ref('int_customer_engagement_scores') }}
),

banded as (
    select
        *,
        {% for band_column, column in banded_columns().items() -%}
            {{ band(column, column) }} as {{ band_column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from engagement_scores
),

final as (
    select * from banded
)

select * from final
