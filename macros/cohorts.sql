{% macro recent_months_as_bits() %}
    {#-
        cohort_retention keeps the snapshot's month and this many months before it as the bits
        of one bigint per customer (bit_of: 0-62 stay positive), and any earlier month in a list.
        Order logs seldom span more than five years, so nearly every month is a bit. A unit test
        overrides it to cover both parts with a few months.
    -#}
    {{ return(62) }}
{% endmacro %}
