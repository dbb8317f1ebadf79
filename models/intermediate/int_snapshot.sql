-- One row: the date every figure describes and, on an order log, the churn window after it.
-- Computed here, when the model runs, so nothing parses differently per input.
{{ config(post_hook="{{ stop_unless_order_log_covers_churn_window() }}") }}

{%- set snapshot_date = var('snapshot_date') | string | trim %}
{%- if snapshot_date and not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', snapshot_date) %}
    {{ exceptions.raise_compiler_error(
        "snapshot_date '" ~ snapshot_date ~ "' is not a date written YYYY-MM-DD (leave it empty to"
        ~ " derive it from the input)."
    ) }}
{%- endif %}
{%- set window_days = var('churn_window_days') %}
{%- if window_days is not number or window_days != window_days | int or window_days < 1 %}
    {{ exceptions.raise_compiler_error(
        "churn_window_days must be a whole number of days, 1 or more; it is '" ~ window_days ~ "'."
    ) }}
{%- endif %}
{%- set is_order_log = input_kind() == 'order_log' %}

with

order_lines as {{ not_materialized() }} (
    select * from {{ ref('stg_orders') }}
),

-- An aggregate without group by: one row even for a customer snapshot, which has no lines.
purchase_dates as (
    select
        min(case when not is_return then order_date end) as first_purchase_date,
        max(case when not is_return then order_date end) as last_purchase_date
    from order_lines
),

dated as (
    select
        '{{ input_kind() }}' as input_kind,
        {% if snapshot_date -%}
            cast('{{ snapshot_date }}' as date)
        {%- elif is_order_log -%}
            {{ add_days('last_purchase_date', -window_days) }}
        {%- else -%}
            -- the Kaggle table's own date: its Last_Purchase_Days_Ago counts back from it
            cast('2024-12-31' as date)
        {%- endif %} as snapshot_date,
        cast({{ window_days if is_order_log else 'null' }} as {{ dbt.type_int() }}) as churn_window_days,
        first_purchase_date,
        last_purchase_date
    from purchase_dates
),

final as (
    select
        input_kind,
        snapshot_date,
        churn_window_days,
        {{ add_days('snapshot_date', 'churn_window_days') }} as churn_window_end,
        first_purchase_date,
        last_purchase_date
    from dated
)

select * from final
