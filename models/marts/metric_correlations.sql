with

-- One row per pair of measures: its n, Pearson's r and Spearman's rho. A table of its own, so
-- Spark (which inlines CTEs) aggregates the customers once rather than once per later reference.
pairs as (
    select * from {{ ref('int_metric_pair_coefficients') }}
),

-- Both coefficients stacked, so one t-test and one adjustment serve them.
coefficients as (
    select
        metric_x,
        metric_y,
        'pearson' as correlation_method,
        n,
        pearson_r as coefficient
    from pairs
    union all
    select
        metric_x,
        metric_y,
        'spearman' as correlation_method,
        n,
        spearman_rho as coefficient
    from pairs
),

coefficient_tests as (
    {{ t_test_p_value(
        'coefficients', ['metric_x', 'metric_y', 'correlation_method'], 'n - 2', correlation='coefficient'
    ) }}
),

-- 66 tests per method: a few raw p-values fall below 0.05 by chance, so significance is judged
-- on the Benjamini-Hochberg adjusted ones, adjusted over the pairs of each method.
adjusted_tests as (
    {{ benjamini_hochberg(
        'coefficient_tests', ['metric_x', 'metric_y', 'correlation_method'], 'p_value', ['correlation_method']
    ) }}
),

tests as (
    select
        coefficient_tests.metric_x,
        coefficient_tests.metric_y,
        coefficient_tests.correlation_method,
        coefficient_tests.p_value,
        adjusted_tests.p_value_adjusted
    from coefficient_tests
    inner join adjusted_tests
        on
            coefficient_tests.metric_x = adjusted_tests.metric_x
            and coefficient_tests.metric_y = adjusted_tests.metric_y
            and coefficient_tests.correlation_method = adjusted_tests.correlation_method
),

-- The verdict judges Pearson's r: its 1 - 2 alpha Fisher-z interval against the margin, then its
-- adjusted p-value. With it, the smallest |r| the pair's customers could detect.
pearson_tests as (
    select
        pairs.metric_x,
        pairs.metric_y,
        pairs.n,
        pairs.pearson_r,
        tests.p_value_adjusted
    from pairs
    inner join tests
        on
            pairs.metric_x = tests.metric_x
            and pairs.metric_y = tests.metric_y
            and tests.correlation_method = 'pearson'
),

pearson_equivalence as (
    {{ correlation_equivalence('pearson_tests', 'pearson_r', 'n', 'pearson_r') }}
),

verdicts as (
    select
        *,
        {{ verdict(
            'p_value_adjusted', 'pearson_r_equivalence_low', 'pearson_r_equivalence_high',
            'equivalence_margin', 'n'
        ) }} as verdict,
        'r = ' || {{ format_decimal('pearson_r', 2) }}
        || ', adjusted ' || {{ format_p_value('p_value_adjusted') }} as evidence
    from pearson_equivalence
),

findings as (
    select
        metric_x,
        metric_y,
        coalesce(
            {{ verdict_finding(
                'verdict', 'pearson_r_equivalence_low', 'pearson_r_equivalence_high', 'n', 'r',
                effect="case when pearson_r > 0 then 'positive' else 'negative' end || ' correlation'",
                evidence='evidence'
            ) }},
            'not testable: a measure is constant, or fewer than four customers'
        ) as finding
    from verdicts
),

final as (
    select
        pairs.metric_x,
        pairs.metric_y,
        pairs.n,
        pairs.pearson_r,
        {{ fisher_z_interval('pairs.pearson_r', 'pairs.n', 'pearson_r') }},
        pearson_tests.p_value as pearson_p_value,
        pearson_tests.p_value_adjusted as pearson_p_value_adjusted,
        pairs.spearman_rho,
        spearman_tests.p_value as spearman_p_value,
        spearman_tests.p_value_adjusted as spearman_p_value_adjusted,
        pearson_tests.p_value_adjusted < 0.05 as is_significant,
        verdicts.pearson_r_equivalence_low,
        verdicts.pearson_r_equivalence_high,
        verdicts.minimum_detectable_effect,
        verdicts.equivalence_margin,
        verdicts.verdict,
        findings.finding
    from pairs
    inner join tests as pearson_tests
        on
            pairs.metric_x = pearson_tests.metric_x
            and pairs.metric_y = pearson_tests.metric_y
            and pearson_tests.correlation_method = 'pearson'
    inner join tests as spearman_tests
        on
            pairs.metric_x = spearman_tests.metric_x
            and pairs.metric_y = spearman_tests.metric_y
            and spearman_tests.correlation_method = 'spearman'
    inner join verdicts
        on
            pairs.metric_x = verdicts.metric_x
            and pairs.metric_y = verdicts.metric_y
    inner join findings
        on
            pairs.metric_x = findings.metric_x
            and pairs.metric_y = findings.metric_y
)

select * from final
