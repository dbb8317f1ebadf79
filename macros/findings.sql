{% macro format_p_value(p_value) -%}
    {#-
        A p-value as a reader expects it in a sentence: 'p < 0.001', 'p = 0.006' (three decimals
        below 0.01), 'p = 0.58'; null when the p-value is null.
    -#}
    case
        when {{ p_value }} < 0.001 then 'p < 0.001'
        when {{ p_value }} < 0.01 then 'p = ' || {{ format_decimal(p_value, 3) }}
        when {{ p_value }} is not null then 'p = ' || {{ format_decimal(p_value, 2) }}
    end
{%- endmacro %}

{% macro proportion_claim(relation, claim) -%}
    {#-
        The scorecard row of a seed claim about one proportion (Q4, Q6, Q7): `relation` holds the
        question's estimate, ci_low, ci_high, p_value and opposite_p_value (the test of the
        opposite direction); `claim` states the rest once: its question_id, statistical_test,
        claim, supported and refuted (conditions on those columns, GQM.md "Verdicts") and
        finding, a sentence in which {estimate}, {ci_low} and {ci_high} stand for the
        percentages with one decimal, {p_value} for 'p = 0.17' and {verdict} for 'holds', 'is
        refuted' or 'is not supported'.
    -#}
    {%- set verdict = claim_verdict(claim.supported, claim.refuted) -%}
    {%- set fields = {
        'estimate': format_decimal('100 * estimate', 1),
        'ci_low': format_decimal('100 * ci_low', 1),
        'ci_high': format_decimal('100 * ci_high', 1),
        'p_value': format_p_value('p_value'),
        'verdict': claim_verdict_words(verdict),
    } -%}
    {#- The sentence alternates text and field names: text, name, text, name, ..., text. -#}
    {%- set pieces = modules.re.split('\{(\w+)\}', claim.finding) -%}
    {%- set sentence = [] -%}
    {%- for piece in pieces -%}
        {%- if loop.index is even -%}
            {%- do sentence.append(fields[piece]) -%}
        {%- elif piece -%}
            {%- do sentence.append("'" ~ piece | replace("'", "''") ~ "'") -%}
        {%- endif -%}
    {%- endfor %}
    select
        question_id,
        estimate,
        ci_low,
        ci_high,
        p_value,
        '{{ claim.statistical_test }}' as statistical_test,
        '{{ claim.claim }}' as claim,
        true as is_seed_claim,
        {{ verdict }} as verdict,
        {{ sentence | join(' || ') }} as finding
    from {{ relation }}
    where question_id = '{{ claim.question_id }}'
{%- endmacro %}
