with

-- One row per segment: n, the least-squares line and, within each gender and age band, both
-- coefficients (ranked and fitted once, in a table of their own).
segment_fits as (
    select * from {{ ref('int_spend_income_fits') }}
),

-- Everyone's coefficients: the income-spend pair, whose ranks int_metric_pair_coefficients
-- computes for every pair of measures.
overall_coefficients as (
    select
        pearson_r,
        spearman_rho
    from {{ ref('int_metric_pair_coefficients') }}
    where metric_x = 'annual_income_k_usd' and metric_y = 'total_spend'
),

fitted as (
    select
        segment_fits.dimension,
        segment_fits.segment,
        segment_fits.segment_order,
        segment_fits.n,
        segment_fits.ols_slope,
        segment_fits.ols_intercept,
        case
            when segment_fits.dimension = 'overall' then overall_coefficients.pearson_r
            else segment_fits.pearson_r
        end as pearson_r,
        case
            when segment_fits.dimension = 'overall' then overall_coefficients.spearman_rho
            else segment_fits.spearman_rho
        end as spearman_rho
    from segment_fits
    left join overall_coefficients
        on segment_fits.dimension = 'overall'
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
