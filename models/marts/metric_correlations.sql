{%- set measures = numeric_measures() + flag_measures() -%}

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

-- Spearman's rho is Pearson's r of the ranks: each value's rank, looked up from its distinct
-- values, so that only those are sorted (not every customer, once per measure).
{% for measure in measures %}
    {{ measure }}_ranks as (
        {{ value_ranks('measured_customers', measure) }}
    ),

{% endfor %}
ranked_customers as (
    select
        {% for measure in measures %}
            {{ measure }}_ranks.average_rank as {{ measure }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from measured_customers
    {% for measure in measures %}
        left join {{ measure }}_ranks
            on measured_customers.{{ measure }} = {{ measure }}_ranks.value
    {% endfor %}
),

pearson_coefficients as (
    {{ correlation_pairs('measured_customers', measures) }}
),

spearman_coefficients as (
    {{ correlation_pairs('ranked_customers', measures) }}
),

pairs as (
    select
        pearson_coefficients.metric_x,
        pearson_coefficients.metric_y,
        cast(pearson_coefficients.n as {{ dbt.type_bigint() }}) as n,
        pearson_coefficients.r as pearson_r,
        spearman_coefficients.r as spearman_rho
    from pearson_coefficients
    inner join spearman_coefficients
        on
            pearson_coefficients.metric_x = spearman_coefficients.metric_x
            and pearson_coefficients.metric_y = spearman_coefficients.metric_y
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
