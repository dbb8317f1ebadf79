{% test within_interval(model, column_name, low, high) %}
    {#- Rows whose value lies outside its own interval [low, high] (columns of the same row). Nulls pass. -#}
    select
        {{ column_name }},
        {{ low }},
        {{ high }}
    from {{ model }}
    where {{ low }} > {{ column_name }} or {{ column_name }} > {{ high }}
{% endtest %}
