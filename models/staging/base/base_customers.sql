{{ config(post_hook="{{ warn_when_input_has_no_rows('customer_snapshot') }}") }}

{%- set contract = var('customer_contract') %}
{%- set input = raw_customers() %}
{%- set typed_columns = input.typed_columns %}
{%- set raw_columns = [] %}
{%- for rule in contract.values() %}
    {%- do raw_columns.append(contract_raw_column(rule)) %}
{%- endfor %}

with

-- Read where used, never copied: the repeated-id check reads one column of the file, and the
-- staged rows stream through to the table (a copy of every raw column of ten million rows cost
-- a third of this model's time and a gigabyte of memory).
input_rows as {{ not_materialized() }} (
    {{ input.sql }}
),

parsed as {{ not_materialized() }} (
    select
        input_row_number,
        {% for raw_column in raw_columns -%}
            {{ raw_column }},
        {% endfor -%}
        {% for column, rule in contract.items() -%}
            {{ contract_parsed_value(rule, typed_columns) }} as {{ column }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from input_rows
),

-- Grouping finds the few repeated ids without sorting every row; rows with no customer_id
-- count as one id, as they would in a window partition.
repeated_customer_ids as (
    select
        customer_id,
        min(input_row_number) as first_row_of_customer_id
    from parsed
    group by customer_id
    having count(*) > 1
),

-- Identical rows share their customer_id: comparing every raw value of only those rows keeps
-- a large file fast.
repeated_rows as (
    select
        parsed.input_row_number,
        repeated_customer_ids.first_row_of_customer_id,
        min(parsed.input_row_number) over (
            partition by
                {% for raw_column in raw_columns %}
                    parsed.{{ raw_column }}{% if not loop.last %},{% endif %}
                {% endfor %}
        ) as first_identical_row
    from parsed
    inner join repeated_customer_ids
        on parsed.customer_id is not distinct from repeated_customer_ids.customer_id
),

with_repeats as (
    select
        parsed.*,
        repeated_rows.first_row_of_customer_id,
        repeated_rows.first_identical_row
    from parsed
    left join repeated_rows
        on parsed.input_row_number = repeated_rows.input_row_number
),

-- The first row of a customer_id is kept; a later one is rejected, identical or not, since
-- nothing says which of two different rows is right.
duplicates_flagged as (
    select
        *,
        case
            when first_identical_row < input_row_number
                then
                    'duplicate row: identical to row '
                    || cast(first_identical_row as {{ dbt.type_string() }})
            when first_row_of_customer_id < input_row_number
                then
                    'duplicate customer_id '
                    || cast(customer_id as {{ dbt.type_string() }})
                    || ' (first seen at row '
                    || cast(first_row_of_customer_id as {{ dbt.type_string() }})
                    || ')'
        end as duplicate_problem,
        case
            when first_identical_row < input_row_number then 'duplicate row'
            when first_row_of_customer_id < input_row_number then 'duplicate customer_id'
        end as duplicate_rule
    from with_repeats
),

-- Reasons are spelt out only for rows that break a rule: building them for every row would
-- cost more than the rest of staging on a large file.
screened as (
    select
        *,
        {{ contract_breaks_a_rule() }} or duplicate_rule is not null as is_rejected
    from duplicates_flagged
),

checked as (
    select
        *,
        case
            when is_rejected then {{ contract_problems(
                with_values=true, typed_columns=typed_columns, other_problems=['duplicate_problem']
            ) }}
        end as reject_reason,
        case
            when is_rejected then {{ contract_problems(
                with_values=false, typed_columns=typed_columns, other_problems=['duplicate_rule']
            ) }}
        end as broken_rules
    from screened
),

-- The raw text is kept for rejected rows only: a staged row is its parsed values, and millions
-- of rows of text would cost more to store than everything else the build writes.
final as (
    select
        input_row_number,
        {% for rule in contract.values() -%}
            case when reject_reason is not null then {{ contract_raw_text(rule, typed_columns) }} end
                as {{ contract_raw_column(rule) }},
        {% endfor -%}
        {% for column in contract -%}
            {{ column }},
        {% endfor -%}
        reject_reason,
        broken_rules
    from checked
)

select * from final
