{% macro duckdb__safe_cast(field, type) %}
    {#-
        dbt's safe_cast is a plain cast on DuckDB, which fails the whole query on one bad value;
        try_cast gives null instead, so staging can reject that row with a reason.
    -#}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
