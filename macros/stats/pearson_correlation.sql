{% macro pearson_correlation(x, y) -%}
    {#-
        Pearson's r of the pairs where both x and y are present (an aggregate); null instead of
        NaN when either side is constant or fewer than two pairs exist, on every engine. Of
        average ranks (average_rank) it is Spearman's rho.
    -#}
    case
        when regr_sxx({{ y }}, {{ x }}) > 0 and regr_syy({{ y }}, {{ x }}) > 0
            then corr({{ y }}, {{ x }})
    end
{%- endmacro %}
