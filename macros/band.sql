{% macro band(column, band_name) %}
    {#-
        Value-based band label from the edges in var('bands')[band_name]: equal values always
        share a band and every engine agrees. Each band runs from its edge (inclusive) to the
        next edge (exclusive); the first band also takes values below its edge.
    -#}
    {%- set bands = var('bands')[band_name] -%}
    case
        {%- for edge, label in bands | reverse %}
        {%- if not loop.last %}
        when {{ column }} >= {{ edge }} then '{{ label }}'
        {%- else %}
        when {{ column }} is not null then '{{ label }}'
        {%- endif %}
        {%- endfor %}
    end
{%- endmacro %}

{% macro band_order(column, band_name) %}
    {#- Position (1 = lowest) of a band label from band(), so charts and marts sort bands by value. -#}
    case {{ column }}
        {%- for edge, label in var('bands')[band_name] %}
        when '{{ label }}' then {{ loop.index }}
        {%- endfor %}
    end
{%- endmacro %}
