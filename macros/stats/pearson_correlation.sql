{% macro pearson_correlation(x, y) -%}
    {#-
        Pearson's r of the pairs where both x and y are present (an aggregate); null instead of
        NaN when either side is constant or fewer than two pairs exist, on every engine. Of
        average ranks (value_ranks) it is Spearman's rho.
    -#}
    case
        when regr_sxx({{ y }}, {{ x }}) > 0 and regr_syy({{ y }}, {{ x }}) > 0
            then corr({{ y }}, {{ x }})
    end
{%- endmacro %}


{% macro correlation_of_deviations(x_deviation, y_deviation) -%}
    {#-
        Pearson's r from the deviations of two never-null columns from their means (an
        aggregate): the sum of products over the root of the product of the sums of squares.
        Plain sums cost far less than corr() on millions of rows, and sums of squares shared by
        several pairs are computed once. Null when either side is constant.
    -#}
    {%- set x_squares = 'sum(' ~ x_deviation ~ ' * ' ~ x_deviation ~ ')' -%}
    {%- set y_squares = 'sum(' ~ y_deviation ~ ' * ' ~ y_deviation ~ ')' %}
    case
        when {{ x_squares }} > 0 and {{ y_squares }} > 0
            then sum({{ x_deviation }} * {{ y_deviation }}) / sqrt({{ x_squares }} * {{ y_squares }})
    end
{%- endmacro %}


{% macro deviations_from_means(relation, columns) -%}
    {#-
        A query (use it as a CTE body) with one row per row of relation: each of columns minus
        its mean over the relation, under the column's own name. The input of
        correlation_of_deviations.
    -#}
    select
        {% for column in columns %}
            {{ relation }}.{{ column }} - column_means.{{ column }}
                as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ relation }}
    cross join (
        select
            {% for column in columns %}
                avg({{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
            {% endfor %}
        from {{ relation }}
    ) as column_means
{%- endmacro %}
