{% macro minimum_detectable_rate_difference(first_trials, second_trials, pooled_rate, z_sum) -%}
    {#-
        The smallest difference of two rates that a two-sided test at alpha detects with the
        given power, from the group sizes and the pooled rate p, by the normal approximation
        (the closed form of DECISIONS.md; its scipy twin is the same formula with
        scipy.stats.norm.ppf, and it leaves out the sliver of power in the opposite tail, as
        textbook sample-size formulas do):
          (z(1 - alpha / 2) + z(power)) * sqrt(p (1 - p) (1 / n1 + 1 / n2))
        z_sum is z(1 - alpha / 2) + z(power) (critical_values()). A rate difference (0-1), in
        the units of the churn-rate difference a verdict judges. Null when a group is empty
        or p is 0 or 1 (the approximation has no variance to work with).
    -#}
    {%- set double = type_double() -%}
    case
        when {{ first_trials }} > 0 and {{ second_trials }} > 0 and {{ pooled_rate }} > 0 and {{ pooled_rate }} < 1
            then ({{ z_sum }}) * sqrt(
                {{ pooled_rate }} * (1 - {{ pooled_rate }})
                * (1 / cast({{ first_trials }} as {{ double }}) + 1 / cast({{ second_trials }} as {{ double }}))
            )
    end
{%- endmacro %}


{% macro minimum_detectable_correlation(n, z_sum) -%}
    {#-
        The smallest |r| that a two-sided test of no correlation at alpha detects with the given
        power over n pairs, by the Fisher z approximation: tanh((z(1 - alpha / 2) + z(power)) /
        sqrt(n - 3)) (scipy twin: np.tanh of the same with scipy.stats.norm.ppf), written
        without tanh like fisher_z_interval. z_sum is z(1 - alpha / 2) +
        z(power) (critical_values()). In units of r. Null when n <= 3.
    -#}
    {%- set doubled = 'exp(2 * (' ~ z_sum ~ ') / sqrt(' ~ n ~ ' - 3))' -%}
    case
        when {{ n }} > 3 then ({{ doubled }} - 1) / ({{ doubled }} + 1)
    end
{%- endmacro %}
