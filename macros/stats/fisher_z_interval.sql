{% macro fisher_z_interval(r, n, stem='', z=1.959963984540054) -%}
    {#-
        Two columns, `<stem>_ci_low` and `<stem>_ci_high`: the 95% Fisher-z interval of a Pearson
        correlation r over n pairs, tanh(atanh(r) -/+ z / sqrt(n - 3)), written without atanh
        so every engine can evaluate it. Null when n <= 3 or r is null; r itself when |r| = 1.
    -#}
    {%- set prefix = stem ~ '_' if stem else '' -%}
    {%- for side, sign in [('low', '-'), ('high', '')] %}
    case
        when {{ n }} > 3 and abs({{ r }}) < 1
            then (
                (1 + {{ r }}) * exp({{ sign }}2 * {{ z }} / sqrt({{ n }} - 3)) - (1 - {{ r }})
            ) / (
                (1 + {{ r }}) * exp({{ sign }}2 * {{ z }} / sqrt({{ n }} - 3)) + (1 - {{ r }})
            )
        when {{ n }} > 3 then {{ r }}
    end as {{ prefix }}ci_{{ side }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
