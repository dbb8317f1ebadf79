{#-
    SQL generated from a data contract: how a raw text value is parsed, and which rules a value
    breaks. A contract maps each staged column to its rule (source column, type, accepted values
    or range). The customer contract is the var `customer_contract` in dbt_project.yml
    (base_customers); the order log's is built by order_contract() (base_orders). Nothing else
    restates a rule.
-#}

{% macro contract_raw_column(rule) %}
    {#- Name of the column holding a contract column's raw text: the rule's `raw`, else raw_ and the source name. -#}
    {{- return(rule.raw if rule.raw is defined else 'raw_' ~ rule.source | lower) -}}
{%- endmacro %}

{% macro contract_accepts_kind(rule, kind) %}
    {#-
        Whether a raw value the reader already typed as `kind` (integer, double, boolean, date;
        none for text) can be taken as it is: its own type, or an integer for a number or for
        text (an id: staging prints it, as the text path would, never blank). Anything else goes
        through the text rules (a double 62.0 is not an integer, as the text '62.0' is not).
    -#}
    {{- return(kind is not none and (
        kind == rule.type or (rule.type in ['double', 'text'] and kind == 'integer')
    )) -}}
{%- endmacro %}

{% macro contract_raw_text(rule, typed_columns=[]) %}
    {#-
        The raw value as text, for a reject reason or the rejected row: a value the reader typed
        (its raw column is in typed_columns, from raw_customers) is printed.
    -#}
    {%- set raw = contract_raw_column(rule) -%}
    {%- if raw not in typed_columns -%}
        {{- return(raw) -}}
    {%- endif -%}
    {{- return(double_as_text(raw) if rule.type == 'double' else 'cast(' ~ raw ~ ' as ' ~ dbt.type_string() ~ ')') -}}
{%- endmacro %}

{% macro contract_parsed_value(rule, typed_columns=[]) %}
    {#-
        The value of a contract column parsed from its raw text, or null when the text is not a
        value of the column's type. Surrounding spaces never matter. Integers are digits with an
        optional sign: '62.0', '62.5', '1e2' or '1_000' are not integers, so nothing is rounded.
        Numbers are digits with an optional sign, decimal point and exponent ('nan' and 'inf' are
        not numbers). Categories and booleans match their spellings ignoring case. Ranges are
        checked by contract_checks, not here. Text is trimmed, and blank is null. A date must
        match the rule's strftime `format` (date_text_pattern) and be a real day. A raw value the
        reader typed (in typed_columns) is taken as it is, except an integer too large for bigint
        and a double that is NaN or infinite (x - x is 0 for every finite x), which are null as
        their text would be; a typed timestamp becomes its day.
    -#}
    {%- set raw = contract_raw_column(rule) -%}
    {%- set typed = raw in typed_columns -%}
    {%- set text = 'trim(' ~ raw ~ ')' -%}
    {%- if typed and rule.type == 'integer' -%}
        {{ dbt.safe_cast(raw, 'bigint') }}
    {%- elif typed and rule.type == 'date' -%}
        cast({{ raw }} as date)
    {%- elif typed and rule.type == 'double' -%}
        case when {{ raw }} - {{ raw }} = 0 then cast({{ raw }} as {{ type_double() }}) end
    {%- elif typed -%}
        {{ raw }}
    {%- elif rule.type == 'integer' -%}
        case
            when {{ regex_full_match(text, integer_text_pattern()) }}
                then {{ dbt.safe_cast(text, 'bigint') }}
        end
    {%- elif rule.type == 'double' -%}
        case
            when {{ regex_full_match(text, number_text_pattern()) }}
                then {{ dbt.safe_cast(text, type_double()) }}
        end
    {%- elif rule.type == 'category' -%}
        case lower({{ text }})
            {%- for value in rule['values'] %}
            when '{{ value | lower }}' then '{{ value }}'
            {%- endfor %}
        end
    {%- elif rule.type == 'text' -%}
        nullif({{ text }}, '')
    {%- elif rule.type == 'date' -%}
        case
            when {{ regex_full_match(text, date_text_pattern(rule.format)) }}
                then {{ parse_date(text, rule.format) }}
        end
    {%- elif rule.type == 'boolean' -%}
        {%- set spellings = var('boolean_spellings') -%}
        case
            when lower({{ text }}) in ('{{ spellings["true"] | join("', '") }}') then true
            when lower({{ text }}) in ('{{ spellings["false"] | join("', '") }}') then false
        end
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "data contract: " ~ rule.source ~ " has type '" ~ rule.type
            ~ "'; the types are integer, double, category, boolean, text and date."
        ) }}
    {%- endif -%}
{%- endmacro %}

{% macro integer_text_pattern() %}
    {#- An integer as text: digits with an optional sign (a regular expression). -#}
    {{- return('[+-]?[0-9]+') -}}
{%- endmacro %}

{% macro number_text_pattern() %}
    {#-
        A number as text: digits with an optional sign, decimal point and exponent (a regular
        expression; no 'nan', 'inf', hexadecimal or digit separators).
    -#}
    {{- return('[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?') -}}
{%- endmacro %}

{% macro contract_checks(column, rule, typed_columns=[]) %}
    {#-
        The rules a value of one contract column can break, in the order they are checked: each
        with its SQL condition (on the raw value and the parsed `column`), the rule as words, and
        the SQL of the offending value that a reject reason quotes. A rule's `blank_rule` replaces
        the words for a blank value (an order line without a customer id is 'no customer id').
    -#}
    {%- set raw = contract_raw_column(rule) -%}
    {%- set typed = raw in typed_columns -%}
    {%- set raw_text = contract_raw_text(rule, typed_columns) -%}
    {%- set name = rule.source | lower -%}
    {%- set type_rules = {
        'integer': name ~ ' not an integer',
        'double': name ~ ' not a number',
        'category': 'unknown ' ~ name,
        'boolean': name ~ ' not a boolean',
        'date': name ~ ' not a date in format ' ~ rule.format,
    } -%}
    {%- set checks = [
        {
            'condition': raw ~ ' is null' if typed else raw ~ " is null or trim(" ~ raw ~ ") = ''",
            'rule': rule.blank_rule if rule.blank_rule is defined else name ~ ' is blank',
            'value': none,
        },
    ] -%}
    {#- Text has no type to break: blank is its only rule. -#}
    {%- if rule.type in type_rules -%}
        {%- do checks.append({
            'condition': column ~ ' is null',
            'rule': type_rules[rule.type],
            'value': "'''' || " ~ raw_text ~ " || ''''",
        }) -%}
    {%- endif -%}
    {%- if rule.min is defined -%}
        {%- do checks.append({
            'condition': column ~ ' < ' ~ rule.min ~ ' or ' ~ column ~ ' > ' ~ rule.max,
            'rule': name ~ ' out of range ' ~ rule.min ~ '-' ~ rule.max,
            'value': 'trim(' ~ raw_text ~ ')',
        }) -%}
    {%- endif -%}
    {{- return(checks) -}}
{%- endmacro %}

{% macro contract_problems(with_values, typed_columns=[], other_problems=[], contract=none) %}
    {#-
        Every contract rule the row breaks, joined by '; ' (null when it breaks none): as words
        ('age not an integer') or, with_values, quoting the value ('age not an integer: 'sixty'').
        One rule per column at most: the first broken one (a blank value is not also reported as
        not a number). typed_columns: the raw columns the reader typed (raw_customers).
        other_problems: SQL of further problems (null when none), listed after the rules.
        contract: the staged column -> rule mapping (default: var `customer_contract`).
    -#}
    nullif(concat_ws(
        '; '
        {%- for column, rule in (contract or var('customer_contract')).items() %},
        case
            {%- for check in contract_checks(column, rule, typed_columns) %}
            when {{ check.condition }} then '{{ check.rule }}'
                {%- if with_values and check.value %} || ': ' || {{ check.value }}{% endif %}
            {%- endfor %}
        end
        {%- endfor %}
        {%- for problem in other_problems %},
        {{ problem }}
        {%- endfor %}
    ), '')
{%- endmacro %}

{% macro contract_breaks_a_rule(contract=none) %}
    {#-
        True when the row breaks any contract rule, from the parsed values alone: a blank or
        unparsable value parses to null, so the cheap null and range tests cover every rule.
        base_customers spells out the reasons (contract_problems) for those rows only.
        contract: as in contract_problems.
    -#}
    (
        {%- for column, rule in (contract or var('customer_contract')).items() %}
        {{ 'or ' if not loop.first }}{{ column }} is null
            {%- if rule.min is defined %} or {{ column }} < {{ rule.min }} or {{ column }} > {{ rule.max }}{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{% macro contract_staged_type(rule) %}
    {#- The column type staging gives a contract column. -#}
    {{- return({
        'integer': dbt.type_int(),
        'double': type_double(),
        'category': dbt.type_string(),
        'boolean': dbt.type_boolean(),
        'text': dbt.type_string(),
        'date': 'date',
    }[rule.type]) -}}
{%- endmacro %}
