-- MetricFlow needs a daily time spine. The customer table has no event dates: every metric is
-- read at one snapshot date (var `snapshot_date`), so the spine is the days of that year.
with

days as (
    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('snapshot_date')[:4] ~ "-01-01' as date)",
        "cast('" ~ ((var('snapshot_date')[:4] | int) + 1) ~ "-01-01' as date)"
    ) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
