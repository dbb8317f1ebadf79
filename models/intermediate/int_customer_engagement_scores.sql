{#- Value-based quintile scores: never ntile, which splits tied values across scores. -#}
{#-
    A view with every column of int_customers, read once by customers, which adds the bands: as a
    table joined back to the customers on their id, the join and the copy cost more at ten million
    customers than the scores themselves. Its columns are tested in customers, which holds these
    rows; a test here would compute every quintile again.
-#}
{{ config(materialized='view') }}
{%- set scored_columns = {
    'recency': 'last_purchase_days_ago',
    'frequency': 'num_purchases',
    'monetary': 'total_spend',
} -%}
{%- set edge_percents = [20, 40, 60, 80] -%}
{%- set edge_fractions = [] -%}
{%- for percent in edge_percents -%}
    {%- do edge_fractions.append(percent / 100) -%}
{%- endfor -%}

with

staged_customers as {{ not_materialized() }} (
    select * from {{ ref('int_customers') }}
),

-- All four edges of a column from one sort of its values.
quintile_edge_lists as (
    select
        {% for stem, column in scored_columns.items() %}
            {{ quantiles(column, edge_fractions) }}
                as {{ stem }}_edges{% if not loop.last %},{% endif %}
        {% endfor %}
    from staged_customers
),

quintile_edges as (
    select
        {% for stem in scored_columns %}
            {% set stem_loop = loop %}
            {% for percent in edge_percents %}
                {{ array_element(stem ~ '_edges', loop.index) }} as {{ stem }}_p{{ percent }}
                {%- if not (loop.last and stem_loop.last) %},{% endif %}
            {% endfor %}
        {% endfor %}
    from quintile_edge_lists
),

-- A value scores 1 plus the number of quintile edges it exceeds, so equal values share a
-- score and a value on an edge takes the lower one. Recency counts down: fewer days is better.
scored as (
    select
        staged_customers.*,
        {% for stem, column in scored_columns.items() %}
            case
                when staged_customers.{{ column }} is not null
                    then {{ '5 -' if stem == 'recency' else '1 +' }} (
                        {% for percent in edge_percents %}
                            {% if not loop.first %}+ {% endif %}case
                                when staged_customers.{{ column }} > quintile_edges.{{ stem }}_p{{ percent }}
                                    then 1
                                else 0
                            end
                        {% endfor %}
                    )
            end as {{ stem }}_score{% if not loop.last %},{% endif %}
        {% endfor %}
    from staged_customers
    cross join quintile_edges
),

segmented as (
    select
        *,
        {{ engagement_segment() }} as engagement_segment
    from scored
),

final as (
    select * from segmented
)

select * from final
