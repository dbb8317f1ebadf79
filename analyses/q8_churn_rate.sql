-- Q8: What is the churn rate, and does churn exceed retention? The overall rate with its 95%
-- interval and the binomial verdict, then the segments that churn most, by lift.
select
    'overall' as dimension,
    'all' as segment,
    customers,
    churn_rate,
    churn_rate_ci_low,
    churn_rate_ci_high,
    p_value,
    finding
from {{ ref('churn_overview') }}
union all
select * from (
    select
        dimension,
        segment,
        customers,
        churn_rate,
        churn_rate_ci_low,
        churn_rate_ci_high,
        p_value_adjusted as p_value,
        case
            when p_value_adjusted < 0.05 then 'differs from the rest after adjustment'
            else 'within chance of the rest'
        end as finding
    from {{ ref('churn_by_segment') }}
    where dimension <> 'overall'
    order by lift desc
    limit 5
) as highest_lift_segments
