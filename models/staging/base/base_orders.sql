-- On DuckDB a view, not a table: storing a hundred million lines cost more than every model
-- that reads them (at 100M lines, 47 s of writing). Each reader scans the file with only the
-- columns it needs; order_rejects keeps the few rejected lines as a table. Other engines keep a
-- table (order_lines_materialization in macros/cross_engine.sql).
{{ config(
    materialized=order_lines_materialization(),
    post_hook="{{ warn_when_input_has_no_rows('order_log') }}"
) }}

{%- set input = raw_orders() %}
{%- set contract = input.contract %}
{%- set typed_columns = input.typed_columns %}
{%- set raw_columns = order_raw_columns() %}
{%- set text_columns = ['customer_id', 'order_id'] %}

with

input_lines as (
    {{ input.sql }}
),

parsed as (
    select
        input_row_number,
        {% for raw_column in raw_columns.values() -%}
            {{ raw_column }},
        {% endfor -%}
        {% for column in raw_columns -%}
            {% if column in contract -%}
                {{ contract_parsed_value(contract[column], typed_columns) }}
            {%- else -%}
                cast(null as {{ dbt.type_string() if column in text_columns else type_double() }})
            {%- endif %} as {{ column }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from input_lines
),

-- Reasons are spelt out only for lines that break a rule, as in base_customers. A line without a
-- customer id is a guest line: rejected, but not malformed.
screened as (
    select
        *,
        {{ contract_breaks_a_rule(contract) }} as is_rejected,
        customer_id is null as is_guest_line
    from parsed
),

checked as (
    select
        *,
        case
            when is_rejected then {{ contract_problems(
                with_values=true, typed_columns=typed_columns, contract=contract
            ) }}
        end as reject_reason,
        case
            when is_rejected then {{ contract_problems(
                with_values=false, typed_columns=typed_columns, contract=contract
            ) }}
        end as broken_rules
    from screened
),

-- The line's amount: as given, or quantity x unit price. A return is marked by its order id, or
-- else by a negative amount or quantity.
valued as (
    select
        *,
        {{ 'quantity * unit_price' if 'unit_price' in contract else 'amount' }} as line_amount
    from checked
),

marked as (
    select
        *,
        {% if var('order_return_pattern') -%}
            coalesce({{ regex_full_match('order_id', var('order_return_pattern')) }}, false)
        {%- else -%}
            coalesce(line_amount < 0 or quantity < 0, line_amount < 0, false)
        {%- endif %} as is_return
    from valued
),

-- The raw text is kept for rejected lines only, as in base_customers.
final as (
    select
        input_row_number,
        {% for raw_column in raw_columns.values() -%}
            case when reject_reason is not null then {{ raw_column }} end as {{ raw_column }},
        {% endfor -%}
        customer_id,
        order_id,
        -- What tells one order from another: its id, or on a log without order ids its day (one
        -- customer-day is one order).
        {{ 'order_id' if 'order_id' in contract else 'order_date' }} as order_key,
        order_date,
        quantity,
        line_amount as amount,
        is_return,
        is_guest_line,
        reject_reason,
        broken_rules
    from marked
)

select * from final
