{% test sums_to_customers(model, column_name, group_by=[]) %}
    {#-
        Groups (each combination of `group_by`, or the whole model) whose sum of column_name is
        not the number of rows in the customers mart: a breakdown that loses or double-counts
        customers. Restrict the rows with the test's `where` config (e.g. only the cells, not
        the totals).
    -#}
    with

    sums as (
        select
            {% for column in group_by %}{{ column }}, {% endfor %}
            sum({{ column_name }}) as total
        from {{ model }}
        {%- if group_by %}
        group by {{ group_by | join(', ') }}
        {%- endif %}
    ),

    customer_count as (
        select count(*) as customers
        from {{ ref('customers') }}
    )

    select
        sums.*,
        customer_count.customers
    from sums
    cross join customer_count
    where sums.total <> customer_count.customers
{% endtest %}
