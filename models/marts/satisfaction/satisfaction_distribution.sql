with

-- No customers where the input cannot answer Q4 (an order log has none of its columns).
customers as {{ not_materialized() }} (
    select * from {{ ref('customers') }}
    where {{ input_answers('Q4') }}
),

score_counts as (
    select
        satisfaction_score,
        count(*) as customers,
        count(*) filter (where is_churned) as churned_customers
    from customers
    group by satisfaction_score
),

accumulated as (
    select
        *,
        sum(customers) over () as all_customers,
        sum(customers) over (
            order by satisfaction_score
            rows between unbounded preceding and current row
        ) as customers_at_or_below
    from score_counts
),

final as (
    select
        satisfaction_score,
        customers,
        {{ ratio('customers', 'all_customers') }} as share, -- noqa: RF04
        {{ wilson_interval('customers', 'all_customers', 'share') }},
        {{ ratio('customers_at_or_below', 'all_customers') }} as cumulative_share,
        churned_customers,
        {{ ratio('churned_customers', 'customers') }} as churn_rate,
        {{ wilson_interval('churned_customers', 'customers', 'churn_rate') }}
    from accumulated
)

select * from final
