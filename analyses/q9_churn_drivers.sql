-- Q9: Which factors go with churn? Every candidate factor, most significant first, judged on the
-- Benjamini-Hochberg adjusted p-value and on its equivalence interval: the verdict says whether
-- it is an effect, ruled out as negligible, or inconclusive.
select
    factor,
    test,
    effect_size,
    p_value_adjusted,
    is_significant,
    equivalence_low,
    equivalence_high,
    minimum_detectable_effect,
    verdict,
    finding
from {{ ref('churn_drivers') }}
order by p_value_adjusted, factor
