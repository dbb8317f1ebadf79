{#-
    The two checks every staged input gets (tests/staging/): rows in = rows staged + rows
    rejected, and the build stops when too many rows are rejected. One macro each, so the
    customer and the order-log tests are the same check.
-#}

{% macro unaccounted_input_rows(input_sql, staged, rejected) %}
    {#-
        A query returning one row (input, staged and rejected counts) when the input's rows are
        not exactly the staged plus the rejected ones, else none. input_sql: the input read again
        from its source (the file or the seed), not from the base model, so a row lost anywhere
        on the way fails the test.
    -#}
    with

    input_rows as (
        select count(*) as row_count
        from ({{ input_sql }}) as input_file
    ),

    staged_rows as (
        select count(*) as row_count
        from {{ staged }}
    ),

    rejected_rows as (
        select count(*) as row_count
        from {{ rejected }}
    ),

    final as (
        select
            input_rows.row_count as input_rows,
            staged_rows.row_count as staged_rows,
            rejected_rows.row_count as rejected_rows
        from input_rows
        cross join staged_rows
        cross join rejected_rows
        where input_rows.row_count != staged_rows.row_count + rejected_rows.row_count
    )

    select * from final
{%- endmacro %}

{% macro reject_share_check(base, staged, max_share_var, rejects_model, counted_rows='1 = 1', words={}) %}
    {#-
        A query returning one row when more than var(max_share_var) of the counted rows of `base`
        (those where counted_rows holds) are rejected, and, when the test runs, a stop with a
        message saying how many and the three most common broken rules. Rejected = counted rows
        less the rows in `staged`, every one of which is counted: reading `staged` makes dbt hold
        back every model built on it (the marts keep their last good build), while
        `rejects_model` is still built to show what went wrong. words: 'counted' (what is
        counted), 'row' and 'rows' (one input row), 'rejected' (the verb), 'note' (said after the
        limit), to word the message.
    -#}
    {%- set max_share = var(max_share_var) -%}
    {%- set wording = {'counted': 'rows', 'row': 'row', 'rows': 'rows', 'rejected': 'were rejected', 'note': ''} -%}
    {%- do wording.update(words) -%}
    {%- set counts_sql -%}
        select
            counted_rows.row_count as input_rows,
            counted_rows.row_count - staged_rows.row_count as rejected_rows
        from (select count(*) as row_count from {{ base }} where {{ counted_rows }}) as counted_rows
        cross join (select count(*) as row_count from {{ staged }}) as staged_rows
    {%- endset -%}
    {%- set top_rules_sql -%}
        select
            broken_rules,
            count(*) as rejected_rows
        from {{ base }}
        where broken_rules is not null and {{ counted_rows }}
        group by broken_rules
        order by rejected_rows desc, broken_rules
        limit 3
    {%- endset -%}
    {#-
        Only when the test runs: `dbt compile` and `dbt docs generate` compile it too, and the SQL
        linter compiles it before any table exists.
    -#}
    {%- if execute and flags.WHICH in ['build', 'test', 'retry'] and load_relation(base) is not none -%}
        {%- set input_rows, rejected_rows = run_query(counts_sql).rows[0] -%}
        {%- if rejected_rows > max_share * input_rows -%}
            {%- set top_rules = [] -%}
            {%- for broken_rules, rows in run_query(top_rules_sql).rows -%}
                {%- do top_rules.append(
                    broken_rules ~ ' (' ~ rows ~ ' ' ~ (wording.row if rows == 1 else wording.rows) ~ ')'
                ) -%}
            {%- endfor -%}
            {{ exceptions.raise_compiler_error(
                rejected_rows ~ " of the " ~ input_rows ~ " " ~ wording.counted ~ " of " ~ input_label()
                ~ " (" ~ '%.1f' | format(100 * rejected_rows / input_rows) ~ "%) " ~ wording.rejected
                ~ ", more than " ~ max_share_var ~ " " ~ max_share ~ " allows" ~ wording.note
                ~ ". Most common: " ~ top_rules | join('; ') ~ ". Every rejected " ~ wording.row
                ~ " and its reason is in " ~ rejects_model ~ "; fix the file, or raise "
                ~ max_share_var ~ " if those " ~ wording.rows ~ " may be left out."
            ) }}
        {%- endif -%}
        {#-
            The test's query states the counts just taken instead of counting again: counting
            the staged rows reads all of a file given as a view (2.2 s at 100M order lines).
        -#}
        {%- set counts_sql -%}
            select {{ input_rows }} as input_rows, {{ rejected_rows }} as rejected_rows
        {%- endset -%}
    {%- endif -%}

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
{%- endmacro %}
