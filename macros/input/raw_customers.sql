{#-
    Where customers come from: the bundled seed by default, or the CSV / Parquet file named by
    the `raw_customers_path` var, read by the engine's own reader (a seed would parse every row in
    Python). Every input arrives the same way: one row per data row, numbered, with each contract
    column as raw text, so that staging, not the reader, decides what a valid value is.
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
    {%- set path = var('raw_customers_path') | trim -%}
    {%- if path -%}
        {{ return(raw_customers_from_file(path, report_extra_columns)) }}
    {%- else -%}
        {{ return(raw_customers_from_seed(ref('raw_customers'), report_extra_columns)) }}
    {%- endif -%}
{%- endmacro %}

{% macro raw_customers_from_file(path, report_extra_columns) %}
    {#-
        The file named by raw_customers_path, read by the engine's reader for its extension
        (read_csv_as_text, read_parquet_file in macros/cross_engine.sql): its numbered rows, each
        contract column cast to text unless the reader typed it as the contract wants. Columns
        are bound by position after the header has been matched by name.
    -#}
    {%- set extension = path.rsplit('.', 1)[-1] | lower if '.' in path else '' -%}
    {%- if extension not in ['csv', 'parquet'] -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ ": raw_customers_path must name a .csv or .parquet file (the extension"
            ~ " decides how it is read). Convert the file, or rename it if it is one of those."
        ) }}
    {%- endif -%}
    {%- set contract = var('customer_contract').values() | list -%}
    {%- if execute -%}
        {%- do check_input_file_has_bytes(path) -%}
        {%- set file = read_csv_as_text(path) if extension == 'csv' else read_parquet_file(path) -%}
        {%- if not file.columns -%}
            {{ exceptions.raise_compiler_error(
                input_label() ~ " has no header row, only blank lines. It needs a header row"
                ~ " naming the columns, then one row per customer."
            ) }}
        {%- endif -%}
        {%- set found = file.columns -%}
    {%- else -%}
        {#- Parsing: the file is read when the model runs. -#}
        {%- set file = {'sql': 'select 1 as input_row_number'} -%}
        {%- set found = contract | map(attribute='source') | list -%}
    {%- endif -%}
    {%- set positions = contract_column_positions(found, report_extra_columns) -%}
    {%- set kinds = file.get('kinds') or [] -%}
    {%- set typed_columns = [] -%}
    {%- set select_sql -%}
    select
        input_row_number,
        {%- for rule in contract %}
        {%- set position = positions[rule.source | lower] %}
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

{% macro input_label() %}
    {#- How messages name the input. -#}
    {%- set path = var('raw_customers_path') | trim -%}
    {{- return("input file '" ~ path ~ "'" if path else 'the seed raw_customers (seeds/raw_customers.csv)') -}}
{%- endmacro %}

{% macro sql_string(text) %}
    {#- text as a SQL string literal. -#}
    {{- return("'" ~ text | replace("'", "''") ~ "'") -}}
{%- endmacro %}

{% macro check_input_file_has_bytes(path) %}
    {#- Stops the build when the file does not exist or is empty. -#}
    {%- set sizes = input_file_sizes(path) -%}
    {%- if sizes | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " was not found. A relative raw_customers_path is read from the"
            ~ " directory dbt runs in (the project root); check the path or give an absolute one."
        ) }}
    {%- elif sizes | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " matches " ~ sizes | length ~ " files; name exactly one file."
        ) }}
    {%- elif sizes[0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " is empty (0 bytes). It needs a header row naming the columns, then"
            ~ " one row per customer."
        ) }}
    {%- endif -%}
{%- endmacro %}

{% macro contract_column_positions(found_columns, report_extra_columns) %}
    {#-
        Where each contract column is among the input's columns: {source name in lower case:
        0-based position}, matched by name ignoring case and surrounding spaces, in any order.
        Stops the build when the header looks wrongly delimited, names a column twice or lacks a
        contract column; warns about columns the contract does not know, which are left out.
    -#}
    {%- set contract = var('customer_contract').values() | list -%}
    {%- set expected = contract | map(attribute='source') | list -%}
    {%- set found = found_columns | map('trim') | list -%}
    {%- set found_lower = found | map('lower') | list -%}
    {%- set expected_lower = expected | map('lower') | list -%}
    {%- if found | length == 1 -%}
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
            ~ "."
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
    {%- set positions = contract_column_positions(found, report_extra_columns) -%}
    {%- set columns = [] -%}
    {%- for rule in contract -%}
        {%- do columns.append(adapter.quote(found[positions[rule.source | lower]])) -%}
    {%- endfor %}
    {%- set select_sql %}
    select
        row_number() over (order by {{ columns | join(' nulls last, ') }} nulls last) as input_row_number,
        {%- for column in columns %}
        {%- set rule = contract[loop.index0] %}
        {{ double_as_text(column) if rule.type == 'double' else 'cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')' }}
            as {{ contract_raw_column(rule) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ seed }}
    {%- endset %}
    {{ return({'sql': select_sql, 'typed_columns': []}) }}
{%- endmacro %}

{% macro warn_when_input_has_no_rows() %}
    {#- Post-hook of base_customers: a header-only input builds, with zero customers, and says so. -#}
    {%- if execute -%}
        {%- set counted = run_query('select count(*) as input_rows from ' ~ this) -%}
        {%- if counted.columns[0].values()[0] == 0 -%}
            {%- do exceptions.warn(
                input_label() ~ " has a header but no data rows: the warehouse is built with zero"
                ~ " customers."
            ) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
