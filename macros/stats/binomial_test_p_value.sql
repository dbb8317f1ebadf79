{% macro binomial_test_p_value(relation, keys, successes, trials, null_proportion, alternative) -%}
    {#-
        A query returning `keys` and `p_value`: the exact binomial test of `successes` out of
        `trials` against `null_proportion` (scipy.stats.binomtest), from the one incomplete beta
        macro:
          greater    P(X >= k) = I_p0(k, n - k + 1)
          less       P(X <= k) = I_(1 - p0)(n - k, k + 1)
          two-sided  only for p0 = 0.5, where the distribution is symmetric and scipy's
                     two-sided p is min(1, 2 P(X >= max(k, n - k))).
        Null when trials is 0.
    -#}
    {%- set k = '(' ~ successes ~ ')' -%}
    {%- set n = '(' ~ trials ~ ')' -%}
    {%- set multiplier = 1 -%}
    {%- if alternative == 'greater' -%}
        {%- set a, b, x = k, n ~ ' - ' ~ k ~ ' + 1', null_proportion -%}
    {%- elif alternative == 'less' -%}
        {%- set a, b, x = n ~ ' - ' ~ k, k ~ ' + 1', '1 - ' ~ null_proportion -%}
    {%- elif alternative == 'two-sided' and null_proportion | float == 0.5 -%}
        {%- set larger = 'greatest(' ~ k ~ ', ' ~ n ~ ' - ' ~ k ~ ')' -%}
        {%- set a, b, x = larger, n ~ ' - ' ~ larger ~ ' + 1', null_proportion -%}
        {%- set multiplier = 2 -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "binomial_test_p_value: alternative must be 'greater', 'less', or 'two-sided' with "
            ~ "null_proportion 0.5; got " ~ alternative ~ " with " ~ null_proportion
        ) }}
    {%- endif -%}
    with binomial_tails as (
        {{ regularized_incomplete_beta(
            relation, keys, a=a, b=b, x='case when ' ~ n ~ ' > 0 then ' ~ x ~ ' end'
        ) }}
    )

    select
        {{ keys | join(', ') }},
        {% if multiplier == 1 -%}
            value
        {%- else -%}
            -- least() would turn a null into 1
            case when value is not null then least(1, {{ multiplier }} * value) end
        {%- endif %} as p_value
    from binomial_tails
{%- endmacro %}
