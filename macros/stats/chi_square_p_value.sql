{% macro chi_square_p_value(relation, keys, statistic, degrees_of_freedom) -%}
    {#-
        A query returning `keys` and `p_value` = P(X >= statistic) for X ~ chi-square with
        `degrees_of_freedom`: the exact upper regularised incomplete gamma Q(df / 2, x / 2)
        (no Wilson-Hilferty approximation). Null when df <= 0 or an input is null.
    -#}
    with chi_square_tails as (
        {{ regularized_incomplete_gamma(
            relation, keys,
            a='(' ~ degrees_of_freedom ~ ') / 2.0',
            x='(' ~ statistic ~ ') / 2.0'
        ) }}
    )

    select
        {{ keys | join(', ') }},
        upper_value as p_value
    from chi_square_tails
{%- endmacro %}
