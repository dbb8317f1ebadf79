-- Student's t has closed forms at 1 and 2 degrees of freedom: the Cauchy tail
-- 1 - 2 atan|t| / pi, and 1 - |t| / sqrt(2 + t^2). t = 0 gives p = 1 at any df.
with

cases as (
    select hand_computed.* from (
        values
        (1, 1.0, 0.5),
        (2, 1.0, 3.0),
        (3, 1.0, 12.7),
        (4, 2.0, 1.0),
        (5, 2.0, 4.3),
        (6, 998.0, 0.0)
    ) as hand_computed (case_id, degrees_of_freedom, t_statistic)
),

expected as (
    select
        case_id,
        case
            when t_statistic = 0 then 1
            when degrees_of_freedom = 1 then 1 - 2 * atan(abs(t_statistic)) / pi()
            else 1 - abs(t_statistic) / sqrt(2 + t_statistic * t_statistic)
        end as expected_p_value
    from cases
),

computed as (
    {{ t_test_p_value('cases', ['case_id'], 'degrees_of_freedom', t_statistic='t_statistic') }}
),

final as (
    select
        computed.case_id,
        computed.p_value,
        expected.expected_p_value
    from computed
    inner join expected on computed.case_id = expected.case_id
    where abs(computed.p_value - expected.expected_p_value) > 1e-12
)

select * from final
