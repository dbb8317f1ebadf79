{% macro parse_boolean(column) %}
    {#- Spellings with one meaning only: TRUE/FALSE in any case, 1/0, yes/no, t/f, y/n. -#}
    case
        when lower(trim(cast({{ column }} as {{ dbt.type_string() }}))) in ('true', 't', '1', 'yes', 'y') then true
        when lower(trim(cast({{ column }} as {{ dbt.type_string() }}))) in ('false', 'f', '0', 'no', 'n') then false
    end
{%- endmacro %}
