with

segment_counts as (
    select * from {{ ref('int_churn_segment_counts') }}
),

-- An aggregate without group by: one row even when there are no customers.
counted as (
    select
        coalesce(sum(customers), 0) as customers,
        coalesce(sum(churned_customers), 0) as churned_customers
    from segment_counts
    where dimension = 'overall'
),

-- The seed study's claim "churn exceeds retention": one-sided exact binomial test against 0.5.
binomial_tests as (
    {{ binomial_test_p_value('counted', ['customers'], 'churned_customers', 'customers', 0.5, 'greater') }}
),

rated as (
    select
        counted.customers,
        counted.churned_customers,
        counted.customers - counted.churned_customers as retained_customers,
        {{ ratio('counted.churned_customers', 'counted.customers') }} as churn_rate,
        {{ wilson_interval('counted.churned_customers', 'counted.customers', 'churn_rate') }},
        binomial_tests.p_value,
        coalesce(binomial_tests.p_value < 0.05, false) as churn_exceeds_retention
    from counted
    inner join binomial_tests on counted.customers = binomial_tests.customers
),

final as (
    select
        *,
        case
            when customers = 0 then 'no customers: the churn rate is undefined'
            else
                'churn rate ' || {{ format_decimal('100 * churn_rate', 1) }} || '% ('
                || cast(churned_customers as {{ dbt.type_string() }}) || ' of '
                || cast(customers as {{ dbt.type_string() }}) || ' customers; 95% interval '
                || {{ format_decimal('100 * churn_rate_ci_low', 1) }} || '% to '
                || {{ format_decimal('100 * churn_rate_ci_high', 1) }} || '%); '
                || case
                    when churn_exceeds_retention then 'churn significantly exceeds retention at 95%'
                    else '"churn exceeds retention" is not supported at 95%'
                end
                -- three decimals: the real data's p = 0.053 must not read as 0.05
                || ' (one-sided binomial test against 50%, p '
                || case
                    when p_value < 0.001 then '< 0.001'
                    else '= ' || {{ format_decimal('p_value', 3) }}
                end
                || ')'
        end as finding
    from rated
)

select * from final
