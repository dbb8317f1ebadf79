{%- set measures = numeric_measures() -%}
{#- By gender and age band where the input has them (an order log has neither). -#}
{%- set dimensions = ['gender', 'age_band'] | select('in', segment_dimensions()) | list -%}

with

customers as {{ not_materialized() }} (
    select * from {{ ref('customers') }}
),

-- Exact on every engine, each measure by the engine's fastest path within bounded memory
-- (distribution_statistics in cross_engine.sql).
segment_statistics as (
    {{ distribution_statistics('customers', measures, dimensions) }}
),

final as (
    select
        metric,
        case metric
            {% for measure in measures -%}
                when '{{ measure }}' then {{ loop.index }}
            {% endfor -%}
        end as metric_order,
        dimension,
        segment,
        segment_order,
        n,
        mean,
        median,
        mode,
        stddev,
        min,
        q1,
        q3,
        max,
        q3 - q1 as iqr,
        {{ shape_statistics('n', 'm2', 'm3', 'm4') }}
    from segment_statistics
)

select * from final
