-- One churned customer of one against nobody of one: the Wilson intervals are
-- [1 / (1 + z^2), 1] and [0, z^2 / (1 + z^2)], so Newcombe's interval of the difference 1 is
-- [1 - sqrt(2) z^2 / (1 + z^2), 1] (z = 1.96...). A group without trials has no interval.
with

cases as (
    select hand_computed.* from (
        values
        (1, 1, 1, 0, 1),
        (2, 1, 1, 0, 0)
    ) as hand_computed (case_id, first_successes, first_trials, second_successes, second_trials)
),

rates as (
    select
        case_id,
        {{ ratio('first_successes', 'first_trials') }} as first_rate,
        {{ ratio('second_successes', 'second_trials') }} as second_rate,
        {{ wilson_interval('first_successes', 'first_trials', 'first_rate') }},
        {{ wilson_interval('second_successes', 'second_trials', 'second_rate') }}
    from cases
),

computed as (
    select
        case_id,
        {{ rate_difference_interval('first_rate', 'second_rate', 'difference') }}
    from rates
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
                abs(computed.difference_ci_low - (1 - sqrt(2) * z_squared.z2 / (1 + z_squared.z2))) > 1e-14
                or abs(computed.difference_ci_high - 1) > 1e-14
            )
        )
        or (
            computed.case_id = 2
            and (computed.difference_ci_low is not null or computed.difference_ci_high is not null)
        )
)

select * from final
