-- Every dimension of the registry splits all the customers, and all the churned ones, exactly
-- once: its segments' counts add up to the customers mart's. A missing dimension adds up to 0.
with

customers as (
    select * from {{ ref('customers') }}
),

churn_by_segment as (
    select * from {{ ref('churn_by_segment') }}
),

expected_dimensions as (
    select dimension_list.* from (
        values
        {%- for dimension in ['overall'] + (segment_dimensions().keys() | list) %}
            ('{{ dimension }}'){{ ',' if not loop.last }}
        {%- endfor %}
    ) as dimension_list (dimension)
),

customer_totals as (
    select
        count(*) as customers,
        count(*) filter (where is_churned) as churned_customers
    from customers
),

dimension_totals as (
    select
        dimension,
        sum(customers) as customers,
        sum(churned_customers) as churned_customers
    from churn_by_segment
    group by dimension
),

final as (
    select
        expected_dimensions.dimension,
        dimension_totals.customers,
        dimension_totals.churned_customers,
        customer_totals.customers as expected_customers,
        customer_totals.churned_customers as expected_churned_customers
    from expected_dimensions
    cross join customer_totals
    left join dimension_totals on expected_dimensions.dimension = dimension_totals.dimension
    where
        coalesce(dimension_totals.customers, 0) <> customer_totals.customers
        or coalesce(dimension_totals.churned_customers, 0) <> customer_totals.churned_customers
)

select * from final
