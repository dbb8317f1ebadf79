-- Q9: Which factors go with churn? Every candidate factor, most significant first, judged on the
-- Benjamini-Hochberg adjusted p-value.
select
    factor,
    test,
    effect_size,
    p_value_adjusted,
    is_significant,
    finding
from {{ ref('churn_drivers') }}
order by p_value_adjusted, factor
