{% macro normal_quantile(probability) -%}
    {#-
        The standard normal quantile z with P(Z <= z) = probability (scipy.stats.norm.ppf,
        scipy.special.ndtri), an expression. Wichura's algorithm AS 241 (PPND16, Applied
        Statistics 37, 1988): a ratio of two degree-7 polynomials in each of three regions,
        the centre |p - 0.5| <= 0.425, the tails up to sqrt(-ln(min(p, 1 - p))) = 5 (p down to
        about 1.4e-11), and the far tails. Pure arithmetic with one ln and one sqrt, so every
        engine evaluates it alike; relative error about 1e-16, no refinement step needed. Null
        for a probability outside (0, 1) or null (the quantiles there are infinite); near 1 the
        input itself limits precision, as in scipy (1 - p is what the double holds).
    -#}
    {%- set double = type_double() -%}
    {#- While sqlfluff lints, a null of the type: the expression runs to kilobytes per call. -#}
    {%- if var('lint_statistics_as_stubs') -%}
        {{- return('cast(null as ' ~ double ~ ')') -}}
    {%- endif -%}
    {%- set p = 'cast(' ~ probability ~ ' as ' ~ double ~ ')' -%}
    {%- set q = '(' ~ p ~ ' - 0.5)' -%}
    {%- set smaller_tail = 'least(' ~ p ~ ', 1 - ' ~ p ~ ')' -%}
    {#- ln(0) is an error on PostgreSQL even in a branch not taken, hence the guard. -#}
    {%- set tail_distance = 'sqrt(-ln(case when ' ~ smaller_tail ~ ' > 0 then ' ~ smaller_tail ~ ' end))' -%}
    {%- set centre_numerator = [
        3.3871328727963666080e0, 1.3314166789178437745e+2, 1.9715909503065514427e+3,
        1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4,
        3.3430575583588128105e+4, 2.5090809287301226727e+3,
    ] -%}
    {%- set centre_denominator = [
        1.0, 4.2313330701600911252e+1, 6.8718700749205790830e+2, 5.3941960214247511077e+3,
        2.1213794301586595867e+4, 3.9307895800092710610e+4, 2.8729085735721942674e+4,
        5.2264952788528545610e+3,
    ] -%}
    {%- set tail_numerator = [
        1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
        3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
        2.27238449892691845833e-2, 7.74545014278341407640e-4,
    ] -%}
    {%- set tail_denominator = [
        1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
        1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
        1.05075007164441684324e-9,
    ] -%}
    {%- set far_tail_numerator = [
        6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
        2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
        2.71155556874348757815e-5, 2.01033439929228813265e-7,
    ] -%}
    {%- set far_tail_denominator = [
        1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
        7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
        2.04426310338993978564e-15,
    ] -%}
    {%- set centre = '(0.180625 - ' ~ q ~ ' * ' ~ q ~ ')' -%}
    {%- set tail = '(' ~ tail_distance ~ ' - 1.6)' -%}
    {%- set far_tail = '(' ~ tail_distance ~ ' - 5)' -%}
    {%- set centre_quantile = q ~ ' * ' ~ polynomial(centre_numerator, centre) ~ ' / ' ~ polynomial(centre_denominator, centre) -%}
    {%- set tails_quantile -%}
        case
            when {{ tail_distance }} <= 5
                then sign({{ q }}) * {{ polynomial(tail_numerator, tail) }} / {{ polynomial(tail_denominator, tail) }}
            else sign({{ q }}) * {{ polynomial(far_tail_numerator, far_tail) }} / {{ polynomial(far_tail_denominator, far_tail) }}
        end
    {%- endset -%}
    {#-
        A number (the vars alpha and power): its region is known here, so only that region's
        expression is rendered, the same text the engine would take in the full case below
        (the same double comparisons decide it), a third to a fifth of the SQL to parse and plan.
    -#}
    {%- if probability is number and probability is not boolean -%}
        {%- if probability <= 0 or probability >= 1 -%}
            {{- return('cast(null as ' ~ double ~ ')') -}}
        {%- elif (probability - 0.5) | abs <= 0.425 -%}
            {{- return('(' ~ centre_quantile ~ ')') -}}
        {%- endif -%}
        {{- return('(' ~ tails_quantile ~ ')') -}}
    {%- endif -%}
    case
        when {{ p }} <= 0 or {{ p }} >= 1 then null
        when abs({{ q }}) <= 0.425 then {{ centre_quantile }}
        else {{ tails_quantile }}
    end
{%- endmacro %}


{% macro polynomial(coefficients, x) -%}
    {#-
        c0 + c1 x + c2 x^2 + ... for coefficients [c0, c1, ...], in Horner's form (one product
        and one sum per coefficient). Coefficients render as doubles (an exponent makes Spark
        read a literal as a double, not a decimal).
    -#}
    {%- set horner = namespace(text='%.17e' | format(coefficients[-1])) -%}
    {%- for coefficient in coefficients[:-1] | reverse -%}
        {%- set horner.text = '(' ~ horner.text ~ ' * ' ~ x ~ ' + ' ~ '%.17e' | format(coefficient) ~ ')' -%}
    {%- endfor -%}
    {{- horner.text -}}
{%- endmacro %}


{% macro critical_values() -%}
    {#-
        A one-row query (use it as a CTE body) of the normal quantiles the verdicts use, from the
        vars `alpha` and `power`: z_significance = z(1 - alpha / 2), the two-sided test at alpha
        (1.96 at 0.05); z_equivalence = z(1 - alpha), the half-width of the 1 - 2 alpha interval
        whose two ends are the two one-sided tests of TOST (1.645: the 90% interval); z_power =
        z(power) (0.842 at 80%); z_detectable = z_significance + z_power, the multiplier of the
        minimum detectable effects. Stops compilation when a var is outside its range.
    -#}
    {%- set alpha = var('alpha') -%}
    {%- set power = var('power') -%}
    {%- if not (alpha is number and 0 < alpha < 0.5) -%}
        {{ exceptions.raise_compiler_error("var alpha must be a number between 0 and 0.5; got " ~ alpha) }}
    {%- endif -%}
    {%- if not (power is number and 0 < power < 1) -%}
        {{ exceptions.raise_compiler_error("var power must be a number between 0 and 1; got " ~ power) }}
    {%- endif -%}
    {#- Each quantile rendered once: z_detectable adds the two columns, not two more copies. -#}
    select
        quantiles.*,
        quantiles.z_significance + quantiles.z_power as z_detectable
    from (
        select
            {{ normal_quantile(1 - alpha / 2) }} as z_significance,
            {{ normal_quantile(1 - alpha) }} as z_equivalence,
            {{ normal_quantile(power) }} as z_power
    ) as quantiles
{%- endmacro %}
