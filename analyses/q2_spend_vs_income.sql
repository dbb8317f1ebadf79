-- Q2. Does total spend follow annual income?
-- The answer in words per segment, everyone first, with the statistics behind it.
select
    dimension,
    segment,
    n,
    pearson_r,
    pearson_p_value,
    spearman_rho,
    ols_slope,
    r_squared,
    finding
from {{ ref('spend_vs_income') }}
order by case when dimension = 'overall' then 0 else 1 end, dimension, segment_order
