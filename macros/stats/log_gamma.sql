{% macro log_gamma(x) -%}
    {#-
        ln Γ(x) for x > 0 in plain arithmetic (PostgreSQL and Spark have no lgamma). Shifts the
        argument up by 8 with ln Γ(x) = ln Γ(x + 8) - Σ ln(x + i), then uses Stirling's series to
        the z^-13 term, whose truncation error at z >= 8 is below 1e-15 (0.9189... is ln √(2π)).
        Constants are rendered
        as doubles so no engine evaluates them in low-precision decimal arithmetic.
    -#}
    {%- set z = '(' ~ x ~ ' + 8)' -%}
    {%- set w = '(' ~ z ~ ' * ' ~ z ~ ')' -%}
    {%- set coefficients = [1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188, 691 / 360360, 1 / 156] -%}
    {%- set series = namespace(text=coefficients[-1] ~ ' / ' ~ w) -%}
    {%- for coefficient in coefficients[:-1] | reverse -%}
        {%- set series.text = '(' ~ coefficient ~ ' - ' ~ series.text ~ ')' ~ ('' if loop.last else ' / ' ~ w) -%}
    {%- endfor -%}
    (
        ({{ z }} - 0.5) * ln({{ z }}) - {{ z }} + 0.9189385332046727
        + {{ series.text }} / {{ z }}
        {%- for shift in range(8) %}
        - ln({{ x }} + {{ shift }})
        {%- endfor %}
    )
{%- endmacro %}
