{% macro mean_equivalence_p_value(relation, keys, n, mean, stddev, reference_mean, margin) -%}
    {#-
        A query returning `keys` and `p_value`: the p-value of TOST, the two one-sided t-tests
        that a group's mean lies within reference_mean -/+ margin (statsmodels
        DescrStatsW(x).ttost_mean(reference_mean - margin, reference_mean + margin); scipy:
        the larger of ttest_1samp(x, reference_mean - margin, alternative='greater') and
        ttest_1samp(x, reference_mean + margin, alternative='less')). Each test is Student's t
        of the group's n values with n - 1 degrees of freedom, t = (mean - bound) / (stddev /
        sqrt(n)), the reference mean taken as given; the result is the larger one-sided
        p-value, so p < alpha means both reject and the mean is equivalent at alpha. `relation`
        holds one row per key with the group's n, mean and sample standard deviation (n - 1 in
        the denominator). Null when n < 2, the standard deviation is 0 or null, or an input is
        null.
    -#}
    {%- set double = type_double() -%}
    {%- set standard_error = '(' ~ stddev ~ ' / sqrt(cast(' ~ n ~ ' as ' ~ double ~ ')))' -%}
    with mean_equivalence_sides as (
        {% for side, distance in [
            ('lower', '(' ~ mean ~ ') - ((' ~ reference_mean ~ ') - (' ~ margin ~ '))'),
            ('upper', '((' ~ reference_mean ~ ') + (' ~ margin ~ ')) - (' ~ mean ~ ')'),
        ] %}
            select
                {% for key in keys %}{{ key }},{% endfor %}
                '{{ side }}' as equivalence_side,
                {{ n }} - 1 as degrees_of_freedom,
                -- both sides as 'greater': the mean above the lower bound, the upper bound above the mean
                case
                    when {{ n }} > 1 and {{ stddev }} > 0 then ({{ distance }}) / {{ standard_error }}
                end as t_statistic
            from {{ relation }}
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
    ),

    mean_equivalence_tests as (
        {{ t_test_p_value(
            'mean_equivalence_sides', keys + ['equivalence_side'], 'degrees_of_freedom',
            t_statistic='t_statistic', alternative='greater'
        ) }}
    )

    select
        {{ keys | join(', ') }},
        -- max() skips a null side, hence the count: both sides or no p-value
        case when count(p_value) = 2 then max(p_value) end as p_value
    from mean_equivalence_tests
    group by {{ keys | join(', ') }}
{%- endmacro %}
