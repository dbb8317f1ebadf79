{% macro correlation_pairs(relation, columns) -%}
    {#-
        A query (use it as a CTE body) with one row per unordered pair of `columns`, in the order
        of the list: `metric_x`, `metric_y`, `n` and `r`, Pearson's r of the pair (of average
        ranks, Spearman's rho). Rows where any of the columns is null are left out, so every pair
        has the same n. r is null where either column is constant or n < 2, as with
        pearson_correlation. Two passes serve all pairs: the means, then the sums of centred
        products and squares, from which r = Sxy / sqrt(Sxx Syy), as scipy's pearsonr computes
        it. corr() per pair would keep four aggregates per pair, costing more than the scan.
    -#}
    {%- set pairs = [] -%}
    {%- set products = [] -%}
    {%- for column_x in columns -%}
        {%- do products.append((column_x, column_x)) -%}
        {%- for column_y in columns[loop.index:] -%}
            {%- do pairs.append((column_x, column_y)) -%}
            {%- do products.append((column_x, column_y)) -%}
        {%- endfor -%}
    {%- endfor -%}
    with complete_rows as (
        select
            {% for column in columns %}
                {{ column }}{% if not loop.last %},{% endif %}
            {% endfor %}
        from {{ relation }}
        where
            {% for column in columns %}
                {{ column }} is not null{% if not loop.last %} and{% endif %}
            {% endfor %}
    ),

    column_means as (
        select
            {% for column in columns %}
                avg({{ column }}) as {{ column }}_mean{% if not loop.last %},{% endif %}
            {% endfor %}
        from complete_rows
    ),

    centred_sums as (
        select
            {% for column_x, column_y in products %}
                sum(
                    (complete_rows.{{ column_x }} - column_means.{{ column_x }}_mean)
                    * (complete_rows.{{ column_y }} - column_means.{{ column_y }}_mean)
                ) as {{ column_x }}__{{ column_y }},
            {% endfor %}
            count(*) as n
        from complete_rows
        cross join column_means
    )

    {% for column_x, column_y in pairs %}
        select
            '{{ column_x }}' as metric_x,
            '{{ column_y }}' as metric_y,
            n,
            case
                when {{ column_x }}__{{ column_x }} > 0 and {{ column_y }}__{{ column_y }} > 0
                    then {{ column_x }}__{{ column_y }}
                    / sqrt({{ column_x }}__{{ column_x }} * {{ column_y }}__{{ column_y }})
            end as r
        from centred_sums
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
{%- endmacro %}
