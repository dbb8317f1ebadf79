{% macro statistics_lint_stub(relation, keys, value_columns) -%}
    {#-
        What an iterative statistics macro renders while sqlfluff lints (var
        `lint_statistics_as_stubs`, set in .sqlfluff): a query with the same columns and null
        values. The real recursive queries run to tens of kilobytes per model, and sqlfluff would
        spend minutes linting that generated text, which nobody edits. dbt builds never set it.
    -#}
    {%- set columns = keys | list -%}
    {%- for column in value_columns -%}
        {%- do columns.append('cast(null as ' ~ type_double() ~ ') as ' ~ column) -%}
    {%- endfor -%}
    {{- return('select ' ~ (columns | join(', ')) ~ ' from ' ~ relation) -}}
{%- endmacro %}
