{%- set measures = numeric_measures() + flag_measures() -%}
{%- set pairs = [] -%}
{%- for metric_x in measures -%}
    {%- for metric_y in measures[loop.index:] -%}
        {%- do pairs.append((metric_x, metric_y)) -%}
    {%- endfor -%}
{%- endfor -%}

with

customers as (
    select * from {{ ref('customers') }}
),

measured_customers as (
    select
        {% for measure in measures %}
            {{ measure_as_double(measure) }} as {{ measure }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from customers
),

ranked_customers as (
    select
        {% for measure in measures %}
            {{ average_rank(measure) }} as {{ measure }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from measured_customers
),

-- One wide row each: every pair in a single pass over the customers.
pearson_coefficients as (
    select
        {% for metric_x, metric_y in pairs %}
            regr_count({{ metric_y }}, {{ metric_x }}) as pair_{{ loop.index }}_n,
            {{ pearson_correlation(metric_x, metric_y) }} as pair_{{ loop.index }}_r
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from measured_customers
),

spearman_coefficients as (
    select
        {% for metric_x, metric_y in pairs %}
            {{ pearson_correlation(metric_x, metric_y) }} as pair_{{ loop.index }}_rho
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from ranked_customers
),

pairs as (
    {% for metric_x, metric_y in pairs %}
        select
            '{{ metric_x }}' as metric_x,
            '{{ metric_y }}' as metric_y,
            cast(pearson_coefficients.pair_{{ loop.index }}_n as {{ dbt.type_bigint() }}) as n,
            pearson_coefficients.pair_{{ loop.index }}_r as pearson_r,
            spearman_coefficients.pair_{{ loop.index }}_rho as spearman_rho
        from pearson_coefficients
        cross join spearman_coefficients
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
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
        pearson_tests.p_value_adjusted < 0.05 as is_significant
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
)

select * from final
