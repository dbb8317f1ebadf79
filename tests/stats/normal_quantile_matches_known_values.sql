-- Known standard normal quantiles: the median, the 95% two-sided and one-sided points, one
-- standard deviation (P(Z <= 1) = 0.8413447460685429), and 1e-20 in the far tail. Outside
-- (0, 1) there is no quantile.
with

cases as (
    select hand_computed.* from (
        values
        (1, 0.5, 0.0),
        (2, 0.975, 1.959963984540054),
        (3, 0.025, -1.959963984540054),
        (4, 0.95, 1.6448536269514722),
        (5, 0.8413447460685429, 1.0),
        (6, 1e-20, -9.262340089798409),
        (7, 0.0, null),
        (8, 1.0, null)
    ) as hand_computed (case_id, probability, expected_quantile)
),

computed as (
    select
        case_id,
        expected_quantile,
        {{ normal_quantile('probability') }} as quantile
    from cases
),

final as (
    select *
    from computed
    where
        (expected_quantile is null and quantile is not null)
        or abs(quantile - expected_quantile) > 1e-12
)

select * from final
