-- The quantile macro interpolates linearly between order statistics (percentile_cont; pandas'
-- default) on every engine, Spark's percentile included: at fraction f it takes position
-- h = (n - 1) f of the sorted values, nulls left out. Sorted, group a is 1, 2, 2, 3, 4, 10
-- (n = 6, h = 5 f: f = 0.1 gives 1 + 0.5 (2 - 1) = 1.5, f = 0.9 gives 4 + 0.5 (10 - 4) = 7);
-- group b has a single value, every quantile of which is that value.
with

observations as (
    select hand_chosen.* from (
        values
        ('a', 10), ('a', 4), ('a', 2), ('a', null), ('a', 3), ('a', 1), ('a', 2), ('b', 5)
    ) as hand_chosen (group_name, observed)
),

expected as (
    select hand_computed.* from (
        values
        ('a', 1.5, 2.0, 2.5, 3.75, 7.0, 10.0),
        ('b', 5.0, 5.0, 5.0, 5.0, 5.0, 5.0)
    ) as hand_computed (group_name, q10, q25, q50, q75, q90, q100)
),

computed as (
    select
        group_name,
        {{ quantile('observed', 0.1) }} as q10,
        {{ quantile('observed', 0.25) }} as q25,
        {{ quantile('observed', 0.5) }} as q50,
        {{ quantile('observed', 0.75) }} as q75,
        {{ quantile('observed', 0.9) }} as q90,
        {{ quantile('observed', 1) }} as q100
    from observations
    group by group_name
),

final as (
    select
        expected.group_name,
        computed.q10,
        computed.q25,
        computed.q50,
        computed.q75,
        computed.q90,
        computed.q100
    from expected
    left join computed on expected.group_name = computed.group_name
    where
        computed.group_name is null
        or abs(computed.q10 - expected.q10) > 1e-12
        or abs(computed.q25 - expected.q25) > 1e-12
        or abs(computed.q50 - expected.q50) > 1e-12
        or abs(computed.q75 - expected.q75) > 1e-12
        or abs(computed.q90 - expected.q90) > 1e-12
        or abs(computed.q100 - expected.q100) > 1e-12
)

select * from final
