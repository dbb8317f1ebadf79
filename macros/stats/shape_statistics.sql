{% macro shape_statistics(n, m2, m3, m4) -%}
    {#-
        Two columns, `skewness` and `excess_kurtosis`, from the central moments
        m_k = mean((x - mean)^k): the sample-adjusted G1 and G2 (scipy bias=False, DuckDB's
        skewness/kurtosis). Null when undefined (n < 3, n < 4, or a constant column).
    -#}
    case
        when {{ n }} > 2 and {{ m2 }} > 0
            then sqrt(cast({{ n }} as {{ type_double() }}) * ({{ n }} - 1)) / ({{ n }} - 2)
            * {{ m3 }} / power({{ m2 }}, 1.5)
    end as skewness,
    case
        when {{ n }} > 3 and {{ m2 }} > 0
            then cast({{ n }} - 1 as {{ type_double() }}) / (({{ n }} - 2) * ({{ n }} - 3))
            * (({{ n }} + 1) * {{ m4 }} / ({{ m2 }} * {{ m2 }}) - 3 * ({{ n }} - 1))
    end as excess_kurtosis
{%- endmacro %}
