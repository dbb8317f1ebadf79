{%- set double = type_double() -%}
-- Four contingency tables by hand (rows x columns, cells in long form):
--   1. [[10, 20], [30, 40]]: chi-square = n (ad - bc)^2 / (row and column totals) = 50/63, df 1,
--      V = sqrt(50/63 / 100).
--   2. [[10, 20], [20, 10], [15, 15]]: every expected count is 15, chi-square = 100/15 = 20/3,
--      df 2, so p = exp(-10/3); V = sqrt(20/3 / 90).
--   3. [[5, 0], [0, 5]] with its empty cells left out (one given as an explicit 0): complete
--      association, chi-square = n = 10, df 1, V = 1.
--   4. [[3, 4]]: a single row (the other row's margin is zero): no test, df 0.
with

cells as (
    select hand_computed.* from (
        values
        (1, 'a', 'churned', 10),
        (1, 'a', 'retained', 20),
        (1, 'b', 'churned', 30),
        (1, 'b', 'retained', 40),
        (2, 'a', 'churned', 10),
        (2, 'a', 'retained', 20),
        (2, 'b', 'churned', 20),
        (2, 'b', 'retained', 10),
        (2, 'c', 'churned', 15),
        (2, 'c', 'retained', 15),
        (3, 'a', 'churned', 5),
        (3, 'b', 'retained', 5),
        (3, 'b', 'churned', 0),
        (4, 'a', 'churned', 3),
        (4, 'a', 'retained', 4)
    ) as hand_computed (case_id, table_row, table_column, observed)
),

-- Doubles from the start: Spark would round a decimal quotient such as 50.0 / 63 to 6 places.
expected as (
    select hand_computed.* from (
        values
        (1, cast(50 as {{ double }}) / 63, 1, null, sqrt(cast(50 as {{ double }}) / 63 / 100)),
        (
            2,
            cast(20 as {{ double }}) / 3,
            2,
            exp(cast(-10 as {{ double }}) / 3),
            sqrt(cast(20 as {{ double }}) / 3 / 90)
        ),
        (3, cast(10 as {{ double }}), 1, null, cast(1 as {{ double }})),
        (4, null, 0, null, null)
    ) as hand_computed (case_id, statistic, degrees_of_freedom, p_value, cramers_v)
),

computed as (
    {{ chi_square_test('cells', ['case_id'], 'table_row', 'table_column', 'observed') }}
),

final as (
    select
        expected.case_id,
        computed.statistic,
        expected.statistic as expected_statistic,
        computed.p_value,
        expected.p_value as expected_p_value
    from expected
    left join computed on expected.case_id = computed.case_id
    where
        computed.case_id is null
        or computed.degrees_of_freedom <> expected.degrees_of_freedom
        or (computed.statistic is null) <> (expected.statistic is null)
        or abs(computed.statistic - expected.statistic) > 1e-12 * expected.statistic
        or abs(computed.cramers_v - expected.cramers_v) > 1e-12
        or (computed.cramers_v is null) <> (expected.cramers_v is null)
        or (expected.case_id = 4 and computed.p_value is not null)
        or abs(computed.p_value - expected.p_value) > 1e-12 * expected.p_value
)

select * from final
