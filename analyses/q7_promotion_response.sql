-- Q7. How do customers respond to promotions?
-- The share who responded (Responded / all customers) with its 95% interval, by segment.
select
    dimension,
    segment,
    customers,
    customers_with_response as responded_customers,
    rate,
    rate_ci_low,
    rate_ci_high
from {{ ref('promotion_response') }}
where promotion_response = 'Responded'
order by case when dimension = 'overall' then 0 else 1 end, dimension, segment_order
