{%- set dimensions = ['gender', 'age_band'] -%}
{%- set ranked_measures = {'income': 'annual_income_k_usd', 'spend': 'total_spend'} -%}

with

-- No customers where the input cannot answer Q2 (an order log has none of its columns).
customers as {{ not_materialized() }} (
    select * from {{ ref('customers') }}
    where {{ input_answers('Q2') }}
),

-- Everyone's coefficients are those of the income-spend pair in int_metric_pair_coefficients,
-- which ranks every customer already: read there, not ranked a second time.
overall_coefficients as (
    select
        pearson_r,
        spearman_rho
    from {{ ref('int_metric_pair_coefficients') }}
    where metric_x = 'annual_income_k_usd' and metric_y = 'total_spend'
),

-- Spearman's rho is Pearson's r of the ranks within the segment: each value's rank in its
-- gender and in its age band, looked up from the distinct values (sorting those, not every
-- customer once per segment and measure).
{% for dimension in dimensions %}
    {% for stem, measure in ranked_measures.items() %}
        {{ stem }}_ranks_in_{{ dimension }} as (
            {{ value_ranks('customers', measure, [dimension]) }}
        ),
    {% endfor %}

    ranked_in_{{ dimension }} as (
        select
            customers.gender,
            customers.age_band,
            customers.annual_income_k_usd,
            customers.total_spend,
            income_ranks_in_{{ dimension }}.average_rank as income_rank,
            spend_ranks_in_{{ dimension }}.average_rank as spend_rank
        from customers
        {% for stem, measure in ranked_measures.items() %}
            left join {{ stem }}_ranks_in_{{ dimension }}
                on
                    customers.{{ measure }} = {{ stem }}_ranks_in_{{ dimension }}.value
                    and customers.{{ dimension }} = {{ stem }}_ranks_in_{{ dimension }}.{{ dimension }}
        {% endfor %}
    ),

{% endfor %}
{%- set spend_on_income -%}
    cast(regr_count(total_spend, annual_income_k_usd) as {{ dbt.type_bigint() }}) as n,
    case
        when regr_sxx(total_spend, annual_income_k_usd) > 0
            then regr_slope(total_spend, annual_income_k_usd)
    end as ols_slope,
    case
        when regr_sxx(total_spend, annual_income_k_usd) > 0
            then regr_intercept(total_spend, annual_income_k_usd)
    end as ols_intercept
{%- endset %}

overall_fit as (
    select
        'overall' as dimension,
        'all' as segment,
        0 as segment_order,
        {{ spend_on_income }}
    from customers
    {{ group_by_segment('overall') }}
),

fitted as (
    select
        overall_fit.dimension,
        overall_fit.segment,
        overall_fit.segment_order,
        overall_fit.n,
        overall_fit.ols_slope,
        overall_fit.ols_intercept,
        overall_coefficients.pearson_r,
        overall_coefficients.spearman_rho
    from overall_fit
    cross join overall_coefficients
    {% for dimension in dimensions %}
        union all
        select
            '{{ dimension }}' as dimension,
            {{ segment_of(dimension).segment }} as segment,
            {{ segment_of(dimension).order }} as segment_order,
            {{ spend_on_income }},
            {{ pearson_correlation('annual_income_k_usd', 'total_spend') }} as pearson_r,
            {{ pearson_correlation('income_rank', 'spend_rank') }} as spearman_rho
        from ranked_in_{{ dimension }}
        {{ group_by_segment(dimension) }}
    {% endfor %}
),

-- Both coefficients stacked, so one t-test serves them.
coefficients as (
    select
        dimension,
        segment,
        'pearson' as correlation_method,
        n,
        pearson_r as coefficient
    from fitted
    union all
    select
        dimension,
        segment,
        'spearman' as correlation_method,
        n,
        spearman_rho as coefficient
    from fitted
),

coefficient_tests as (
    {{ t_test_p_value(
        'coefficients', ['dimension', 'segment', 'correlation_method'], 'n - 2', correlation='coefficient'
    ) }}
),

-- Each dimension's segments are one family of tests (the overall row is a family of one).
adjusted_tests as (
    {{ benjamini_hochberg(
        'coefficient_tests',
        ['dimension', 'segment', 'correlation_method'],
        'p_value',
        ['dimension', 'correlation_method'],
    ) }}
),

tested as (
    select
        fitted.*,
        pearson_tests.p_value as pearson_p_value,
        pearson_adjusted.p_value_adjusted as pearson_p_value_adjusted,
        spearman_tests.p_value as spearman_p_value,
        count(*) over (partition by fitted.dimension) as dimension_segments
    from fitted
    inner join coefficient_tests as pearson_tests
        on
            fitted.dimension = pearson_tests.dimension
            and fitted.segment = pearson_tests.segment
            and pearson_tests.correlation_method = 'pearson'
    inner join adjusted_tests as pearson_adjusted
        on
            fitted.dimension = pearson_adjusted.dimension
            and fitted.segment = pearson_adjusted.segment
            and pearson_adjusted.correlation_method = 'pearson'
    inner join coefficient_tests as spearman_tests
        on
            fitted.dimension = spearman_tests.dimension
            and fitted.segment = spearman_tests.segment
            and spearman_tests.correlation_method = 'spearman'
),

judged as (
    select
        *,
        pearson_p_value_adjusted < 0.05 as is_significant,
        'r = ' || {{ format_decimal('pearson_r', 2) }}
        || ', ' || {{ format_p_value('pearson_p_value') }}
        || case
            when dimension_segments > 1
                then ', adjusted ' || {{ format_p_value('pearson_p_value_adjusted') }}
            else ''
        end as evidence
    from tested
),

-- The verdict judges Pearson's r: its 1 - 2 alpha Fisher-z interval against the margin, then its
-- adjusted p-value. With it, the smallest |r| the segment's customers could detect.
pearson_equivalence as (
    {{ correlation_equivalence('judged', 'pearson_r', 'n', 'pearson_r') }}
),

verdicts as (
    select
        *,
        {{ verdict(
            'pearson_p_value_adjusted', 'pearson_r_equivalence_low', 'pearson_r_equivalence_high',
            'equivalence_margin', 'n'
        ) }} as verdict
    from pearson_equivalence
),

final as (
    select
        dimension,
        segment,
        segment_order,
        n,
        pearson_r,
        {{ fisher_z_interval('pearson_r', 'n', 'pearson_r') }},
        pearson_p_value,
        pearson_p_value_adjusted,
        is_significant,
        spearman_rho,
        spearman_p_value,
        ols_slope,
        ols_intercept,
        -- A simple regression explains r squared of the variance.
        pearson_r * pearson_r as r_squared,
        pearson_r_equivalence_low,
        pearson_r_equivalence_high,
        minimum_detectable_effect,
        equivalence_margin,
        verdict,
        coalesce(
            {{ verdict_finding(
                'verdict', 'pearson_r_equivalence_low', 'pearson_r_equivalence_high', 'n', 'r',
                effect="case when pearson_r > 0 then 'spend rises with income' else 'spend falls as income rises' end",
                evidence='evidence'
            ) }},
            'too few customers to test (n = ' || cast(n as {{ dbt.type_string() }}) || ')'
        ) as finding
    from verdicts
)

select * from final
