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
    {%- set partition = 'partition by ' ~ (partition_by | join(', ')) if partition_by else '' -%}
    with value_frequencies as (
        select
            {% for key in partition_by %}{{ key }},{% endfor %}
            {{ column }} as value,
            count(*) as frequency
        from {{ relation }}
        where {{ column }} is not null
        group by {% for key in partition_by %}{{ key }}, {% endfor %}{{ column }}
    )

    select
        {% for key in partition_by %}{{ key }},{% endfor %}
        value,
        -- twice the rank is a whole number, so the double holds the rank exactly
        cast(
            2 * sum(frequency) over (
                {{ partition }}
                order by value
                rows between unbounded preceding and current row
            ) - frequency + 1 as {{ type_double() }}
        ) / 2 as average_rank
    from value_frequencies
{%- endmacro %}
