{% macro wilson_interval(successes, trials, stem='', z=1.959963984540054, interval='ci') -%}
    {#-
        Two columns, `<stem>_<interval>_low` and `<stem>_<interval>_high` (`ci_low`, `ci_high`
        for an empty stem and the default interval): the Wilson score interval of successes /
        trials (statsmodels proportion_confint(method='wilson'), scipy binomtest's
        proportion_ci(method='wilson')). z is the normal quantile of the interval, a number or
        a SQL expression: by default 1.959963984540054 = norm.ppf(0.975), the 95% interval;
        another level passes its own (critical_values().z_equivalence and interval='equivalence'
        give the 1 - 2 alpha interval of the verdicts). Null when trials is 0. The bound at 0
        successes is exactly 0 and at all successes exactly 1 (the formula's value, without its
        rounding), so low <= rate <= high always holds.
    -#}
    {%- set prefix = stem ~ '_' if stem else '' -%}
    {%- set double = type_double() -%}
    {%- set k = 'cast(' ~ successes ~ ' as ' ~ double ~ ')' -%}
    {%- set n = 'cast(' ~ trials ~ ' as ' ~ double ~ ')' -%}
    {%- set z = 'cast(' ~ z ~ ' as ' ~ double ~ ')' -%}
    {%- set z2 = '(' ~ z ~ ' * ' ~ z ~ ')' -%}
    {%- set spread = z ~ ' * sqrt(' ~ k ~ ' * (' ~ n ~ ' - ' ~ k ~ ') / ' ~ n ~ ' + ' ~ z2 ~ ' / 4)' -%}
    case
        when {{ trials }} > 0 and {{ successes }} = 0 then 0
        when {{ trials }} > 0
            then greatest(0, ({{ k }} + {{ z2 }} / 2 - {{ spread }}) / ({{ n }} + {{ z2 }}))
    end as {{ prefix }}{{ interval }}_low,
    case
        when {{ trials }} > 0 and {{ successes }} = {{ trials }} then 1
        when {{ trials }} > 0
            then least(1, ({{ k }} + {{ z2 }} / 2 + {{ spread }}) / ({{ n }} + {{ z2 }}))
    end as {{ prefix }}{{ interval }}_high
{%- endmacro %}
