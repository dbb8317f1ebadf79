{% macro numeric_measures() %}
    {#-
        The study's ten numeric measures (staged column names, which the marts use as metric
        names), in the order marts list them: every column except the id, the categories and the
        two flags.
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
    ]) }}
{% endmacro %}


{% macro flag_measures() %}
    {#- The two true/false columns that correlations treat as 0/1 measures (true = 1). -#}
    {{ return(['is_churned', 'is_email_opted_in']) }}
{% endmacro %}


{% macro measure_as_double(measure) -%}
    {#- A measure as a double: flags become 1 / 0 (null stays null), numbers are cast. -#}
    {%- if measure in flag_measures() -%}
        case when {{ measure }} then 1.0 when not {{ measure }} then 0.0 end
    {%- else -%}
        cast({{ measure }} as {{ type_double() }})
    {%- endif -%}
{%- endmacro %}
