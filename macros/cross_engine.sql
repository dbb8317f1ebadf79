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


{% macro exp_or_zero(exponent) %}
    {#-
        e^exponent, and 0 where that is below the smallest double. DuckDB and Spark round such a
        result to 0; PostgreSQL raises "value out of range: underflow" instead, so a p-value far
        below 1e-308 would stop the build there.
    -#}
    {{ return(adapter.dispatch('exp_or_zero', 'retail_churn')(exponent)) }}
{% endmacro %}

{% macro default__exp_or_zero(exponent) -%}
    exp({{ exponent }})
{%- endmacro %}

{% macro postgres__exp_or_zero(exponent) -%}
    {#- Below ln(2^-1075) the result rounds to 0; above it PostgreSQL returns the subnormal. -#}
    case when {{ exponent }} < -745.1332191019411 then 0 else exp({{ exponent }}) end
{%- endmacro %}
