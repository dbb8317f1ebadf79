-- Far in the tails a p-value is below the smallest double: it must come out as 0, not as an
-- underflow error (PostgreSQL raises one where DuckDB and Spark round to 0), and just above
-- that limit it must keep its precision. Chi-square at df = 2 has the closed form exp(-x / 2):
-- x = 1400 gives exp(-700) = 9.9e-305, x = 2000 gives exp(-1000), which is 0 as a double.
-- The t-test at t = 1000 with 998 df and 2000 heads in 2000 fair flips (2^-2000) are 0 too.
with

chi_square_cases as (
    select hand_computed.* from (
        values
        (1, 2, 1400.0, true),
        (2, 2, 2000.0, false),
        (3, 1, 2000.0, false)
    ) as hand_computed (case_id, degrees_of_freedom, statistic, is_representable)
),

t_cases as (
    select hand_computed.* from (
        values (1, 998, 1000.0)
    ) as hand_computed (case_id, degrees_of_freedom, t_statistic)
),

binomial_cases as (
    select hand_computed.* from (
        values (1, 2000, 2000)
    ) as hand_computed (case_id, successes, trials)
),

chi_square as (
    {{ chi_square_p_value('chi_square_cases', ['case_id'], 'statistic', 'degrees_of_freedom') }}
),

t_test as (
    {{ t_test_p_value('t_cases', ['case_id'], 'degrees_of_freedom', t_statistic='t_statistic') }}
),

binomial as (
    {{ binomial_test_p_value('binomial_cases', ['case_id'], 'successes', 'trials', 0.5, 'greater') }}
),

failures as (
    select
        'chi-square' as test_name,
        chi_square.case_id,
        chi_square.p_value
    from chi_square
    inner join chi_square_cases on chi_square.case_id = chi_square_cases.case_id
    where
        chi_square.p_value is null
        or (
            chi_square_cases.is_representable
            and abs(chi_square.p_value - exp(-chi_square_cases.statistic / 2))
            > 1e-12 * exp(-chi_square_cases.statistic / 2)
        )
        or (not chi_square_cases.is_representable and chi_square.p_value <> 0)
    union all
    select
        't' as test_name,
        case_id,
        p_value
    from t_test
    where p_value is null or p_value <> 0
    union all
    select
        'binomial' as test_name,
        case_id,
        p_value
    from binomial
    where p_value is null or p_value <> 0
),

final as (
    select * from failures
)

select * from final
