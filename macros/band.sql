{% macro banded_columns() %}
    {#-
        Each band column of the `customers` mart and the column it cuts: tenure is in years on a
        customer snapshot and in days (bands in months) on an order log.
    -#}
    {{ return({
        'age_band': 'age',
        'income_band': 'annual_income_k_usd',
        'tenure_band': 'days_as_customer' if input_kind() == 'order_log' else 'years_as_customer',
        'spend_band': 'total_spend',
        'support_contacts_band': 'num_support_contacts',
    }) }}
{% endmacro %}

{% macro band_edges(band_name) %}
    {#-
        The [lower edge, label] list of a band (keyed by the column it cuts): var `bands`, or on
        an order log var `order_log_bands` where it has the column.
    -#}
    {%- set order_log_bands = var('order_log_bands') if input_kind() == 'order_log' else {} -%}
    {{ return(order_log_bands[band_name] if band_name in order_log_bands else var('bands')[band_name]) }}
{% endmacro %}

{% macro band(column, band_name) %}
    {#-
        Value-based band label from the edges of band_edges(band_name): equal values always
        share a band and every engine agrees. Each band runs from its edge (inclusive) to the
        next edge (exclusive); the first band also takes values below its edge.
    -#}
    {%- set bands = band_edges(band_name) -%}
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
        {%- for edge, label in band_edges(band_name) %}
        when '{{ label }}' then {{ loop.index }}
        {%- endfor %}
    end
{%- endmacro %}
