-- Ten fair coin flips, counted by hand: P(X >= 8) = (45 + 10 + 1) / 1024 = P(X <= 2), the
-- two-sided p of 8 heads is twice that, 10 heads has P = 1/1024, and 5 heads is as likely as
-- can be (two-sided p = 1). No trials: no p-value. Expected p-values are counts of the 1024
-- equally likely outcomes, divided as doubles (Spark would round a decimal quotient).
with

cases as (
    select hand_computed.* from (
        values
        (1, 8, 10, 56),
        (2, 10, 10, 1),
        (3, 0, 10, 1024),
        (4, 0, 0, null)
    ) as hand_computed (case_id, successes, trials, outcomes_at_least_as_many)
),

two_sided_cases as (
    select hand_computed.* from (
        values
        (1, 8, 10, 112),
        (2, 2, 10, 112),
        (3, 5, 10, 1024)
    ) as hand_computed (case_id, successes, trials, outcomes_as_extreme)
),

expected as (
    select
        case_id,
        cast(outcomes_at_least_as_many as {{ type_double() }}) / 1024 as expected_greater
    from cases
),

expected_two_sided as (
    select
        case_id,
        cast(outcomes_as_extreme as {{ type_double() }}) / 1024 as expected_two_sided
    from two_sided_cases
),

greater as (
    {{ binomial_test_p_value('cases', ['case_id'], 'successes', 'trials', 0.5, 'greater') }}
),

less as (
    {{ binomial_test_p_value('cases', ['case_id'], 'trials - successes', 'trials', 0.5, 'less') }}
),

two_sided as (
    {{ binomial_test_p_value('two_sided_cases', ['case_id'], 'successes', 'trials', 0.5, 'two-sided') }}
),

failures as (
    select
        'greater' as alternative,
        expected.case_id,
        greater.p_value
    from expected
    inner join greater on expected.case_id = greater.case_id
    where
        abs(greater.p_value - expected.expected_greater) > 1e-14
        or (greater.p_value is null) <> (expected.expected_greater is null)
    union all
    select
        'less (mirror of greater)' as alternative,
        expected.case_id,
        less.p_value
    from expected
    inner join less on expected.case_id = less.case_id
    where
        abs(less.p_value - expected.expected_greater) > 1e-14
        or (less.p_value is null) <> (expected.expected_greater is null)
    union all
    select
        'two-sided' as alternative,
        expected_two_sided.case_id,
        two_sided.p_value
    from expected_two_sided
    inner join two_sided on expected_two_sided.case_id = two_sided.case_id
    where abs(two_sided.p_value - expected_two_sided.expected_two_sided) > 1e-14
),

final as (
    select * from failures
)

select * from final
