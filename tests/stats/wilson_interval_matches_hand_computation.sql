-- With one trial the Wilson bounds reduce to z^2 / (1 + z^2) and 1 / (1 + z^2) (z = 1.96...):
-- 0 of 1 gives [0, 0.7935], 1 of 1 gives [0.2065, 1]. No trials gives no interval.
with

cases as (
    select hand_computed.* from (
        values
        (1, 0, 1),
        (2, 1, 1),
        (3, 0, 0)
    ) as hand_computed (case_id, successes, trials)
),

computed as (
    select
        case_id,
        {{ wilson_interval('successes', 'trials', 'rate') }}
    from cases
),

-- z as a double: in decimal arithmetic Spark would round the bounds to six places
z_value as (
    select cast(1.959963984540054 as {{ type_double() }}) as z
),

z_squared as (
    select z * z as z2 from z_value
),

final as (
    select computed.*
    from computed
    cross join z_squared
    where
        (
            computed.case_id = 1
            and (
                computed.rate_ci_low <> 0
                or abs(computed.rate_ci_high - z_squared.z2 / (1 + z_squared.z2)) > 1e-14
            )
        )
        or (
            computed.case_id = 2
            and (
                abs(computed.rate_ci_low - 1 / (1 + z_squared.z2)) > 1e-14
                or computed.rate_ci_high <> 1
            )
        )
        or (
            computed.case_id = 3
            and (computed.rate_ci_low is not null or computed.rate_ci_high is not null)
        )
)

select * from final
