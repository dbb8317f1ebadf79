-- Q3. How engaged are customers?
-- The RFM engagement segments, most engaged first: size, behaviour and churn.
select
    engagement_segment,
    customers,
    customer_share,
    mean_last_purchase_days_ago,
    mean_num_purchases,
    mean_total_spend,
    churn_rate
from {{ ref('customer_engagement') }}
order by segment_order
