{#-
    Order lines in = lines staged + lines rejected (guest lines among them). The order log is
    counted again from the file itself, not from base_orders, so a line lost anywhere on the way
    fails this test. Identical lines are two lines: both are staged.
-#}
{{ unaccounted_input_rows(
    raw_orders(report_extra_columns=false).sql, ref('stg_orders'), ref('order_rejects')
) }}
