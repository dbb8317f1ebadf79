{#-
    Reading an input file (a customer snapshot through `raw_customers_path`, an order log through
    `raw_orders_path`) the same way for both: the engine's own reader for its extension, the
    header matched to a data contract by name, one numbered row per data row with each contract
    column as raw text (or typed, where the reader typed it as the contract wants), so that
    staging, not the reader, decides what a valid value is.
-#}

{% macro input_path_var() %}
    {#- The var naming this build's input file: raw_orders_path on an order log, else raw_customers_path. -#}
    {{ return('raw_orders_path' if input_kind() == 'order_log' else 'raw_customers_path') }}
{%- endmacro %}

{% macro input_label() %}
    {#- How messages name the input: the file given by raw_orders_path or raw_customers_path, or the seed. -#}
    {%- set path = var(input_path_var()) | trim -%}
    {{- return("input file '" ~ path ~ "'" if path else 'the seed raw_customers (seeds/raw_customers.csv)') -}}
{%- endmacro %}

{% macro input_row_words() %}
    {#- What one data row of the input is, for messages. -#}
    {{ return('order line' if input_kind() == 'order_log' else 'customer') }}
{%- endmacro %}

{% macro sql_string(text) %}
    {#- text as a SQL string literal. -#}
    {{- return("'" ~ text | replace("'", "''") ~ "'") -}}
{%- endmacro %}

{% macro read_input_file(path) %}
    {#-
        The file at path, read by the engine's reader for its extension (read_csv_as_text,
        read_parquet_file in macros/cross_engine.sql): {'columns': the header's names, 'kinds':
        each column's type kind (typed Parquet readers only), 'sql': numbered rows with fields
        field_1 .. field_N}. While dbt parses, columns is none. Stops the build, naming the file,
        when it has another extension, is missing or empty, or has no header.
    -#}
    {%- set extension = path.rsplit('.', 1)[-1] | lower if '.' in path else '' -%}
    {%- if extension not in ['csv', 'parquet'] -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ ": " ~ input_path_var() ~ " must name a .csv or .parquet file (the"
            ~ " extension decides how it is read). Convert the file, or rename it if it is one of those."
        ) }}
    {%- endif -%}
    {%- if not execute -%}
        {#- Parsing: the file is read when the model runs. -#}
        {{ return({'columns': none, 'kinds': [], 'sql': 'select 1 as input_row_number'}) }}
    {%- endif -%}
    {%- do check_input_file_has_bytes(path) -%}
    {%- set file = read_csv_as_text(path) if extension == 'csv' else read_parquet_file(path) -%}
    {%- if not file.columns -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " has no header row, only blank lines. It needs a header row"
            ~ " naming the columns, then one row per " ~ input_row_words() ~ "."
        ) }}
    {%- endif -%}
    {{ return(file) }}
{%- endmacro %}

{% macro check_input_file_has_bytes(path) %}
    {#- Stops the build when the file does not exist or is empty. -#}
    {%- set sizes = input_file_sizes(path) -%}
    {%- if sizes | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " was not found. A relative " ~ input_path_var() ~ " is read from the"
            ~ " directory dbt runs in (the project root); check the path or give an absolute one."
        ) }}
    {%- elif sizes | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " matches " ~ sizes | length ~ " files; name exactly one file."
        ) }}
    {%- elif sizes[0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " is empty (0 bytes). It needs a header row naming the columns, then"
            ~ " one row per " ~ input_row_words() ~ "."
        ) }}
    {%- endif -%}
{%- endmacro %}

