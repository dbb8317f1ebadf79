{#-
    Every source column but the id and the target, with the words a finding uses for it: those
    this build's input has (input_columns(); on an order log the numeric ones it yields).
-#}
{%- set categorical_factors = {} -%}
{%- for factor, label in {
    'gender': 'gender',
    'promotion_response': 'promotion response',
    'is_email_opted_in': 'email opt-in',
}.items() if input_has(factor) -%}
    {%- do categorical_factors.update({factor: label}) -%}
{%- endfor -%}
{%- set numeric_factors = {} -%}
{%- for factor, label in {
    'age': 'age',
    'annual_income_k_usd': 'annual income',
    'total_spend': 'total spend',
    'years_as_customer': 'years as a customer',
    'num_purchases': 'number of purchases',
    'avg_transaction_amount': 'average transaction amount',
    'num_returns': 'number of returns',
    'num_support_contacts': 'support contacts',
    'satisfaction_score': 'satisfaction score',
    'last_purchase_days_ago': 'days since the last purchase',
    'days_as_customer': 'days as a customer',
}.items() if input_has(factor) -%}
    {%- do numeric_factors.update({factor: label}) -%}
{%- endfor -%}
{#- null matches no dimension: an input without categorical factors selects no cells. -#}
{%- set categorical_list = "'" ~ (categorical_factors.keys() | join("', '")) ~ "'"
    if categorical_factors else 'null' -%}

with

pair_coefficients as (
    select * from {{ ref('int_metric_pair_coefficients') }}
),

segment_counts as (
    select * from {{ ref('int_churn_segment_counts') }}
),

churn_by_segment as (
    select * from {{ ref('churn_by_segment') }}
),

factors as (
    select factor_list.* from (
        values
        {%- for factor, label in categorical_factors.items() %}
            ('{{ factor }}', '{{ label }}', 'categorical', 'chi-square'),
        {%- endfor %}
        {%- for factor, label in numeric_factors.items() %}
            ('{{ factor }}', '{{ label }}', 'numeric', 'point-biserial'){{ ',' if not loop.last }}
        {%- endfor %}
    ) as factor_list (factor, factor_label, factor_type, test)
),

-- The factor x churned table of each categorical factor is the segment counts of its dimension.
categorical_cells as (
    select
        dimension as factor,
        segment as table_row,
        'churned' as table_column,
        churned_customers as observed
    from segment_counts
    where dimension in ({{ categorical_list }})
    union all
    select
        dimension as factor,
        segment as table_row,
        'retained' as table_column,
        customers - churned_customers as observed
    from segment_counts
    where dimension in ({{ categorical_list }})
),

categorical_tests as (
    {{ chi_square_test('categorical_cells', ['factor'], 'table_row', 'table_column', 'observed') }}
),

-- How many customers there are: the overall row of the segment counts, and 0 without one (an
-- aggregate without group by has a row even then).
customer_count as (
    select coalesce(max(customers), 0) as customers
    from segment_counts
    where dimension = 'overall'
),

-- A numeric factor's point-biserial r is its Pearson r with churned as 0 / 1: the pair (factor,
-- is_churned) of the pair coefficients, computed in one pass over the customers for every mart.
-- The t-test iterates in a recursive CTE whose first level Spark runs once per reference; read
-- from that small table, it does not scan the customers again each time.
numeric_factor_correlations as (
    select
        factors.factor,
        coefficients.pearson_r as point_biserial_r,
        coefficients.n - 2 as degrees_of_freedom
    from factors
    left join pair_coefficients as coefficients
        on
            factors.factor = coefficients.metric_x
            and coefficients.metric_y = 'is_churned'
    where factors.factor_type = 'numeric'
),

numeric_p_values as (
    {{ t_test_p_value(
        'numeric_factor_correlations', ['factor'], 'degrees_of_freedom', correlation='point_biserial_r'
    ) }}
),

numeric_tests as (
    select
        correlations.factor,
        case
            when correlations.degrees_of_freedom > 0 and abs(correlations.point_biserial_r) < 1
                then correlations.point_biserial_r * sqrt(
                    correlations.degrees_of_freedom / (1 - power(correlations.point_biserial_r, 2))
                )
        end as statistic,
        correlations.degrees_of_freedom,
        numeric_p_values.p_value,
        correlations.point_biserial_r as effect_size
    from numeric_factor_correlations as correlations
    inner join numeric_p_values on correlations.factor = numeric_p_values.factor
),

factor_tests as (
    select
        factors.factor,
        factors.factor_label,
        factors.factor_type,
        factors.test,
        coalesce(categorical_tests.statistic, numeric_tests.statistic) as statistic,
        coalesce(
            categorical_tests.degrees_of_freedom, numeric_tests.degrees_of_freedom
        ) as degrees_of_freedom,
        coalesce(categorical_tests.p_value, numeric_tests.p_value) as p_value,
        coalesce(categorical_tests.cramers_v, numeric_tests.effect_size) as effect_size
    from factors
    left join categorical_tests on factors.factor = categorical_tests.factor
    left join numeric_tests on factors.factor = numeric_tests.factor
),

adjusted_p_values as (
    {{ benjamini_hochberg('factor_tests', ['factor'], 'p_value') }}
),

segment_churn_rates as (
    select
        dimension,
        segment,
        segment_order,
        {{ ratio('churned_customers', 'customers') }} as churn_rate
    from segment_counts
),

-- Where a categorical factor goes with churn, the finding names its segment that churns most.
highest_churn_segments as (
    select
        dimension as factor,
        segment,
        churn_rate,
        row_number() over (partition by dimension order by churn_rate desc, segment_order asc) as churn_rank
    from segment_churn_rates
    where dimension in ({{ categorical_list }})
),

-- An aggregate without group by: one row even when there are no customers.
overall as (
    select max(churn_rate) as overall_churn_rate
    from segment_churn_rates
    where dimension = 'overall'
),

judged as (
    select
        factor_tests.*,
        adjusted_p_values.p_value_adjusted,
        coalesce(adjusted_p_values.p_value_adjusted < 0.05, false) as is_significant,
        case when factor_tests.factor_type = 'categorical' then 'V' else 'r' end
        || ' = ' || {{ format_decimal('factor_tests.effect_size', 2) }}
        || ', adjusted ' || {{ format_p_value('adjusted_p_values.p_value_adjusted') }} as evidence,
        highest_churn_segments.segment as highest_churn_segment,
        highest_churn_segments.churn_rate as highest_churn_rate
    from factor_tests
    left join adjusted_p_values on factor_tests.factor = adjusted_p_values.factor
    left join highest_churn_segments
        on
            factor_tests.factor = highest_churn_segments.factor
            and highest_churn_segments.churn_rank = 1
),

-- What the verdict judges, in its units. A numeric factor: its r, by the 1 - 2 alpha Fisher-z
-- interval, and the smallest |r| the customers could detect.
numeric_factor_sizes as (
    select
        numeric_factor_correlations.factor,
        numeric_factor_correlations.point_biserial_r,
        customer_count.customers
    from numeric_factor_correlations
    cross join customer_count
),

numeric_equivalence as (
    select
        factor,
        equivalence_low,
        equivalence_high,
        minimum_detectable_effect,
        equivalence_margin
    from ({{ correlation_equivalence('numeric_factor_sizes', 'point_biserial_r', 'customers') }}) as sized
),

-- A categorical factor: every level's churn-rate difference against the rest (churn_by_segment),
-- so "inside the margin" means every level is. Its detectable difference is its smallest
-- level's, the largest of the levels': all share the pooled rate, and 1 / n + 1 / (N - n) grows
-- as a level shrinks below half the customers.
categorical_equivalence as (
    select
        dimension as factor,
        min(churn_rate_difference_equivalence_low) as equivalence_low,
        max(churn_rate_difference_equivalence_high) as equivalence_high,
        max(minimum_detectable_effect) as minimum_detectable_effect,
        max(equivalence_margin) as equivalence_margin
    from churn_by_segment
    where dimension in ({{ categorical_list }})
    group by dimension
),

factor_equivalence as (
    select * from numeric_equivalence
    union all
    select * from categorical_equivalence
),

verdicts as (
    select
        judged.factor,
        factor_equivalence.equivalence_low,
        factor_equivalence.equivalence_high,
        factor_equivalence.minimum_detectable_effect,
        factor_equivalence.equivalence_margin,
        customer_count.customers,
        {{ verdict(
            'judged.p_value_adjusted',
            'factor_equivalence.equivalence_low',
            'factor_equivalence.equivalence_high',
            'factor_equivalence.equivalence_margin',
            'customer_count.customers'
        ) }} as verdict
    from judged
    cross join customer_count
    left join factor_equivalence on judged.factor = factor_equivalence.factor
),

final as (
    select
        judged.factor,
        judged.factor_type,
        judged.test,
        judged.statistic,
        judged.degrees_of_freedom,
        judged.p_value,
        judged.p_value_adjusted,
        judged.effect_size,
        judged.is_significant,
        verdicts.equivalence_low,
        verdicts.equivalence_high,
        verdicts.minimum_detectable_effect,
        verdicts.equivalence_margin,
        verdicts.verdict,
        coalesce(
            case
                {%- for factor_type, unit in [('categorical', 'points'), ('numeric', 'r')] %}
                    when judged.factor_type = '{{ factor_type }}'
                        then {{ verdict_finding(
                            'verdicts.verdict',
                            'verdicts.equivalence_low',
                            'verdicts.equivalence_high',
                            'verdicts.customers',
                            unit,
                            effect=(
                                "'churn differs by ' || judged.factor_label || ': highest for '"
                                ~ " || judged.highest_churn_segment || ', '"
                                ~ " || " ~ format_decimal('100 * judged.highest_churn_rate', 1) ~ " || '% vs '"
                                ~ " || " ~ format_decimal('100 * overall.overall_churn_rate', 1) ~ " || '% overall'"
                            ) if factor_type == 'categorical' else (
                                "case when judged.effect_size > 0 then 'churn rises with ' || judged.factor_label"
                                ~ " else 'churn falls as ' || judged.factor_label || ' rises' end"
                            ),
                            evidence='judged.evidence'
                        ) }}
                {%- endfor %}
            end,
            'not testable: too few customers, or no variation in churn or in ' || judged.factor_label
        ) as finding
    from judged
    cross join overall
    left join verdicts on judged.factor = verdicts.factor
)

select * from final
