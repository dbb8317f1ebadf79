with

source as (
    select * from {{ raw_customers() }}
),

renamed as (
    select
        cast(customer_id as integer) as customer_id,
        cast(age as integer) as age,
        {{ title_case('gender') }} as gender,
        cast(annual_income as {{ type_double() }}) as annual_income_k_usd,
        cast(total_spend as {{ type_double() }}) as total_spend,
        cast(years_as_customer as integer) as years_as_customer,
        cast(num_of_purchases as integer) as num_purchases,
        cast(average_transaction_amount as {{ type_double() }}) as avg_transaction_amount,
        cast(num_of_returns as integer) as num_returns,
        cast(num_of_support_contacts as integer) as num_support_contacts,
        cast(satisfaction_score as integer) as satisfaction_score,
        cast(last_purchase_days_ago as integer) as last_purchase_days_ago,
        {{ parse_boolean('email_opt_in') }} as is_email_opted_in,
        {{ title_case('promotion_response') }} as promotion_response,
        {{ parse_boolean('target_churn') }} as is_churned
    from source
),

final as (
    select * from renamed
)

select * from final
