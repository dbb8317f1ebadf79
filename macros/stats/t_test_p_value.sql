{% macro t_test_p_value(relation, keys, degrees_of_freedom, t_statistic=none, correlation=none, alternative='two-sided') -%}
    {#-
        A query returning `keys` and `p_value`: the p-value of Student's t with
        `degrees_of_freedom` (scipy.stats.t.sf), from the one incomplete beta macro. Two-sided
        by default, P(|T| >= |t|) = I_(df / (df + t^2))(df / 2, 1 / 2); 'greater' is
        P(T >= t), half of that for t >= 0 and one minus half of it below, and 'less' is
        P(T <= t) (scipy's ttest_1samp alternatives). Give either `t_statistic`, or
        `correlation` (a Pearson or Spearman r, tested with df = n - 2), for which
        df / (df + t^2) = 1 - r^2 exactly, so |r| = 1 needs no division by zero. Null when
        df <= 0 or an input is null.
    -#}
    {#- Inputs become doubles first: Spark computes with decimal literals in decimal arithmetic. -#}
    {%- set df = 'cast(' ~ degrees_of_freedom ~ ' as ' ~ type_double() ~ ')' -%}
    {%- if correlation is not none -%}
        {%- set r = 'cast(' ~ correlation ~ ' as ' ~ type_double() ~ ')' -%}
        {%- set x = '1 - ' ~ r ~ ' * ' ~ r -%}
        {%- set x_complement = r ~ ' * ' ~ r -%}
        {%- set statistic = r -%}
    {%- else -%}
        {%- set t = 'cast(' ~ t_statistic ~ ' as ' ~ type_double() ~ ')' -%}
        {%- set t_squared = t ~ ' * ' ~ t -%}
        {%- set x = df ~ ' / (' ~ df ~ ' + ' ~ t_squared ~ ')' -%}
        {%- set x_complement = t_squared ~ ' / (' ~ df ~ ' + ' ~ t_squared ~ ')' -%}
        {%- set statistic = t -%}
    {%- endif -%}
    {%- if alternative not in ['two-sided', 'greater', 'less'] -%}
        {{ exceptions.raise_compiler_error(
            "t_test_p_value: alternative must be 'two-sided', 'greater' or 'less'; got " ~ alternative
        ) }}
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

    {% if alternative == 'two-sided' -%}
        select
            {{ keys | join(', ') }},
            value as p_value
        from t_test_tails
    {%- else -%}
        {#- The statistic's sign picks the tail: the one it points into holds half the two-sided p. -#}
        select
            {% for key in keys %}t_test_tails.{{ key }},{% endfor %}
            case
                when t_test_statistics.statistic {{ '>=' if alternative == 'greater' else '<=' }} 0
                    then t_test_tails.value / 2
                else 1 - t_test_tails.value / 2
            end as p_value
        from t_test_tails
        inner join (
            select
                {{ keys | join(', ') }},
                {{ statistic }} as statistic
            from {{ relation }}
        ) as t_test_statistics
            on {% for key in keys %}{{ 'and ' if not loop.first }}t_test_tails.{{ key }} = t_test_statistics.{{ key }} {% endfor %}
    {%- endif %}
{%- endmacro %}
