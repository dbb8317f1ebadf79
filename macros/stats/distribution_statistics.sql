{% macro ordered_distribution_statistics(relation, measures, dimensions) -%}
    {#-
        distribution_statistics from the engine's exact ordered-set aggregates (quantiles()):
        one pass per dimension for counts, means and quartiles, one for the central moments
        about those means, one grouping per measure and dimension for the modes. The fastest
        exact path where the engine's quantile aggregate sorts within bounded memory (DuckDB,
        PostgreSQL); Spark's percentile gathers a segment's values into one buffer instead.
    -#}
    with measured_customers as {{ not_materialized() }} (
        select
            {% for measure in measures %}
                {{ measure_as_double(measure) }} as {{ measure }}{% if not loop.last or dimensions %},{% endif %}
            {% endfor %}
            {% for dimension in dimensions %}
                {{ dimension }}{% if not loop.last %},{% endif %}
            {% endfor %}
        from {{ relation }}
    ),

    -- One wide row per segment: counts, means, order statistics. Each dimension groups the
    -- customers directly: no copy of every customer per dimension.
    segment_summaries as (
        {% for dimension in ['overall'] + dimensions %}
            select
                '{{ dimension }}' as dimension,
                {{ segment_of(dimension).segment }} as segment,
                {{ segment_of(dimension).order }} as segment_order,
                {% for measure in measures %}
                    count({{ measure }}) as {{ measure }}_n,
                    avg({{ measure }}) as {{ measure }}_mean,
                    stddev_samp({{ measure }}) as {{ measure }}_stddev,
                    min({{ measure }}) as {{ measure }}_min,
                    {{ quantiles(measure, [0.25, 0.5, 0.75]) }} as {{ measure }}_quartiles,
                    max({{ measure }}) as {{ measure }}_max{% if not loop.last %},{% endif %}
                {% endfor %}
            from measured_customers
            {{ group_by_segment(dimension) }}
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
    ),

    -- Central moments about the summaries' means, which stay accurate where raw power sums
    -- would cancel. Products, not power(), which costs more than the rest of the pass.
    deviations as (
        {% for dimension in ['overall'] + dimensions %}
            select
                segment_summaries.dimension,
                segment_summaries.segment,
                {% for measure in measures %}
                    measured_customers.{{ measure }} - segment_summaries.{{ measure }}_mean
                        as {{ measure }}_deviation{% if not loop.last %},{% endif %}
                {% endfor %}
            from measured_customers
            inner join segment_summaries
                on
                    segment_summaries.dimension = '{{ dimension }}'
                    and segment_summaries.segment = {{ segment_of(dimension).segment }}
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
    ),

    segment_moments as (
        select
            {% for measure in measures %}
                avg({{ measure }}_deviation * {{ measure }}_deviation) as {{ measure }}_m2,
                avg({{ measure }}_deviation * {{ measure }}_deviation * {{ measure }}_deviation)
                    as {{ measure }}_m3,
                avg(
                    {{ measure }}_deviation * {{ measure }}_deviation
                    * {{ measure }}_deviation * {{ measure }}_deviation
                ) as {{ measure }}_m4,
            {% endfor %}
            dimension,
            segment
        from deviations
        group by dimension, segment
    ),

    value_frequencies as (
        {% for measure in measures %}
            {% for dimension in ['overall'] + dimensions %}
                select
                    '{{ dimension }}' as dimension,
                    {{ segment_of(dimension).segment }} as segment,
                    '{{ measure }}' as metric,
                    {{ measure }} as measure_value,
                    count(*) as frequency
                from measured_customers
                where {{ measure }} is not null
                group by {{ segment_of(dimension).segment ~ ', ' if dimension != 'overall' }}{{ measure }}
                {% if not (loop.last and measure == measures[-1]) %}union all{% endif %}
            {% endfor %}
        {% endfor %}
    ),

    highest_frequencies as (
        select
            dimension,
            segment,
            metric,
            max(frequency) as frequency
        from value_frequencies
        group by dimension, segment, metric
    ),

    -- The mode is the most frequent value; among equally frequent values, the smallest.
    modes as (
        select
            value_frequencies.dimension,
            value_frequencies.segment,
            value_frequencies.metric,
            min(value_frequencies.measure_value) as mode -- noqa: RF04
        from value_frequencies
        inner join highest_frequencies
            on
                value_frequencies.dimension = highest_frequencies.dimension
                and value_frequencies.segment = highest_frequencies.segment
                and value_frequencies.metric = highest_frequencies.metric
                and value_frequencies.frequency = highest_frequencies.frequency
        group by value_frequencies.dimension, value_frequencies.segment, value_frequencies.metric
    ),

    metric_rows as (
        {% for measure in measures %}
            select
                '{{ measure }}' as metric,
                segment_summaries.dimension,
                segment_summaries.segment,
                segment_summaries.segment_order,
                segment_summaries.{{ measure }}_n as n,
                segment_summaries.{{ measure }}_mean as mean,
                segment_summaries.{{ measure }}_stddev as stddev,
                segment_summaries.{{ measure }}_min as min,
                {{ array_element('segment_summaries.' ~ measure ~ '_quartiles', 1) }} as q1,
                {{ array_element('segment_summaries.' ~ measure ~ '_quartiles', 2) }} as median,
                {{ array_element('segment_summaries.' ~ measure ~ '_quartiles', 3) }} as q3,
                segment_summaries.{{ measure }}_max as max,
                segment_moments.{{ measure }}_m2 as m2,
                segment_moments.{{ measure }}_m3 as m3,
                segment_moments.{{ measure }}_m4 as m4
            from segment_summaries
            inner join segment_moments
                on
                    segment_summaries.dimension = segment_moments.dimension
                    and segment_summaries.segment = segment_moments.segment
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
    ),

    with_modes as (
        select
            metric_rows.*,
            modes.mode
        from metric_rows
        left join modes
            on
                metric_rows.metric = modes.metric
                and metric_rows.dimension = modes.dimension
                and metric_rows.segment = modes.segment
    )

    select {{ distribution_statistics_columns() | join(', ') }} from with_modes
{%- endmacro %}


