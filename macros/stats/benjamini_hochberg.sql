{% macro benjamini_hochberg(relation, keys, p_value, partition_by=[]) -%}
    {#-
        A query returning `keys` and `<p_value>_adjusted`: Benjamini-Hochberg adjusted p-values
        (scipy.stats.false_discovery_control), over all non-null p-values of `relation`, or
        within each `partition_by` group. p_(i) adjusted = min over j >= i of p_(j) m / j, at
        most 1. Null p-values stay null and do not count in m.
    -#}
    {%- set partition = 'partition by ' ~ (partition_by | join(', ')) if partition_by else '' -%}
    with bh_ranked as (
        select
            {{ keys | join(', ') }},
            cast({{ p_value }} as {{ type_double() }}) as {{ p_value }},
            row_number() over (
                {{ partition }}
                order by case when {{ p_value }} is null then 1 else 0 end, {{ p_value }}
            ) as bh_rank,
            count({{ p_value }}) over ({{ partition }}) as bh_tests
            {%- for column in partition_by if column not in keys %},
            {{ column }}
            {%- endfor %}
        from {{ relation }}
    )

    select
        {{ keys | join(', ') }},
        case
            when {{ p_value }} is not null
                -- least() skips nulls on every engine, hence the explicit case
                then least(
                    1,
                    min({{ p_value }} * bh_tests / bh_rank) over (
                        {{ partition }}
                        order by bh_rank desc
                        rows between unbounded preceding and current row
                    )
                )
        end as {{ p_value }}_adjusted
    from bh_ranked
{%- endmacro %}
