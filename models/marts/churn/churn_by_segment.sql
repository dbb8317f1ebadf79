with

segment_counts as (
    select * from {{ ref('int_churn_segment_counts') }}
),

with_dimension_totals as (
    select
        *,
        sum(customers) over (partition by dimension) as dimension_customers,
        sum(churned_customers) over (partition by dimension) as dimension_churned_customers
    from segment_counts
),

-- The 2 x 2 table of each segment against the rest of the customers, one row per cell.
segment_versus_rest_cells as (
    select
        dimension,
        segment,
        'segment' as table_row,
        'churned' as table_column,
        churned_customers as observed
    from with_dimension_totals
    union all
    select
        dimension,
        segment,
        'segment' as table_row,
        'retained' as table_column,
        customers - churned_customers as observed
    from with_dimension_totals
    union all
    select
        dimension,
        segment,
        'rest' as table_row,
        'churned' as table_column,
        dimension_churned_customers - churned_customers as observed
    from with_dimension_totals
    union all
    select
        dimension,
        segment,
        'rest' as table_row,
        'retained' as table_column,
        (dimension_customers - customers) - (dimension_churned_customers - churned_customers) as observed
    from with_dimension_totals
),

segment_versus_rest_tests as (
    {{ chi_square_test(
        'segment_versus_rest_cells', ['dimension', 'segment'], 'table_row', 'table_column', 'observed'
    ) }}
),

adjusted_p_values as (
    {{ benjamini_hochberg('segment_versus_rest_tests', ['dimension', 'segment'], 'p_value') }}
),

rated as (
    select
        dimension,
        segment,
        segment_order,
        customers,
        churned_customers,
        {{ ratio('churned_customers', 'customers') }} as churn_rate,
        {{ wilson_interval('churned_customers', 'customers', 'churn_rate') }},
        {{ ratio('dimension_churned_customers', 'dimension_customers') }} as overall_churn_rate
    from with_dimension_totals
),

-- Each segment against the rest of its dimension: both churn rates with their Wilson intervals
-- at 95% and at the 1 - 2 alpha level of the verdict, and the rate of the two pooled.
critical_values as (
    {{ critical_values() }}
),

segment_and_rest_counts as (
    select
        dimension,
        segment,
        customers,
        churned_customers,
        dimension_customers,
        dimension_customers - customers as rest_customers,
        dimension_churned_customers - churned_customers as rest_churned_customers,
        {{ ratio('dimension_churned_customers', 'dimension_customers') }} as pooled_rate
    from with_dimension_totals
),

segment_and_rest_rates as (
    select
        segment_and_rest_counts.*,
        {{ ratio('churned_customers', 'customers') }} as segment_rate,
        {{ ratio('rest_churned_customers', 'rest_customers') }} as rest_rate,
        critical_values.z_detectable,
        {{ wilson_interval('churned_customers', 'customers', 'segment_rate') }},
        {{ wilson_interval('rest_churned_customers', 'rest_customers', 'rest_rate') }},
        {{ wilson_interval(
            'churned_customers', 'customers', 'segment_rate',
            z='critical_values.z_equivalence', interval='equivalence'
        ) }},
        {{ wilson_interval(
            'rest_churned_customers', 'rest_customers', 'rest_rate',
            z='critical_values.z_equivalence', interval='equivalence'
        ) }}
    from segment_and_rest_counts
    cross join critical_values
),

-- The difference segment - rest with Newcombe's interval at both levels, and the smallest
-- difference the two group sizes could detect.
rate_differences as (
    select
        dimension,
        segment,
        customers,
        dimension_customers,
        segment_rate - rest_rate as churn_rate_difference,
        {{ rate_difference_interval('segment_rate', 'rest_rate', 'churn_rate_difference') }},
        {{ rate_difference_interval('segment_rate', 'rest_rate', 'churn_rate_difference', 'equivalence') }},
        {{ minimum_detectable_rate_difference(
            'customers', 'rest_customers', 'pooled_rate', 'z_detectable'
        ) }} as minimum_detectable_effect
    from segment_and_rest_rates
),

-- Judged on the adjusted p-value: every segment row is one family.
verdicts as (
    select
        rate_differences.*,
        {{ verdict(
            'adjusted_p_values.p_value_adjusted',
            'rate_differences.churn_rate_difference_equivalence_low',
            'rate_differences.churn_rate_difference_equivalence_high',
            var('equivalence_margin_rate'),
            'rate_differences.dimension_customers'
        ) }} as verdict,
        {{ format_p_value('adjusted_p_values.p_value_adjusted') }} as adjusted_p_value_text
    from rate_differences
    left join adjusted_p_values
        on
            rate_differences.dimension = adjusted_p_values.dimension
            and rate_differences.segment = adjusted_p_values.segment
),

findings as (
    select
        dimension,
        segment,
        coalesce(
            {{ verdict_finding(
                'verdict',
                'churn_rate_difference_equivalence_low',
                'churn_rate_difference_equivalence_high',
                'customers',
                'points',
                effect="'the segment churns ' || case when churn_rate_difference > 0 then 'more' else 'less' end"
                    ~ " || ' than the rest'",
                evidence="'difference ' || " ~ format_decimal('100 * churn_rate_difference', 1)
                    ~ " || ' points, 95% interval ' || " ~ format_decimal('100 * churn_rate_difference_ci_low', 1)
                    ~ " || ' to ' || " ~ format_decimal('100 * churn_rate_difference_ci_high', 1)
                    ~ " || ', adjusted ' || adjusted_p_value_text"
            ) }},
            case
                when dimension = 'overall' then 'not tested: everyone, the rate each segment is compared with'
                else 'not testable: no rest to compare with, churn constant, or fewer than four customers'
            end
        ) as finding
    from verdicts
),

final as (
    select
        rated.dimension,
        rated.segment,
        rated.segment_order,
        rated.customers,
        rated.churned_customers,
        rated.churn_rate,
        rated.churn_rate_ci_low,
        rated.churn_rate_ci_high,
        {{ ratio('rated.churn_rate', 'rated.overall_churn_rate') }} as lift,
        segment_versus_rest_tests.p_value,
        adjusted_p_values.p_value_adjusted,
        verdicts.churn_rate_difference,
        verdicts.churn_rate_difference_ci_low,
        verdicts.churn_rate_difference_ci_high,
        verdicts.churn_rate_difference_equivalence_low,
        verdicts.churn_rate_difference_equivalence_high,
        verdicts.minimum_detectable_effect,
        cast({{ var('equivalence_margin_rate') }} as {{ type_double() }}) as equivalence_margin,
        verdicts.verdict,
        findings.finding
    from rated
    left join segment_versus_rest_tests
        on
            rated.dimension = segment_versus_rest_tests.dimension
            and rated.segment = segment_versus_rest_tests.segment
    left join adjusted_p_values
        on
            rated.dimension = adjusted_p_values.dimension
            and rated.segment = adjusted_p_values.segment
    left join verdicts
        on
            rated.dimension = verdicts.dimension
            and rated.segment = verdicts.segment
    left join findings
        on
            rated.dimension = findings.dimension
            and rated.segment = findings.segment
)

select * from final
