{% macro numeric_measures() %}
    {#-
        The study's numeric measures this build's input has (input_columns()), by their staged
        names, which the marts use as metric names, in the order marts list them: every column
        except the id, the categories and the two flags. The ten of a customer snapshot; on an
        order log spend, purchases, average transaction, returns, recency and days as a customer.
    -#}
    {{ return([
        'age',
        'annual_income_k_usd',
        'total_spend',
        'years_as_customer',
        'num_purchases',
        'avg_transaction_amount',
        'num_returns',
        'num_support_contacts',
        'satisfaction_score',
        'last_purchase_days_ago',
        'days_as_customer',
    ] | select('in', input_columns()) | list) }}
{% endmacro %}


{% macro whole_number_measures() %}
    {#-
        The numeric measures whose values are whole numbers: the contract's integer columns
        (ages, counts, days, scores) and an order log's days as a customer. However many
        customers there are, they take few distinct values, so statistics from counted values
        cost far less for them than sorting every value (distribution_statistics).
    -#}
    {%- set integers = [] -%}
    {%- for column, rule in var('customer_contract').items() if rule['type'] == 'integer' -%}
        {%- do integers.append(column) -%}
    {%- endfor -%}
    {{ return(numeric_measures() | select('in', integers + ['days_as_customer']) | list) }}
{% endmacro %}


{% macro flag_measures() %}
    {#-
        The true/false columns this build's input has that correlations treat as 0/1 measures
        (true = 1): churn, and email opt-in where the input has it.
    -#}
    {{ return(['is_churned', 'is_email_opted_in'] | select('in', input_columns()) | list) }}
{% endmacro %}


{% macro measure_as_double(measure) -%}
    {#- A measure as a double: flags become 1 / 0 (null stays null), numbers are cast. -#}
    {%- if measure in ['is_churned', 'is_email_opted_in'] -%}
        case when {{ measure }} then 1.0 when not {{ measure }} then 0.0 end
    {%- else -%}
        cast({{ measure }} as {{ type_double() }})
    {%- endif -%}
{%- endmacro %}
