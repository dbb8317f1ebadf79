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
        adjusted_p_values.p_value_adjusted
    from rated
    left join segment_versus_rest_tests
        on
            rated.dimension = segment_versus_rest_tests.dimension
            and rated.segment = segment_versus_rest_tests.segment
    left join adjusted_p_values
        on
            rated.dimension = adjusted_p_values.dimension
            and rated.segment = adjusted_p_values.segment
)

select * from final
