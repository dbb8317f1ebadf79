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


{% macro format_decimal(value, decimals) %}
    {#-
        A number as text with a fixed number of decimals ('0.50'), for generated sentences. What
        rounds to zero prints as 0, never as '-0.00'.
    -#}
    {%- set half_unit = 0.5 / (10 ** decimals) -%}
    {%- set without_negative_zero = 'case when abs(' ~ value ~ ') < ' ~ half_unit ~ ' then 0.0 else ' ~ value ~ ' end' -%}
    {{ return(adapter.dispatch('format_decimal', 'retail_churn')(without_negative_zero, decimals)) }}
{% endmacro %}

{% macro default__format_decimal(value, decimals) -%}
    to_char({{ value }}, 'FM999999999990.{{ "0" * decimals }}')
{%- endmacro %}

{% macro duckdb__format_decimal(value, decimals) -%}
    printf('%.{{ decimals }}f', {{ value }})
{%- endmacro %}

{% macro spark__format_decimal(value, decimals) -%}
    format_string('%.{{ decimals }}f', {{ value }})
{%- endmacro %}


{% macro string_agg_ordered(expression, separator, order_by) %}
    {#- Concatenates the non-null values of expression in the order of order_by (an aggregate). -#}
    {{ return(adapter.dispatch('string_agg_ordered', 'retail_churn')(expression, separator, order_by)) }}
{% endmacro %}

{% macro default__string_agg_ordered(expression, separator, order_by) -%}
    string_agg({{ expression }}, '{{ separator }}' order by {{ order_by }})
{%- endmacro %}

{% macro spark__string_agg_ordered(expression, separator, order_by) -%}
    listagg({{ expression }}, '{{ separator }}') within group (order by {{ order_by }})
{%- endmacro %}
