{% macro chi_square_test(relation, keys, row, column, observed) -%}
    {#-
        A query (use it as a CTE body) returning `keys`, `statistic`, `degrees_of_freedom`,
        `p_value` and `cramers_v`: Pearson's chi-square test of independence of the contingency
        table of each key (scipy chi2_contingency(correction=False)), with Cramér's V.

        `relation` holds the table in long form, one row per key and cell: `row` and `column`
        name the cell, `observed` counts it. Cells of zero count may be left out: the statistic
        is written as sum(O^2 / E) - n with E = row total * column total / n, to which an empty
        cell adds nothing. Rows and columns whose total is zero are not part of the table, so
        degrees_of_freedom = (rows - 1) (columns - 1) counts the non-empty ones; with fewer than
        two of either (a zero margin: every expected count of a row or column is 0, where scipy
        refuses) statistic, p_value and cramers_v are null and degrees_of_freedom is 0. Keys
        without any positive cell are absent from the output. The p-value comes from the one
        chi_square_p_value macro.
    -#}
    {%- set key_list = keys | join(', ') -%}
    {%- set double = type_double() -%}
    with chi_square_cells as (
        select
            {{ key_list }},
            {{ row }} as table_row,
            {{ column }} as table_column,
            cast({{ observed }} as {{ double }}) as observed
        from {{ relation }}
        where {{ observed }} > 0
    ),

    chi_square_margins as (
        select
            {{ key_list }},
            observed,
            sum(observed) over (partition by {{ key_list }}, table_row) as row_total,
            sum(observed) over (partition by {{ key_list }}, table_column) as column_total,
            sum(observed) over (partition by {{ key_list }}) as table_total,
            table_row,
            table_column
        from chi_square_cells
    ),

    chi_square_tables as (
        select
            {{ key_list }},
            max(table_total) as table_total,
            count(distinct table_row) as table_rows,
            count(distinct table_column) as table_columns,
            sum(observed * observed * table_total / (row_total * column_total)) as sum_of_observed_squared_over_expected
        from chi_square_margins
        group by {{ key_list }}
    ),

    chi_square_statistics as (
        select
            {{ key_list }},
            table_total,
            least(table_rows, table_columns) as smaller_side,
            (table_rows - 1) * (table_columns - 1) as degrees_of_freedom,
            case
                when table_rows > 1 and table_columns > 1
                    -- rounding can leave a tiny negative where the table is exactly independent
                    then greatest(0, sum_of_observed_squared_over_expected - table_total)
            end as statistic
        from chi_square_tables
    ),

    chi_square_tails as (
        {{ chi_square_p_value('chi_square_statistics', keys, 'statistic', 'degrees_of_freedom') }}
    )

    select
        {% for key in keys %}chi_square_statistics.{{ key }},{% endfor %}
        chi_square_statistics.statistic,
        chi_square_statistics.degrees_of_freedom,
        chi_square_tails.p_value,
        sqrt(chi_square_statistics.statistic / (chi_square_statistics.table_total * (chi_square_statistics.smaller_side - 1))) as cramers_v
    from chi_square_statistics
    inner join chi_square_tails
        on {% for key in keys %}{{ 'and ' if not loop.first }}chi_square_statistics.{{ key }} = chi_square_tails.{{ key }} {% endfor %}
{%- endmacro %}
