-- MetricFlow needs a daily time spine. Every metric is read at the snapshot date (the customers
-- mart's snapshot_date), which depends on the input, so the spine covers a fixed wide range and
-- nothing parses differently per input.
with

days as (
    {{ dbt.date_spine('day', "cast('1990-01-01' as date)", "cast('2041-01-01' as date)") }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