{% macro counted_distribution_statistics(relation, measures, dimensions) -%}
    {#-
        distribution_statistics from counted values (counted_value_statistics): one grouping
        pass over the customers per measure counts each value in the finest segments (every
        dimension at once); each dimension's counts add those up; every statistic comes from
        the counts in one ordered pass per segment. No segment's values are gathered into one
        array, so memory stays bounded on every engine (Spark's percentile does gather them).
    -#}
    with finest_counts as (
        {% for measure in measures %}
            select
                '{{ measure }}' as metric,
                {% for dimension in dimensions %}
                    {{ segment_of(dimension).segment }} as {{ dimension }}_segment,
                    {{ segment_of(dimension).order }} as {{ dimension }}_order,
                {% endfor %}
                {{ measure_as_double(measure) }} as value, -- noqa: RF04
                count(*) as frequency
            from {{ relation }}
            group by
                {% for dimension in dimensions %}
                    {{ segment_of(dimension).segment }}, {{ segment_of(dimension).order }},
                {% endfor %}
                {{ measure_as_double(measure) }}
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
    ),

    -- The counts of each value per segment of each dimension ('overall': everyone; a customer
    -- without a segment of a dimension counts only there, as in the ordered path).
    segment_value_counts as (
        {% for dimension in ['overall'] + dimensions %}
            select
                metric,
                '{{ dimension }}' as dimension,
                {{ "'all'" if dimension == 'overall' else dimension ~ '_segment' }} as segment,
                {{ '0' if dimension == 'overall' else dimension ~ '_order' }} as segment_order,
                value,
                sum(frequency) as frequency
            from finest_counts
            {% if dimension != 'overall' %}where {{ dimension }}_segment is not null{% endif %}
            group by
                metric,
                {% if dimension != 'overall' %}{{ dimension }}_segment, {{ dimension }}_order,{% endif %}
                value
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
    ),

    counted_statistics as (
        {{ counted_value_statistics(
            'segment_value_counts',
            ['metric', 'dimension', 'segment', 'segment_order'],
            {'q1': 0.25, 'median': 0.5, 'q3': 0.75},
        ) }}
    )

    select {{ distribution_statistics_columns() | join(', ') }} from counted_statistics
{%- endmacro %}



{% macro distribution_statistics_columns() %}
    {#- The columns of distribution_statistics in their order, the same from each implementation, so their rows can be stacked. -#}
    {{ return([
        'metric', 'dimension', 'segment', 'segment_order', 'n', 'mean', 'stddev', 'min', 'q1',
        'median', 'q3', 'max', 'mode', 'm2', 'm3', 'm4',
    ]) }}
{% endmacro %}
