with

-- No customers where the input cannot answer Q6 (an order log has none of its columns).
customers as {{ not_materialized() }} (
    select * from {{ ref('customers') }}
    where {{ input_answers('Q6') }}
),

segments as (
    {{ unpivot_segments('customers', ['gender', 'age_band'], ['is_email_opted_in']) }}
),

counted as (
    select
        dimension,
        segment,
        segment_order,
        count(*) as customers,
        count(*) filter (where is_email_opted_in) as opted_in_customers
    from segments
    group by dimension, segment, segment_order
),

final as (
    select
        *,
        {{ ratio('opted_in_customers', 'customers') }} as rate,
        {{ wilson_interval('opted_in_customers', 'customers', 'rate') }}
    from counted
)

select * from final
