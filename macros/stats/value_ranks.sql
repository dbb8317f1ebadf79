{% macro value_ranks(relation, column, partition_by=[]) -%}
    {#-
        A query (use it as a CTE body) with one row per partition and distinct non-null value of
        `column`: the `partition_by` columns, `value`, and `average_rank`, the 1-based rank of the
        value among the partition's values with ties sharing the mean of their positions
        (Spearman's ranks, scipy's rankdata): the count of smaller values plus (count of equal
        values + 1) / 2. Join it back on the partition columns and the value. Counting each
        distinct value once and accumulating the counts sorts the distinct values only, where
        rank() over every row would sort every row, once per ranked column.
    -#}
    {%- set sort_keys = partition_by + ['value'] -%}
    with value_frequencies as (
        select
            {% for key in partition_by %}{{ key }},{% endfor %}
            {{ column }} as value,
            count(*) as frequency
        from {{ relation }}
        where {{ column }} is not null
        group by {% for key in partition_by %}{{ key }}, {% endfor %}{{ column }}
    ),

    -- One running count through all partitions in turn (sorted by partition, then value) costs
    -- a third of one running count per partition; each partition then takes off the count of
    -- the partitions sorted before it.
    running_counts as (
        select
            {% for key in partition_by %}{{ key }},{% endfor %}
            value,
            frequency,
            sum(frequency) over (
                order by {{ sort_keys | join(', ') }}
                rows between unbounded preceding and current row
            ) as running_count
        from value_frequencies
    ),

    {% if partition_by %}
        partition_offsets as (
            select
                {% for key in partition_by %}{{ key }},{% endfor %}
                sum(sum(frequency)) over (
                    order by {{ partition_by | join(', ') }}
                    rows between unbounded preceding and current row
                ) - sum(frequency) as preceding_count
            from value_frequencies
            group by {{ partition_by | join(', ') }}
        ),
    {% endif %}

    ranks as (
        select
            {% for key in partition_by %}running_counts.{{ key }},{% endfor %}
            running_counts.value,
            -- twice the rank is a whole number, so the double holds the rank exactly
            cast(
                2 * (running_counts.running_count
                {%- if partition_by %} - partition_offsets.preceding_count{% endif %})
                - running_counts.frequency + 1 as {{ type_double() }}
            ) / 2 as average_rank
        from running_counts
        {% if partition_by %}
            inner join partition_offsets
                on
                    {% for key in partition_by -%}
                        {{ 'and ' if not loop.first }}running_counts.{{ key }}
                        is not distinct from partition_offsets.{{ key }}
                    {% endfor %}
        {% endif %}
    )

    select * from ranks
{%- endmacro %}
