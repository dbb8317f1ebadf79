{#-
    Rows in = rows staged + rows rejected. The input is counted again from the source itself (the
    file or the seed), not from base_customers, so a row lost anywhere on the way fails this test.
-#}

with

input_rows as (
    select count(*) as row_count
    from ({{ raw_customers(report_extra_columns=false).sql }}) as input_file
),

staged_rows as (
    select count(*) as row_count
    from {{ ref('stg_customers') }}
),

rejected_rows as (
    select count(*) as row_count
    from {{ ref('customer_rejects') }}
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
