with

-- No customers where the input cannot answer Q5 (an order log has none of its columns).
customers as {{ not_materialized() }} (
    select * from {{ ref('customers') }}
    where {{ input_answers('Q5') }}
),

contact_counts as (
    select distinct num_support_contacts
    from customers
),

scores as (
    select distinct satisfaction_score
    from customers
),

cell_counts as (
    select
        num_support_contacts,
        satisfaction_score,
        count(*) as customers
    from customers
    group by num_support_contacts, satisfaction_score
),

-- Every observed contact count against every observed score, so empty cells show 0.
crosstab as (
    select
        contact_counts.num_support_contacts,
        scores.satisfaction_score,
        coalesce(cell_counts.customers, 0) as customers
    from contact_counts
    cross join scores
    left join cell_counts
        on
            contact_counts.num_support_contacts = cell_counts.num_support_contacts
            and scores.satisfaction_score = cell_counts.satisfaction_score
),

with_row_totals as (
    select
        *,
        cast(
            sum(customers) over (partition by num_support_contacts) as {{ dbt.type_bigint() }}
        ) as support_contacts_customers
    from crosstab
),

final as (
    select
        num_support_contacts,
        satisfaction_score,
        customers,
        support_contacts_customers,
        {{ ratio('customers', 'support_contacts_customers') }} as share_within_contacts,
        {{ wilson_interval('customers', 'support_contacts_customers', 'share_within_contacts') }}
    from with_row_totals
)

select * from final
