{% macro wilson_interval(successes, trials, stem='', z=1.959963984540054) -%}
    {#-
        Two columns, `<stem>_ci_low` and `<stem>_ci_high` (`ci_low`, `ci_high` for an empty
        stem): the 95% Wilson score interval of successes / trials. Null when trials is 0. The
        bound at 0 successes is exactly 0 and at all successes exactly 1 (the formula's value,
        without its rounding), so ci_low <= rate <= ci_high always holds. z defaults to the
        normal 97.5% quantile.
    -#}
    {%- set prefix = stem ~ '_' if stem else '' -%}
    {%- set k = 'cast(' ~ successes ~ ' as ' ~ type_double() ~ ')' -%}
    {%- set n = 'cast(' ~ trials ~ ' as ' ~ type_double() ~ ')' -%}
    {%- set z2 = z * z -%}
    {%- set spread = z ~ ' * sqrt(' ~ k ~ ' * (' ~ n ~ ' - ' ~ k ~ ') / ' ~ n ~ ' + ' ~ z2 / 4 ~ ')' -%}
    case
        when {{ trials }} > 0 and {{ successes }} = 0 then 0
        when {{ trials }} > 0
            then greatest(0, ({{ k }} + {{ z2 / 2 }} - {{ spread }}) / ({{ n }} + {{ z2 }}))
    end as {{ prefix }}ci_low,
    case
        when {{ trials }} > 0 and {{ successes }} = {{ trials }} then 1
        when {{ trials }} > 0
            then least(1, ({{ k }} + {{ z2 / 2 }} + {{ spread }}) / ({{ n }} + {{ z2 }}))
    end as {{ prefix }}ci_high
{%- endmacro %}
