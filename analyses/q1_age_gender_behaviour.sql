-- Q1. How do age and gender shape purchasing behaviour?
-- Each age band x gender cell: its size, what its customers spend and buy, and its churn.
select
    age_band,
    gender,
    customers,
    mean_total_spend,
    median_total_spend,
    mean_num_purchases,
    mean_avg_transaction_amount,
    churn_rate
from {{ ref('demographics') }}
where age_band <> 'all' and gender <> 'all'
order by age_band_order, gender_order
