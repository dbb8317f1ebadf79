{% macro regularized_incomplete_gamma(relation, keys, a, x, tolerance=1e-15, max_steps=100000) -%}
    {#-
        A query (use it as a CTE body) returning `keys`, `lower_value` = P(a, x) and
        `upper_value` = Q(a, x) = 1 - P(a, x), the regularised incomplete gamma functions, for
        every row of `relation` (keys unique, not null).

        Method: Numerical Recipes' pair, each iterated in a recursive CTE until the next term
        changes the value by less than `tolerance` (relative): below x = a + 1 the power series
        for P, above it the continued fraction for Q (modified Lentz), so the smaller tail is
        the one computed directly and stays accurate. Portable SQL for DuckDB, PostgreSQL and
        Spark. P = 0 at x <= 0; null for a <= 0 or when `max_steps` pass without convergence.
    -#}
    {%- if var('lint_statistics_as_stubs') -%}
        {{- return(statistics_lint_stub(relation, keys, ['lower_value', 'upper_value'])) -}}
    {%- endif -%}
    {%- set double = type_double() -%}
    {%- set key_list = keys | join(', ') -%}
    {%- set term = '(-cast(step + 1 as ' ~ double ~ ') * (step + 1 - a))' -%}
    {%- set denominator = '(x + 1 - a + 2 * (step + 1))' -%}
    {%- set next_d = '(case when abs(' ~ term ~ ' * d + ' ~ denominator ~ ') < 1e-300 then 1e300 else 1 / (' ~ term ~ ' * d + ' ~ denominator ~ ') end)' -%}
    {%- set next_c = '(case when abs(' ~ denominator ~ ' + ' ~ term ~ ' / c) < 1e-300 then 1e-300 else ' ~ denominator ~ ' + ' ~ term ~ ' / c end)' -%}
    with recursive

    gamma_arguments as (
        select
            {{ key_list }},
            cast({{ a }} as {{ double }}) as a,
            cast({{ x }} as {{ double }}) as x
        from {{ relation }}
    ),

    gamma_series as (
        select
            {{ key_list }},
            a,
            x,
            0 as step,
            1 / a as term,
            1 / a as total
        from gamma_arguments
        where a > 0 and x > 0 and x < a + 1
        union all
        select
            {{ key_list }},
            a,
            x,
            step + 1 as step,
            term * x / (a + step + 1) as term,
            total + term * x / (a + step + 1) as total
        from gamma_series
        where abs(term) >= abs(total) * {{ tolerance }} and step < {{ max_steps }}
    ),

    gamma_fraction as (
        select
            {{ key_list }},
            a,
            x,
            0 as step,
            cast(1e300 as {{ double }}) as c,
            1 / (x + 1 - a) as d,
            1 / (x + 1 - a) as h,
            cast(0 as {{ double }}) as delta
        from gamma_arguments
        where a > 0 and x >= a + 1
        union all
        select
            {{ key_list }},
            a,
            x,
            step + 1 as step,
            {{ next_c }} as c,
            {{ next_d }} as d,
            h * {{ next_c }} * {{ next_d }} as h,
            {{ next_c }} * {{ next_d }} as delta
        from gamma_fraction
        where (step = 0 or abs(delta - 1) >= {{ tolerance }}) and step < {{ max_steps }}
    ),

    gamma_tails as (
        select
            {{ key_list }},
            total * exp(-x + a * ln(x) - {{ log_gamma('a') }}) as lower_value,
            1 - total * exp(-x + a * ln(x) - {{ log_gamma('a') }}) as upper_value,
            abs(term) < abs(total) * {{ tolerance }} as is_converged
        from (
            select
                *,
                row_number() over (partition by {{ key_list }} order by step desc) as recency
            from gamma_series
        ) as series_steps
        where recency = 1
        union all
        select
            {{ key_list }},
            1 - h * exp(-x + a * ln(x) - {{ log_gamma('a') }}) as lower_value,
            h * exp(-x + a * ln(x) - {{ log_gamma('a') }}) as upper_value,
            abs(delta - 1) < {{ tolerance }} as is_converged
        from (
            select
                *,
                row_number() over (partition by {{ key_list }} order by step desc) as recency
            from gamma_fraction
        ) as fraction_steps
        where recency = 1
    ),

    gamma_values as (
        select
            {% for key in keys %}gamma_arguments.{{ key }},{% endfor %}
            case
                when gamma_arguments.a <= 0 then null
                when gamma_arguments.x <= 0 then 0
                when gamma_tails.is_converged then gamma_tails.lower_value
            end as lower_value,
            case
                when gamma_arguments.a <= 0 then null
                when gamma_arguments.x <= 0 then 1
                when gamma_tails.is_converged then gamma_tails.upper_value
            end as upper_value
        from gamma_arguments
        left join gamma_tails
            on {% for key in keys %}{{ 'and ' if not loop.first }}gamma_arguments.{{ key }} = gamma_tails.{{ key }} {% endfor %}
    )

    select * from gamma_values
{%- endmacro %}
