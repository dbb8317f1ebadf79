{% test valid_band(model, column_name) %}
    {#-
        Rows whose band label is not one of its band's labels (band_edges of the column it cuts,
        banded_columns), or is null while that column has a value: a band must hold every
        customer the input says something about, whichever kind of input it is.
    -#}
    {%- set source = banded_columns()[column_name] -%}
    {%- set labels = [] -%}
    {%- for edge, label in band_edges(source) %}{% do labels.append(label) %}{% endfor -%}
    select
        {{ column_name }},
        {{ source }}
    from {{ model }}
    where
        ({{ column_name }} is null and {{ source }} is not null)
        or {{ column_name }} not in ('{{ labels | join("', '") }}')
{% endtest %}
