{% macro kruskal_wallis_rank_sums(relation, group_column, value_column) -%}
    {#-
        A query (a CTE body or a table) with one row per non-empty group of `group_column`:
        `group_value`, `group_size` (rows with a value), `rank_sum` (the sum of the group's
        average ranks among all rows, ties sharing the mean of their positions, as
        scipy.stats.rankdata) and `tie_sum` (Σ(t³ - t) over the sizes t of tied values among all
        rows, the same on every row: the numerator of the tie correction). Rows with a null
        group or value are left out. Everything kruskal_wallis needs, in a few rows.
    -#}
    {%- set double = type_double() -%}
    with kw_rows as (
        select
            {{ group_column }} as kw_group,
            {{ value_column }} as kw_value
        from {{ relation }}
        where {{ group_column }} is not null and {{ value_column }} is not null
    ),

    -- Ranks from counts (value_ranks): rank() over every row would sort all of them in one
    -- place, one partition on Spark.
    kw_value_ranks as (
        {{ value_ranks('kw_rows', 'kw_value') }}
    ),

    kw_counts as (
        select
            kw_group,
            kw_value,
            count(*) as frequency
        from kw_rows
        group by kw_group, kw_value
    ),

    -- Ranks are halves of whole numbers: their sums are exact in a double.
    kw_groups as (
        select
            kw_counts.kw_group,
            cast(sum(kw_counts.frequency) as {{ double }}) as group_size,
            sum(kw_counts.frequency * kw_value_ranks.average_rank) as rank_sum
        from kw_counts
        inner join kw_value_ranks on kw_counts.kw_value = kw_value_ranks.value
        group by kw_counts.kw_group
    ),

    kw_ties as (
        select cast(sum(frequency) as {{ double }}) as tie_size
        from kw_counts
        group by kw_value
    ),

    kw_tie_correction as (
        select sum(tie_size * tie_size * tie_size - tie_size) as tie_sum
        from kw_ties
    )

    select
        kw_groups.kw_group as group_value,
        cast(kw_groups.group_size as bigint) as group_size,
        kw_groups.rank_sum,
        kw_tie_correction.tie_sum
    from kw_groups
    cross join kw_tie_correction
{%- endmacro %}


{% macro kruskal_wallis(rank_sums) -%}
    {#-
        A query returning one row: `groups` (non-empty groups), `n`, `statistic` and
        `degrees_of_freedom` of the Kruskal-Wallis H test (scipy.stats.kruskal) from
        `rank_sums`, the rows of kruskal_wallis_rank_sums: H on average ranks, divided by the
        tie correction 1 - Σ(t³ - t) / (n³ - n). statistic is null with no rows or when every
        value is tied. Feed it to chi_square_p_value.
    -#}
    {%- set double = type_double() -%}
    with kw_totals as (
        select
            count(*) as groups,
            sum(cast(group_size as {{ double }})) as n,
            sum(rank_sum * rank_sum / group_size) as scaled_rank_sum,
            max(tie_sum) as tie_sum
        from {{ rank_sums }}
    )

    select
        groups,
        coalesce(cast(n as bigint), 0) as n,
        case
            when n > 1 and tie_sum < n * n * n - n
                then (
                    12 * scaled_rank_sum / (n * (n + 1)) - 3 * (n + 1)
                ) / (1 - tie_sum / (n * n * n - n))
        end as statistic,
        groups - 1 as degrees_of_freedom
    from kw_totals
{%- endmacro %}
