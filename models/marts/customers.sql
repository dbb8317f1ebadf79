with

staged_customers as {{ not_materialized() }} (
    select * from {{ ref('stg_customers') }}
),

engagement_scores as (
    select * from {{ ref('int_customer_engagement_scores') }}
),

banded as (
    select
        *,
        {{ band('age', 'age') }} as age_band,
        {{ band('annual_income_k_usd', 'annual_income_k_usd') }} as income_band,
        {{ band('years_as_customer', 'years_as_customer') }} as tenure_band,
        {{ band('total_spend', 'total_spend') }} as spend_band,
        {{ band('num_support_contacts', 'num_support_contacts') }} as support_contacts_band
    from staged_customers
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
