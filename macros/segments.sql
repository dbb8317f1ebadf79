{% macro segment_dimensions(present_only=true) %}
    {#-
        Every dimension a mart can break customers down by: the expression that labels a
        customer's segment, the one that sorts segments by meaning (bands by value), so all
        segment marts and charts agree on labels and order, and the columns it is made from.
        present_only (the default): only the dimensions whose columns this build's input has
        (input_columns()), so a segment mart never shows a segment of nulls ("not opted in" for
        an order log that says nothing about email).
    -#}
    {%- set bands = banded_columns() -%}
    {%- set dimensions = {
        'gender': {
            'segment': 'gender',
            'order': "case gender when 'Female' then 1 when 'Male' then 2 else 3 end",
            'columns': ['gender'],
        },
        'age_band': {'segment': 'age_band', 'order': band_order('age_band', 'age'), 'columns': ['age']},
        'income_band': {
            'segment': 'income_band',
            'order': band_order('income_band', 'annual_income_k_usd'),
            'columns': ['annual_income_k_usd'],
        },
        'tenure_band': {
            'segment': 'tenure_band',
            'order': band_order('tenure_band', bands['tenure_band']),
            'columns': [bands['tenure_band']],
        },
        'spend_band': {
            'segment': 'spend_band',
            'order': band_order('spend_band', 'total_spend'),
            'columns': ['total_spend'],
        },
        'satisfaction_score': {
            'segment': 'cast(satisfaction_score as ' ~ dbt.type_string() ~ ')',
            'order': 'satisfaction_score',
            'columns': ['satisfaction_score'],
        },
        'support_contacts_band': {
            'segment': 'support_contacts_band',
            'order': band_order('support_contacts_band', 'num_support_contacts'),
            'columns': ['num_support_contacts'],
        },
        'promotion_response': {
            'segment': 'promotion_response',
            'order': "case promotion_response when 'Responded' then 1 when 'Ignored' then 2 else 3 end",
            'columns': ['promotion_response'],
        },
        'is_email_opted_in': {
            'segment': "case when is_email_opted_in then 'opted in' else 'not opted in' end",
            'order': 'case when is_email_opted_in then 1 else 2 end',
            'columns': ['is_email_opted_in'],
        },
        'engagement_segment': {
            'segment': 'engagement_segment',
            'order': engagement_segment_order('engagement_segment'),
            'columns': ['last_purchase_days_ago', 'num_purchases', 'total_spend'],
        },
    } -%}
    {%- if not present_only -%}
        {{ return(dimensions) }}
    {%- endif -%}
    {%- set present = {} -%}
    {%- for name, dimension in dimensions.items() -%}
        {%- if dimension['columns'] | reject('in', input_columns()) | list | length == 0 -%}
            {%- do present.update({name: dimension}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(present) }}
{% endmacro %}


{% macro unpivot_segments(relation, dimensions, carry) %}
    {#-
        One row per customer and dimension: `dimension`, `segment`, `segment_order` and the
        `carry` columns, with dimension 'overall' (segment 'all', order 0) for everyone first.
        Dimensions are keys of segment_dimensions(present_only=false).
    -#}
    {%- set known = segment_dimensions(present_only=false) -%}
    select
        'overall' as dimension,
        'all' as segment,
        0 as segment_order,
        {{ carry | join(', ') }}
    from {{ relation }}
    {%- for dimension in dimensions %}
    {%- if dimension not in known %}
        {{ exceptions.raise_compiler_error(
            "unpivot_segments: unknown dimension '" ~ dimension ~ "'; known: " ~ (known.keys() | list | join(', '))
        ) }}
    {%- endif %}
    union all
    select
        '{{ dimension }}' as dimension,
        {{ known[dimension]['segment'] }} as segment,
        {{ known[dimension]['order'] }} as segment_order,
        {{ carry | join(', ') }}
    from {{ relation }}
    {%- endfor %}
{% endmacro %}


{% macro segment_of(dimension) %}
    {#-
        {'segment': label expression, 'order': sort expression} of a dimension: a key of
        segment_dimensions(present_only=false), or 'overall' (segment 'all', order 0, everyone).
    -#}
    {%- set known = segment_dimensions(present_only=false) -%}
    {%- if dimension == 'overall' -%}
        {{ return({'segment': "'all'", 'order': '0'}) }}
    {%- elif dimension not in known -%}
        {{ exceptions.raise_compiler_error(
            "unknown segment dimension '" ~ dimension ~ "'; known: overall, " ~ (known.keys() | list | join(', '))
        ) }}
    {%- endif -%}
    {{ return(known[dimension]) }}
{% endmacro %}


{% macro group_by_segment(dimension) %}
    {#-
        The clause that ends a per-dimension aggregate over customers (see segment_of): group by
        the segment, or for 'overall' a having clause, since an aggregate without group by
        returns a row even for no input and a segment mart has no rows without customers.
    -#}
    {%- if dimension == 'overall' -%}
        having count(*) > 0
    {%- else -%}
        {%- set segment = segment_of(dimension) -%}
        group by {{ segment.segment }}, {{ segment.order }}
    {%- endif -%}
{% endmacro %}
