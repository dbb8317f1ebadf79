{#- Engine-specific expressions, one dispatched macro each; models stay free of engine ifs. -#}

{% macro type_double() %}
    {#- Double precision float; dbt.type_float() is single precision on DuckDB. -#}
    {{ return(adapter.dispatch('type_double', 'retail_churn')()) }}
{% endmacro %}

{% macro default__type_double() %}double precision{% endmacro %}

{% macro duckdb__type_double() %}double{% endmacro %}

{% macro spark__type_double() %}double{% endmacro %}


{% macro quantile(column, fraction) %}
    {#- Continuous quantile with linear interpolation between order statistics (pandas' default). -#}
    {{ return(adapter.dispatch('quantile', 'retail_churn')(column, fraction)) }}
{% endmacro %}

{% macro default__quantile(column, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ column }})
{%- endmacro %}

{% macro spark__quantile(column, fraction) -%}
    percentile({{ column }}, {{ fraction }})
{%- endmacro %}
