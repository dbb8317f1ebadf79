-- Q6. Who opts in to email?
-- Opt-in rate with its 95% interval, everyone first, then by gender and age band.
select
    dimension,
    segment,
    customers,
    rate,
    rate_ci_low,
    rate_ci_high
from {{ ref('email_opt_in') }}
order by case when dimension = 'overall' then 0 else 1 end, dimension, segment_order
