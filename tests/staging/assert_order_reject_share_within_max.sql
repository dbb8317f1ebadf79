{#-
    Stops the build when more than var('max_order_reject_share') of the order lines with a
    customer id are malformed, saying how many and the most common broken rules. Guest lines
    (no customer id) are rejected but left out of both counts: a real export has many, and they
    say nothing about whether the file was read right. Reads stg_orders, so dbt holds back every
    model built on it, while order_rejects is still built to show what went wrong.
-#}
{{ reject_share_check(
    ref('base_orders'),
    ref('stg_orders'),
    'max_order_reject_share',
    'order_rejects',
    counted_rows='not is_guest_line',
    words={
        'counted': 'lines with a customer id',
        'row': 'line',
        'rows': 'lines',
        'rejected': 'are malformed',
        'note': ' (guest lines, without a customer id, are rejected but not counted)',
    },
) }}
