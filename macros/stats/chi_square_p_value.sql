{% macro chi_square_p_value(relation, keys, statistic, degrees_of_freedom) -%}
    {#-
        A query returning `keys` and `p_value` = P(X >= statistic) for X ~ chi-square with
        `degrees_of_freedom`: the exact upper regularised incomplete gamma Q(df / 2, x / 2)
        (no Wilson-Hilferty approximation). Null when df <= 0 or an input is null.
    -#}
    with chi_square_tails as (
        {{ regularized_incomplete_gamma(
            relation, keys,
            a='cast(' ~ degrees_of_freedom ~ ' as ' ~ type_double() ~ ') / 2',
            x='cast(' ~ statistic ~ ' as ' ~ type_double() ~ ') / 2'
        ) }}
    )

    select
        {{ keys | join(', ') }},
        upper_value as p_value
    from chi_square_tails
{%- endmacro %}
