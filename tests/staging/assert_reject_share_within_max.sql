{#-
    Stops the build when more than var('max_reject_share') of the input rows are rejected, with a
    message saying how many and the most common broken rules: that many bad rows means a wrong
    file or a changed export, not a few typos. It reads stg_customers so that dbt holds back
    every model built on it (the marts keep their last good build), while customer_rejects is
    still built to show what went wrong. Below the limit the build goes on.
-#}
{%- set max_share = var('max_reject_share') %}

{%- set counts_sql %}
    select
        input_rows.row_count as input_rows,
        input_rows.row_count - staged_rows.row_count as rejected_rows
    from (select count(*) as row_count from {{ ref('base_customers') }}) as input_rows
    cross join (select count(*) as row_count from {{ ref('stg_customers') }}) as staged_rows
{%- endset %}

{%- set top_rules_sql %}
    select
        broken_rules,
        count(*) as rejected_rows
    from {{ ref('base_customers') }}
    where broken_rules is not null
    group by broken_rules
    order by rejected_rows desc, broken_rules
    limit 3
{%- endset %}

{#-
    Only when the test runs: `dbt compile` and `dbt docs generate` compile it too, and the SQL
    linter compiles it before any table exists.
-#}
{%- if execute and flags.WHICH in ['build', 'test', 'retry']
    and load_relation(ref('base_customers')) is not none %}
    {%- set input_rows, rejected_rows = run_query(counts_sql).rows[0] %}
    {%- if rejected_rows > max_share * input_rows %}
        {%- set top_rules = [] %}
        {%- for broken_rules, rows in run_query(top_rules_sql).rows %}
            {%- do top_rules.append(broken_rules ~ ' (' ~ rows ~ (' row)' if rows == 1 else ' rows)')) %}
        {%- endfor %}
        {{ exceptions.raise_compiler_error(
            rejected_rows ~ " of the " ~ input_rows ~ " rows of " ~ input_label() ~ " ("
            ~ '%.1f' | format(100 * rejected_rows / input_rows) ~ "%) were rejected, more than"
            ~ " max_reject_share " ~ max_share ~ " allows. Most common: "
            ~ top_rules | join('; ') ~ ". Every rejected row and its reason is in customer_rejects;"
            ~ " fix the file, or raise max_reject_share if those rows may be left out."
        ) }}
    {%- endif %}
{%- endif %}

with

counts as (
    {{ counts_sql }}
),

final as (
    select *
    from counts
    where rejected_rows > {{ max_share }} * input_rows
)

select * from final
