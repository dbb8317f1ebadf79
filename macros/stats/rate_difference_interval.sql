{% macro rate_difference_interval(first_stem, second_stem, stem, interval='ci') -%}
    {#-
        Two columns, `<stem>_<interval>_low` and `<stem>_<interval>_high`: Newcombe's hybrid
        score interval of the difference of two independent rates, first - second (Newcombe
        1998, method 10; statsmodels confint_proportions_2indep(method='newcomb')). It is built
        from each rate's Wilson interval at the same level, read from the columns
        wilson_interval names: `<first_stem>`, `<first_stem>_<interval>_low/high`, and the same
        for `<second_stem>`:
          low  = d - sqrt((p1 - low1)^2 + (high2 - p2)^2)
          high = d + sqrt((high1 - p1)^2 + (p2 - low2)^2)
        so the level is whichever z the Wilson intervals used. Unlike the Wald interval it
        stays inside [-1, 1] and keeps its coverage at rates near 0 or 1. Null when either rate
        is null (a group without trials).
    -#}
    {%- set first_low = first_stem ~ '_' ~ interval ~ '_low' -%}
    {%- set first_high = first_stem ~ '_' ~ interval ~ '_high' -%}
    {%- set second_low = second_stem ~ '_' ~ interval ~ '_low' -%}
    {%- set second_high = second_stem ~ '_' ~ interval ~ '_high' -%}
    {{ first_stem }} - {{ second_stem }} - sqrt(
        ({{ first_stem }} - {{ first_low }}) * ({{ first_stem }} - {{ first_low }})
        + ({{ second_high }} - {{ second_stem }}) * ({{ second_high }} - {{ second_stem }})
    ) as {{ stem }}_{{ interval }}_low,
    {{ first_stem }} - {{ second_stem }} + sqrt(
        ({{ first_high }} - {{ first_stem }}) * ({{ first_high }} - {{ first_stem }})
        + ({{ second_stem }} - {{ second_low }}) * ({{ second_stem }} - {{ second_low }})
    ) as {{ stem }}_{{ interval }}_high
{%- endmacro %}
