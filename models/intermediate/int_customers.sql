-- One row per customer, from whichever input this build has: the staged customer snapshot,
-- dated by int_snapshot, or the customers derived from the order log. The one place the two
-- paths meet. A view, unlike the other intermediate models: it only renames and dates the rows
-- of a table built just before it (base_customers or int_customers_from_orders), and writing ten
-- million rows again cost more than both models that read it compute from them.
{{ config(materialized='view') }}
-- depends_on: {{ ref('stg_customers') }}
-- depends_on: {{ ref('int_customers_from_orders') }}
-- depends_on: {{ ref('int_snapshot') }}

{%- set from_orders = input_kind() == 'order_log' %}
{%- set order_columns = {
    'snapshot_date': 'date',
    'first_order_date': 'date',
    'last_order_date': 'date',
    'days_as_customer': dbt.type_int(),
    'cohort_month': 'date',
} %}

with

{% if from_orders -%}
    customers_from_orders as {{ not_materialized() }} (
        select * from {{ ref('int_customers_from_orders') }}
    ),

    -- An order log fills what activity shows; every other column is null, never derived.
    final as (
        select
            {% for column, rule in var('customer_contract').items() -%}
                {% if column in ['customer_id', 'years_as_customer'] or input_has(column) -%}
                    {{ column }}
                {%- else -%}
                    cast(null as {{ contract_staged_type(rule) }}) as {{ column }}
                {%- endif %},
            {% endfor -%}
            {% for column in order_columns -%}
                {{ column }}{% if not loop.last %},{% endif %}
            {% endfor %}
        from customers_from_orders
    )
{%- else -%}
    staged_customers as {{ not_materialized() }} (
        select * from {{ ref('stg_customers') }}
    ),

    snapshot as (
        select * from {{ ref('int_snapshot') }}
    ),

    -- A snapshot has no orders: only its date.
    final as (
        select
            staged_customers.*,
            snapshot.snapshot_date,
            {% for column, type in order_columns.items() if column != 'snapshot_date' -%}
                cast(null as {{ type }}) as {{ column }}{% if not loop.last %},{% endif %}
            {% endfor %}
        from staged_customers
        cross join snapshot
    )
{%- endif %}

select * from final
