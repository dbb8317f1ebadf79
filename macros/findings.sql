{% macro format_p_value(p_value) -%}
    {#-
        A p-value as a reader expects it in a sentence: 'p < 0.001', 'p = 0.006' (three decimals
        below 0.01), 'p = 0.58'; null when the p-value is null.
    -#}
    case
        when {{ p_value }} < 0.001 then 'p < 0.001'
        when {{ p_value }} < 0.01 then 'p = ' || {{ format_decimal(p_value, 3) }}
        when {{ p_value }} is not null then 'p = ' || {{ format_decimal(p_value, 2) }}
    end
{%- endmacro %}
