-- Q5. Do support contacts relate to satisfaction?
-- The correlation of the two, with its interval and p-values (the crosstab is in
-- support_vs_satisfaction).
select
    n,
    pearson_r,
    pearson_r_ci_low,
    pearson_r_ci_high,
    pearson_p_value,
    pearson_p_value_adjusted,
    spearman_rho,
    spearman_p_value,
    is_significant
from {{ ref('metric_correlations') }}
where metric_x = 'num_support_contacts' and metric_y = 'satisfaction_score'
