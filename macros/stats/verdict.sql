{% macro verdict(p_value, equivalence_low, equivalence_high, margin, n) -%}
    {#-
        The three-way verdict of a tested effect, an expression: 'no meaningful effect' when the
        1 - 2 alpha interval [equivalence_low, equivalence_high] lies strictly inside
        (-margin, margin), i.e. both one-sided tests of TOST (Schuirmann 1987) reject an effect
        as large as the margin at alpha, even if the effect is significant; otherwise 'effect' when p_value < alpha (the var);
        otherwise 'inconclusive'. Give the Benjamini-Hochberg adjusted p-value where the mart
        adjusts a family, the raw one elsewhere. Null where the row has no test: a null
        p-value or interval, or n <= 3.
    -#}
    case
        when
            {{ p_value }} is null or {{ equivalence_low }} is null or {{ equivalence_high }} is null
            or {{ n }} <= 3
            then null
        when {{ equivalence_low }} > -({{ margin }}) and {{ equivalence_high }} < {{ margin }}
            then 'no meaningful effect'
        when {{ p_value }} < {{ var('alpha') }} then 'effect'
        else 'inconclusive'
    end
{%- endmacro %}


{% macro verdict_finding(verdict, equivalence_low, equivalence_high, customers, unit, effect, evidence=none) -%}
    {#-
        The verdict in words with its numbers, an expression. 'effect: ' and the mart's own
        description of the effect (`effect`, a text expression); for the other two the
        largest effect the 1 - 2 alpha interval leaves possible, max(|low|, |high|), in `unit`
        ('points': a rate difference in percentage points; 'r': a correlation):
          'no meaningful effect: effects beyond 3.4 points are ruled out with 1000 customers'
          'inconclusive: effects up to 11.3 points cannot be ruled out with 330 customers'
        then, when given, ' (' evidence ')' (a text expression: the estimate, p-value, ...).
        Null when the verdict is null (the mart says why there is no test).
    -#}
    {%- set largest = 'greatest(abs(' ~ equivalence_low ~ '), abs(' ~ equivalence_high ~ '))' -%}
    {%- if unit == 'points' -%}
        {%- set size = format_decimal('100 * ' ~ largest, 1) ~ " || ' points'" -%}
    {%- elif unit == 'r' -%}
        {%- set size = "'|r| = ' || " ~ format_decimal(largest, 2) -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("verdict_finding: unit must be 'points' or 'r'; got " ~ unit) }}
    {%- endif -%}
    {%- set sample = "cast(" ~ customers ~ " as " ~ dbt.type_string() ~ ") || ' customers'" -%}
    case {{ verdict }}
        when 'effect' then 'effect: ' || {{ effect }}
        when 'no meaningful effect'
            then 'no meaningful effect: effects beyond ' || {{ size }} || ' are ruled out with ' || {{ sample }}
        when 'inconclusive'
            then 'inconclusive: effects up to ' || {{ size }} || ' cannot be ruled out with ' || {{ sample }}
    end
    {%- if evidence is not none %} || ' (' || {{ evidence }} || ')'{% endif %}
{%- endmacro %}


{% macro claim_verdict(supported, refuted) -%}
    {#-
        The scorecard's verdict on a claim, an expression: 'refuted' when the condition
        `refuted` holds (the data show the opposite, or that any effect is too small to matter),
        decided first; else 'supported' when `supported` holds; else 'inconclusive', which is
        also the answer when a condition is null (a figure the data cannot give).
    -#}
    case
        when {{ refuted }} then 'refuted'
        when {{ supported }} then 'supported'
        else 'inconclusive'
    end
{%- endmacro %}


{% macro claim_verdict_words(verdict) -%}
    {#- How a finding ends on a claim's verdict: 'holds', 'is refuted' or 'is not supported'. -#}
    case {{ verdict }}
        when 'supported' then 'holds'
        when 'refuted' then 'is refuted'
        else 'is not supported'
    end
{%- endmacro %}


{% macro correlation_equivalence(relation, r, n, stem='') -%}
    {#-
        A query (use it as a CTE body): every column of `relation`, then what a verdict on its
        correlation r over n pairs needs: `<stem>_equivalence_low/high`, the 1 - 2 alpha Fisher-z
        interval (fisher_z_interval at critical_values().z_equivalence); `minimum_detectable_effect`,
        the smallest |r| n pairs detect (minimum_detectable_correlation); and
        `equivalence_margin`, the var equivalence_margin_correlation. Give the verdict macro these
        columns and the row's p-value.
    -#}
    select
        {{ relation }}.*,
        {{ fisher_z_interval(
            relation ~ '.' ~ r, relation ~ '.' ~ n, stem,
            z='critical_values.z_equivalence', interval='equivalence'
        ) }},
        {{ minimum_detectable_correlation(relation ~ '.' ~ n, 'critical_values.z_detectable') }}
            as minimum_detectable_effect,
        cast({{ var('equivalence_margin_correlation') }} as {{ type_double() }}) as equivalence_margin
    from {{ relation }}
    cross join ({{ critical_values() }}) as critical_values
{%- endmacro %}
