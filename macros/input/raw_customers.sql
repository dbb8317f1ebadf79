{#-
    Where customers come from: the bundled seed by default, or the CSV / Parquet file named by
    the `raw_customers_path` var, read by DuckDB directly (a seed would parse every row in
    Python). Every input arrives the same way: one row per data row, numbered, with each contract
    column as raw text, so that staging, not the reader, decides what a valid value is.
-#}

{% macro raw_customers(report_extra_columns=true) %}
    {#-
        A select of the input rows: input_row_number (1 for the first data row, in file order;
        the header and blank lines are not counted), then one text column per contract column,
        named by contract_raw_column. Stops the build with a message naming the input when the
        file is missing, empty or has no usable header, and warns about extra columns (ignored).
    -#}
    {%- set path = var('raw_customers_path') | trim -%}
    {%- if path -%}
        {{ return(adapter.dispatch('raw_customers_from_file')(path, report_extra_columns)) }}
    {%- else -%}
        {{ return(raw_customers_from_seed(ref('raw_customers'), report_extra_columns)) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__raw_customers_from_file(path, report_extra_columns) %}
    {{- exceptions.raise_compiler_error(
        "raw_customers_path is read by DuckDB only; on " ~ target.type ~ ", load the file into"
        ~ " the seed (seeds/raw_customers.csv) instead."
    ) -}}
{%- endmacro %}

{% macro duckdb__raw_customers_from_file(path, report_extra_columns) %}
    {#- The extension decides how DuckDB reads the file. -#}
    {%- set extension = path.rsplit('.', 1)[-1] | lower if '.' in path else '' -%}
    {%- if extension not in ['csv', 'parquet'] -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ ": raw_customers_path must name a .csv or .parquet file (the extension"
            ~ " decides how it is read). Convert the file, or rename it if it is one of those."
        ) }}
    {%- endif -%}
    {%- if execute -%}
        {%- do check_input_file_has_bytes(path) -%}
    {%- endif -%}
    {%- if extension == 'csv' -%}
        {{ return(raw_customers_from_csv(path, report_extra_columns)) }}
    {%- else -%}
        {{ return(raw_customers_from_parquet(path, report_extra_columns)) }}
    {%- endif -%}
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
    {%- set files = run_query('select size from read_blob(' ~ sql_string(path) ~ ')') -%}
    {%- if files.rows | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " was not found. A relative raw_customers_path is read from the"
            ~ " directory dbt runs in (the project root); check the path or give an absolute one."
        ) }}
    {%- elif files.rows | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " matches " ~ files.rows | length ~ " files; name exactly one file."
        ) }}
    {%- elif files.columns[0].values()[0] == 0 -%}
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
    {#- The typed seed as text, so it goes through the same checks as a file (it has no rejects). -#}
    {%- set contract = var('customer_contract').values() | list -%}
    {#- Before the seed is loaded (parsing, or compiling for the SQL linter) there is nothing to check. -#}
    {%- set found = adapter.get_columns_in_relation(seed) | map(attribute='name') | list if execute else [] -%}
    {%- if not found -%}
        {%- set found = contract | map(attribute='source') | list -%}
    {%- endif -%}
    {%- set positions = contract_column_positions(found, report_extra_columns) -%}
    select
        row_number() over () as input_row_number,
        {%- for rule in contract %}
        cast({{ adapter.quote(found[positions[rule.source | lower]]) }} as {{ dbt.type_string() }})
            as {{ contract_raw_column(rule) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ seed }}
{%- endmacro %}

{% macro raw_customers_from_parquet(path, report_extra_columns) %}
    {#- A Parquet file: its own row numbers, every contract column cast to text. -#}
    {%- set contract = var('customer_contract').values() | list -%}
    {%- set reader = 'read_parquet(' ~ sql_string(path) ~ ', file_row_number = true)' -%}
    {%- if execute -%}
        {%- set described = run_query('describe select * from ' ~ reader) -%}
        {%- set found = described.columns['column_name'].values() | reject('equalto', 'file_row_number') | list -%}
    {%- else -%}
        {%- set found = contract | map(attribute='source') | list -%}
    {%- endif -%}
    {%- set positions = contract_column_positions(found, report_extra_columns) -%}
    select
        file_row_number + 1 as input_row_number,
        {%- for rule in contract %}
        cast({{ adapter.quote(found[positions[rule.source | lower]]) }} as {{ dbt.type_string() }})
            as {{ contract_raw_column(rule) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ reader }}
{%- endmacro %}

{% macro raw_customers_from_csv(path, report_extra_columns) %}
    {#-
        A CSV file, read by DuckDB with a fixed dialect rather than a guessed one: comma-
        separated, double-quoted fields ("" inside quotes is a quote), a header row, every field
        text. DuckDB's reader takes CRLF or LF line ends, a UTF-8 byte order mark and blank lines
        (skipped); it stops with the file name and line on bytes that are not UTF-8, or a row
        whose number of fields differs from the header's. Columns are bound by position after
        the header has been matched by name.
    -#}
    {%- set contract = var('customer_contract').values() | list -%}
    {%- set dialect = "delim = ',', quote = '\"', escape = '\"', auto_detect = false" -%}
    {%- if execute -%}
        {%- set found = csv_header(path, dialect) -%}
    {%- else -%}
        {%- set found = contract | map(attribute='source') | list -%}
    {%- endif -%}
    {%- set positions = contract_column_positions(found, report_extra_columns) -%}
    select
        row_number() over () as input_row_number,
        {%- for rule in contract %}
        field_{{ positions[rule.source | lower] + 1 }} as {{ contract_raw_column(rule) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from read_csv(
        {{ sql_string(path) }},
        header = true,
        {{ dialect }},
        columns = {
            {%- for position in range(1, found | length + 1) %}
            'field_{{ position }}': 'varchar'{{ ',' if not loop.last }}
            {%- endfor %}
        }
    )
{%- endmacro %}

{% macro csv_header(path, dialect) %}
    {#-
        The column names in the first non-blank line of a CSV file, read with the same dialect as
        the data (so a quoted name may hold a comma). Up to 64 columns are read.
    -#}
    {%- set header_sql -%}
        select *
        from read_csv(
            {{ sql_string(path) }},
            header = false,
            null_padding = true,
            {{ dialect }},
            columns = {
                {%- for position in range(1, 65) %}
                'field_{{ position }}': 'varchar'{{ ',' if not loop.last }}
                {%- endfor %}
            }
        )
        limit 1
    {%- endset -%}
    {%- set header = run_query(header_sql) -%}
    {%- if header.rows | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " has no header row, only blank lines. It needs a header row naming"
            ~ " the columns, then one row per customer."
        ) }}
    {%- endif -%}
    {%- set names = header.rows[0] | list -%}
    {%- set named = namespace(count=0) -%}
    {%- for position in range(names | length) if names[position] is not none -%}
        {%- set named.count = position + 1 -%}
    {%- endfor -%}
    {{- return(names[:named.count] | map('default', '', true) | list) -}}
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
