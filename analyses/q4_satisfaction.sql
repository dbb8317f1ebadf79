-- Q4. How satisfied are customers?
-- The share giving each score, beside the mean and median score of everyone.
with

overall_score as (
    select
        mean as mean_score,
        median as median_score
    from {{ ref('metric_distributions') }}
    where metric = 'satisfaction_score' and dimension = 'overall'
)

select
    scores.satisfaction_score,
    scores.customers,
    scores.share,
    scores.share_ci_low,
    scores.share_ci_high,
    scores.cumulative_share,
    overall_score.mean_score,
    overall_score.median_score
from {{ ref('satisfaction_distribution') }} as scores
cross join overall_score
order by scores.satisfaction_score
