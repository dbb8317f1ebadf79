{% macro title_case(column) %}
    {#- One-word categories ('male', ' MALE ') normalised to 'Male'; DuckDB has no initcap. -#}
    upper(substr(trim(cast({{ column }} as {{ dbt.type_string() }})), 1, 1))
    || lower(substr(trim(cast({{ column }} as {{ dbt.type_string() }})), 2))
{%- endmacro %}
