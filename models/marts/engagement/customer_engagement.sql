{%- set measures = [
    'last_purchase_days_ago',
    'num_purchases',
    'total_spend',
    'years_as_customer',
    'num_returns',
] -%}

with

customers as {{ not_materialized() }} (
    select * from {{ ref('customers') }}
),

summarised as (
    select
        engagement_segment,
        {{ segment_dimensions()['engagement_segment']['order'] }} as segment_order,
        count(*) as customers,
        {% for measure in measures %}
            avg({{ measure_as_double(measure) }}) as mean_{{ measure }},
        {% endfor %}
        count(*) filter (where is_churned) as churned_customers
    from customers
    group by engagement_segment
),

customer_totals as (
    select count(*) as all_customers
    from customers
),

final as (
    select
        summarised.engagement_segment,
        summarised.segment_order,
        summarised.customers,
        {{ ratio('summarised.customers', 'customer_totals.all_customers') }} as customer_share,
        {% for measure in measures %}
            summarised.mean_{{ measure }},
        {% endfor %}
        summarised.churned_customers,
        {{ ratio('summarised.churned_customers', 'summarised.customers') }} as churn_rate,
        {{ wilson_interval('summarised.churned_customers', 'summarised.customers', 'churn_rate') }}
    from summarised
    cross join customer_totals
)

select * from final
