-- One row per GQM question, each decided by the rule in ../shared/GQM.md: the headline figure,
-- its interval and test come from the question's marts; the finding is written from them.
{# The seed study's claims about one proportion, each stated once: its exact binomial test
    (null proportion, alternative, and the opposite alternative that can refute a one-sided
    claim), the rules that support and refute it (GQM.md) and the sentence that says so. -#}
{#- Q5's rules (GQM.md): the seed's interval (-0.3, 0.3) is open, so "outside" includes its ends. -#}
{%- set weak_correlation = 'pearson_r_ci_low > -0.3 and pearson_r_ci_high < 0.3' -%}
{%- set strong_correlation = 'pearson_r_ci_low >= 0.3 or pearson_r_ci_high <= -0.3' -%}
{%- set proportion_claims = [
    {
        'question_id': 'Q4',
        'null_proportion': 0.6,
        'alternative': 'greater',
        'opposite_alternative': 'less',
        'statistical_test': 'exact binomial, greater than 0.6 (five equally common scores)',
        'claim': 'satisfaction is mid-range',
        'supported': 'p_value < ' ~ var('alpha'),
        'refuted': 'opposite_p_value < ' ~ var('alpha'),
        'finding': '{estimate}% of customers score 2-4 (95% CI {ci_low}-{ci_high}%) against 60%'
            ~ ' if all five scores were equally common ({p_value}): the claim that satisfaction'
            ~ ' is mid-range {verdict}',
    },
    {
        'question_id': 'Q6',
        'null_proportion': 0.5,
        'alternative': 'two-sided',
        'statistical_test': 'exact binomial, two-sided against 0.5',
        'claim': 'about half opt in (95% CI inside 45-55%)',
        'supported': 'ci_low >= 0.45 and ci_high <= 0.55',
        'refuted': 'ci_low > 0.55 or ci_high < 0.45',
        'finding': '{estimate}% opt in to email (95% CI {ci_low}-{ci_high}%, {p_value} against'
            ~ ' 50%): the claim that about half opt in {verdict}',
    },
    {
        'question_id': 'Q7',
        'null_proportion': 0.5,
        'alternative': 'less',
        'opposite_alternative': 'greater',
        'statistical_test': 'exact binomial, less than 0.5',
        'claim': 'fewer than half respond to promotions',
        'supported': 'p_value < ' ~ var('alpha'),
        'refuted': 'opposite_p_value < ' ~ var('alpha'),
        'finding': '{estimate}% responded to the last promotion (95% CI {ci_low}-{ci_high}%,'
            ~ ' {p_value} against 50%): the claim that fewer than half respond {verdict}',
    },
] -%}

with

questions as (
    select * from {{ ref('gqm_questions') }}
),

-- in the shape kruskal_wallis reads
age_band_spend_rank_sums as (
    select
        customers as group_size,
        rank_sum,
        tie_sum
    from {{ ref('int_age_band_spend_rank_sums') }}
),

metric_distributions as (
    select * from {{ ref('metric_distributions') }}
),

spend_vs_income as (
    select * from {{ ref('spend_vs_income') }}
),

metric_correlations as (
    select * from {{ ref('metric_correlations') }}
),

customer_engagement as (
    select * from {{ ref('customer_engagement') }}
),

satisfaction_distribution as (
    select * from {{ ref('satisfaction_distribution') }}
),

email_opt_in as (
    select * from {{ ref('email_opt_in') }}
),

promotion_response as (
    select * from {{ ref('promotion_response') }}
),

churn_overview as (
    select * from {{ ref('churn_overview') }}
),

churn_drivers as (
    select * from {{ ref('churn_drivers') }}
),

cohort_retention as (
    select * from {{ ref('cohort_retention') }}
),

-- Q1: do age bands differ in total spend?
age_band_spend_spread as (
    select max(mean) - min(mean) as spread
    from metric_distributions
    where metric = 'total_spend' and dimension = 'age_band'
),

age_band_spend_test as (
    select
        'Q1' as question_id,
        kruskal.*
    from ({{ kruskal_wallis('age_band_spend_rank_sums') }}) as kruskal
),

age_band_spend_p_value as (
    {{ chi_square_p_value('age_band_spend_test', ['question_id'], 'statistic', 'degrees_of_freedom') }}
),

-- Q1 is refuted when every age band's mean spend lies within the margin (a share of the overall
-- mean) of the overall mean: two one-sided t-tests per band, each band's larger p below alpha.
age_band_spend_groups as (
    select
        age_bands.segment,
        age_bands.n,
        age_bands.mean,
        age_bands.stddev,
        everyone.mean as overall_mean,
        {{ var('equivalence_margin_mean_share') }} * everyone.mean as margin
    from metric_distributions as age_bands
    inner join metric_distributions as everyone
        on age_bands.metric = everyone.metric and everyone.dimension = 'overall'
    where age_bands.metric = 'total_spend' and age_bands.dimension = 'age_band'
),

age_band_spend_equivalence_tests as (
    {{ mean_equivalence_p_value(
        'age_band_spend_groups', ['segment'], 'n', 'mean', 'stddev', 'overall_mean', 'margin'
    ) }}
),

-- Equivalent only if every band is: the largest p-value, null when a band has none.
age_band_spend_equivalence as (
    select case when count(*) > 0 and count(p_value) = count(*) then max(p_value) end as largest_p_value
    from age_band_spend_equivalence_tests
),

-- Q3: engagement segments and their sizes, in words
engagement_segment_sizes as (
    select
        {{ string_agg_ordered(
            "engagement_segment || ' ' || cast(customers as " ~ dbt.type_string() ~ ")",
            ', ',
            'segment_order'
        ) }} as sizes
    from customer_engagement
),

-- Q4, Q6, Q7: proportions tested against the seed study's claims
proportions as (
    select
        'Q4' as question_id,
        sum(case when satisfaction_score between 2 and 4 then customers else 0 end) as successes,
        sum(customers) as trials
    from satisfaction_distribution
    union all
    select
        'Q6' as question_id,
        opted_in_customers as successes,
        customers as trials
    from email_opt_in
    where dimension = 'overall'
    union all
    select
        'Q7' as question_id,
        customers_with_response as successes,
        customers as trials
    from promotion_response
    where dimension = 'overall' and promotion_response = 'Responded'
),
{% for claim in proportion_claims %}
    {{ claim.question_id | lower }}_proportion as (
        select * from proportions
        where question_id = '{{ claim.question_id }}'
    ),

    {{ claim.question_id | lower }}_p_value as (
        {{ binomial_test_p_value(
            claim.question_id | lower ~ '_proportion', ['question_id'], 'successes', 'trials',
            claim.null_proportion, claim.alternative
        ) }}
    ),

    {{ claim.question_id | lower }}_opposite_p_value as (
        {% if claim.opposite_alternative is defined %}
            {{ binomial_test_p_value(
                claim.question_id | lower ~ '_proportion', ['question_id'], 'successes', 'trials',
                claim.null_proportion, claim.opposite_alternative
            ) }}
        {% else %}
            select
                question_id,
                cast(null as {{ type_double() }}) as p_value
            from {{ claim.question_id | lower }}_proportion
        {% endif %}
    ),
{% endfor %}
proportion_p_values as (
    {% for claim in proportion_claims -%}
        select * from {{ claim.question_id | lower }}_p_value
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- The test of the opposite direction, which refutes a one-sided claim (none for Q6).
opposite_p_values as (
    {% for claim in proportion_claims -%}
        select * from {{ claim.question_id | lower }}_opposite_p_value
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

proportion_estimates as (
    select
        proportions.question_id,
        {{ ratio('proportions.successes', 'proportions.trials') }} as estimate,
        {{ wilson_interval('proportions.successes', 'proportions.trials') }},
        proportion_p_values.p_value,
        opposite_p_values.p_value as opposite_p_value
    from proportions
    inner join proportion_p_values on proportions.question_id = proportion_p_values.question_id
    inner join opposite_p_values on proportions.question_id = opposite_p_values.question_id
),

-- Q8 is refuted by the test of the opposite direction: churn below one half.
retention_p_value as (
    {{ binomial_test_p_value(
        'churn_overview', ['customers'], 'churned_customers', 'customers', 0.5, 'less'
    ) }}
),

-- Q9: how many factors are an effect (significant after adjustment and not negligible), and
-- how many have each of the other verdicts
driver_verdicts as (
    select
        count(*) as factors,
        count(p_value) as tested_factors,
        count(case when verdict = 'effect' then 1 end) as effect_factors,
        count(case when verdict = 'no meaningful effect' then 1 end) as no_meaningful_effect_factors,
        count(case when verdict = 'inconclusive' then 1 end) as inconclusive_factors,
        count(case when verdict is null then 1 end) as untested_factors,
        min(p_value_adjusted) as smallest_adjusted_p_value,
        {{ string_agg_ordered(
            "case when verdict = 'effect' then factor end", ', ', 'p_value_adjusted'
        ) }} as factor_names
    from churn_drivers
),

-- Q10: month-3 retention over every cohort whose third month after the first purchase has
-- ended, and each such cohort's share in words (an aggregate without groups: one row, even when
-- no cohort is that old).
month_three_retention as (
    select
        count(*) as cohorts,
        sum(cohort_customers) as cohort_customers,
        sum(active_customers) as active_customers,
        {{ string_agg_ordered(
            "substring(cast(cohort_month as " ~ dbt.type_string() ~ "), 1, 7) || ' '"
            ~ " || " ~ format_decimal('100 * retention_rate', 1) ~ " || '% of '"
            ~ " || cast(cohort_customers as " ~ dbt.type_string() ~ ")",
            ', ',
            'cohort_month'
        ) }} as cohort_shares
    from cohort_retention
    where months_since_first_order = 3
),

month_three_rate as (
    select
        *,
        {{ ratio('active_customers', 'cohort_customers') }} as retention_rate,
        {{ wilson_interval('active_customers', 'cohort_customers') }}
    from month_three_retention
),

headline_figures as (
    select
        'Q1' as question_id,
        age_band_spend_spread.spread as estimate,
        cast(null as {{ type_double() }}) as ci_low,
        cast(null as {{ type_double() }}) as ci_high,
        age_band_spend_p_value.p_value,
        'Kruskal-Wallis H across age bands (tie-corrected)' as statistical_test,
        'age bands differ in spend' as claim,
        false as is_seed_claim,
        {{ claim_verdict(
            'age_band_spend_p_value.p_value < ' ~ var('alpha'),
            'age_band_spend_equivalence.largest_p_value < ' ~ var('alpha')
        ) }} as verdict,
        case
            when age_band_spend_p_value.p_value < {{ var('alpha') }}
                then 'age bands differ in spend (H = '
            else 'no significant difference in spend across age bands (H = '
        end || {{ format_decimal('age_band_spend_test.statistic', 2) }} || ', '
        || {{ format_p_value('age_band_spend_p_value.p_value') }}
        || '); mean spend of the age bands spans $'
        || {{ format_decimal('age_band_spend_spread.spread', 0) }}
        || '; every band within '
        || '{{ "%g" | format(100 * var('equivalence_margin_mean_share')) }}% of the overall mean: '
        || case
            when age_band_spend_equivalence.largest_p_value < {{ var('alpha') }} then 'shown'
            else 'not shown'
        end
        || ' (two one-sided t-tests per band, largest '
        || {{ format_p_value('age_band_spend_equivalence.largest_p_value') }} || ')'
            as finding
    from age_band_spend_spread
    cross join age_band_spend_test
    cross join age_band_spend_p_value
    cross join age_band_spend_equivalence

    union all

    select
        'Q2' as question_id,
        pearson_r as estimate,
        pearson_r_ci_low as ci_low,
        pearson_r_ci_high as ci_high,
        pearson_p_value as p_value,
        't-test of Pearson r, n - 2 degrees of freedom' as statistical_test,
        'spend follows income' as claim,
        false as is_seed_claim,
        {{ claim_verdict(
            'pearson_p_value < ' ~ var('alpha') ~ ' and pearson_r > 0',
            'pearson_r_equivalence_high < ' ~ var('equivalence_margin_correlation')
        ) }} as verdict,
        'r = ' || {{ format_decimal('pearson_r', 3) }} || ' (95% CI '
        || {{ format_decimal('pearson_r_ci_low', 3) }} || ' to '
        || {{ format_decimal('pearson_r_ci_high', 3) }}
        || ', ' || {{ format_p_value('pearson_p_value') }} || '); the upper end of its '
        || '{{ "%g" | format(100 * (1 - 2 * var('alpha'))) }}% interval, '
        || {{ format_decimal('pearson_r_equivalence_high', 3) }} || ', is '
        || case
            when pearson_r_equivalence_high < {{ var('equivalence_margin_correlation') }} then 'below '
            else 'not below '
        end
        || '{{ "%g" | format(var('equivalence_margin_correlation')) }}' as finding
    from spend_vs_income
    where dimension = 'overall'

    union all

    select
        'Q3' as question_id,
        metric_distributions.median as estimate,
        cast(null as {{ type_double() }}) as ci_low,
        cast(null as {{ type_double() }}) as ci_high,
        cast(null as {{ type_double() }}) as p_value,
        'descriptive (no test)' as statistical_test,
        cast(null as {{ dbt.type_string() }}) as claim,
        false as is_seed_claim,
        cast(null as {{ dbt.type_string() }}) as verdict,
        'median customer made ' || {{ format_decimal('metric_distributions.median', 1) }}
        || ' purchases; engagement segments: ' || engagement_segment_sizes.sizes as finding
    from metric_distributions
    cross join engagement_segment_sizes
    where metric_distributions.metric = 'num_purchases' and metric_distributions.dimension = 'overall'
    {% for claim in proportion_claims %}
        union all

        {{ proportion_claim('proportion_estimates', claim) }}
    {% endfor %}

    union all

    select
        'Q5' as question_id,
        pearson_r as estimate,
        pearson_r_ci_low as ci_low,
        pearson_r_ci_high as ci_high,
        pearson_p_value as p_value,
        't-test of Pearson r, n - 2 degrees of freedom' as statistical_test,
        'the correlation is weak (95% CI inside -0.3 to 0.3)' as claim,
        true as is_seed_claim,
        {{ claim_verdict(weak_correlation, strong_correlation) }} as verdict,
        'r = ' || {{ format_decimal('pearson_r', 3) }} || ' (95% CI '
        || {{ format_decimal('pearson_r_ci_low', 3) }} || ' to '
        || {{ format_decimal('pearson_r_ci_high', 3) }}
        || ', ' || {{ format_p_value('pearson_p_value') }}
        || '): the claim of a weak correlation '
        || {{ claim_verdict_words(claim_verdict(weak_correlation, strong_correlation)) }}
            as finding
    from metric_correlations
    where metric_x = 'num_support_contacts' and metric_y = 'satisfaction_score'

    union all

    select
        'Q8' as question_id,
        churn_overview.churn_rate as estimate,
        churn_overview.churn_rate_ci_low as ci_low,
        churn_overview.churn_rate_ci_high as ci_high,
        churn_overview.p_value,
        'exact binomial, greater than 0.5' as statistical_test,
        'churn exceeds retention' as claim,
        true as is_seed_claim,
        {{ claim_verdict(
            'churn_overview.p_value < ' ~ var('alpha'),
            'retention_p_value.p_value < ' ~ var('alpha')
        ) }} as verdict,
        churn_overview.finding || '; retention exceeds churn: '
        || {{ format_p_value('retention_p_value.p_value') }} as finding
    from churn_overview
    inner join retention_p_value on churn_overview.customers = retention_p_value.customers

    union all

    select
        'Q9' as question_id,
        cast(effect_factors as {{ type_double() }}) as estimate,
        cast(null as {{ type_double() }}) as ci_low,
        cast(null as {{ type_double() }}) as ci_high,
        smallest_adjusted_p_value as p_value,
        'chi-square or point-biserial per factor, Benjamini-Hochberg over '
        || cast(tested_factors as {{ dbt.type_string() }}) as statistical_test,
        'some factor goes with churn' as claim,
        false as is_seed_claim,
        {{ claim_verdict(
            'effect_factors > 0', 'factors > 0 and no_meaningful_effect_factors = factors'
        ) }} as verdict,
        'of ' || cast(factors as {{ dbt.type_string() }}) || ' factors, effect '
        || cast(effect_factors as {{ dbt.type_string() }})
        || coalesce(' (' || factor_names || ')', '')
        || ', no meaningful effect ' || cast(no_meaningful_effect_factors as {{ dbt.type_string() }})
        || ', inconclusive ' || cast(inconclusive_factors as {{ dbt.type_string() }})
        || case
            when untested_factors > 0
                then ', not testable ' || cast(untested_factors as {{ dbt.type_string() }})
            else ''
        end
        || ' (smallest adjusted ' || {{ format_p_value('smallest_adjusted_p_value') }} || ')' as finding
    from driver_verdicts

    union all

    select
        'Q10' as question_id,
        retention_rate as estimate,
        ci_low,
        ci_high,
        cast(null as {{ type_double() }}) as p_value,
        'descriptive (no test)' as statistical_test,
        cast(null as {{ dbt.type_string() }}) as claim,
        false as is_seed_claim,
        cast(null as {{ dbt.type_string() }}) as verdict,
        case
            when cohorts > 0
                then
                    {{ format_decimal('100 * retention_rate', 1) }} || '% of customers bought in'
                    || ' the third month after their first (95% CI '
                    || {{ format_decimal('100 * ci_low', 1) }} || '-'
                    || {{ format_decimal('100 * ci_high', 1) }} || '%, '
                    || cast(cohort_customers as {{ dbt.type_string() }}) || ' customers of '
                    || cast(cohorts as {{ dbt.type_string() }}) || ' cohorts); by first-order month: '
                    || cohort_shares
            else 'no cohort has reached the third month after its first purchase by the snapshot date'
        end as finding
    from month_three_rate
),

-- Whether the input can answer each question (input_columns.sql): an order log has no age,
-- income, satisfaction, support contacts, email opt-in or promotion response.
question_statuses as (
    select
        question_id,
        case question_id
            {%- for question_id in question_columns() %}
                when '{{ question_id }}' then '{{ question_status(question_id) }}'
            {%- endfor %}
            when 'Q10' then '{{ question_status('Q10') }}'
            else 'answered'
        end as status
    from questions
),

final as (
    select
        questions.question_id,
        questions.goal_id,
        questions.question,
        questions.metric_name,
        headline_figures.estimate as value,  -- noqa: RF04
        headline_figures.ci_low,
        headline_figures.ci_high,
        headline_figures.p_value,
        headline_figures.statistical_test,
        headline_figures.claim,
        headline_figures.is_seed_claim,
        -- no verdict where there is nothing to judge: no figures (no customers, not measured)
        case when headline_figures.finding is not null then headline_figures.verdict end = 'supported'
            as claim_holds,
        questions.source_marts,
        question_statuses.status,
        -- with no customers every figure is null, and so is the sentence built from them
        coalesce(
            coalesce(headline_figures.verdict || ': ', '') || headline_figures.finding,
            case
                when question_statuses.status <> 'answered' then question_statuses.status
                else 'not computable: no customers in the input'
            end
        ) as finding,
        -- not-measured questions have no figures (the join above), so no verdict either
        case when headline_figures.finding is not null then headline_figures.verdict end as verdict
    from questions
    inner join question_statuses on questions.question_id = question_statuses.question_id
    -- a question the input cannot answer keeps its row, with no figures
    left join headline_figures
        on
            questions.question_id = headline_figures.question_id
            and question_statuses.status = 'answered'
)

select * from final
