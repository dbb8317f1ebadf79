-- The chi-square tail has closed forms at even degrees of freedom: exp(-x/2) at df = 2 and
-- exp(-x/2) (1 + x/2) at df = 4. A statistic of 0 gives p = 1.
with

cases as (
    select hand_computed.* from (
        values
        (1, 2.0, 0.0),
        (2, 2.0, 1.0),
        (3, 2.0, 9.21),
        (4, 4.0, 3.5),
        (5, 4.0, 60.0)
    ) as hand_computed (case_id, degrees_of_freedom, statistic)
),

expected as (
    select
        case_id,
        case
            when degrees_of_freedom = 2 then exp(-statistic / 2)
            else exp(-statistic / 2) * (1 + statistic / 2)
        end as expected_p_value
    from cases
),

computed as (
    {{ chi_square_p_value('cases', ['case_id'], 'statistic', 'degrees_of_freedom') }}
),

final as (
    select
        computed.case_id,
        computed.p_value,
        expected.expected_p_value
    from computed
    inner join expected on computed.case_id = expected.case_id
    where abs(computed.p_value - expected.expected_p_value) > 1e-12 * expected.expected_p_value
)

select * from final
