{% macro counted_value_statistics(relation, partition_by, quantiles) -%}
    {#-
        A query (use it as a CTE body) with one row per partition of `relation`, a table of
        counted values (the `partition_by` columns, `value`, `frequency`: how many rows hold
        the value; a null value counts rows without one, so a partition of nulls keeps its row
        with n = 0). Every statistic comes from the counts in one ordered pass per partition,
        never from the values gathered into one array (Spark's percentile does that, and runs
        out of memory on a large segment):
        n, mean, stddev (sample), min, max, m2, m3, m4 (central moments, divided by n), mode
        (the most frequent value; among equally frequent ones the smallest, scipy.stats.mode),
        and one column per name in `quantiles` (name -> fraction): the continuous quantile with
        linear interpolation (percentile_cont, numpy's default). The quantile at fraction p lies
        between the values at 0-based positions floor((n - 1) p) and ceil((n - 1) p): the
        smallest values whose running count passes those positions.
    -#}
    {%- set keys = partition_by | join(', ') -%}
    with counted as (
        select
            {% for key in partition_by %}{{ key }},{% endfor %}
            value,
            frequency,
            case when value is not null then frequency else 0 end as value_frequency
        from {{ relation }}
    ),

    running_counts as (
        select
            *,
            sum(value_frequency) over (
                partition by {{ keys }}
                order by value nulls first
                rows between unbounded preceding and current row
            ) as running_count,
            sum(value_frequency) over (partition by {{ keys }}) as n,
            sum(value * value_frequency) over (partition by {{ keys }})
            / nullif(sum(value_frequency) over (partition by {{ keys }}), 0) as mean,
            max(case when value is not null then frequency end) over (
                partition by {{ keys }}
            ) as highest_frequency
        from counted
    ),

    summaries as (
        select
            {% for key in partition_by %}{{ key }},{% endfor %}
            cast(max(n) as {{ dbt.type_bigint() }}) as n,
            max(mean) as mean,
            min(value) as min,
            max(value) as max,
            min(case when frequency = highest_frequency then value end) as mode,
            {% for name, fraction in quantiles.items() %}
                min(case when running_count > floor((n - 1) * {{ fraction }}) then value end)
                    as {{ name }}_lower,
                min(case when running_count > ceil((n - 1) * {{ fraction }}) then value end)
                    as {{ name }}_upper,
                max((n - 1) * {{ fraction }} - floor((n - 1) * {{ fraction }})) as {{ name }}_weight,
            {% endfor %}
            -- moments about the mean, which stay accurate where raw power sums would cancel
            sum(value_frequency * (value - mean) * (value - mean)) / nullif(max(n), 0) as m2,
            sum(value_frequency * (value - mean) * (value - mean) * (value - mean))
            / nullif(max(n), 0) as m3,
            sum(
                value_frequency * (value - mean) * (value - mean)
                * (value - mean) * (value - mean)
            ) / nullif(max(n), 0) as m4
        from running_counts
        group by {{ keys }}
    ),

    final as (
        select
            {% for key in partition_by %}{{ key }},{% endfor %}
            n,
            mean,
            case when n > 1 then sqrt(m2 * n / (n - 1)) end as stddev,
            min,
            max,
            mode,
            {% for name in quantiles %}
                {{ name }}_lower + {{ name }}_weight * ({{ name }}_upper - {{ name }}_lower) as {{ name }},
            {% endfor %}
            m2,
            m3,
            m4
        from summaries
    )

    select * from final
{%- endmacro %}
