-- A table, not a view: gqm_scorecard tests these few rows in a recursive p-value CTE, and
-- engines that inline a CTE into each reference (Spark) would otherwise rank every customer
-- again in each reference and recursion level (one plan with 204 scans of the customers).
{{ config(materialized='table') }}

with

customers as {{ not_materialized() }} (
    select * from {{ ref('customers') }}
),

-- Q1's Kruskal-Wallis test of total spend across age bands, up to its statistic.
rank_sums as (
    {{ kruskal_wallis_rank_sums('customers', 'age_band', 'total_spend') }}
),

final as (
    select
        group_value as age_band,
        group_size as customers,
        rank_sum,
        tie_sum
    from rank_sums
)

select * from final
