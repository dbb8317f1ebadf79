{%- set measures = [
    'annual_income_k_usd',
    'total_spend',
    'num_purchases',
    'avg_transaction_amount',
] -%}
{%- set dimensions = segment_dimensions(present_only=false) -%}

with

-- No customers where the input cannot answer Q1 (an order log has none of its columns).
customers as {{ not_materialized() }} (
    select * from {{ ref('customers') }}
    where {{ input_answers('Q1') }}
),

measured_customers as {{ not_materialized() }} (
    select
        {% for measure in measures %}
            {{ measure_as_double(measure) }} as {{ measure }},
        {% endfor %}
        age_band,
        gender,
        is_churned
    from customers
),

customer_totals as (
    select count(*) as all_customers
    from customers
),

{%- set aggregates -%}
    {% for measure in measures %}
        avg({{ measure }}) as mean_{{ measure }},
        {{ quantile(measure, 0.5) }} as median_{{ measure }},
    {% endfor %}
    count(*) as customers,
    count(*) filter (where is_churned) as churned_customers
{%- endset %}

-- Age band x gender cells, and each band's and each gender's total: grouping sets, not a cube,
-- whose grand total would cost a median per measure and be thrown away (grand_total below).
-- sqlfluff's DuckDB dialect does not parse grouping sets, hence the noqa.
segment_cells as (
    select
        case when grouping(age_band) = 1 then 'all' else age_band end as age_band,
        case when grouping(gender) = 1 then 'all' else gender end as gender,
        case
            when grouping(age_band) = 1 then 0 else {{ dimensions['age_band']['order'] }}
        end as age_band_order,
        case
            when grouping(gender) = 1 then 0 else {{ dimensions['gender']['order'] }}
        end as gender_order,
        {{ aggregates }}
    from measured_customers
    group by grouping sets ((age_band, gender), (age_band), (gender)) -- noqa: PRS
),

-- The grand total on its own, not as a grouping set: an aggregate without groups has a row even
-- without customers, where Spark's empty grouping set, unlike DuckDB's and PostgreSQL's, has none.
grand_total as (
    select
        'all' as age_band,
        'all' as gender,
        0 as age_band_order,
        0 as gender_order,
        {{ aggregates }}
    from measured_customers
),

{%- set grouped_columns -%}
    age_band,
    gender,
    age_band_order,
    gender_order,
    {% for measure in measures %}
        mean_{{ measure }},
        median_{{ measure }},
    {% endfor %}
    customers,
    churned_customers
{%- endset %}

grouped as (
    select
        {{ grouped_columns }}
    from segment_cells
    union all
    select
        {{ grouped_columns }}
    from grand_total
),

final as (
    select
        grouped.age_band,
        grouped.gender,
        grouped.age_band_order,
        grouped.gender_order,
        grouped.customers,
        {{ ratio('grouped.customers', 'customer_totals.all_customers') }} as customer_share,
        {% for measure in measures %}
            grouped.mean_{{ measure }},
            grouped.median_{{ measure }},
        {% endfor %}
        grouped.churned_customers,
        {{ ratio('grouped.churned_customers', 'grouped.customers') }} as churn_rate,
        {{ wilson_interval('grouped.churned_customers', 'grouped.customers', 'churn_rate') }}
    from grouped
    cross join customer_totals
    -- the grand total has a row even without customers, unless the input cannot answer Q1
    where {{ input_answers('Q1') }}
)

select * from final
