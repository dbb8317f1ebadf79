-- One row per GQM question, each decided by the rule in ../shared/GQM.md: the headline figure,
-- its interval and test come from the question's marts; the finding is written from them.
{# The seed study's claims about one proportion, each stated once: its exact binomial test
    (null proportion, alternative), the rule that decides it and the sentence that says so. -#}
{%- set proportion_claims = [
    {
        'question_id': 'Q4',
        'null_proportion': 0.6,
        'alternative': 'greater',
        'statistical_test': 'exact binomial, greater than 0.6 (five equally common scores)',
        'claim': 'satisfaction is mid-range',
        'holds': 'p_value < 0.05',
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
        'holds': 'ci_low >= 0.45 and ci_high <= 0.55',
        'finding': '{estimate}% opt in to email (95% CI {ci_low}-{ci_high}%, {p_value} against'
            ~ ' 50%): the claim that about half opt in {verdict}',
    },
    {
        'question_id': 'Q7',
        'null_proportion': 0.5,
        'alternative': 'less',
        'statistical_test': 'exact binomial, less than 0.5',
        'claim': 'fewer than half respond to promotions',
        'holds': 'p_value < 0.05',
        'finding': '{estimate}% responded to the last promotion (95% CI {ci_low}-{ci_high}%,'
            ~ ' {p_value} against 50%): the claim that fewer than half respond {verdict}',
    },
] -%}

with

questions as (
    select * from {{ ref('gqm_questions') }}
),

customers as {{ not_materialized() }} (
    select * from {{ ref('customers') }}
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
    from ({{ kruskal_wallis('customers', 'age_band', 'total_spend') }}) as kruskal
),

age_band_spend_p_value as (
    {{ chi_square_p_value('age_band_spend_test', ['question_id'], 'statistic', 'degrees_of_freedom') }}
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
{% endfor %}
proportion_p_values as (
    {% for claim in proportion_claims -%}
        select * from {{ claim.question_id | lower }}_p_value
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

proportion_estimates as (
    select
        proportions.question_id,
        {{ ratio('proportions.successes', 'proportions.trials') }} as estimate,
        {{ wilson_interval('proportions.successes', 'proportions.trials') }},
        proportion_p_values.p_value
    from proportions
    inner join proportion_p_values on proportions.question_id = proportion_p_values.question_id
),

-- Q9: how many factors survive the adjustment
significant_drivers as (
    select
        count(case when is_significant then 1 end) as significant_factors,
        count(p_value) as tested_factors,
        min(p_value_adjusted) as smallest_adjusted_p_value,
        {{ string_agg_ordered(
            "case when is_significant then factor end", ', ', 'p_value_adjusted'
        ) }} as factor_names
    from churn_drivers
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
        age_band_spend_p_value.p_value < 0.05 as claim_holds,
        case
            when age_band_spend_p_value.p_value < 0.05
                then 'age bands differ in spend (H = '
            else 'no significant difference in spend across age bands (H = '
        end || {{ format_decimal('age_band_spend_test.statistic', 2) }} || ', '
        || {{ format_p_value('age_band_spend_p_value.p_value') }}
        || '); mean spend of the age bands spans $'
        || {{ format_decimal('age_band_spend_spread.spread', 0) }}
            as finding
    from age_band_spend_spread
    cross join age_band_spend_test
    cross join age_band_spend_p_value

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
        pearson_p_value < 0.05 and pearson_r > 0 as claim_holds,
        finding
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
        cast(null as boolean) as claim_holds,
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
        pearson_r_ci_low > -0.3 and pearson_r_ci_high < 0.3 as claim_holds,
        'r = ' || {{ format_decimal('pearson_r', 3) }} || ' (95% CI '
        || {{ format_decimal('pearson_r_ci_low', 3) }} || ' to '
        || {{ format_decimal('pearson_r_ci_high', 3) }}
        || ', ' || {{ format_p_value('pearson_p_value') }}
        || '): the claim of a weak correlation '
        || case
            when pearson_r_ci_low > -0.3 and pearson_r_ci_high < 0.3 then 'holds'
            else 'is not supported'
        end
            as finding
    from metric_correlations
    where metric_x = 'num_support_contacts' and metric_y = 'satisfaction_score'

    union all

    select
        'Q8' as question_id,
        churn_rate as estimate,
        churn_rate_ci_low as ci_low,
        churn_rate_ci_high as ci_high,
        p_value,
        'exact binomial, greater than 0.5' as statistical_test,
        'churn exceeds retention' as claim,
        true as is_seed_claim,
        churn_exceeds_retention as claim_holds,
        finding
    from churn_overview

    union all

    select
        'Q9' as question_id,
        cast(significant_factors as {{ type_double() }}) as estimate,
        cast(null as {{ type_double() }}) as ci_low,
        cast(null as {{ type_double() }}) as ci_high,
        smallest_adjusted_p_value as p_value,
        'chi-square or point-biserial per factor, Benjamini-Hochberg over '
        || cast(tested_factors as {{ dbt.type_string() }}) as statistical_test,
        'some factor goes with churn' as claim,
        false as is_seed_claim,
        significant_factors > 0 as claim_holds,
        case
            when significant_factors > 0 then 'significant after adjustment: ' || factor_names
            else 'no factor is significantly associated with churn after Benjamini-Hochberg adjustment'
        end
        || ' (smallest adjusted ' || {{ format_p_value('smallest_adjusted_p_value') }} || ')' as finding
    from significant_drivers
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
        headline_figures.claim_holds,
        questions.source_marts,
        question_statuses.status,
        -- with no customers every figure is null, and so is the sentence built from them
        coalesce(
            headline_figures.finding,
            case
                when question_statuses.status <> 'answered' then question_statuses.status
                else 'not computable: no customers in the input'
            end
        ) as finding
    from questions
    inner join question_statuses on questions.question_id = question_statuses.question_id
    -- a question the input cannot answer keeps its row, with no figures
    left join headline_figures
        on
            questions.question_id = headline_figures.question_id
            and question_statuses.status = 'answered'
)

select * from final
