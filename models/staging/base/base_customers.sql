{{ config(post_hook="{{ warn_when_input_has_no_rows() }}") }}

{%- set contract = var('customer_contract') %}
{%- set raw_columns = [] %}
{%- for rule in contract.values() %}
    {%- do raw_columns.append(contract_raw_column(rule)) %}
{%- endfor %}

with

input_rows as (
    {{ raw_customers() }}
),

parsed as (
    select
        input_row_number,
        {% for raw_column in raw_columns -%}
            {{ raw_column }},
        {% endfor -%}
        {% for column, rule in contract.items() -%}
            {{ contract_parsed_value(rule) }} as {{ column }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from input_rows
),

first_occurrences as (
    select
        *,
        min(input_row_number) over (partition by customer_id) as first_row_of_customer_id,
        count(*) over (partition by customer_id) as rows_of_customer_id
    from parsed
),

-- Identical rows share their customer_id: comparing every raw value of only those rows keeps
-- a large file fast.
repeated_rows as (
    select
        input_row_number,
        min(input_row_number) over (
            partition by {{ raw_columns | join(', ') }}
        ) as first_identical_row
    from first_occurrences
    where rows_of_customer_id > 1
),

with_repeats as (
    select
        first_occurrences.*,
        repeated_rows.first_identical_row
    from first_occurrences
    left join repeated_rows
        on first_occurrences.input_row_number = repeated_rows.input_row_number
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

checked as (
    select
        *,
        {{ contract_problems(with_values=true) }} as value_problems,
        {{ contract_problems(with_values=false) }} as value_rules
    from duplicates_flagged
),

final as (
    select
        input_row_number,
        {% for raw_column in raw_columns -%}
            {{ raw_column }},
        {% endfor -%}
        {% for column in contract -%}
            {{ column }},
        {% endfor -%}
        nullif(concat_ws('; ', value_problems, duplicate_problem), '') as reject_reason,
        nullif(concat_ws('; ', value_rules, duplicate_rule), '') as broken_rules
    from checked
)

select * from final
