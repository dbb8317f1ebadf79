{#- Engine-specific expressions, one dispatched macro each; models stay free of engine ifs. -#}

{% macro type_double() %}
    {#- Double precision float; dbt.type_float() is single precision on DuckDB. -#}
    {{ return(adapter.dispatch('type_double', 'retail_churn')()) }}
{% endmacro %}

{% macro default__type_double() %}double precision{% endmacro %}

{% macro duckdb__type_double() %}double{% endmacro %}

{% macro spark__type_double() %}double{% endmacro %}


{% macro quantile(column, fraction) %}
    {#- Continuous quantile with linear interpolation between order statistics (pandas' default). -#}
    {{ return(array_element(quantiles(column, [fraction]), 1)) }}
{% endmacro %}

{% macro quantiles(column, fractions) %}
    {#-
        The continuous quantiles of column at each of fractions, as an array in that order (an
        aggregate). One sort of the values serves them all, where one quantile() per fraction
        would sort the values once each.
    -#}
    {{ return(adapter.dispatch('quantiles', 'retail_churn')(column, fractions)) }}
{% endmacro %}

{% macro default__quantiles(column, fractions) -%}
    percentile_cont(array[{{ fractions | join(', ') }}]) within group (order by {{ column }})
{%- endmacro %}

{% macro duckdb__quantiles(column, fractions) -%}
    quantile_cont({{ column }}, [{{ fractions | join(', ') }}])
{%- endmacro %}

{% macro spark__quantiles(column, fractions) -%}
    percentile({{ column }}, array({{ fractions | join(', ') }}))
{%- endmacro %}

{% macro array_element(array, position) %}
    {#- The element of an array at position, counted from 1. -#}
    {{ return(adapter.dispatch('array_element', 'retail_churn')(array, position)) }}
{% endmacro %}

{% macro default__array_element(array, position) -%}
    ({{ array }})[{{ position }}]
{%- endmacro %}

{% macro spark__array_element(array, position) -%}
    element_at({{ array }}, {{ position }})
{%- endmacro %}


{% macro regex_full_match(text, pattern) %}
    {#- True when the whole of text matches the regular expression (not just a part of it). -#}
    {{ return(adapter.dispatch('regex_full_match', 'retail_churn')(text, pattern)) }}
{% endmacro %}

{% macro default__regex_full_match(text, pattern) -%}
    regexp_like({{ text }}, '^({{ pattern }})$')
{%- endmacro %}

{% macro duckdb__regex_full_match(text, pattern) -%}
    regexp_full_match({{ text }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__regex_full_match(text, pattern) -%}
    {{ text }} ~ '^({{ pattern }})$'
{%- endmacro %}

{% macro spark__regex_full_match(text, pattern) -%}
    {#- Java's $ also matches before a final line break; (?!.) with (?s) is the very end. -#}
    {{ text }} rlike '(?s)^({{ pattern }})(?!.)'
{%- endmacro %}


{% macro double_as_text(value) %}
    {#- A double as text, as DuckDB and Spark print it: '7134.0', '45.15'. -#}
    {{ return(adapter.dispatch('double_as_text', 'retail_churn')(value)) }}
{% endmacro %}

{% macro default__double_as_text(value) -%}
    cast({{ value }} as {{ dbt.type_string() }})
{%- endmacro %}

{% macro postgres__double_as_text(value) -%}
    {#- PostgreSQL prints a whole number without its '.0' ('7134'). -#}
    case
        when cast({{ value }} as text) ~ '^-?[0-9]+$' then cast({{ value }} as text) || '.0'
        else cast({{ value }} as text)
    end
{%- endmacro %}


{% macro exp_or_zero(exponent) %}
    {#-
        e^exponent, and 0 where that is below the smallest double. DuckDB and Spark round such a
        result to 0; PostgreSQL raises "value out of range: underflow" instead, so a p-value far
        below 1e-308 would stop the build there.
    -#}
    {{ return(adapter.dispatch('exp_or_zero', 'retail_churn')(exponent)) }}
{% endmacro %}

{% macro default__exp_or_zero(exponent) -%}
    exp({{ exponent }})
{%- endmacro %}

{% macro postgres__exp_or_zero(exponent) -%}
    {#- Below ln(2^-1075) the result rounds to 0; above it PostgreSQL returns the subnormal. -#}
    case when {{ exponent }} < -745.1332191019411 then 0 else exp({{ exponent }}) end
{%- endmacro %}


{#-
    Reading a customer file by path, for `raw_customers_path`: each engine's native reader.
    Both macros run queries, so they return none while dbt parses (`execute` is false);
    afterwards {'columns': [names in the file, in order], 'sql': a select}, where the select returns
    `input_row_number` (1 for the first data row, in file order) and then the file's columns as
    `field_1` .. `field_N`: text for a CSV file, the stored types for a Parquet file.
-#}

{% macro input_file_sizes(path) %}
    {#-
        The size in bytes of each file path names (a list: empty when there is none, several
        for a pattern the engine expands). Runs a query; call it only when `execute`.
    -#}
    {{ return(adapter.dispatch('input_file_sizes', 'retail_churn')(path)) }}
{% endmacro %}

{% macro default__input_file_sizes(path) %}
    {{ exceptions.raise_compiler_error(
        "input_file_sizes: no file reader for the " ~ adapter.type() ~ " adapter; load the file"
        ~ " as a table with the database's own tools and point the raw_customers source at it."
    ) }}
{% endmacro %}

{% macro duckdb__input_file_sizes(path) %}
    {{ return(run_query('select size from read_blob(' ~ sql_string(path) ~ ')').columns[0].values() | list) }}
{% endmacro %}

{% macro postgres__input_file_sizes(path) %}
    {#- On the database server, as COPY reads it; null when the file is missing. -#}
    {%- set size = run_query('select (pg_stat_file(' ~ sql_string(path) ~ ', true)).size').columns[0].values()[0] -%}
    {{ return([] if size is none else [size]) }}
{% endmacro %}

{% macro spark__input_file_sizes(path) %}
    {#- Spark lists the file (its content is not read); a missing path stops with Spark's message. -#}
    {{ return(run_query('select length from binaryFile.`' ~ path ~ '`').columns[0].values() | list) }}
{% endmacro %}

{% macro read_csv_as_text(path) %}
    {#-
        A comma-separated file with a header row, double-quoted fields ("" is a quote inside
        quotes), CRLF or LF line ends; every field arrives as text, an empty one as null, and a
        row with another number of fields than the header stops the build with the reader's
        message. The header is the first non-blank line.
    -#}
    {{ return(adapter.dispatch('read_csv_as_text', 'retail_churn')(path) if execute else none) }}
{% endmacro %}

{% macro read_parquet_file(path) %}
    {{ return(adapter.dispatch('read_parquet_file', 'retail_churn')(path) if execute else none) }}
{% endmacro %}

{% macro default__read_csv_as_text(path) %}
    {{ exceptions.raise_compiler_error(
        "read_csv_as_text: no file reader for the " ~ adapter.type() ~ " adapter; load the file"
        ~ " as a table with the database's own tools and point the raw_customers source at it."
    ) }}
{% endmacro %}

{% macro default__read_parquet_file(path) %}
    {{ exceptions.raise_compiler_error(
        "read_parquet_file: " ~ adapter.type() ~ " cannot read Parquet files; convert the file"
        ~ " to CSV (for example: duckdb -c \"copy (from 'file.parquet') to 'file.csv'\")."
    ) }}
{% endmacro %}

{% macro text_fields_select(relation, row_number, source_columns) %}
    {#- `input_row_number` and field_1 .. field_N from relation, field k being source_columns[k - 1]. -#}
    {%- set fields = [] -%}
    {%- for column in source_columns -%}
        {%- do fields.append(column ~ ' as field_' ~ loop.index) -%}
    {%- endfor -%}
    {{- return('select ' ~ row_number ~ ' as input_row_number, ' ~ fields | join(', ') ~ ' from ' ~ relation) -}}
{% endmacro %}

{% macro numbered_names(prefix, count, first=1) %}
    {#- [prefix1, prefix2, ...]: count names numbered from first. -#}
    {%- set names = [] -%}
    {%- for position in range(first, first + count) %}{% do names.append(prefix ~ position) %}{% endfor -%}
    {{- return(names) -}}
{% endmacro %}

{% macro quoted_names(names) %}
    {#- Each name quoted as an identifier of the engine. -#}
    {%- set quoted = [] -%}
    {%- for name in names %}{% do quoted.append(adapter.quote(name)) %}{% endfor -%}
    {{- return(quoted) -}}
{% endmacro %}

{#- DuckDB reads the file in the query itself. -#}

{% macro duckdb__read_csv_as_text(path) %}
    {%- set dialect = "delim = ',', quote = '\"', escape = '\"', auto_detect = false" -%}
    {%- set first_line -%}
        select * from read_csv(
            {{ sql_string(path) }}, header = false, null_padding = true, {{ dialect }},
            columns = { {%- for k in range(1, 65) %}'field_{{ k }}': 'varchar'{{ ',' if not loop.last }}{% endfor -%} }
        )
        limit 1
    {%- endset -%}
    {%- set header = run_query(first_line).rows -%}
    {%- set names = (header[0] | list) if header else [] -%}
    {%- set named = namespace(count=0) -%}
    {%- for position in range(names | length) if names[position] is not none -%}
        {%- set named.count = position + 1 -%}
    {%- endfor -%}
    {%- set columns = names[:named.count] | map('default', '', true) | list -%}
    {%- set reader -%}
        read_csv(
            {{ sql_string(path) }}, header = true, {{ dialect }},
            columns = { {%- for k in range(1, columns | length + 1) %}'field_{{ k }}': 'varchar'{{ ',' if not loop.last }}{% endfor -%} }
        )
    {%- endset -%}
    {{ return({
        'columns': columns,
        'sql': text_fields_select(reader, 'row_number() over ()', numbered_names('field_', columns | length)),
    }) }}
{% endmacro %}

{#-
    A Parquet file's columns keep their types: each field's `kind` (integer, double, boolean, or
    none for anything else) lets staging take a typed value as it is, instead of printing it as
    text and parsing it back (most of staging's time on millions of rows).
-#}
{% macro duckdb__read_parquet_file(path) %}
    {%- set reader = 'read_parquet(' ~ sql_string(path) ~ ', file_row_number = true)' -%}
    {%- set described = run_query('describe select * from ' ~ reader) -%}
    {%- set columns = [] -%}
    {%- set kinds = [] -%}
    {%- for name, type in zip(described.columns['column_name'].values(), described.columns['column_type'].values())
        if name != 'file_row_number' -%}
        {%- do columns.append(name) -%}
        {%- do kinds.append(duckdb_type_kind(type)) -%}
    {%- endfor -%}
    {{ return({
        'columns': columns,
        'kinds': kinds,
        'sql': text_fields_select(reader, 'file_row_number + 1', quoted_names(columns)),
    }) }}
{% endmacro %}

{% macro duckdb_type_kind(type) %}
    {#- integer, double, boolean or date for a DuckDB column type that holds only such values; else none. -#}
    {%- set base = type.split('(')[0] | upper -%}
    {%- if base in ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT',
                    'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT'] -%}
        {{ return('integer') }}
    {%- elif base in ['FLOAT', 'DOUBLE', 'DECIMAL'] -%}
        {{ return('double') }}
    {%- elif base == 'BOOLEAN' -%}
        {{ return('boolean') }}
    {%- elif base == 'DATE' -%}
        {#- an order log's dates: taken as they are, not printed and parsed back -#}
        {{ return('date') }}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}

{#-
    Spark reads the file where it runs (the driver's disk in local mode, a shared file system
    or object store on a cluster), every core a part of it: no step puts every row in one
    partition. A CSV file becomes an external table over the file, `<schema>.input_file`
    (dropping it leaves the file alone), read line by line (multiLine off, which would read a
    whole file as one partition); FAILFAST makes a ragged row an error, as elsewhere. Rows are
    numbered in file order from what each part knows of itself (spark_numbered_rows).
-#}

{% macro spark__read_csv_as_text(path) %}
    {%- do spark_check_no_quoted_line_breaks(path) -%}
    {%- set table = adapter.quote(target.schema) ~ '.input_file' -%}
    {% do run_query('create schema if not exists ' ~ adapter.quote(target.schema)) %}
    {% do run_query('drop table if exists ' ~ table) %}
    {% do run_query(
        'create table ' ~ table ~ ' using csv options (path ' ~ sql_string(path)
        ~ ", header 'false', sep ',', quote '\"', escape '\"', multiLine 'false', mode 'FAILFAST')"
    ) %}
    {#- Split by split, a part of a CSV file knows where it starts: _metadata.file_block_start. -#}
    {%- set lines -%}
        select
            *,
            _metadata.file_path as input_file_path,
            _metadata.file_block_start as input_part_start,
            monotonically_increasing_id() as input_part_position
        from {{ table }}
    {%- endset -%}
    {%- set numbered = spark_numbered_rows(lines) -%}
    {%- set header = run_query('select * from ' ~ numbered ~ ' where input_row_index = 0').rows -%}
    {%- set width = (header[0] | length - 1) if header else 0 -%}
    {%- set columns = (header[0][:width] | list | map('default', '', true) | list) if header else [] -%}
    {{ return({
        'columns': columns,
        'sql': text_fields_select(numbered, 'input_row_index', numbered_names('_c', width, 0))
            ~ ' where input_row_index > 0',
    }) }}
{% endmacro %}

{% macro spark_numbered_rows(lines) %}
    {#-
        The rows of `lines` (a select of a file's columns with input_file_path, input_part_start
        and input_part_position: the file, where the part of it a task reads starts, and an id
        that grows in file order within the part) numbered 0, 1, ... in file order, as
        input_row_index, next to the file's columns. Each part numbers its own rows (a window
        partitioned by part), and starts after the rows of the parts before it (a running total
        over one row per part, which is small): every core numbers its share of the rows.
    -#}
    {%- set numbered -%}
        (
            with

            file_lines as (
                {{ lines }}
            ),

            part_sizes as (
                select
                    input_file_path,
                    input_part_start,
                    count(*) as part_rows
                from file_lines
                group by input_file_path, input_part_start
            ),

            part_offsets as (
                select
                    input_file_path,
                    input_part_start,
                    coalesce(sum(part_rows) over (
                        order by input_file_path, input_part_start
                        rows between unbounded preceding and 1 preceding
                    ), 0) as rows_before
                from part_sizes
            ),

            -- part_offsets has one row per part: broadcast it, or a join on the file path
            -- sends each file's lines to one partition.
            numbered_lines as (
                select /*+ BROADCAST(part_offsets) */
                    file_lines.*,
                    part_offsets.rows_before + row_number() over (
                        partition by file_lines.input_file_path, file_lines.input_part_start
                        order by file_lines.input_part_position
                    ) - 1 as input_row_index
                from file_lines
                inner join part_offsets
                    on
                        file_lines.input_file_path = part_offsets.input_file_path
                        and file_lines.input_part_start = part_offsets.input_part_start
            )

            select * except (input_file_path, input_part_start, input_part_position)
            from numbered_lines
        ) as numbered_rows
    {%- endset -%}
    {{ return(numbered) }}
{% endmacro %}

{% macro numbered_in_order(relation, order_by, number_column) %}
    {#-
        A select of every column of relation and number_column, 1, 2, ... in the order of
        order_by (a list of sort expressions; rows equal in all of them are numbered in any
        order): row_number() over the whole table, where the engine computes that in parallel.
    -#}
    {{ return(adapter.dispatch('numbered_in_order', 'retail_churn')(relation, order_by, number_column)) }}
{% endmacro %}

{% macro default__numbered_in_order(relation, order_by, number_column) -%}
    select
        row_number() over (order by {{ order_by | join(', ') }}) as {{ number_column }},
        *
    from {{ relation }}
{%- endmacro %}

{% macro spark__numbered_in_order(relation, order_by, number_column) -%}
    {#-
        Spark runs a window without `partition by` on one core. A global sort is parallel
        instead (each task sorts a range of the keys); then each sorted part numbers its own
        rows after the rows of the parts before it (spark_numbered_rows), as a file's parts do.
        Spark evaluates the ids of the sorted rows once even though the numbering reads them
        twice: it does not inline a CTE that is not deterministic.
    -#}
    {%- set sorted_parts -%}
        select
            *,
            '' as input_file_path,
            spark_partition_id() as input_part_start,
            monotonically_increasing_id() as input_part_position
        from (select * from {{ relation }} order by {{ order_by | join(', ') }}) as sorted_rows
    {%- endset -%}
    select
        input_row_index + 1 as {{ number_column }},
        * except (input_row_index)
    from {{ spark_numbered_rows(sorted_parts) }}
{%- endmacro %}

{% macro spark_check_no_quoted_line_breaks(path) %}
    {#-
        Stops the build when a CSV file has a quoted field with a line break inside: Spark reads
        a CSV file line by line, so that every core reads a part of it, and such a field would be
        cut in two. A line with an odd number of double quotes opens a field it does not close.
    -#}
    {%- set found = run_query(
        "select count(*), min(value) from text.`" ~ path ~ "`"
        ~ " where (length(value) - length(replace(value, '\"', ''))) % 2 = 1"
    ).rows[0] -%}
    {%- if found[0] > 0 -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ " has a quoted field with a line break inside (" ~ found[0]
            ~ " lines open or close such a field, for example: " ~ found[1] | truncate(80) ~ ")."
            ~ " Spark reads a CSV file line by line, every core a part of it, and cannot read such"
            ~ " a field: remove the line breaks inside fields, or convert the file to Parquet."
        ) }}
    {%- endif -%}
{% endmacro %}

{% macro spark__read_parquet_file(path) %}
    {#-
        A Parquet file's rows are numbered from the hidden _metadata.row_index (0-based, in
        file order within each file, across its splits), after the rows of the files before it.
    -#}
    {%- set reader = 'parquet.`' ~ path ~ '`' -%}
    {%- set columns = run_query('select * from ' ~ reader ~ ' limit 0').column_names | list -%}
    {%- set numbered -%}
        (
            with

            file_rows as (
                select
                    *,
                    _metadata.file_path as input_file_path,
                    _metadata.row_index as input_file_row_index
                from {{ reader }}
            ),

            file_sizes as (
                select
                    input_file_path,
                    count(*) as file_rows
                from file_rows
                group by input_file_path
            ),

            file_offsets as (
                select
                    input_file_path,
                    coalesce(sum(file_rows) over (
                        order by input_file_path rows between unbounded preceding and 1 preceding
                    ), 0) as rows_before
                from file_sizes
            )

            -- Broadcast: a join on the file path would otherwise send each file's rows, all
            -- of them for a single file, to one partition (at 10M rows Spark's estimate of
            -- file_offsets, one row per file, is too large for its own broadcast threshold).
            select /*+ BROADCAST(file_offsets) */
                file_rows.*,
                file_offsets.rows_before + file_rows.input_file_row_index + 1 as input_row_number_
            from file_rows
            inner join file_offsets on file_rows.input_file_path = file_offsets.input_file_path
        ) as numbered_rows
    {%- endset -%}
    {{ return({
        'columns': columns,
        'sql': text_fields_select(numbered, 'input_row_number_', quoted_names(columns)),
    }) }}
{% endmacro %}

{#-
    PostgreSQL loads the file with COPY into a table of text columns (`<schema>.input_file`),
    numbering rows as they arrive. COPY reads a file on the database server: the server's user
    must be able to read it, and the dbt user needs superuser or pg_read_server_files. COPY
    stops at a blank line (DuckDB and Spark skip those).
-#}

{% macro postgres__read_csv_as_text(path) %}
    {%- set start = run_query('select pg_read_file(' ~ sql_string(path) ~ ', 0, 65536)') -%}
    {%- set lines = start.rows[0][0].splitlines() | reject('equalto', '') | list -%}
    {%- set columns = csv_line_fields(lines[0]) if lines else [] -%}
    {%- set table = adapter.quote(target.schema) ~ '.input_file' -%}
    {%- set fields = numbered_names('field_', columns | length) -%}
    {% do run_query(
        'drop table if exists ' ~ table ~ '; create table ' ~ table
        ~ ' (input_row_number bigint generated always as identity, '
        ~ fields | join(' text, ') ~ ' text); copy ' ~ table ~ ' (' ~ fields | join(', ')
        ~ ') from ' ~ sql_string(path) ~ ' with (format csv, header true); select 1'
    ) %}
    {{ return({
        'columns': columns,
        'sql': text_fields_select(table, 'input_row_number', fields),
    }) }}
{% endmacro %}

{% macro csv_line_fields(line) %}
    {#- The fields of one CSV line (comma-separated, double quotes, "" for a quote inside). -#}
    {%- set state = namespace(fields=[], field='', quoted=false, closed_quote=false) -%}
    {%- for char in line -%}
        {%- if state.quoted and char == '"' -%}
            {%- set state.quoted, state.closed_quote = false, true -%}
        {%- elif state.quoted -%}
            {%- set state.field = state.field ~ char -%}
        {%- elif char == '"' -%}
            {%- set state.field = state.field ~ ('"' if state.closed_quote else '') -%}
            {%- set state.quoted, state.closed_quote = true, false -%}
        {%- elif char == ',' -%}
            {%- do state.fields.append(state.field) -%}
            {%- set state.field, state.closed_quote = '', false -%}
        {%- else -%}
            {%- set state.field, state.closed_quote = state.field ~ char, false -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do state.fields.append(state.field) -%}
    {{ return(state.fields) }}
{% endmacro %}


{% macro format_decimal(value, decimals) %}
    {#-
        A number as text with a fixed number of decimals ('0.50'), for generated sentences. What
        rounds to zero prints as 0, never as '-0.00'.
    -#}
    {%- set half_unit = 0.5 / (10 ** decimals) -%}
    {%- set without_negative_zero = 'case when abs(' ~ value ~ ') < ' ~ half_unit ~ ' then 0.0 else ' ~ value ~ ' end' -%}
    {{ return(adapter.dispatch('format_decimal', 'retail_churn')(without_negative_zero, decimals)) }}
{% endmacro %}

{% macro default__format_decimal(value, decimals) -%}
    to_char({{ value }}, 'FM999999999990.{{ "0" * decimals }}')
{%- endmacro %}

{% macro duckdb__format_decimal(value, decimals) -%}
    printf('%.{{ decimals }}f', {{ value }})
{%- endmacro %}

{% macro spark__format_decimal(value, decimals) -%}
    format_string('%.{{ decimals }}f', {{ value }})
{%- endmacro %}


{% macro string_agg_ordered(expression, separator, order_by) %}
    {#- Concatenates the non-null values of expression in the order of order_by (an aggregate). -#}
    {{ return(adapter.dispatch('string_agg_ordered', 'retail_churn')(expression, separator, order_by)) }}
{% endmacro %}

{% macro default__string_agg_ordered(expression, separator, order_by) -%}
    string_agg({{ expression }}, '{{ separator }}' order by {{ order_by }})
{%- endmacro %}

{% macro spark__string_agg_ordered(expression, separator, order_by) -%}
    listagg({{ expression }}, '{{ separator }}') within group (order by {{ order_by }})
{%- endmacro %}

{% macro count_distinct_where(expression, condition) %}
    {#-
        How many distinct non-null values expression takes on the rows where condition holds
        (an aggregate). DuckDB's count(distinct) keeps a hash table of every group's values
        beside the groups: at 100M order lines counting each customer's orders that way took
        91 CPU s and 8.3 GiB, where a list of each customer's values made distinct took 37 CPU
        s and 3.5 GiB for the whole model.
    -#}
    {{ return(adapter.dispatch('count_distinct_where', 'retail_churn')(expression, condition)) }}
{% endmacro %}

{% macro default__count_distinct_where(expression, condition) -%}
    count(distinct case when {{ condition }} then {{ expression }} end)
{%- endmacro %}

{% macro duckdb__count_distinct_where(expression, condition) -%}
    coalesce(length({{ duckdb__distinct_list(expression, condition) }}), 0)
{%- endmacro %}

{% macro distinct_list(expression, condition=none) %}
    {#-
        The distinct non-null values expression takes in each group, on the rows where condition
        holds (all rows without one), as one list (an aggregate; unnest_list makes rows of it
        again). On DuckDB a list made distinct: at 100M order lines a list of each customer's
        purchase months took 17 CPU s, where grouping the distinct customer-month pairs took 30.
        A group without such values has a null list or an empty one, which unnest to no rows.
    -#}
    {{ return(adapter.dispatch('distinct_list', 'retail_churn')(expression, condition)) }}
{% endmacro %}

{% macro default__distinct_list(expression, condition) -%}
    array_agg(distinct {{ expression }}) filter (
        where {{ expression }} is not null{% if condition %} and {{ condition }}{% endif %}
    )
{%- endmacro %}

{% macro duckdb__distinct_list(expression, condition) -%}
    list_distinct(list({{ expression }}){% if condition %} filter (where {{ condition }}){% endif %})
{%- endmacro %}

{% macro spark__distinct_list(expression, condition) -%}
    collect_set({% if condition %}case when {{ condition }} then {{ expression }} end{% else %}{{ expression }}{% endif %})
{%- endmacro %}

{% macro bit_of(position) %}
    {#-
        A bigint with only bit `position` set (0 = lowest; 0-62 stay positive), for sets of small
        whole numbers kept as one integer: bit_or() of such integers is the set of their
        positions, in a fixed eight bytes per group where a list grows with its values.
    -#}
    {{ return(adapter.dispatch('bit_of', 'retail_churn')(position)) }}
{% endmacro %}

{% macro default__bit_of(position) -%}
    (cast(1 as {{ dbt.type_bigint() }}) << ({{ position }}))
{%- endmacro %}

{% macro spark__bit_of(position) -%}
    shiftleft(cast(1 as bigint), {{ position }})
{%- endmacro %}

{% macro has_bit(bits, position) %}
    {#- 1 when bit `position` (a whole number written in the SQL) of the bigint bits is set, else 0; null bits give null. -#}
    {{ return(adapter.dispatch('has_bit', 'retail_churn')(bits, position)) }}
{% endmacro %}

{% macro default__has_bit(bits, position) -%}
    (({{ bits }} >> {{ position }}) & 1)
{%- endmacro %}

{% macro spark__has_bit(bits, position) -%}
    (shiftright({{ bits }}, {{ position }}) & 1)
{%- endmacro %}

{% macro unnest_list(list) %}
    {#-
        One row per element of a list made by distinct_list, written alone in a select list
        (Spark takes no generator inside an expression).
    -#}
    {{ return(adapter.dispatch('unnest_list', 'retail_churn')(list)) }}
{% endmacro %}

{% macro default__unnest_list(list) -%}
    unnest({{ list }})
{%- endmacro %}

{% macro spark__unnest_list(list) -%}
    explode({{ list }})
{%- endmacro %}

{% macro order_lines_materialization() %}
    {#-
        How base_orders is materialized. DuckDB reads the file itself in every query, so the
        order lines stay a view: each model that reads them scans the file, which costs less
        than writing a hundred million lines into the database (docs/scale.md). PostgreSQL and
        Spark load the file into one table, input_file, which the next read replaces: the
        lines are kept as a table, so nothing depends on it.
    -#}
    {{ return(adapter.dispatch('order_lines_materialization', 'retail_churn')()) }}
{% endmacro %}

{% macro default__order_lines_materialization() %}{{ return('table') }}{% endmacro %}

{% macro duckdb__order_lines_materialization() %}{{ return('view') }}{% endmacro %}

{% macro not_materialized() %}
    {#-
        Written between `as` and the body of a CTE over customer rows (`customers as
        {{ not_materialized() }} (...)`): the query reads the relation where the CTE is used.
        DuckDB and PostgreSQL otherwise copy a CTE used more than once, every column of every
        row, before the query starts: on ten million customers that copy cost more than the
        statistics computed from it. Other engines (Spark) have no such keyword.
    -#}
    {{ return(adapter.dispatch('not_materialized', 'retail_churn')()) }}
{% endmacro %}

{% macro default__not_materialized() %}{{ return('') }}{% endmacro %}

{% macro duckdb__not_materialized() %}{{ return('not materialized') }}{% endmacro %}

{% macro postgres__not_materialized() %}{{ return('not materialized') }}{% endmacro %}


{#-
    Dates in an order log, written in a strftime format (var `order_date_format`, default
    '%Y-%m-%d'): %Y (year 1000-9999), %m (month), %d (day), %H (hour 0-23), %M and %S
    (minutes, seconds 00-59) and literal characters; %% is a percent sign. %m, %d and %H may
    have one digit or two, unless another field follows or precedes without a separator, where
    they have two. staging first checks the text's shape with date_text_pattern(), the same on
    every engine; parse_date() then reads the day with the engine's own parser, whose pattern
    is translated from the strftime format.
-#}

{% macro strftime_tokens(format) %}
    {#-
        The format as a list of fields ({'field': 'Y'}) and literal characters ({'literal': '-'}),
        each field with `fixed` (two digits) when it touches another field. Stops the build on a
        directive or character this project does not read.
    -#}
    {%- set fields = ['Y', 'm', 'd', 'H', 'M', 'S'] -%}
    {%- set tokens = [] -%}
    {%- set state = namespace(escaped=false) -%}
    {%- for char in format -%}
        {%- if state.escaped -%}
            {%- if char == '%' -%}
                {%- do tokens.append({'literal': '%'}) -%}
            {%- elif char in fields -%}
                {%- do tokens.append({'field': char}) -%}
            {%- else -%}
                {{ exceptions.raise_compiler_error(
                    input_label() ~ ": order_date_format '" ~ format ~ "': %" ~ char ~ " is not supported. A date"
                    ~ " format is written with %Y, %m, %d, %H, %M, %S and literal characters,"
                    ~ " for example '%Y-%m-%d' or '%m/%d/%Y %H:%M'."
                ) }}
            {%- endif -%}
            {%- set state.escaped = false -%}
        {%- elif char == '%' -%}
            {%- set state.escaped = true -%}
        {%- elif char in "[]\\^'\"" -%}
            {{ exceptions.raise_compiler_error(
                input_label() ~ ": order_date_format '" ~ format ~ "': the character " ~ char ~ " is not supported"
                ~ " in a date format."
            ) }}
        {%- else -%}
            {%- do tokens.append({'literal': char}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for position in range(tokens | length) if tokens[position].field is defined -%}
        {%- set before = tokens[position - 1] if position > 0 else {} -%}
        {%- set after = tokens[position + 1] if position + 1 < tokens | length else {} -%}
        {%- do tokens[position].update({'fixed': before.field is defined or after.field is defined}) -%}
    {%- endfor -%}
    {%- set named = tokens | selectattr('field', 'defined') | map(attribute='field') | list -%}
    {%- if not ('Y' in named and 'm' in named and 'd' in named) -%}
        {{ exceptions.raise_compiler_error(
            input_label() ~ ": order_date_format '" ~ format ~ "' must have a year (%Y), a month (%m) and a day (%d)."
        ) }}
    {%- endif -%}
    {{ return(tokens) }}
{% endmacro %}

{% macro date_text_pattern(format) %}
    {#-
        A regular expression a date written in the strftime format matches as a whole: the year,
        month and day as the first three groups in the format's order (the only groups), each
        field within its range. The same on every engine.
    -#}
    {%- set patterns = {
        'Y': '([1-9][0-9]{3})',
        'm': '(0?[1-9]|1[0-2])',
        'd': '(0?[1-9]|[12][0-9]|3[01])',
        'H': '(?:[01]?[0-9]|2[0-3])',
        'M': '(?:[0-5][0-9])',
        'S': '(?:[0-5][0-9])',
    } -%}
    {%- set fixed = {'m': '(0[1-9]|1[0-2])', 'd': '(0[1-9]|[12][0-9]|3[01])', 'H': '(?:[01][0-9]|2[0-3])'} -%}
    {%- set parts = [] -%}
    {%- for token in strftime_tokens(format) -%}
        {%- if token.field is defined -%}
            {%- do parts.append(fixed[token.field] if token.fixed and token.field in fixed else patterns[token.field]) -%}
        {%- elif token.literal.isalnum() or token.literal in ' -:,_' -%}
            {%- do parts.append(token.literal) -%}
        {%- else -%}
            {%- do parts.append('[' ~ token.literal ~ ']') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(parts | join('')) }}
{% endmacro %}

{% macro parse_date(text, format) %}
    {#-
        The day a text written in the strftime format names (a date: a time of day is dropped),
        or null. Call it on text that matches date_text_pattern(format): the engines' parsers
        then agree.
    -#}
    {{ return(adapter.dispatch('parse_date', 'retail_churn')(text, format)) }}
{% endmacro %}

{% macro default__parse_date(text, format) %}
    {{ exceptions.raise_compiler_error("parse_date: no date parser for the " ~ adapter.type() ~ " adapter.") }}
{% endmacro %}

{% macro duckdb__parse_date(text, format) -%}
    {#- DuckDB reads strftime formats itself; an impossible day (1997-02-30) is null. -#}
    cast(try_strptime({{ text }}, {{ sql_string(format) }}) as date)
{%- endmacro %}

{% macro spark__parse_date(text, format) -%}
    {#-
        Java's pattern letters; a literal letter is quoted. With ANSI mode off (dbt-spark) an
        impossible day is null.
    -#}
    {%- set pattern = native_date_format(
        format,
        {'Y': 'yyyy', 'm': 'M', 'd': 'd', 'H': 'H', 'M': 'mm', 'S': 'ss'},
        {'m': 'MM', 'd': 'dd', 'H': 'HH'},
        "'",
        '{}#',
    ) -%}
    to_date({{ text }}, "{{ pattern }}")
{%- endmacro %}

{% macro postgres__parse_date(text, format) -%}
    {#-
        PostgreSQL's to_timestamp raises on an impossible day (1997-02-30) instead of giving
        null, so the day is checked against its month's length first: the month's first day plus
        a month, less a day, is its last. Year, month and day are the first three groups of
        date_text_pattern, in the format's order.
    -#}
    {%- set pattern = native_date_format(
        format, {'Y': 'YYYY', 'm': 'MM', 'd': 'DD', 'H': 'HH24', 'M': 'MI', 'S': 'SS'}, {}, '"', ''
    ) -%}
    {%- set groups = {} -%}
    {%- for token in strftime_tokens(format) if token.field in ['Y', 'm', 'd'] -%}
        {%- do groups.update({token.field: loop.index}) -%}
    {%- endfor -%}
    {%- set match = "regexp_match(" ~ text ~ ", " ~ sql_string('^' ~ date_text_pattern(format) ~ '$') ~ ")" -%}
    case
        when cast(({{ match }})[{{ groups.d }}] as integer) <= extract(day from
            make_date(cast(({{ match }})[{{ groups.Y }}] as integer), cast(({{ match }})[{{ groups.m }}] as integer), 1)
            + interval '1 month' - interval '1 day'
        )
            then cast(to_timestamp({{ text }}, {{ sql_string(pattern) }}) as date)
    end
{%- endmacro %}

{% macro native_date_format(format, letters, fixed_letters, quote, quoted_symbols) %}
    {#-
        A strftime format in an engine's own pattern syntax: each field by its letters (or by
        fixed_letters where it touches another field), literal letters and quoted_symbols between
        quote characters, other characters as they are.
    -#}
    {%- set parts = [] -%}
    {%- for token in strftime_tokens(format) -%}
        {%- if token.field is defined -%}
            {%- do parts.append(fixed_letters[token.field] if token.fixed and token.field in fixed_letters else letters[token.field]) -%}
        {%- elif token.literal.isalpha() or token.literal in quoted_symbols -%}
            {%- do parts.append(quote ~ token.literal ~ quote) -%}
        {%- else -%}
            {%- do parts.append(token.literal) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(parts | join('')) }}
{% endmacro %}


{% macro add_days(date, days) %}
    {#- The date `days` days after date (before, for a negative number): a date. -#}
    {{ return(adapter.dispatch('add_days', 'retail_churn')(date, days)) }}
{% endmacro %}

{% macro default__add_days(date, days) -%}
    ({{ date }} + {{ days }})
{%- endmacro %}

{% macro spark__add_days(date, days) -%}
    date_add({{ date }}, {{ days }})
{%- endmacro %}

{% macro days_between(start_date, end_date) %}
    {#- Whole days from start_date to end_date (negative when end_date is earlier): an integer. -#}
    {{ return(adapter.dispatch('days_between', 'retail_churn')(start_date, end_date)) }}
{% endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    cast({{ end_date }} - {{ start_date }} as {{ dbt.type_int() }})
{%- endmacro %}

{% macro spark__days_between(start_date, end_date) -%}
    datediff({{ end_date }}, {{ start_date }})
{%- endmacro %}

{% macro month_start(date) %}
    {#- The first day of the date's month: a date. -#}
    {{ return(adapter.dispatch('month_start', 'retail_churn')(date)) }}
{% endmacro %}

{% macro default__month_start(date) -%}
    cast(date_trunc('month', {{ date }}) as date)
{%- endmacro %}

{% macro spark__month_start(date) -%}
    trunc({{ date }}, 'MM')
{%- endmacro %}

{% macro month_number(date) %}
    {#-
        The date's calendar month as one integer (year * 12 + month), so the months between two
        dates are a subtraction: an integer. extract() is the same on every engine.
    -#}
    cast(extract(year from {{ date }}) * 12 + extract(month from {{ date }}) as {{ dbt.type_int() }})
{%- endmacro %}


{% macro distribution_statistics(relation, measures, dimensions) %}
    {#-
        A query (a CTE body) with one row per measure and segment of `relation` (customers):
        metric, dimension ('overall' and each of `dimensions`), segment, segment_order, n, mean,
        stddev, min, q1, median, q3, max, mode, m2, m3, m4. Both implementations are exact and
        engine-free; each engine takes the fastest that stays within bounded memory. Spark:
        counted values for every measure, since its percentile gathers every value of a segment
        into one buffer and ran out of memory at a million customers. DuckDB and PostgreSQL:
        counted values for whole-number measures (few distinct values: 8x less CPU than
        sorting them at 1M customers), their ordered-set quantile aggregates, which sort and
        spill within memory, for the others (money: a count per value costs 7x the sort).
    -#}
    {{ return(adapter.dispatch('distribution_statistics', 'retail_churn')(relation, measures, dimensions)) }}
{% endmacro %}

{% macro default__distribution_statistics(relation, measures, dimensions) %}
    {%- set counted = measures | select('in', whole_number_measures()) | list -%}
    {%- set ordered = measures | reject('in', counted) | list -%}
    {%- set parts = [] -%}
    {%- if counted -%}
        {%- do parts.append(counted_distribution_statistics(relation, counted, dimensions)) -%}
    {%- endif -%}
    {%- if ordered -%}
        {%- do parts.append(ordered_distribution_statistics(relation, ordered, dimensions)) -%}
    {%- endif -%}
    {%- set queries = [] -%}
    {%- for part in parts -%}
        {%- do queries.append('select * from (' ~ part ~ ') as statistics_' ~ loop.index) -%}
    {%- endfor -%}
    {{ return(queries | join('\nunion all\n')) }}
{% endmacro %}

{% macro spark__distribution_statistics(relation, measures, dimensions) %}
    {{ return(counted_distribution_statistics(relation, measures, dimensions)) }}
{% endmacro %}


{#-
    dbt's own `unique` test, as strict and cheaper on DuckDB. dbt's test groups every value to
    find the repeated ones: over ten million customer ids that took 1.1-1.7 s a test, five tests
    on one chain of models. On an integer column whose values span at most 2^27 numbers, one
    bitmap of the values (bitstring_agg) says in 0.1-0.2 s whether any value repeats; only when
    one does are the values grouped, and the test returns the same rows as dbt's. Any other
    column (text, a wider range, no rows) takes dbt's test. dbt looks for `duckdb__test_unique`
    in the project before its own macro.
-#}
{% macro duckdb__test_unique(model, column_name) %}
    {%- set bounds = integer_column_bounds(model, column_name) if execute else none -%}
    {%- if bounds is none or bounds[1] - bounds[0] >= 2 ** 27 -%}
        {{ return(dbt.default__test_unique(model, column_name)) }}
    {%- endif %}
    with

    tested_values as (
        select {{ column_name }} as unique_field
        from {{ model }}
        where {{ column_name }} is not null
    ),

    repeats as (
        select bit_count(bitstring_agg(unique_field, {{ bounds[0] }}, {{ bounds[1] }})) < count(*) as found
        from tested_values
    )

    select
        unique_field,
        count(*) as n_records
    from tested_values
    where (select found from repeats)
    group by unique_field
    having count(*) > 1
{% endmacro %}

{% macro integer_column_bounds(relation, column_name) %}
    {#- [least, greatest] of an integer column with values, else none (DuckDB). -#}
    {%- set columns = adapter.get_columns_in_relation(relation) -%}
    {%- set matching = columns | selectattr('name', 'equalto', column_name) | list -%}
    {%- if not matching or not matching[0].is_integer() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set found = run_query(
        'select min(' ~ column_name ~ '), max(' ~ column_name ~ ') from ' ~ relation
    ).rows[0] -%}
    {{ return(none if found[0] is none else [found[0] | int, found[1] | int]) }}
{% endmacro %}
