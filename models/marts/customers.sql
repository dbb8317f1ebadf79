with

input_customers as {{ not_materialized() }} (
    select * from {{ ref('int_customers') }}
),

engagement_scores as (
    select * from {{ ref('int_customer_engagement_scores') }}
),

banded as (
    select
        *,
        {% for band_column, column in banded_columns().items() -%}
            {{ band(column, column) }} as {{ band_column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from input_customers
),

engaged as (
    select
        banded.*,
        engagement_scores.recency_score,
        engagement_scores.frequency_score,
        engagement_scores.monetary_score,
        engagement_scores.engagement_segment
    from banded
    left join engagement_scores on banded.customer_id = engagement_scores.customer_id
),

final as (
    select * from engaged
)

select * from final
