{% macro t_test_p_value(relation, keys, degrees_of_freedom, t_statistic=none, correlation=none) -%}
    {#-
        A query returning `keys` and `p_value`: the two-sided p-value of Student's t with
        `degrees_of_freedom`, P(|T| >= |t|) = I_(df / (df + t^2))(df / 2, 1 / 2), from the one
        incomplete beta macro. Give either `t_statistic`, or `correlation` (a Pearson or
        Spearman r, tested with df = n - 2), for which df / (df + t^2) = 1 - r^2 exactly, so
        |r| = 1 needs no division by zero. Null when df <= 0 or an input is null.
    -#}
    {#- Inputs become doubles first: Spark computes with decimal literals in decimal arithmetic. -#}
    {%- set df = 'cast(' ~ degrees_of_freedom ~ ' as ' ~ type_double() ~ ')' -%}
    {%- if correlation is not none -%}
        {%- set r = 'cast(' ~ correlation ~ ' as ' ~ type_double() ~ ')' -%}
        {%- set x = '1 - ' ~ r ~ ' * ' ~ r -%}
        {%- set x_complement = r ~ ' * ' ~ r -%}
    {%- else -%}
        {%- set t = 'cast(' ~ t_statistic ~ ' as ' ~ type_double() ~ ')' -%}
        {%- set t_squared = t ~ ' * ' ~ t -%}
        {%- set x = df ~ ' / (' ~ df ~ ' + ' ~ t_squared ~ ')' -%}
        {%- set x_complement = t_squared ~ ' / (' ~ df ~ ' + ' ~ t_squared ~ ')' -%}
    {%- endif -%}
    with t_test_tails as (
        {{ regularized_incomplete_beta(
            relation, keys,
            a=df ~ ' / 2',
            b='0.5',
            x='case when ' ~ df ~ ' > 0 then ' ~ x ~ ' end',
            x_complement=x_complement
        ) }}
    )

    select
        {{ keys | join(', ') }},
        value as p_value
    from t_test_tails
{%- endmacro %}
