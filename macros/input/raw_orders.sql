{#-
    Where order lines come from: the CSV / Parquet order log named by the `raw_orders_path` var,
    read by the engine's own reader like a customer file (macros/input/input_file.sql), its
    columns named by the order_*_column vars. base_orders parses and checks them by
    order_contract(); on a customer snapshot there are no order lines.
-#}

{% macro order_raw_columns() %}
    {#-
        The raw column of each staged order column an order log may carry, as read (text):
        base_orders and order_rejects always have all six, null where the log has no such column.
    -#}
    {{ return({
        'customer_id': 'raw_customer_id',
        'order_id': 'raw_order_id',
        'order_date': 'raw_order_date',
        'quantity': 'raw_quantity',
        'amount': 'raw_amount',
        'unit_price': 'raw_unit_price',
    }) }}
{%- endmacro %}

{% macro order_contract(found_columns=none) %}
    {#-
        The order log's data contract, from the column-mapping vars: staged column -> rule
        (source column, type, raw column; see customer_contract.sql), for the columns this log
        has. A customer id is text (trimmed, verbatim: CDNOW writes 00001); blank makes a guest
        line ('no customer id'). The order date is read in `order_date_format`. Amounts,
        quantities and unit prices are numbers of any sign. Order id and quantity are optional:
        a mapping var set to '' means the log has no such column, and so does a log whose header
        lacks the staged name a var defaults to (order_id, quantity); found_columns is that
        header (none while dbt parses). The amount is the `order_amount_column`, or, when
        `order_unit_price_column` is set (and the amount column is ''), quantity x unit price.
        Stops the build on a mapping that cannot work.
    -#}
    {%- set found = (found_columns or []) | map('trim') | map('lower') | list -%}
    {%- set raw = order_raw_columns() -%}
    {%- set mapped = {
        'customer_id': var('order_customer_id_column') | trim,
        'order_id': var('order_id_column') | trim,
        'order_date': var('order_date_column') | trim,
        'quantity': var('order_quantity_column') | trim,
        'amount': var('order_amount_column') | trim,
        'unit_price': var('order_unit_price_column') | trim,
    } -%}
    {%- set types = {'customer_id': 'text', 'order_id': 'text', 'order_date': 'date'} -%}
    {%- set contract = {} -%}
    {%- for column, source in mapped.items() -%}
        {%- set lacks_optional = column in ['order_id', 'quantity'] and source == column
            and found_columns is not none and source | lower not in found -%}
        {%- if source and not lacks_optional -%}
            {%- set rule = {'source': source, 'type': types.get(column, 'double'), 'raw': raw[column]} -%}
            {%- if column == 'customer_id' -%}
                {%- do rule.update({'blank_rule': 'no customer id'}) -%}
            {%- elif column == 'order_date' -%}
                {%- do rule.update({'format': var('order_date_format')}) -%}
            {%- endif -%}
            {%- do contract.update({column: rule}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set problems = [] -%}
    {%- for column, mapping_var in {'customer_id': 'order_customer_id_column', 'order_date': 'order_date_column'}.items()
        if column not in contract -%}
        {%- do problems.append(mapping_var ~ " is '', but every order line needs its " ~ column | replace('_', ' ')) -%}
    {%- endfor -%}
    {%- if ('amount' in contract) == ('unit_price' in contract) -%}
        {%- do problems.append(
            "give exactly one of order_amount_column (the line amount) and order_unit_price_column"
            ~ " (amount = quantity x unit price); set the other to ''"
        ) -%}
    {%- endif -%}
    {%- if 'unit_price' in contract and 'quantity' not in contract -%}
        {%- do problems.append('an amount of quantity x unit price needs order_quantity_column') -%}
    {%- endif -%}
    {%- if var('order_return_pattern') and 'order_id' not in contract -%}
        {%- do problems.append('order_return_pattern marks returns by their order id, but the log has no order_id_column') -%}
    {%- endif -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ ": the order column mapping cannot work: " ~ problems | join('; ')
            ~ ". docs/orders.md shows the mapping vars."
        ) }}
    {%- endif -%}
    {{ return(contract) }}
{%- endmacro %}

{% macro raw_orders(report_extra_columns=true) %}
    {#-
        The order lines: `sql`, a select of input_row_number (1 for the first data row, in file
        order) and the six raw columns of order_raw_columns() (null where the log lacks the
        column); `typed_columns`, the raw columns a Parquet reader typed as the contract accepts;
        `contract`, this log's order_contract(). No rows on a customer snapshot.
    -#}
    {%- set raw = order_raw_columns() -%}
    {%- if input_kind() != 'order_log' -%}
        {%- set empty = no_input_rows(raw.values() | list) -%}
        {%- do empty.update({'contract': order_contract()}) -%}
        {{ return(empty) }}
    {%- endif -%}
    {%- set file = read_input_file(var('raw_orders_path') | trim) -%}
    {%- set contract = order_contract(file.columns) -%}
    {%- set rows = contract_rows_from_file(
        file,
        contract,
        report_extra_columns,
        missing_hint="Name the order log's columns with the order_*_column vars (docs/orders.md)."
    ) -%}
    {%- set select_sql -%}
    select
        input_row_number,
        {%- for column, raw_column in raw.items() %}
        {{ raw_column if column in contract else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
            as {{ raw_column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from ({{ rows.sql }}) as contract_rows
    {%- endset -%}
    {{ return({'sql': select_sql, 'typed_columns': rows.typed_columns, 'contract': contract}) }}
{%- endmacro %}
