{% test unique_combination(model, columns) %}
    {#- Rows of each combination of `columns` that occurs more than once: a multi-column grain. -#}
    select
        {{ columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
