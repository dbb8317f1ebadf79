{% test numbers_rows_one_to_n(model, column_name) %}
    {#-
        One row when the column does not number the model's n rows 1, 2, ..., n: its smallest
        value is not 1, its largest is not n or its sum not n (n + 1) / 2, or a value is
        null. Catches a numbering that restarts, skips, or repeats a line (a fan-out duplicates
        rows, so n outgrows the largest number), in one pass over the column alone; unlike
        `unique` it does not group every row, so it stays cheap on a hundred million lines.
    -#}
    with

    numbers as (
        select
            count(*) as row_count,
            count({{ column_name }}) as numbered_rows,
            min({{ column_name }}) as smallest,
            max({{ column_name }}) as largest,
            sum(cast({{ column_name }} as {{ dbt.type_bigint() }})) as total
        from {{ model }}
    ),

    final as (
        select * from numbers
        where
            row_count > 0
            and (
                numbered_rows != row_count
                or smallest != 1
                or largest != row_count
                or 2 * total != row_count * (row_count + 1)
            )
    )

    select * from final
{% endtest %}
