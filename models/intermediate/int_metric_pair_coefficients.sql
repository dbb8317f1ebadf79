{%- set measures = numeric_measures() + flag_measures() -%}
{%- set pairs = [] -%}
{%- for metric_x in measures -%}
    {%- for metric_y in measures[loop.index:] -%}
        {%- do pairs.append((metric_x, metric_y)) -%}
    {%- endfor -%}
{%- endfor -%}

with

customers as {{ not_materialized() }} (
    select * from {{ ref('customers') }}
),

measured_customers as {{ not_materialized() }} (
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
-- Deviations from the means, so that every coefficient is a ratio of plain sums of products:
-- one cheap pass, where corr() and its guards would keep three running states per pair.
value_deviations as (
    {{ deviations_from_means('measured_customers', measures) }}
),

-- The average ranks of n values always have the mean (n + 1) / 2, and every customer has
-- every measure: the ranks' deviations need no second pass through the rank lookups to find
-- their means. Ranks and that mean are halves of whole numbers, so the deviations are exact.
mean_rank as (
    select cast(count(*) + 1 as {{ type_double() }}) / 2 as mean_rank
    from customers
),

rank_deviations as (
    select
        {% for measure in measures %}
            {{ measure }}_ranks.average_rank - mean_rank.mean_rank
                as {{ measure }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from measured_customers
    cross join mean_rank
    {% for measure in measures %}
        left join {{ measure }}_ranks
            on measured_customers.{{ measure }} = {{ measure }}_ranks.value
    {% endfor %}
),

-- One wide row each: every pair in a single pass over the customers. The measures of the
-- customers mart are never null (staging rejects blanks), so every pair has every customer.
pearson_coefficients as (
    select
        count(*) as n,
        {% for metric_x, metric_y in pairs %}
            {{ correlation_of_deviations(metric_x, metric_y) }} as pair_{{ loop.index }}_r
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from value_deviations
),

spearman_coefficients as (
    select
        {% for metric_x, metric_y in pairs %}
            {{ correlation_of_deviations(metric_x, metric_y) }} as pair_{{ loop.index }}_rho
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from rank_deviations
),

metric_pairs as (
    {% for metric_x, metric_y in pairs %}
        select
            {{ loop.index }} as pair_index,
            '{{ metric_x }}' as metric_x,
            '{{ metric_y }}' as metric_y
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- The wide rows turned into one row per pair by picking each pair's columns, not by a union of
-- one select per pair: that would repeat both aggregations in the plan 66 times, which Spark,
-- inlining every CTE, cannot plan within memory.
final as (
    select
        metric_pairs.metric_x,
        metric_pairs.metric_y,
        cast(pearson_coefficients.n as {{ dbt.type_bigint() }}) as n,
        case metric_pairs.pair_index
            {% for pair in pairs %}
                when {{ loop.index }} then pearson_coefficients.pair_{{ loop.index }}_r
            {%- endfor %}
        end as pearson_r,
        case metric_pairs.pair_index
            {% for pair in pairs %}
                when {{ loop.index }} then spearman_coefficients.pair_{{ loop.index }}_rho
            {%- endfor %}
        end as spearman_rho
    from metric_pairs
    cross join pearson_coefficients
    cross join spearman_coefficients
)

select * from final
