{#-
    dbt's safe_cast (null where the cast fails) where the engine's own is a plain cast, for the
    casts staging makes: text to an integer type or to a double. Staging rejects a row whose value
    casts to null, with a reason. On Spark dbt's is already safe: dbt-spark turns ANSI mode off,
    and a cast then gives null.
-#}

{% macro duckdb__safe_cast(field, type) %}
    {#- dbt's safe_cast is a plain cast on DuckDB, which fails the whole query on one bad value. -#}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro postgres__safe_cast(field, type) %}
    {#-
        PostgreSQL has no try_cast, and its cast stops the query on text that is not a number or
        lies beyond the type's range. So the text must look like a number first (the regular
        expressions of customer_contract.sql), then its size decides. Beyond the range DuckDB's
        try_cast is copied: an integer is null, a double is infinite or 0 as it rounds
        (`1e400`, `1e-400`). Only one thing differs: a number written with more than 6,000
        characters is null here, keeping every value within what PostgreSQL's numeric can hold.
        Nested cases: PostgreSQL evaluates a case's branches in order, an `and` in any order.
        Other types get dbt's plain cast.
    -#}
    {%- set text = 'btrim(cast(' ~ field ~ ' as text))' -%}
    {%- set integer_bits = {'smallint': 15, 'int2': 15, 'integer': 31, 'int': 31, 'int4': 31, 'bigint': 63, 'int8': 63} -%}
    {%- set kind = type | lower | trim -%}
    {%- if kind in integer_bits -%}
        {%- set bound = 2 ** integer_bits[kind] -%}
        case when {{ regex_full_match(text, integer_text_pattern()) }} then
            case when length(ltrim({{ text }}, '+-0')) <= 19 then
                case
                    when cast({{ text }} as numeric) between -{{ bound }} and {{ bound - 1 }}
                        then cast({{ text }} as {{ type }})
                end
            end
        end
    {%- elif kind in ['double precision', 'float8', 'double'] -%}
        {#-
            Rounding to a double: at or above 2^1024 - 2^970 gives infinity, at or below 2^-1075
            gives 0, where PostgreSQL's cast raises instead. With an exponent of at most four
            digits and at most 6,000 characters, the value fits PostgreSQL's numeric; with a
            longer exponent, it is surely infinite or 0.
        -#}
        {%- set overflow = 2 ** 1024 - 2 ** 970 -%}
        {%- set underflow_digits = (5 ** 1075) | string -%}
        {%- set underflow = '0.' ~ '0' * (1075 - underflow_digits | length) ~ underflow_digits -%}
        {%- set infinity = "case when left(" ~ text ~ ", 1) = '-' then cast('-Infinity' as double precision) else cast('Infinity' as double precision) end" -%}
        {%- set exponent_digits = "length(substring(" ~ text ~ " from '[eE][+-]?0*([0-9]*)$'))" -%}
        case when {{ regex_full_match(text, number_text_pattern()) }} and length({{ text }}) <= 6000 then
            case
                when {{ regex_full_match(text, '[+-]?[0.]*([eE].*)?') }} then cast(0 as double precision)
                when {{ exponent_digits }} > 4 and {{ text }} ~ '[eE]-' then cast(0 as double precision)
                when {{ exponent_digits }} > 4 then {{ infinity }}
                when abs(cast({{ text }} as numeric)) >= {{ overflow }} then {{ infinity }}
                when abs(cast({{ text }} as numeric)) <= {{ underflow }} then cast(0 as double precision)
                else cast({{ text }} as double precision)
            end
        end
    {%- else -%}
        {#- As dbt's own (unit-test fixtures cast their literals with safe_cast). -#}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}
