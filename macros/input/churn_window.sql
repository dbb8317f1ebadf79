{% macro stop_unless_order_log_covers_churn_window() %}
    {#-
        Post-hook of int_snapshot: on an order log whose last purchase comes before the end of the
        churn window after the snapshot date, nobody's churn can be told, so the build stops with
        one line saying so and which snapshot dates would work (from the first purchase to the
        last purchase less the window). A log without purchases builds with zero customers.
    -#}
    {%- if execute and input_kind() == 'order_log' -%}
        {%- set row = run_query(
            'select snapshot_date, churn_window_end, first_purchase_date, last_purchase_date from ' ~ this
        ).rows[0] -%}
        {%- set snapshot_date, window_end, first_purchase, last_purchase = row -%}
        {%- if last_purchase is not none and last_purchase < window_end -%}
            {%- set window_days = var('churn_window_days') -%}
            {%- set latest = last_purchase - modules.datetime.timedelta(days=window_days) -%}
            {%- if latest >= first_purchase -%}
                {%- set would_work = "Snapshot dates from " ~ first_purchase ~ " to " ~ latest
                    ~ " would work (leave snapshot_date empty for the latest), or shorten churn_window_days." -%}
            {%- else -%}
                {%- set would_work = "No snapshot date would work: its purchases span "
                    ~ (last_purchase - first_purchase).days ~ " days; shorten churn_window_days." -%}
            {%- endif -%}
            {{ exceptions.raise_compiler_error(
                input_label() ~ " ends on " ~ last_purchase ~ ", before the end of the "
                ~ window_days ~ "-day churn window after snapshot_date " ~ snapshot_date ~ " ("
                ~ window_end ~ "), so who churned cannot be told. " ~ would_work
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
