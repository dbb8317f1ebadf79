{% macro average_rank(column, partition_by=[]) -%}
    {#- 1-based rank of column, ties sharing the mean of their positions (Spearman's ranks). -#}
    {%- set partition = 'partition by ' ~ (partition_by | join(', ')) if partition_by else '' -%}
    (
        rank() over ({{ partition }} order by {{ column }})
        + cast(count(*) over (partition by {{ (partition_by + [column]) | join(', ') }}) - 1 as {{ type_double() }}) / 2
    )
{%- endmacro %}
