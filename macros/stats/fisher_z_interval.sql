{% macro fisher_z_interval(r, n, stem='', z=1.959963984540054, interval='ci') -%}
    {#-
        Two columns, `<stem>_<interval>_low` and `<stem>_<interval>_high`: the Fisher-z interval
        of a Pearson correlation r over n pairs, tanh(atanh(r) -/+ z / sqrt(n - 3)) (scipy
        pearsonr(...).confidence_interval()), written without atanh so every engine can
        evaluate it. z is the normal quantile, a number or a SQL expression: by default
        norm.ppf(0.975), the 95% interval; critical_values().z_equivalence with
        interval='equivalence' gives the 1 - 2 alpha interval of the verdicts. Null when n <= 3
        or r is null; r itself when |r| = 1.
    -#}
    {%- set prefix = stem ~ '_' if stem else '' -%}
    {%- set z = '(' ~ z ~ ')' -%}
    {%- for side, sign in [('low', '-'), ('high', '')] %}
    case
        when {{ n }} > 3 and abs({{ r }}) < 1
            then (
                (1 + {{ r }}) * exp({{ sign }}2 * {{ z }} / sqrt({{ n }} - 3)) - (1 - {{ r }})
            ) / (
                (1 + {{ r }}) * exp({{ sign }}2 * {{ z }} / sqrt({{ n }} - 3)) + (1 - {{ r }})
            )
        when {{ n }} > 3 then {{ r }}
    end as {{ prefix }}{{ interval }}_{{ side }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
