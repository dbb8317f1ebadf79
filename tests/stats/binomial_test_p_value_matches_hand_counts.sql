-- Ten fair coin flips, counted by hand: P(X >= 8) = (45 + 10 + 1) / 1024 = P(X <= 2), the
-- two-sided p of 8 heads is twice that, 10 heads has P = 1/1024, and 5 heads is as likely as
-- can be (two-sided p = 1). No trials: no p-value.
with

cases as (
    select hand_computed.* from (
        values
        (1, 8, 10, 56.0 / 1024),
        (2, 10, 10, 1.0 / 1024),
        (3, 0, 10, 1.0),
        (4, 0, 0, null)
    ) as hand_computed (case_id, successes, trials, expected_greater)
),

two_sided_cases as (
    select hand_computed.* from (
        values
        (1, 8, 10, 112.0 / 1024),
        (2, 2, 10, 112.0 / 1024),
        (3, 5, 10, 1.0)
    ) as hand_computed (case_id, successes, trials, expected_two_sided)
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
        cases.case_id,
        greater.p_value
    from cases
    inner join greater on cases.case_id = greater.case_id
    where
        abs(greater.p_value - cases.expected_greater) > 1e-14
        or (greater.p_value is null) <> (cases.expected_greater is null)
    union all
    select
        'less (mirror of greater)' as alternative,
        cases.case_id,
        less.p_value
    from cases
    inner join less on cases.case_id = less.case_id
    where
        abs(less.p_value - cases.expected_greater) > 1e-14
        or (less.p_value is null) <> (cases.expected_greater is null)
    union all
    select
        'two-sided' as alternative,
        two_sided_cases.case_id,
        two_sided.p_value
    from two_sided_cases
    inner join two_sided on two_sided_cases.case_id = two_sided.case_id
    where abs(two_sided.p_value - two_sided_cases.expected_two_sided) > 1e-14
),

final as (
    select * from failures
)

select * from final
