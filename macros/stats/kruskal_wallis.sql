{% macro kruskal_wallis(relation, group_column, value_column) -%}
    {#-
        A query returning one row: `groups` (non-empty groups), `n`, `statistic` and
        `degrees_of_freedom` of the Kruskal-Wallis H test of `value_column` across the groups of
        `group_column` (scipy.stats.kruskal): H on average ranks, divided by the tie correction
        1 - Σ(t³ - t) / (n³ - n). Rows with a null group or value are left out. statistic is
        null with no rows or when every value is tied. Feed it to chi_square_p_value.
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
    ),

    kw_totals as (
        select
            count(*) as groups,
            sum(group_size) as n,
            sum(rank_sum * rank_sum / group_size) as scaled_rank_sum
        from kw_groups
    )

    select
        kw_totals.groups,
        coalesce(cast(kw_totals.n as bigint), 0) as n,
        case
            when kw_totals.n > 1 and kw_tie_correction.tie_sum < kw_totals.n * kw_totals.n * kw_totals.n - kw_totals.n
                then (
                    12 * kw_totals.scaled_rank_sum / (kw_totals.n * (kw_totals.n + 1)) - 3 * (kw_totals.n + 1)
                ) / (1 - kw_tie_correction.tie_sum / (kw_totals.n * kw_totals.n * kw_totals.n - kw_totals.n))
        end as statistic,
        kw_totals.groups - 1 as degrees_of_freedom
    from kw_totals
    cross join kw_tie_correction
{%- endmacro %}
