{%- set dimensions = segment_dimensions(present_only=false) -%}

with

-- No customers where the input cannot answer Q7 (an order log has none of its columns).
customers as {{ not_materialized() }} (
    select * from {{ ref('customers') }}
    where {{ input_answers('Q7') }}
),

segments as (
    {{ unpivot_segments('customers', ['gender', 'age_band', 'is_email_opted_in'], ['promotion_response']) }}
),

segment_sizes as (
    select
        dimension,
        segment,
        segment_order,
        count(*) as customers
    from segments
    group by dimension, segment, segment_order
),

responses as (
    select distinct
        promotion_response,
        {{ dimensions['promotion_response']['order'] }} as response_order
    from customers
),

response_counts as (
    select
        dimension,
        segment,
        promotion_response,
        count(*) as customers_with_response
    from segments
    group by dimension, segment, promotion_response
),

-- Every segment against every observed response, so a response nobody in a segment gave
-- shows 0 rather than no row.
counted as (
    select
        segment_sizes.dimension,
        segment_sizes.segment,
        segment_sizes.segment_order,
        responses.promotion_response,
        responses.response_order,
        segment_sizes.customers,
        coalesce(response_counts.customers_with_response, 0) as customers_with_response
    from segment_sizes
    cross join responses
    left join response_counts
        on
            segment_sizes.dimension = response_counts.dimension
            and segment_sizes.segment = response_counts.segment
            and responses.promotion_response = response_counts.promotion_response
),

final as (
    select
        *,
        {{ ratio('customers_with_response', 'customers') }} as rate,
        {{ wilson_interval('customers_with_response', 'customers', 'rate') }}
    from counted
)

select * from final
