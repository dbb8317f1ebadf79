{#-
    Where customers come from: the bundled seed by default, or the CSV / Parquet file named by
    the `raw_customers_path` var, read by the engine's own reader (a seed would parse every row in
    Python; macros/input/input_file.sql). Every input arrives the same way: one row per data row,
    numbered, with each contract column as raw text, so that staging, not the reader, decides
    what a valid value is. On an order log (`raw_orders_path`) there are no customer rows.
-#}

{% macro raw_customers(report_extra_columns=true) %}
    {#-
        The input rows: `sql`, a select of input_row_number (1 for the first data row, in file
        order; the header and blank lines are not counted), then one raw column per contract
        column, named by contract_raw_column; `typed_columns`, the raw columns that arrive typed
        (a Parquet column whose type the contract accepts, contract_accepts_kind), every other
        one being text. Stops the build with a message naming the input when the file is missing,
        empty or has no usable header, and warns about extra columns (ignored).
    -#}
    {%- set contract = var('customer_contract') -%}
    {%- set path = var('raw_customers_path') | trim -%}
    {%- if input_kind() == 'order_log' -%}
        {%- set raw_columns = [] -%}
        {%- for rule in contract.values() %}{% do raw_columns.append(contract_raw_column(rule)) %}{% endfor -%}
        {{ return(no_input_rows(raw_columns)) }}
    {%- elif path -%}
        {{ return(contract_rows_from_file(read_input_file(path), contract, report_extra_columns)) }}
    {%- else -%}
        {{ return(raw_customers_from_seed(ref('raw_customers'), report_extra_columns)) }}
    {%- endif -%}
{%- endmacro %}

{% macro raw_customers_from_seed(seed, report_extra_columns) %}
    {#-
        The typed seed as text, so it goes through the same checks as a file (it has no rejects).
        No engine promises a table's row order (Spark even loads a seed in several files), so
        the rows are numbered by customer id, then by the other columns: the file's order for
        the shipped seed, whose ids ascend.
    -#}
    {%- set contract = var('customer_contract').values() | list -%}
    {#- Before the seed is loaded (parsing, or compiling for the SQL linter) there is nothing to check. -#}
    {%- set found = adapter.get_columns_in_relation(seed) | map(attribute='name') | list if execute else [] -%}
    {%- if not found -%}
        {%- set found = contract | map(attribute='source') | list -%}
    {%- endif -%}
    {%- set positions = input_column_positions(
        found, contract | map(attribute='source') | list, report_extra_columns
    ) -%}
    {%- set columns = [] -%}
    {%- set sort_keys = [] -%}
    {%- for rule in contract -%}
        {%- do columns.append(adapter.quote(found[positions[rule.source | lower]])) -%}
        {%- do sort_keys.append(columns[-1] ~ ' nulls last') -%}
    {%- endfor %}
    {%- set select_sql %}
    select
        input_row_number,
        {%- for column in columns %}
        {%- set rule = contract[loop.index0] %}
        {{ double_as_text(column) if rule.type == 'double' else 'cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')' }}
            as {{ contract_raw_column(rule) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from ({{ numbered_in_order(seed, sort_keys, 'input_row_number') }}) as numbered_seed
    {%- endset %}
    {{ return({'sql': select_sql, 'typed_columns': []}) }}
{%- endmacro %}
