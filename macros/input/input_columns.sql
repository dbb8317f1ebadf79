{#-
    What the input is and which columns of the `customers` mart it can fill: the one place that
    says so. Segment dimensions, churn drivers, correlation pairs, Benjamini-Hochberg families,
    the marts that build empty, the scorecard's status and the charts all follow from
    input_columns() and question_columns().
-#}

{% macro input_kind() %}
    {#-
        'order_log' when the `raw_orders_path` var names an order log, else 'customer_snapshot'
        (the seed, or the file named by `raw_customers_path`). Both set at once stops the build.
    -#}
    {%- set orders_path = var('raw_orders_path') | trim -%}
    {%- set customers_path = var('raw_customers_path') | trim -%}
    {%- if orders_path and customers_path -%}
        {{ exceptions.raise_compiler_error(
            "raw_customers_path ('" ~ customers_path ~ "') and raw_orders_path ('" ~ orders_path
            ~ "') are both set: the warehouse is built from one input, a customer snapshot or an"
            ~ " order log. Unset one of them."
        ) }}
    {%- endif -%}
    {{ return('order_log' if orders_path else 'customer_snapshot') }}
{%- endmacro %}

{% macro input_kind_label() %}
    {#- The input's kind in words, for messages and findings. -#}
    {{ return({'order_log': 'the order log', 'customer_snapshot': 'the customer snapshot'}[input_kind()]) }}
{%- endmacro %}

{% macro input_columns_by_kind() %}
    {#-
        The columns of the `customers` mart each kind of input fills with information of its
        own, in the study's order. A customer snapshot carries every contract column. An order
        log yields what activity shows (spend, purchases, returns, recency, tenure in days) and
        the churn label it defines; years_as_customer is filled too (floor of days / 365.25, for
        the column's meaning) but is a coarser copy of days_as_customer, so analyses use the
        days. Every other column is null on an order log and nothing is derived from it.
    -#}
    {{ return({
        'customer_snapshot': var('customer_contract').keys() | list,
        'order_log': [
            'customer_id',
            'total_spend',
            'num_purchases',
            'avg_transaction_amount',
            'num_returns',
            'last_purchase_days_ago',
            'days_as_customer',
            'is_churned',
        ],
    }) }}
{%- endmacro %}

{% macro input_columns() %}
    {#- The columns of the `customers` mart this build's input fills (input_columns_by_kind). -#}
    {{ return(input_columns_by_kind()[input_kind()]) }}
{%- endmacro %}

{% macro input_has(column) %}
    {#- True when this build's input fills the column (a name of the `customers` mart). -#}
    {{ return(column in input_columns()) }}
{%- endmacro %}

{% macro question_columns() %}
    {#-
        The columns each question of the GQM study cannot be answered without, with the words a
        reader knows them by. Questions not listed (Q3, Q8, Q9) need only what every input has.
    -#}
    {{ return({
        'Q1': {'age': 'age', 'gender': 'gender'},
        'Q2': {'annual_income_k_usd': 'income'},
        'Q4': {'satisfaction_score': 'satisfaction score'},
        'Q5': {'num_support_contacts': 'support contacts', 'satisfaction_score': 'satisfaction score'},
        'Q6': {'is_email_opted_in': 'email opt-in'},
        'Q7': {'promotion_response': 'promotion response'},
    }) }}
{%- endmacro %}

{% macro question_status(question_id) %}
    {#-
        'answered', or 'not measured: the order log has no <column>' naming what the input lacks,
        or for Q10 on a customer snapshot 'not measured: a customer snapshot has no order dates'
        (gqm_scorecard.status, the report and the charts read it).
    -#}
    {#- Q10 counts purchases month by month: only an order log dates them. -#}
    {%- if question_id == 'Q10' and input_kind() != 'order_log' -%}
        {{ return('not measured: a customer snapshot has no order dates') }}
    {%- endif -%}
    {%- set missing = [] -%}
    {%- for column, words in question_columns().get(question_id, {}).items() if not input_has(column) -%}
        {%- do missing.append(words) -%}
    {%- endfor -%}
    {%- if not missing -%}
        {{ return('answered') }}
    {%- endif -%}
    {{ return('not measured: ' ~ input_kind_label() ~ ' has no ' ~ missing | join(' or ')) }}
{%- endmacro %}

{% macro input_answers(question_id) %}
    {#-
        SQL true or false: whether this build's input can answer the question. A mart serving
        only that question keeps its rows `where {{ input_answers('Q1') }}`, so it builds with
        zero rows, not with figures of nulls, when the input lacks a column it needs.
    -#}
    {{ return('true' if question_status(question_id) == 'answered' else 'false') }}
{%- endmacro %}
