{% macro engagement_segments() %}
    {#-
        The named engagement segments, most engaged first, each a rule over the RFM scores
        (recency_score, frequency_score, monetary_score, 1-5, 5 best). The one definition:
        int_customer_engagement_scores applies it, segment_dimensions() sorts by it, and the
        `engagement_segment` docs block describes it. Rules are tried in this order and the
        first match names the customer; the segment without a rule ('needs attention') takes
        everyone no rule names. The rules after it never overlap the ones before it (recency
        at most 2 against at least 3), so its place in the list only sets the sort order.
    -#}
    {{ return([
        {
            'name': 'champions',
            'rule': 'recency_score >= 4 and frequency_score >= 4 and monetary_score >= 4',
        },
        {
            'name': 'loyal',
            'rule': 'recency_score >= 3 and frequency_score >= 4 and monetary_score >= 3',
        },
        {'name': 'recent but infrequent', 'rule': 'recency_score >= 4 and frequency_score <= 2'},
        {'name': 'needs attention', 'rule': none},
        {'name': 'at risk', 'rule': 'recency_score <= 2 and frequency_score >= 3'},
        {'name': 'hibernating', 'rule': 'recency_score <= 2 and frequency_score <= 2'},
    ]) }}
{% endmacro %}


{% macro engagement_segment() -%}
    {#- The engagement segment of a row holding recency_score, frequency_score and monetary_score. -#}
    case
        {%- for segment in engagement_segments() if segment['rule'] %}
        when {{ segment['rule'] }} then '{{ segment["name"] }}'
        {%- endfor %}
        {%- for segment in engagement_segments() if not segment['rule'] %}
        when recency_score is not null and frequency_score is not null and monetary_score is not null
            then '{{ segment["name"] }}'
        {%- endfor %}
    end
{%- endmacro %}


{% macro engagement_segment_order(column) -%}
    {#- Position (1 = most engaged) of an engagement segment name, so segments sort by meaning. -#}
    case {{ column }}
        {%- for segment in engagement_segments() %}
        when '{{ segment["name"] }}' then {{ loop.index }}
        {%- endfor %}
    end
{%- endmacro %}