{% macro contract_rows_from_file(file, contract, report_extra_columns, missing_hint='') %}
    {#-
        The contract's columns of a file read by read_input_file: {'sql': a select of
        input_row_number and one raw column per rule (contract_raw_column), 'typed_columns': the
        raw columns the reader typed as the contract accepts (contract_accepts_kind), every other
        one cast to text}. Columns are bound by position after the header has been matched by
        name (input_column_positions). While dbt parses, the contract's own names stand in for
        the header.
    -#}
    {%- set rules = contract.values() | list -%}
    {%- set found = file.columns if file.columns is not none else rules | map(attribute='source') | list -%}
    {%- set positions = input_column_positions(
        found, rules | map(attribute='source') | list, report_extra_columns, missing_hint
    ) -%}
    {%- set kinds = file.get('kinds') or [] -%}
    {%- set typed_columns = [] -%}
    {%- set select_sql -%}
    select
        input_row_number,
        {%- for rule in rules %}
        {%- set position = positions[rule.source | trim | lower] %}
        {%- if kinds and contract_accepts_kind(rule, kinds[position]) %}
        {%- do typed_columns.append(contract_raw_column(rule)) %}
        field_{{ position + 1 }}
        {%- else %}
        cast(field_{{ position + 1 }} as {{ dbt.type_string() }})
        {%- endif %}
            as {{ contract_raw_column(rule) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from ({{ file.sql }}) as file_rows
    {%- endset -%}
    {{ return({'sql': select_sql, 'typed_columns': typed_columns}) }}
{%- endmacro %}

{% macro no_input_rows(raw_columns) %}
    {#-
        What a contract reads when this build's input is of the other kind: no rows, with
        input_row_number and each raw column (text), so staging builds empty.
    -#}
    {%- set select_sql -%}
    select
        cast(null as {{ dbt.type_bigint() }}) as input_row_number,
        {%- for raw_column in raw_columns %}
        cast(null as {{ dbt.type_string() }}) as {{ raw_column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (select 1 as no_column) as no_rows
    where 1 = 0
    {%- endset -%}
    {{ return({'sql': select_sql, 'typed_columns': []}) }}
{%- endmacro %}

{% macro input_column_positions(found_columns, expected, report_extra_columns, missing_hint='') %}
    {#-
        Where each expected column is among the input's columns: {name in lower case: 0-based
        position}, matched by name ignoring case and surrounding spaces, in any order. Stops the
        build when the header looks wrongly delimited, names a column twice or lacks an expected
        column (missing_hint then says how to fix it); warns about columns nothing expects, which
        are left out.
    -#}
    {%- set expected = expected | map('trim') | list -%}
    {%- set found = found_columns | map('trim') | list -%}
    {%- set found_lower = found | map('lower') | list -%}
    {%- set expected_lower = expected | map('lower') | list -%}
    {%- if found | length == 1 and expected | length > 1 -%}
        {%- set separators = [';', '\t', '|'] | select('in', found[0]) | list -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " has a single column, '" ~ found[0] | truncate(80) ~ "': the delimiter"
            ~ " looks wrong" ~ (" (it seems to be " ~ separators[0] | tojson ~ ")" if separators else "")
            ~ ". The file must be comma-separated with a header row naming the columns "
            ~ expected | join(', ') ~ "."
        ) }}
    {%- endif -%}
    {%- set repeated = [] -%}
    {%- for position in range(found_lower | length) -%}
        {%- set name = found_lower[position] -%}
        {%- if name in found_lower[position + 1:] and name not in repeated -%}
            {%- do repeated.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if repeated -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " names column(s) " ~ repeated | join(', ')
            ~ " more than once (names are compared ignoring case); keep one of each."
        ) }}
    {%- endif -%}
    {%- set missing = [] -%}
    {%- for name in expected if name | lower not in found_lower -%}
        {%- do missing.append(name) -%}
    {%- endfor -%}
    {%- set unknown = [] -%}
    {%- for name in found if name | lower not in expected_lower -%}
        {%- do unknown.append(name if name else '(unnamed column ' ~ loop.index ~ ')') -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " lacks required column(s) " ~ missing | join(', ') ~ ". "
            ~ ("It has column(s) the contract does not know: " ~ unknown | join(', ')
               ~ " (renamed? rename them back). " if unknown else "")
            ~ "Found: " ~ found | join(', ') ~ ". Required, in any order: " ~ expected | join(', ')
            ~ "." ~ (" " ~ missing_hint if missing_hint else "")
        ) }}
    {%- endif -%}
    {%- if unknown and report_extra_columns -%}
        {%- do exceptions.warn(
            input_label() ~ " has column(s) the contract does not know, left out of staging: "
            ~ unknown | join(', ') ~ "."
        ) -%}
    {%- endif -%}
    {%- set positions = {} -%}
    {%- for name in expected_lower -%}
        {%- do positions.update({name: found_lower.index(name)}) -%}
    {%- endfor -%}
    {{- return(positions) -}}
{%- endmacro %}

{% macro warn_when_input_has_no_rows(kind) %}
    {#-
        Post-hook of base_customers and base_orders: when this build's input is of the model's
        `kind` and has a header but no data rows, the warehouse builds with zero customers and
        says so.
    -#}
    {%- if execute and input_kind() == kind -%}
        {%- set counted = run_query('select count(*) as input_rows from ' ~ this) -%}
        {%- if counted.columns[0].values()[0] == 0 -%}
            {%- do exceptions.warn(
                input_label() ~ " has a header but no data rows: the warehouse is built with zero"
                ~ " customers."
            ) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
