-- Four p-values by hand: sorted 0.01, 0.03, 0.04, 0.5 scale to 0.04, 0.06, 0.0533, 0.5; the
-- running minimum from the largest gives 0.04, 0.0533, 0.0533, 0.5. The thirds are doubles: in decimal
-- arithmetic Spark would round 0.16 / 3 to six places.
with

cases as (
    select hand_computed.* from (
        values
        (1, 0.01, 0.04),
        (2, 0.04, cast(0.16 as {{ type_double() }}) / 3),
        (3, 0.03, cast(0.16 as {{ type_double() }}) / 3),
        (4, 0.5, 0.5)
    ) as hand_computed (case_id, p_value, expected_adjusted)
),

computed as (
    {{ benjamini_hochberg('cases', ['case_id'], 'p_value') }}
),

final as (
    select
        computed.case_id,
        computed.p_value_adjusted,
        cases.expected_adjusted
    from computed
    inner join cases on computed.case_id = cases.case_id
    where abs(computed.p_value_adjusted - cases.expected_adjusted) > 1e-12
)

select * from final
