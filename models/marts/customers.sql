with

staged_customers as (
    select * from {{ ref('stg_customers') }}
),

banded as (
    select
        *,
        {{ band('age', 'age') }} as age_band,
        {{ band('annual_income_k_usd', 'annual_income_k_usd') }} as income_band,
        {{ band('years_as_customer', 'years_as_customer') }} as tenure_band,
        {{ band('total_spend', 'total_spend') }} as spend_band,
        {{ band('num_support_contacts', 'num_support_contacts') }} as support_contacts_band
    from staged_customers
),

final as (
    select * from banded
)

select * from final
