{% macro ratio(numerator, denominator) -%}
    {#- numerator / denominator as a double on every engine; null when the denominator is 0. -#}
    case
        when {{ denominator }} <> 0
            then cast({{ numerator }} as {{ type_double() }}) / ({{ denominator }})
    end
{%- endmacro %}
