{#-
    Rows in = rows staged + rows rejected. The input is counted again from the source itself (the
    file or the seed), not from base_customers, so a row lost anywhere on the way fails this test.
-#}
{{ unaccounted_input_rows(
    raw_customers(report_extra_columns=false).sql, ref('stg_customers'), ref('customer_rejects')
) }}
