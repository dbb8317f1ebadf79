-- A table, not a view: spend_vs_income tests these few rows in recursive p-value CTEs, and
-- engines that inline a CTE into each reference (Spark) would otherwise rank every customer
-- again in each reference and recursion level.
{{ config(materialized='table') }}

{%- set dimensions = ['gender', 'age_band'] -%}
{%- set ranked_measures = {'income': 'annual_income_k_usd', 'spend': 'total_spend'} -%}

with

-- No customers where the input cannot answer Q2 (an order log has none of its columns).
customers as {{ not_materialized() }} (
    select * from {{ ref('customers') }}
    where {{ input_answers('Q2') }}
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

-- Everyone's coefficients are the income-spend pair of int_metric_pair_coefficients, which
-- ranks every customer already; spend_vs_income takes them from there. Not read here, so this
-- model runs beside that one instead of after it (at 10M customers it otherwise ended the build
-- alone).
fitted as (
    select
        overall_fit.dimension,
        overall_fit.segment,
        overall_fit.segment_order,
        overall_fit.n,
        overall_fit.ols_slope,
        overall_fit.ols_intercept,
        cast(null as {{ type_double() }}) as pearson_r,
        cast(null as {{ type_double() }}) as spearman_rho
    from overall_fit
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

final as (
    select * from fitted
)

select * from final
